"""The core's one formatter (cohesion_desktop.formatting) for table cells, where a value may be missing."""

from __future__ import annotations

from datetime import date, datetime

from cohesion_desktop import formatting
from cohesion_desktop.formatting import format_hours as format_hours


def format_date(value: date | None) -> str:
    return "" if value is None else formatting.format_date(value)


def format_datetime(value: datetime | None) -> str:
    """A stored (UTC) moment in the laptop's own time zone: "01/12/2026 14:02"."""
    return "" if value is None else formatting.format_datetime(value)
