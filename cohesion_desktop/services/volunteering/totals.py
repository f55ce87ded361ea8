"""The hours that count, and their totals: one definition (:func:`counted_hours`) for every figure in the
window, the funder report and the command line, so that they all agree."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session

from cohesion_desktop.db import models


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


def hours_of(session: Session, volunteer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[float, date | None]]:
    rows = session.execute(
        select(models.Placement.volunteer_id, func.sum(models.HoursEntry.hours), func.max(models.HoursEntry.on_date))
        .join(models.HoursEntry, models.HoursEntry.placement_id == models.Placement.id)
        .where(models.Placement.volunteer_id.in_(volunteer_ids), models.HoursEntry.deleted_at.is_(None),
               models.Placement.deleted_at.is_(None))
        .group_by(models.Placement.volunteer_id)).all()
    return {volunteer_id: (float(total or 0), last) for volunteer_id, total, last in rows}
