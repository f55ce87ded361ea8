"""Importing volunteers and past hours into a data file: matching, per-row and per-name choices, consent never
invented, totals equal to the sheet's own sum, nothing added twice, undo and redo as one step."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.domain import OpportunityStatus, Sector
from cohesion_desktop.importing.hours import Spread, parse_hours
from cohesion_desktop.importing.spreadsheet import read_sheet
from cohesion_desktop.importing.volunteers import parse_volunteers
from cohesion_desktop.services import hours_import, partners, volunteer_import
from cohesion_desktop.services.hours_import import Choice
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.volunteer_import import Decision
from cohesion_desktop.services.volunteering import opportunities, volunteers
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.services.volunteering.totals import hours_of
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from tests.importing.builders import (
    HOURS_MERGES,
    HOURS_ROWS,
    HOURS_SHEET_TOTAL,
    VOLUNTEER_MERGES,
    VOLUNTEER_ROWS,
    cache_formula_value,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def volunteers_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "volunteers.xlsx", VOLUNTEER_ROWS, merges=VOLUNTEER_MERGES, sheet="Volunteers")


@pytest.fixture
def hours_xlsx(tmp_path: Path) -> Path:
    path = write_xlsx(tmp_path / "hours.xlsx", HOURS_ROWS, merges=HOURS_MERGES, sheet="Hours")
    return cache_formula_value(path, "D12", "16")


def live(
    session: Session, table: type[models.Volunteer] | type[models.HoursEntry] | type[models.VolunteerCheck]
) -> int:
    return int(
        session.execute(select(func.count()).select_from(table).where(col(table.deleted_at).is_(None))).scalar_one()
    )


def by_name(session: Session) -> dict[str, models.Volunteer]:
    rows = session.execute(select(models.Volunteer).where(col(models.Volunteer.deleted_at).is_(None))).scalars()
    return {v.name: v for v in rows}


def plan_volunteers(session: Session, path: Path) -> volunteer_import.VolunteerImportPlan:
    return volunteer_import.plan_volunteer_import(session, parse_volunteers(read_sheet(path)))


def test_volunteers_are_matched_by_email_then_name_and_phone(session: Session, volunteers_xlsx: Path) -> None:
    ann = volunteers.create_volunteer(
        session,
        data=VolunteerInput(
            name="Ann Jones", email="ann@example.org", consent_to_contact=True, consent_given_on=date(2020, 1, 1)
        ),
    )
    peter = volunteers.create_volunteer(session, data=VolunteerInput(name="Peter Parker", phone="01632 960 123"))
    plan = plan_volunteers(session, volunteers_xlsx)

    decisions = {row.record.name: (row.decision, row.target_id, row.matched_by) for row in plan.rows}
    assert decisions["Ann Jones"] == (Decision.UPDATE, ann.id, "e-mail")
    assert decisions["Peter Parker"] == (Decision.UPDATE, peter.id, "name and phone")
    assert decisions["Tariq Khan"][0] == Decision.ADD
    # "ask Mary" cannot be kept as a phone number: left out, said before anything is written
    assert any(p.row == 8 and p.column == "Mobile" and "left out" in p.message for p in plan.problems)
    plan.choose(13, Decision.SKIP)

    report = volunteer_import.apply_volunteer_import(session, plan)

    assert [name for _row, name in report.added] == ["Tariq Khan", "Zoë Smith", "Mary O'Brien", "Li Wei"]
    assert sorted(name for _row, name in report.updated) == ["Ann Jones", "Peter Parker"]
    stored = by_name(session)
    assert "Sam Lee" not in stored  # skipped by choice
    assert stored["Ann Jones"].consent_given_on == date(2020, 1, 1)  # the consent recorded first is kept
    assert stored["Ann Jones"].phone == "07700 900001" and stored["Ann Jones"].skills == "Cooking, driving"
    assert stored["Tariq Khan"].consent_to_contact is False and stored["Tariq Khan"].consent_given_on is None
    assert stored["Mary O'Brien"].consent_to_contact and stored["Mary O'Brien"].consent_given_on == date(2024, 3, 15)
    assert stored["Mary O'Brien"].phone == ""
    assert report.consent_unknown == 3  # Tariq ("yes", no date), Li ("TBC"), Peter ("maybe")
    assert report.checks_added == 3 and live(session, models.VolunteerCheck) == 3
    assert any("row 9: skipped" in line and "Same e-mail" in line for line in report.lines())


def test_consent_the_sheet_cannot_evidence_is_not_agreement_anywhere(session: Session, volunteers_xlsx: Path) -> None:
    """Tariq's "yes" has no date, Li's is "TBC", Peter's "maybe": unknown, so never on the mailing list."""
    from cohesion_desktop.services import lists

    plan = plan_volunteers(session, volunteers_xlsx)
    unknown = {row.record.name for row in plan.rows if row.record.consent == "unknown"}
    assert unknown >= {"Tariq Khan"}
    report = volunteer_import.apply_volunteer_import(session, plan)
    assert report.consent_unknown == len(unknown)
    stored = by_name(session)
    assert all(not stored[name].consent_to_contact and stored[name].consent_given_on is None for name in unknown)
    on_the_list = {row.email for row in lists.mailing_list(session).rows}
    assert on_the_list, "someone with a dated yes is on it"
    assert not on_the_list & {stored[name].email for name in unknown if stored[name].email}
    agreed = {stored[name].email for name in ("Ann Jones",)}
    assert agreed <= on_the_list


def test_importing_the_same_volunteers_again_adds_nothing_twice(session: Session, volunteers_xlsx: Path) -> None:
    volunteer_import.apply_volunteer_import(session, plan_volunteers(session, volunteers_xlsx))
    count, checks = live(session, models.Volunteer), live(session, models.VolunteerCheck)

    again = plan_volunteers(session, volunteers_xlsx)
    report = volunteer_import.apply_volunteer_import(session, again)

    # Matched by e-mail, or by name and phone; Mary has neither that can match (no e-mail kept, phone dropped).
    assert {row.record.name for row in again.rows if row.decision == Decision.ADD} == {"Mary O'Brien"}
    assert live(session, models.Volunteer) == count + 1
    assert live(session, models.VolunteerCheck) == checks and report.checks_added == 0


def test_a_volunteer_import_is_undone_and_redone_as_one_step(session: Session, volunteers_xlsx: Path) -> None:
    ann = volunteers.create_volunteer(session, data=VolunteerInput(name="Ann Jones", email="ann@example.org"))
    report = volunteer_import.apply_volunteer_import(session, plan_volunteers(session, volunteers_xlsx))
    after = (live(session, models.Volunteer), by_name(session)["Ann Jones"].phone)

    volunteer_import.undo_volunteer_import(session, report=report)
    session.expire_all()
    assert live(session, models.Volunteer) == 1 and live(session, models.VolunteerCheck) == 0
    assert by_name(session)["Ann Jones"].phone == "" and by_name(session)["Ann Jones"].id == ann.id

    volunteer_import.redo_volunteer_import(session, report=report)
    session.expire_all()
    assert (live(session, models.Volunteer), by_name(session)["Ann Jones"].phone) == after


def test_a_dry_run_writes_nothing(session: Session, volunteers_xlsx: Path) -> None:
    report = volunteer_import.apply_volunteer_import(session, plan_volunteers(session, volunteers_xlsx), dry_run=True)
    assert len(report.added) == 7 and report.summary().startswith("Would add 7")
    assert live(session, models.Volunteer) == 0


# ------------------------------------------------------------------ hours


@pytest.fixture
def food_bank(session: Session) -> opportunities.OpportunityDetail:
    host = partners.create_partner(session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS))
    data = OpportunityInput(title="Food bank", host_partner_id=host.id, status=OpportunityStatus.OPEN)
    return opportunities.create_opportunity(session, data=data)


def plan_hours(session: Session, path: Path, how: Spread = Spread.DAY) -> hours_import.HoursImportPlan:
    return hours_import.plan_hours_import(session, parse_hours(read_sheet(path)), how=how)


def test_hours_are_matched_by_name_and_the_totals_are_the_sheets_sum(
    session: Session, hours_xlsx: Path, food_bank: opportunities.OpportunityDetail
) -> None:
    for name in ("Ann Jones", "Tariq Khan", "Zoë Smith"):
        volunteers.create_volunteer(session, data=VolunteerInput(name=name))
    plan = plan_hours(session, hours_xlsx)

    unmatched = {(kind, match.name): match.target for kind, match in plan.unmatched()}
    assert unmatched == {("volunteer", "Unknown Person"): Choice.ADD, ("opportunity", "Gardening"): Choice.SKIP}
    totals = plan.totals()
    assert totals.sheet == HOURS_SHEET_TOTAL and totals.adds_up
    assert (totals.to_add, totals.unmatched, totals.entries_to_add) == (14.5, 1.5, 5)

    plan.choose_volunteer("Unknown Person", Choice.SKIP)
    plan.choose_opportunity("Gardening", food_bank.row.id)
    totals = plan.totals()
    assert (totals.to_add, totals.unmatched) == (12.0, 4.0) and totals.adds_up

    report = hours_import.apply_hours_import(session, plan)

    assert report.entries_added == 5 and report.volunteers_added == []
    stored = by_name(session)
    assert hours_of(session, [stored["Ann Jones"].id])[stored["Ann Jones"].id][0] == 9.5
    assert round(sum(e.hours for e in session.execute(select(models.HoursEntry)).scalars()), 2) == 12.0


def test_importing_the_same_hours_again_adds_nothing_twice(
    session: Session, hours_xlsx: Path, food_bank: opportunities.OpportunityDetail
) -> None:
    volunteers.create_volunteer(session, data=VolunteerInput(name="Ann Jones"))
    first = hours_import.apply_hours_import(session, plan_hours(session, hours_xlsx))
    assert first.entries_added == 5 and sorted(first.volunteers_added) == ["Tariq Khan", "Unknown Person"]
    stored = by_name(session)
    assert stored["Unknown Person"].consent_unknown and not stored["Ann Jones"].consent_unknown  # nobody asked
    entries = live(session, models.HoursEntry)

    again = plan_hours(session, hours_xlsx)
    totals = again.totals()
    assert (totals.to_add, totals.already) == (0, 14.5) and totals.adds_up
    report = hours_import.apply_hours_import(session, again)

    assert report.entries_added == 0 and report.volunteers_added == []
    assert live(session, models.HoursEntry) == entries


def test_an_hours_import_is_undone_as_one_step(
    session: Session, hours_xlsx: Path, food_bank: opportunities.OpportunityDetail
) -> None:
    report = hours_import.apply_hours_import(session, plan_hours(session, hours_xlsx))
    assert live(session, models.HoursEntry) == 5 and live(session, models.Volunteer) == 3

    hours_import.undo_hours_import(session, report=report)
    assert live(session, models.HoursEntry) == 0 and live(session, models.Volunteer) == 0
    hours_import.redo_hours_import(session, report=report)
    assert live(session, models.HoursEntry) == 5 and live(session, models.Volunteer) == 3


def test_weekly_rows_are_spread_over_their_days(
    session: Session, hours_xlsx: Path, food_bank: opportunities.OpportunityDetail
) -> None:
    plan = plan_hours(session, hours_xlsx, Spread.WEEK)
    report = hours_import.apply_hours_import(session, plan)
    assert report.totals.adds_up and report.totals.to_add == 14.5
    assert live(session, models.HoursEntry) == report.entries_added == 35


def test_fifty_thousand_rows_of_hours_add_up_and_a_cancelled_import_writes_nothing(
    session: Session, tmp_path: Path, food_bank: opportunities.OpportunityDetail
) -> None:
    """The 50,000-row sheet of the issue, as CSV to keep this test short: its timing is a bench row
    (bench/people_imports.py, .xlsx, under a minute)."""
    rows = [["Hours log"], [], ["Name", "Date", "Project", "Hours"]]
    rows += [
        [f"Person {i % 700}", f"{1 + i % 28:02d}/{1 + i % 12:02d}/2024", "Food bank", str(1 + i % 4 * 0.25)]
        for i in range(50_000)
    ]
    sheet_sum = round(sum(1 + i % 4 * 0.25 for i in range(50_000)), 2)
    path = write_csv(tmp_path / "hours.csv", rows)
    plan = plan_hours(session, path)
    totals = plan.totals()
    assert totals.sheet == sheet_sum and totals.adds_up and totals.entries_to_add == 50_000

    told: list[float] = []

    def cancel_soon(_stage: str, fraction: float) -> None:
        told.append(fraction)
        if len(told) == 3:
            raise RuntimeError("Cancelled")  # what the worker's Cancel raises from the progress callback

    with pytest.raises(RuntimeError, match="Cancelled"):
        hours_import.apply_hours_import(session, plan, progress=cancel_soon)
    assert live(session, models.HoursEntry) == 0 and live(session, models.Volunteer) == 0


def test_a_volunteer_import_is_in_each_volunteers_history(session: Session, volunteers_xlsx: Path) -> None:
    """An import writes many rows in one statement; the change history still names each volunteer's change."""
    from cohesion_desktop.services import history

    ann = volunteers.create_volunteer(session, data=VolunteerInput(name="Ann Jones", email="ann@example.org"))
    volunteer_import.apply_volunteer_import(session, plan_volunteers(session, volunteers_xlsx))

    stored = by_name(session)
    added = history.record_history(session, kind="volunteer", record_id=stored["Tariq Khan"].id)
    assert added and added[-1].action == "created"
    changed = history.record_history(session, kind="volunteer", record_id=ann.id)
    assert any(line.field == "phone" and "07700 900001" in line.text for line in changed), [c.text for c in changed]


def test_consent_a_sheet_cannot_evidence_is_stored_as_not_known_and_an_answer_is_never_made_unknown(
    session: Session, tmp_path: Path
) -> None:
    no_consent_column = write_csv(
        tmp_path / "names.csv", [["Name", "Email"], ["Ann Jones", "ann@example.org"], ["Ben Okafor", "ben@example.org"]]
    )
    report = volunteer_import.apply_volunteer_import(session, plan_volunteers(session, no_consent_column))
    assert report.consent_unknown == 2
    answers = write_csv(
        tmp_path / "answers.csv",
        [
            ["Name", "Email", "Consent", "Consent date"],
            ["Cara Lee", "cara@example.org", "Yes", "14/03/2026"],
            ["Dev Singh", "dev@example.org", "No", ""],
        ],
    )
    volunteer_import.apply_volunteer_import(session, plan_volunteers(session, answers))

    def consent() -> dict[str, tuple[bool, bool, date | None]]:
        session.expire_all()
        return {
            name: (v.consent_to_contact, v.consent_unknown, v.consent_given_on) for name, v in by_name(session).items()
        }

    assert consent() == {
        "Ann Jones": (False, True, None),
        "Ben Okafor": (False, True, None),
        "Cara Lee": (True, False, date(2026, 3, 14)),
        "Dev Singh": (False, False, None),
    }
    assert {row.name: row.consent for row in volunteers.volunteer_rows(session, volunteers.volunteer_ids(session))} == {
        "Ann Jones": "Not known",
        "Ben Okafor": "Not known",
        "Cara Lee": "Yes",
        "Dev Singh": "No",
    }

    # Again, as updates: Ann and Ben answer at last; Cara's and Dev's answers are not made unknown by a sheet
    # that does not say.
    again = write_csv(
        tmp_path / "again.csv",
        [
            ["Name", "Email", "Consent", "Consent date"],
            ["Ann Jones", "ann@example.org", "No", ""],
            ["Ben Okafor", "ben@example.org", "Yes", "01/04/2026"],
            ["Cara Lee", "cara@example.org", "", ""],
            ["Dev Singh", "dev@example.org", "TBC", ""],
        ],
    )
    plan = plan_volunteers(session, again)
    assert {row.decision for row in plan.rows} == {Decision.UPDATE}
    answered = volunteer_import.apply_volunteer_import(session, plan)
    assert consent() == {
        "Ann Jones": (False, False, None),
        "Ben Okafor": (True, False, date(2026, 4, 1)),
        "Cara Lee": (True, False, date(2026, 3, 14)),
        "Dev Singh": (False, False, None),
    }
    volunteer_import.undo_volunteer_import(session, report=answered)  # "not known" comes back with the undo
    assert consent()["Ann Jones"] == (False, True, None) and consent()["Ben Okafor"] == (False, True, None)
