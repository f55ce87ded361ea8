"""Volunteers: the list (searched in memory over a lazy index), adding and changing a volunteer, and one
volunteer's whole record."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from cohesion_desktop.db import models, versions
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.sql import raw_id, without_index
from cohesion_desktop.db.store import undelete, writing
from cohesion_desktop.domain import (
    HOUR_MILESTONES,
    MILESTONE_SLACK,
    Availability,
    RecognitionKind,
)
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.services.partners import EMAIL_PATTERN, normalise_name
from cohesion_desktop.services.search_text import volunteer_search_text
from cohesion_desktop.services.volunteering.checks import CheckRow, check_rows
from cohesion_desktop.services.volunteering.common import join_times, live_volunteer, parse_times
from cohesion_desktop.services.volunteering.erasure import ERASED_NAME
from cohesion_desktop.services.volunteering.placements import PlacementRow, list_placements
from cohesion_desktop.services.volunteering.recognition import RecognitionRow, recognition_rows
from cohesion_desktop.services.volunteering.totals import counted_hours, hours_of
from cohesion_desktop.text import like_pattern, search_terms, split_list

PHONE_PATTERN = re.compile(r"^[0-9+()\-\s]{6,20}$")
# The words of a volunteer's consent: kept in English here, translated where the window shows them.
CONSENT_NOT_KNOWN = N_("Not known")


def consent_label(*, agreed: bool, unknown: bool) -> str:
    """What a list shows for a volunteer's consent: "Yes", "No", or "Not known" when nobody has asked them
    (an imported sheet did not say). ``agreed`` is an agreement still in force (not withdrawn)."""
    if agreed:
        return N_("Yes")
    return CONSENT_NOT_KNOWN if unknown else N_("No")


@dataclass(frozen=True)
class VolunteerRow:
    id: uuid.UUID
    name: str
    email: str
    phone: str
    skills: str
    availability: tuple[Availability, ...]
    consent_to_contact: bool  # agreed, and not withdrawn
    total_hours: float
    last_activity: date | None
    consent_unknown: bool = False  # nobody has asked them yet

    @property
    def consent(self) -> str:
        """ "Yes", "No" or "Not known", as the Volunteers table and the volunteer list show it."""
        return consent_label(agreed=self.consent_to_contact, unknown=self.consent_unknown)


@dataclass(frozen=True)
class VolunteerInput:
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    skills: str = ""
    availability: Sequence[Availability] = ()
    how_heard: str = ""
    consent_to_contact: bool = False
    consent_details: str = ""
    consent_given_on: date | None = None
    consent_withdrawn_on: date | None = None
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    notes: str = ""
    # Nobody has asked them yet (never stored with an agreement: agreeing is an answer).
    consent_unknown: bool = False


@dataclass(frozen=True)
class VolunteerDetail:
    id: uuid.UUID
    data: VolunteerInput
    total_hours: float
    last_activity: date | None
    checks: tuple[CheckRow, ...]
    placements: tuple[PlacementRow, ...]
    recognitions: tuple[RecognitionRow, ...]
    created_at: datetime
    erased: bool
    version: int  # as read: the editor hands it back with a save (update_volunteer), so a stale one is refused

    @property
    def milestones_reached(self) -> tuple[int, ...]:
        return tuple(m for m in HOUR_MILESTONES if self.total_hours + MILESTONE_SLACK >= m)

    @property
    def milestones_recognised(self) -> tuple[int, ...]:
        return tuple(
            sorted(
                {
                    int(r.hours_at_time)
                    for r in self.recognitions
                    if r.kind == RecognitionKind.MILESTONE and r.hours_at_time
                }
            )
        )


def volunteer_filter(query: str, *, hidden_too: bool = False) -> list[Any]:
    conditions: list[Any] = [col(models.Volunteer.erased_at).is_(None)]
    if not hidden_too:
        conditions.append(col(models.Volunteer.deleted_at).is_(None))
    conditions += [
        col(models.Volunteer.search_text).like(like_pattern(term), escape="\\") for term in search_terms(query)
    ]
    return conditions


def volunteer_index(session: Session, *, order: str = "name", descending: bool = False) -> list[tuple[str, str]]:
    """(stored hex id, folded search text) of every live volunteer, in order: what a lazy table holds.

    Searching then filters this list in memory: at 100,000 volunteers a word is found in about 10 ms,
    where a LIKE over the table takes 140 ms. ``order`` is "name", "email", "created", "hours" or
    "last_activity"; the last two add up every hours entry and take longer on a large file.
    """
    query = _index_query(order, descending, first_only=False)
    # Fetched at once: a row at a time through the cursor took twice as long (0.9 s of 1.5 s on a busy laptop).
    return [(hex_id, text) for hex_id, text in session.connection().execute(query).all()]


def volunteer_index_start(
    session: Session, *, order: str = "name", descending: bool = False, limit: int
) -> tuple[list[tuple[str, str]], int]:
    """The first ``limit`` entries of :func:`volunteer_index` (the same order), and how many entries it has.

    What a page shows at once while the whole index is read in the background: sorted by name at 100,000
    volunteers, a millisecond through the name index, where the whole index takes a third of a second or more.
    """
    query = _index_query(order, descending, first_only=True).limit(limit)
    entries = [(hex_id, text) for hex_id, text in session.connection().execute(query)]
    return entries, count_live_volunteers(session)


def count_live_volunteers(session: Session) -> int:
    """How many volunteers :func:`volunteer_index` lists (neither removed nor erased).

    Counted as all of them less the others, each through an index: counting the live ones directly reads the
    whole table (60 ms at 100,000, more on a busy laptop). The erased are found by the name erasure gives them
    (the name index), then checked: one erased under another name would make this count too high, never too low.
    """
    volunteer = models.Volunteer
    every = select(func.count()).select_from(volunteer).scalar_subquery()
    removed = (
        select(func.count()).select_from(volunteer).where(col(volunteer.deleted_at).is_not(None)).scalar_subquery()
    )
    erased = (
        select(func.count())
        .select_from(volunteer)
        .where(
            col(volunteer.name) == ERASED_NAME,
            col(volunteer.erased_at).is_not(None),
            col(volunteer.deleted_at).is_(None),
        )
        .scalar_subquery()
    )
    return int(session.execute(select(every - removed - erased)).scalar_one())


def _index_query(order: str, descending: bool, *, first_only: bool) -> Any:
    """The query of :func:`volunteer_index`; ``first_only`` when only its first few entries will be read."""
    volunteer = models.Volunteer
    query = select(raw_id(col(volunteer.id)), col(volunteer.search_text)).where(*volunteer_filter(""))
    if order in ("hours", "last_activity"):
        totals = (
            select(
                col(models.Placement.volunteer_id).label("volunteer_id"),
                func.sum(col(models.HoursEntry.hours)).label("hours"),
                func.max(col(models.HoursEntry.on_date)).label("last"),
            )
            .join(models.HoursEntry, col(models.HoursEntry.placement_id) == col(models.Placement.id))
            .where(*counted_hours())
            .group_by(col(models.Placement.volunteer_id))
            .subquery()
        )
        query = query.outerjoin(totals, totals.c.volunteer_id == col(volunteer.id))
        key: Any = func.coalesce(totals.c.hours, 0) if order == "hours" else totals.c.last
    elif order == "name":
        # Walking 100,000 rows through the name index costs twice a scan and sort; the first few, next to nothing.
        key = col(volunteer.name) if first_only else without_index(col(volunteer.name))
    else:
        key = {"email": col(volunteer.email), "created": col(volunteer.created_at)}[order]
    return query.order_by(key.desc() if descending else key, col(volunteer.name), col(volunteer.id))


def matching_entries(index: Sequence[tuple[str, str]], query: str) -> list[tuple[str, str]]:
    """The entries of ``index`` whose search text holds every word of ``query`` (folded alike), in order."""
    matched = list(index)
    for term in search_terms(query):  # one plain comprehension per word: a third of the time of all(...)
        matched = [entry for entry in matched if term in entry[1]]
    return matched


def volunteer_ids(session: Session, *, query: str = "", order: str = "name", descending: bool = False) -> list[str]:
    """Ids (stored hex) of the live volunteers matching ``query``, in order."""
    index = volunteer_index(session, order=order, descending=descending)
    return [hex_id for hex_id, _text in matching_entries(index, query)]


def count_volunteers(session: Session, *, query: str = "") -> int:
    return int(
        session.execute(select(func.count()).select_from(models.Volunteer).where(*volunteer_filter(query))).scalar_one()
    )


def volunteer_rows(session: Session, hex_ids: Sequence[str]) -> list[VolunteerRow]:
    """Rows for a window of a lazy table (a few hundred ids), with total hours and last activity."""
    ids = [uuid.UUID(h) for h in hex_ids]
    hours = hours_of(session, ids)
    volunteer = models.Volunteer
    # The columns shown, not whole records: loading each volunteer into the session (every column, and the
    # identity map) took a third of a search keystroke on the large file.
    found = {
        row.id: row
        for row in session.execute(
            select(
                col(volunteer.id),
                col(volunteer.name),
                col(volunteer.email),
                col(volunteer.phone),
                col(volunteer.skills),
                col(volunteer.availability),
                col(volunteer.consent_to_contact),
                col(volunteer.consent_withdrawn_on),
                col(volunteer.consent_unknown),
            ).where(col(volunteer.id).in_(ids))
        )
    }
    rows = []
    for volunteer_id in ids:
        found_row = found.get(volunteer_id)
        if found_row is None:
            continue
        total, last = hours.get(volunteer_id, (0.0, None))
        rows.append(
            VolunteerRow(
                id=found_row.id,
                name=found_row.name,
                email=found_row.email,
                phone=found_row.phone,
                skills=found_row.skills,
                availability=parse_times(found_row.availability),
                consent_to_contact=found_row.consent_to_contact and not found_row.consent_withdrawn_on,
                total_hours=total,
                last_activity=last,
                consent_unknown=found_row.consent_unknown and not found_row.consent_to_contact,
            )
        )
    return rows


def _validate_volunteer(data: VolunteerInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    cleaned = {
        "name": normalise_name(data.name),
        "email": data.email.strip(),
        "phone": " ".join(data.phone.split()),
        "emergency_contact_phone": " ".join(data.emergency_contact_phone.split()),
    }
    if not cleaned["name"]:
        problems["name"] = _("Enter the volunteer's name.")
    if cleaned["email"] and not EMAIL_PATTERN.match(cleaned["email"]):
        problems["email"] = _("'{email}' is not an e-mail address (it should look like name@example.org).").format(
            email=cleaned["email"]
        )
    for key in ("phone", "emergency_contact_phone"):
        if cleaned[key] and not PHONE_PATTERN.match(cleaned[key]):
            problems[key] = _("'{phone}' is not a phone number (digits, spaces, + and brackets only).").format(
                phone=cleaned[key]
            )
    if data.consent_to_contact and data.consent_given_on is None:
        problems["consent_given_on"] = _("Say when the volunteer agreed to be contacted.")
    if data.consent_given_on and data.consent_given_on > date.today():
        problems["consent_given_on"] = _("Consent cannot be given in the future.")
    if data.consent_withdrawn_on and data.consent_given_on and data.consent_withdrawn_on < data.consent_given_on:
        problems["consent_withdrawn_on"] = _("Consent cannot be withdrawn before it was given.")
    if problems:
        raise ValidationError(problems)
    return cleaned


def check_volunteer(data: VolunteerInput) -> None:
    """Raise the ValidationError that saving ``data`` would raise, without saving anything."""
    _validate_volunteer(data)


# A volunteer's own fields, which a person edits and an import writes (volunteer_values gives them and the
# search text): history restores them, merge takes them together from an erased record, import undo puts them back.
EDITABLE_FIELDS = (
    "name",
    "email",
    "phone",
    "address",
    "skills",
    "availability",
    "how_heard",
    "consent_to_contact",
    "consent_details",
    "consent_given_on",
    "consent_withdrawn_on",
    "emergency_contact_name",
    "emergency_contact_phone",
    "notes",
    "consent_unknown",
)


def volunteer_values(data: VolunteerInput) -> dict[str, Any]:
    """The stored columns of a volunteer saved from ``data``, checked (ValidationError names each field at fault).

    One definition for a form's save and an import's many-row INSERT."""
    cleaned = _validate_volunteer(data)
    values: dict[str, Any] = {
        "name": cleaned["name"],
        "email": cleaned["email"],
        "phone": cleaned["phone"],
        "address": data.address.strip(),
        "skills": ", ".join(split_list(data.skills)),
        "availability": join_times(data.availability),
        "how_heard": data.how_heard.strip(),
        "consent_to_contact": data.consent_to_contact,
        "consent_details": data.consent_details.strip(),
        "consent_given_on": data.consent_given_on,
        "consent_withdrawn_on": data.consent_withdrawn_on,
        "emergency_contact_name": normalise_name(data.emergency_contact_name),
        "emergency_contact_phone": cleaned["emergency_contact_phone"],
        "notes": data.notes.strip(),
        "consent_unknown": data.consent_unknown and not data.consent_to_contact,
    }
    values["search_text"] = volunteer_search_text(
        name=values["name"], email=values["email"], phone=values["phone"], skills=values["skills"]
    )
    return values


def _write_volunteer(volunteer: models.Volunteer, data: VolunteerInput) -> None:
    for key, value in volunteer_values(data).items():
        setattr(volunteer, key, value)


def create_volunteer(
    session: Session, *, data: VolunteerInput, volunteer_id: uuid.UUID | None = None
) -> VolunteerDetail:
    values = volunteer_values(data)
    with writing(session):
        volunteer = models.Volunteer(**values)
        if volunteer_id is not None:
            volunteer.id = volunteer_id
        session.add(volunteer)
    return get_volunteer(session, volunteer.id)


def update_volunteer(
    session: Session, *, volunteer_id: uuid.UUID, data: VolunteerInput, version: int | None = None
) -> VolunteerDetail:
    """Store the volunteer's details as ``data``. ``version``: the :attr:`VolunteerDetail.version` the editor
    showed; a volunteer somebody saved since is refused (ConflictError)."""
    volunteer = live_volunteer(session, volunteer_id)
    versions.expect(session, volunteer, version)
    if volunteer.erased_at is not None:
        raise ValidationError.single("name", _("This volunteer's details were erased; they cannot be edited."))
    _validate_volunteer(data)  # before anything changes: a refused edit leaves the volunteer as they were
    with writing(session):
        _write_volunteer(volunteer, data)
        volunteer.updated_at = utcnow()
    return get_volunteer(session, volunteer_id)


def delete_volunteer(session: Session, *, volunteer_id: uuid.UUID) -> None:
    """Hide a volunteer (undoable). To remove their personal data for good, use :func:`erase_volunteer`."""
    volunteer = live_volunteer(session, volunteer_id)
    with writing(session):
        volunteer.deleted_at = utcnow()


def restore_volunteer(session: Session, *, volunteer_id: uuid.UUID) -> None:
    undelete(session, models.Volunteer, volunteer_id, what="volunteer")


def get_volunteer(session: Session, volunteer_id: uuid.UUID) -> VolunteerDetail:
    volunteer = live_volunteer(session, volunteer_id)
    total, last = hours_of(session, [volunteer_id]).get(volunteer_id, (0.0, None))
    data = VolunteerInput(
        name=volunteer.name,
        email=volunteer.email,
        phone=volunteer.phone,
        address=volunteer.address,
        skills=volunteer.skills,
        availability=parse_times(volunteer.availability),
        how_heard=volunteer.how_heard,
        consent_to_contact=volunteer.consent_to_contact,
        consent_details=volunteer.consent_details,
        consent_given_on=volunteer.consent_given_on,
        consent_withdrawn_on=volunteer.consent_withdrawn_on,
        emergency_contact_name=volunteer.emergency_contact_name,
        emergency_contact_phone=volunteer.emergency_contact_phone,
        notes=volunteer.notes,
        consent_unknown=volunteer.consent_unknown and not volunteer.consent_to_contact,
    )
    return VolunteerDetail(
        id=volunteer.id,
        data=data,
        total_hours=total,
        last_activity=last,
        checks=tuple(check_rows(session, col(models.VolunteerCheck.volunteer_id) == volunteer_id)),
        placements=tuple(list_placements(session, volunteer_id=volunteer_id)),
        recognitions=tuple(recognition_rows(session, col(models.Recognition.volunteer_id) == volunteer_id)),
        created_at=volunteer.created_at,
        erased=volunteer.erased_at is not None,
        version=volunteer.version,
    )


def volunteer_choices(session: Session, *, query: str = "", limit: int = 50) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of volunteers whose name, e-mail or phone matches, for completers in forms."""
    rows = session.execute(
        select(col(models.Volunteer.id), col(models.Volunteer.name), col(models.Volunteer.email))
        .where(*volunteer_filter(query))
        .order_by(col(models.Volunteer.name))
        .limit(limit)
    )
    return [(row.id, f"{row.name} <{row.email}>" if row.email else row.name) for row in rows]
