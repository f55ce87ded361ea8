"""Dates and numbers as the system locale shows them (dd/mm/yyyy in the UK)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTimeZone


def format_date(value: date | None) -> str:
    if value is None:
        return ""
    return QLocale().toString(QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat)


def format_datetime(value: datetime | None) -> str:
    """A stored (UTC) moment in the laptop's own time zone."""
    if value is None:
        return ""
    moment = QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.systemTimeZone())
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


def format_hours(hours: float) -> str:
    """42.5 → '42.5', 40.0 → '40'."""
    return f"{hours:,.1f}".removesuffix(".0")
