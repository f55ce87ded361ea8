"""Dates and numbers as UK users read them (dd/mm/yyyy, 1,234.5), whatever the system locale says.

A laptop in a C or POSIX locale would otherwise show "1 12 2026"; the core's one formatter is used instead.
"""

from __future__ import annotations

from datetime import date, datetime

from cohesion_desktop.dates import format_date as _format_day


def format_date(value: date | None) -> str:
    return "" if value is None else _format_day(value)


def format_datetime(value: datetime | None) -> str:
    """A stored (UTC) moment in the laptop's own time zone: "01/12/2026 14:02"."""
    if value is None:
        return ""
    local = value.astimezone()
    return f"{_format_day(local.date())} {local:%H:%M}"


def format_hours(hours: float) -> str:
    """42.5 → '42.5', 40.0 → '40'."""
    return f"{hours:,.1f}".removesuffix(".0")
