"""The change history: recorded by the store for every write (edits, bulk statements, imports, erasure), read in
words, restored, thinned; the laptop and the person named."""

from __future__ import annotations

import socket
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from cohesion_desktop.db import history, models
from cohesion_desktop.db.store import FileStore, open_store, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import StorageError
from cohesion_desktop.services import history as history_service
from cohesion_desktop.services import partners, settings, workshops
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.volunteering import erasure, opportunities, placements, volunteers
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput


def entries(session: Session, record_id: uuid.UUID) -> list[models.HistoryEntry]:
    return list(
        session.execute(
            select(models.HistoryEntry)
            .where(col(models.HistoryEntry.record_id) == record_id)
            .order_by(col(models.HistoryEntry.at), col(models.HistoryEntry.field))
        ).scalars()
    )


def changes(session: Session, record_id: uuid.UUID) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.action, e.field, e.old, e.new) for e in entries(session, record_id)]


def a_partner(session: Session, name: str = "Millbrook Food Bank") -> uuid.UUID:
    return partners.create_partner(session, data=PartnerInput(name=name, sector=Sector.VCS, remit="Food")).id


def test_an_edit_is_recorded_field_by_field_with_who_and_which_laptop(session: Session) -> None:
    partner_id = a_partner(session)
    partners.update_partner(session, partner_id=partner_id, changes={"remit": "Food and warmth", "is_sme": False})
    partners.update_partner(session, partner_id=partner_id, changes={"website": "millbrook.org"})

    assert changes(session, partner_id) == [
        ("created", "", None, None),
        ("changed", "remit", "Food", "Food and warmth"),
        ("changed", "website", "", "https://millbrook.org"),
    ]
    recorded = entries(session, partner_id)
    assert {e.who for e in recorded} == {history.your_name()}
    laptops = session.execute(select(models.Laptop)).scalars().all()
    assert [laptop.name for laptop in laptops] == [socket.gethostname()]
    assert {e.laptop_id for e in recorded} == {laptops[0].id}
    assert all(e.at.tzinfo is not None and e.at.utcoffset() == timedelta(0) for e in recorded)


def test_a_refused_write_leaves_no_history(session: Session) -> None:
    partner_id = a_partner(session)
    before = changes(session, partner_id)
    partner = session.get(models.Partner, partner_id)
    assert partner is not None
    with pytest.raises(RuntimeError), writing(session):
        partner.remit = "Never saved"
        session.flush()
        raise RuntimeError("the write failed after its flush")
    assert changes(session, partner_id) == before


def test_links_bulk_statements_and_deletes_are_recorded_on_the_record_they_belong_to(session: Session) -> None:
    partner_id = a_partner(session)
    partners.set_themes(session, partner_id=partner_id, names=["Youth", "Housing"])
    partners.set_themes(session, partner_id=partner_id, names=["Youth"])  # a DELETE statement
    partners.delete_partner(session, partner_id=partner_id)
    partners.restore_partner(session, partner_id=partner_id)
    youth = session.execute(select(models.Theme).where(col(models.Theme.name_key) == "youth")).scalar_one()
    housing = session.execute(select(models.Theme).where(col(models.Theme.name_key) == "housing")).scalar_one()

    recorded = changes(session, partner_id)
    assert ("changed", "themes", None, youth.id.hex) in recorded
    assert ("changed", "themes", housing.id.hex, None) in recorded
    deleted = [r for r in recorded if r[1] == "deleted_at"]
    assert [(old is None, new is None) for _a, _f, old, new in deleted] == [(True, False), (False, True)]

    lines = history_service.record_history(session, kind="partner", record_id=partner_id)
    texts = [line.text for line in lines]
    assert texts[0].startswith("Restored by ")
    assert any(text.startswith("Themes: ‘Housing’ taken away by ") for text in texts)
    assert texts[-1].startswith("Added by ")


def test_an_import_is_recorded_too(session: Session, tmp_path: Path) -> None:
    from cohesion_desktop.services import partner_import
    from tests.services.test_partner_import import plan_for

    path = tmp_path / "partners.csv"
    path.write_text("Organisation,Themes\nAge Well,Youth\nCanal Trust,Climate justice\n", encoding="utf-8")
    partner_import.apply_import(session, plan_for(session, path))
    made = session.execute(select(models.Partner.id)).scalars().all()
    assert len(made) == 2
    for partner_id in made:
        assert ("created", "", None, None) in changes(session, partner_id)


def test_the_history_says_it_in_words(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "your_name", lambda: "Sam")
    settings.save_laptop_settings(
        session, laptop=settings.LaptopSettings(your_name="Sam", laptop_name="the Office laptop")
    )
    partner_id = a_partner(session)
    partners.update_partner(session, partner_id=partner_id, changes={"remit": "Food and warmth"})
    line = history_service.record_history(session, kind="partner", record_id=partner_id)[0]
    assert line.text.startswith("Remit changed by Sam on the Office laptop, ")
    assert line.text.endswith(": ‘Food’ → ‘Food and warmth’")
    assert history_service.when_words(datetime(2025, 12, 3, 14, 2, tzinfo=UTC), now=datetime(2026, 1, 1)).startswith(
        "3 Dec 2025 "
    )


def test_the_history_says_it_in_welsh_with_the_fields_as_the_welsh_editors_label_them(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cohesion_desktop import i18n

    monkeypatch.setattr(history, "your_name", lambda: "Sam")
    settings.save_laptop_settings(session, laptop=settings.LaptopSettings(your_name="Sam", laptop_name="Swyddfa"))
    partner_id = a_partner(session)
    partners.update_partner(session, partner_id=partner_id, changes={"remit": "Bwyd a chynhesrwydd"})
    i18n.set_language("cy")
    try:
        texts = [line.text for line in history_service.record_history(session, kind="partner", record_id=partner_id)]
    finally:
        i18n.set_language("en")
    assert texts[0].startswith("Newidiwyd Cylch gwaith gan Sam ar y gliniadur Swyddfa, ")
    assert texts[0].endswith(": ‘Food’ → ‘Bwyd a chynhesrwydd’")  # the values as typed
    assert texts[-1].startswith("Ychwanegwyd gan Sam ar y gliniadur Swyddfa, ")
    # What is stored names the field, in no language: the English window reads the same entry in English.
    assert ("changed", "remit", "Food", "Bwyd a chynhesrwydd") in changes(session, partner_id)
    line = history_service.record_history(session, kind="partner", record_id=partner_id)[0]
    assert line.text.startswith("Remit changed by Sam on Swyddfa, ")


def test_restoring_a_version_puts_every_field_back_and_can_be_undone(session: Session) -> None:
    partner_id = a_partner(session)
    partners.update_partner(session, partner_id=partner_id, changes={"remit": "Food and warmth"})
    partners.update_partner(session, partner_id=partner_id, changes={"notes": "Call Ann", "remit": "Warm space"})
    lines = history_service.record_history(session, kind="partner", record_id=partner_id)
    first_change = next(line for line in lines if line.text.startswith("Remit changed") and "Food’ →" in line.text)

    replaced = history_service.restore_version(session, kind="partner", record_id=partner_id, entry_id=first_change.id)
    detail = partners.get_partner(session, partner_id)
    assert (detail.remit, detail.notes) == ("Food and warmth", "")
    assert history_service.record_history(session, kind="partner", record_id=partner_id)[0].restorable

    history_service.put_values(session, kind="partner", record_id=partner_id, values=replaced)
    detail = partners.get_partner(session, partner_id)
    assert (detail.remit, detail.notes) == ("Warm space", "Call Ann")


def test_a_volunteer_opportunity_and_workshop_have_their_history_and_restore(session: Session) -> None:
    host = a_partner(session)
    person = volunteers.create_volunteer(
        session, data=VolunteerInput(name="Nia Jones", phone="0113 496 0000", consent_unknown=True)
    )
    volunteers.update_volunteer(session, volunteer_id=person.id, data=VolunteerInput(name="Nia Evans"))  # said no
    said = " ".join(
        line.text for line in history_service.record_history(session, kind="volunteer", record_id=person.id)
    )
    assert "Consent not known" in said
    made = opportunities.create_opportunity(session, data=OpportunityInput(title="Befriending", host_partner_id=host))
    opportunities.update_opportunity(
        session,
        opportunity_id=made.row.id,
        data=OpportunityInput(title="Befriending calls", host_partner_id=host, place="Northgate"),
    )
    template = workshops.templates(session)[0].id
    held = workshops.create_workshop(
        session,
        data=workshops.WorkshopInput(title="Roundtable", held_on=date(2026, 5, 5), template_id=template),
    )
    workshops.update_workshop(session, workshop_id=held.id, title="Spring roundtable")

    for kind, record_id in (("volunteer", person.id), ("opportunity", made.row.id), ("workshop", held.id)):
        lines = history_service.record_history(session, kind=kind, record_id=record_id)
        created = lines[-1]
        assert created.text.startswith("Added by ") and created.restorable
        history_service.restore_version(session, kind=kind, record_id=record_id, entry_id=created.id)
    assert volunteers.get_volunteer(session, person.id).data.name == "Nia Jones"
    assert volunteers.get_volunteer(session, person.id).data.phone == "0113 496 0000"
    assert volunteers.get_volunteer(session, person.id).data.consent_unknown is True
    assert opportunities.opportunity_input(session, made.row.id).title == "Befriending"
    assert opportunities.opportunity_input(session, made.row.id).place == ""
    assert workshops.get_workshop(session, held.id).title == "Roundtable"


@pytest.mark.file_only
def test_erasure_keeps_that_it_happened_and_nothing_of_the_person(store: FileStore, session: Session) -> None:
    host = a_partner(session)
    person = volunteers.create_volunteer(session, data=VolunteerInput(name="Zenobia Quillfeather"))
    volunteers.update_volunteer(
        session, volunteer_id=person.id, data=VolunteerInput(name="Zenobia Quillfeather", email="zq@example.org")
    )
    made = opportunities.create_opportunity(session, data=OpportunityInput(title="Vans", host_partner_id=host))
    placed = placements.place_volunteer(session, volunteer_id=person.id, opportunity_id=made.row.id)
    placements.set_day_hours(
        session,
        placement_id=placed.id,
        on_date=date(2026, 3, 2),
        hours=2,
        activity="Drove Zenobia's van",
        today=date(2026, 3, 3),
    )
    erasure.erase_volunteer(session, volunteer_id=person.id)

    lines = history_service.record_history(session, kind="volunteer", record_id=person.id)
    assert lines[0].text.startswith("Personal details erased by ")
    everything = session.execute(select(models.HistoryEntry.old, models.HistoryEntry.new)).all()
    assert not [value for pair in everything for value in pair if value and ("Zenobia" in value or "zq@" in value)]
    session.close()
    store.checkpoint()
    assert b"Zenobia" not in store.path.read_bytes()


def test_thinning_keeps_the_last_change_of_each_field(session: Session) -> None:
    partner_id = a_partner(session)
    for remit in ("One", "Two", "Three"):
        partners.update_partner(session, partner_id=partner_id, changes={"remit": remit})
    partners.update_partner(session, partner_id=partner_id, changes={"notes": "Kept"})
    with writing(session):  # all of it three years old, but the last remit change
        for entry in entries(session, partner_id):
            if entry.new != "Three":
                entry.at = entry.at - timedelta(days=3 * 365)
    assert history_service.thinning_due(session, months=24)
    removed = history_service.thin_history(session, months=24)
    assert not history_service.thinning_due(session, months=24)
    assert removed == 2  # the "created" row, and "One": "Two" is how the remit was at the cut-off
    assert [(a, f, n) for a, f, _o, n in changes(session, partner_id)] == [
        ("changed", "remit", "Two"),
        ("changed", "notes", "Kept"),
        ("changed", "remit", "Three"),
    ]


@pytest.mark.file_only
def test_a_copy_in_another_place_gets_a_laptop_id_of_its_own(store: FileStore, tmp_path: Path) -> None:
    with store.session() as session:
        a_partner(session)
        first = session.execute(select(models.Laptop.id)).scalars().all()
    store.close()
    copy = tmp_path / "copy" / "cohesion.sqlite"
    copy.parent.mkdir()
    source = sqlite3.connect(store.path)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    with open_store(copy) as copied, copied.session() as session:
        a_partner(session, "Canal Trust")
        laptops = session.execute(select(models.Laptop.id)).scalars().all()
    assert len(first) == 1 and len(laptops) == 2


def test_settings_keep_your_name_on_the_laptop_and_the_history_period_in_the_file(session: Session) -> None:
    saved = settings.save_laptop_settings(
        session, laptop=settings.LaptopSettings(your_name="  Sam   Patel ", laptop_name="Hall laptop")
    )
    assert saved == settings.LaptopSettings(your_name="Sam Patel", laptop_name="Hall laptop")
    assert history.your_name() == "Sam Patel"
    current = settings.get_settings(session)
    assert current.history_months == 24
    settings.save_settings(session, settings=settings.Settings(**{**current.__dict__, "history_months": 6}))
    assert settings.get_settings(session).history_months == 6
    partner_id = a_partner(session)
    assert {e.who for e in entries(session, partner_id)} == {"Sam Patel"}


@pytest.mark.file_only
def test_a_read_only_store_records_nothing_and_a_failed_commit_no_history(store: FileStore) -> None:
    with store.session() as session:
        partner_id = a_partner(session)
    with open_store(store.path, read_only=True) as reader, reader.session() as session:
        assert len(changes(session, partner_id)) == 1
    with store.session() as session, pytest.raises(StorageError):
        partners.update_partner(session, partner_id=partner_id, changes={"name": "x" * 10})
        with writing(session):
            session.execute(
                models.Partner.__table__.insert(),  # type: ignore[attr-defined]
                [{"id": partner_id, "name": "Duplicate id", "sector": "vcs"}],
            )
    with store.session() as session:
        assert [c[1] for c in changes(session, partner_id)] == ["", "name"]
