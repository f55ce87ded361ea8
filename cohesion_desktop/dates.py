"""Dates as UK users write and read them, and the periods that figures are counted over.

One place for both, used by the window, the exports and the command line, so that a date typed anywhere means
the same day and "last 12 months" is the same twelve months on every screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from cohesion_desktop.errors import ValidationError
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import _

# Excel shows no date before 1900, and nothing this app records is older.
EARLIEST_DATE = date(1900, 1, 1)
DATE_HINT = "dd/mm/yyyy"  # the shape of a date, the same in English and Welsh

_SEPARATED = re.compile(r"^(\d{1,4})\s*[/.\-\s]\s*(\d{1,2})(?:\s*[/.\-\s]\s*(\d{1,4}))?$")
_RUN_TOGETHER = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # 15012024


def _full_year(year: int, today: date) -> int:
    """A two-digit year is the nearest such year that is not more than 20 years ahead ("24" → 2024, "85" → 1985)."""
    if year >= 100:
        return year
    candidate = today.year // 100 * 100 + year
    return candidate - 100 if candidate > today.year + 20 else candidate


def parse_date(text: str, *, today: date) -> date | None:
    """The day meant by ``text``, day first as in the UK: "15/01/2024", "15.1.24", "15-01-2024", "15012024",
    ISO "2024-01-15", or "15/1" (this year). Blank text gives None.

    Raises:
        ValueError: with a message for the user, when ``text`` is not a date or not a real day ("31/02/2024").
    """
    typed = " ".join(text.split())
    if not typed:
        return None
    if typed.casefold() == "today":
        return today
    match = _SEPARATED.match(typed) or _RUN_TOGETHER.match(typed)
    if match is None:
        raise ValueError(_not_a_date(typed))
    first, second, third = match.groups()
    if len(first) == 4:  # ISO order: year first
        if third is None:
            raise ValueError(_not_a_date(typed))
        year, month, day = int(first), int(second), int(third)
    else:
        day, month = int(first), int(second)
        year = today.year if third is None else _full_year(int(third), today)
        if third is not None and len(third) == 3:
            raise ValueError(_("“{text}” has a three-digit year: type the year in full, e.g. 2024.").format(text=typed))
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            _("“{text}” is not a real date (day {day}, month {month}, year {year}).").format(
                text=typed, day=day, month=month, year=year
            )
        ) from None


def _not_a_date(typed: str) -> str:
    return _("“{text}” is not a date: type it as {hint}, e.g. 15/01/2024.").format(text=typed, hint=DATE_HINT)


# Excel counts days from 30/12/1899 (its 1900 leap-year bug included); serials in this range are 1954–2064.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(20_000, 60_000)
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2})?$")


def parse_sheet_date(text: str, *, today: date) -> date | None:
    """A date as a spreadsheet cell holds it: what :func:`parse_date` reads, a date and time ("2024-01-15
    10:30:00", the date is kept), or an Excel serial number ("45306", a date cell formatted as a number).

    Raises:
        ValueError: as :func:`parse_date`.
    """
    typed = text.strip()
    if typed.isdigit() and len(typed) == 5 and int(typed) in _SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(typed))
    if (match := _ISO_DATETIME.match(typed)) is not None:
        typed = match.group(1)
    return parse_date(typed, today=today)


# ============================================================================ periods


@dataclass(frozen=True)
class Period:
    """The dates a summary covers, both included.

    Raises:
        ValidationError: ``start`` after ``end`` (field "start"), or a date before 1900 (its field).
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        for field, day in (("start", self.start), ("end", self.end)):
            if day < EARLIEST_DATE:
                raise ValidationError.single(field, f"{format_date(day)} is too early: choose a date from 1900 on.")
        if self.start > self.end:
            raise ValidationError.single(
                "start", f"The period starts ({format_date(self.start)}) after it ends ({format_date(self.end)})."
            )

    @classmethod
    def last_12_months(cls, today: date) -> Period:
        """This month so far and the eleven whole months before it: twelve bars on a chart of hours by month."""
        month_index = today.year * 12 + today.month - 1 - 11
        return cls(date(month_index // 12, month_index % 12 + 1, 1), today)

    @property
    def label(self) -> str:
        """ "01/12/2025 – 30/11/2026"."""
        return f"{format_date(self.start)} – {format_date(self.end)}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def months(self) -> Iterator[date]:
        """The first day of every calendar month the period touches, in order."""
        month = self.start.replace(day=1)
        while month <= self.end:
            yield month
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


# The periods people choose from, in the order offered; the last lets them type their own dates.
PERIOD_PRESETS = ("Last 12 months", "This year so far", "Last year", "Choose dates")
CUSTOM_PERIOD = len(PERIOD_PRESETS) - 1


def preset_period(choice: int, today: date) -> Period | None:
    """The period of preset number ``choice`` (see PERIOD_PRESETS); None for "Choose dates"."""
    if choice == 0:
        return Period.last_12_months(today)
    if choice == 1:
        return Period(date(today.year, 1, 1), today)
    if choice == 2:
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    return None
