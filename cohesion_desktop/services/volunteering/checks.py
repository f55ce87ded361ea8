"""Checks and training a volunteer holds (DBS levels, first aid, safeguarding …): recording them, what lapses
soon, and whether what a volunteer holds satisfies what an opportunity requires."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.store import undelete, writing
from cohesion_desktop.domain import (
    DBS_LEVELS,
    CheckKind,
)
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.i18n import _
from cohesion_desktop.services.volunteering.common import live_volunteer


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


def check_rows(session: Session, where: Any) -> list[CheckRow]:
    rows = session.execute(
        select(models.VolunteerCheck, col(models.Volunteer.name))
        .join(models.Volunteer, col(models.Volunteer.id) == col(models.VolunteerCheck.volunteer_id))
        .where(col(models.VolunteerCheck.deleted_at).is_(None), where)
        .order_by(col(models.VolunteerCheck.renewal_due_on).is_(None), col(models.VolunteerCheck.renewal_due_on))
    ).all()
    return [
        CheckRow(
            id=c.id,
            volunteer_id=c.volunteer_id,
            volunteer=name,
            kind=c.kind,
            obtained_on=c.obtained_on,
            renewal_due_on=c.renewal_due_on,
            reference=c.reference,
        )
        for c, name in rows
    ]


def add_check(
    session: Session,
    *,
    volunteer_id: uuid.UUID,
    kind: CheckKind,
    obtained_on: date,
    renewal_due_on: date | None = None,
    reference: str = "",
    check_id: uuid.UUID | None = None,
) -> CheckRow:
    live_volunteer(session, volunteer_id)
    if obtained_on > date.today():
        raise ValidationError.single("obtained_on", _("A check cannot have been obtained in the future."))
    if renewal_due_on is not None and renewal_due_on < obtained_on:
        raise ValidationError.single("renewal_due_on", _("The renewal date is before the date it was obtained."))
    with writing(session):
        check = models.VolunteerCheck(
            volunteer_id=volunteer_id,
            kind=CheckKind(kind),
            obtained_on=obtained_on,
            renewal_due_on=renewal_due_on,
            reference=reference.strip(),
        )
        if check_id is not None:
            check.id = check_id
        session.add(check)
    return check_rows(session, col(models.VolunteerCheck.id) == check.id)[0]


def remove_check(session: Session, *, check_id: uuid.UUID) -> None:
    check = session.get(models.VolunteerCheck, check_id)
    if check is None:
        raise NotFoundError(_("That check no longer exists."))
    with writing(session):
        check.deleted_at = utcnow()


def restore_check(session: Session, *, check_id: uuid.UUID) -> None:
    undelete(session, models.VolunteerCheck, check_id, what="check")


def renewals_due(session: Session, *, within_days: int = 60, today: date | None = None) -> list[CheckRow]:
    """Checks and training that have lapsed or lapse within ``within_days`` (soonest first)."""
    today = today or date.today()
    return check_rows(
        session,
        and_(
            col(models.VolunteerCheck.renewal_due_on).is_not(None),
            col(models.VolunteerCheck.renewal_due_on) <= today + timedelta(days=within_days),
            col(models.Volunteer.deleted_at).is_(None),
            col(models.Volunteer.erased_at).is_(None),
        ),
    )


def current_checks(rows: Iterable[CheckRow]) -> list[CheckRow]:
    """Of ``rows``, each volunteer's latest check or training of each kind (in the order given): a DBS check
    renewed last year leaves the older one's renewal date behind, and nobody needs reminding of that one."""
    latest: dict[tuple[uuid.UUID, CheckKind], CheckRow] = {}
    rows = list(rows)
    for row in rows:
        key = (row.volunteer_id, row.kind)
        if key not in latest or row.obtained_on > latest[key].obtained_on:
            latest[key] = row
    kept = {row.id for row in latest.values()}
    return [row for row in rows if row.id in kept]


def holds(checks: Iterable[CheckRow], needed: CheckKind, today: date) -> bool:
    """Whether current checks satisfy ``needed`` (a higher DBS level satisfies a lower one)."""
    current = {c.kind for c in checks if c.is_current(today)}
    if needed in DBS_LEVELS:
        return any(level in current for level in DBS_LEVELS[DBS_LEVELS.index(needed) :])
    return needed in current


def missing_checks(checks: Iterable[CheckRow], needed: Iterable[CheckKind], today: date) -> list[CheckKind]:
    held = list(checks)
    return [kind for kind in needed if not holds(held, kind, today)]
