"""Opening a data file safely.

:func:`open_store` is the only way in. Before anything writes to a file it:

1. checks the folder exists and takes the file's lock (one writer: a second window gets a clear message);
2. reads the 100-byte SQLite header itself (a 0-byte file, a file that is not SQLite, a file cut short
   are refused before SQLite could "helpfully" treat them as new);
3. runs ``PRAGMA quick_check`` on a read-only connection, and reads the schema version and application id;
4. only then opens the read-write engine (WAL, ``synchronous=FULL``, ``foreign_keys=ON``, a busy timeout),
   creates a new file's schema, or backs up and upgrades an older one.

A refused file is never written to. All SQLite-specific SQL of the app lives here and in ``backups.py``.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filelock
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, SQLModel

from cohesion_desktop import APP_NAME
from cohesion_desktop.db import migrations
from cohesion_desktop.db.defaults import seed_defaults
from cohesion_desktop.errors import (
    DataFileDamagedError,
    DataFileError,
    DataFileInUseError,
    DataFileMissingFolderError,
    DataFileNotOursError,
    DataFileTooNewError,
    NotFoundError,
    StorageError,
)

log = logging.getLogger(__name__)

# "CoHD": marks a SQLite file as ours, so we never adopt somebody else's database.
APPLICATION_ID = 0x436F4844
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileFacts:
    """What the read-only inspection of an existing file found."""

    schema_version: int
    application_id: int
    table_count: int


def lock_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _connect_uri(path: Path, mode: str) -> sqlite3.Connection:
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}",
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,  # the pool hands a connection to one thread at a time
    )


def _check_header(path: Path) -> None:
    """Refuse what SQLite itself would open without complaint: empty, foreign or truncated files."""
    size = path.stat().st_size
    if size == 0:
        raise DataFileDamagedError(
            path, f"The data file {path} is empty (0 bytes). It may have been cut off while copying or saving."
        )
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise DataFileDamagedError(
            path, f"The file {path} is not a {APP_NAME} data file (it is not a SQLite database)."
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DataFileDamagedError(path, f"The data file {path} is damaged: its header is unreadable.")
    page_count = int.from_bytes(header[28:32], "big")
    header_count_valid = header[24:28] == header[92:96]
    if size % page_size or (header_count_valid and size < page_count * page_size):
        raise DataFileDamagedError(
            path,
            f"The data file {path} is damaged: it is shorter than it should be "
            f"({size:,} of {page_count * page_size:,} bytes), as if a copy was cut off.",
        )


def inspect_data_file(path: Path) -> FileFacts:
    """Check an existing file without writing to it: header, ``quick_check``, version and owner."""
    path = Path(path)
    _check_header(path)
    try:
        connection = _connect_uri(path, "ro")
    except sqlite3.Error as exc:
        raise DataFileDamagedError(path, f"The data file {path} could not be read: {exc}.") from exc
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            log.error("quick_check of %s: %s", path, problems[:20])
            raise DataFileDamagedError(
                path, f"The data file {path} is damaged: SQLite's check found {len(problems)} problem(s)."
            )
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        table_count = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DataFileDamagedError(path, f"The data file {path} is damaged: {exc}.") from exc
    finally:
        connection.close()
    return FileFacts(schema_version=version, application_id=application_id, table_count=table_count)


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine whose every connection has WAL, ``synchronous=FULL``, foreign keys and a busy timeout."""
    mode = "ro" if read_only else "rwc"
    engine = create_engine(
        "sqlite://",
        creator=lambda: _connect_uri(path, mode),
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        # A failed statement's message would otherwise carry its values (names, e-mails) into the log file.
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # SQLAlchemy's pysqlite recipe: let SQLAlchemy emit BEGIN, so DDL is transactional too.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Deleted or overwritten personal data is zeroed on disk, not left in free pages (UK GDPR erasure).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        connection.exec_driver_sql("BEGIN")  # type: ignore[attr-defined]

    return engine


class Store:
    """An open data file: its engine, its lock, and a factory of sessions."""

    def __init__(self, path: Path, engine: Engine, *, read_only: bool, lock: filelock.BaseFileLock | None) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self._lock = lock
        # When the last change was committed (time.monotonic), so backups are made only after edits.
        self.last_commit_at: float | None = None
        event.listen(engine, "commit", self._note_commit)

    def _note_commit(self, _connection: object) -> None:
        self.last_commit_at = time.monotonic()

    def session(self) -> Session:
        """A new session; objects stay readable after commit (services return plain rows anyway)."""
        return Session(self.engine, expire_on_commit=False)

    @property
    def schema_version(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())

    def checkpoint(self) -> None:
        """Merge the WAL into the main file and empty it."""
        _outside_transaction(self.engine, "PRAGMA wal_checkpoint(TRUNCATE)")

    def vacuum(self) -> None:
        """Rewrite the file without free pages, then empty the WAL."""
        compact(self.engine)

    def close(self) -> None:
        """Close every pooled connection (the last one checkpoints the WAL) and release the lock."""
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _outside_transaction(engine: Engine, *statements: str) -> None:
    """Run statements SQLite refuses inside a transaction (VACUUM, checkpoints)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement in statements:
            cursor.execute(statement)
        cursor.close()
    finally:
        raw.close()


def compact(engine: Engine) -> None:
    """VACUUM, then checkpoint and empty the WAL: nothing deleted lingers anywhere in the file or beside it."""
    _outside_transaction(engine, "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)")


def _take_lock(path: Path) -> filelock.BaseFileLock:
    # Not thread-local: a file opened by a worker thread is closed (and unlocked) by the window's thread.
    lock = filelock.FileLock(str(lock_path_for(path)), timeout=0, thread_local=False)
    try:
        lock.acquire()
    except filelock.Timeout as exc:
        raise DataFileInUseError(
            path,
            f"The data file {path} is open in another window (or another program). "
            "Close it there first, or open a different file.",
        ) from exc
    except OSError as exc:
        raise DataFileError(path, f"The data file {path} cannot be locked for editing: {exc.strerror}.") from exc
    return lock


def _refuse_foreign_or_newer(path: Path, facts: FileFacts) -> None:
    if facts.application_id not in (0, APPLICATION_ID) or (facts.application_id == 0 and facts.table_count > 0):
        raise DataFileNotOursError(
            path, f"The file {path} is a SQLite database, but not a {APP_NAME} data file. It was left as it is."
        )
    if facts.schema_version > migrations.SCHEMA_VERSION:
        raise DataFileTooNewError(
            path,
            f"The data file {path} was saved by a newer version of {APP_NAME} (data format "
            f"{facts.schema_version}; this version reads up to {migrations.SCHEMA_VERSION}). "
            "Please update the app. The file was left as it is.",
        )


def create_schema(engine: Engine) -> None:
    """Write a new file's tables, default themes and templates, then stamp its version, in one transaction."""
    with engine.begin() as connection:
        SQLModel.metadata.create_all(connection)
        seed_defaults(connection)
        connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        connection.exec_driver_sql(f"PRAGMA user_version={migrations.SCHEMA_VERSION}")


def _upgrade(engine: Engine, path: Path, from_version: int) -> None:
    try:
        migrations.upgrade(engine, path, from_version=from_version)
    except Exception as exc:
        log.exception("upgrade of %s from schema %s failed", path, from_version)
        raise DataFileError(
            path,
            f"The data file {path} could not be upgraded to this version's data format ({exc}). "
            "The step that failed changed nothing, and a copy made before the upgrade is in the backups folder.",
        ) from exc


def open_store(path: Path, *, read_only: bool = False, create: bool = True) -> Store:
    """Open (or create) a data file, or raise a :class:`DataFileError` whose message is for the user."""
    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise DataFileMissingFolderError(
            path, f"The folder {path.parent} does not exist (was a USB stick or network drive removed?)."
        )
    if path.is_dir():
        raise DataFileError(path, f"{path} is a folder, not a data file.")
    exists = path.exists()
    if not exists and (read_only or not create):
        raise DataFileError(path, f"There is no data file at {path}.")

    lock = None if read_only else _take_lock(path)
    try:
        facts = inspect_data_file(path) if exists else None
        if facts is not None:
            _refuse_foreign_or_newer(path, facts)
        engine = make_engine(path, read_only=read_only)
        try:
            if facts is None or facts.table_count == 0:
                if read_only:
                    raise DataFileError(path, f"The data file {path} is empty.")
                create_schema(engine)
            elif facts.schema_version < migrations.SCHEMA_VERSION:
                if read_only:
                    raise DataFileError(
                        path, f"The data file {path} needs upgrading; open it for editing once to upgrade it."
                    )
                _upgrade(engine, path, facts.schema_version)
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return Store(path, engine, read_only=read_only, lock=lock)


_STORAGE_MESSAGES = {
    "SQLITE_FULL": "There is no room left on the disk (or the data file reached its size limit).",
    "SQLITE_READONLY": "The data file is read-only.",
    "SQLITE_BUSY": "The data file is busy: another program is writing to it.",
    "SQLITE_LOCKED": "The data file is busy: another program is writing to it.",
    "SQLITE_IOERR": "The disk reported an error while saving.",
    "SQLITE_CORRUPT": "The data file is damaged.",
}


def storage_error_from(exc: DBAPIError) -> StorageError:
    """Translate a database error during a write into words for the user."""
    if isinstance(exc, IntegrityError):
        return StorageError(f"The change conflicts with what is already stored, so it was not saved ({exc.orig}).")
    code_name = getattr(exc.orig, "sqlite_errorname", "") or ""
    for prefix, message in _STORAGE_MESSAGES.items():
        if code_name.startswith(prefix):
            return StorageError(f"{message} Your last change was not saved; everything before it is safe.")
    return StorageError(f"Your last change could not be saved ({exc.orig}); everything before it is safe.")


def undelete(session: Session, model: type[SQLModel], row_id: object, *, what: str) -> None:
    """Bring back a soft-deleted row (the undo of a delete); ``what`` names it for the error, e.g. "check"."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(f"That {what} no longer exists.")
    with writing(session):
        row.deleted_at = None  # type: ignore[attr-defined]


@contextmanager
def writing(session: Session) -> Iterator[Session]:
    """One unit of work: commit at the end, or roll back and raise :class:`StorageError` with plain words."""
    try:
        yield session
        session.commit()
    except DBAPIError as exc:
        session.rollback()
        log.exception("write failed")
        raise storage_error_from(exc) from exc
    except BaseException:
        session.rollback()
        raise
