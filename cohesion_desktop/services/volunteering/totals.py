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

from sqlalchemy import ColumnElement, func, select, union
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


def excluded_placements() -> Any:
    """Placements whose hours do not count: it, its volunteer, its opportunity or the host partner was deleted
    (a delete is undoable, so the hours come back with it). Erased volunteers' hours do count.

    Nearly always empty. Each part starts from the few deleted rows (their indexes hold only those), so no
    table is read whole: a union of lookups rather than one OR, which would scan every placement.
    """
    deleted_partners = select(col(models.Partner.id)).where(col(models.Partner.deleted_at).is_not(None))
    deleted_opportunities = union(
        select(col(models.Opportunity.id)).where(col(models.Opportunity.deleted_at).is_not(None)),
        select(col(models.Opportunity.id)).where(col(models.Opportunity.host_partner_id).in_(deleted_partners)),
    )
    deleted_volunteers = select(col(models.Volunteer.id)).where(col(models.Volunteer.deleted_at).is_not(None))
    return union(
        select(col(models.Placement.id)).where(col(models.Placement.deleted_at).is_not(None)),
        select(col(models.Placement.id)).where(col(models.Placement.volunteer_id).in_(deleted_volunteers)),
        select(col(models.Placement.id)).where(col(models.Placement.opportunity_id).in_(deleted_opportunities)),
    )


def counted_hours(period: Period | None = None) -> list[Any]:
    """Conditions on ``hours_entry`` for the hours that count (dated within ``period`` when given): every
    total in the app and in the funder report uses these, so they all agree."""
    conditions: list[ColumnElement[bool]] = [
        col(models.HoursEntry.deleted_at).is_(None),
        col(models.HoursEntry.placement_id).not_in(excluded_placements()),
    ]
    if period is not None:
        conditions += [col(models.HoursEntry.on_date) >= period.start, col(models.HoursEntry.on_date) <= period.end]
    return conditions


def hours_by_month(session: Session, *, period: Period) -> list[MonthHours]:
    """Hours (and hours entries) per calendar month of ``period``; months with none give 0.

    The hours of :func:`counted_hours`, read as the day totals of every live entry (``hours_day``, which the
    database keeps with each change to an entry) less the live entries of :func:`excluded_placements` (nearly
    always none): about 365 rows for a year where summing the entries read a million (0.5 s). Summed by day in
    SQL and by month here, as no SQL date function is the same on every database.
    """
    within = [col(models.HoursDay.on_date) >= period.start, col(models.HoursDay.on_date) <= period.end]
    live_days = select(col(models.HoursDay.on_date), col(models.HoursDay.hours), col(models.HoursDay.entries)).where(
        *within
    )
    entry_day = col(models.HoursEntry.on_date)
    not_counted = (
        select(entry_day, -func.sum(col(models.HoursEntry.hours)), -func.count())
        .where(
            col(models.HoursEntry.deleted_at).is_(None),
            col(models.HoursEntry.placement_id).in_(excluded_placements()),
            entry_day >= period.start,
            entry_day <= period.end,
        )
        .group_by(entry_day)
    )
    months: dict[date, list[float]] = defaultdict(lambda: [0.0, 0])
    for query in (live_days, not_counted):
        for day, hours, entries in session.execute(query):
            total = months[day.replace(day=1)]
            total[0] += hours
            total[1] += entries
    return [
        MonthHours(month, round(hours, 2) + 0.0, int(entries))  # + 0.0: never -0.0 after a subtraction
        for month in period.months()
        for hours, entries in [months.get(month, [0.0, 0])]
    ]


def hours_per_volunteer(*, at_least: float = 0.0) -> Any:
    """A subquery of each volunteer's counted hours of all time (``volunteer_id``, ``hours``), those with at least
    ``at_least`` hours only.

    Summed by placement first, in the order of the index on (placement, date…), then by volunteer over the
    placements (about 125,000 rows for a million entries): summing the entries by volunteer at once sorted a
    million joined rows (3 s where this takes 1 s on the large file).
    """
    by_placement = (
        select(
            col(models.HoursEntry.placement_id).label("placement_id"),
            func.sum(col(models.HoursEntry.hours)).label("hours"),
        )
        .where(*counted_hours())
        .group_by(col(models.HoursEntry.placement_id))
        .subquery()
    )
    hours = func.sum(by_placement.c.hours)
    query: Any = (
        select(col(models.Placement.volunteer_id).label("volunteer_id"), hours.label("hours"))
        .join(by_placement, by_placement.c.placement_id == col(models.Placement.id))
        .group_by(col(models.Placement.volunteer_id))
    )
    if at_least:
        query = query.having(hours >= at_least)
    return query.subquery()


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
    rows = session.execute(
        select(
            col(models.Placement.volunteer_id),
            func.sum(col(models.HoursEntry.hours)),
            func.max(col(models.HoursEntry.on_date)),
        )
        .join(models.HoursEntry, col(models.HoursEntry.placement_id) == col(models.Placement.id))
        .where(col(models.Placement.volunteer_id).in_(volunteer_ids), *counted_hours())
        .group_by(col(models.Placement.volunteer_id))
    ).all()
    return {volunteer_id: (float(total or 0), last) for volunteer_id, total, last in rows}
