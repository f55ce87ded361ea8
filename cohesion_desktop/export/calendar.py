"""Dates to remember as an iCalendar file (RFC 5545) that Outlook, Google and Apple calendars import.

Each event is a whole day (``DTSTART;VALUE=DATE``). Its UID is made from the kind and id of the record behind
it, so importing a newer export updates the same events instead of adding copies; ``SEQUENCE`` and
``LAST-MODIFIED`` come from when the record last changed, which is how a calendar tells the newer version.
The icalendar library does the escaping and line folding that RFC 5545 asks for.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from cohesion_desktop import APP_NAME, __version__
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.files import reserve_beside, save_error
from cohesion_desktop.i18n import _

UID_DOMAIN = "cohesion-desktop.invalid"  # RFC 5545 suggests a domain; ".invalid" claims none that exists
# SEQUENCE counts minutes since this moment: it grows with every change of the record, as RFC 5545 asks.
_SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CalendarEvent:
    """One whole-day event.

    Attributes:
        key: What makes the event the same one next time: the kind and id of its record ("action-3f2a…").
        day: The day.
        summary: The event's title ("Renew DBS (enhanced): Asha Patel").
        description: More detail ("" for none).
        category: "Action", "Renewal" or "Workshop".
        changed_at: When the record behind it last changed (aware).
        location: Where ("" for nowhere in particular).
    """

    key: str
    day: date
    summary: str
    description: str
    category: str
    changed_at: datetime
    location: str = ""

    @property
    def uid(self) -> str:
        return f"{self.key}@{UID_DOMAIN}"


def calendar_bytes(events: Sequence[CalendarEvent], *, name: str, now: datetime | None = None) -> bytes:
    """The calendar as RFC 5545 text (CRLF line ends, folded lines)."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", f"-//{APP_NAME}//{__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in events:
        changed = item.changed_at.astimezone(UTC).replace(microsecond=0)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", now)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        event.add("categories", [item.category])
        event.add("last-modified", changed)
        event.add("sequence", max(0, int((changed - _SEQUENCE_EPOCH).total_seconds() // 60)))
        event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: it does not make anyone look busy
        calendar.add_component(event)
    return calendar.to_ical()


def write_calendar(path: Path, events: Sequence[CalendarEvent], *, name: str) -> Path:
    """Write the events as an .ics file; a failure leaves nothing at ``path`` and an older file there unchanged.

    Raises:
        CohesionError: A missing folder, or a file that cannot be written.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=path.parent))
    content = calendar_bytes(events, name=name)
    try:
        temporary = reserve_beside(path, ".ics.tmp")
    except OSError as exc:
        raise save_error(_("The calendar"), path, exc) from exc
    try:
        with temporary.open("wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise save_error(_("The calendar"), path, exc) from exc
        raise
    return path
