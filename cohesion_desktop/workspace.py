"""One open data file and everything done to it, as Anki's ``Collection``: the window and the command line hold a
:class:`Workspace`, never a session.

- :meth:`Workspace.read` runs a service function on a session of its own and returns what it returns (plain
  rows: safe to keep, and to hand to another thread).
- :meth:`Workspace.write` does the same for a function that changes the file (the services commit their own
  unit of work, ``db.store.writing``).

Every session is the workspace's: opened for one call and closed after it, on whichever thread the call runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlmodel import Session

from cohesion_desktop.db.store import Store

P = ParamSpec("P")
T = TypeVar("T")


class Workspace:
    """An open data file (:class:`Store`) and the one way in to its data."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def store(self) -> Store:
        """The file as stored: its path, lock, schema version and engine (for backups and the About box)."""
        return self._store

    def read(self, query: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``query(session, *args, **kwargs)`` on a session of its own, closed after it."""
        with self._store.session() as session:
            return query(session, *args, **kwargs)

    def write(self, change: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``change(session, *args, **kwargs)``, which commits what it changes; returns what it returned."""
        with self._store.session() as session:
            return change(session, *args, **kwargs)

    def close(self) -> None:
        """Close the file and release its lock."""
        self._store.close()
