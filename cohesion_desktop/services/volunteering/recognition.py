"""Recognition: thanks, awards and certificates, and the hours milestones that no recognition marks yet."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.store import undelete, writing
from cohesion_desktop.domain import (
    HOUR_MILESTONES,
    MILESTONE_SLACK,
    RecognitionKind,
)
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services.volunteering.common import live_volunteer
from cohesion_desktop.services.volunteering.totals import hours_of, hours_per_volunteer


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


def recognition_rows(session: Session, where: Any) -> list[RecognitionRow]:
    rows = session.execute(
        select(models.Recognition, col(models.Volunteer.name))
        .join(models.Volunteer, col(models.Volunteer.id) == col(models.Recognition.volunteer_id))
        .where(col(models.Recognition.deleted_at).is_(None), where)
        .order_by(col(models.Recognition.given_on).desc())
    ).all()
    return [
        RecognitionRow(
            id=r.id,
            volunteer_id=r.volunteer_id,
            volunteer=name,
            kind=r.kind,
            title=r.title,
            given_on=r.given_on,
            message=r.message,
            hours_at_time=r.hours_at_time,
        )
        for r, name in rows
    ]


@dataclass(frozen=True)
class MilestoneDue:
    volunteer_id: uuid.UUID
    name: str
    total_hours: float
    milestone: int


def add_recognition(
    session: Session,
    *,
    volunteer_id: uuid.UUID,
    kind: RecognitionKind,
    title: str,
    given_on: date,
    message: str = "",
    hours_at_time: float | None = None,
    recognition_id: uuid.UUID | None = None,
) -> RecognitionRow:
    volunteer = live_volunteer(session, volunteer_id)
    if volunteer.erased_at is not None:
        raise ValidationError.single("volunteer", _("This volunteer's details were erased."))
    title = " ".join(title.split())
    if not title:
        raise ValidationError.single("title", _("Say what the recognition is (e.g. 'Thank-you card')."))
    with writing(session):
        recognition = models.Recognition(
            volunteer_id=volunteer_id,
            kind=RecognitionKind(kind),
            title=title,
            given_on=given_on,
            message=message.strip(),
            hours_at_time=hours_at_time,
        )
        if recognition_id is not None:
            recognition.id = recognition_id
        session.add(recognition)
    return recognition_rows(session, col(models.Recognition.id) == recognition.id)[0]


def remove_recognition(session: Session, *, recognition_id: uuid.UUID) -> None:
    recognition = session.get(models.Recognition, recognition_id)
    if recognition is None:
        raise NotFoundError(_("That recognition no longer exists."))
    with writing(session):
        recognition.deleted_at = utcnow()


def restore_recognition(session: Session, *, recognition_id: uuid.UUID) -> None:
    undelete(session, models.Recognition, recognition_id, what="recognition")


def milestones_due(session: Session) -> list[MilestoneDue]:
    """Volunteers who passed an hours milestone (10, 50, 100, 250) that no recognition marks yet (most hours first).

    Counted, compared and filtered in one query, so that only the volunteers due come back: on the large file
    nearly all are (89,000), and reading every volunteer's total first to keep them took 10 s of the background
    task's time, whose objects the window then paid for in garbage collection.
    """
    totals = hours_per_volunteer(at_least=HOUR_MILESTONES[0] - MILESTONE_SLACK)
    reached = case(
        *(
            (totals.c.hours + MILESTONE_SLACK >= milestone, milestone)
            for milestone in sorted(HOUR_MILESTONES, reverse=True)
        ),
        else_=0,
    )
    recognised = (
        select(
            col(models.Recognition.volunteer_id).label("volunteer_id"),
            func.max(col(models.Recognition.hours_at_time)).label("hours"),
        )
        .where(col(models.Recognition.kind) == RecognitionKind.MILESTONE, col(models.Recognition.deleted_at).is_(None))
        .group_by(col(models.Recognition.volunteer_id))
        .subquery()
    )
    # On the connection: plain rows, without the ORM's row handling (a second for 89,000 rows).
    rows = (
        session.connection()
        .execute(
            select(col(models.Volunteer.id), col(models.Volunteer.name), totals.c.hours, reached)
            .join(totals, totals.c.volunteer_id == col(models.Volunteer.id))
            .outerjoin(recognised, recognised.c.volunteer_id == col(models.Volunteer.id))
            .where(
                col(models.Volunteer.deleted_at).is_(None),
                col(models.Volunteer.erased_at).is_(None),
                reached > func.coalesce(recognised.c.hours, 0),
            )
            .order_by(reached.desc(), totals.c.hours.desc(), col(models.Volunteer.name))
        )
        .all()
    )
    # Sorted again here (at little cost: already in order), as names are compared in Python's order on every
    # engine, not in a server's collation.
    due = [
        MilestoneDue(volunteer_id=volunteer_id, name=name, total_hours=float(hours), milestone=int(milestone))
        for volunteer_id, name, hours, milestone in rows
    ]
    return sorted(due, key=lambda d: (-d.milestone, -d.total_hours, d.name))


def write_certificates(
    session: Session,
    *,
    volunteer_ids: Sequence[uuid.UUID],
    path: Path,
    message: str,
    organisation: str,
    signatory: str = "",
    logo: Path | None = None,
    milestone: int | None = None,
    record: bool = True,
    language: str | None = None,
) -> Path:
    """Certificates of thanks (one page each, with the hours given so far); each is recorded as a
    recognition, and a milestone certificate marks that milestone as recognised.

    ``language``: the certificates' own words in "en", "cy" or "cy+en" (Welsh, then English); None is the
    interface's. The recognition recorded is titled in the interface's language, as the rest of the window.
    """
    from cohesion_desktop.export.certificates import Certificate
    from cohesion_desktop.export.certificates import write_certificates as write_pdf

    today = date.today()
    people = [live_volunteer(session, volunteer_id) for volunteer_id in volunteer_ids]
    if any(person.erased_at is not None for person in people):
        raise ValidationError.single("volunteers", _("Certificates cannot be made for erased volunteers."))
    hours = {volunteer_id: total for volunteer_id, (total, _last) in hours_of(session, volunteer_ids).items()}
    written = write_pdf(
        path,
        [
            Certificate(
                volunteer_name=p.name,
                hours=hours.get(p.id, 0.0),
                message=message,
                awarded_on=today,
                milestone=milestone,
            )
            for p in people
        ],
        organisation_name=organisation,
        logo=logo,
        signatory=signatory,
        language=language,
    )
    if record:
        kind = RecognitionKind.MILESTONE if milestone else RecognitionKind.CERTIFICATE
        for person in people:
            add_recognition(
                session,
                volunteer_id=person.id,
                kind=kind,
                title=ngettext("Certificate: {n} hour", "Certificate: {n} hours", milestone).format(n=milestone)
                if milestone
                else _("Certificate of thanks"),
                given_on=today,
                message=message,
                hours_at_time=float(milestone) if milestone else hours.get(person.id, 0.0),
            )
    return written
