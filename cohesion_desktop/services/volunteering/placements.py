"""Placements (a volunteer on an opportunity) and the hours logged on them, one entry at a time or a week
at a time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from cohesion_desktop.db import models, versions
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.store import undelete, writing
from cohesion_desktop.db.versions import update_rows
from cohesion_desktop.domain import (
    OpportunityStatus,
    PlacementStatus,
)
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.formatting import format_date, format_hours, format_number, plural_count
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services.volunteering.checks import check_rows, missing_checks
from cohesion_desktop.services.volunteering.common import ACTIVE_PLACEMENT, live_volunteer
from cohesion_desktop.services.volunteering.opportunities import list_opportunities


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
    version: int  # as read: a change of status hands it back (set_placement_status), so a stale one is refused


def list_placements(
    session: Session,
    *,
    volunteer_id: uuid.UUID | None = None,
    opportunity_id: uuid.UUID | None = None,
    active_only: bool = False,
) -> list[PlacementRow]:
    query = (
        select(
            models.Placement,
            col(models.Volunteer.name),
            col(models.Opportunity.title),
            col(models.Partner.name),
            func.coalesce(
                func.sum(case((col(models.HoursEntry.deleted_at).is_(None), col(models.HoursEntry.hours)), else_=0)), 0
            ),
        )
        .join(models.Volunteer, col(models.Volunteer.id) == col(models.Placement.volunteer_id))
        .join(models.Opportunity, col(models.Opportunity.id) == col(models.Placement.opportunity_id))
        .join(models.Partner, col(models.Partner.id) == col(models.Opportunity.host_partner_id))
        .outerjoin(models.HoursEntry, col(models.HoursEntry.placement_id) == col(models.Placement.id))
        .where(
            col(models.Placement.deleted_at).is_(None),
            col(models.Volunteer.deleted_at).is_(None),
            col(models.Opportunity.deleted_at).is_(None),
        )
        # Every joined table's key, not only the placement's: a server asks that each selected column be grouped
        # or depend on a grouped key (SQLite lets a bare column through).
        .group_by(
            col(models.Placement.id), col(models.Volunteer.id), col(models.Opportunity.id), col(models.Partner.id)
        )
        .order_by(col(models.Volunteer.name), col(models.Opportunity.title))
    )
    if volunteer_id is not None:
        query = query.where(col(models.Placement.volunteer_id) == volunteer_id)
    if opportunity_id is not None:
        query = query.where(col(models.Placement.opportunity_id) == opportunity_id)
    if active_only:
        query = query.where(col(models.Placement.status).in_(ACTIVE_PLACEMENT))
    return [
        PlacementRow(
            id=p.id,
            volunteer_id=p.volunteer_id,
            volunteer=volunteer,
            opportunity_id=p.opportunity_id,
            opportunity=title,
            host=host,
            status=p.status,
            starts_on=p.starts_on,
            hours=float(hours),
            version=p.version,
        )
        for p, volunteer, title, host, hours in session.execute(query).all()
    ]


def place_volunteer(
    session: Session,
    *,
    volunteer_id: uuid.UUID,
    opportunity_id: uuid.UUID,
    starts_on: date | None = None,
    today: date | None = None,
) -> PlacementRow:
    """Put a volunteer on an opportunity. Refuses when a required check is missing or no place is left."""
    today = today or date.today()
    volunteer = live_volunteer(session, volunteer_id)
    if volunteer.erased_at is not None:
        raise ValidationError.single("volunteer", _("This volunteer's details were erased."))
    [opportunity] = list_opportunities(session, ids=[opportunity_id])
    checks = check_rows(session, col(models.VolunteerCheck.volunteer_id) == volunteer_id)
    missing = missing_checks(checks, opportunity.requirements, today)
    if missing:
        raise ValidationError.single(
            "checks",
            _("{name} needs {checks} (current) before joining “{opportunity}”.").format(
                name=volunteer.name, checks=", ".join(k.label for k in missing), opportunity=opportunity.title
            ),
        )
    existing = session.execute(
        select(models.Placement).where(
            col(models.Placement.volunteer_id) == volunteer_id, col(models.Placement.opportunity_id) == opportunity_id
        )
    ).scalar_one_or_none()
    if existing is not None and existing.deleted_at is None:
        raise ValidationError.single(
            "placement",
            _("{name} is already placed on “{opportunity}”.").format(
                name=volunteer.name, opportunity=opportunity.title
            ),
        )
    if opportunity.places_left == 0:
        raise ValidationError.single(
            "places",
            _(
                "“{opportunity}” has no places left ({filled} of {places} filled). "
                "Add a place to the opportunity first."
            ).format(
                opportunity=opportunity.title,
                filled=format_number(opportunity.places_available),
                places=format_number(opportunity.places_available),
            ),
        )
    with writing(session):
        if existing is not None:  # placed once before and removed: bring that placement (and its hours) back
            existing.deleted_at, existing.status = None, PlacementStatus.ACTIVE
            placement = existing
        else:
            placement = models.Placement(
                volunteer_id=volunteer_id,
                opportunity_id=opportunity_id,
                status=PlacementStatus.ACTIVE,
                starts_on=starts_on or today,
            )
            session.add(placement)
        if (
            opportunity.places_filled + 1 >= opportunity.places_available
            and opportunity.status == OpportunityStatus.OPEN
        ):
            session.get(models.Opportunity, opportunity_id).status = OpportunityStatus.FILLED  # type: ignore[union-attr]
    return next(p for p in list_placements(session, volunteer_id=volunteer_id) if p.id == placement.id)


def set_placement_status(
    session: Session, *, placement_id: uuid.UUID, status: PlacementStatus, version: int | None = None
) -> None:
    """``version``: the :attr:`PlacementRow.version` the editor showed; a placement somebody saved since is refused
    (ConflictError)."""
    placement = session.get(models.Placement, placement_id)
    if placement is None or placement.deleted_at is not None:
        raise NotFoundError(_("That placement no longer exists."))
    versions.expect(session, placement, version)
    with writing(session):
        placement.status = PlacementStatus(status)
        if status in (PlacementStatus.COMPLETED, PlacementStatus.WITHDRAWN) and placement.ends_on is None:
            placement.ends_on = date.today()


def remove_placement(session: Session, *, placement_id: uuid.UUID) -> None:
    """Take a volunteer off an opportunity (undoable); a filled opportunity with a place free again reopens."""
    placement = session.get(models.Placement, placement_id)
    if placement is None:
        raise NotFoundError(_("That placement no longer exists."))
    opportunity = session.get(models.Opportunity, placement.opportunity_id)
    with writing(session):
        placement.deleted_at = utcnow()
        session.flush()
        if opportunity is not None and opportunity.status == OpportunityStatus.FILLED:
            opportunity.status = OpportunityStatus.OPEN


MAX_HOURS_PER_DAY = 24


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
        raise ValidationError.single("hours", _("Enter the hours given, more than 0."))
    if hours > MAX_HOURS_PER_DAY:
        raise ValidationError.single(
            "hours",
            ngettext(
                "{hours} hour is more than a day; enter at most {most} per entry.",
                "{hours} hours is more than a day; enter at most {most} per entry.",
                plural_count(hours),
            ).format(hours=format_hours(hours), most=format_number(MAX_HOURS_PER_DAY)),
        )
    if on_date > today:
        raise ValidationError.single("on_date", _("{date} is in the future.").format(date=format_date(on_date)))
    return round(float(hours), 2)


def log_hours(
    session: Session,
    *,
    placement_id: uuid.UUID,
    on_date: date,
    hours: float,
    activity: str = "",
    entry_id: uuid.UUID | None = None,
    today: date | None = None,
) -> HoursRow:
    """Record hours given on one day for one placement."""
    placement = session.get(models.Placement, placement_id)
    if placement is None or placement.deleted_at is not None:
        raise ValidationError.single("placement", _("Choose the volunteer's placement first."))
    amount = _check_hours(hours, on_date, today or date.today())
    with writing(session):
        entry = models.HoursEntry(placement_id=placement_id, on_date=on_date, hours=amount, activity=activity.strip())
        if entry_id is not None:
            entry.id = entry_id
        session.add(entry)
    return list_hours(session, ids=[entry.id])[0]


def delete_hours(session: Session, *, entry_id: uuid.UUID) -> None:
    entry = session.get(models.HoursEntry, entry_id)
    if entry is None:
        raise NotFoundError(_("That hours entry no longer exists."))
    with writing(session):
        entry.deleted_at = utcnow()


def restore_hours(session: Session, *, entry_id: uuid.UUID) -> None:
    undelete(session, models.HoursEntry, entry_id, what="hours entry")


def list_hours(
    session: Session, *, ids: Sequence[uuid.UUID] | None = None, volunteer_id: uuid.UUID | None = None, limit: int = 200
) -> list[HoursRow]:
    query = (
        select(models.HoursEntry, col(models.Volunteer.name), col(models.Opportunity.title))
        .join(models.Placement, col(models.Placement.id) == col(models.HoursEntry.placement_id))
        .join(models.Volunteer, col(models.Volunteer.id) == col(models.Placement.volunteer_id))
        .join(models.Opportunity, col(models.Opportunity.id) == col(models.Placement.opportunity_id))
        .where(col(models.HoursEntry.deleted_at).is_(None))
        .order_by(col(models.HoursEntry.on_date).desc(), col(models.HoursEntry.created_at).desc())
    )
    if ids is not None:
        query = query.where(col(models.HoursEntry.id).in_(ids))
    if volunteer_id is not None:
        query = query.where(col(models.Placement.volunteer_id) == volunteer_id)
    return [
        HoursRow(
            id=h.id,
            placement_id=h.placement_id,
            volunteer=volunteer,
            opportunity=title,
            on_date=h.on_date,
            hours=h.hours,
            activity=h.activity,
        )
        for h, volunteer, title in session.execute(query.limit(limit)).all()
    ]


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
            select(
                col(models.HoursEntry.placement_id),
                col(models.HoursEntry.on_date),
                func.sum(col(models.HoursEntry.hours)),
            )
            .where(
                col(models.HoursEntry.deleted_at).is_(None),
                col(models.HoursEntry.on_date).between(days[0], days[-1]),
                col(models.HoursEntry.placement_id).in_([p.id for p in placements]),
            )
            .group_by(col(models.HoursEntry.placement_id), col(models.HoursEntry.on_date))
        ):
            totals[(placement_id, on_date)] = float(hours)
    return [WeekRow(placement=p, days=tuple(totals.get((p.id, d), 0.0) for d in days)) for p in placements]


def set_day_hours(
    session: Session,
    *,
    placement_id: uuid.UUID,
    on_date: date,
    hours: float,
    activity: str = "Logged in the week grid",
    today: date | None = None,
) -> list[uuid.UUID]:
    """Make a placement's hours on one day total ``hours`` (0 clears the day); returns the entries hidden,
    so an undo can bring them back with :func:`restore_day_hours`."""
    today = today or date.today()
    if hours:
        hours = _check_hours(hours, on_date, today)
    elif on_date > today:
        raise ValidationError.single("on_date", _("{date} is in the future.").format(date=format_date(on_date)))
    hidden = list(
        session.execute(
            select(col(models.HoursEntry.id)).where(
                col(models.HoursEntry.placement_id) == placement_id,
                col(models.HoursEntry.on_date) == on_date,
                col(models.HoursEntry.deleted_at).is_(None),
            )
        ).scalars()
    )
    with writing(session):
        if hidden:
            session.execute(
                update_rows(models.HoursEntry).where(col(models.HoursEntry.id).in_(hidden)).values(deleted_at=utcnow())
            )
        if hours:
            session.add(models.HoursEntry(placement_id=placement_id, on_date=on_date, hours=hours, activity=activity))
    return hidden


def restore_day_hours(
    session: Session, *, placement_id: uuid.UUID, on_date: date, entry_ids: Sequence[uuid.UUID]
) -> None:
    """Undo :func:`set_day_hours`: hide that day's entries and show the earlier ones again."""
    with writing(session):
        session.execute(
            update_rows(models.HoursEntry)
            .where(
                col(models.HoursEntry.placement_id) == placement_id,
                col(models.HoursEntry.on_date) == on_date,
                col(models.HoursEntry.deleted_at).is_(None),
            )
            .values(deleted_at=utcnow())
        )
        if entry_ids:
            session.execute(
                update_rows(models.HoursEntry).where(col(models.HoursEntry.id).in_(entry_ids)).values(deleted_at=None)
            )
