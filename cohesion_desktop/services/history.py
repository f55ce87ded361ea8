"""The change history of a record, in words, and going back to an earlier version of it.

The history itself is recorded by the store for every write (``db.history``); this module reads it for the
History panel (:func:`record_history`), restores a version (:func:`restore_version`, undone by
:func:`put_values`), and thins what is older than the period set in Settings (:func:`thin_history`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlmodel import Session, SQLModel, col

from cohesion_desktop.db import history, models
from cohesion_desktop.db.history import HistoryAction, decode, encode
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.store import writing
from cohesion_desktop.domain import CheckKind, LabelledEnum
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.formatting import format_date, format_month, format_time
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.volunteering import opportunities, volunteers
from cohesion_desktop.services.volunteering.common import parse_times

# What is said when a record of a kind with a History panel is gone: a whole text for each kind (Welsh nouns differ
# in gender, so no "That {kind}").
_GONE = {
    "partner": N_("That partner no longer exists."),
    "volunteer": N_("That volunteer no longer exists."),
    "opportunity": N_("That opportunity no longer exists."),
    "workshop": N_("That workshop no longer exists."),
    "contact": N_("That contact no longer exists."),
}
_RECORD_GONE = N_("That record no longer exists.")

# Field names as the editors label them, translated where shown (the history stores the column's name, which no
# language changes); a field no editor shows is its column name in words.
_FIELD_WORDS = {
    "is_sme": N_("SME"),
    "relationship_stage": N_("Relationship"),
    "host_partner_id": N_("Host"),
    "supporting_partner_id": N_("Supported by"),
    "place_id": N_("Place"),
    "starts_on": N_("Starts"),
    "ends_on": N_("Ends"),
    "places_available": N_("Places available"),
    "accessibility_notes": N_("Accessibility notes"),
    "times": N_("Times"),
    "how_heard": N_("How they heard"),
    "consent_to_contact": N_("Consent to contact"),
    "consent_details": N_("Consent details"),
    "consent_given_on": N_("Consent given on"),
    "consent_withdrawn_on": N_("Consent withdrawn on"),
    "consent_unknown": N_("Consent not known"),
    "emergency_contact_name": N_("Emergency contact"),
    "emergency_contact_phone": N_("Emergency contact's phone"),
    "held_on": N_("Date"),
    "template_id": N_("Template"),
    "template_name": N_("Template"),
    "themes": N_("Themes"),
    "places": N_("Places served"),
    "partners": N_("Partners taking part"),
    "requirements": N_("Checks required"),
    "is_main": N_("Main contact"),
    "name": N_("Name"),
    "sector": N_("Sector"),
    "remit": N_("Remit"),
    "website": N_("Website"),
    "notes": N_("Notes"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "address": N_("Address"),
    "skills": N_("Skills"),
    "availability": N_("Availability"),
    "title": N_("Title"),
    "description": N_("Description"),
    "kind": N_("Kind"),
    "recurrence": N_("Recurrence"),
    "status": N_("Status"),
    "facilitator": N_("Facilitator"),
    "role": N_("Role"),
}

# What a reference column points at, to name the record instead of showing its id.
_REFERS_TO: dict[str, type[SQLModel]] = {
    "host_partner_id": models.Partner,
    "supporting_partner_id": models.Partner,
    "partner_id": models.Partner,
    "owner_partner_id": models.Partner,
    "place_id": models.Place,
    "template_id": models.MatrixTemplate,
    "themes": models.Theme,
    "places": models.Place,
    "partners": models.Partner,
}

# Fields a version can be restored to, by kind (what the editors let people change, so the same checks apply).
RESTORABLE: dict[str, tuple[str, ...]] = {
    "partner": partners.EDITABLE_FIELDS,
    "volunteer": volunteers.EDITABLE_FIELDS,
    "opportunity": (
        "title",
        "description",
        "host_partner_id",
        "supporting_partner_id",
        "kind",
        "place_id",
        "starts_on",
        "ends_on",
        "recurrence",
        "times",
        "places_available",
        "skills",
        "accessibility_notes",
        "status",
    ),
    "workshop": ("title", "held_on", "place_id", "facilitator", "notes"),
}

_LONGEST_VALUE = 120


@dataclass(frozen=True)
class HistoryLine:
    """One change, in words, for the History panel."""

    id: uuid.UUID
    at: datetime
    who: str
    laptop: str
    record_kind: str
    record_id: uuid.UUID
    action: str
    field: str
    text: str
    restorable: bool  # "Restore this version" can go back to how the record was just after this change


def field_words(name: str) -> str:
    """The field ``name`` as its editor labels it, in the interface's language."""
    label = _FIELD_WORDS.get(name)
    return _(label) if label else name.replace("_", " ").capitalize()


def when_words(at: datetime, *, now: datetime | None = None) -> str:
    """'3 Dec 14:02' in this laptop's time zone; with the year when it is not this year's."""
    local = at.astimezone()
    this_year = (now or datetime.now().astimezone()).year
    day = f"{local.day} {format_month(local, year='none')}" + ("" if local.year == this_year else f" {local.year}")
    return f"{day} {format_time(local)}"


def _model(kind: str) -> type[SQLModel]:
    return history.RECORDED[kind]


def _names(session: Session, model: type[SQLModel], ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    label = "title" if "title" in model.__table__.columns else "name"  # type: ignore[attr-defined]
    table = model.__table__  # type: ignore[attr-defined]
    return dict(session.execute(select(table.c.id, table.c[label]).where(table.c.id.in_(ids))).all())


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return f"‘{flat[:_LONGEST_VALUE]}…’" if len(flat) > _LONGEST_VALUE else f"‘{flat}’"


class _Words:
    """Values as people read them: labels of fixed vocabularies, names of linked records, UK dates."""

    def __init__(self, session: Session, entries: Sequence[models.HistoryEntry]) -> None:
        wanted: dict[type[SQLModel], set[uuid.UUID]] = {}
        for entry in entries:
            model = _REFERS_TO.get(entry.field)
            if model is None:
                continue
            for value in (entry.old, entry.new):
                if value:
                    wanted.setdefault(model, set()).add(uuid.UUID(value))
        self._names = {model: _names(session, model, ids) for model, ids in wanted.items()}

    def value(self, kind: str, name: str, text: str | None) -> str:
        if text is None or text == "":
            return _("(blank)")
        model = _REFERS_TO.get(name)
        if model is not None:
            named = self._names.get(model, {}).get(uuid.UUID(text))
            return _shown(named) if named is not None else _("a record since removed")
        if name == "requirements":
            return _shown(_check_label(text))
        if kind in history.RECORDED and name in history.RECORDED[kind].__table__.columns:  # type: ignore[attr-defined]
            value = decode(history.RECORDED[kind].__table__, name, text)  # type: ignore[attr-defined]
            if isinstance(value, LabelledEnum):
                return _shown(value.label)
            if isinstance(value, bool):
                return _("yes") if value else _("no")
            if isinstance(value, datetime):
                return when_words(value)
            if isinstance(value, date):
                return f"{format_date(value)}"
            if isinstance(value, float):
                return f"{value:g}"
        return _shown(text)


def _check_label(key: str) -> str:
    try:
        return CheckKind(key).label
    except ValueError:
        return key


def _sentence(entry: models.HistoryEntry, words: _Words, by: str, contact: str | None) -> str:
    said = _change(entry, words, by)
    return said if contact is None else _("Contact {name}: {change}").format(name=contact, change=said)


def _change(entry: models.HistoryEntry, words: _Words, by: str) -> str:
    label = field_words(entry.field)
    kind = entry.record_kind
    if entry.action == HistoryAction.CREATED:
        return _("Added {by}").format(by=by)
    if entry.action == HistoryAction.REMOVED:
        return _("Removed for good {by}").format(by=by)
    if entry.action == HistoryAction.ERASED:
        return _("Personal details erased {by} (what was erased is not kept)").format(by=by)
    old, new = words.value(kind, entry.field, entry.old), words.value(kind, entry.field, entry.new)
    if entry.action == HistoryAction.MERGED:
        said = _("{field} taken from another laptop's file in a merge {by}: {old} → {new}")
    elif entry.action == HistoryAction.CONFLICT:
        said = _("{field}: a merge {by} kept {new}; the other laptop's {old} was older and is kept here only")
    elif entry.field == "deleted_at":
        said = _("Restored {by}") if entry.new is None else _("Deleted {by}")
    elif entry.field in history.LINK_FIELDS:
        said = _("{field}: {new} added {by}") if entry.old is None else _("{field}: {old} taken away {by}")
    elif entry.old is None and entry.new is None:
        said = _("{field} changed {by} (the values were erased)")
    else:
        said = _("{field} changed {by}: {old} → {new}")
    return said.format(field=label, by=by, old=old, new=new)


def _by(who: str, laptop: str, at: datetime) -> str:
    """Who made a change, where and when: a whole phrase for each case, so that a translation can mutate."""
    when = when_words(at)
    if who and laptop:
        return _("by {who} on {laptop}, {when}").format(who=who, laptop=laptop, when=when)
    if who:
        return _("by {who} on another laptop, {when}").format(who=who, when=when)
    if laptop:
        return _("by someone on {laptop}, {when}").format(laptop=laptop, when=when)
    return _("by someone on another laptop, {when}").format(when=when)


def _entries_of(session: Session, kind: str, record_id: uuid.UUID) -> list[tuple[models.HistoryEntry, str | None]]:
    """The record's own history, and its contacts' for a partner, each with the words that say whose it is."""
    own = session.execute(select(models.HistoryEntry).where(col(models.HistoryEntry.record_id) == record_id)).scalars()
    found: list[tuple[models.HistoryEntry, str | None]] = [(entry, None) for entry in own]
    if kind == "partner":
        contacts = dict(
            session.execute(
                select(col(models.Contact.id), col(models.Contact.name)).where(
                    col(models.Contact.partner_id) == record_id
                )
            ).all()
        )
        if contacts:
            for entry in session.execute(
                select(models.HistoryEntry).where(col(models.HistoryEntry.record_id).in_(list(contacts)))
            ).scalars():
                found.append((entry, contacts[entry.record_id]))
    return found


def record_history(session: Session, *, kind: str, record_id: uuid.UUID) -> list[HistoryLine]:
    """Every recorded change of one record, newest first, in words."""
    if kind not in RESTORABLE:
        raise ValueError(f"no history panel for {kind}")
    if session.get(_model(kind), record_id) is None:
        raise NotFoundError(_(_GONE.get(kind, _RECORD_GONE)))
    entries = _entries_of(session, kind, record_id)
    laptops = dict(session.execute(select(col(models.Laptop.id), col(models.Laptop.name))).all())
    words = _Words(session, [entry for entry, _prefix in entries])
    lines = []
    for entry, prefix in entries:
        laptop = laptops.get(entry.laptop_id, "") if entry.laptop_id else ""
        by = _by(entry.who, laptop, entry.at)
        lines.append(
            HistoryLine(
                id=entry.id,
                at=entry.at,
                who=entry.who,
                laptop=laptop,
                record_kind=entry.record_kind,
                record_id=entry.record_id,
                action=entry.action,
                field=entry.field,
                text=_sentence(entry, words, by, prefix),
                restorable=prefix is None
                and entry.action in (HistoryAction.CREATED, HistoryAction.CHANGED, HistoryAction.MERGED)
                and (entry.action == HistoryAction.CREATED or entry.field in RESTORABLE[kind]),
            )
        )
    # Newest first; one transaction's changes share a time, and are shown in the order of the record's fields.
    lines.sort(key=lambda line: (line.at, line.action == HistoryAction.CREATED), reverse=True)
    return lines


# ---------------------------------------------------------------------------- restoring


def _current(session: Session, kind: str, record_id: uuid.UUID) -> dict[str, str | None]:
    row = session.get(_model(kind), record_id)
    if row is None:
        raise NotFoundError(_(_GONE.get(kind, _RECORD_GONE)))
    return {name: encode(getattr(row, name)) for name in RESTORABLE[kind]}


def version_values(session: Session, *, kind: str, record_id: uuid.UUID, entry_id: uuid.UUID) -> dict[str, str | None]:
    """The record's restorable fields as they were just after the change ``entry_id`` (and the others made at the
    same moment): today's values, with every later change of each field taken back."""
    chosen = session.get(models.HistoryEntry, entry_id)
    if chosen is None or chosen.record_id != record_id:
        raise NotFoundError(_("That change is no longer in the history."))
    values = _current(session, kind, record_id)
    later = session.execute(
        select(models.HistoryEntry)
        .where(
            col(models.HistoryEntry.record_id) == record_id,
            col(models.HistoryEntry.at) > chosen.at,
            col(models.HistoryEntry.action).in_([HistoryAction.CHANGED, HistoryAction.MERGED]),
            col(models.HistoryEntry.field).in_(RESTORABLE[kind]),
        )
        .order_by(col(models.HistoryEntry.at).desc())
    ).scalars()
    for entry in later:  # newest first: each step takes one change back
        values[entry.field] = entry.old
    return values


def restore_version(session: Session, *, kind: str, record_id: uuid.UUID, entry_id: uuid.UUID) -> dict[str, str | None]:
    """Put the record back as it was just after change ``entry_id``; returns the values it replaced (for
    :func:`put_values`, the undo). The editors' own checks apply, and the restore is recorded like any change."""
    values = version_values(session, kind=kind, record_id=record_id, entry_id=entry_id)
    before = _current(session, kind, record_id)
    put_values(session, kind=kind, record_id=record_id, values=values)
    return before


def put_values(session: Session, *, kind: str, record_id: uuid.UUID, values: Mapping[str, str | None]) -> None:
    """Set restorable fields of a record from history values, through the record's own service."""
    unknown = set(values) - set(RESTORABLE.get(kind, ()))
    if unknown:
        raise ValueError(f"not restorable: {sorted(unknown)}")
    table = _model(kind).__table__  # type: ignore[attr-defined]
    typed = {name: decode(table, name, text) for name, text in values.items()}
    if kind == "partner":
        partners.update_partner(session, partner_id=record_id, changes=typed)
    elif kind == "volunteer":
        detail = volunteers.get_volunteer(session, record_id)
        if detail.erased:
            raise ValidationError.single("name", "This volunteer's details were erased; they cannot be restored.")
        if "availability" in typed:
            typed["availability"] = parse_times(typed["availability"] or "")
        volunteers.update_volunteer(session, volunteer_id=record_id, data=replace(detail.data, **typed))
    elif kind == "opportunity":
        current = opportunities.opportunity_input(session, record_id)
        if "place_id" in typed:
            typed["place"] = _place_name(session, typed.pop("place_id"))
        if "times" in typed:
            typed["times"] = parse_times(typed["times"] or "")
        opportunities.update_opportunity(session, opportunity_id=record_id, data=replace(current, **typed))
    elif kind == "workshop":
        if "place_id" in typed:
            typed["place"] = _place_name(session, typed.pop("place_id"))
        workshops.update_workshop(session, workshop_id=record_id, **typed)


def _place_name(session: Session, place_id: uuid.UUID | None) -> str:
    place = session.get(models.Place, place_id) if place_id else None
    return place.name if place is not None else ""


# ---------------------------------------------------------------------------- thinning


def _cutoff(months: int, now: datetime | None) -> datetime:
    return (now or utcnow()) - timedelta(days=round(months * 30.44))


def _thinned(cutoff: datetime) -> Any:
    """The history rows thinning removes: older than ``cutoff``, and either a record's adding, a merge's note, or
    a change of a field that changed again before ``cutoff``."""
    entry = models.HistoryEntry
    newer = models.HistoryEntry.__table__.alias("newer")  # type: ignore[attr-defined]
    superseded = (
        select(newer.c.id)
        .where(
            newer.c.record_id == col(entry.record_id),
            newer.c.field == col(entry.field),
            newer.c.action == HistoryAction.CHANGED,
            newer.c.at > col(entry.at),
            newer.c.at < cutoff,
        )
        .exists()
    )
    return and_(
        col(entry.at) < cutoff,
        or_(
            col(entry.action).in_([HistoryAction.CREATED, HistoryAction.MERGED, HistoryAction.CONFLICT]),
            and_(col(entry.action) == HistoryAction.CHANGED, superseded),
        ),
    )


def thinning_due(session: Session, *, months: int, now: datetime | None = None) -> bool:
    """Whether :func:`thin_history` would remove anything (a look, no write)."""
    found = session.execute(select(col(models.HistoryEntry.id)).where(_thinned(_cutoff(months, now))).limit(1))
    return found.first() is not None


def thin_history(session: Session, *, months: int, now: datetime | None = None) -> int:
    """Thin the history older than ``months``: of each field, only its last change before then is kept (so a merge
    still knows which value is newer); who added records, and merges' notes, go. Erasures and removals stay.
    Returns how many rows went."""
    with writing(session):
        result = session.execute(delete(models.HistoryEntry).where(_thinned(_cutoff(months, now))))
    return int(getattr(result, "rowcount", 0) or 0)


def history_size(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(models.HistoryEntry)).scalar_one())
