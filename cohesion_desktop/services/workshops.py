"""Workshops and their matrix: templates, entries (add, edit, move, delete, votes), actions, synthesis.

A workshop copies its template's rows when it is created, so editing a template later never rewrites
a past workshop. Entries are ordered within their cell by ``position`` (0, 1, 2 … without gaps).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, func, select
from sqlmodel import Session, col

from cohesion_desktop.db import models, versions
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.sql import raw_id
from cohesion_desktop.db.store import undelete, writing
from cohesion_desktop.db.versions import update_rows
from cohesion_desktop.domain import ActionStatus, MatrixColumn, Sector
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services.partners import _vocabulary_ids, normalise_name
from cohesion_desktop.text import fold

MAX_ENTRY_LENGTH = 2000
MAX_TITLE_LENGTH = 200


# ---------------------------------------------------------------------------- plain rows


@dataclass(frozen=True)
class TemplateInfo:
    id: uuid.UUID
    name: str
    source: str
    is_default: bool
    is_builtin: bool
    rows: tuple[tuple[str, str], ...]  # (title, description)


@dataclass(frozen=True)
class WorkshopSummary:
    id: uuid.UUID
    title: str
    held_on: date
    place: str
    facilitator: str
    template_name: str
    partner_count: int
    entry_count: int


@dataclass(frozen=True)
class MatrixRow:
    id: uuid.UUID
    position: int
    title: str
    description: str


@dataclass(frozen=True)
class Entry:
    id: uuid.UUID
    workshop_id: uuid.UUID
    row_id: uuid.UUID
    column: MatrixColumn
    text: str
    partner_id: uuid.UUID | None
    partner_name: str
    position: int
    votes: int
    version: int  # as read: an edit hands it back (edit_entry), so a stale one is refused
    action_count: int = 0


@dataclass(frozen=True)
class WorkshopDetail:
    id: uuid.UUID
    title: str
    held_on: date
    place: str
    facilitator: str
    template_name: str
    notes: str
    rows: tuple[MatrixRow, ...]
    partners: tuple[tuple[uuid.UUID, str], ...]  # present, by name
    entries: tuple[Entry, ...]
    version: int  # as read: an edit hands it back (update_workshop), so a stale one is refused

    def cell(self, row_id: uuid.UUID, column: MatrixColumn) -> list[Entry]:
        return sorted((e for e in self.entries if e.row_id == row_id and e.column == column), key=lambda e: e.position)


@dataclass(frozen=True)
class WorkshopInput:
    title: str
    held_on: date
    template_id: uuid.UUID
    place: str = ""
    facilitator: str = ""
    partner_ids: Sequence[uuid.UUID] = ()
    notes: str = ""


@dataclass(frozen=True)
class ActionRow:
    id: uuid.UUID
    title: str
    owner_id: uuid.UUID | None
    owner: str
    due_on: date | None
    status: ActionStatus
    completed_on: date | None
    notes: str
    workshop_id: uuid.UUID | None
    workshop: str
    entry_id: uuid.UUID | None
    entry_text: str
    row_title: str
    column: MatrixColumn | None
    version: int  # as read: an edit hands it back (update_action), so a stale one is refused

    def is_overdue(self, today: date) -> bool:
        return (
            self.due_on is not None
            and self.due_on < today
            and self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        )


@dataclass(frozen=True)
class ActionInput:
    title: str
    owner_id: uuid.UUID | None = None
    due_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    notes: str = ""


@dataclass(frozen=True)
class SourcedEntry:
    """An entry in a synthesis, with the workshop it came from."""

    text: str
    partner: str
    votes: int
    workshop: str
    held_on: date


@dataclass(frozen=True)
class SynthesisRow:
    title: str
    cells: dict[MatrixColumn, tuple[SourcedEntry, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Synthesis:
    workshops: tuple[WorkshopSummary, ...]
    rows: tuple[SynthesisRow, ...]

    def count(self, row: int, column: MatrixColumn) -> int:
        return len(self.rows[row].cells.get(column, ()))

    def most_voted(self, limit: int = 10) -> list[tuple[str, MatrixColumn, SourcedEntry]]:
        """The entries with the most votes across every cell (ties: the earlier workshop first)."""
        every = [
            (row.title, column, entry)
            for row in self.rows
            for column, entries in row.cells.items()
            for entry in entries
            if entry.votes > 0
        ]
        return sorted(every, key=lambda item: (-item[2].votes, item[2].held_on, item[2].text))[:limit]


# ---------------------------------------------------------------------------- templates


def templates(session: Session) -> list[TemplateInfo]:
    """Every live template, the default first, then by name."""
    rows_by_template: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for template_id, title, description in session.execute(
        select(
            col(models.MatrixTemplateRow.template_id),
            col(models.MatrixTemplateRow.title),
            col(models.MatrixTemplateRow.description),
        ).order_by(col(models.MatrixTemplateRow.position))
    ):
        rows_by_template.setdefault(template_id, []).append((title, description))
    found = session.execute(
        select(models.MatrixTemplate).where(col(models.MatrixTemplate.deleted_at).is_(None))
    ).scalars()
    shown = [
        TemplateInfo(
            id=t.id,
            name=_builtin_text(t, t.name),
            source=t.source,
            is_default=t.is_default,
            is_builtin=t.builtin_key is not None,
            rows=tuple(
                (_builtin_text(t, title), _builtin_text(t, description))
                for title, description in rows_by_template.get(t.id, ())
            ),
        )
        for t in found
    ]
    # By name as shown, in the interface's language.
    return sorted(shown, key=lambda info: (not info.is_default, fold(info.name)))


def _builtin_text(template: models.MatrixTemplate, text: str) -> str:
    """A built-in template's text in the interface's language (stored in English, never changed: see
    db/defaults.py); a user's own template's as typed."""
    return _(text) if template.builtin_key is not None and text else text


def _clean_rows(rows: Sequence[str | tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for row in rows:
        title, description = (row, "") if isinstance(row, str) else row
        title = normalise_name(title)
        if title:
            cleaned.append((title, description.strip()))
    if not cleaned:
        raise ValidationError.single("rows", _("A template needs at least one row."))
    return cleaned


def save_template(
    session: Session, *, name: str, rows: Sequence[str | tuple[str, str]], template_id: uuid.UUID | None = None
) -> TemplateInfo:
    """Create a user's own template, or change its name and rows (the four columns are always the same).

    Templates we ship are kept as they are: saving one under a new name makes a copy.
    """
    name = normalise_name(name)
    if not name:
        raise ValidationError.single("name", _("Give the template a name."))
    cleaned = _clean_rows(rows)
    with writing(session):
        template = session.get(models.MatrixTemplate, template_id) if template_id else None
        if template is not None and template.builtin_key is not None:
            template = None  # a built-in template is copied, never changed
        if template is None:
            template = models.MatrixTemplate(name=name, source="Your own template")
            session.add(template)
            session.flush()
        else:
            template.name = name
            for old in session.execute(
                select(models.MatrixTemplateRow).where(col(models.MatrixTemplateRow.template_id) == template.id)
            ).scalars():
                session.delete(old)
        for position, (title, description) in enumerate(cleaned):
            session.add(
                models.MatrixTemplateRow(
                    template_id=template.id, position=position, title=title, description=description
                )
            )
        template_id = template.id
    return next(t for t in templates(session) if t.id == template_id)


def delete_template(session: Session, *, template_id: uuid.UUID) -> None:
    template = session.get(models.MatrixTemplate, template_id)
    if template is None:
        raise NotFoundError(_("That template no longer exists."))
    if template.builtin_key is not None:
        raise ValidationError.single("template", _("The templates that come with the app cannot be deleted."))
    with writing(session):
        template.deleted_at = utcnow()


# ---------------------------------------------------------------------------- workshops


def list_workshops(session: Session) -> list[WorkshopSummary]:
    """Every live workshop, newest first, with how many partners took part and how many entries it holds."""
    entry_counts = dict(
        session.execute(
            select(col(models.MatrixEntry.workshop_id), func.count())
            .where(col(models.MatrixEntry.deleted_at).is_(None))
            .group_by(col(models.MatrixEntry.workshop_id))
        ).all()
    )
    partner_counts = dict(
        session.execute(
            select(col(models.WorkshopPartner.workshop_id), func.count()).group_by(
                col(models.WorkshopPartner.workshop_id)
            )
        ).all()
    )
    rows = session.execute(
        select(models.Workshop, col(models.Place.name))
        .outerjoin(models.Place, col(models.Place.id) == col(models.Workshop.place_id))
        .where(col(models.Workshop.deleted_at).is_(None))
        .order_by(col(models.Workshop.held_on).desc(), col(models.Workshop.title))
    ).all()
    return [
        WorkshopSummary(
            id=w.id,
            title=w.title,
            held_on=w.held_on,
            place=place or "",
            facilitator=w.facilitator,
            template_name=w.template_name,
            partner_count=partner_counts.get(w.id, 0),
            entry_count=entry_counts.get(w.id, 0),
        )
        for w, place in rows
    ]


def _live_workshop(session: Session, workshop_id: uuid.UUID) -> models.Workshop:
    workshop = session.get(models.Workshop, workshop_id)
    if workshop is None or workshop.deleted_at is not None:
        raise _workshop_gone()
    return workshop


def _workshop_gone() -> NotFoundError:
    return NotFoundError(_("That workshop no longer exists (it may have been deleted)."))


def _not_its_row() -> ValidationError:
    return ValidationError.single("row", _("That row is not part of this workshop."))


def _partner_gone() -> ValidationError:
    return ValidationError.single("partner", _("That partner no longer exists."))


def _validate_title(title: str) -> str:
    title = normalise_name(title)
    if not title:
        raise ValidationError.single("title", _("Give the workshop a title."))
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError.single(
            "title",
            _("The title is too long ({length} characters; at most {most}).").format(
                length=format_number(len(title)), most=format_number(MAX_TITLE_LENGTH)
            ),
        )
    return title


def create_workshop(session: Session, *, data: WorkshopInput) -> WorkshopDetail:
    """A new workshop with its own copy of the template's rows."""
    title = _validate_title(data.title)
    template = session.get(models.MatrixTemplate, data.template_id)
    if template is None or template.deleted_at is not None:
        raise ValidationError.single("template", _("Choose a template for the matrix."))
    template_rows = (
        session.execute(
            select(models.MatrixTemplateRow)
            .where(col(models.MatrixTemplateRow.template_id) == template.id)
            .order_by(col(models.MatrixTemplateRow.position))
        )
        .scalars()
        .all()
    )
    with writing(session):
        place_ids = _vocabulary_ids(session, models.Place, [data.place]) if data.place.strip() else []
        workshop = models.Workshop(
            title=title,
            held_on=data.held_on,
            place_id=place_ids[0] if place_ids else None,
            facilitator=data.facilitator.strip(),
            template_id=template.id,
            template_name=_builtin_text(template, template.name),
            notes=data.notes.strip(),
        )
        session.add(workshop)
        session.flush()
        for row in template_rows:
            session.add(
                # The workshop's own rows, in the language of whoever holds it: a Welsh facilitator gets Welsh rows.
                models.WorkshopRow(
                    workshop_id=workshop.id,
                    position=row.position,
                    title=_builtin_text(template, row.title),
                    description=_builtin_text(template, row.description),
                )
            )
        for partner_id in dict.fromkeys(data.partner_ids):
            session.add(models.WorkshopPartner(workshop_id=workshop.id, partner_id=partner_id))
    return get_workshop(session, workshop.id)


def update_workshop(
    session: Session,
    *,
    workshop_id: uuid.UUID,
    title: str | None = None,
    held_on: date | None = None,
    place: str | None = None,
    facilitator: str | None = None,
    notes: str | None = None,
    version: int | None = None,
) -> WorkshopDetail:
    """Change the fields given (None: kept). ``version``: the :attr:`WorkshopDetail.version` the editor showed; a
    workshop somebody saved since is refused (ConflictError)."""
    workshop = _live_workshop(session, workshop_id)
    versions.expect(session, workshop, version)
    with writing(session):
        if title is not None:
            workshop.title = _validate_title(title)
        if held_on is not None:
            workshop.held_on = held_on
        if place is not None:
            ids = _vocabulary_ids(session, models.Place, [place]) if place.strip() else []
            workshop.place_id = ids[0] if ids else None
        if facilitator is not None:
            workshop.facilitator = facilitator.strip()
        if notes is not None:
            workshop.notes = notes.strip()
        workshop.updated_at = utcnow()
    return get_workshop(session, workshop_id)


def set_workshop_partners(session: Session, *, workshop_id: uuid.UUID, partner_ids: Sequence[uuid.UUID]) -> None:
    _live_workshop(session, workshop_id)
    with writing(session):
        current = set(
            session.execute(
                select(col(models.WorkshopPartner.partner_id)).where(
                    col(models.WorkshopPartner.workshop_id) == workshop_id
                )
            ).scalars()
        )
        wanted = set(partner_ids)
        for gone in current - wanted:
            link = session.get(models.WorkshopPartner, (workshop_id, gone))
            if link is not None:
                session.delete(link)
        for new in wanted - current:
            session.add(models.WorkshopPartner(workshop_id=workshop_id, partner_id=new))


def delete_workshop(session: Session, *, workshop_id: uuid.UUID) -> None:
    workshop = _live_workshop(session, workshop_id)
    with writing(session):
        workshop.deleted_at = utcnow()


def restore_workshop(session: Session, *, workshop_id: uuid.UUID) -> None:
    undelete(session, models.Workshop, workshop_id, what="workshop")


def _entries(
    session: Session, workshop_ids: Sequence[uuid.UUID], cell: tuple[uuid.UUID, MatrixColumn] | None = None
) -> list[Entry]:
    """Live entries of some workshops (or of one cell), in position order, with their partner and actions."""
    where: list[ColumnElement[bool]] = [
        col(models.MatrixEntry.workshop_id).in_(workshop_ids),
        col(models.MatrixEntry.deleted_at).is_(None),
    ]
    if cell is not None:
        where += [col(models.MatrixEntry.row_id) == cell[0], col(models.MatrixEntry.column) == cell[1]]
    action_counts = dict(
        session.execute(
            select(col(models.Action.entry_id), func.count())
            .join(models.MatrixEntry, col(models.MatrixEntry.id) == col(models.Action.entry_id))
            .where(*where, col(models.Action.deleted_at).is_(None))
            .group_by(col(models.Action.entry_id))
        ).all()
    )
    # Columns, not ORM objects: opening a workshop reads hundreds of entries, and building (and identity-mapping)
    # an object for each was most of the time it took.
    entry = models.MatrixEntry
    rows = session.execute(
        select(
            col(entry.id),
            col(entry.workshop_id),
            col(entry.row_id),
            col(entry.column),
            col(entry.text),
            col(entry.partner_id),
            col(models.Partner.name),
            col(entry.position),
            col(entry.votes),
            col(entry.version),
        )
        .outerjoin(models.Partner, col(models.Partner.id) == col(entry.partner_id))
        .where(*where)
        .order_by(col(entry.position))
    ).all()
    return [
        Entry(
            id=row.id,
            workshop_id=row.workshop_id,
            row_id=row.row_id,
            column=row.column,
            text=row.text,
            partner_id=row.partner_id,
            partner_name=row.name or "",
            position=row.position,
            votes=row.votes,
            version=row.version,
            action_count=action_counts.get(row.id, 0),
        )
        for row in rows
    ]


def _entry(entry: models.MatrixEntry, partner_name: str, action_count: int = 0) -> Entry:
    return Entry(
        id=entry.id,
        workshop_id=entry.workshop_id,
        row_id=entry.row_id,
        column=entry.column,
        text=entry.text,
        partner_id=entry.partner_id,
        partner_name=partner_name,
        position=entry.position,
        votes=entry.votes,
        version=entry.version,
        action_count=action_count,
    )


def get_workshop(session: Session, workshop_id: uuid.UUID) -> WorkshopDetail:
    workshop = _live_workshop(session, workshop_id)
    place = session.get(models.Place, workshop.place_id) if workshop.place_id else None
    rows = (
        session.execute(
            select(models.WorkshopRow)
            .where(col(models.WorkshopRow.workshop_id) == workshop_id)
            .order_by(col(models.WorkshopRow.position))
        )
        .scalars()
        .all()
    )
    present = session.execute(_present_query(workshop_id, col(models.Partner.id), col(models.Partner.name))).all()
    return WorkshopDetail(
        id=workshop.id,
        title=workshop.title,
        held_on=workshop.held_on,
        place=place.name if place else "",
        facilitator=workshop.facilitator,
        template_name=workshop.template_name,
        notes=workshop.notes,
        rows=tuple(MatrixRow(id=r.id, position=r.position, title=r.title, description=r.description) for r in rows),
        partners=tuple((p.id, p.name) for p in present),
        entries=tuple(_entries(session, [workshop_id])),
        version=workshop.version,
    )


def partners_present(session: Session, workshop_id: uuid.UUID) -> list[tuple[str, Sector]]:
    """The partners recorded as present at a workshop, by name, with their sectors (the follow-up pack's list)."""
    _live_workshop(session, workshop_id)
    rows = session.execute(_present_query(workshop_id, col(models.Partner.name), col(models.Partner.sector))).all()
    return [(name, sector) for name, sector in rows]


def _present_query(workshop_id: uuid.UUID, *columns: Any) -> Any:
    """``columns`` of the live partners present at a workshop, by name."""
    return (
        select(*columns)
        .join(models.WorkshopPartner, col(models.WorkshopPartner.partner_id) == col(models.Partner.id))
        .where(col(models.WorkshopPartner.workshop_id) == workshop_id, col(models.Partner.deleted_at).is_(None))
        .order_by(col(models.Partner.name))
    )


def find_workshop_id(session: Session, reference: str) -> uuid.UUID:
    """A workshop named on the command line by its id, or by the first 6+ characters of it."""
    wanted = reference.strip().lower().replace("-", "")
    if len(wanted) < 6:
        raise ValidationError.single(
            "workshop",
            _(
                "'{reference}' is too short: give at least 6 characters of the workshop's id (cohesion-desktop "
                "workshops lists them)."
            ).format(reference=reference),
        )
    found = (
        session.execute(
            select(raw_id(col(models.Workshop.id))).where(
                raw_id(col(models.Workshop.id)).startswith(wanted), col(models.Workshop.deleted_at).is_(None)
            )
        )
        .scalars()
        .all()
    )
    if not found:
        raise NotFoundError(
            _("There is no workshop with the id '{reference}' (cohesion-desktop workshops lists them).").format(
                reference=reference
            )
        )
    if len(found) > 1:
        raise ValidationError.single(
            "workshop",
            ngettext(
                "'{reference}' matches {n} workshop; give more of the id.",
                "'{reference}' matches {n} workshops; give more of the id.",
                len(found),
            ).format(reference=reference, n=format_number(len(found))),
        )
    return uuid.UUID(found[0])


# ---------------------------------------------------------------------------- entries


def _clean_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError.single("text", _("Type something for the entry first."))
    if len(cleaned) > MAX_ENTRY_LENGTH:
        raise ValidationError.single(
            "text",
            _("The entry is too long ({length} characters; at most {most}).").format(
                length=format_number(len(cleaned)), most=format_number(MAX_ENTRY_LENGTH)
            ),
        )
    return cleaned


def _cell_filter(workshop_id: uuid.UUID, row_id: uuid.UUID, column: MatrixColumn) -> Any:
    return (
        (col(models.MatrixEntry.workshop_id) == workshop_id)
        & (col(models.MatrixEntry.row_id) == row_id)
        & (col(models.MatrixEntry.column) == column)
        & col(models.MatrixEntry.deleted_at).is_(None)
    )


def _cell_size(session: Session, workshop_id: uuid.UUID, row_id: uuid.UUID, column: MatrixColumn) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(models.MatrixEntry).where(_cell_filter(workshop_id, row_id, column))
        ).scalar_one()
    )


def _partner_name(session: Session, partner_id: uuid.UUID | None) -> str:
    if partner_id is None:
        return ""
    partner = session.get(models.Partner, partner_id)
    if partner is None or partner.deleted_at is not None:
        raise _partner_gone()
    return partner.name


def _check_row(session: Session, workshop_id: uuid.UUID, row_id: uuid.UUID) -> None:
    row = session.get(models.WorkshopRow, row_id)
    if row is None or row.workshop_id != workshop_id:
        raise _not_its_row()


@cache
def _target_cell_query() -> Select[tuple[bool, uuid.UUID | None, int, str | None]]:
    """Built once: making the expressions again (SQLAlchemy operators in Python) took as long as running them."""
    workshop_id: BindParameter[uuid.UUID] = bindparam("workshop_id")
    row_id: BindParameter[uuid.UUID] = bindparam("row_id")
    column: BindParameter[MatrixColumn] = bindparam("column")
    partner_id: BindParameter[uuid.UUID | None] = bindparam("partner_id")
    entry, row, partner = models.MatrixEntry, models.WorkshopRow, models.Partner
    return select(
        col(models.Workshop.deleted_at).is_(None),
        select(col(row.workshop_id)).where(col(row.id) == row_id).scalar_subquery(),
        select(func.count())
        .select_from(entry)
        .where(
            col(entry.workshop_id) == workshop_id,
            col(entry.row_id) == row_id,
            col(entry.column) == column,
            col(entry.deleted_at).is_(None),
        )
        .scalar_subquery(),
        select(col(partner.name))
        .where(col(partner.id) == partner_id, col(partner.deleted_at).is_(None))
        .scalar_subquery(),
    ).where(col(models.Workshop.id) == workshop_id)


def _target_cell(
    session: Session, workshop_id: uuid.UUID, row_id: uuid.UUID, column: MatrixColumn, partner_id: uuid.UUID | None
) -> tuple[int, str]:
    """The number of entries in the cell and the name of the partner an entry is attributed to ("" for none), after
    checking, in one query, what ``_live_workshop``, ``_check_row`` and ``_partner_name`` check one by one: a new
    entry is typed while people talk, and four queries were a third of its time on a large file."""
    found = session.execute(
        _target_cell_query(),
        {"workshop_id": workshop_id, "row_id": row_id, "column": column, "partner_id": partner_id},
    ).one_or_none()
    if found is None or not found[0]:
        raise _workshop_gone()
    _live, row_workshop, size, partner_name = found
    if row_workshop != workshop_id:
        raise _not_its_row()
    if partner_id is not None and partner_name is None:
        raise _partner_gone()
    return int(size), partner_name or ""


def add_entry(
    session: Session,
    *,
    workshop_id: uuid.UUID,
    row_id: uuid.UUID,
    column: MatrixColumn,
    text: str,
    partner_id: uuid.UUID | None = None,
    position: int | None = None,
    entry_id: uuid.UUID | None = None,
) -> Entry:
    """Add an entry at the end of its cell (or at ``position``). ``entry_id`` lets a redo reuse the same id."""
    cleaned = _clean_text(text)
    column = MatrixColumn(column)
    with writing(session):
        size, partner_name = _target_cell(session, workshop_id, row_id, column, partner_id)
        at = size if position is None else max(0, min(position, size))
        if at < size:
            session.execute(
                update_rows(models.MatrixEntry)
                .where(_cell_filter(workshop_id, row_id, column), col(models.MatrixEntry.position) >= at)
                .values(position=col(models.MatrixEntry.position) + 1)
            )
        entry = models.MatrixEntry(
            workshop_id=workshop_id, row_id=row_id, column=column, text=cleaned, partner_id=partner_id, position=at
        )
        if entry_id is not None:
            entry.id = entry_id
        session.add(entry)
    return _entry(entry, partner_name)


def cell_entries(session: Session, *, workshop_id: uuid.UUID, row_id: uuid.UUID, column: MatrixColumn) -> list[Entry]:
    """The entries of one cell, in order (to refresh a cell after an undo without reloading the workshop)."""
    return _entries(session, [workshop_id], (row_id, MatrixColumn(column)))


def split_attribution(text: str, partners: Sequence[tuple[uuid.UUID, str]]) -> tuple[str, uuid.UUID | None]:
    """Take an "@Partner Name" out of typed text: ("Staff day @Brightwell Engineering", …) → ("Staff day", id).

    The longest partner name that follows an "@" wins, ignoring case; text without one is returned as it is.
    """
    by_length = sorted(partners, key=lambda p: len(p[1]), reverse=True)
    folded = text.casefold()
    start = folded.find("@")
    while start != -1:
        following = folded[start + 1 :]
        for partner_id, name in by_length:
            if following.startswith(name.casefold()):
                end = start + 1 + len(name)
                if end == len(text) or not text[end].isalnum():
                    remaining = " ".join((text[:start] + text[end:]).split())
                    return remaining.strip(" ,;:-–"), partner_id
        start = folded.find("@", start + 1)
    return text.strip(), None


def _live_entry(session: Session, entry_id: uuid.UUID) -> models.MatrixEntry:
    entry = session.get(models.MatrixEntry, entry_id)
    if entry is None or entry.deleted_at is not None:
        raise NotFoundError(_("That entry no longer exists."))
    return entry


def get_entry(session: Session, entry_id: uuid.UUID) -> Entry:
    entry = _live_entry(session, entry_id)
    actions = session.execute(
        select(func.count())
        .select_from(models.Action)
        .where(col(models.Action.entry_id) == entry_id, col(models.Action.deleted_at).is_(None))
    )
    return _entry(
        entry, _partner_name(session, entry.partner_id) if entry.partner_id else "", int(actions.scalar_one())
    )


_KEEP = object()


def edit_entry(
    session: Session,
    *,
    entry_id: uuid.UUID,
    text: str | None = None,
    partner_id: Any = _KEEP,
    version: int | None = None,
) -> Entry:
    """Change an entry's text and/or its partner (``partner_id=None`` removes the attribution). ``version``: the
    :attr:`Entry.version` the editor showed; an entry somebody saved since is refused (ConflictError)."""
    entry = _live_entry(session, entry_id)
    versions.expect(session, entry, version)
    cleaned = _clean_text(text) if text is not None else entry.text
    new_partner = entry.partner_id if partner_id is _KEEP else partner_id
    _partner_name(session, new_partner)
    with writing(session):
        entry.text = cleaned
        entry.partner_id = new_partner
    return get_entry(session, entry_id)


def move_entry(
    session: Session, *, entry_id: uuid.UUID, row_id: uuid.UUID, column: MatrixColumn, position: int
) -> Entry:
    """Put an entry at ``position`` of a cell (its own or another), closing the gap it leaves."""
    entry = _live_entry(session, entry_id)
    column = MatrixColumn(column)
    _check_row(session, entry.workshop_id, row_id)
    with writing(session):
        session.execute(
            update_rows(models.MatrixEntry)
            .where(
                _cell_filter(entry.workshop_id, entry.row_id, entry.column),
                col(models.MatrixEntry.position) > entry.position,
            )
            .values(position=col(models.MatrixEntry.position) - 1)
        )
        entry.deleted_at = utcnow()  # out of both cells while the others shift
        session.flush()
        size = _cell_size(session, entry.workshop_id, row_id, column)
        at = max(0, min(position, size))
        session.execute(
            update_rows(models.MatrixEntry)
            .where(_cell_filter(entry.workshop_id, row_id, column), col(models.MatrixEntry.position) >= at)
            .values(position=col(models.MatrixEntry.position) + 1)
        )
        entry.row_id, entry.column, entry.position, entry.deleted_at = row_id, column, at, None
    return get_entry(session, entry_id)


def delete_entry(session: Session, *, entry_id: uuid.UUID) -> Entry:
    """Hide an entry (undo brings it back to the same place); returns it as it was."""
    entry = _live_entry(session, entry_id)
    before = get_entry(session, entry_id)
    with writing(session):
        session.execute(
            update_rows(models.MatrixEntry)
            .where(
                _cell_filter(entry.workshop_id, entry.row_id, entry.column),
                col(models.MatrixEntry.position) > entry.position,
            )
            .values(position=col(models.MatrixEntry.position) - 1)
        )
        entry.deleted_at = utcnow()
    return before


def restore_entry(session: Session, *, entry_id: uuid.UUID, position: int) -> Entry:
    """Bring back a deleted entry at ``position`` of its cell."""
    entry = session.get(models.MatrixEntry, entry_id)
    if entry is None:
        raise NotFoundError(_("That entry no longer exists."))
    with writing(session):
        size = _cell_size(session, entry.workshop_id, entry.row_id, entry.column)
        at = max(0, min(position, size))
        session.execute(
            update_rows(models.MatrixEntry)
            .where(_cell_filter(entry.workshop_id, entry.row_id, entry.column), col(models.MatrixEntry.position) >= at)
            .values(position=col(models.MatrixEntry.position) + 1)
        )
        entry.position, entry.deleted_at = at, None
    return get_entry(session, entry_id)


def set_votes(session: Session, *, entry_id: uuid.UUID, votes: int) -> Entry:
    entry = _live_entry(session, entry_id)
    with writing(session):
        entry.votes = max(0, votes)
    return get_entry(session, entry_id)


def order_cell(
    session: Session, *, workshop_id: uuid.UUID, row_id: uuid.UUID, column: MatrixColumn, entry_ids: Sequence[uuid.UUID]
) -> None:
    """Put a cell's entries in the given order (sort by votes, and its undo)."""
    with writing(session):
        for position, entry_id in enumerate(entry_ids):
            entry = _live_entry(session, entry_id)
            if entry.workshop_id != workshop_id or entry.row_id != row_id or entry.column != column:
                raise ValidationError.single("order", _("An entry is not in that cell any more."))
            entry.position = position


def by_votes(entries: Iterable[Entry]) -> list[uuid.UUID]:
    """Entry ids, most votes first; equal votes keep their current order."""
    return [e.id for e in sorted(entries, key=lambda e: (-e.votes, e.position))]


# ---------------------------------------------------------------------------- actions


def _validate_action(data: ActionInput) -> str:
    title = " ".join(data.title.split())
    if not title:
        raise ValidationError.single("title", _("Say what the action is."))
    if len(title) > MAX_ENTRY_LENGTH:
        raise ValidationError.single(
            "title",
            _("The action is too long (at most {most} characters).").format(most=format_number(MAX_ENTRY_LENGTH)),
        )
    return title


def create_action(
    session: Session, *, data: ActionInput, entry_id: uuid.UUID | None = None, action_id: uuid.UUID | None = None
) -> ActionRow:
    """An action, usually born from an entry (it keeps the link back to the entry and its workshop)."""
    title = _validate_action(data)
    workshop_id = _live_entry(session, entry_id).workshop_id if entry_id else None
    _partner_name(session, data.owner_id)
    with writing(session):
        action = models.Action(
            title=title,
            entry_id=entry_id,
            workshop_id=workshop_id,
            owner_partner_id=data.owner_id,
            due_on=data.due_on,
            status=data.status,
            notes=data.notes.strip(),
            completed_on=date.today() if data.status == ActionStatus.DONE else None,
        )
        if action_id is not None:
            action.id = action_id
        session.add(action)
    return get_action(session, action.id)


def update_action(
    session: Session, *, action_id: uuid.UUID, data: ActionInput, version: int | None = None
) -> ActionRow:
    """Store the action as ``data``. ``version``: the :attr:`ActionRow.version` the editor showed; an action
    somebody saved since is refused (ConflictError)."""
    action = session.get(models.Action, action_id)
    if action is None or action.deleted_at is not None:
        raise NotFoundError(_("That action no longer exists."))
    versions.expect(session, action, version)
    title = _validate_action(data)
    _partner_name(session, data.owner_id)
    with writing(session):
        if data.status == ActionStatus.DONE and action.status != ActionStatus.DONE:
            action.completed_on = date.today()
        elif data.status != ActionStatus.DONE:
            action.completed_on = None
        action.title, action.owner_partner_id, action.due_on = title, data.owner_id, data.due_on
        action.status, action.notes = data.status, data.notes.strip()
    return get_action(session, action_id)


def delete_action(session: Session, *, action_id: uuid.UUID) -> None:
    action = session.get(models.Action, action_id)
    if action is None:
        raise NotFoundError(_("That action no longer exists."))
    with writing(session):
        action.deleted_at = utcnow()


def restore_action(session: Session, *, action_id: uuid.UUID) -> None:
    undelete(session, models.Action, action_id, what="action")


def _action_query() -> Any:
    return (
        select(
            models.Action,
            col(models.Partner.name),
            col(models.Workshop.title),
            col(models.MatrixEntry.text),
            col(models.WorkshopRow.title),
            col(models.MatrixEntry.column),
        )
        .outerjoin(models.Partner, col(models.Partner.id) == col(models.Action.owner_partner_id))
        .outerjoin(models.Workshop, col(models.Workshop.id) == col(models.Action.workshop_id))
        .outerjoin(models.MatrixEntry, col(models.MatrixEntry.id) == col(models.Action.entry_id))
        .outerjoin(models.WorkshopRow, col(models.WorkshopRow.id) == col(models.MatrixEntry.row_id))
        .where(col(models.Action.deleted_at).is_(None))
    )


def _action_row(row: Any) -> ActionRow:
    action, owner, workshop, entry_text, row_title, column = row
    return ActionRow(
        id=action.id,
        title=action.title,
        owner_id=action.owner_partner_id,
        owner=owner or "",
        due_on=action.due_on,
        status=action.status,
        completed_on=action.completed_on,
        notes=action.notes,
        workshop_id=action.workshop_id,
        workshop=workshop or "",
        entry_id=action.entry_id,
        entry_text=entry_text or "",
        row_title=row_title or "",
        column=column,
        version=action.version,
    )


def get_action(session: Session, action_id: uuid.UUID) -> ActionRow:
    row = session.execute(_action_query().where(col(models.Action.id) == action_id)).first()
    if row is None:
        raise NotFoundError(_("That action no longer exists."))
    return _action_row(row)


def list_actions(session: Session, *, workshop_ids: Sequence[uuid.UUID] | None = None) -> list[ActionRow]:
    """Actions across workshops (or of some), soonest due first, undated last."""
    query = _action_query()
    if workshop_ids is not None:
        query = query.where(col(models.Action.workshop_id).in_(workshop_ids))
    query = query.order_by(col(models.Action.due_on).is_(None), col(models.Action.due_on), col(models.Action.title))
    return [_action_row(row) for row in session.execute(query).all()]


# ---------------------------------------------------------------------------- synthesis


def synthesis(session: Session, *, workshop_ids: Sequence[uuid.UUID]) -> Synthesis:
    """One matrix out of several workshops: rows with the same title are one row (in first-seen order)."""
    if not workshop_ids:
        raise ValidationError.single("workshops", _("Choose at least one workshop to combine."))
    summaries = {w.id: w for w in list_workshops(session)}
    chosen = [summaries[w] for w in workshop_ids if w in summaries]
    if len(chosen) != len(set(workshop_ids)):
        raise NotFoundError(_("One of the chosen workshops no longer exists."))
    chosen.sort(key=lambda w: (w.held_on, w.title))
    rows = (
        session.execute(
            select(models.WorkshopRow)
            .where(col(models.WorkshopRow.workshop_id).in_(workshop_ids))
            .order_by(col(models.WorkshopRow.position))
        )
        .scalars()
        .all()
    )
    order = {w.id: index for index, w in enumerate(chosen)}
    rows = sorted(rows, key=lambda r: (order[r.workshop_id], r.position))
    titles: dict[str, str] = {}
    row_key: dict[uuid.UUID, str] = {}
    for row in rows:
        key = fold(row.title)
        titles.setdefault(key, row.title)
        row_key[row.id] = key
    cells: dict[str, dict[MatrixColumn, list[SourcedEntry]]] = {key: {} for key in titles}
    for entry in sorted(_entries(session, list(workshop_ids)), key=lambda e: (order[e.workshop_id], e.position)):
        source = summaries[entry.workshop_id]
        cells[row_key[entry.row_id]].setdefault(entry.column, []).append(
            SourcedEntry(
                text=entry.text,
                partner=entry.partner_name,
                votes=entry.votes,
                workshop=source.title,
                held_on=source.held_on,
            )
        )
    return Synthesis(
        workshops=tuple(chosen),
        rows=tuple(
            SynthesisRow(title=title, cells={c: tuple(v) for c, v in cells[key].items()})
            for key, title in titles.items()
        ),
    )
