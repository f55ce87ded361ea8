"""The change history: every change to a record, recorded in the same transaction as the change itself.

:func:`record_history` is called once for every session the store hands out (``Store.session``), so that every
write -- an edit, an import, an undo, an erasure, a merge -- is recorded without a service doing anything:

1. ``before_flush`` reads each new, changed and deleted row of a recorded table from the unit of work (the
   attributes' own history gives the old and new values);
2. ``do_orm_execute`` does the same for the statements that change many rows at once (an import's bulk insert,
   a merge of partners, the blanking of an erasure): it reads the rows the statement's WHERE picks before and
   after running it;
3. ``before_commit`` flushes what is left, nets out what came and went within the transaction, and writes the
   history rows (one Core insert) with the time, the person (:attr:`CopyIdentity.who`) and this copy's laptop
   id (:func:`laptop_of_this_copy`) -- so a rolled-back change leaves no history and a committed one always has it.

Links between records (a partner's themes and places, a workshop's partners, an opportunity's requirements) are
recorded on the record they belong to, as a list field ("themes"): ``new`` names the other record added, ``old``
the one taken away.

Erasure (:func:`forget`) keeps that an erasure happened, never what was erased: the history rows of the person's
records lose their values, and the erasure's own changes are not recorded.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import socket
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, Table, Uuid, event, insert, inspect, select, update
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session, SQLModel, col

from cohesion_desktop import paths
from cohesion_desktop.db import models
from cohesion_desktop.db.models import utcnow

log = logging.getLogger(__name__)


class HistoryAction(StrEnum):
    CREATED = "created"  # a record was added
    CHANGED = "changed"  # one field changed (deleting and restoring are changes of deleted_at)
    REMOVED = "removed"  # a record was removed for good (a template's old rows, an erased person's checks)
    MERGED = "merged"  # a merge took this field's value from another file (old: the value it replaced)
    CONFLICT = "conflict"  # a merge kept this field's value; ``old`` is the other file's value, which lost
    ERASED = "erased"  # a volunteer's personal data was erased: their history keeps no values


# The tables whose records have a history (every table of things people make; not settings, laptops, history).
RECORDED: dict[str, type[SQLModel]] = {
    model.__tablename__: model
    for model in (
        models.Partner,
        models.Contact,
        models.Theme,
        models.Place,
        models.Opportunity,
        models.Volunteer,
        models.VolunteerCheck,
        models.Placement,
        models.HoursEntry,
        models.Recognition,
        models.MatrixTemplate,
        models.MatrixTemplateRow,
        models.Workshop,
        models.WorkshopRow,
        models.MatrixEntry,
        models.Action,
    )
}


@dataclass(frozen=True)
class Link:
    """A table that links two records, recorded as a list field of the first one."""

    owner_kind: str
    owner_column: str
    other_column: str
    field: str


LINKS: dict[str, Link] = {
    "partner_theme": Link("partner", "partner_id", "theme_id", "themes"),
    "partner_place": Link("partner", "partner_id", "place_id", "places"),
    "workshop_partner": Link("workshop", "workshop_id", "partner_id", "partners"),
    "opportunity_requirement": Link("opportunity", "opportunity_id", "check_kind", "requirements"),
}

LINK_FIELDS = frozenset(link.field for link in LINKS.values())

# Columns whose changes say nothing to a person (or are worked out from the others).
NOT_RECORDED = frozenset({"id", "created_at", "updated_at", "search_text", models.VERSION_COLUMN})

_INFO_KEY = "cohesion_history"
_CHUNK = 500


# ---------------------------------------------------------------------------- values as text


def encode(value: Any) -> str | None:
    """A stored value as the text kept in the history (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, float):
        return repr(value)
    return str(value)


def decode(table: Table, column: str, text: str | None) -> Any:
    """The value :func:`encode` made ``text`` from, typed as ``table.column`` stores it."""
    if text is None:
        return None
    kind = table.c[column].type
    if isinstance(kind, SAEnum) and kind.enum_class is not None:
        return kind.enum_class(text)
    if isinstance(kind, Boolean):
        return text == "true"
    if isinstance(kind, Integer):
        return int(text)
    if isinstance(kind, Float):
        return float(text)
    if isinstance(kind, Uuid):
        return uuid.UUID(text)
    if isinstance(kind, Date):
        return date.fromisoformat(text)
    if "datetime" in type(kind).__name__.lower():
        return datetime.fromisoformat(text)
    return text


# ---------------------------------------------------------------------------- who and which laptop


def _laptop_file() -> Path:
    return paths.config_dir() / "laptop.json"


def your_name() -> str:
    """The name changes made on this laptop are recorded under: set in Settings, else the OS user name."""
    name = str(_laptop_settings().get("your_name", "")).strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no user name in the environment or the password database
        return "Someone"


def save_your_name(name: str) -> None:
    """Keep ``name`` as this laptop's "your name" (blank: the OS user name again)."""
    _write_laptop_settings({**_laptop_settings(), "your_name": " ".join(name.split())})


def _laptop_settings() -> dict[str, Any]:
    try:
        stored = json.loads(_laptop_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def _write_laptop_settings(values: dict[str, Any]) -> None:
    target = _laptop_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(values), encoding="utf-8")


def _laptop_token() -> str:
    """A random id made once per laptop (per user profile), kept beside the app's other laptop settings."""
    stored = _laptop_settings()
    token = str(stored.get("laptop_token", ""))
    if not token:
        token = uuid.uuid4().hex
        try:
            _write_laptop_settings({**stored, "laptop_token": token})
        except OSError:
            log.warning("the laptop's id could not be kept; this session's changes get an id of their own")
    return token


def _home_of(path: Path | str) -> str:
    """Which copy a file is: this laptop and this path (hashed: the path may hold a person's user name). A team
    database (a server's address, as text) is one copy per laptop too: each laptop's changes are told apart."""
    place = str(path.expanduser().resolve()) if isinstance(path, Path) else path
    where = f"{_laptop_token()}|{place}"
    return hashlib.sha256(where.encode("utf-8")).hexdigest()[:32]


def this_laptop(session: Session, path: Path | str) -> models.Laptop | None:
    """This copy's laptop, or None before anything was written to the copy where it now lives."""
    return session.execute(select(models.Laptop).where(col(models.Laptop.home) == _home_of(path))).scalar()


def laptop_of_this_copy(session: Session, path: Path | str) -> uuid.UUID:
    """This copy's laptop id, made (in the caller's transaction) the first time the copy is written to where it
    now lives, named after the computer until someone names it in Settings."""
    home = _home_of(path)
    known: uuid.UUID | None = session.execute(
        select(col(models.Laptop.id)).where(col(models.Laptop.home) == home)
    ).scalar()
    if known is not None:
        return known
    laptop_id = uuid.uuid4()
    now = utcnow()
    session.execute(
        insert(models.Laptop.__table__),  # type: ignore[attr-defined]
        [{"id": laptop_id, "name": socket.gethostname(), "home": home, "created_at": now, "updated_at": now}],
    )
    return laptop_id


@dataclass
class CopyIdentity:
    """Who is writing to which copy: one per open store. ``who`` can be changed at any time (Settings)."""

    path: Path | str  # a data file, or a team database's address (without its password)
    name: str | None = None  # None: "your name" as set on this laptop (read at each commit, so Settings applies)
    laptop_id: uuid.UUID | None = None  # known once a transaction that recorded it has committed

    @property
    def who(self) -> str:
        return self.name if self.name is not None else your_name()


# ---------------------------------------------------------------------------- the recorder


@dataclass
class _Pending:
    """What one transaction changed so far, netted: the first old value and the last new one of each field."""

    created: dict[tuple[str, uuid.UUID], None] = field(default_factory=dict)
    removed: dict[tuple[str, uuid.UUID], None] = field(default_factory=dict)
    fields: dict[tuple[str, uuid.UUID, str], list[str | None]] = field(default_factory=dict)
    links: dict[tuple[str, uuid.UUID, str, str], int] = field(default_factory=dict)
    forgotten: set[uuid.UUID] = field(default_factory=set)
    extra: list[dict[str, Any]] = field(default_factory=list)

    def clear(self) -> None:
        self.created.clear()
        self.removed.clear()
        self.fields.clear()
        self.links.clear()
        self.forgotten.clear()
        self.extra.clear()

    def change(self, kind: str, record_id: uuid.UUID, name: str, old: str | None, new: str | None) -> None:
        entry = self.fields.get((kind, record_id, name))
        if entry is None:
            self.fields[(kind, record_id, name)] = [old, new]
        else:
            entry[1] = new

    def link(self, table: str, owner: Any, other: Any, step: int) -> None:
        spec = LINKS[table]
        key = (spec.owner_kind, owner if isinstance(owner, uuid.UUID) else uuid.UUID(str(owner)), spec.field)
        other_text = encode(other) or ""
        self.links[(*key, other_text)] = self.links.get((*key, other_text), 0) + step


class _Recorder:
    def __init__(self, identity: CopyIdentity) -> None:
        self.identity = identity
        self.pending = _Pending()
        self.paused = 0  # > 0 while a merge copies rows whose history comes with them
        self._laptop: uuid.UUID | None = None

    # -- the unit of work

    def before_flush(self, session: Session, _context: object, _instances: object) -> None:
        if self.paused:
            return
        for row in session.new:
            name = row.__table__.name
            if name in RECORDED:
                self.pending.created[(name, row.id)] = None
            elif name in LINKS:
                spec = LINKS[name]
                self.pending.link(name, getattr(row, spec.owner_column), getattr(row, spec.other_column), +1)
        for row in session.dirty:
            name = row.__table__.name
            if name not in RECORDED or not session.is_modified(row):
                continue
            state = inspect(row)
            for column in row.__table__.columns:
                if column.key in NOT_RECORDED:
                    continue
                changes = state.attrs[column.key].history
                if not changes.has_changes():
                    continue
                old = changes.deleted[0] if changes.deleted else None
                new = changes.added[0] if changes.added else None
                self.pending.change(name, row.id, column.key, encode(old), encode(new))
        for row in session.deleted:
            name = row.__table__.name
            if name in RECORDED:
                self.pending.removed[(name, row.id)] = None
            elif name in LINKS:
                spec = LINKS[name]
                self.pending.link(name, getattr(row, spec.owner_column), getattr(row, spec.other_column), -1)

    # -- statements that change many rows

    def executed(self, state: ORMExecuteState) -> Any:
        if self.paused or not (state.is_insert or state.is_update or state.is_delete):
            return None
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", "")
        if name not in RECORDED and name not in LINKS:
            return None
        assert isinstance(table, Table)
        if state.is_insert:
            self._inserted(name, state)
            return None
        where = state.statement.whereclause  # type: ignore[attr-defined]
        if name in LINKS:
            return self._links_changed(name, table, where, state)
        return self._rows_changed(name, table, where, state)

    def _inserted(self, name: str, state: ORMExecuteState) -> None:
        parameters = state.parameters
        rows: Sequence[Any] = parameters if isinstance(parameters, list) else [parameters] if parameters else []
        for row in rows:
            if name in RECORDED and row.get("id") is not None:
                self.pending.created[(name, _as_uuid(row["id"]))] = None
            elif name in LINKS:
                spec = LINKS[name]
                self.pending.link(name, row[spec.owner_column], row[spec.other_column], +1)

    def _rows_changed(self, name: str, table: Table, where: Any, state: ORMExecuteState) -> Any:
        session = state.session
        columns = [c for c in table.columns if c.key not in NOT_RECORDED]
        if where is None and isinstance(state.parameters, list):
            # An update by primary key, one set of values a row (an import's updates): the rows it names.
            ids = [values["id"] for values in state.parameters if values.get("id") is not None]
            before = {}
            for start in range(0, len(ids), _CHUNK):
                chosen = select(table.c.id, *columns).where(table.c.id.in_(ids[start : start + _CHUNK]))
                before.update({row[0]: row[1:] for row in session.execute(chosen).all()})
        else:
            before = {row[0]: row[1:] for row in session.execute(select(table.c.id, *columns).where(where)).all()}
        result = state.invoke_statement()
        if state.is_delete:
            for row_id in before:
                self.pending.removed[(name, _as_uuid(row_id))] = None
            return result
        ids = list(before)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for row in session.execute(select(table.c.id, *columns).where(table.c.id.in_(chunk))).all():
                old_values = before[row[0]]
                for column, old, new in zip(columns, old_values, row[1:], strict=True):
                    if old != new:
                        self.pending.change(name, _as_uuid(row[0]), column.key, encode(old), encode(new))
        return result

    def _links_changed(self, name: str, table: Table, where: Any, state: ORMExecuteState) -> Any:
        spec = LINKS[name]
        session = state.session
        owner, other = table.c[spec.owner_column], table.c[spec.other_column]
        before = session.execute(select(owner, other).where(where)).all()
        result = state.invoke_statement()
        for owner_id, other_id in before:
            self.pending.link(name, owner_id, other_id, -1)
        if state.is_update:
            # A link moved to another record (merging partners): the same rows, with the new values set.
            values = {getattr(key, "key", key): getattr(value, "value", value) for key, value in _set_values(state)}
            for owner_id, other_id in before:
                self.pending.link(
                    name, values.get(spec.owner_column, owner_id), values.get(spec.other_column, other_id), +1
                )
        return result

    # -- the transaction

    def before_commit(self, session: Session) -> None:
        if session.new or session.dirty or session.deleted:
            session.flush()  # what is still in the unit of work is recorded too
        rows = self._rows()
        if rows:
            laptop = self.identity.laptop_id or laptop_of_this_copy(session, self.identity.path)
            self._laptop = laptop
            for row in rows:
                row.setdefault("laptop_id", laptop)
            session.execute(insert(models.HistoryEntry.__table__), rows)  # type: ignore[attr-defined]
        self.pending.clear()

    def after_commit(self, _session: Session) -> None:
        if self._laptop is not None:
            self.identity.laptop_id = self._laptop  # now in the file for certain
        self._laptop = None

    def after_rollback(self, _session: Session) -> None:
        self.pending.clear()
        self._laptop = None

    def _rows(self) -> list[dict[str, Any]]:
        pending = self.pending
        now = utcnow()
        who = self.identity.who

        def row(
            kind: str, record_id: uuid.UUID, action: str, name: str = "", old: Any = None, new: Any = None
        ) -> dict[str, Any]:
            return {
                "id": uuid.uuid4(),
                "at": now,
                "record_kind": kind,
                "record_id": record_id,
                "action": action,
                "field": name,
                "old": old,
                "new": new,
                "who": who,
            }

        rows = []
        for kind, record_id in pending.created:
            if (kind, record_id) not in pending.removed:
                rows.append(row(kind, record_id, HistoryAction.CREATED))
        for (kind, record_id, name), (old, new) in pending.fields.items():
            if old == new or (kind, record_id) in pending.created or (kind, record_id) in pending.removed:
                continue
            if record_id in pending.forgotten:
                continue
            rows.append(row(kind, record_id, HistoryAction.CHANGED, name, old, new))
        for (kind, owner, name, other), step in pending.links.items():
            if step > 0:
                rows.append(row(kind, owner, HistoryAction.CHANGED, name, None, other))
            elif step < 0:
                rows.append(row(kind, owner, HistoryAction.CHANGED, name, other, None))
        for kind, record_id in pending.removed:
            if (kind, record_id) not in pending.created:
                rows.append(row(kind, record_id, HistoryAction.REMOVED))
        for extra in pending.extra:
            made = {**row(extra["record_kind"], extra["record_id"], extra["action"]), **extra}
            if made["record_id"] in pending.forgotten:
                made["old"] = made["new"] = None  # erased in this transaction: the note keeps no value
            rows.append(made)
        return rows


def _set_values(state: ORMExecuteState) -> Iterable[tuple[Any, Any]]:
    """The SET clause of an UPDATE statement, as (column, value) pairs."""
    values = getattr(state.statement, "_values", None) or {}
    return list(values.items())


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def record_history(session: Session, identity: CopyIdentity) -> None:
    """Record every change ``session`` commits (see the module docstring)."""
    recorder = _Recorder(identity)
    session.info[_INFO_KEY] = recorder
    event.listen(session, "before_flush", recorder.before_flush)
    event.listen(session, "do_orm_execute", recorder.executed)
    event.listen(session, "before_commit", recorder.before_commit)
    event.listen(session, "after_commit", recorder.after_commit)
    event.listen(session, "after_rollback", recorder.after_rollback)


def _recorder(session: Session) -> _Recorder | None:
    found = session.info.get(_INFO_KEY)
    return found if isinstance(found, _Recorder) else None


@contextmanager
def paused(session: Session) -> Iterator[None]:
    """Within it, changes are not recorded one by one (a merge brings their history along with them)."""
    recorder = _recorder(session)
    if recorder is not None:
        recorder.paused += 1
    try:
        yield
    finally:
        if recorder is not None:
            recorder.paused -= 1


def note(
    session: Session,
    *,
    kind: str,
    record_id: uuid.UUID,
    action: HistoryAction,
    name: str = "",
    old: str | None = None,
    new: str | None = None,
) -> None:
    """Add a history row of the caller's own to the transaction (a merge's conflicts), written at commit."""
    recorder = _recorder(session)
    if recorder is not None:
        recorder.pending.extra.append(
            {"record_kind": kind, "record_id": record_id, "action": str(action), "field": name, "old": old, "new": new}
        )


def forget(session: Session, *, kind: str, record_id: uuid.UUID, also: Iterable[uuid.UUID] = ()) -> None:
    """Erasure: the history of ``record_id`` (and of the records ``also``, such as the person's placements and
    hours) keeps no values any more, the changes of this transaction to them are not recorded, and one row says
    the record was erased. Call it after the erasure's changes, in its transaction."""
    ids = {record_id, *also}
    recorder = _recorder(session)
    if recorder is not None:
        if session.new or session.dirty or session.deleted:
            session.flush()
        recorder.pending.forgotten |= ids
        recorder.pending.extra.append({"record_kind": kind, "record_id": record_id, "action": HistoryAction.ERASED})
    wipe_values(session, ids)


def wipe_values(session: Session, ids: Iterable[uuid.UUID]) -> None:
    """Blank the old and new values of every history row about these records (the rows themselves stay)."""
    listed = list(ids)
    for start in range(0, len(listed), _CHUNK):
        session.execute(
            update(models.HistoryEntry)
            .where(col(models.HistoryEntry.record_id).in_(listed[start : start + _CHUNK]))
            .values(old=None, new=None)
        )
