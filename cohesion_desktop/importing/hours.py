"""Turning a hand-kept hours sheet (one row per person per date, week or month) into checked hours records.

Nothing here is stored or matched: ``services.hours_import`` matches the names to volunteers and
opportunities. What is decided here, the same everywhere:

- The sheet's own sum is the sum of every number of hours in its hours column (as SUM gives it, durations
  counted in hours), less the rows that are totals ("Total", "Grand total" in the name column), which are
  skipped. Every hour of that sum is
  accounted for: imported, or skipped with a reason (:attr:`ParsedHours.refused_hours`).
- Hours are written as numbers ("2.5", "2,5", "3 hrs") or as a duration ("2:30", "2:30:00" as Excel shows a
  time); "N/A", a blank or 0 skips the row (there is nothing to record).
- A row's date is a day by default; a sheet kept per week or per month is spread over that week's or month's
  days as the user chooses (:class:`Spread`), to the hundredth of an hour, so the sum stays the sheet's.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cohesion_desktop.dates import parse_sheet_date
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.importing.columns import Layout, RowCells, RowProblem, Vocabulary, data_rows, layout_of
from cohesion_desktop.importing.spreadsheet import Sheet
from cohesion_desktop.text import fold

HOURS_FIELDS: tuple[tuple[str, str], ...] = (  # labels translated where shown
    ("volunteer", N_("Volunteer's name")),
    ("first_name", N_("First name")),
    ("last_name", N_("Last name")),
    ("email", N_("Volunteer's e-mail")),
    ("on_date", N_("Date")),
    ("hours", N_("Hours")),
    ("opportunity", N_("Opportunity")),
    ("activity", N_("Activity")),
)

HOURS_VOCABULARY = Vocabulary(
    fields=HOURS_FIELDS,
    synonyms={
        "volunteer": ("Volunteer", "Volunteer name", "Name of volunteer", "Full name"),
        "first_name": ("Forename", "Given name"),
        "last_name": ("Surname", "Family name"),
        "email": ("Email", "E-mail", "Email address", "E-mail address"),
        "on_date": ("Day", "Date volunteered", "Session date", "Week", "Week beginning", "Week commencing", "Month"),
        "hours": ("Hours", "Hrs", "Hours given", "Hours volunteered", "Time", "Time given", "Number of hours"),
        "opportunity": ("Role", "Project", "Activity type", "Opportunity", "Placement", "Volunteering role"),
        "activity": ("What they did", "Task", "Tasks", "Description", "Notes", "Comments"),
    },
    weak={"volunteer": ("Name", "Who"), "activity": ("Activity",)},
    required="hours",
    no_header=N_(
        "No column of hours was found in sheet '{sheet}'; the first rows were: {rows}. Give that column a header "
        "such as 'Hours', or choose the header row and columns yourself."
    ),
    none_chosen=N_("No column is chosen for the hours, so no hours can be imported."),
    what="hours",
)

# Names in a total row (folded): the row is the sheet's own sum, not hours given.
_TOTAL_WORDS = frozenset({"total", "totals", "grand total", "sum", "total hours", "subtotal", "sub total"})
_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?|[.,]\d+)\s*(?:h|hr|hrs|hour|hours)?\.?$", re.IGNORECASE)
_DURATION = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
# Excel writes a duration cell as "1 day, 2:30:00" once it passes 24 hours.
_DAYS_DURATION = re.compile(r"^(\d+) days?, (\d{1,2}):([0-5]\d):([0-5]\d)$")


class Spread(StrEnum):
    """What one row's date stands for."""

    DAY = "day"  # the hours were given on that day
    WEEK = "week"  # in the seven days from that date, spread evenly over them
    MONTH = "month"  # in that date's month, spread evenly over its days

    @property
    def label(self) -> str:
        return {
            Spread.DAY: _("is one day"),
            Spread.WEEK: _("is a week (spread over 7 days)"),
            Spread.MONTH: _("is a month (spread over its days)"),
        }[self]


@dataclass(frozen=True)
class HoursRecord:
    """One row's hours, not yet matched; ``volunteer`` and ``opportunity`` are as written ("" when blank)."""

    row: int
    volunteer: str
    email: str
    on_date: date
    hours: float
    opportunity: str
    activity: str


@dataclass(frozen=True)
class ParsedHours:
    """An hours sheet read: records, problems by row, and the sheet's own sum.

    Attributes:
        sheet_total: every number in the hours column except total rows' (what SUM would give).
        refused_hours: the part of ``sheet_total`` in rows skipped for a problem (no name, no date …).
        total_rows: the rows skipped as the sheet's own totals, with the figure each gave.
    """

    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[int, str | None]
    records: list[HoursRecord]
    problems: list[RowProblem]
    blank_rows: int
    sheet_total: float
    refused_hours: float
    total_rows: tuple[tuple[int, float], ...]


def hours_from_text(text: str) -> float | None:
    """'2.5', '2,5', '3 hrs', '2:30' or '2:30:00' → hours; None when it is none of those."""
    typed = text.strip()
    if (number := _NUMBER.match(typed)) is not None:
        return float(number.group(1).replace(",", "."))
    if (duration := _DURATION.match(typed)) is not None:
        hours, minutes, seconds = duration.groups()
        return int(hours) + int(minutes) / 60 + int(seconds or 0) / 3600
    if (days := _DAYS_DURATION.match(typed)) is not None:
        day_count, hours, minutes, seconds = (int(part) for part in days.groups())
        return day_count * 24 + hours + minutes / 60 + seconds / 3600
    return None


def spread(on_date: date, hours: float, how: Spread, *, today: date) -> list[tuple[date, float]]:
    """A row's hours over the days it stands for, to the hundredth, adding up to ``hours`` exactly (in cents).

    Days after ``today`` are left out (a week not over yet); the first day always counts.
    """
    if how == Spread.DAY:
        return [(on_date, round(hours, 2))]
    if how == Spread.WEEK:
        days = [on_date + timedelta(days=offset) for offset in range(7)]
    else:
        first = on_date.replace(day=1)
        days = [first + timedelta(days=offset) for offset in range(calendar.monthrange(first.year, first.month)[1])]
    days = [day for day in days if day <= today] or [on_date]
    cents = round(hours * 100)
    share, left = divmod(cents, len(days))
    # The first ``left`` days take one cent more, so the parts add up to the row's hours.
    return [
        (day, (share + (1 if index < left else 0)) / 100) for index, day in enumerate(days) if share or index < left
    ]


def parse_hours(
    sheet: Sheet,
    *,
    header_row: int | None = None,
    mapping: dict[int, str | None] | None = None,
    today: date | None = None,
) -> ParsedHours:
    """Check every row below the header and turn the good ones into hours records.

    Raises:
        ImportFileError: no header row with an hours column was found, or the mapping is not usable.
        ValueError: ``header_row`` outside the sheet, or ``mapping`` names an unknown field or column.
    """
    today = today or date.today()
    layout = layout_of(sheet, HOURS_VOCABULARY, header_row=header_row, mapping=mapping)
    records: list[HoursRecord] = []
    problems: list[RowProblem] = []
    sheet_total = refused = 0.0
    total_rows: list[tuple[int, float]] = []
    rows, blank_rows = data_rows(sheet, layout)
    for number, cells in rows:
        read = RowCells(cells, row=number, layout=layout, vocabulary=HOURS_VOCABULARY)
        record, amount, is_total = _read_row(read, layout, today)
        if is_total:
            total_rows.append((read.row, amount or 0.0))
        else:
            sheet_total += amount or 0.0
            if record is None:
                refused += amount or 0.0
        problems.extend(read.problems)
        if record is not None:
            records.append(record)
    return ParsedHours(
        sheet=sheet.name,
        header_row=layout.header_index + 1,
        headers=layout.headers,
        mapping=layout.mapping,
        records=records,
        problems=problems,
        blank_rows=blank_rows,
        sheet_total=round(sheet_total, 2),
        refused_hours=round(refused, 2),
        total_rows=tuple(total_rows),
    )


def _read_row(read: RowCells, layout: Layout, today: date) -> tuple[HoursRecord | None, float | None, bool]:
    """(the record or None, the row's number of hours as SUM would count it, whether it is a total row)."""
    raw_hours = read.text("hours")
    amount = hours_from_text(raw_hours) if raw_hours else None
    counted = amount if amount is not None and amount > 0 else None

    def skip(key: str, message: str) -> tuple[None, float | None, bool]:
        read.problems[:] = read.refused(key, message)
        return None, counted, False

    if read.cells == layout.headers:
        return skip("", _("This row repeats the header row; it is not hours"))
    name = read.line("volunteer") or " ".join(p for p in (read.line("first_name"), read.line("last_name")) if p)
    if fold(name) in _TOTAL_WORDS or (not name and fold(read.line("on_date")) in _TOTAL_WORDS):
        read.problems[:] = read.refused("volunteer", _("A total row, not hours given: skipped (not counted twice)"))
        return None, counted, True
    if amount is None:
        if raw_hours:
            return skip("hours", _("“{text}” is not a number of hours (such as 2.5 or 2:30)").format(text=raw_hours))
        return skip("hours", _("No hours"))
    if amount <= 0:
        return skip("hours", _("No hours (0)"))
    if not name:
        return skip("volunteer", _("No volunteer's name"))
    date_text = read.text("on_date")
    if not date_text:
        return skip("on_date", _("No date"))
    try:
        on_date = parse_sheet_date(date_text, today=today)
    except ValueError as exc:
        return skip("on_date", str(exc))
    if on_date is None:
        return skip("on_date", _("No date"))
    if on_date > today:
        return skip("on_date", _("{day} is in the future").format(day=format_date(on_date)))
    record = HoursRecord(
        row=read.row,
        volunteer=name,
        email=read.email("email"),
        on_date=on_date,
        hours=round(amount, 2),
        opportunity=read.line("opportunity"),
        activity=read.line("activity"),
    )
    return record, counted, False
