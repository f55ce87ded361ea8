"""Making deleted data unreadable in the data file's bytes (for erasure), in SQLite's own terms.

Every connection runs with ``secure_delete`` (``store.make_engine``), so what a change deletes is zeroed in
the page it leaves. That is not enough on its own: the WAL beside the file keeps whole earlier copies of the
changed pages until it is checkpointed *and* emptied, and older frames survive at its end when it is only
rewound. So a wipe

1. rewrites the whole file (``VACUUM``: no free page, no slack in a page keeps anything deleted), then
2. moves the WAL into the file and truncates it to 0 bytes (``wal_checkpoint(TRUNCATE)``).

Step 2 cannot finish while another connection (another program, a backup being made, a read still open)
reads an older snapshot: the old frames must stay for it. That is reported, never ignored, and the caller
tries again later.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine

from cohesion_desktop.i18n import N_, _

log = logging.getLogger(__name__)

# Marked here, translated where it is returned (the interface's language then).
HELD_BY_A_READER = N_(
    "another program (or a backup being made) is reading the data file, so SQLite must keep "
    "the old copies of its pages in the journal beside it (the -wal file) for now"
)


def _reason(error: sqlite3.Error) -> str:
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL"):
        return _("there is not enough free space on the disk to rewrite the data file")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return _("another program is writing to the data file")
    if name.startswith("SQLITE_READONLY"):
        return _("the data file is read-only")
    return _("SQLite could not rewrite the data file ({error})").format(error=error)


def _wal_of(cursor: sqlite3.Cursor) -> Path | None:
    for _seq, name, file_name in cursor.execute("PRAGMA database_list").fetchall():
        if name == "main" and file_name:
            return Path(file_name + "-wal")
    return None


def _vacuum(cursor: sqlite3.Cursor) -> str | None:
    cursor.execute("VACUUM")
    return None


# How long the checkpoint waits for readers to finish. A query of the app's own takes milliseconds; a reader
# that takes longer is another program, which a longer wait would not outlast: a later try does better.
READER_WAIT_MS = 1000


def _checkpoint_and_truncate(cursor: sqlite3.Cursor) -> str | None:
    usual_wait = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    cursor.execute(f"PRAGMA busy_timeout={READER_WAIT_MS}")
    try:
        busy, _frames, _moved = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        cursor.execute(f"PRAGMA busy_timeout={int(usual_wait)}")  # the pooled connection goes back as it came
    wal = _wal_of(cursor)
    if busy or (wal is not None and wal.exists() and wal.stat().st_size > 0):
        return _(HELD_BY_A_READER)
    return None


def _run(engine: Engine, step: Callable[[sqlite3.Cursor], str | None]) -> str | None:
    raw = engine.raw_connection()  # outside any transaction: VACUUM and checkpoints refuse to run inside one
    try:
        cursor = raw.cursor()
        try:
            return step(cursor)  # type: ignore[arg-type]
        except sqlite3.Error as exc:
            log.warning("wiping the data file failed (%s)", getattr(exc, "sqlite_errorname", type(exc).__name__))
            return _reason(exc)
        finally:
            cursor.close()
    finally:
        raw.close()


def wipes_its_bytes(bind: Engine | Connection) -> bool:
    """Whether the app can wipe erased data from the store's bytes: a data file's, yes. A team database's, no:
    its server keeps old row versions until it vacuums, and its WAL, replicas and dumps, where this app cannot
    reach (the server's keepers can; the README for IT staff says so)."""
    return bind.dialect.name == "sqlite"


def rewrite_file(engine: Engine) -> str | None:
    """Step 1: rewrite every page of the data file (into the WAL, as any change). None when done, else why not."""
    return _run(engine, _vacuum)


def empty_wal(engine: Engine) -> str | None:
    """Step 2: move the WAL into the data file and truncate it to 0 bytes. None when done, else why not (usually
    :data:`HELD_BY_A_READER`: then try again later; the old copies stay in the WAL until then)."""
    return _run(engine, _checkpoint_and_truncate)
