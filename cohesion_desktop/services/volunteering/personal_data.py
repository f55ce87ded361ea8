"""Volunteers' rights under UK GDPR: every volunteer whose personal data the file holds, a subject access
request, and retention (who has been inactive for long). Erasure is in :mod:`.erasure`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session, col

from cohesion_desktop import APP_ID
from cohesion_desktop.db import models
from cohesion_desktop.db.sql import raw_id
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.formatting import format_date, format_datetime, format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services.volunteering.common import parse_times
from cohesion_desktop.services.volunteering.volunteers import consent_label, volunteer_filter


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
    rows = session.execute(
        select(col(volunteer.id), col(volunteer.name), col(volunteer.email), col(volunteer.deleted_at))
        .where(*volunteer_filter(query, hidden_too=True))
        .order_by(col(volunteer.name), col(volunteer.id))
    )
    return [
        HeldVolunteer(id=row.id, name=row.name, email=row.email, removed=row.deleted_at is not None) for row in rows
    ]


def find_volunteer_id(session: Session, reference: str) -> uuid.UUID:
    """A volunteer named on the command line by their id, or by its first 6+ characters (hidden and erased
    volunteers too: their records are still held)."""
    wanted = reference.strip().lower().replace("-", "")
    if len(wanted) < 6 or not re.fullmatch(r"[0-9a-f]+", wanted):
        raise ValidationError.single(
            "volunteer",
            _(
                "'{reference}' is not a volunteer's id: give at least 6 of its characters (cohesion-desktop "
                "volunteers lists them)."
            ).format(reference=reference),
        )
    found = (
        session.execute(
            select(raw_id(col(models.Volunteer.id))).where(raw_id(col(models.Volunteer.id)).startswith(wanted))
        )
        .scalars()
        .all()
    )
    if not found:
        raise NotFoundError(
            _("There is no volunteer with the id '{id}' ({app} volunteers lists them).").format(
                id=reference, app=APP_ID
            )
        )
    if len(found) > 1:
        raise ValidationError.single(
            "volunteer",
            ngettext(
                "'{reference}' matches {n} volunteer; give more of it.",
                "'{reference}' matches {n} volunteers; give more of it.",
                len(found),
            ).format(reference=reference, n=format_number(len(found))),
        )
    return uuid.UUID(found[0])


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
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return f"{format_datetime(value.astimezone(UTC).replace(tzinfo=None))} UTC"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(getattr(value, "label", value))


def _still_held(title: str, deleted_at: datetime | None) -> str:
    """``title``, saying when its record was removed if it was (removed records are still held, so still given)."""
    if deleted_at is None:
        return title
    return _("{title} (removed on {day}, still held)").format(title=title, day=format_date(deleted_at.astimezone(UTC)))


def subject_access(session: Session, *, volunteer_id: uuid.UUID) -> SubjectAccess:
    """A subject access request: every stored field of the volunteer and of each record about them, including
    the records removed (hidden so that the removal can be undone) but still held in the file."""
    volunteer = session.get(models.Volunteer, volunteer_id)
    if volunteer is None:
        raise NotFoundError(_("That volunteer no longer exists."))
    personal = tuple(
        (label, _text(getattr(volunteer, name)))
        for name, label in (
            ("name", N_("Name")),
            ("email", N_("E-mail")),
            ("phone", N_("Phone")),
            ("address", N_("Address")),
            ("skills", N_("Skills")),
            ("availability", N_("Availability")),
            ("how_heard", N_("How they heard about us")),
            ("consent_to_contact", N_("Agreed to be contacted")),
            ("consent_details", N_("What they agreed to")),
            ("consent_given_on", N_("Consent given on")),
            ("consent_withdrawn_on", N_("Consent withdrawn on")),
            ("emergency_contact_name", N_("Emergency contact")),
            ("emergency_contact_phone", N_("Emergency contact's phone")),
            ("notes", N_("Notes")),
            ("created_at", N_("Record created")),
            ("updated_at", N_("Record last changed")),
            ("deleted_at", N_("Removed from the list on")),
            ("erased_at", N_("Personal details erased on")),
        )
    )
    shown: dict[str, Callable[[str], str]] = {
        "Availability": lambda value: ", ".join(t.label for t in parse_times(value)),
        # "Not known" when nobody has asked them: a "No" would say they refused
        "Agreed to be contacted": lambda _value: _(
            consent_label(agreed=volunteer.consent_to_contact, unknown=volunteer.consent_unknown)
        ),
    }
    # The labels are English keys up to here, translated into the interface's language as the report is made.
    personal = tuple(
        (_(label), shown[label](value) if label in shown else value)
        for label, value in personal
        if value or label not in ("Removed from the list on", "Personal details erased on")
    )
    sections: list[tuple[str, tuple[tuple[str, str], ...]]] = [(_("Personal details"), personal)]
    for check in session.execute(
        select(models.VolunteerCheck)
        .where(col(models.VolunteerCheck.volunteer_id) == volunteer_id)
        .order_by(col(models.VolunteerCheck.obtained_on))
    ).scalars():
        sections.append(
            (
                _still_held(_("Check or training: {kind}").format(kind=check.kind.label), check.deleted_at),
                (
                    (_("Obtained on"), _text(check.obtained_on)),
                    (_("Renewal due on"), _text(check.renewal_due_on)),
                    (_("Reference"), check.reference),
                ),
            )
        )
    placements = session.execute(
        select(models.Placement, col(models.Opportunity.title), col(models.Partner.name))
        .join(models.Opportunity, col(models.Opportunity.id) == col(models.Placement.opportunity_id))
        .join(models.Partner, col(models.Partner.id) == col(models.Opportunity.host_partner_id))
        .where(col(models.Placement.volunteer_id) == volunteer_id)
        .order_by(col(models.Placement.starts_on))
    ).all()
    for placement, opportunity, host in placements:
        hours = (
            session.execute(
                select(models.HoursEntry)
                .where(col(models.HoursEntry.placement_id) == placement.id)
                .order_by(col(models.HoursEntry.on_date), col(models.HoursEntry.created_at))
            )
            .scalars()
            .all()
        )
        total = sum(h.hours for h in hours if h.deleted_at is None)
        sections.append(
            (
                _still_held(
                    _("Placement: {opportunity} (hosted by {host})").format(opportunity=opportunity, host=host),
                    placement.deleted_at,
                ),
                (
                    (_("Status"), placement.status.label),
                    (_("Started on"), _text(placement.starts_on)),
                    (_("Ended on"), _text(placement.ends_on)),
                    (_("Notes"), placement.notes),
                    (_("Total hours"), _text(total)),
                    *(
                        (
                            _still_held(_("Hours on {day}").format(day=_text(h.on_date)), h.deleted_at),
                            f"{h.hours:g}" + (f" – {h.activity}" if h.activity else ""),
                        )
                        for h in hours
                    ),
                ),
            )
        )
    for recognition in session.execute(
        select(models.Recognition)
        .where(col(models.Recognition.volunteer_id) == volunteer_id)
        .order_by(col(models.Recognition.given_on))
    ).scalars():
        sections.append(
            (
                _still_held(_("Recognition: {title}").format(title=recognition.title), recognition.deleted_at),
                (
                    (_("Kind"), recognition.kind.label),
                    (_("Given on"), _text(recognition.given_on)),
                    (_("Message"), recognition.message),
                    (_("Hours at the time"), _text(recognition.hours_at_time)),
                ),
            )
        )
    return SubjectAccess(name=volunteer.name, produced_on=date.today(), sections=tuple(sections))


def export_subject_access(session: Session, *, volunteer_id: uuid.UUID, path: Path) -> Path:
    """Write the subject access report: readable text, or JSON when ``path`` ends in .json."""
    from cohesion_desktop.export.subject_access import write_subject_access
    from cohesion_desktop.services.settings import get_settings

    report = subject_access(session, volunteer_id=volunteer_id)
    return write_subject_access(
        path,
        name=report.name,
        produced_on=report.produced_on,
        organisation=get_settings(session).organisation_name,
        sections=report.sections,
    )


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
    cutoff = date(
        today.year - (months - today.month + 12) // 12 if months >= today.month else today.year,
        (today.month - months - 1) % 12 + 1,
        1,
    )
    last_hours = (
        select(
            col(models.Placement.volunteer_id).label("volunteer_id"),
            func.max(col(models.HoursEntry.on_date)).label("last"),
        )
        .join(models.HoursEntry, col(models.HoursEntry.placement_id) == col(models.Placement.id))
        .where(col(models.HoursEntry.deleted_at).is_(None))
        .group_by(col(models.Placement.volunteer_id))
        .subquery()
    )
    # Only the inactive come back (the test below, done in SQL too): reading all 100,000 volunteers to keep a
    # few made a background count that the window then paid for in garbage collection.
    rows = session.execute(
        select(
            col(models.Volunteer.id),
            col(models.Volunteer.name),
            col(models.Volunteer.updated_at),
            last_hours.c.last,
            col(models.Volunteer.deleted_at),
        )
        .outerjoin(last_hours, last_hours.c.volunteer_id == col(models.Volunteer.id))
        .where(
            col(models.Volunteer.erased_at).is_(None),
            or_(
                col(models.Volunteer.deleted_at).is_not(None),  # removed but held: always listed
                and_(
                    col(models.Volunteer.updated_at) < datetime.combine(cutoff, time(), tzinfo=UTC),
                    or_(last_hours.c.last.is_(None), last_hours.c.last < cutoff),
                ),
            ),
        )
    ).all()
    found = []
    for volunteer_id, name, updated_at, last, deleted_at in rows:
        changed = updated_at.date()
        last_activity = max(last, changed) if last else changed
        if last_activity < cutoff or deleted_at is not None:
            gap = (today.year - last_activity.year) * 12 + today.month - last_activity.month
            found.append(
                InactiveVolunteer(
                    volunteer_id=volunteer_id,
                    name=name,
                    last_activity=last_activity,
                    months_inactive=gap,
                    removed=deleted_at is not None,
                )
            )
    return sorted(found, key=lambda v: (not v.removed, v.last_activity, v.name))
