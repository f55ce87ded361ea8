"""Live refresh in team mode (issue 17): every laptop on a team database hears of the others' changes.

1. Telling (:func:`announce_commits`, installed on every session of a team database): the session notes which
   tables and rows it writes, as it flushes and as it runs statements, and just before it commits it sends one
   ``NOTIFY`` on :data:`CHANNEL` in the same transaction. PostgreSQL delivers it at commit, to the listeners of
   that database only, and never for a transaction rolled back. The notice names the copy that wrote it (each
   open :class:`~cohesion_desktop.db.store.ServerStore` has its own), so that a window ignores its own changes: it
   has heard of them from its own writes already.
2. Hearing (:class:`ChangeListener`): a thread with a connection of its own that ``LISTEN``s, gathers the notices
   that arrive close together into one (:data:`GATHER_S`), skips its own copy's and hands the rest on as
   :class:`ChangeNotice`. A lost connection is made again quietly, with a growing pause; notices sent while it was
   away are lost, so the first notice after it is back says "anything may have changed".

A data file has none of this: one window at a time writes to it.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

from cohesion_desktop import APP_ID

if TYPE_CHECKING:
    import psycopg

    from cohesion_desktop.db.server import ServerAddress

log = logging.getLogger(__name__)

# PostgreSQL delivers a notice only to listeners connected to the database it was sent in: one channel name serves
# every team database, each hearing only its own.
CHANNEL = "cohesion_changes"
# A notice's text may not exceed 8000 bytes: past this many ids, a notice names its tables only (a page then reads
# them whole, as after a statement that changed many rows).
MOST_IDS = 150
# Notices that arrive within this time of the first are handed on as one: a page refreshes once for a burst.
GATHER_S = 0.2
# How long the listener waits for a notice before looking whether it was asked to stop.
WAIT_S = 0.5
# The pauses before making a lost connection again, from the first to the longest.
RETRY_FIRST_S = 0.5
RETRY_LONGEST_S = 10.0


@dataclass(frozen=True)
class ChangeNotice:
    """What another copy committed: its tables (None: unknown, anything may have changed), the ids of the rows it
    changed where known, and the tables changed by statements whose rows are not named."""

    copy: str
    tables: frozenset[str] | None
    ids: frozenset[uuid.UUID] = frozenset()
    unnamed: frozenset[str] = frozenset()

    @classmethod
    def unknown(cls) -> ChangeNotice:
        """Anything may have changed (notices were missed while the connection was lost)."""
        return cls("", None)

    def to_payload(self) -> str:
        """The notice as sent: short JSON, ids as hex; too many ids become their tables, unnamed."""
        tables = sorted(self.tables or ())
        ids, unnamed = sorted(i.hex for i in self.ids), sorted(self.unnamed)
        if len(ids) > MOST_IDS:
            ids, unnamed = [], tables
        return json.dumps({"copy": self.copy, "tables": tables, "ids": ids, "unnamed": unnamed}, separators=(",", ":"))

    @classmethod
    def from_payload(cls, payload: str) -> ChangeNotice:
        """A notice as received; one that cannot be read (another version of the app?) says anything may have
        changed, rather than leave a page showing old rows."""
        try:
            data = json.loads(payload)
            return cls(
                str(data["copy"]),
                frozenset(str(t) for t in data["tables"]),
                frozenset(uuid.UUID(hex=str(i)) for i in data["ids"]),
                frozenset(str(t) for t in data["unnamed"]),
            )
        except (ValueError, KeyError, TypeError):
            log.warning("a change notice could not be read; reading everything again")
            return cls.unknown()

    def __or__(self, other: ChangeNotice) -> ChangeNotice:
        tables = None if self.tables is None or other.tables is None else self.tables | other.tables
        copy = self.copy if self.copy == other.copy else ""
        return ChangeNotice(copy, tables, self.ids | other.ids, self.unnamed | other.unnamed)


@dataclass
class _Announcer:
    """Notes what one session writes, and sends it as a notice in the transaction that commits it."""

    copy: str
    tables: set[str] = field(default_factory=set)
    ids: set[uuid.UUID] = field(default_factory=set)
    unnamed: set[str] = field(default_factory=set)

    def flushed(self, session: Session, _context: object) -> None:
        for row in (*session.new, *session.dirty, *session.deleted):
            self.tables.add(row.__table__.name)
            row_id = getattr(row, "id", None)
            if isinstance(row_id, uuid.UUID):
                self.ids.add(row_id)

    def executed(self, state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            name = getattr(getattr(state.statement, "table", None), "name", None)
            if name:
                self.tables.add(name)
                self.unnamed.add(name)

    def before_commit(self, session: Session) -> None:
        if session.new or session.dirty or session.deleted:
            session.flush()  # what is still in the unit of work is told too
        if self.tables:
            notice = ChangeNotice(self.copy, frozenset(self.tables), frozenset(self.ids), frozenset(self.unnamed))
            session.execute(select(func.pg_notify(CHANNEL, notice.to_payload())))
        self.rolled_back(session)

    def rolled_back(self, _session: Session) -> None:
        self.tables.clear()
        self.ids.clear()
        self.unnamed.clear()


def announce_commits(session: Session, copy: str) -> None:
    """Have every commit of ``session`` that changed something tell the other copies, in its own transaction.
    Install it after the change history's hooks: the history rows written at commit are then told too."""
    announcer = _Announcer(copy)
    event_names: Iterable[tuple[str, Callable[..., None]]] = (
        ("after_flush", announcer.flushed),
        ("do_orm_execute", announcer.executed),
        ("before_commit", announcer.before_commit),
        ("after_rollback", announcer.rolled_back),
    )
    for name, hook in event_names:
        event.listen(session, name, hook)


def connect_for_listening(address: ServerAddress) -> psycopg.Connection[Any]:
    """A connection of its own (outside the engine's pool: it is held for as long as the window is open), on which a
    dead server or network is noticed within seconds (TCP keepalives) rather than hours."""
    import psycopg

    from cohesion_desktop.db.server import CONNECT_TIMEOUT_S

    conninfo = address.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(
        conninfo,
        autocommit=True,
        connect_timeout=CONNECT_TIMEOUT_S,
        application_name=f"{APP_ID} (live refresh)",
        keepalives=1,
        keepalives_idle=10,
        keepalives_interval=5,
        keepalives_count=3,
    )


class ChangeListener:
    """Hears the other copies' notices on a thread of its own and calls ``deliver(notice)`` there (the window
    passes it on to its own thread). :meth:`stop` ends it; it never raises into the app: a lost server is retried
    quietly, and the window learns of it from its own reads and writes."""

    def __init__(self, address: ServerAddress, *, own_copy: str, deliver: Callable[[ChangeNotice], None]) -> None:
        self._address = address
        self._own_copy = own_copy
        self._deliver = deliver
        self._stopping = threading.Event()
        # Set while a connection is listening: a test (or a caller) can wait for it before writing.
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cohesion-live-refresh", daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 3.0) -> None:
        """Stop listening and wait (up to ``timeout_s``) for the thread to end; nothing is delivered after."""
        self._stopping.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout_s)

    def _run(self) -> None:
        import psycopg

        pause, heard_before = RETRY_FIRST_S, False
        while not self._stopping.is_set():
            try:
                with connect_for_listening(self._address) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if heard_before:
                        self._hand_on(ChangeNotice.unknown())  # what was said while away was not heard
                    heard_before, pause = True, RETRY_FIRST_S
                    self._listen(connection)
            except psycopg.Error as exc:
                self.listening.clear()
                log.info("live refresh: the team database could not be heard (%s); trying again", type(exc).__name__)
                self._stopping.wait(pause)
                pause = min(pause * 2, RETRY_LONGEST_S)
            except Exception:  # a bug must not end live refresh silently for the rest of the session
                self.listening.clear()
                log.exception("live refresh failed; trying again")
                self._stopping.wait(RETRY_LONGEST_S)
        self.listening.clear()

    def _listen(self, connection: psycopg.Connection[Any]) -> None:
        while not self._stopping.is_set():
            heard = [n.payload for n in connection.notifies(timeout=WAIT_S, stop_after=1)]
            if not heard:
                continue
            heard += [n.payload for n in connection.notifies(timeout=GATHER_S)]
            others = [n for n in map(ChangeNotice.from_payload, heard) if n.copy != self._own_copy]
            if others:
                gathered = others[0]
                for notice in others[1:]:
                    gathered |= notice
                self._hand_on(gathered)

    def _hand_on(self, notice: ChangeNotice) -> None:
        if self._stopping.is_set():
            return
        try:
            self._deliver(notice)
        except Exception:
            log.exception("live refresh: a notice could not be handed on")
