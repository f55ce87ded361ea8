"""Volunteering: opportunities, volunteers and their checks, matching, placements, hours, recognition,
and volunteers' rights under UK GDPR (subject access and retention here; erasure in ``services.erasure``)."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import String, and_, case, delete, func, literal_column, or_, select, type_coerce, update
from sqlmodel import Session

from cohesion_desktop.db import models
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.store import undelete, writing
from cohesion_desktop.domain import (
    DBS_LEVELS,
    HOUR_MILESTONES,
    Availability,
    CheckKind,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
    RecognitionKind,
)
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.services.partners import EMAIL_PATTERN, _vocabulary_ids, normalise_name
from cohesion_desktop.services.search_text import opportunity_search_text, volunteer_search_text
from cohesion_desktop.text import fold, like_pattern, search_terms, split_list

MAX_HOURS_PER_DAY = 24
PHONE_PATTERN = re.compile(r"^[0-9+()\-\s]{6,20}$")


def _raw_id(column: Any) -> Any:
    return type_coerce(column, String)


def _join_times(times: Iterable[Availability | str]) -> str:
    return ",".join(Availability(t).value for t in times)


def _times(text: str) -> tuple[Availability, ...]:
    return tuple(Availability(t) for t in text.split(",") if t)


# ============================================================================ opportunities


@dataclass(frozen=True)
class OpportunityRow:
    id: uuid.UUID
    title: str
    host_id: uuid.UUID
    host: str
    supporter_id: uuid.UUID | None
    supporter: str
    kind: OpportunityKind
    place: str
    starts_on: date | None
    ends_on: date | None
    recurrence: str
    times: tuple[Availability, ...]
    places_available: int
    places_filled: int
    skills: str
    status: OpportunityStatus
    requirements: tuple[CheckKind, ...]
    search_text: str

    @property
    def places_left(self) -> int:
        return max(0, self.places_available - self.places_filled)


@dataclass(frozen=True)
class OpportunityInput:
    title: str
    host_partner_id: uuid.UUID | None
    kind: OpportunityKind = OpportunityKind.VOLUNTEERING
    supporting_partner_id: uuid.UUID | None = None
    description: str = ""
    place: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    recurrence: str = ""
    times: Sequence[Availability] = ()
    places_available: int = 1
    skills: str = ""
    accessibility_notes: str = ""
    status: OpportunityStatus = OpportunityStatus.DRAFT
    requirements: Sequence[CheckKind] = ()


@dataclass(frozen=True)
class PlacementRow:
    id: uuid.UUID
    volunteer_id: uuid.UUID
    volunteer: str
    opportunity_id: uuid.UUID
    opportunity: str
    host: str
    status: PlacementStatus
    starts_on: date | None
    hours: float


@dataclass(frozen=True)
class OpportunityDetail:
    row: OpportunityRow
    description: str
    accessibility_notes: str
    placements: tuple[PlacementRow, ...]


_ACTIVE_PLACEMENT = (PlacementStatus.PROPOSED, PlacementStatus.ACTIVE)


def list_opportunities(session: Session, *, ids: Sequence[uuid.UUID] | None = None) -> list[OpportunityRow]:
    """Live opportunities with host, supporter, place, requirements and how many places are filled."""
    host = models.Partner.__table__.alias("host")
    supporter = models.Partner.__table__.alias("supporter")
    # "+" keeps SQLite off the opportunity index: a look-up in the table for each of 125,000 placements
    # took three times as long as reading the table through (0.46 s against 0.14 s on the large file).
    filled = dict(session.execute(
        select(_raw_id(models.Placement.opportunity_id), func.count())
        .where(models.Placement.deleted_at.is_(None), models.Placement.status.in_(_ACTIVE_PLACEMENT))
        .group_by(literal_column("+placement.opportunity_id"))).all())
    needs: dict[str, list[CheckKind]] = defaultdict(list)
    for opportunity_id, kind in session.execute(select(_raw_id(models.OpportunityRequirement.opportunity_id),
                                                       models.OpportunityRequirement.check_kind)):
        needs[opportunity_id].append(kind)
    opportunity = models.Opportunity
    # Columns, not Opportunity objects: building 5,000 of them took most of the page's 3 s on the large file.
    query = (select(opportunity.id, opportunity.title, opportunity.host_partner_id, opportunity.supporting_partner_id,
                    opportunity.kind, opportunity.starts_on, opportunity.ends_on, opportunity.recurrence,
                    opportunity.times, opportunity.places_available, opportunity.skills, opportunity.status,
                    opportunity.search_text, host.c.name, supporter.c.name, models.Place.name)
             .join(host, host.c.id == models.Opportunity.host_partner_id)
             .outerjoin(supporter, supporter.c.id == models.Opportunity.supporting_partner_id)
             .outerjoin(models.Place, models.Place.id == models.Opportunity.place_id)
             .where(models.Opportunity.deleted_at.is_(None)).order_by(models.Opportunity.title))
    if ids is not None:
        query = query.where(models.Opportunity.id.in_(ids))
    rows = []
    order = list(CheckKind)
    for (opportunity_id, title, host_id, supporter_id, kind, starts_on, ends_on, recurrence, times, places_available,
         skills, status, search_text, host_name, supporter_name, place) in session.execute(query):
        hex_id = opportunity_id.hex
        rows.append(OpportunityRow(
            id=opportunity_id, title=title, host_id=host_id, host=host_name, supporter_id=supporter_id,
            supporter=supporter_name or "", kind=kind, place=place or "", starts_on=starts_on, ends_on=ends_on,
            recurrence=recurrence, times=_times(times), places_available=places_available,
            places_filled=filled.get(hex_id, 0), skills=skills, status=status,
            requirements=tuple(sorted(needs.get(hex_id, []), key=order.index)), search_text=search_text))
    return rows


def _live_opportunity(session: Session, opportunity_id: uuid.UUID) -> models.Opportunity:
    opportunity = session.get(models.Opportunity, opportunity_id)
    if opportunity is None or opportunity.deleted_at is not None:
        raise NotFoundError("That opportunity no longer exists.")
    return opportunity


def get_opportunity(session: Session, opportunity_id: uuid.UUID) -> OpportunityDetail:
    opportunity = _live_opportunity(session, opportunity_id)
    [row] = list_opportunities(session, ids=[opportunity_id])
    return OpportunityDetail(row=row, description=opportunity.description,
                             accessibility_notes=opportunity.accessibility_notes,
                             placements=tuple(list_placements(session, opportunity_id=opportunity_id)))


def _validate_opportunity(session: Session, data: OpportunityInput) -> dict[str, Any]:
    problems: dict[str, str] = {}
    title = normalise_name(data.title)
    if not title:
        problems["title"] = "Give the opportunity a title."
    host = session.get(models.Partner, data.host_partner_id) if data.host_partner_id else None
    if host is None or host.deleted_at is not None:
        problems["host"] = "Choose the partner that hosts the opportunity."
    if data.supporting_partner_id is not None:
        supporter = session.get(models.Partner, data.supporting_partner_id)
        if supporter is None or supporter.deleted_at is not None:
            problems["supporter"] = "The supporting partner no longer exists."
        elif data.supporting_partner_id == data.host_partner_id:
            problems["supporter"] = "The supporting partner must be another partner than the host."
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        problems["ends_on"] = (f"The end ({data.ends_on:%d/%m/%Y}) is before the start "
                               f"({data.starts_on:%d/%m/%Y}).")
    if data.places_available < 0:
        problems["places_available"] = "The number of places cannot be negative."
    elif data.places_available > 100_000:
        problems["places_available"] = "That is more places than any opportunity needs; check the number."
    if problems:
        raise ValidationError(problems)
    return {"title": title}


def check_opportunity(session: Session, *, data: OpportunityInput) -> None:
    """Raise the ValidationError that saving ``data`` would raise, without saving anything."""
    _validate_opportunity(session, data)


def _write_opportunity(session: Session, opportunity: models.Opportunity, data: OpportunityInput,
                       title: str) -> None:
    place_ids = _vocabulary_ids(session, models.Place, [data.place]) if data.place.strip() else []
    opportunity.title, opportunity.description = title, data.description.strip()
    opportunity.host_partner_id = data.host_partner_id  # type: ignore[assignment]
    opportunity.supporting_partner_id = data.supporting_partner_id
    opportunity.kind, opportunity.status = OpportunityKind(data.kind), OpportunityStatus(data.status)
    opportunity.place_id = place_ids[0] if place_ids else None
    opportunity.starts_on, opportunity.ends_on = data.starts_on, data.ends_on
    opportunity.recurrence, opportunity.times = data.recurrence.strip(), _join_times(data.times)
    opportunity.places_available = data.places_available
    opportunity.skills = ", ".join(split_list(data.skills))
    opportunity.accessibility_notes = data.accessibility_notes.strip()
    host = session.get(models.Partner, data.host_partner_id)
    supporter = session.get(models.Partner, data.supporting_partner_id) if data.supporting_partner_id else None
    opportunity.search_text = opportunity_search_text(
        title=title, description=opportunity.description, skills=opportunity.skills, host=host.name if host else "",
        supporter=supporter.name if supporter else "", place=data.place.strip())
    session.flush()
    session.execute(delete(models.OpportunityRequirement)
                    .where(models.OpportunityRequirement.opportunity_id == opportunity.id))
    for kind in dict.fromkeys(data.requirements):
        session.add(models.OpportunityRequirement(opportunity_id=opportunity.id, check_kind=CheckKind(kind)))


def create_opportunity(session: Session, *, data: OpportunityInput,
                       opportunity_id: uuid.UUID | None = None) -> OpportunityDetail:
    cleaned = _validate_opportunity(session, data)
    with writing(session):
        opportunity = models.Opportunity(title=cleaned["title"], host_partner_id=data.host_partner_id)  # type: ignore
        if opportunity_id is not None:
            opportunity.id = opportunity_id
        session.add(opportunity)
        _write_opportunity(session, opportunity, data, cleaned["title"])
    return get_opportunity(session, opportunity.id)


def update_opportunity(session: Session, *, opportunity_id: uuid.UUID, data: OpportunityInput) -> OpportunityDetail:
    opportunity = _live_opportunity(session, opportunity_id)
    cleaned = _validate_opportunity(session, data)
    with writing(session):
        _write_opportunity(session, opportunity, data, cleaned["title"])
        opportunity.updated_at = utcnow()
    return get_opportunity(session, opportunity_id)


def opportunity_input(session: Session, opportunity_id: uuid.UUID) -> OpportunityInput:
    """An opportunity as the editor's input, to fill the form and to undo an edit."""
    detail = get_opportunity(session, opportunity_id)
    row = detail.row
    return OpportunityInput(
        title=row.title, host_partner_id=row.host_id, kind=row.kind, supporting_partner_id=row.supporter_id,
        description=detail.description, place=row.place, starts_on=row.starts_on, ends_on=row.ends_on,
        recurrence=row.recurrence, times=row.times, places_available=row.places_available, skills=row.skills,
        accessibility_notes=detail.accessibility_notes, status=row.status, requirements=row.requirements)


def delete_opportunity(session: Session, *, opportunity_id: uuid.UUID) -> None:
    opportunity = _live_opportunity(session, opportunity_id)
    with writing(session):
        opportunity.deleted_at = utcnow()


def restore_opportunity(session: Session, *, opportunity_id: uuid.UUID) -> None:
    undelete(session, models.Opportunity, opportunity_id, what="opportunity")


# ============================================================================ volunteers


@dataclass(frozen=True)
class VolunteerRow:
    id: uuid.UUID
    name: str
    email: str
    phone: str
    skills: str
    availability: tuple[Availability, ...]
    consent_to_contact: bool
    total_hours: float
    last_activity: date | None


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


@dataclass(frozen=True)
class CheckRow:
    id: uuid.UUID
    volunteer_id: uuid.UUID
    volunteer: str
    kind: CheckKind
    obtained_on: date
    renewal_due_on: date | None
    reference: str

    def is_current(self, today: date) -> bool:
        return self.renewal_due_on is None or self.renewal_due_on >= today


@dataclass(frozen=True)
class RecognitionRow:
    id: uuid.UUID
    volunteer_id: uuid.UUID
    volunteer: str
    kind: RecognitionKind
    title: str
    given_on: date
    message: str
    hours_at_time: float | None


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

    @property
    def milestones_reached(self) -> tuple[int, ...]:
        return tuple(m for m in HOUR_MILESTONES if self.total_hours >= m)

    @property
    def milestones_recognised(self) -> tuple[int, ...]:
        return tuple(sorted({int(r.hours_at_time) for r in self.recognitions
                             if r.kind == RecognitionKind.MILESTONE and r.hours_at_time}))


def _volunteer_filter(query: str, *, hidden_too: bool = False) -> list[Any]:
    conditions: list[Any] = [models.Volunteer.erased_at.is_(None)]
    if not hidden_too:
        conditions.append(models.Volunteer.deleted_at.is_(None))
    conditions += [models.Volunteer.search_text.like(like_pattern(term), escape="\\") for term in search_terms(query)]
    return conditions


def volunteer_index(session: Session, *, order: str = "name", descending: bool = False) -> list[tuple[str, str]]:
    """(stored hex id, folded search text) of every live volunteer, in order: what a lazy table holds.

    Searching then filters this list in memory: at 100,000 volunteers a word is found in about 10 ms,
    where a LIKE over the table takes 140 ms. ``order`` is "name", "email", "created", "hours" or
    "last_activity"; the last two add up every hours entry and take longer on a large file.
    """
    volunteer = models.Volunteer
    query = select(_raw_id(volunteer.id), volunteer.search_text).where(*_volunteer_filter(""))
    if order in ("hours", "last_activity"):
        totals = (select(models.Placement.volunteer_id.label("volunteer_id"),
                         func.sum(models.HoursEntry.hours).label("hours"),
                         func.max(models.HoursEntry.on_date).label("last"))
                  .join(models.HoursEntry, models.HoursEntry.placement_id == models.Placement.id)
                  .where(*counted_hours()).group_by(models.Placement.volunteer_id).subquery())
        query = query.outerjoin(totals, totals.c.volunteer_id == volunteer.id)
        key: Any = func.coalesce(totals.c.hours, 0) if order == "hours" else totals.c.last
    elif order == "name":
        # "+name" keeps SQLite off the name index: walking 100,000 rows through it costs twice a scan and sort
        key = literal_column("+volunteer.name")
    else:
        key = {"email": volunteer.email, "created": volunteer.created_at}[order]
    query = query.order_by(key.desc() if descending else key, volunteer.name, volunteer.id)
    return [(hex_id, text) for hex_id, text in session.connection().execute(query)]


def matching_entries(index: Sequence[tuple[str, str]], query: str) -> list[tuple[str, str]]:
    """The entries of ``index`` whose search text holds every word of ``query`` (folded alike), in order."""
    matched = list(index)
    for term in search_terms(query):  # one plain comprehension per word: a third of the time of all(...)
        matched = [entry for entry in matched if term in entry[1]]
    return matched


def narrows(earlier: str, later: str) -> bool:
    """True when every match of ``later`` is a match of ``earlier`` (as typing on does): each earlier word
    is inside a later one. Searching the earlier matches then gives the same answer, faster."""
    later_terms = search_terms(later)
    return all(any(term in word for word in later_terms) for term in search_terms(earlier))


def volunteer_ids(session: Session, *, query: str = "", order: str = "name", descending: bool = False) -> list[str]:
    """Ids (stored hex) of the live volunteers matching ``query``, in order."""
    index = volunteer_index(session, order=order, descending=descending)
    return [hex_id for hex_id, _text in matching_entries(index, query)]


def count_volunteers(session: Session, *, query: str = "") -> int:
    return int(session.execute(select(func.count()).select_from(models.Volunteer)
                               .where(*_volunteer_filter(query))).scalar_one())


def _hours_of(session: Session, volunteer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[float, date | None]]:
    rows = session.execute(
        select(models.Placement.volunteer_id, func.sum(models.HoursEntry.hours), func.max(models.HoursEntry.on_date))
        .join(models.HoursEntry, models.HoursEntry.placement_id == models.Placement.id)
        .where(models.Placement.volunteer_id.in_(volunteer_ids), models.HoursEntry.deleted_at.is_(None),
               models.Placement.deleted_at.is_(None))
        .group_by(models.Placement.volunteer_id)).all()
    return {volunteer_id: (float(total or 0), last) for volunteer_id, total, last in rows}


def volunteer_rows(session: Session, hex_ids: Sequence[str]) -> list[VolunteerRow]:
    """Rows for a window of a lazy table (a few hundred ids), with total hours and last activity."""
    ids = [uuid.UUID(h) for h in hex_ids]
    hours = _hours_of(session, ids)
    found = {v.id: v for v in session.execute(select(models.Volunteer).where(models.Volunteer.id.in_(ids))).scalars()}
    rows = []
    for volunteer_id in ids:
        volunteer = found.get(volunteer_id)
        if volunteer is None:
            continue
        total, last = hours.get(volunteer_id, (0.0, None))
        rows.append(VolunteerRow(id=volunteer.id, name=volunteer.name, email=volunteer.email, phone=volunteer.phone,
                                 skills=volunteer.skills, availability=_times(volunteer.availability),
                                 consent_to_contact=volunteer.consent_to_contact and not volunteer.consent_withdrawn_on,
                                 total_hours=total, last_activity=last))
    return rows


def _live_volunteer(session: Session, volunteer_id: uuid.UUID) -> models.Volunteer:
    volunteer = session.get(models.Volunteer, volunteer_id)
    if volunteer is None or volunteer.deleted_at is not None:
        raise NotFoundError("That volunteer no longer exists.")
    return volunteer


def _validate_volunteer(data: VolunteerInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    cleaned = {"name": normalise_name(data.name), "email": data.email.strip(), "phone": " ".join(data.phone.split()),
               "emergency_contact_phone": " ".join(data.emergency_contact_phone.split())}
    if not cleaned["name"]:
        problems["name"] = "Enter the volunteer's name."
    if cleaned["email"] and not EMAIL_PATTERN.match(cleaned["email"]):
        problems["email"] = f"'{cleaned['email']}' is not an e-mail address (it should look like name@example.org)."
    for key in ("phone", "emergency_contact_phone"):
        if cleaned[key] and not PHONE_PATTERN.match(cleaned[key]):
            problems[key] = f"'{cleaned[key]}' is not a phone number (digits, spaces, + and brackets only)."
    if data.consent_to_contact and data.consent_given_on is None:
        problems["consent_given_on"] = "Say when the volunteer agreed to be contacted."
    if data.consent_given_on and data.consent_given_on > date.today():
        problems["consent_given_on"] = "Consent cannot be given in the future."
    if data.consent_withdrawn_on and data.consent_given_on and data.consent_withdrawn_on < data.consent_given_on:
        problems["consent_withdrawn_on"] = "Consent cannot be withdrawn before it was given."
    if problems:
        raise ValidationError(problems)
    return cleaned


def check_volunteer(data: VolunteerInput) -> None:
    """Raise the ValidationError that saving ``data`` would raise, without saving anything."""
    _validate_volunteer(data)


def _write_volunteer(volunteer: models.Volunteer, data: VolunteerInput, cleaned: dict[str, str]) -> None:
    volunteer.name, volunteer.email, volunteer.phone = cleaned["name"], cleaned["email"], cleaned["phone"]
    volunteer.address = data.address.strip()
    volunteer.skills = ", ".join(split_list(data.skills))
    volunteer.availability = _join_times(data.availability)
    volunteer.how_heard = data.how_heard.strip()
    volunteer.consent_to_contact = data.consent_to_contact
    volunteer.consent_details = data.consent_details.strip()
    volunteer.consent_given_on, volunteer.consent_withdrawn_on = data.consent_given_on, data.consent_withdrawn_on
    volunteer.emergency_contact_name = normalise_name(data.emergency_contact_name)
    volunteer.emergency_contact_phone = cleaned["emergency_contact_phone"]
    volunteer.notes = data.notes.strip()
    volunteer.search_text = volunteer_search_text(name=volunteer.name, email=volunteer.email, phone=volunteer.phone,
                                                  skills=volunteer.skills)


def create_volunteer(session: Session, *, data: VolunteerInput, volunteer_id: uuid.UUID | None = None
                     ) -> VolunteerDetail:
    cleaned = _validate_volunteer(data)
    with writing(session):
        volunteer = models.Volunteer(name=cleaned["name"])
        if volunteer_id is not None:
            volunteer.id = volunteer_id
        _write_volunteer(volunteer, data, cleaned)
        session.add(volunteer)
    return get_volunteer(session, volunteer.id)


def update_volunteer(session: Session, *, volunteer_id: uuid.UUID, data: VolunteerInput) -> VolunteerDetail:
    volunteer = _live_volunteer(session, volunteer_id)
    if volunteer.erased_at is not None:
        raise ValidationError.single("name", "This volunteer's details were erased; they cannot be edited.")
    cleaned = _validate_volunteer(data)
    with writing(session):
        _write_volunteer(volunteer, data, cleaned)
        volunteer.updated_at = utcnow()
    return get_volunteer(session, volunteer_id)


def delete_volunteer(session: Session, *, volunteer_id: uuid.UUID) -> None:
    """Hide a volunteer (undoable). To remove their personal data for good, use :func:`erase_volunteer`."""
    volunteer = _live_volunteer(session, volunteer_id)
    with writing(session):
        volunteer.deleted_at = utcnow()


def restore_volunteer(session: Session, *, volunteer_id: uuid.UUID) -> None:
    undelete(session, models.Volunteer, volunteer_id, what="volunteer")


def _checks(session: Session, where: Any) -> list[CheckRow]:
    rows = session.execute(select(models.VolunteerCheck, models.Volunteer.name)
                           .join(models.Volunteer, models.Volunteer.id == models.VolunteerCheck.volunteer_id)
                           .where(models.VolunteerCheck.deleted_at.is_(None), where)
                           .order_by(models.VolunteerCheck.renewal_due_on.is_(None),
                                     models.VolunteerCheck.renewal_due_on)).all()
    return [CheckRow(id=c.id, volunteer_id=c.volunteer_id, volunteer=name, kind=c.kind, obtained_on=c.obtained_on,
                     renewal_due_on=c.renewal_due_on, reference=c.reference) for c, name in rows]


def _recognitions(session: Session, where: Any) -> list[RecognitionRow]:
    rows = session.execute(select(models.Recognition, models.Volunteer.name)
                           .join(models.Volunteer, models.Volunteer.id == models.Recognition.volunteer_id)
                           .where(models.Recognition.deleted_at.is_(None), where)
                           .order_by(models.Recognition.given_on.desc())).all()
    return [RecognitionRow(id=r.id, volunteer_id=r.volunteer_id, volunteer=name, kind=r.kind, title=r.title,
                           given_on=r.given_on, message=r.message, hours_at_time=r.hours_at_time) for r, name in rows]


def get_volunteer(session: Session, volunteer_id: uuid.UUID) -> VolunteerDetail:
    volunteer = _live_volunteer(session, volunteer_id)
    total, last = _hours_of(session, [volunteer_id]).get(volunteer_id, (0.0, None))
    data = VolunteerInput(
        name=volunteer.name, email=volunteer.email, phone=volunteer.phone, address=volunteer.address,
        skills=volunteer.skills, availability=_times(volunteer.availability), how_heard=volunteer.how_heard,
        consent_to_contact=volunteer.consent_to_contact, consent_details=volunteer.consent_details,
        consent_given_on=volunteer.consent_given_on, consent_withdrawn_on=volunteer.consent_withdrawn_on,
        emergency_contact_name=volunteer.emergency_contact_name,
        emergency_contact_phone=volunteer.emergency_contact_phone, notes=volunteer.notes)
    return VolunteerDetail(
        id=volunteer.id, data=data, total_hours=total, last_activity=last,
        checks=tuple(_checks(session, models.VolunteerCheck.volunteer_id == volunteer_id)),
        placements=tuple(list_placements(session, volunteer_id=volunteer_id)),
        recognitions=tuple(_recognitions(session, models.Recognition.volunteer_id == volunteer_id)),
        created_at=volunteer.created_at, erased=volunteer.erased_at is not None)


def volunteer_choices(session: Session, *, query: str = "", limit: int = 50) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of volunteers whose name, e-mail or phone matches, for completers in forms."""
    rows = session.execute(select(models.Volunteer.id, models.Volunteer.name, models.Volunteer.email)
                           .where(*_volunteer_filter(query)).order_by(models.Volunteer.name).limit(limit))
    return [(row.id, f"{row.name} <{row.email}>" if row.email else row.name) for row in rows]


@dataclass(frozen=True)
class HeldVolunteer:
    """A volunteer whose personal data the file holds: listed, or hidden (removed, or their adding undone)."""

    id: uuid.UUID
    name: str
    email: str
    removed: bool


def held_volunteers(session: Session, *, query: str = "") -> list[HeldVolunteer]:
    """Every volunteer not erased, hidden ones too, whose name, e-mail or phone matches ``query``, by name."""
    volunteer = models.Volunteer
    rows = session.execute(select(volunteer.id, volunteer.name, volunteer.email, volunteer.deleted_at)
                           .where(*_volunteer_filter(query, hidden_too=True)).order_by(volunteer.name, volunteer.id))
    return [HeldVolunteer(id=row.id, name=row.name, email=row.email, removed=row.deleted_at is not None)
            for row in rows]


def find_volunteer_id(session: Session, reference: str) -> uuid.UUID:
    """A volunteer named on the command line by their id, or by its first 6+ characters (hidden and erased
    volunteers too: their records are still held)."""
    wanted = reference.strip().lower().replace("-", "")
    if len(wanted) < 6 or not re.fullmatch(r"[0-9a-f]+", wanted):
        raise ValidationError.single("volunteer", f"'{reference}' is not a volunteer's id: give at least 6 of its "
                                                  "characters (cohesion-desktop volunteers lists them).")
    found = session.execute(select(_raw_id(models.Volunteer.id))
                            .where(_raw_id(models.Volunteer.id).startswith(wanted))).scalars().all()
    if not found:
        raise NotFoundError(f"There is no volunteer with the id '{reference}' (cohesion-desktop volunteers lists "
                            "them).")
    if len(found) > 1:
        raise ValidationError.single("volunteer", f"'{reference}' matches {len(found)} volunteers; give more of it.")
    return uuid.UUID(found[0])


# ---------------------------------------------------------------------------- checks and training


def add_check(session: Session, *, volunteer_id: uuid.UUID, kind: CheckKind, obtained_on: date,
              renewal_due_on: date | None = None, reference: str = "", check_id: uuid.UUID | None = None) -> CheckRow:
    _live_volunteer(session, volunteer_id)
    if obtained_on > date.today():
        raise ValidationError.single("obtained_on", "A check cannot have been obtained in the future.")
    if renewal_due_on is not None and renewal_due_on < obtained_on:
        raise ValidationError.single("renewal_due_on", "The renewal date is before the date it was obtained.")
    with writing(session):
        check = models.VolunteerCheck(volunteer_id=volunteer_id, kind=CheckKind(kind), obtained_on=obtained_on,
                                      renewal_due_on=renewal_due_on, reference=reference.strip())
        if check_id is not None:
            check.id = check_id
        session.add(check)
    return _checks(session, models.VolunteerCheck.id == check.id)[0]


def remove_check(session: Session, *, check_id: uuid.UUID) -> None:
    check = session.get(models.VolunteerCheck, check_id)
    if check is None:
        raise NotFoundError("That check no longer exists.")
    with writing(session):
        check.deleted_at = utcnow()


def restore_check(session: Session, *, check_id: uuid.UUID) -> None:
    undelete(session, models.VolunteerCheck, check_id, what="check")


def renewals_due(session: Session, *, within_days: int = 60, today: date | None = None) -> list[CheckRow]:
    """Checks and training that have lapsed or lapse within ``within_days`` (soonest first)."""
    today = today or date.today()
    return _checks(session, and_(models.VolunteerCheck.renewal_due_on.is_not(None),
                                 models.VolunteerCheck.renewal_due_on <= today + timedelta(days=within_days),
                                 models.Volunteer.deleted_at.is_(None), models.Volunteer.erased_at.is_(None)))


def holds(checks: Iterable[CheckRow], needed: CheckKind, today: date) -> bool:
    """Whether current checks satisfy ``needed`` (a higher DBS level satisfies a lower one)."""
    current = {c.kind for c in checks if c.is_current(today)}
    if needed in DBS_LEVELS:
        return any(level in current for level in DBS_LEVELS[DBS_LEVELS.index(needed):])
    return needed in current


def missing_checks(checks: Iterable[CheckRow], needed: Iterable[CheckKind], today: date) -> list[CheckKind]:
    held = list(checks)
    return [kind for kind in needed if not holds(held, kind, today)]


# ============================================================================ matching and placements


@dataclass(frozen=True)
class VolunteerMatch:
    volunteer_id: uuid.UUID
    name: str
    skills_matched: tuple[str, ...]
    times_matched: tuple[Availability, ...]
    active_placements: int
    score: float


@dataclass(frozen=True)
class OpportunityMatch:
    opportunity: OpportunityRow
    skills_matched: tuple[str, ...]
    times_matched: tuple[Availability, ...]
    missing_checks: tuple[CheckKind, ...]


def _skill_words(text: str) -> set[str]:
    return {fold(skill) for skill in split_list(text) if fold(skill) not in ("any", "")}


def _score(skills: set[str], wanted_skills: set[str], times: set[Availability], wanted_times: set[Availability],
           active: int) -> tuple[float, tuple[str, ...], tuple[Availability, ...]]:
    matched_skills = tuple(sorted(skills & wanted_skills))
    matched_times = tuple(sorted(times & wanted_times, key=list(Availability).index)) if wanted_times else ()
    skill_part = len(matched_skills) / len(wanted_skills) if wanted_skills else 0.5
    time_part = len(matched_times) / len(wanted_times) if wanted_times else 0.5
    # Skills weigh most, then availability; a volunteer already busy elsewhere ranks a little lower.
    return round(60 * skill_part + 35 * time_part - min(5, 2.5 * active), 1), matched_skills, matched_times


def match_volunteers(session: Session, *, opportunity_id: uuid.UUID, limit: int = 50,
                     today: date | None = None) -> list[VolunteerMatch]:
    """Volunteers who fit an opportunity, best first.

    Only volunteers who agreed to be contacted (and have not withdrawn), hold every check the opportunity
    requires (current on ``today``), share at least one of its skills (when it lists any) and one of its
    times (when it gives any), and are not already placed on it.
    """
    today = today or date.today()
    [opportunity] = list_opportunities(session, ids=[opportunity_id])
    wanted_skills, wanted_times = _skill_words(opportunity.skills), set(opportunity.times)
    volunteer = models.Volunteer
    conditions: list[Any] = [volunteer.deleted_at.is_(None), volunteer.erased_at.is_(None),
                             volunteer.consent_to_contact.is_(True), volunteer.consent_withdrawn_on.is_(None)]
    if wanted_skills:
        conditions.append(or_(*[volunteer.search_text.like(like_pattern(skill), escape="\\")
                                for skill in wanted_skills]))
    if wanted_times:
        conditions.append(or_(*[volunteer.availability.like(like_pattern(t.value), escape="\\")
                                for t in wanted_times]))
    already = select(models.Placement.volunteer_id).where(models.Placement.opportunity_id == opportunity_id,
                                                           models.Placement.deleted_at.is_(None))
    conditions.append(volunteer.id.not_in(already))
    candidates = session.execute(select(volunteer.id, volunteer.name, volunteer.skills, volunteer.availability)
                                 .where(*conditions)).all()
    if opportunity.requirements and candidates:
        checks: dict[uuid.UUID, list[CheckRow]] = defaultdict(list)
        for check in _checks(session, models.VolunteerCheck.volunteer_id.in_([c.id for c in candidates])):
            checks[check.volunteer_id].append(check)
        candidates = [c for c in candidates if not missing_checks(checks[c.id], opportunity.requirements, today)]
    busy = dict(session.execute(select(models.Placement.volunteer_id, func.count())
                                .where(models.Placement.volunteer_id.in_([c.id for c in candidates]),
                                       models.Placement.deleted_at.is_(None),
                                       models.Placement.status.in_(_ACTIVE_PLACEMENT))
                                .group_by(models.Placement.volunteer_id)).all()) if candidates else {}
    matches = []
    for candidate in candidates:
        score, skills, times = _score(_skill_words(candidate.skills), wanted_skills,
                                      set(_times(candidate.availability)), wanted_times, busy.get(candidate.id, 0))
        if wanted_skills and not skills:
            continue  # a LIKE on the search text can match a name or an e-mail; skills decide
        matches.append(VolunteerMatch(volunteer_id=candidate.id, name=candidate.name, skills_matched=skills,
                                      times_matched=times, active_placements=busy.get(candidate.id, 0), score=score))
    matches.sort(key=lambda m: (-m.score, m.name))
    return matches[:limit]


def match_opportunities(session: Session, *, volunteer_id: uuid.UUID, today: date | None = None
                        ) -> list[OpportunityMatch]:
    """Open opportunities with places left that fit a volunteer's skills and times, best first;
    ``missing_checks`` says what the volunteer would still need for each."""
    today = today or date.today()
    detail = get_volunteer(session, volunteer_id)
    skills, times = _skill_words(detail.data.skills), set(detail.data.availability)
    placed = {p.opportunity_id for p in detail.placements}
    found = []
    for opportunity in list_opportunities(session):
        if opportunity.status != OpportunityStatus.OPEN or opportunity.places_left == 0 or opportunity.id in placed:
            continue
        if opportunity.kind not in (OpportunityKind.VOLUNTEERING, OpportunityKind.EMPLOYEE_VOLUNTEERING,
                                    OpportunityKind.MENTORING):
            continue
        wanted_skills, wanted_times = _skill_words(opportunity.skills), set(opportunity.times)
        score, matched_skills, matched_times = _score(skills, wanted_skills, times, wanted_times, 0)
        if (wanted_skills and not matched_skills) or (wanted_times and not matched_times):
            continue
        missing = tuple(missing_checks(detail.checks, opportunity.requirements, today))
        match = OpportunityMatch(opportunity=opportunity, skills_matched=matched_skills, times_matched=matched_times,
                                 missing_checks=missing)
        found.append((score - 20 * len(missing), match))
    found.sort(key=lambda item: (-item[0], item[1].opportunity.title))
    return [match for _score_, match in found]


def list_placements(session: Session, *, volunteer_id: uuid.UUID | None = None,
                    opportunity_id: uuid.UUID | None = None, active_only: bool = False) -> list[PlacementRow]:
    query = (select(models.Placement, models.Volunteer.name, models.Opportunity.title, models.Partner.name,
                    func.coalesce(func.sum(case((models.HoursEntry.deleted_at.is_(None), models.HoursEntry.hours),
                                                else_=0)), 0))
             .join(models.Volunteer, models.Volunteer.id == models.Placement.volunteer_id)
             .join(models.Opportunity, models.Opportunity.id == models.Placement.opportunity_id)
             .join(models.Partner, models.Partner.id == models.Opportunity.host_partner_id)
             .outerjoin(models.HoursEntry, models.HoursEntry.placement_id == models.Placement.id)
             .where(models.Placement.deleted_at.is_(None), models.Volunteer.deleted_at.is_(None),
                    models.Opportunity.deleted_at.is_(None))
             .group_by(models.Placement.id)
             .order_by(models.Volunteer.name, models.Opportunity.title))
    if volunteer_id is not None:
        query = query.where(models.Placement.volunteer_id == volunteer_id)
    if opportunity_id is not None:
        query = query.where(models.Placement.opportunity_id == opportunity_id)
    if active_only:
        query = query.where(models.Placement.status.in_(_ACTIVE_PLACEMENT))
    return [PlacementRow(id=p.id, volunteer_id=p.volunteer_id, volunteer=volunteer, opportunity_id=p.opportunity_id,
                         opportunity=title, host=host, status=p.status, starts_on=p.starts_on, hours=float(hours))
            for p, volunteer, title, host, hours in session.execute(query).all()]


def place_volunteer(session: Session, *, volunteer_id: uuid.UUID, opportunity_id: uuid.UUID,
                    starts_on: date | None = None, today: date | None = None) -> PlacementRow:
    """Put a volunteer on an opportunity. Refuses when a required check is missing or no place is left."""
    today = today or date.today()
    volunteer = _live_volunteer(session, volunteer_id)
    if volunteer.erased_at is not None:
        raise ValidationError.single("volunteer", "This volunteer's details were erased.")
    [opportunity] = list_opportunities(session, ids=[opportunity_id])
    checks = _checks(session, models.VolunteerCheck.volunteer_id == volunteer_id)
    missing = missing_checks(checks, opportunity.requirements, today)
    if missing:
        raise ValidationError.single("checks", f"{volunteer.name} needs {', '.join(k.label for k in missing)} "
                                               f"(current) before joining “{opportunity.title}”.")
    existing = session.execute(select(models.Placement).where(models.Placement.volunteer_id == volunteer_id,
                                                              models.Placement.opportunity_id == opportunity_id)
                               ).scalar_one_or_none()
    if existing is not None and existing.deleted_at is None:
        raise ValidationError.single("placement", f"{volunteer.name} is already placed on “{opportunity.title}”.")
    if opportunity.places_left == 0:
        raise ValidationError.single("places", f"“{opportunity.title}” has no places left "
                                               f"({opportunity.places_available} of {opportunity.places_available} "
                                               "filled). Add a place to the opportunity first.")
    with writing(session):
        if existing is not None:  # placed once before and removed: bring that placement (and its hours) back
            existing.deleted_at, existing.status = None, PlacementStatus.ACTIVE
            placement = existing
        else:
            placement = models.Placement(volunteer_id=volunteer_id, opportunity_id=opportunity_id,
                                         status=PlacementStatus.ACTIVE, starts_on=starts_on or today)
            session.add(placement)
        if opportunity.places_filled + 1 >= opportunity.places_available and \
                opportunity.status == OpportunityStatus.OPEN:
            session.get(models.Opportunity, opportunity_id).status = OpportunityStatus.FILLED  # type: ignore[union-attr]
    return next(p for p in list_placements(session, volunteer_id=volunteer_id) if p.id == placement.id)


def set_placement_status(session: Session, *, placement_id: uuid.UUID, status: PlacementStatus) -> None:
    placement = session.get(models.Placement, placement_id)
    if placement is None or placement.deleted_at is not None:
        raise NotFoundError("That placement no longer exists.")
    with writing(session):
        placement.status = PlacementStatus(status)
        if status in (PlacementStatus.COMPLETED, PlacementStatus.WITHDRAWN) and placement.ends_on is None:
            placement.ends_on = date.today()


def remove_placement(session: Session, *, placement_id: uuid.UUID) -> None:
    """Take a volunteer off an opportunity (undoable); a filled opportunity with a place free again reopens."""
    placement = session.get(models.Placement, placement_id)
    if placement is None:
        raise NotFoundError("That placement no longer exists.")
    opportunity = session.get(models.Opportunity, placement.opportunity_id)
    with writing(session):
        placement.deleted_at = utcnow()
        session.flush()
        if opportunity is not None and opportunity.status == OpportunityStatus.FILLED:
            opportunity.status = OpportunityStatus.OPEN


# ============================================================================ hours


@dataclass(frozen=True)
class HoursRow:
    id: uuid.UUID
    placement_id: uuid.UUID
    volunteer: str
    opportunity: str
    on_date: date
    hours: float
    activity: str


def _check_hours(hours: float, on_date: date, today: date) -> float:
    if hours != hours or hours <= 0:  # NaN or nothing
        raise ValidationError.single("hours", "Enter the hours given, more than 0.")
    if hours > MAX_HOURS_PER_DAY:
        raise ValidationError.single("hours", f"{hours:g} hours is more than a day; enter at most "
                                              f"{MAX_HOURS_PER_DAY} per entry.")
    if on_date > today:
        raise ValidationError.single("on_date", f"{on_date:%d/%m/%Y} is in the future.")
    return round(float(hours), 2)


def log_hours(session: Session, *, placement_id: uuid.UUID, on_date: date, hours: float, activity: str = "",
              entry_id: uuid.UUID | None = None, today: date | None = None) -> HoursRow:
    """Record hours given on one day for one placement."""
    placement = session.get(models.Placement, placement_id)
    if placement is None or placement.deleted_at is not None:
        raise ValidationError.single("placement", "Choose the volunteer's placement first.")
    amount = _check_hours(hours, on_date, today or date.today())
    with writing(session):
        entry = models.HoursEntry(placement_id=placement_id, on_date=on_date, hours=amount,
                                  activity=activity.strip())
        if entry_id is not None:
            entry.id = entry_id
        session.add(entry)
    return list_hours(session, ids=[entry.id])[0]


def delete_hours(session: Session, *, entry_id: uuid.UUID) -> None:
    entry = session.get(models.HoursEntry, entry_id)
    if entry is None:
        raise NotFoundError("That hours entry no longer exists.")
    with writing(session):
        entry.deleted_at = utcnow()


def restore_hours(session: Session, *, entry_id: uuid.UUID) -> None:
    undelete(session, models.HoursEntry, entry_id, what="hours entry")


def list_hours(session: Session, *, ids: Sequence[uuid.UUID] | None = None,
               volunteer_id: uuid.UUID | None = None, limit: int = 200) -> list[HoursRow]:
    query = (select(models.HoursEntry, models.Volunteer.name, models.Opportunity.title)
             .join(models.Placement, models.Placement.id == models.HoursEntry.placement_id)
             .join(models.Volunteer, models.Volunteer.id == models.Placement.volunteer_id)
             .join(models.Opportunity, models.Opportunity.id == models.Placement.opportunity_id)
             .where(models.HoursEntry.deleted_at.is_(None))
             .order_by(models.HoursEntry.on_date.desc(), models.HoursEntry.created_at.desc()))
    if ids is not None:
        query = query.where(models.HoursEntry.id.in_(ids))
    if volunteer_id is not None:
        query = query.where(models.Placement.volunteer_id == volunteer_id)
    return [HoursRow(id=h.id, placement_id=h.placement_id, volunteer=volunteer, opportunity=title, on_date=h.on_date,
                     hours=h.hours, activity=h.activity)
            for h, volunteer, title in session.execute(query.limit(limit)).all()]


@dataclass(frozen=True)
class WeekRow:
    """One placement's hours for each day of a week (Monday first)."""

    placement: PlacementRow
    days: tuple[float, ...]


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_hours(session: Session, *, monday: date, opportunity_id: uuid.UUID | None = None) -> list[WeekRow]:
    """Active placements (of one opportunity, or all) with their hours for each day of the week from ``monday``."""
    placements = list_placements(session, opportunity_id=opportunity_id, active_only=True)
    days = [monday + timedelta(days=offset) for offset in range(7)]
    totals: dict[tuple[uuid.UUID, date], float] = {}
    if placements:
        for placement_id, on_date, hours in session.execute(
            select(models.HoursEntry.placement_id, models.HoursEntry.on_date, func.sum(models.HoursEntry.hours))
            .where(models.HoursEntry.deleted_at.is_(None), models.HoursEntry.on_date.between(days[0], days[-1]),
                   models.HoursEntry.placement_id.in_([p.id for p in placements]))
            .group_by(models.HoursEntry.placement_id, models.HoursEntry.on_date)
        ):
            totals[(placement_id, on_date)] = float(hours)
    return [WeekRow(placement=p, days=tuple(totals.get((p.id, d), 0.0) for d in days)) for p in placements]


def set_day_hours(session: Session, *, placement_id: uuid.UUID, on_date: date, hours: float,
                  activity: str = "Logged in the week grid", today: date | None = None) -> list[uuid.UUID]:
    """Make a placement's hours on one day total ``hours`` (0 clears the day); returns the entries hidden,
    so an undo can bring them back with :func:`restore_day_hours`."""
    today = today or date.today()
    if hours:
        hours = _check_hours(hours, on_date, today)
    elif on_date > today:
        raise ValidationError.single("on_date", f"{on_date:%d/%m/%Y} is in the future.")
    hidden = list(session.execute(select(models.HoursEntry.id).where(
        models.HoursEntry.placement_id == placement_id, models.HoursEntry.on_date == on_date,
        models.HoursEntry.deleted_at.is_(None))).scalars())
    with writing(session):
        if hidden:
            session.execute(update(models.HoursEntry).where(models.HoursEntry.id.in_(hidden))
                            .values(deleted_at=utcnow()))
        if hours:
            session.add(models.HoursEntry(placement_id=placement_id, on_date=on_date, hours=hours,
                                          activity=activity))
    return hidden


def restore_day_hours(session: Session, *, placement_id: uuid.UUID, on_date: date,
                      entry_ids: Sequence[uuid.UUID]) -> None:
    """Undo :func:`set_day_hours`: hide that day's entries and show the earlier ones again."""
    with writing(session):
        session.execute(update(models.HoursEntry).where(
            models.HoursEntry.placement_id == placement_id, models.HoursEntry.on_date == on_date,
            models.HoursEntry.deleted_at.is_(None)).values(deleted_at=utcnow()))
        if entry_ids:
            session.execute(update(models.HoursEntry).where(models.HoursEntry.id.in_(entry_ids))
                            .values(deleted_at=None))


# ---------------------------------------------------------------------------- totals


@dataclass(frozen=True)
class MonthTotal:
    year: int
    month: int
    hours: float

    @property
    def label(self) -> str:
        return date(self.year, self.month, 1).strftime("%b %Y")


@dataclass(frozen=True)
class Total:
    key: uuid.UUID | None
    label: str
    hours: float
    entries: int


def excluded_placements() -> Any:
    """Placements whose hours do not count: it, its volunteer, its opportunity or the host partner was deleted
    (a delete is undoable, so the hours come back with it). Erased volunteers' hours do count.

    Nearly always empty. Written as IN over small sets rather than joins, so the database scans the placements
    once instead of looking up three rows for each of them.
    """
    deleted_partners = select(models.Partner.id).where(models.Partner.deleted_at.is_not(None))
    deleted_opportunities = select(models.Opportunity.id).where(or_(
        models.Opportunity.deleted_at.is_not(None), models.Opportunity.host_partner_id.in_(deleted_partners)))
    deleted_volunteers = select(models.Volunteer.id).where(models.Volunteer.deleted_at.is_not(None))
    return select(models.Placement.id).where(or_(
        models.Placement.deleted_at.is_not(None), models.Placement.volunteer_id.in_(deleted_volunteers),
        models.Placement.opportunity_id.in_(deleted_opportunities)))


def counted_hours(start: date | None = None, end: date | None = None) -> list[Any]:
    """Conditions on ``hours_entry`` for the hours that count (within ``start``–``end`` when given): every
    total in the app and in the funder report uses these, so they all agree."""
    conditions = [models.HoursEntry.deleted_at.is_(None), models.HoursEntry.placement_id.not_in(excluded_placements())]
    if start is not None:
        conditions.append(models.HoursEntry.on_date >= start)
    if end is not None:
        conditions.append(models.HoursEntry.on_date <= end)
    return conditions


def _period(query: Any, start: date | None, end: date | None) -> Any:
    return query.where(*counted_hours(start, end))


def hours_by_month(session: Session, *, start: date, end: date) -> list[MonthTotal]:
    """Hours per calendar month between ``start`` and ``end`` (inclusive); months with none give 0.

    Summed by day in SQL and by month here: about 365 rows for a year, where grouping by a computed month
    makes SQLite sort every entry (0.1 s against 0.5 s at a million entries), and no SQL date function is the
    same on every database.
    """
    months: dict[tuple[int, int], float] = defaultdict(float)
    for day, hours in session.execute(
        select(models.HoursEntry.on_date, func.sum(models.HoursEntry.hours))
        .where(*counted_hours(start, end)).group_by(models.HoursEntry.on_date)
    ):
        months[(day.year, day.month)] += hours
    totals, cursor = [], date(start.year, start.month, 1)
    while cursor <= end:
        totals.append(MonthTotal(cursor.year, cursor.month, round(months.get((cursor.year, cursor.month), 0.0), 2)))
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return totals


def _totals(session: Session, key: Any, label: Any, joins: Sequence[tuple[Any, Any]], start: date | None,
            end: date | None, limit: int | None) -> list[Total]:
    query = select(key, label, func.sum(models.HoursEntry.hours), func.count()).select_from(models.HoursEntry)
    for table, on in joins:
        query = query.join(table, on)
    query = _period(query, start, end).group_by(key, label).order_by(func.sum(models.HoursEntry.hours).desc(), label)
    if limit:
        query = query.limit(limit)
    return [Total(key=k, label=l_, hours=float(h), entries=int(n)) for k, l_, h, n in session.execute(query).all()]


_PLACEMENT_JOIN = (models.Placement, models.Placement.id == models.HoursEntry.placement_id)


def hours_by_volunteer(session: Session, *, start: date | None = None, end: date | None = None,
                       limit: int | None = None) -> list[Total]:
    return _totals(session, models.Volunteer.id, models.Volunteer.name,
                   [_PLACEMENT_JOIN, (models.Volunteer, models.Volunteer.id == models.Placement.volunteer_id)],
                   start, end, limit)


def hours_by_opportunity(session: Session, *, start: date | None = None, end: date | None = None,
                         limit: int | None = None) -> list[Total]:
    return _totals(session, models.Opportunity.id, models.Opportunity.title,
                   [_PLACEMENT_JOIN, (models.Opportunity, models.Opportunity.id == models.Placement.opportunity_id)],
                   start, end, limit)


def hours_by_partner(session: Session, *, start: date | None = None, end: date | None = None,
                     limit: int | None = None) -> list[Total]:
    """Hours given on the opportunities each partner hosts."""
    return _totals(session, models.Partner.id, models.Partner.name,
                   [_PLACEMENT_JOIN, (models.Opportunity, models.Opportunity.id == models.Placement.opportunity_id),
                    (models.Partner, models.Partner.id == models.Opportunity.host_partner_id)], start, end, limit)


def total_hours(session: Session, *, start: date | None = None, end: date | None = None) -> tuple[float, int]:
    """(hours, distinct volunteers who gave them) in a period."""
    hours, people = session.execute(_period(
        select(func.coalesce(func.sum(models.HoursEntry.hours), 0),
               func.count(func.distinct(models.Placement.volunteer_id)))
        .join(models.Placement, models.Placement.id == models.HoursEntry.placement_id), start, end)).one()
    return float(hours), int(people)


# ============================================================================ recognition


@dataclass(frozen=True)
class MilestoneDue:
    volunteer_id: uuid.UUID
    name: str
    total_hours: float
    milestone: int


def add_recognition(session: Session, *, volunteer_id: uuid.UUID, kind: RecognitionKind, title: str, given_on: date,
                    message: str = "", hours_at_time: float | None = None,
                    recognition_id: uuid.UUID | None = None) -> RecognitionRow:
    volunteer = _live_volunteer(session, volunteer_id)
    if volunteer.erased_at is not None:
        raise ValidationError.single("volunteer", "This volunteer's details were erased.")
    title = " ".join(title.split())
    if not title:
        raise ValidationError.single("title", "Say what the recognition is (e.g. 'Thank-you card').")
    with writing(session):
        recognition = models.Recognition(volunteer_id=volunteer_id, kind=RecognitionKind(kind), title=title,
                                         given_on=given_on, message=message.strip(), hours_at_time=hours_at_time)
        if recognition_id is not None:
            recognition.id = recognition_id
        session.add(recognition)
    return _recognitions(session, models.Recognition.id == recognition.id)[0]


def remove_recognition(session: Session, *, recognition_id: uuid.UUID) -> None:
    recognition = session.get(models.Recognition, recognition_id)
    if recognition is None:
        raise NotFoundError("That recognition no longer exists.")
    with writing(session):
        recognition.deleted_at = utcnow()


def restore_recognition(session: Session, *, recognition_id: uuid.UUID) -> None:
    undelete(session, models.Recognition, recognition_id, what="recognition")


def milestones_due(session: Session) -> list[MilestoneDue]:
    """Volunteers who passed an hours milestone (10, 50, 100, 250) that no recognition marks yet (most hours first)."""
    totals = {t.key: t for t in hours_by_volunteer(session) if t.hours >= HOUR_MILESTONES[0]}
    if not totals:
        return []
    recognised: dict[uuid.UUID, float] = defaultdict(float)
    for volunteer_id, hours in session.execute(
        select(models.Recognition.volunteer_id, func.max(models.Recognition.hours_at_time))
        .where(models.Recognition.kind == RecognitionKind.MILESTONE, models.Recognition.deleted_at.is_(None))
        .group_by(models.Recognition.volunteer_id)
    ):
        recognised[volunteer_id] = hours or 0.0
    live = set(session.execute(select(models.Volunteer.id).where(models.Volunteer.id.in_(list(totals)),
                                                                 models.Volunteer.deleted_at.is_(None),
                                                                 models.Volunteer.erased_at.is_(None))).scalars())
    due = []
    for volunteer_id, total in totals.items():
        reached = max(m for m in HOUR_MILESTONES if total.hours >= m)
        if volunteer_id in live and reached > recognised[volunteer_id]:
            due.append(MilestoneDue(volunteer_id=volunteer_id, name=total.label, total_hours=total.hours,
                                    milestone=reached))
    return sorted(due, key=lambda d: (-d.milestone, -d.total_hours, d.name))


# ============================================================================ volunteers' rights (UK GDPR)


@dataclass(frozen=True)
class SubjectAccess:
    """Everything the data file holds about one volunteer, section by section, as (label, value) pairs."""

    name: str
    produced_on: date
    sections: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = field(default_factory=tuple)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%d/%m/%Y %H:%M UTC")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}"
    return str(getattr(value, "label", value))


def _still_held(deleted_at: datetime | None) -> str:
    return f" (removed on {deleted_at.astimezone(UTC):%d/%m/%Y}, still held)" if deleted_at else ""


def subject_access(session: Session, *, volunteer_id: uuid.UUID) -> SubjectAccess:
    """A subject access request: every stored field of the volunteer and of each record about them, including
    the records removed (hidden so that the removal can be undone) but still held in the file."""
    volunteer = session.get(models.Volunteer, volunteer_id)
    if volunteer is None:
        raise NotFoundError("That volunteer no longer exists.")
    personal = tuple((label, _text(getattr(volunteer, name))) for name, label in (
        ("name", "Name"), ("email", "E-mail"), ("phone", "Phone"), ("address", "Address"), ("skills", "Skills"),
        ("availability", "Availability"), ("how_heard", "How they heard about us"),
        ("consent_to_contact", "Agreed to be contacted"), ("consent_details", "What they agreed to"),
        ("consent_given_on", "Consent given on"), ("consent_withdrawn_on", "Consent withdrawn on"),
        ("emergency_contact_name", "Emergency contact"), ("emergency_contact_phone", "Emergency contact's phone"),
        ("notes", "Notes"), ("created_at", "Record created"), ("updated_at", "Record last changed"),
        ("deleted_at", "Removed from the list on"), ("erased_at", "Personal details erased on")))
    personal = tuple((label, ", ".join(t.label for t in _times(value)) if label == "Availability" else value)
                     for label, value in personal if value or label not in ("Removed from the list on",
                                                                            "Personal details erased on"))
    sections: list[tuple[str, tuple[tuple[str, str], ...]]] = [("Personal details", personal)]
    for check in session.execute(select(models.VolunteerCheck).where(models.VolunteerCheck.volunteer_id == volunteer_id)
                                 .order_by(models.VolunteerCheck.obtained_on)).scalars():
        sections.append((f"Check or training: {check.kind.label}{_still_held(check.deleted_at)}", (
            ("Obtained on", _text(check.obtained_on)), ("Renewal due on", _text(check.renewal_due_on)),
            ("Reference", check.reference))))
    placements = session.execute(
        select(models.Placement, models.Opportunity.title, models.Partner.name)
        .join(models.Opportunity, models.Opportunity.id == models.Placement.opportunity_id)
        .join(models.Partner, models.Partner.id == models.Opportunity.host_partner_id)
        .where(models.Placement.volunteer_id == volunteer_id).order_by(models.Placement.starts_on)).all()
    for placement, opportunity, host in placements:
        hours = session.execute(select(models.HoursEntry).where(models.HoursEntry.placement_id == placement.id)
                                .order_by(models.HoursEntry.on_date, models.HoursEntry.created_at)).scalars().all()
        total = sum(h.hours for h in hours if h.deleted_at is None)
        sections.append((f"Placement: {opportunity} (hosted by {host}){_still_held(placement.deleted_at)}", (
            ("Status", placement.status.label), ("Started on", _text(placement.starts_on)),
            ("Ended on", _text(placement.ends_on)), ("Notes", placement.notes), ("Total hours", _text(total)),
            *((f"Hours on {_text(h.on_date)}{_still_held(h.deleted_at)}",
               f"{h.hours:g}" + (f" – {h.activity}" if h.activity else "")) for h in hours))))
    for recognition in session.execute(select(models.Recognition).where(models.Recognition.volunteer_id == volunteer_id)
                                       .order_by(models.Recognition.given_on)).scalars():
        sections.append((f"Recognition: {recognition.title}{_still_held(recognition.deleted_at)}", (
            ("Kind", recognition.kind.label), ("Given on", _text(recognition.given_on)),
            ("Message", recognition.message), ("Hours at the time", _text(recognition.hours_at_time)))))
    return SubjectAccess(name=volunteer.name, produced_on=date.today(), sections=tuple(sections))


def export_subject_access(session: Session, *, volunteer_id: uuid.UUID, path: Path) -> Path:
    """Write the subject access report: readable text, or JSON when ``path`` ends in .json."""
    from cohesion_desktop.export.subject_access import write_subject_access
    from cohesion_desktop.services.settings import get_settings

    report = subject_access(session, volunteer_id=volunteer_id)
    return write_subject_access(path, name=report.name, produced_on=report.produced_on,
                                organisation=get_settings(session).organisation_name, sections=report.sections)


def write_certificates(session: Session, *, volunteer_ids: Sequence[uuid.UUID], path: Path, message: str,
                       organisation: str, signatory: str = "", logo: Path | None = None,
                       milestone: int | None = None, record: bool = True) -> Path:
    """Certificates of thanks (one page each, with the hours given so far); each is recorded as a
    recognition, and a milestone certificate marks that milestone as recognised."""
    from cohesion_desktop.export.certificates import Certificate
    from cohesion_desktop.export.certificates import write_certificates as write_pdf

    today = date.today()
    people = [get_volunteer(session, volunteer_id) for volunteer_id in volunteer_ids]
    erased = [p for p in people if p.erased]
    if erased:
        raise ValidationError.single("volunteers", "Certificates cannot be made for erased volunteers.")
    written = write_pdf(path, [Certificate(volunteer_name=p.data.name, hours=p.total_hours, message=message,
                                           awarded_on=today, milestone=milestone) for p in people],
                        organisation_name=organisation, logo=logo, signatory=signatory)
    if record:
        kind = RecognitionKind.MILESTONE if milestone else RecognitionKind.CERTIFICATE
        for person in people:
            add_recognition(session, volunteer_id=person.id, kind=kind,
                            title=f"Certificate: {milestone} hours" if milestone else "Certificate of thanks",
                            given_on=today, message=message,
                            hours_at_time=float(milestone) if milestone else person.total_hours)
    return written


@dataclass(frozen=True)
class InactiveVolunteer:
    volunteer_id: uuid.UUID
    name: str
    last_activity: date
    months_inactive: int
    removed: bool = False  # hidden (removed, or their adding undone) but still held: erase, or nothing


def inactive_volunteers(session: Session, *, months: int, today: date | None = None) -> list[InactiveVolunteer]:
    """Volunteers with no hours (and no change to their record) for more than ``months``: review, then keep
    with a reason or erase (UK GDPR storage limitation). Volunteers removed from the list but still held come
    first, however recent: nothing uses their details any more."""
    today = today or date.today()
    cutoff = date(today.year - (months - today.month + 12) // 12 if months >= today.month else today.year,
                  (today.month - months - 1) % 12 + 1, 1)
    last_hours = (select(models.Placement.volunteer_id.label("volunteer_id"),
                         func.max(models.HoursEntry.on_date).label("last"))
                  .join(models.HoursEntry, models.HoursEntry.placement_id == models.Placement.id)
                  .where(models.HoursEntry.deleted_at.is_(None)).group_by(models.Placement.volunteer_id).subquery())
    # Only the inactive come back (the test below, done in SQL too): reading all 100,000 volunteers to keep a
    # few made a background count that the window then paid for in garbage collection.
    rows = session.execute(select(models.Volunteer.id, models.Volunteer.name, models.Volunteer.updated_at,
                                  last_hours.c.last, models.Volunteer.deleted_at)
                           .outerjoin(last_hours, last_hours.c.volunteer_id == models.Volunteer.id)
                           .where(models.Volunteer.erased_at.is_(None),
                                  or_(models.Volunteer.deleted_at.is_not(None),  # removed but held: always listed
                                      and_(models.Volunteer.updated_at < datetime.combine(cutoff, time(), tzinfo=UTC),
                                           or_(last_hours.c.last.is_(None), last_hours.c.last < cutoff))))).all()
    found = []
    for volunteer_id, name, updated_at, last, deleted_at in rows:
        changed = updated_at.date()
        last_activity = max(last, changed) if last else changed
        if last_activity < cutoff or deleted_at is not None:
            gap = (today.year - last_activity.year) * 12 + today.month - last_activity.month
            found.append(InactiveVolunteer(volunteer_id=volunteer_id, name=name, last_activity=last_activity,
                                           months_inactive=gap, removed=deleted_at is not None))
    return sorted(found, key=lambda v: (not v.removed, v.last_activity, v.name))
