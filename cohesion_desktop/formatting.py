"""Dates, times, numbers and money as the chosen language writes them, whatever the system locale says.

English and Welsh in the UK share their conventions (01/12/2026, 14:02, 1,234.5, £12.21); they differ only where
a date uses words ("Dec 2026", "Rhag 2026"), and those words come from CLDR through Babel. Nothing here reads the
system locale: a laptop in a C or POSIX locale showed lists with "1 12 2026", and Qt sets the C library's locale
to the system's as soon as the window starts, which would change strftime's "%b" under the app's feet.
Numbers use Python's own format mini-language, which ignores the locale and is fast enough for a table of
100,000 rows.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Literal

from cohesion_desktop import i18n


def format_date(day: date) -> str:
    """dd/mm/yyyy: "01/12/2026"."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_short_date(day: date) -> str:
    """dd/mm, for a day of a week already named: "01/12"."""
    return f"{day.day:02d}/{day.month:02d}"


def format_time(moment: datetime) -> str:
    """24-hour hh:mm: "14:02"."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_datetime(moment: datetime, *, seconds: bool = False) -> str:
    """ "01/12/2026 14:02" (with ``seconds``, "01/12/2026 14:02:09"); an aware moment is shown in the laptop's
    own time zone."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    text = f"{format_date(local.date())} {format_time(local)}"
    return f"{text}:{local.second:02d}" if seconds else text


def format_iso_date(day: date) -> str:
    """yyyy-mm-dd, for file names (sorts by date, and is the same in every language)."""
    return day.isoformat()


@cache
def _month_names(language: str, width: Literal["abbreviated", "wide"]) -> dict[int, str]:
    from babel.dates import get_month_names

    return dict(get_month_names(width, locale=language))


@cache
def _day_names(language: str, width: Literal["abbreviated", "wide"]) -> dict[int, str]:
    from babel.dates import get_day_names

    return dict(get_day_names(width, locale=language))


def month_name(month: int, *, short: bool = False) -> str:
    """The name of month 1–12 in the current language: "December"/"Rhagfyr" ("Dec"/"Rhag" when ``short``)."""
    return _month_names(i18n.language(), "abbreviated" if short else "wide")[month]


def weekday_name(day: date, *, short: bool = False) -> str:
    """The name of ``day``'s weekday in the current language: "Monday"/"Dydd Llun" ("Mon"/"Llun" when short)."""
    return _day_names(i18n.language(), "abbreviated" if short else "wide")[day.weekday()]


def format_month(day: date, *, short: bool = True, year: str = "full") -> str:
    """The month of ``day``: "Dec 2026" (``year="two"``: "Dec 26"; ``year="none"``: "Dec")."""
    name = month_name(day.month, short=short)
    if year == "none":
        return name
    return f"{name} {day.year % 100:02d}" if year == "two" else f"{name} {day.year}"


def format_number(value: float, *, decimals: int = 0) -> str:
    """1234.5 → "1,235" (``decimals=1``: "1,234.5")."""
    return f"{value:,.{decimals}f}"


def format_hours(hours: float) -> str:
    """42.5 → "42.5", 40.0 → "40", 1234.0 → "1,234"."""
    return f"{hours:,.1f}".removesuffix(".0")


def format_money(pounds: float) -> str:
    """£12.21, £1,234.50; a negative sum as -£5.00."""
    sign = "-" if pounds < 0 else ""
    return f"{sign}£{abs(pounds):,.2f}"
