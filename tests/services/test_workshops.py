"""Workshops and the matrix: templates, entries in order, moves, deletes, votes, actions, synthesis."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlmodel import Session, select

from cohesion_desktop.db import models
from cohesion_desktop.domain import ActionStatus, MatrixColumn, Sector
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.workshops import ActionInput, WorkshopInput

DOING, MORE, SUPPORT, BARRIERS = MatrixColumn


def default_template(session: Session) -> workshops.TemplateInfo:
    return next(t for t in workshops.templates(session) if t.is_default)


def new_workshop(
    session: Session, title: str = "Roundtable", held_on: date = date(2026, 5, 5), **fields: object
) -> workshops.WorkshopDetail:
    return workshops.create_workshop(
        session, data=WorkshopInput(title=title, held_on=held_on, template_id=default_template(session).id, **fields)
    )  # type: ignore[arg-type]


def texts(detail: workshops.WorkshopDetail, row: int, column: MatrixColumn) -> list[str]:
    return [e.text for e in detail.cell(detail.rows[row].id, column)]


def test_the_default_template_is_belongs_three_rows(session: Session) -> None:
    template = default_template(session)
    assert template.name == "Local cohesion strategy (Belong)" and template.is_builtin
    assert [title for title, _ in template.rows] == [
        "1. Building cross-sectoral partnerships",
        "2. Promoting socially mixed spaces",
        "3. Encourage active social engagement and volunteering",
    ]
    assert "recognized and rewarded" in template.rows[2][1]
    names = [t.name for t in workshops.templates(session)]
    assert "Kirklees Inclusive Communities Framework – guiding principles" in names


def test_a_new_workshop_copies_its_rows_and_records_place_and_partners(session: Session) -> None:
    cvs = partners.create_partner(session, data=PartnerInput(name="Harrowfield CVS", sector=Sector.VCS))
    detail = new_workshop(session, place="Millbrook", facilitator=" Helen ", partner_ids=[cvs.id])
    assert [r.title for r in detail.rows][0] == "1. Building cross-sectoral partnerships"
    assert detail.place == "Millbrook" and detail.facilitator == "Helen"
    assert detail.partners == ((cvs.id, "Harrowfield CVS"),)
    [summary] = workshops.list_workshops(session)
    assert summary.partner_count == 1 and summary.entry_count == 0
    assert summary.template_name == "Local cohesion strategy (Belong)"


def test_editing_a_template_later_leaves_past_workshops_alone(session: Session) -> None:
    own = workshops.save_template(session, name="Our rows", rows=["Alpha", "Beta"])
    detail = workshops.create_workshop(
        session, data=WorkshopInput(title="W", held_on=date(2026, 1, 1), template_id=own.id)
    )
    workshops.save_template(session, name="Our rows", rows=["Gamma"], template_id=own.id)
    assert [r.title for r in workshops.get_workshop(session, detail.id).rows] == ["Alpha", "Beta"]


def test_built_in_templates_are_copied_not_changed_and_cannot_be_deleted(session: Session) -> None:
    belong = default_template(session)
    copy = workshops.save_template(session, name="Belong, our way", rows=["1. Partnerships"], template_id=belong.id)
    assert copy.id != belong.id and not copy.is_builtin
    assert len(default_template(session).rows) == 3
    with pytest.raises(ValidationError, match="cannot be deleted"):
        workshops.delete_template(session, template_id=belong.id)
    with pytest.raises(ValidationError, match="at least one row"):
        workshops.save_template(session, name="Empty", rows=["  "])


def test_entries_keep_their_order_within_a_cell(session: Session) -> None:
    detail = new_workshop(session)
    row = detail.rows[0].id
    for text in ("first", "second", "third"):
        workshops.add_entry(session, workshop_id=detail.id, row_id=row, column=DOING, text=text)
    workshops.add_entry(session, workshop_id=detail.id, row_id=row, column=DOING, text="at the top", position=0)
    workshops.add_entry(session, workshop_id=detail.id, row_id=row, column=MORE, text="elsewhere")
    detail = workshops.get_workshop(session, detail.id)
    assert texts(detail, 0, DOING) == ["at the top", "first", "second", "third"]
    assert [e.position for e in detail.cell(row, DOING)] == [0, 1, 2, 3]
    assert texts(detail, 0, MORE) == ["elsewhere"]


def test_moving_between_cells_and_within_a_cell_closes_the_gaps(session: Session) -> None:
    detail = new_workshop(session)
    first, second = detail.rows[0].id, detail.rows[1].id
    ids = [
        workshops.add_entry(session, workshop_id=detail.id, row_id=first, column=DOING, text=t).id
        for t in ("a", "b", "c")
    ]
    workshops.add_entry(session, workshop_id=detail.id, row_id=second, column=BARRIERS, text="x")
    workshops.move_entry(session, entry_id=ids[1], row_id=second, column=BARRIERS, position=0)
    workshops.move_entry(session, entry_id=ids[2], row_id=first, column=DOING, position=0)
    detail = workshops.get_workshop(session, detail.id)
    assert texts(detail, 0, DOING) == ["c", "a"] and texts(detail, 1, BARRIERS) == ["b", "x"]
    for row in detail.rows:
        for column in MatrixColumn:
            assert [e.position for e in detail.cell(row.id, column)] == list(range(len(detail.cell(row.id, column))))


def test_delete_and_restore_put_an_entry_back_where_it_was(session: Session) -> None:
    detail = new_workshop(session)
    row = detail.rows[2].id
    ids = [
        workshops.add_entry(session, workshop_id=detail.id, row_id=row, column=SUPPORT, text=t).id
        for t in ("a", "b", "c")
    ]
    removed = workshops.delete_entry(session, entry_id=ids[1])
    assert texts(workshops.get_workshop(session, detail.id), 2, SUPPORT) == ["a", "c"]
    workshops.restore_entry(session, entry_id=ids[1], position=removed.position)
    assert texts(workshops.get_workshop(session, detail.id), 2, SUPPORT) == ["a", "b", "c"]


def test_an_entry_needs_text_and_a_row_of_its_workshop(session: Session) -> None:
    detail = new_workshop(session)
    other = new_workshop(session, "Other")
    with pytest.raises(ValidationError, match="Type something"):
        workshops.add_entry(session, workshop_id=detail.id, row_id=detail.rows[0].id, column=DOING, text="  ")
    with pytest.raises(ValidationError, match="not part of this workshop"):
        workshops.add_entry(session, workshop_id=detail.id, row_id=other.rows[0].id, column=DOING, text="x")
    with pytest.raises(ValidationError, match="too long"):
        workshops.add_entry(session, workshop_id=detail.id, row_id=detail.rows[0].id, column=DOING, text="x" * 2001)


def test_an_entry_needs_a_live_workshop_and_a_live_partner(session: Session) -> None:
    detail = new_workshop(session)
    row = detail.rows[0].id
    gone = partners.create_partner(session, data=PartnerInput(name="Closed Down Ltd", sector=Sector.BUSINESS))
    partners.delete_partner(session, partner_id=gone.id)
    with pytest.raises(ValidationError, match="partner no longer exists"):
        workshops.add_entry(session, workshop_id=detail.id, row_id=row, column=DOING, text="x", partner_id=gone.id)
    with pytest.raises(ValidationError, match="partner no longer exists"):
        workshops.add_entry(session, workshop_id=detail.id, row_id=row, column=DOING, text="x", partner_id=uuid.uuid4())
    with pytest.raises(NotFoundError, match="no longer exists"):
        workshops.add_entry(session, workshop_id=uuid.uuid4(), row_id=row, column=DOING, text="x")
    assert not workshops.get_workshop(session, detail.id).entries  # nothing half-written
    workshops.delete_workshop(session, workshop_id=detail.id)
    with pytest.raises(NotFoundError, match="no longer exists"):
        workshops.add_entry(session, workshop_id=detail.id, row_id=row, column=DOING, text="x")


def test_editing_text_and_partner_attribution(session: Session) -> None:
    cvs = partners.create_partner(session, data=PartnerInput(name="Harrowfield CVS", sector=Sector.VCS))
    detail = new_workshop(session)
    entry = workshops.add_entry(
        session, workshop_id=detail.id, row_id=detail.rows[0].id, column=DOING, text="Volunteer day", partner_id=cvs.id
    )
    assert entry.partner_name == "Harrowfield CVS"
    edited = workshops.edit_entry(session, entry_id=entry.id, text="Staff volunteering day")
    assert edited.text == "Staff volunteering day" and edited.partner_id == cvs.id
    assert workshops.edit_entry(session, entry_id=entry.id, partner_id=None).partner_name == ""


def test_votes_and_sorting_a_cell_by_votes(session: Session) -> None:
    detail = new_workshop(session)
    row = detail.rows[0].id
    entries = [
        workshops.add_entry(session, workshop_id=detail.id, row_id=row, column=MORE, text=t)
        for t in ("low", "high", "middle")
    ]
    for entry, votes in zip(entries, (1, 5, 3), strict=True):
        workshops.set_votes(session, entry_id=entry.id, votes=votes)
    assert workshops.set_votes(session, entry_id=entries[0].id, votes=-2).votes == 0  # never below zero
    cell = workshops.get_workshop(session, detail.id).cell(row, MORE)
    workshops.order_cell(session, workshop_id=detail.id, row_id=row, column=MORE, entry_ids=workshops.by_votes(cell))
    assert texts(workshops.get_workshop(session, detail.id), 0, MORE) == ["high", "middle", "low"]


def test_an_entry_becomes_an_action_that_links_back(session: Session) -> None:
    owner = partners.create_partner(
        session, data=PartnerInput(name="Harrowfield Borough Council", sector=Sector.LOCAL_GOVERNMENT)
    )
    detail = new_workshop(session, "Business breakfast")
    entry = workshops.add_entry(
        session, workshop_id=detail.id, row_id=detail.rows[1].id, column=MORE, text="Open more faith buildings"
    )
    action = workshops.create_action(
        session,
        entry_id=entry.id,
        data=ActionInput(title="Open more faith buildings for events", owner_id=owner.id, due_on=date(2026, 7, 1)),
    )
    assert (action.workshop, action.entry_text, action.row_title, action.column) == (
        "Business breakfast",
        "Open more faith buildings",
        "2. Promoting socially mixed spaces",
        MORE,
    )
    assert action.owner == "Harrowfield Borough Council" and action.status is ActionStatus.OPEN
    assert action.is_overdue(date(2026, 7, 2)) and not action.is_overdue(date(2026, 6, 30))
    assert workshops.get_entry(session, entry.id).action_count == 1
    done = workshops.update_action(
        session,
        action_id=action.id,
        data=ActionInput(title=action.title, owner_id=owner.id, due_on=action.due_on, status=ActionStatus.DONE),
    )
    assert done.completed_on == date.today() and not done.is_overdue(date(2030, 1, 1))
    with pytest.raises(ValidationError, match="Say what the action is"):
        workshops.create_action(session, entry_id=entry.id, data=ActionInput(title=" "))


def test_synthesis_of_two_workshops_counts_each_cell(session: Session) -> None:
    north = new_workshop(session, "Northgate roundtable", date(2026, 3, 1))
    south = new_workshop(session, "Eastfield roundtable", date(2026, 4, 1))
    own = workshops.save_template(
        session, name="Extra", rows=["1. Building cross-sectoral partnerships", "4. Something else"]
    )
    third = workshops.create_workshop(
        session, data=WorkshopInput(title="Third", held_on=date(2026, 5, 1), template_id=own.id)
    )

    def add(detail: workshops.WorkshopDetail, row: int, column: MatrixColumn, text: str, votes: int = 0) -> None:
        entry = workshops.add_entry(
            session, workshop_id=detail.id, row_id=detail.rows[row].id, column=column, text=text
        )
        workshops.set_votes(session, entry_id=entry.id, votes=votes)

    add(north, 0, DOING, "Forum", 2)
    add(north, 0, DOING, "Iftar", 5)
    add(south, 0, DOING, "Business breakfast", 1)
    add(south, 2, BARRIERS, "Travel costs", 7)
    add(third, 0, DOING, "Shared calendar")
    add(third, 1, MORE, "New row item", 3)

    combined = workshops.synthesis(session, workshop_ids=[south.id, north.id, third.id])
    assert [w.title for w in combined.workshops] == ["Northgate roundtable", "Eastfield roundtable", "Third"]
    assert [r.title for r in combined.rows] == [
        "1. Building cross-sectoral partnerships",
        "2. Promoting socially mixed spaces",
        "3. Encourage active social engagement and volunteering",
        "4. Something else",
    ]
    assert combined.count(0, DOING) == 4 and combined.count(2, BARRIERS) == 1 and combined.count(3, MORE) == 1
    assert [(e.text, e.workshop) for e in combined.rows[0].cells[DOING]] == [
        ("Forum", "Northgate roundtable"),
        ("Iftar", "Northgate roundtable"),
        ("Business breakfast", "Eastfield roundtable"),
        ("Shared calendar", "Third"),
    ]
    assert [entry.text for _row, _col, entry in combined.most_voted(3)] == ["Travel costs", "Iftar", "New row item"]
    with pytest.raises(ValidationError):
        workshops.synthesis(session, workshop_ids=[])


def test_deleted_workshops_are_hidden_and_can_be_restored(session: Session) -> None:
    detail = new_workshop(session)
    workshops.delete_workshop(session, workshop_id=detail.id)
    assert workshops.list_workshops(session) == []
    with pytest.raises(NotFoundError):
        workshops.get_workshop(session, detail.id)
    workshops.restore_workshop(session, workshop_id=detail.id)
    assert [w.id for w in workshops.list_workshops(session)] == [detail.id]


def test_a_workshop_is_found_by_the_start_of_its_id(session: Session) -> None:
    detail = new_workshop(session)
    assert workshops.find_workshop_id(session, detail.id.hex[:8]) == detail.id
    assert workshops.find_workshop_id(session, str(detail.id)) == detail.id
    with pytest.raises(ValidationError, match="too short"):
        workshops.find_workshop_id(session, "ab")
    with pytest.raises(NotFoundError):
        workshops.find_workshop_id(session, uuid.uuid4().hex)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "We already run a staff volunteering day @Brightwell Engineering Ltd",
            ("We already run a staff volunteering day", "Brightwell Engineering Ltd"),
        ),
        ("@brightwell engineering ltd: staff day", ("staff day", "Brightwell Engineering Ltd")),
        ("Ask @Harrowfield CVS about DBS checks", ("Ask about DBS checks", "Harrowfield CVS")),
        ("Email me@example.org later", ("Email me@example.org later", None)),
        ("@Harrowfield CVSX is not them", ("@Harrowfield CVSX is not them", None)),
        ("@Harrowfield Chamber of Commerce wants in", ("wants in", "Harrowfield Chamber of Commerce")),
    ],
)
def test_an_at_partner_name_attributes_the_entry(typed: str, expected: tuple[str, str | None]) -> None:
    present = [
        (uuid.uuid4(), "Brightwell Engineering Ltd"),
        (uuid.uuid4(), "Harrowfield CVS"),
        (uuid.uuid4(), "Harrowfield Chamber of Commerce"),
    ]
    names = dict(present)
    text, partner_id = workshops.split_attribution(typed, present)
    assert (text, names.get(partner_id) if partner_id else None) == expected


def test_built_in_templates_read_in_the_interfaces_language_and_a_users_own_as_typed(session: Session) -> None:
    from cohesion_desktop import i18n

    own = workshops.save_template(session, name="Our ward plan", rows=["1. Listen", "2. Act"])
    i18n.set_language("cy")
    try:
        template = default_template(session)
        assert template.name == "Strategaeth cydlyniant lleol (Belong)" and template.is_builtin
        assert [title for title, _ in template.rows] == [
            "1. Meithrin partneriaethau traws-sector",
            "2. Hyrwyddo mannau cymdeithasol gymysg",
            "3. Annog ymgysylltu cymdeithasol gweithredol a gwirfoddoli",
        ]
        names = [t.name for t in workshops.templates(session)]
        assert "Busnes a chydlyniant (egwyddorion arfer gorau Belong)" in names and "Our ward plan" in names
        assert next(t for t in workshops.templates(session) if t.id == own.id).rows[0] == ("1. Listen", "")
        # A workshop made in Welsh holds its own rows in Welsh: they are the facilitator's to change.
        detail = new_workshop(session, title="Cyfarfod bord gron")
        assert detail.rows[0].title == "1. Meithrin partneriaethau traws-sector"
        assert workshops.list_workshops(session)[0].template_name == "Strategaeth cydlyniant lleol (Belong)"
    finally:
        i18n.set_language("en")
    # The data file is language-neutral: English again, and the template as shipped.
    assert default_template(session).name == "Local cohesion strategy (Belong)"
    assert session.exec(select(models.MatrixTemplate.name).where(models.MatrixTemplate.is_default)).one() == (
        "Local cohesion strategy (Belong)"
    )
