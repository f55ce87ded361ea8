"""One open data file and everything done to it, as Anki's ``Collection``: the window and the command line hold a
:class:`Workspace`, never a session.

- :meth:`Workspace.read` runs a service function on a session of its own and returns what it returns (plain
  rows: safe to keep, and to hand to another thread).
- :meth:`Workspace.write` does the same for a function that changes the file (the services commit their own
  unit of work, ``db.store.writing``), and returns, beside its result, the :class:`Changes` it committed: the
  areas and the ids of the rows, read from the session's unit of work as it flushes. Every listener
  (:meth:`Workspace.listen`) gets the same notice, on the thread that wrote: the window's pages refresh from it.
  The change history, a merge and team mode's live refresh are to publish the same notices.

Every session is the workspace's: opened for one call and closed after it, on whichever thread the call runs.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Concatenate, Generic, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

from cohesion_desktop.changes import Changes
from cohesion_desktop.db.access import Access, access_of
from cohesion_desktop.db.live import ChangeListener, ChangeNotice
from cohesion_desktop.db.store import FileStore, ServerStore, Store, storage_error_from

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Written(Generic[T]):
    """What a write returned, and what it changed."""

    value: T
    changes: Changes


Listener = Callable[[Changes], None]


@dataclass
class _Recorder:
    """Collects what one session flushes; what a commit made lasting moves to ``committed``."""

    pending_tables: set[str] = field(default_factory=set)
    pending_ids: set[uuid.UUID] = field(default_factory=set)
    pending_unnamed: set[str] = field(default_factory=set)  # tables changed by a statement, rows unnamed
    committed: Changes = Changes()
    commits: int = 0

    def flushed(self, session: Session, _context: object) -> None:
        for row in (*session.new, *session.dirty, *session.deleted):
            self.pending_tables.add(row.__table__.name)
            row_id = getattr(row, "id", None)
            if isinstance(row_id, uuid.UUID):
                self.pending_ids.add(row_id)

    def executed(self, state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            self.pending_tables.add(getattr(table, "name", ""))
            self.pending_unnamed.add(getattr(table, "name", ""))

    def committed_now(self, _session: Session) -> None:
        self.commits += 1
        self.committed = self.committed | Changes.of_tables(self.pending_tables, self.pending_ids, self.pending_unnamed)
        self.rolled_back(_session)

    def rolled_back(self, _session: Session) -> None:
        self.pending_tables.clear()
        self.pending_ids.clear()
        self.pending_unnamed.clear()

    def changes(self) -> Changes:
        # A commit whose changes the unit of work did not see (SQL through the connection, as the bulk loads
        # write) changed something unknown: every area, rather than a page left showing old rows.
        if self.commits and not self.committed:
            return Changes.everything()
        return self.committed


class Workspace:
    """An open data file (:class:`FileStore`) or team database (:class:`ServerStore`), and the one way in to its
    data. ``access`` is what the account may read and change (everything in a data file; on a team database, what
    the server grants: asked once, when the workspace is made)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._others: ChangeListener | None = None  # team mode: hears the other copies' changes
        self.access: Access = access_of(store.engine)

    @property
    def store(self) -> Store:
        """The data as stored: its engine and schema version (the About box)."""
        return self._store

    @property
    def file_store(self) -> FileStore | None:
        """The data file (its path, lock, backups: what a team database has not); None on a team database."""
        return self._store if isinstance(self._store, FileStore) else None

    @property
    def path(self) -> Path | None:
        """The data file's path; None on a team database."""
        return self._store.path if isinstance(self._store, FileStore) else None

    @property
    def target(self) -> Path | str:
        """What was opened, as it is opened again (recent files): a data file's path, or a team database's address
        without its password."""
        if isinstance(self._store, ServerStore):
            return str(self._store.address)
        assert isinstance(self._store, FileStore)
        return self._store.path

    @property
    def title(self) -> str:
        """Its short name, for the window's title: the file's name, or the database's name and server."""
        if isinstance(self._store, ServerStore):
            return self._store.address.where
        assert isinstance(self._store, FileStore)
        return self._store.path.name

    @property
    def where(self) -> str:
        """Its full name for the status bar and the About box: the file's path, or "the team database … on …" (never
        a password)."""
        return self._store.where

    def read(self, query: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``query(session, *args, **kwargs)`` on a session of its own, closed after it. A team database's refusal
        (an account that may not read what was asked, a lost connection) comes out as a ``StorageError`` naming the
        database: the server's own words would call it a data file, or quote SQL."""
        try:
            with self._store.session() as session:
                return query(session, *args, **kwargs)
        except DBAPIError as exc:
            if isinstance(self._store, ServerStore):
                raise storage_error_from(exc, saving=False, team_database=self._store.address.where) from exc
            raise

    def write(self, change: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs) -> Written[T]:
        """``change(session, *args, **kwargs)``, which commits what it changes; returns its result and what it
        changed, which every listener hears of too (also when ``change`` raised after committing a part)."""
        recorder = _Recorder()
        with self._store.session() as session:
            event.listen(session, "after_flush", recorder.flushed)
            event.listen(session, "do_orm_execute", recorder.executed)
            event.listen(session, "after_commit", recorder.committed_now)
            event.listen(session, "after_rollback", recorder.rolled_back)
            try:
                value = change(session, *args, **kwargs)
            finally:
                self.announce(recorder.changes())
        return Written(value, recorder.changes())

    def listen(self, listener: Listener) -> None:
        """Call ``listener(changes)`` after every write that changed something, on the thread that wrote."""
        with self._lock:
            self._listeners.append(listener)

    def announce(self, changes: Changes) -> None:
        """Tell every listener of ``changes`` (made by a write, or by something outside the workspace)."""
        if not changes:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes)

    def follow_others(self, deliver: Listener) -> bool:
        """Team mode: call ``deliver(changes)`` with what the other copies of the team database commit (``changes``
        marked ``by_others``), on a thread of the listener's (the window passes them to its own), until
        :meth:`close`. False, and nothing done, for a data file: nobody else writes to it."""
        store: Store = self._store
        if not isinstance(store, ServerStore):
            return False

        def heard(notice: ChangeNotice) -> None:
            deliver(Changes.of_tables(notice.tables, notice.ids, notice.unnamed, by_others=True))

        with self._lock:
            if self._others is not None:
                self._others.stop()
            self._others = store.listen_to_others(heard)
        return True

    def close(self) -> None:
        """Close the file and release its lock; listeners hear nothing more."""
        with self._lock:
            self._listeners.clear()
            others, self._others = self._others, None
        if others is not None:
            others.stop()
        self._store.close()
