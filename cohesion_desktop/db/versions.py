"""Record versions (schema 5): a save that would overwrite somebody else's change is refused, never applied.

Every record (``models.Entity``) has a ``version``: 1 when it is made, one more at every write. How each way of
writing keeps it:

1. an ORM change (``row.name = …`` then a commit): SQLAlchemy's ``version_id_col`` writes ``version + 1`` and adds
   ``WHERE version = <the version the session read>``; a row somebody changed since matches nothing and SQLAlchemy
   raises ``StaleDataError``;
2. a statement that changes many rows at once: :func:`update_rows` instead of SQLAlchemy's ``update``, which adds
   ``version = version + 1`` (SQLAlchemy cannot: it does not know the statement's rows).
   ``tests/test_architecture.py`` fails on an ``update(`` outside ``db/``, and the tests check every UPDATE they run
   (:func:`forgets_the_version`);
3. an update by primary key with one set of values a row (``session.execute(update_by_id(Model), rows)``): each
   row carries the ``version`` it was read at, and SQLAlchemy checks and bumps it as in 1.

:func:`watch_conflicts` keeps, for each flush, which versioned records it writes, so that ``store.writing`` can say
which record somebody else changed and :func:`conflict_error` who and when (from the change history); an editor
that reads and saves in separate calls hands back the version it showed, and :func:`expect` compares it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, event, inspect, select
from sqlalchemy import update as _update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.sql.dml import Update
from sqlmodel import Session, SQLModel, col

from cohesion_desktop.db import models
from cohesion_desktop.db.models import VERSION_COLUMN
from cohesion_desktop.errors import ConflictError
from cohesion_desktop.formatting import format_datetime, format_time
from cohesion_desktop.i18n import _

_INFO_KEY = "cohesion_versions"


def _table_of(target: type[SQLModel] | Table) -> Table:
    table = target if isinstance(target, Table) else target.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def update_rows(target: type[SQLModel] | Table) -> Update:
    """``UPDATE target`` for a statement that changes many rows at once: it also counts one more save of each row
    it changes (a table without versions, such as a link table or the settings, is updated as it is)."""
    statement = _update(target)
    version = _table_of(target).c.get(VERSION_COLUMN)
    return statement if version is None else statement.values({VERSION_COLUMN: version + 1})


def update_by_id(model: type[SQLModel]) -> Update:
    """``UPDATE model`` for SQLAlchemy's update by primary key, one set of values a row: each row must carry the
    ``version`` it was read at (SQLAlchemy checks it and writes the next one)."""
    return _update(model)


def as_read_now(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (each with an ``id``) for :func:`update_by_id`, each with the version stored now: read in the caller's
    transaction, so a change somebody saves in between is refused, not overwritten."""
    table = _table_of(model)
    stored: dict[Any, int] = {}
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), 5_000):
        chosen = select(table.c.id, table.c[VERSION_COLUMN]).where(table.c.id.in_(ids[start : start + 5_000]))
        stored.update({row[0]: row[1] for row in session.execute(chosen)})
    return [{**row, VERSION_COLUMN: stored.get(row["id"], 0)} for row in rows]


def forgets_the_version(statement: Any, parameters: Any = None) -> bool:
    """Whether an UPDATE statement on a table with versions would change rows without counting a save (the tests
    check every statement they run with it)."""
    if not isinstance(statement, Update):
        return False
    table = statement.table
    if not isinstance(table, Table) or VERSION_COLUMN not in table.c:
        return False
    if statement.whereclause is None and isinstance(parameters, list):
        return any(VERSION_COLUMN not in row for row in parameters)  # update by primary key: each row's version
    values = getattr(statement, "_values", None) or {}
    return not any(getattr(key, "key", key) == VERSION_COLUMN for key in values)


@dataclass(frozen=True)
class Written:
    """A versioned record a flush writes: which one, and the version the session read it at."""

    model: type[SQLModel]
    record_id: uuid.UUID
    version: int


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    written: list[Written] = []
    for row in (*session.dirty, *session.deleted):
        if VERSION_COLUMN not in row.__table__.c or (row not in session.deleted and not session.is_modified(row)):
            continue
        read_at = inspect(row).attrs[VERSION_COLUMN].loaded_value
        if isinstance(read_at, int):
            written.append(Written(type(row), row.id, read_at))
    session.info[_INFO_KEY] = written


def _after_flush(session: Session, _context: object) -> None:
    session.info.pop(_INFO_KEY, None)


def watch_conflicts(session: Session) -> None:
    """Keep which versioned records each flush of ``session`` writes (see :func:`written_in_last_flush`)."""
    event.listen(session, "before_flush", _before_flush)
    event.listen(session, "after_flush_postexec", _after_flush)


def written_in_last_flush(session: Session) -> list[Written]:
    """The versioned records the session's last flush wrote or tried to write."""
    found = session.info.get(_INFO_KEY)
    return list(found) if isinstance(found, list) else []


@dataclass(frozen=True)
class Overtaken:
    """A record somebody else saved after this session read it: the versions, and the latest change recorded."""

    kind: str
    record_id: uuid.UUID
    yours: int
    theirs: int | None  # None: removed for good since
    who: str
    at: datetime | None


def _overtaken_by(session: Session, kind: str, record_id: uuid.UUID, yours: int, theirs: int | None) -> Overtaken:
    """Who made the latest change the history has of the record, and when."""
    entry = models.HistoryEntry
    ids = [record_id]
    if kind == "partner":
        # Its contacts are saved from its editor as part of it (their history rows name the contact, not the partner).
        contact = models.Contact
        ids += session.execute(select(col(contact.id)).where(col(contact.partner_id) == record_id)).scalars().all()
    latest = session.execute(
        select(col(entry.who), col(entry.at))
        .where(col(entry.record_id).in_(ids))
        .order_by(col(entry.at).desc())
        .limit(1)
    ).first()
    who, at = (latest[0], latest[1]) if latest is not None else ("", None)
    return Overtaken(kind, record_id, yours, theirs, who, at)


def overtaken(session: Session, written: list[Written]) -> Overtaken | None:
    """The first of ``written`` whose stored version is no longer the one read (call after the rollback)."""
    for record in written:
        table = _table_of(record.model)
        stored = session.execute(select(table.c[VERSION_COLUMN]).where(table.c.id == record.record_id)).scalar()
        if stored != record.version:
            return _overtaken_by(session, table.name, record.record_id, record.version, stored)
    return None


def expect(session: Session, row: SQLModel, shown: int | None) -> None:
    """Refuse (:class:`ConflictError`) a save of ``row`` (just read by ``session``) made from what the person was
    shown at version ``shown``, when somebody saved it since; None: no version was shown, nothing to compare.

    An editor reads in one call and saves in another (the workspace's sessions are one a call): the version it
    showed comes back with the save, and this compares it before anything is written. (A save that races this
    check is still refused, by the UPDATE's own ``WHERE version``.)"""
    stored = getattr(row, VERSION_COLUMN)
    if shown is None or stored == shown:
        return
    found = _overtaken_by(session, row.__table__.name, row.id, shown, stored)  # type: ignore[attr-defined]
    raise _error(found)


def _as_local(moment: datetime) -> datetime:
    # Stored without a zone (SQLite, and the server's plain timestamp): UTC, as models.utcnow wrote it.
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone()


def changed_since(session: Session, kind: str, record_id: uuid.UUID, shown: int) -> Overtaken | None:
    """Who saved (or removed) the record of table ``kind`` (as the history names it: "partner") since an editor
    showed it at version ``shown``, and when; None: nobody. For an editor told of another's change while the person
    is typing in it: it keeps the typing and says so."""
    table = SQLModel.metadata.tables[kind]
    stored = session.execute(select(table.c[VERSION_COLUMN]).where(table.c.id == record_id)).scalar()
    if stored == shown:
        return None
    return _overtaken_by(session, table.name, record_id, shown, stored)


def _when(moment: datetime, now: datetime | None) -> str:
    local = _as_local(moment)
    today = (now or datetime.now(UTC)).astimezone().date()
    return format_time(local) if local.date() == today else format_datetime(local)


def meanwhile_note(found: Overtaken, *, now: datetime | None = None) -> str:
    """The note an editor shows over unsaved typing when somebody else saved the record meanwhile: "Changed by Sam at
    14:02: saving will ask which to keep." (the typing is kept; its save goes through the conflict prompt)."""
    if not found.who or found.at is None:
        return (
            _("Removed by someone else: saving will ask what to do.")
            if found.theirs is None
            else _("Changed by someone else: saving will ask which to keep.")
        )
    said = (
        _("Removed by {who} at {time}: saving will ask what to do.")
        if found.theirs is None
        else _("Changed by {who} at {time}: saving will ask which to keep.")
    )
    return said.format(who=found.who, time=_when(found.at, now))


def conflict_said(found: Overtaken | None, *, now: datetime | None = None) -> str:
    """Who changed (or removed) the record and when, in the person's language: "Changed by Sam at 14:02 while you
    were editing." (the date too when it was not today)."""
    if found is None or not found.who or found.at is None:
        return _("Changed by someone else while you were editing.")
    when = _when(found.at, now)
    said = (
        _("Removed by {who} at {time} while you were editing.")
        if found.theirs is None
        else _("Changed by {who} at {time} while you were editing.")
    )
    return said.format(who=found.who, time=when)


def conflict_message(found: Overtaken | None, *, now: datetime | None = None) -> str:
    """What the person whose save was refused is told: who changed the record and when, and that nothing of theirs
    was saved, in their language."""
    kept = _("Your change was not saved, so that theirs is not lost: look at the record again and make it anew.")
    return f"{conflict_said(found, now=now)} {kept}"


def conflict_error(session: Session, written: list[Written]) -> ConflictError:
    """The :class:`ConflictError` for a save refused because a record it writes was saved by somebody else since;
    ``session`` has been rolled back (this reads the stored versions and the history, then ends its read)."""
    try:
        found = overtaken(session, written)
    except DBAPIError:  # the server went away meanwhile: say what is known
        found = None
    finally:
        session.rollback()
    return ConflictError(conflict_message(None), said=conflict_said(None)) if found is None else _error(found)


def _error(found: Overtaken) -> ConflictError:
    return ConflictError(
        conflict_message(found),
        said=conflict_said(found),
        kind=found.kind,
        record_id=found.record_id,
        yours=found.yours,
        theirs=found.theirs,
        who=found.who,
        at=found.at,
    )


def check_every_update(state: ORMExecuteState) -> None:
    """A ``do_orm_execute`` hook for the tests: an UPDATE that forgets to count a save fails at once."""
    if state.is_update and forgets_the_version(state.statement, state.parameters):
        raise AssertionError(f"an UPDATE of {state.statement.table} does not bump {VERSION_COLUMN}: use db.versions")  # type: ignore[attr-defined]
