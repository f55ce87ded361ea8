"""Opportunities: volunteering (or in-kind) offers hosted by a partner, optionally supported by another."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from cohesion_desktop.db import models, versions
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.sql import raw_id, table_of, without_index
from cohesion_desktop.db.store import undelete, writing
from cohesion_desktop.domain import (
    Availability,
    CheckKind,
    OpportunityKind,
    OpportunityStatus,
)
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import _
from cohesion_desktop.services.partners import _vocabulary_ids, normalise_name
from cohesion_desktop.services.search_text import opportunity_search_text
from cohesion_desktop.services.volunteering.common import ACTIVE_PLACEMENT, join_times, live_opportunity, parse_times
from cohesion_desktop.text import split_list


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
class OpportunityDetail:
    row: OpportunityRow
    description: str
    accessibility_notes: str
    version: int  # as read: the editor hands it back with a save (update_opportunity), so a stale one is refused


def list_opportunities(session: Session, *, ids: Sequence[uuid.UUID] | None = None) -> list[OpportunityRow]:
    """Live opportunities with host, supporter, place, requirements and how many places are filled."""
    host = table_of(models.Partner).alias("host")
    supporter = table_of(models.Partner).alias("supporter")
    # Without the opportunity index: a look-up in the table for each of 125,000 placements
    # took three times as long as reading the table through (0.46 s against 0.14 s on the large file).
    filled = dict(
        session.execute(
            select(raw_id(col(models.Placement.opportunity_id)), func.count())
            .where(col(models.Placement.deleted_at).is_(None), col(models.Placement.status).in_(ACTIVE_PLACEMENT))
            .group_by(without_index(col(models.Placement.opportunity_id)))
        ).all()
    )
    needs: dict[str, list[CheckKind]] = defaultdict(list)
    for opportunity_id, kind in session.execute(
        select(raw_id(col(models.OpportunityRequirement.opportunity_id)), col(models.OpportunityRequirement.check_kind))
    ):
        needs[opportunity_id].append(kind)
    opportunity = models.Opportunity
    # Columns, not Opportunity objects: building 5,000 of them took most of the page's 3 s on the large file.
    query = (
        select(
            col(opportunity.id),
            col(opportunity.title),
            col(opportunity.host_partner_id),
            col(opportunity.supporting_partner_id),
            col(opportunity.kind),
            col(opportunity.starts_on),
            col(opportunity.ends_on),
            col(opportunity.recurrence),
            col(opportunity.times),
            col(opportunity.places_available),
            col(opportunity.skills),
            col(opportunity.status),
            col(opportunity.search_text),
            host.c.name,
            supporter.c.name,
            col(models.Place.name),
        )
        .join(host, host.c.id == col(models.Opportunity.host_partner_id))
        .outerjoin(supporter, supporter.c.id == col(models.Opportunity.supporting_partner_id))
        .outerjoin(models.Place, col(models.Place.id) == col(models.Opportunity.place_id))
        .where(col(models.Opportunity.deleted_at).is_(None))
        .order_by(col(models.Opportunity.title))
    )
    if ids is not None:
        query = query.where(col(models.Opportunity.id).in_(ids))
    rows = []
    order = list(CheckKind)
    for (
        opportunity_id,
        title,
        host_id,
        supporter_id,
        kind,
        starts_on,
        ends_on,
        recurrence,
        times,
        places_available,
        skills,
        status,
        search_text,
        host_name,
        supporter_name,
        place,
    ) in session.execute(query):
        hex_id = opportunity_id.hex
        rows.append(
            OpportunityRow(
                id=opportunity_id,
                title=title,
                host_id=host_id,
                host=host_name,
                supporter_id=supporter_id,
                supporter=supporter_name or "",
                kind=kind,
                place=place or "",
                starts_on=starts_on,
                ends_on=ends_on,
                recurrence=recurrence,
                times=parse_times(times),
                places_available=places_available,
                places_filled=filled.get(hex_id, 0),
                skills=skills,
                status=status,
                requirements=tuple(sorted(needs.get(hex_id, []), key=order.index)),
                search_text=search_text,
            )
        )
    return rows


def get_opportunity(session: Session, opportunity_id: uuid.UUID) -> OpportunityDetail:
    opportunity = live_opportunity(session, opportunity_id)
    [row] = list_opportunities(session, ids=[opportunity_id])
    return OpportunityDetail(
        row=row,
        description=opportunity.description,
        accessibility_notes=opportunity.accessibility_notes,
        version=opportunity.version,
    )


def _validate_opportunity(session: Session, data: OpportunityInput) -> dict[str, Any]:
    problems: dict[str, str] = {}
    title = normalise_name(data.title)
    if not title:
        problems["title"] = _("Give the opportunity a title.")
    host = session.get(models.Partner, data.host_partner_id) if data.host_partner_id else None
    if host is None or host.deleted_at is not None:
        problems["host"] = _("Choose the partner that hosts the opportunity.")
    if data.supporting_partner_id is not None:
        supporter = session.get(models.Partner, data.supporting_partner_id)
        if supporter is None or supporter.deleted_at is not None:
            problems["supporter"] = _("The supporting partner no longer exists.")
        elif data.supporting_partner_id == data.host_partner_id:
            problems["supporter"] = _("The supporting partner must be another partner than the host.")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        problems["ends_on"] = _("The end ({end}) is before the start ({start}).").format(
            end=format_date(data.ends_on), start=format_date(data.starts_on)
        )
    if data.places_available < 0:
        problems["places_available"] = _("The number of places cannot be negative.")
    elif data.places_available > 100_000:
        problems["places_available"] = _("That is more places than any opportunity needs; check the number.")
    if problems:
        raise ValidationError(problems)
    return {"title": title}


def check_opportunity(session: Session, *, data: OpportunityInput) -> None:
    """Raise the ValidationError that saving ``data`` would raise, without saving anything."""
    _validate_opportunity(session, data)


def _write_opportunity(session: Session, opportunity: models.Opportunity, data: OpportunityInput, title: str) -> None:
    place_ids = _vocabulary_ids(session, models.Place, [data.place]) if data.place.strip() else []
    opportunity.title, opportunity.description = title, data.description.strip()
    opportunity.host_partner_id = data.host_partner_id  # type: ignore[assignment]
    opportunity.supporting_partner_id = data.supporting_partner_id
    opportunity.kind, opportunity.status = OpportunityKind(data.kind), OpportunityStatus(data.status)
    opportunity.place_id = place_ids[0] if place_ids else None
    opportunity.starts_on, opportunity.ends_on = data.starts_on, data.ends_on
    opportunity.recurrence, opportunity.times = data.recurrence.strip(), join_times(data.times)
    opportunity.places_available = data.places_available
    opportunity.skills = ", ".join(split_list(data.skills))
    opportunity.accessibility_notes = data.accessibility_notes.strip()
    host = session.get(models.Partner, data.host_partner_id)
    supporter = session.get(models.Partner, data.supporting_partner_id) if data.supporting_partner_id else None
    opportunity.search_text = opportunity_search_text(
        title=title,
        description=opportunity.description,
        skills=opportunity.skills,
        host=host.name if host else "",
        supporter=supporter.name if supporter else "",
        place=data.place.strip(),
    )
    session.flush()
    session.execute(
        delete(models.OpportunityRequirement).where(col(models.OpportunityRequirement.opportunity_id) == opportunity.id)
    )
    for kind in dict.fromkeys(data.requirements):
        session.add(models.OpportunityRequirement(opportunity_id=opportunity.id, check_kind=CheckKind(kind)))


def create_opportunity(
    session: Session, *, data: OpportunityInput, opportunity_id: uuid.UUID | None = None
) -> OpportunityDetail:
    cleaned = _validate_opportunity(session, data)
    with writing(session):
        opportunity = models.Opportunity(title=cleaned["title"], host_partner_id=data.host_partner_id)  # type: ignore
        if opportunity_id is not None:
            opportunity.id = opportunity_id
        session.add(opportunity)
        _write_opportunity(session, opportunity, data, cleaned["title"])
    return get_opportunity(session, opportunity.id)


def update_opportunity(
    session: Session, *, opportunity_id: uuid.UUID, data: OpportunityInput, version: int | None = None
) -> OpportunityDetail:
    """Store the opportunity as ``data``. ``version``: the :attr:`OpportunityDetail.version` the editor showed; an
    opportunity somebody saved since is refused (ConflictError)."""
    opportunity = live_opportunity(session, opportunity_id)
    versions.expect(session, opportunity, version)
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
        title=row.title,
        host_partner_id=row.host_id,
        kind=row.kind,
        supporting_partner_id=row.supporter_id,
        description=detail.description,
        place=row.place,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        recurrence=row.recurrence,
        times=row.times,
        places_available=row.places_available,
        skills=row.skills,
        accessibility_notes=detail.accessibility_notes,
        status=row.status,
        requirements=row.requirements,
    )


def delete_opportunity(session: Session, *, opportunity_id: uuid.UUID) -> None:
    opportunity = live_opportunity(session, opportunity_id)
    with writing(session):
        opportunity.deleted_at = utcnow()


def restore_opportunity(session: Session, *, opportunity_id: uuid.UUID) -> None:
    undelete(session, models.Opportunity, opportunity_id, what="opportunity")
