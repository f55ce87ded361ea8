"""Reading hand-made volunteer lists and hours sheets: header under titles, columns guessed, every problem by row
and column, consent never invented, dates in every form a sheet holds them, the sheet's own sum kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cohesion_desktop.dates import parse_sheet_date
from cohesion_desktop.domain import Availability, CheckKind
from cohesion_desktop.importing.hours import Spread, hours_from_text, parse_hours, spread
from cohesion_desktop.importing.spreadsheet import ImportFileError, Sheet, read_sheet
from cohesion_desktop.importing.volunteers import parse_volunteers

from .builders import (
    HOURS_MERGES,
    HOURS_ROWS,
    HOURS_SHEET_TOTAL,
    VOLUNTEER_MERGES,
    VOLUNTEER_ROWS,
    cache_formula_value,
    write_csv,
    write_xlsx,
)

TODAY = date(2025, 6, 1)


@pytest.fixture
def volunteers_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "volunteers.xlsx", VOLUNTEER_ROWS, merges=VOLUNTEER_MERGES, sheet="Volunteers")


@pytest.fixture
def hours_xlsx(tmp_path: Path) -> Path:
    path = write_xlsx(tmp_path / "hours.xlsx", HOURS_ROWS, merges=HOURS_MERGES, sheet="Hours")
    return cache_formula_value(path, "D12", "16")


def test_a_messy_volunteer_list_is_read_row_by_row(volunteers_xlsx: Path) -> None:
    parsed = parse_volunteers(read_sheet(volunteers_xlsx), today=TODAY)

    assert parsed.header_row == 3
    assert [r.row for r in parsed.records] == [4, 5, 7, 8, 11, 12, 13]
    errors = {p.row: p for p in parsed.problems if p.severity == "error"}
    assert set(errors) == {9, 10}
    assert errors[9].message == "Same e-mail address as row 4" and errors[9].column == "E-mail"
    assert errors[10].message == "No name" and errors[10].column == "Full Name"
    ann, tariq, zoe, mary, li, peter, sam = parsed.records
    assert ann.email == "ANN@example.org" and ann.skills == ("Cooking", "driving")
    assert ann.availability == (Availability.WEEKEND, Availability.WEEKDAY_EVENING)
    assert (ann.consent, ann.consent_given_on) == ("yes", date(2023, 3, 15))
    assert ann.checks[0].kind is CheckKind.DBS_ENHANCED and ann.checks[0].obtained_on == date(2023, 1, 10)
    assert ann.checks[0].reference == "001234" and ann.checks[0].renewal_due_on is None  # never guessed
    assert tariq.consent == "unknown" and tariq.consent_given_on is None  # "yes" without a date
    assert tariq.checks[0].kind is CheckKind.DBS_BASIC and tariq.checks[0].obtained_on == date(2023, 1, 1)  # serial
    assert zoe.email == "" and zoe.consent == "no" and zoe.availability == tuple(Availability)
    assert mary.email == "" and (mary.consent, mary.consent_given_on) == ("yes", date(2024, 3, 15))
    assert li.consent == "unknown" and li.checks[0].kind is CheckKind.TRAINING_FIRST_AID
    assert peter.consent == "unknown" and peter.checks == ()
    assert (sam.consent, sam.consent_given_on) == ("yes", date(2022, 5, 1))  # a consent date is evidence
    warnings = {(p.row, p.column): p.message for p in parsed.problems if p.severity == "warning"}
    assert "consent recorded as unknown" in warnings[(5, "Consent")]
    assert warnings[(8, "E-mail")] == "“mary@example” is not an e-mail address; it was left out"
    assert "consent recorded as unknown" in warnings[(12, "Consent")]
    assert "“Gold” is not a check or training we know" in warnings[(12, "DBS level")]


def test_the_same_list_as_csv_reads_the_same(tmp_path: Path, volunteers_xlsx: Path) -> None:
    as_text = [[c.isoformat() if hasattr(c, "isoformat") else str(c) for c in row] for row in VOLUNTEER_ROWS]
    from_csv = parse_volunteers(read_sheet(write_csv(tmp_path / "v.csv", as_text)), today=TODAY)
    from_xlsx = parse_volunteers(read_sheet(volunteers_xlsx), today=TODAY)
    assert [(r.row, r.name, r.consent, r.checks) for r in from_csv.records] == [
        (r.row, r.name, r.consent, r.checks) for r in from_xlsx.records
    ]


def test_first_and_last_name_columns_make_the_name() -> None:
    sheet = Sheet("S", [["Forename", "Surname", "Email"], ["Ann", "Jones", "ann@example.org"], ["", "", "x@y.org"]])
    parsed = parse_volunteers(sheet, today=TODAY)
    assert [r.name for r in parsed.records] == ["Ann Jones"]
    assert parsed.problems[0].row == 3 and parsed.problems[0].message == "No name"


def test_a_sheet_without_names_says_what_it_found() -> None:
    with pytest.raises(ImportFileError, match="No column of names was found in sheet 'S'"):
        parse_volunteers(Sheet("S", [["Colour", "Size"], ["red", "L"]]), today=TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("45306", date(2024, 1, 15)), ("2024-01-15 10:30:00", date(2024, 1, 15)), ("15/01/2024", date(2024, 1, 15))],
)
def test_sheet_dates_in_every_form(text: str, expected: date) -> None:
    assert parse_sheet_date(text, today=TODAY) == expected


def test_an_hours_sheet_keeps_its_own_sum(hours_xlsx: Path) -> None:
    parsed = parse_hours(read_sheet(hours_xlsx), today=TODAY)

    assert parsed.header_row == 3
    assert [r.row for r in parsed.records] == [4, 5, 6, 9, 10, 11]
    assert parsed.records[2].on_date == date(2024, 1, 8) and parsed.records[2].hours == 2.5  # serial, "2:30"
    assert parsed.sheet_total == HOURS_SHEET_TOTAL and parsed.refused_hours == 0
    assert parsed.total_rows == ((12, 16.0),)
    errors = {p.row: p.message for p in parsed.problems if p.severity == "error"}
    assert errors[8] == "No hours" and "total row" in errors[12]


@pytest.mark.parametrize(
    ("text", "hours"), [("2.5", 2.5), ("2,5", 2.5), ("3 hrs", 3.0), ("2:30", 2.5), ("1 day, 2:00:00", 26.0)]
)
def test_hours_as_people_write_them(text: str, hours: float) -> None:
    assert hours_from_text(text) == hours


def test_a_week_or_month_is_spread_to_the_hundredth_and_adds_up() -> None:
    week = spread(date(2024, 1, 1), 10, Spread.WEEK, today=TODAY)
    assert len(week) == 7 and round(sum(h for _d, h in week), 2) == 10
    month = spread(date(2024, 2, 10), 7.01, Spread.MONTH, today=TODAY)
    assert month[0][0] == date(2024, 2, 1) and len(month) == 29 and round(sum(h for _d, h in month), 2) == 7.01
    this_week = spread(date(2025, 5, 30), 3, Spread.WEEK, today=TODAY)  # only the days up to today
    assert [d for d, _h in this_week] == [date(2025, 5, 30), date(2025, 5, 31), date(2025, 6, 1)]
