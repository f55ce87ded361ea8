"""Importing a messy partner spreadsheet into a data file: plan, choices, one transaction, the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from cohesion_desktop import i18n
from cohesion_desktop.db import models
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import StorageError
from cohesion_desktop.importing.partners import parse_partners
from cohesion_desktop.importing.spreadsheet import read_sheet
from cohesion_desktop.services import partner_import, partners
from cohesion_desktop.services.partner_import import Decision
from cohesion_desktop.services.partners import Contact, PartnerInput
from tests.importing.builders import MESSY_MERGES, MESSY_ROWS, write_csv, write_xlsx


def names(session: Session) -> list[str]:
    return [row.name for row in partners.list_partners(session)]


def plan_for(session: Session, path: Path) -> partner_import.ImportPlan:
    return partner_import.plan_import(session, parse_partners(read_sheet(path)))


@pytest.fixture
def messy_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS, merges=MESSY_MERGES)


def test_a_messy_workbook_imports_with_a_report_row_by_row(session: Session, messy_xlsx: Path) -> None:
    report = partner_import.apply_import(session, plan_for(session, messy_xlsx))
    assert [row for row, _name in report.added] == [4, 5, 7, 8, 9, 10, 11, 12, 15, 16, 18, 19, 20]
    assert dict(report.added)[12] == "Łódź Polish Club"
    skipped = {row: why for row, _name, why in report.skipped}
    assert set(skipped) == {13, 14}
    assert "No organisation name" in skipped[13]
    assert "row 4" in skipped[14]  # the same church spelt again
    warning_rows = {problem.row for problem in report.warnings}
    assert 11 in warning_rows  # "hello@cafe" is not an e-mail address
    stored = names(session)
    assert "Café Écologique" in stored and "Ysgol Gymraeg Llanfair" in stored and len(stored) == 13
    church = next(r for r in partners.list_partners(session) if r.name == "St Mary's Church")
    assert church.sector is Sector.FAITH and church.places == ("Eastfield", "Northgate")
    assert church.main_contact == "Revd Ann Jones"
    lines = report.lines()
    assert len(report.warnings) > 1
    assert lines[0] == f"Added 13, updated 0, skipped 2 rows; {len(report.warnings)} warnings."
    assert any(line.startswith("  row 13: skipped") for line in lines)


def test_the_same_file_as_csv_gives_the_same_partners(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "partners.csv", MESSY_ROWS)
    report = partner_import.apply_import(session, plan_for(session, path))
    assert len(report.added) == 13


def test_a_dry_run_writes_nothing_but_reports_the_same(session: Session, messy_xlsx: Path) -> None:
    report = partner_import.apply_import(session, plan_for(session, messy_xlsx), dry_run=True)
    assert len(report.added) == 13 and report.summary().startswith("Would add 13")
    assert names(session) == []


def test_importing_twice_updates_instead_of_duplicating(session: Session, messy_xlsx: Path) -> None:
    partner_import.apply_import(session, plan_for(session, messy_xlsx))
    again = partner_import.apply_import(session, plan_for(session, messy_xlsx))
    assert again.added == [] and len(again.updated) == 13
    assert len(names(session)) == 13


def test_an_existing_partner_is_updated_and_keeps_what_the_sheet_leaves_blank(
    session: Session, messy_xlsx: Path
) -> None:
    existing = partners.create_partner(
        session,
        data=PartnerInput(
            name="Harrowfield Mosque",
            sector=Sector.FAITH,
            remit="Prayer and community centre",
            themes=["Young people"],
            contacts=[Contact(id=None, name="Yusuf Patel")],
        ),
    )
    plan = plan_for(session, messy_xlsx)
    mosque = next(p for p in plan.rows if p.record.row == 8)
    assert mosque.decision is Decision.UPDATE and mosque.target_id == existing.id
    partner_import.apply_import(session, plan)
    after = partners.get_partner(session, existing.id)
    assert after.remit == "Prayer and community centre"  # the sheet's remit was blank
    assert after.themes == ("Social mixing", "Young people") and after.places == ("Eastfield",)
    assert [c.name for c in after.contacts] == ["Yusuf Patel"]


def test_a_similar_name_is_offered_and_the_users_merge_choice_is_applied(session: Session, messy_xlsx: Path) -> None:
    existing = partners.create_partner(
        session, data=PartnerInput(name="Kirklees Metropolitan Council", sector=Sector.LOCAL_GOVERNMENT)
    )
    plan = plan_for(session, messy_xlsx)
    kirklees = next(p for p in plan.rows if p.record.row == 7)
    assert kirklees.decision is Decision.ADD  # nothing is merged without asking
    assert [s.name for s in kirklees.similar] == ["Kirklees Metropolitan Council"]
    plan.choose(7, Decision.MERGE, kirklees.similar[0])
    report = partner_import.apply_import(session, plan)
    assert (7, "Kirklees Metropolitan Council") in report.updated
    merged = partners.get_partner(session, existing.id)
    assert merged.remit == "Local services" and merged.website == "https://www.kirklees.gov.uk"
    assert "Kirklees Council" not in names(session)


def test_a_row_the_user_skips_is_reported(session: Session, messy_xlsx: Path) -> None:
    plan = plan_for(session, messy_xlsx)
    plan.choose(9, Decision.SKIP)
    report = partner_import.apply_import(session, plan)
    assert (9, "Ysgol Gymraeg Llanfair", "you chose to skip it") in report.skipped
    assert "Ysgol Gymraeg Llanfair" not in names(session)


def test_a_failure_half_way_leaves_the_file_as_it_was(
    session: Session, messy_xlsx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    partners.create_partner(session, data=PartnerInput(name="Already here", sector=Sector.OTHER))
    monkeypatch.setattr(partners.NewPartners, "CHUNK", 2)  # written in several goes: some are in the file
    real_write = partners.NewPartners.write
    calls = []

    def failing_write(self: partners.NewPartners) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise StorageError("There is no room left on the disk.")
        real_write(self)

    monkeypatch.setattr(partners.NewPartners, "write", failing_write)
    with pytest.raises(StorageError):
        partner_import.apply_import(session, plan_for(session, messy_xlsx))
    assert names(session) == ["Already here"]


def test_a_sheet_that_names_one_organisation_twice_is_reported_row_by_row(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "partners.csv",
        [
            ["Organisation", "Sector"],
            ["St Mary's Church", "Faith"],
            ["Lowmoor Cricket Club", "Sport"],
            ["St. Marys church", "Faith"],
            ["Brookwick Mosque", "Faith"],
            ["Brookwic Mosque", "Faith"],
        ],
    )
    report = partner_import.apply_import(session, plan_for(session, path))
    assert len(report.added) == 5  # nothing is merged or dropped without asking
    assert report.look_alikes_in_sheet == [
        (4, "St. Marys church", 2, "St Mary's Church"),
        (6, "Brookwic Mosque", 5, "Brookwick Mosque"),
    ]
    assert "  row 4: added St. Marys church, which looks like 'St Mary's Church' (row 2)" in "\n".join(report.lines())


def test_the_import_writes_in_a_few_statements_whatever_the_number_of_rows(session: Session, tmp_path: Path) -> None:
    """One by one, each partner cost ten statements and a read of its whole sector: 65 minutes for 20,000."""
    from sqlalchemy import event

    def statements_for(rows: int) -> int:
        path = write_csv(
            tmp_path / f"partners-{rows}.csv",
            [["Organisation", "Themes", "Places served", "Contact"]]
            + [[f"Group number {rows}-{row}", "Youth, Housing", "Northgate", f"Person {row}"] for row in range(rows)],
        )
        plan = plan_for(session, path)
        executed: list[str] = []
        engine = session.get_bind()
        listener = lambda *args: executed.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            report = partner_import.apply_import(session, plan)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert len(report.added) == rows
        return len(executed)

    few = statements_for(40)  # this one also adds the themes and the place
    assert statements_for(400) <= few < 20


def test_progress_is_told_and_stopping_it_writes_nothing(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "many.csv", [["Organisation"]] + [[f"Group {n}"] for n in range(1_200)])
    plan = plan_for(session, path)
    told: list[tuple[str, float]] = []
    partner_import.apply_import(session, plan, dry_run=True, progress=lambda stage, done: told.append((stage, done)))
    assert told == [
        ("Importing partners: row 0 of 1,200…", 0.0),
        ("Importing partners: row 500 of 1,200…", 500 / 1200),
        ("Importing partners: row 1,000 of 1,200…", 1000 / 1200),
    ]

    class Stop(Exception):
        pass

    def stop_half_way(_stage: str, done: float) -> None:
        if done > 0.5:
            raise Stop

    with pytest.raises(Stop):
        partner_import.apply_import(session, plan, progress=stop_half_way)
    assert names(session) == []


def test_an_import_is_undone_and_redone_as_one_step(session: Session, messy_xlsx: Path) -> None:
    """The partners it added go, the one it updated is as it was (fields, themes, places, contacts), and the
    themes and places it made leave the lists; redo brings all of it back."""
    kirklees = partners.create_partner(
        session,
        data=PartnerInput(
            name="Kirklees Council",
            sector=Sector.LOCAL_GOVERNMENT,
            remit="Our own words",
            themes=["Housing"],
            contacts=[Contact(id=None, name="Sam Kaur", role="Officer")],
        ),
    )
    before = (
        names(session),
        partners.partner_states(session, [kirklees.id]),
        sorted(t.name for t in partners.themes(session)),
        sorted(p.name for p in partners.places(session)),
    )
    plan = plan_for(session, messy_xlsx)
    assert any(row.decision is Decision.UPDATE and row.target_id == kirklees.id for row in plan.rows)
    report = partner_import.apply_import(session, plan)
    assert report.updated and len(report.undo.added) == len(report.added)
    after = (
        names(session),
        partners.partner_states(session, [kirklees.id]),
        sorted(t.name for t in partners.themes(session)),
        sorted(p.name for p in partners.places(session)),
    )
    assert after != before

    partner_import.undo_import(session, report=report)
    session.expire_all()
    undone = (
        names(session),
        partners.partner_states(session, [kirklees.id]),
        sorted(t.name for t in partners.themes(session)),
        sorted(p.name for p in partners.places(session)),
    )
    assert undone[0] == before[0] and undone[2:] == before[2:]
    assert undone[1][0].fields == before[1][0].fields and undone[1][0].theme_ids == before[1][0].theme_ids
    assert [c for c in undone[1][0].contacts if dict(c[1])["deleted_at"] is None] == list(before[1][0].contacts)

    partner_import.redo_import(session, report=report)
    session.expire_all()
    redone = (
        names(session),
        partners.partner_states(session, [kirklees.id]),
        sorted(t.name for t in partners.themes(session)),
        sorted(p.name for p in partners.places(session)),
    )
    assert redone == after


def test_a_welsh_theme_in_a_sheet_links_the_shipped_theme(session: Session, tmp_path: Path) -> None:
    i18n.set_language("cy")
    path = write_csv(
        tmp_path / "partners.csv",
        [["Organisation", "Sector", "Themes"], ["Hwb Cymunedol", "Voluntary and community sector", "Gwirfoddoli; Tai"]],
    )
    report = partner_import.apply_import(session, plan_for(session, path))
    assert len(report.added) == 1
    stored = session.exec(select(models.Theme.name)).all()
    assert "Gwirfoddoli" not in stored and "Tai" not in stored and len(stored) == len(set(stored))
    i18n.set_language("en")
    assert partners.list_partners(session)[0].themes == ("Housing", "Volunteering")
