"""Partners: validation messages, themes and places, search, duplicates and merging."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from cohesion_desktop import i18n
from cohesion_desktop.db import models
from cohesion_desktop.domain import MatrixColumn, RelationshipStage, Sector
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.services import partners
from cohesion_desktop.services.partners import Contact, PartnerInput
from cohesion_desktop.text import fold


def add(session: Session, name: str, sector: Sector = Sector.VCS, **fields: object) -> partners.PartnerDetail:
    return partners.create_partner(session, data=PartnerInput(name=name, sector=sector, **fields))  # type: ignore[arg-type]


def test_a_new_partner_is_stored_with_its_themes_places_and_contacts(session: Session) -> None:
    created = add(
        session,
        "  Millbrook   Food Bank ",
        remit="Food parcels",
        website="millbrookfood.example.org",
        themes=["Poverty and inequality", "Food justice"],
        places=["Millbrook", "Eastfield"],
        contacts=[Contact(id=None, name="Pauline Greenwood", role="Coordinator", email="pauline@example.org")],
    )
    assert created.name == "Millbrook Food Bank"
    assert created.website == "https://millbrookfood.example.org"
    assert created.themes == ("Food justice", "Poverty and inequality")  # a new theme was added on the way
    assert created.places == ("Eastfield", "Millbrook")
    assert created.contacts[0].is_main and created.contacts[0].email == "pauline@example.org"
    assert [v.name for v in partners.themes(session)].count("Food justice") == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the organisation's name."),
        ("   ", "Enter the organisation's name."),
        ("x" * 201, "The name is too long (201 characters; at most 200)."),
    ],
)
def test_a_name_must_be_given_and_not_too_long(session: Session, name: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        add(session, name)
    assert raised.value.problems == {"name": message}


def test_the_same_name_in_the_same_sector_is_refused_whatever_the_case_or_accents(session: Session) -> None:
    add(session, "Café Écologique", Sector.SOCIAL_ENTERPRISE)
    with pytest.raises(ValidationError) as raised:
        add(session, "cafe ecologique", Sector.SOCIAL_ENTERPRISE)
    assert raised.value.problems == {
        "name": "There is already a partner called 'Café Écologique' in Social enterprise."
    }
    assert add(session, "Café Écologique", Sector.BUSINESS).sector is Sector.BUSINESS  # another sector is fine


def test_a_bad_email_and_a_bad_website_are_named(session: Session) -> None:
    with pytest.raises(ValidationError) as raised:
        add(session, "Harrowfield CVS", contacts=[Contact(id=None, name="Jo", email="jo at cvs")])
    assert raised.value.problems == {
        "contact_email": "'jo at cvs' is not an e-mail address (it should look like name@example.org)."
    }
    with pytest.raises(ValidationError) as raised:
        add(session, "Harrowfield CVS", website="not a web site")
    assert "does not look like a web address" in raised.value.problems["website"]
    assert partners.list_partners(session) == []  # nothing half-stored


def test_editing_one_field_at_a_time(session: Session) -> None:
    created = add(session, "Harrowfield CVS")
    saved = partners.update_partner(
        session, partner_id=created.id, changes={"relationship_stage": RelationshipStage.ACTIVE, "remit": " Training "}
    )
    updated = partners.get_partner(session, created.id)
    assert (saved.version, saved.updated_at) == (updated.version, updated.updated_at)
    assert updated.relationship_stage is RelationshipStage.ACTIVE and updated.remit == "Training"
    assert updated.updated_at > created.updated_at


def test_renaming_onto_another_partners_name_is_refused(session: Session) -> None:
    add(session, "Age Well Harrowfield")
    other = add(session, "Age Well")
    with pytest.raises(ValidationError, match="already a partner called 'Age Well Harrowfield'"):
        partners.update_partner(session, partner_id=other.id, changes={"name": "age well harrowfield"})
    assert partners.get_partner(session, other.id).name == "Age Well"


def test_search_covers_name_remit_themes_places_and_contacts(session: Session) -> None:
    add(
        session,
        "Northgate Jamia Mosque",
        Sector.FAITH,
        remit="Supplementary school",
        themes=["Young people"],
        places=["Northgate"],
        contacts=[Contact(id=None, name="Yusuf Patel", email="yusuf@example.org")],
    )
    add(session, "Siân's Welsh Choir", Sector.SPORT_CULTURE, places=["Westbury"])
    rows = partners.list_partners(session)

    def found(query: str) -> list[str]:
        return [rows[i].name for i in partners.matching_ids(rows, query)]

    assert found("supplementary") == found("YOUNG people") == found("patel") == ["Northgate Jamia Mosque"]
    assert found("northgate mosque") == ["Northgate Jamia Mosque"]  # every word, in any order
    assert found("sian") == found("SIÂN") == ["Siân's Welsh Choir"]  # accents folded both ways
    assert found("westbury choir") == ["Siân's Welsh Choir"]
    assert found("") == ["Northgate Jamia Mosque", "Siân's Welsh Choir"]
    assert found("nothing like this") == []


def test_search_text_follows_theme_place_and_contact_changes(session: Session) -> None:
    created = add(session, "Harrowfield College", Sector.EDUCATION)
    partners.set_themes(session, partner_id=created.id, names=["Digital skills"])
    partners.set_places(session, partner_id=created.id, names=["Town Centre"])
    partners.set_contacts(session, partner_id=created.id, contacts=[Contact(id=None, name="Marcus Bell")])
    rows = partners.list_partners(session)
    for query in ("digital", "town centre", "marcus"):
        assert partners.matching_ids(rows, query) == [0], query
    partners.set_themes(session, partner_id=created.id, names=[])
    assert partners.get_partner(session, created.id).themes == ()
    assert partners.matching_ids(partners.list_partners(session), "digital") == []


def test_list_shows_themes_places_and_the_main_contact(session: Session) -> None:
    add(
        session,
        "Pennine Valley Homes",
        Sector.HOUSING,
        themes=["Housing"],
        places=["Lowmoor", "Eastfield"],
        contacts=[Contact(id=None, name="Stephen Haigh"), Contact(id=None, name="Second Person")],
    )
    [row] = partners.list_partners(session)
    assert row.themes == ("Housing",) and row.places == ("Eastfield", "Lowmoor")
    assert row.main_contact == "Stephen Haigh"
    theme_id = next(v.id for v in partners.themes(session) if v.name == "Housing")
    assert row.has_theme(theme_id)


def test_the_list_joins_each_partner_to_its_own_links_and_main_contact(session: Session) -> None:
    """The list is read as flat tables joined by id: each row must get its own themes, places and contact."""
    add(session, "Zeta Arts", themes=["Arts"], contacts=[Contact(id=None, name="Zed"), Contact(id=None, name="Zoe")])
    marked = add(
        session,
        "Alpha Homes",
        places=["Lowmoor"],
        contacts=[Contact(id=None, name="First Listed"), Contact(id=None, name="Also Main", is_main=True)],
    )
    gone = add(session, "Gone Club", themes=["Sport"], contacts=[Contact(id=None, name="Nobody")])
    add(session, "Middle Trust")
    partners.set_contacts(session, partner_id=gone.id, contacts=[])
    rows = partners.list_partners(session)
    assert [(r.name, r.themes, r.places, r.main_contact) for r in rows] == [
        ("Alpha Homes", (), ("Lowmoor",), "First Listed"),  # the first is always main: first wins
        ("Gone Club", ("Sport",), (), ""),
        ("Middle Trust", (), (), ""),
        ("Zeta Arts", ("Arts",), (), "Zed"),
    ]
    assert rows[0].id == marked.id
    assert [row.name for row in partners.partners_by_ids(session, [marked.id])] == ["Alpha Homes"]


def test_contacts_are_replaced_in_order_and_removed_ones_hidden(session: Session) -> None:
    created = add(session, "Harrowfield CVS", contacts=[Contact(id=None, name="A"), Contact(id=None, name="B")])
    first, second = created.contacts
    partners.set_contacts(
        session, partner_id=created.id, contacts=[Contact(id=second.id, name="B", email="b@example.org", is_main=True)]
    )
    detail = partners.get_partner(session, created.id)
    assert [(c.name, c.is_main, c.email) for c in detail.contacts] == [("B", True, "b@example.org")]
    hidden = session.get(models.Contact, first.id)
    assert hidden is not None and hidden.deleted_at is not None


def test_delete_hides_and_restore_brings_back(session: Session) -> None:
    created = add(session, "Lowmoor Cricket Club", Sector.SPORT_CULTURE)
    partners.delete_partner(session, partner_id=created.id)
    assert partners.list_partners(session) == []
    with pytest.raises(NotFoundError):
        partners.get_partner(session, created.id)
    partners.restore_partner(session, partner_id=created.id)
    assert [row.name for row in partners.list_partners(session)] == ["Lowmoor Cricket Club"]


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ("St Mary's Church", "St. Marys church"),
        ("Kirklees Council", "Kirklees Metropolitan Council"),
        ("Millbrook Food Bank", "Millbrook Foodbank"),
        ("Canal Side Café", "Canal Side Cafe"),
        ("Saint Anne's Parish Church", "St Annes Parish Church"),
    ],
)
def test_close_names_are_found(session: Session, existing: str, new: str) -> None:
    add(session, existing)
    assert [s.name for s in partners.find_similar(session, name=new)] == [existing]


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ("Harrowfield College", "Harrowfield Council"),
        ("Eastfield Academy", "Eastfield Community Centre"),
    ],
)
def test_different_organisations_are_not_flagged(session: Session, existing: str, new: str) -> None:
    add(session, existing)
    assert partners.find_similar(session, name=new) == []


def test_merge_keeps_every_contact_theme_place_opportunity_workshop_entry_and_action(session: Session) -> None:
    keep = add(
        session,
        "St Mary's Church",
        Sector.FAITH,
        themes=["Housing"],
        places=["Millbrook"],
        contacts=[Contact(id=None, name="Revd Ann")],
    )
    gone = add(
        session,
        "St. Marys church",
        Sector.FAITH,
        remit="Night shelter",
        themes=["Housing", "Older people"],
        places=["Millbrook", "Eastfield"],
        notes="Keys with the verger",
        contacts=[Contact(id=None, name="Verger Bob", email="bob@example.org")],
    )
    other = add(session, "Harrowfield CVS")
    hosted = models.Opportunity(title="Warm space host", host_partner_id=gone.id)
    supported = models.Opportunity(title="Food bank", host_partner_id=other.id, supporting_partner_id=gone.id)
    cross = models.Opportunity(title="Shared", host_partner_id=keep.id, supporting_partner_id=gone.id)
    workshop = models.Workshop(title="Roundtable", held_on=date(2026, 5, 1))
    row = models.WorkshopRow(workshop_id=workshop.id, position=0, title="1. Building cross-sectoral partnerships")
    entry = models.MatrixEntry(
        workshop_id=workshop.id,
        row_id=row.id,
        column=MatrixColumn.ALREADY_DOING,
        text="Night shelter rota",
        partner_id=gone.id,
    )
    action = models.Action(title="Open the hall", owner_partner_id=gone.id, entry_id=entry.id)
    for item in (
        hosted,
        supported,
        cross,
        workshop,
        row,
        entry,
        action,
        models.WorkshopPartner(workshop_id=workshop.id, partner_id=gone.id),
        models.WorkshopPartner(workshop_id=workshop.id, partner_id=keep.id),
    ):
        session.add(item)
        session.flush()
    session.commit()

    merged = partners.merge_partners(session, keep=keep.id, absorb=gone.id)

    assert [c.name for c in merged.contacts] == ["Revd Ann", "Verger Bob"]
    assert merged.contacts[0].is_main and not merged.contacts[1].is_main
    assert merged.themes == ("Housing", "Older people") and merged.places == ("Eastfield", "Millbrook")
    assert merged.remit == "Night shelter" and "Keys with the verger" in merged.notes
    assert {i.label for i in merged.hosted} == {"Warm space host", "Shared"}
    assert {i.label for i in merged.supported} == {"Food bank"}
    assert session.get(models.Opportunity, cross.id).supporting_partner_id is None  # type: ignore[union-attr]
    assert [w.label for w in merged.workshops] == ["Roundtable"]
    assert [a.label for a in merged.actions] == ["Open the hall"]
    assert session.get(models.MatrixEntry, entry.id).partner_id == keep.id  # type: ignore[union-attr]
    assert len(session.exec(select(models.WorkshopPartner)).all()) == 1
    assert [r.name for r in partners.list_partners(session)] == ["Harrowfield CVS", "St Mary's Church"]
    assert session.get(models.Partner, gone.id).deleted_at is not None  # type: ignore[union-attr]


def test_a_partner_cannot_be_merged_with_itself(session: Session) -> None:
    created = add(session, "Harrowfield CVS")
    with pytest.raises(ValidationError, match="merged with itself"):
        partners.merge_partners(session, keep=created.id, absorb=created.id)


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ("St Mary's Church", "St. Marys church"),
        ("Kirklees Council", "Kirklees Metropolitan Council"),
        ("Millbrook Food Bank", "Millbrook Foodbank"),
        ("Canal Side Café", "Canal Side Cafe"),
        ("Saint Anne's Parish Church", "St Annes Parish Church"),
        ("Brookwick Mosque", "Brookwic Mosque"),  # one slip in the word that tells it apart
    ],
)
def test_an_import_finds_the_same_close_names_among_many(existing: str, new: str) -> None:
    """The import's blocked look-up must find what comparing with everyone finds, in a crowd of names that
    share the common words."""
    import uuid

    places = ("Northgate", "Eastfield", "Lowmoor", "Westbury", "Brackenhill")
    kinds = ("Parish Church", "Mosque", "Food Bank", "Council", "Café", "Community Centre")
    crowd = [(uuid.uuid4(), f"{place} {kind}", Sector.VCS) for place in places for kind in kinds]
    crowd += [(uuid.uuid4(), f"Harrowfield Church {number}", Sector.FAITH) for number in range(1_000)]
    index = partners.SimilarNames([*crowd, (uuid.uuid4(), existing, Sector.VCS)])
    everyone = [s.name for s in index.find(new)]
    assert existing in everyone
    assert [s.name for s in index.find_blocked(new)] == everyone


def test_an_import_scores_a_bounded_number_of_names_whatever_the_directory_holds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """20,000 rows against a large directory must not cost 20,000 × the directory (an hour, measured)."""
    import uuid

    index = partners.SimilarNames(
        [(uuid.uuid4(), f"Harrowfield Community Group {number}", Sector.VCS) for number in range(5_000)]
    )
    scored: list[int] = []
    real_extract = partners.process.extract

    def counting_extract(query: str, choices: list[str], **options: object) -> object:
        scored.append(len(choices))
        return real_extract(query, choices, **options)  # type: ignore[call-overload]

    monkeypatch.setattr(partners.process, "extract", counting_extract)
    found = index.find_blocked("Harrowfield Community Group 17")
    assert found and found[0].name == "Harrowfield Community Group 17"
    assert max(scored) <= partners.SIMILAR_CANDIDATES


def test_the_directory_s_first_screen_and_count_are_those_of_every_partner(session: Session) -> None:
    """What the directory shows at once (the first by name, either way, and how many there are) while every partner
    is read in the background; a directory no bigger than a screen is read whole."""
    for name in ("Northgate Youth Club", "Abbey Food Bank", "Millbrook CVS", "Harrowfield Mosque", "Zeal Arts"):
        add(session, name)
    partners.delete_partner(session, partner_id=add(session, "Aardvark Trust").id)
    every = partners.list_partners(session)
    first, total = partners.first_partners(session, limit=2)
    assert [row.name for row in first] == ["Abbey Food Bank", "Harrowfield Mosque"] and total == len(every) == 5
    assert first == every[:2]
    last, total = partners.first_partners(session, limit=2, descending=True)
    assert {row.name for row in last} == {"Zeal Arts", "Northgate Youth Club"} and total == 5
    assert partners.first_partners(session, limit=5) == (every, 5)


def test_the_shipped_themes_are_shown_in_welsh_and_a_welsh_label_links_the_stored_theme(session: Session) -> None:
    i18n.set_language("cy")
    checklist = [theme.name for theme in partners.themes(session)]
    assert "Gwirfoddoli" in checklist and "Pobl ifanc" in checklist and "Volunteering" not in checklist
    assert checklist == sorted(checklist, key=fold)  # sorted as it reads in Welsh
    created = add(session, "Hwb Cymunedol", themes=["gwirfoddoli", "Pobl Ifanc", "Bwyd da"])
    # Ticking the Welsh label links the English theme stored in the file: no second theme is made.
    assert created.themes == ("Bwyd da", "Gwirfoddoli", "Pobl ifanc")
    stored = session.exec(select(models.Theme.name)).all()
    assert "Gwirfoddoli" not in stored and "Pobl ifanc" not in stored and "Bwyd da" in stored
    row = partners.list_partners(session)[0]
    assert row.themes == ("Bwyd da", "Gwirfoddoli", "Pobl ifanc")
    # The stored search text names the theme in English; the Welsh label, or part of it, finds the partner too.
    assert len(partners.filter_partners([row], partners.PartnerFilter(query="gwirfoddoli"))) == 1
    assert len(partners.filter_partners([row], partners.PartnerFilter(query="pobl ifanc"))) == 1
    assert partners.filter_partners([row], partners.PartnerFilter(query="tai")) == []
    i18n.set_language("en")
    assert partners.get_partner(session, created.id).themes == ("Bwyd da", "Volunteering", "Young people")
    assert partners.filter_partners([row], partners.PartnerFilter(query="gwirfoddoli")) == []
