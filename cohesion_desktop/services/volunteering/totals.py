"""The hours that count, and their totals: one definition (:func:`counted_hours`) and one count per month
(:func:`hours_by_month`) for every figure in the window, the funder report and the command line, so that they
all agree. A period is a :class:`~cohesion_desktop.dates.Period`, both days included; None means all time."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import Session, col

from cohesion_desktop.dates import Period
from cohesion_desktop.db import models
from cohesion_desktop.export.funder_report import MonthHours


@dataclass(frozen=True)
class Total:
    key: uuid.UUID | None
    label: str
    hours: float
    entries: int


def excluded_placements(volunteer_ids: Sequence[uuid.UUID] | None = None) -> Any:
    """Placements whose hours do not count: it, its volunteer, its opportunity or the host partner was deleted
    (a delete is undoable, so the hours come back with it). Erased volunteers' hours do count.

    Nearly always empty. Written as IN over small sets rather than joins, so the database scans the placements
    once instead of looking up three rows for each of them. With ``volunteer_ids``, only the placements of those
    volunteers: a few rows looked up by index, where the whole set scans every placement and every volunteer
    (0.1–0.2 s at 100,000 volunteers, for each screenful of the Volunteers table).
    """
    placement = models.Placement
    deleted_partners = select(col(models.Partner.id)).where(col(models.Partner.deleted_at).is_not(None))
    opportunities = select(col(models.Opportunity.id)).where(
        or_(
            col(models.Opportunity.deleted_at).is_not(None),
            col(models.Opportunity.host_partner_id).in_(deleted_partners),
        )
    )
    volunteers = select(col(models.Volunteer.id)).where(col(models.Volunteer.deleted_at).is_not(None))
    narrowed: list[ColumnElement[bool]] = []
    if volunteer_ids is not None:
        narrowed = [col(placement.volunteer_id).in_(volunteer_ids)]
        volunteers = volunteers.where(col(models.Volunteer.id).in_(volunteer_ids))
        theirs = select(col(placement.opportunity_id)).where(col(placement.volunteer_id).in_(volunteer_ids))
        opportunities = opportunities.where(col(models.Opportunity.id).in_(theirs))
    return select(col(placement.id)).where(
        *narrowed,
        or_(
            col(placement.deleted_at).is_not(None),
            col(placement.volunteer_id).in_(volunteers),
            col(placement.opportunity_id).in_(opportunities),
        ),
    )


def counted_hours(period: Period | None = None, *, volunteer_ids: Sequence[uuid.UUID] | None = None) -> list[Any]:
    """Conditions on ``hours_entry`` for the hours that count (dated within ``period`` when given): every
    total in the app and in the funder report uses these, so they all agree. A query that counts only the hours
    of some volunteers passes their ``volunteer_ids`` (it must still select their placements itself): the
    conditions are then much cheaper to work out."""
    conditions: list[ColumnElement[bool]] = [
        col(models.HoursEntry.deleted_at).is_(None),
        col(models.HoursEntry.placement_id).not_in(excluded_placements(volunteer_ids)),
    ]
    if period is not None:
        conditions += [col(models.HoursEntry.on_date) >= period.start, col(models.HoursEntry.on_date) <= period.end]
    return conditions


def hours_by_month(session: Session, *, period: Period) -> list[MonthHours]:
    """Hours (and hours entries) per calendar month of ``period``; months with none give 0.

    Summed by day in SQL and by month here: about 365 rows for a year, where grouping by a computed month
    makes SQLite sort every entry (0.1 s against 0.5 s at a million entries), and no SQL date function is the
    same on every database.
    """
    months: dict[date, list[float]] = defaultdict(lambda: [0.0, 0])
    for day, hours, entries in session.execute(
        select(col(models.HoursEntry.on_date), func.sum(col(models.HoursEntry.hours)), func.count())
        .where(*counted_hours(period))
        .group_by(col(models.HoursEntry.on_date))
    ):
        total = months[day.replace(day=1)]
        total[0] += hours
        total[1] += entries
    return [
        MonthHours(month, round(hours, 2), int(entries))
        for month in period.months()
        for hours, entries in [months.get(month, [0.0, 0])]
    ]


def _totals(
    session: Session, key: Any, label: Any, joins: Sequence[tuple[Any, Any]], period: Period | None, limit: int | None
) -> list[Total]:
    query = select(key, label, func.sum(col(models.HoursEntry.hours)), func.count()).select_from(models.HoursEntry)
    for table, on in joins:
        query = query.join(table, on)
    query = (
        query.where(*counted_hours(period))
        .group_by(key, label)
        .order_by(func.sum(col(models.HoursEntry.hours)).desc(), label)
    )
    if limit:
        query = query.limit(limit)
    return [Total(key=k, label=l_, hours=float(h), entries=int(n)) for k, l_, h, n in session.execute(query).all()]


_PLACEMENT_JOIN = (models.Placement, col(models.Placement.id) == col(models.HoursEntry.placement_id))


def hours_by_volunteer(session: Session, *, period: Period | None = None, limit: int | None = None) -> list[Total]:
    return _totals(
        session,
        col(models.Volunteer.id),
        col(models.Volunteer.name),
        [_PLACEMENT_JOIN, (models.Volunteer, col(models.Volunteer.id) == col(models.Placement.volunteer_id))],
        period,
        limit,
    )


def hours_by_opportunity(session: Session, *, period: Period | None = None, limit: int | None = None) -> list[Total]:
    return _totals(
        session,
        col(models.Opportunity.id),
        col(models.Opportunity.title),
        [_PLACEMENT_JOIN, (models.Opportunity, col(models.Opportunity.id) == col(models.Placement.opportunity_id))],
        period,
        limit,
    )


def hours_by_partner(session: Session, *, period: Period | None = None, limit: int | None = None) -> list[Total]:
    """Hours given on the opportunities each partner hosts."""
    return _totals(
        session,
        col(models.Partner.id),
        col(models.Partner.name),
        [
            _PLACEMENT_JOIN,
            (models.Opportunity, col(models.Opportunity.id) == col(models.Placement.opportunity_id)),
            (models.Partner, col(models.Partner.id) == col(models.Opportunity.host_partner_id)),
        ],
        period,
        limit,
    )


def total_hours(session: Session, *, period: Period | None = None) -> tuple[float, int]:
    """(hours, distinct volunteers who gave them) in a period."""
    hours, people = session.execute(
        select(
            func.coalesce(func.sum(col(models.HoursEntry.hours)), 0),
            func.count(func.distinct(col(models.Placement.volunteer_id))),
        )
        .join(models.Placement, col(models.Placement.id) == col(models.HoursEntry.placement_id))
        .where(*counted_hours(period))
    ).one()
    return float(hours), int(people)


def hours_of(session: Session, volunteer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[float, date | None]]:
    """Each volunteer's counted hours of all time, and the day of their last counted entry."""
    # A screenful of volunteers: their own excluded placements are a few look-ups. Thousands (certificates for
    # a crowd): the whole set is cheaper than their ids three times over, and stays within SQLite's parameters.
    narrowed = volunteer_ids if len(volunteer_ids) <= 1000 else None
    rows = session.execute(
        select(
            col(models.Placement.volunteer_id),
            func.sum(col(models.HoursEntry.hours)),
            func.max(col(models.HoursEntry.on_date)),
        )
        .join(models.HoursEntry, col(models.HoursEntry.placement_id) == col(models.Placement.id))
        .where(col(models.Placement.volunteer_id).in_(volunteer_ids), *counted_hours(volunteer_ids=narrowed))
        .group_by(col(models.Placement.volunteer_id))
    ).all()
    return {volunteer_id: (float(total or 0), last) for volunteer_id, total, last in rows}
