"""A volunteer's right to erasure (UK GDPR): what erasing removes, what it leaves and until when, and doing it so
that no byte of the person is left in the data file.

1. :func:`erasure_plan`, before asking: every record about the person, the activity texts of their hours
   (which may name them, or others: "Drove Ann Both's van"), other records that mention their name or e-mail
   without being linked to them, and every copy of the file that still holds them, with the day it goes.
2. :func:`erase_volunteer`: a backup first (one call site: :func:`back_up_before_erasure`); then one
   transaction blanks every personal field, the placement notes and, when chosen, the activity texts, removes
   checks and recognitions, and marks the file "wipe pending"; then the file is rewritten and its WAL
   emptied (``db.wiping``), and the mark removed. A volunteer whose adding was undone (hidden, not deleted)
   is erased the same way.
3. :func:`finish_erasure`: another program reading the file can hold old copies of its pages in the WAL. The
   mark stays until a later try succeeds; the window retries by itself, and ``erase`` again on the command line.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, Result, delete, func, or_, select
from sqlmodel import Session, col

from cohesion_desktop.db import backups, history, models, wiping
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.sql import contains_ignoring_case, table_of
from cohesion_desktop.db.store import writing
from cohesion_desktop.db.versions import update_rows
from cohesion_desktop.errors import CohesionError, NotFoundError, StorageError, ValidationError
from cohesion_desktop.formatting import format_date, format_hours, format_number, plural_count
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services.volunteering.totals import counted_hours

log = logging.getLogger(__name__)

ERASED_NAME = "Erased volunteer"
MENTIONS_LISTED = 50
# Shorter names or e-mails would match everywhere ("Al", "Jo"): they are not searched for in other records.
SHORTEST_SEARCHED = 4

# The mark that a wipe is still to be done, and which step: the whole file ("rewrite") or only its WAL.
_PENDING_KEY = "erasure_wipe_pending"
_REWRITE, _JOURNAL = "rewrite", "journal"

# The personal fields of a volunteer, blanked by erasure (the name becomes ERASED_NAME).
_BLANKED = (
    "email",
    "phone",
    "address",
    "skills",
    "availability",
    "how_heard",
    "consent_details",
    "emergency_contact_name",
    "emergency_contact_phone",
    "notes",
    "search_text",
)

Progress = Callable[[str, float], None]


def _changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed."""
    assert isinstance(result, CursorResult)
    return result.rowcount


@dataclass(frozen=True)
class ActivityText:
    """One activity text of a volunteer's hours, with how many entries say it and when."""

    text: str
    entries: int
    first_on: date
    last_on: date


@dataclass(frozen=True)
class Mention:
    """Another record whose text holds the person's name or e-mail; erasure leaves it as it is."""

    where: str
    text: str


@dataclass(frozen=True)
class HeldCopy:
    """A copy of the data file on this laptop that still holds the person after the erasure."""

    path: Path
    made_at: datetime
    set_aside: bool  # beside the data file after a restore or damage; otherwise a backup
    deleted_on: date | None  # the day the app deletes it; None: it is never deleted automatically


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing one volunteer would do and leave, for the question asked before it."""

    volunteer_id: uuid.UUID
    name: str
    removed: bool  # hidden (its adding undone, or deleted) but still held
    hours: float  # given on their placements; they stay in every total, with no name
    checks: int
    recognitions: int
    placement_notes: int
    activities: tuple[ActivityText, ...]
    mentions: tuple[Mention, ...]
    copies: tuple[HeldCopy, ...]  # on this laptop now
    backup_first: bool  # a backup is made just before erasing (it holds the person too)

    @property
    def activity_entries(self) -> int:
        return sum(activity.entries for activity in self.activities)

    def removes(self, *, blank_activities: bool) -> list[str]:
        """What the erasure removes, one plain sentence each, in the interface's language."""
        said = [_("their name, contact details, address, skills, availability, consent, emergency contact and notes")]
        if self.checks:
            said.append(
                ngettext(
                    "{n} check or training record (DBS references included)",
                    "{n} checks or training records (DBS references included)",
                    self.checks,
                ).format(n=format_number(self.checks))
            )
        if self.recognitions:
            said.append(
                ngettext("{n} thanks or award", "{n} thanks or awards", self.recognitions).format(
                    n=format_number(self.recognitions)
                )
            )
        if self.placement_notes:
            said.append(
                ngettext("the notes on {n} placement", "the notes on {n} placements", self.placement_notes).format(
                    n=format_number(self.placement_notes)
                )
            )
        if blank_activities and self.activities:
            entries = self.activity_entries
            said.append(
                ngettext(
                    "the activity text of {n} hours entry", "the activity text of {n} hours entries", entries
                ).format(n=format_number(entries))
            )
        return said

    def remains(self, *, blank_activities: bool) -> list[str]:
        """What is left of the person after the erasure, and until when, one plain sentence each, in the interface's
        language."""
        said = []
        if self.hours and not self.removed:
            said.append(
                ngettext(
                    "Their {hours} hour stays in every total and report, with no name.",
                    "Their {hours} hours stay in every total and report, with no name.",
                    plural_count(self.hours),
                ).format(hours=format_hours(self.hours))
            )
        if self.activities and not blank_activities:
            entries = self.activity_entries
            said.append(
                ngettext(
                    "The activity text of {n} hours entry (kept as you chose).",
                    "The activity text of {n} hours entries (kept as you chose).",
                    entries,
                ).format(n=format_number(entries))
            )
        if self.mentions:
            mentions = len(self.mentions)
            said.append(
                (
                    ngettext(
                        "Their name or e-mail in the first {n} other record found, which erasure does not change: "
                        "edit them yourself if they should not say it.",
                        "Their name or e-mail in the first {n} other records found, which erasure does not change: "
                        "edit them yourself if they should not say it.",
                        mentions,
                    )
                    if mentions >= MENTIONS_LISTED
                    else ngettext(
                        "Their name or e-mail in {n} other record, which erasure does not change: edit it yourself "
                        "if it should not say it.",
                        "Their name or e-mail in {n} other records, which erasure does not change: edit them "
                        "yourself if they should not say it.",
                        mentions,
                    )
                ).format(n=format_number(mentions))
            )
        deleted_on = [copy.deleted_on for copy in self.copies if copy.deleted_on is not None]
        if self.backup_first:
            deleted_on.append(backup_deleted_on(datetime.now()))
        if deleted_on:
            copies = len(deleted_on)
            held = (
                ngettext(
                    "{n} backup of the data file made before the erasure (made just before it, in case the erasure "
                    "was a mistake) still holds this person.",
                    "{n} backups of the data file made before the erasure (one made just before it, in case the "
                    "erasure was a mistake) still hold this person.",
                    copies,
                )
                if self.backup_first
                else ngettext(
                    "{n} backup of the data file made before the erasure still holds this person.",
                    "{n} backups of the data file made before the erasure still hold this person.",
                    copies,
                )
            ).format(n=format_number(copies))
            goes = ngettext(
                "The app deletes a backup {days} days after it was made, so it goes on {day} (or the first time the "
                "app is opened after that day).",
                "The app deletes a backup {days} days after it was made, so the last goes on {day} (or the first "
                "time the app is opened after that day).",
                copies,
            ).format(days=backups.BACKUP_MAX_AGE_DAYS, day=format_date(max(deleted_on)))
            said.append(f"{held} {goes}")
        set_aside = [copy.path.name for copy in self.copies if copy.set_aside]
        if set_aside:
            said.append(
                ngettext(
                    "Of those, {n} is a copy set aside beside the data file after a restore or damage ({names}), "
                    "deleted on the same schedule.",
                    "Of those, {n} are copies set aside beside the data file after a restore or damage ({names}), "
                    "deleted on the same schedule.",
                    len(set_aside),
                ).format(n=format_number(len(set_aside)), names=", ".join(set_aside))
            )
        said.append(
            _(
                "Copies you made yourself (File → Back up now, exports, subject access files) are not touched: "
                "delete them yourself. The log file holds no personal data."
            )
        )
        return said


@dataclass(frozen=True)
class ErasureReport:
    volunteer_id: uuid.UUID
    hours_kept: float  # still counted in totals, no longer linked to a person
    checks_removed: int
    recognitions_removed: int
    activities_blanked: int
    backup: Path | None  # the backup made just before
    unfinished: str | None  # why old copies are still in the file (then erasure_unfinished is True), or None

    @property
    def finished(self) -> bool:
        return self.unfinished is None


def backup_deleted_on(made_at: datetime) -> date:
    """The day the app deletes a backup made at ``made_at`` (see ``db.backups.prune_backups``)."""
    return (made_at + timedelta(days=backups.BACKUP_MAX_AGE_DAYS)).date()


def _held_volunteer(session: Session, volunteer_id: uuid.UUID) -> models.Volunteer:
    """The volunteer, live or hidden: a hidden one is still held, so it can be erased too."""
    volunteer = session.get(models.Volunteer, volunteer_id)
    if volunteer is None:
        raise NotFoundError(_("That volunteer no longer exists."))
    return volunteer


def _their_placements(volunteer_id: uuid.UUID) -> Any:
    return select(col(models.Placement.id)).where(col(models.Placement.volunteer_id) == volunteer_id)


def _records_of(session: Session, volunteer_id: uuid.UUID) -> list[uuid.UUID]:
    """The ids of the person's placements, hours, checks and recognitions (the records erasure changes)."""
    found: list[uuid.UUID] = []
    for query in (
        _their_placements(volunteer_id),
        select(col(models.HoursEntry.id)).where(
            col(models.HoursEntry.placement_id).in_(_their_placements(volunteer_id))
        ),
        select(col(models.VolunteerCheck.id)).where(col(models.VolunteerCheck.volunteer_id) == volunteer_id),
        select(col(models.Recognition.id)).where(col(models.Recognition.volunteer_id) == volunteer_id),
    ):
        found += session.execute(query).scalars()
    return found


def _counted_hours(session: Session, volunteer_id: uuid.UUID) -> float:
    """Their hours that count in the totals (none for a hidden volunteer), as every total counts them."""
    hours = session.execute(
        select(func.coalesce(func.sum(col(models.HoursEntry.hours)), 0)).where(
            col(models.HoursEntry.placement_id).in_(_their_placements(volunteer_id)), *counted_hours()
        )
    ).scalar_one()
    return round(float(hours), 2)


def _activities(session: Session, volunteer_id: uuid.UUID) -> tuple[ActivityText, ...]:
    rows = session.execute(
        select(
            col(models.HoursEntry.activity),
            func.count(),
            func.min(col(models.HoursEntry.on_date)),
            func.max(col(models.HoursEntry.on_date)),
        )
        .where(
            col(models.HoursEntry.placement_id).in_(_their_placements(volunteer_id)),
            col(models.HoursEntry.activity) != "",
        )
        .group_by(col(models.HoursEntry.activity))
        .order_by(func.max(col(models.HoursEntry.on_date)).desc())
    ).all()
    return tuple(
        ActivityText(text=text, entries=int(entries), first_on=first, last_on=last)
        for text, entries, first, last in rows
    )


def _shortened(text: str, term: str, width: int = 90) -> str:
    """The part of ``text`` around ``term``, on one line."""
    flat = " ".join(text.split())
    found = flat.casefold().find(term.casefold())
    start = max(0, found - width // 3) if found >= 0 else 0
    part = flat[start : start + width]
    return ("…" if start else "") + part + ("…" if start + width < len(flat) else "")


def _mentions(session: Session, volunteer: models.Volunteer) -> tuple[Mention, ...]:
    """Records not about this volunteer whose free text holds their name or e-mail (hidden ones too: they
    are still in the file). Matched as typed, ignoring the case of A–Z."""
    terms = [
        term for term in (" ".join(volunteer.name.split()), volunteer.email.strip()) if len(term) >= SHORTEST_SEARCHED
    ]
    if not terms:
        return ()

    def holds(*columns: Any) -> Any:
        return or_(*[contains_ignoring_case(column, term) for column in columns for term in terms])

    def term_in(text: str) -> str:
        return next((term for term in terms if term.casefold() in text.casefold()), terms[0])

    other = table_of(models.Volunteer).alias("other")
    found: list[Mention] = []
    queries: list[tuple[Any, Callable[[Any], str]]] = [
        (
            select(other.c.name, col(models.HoursEntry.on_date), col(models.HoursEntry.activity))
            .join(models.Placement, col(models.Placement.id) == col(models.HoursEntry.placement_id))
            .join(other, other.c.id == col(models.Placement.volunteer_id))
            .where(col(models.Placement.volunteer_id) != volunteer.id, holds(col(models.HoursEntry.activity))),
            lambda r: _("Hours of {name} on {day}").format(name=r[0], day=format_date(r[1])),
        ),
        (
            select(
                other.c.name, other.c.emergency_contact_name, other.c.notes, other.c.address, other.c.consent_details
            ).where(
                other.c.id != volunteer.id,
                holds(other.c.emergency_contact_name, other.c.notes, other.c.address, other.c.consent_details),
            ),
            lambda r: _("Volunteer {name}'s details").format(name=r[0]),
        ),
        (
            select(other.c.name, col(models.Placement.notes))
            .join(other, other.c.id == col(models.Placement.volunteer_id))
            .where(col(models.Placement.volunteer_id) != volunteer.id, holds(col(models.Placement.notes))),
            lambda r: _("Placement notes of {name}").format(name=r[0]),
        ),
        (
            select(other.c.name, col(models.Recognition.title), col(models.Recognition.message))
            .join(other, other.c.id == col(models.Recognition.volunteer_id))
            .where(
                col(models.Recognition.volunteer_id) != volunteer.id,
                holds(col(models.Recognition.title), col(models.Recognition.message)),
            ),
            lambda r: _("Thanks to {name}").format(name=r[0]),
        ),
        (
            select(col(models.Workshop.title), col(models.Workshop.held_on), col(models.MatrixEntry.text))
            .join(models.Workshop, col(models.Workshop.id) == col(models.MatrixEntry.workshop_id))
            .where(holds(col(models.MatrixEntry.text))),
            lambda r: _("Workshop “{title}” ({day}), matrix entry").format(title=r[0], day=format_date(r[1])),
        ),
        (
            select(
                col(models.Workshop.title),
                col(models.Workshop.held_on),
                col(models.Workshop.facilitator),
                col(models.Workshop.notes),
            ).where(holds(col(models.Workshop.title), col(models.Workshop.facilitator), col(models.Workshop.notes))),
            lambda r: _("Workshop “{title}” ({day})").format(title=r[0], day=format_date(r[1])),
        ),
        (
            select(col(models.Action.title), col(models.Action.notes)).where(
                holds(col(models.Action.title), col(models.Action.notes))
            ),
            lambda r: _("Action “{title}”").format(title=r[0]),
        ),
        (
            select(col(models.Partner.name), col(models.Partner.remit), col(models.Partner.notes)).where(
                holds(col(models.Partner.name), col(models.Partner.remit), col(models.Partner.notes))
            ),
            lambda r: _("Partner {name}").format(name=r[0]),
        ),
        (
            select(
                col(models.Partner.name), col(models.Contact.name), col(models.Contact.email), col(models.Contact.role)
            )
            .join(models.Partner, col(models.Partner.id) == col(models.Contact.partner_id))
            .where(holds(col(models.Contact.name), col(models.Contact.email), col(models.Contact.role))),
            lambda r: _("Contact at partner {name}").format(name=r[0]),
        ),
        (
            select(
                col(models.Opportunity.title),
                col(models.Opportunity.description),
                col(models.Opportunity.accessibility_notes),
            ).where(
                holds(
                    col(models.Opportunity.title),
                    col(models.Opportunity.description),
                    col(models.Opportunity.accessibility_notes),
                )
            ),
            lambda r: _("Opportunity “{title}”").format(title=r[0]),
        ),
    ]
    for query, where in queries:
        for row in session.execute(query.limit(MENTIONS_LISTED - len(found))):
            texts = [value for value in row[1:] if isinstance(value, str) and value]
            # Only the fields that hold the name: another volunteer's address is not for this list.
            text = " · ".join([t for t in texts if any(term.casefold() in t.casefold() for term in terms)] or texts)
            found.append(Mention(where=where(row), text=_shortened(text, term_in(text))))
        if len(found) >= MENTIONS_LISTED:
            break
    return tuple(found)


def held_copies(data_file: Path) -> list[HeldCopy]:
    """The copies of ``data_file`` the app keeps on this laptop: its backups and the copies set aside beside it
    (by a restore, or when it was damaged), all deleted on the one schedule of ``db.backups.prune_backups``."""
    return [
        HeldCopy(
            path=info.path,
            made_at=info.made_at,
            set_aside=info.set_aside,
            deleted_on=backup_deleted_on(info.made_at),
        )
        for info in backups.list_backups(data_file, set_aside=True)
    ]


def was_erased(session: Session, *, volunteer_id: uuid.UUID) -> bool:
    return _held_volunteer(session, volunteer_id).erased_at is not None


def erasure_plan(session: Session, *, volunteer_id: uuid.UUID, data_file: Path | None = None) -> ErasurePlan:
    """What :func:`erase_volunteer` would remove and leave; ``data_file`` to list the copies that still hold the
    person (and to count the backup made before erasing)."""
    volunteer = _held_volunteer(session, volunteer_id)
    if volunteer.erased_at is not None:
        raise ValidationError.single("volunteer", _("This volunteer's details were already erased."))
    hours = _counted_hours(session, volunteer_id)
    checks = session.execute(
        select(func.count())
        .select_from(models.VolunteerCheck)
        .where(col(models.VolunteerCheck.volunteer_id) == volunteer_id)
    ).scalar_one()
    recognitions = session.execute(
        select(func.count()).select_from(models.Recognition).where(col(models.Recognition.volunteer_id) == volunteer_id)
    ).scalar_one()
    notes = session.execute(
        select(func.count())
        .select_from(models.Placement)
        .where(col(models.Placement.volunteer_id) == volunteer_id, col(models.Placement.notes) != "")
    ).scalar_one()
    return ErasurePlan(
        volunteer_id=volunteer_id,
        name=volunteer.name,
        removed=volunteer.deleted_at is not None,
        hours=hours,
        checks=int(checks),
        recognitions=int(recognitions),
        placement_notes=int(notes),
        activities=_activities(session, volunteer_id),
        mentions=_mentions(session, volunteer),
        copies=tuple(held_copies(data_file)) if data_file is not None else (),
        backup_first=data_file is not None,
    )


def back_up_before_erasure(data_file: Path) -> Path | None:
    """The backup made before an erasure, so that a mistaken one can be undone by a restore until it ages out.

    Raises CohesionError, and nothing is erased, when the copy cannot be made.
    """
    return backups.backup_before(data_file, "erasure")


def _pending(session: Session) -> str:
    row = session.get(models.Setting, _PENDING_KEY)
    return row.value if row else ""


def _set_pending(session: Session, step: str) -> None:
    row = session.get(models.Setting, _PENDING_KEY)
    if not step:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(models.Setting(key=_PENDING_KEY, value=step))
    else:
        row.value = step


def _wipe(session: Session, step: str, progress: Progress) -> str | None:
    """Do the wipe from ``step`` on; None when the file holds nothing erased any more, else why not yet."""
    engine = session.get_bind()
    if not wiping.wipes_its_bytes(engine):
        return None  # a team database: the server's to clean (db/wiping.py)
    if session.in_transaction():
        session.commit()  # a read still open here would itself keep the old pages in the WAL
    if step == _REWRITE:
        progress(_("Rewriting the data file without the erased details…"), -1)
        problem = wiping.rewrite_file(engine)  # type: ignore[arg-type]
        if problem is not None:
            return problem
    progress(_("Emptying the journal beside the data file…"), -1)
    problem = wiping.empty_wal(engine)  # type: ignore[arg-type]
    try:
        with writing(session):
            _set_pending(session, _JOURNAL if problem else "")
    except StorageError:
        # The wipe itself is as reported; a mark left behind only makes a later wipe redo the work.
        log.warning("the mark of a pending wipe could not be updated")
    return problem


def erasure_unfinished(session: Session) -> bool:
    """Whether an erasure's wipe is still to be done: old copies of erased details may be in the file."""
    return bool(_pending(session))


def finish_erasure(session: Session, *, progress: Progress | None = None) -> str | None:
    """Finish the wipe of an earlier erasure, if one is pending. None when nothing erased is left in the file
    (or nothing was pending), else why not yet."""
    step = _pending(session)
    if not step:
        return None
    return _wipe(session, step, progress or (lambda _stage, _fraction: None))


def _blank(
    session: Session, volunteer: models.Volunteer, *, blank_activities: bool, erased_at: datetime | None = None
) -> tuple[int, int, int]:
    """The erasure itself, in the caller's transaction: checks, recognitions, placement notes, (activity texts,)
    the personal fields, and their history. Returns how many checks, recognitions and activities went.

    ``erased_at``: an erasure made in another file (a merge), which keeps its time; the records it blanks keep
    theirs too, so that merging either file into the other gives the same records."""
    volunteer_id = volunteer.id
    kept_time = volunteer.updated_at
    # A merged erasure changes no record's time of change: the column itself, set as it is.
    stamp: Any = utcnow() if erased_at is None else None
    placements = _their_placements(volunteer_id)
    # Every record whose history may hold something of the person: it keeps no values after the erasure.
    theirs = _records_of(session, volunteer_id)
    checks = _changed(
        session.execute(delete(models.VolunteerCheck).where(col(models.VolunteerCheck.volunteer_id) == volunteer_id))
    )
    recognitions = _changed(
        session.execute(delete(models.Recognition).where(col(models.Recognition.volunteer_id) == volunteer_id))
    )
    session.execute(
        update_rows(models.Placement)
        .where(col(models.Placement.volunteer_id) == volunteer_id, col(models.Placement.notes) != "")
        .values(notes="", updated_at=stamp if stamp is not None else col(models.Placement.updated_at))
    )
    blanked = 0
    if blank_activities:
        blanked = _changed(
            session.execute(
                update_rows(models.HoursEntry)
                .where(col(models.HoursEntry.placement_id).in_(placements), col(models.HoursEntry.activity) != "")
                .values(activity="", updated_at=stamp if stamp is not None else col(models.HoursEntry.updated_at))
            )
        )
    for name in _BLANKED:
        setattr(volunteer, name, "")
    volunteer.name = ERASED_NAME
    volunteer.consent_to_contact = volunteer.consent_unknown = False  # nobody left to ask
    volunteer.consent_given_on = volunteer.consent_withdrawn_on = None
    volunteer.erased_at = erased_at or stamp
    volunteer.updated_at = stamp or kept_time
    history.forget(session, kind="volunteer", record_id=volunteer_id, also=theirs)  # flushes
    if stamp is None:  # an unchanged time would otherwise be stamped "now" by the flush
        session.execute(
            update_rows(models.Volunteer).where(col(models.Volunteer.id) == volunteer_id).values(updated_at=kept_time)
        )
    # In the same transaction: if the app stops before the wipe, the next start still knows to do it.
    if wiping.wipes_its_bytes(session.get_bind()):
        _set_pending(session, _REWRITE)
    return int(checks or 0), int(recognitions or 0), int(blanked or 0)


def blank_erased_volunteer(session: Session, *, volunteer_id: uuid.UUID) -> None:
    """Erase, in the caller's transaction (no backup, no wipe yet: :func:`finish_erasure` after the commit), a
    volunteer whom another laptop's file erased (a merge); their erasure keeps its time."""
    volunteer = _held_volunteer(session, volunteer_id)
    _blank(session, volunteer, blank_activities=True, erased_at=volunteer.erased_at)


def records_of_volunteers(session: Session, volunteer_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """The volunteers and every record of theirs whose history could hold something of them."""
    found: list[uuid.UUID] = []
    for volunteer_id in volunteer_ids:
        found += [volunteer_id, *_records_of(session, volunteer_id)]
    return found


def erase_volunteer(
    session: Session,
    *,
    volunteer_id: uuid.UUID,
    blank_activities: bool = True,
    data_file: Path | None = None,
    progress: Progress | None = None,
) -> ErasureReport:
    """Remove a volunteer's personal data for good, from the records and from the file's bytes (see the module
    docstring); their hours stay in every total, anonymously. ``data_file``: make the backup first."""
    report = progress or (lambda _stage, _fraction: None)
    volunteer = _held_volunteer(session, volunteer_id)
    if volunteer.erased_at is not None:
        raise ValidationError.single("volunteer", _("This volunteer's details were already erased."))
    hours = _counted_hours(session, volunteer_id)
    made = None
    if data_file is not None:
        report(_("Making a backup first…"), -1)
        try:
            made = back_up_before_erasure(data_file)
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CohesionError(
                _("Nothing was erased: the backup made first could not be made ({reason}).").format(reason=reason)
            ) from exc
    report(_("Removing their personal details…"), -1)
    with writing(session):
        checks, recognitions, blanked = _blank(session, volunteer, blank_activities=blank_activities)
    unfinished = _wipe(session, _REWRITE, report)
    return ErasureReport(
        volunteer_id=volunteer_id,
        hours_kept=hours,
        checks_removed=int(checks or 0),
        recognitions_removed=int(recognitions or 0),
        activities_blanked=int(blanked or 0),
        backup=made,
        unfinished=unfinished,
    )
