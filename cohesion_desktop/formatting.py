"""Dates, times, numbers and money as the chosen language writes them, whatever the system locale says.

English and Welsh in the UK share their conventions (01/12/2026, 14:02, 1,234.5, £12.21); they differ only where
a date uses words ("Dec 2026", "Rhag 2026"). Those words are CLDR's (tests/test_i18n.py checks the catalogue against
Babel's copy of it) and are read from the message catalogue, not from Babel at run time: importing Babel's dates
module and loading its locale data cost the first page a few hundred milliseconds. Nothing here reads the
system locale: a laptop in a C or POSIX locale showed lists with "1 12 2026", and Qt sets the C library's locale
to the system's as soon as the window starts, which would change strftime's "%b" under the app's feet.
Numbers use Python's own format mini-language, which ignores the locale and is fast enough for a table of
100,000 rows.
"""

from __future__ import annotations

from datetime import date, datetime

from cohesion_desktop.i18n import NP_, pgettext


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


# CLDR's English month and weekday names; the catalogue holds each language's own (contexts keep "May" and "May").
MONTHS = (
    NP_("month", "January"), NP_("month", "February"), NP_("month", "March"), NP_("month", "April"),
    NP_("month", "May"), NP_("month", "June"), NP_("month", "July"), NP_("month", "August"),
    NP_("month", "September"), NP_("month", "October"), NP_("month", "November"), NP_("month", "December"),
)  # fmt: skip
SHORT_MONTHS = (
    NP_("month, short", "Jan"), NP_("month, short", "Feb"), NP_("month, short", "Mar"), NP_("month, short", "Apr"),
    NP_("month, short", "May"), NP_("month, short", "Jun"), NP_("month, short", "Jul"), NP_("month, short", "Aug"),
    NP_("month, short", "Sep"), NP_("month, short", "Oct"), NP_("month, short", "Nov"), NP_("month, short", "Dec"),
)  # fmt: skip
WEEKDAYS = (
    NP_("weekday", "Monday"), NP_("weekday", "Tuesday"), NP_("weekday", "Wednesday"), NP_("weekday", "Thursday"),
    NP_("weekday", "Friday"), NP_("weekday", "Saturday"), NP_("weekday", "Sunday"),
)  # fmt: skip
SHORT_WEEKDAYS = (
    NP_("weekday, short", "Mon"), NP_("weekday, short", "Tue"), NP_("weekday, short", "Wed"),
    NP_("weekday, short", "Thu"), NP_("weekday, short", "Fri"), NP_("weekday, short", "Sat"),
    NP_("weekday, short", "Sun"),
)  # fmt: skip


def month_name(month: int, *, short: bool = False) -> str:
    """The name of month 1–12 in the current language: "December"/"Rhagfyr" ("Dec"/"Rhag" when ``short``)."""
    if short:
        return pgettext("month, short", SHORT_MONTHS[month - 1])
    return pgettext("month", MONTHS[month - 1])


def weekday_name(day: date, *, short: bool = False) -> str:
    """The name of ``day``'s weekday in the current language: "Monday"/"Dydd Llun" ("Mon"/"Llun" when short)."""
    if short:
        return pgettext("weekday, short", SHORT_WEEKDAYS[day.weekday()])
    return pgettext("weekday", WEEKDAYS[day.weekday()])


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


def plural_count(quantity: float) -> int:
    """The count that chooses a text's plural form for ``quantity`` hours: itself when whole (at two decimals, as
    hours are stored), else 100. A fraction takes the form 100 takes: English's plural ("1.5 hours"), Welsh's
    "other"."""
    rounded = round(quantity, 2)
    return int(rounded) if rounded == int(rounded) else 100


def format_money(pounds: float) -> str:
    """£12.21, £1,234.50; a negative sum as -£5.00."""
    sign = "-" if pounds < 0 else ""
    return f"{sign}£{abs(pounds):,.2f}"
