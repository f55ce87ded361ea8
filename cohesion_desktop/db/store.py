"""Opening a data file safely.

:func:`open_store` is the only way in. Before anything writes to a file it:

1. checks the folder exists and can be written to, and takes the file's lock (one writer: a second window
   gets a clear message); finishes a restore that was cut short (``backups.finish_interrupted_restore``);
   creates a missing file only when asked, whole or not at all (schema written under a temporary name,
   flushed, then moved into place);
2. reads the 100-byte SQLite header itself (a 0-byte file, a file that is not SQLite, a file cut short
   are refused before SQLite could "helpfully" treat them as new) -- unless a WAL beside it holds pages:
   then the file may rightly be shorter than its header says (a checkpoint cut off by a crash or a full
   disk), and only SQLite, after its own recovery from the WAL, can tell;
3. runs ``PRAGMA quick_check`` on a read-only connection, and reads the schema version and application id;
4. only then opens the read-write engine (WAL, ``synchronous=FULL``, ``foreign_keys=ON``, a busy timeout),
   proves it can write (SQLite's write lock, and the file itself), or backs up and upgrades an older file;
5. makes the file owner-only and tidies its copies (``backups.tidy``: the keeping schedule, stale temporaries).

A refused file is never written to. "Damaged" (:class:`DataFileDamagedError`, the only error that leads to
an offer of a backup in the file's place) means only what steps 2 and 3 find; a lock held by another
program, a read-only file or folder, a disk error, a file SQLite cannot open and a vanished folder each
have their own error. All SQLite-specific SQL of the app lives here and in ``backups.py``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filelock
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, SQLModel

from cohesion_desktop import APP_NAME
from cohesion_desktop.db import files, migrations
from cohesion_desktop.db.defaults import seed_defaults
from cohesion_desktop.errors import (
    DataFileCannotOpenError,
    DataFileDamagedError,
    DataFileDiskFullError,
    DataFileEmptyError,
    DataFileError,
    DataFileInUseError,
    DataFileIOError,
    DataFileLockedError,
    DataFileMissingError,
    DataFileMissingFolderError,
    DataFileNotOursError,
    DataFileReadOnlyError,
    DataFileTooNewError,
    NotFoundError,
    StorageError,
)

log = logging.getLogger(__name__)

# "CoHD": marks a SQLite file as ours, so we never adopt somebody else's database.
APPLICATION_ID = 0x436F4844
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"
WAL_HEADER_SIZE = 32


@dataclass(frozen=True)
class FileFacts:
    """What the read-only inspection of an existing file found."""

    schema_version: int
    application_id: int
    table_count: int
    # No tables, indexes or anything else, and no free pages that could hold old content.
    truly_empty: bool = False


def lock_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def companion(path: Path, suffix: str) -> Path:
    """SQLite's files beside a data file: ``-wal`` (its log of recent changes) and ``-shm``."""
    return path.with_name(path.name + suffix)


def wal_holds_pages(path: Path) -> bool:
    """Whether a WAL beside ``path`` holds pages SQLite will read on top of the file."""
    try:
        return companion(path, "-wal").stat().st_size > WAL_HEADER_SIZE
    except OSError:
        return False


def folder_is_writable(folder: Path) -> bool:
    # os.access also answers False on a read-only mount, where root could not write either.
    return os.access(folder, os.W_OK)


def _connect_uri(path: Path, mode: str, *, immutable: bool = False) -> sqlite3.Connection:
    # immutable: a file in a folder nobody can write to, with no WAL, can change under nobody; SQLite then
    # reads it without the -shm file it could not create there.
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}{'&immutable=1' if immutable else ''}",
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,  # the pool hands a connection to one thread at a time
    )


# SQLite's primary result codes, as the system error that means the same to the user.
_SQLITE_AS_ERRNO = {
    "SQLITE_BUSY": errno.EBUSY,
    "SQLITE_LOCKED": errno.EBUSY,
    "SQLITE_READONLY": errno.EROFS,
    "SQLITE_IOERR": errno.EIO,
    "SQLITE_FULL": errno.ENOSPC,
    "SQLITE_CANTOPEN": errno.EACCES,
    "SQLITE_PERM": errno.EACCES,
    "SQLITE_AUTH": errno.EACCES,
    "SQLITE_NOTADB": errno.EILSEQ,  # "damaged" (no errno says that)
    "SQLITE_CORRUPT": errno.EILSEQ,
}


def data_file_error(path: Path, exc: BaseException, *, creating: bool = False) -> DataFileError:
    """The user's words for why SQLite or the system could not open (or create) ``path``; only real damage
    is "damaged"."""
    if isinstance(exc, DataFileError):
        return exc
    if isinstance(exc, DBAPIError) and isinstance(exc.orig, BaseException):
        exc = exc.orig
    folder = path.parent
    kept = "No file was created." if creating else "The file was left as it is; it is not damaged."
    if isinstance(exc, OSError):
        code, why = exc.errno, exc.strerror or str(exc)
    else:
        name = getattr(exc, "sqlite_errorname", "") or ""
        code = next((value for prefix, value in _SQLITE_AS_ERRNO.items()
                     if name == prefix or name.startswith(prefix + "_")), None)
        why = str(exc)
    if code == errno.EBUSY:
        return DataFileLockedError(
            path, f"Another program is using the data file {path} and holds SQLite's lock on it (a database "
            f"viewer, or a backup or sync tool). Close that program, then try again. {kept}")
    if code == errno.EILSEQ:
        return DataFileDamagedError(path, f"The data file {path} is damaged: {why}.")
    if code == errno.ENOENT and not folder.is_dir():
        return missing_folder(path)
    if code == errno.EROFS or (code == errno.EACCES and not folder_is_writable(folder)):
        if not folder_is_writable(folder):
            return DataFileReadOnlyError(
                path, f"The folder {folder} is read-only, so the data file {path.name} in it cannot be edited "
                "(SQLite writes beside the file while it is open). Copy the file to a folder you can write to, "
                f"such as Documents, and open the copy. {kept}")
        return DataFileReadOnlyError(
            path, f"The data file {path} is read-only (its Read-only property is set, or you may only read it), "
            "so it cannot be edited. Clear the Read-only property, or copy the file to a folder of yours and "
            f"open the copy. {kept}")
    if code == errno.EIO and _nearly_full(folder):
        code = errno.ENOSPC  # SQLite's shared-memory file could not grow: an I/O error, but the disk is full
    if code == errno.EIO:
        return DataFileIOError(
            path, f"The disk reported an error while reading the data file {path}. If it is on a USB stick or "
            "a network drive, check that it is still connected, then try again. Nothing was changed, and the "
            "file is not known to be damaged.")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return DataFileDiskFullError(
            path, f"There is no room left on the disk that holds {path}, so it cannot be "
            f"{'created' if creating else 'opened for editing'}. Free some space, then try again. {kept}")
    return DataFileCannotOpenError(
        path, f"The data file {path} cannot be opened ({why}): check that you may read and change it and the "
        f"files beside it that start with its name. {kept}")


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 256 * 1024
    except OSError:
        return False


def missing_folder(path: Path) -> DataFileMissingFolderError:
    return DataFileMissingFolderError(
        path, f"The folder {path.parent} does not exist (was a USB stick or network drive removed?).")


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


def inspect_data_file(path: Path, *, immutable: bool = False) -> FileFacts:
    """Check an existing file without writing to it: header, ``quick_check``, version and owner."""
    path = Path(path)
    try:
        if not wal_holds_pages(path):
            _check_header(path)
        connection = _connect_uri(path, "ro", immutable=immutable)
        try:
            # The first statement is where SQLite opens the file and recovers it from its WAL.
            problems = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                log.error("quick_check of %s: %s", path, problems[:20])
                raise DataFileDamagedError(
                    path, f"The data file {path} is damaged: SQLite's check found {len(problems)} problem(s)."
                )
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            table_count = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            truly_empty = (connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
                           and connection.execute("PRAGMA freelist_count").fetchone()[0] == 0)
        finally:
            connection.close()
    except (sqlite3.Error, OSError) as exc:
        log.warning("inspecting %s: %r", path, exc)
        raise data_file_error(path, exc) from exc
    return FileFacts(schema_version=version, application_id=application_id, table_count=table_count,
                     truly_empty=truly_empty)


def make_engine(path: Path, *, read_only: bool = False, immutable: bool = False, wal: bool = True) -> Engine:
    """An engine whose every connection has WAL, ``synchronous=FULL``, foreign keys and a busy timeout.

    ``wal=False`` only for a file being made under a temporary name: it must be complete by itself,
    with no ``-wal`` file to move along with it.
    """
    mode = "ro" if read_only else "rwc"
    engine = create_engine(
        # The URL only names the file (for data_file_of); the creator makes the connections.
        URL.create("sqlite", database=str(path)),
        creator=lambda: _connect_uri(path, mode, immutable=immutable),
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
            cursor.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
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


def data_file_of(session: Session) -> Path | None:
    """The data file a session works on (None for a store that is not a file, such as a server)."""
    url = session.get_bind().engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


class Store:
    """An open data file: its engine, its lock, and a factory of sessions."""

    def __init__(self, path: Path, engine: Engine, *, read_only: bool, lock: filelock.BaseFileLock | None) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self._lock = lock
        # Whether opening made this file (new, or an empty one started afresh): `new` and the window say so.
        self.created = False
        # What opening did that the user should hear of (a restore that was cut short, finished).
        self.notes: list[str] = []
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
        raise data_file_error(path, exc) from exc
    return lock


def _prove_writable(engine: Engine, path: Path) -> None:
    """Write once and roll it back: a read-only file, or another program's lock, shows now, not at the first edit."""
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("BEGIN IMMEDIATE")  # another program's lock
            try:
                # A read-only file still lets SQLite write its WAL: only a change to the file itself tells.
                version = cursor.execute("PRAGMA user_version").fetchone()[0]
                cursor.execute(f"PRAGMA user_version={int(version)}")
            finally:
                cursor.execute("ROLLBACK")
            cursor.close()
        finally:
            raw.close()
    except (DBAPIError, sqlite3.Error) as exc:
        log.warning("%s cannot be written: %r", path, exc)
        raise data_file_error(path, exc) from exc


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


def _write_new_file(path: Path) -> Path:
    """A complete new data file under a temporary name beside ``path``, flushed to the disk. Returns its name."""
    temporary = files.temporary_beside(path, files.CREATING)
    try:
        engine = make_engine(temporary, wal=False)
        try:
            create_schema(engine)
        finally:
            engine.dispose()
        files.fsync_file(temporary)
    except BaseException:
        files.remove_with_companions(temporary)
        raise
    return temporary


def create_data_file(path: Path) -> None:
    """Create a new, empty data file at ``path`` in one step: a creation killed part-way leaves nothing there.

    The caller holds the file's lock. Raises FileExistsError if something appeared at ``path`` meanwhile.
    """
    temporary = _write_new_file(path)
    try:
        files.place_new(temporary, path)
    except BaseException:
        files.remove_with_companions(temporary)
        raise
    log.info("created the data file %s", path)


def start_afresh_file(path: Path) -> None:
    """Replace a truly empty SQLite file (see :class:`DataFileEmptyError`) with a new data file, in one step."""
    temporary = _write_new_file(path)
    try:
        # Its WAL and -shm belong to the empty file: they must not be read on top of the new one. Nothing is
        # lost if this is cut short: what is left is the same empty file, offered afresh again.
        for suffix in ("-wal", "-shm"):
            companion(path, suffix).unlink(missing_ok=True)
        os.replace(temporary, path)
        files.fsync_folder(path.parent)
    except BaseException:
        files.remove_with_companions(temporary)
        raise
    log.info("started the empty file %s afresh", path)


def _empty_file_error(path: Path, facts: FileFacts) -> DataFileEmptyError:
    if facts.truly_empty:
        return DataFileEmptyError(
            path, f"The data file {path} is empty: a SQLite file with no tables and nothing else in it, most "
            "likely because creating it was interrupted. It holds no data, so it can be started afresh as a new, "
            "empty data file.", truly_empty=True)
    return DataFileEmptyError(
        path, f"The file {path} is a SQLite file with no tables, but it is not empty: it still holds old "
        "content that is no longer in any table. It was left as it is; open another data file or create a new one.",
        truly_empty=False)


def _upgrade(engine: Engine, path: Path, from_version: int) -> None:
    try:
        backup = migrations.upgrade(engine, path, from_version=from_version)
    except migrations.NoBackupError as exc:
        log.exception("no backup before upgrading %s", path)
        raise DataFileError(
            path,
            f"The data file {path} must be upgraded to this version's data format, and a copy of it is made "
            f"first; that copy could not be made ({exc}). Nothing was upgraded or changed.",
        ) from exc
    except Exception as exc:
        log.exception("upgrade of %s from schema %s failed", path, from_version)
        raise DataFileError(
            path,
            f"The data file {path} could not be upgraded to this version's data format ({exc}). "
            "The step that failed changed nothing, and the copy made before the upgrade is in the backups folder.",
        ) from exc
    log.info("upgraded %s; the copy made before is %s", path, backup)


def open_store(path: Path, *, read_only: bool = False, create: bool = True, start_afresh: bool = False) -> Store:
    """Open a data file, or raise a :class:`DataFileError` whose message is for the user.

    ``create``: a missing file is created (atomically) instead of refused with :class:`DataFileMissingError`;
    callers that know a file existed there before pass False. ``start_afresh``: a truly empty SQLite file
    (:class:`DataFileEmptyError`) is replaced with a new data file instead of refused.
    """
    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise missing_folder(path)
    if path.is_dir():
        raise DataFileError(path, f"{path} is a folder, not a data file.")
    if not path.exists() and (read_only or not create):
        raise DataFileMissingError(path, f"There is no data file at {path}.")
    writable_folder = folder_is_writable(path.parent)
    if not read_only and not writable_folder:
        raise data_file_error(path, OSError(errno.EROFS, "read-only folder"))
    # Nobody can change a file in a read-only folder, unless a WAL left there says otherwise.
    immutable = read_only and not writable_folder and not wal_holds_pages(path)

    # Imported here: backups imports this module.
    from cohesion_desktop.db.backups import finish_interrupted_restore, tidy

    lock = None if read_only else _take_lock(path)
    made = False
    try:
        notes = [note for note in [_finishing_restore(path, finish_interrupted_restore, locked=not read_only)] if note]
        if not path.exists():  # checked again now that the lock is ours
            if read_only or not create:
                raise DataFileMissingError(path, f"There is no data file at {path}.")
            _creating(path, create_data_file)
            made = True
        facts = inspect_data_file(path, immutable=immutable)
        _refuse_foreign_or_newer(path, facts)
        if facts.table_count == 0:
            if read_only or not start_afresh or not facts.truly_empty:
                raise _empty_file_error(path, facts)
            _creating(path, start_afresh_file)
            made = True
            facts = inspect_data_file(path)
        engine = make_engine(path, read_only=read_only, immutable=immutable)
        try:
            if not read_only:
                _prove_writable(engine, path)
            if facts.schema_version < migrations.SCHEMA_VERSION:
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
    store = Store(path, engine, read_only=read_only, lock=lock)
    store.created = made
    store.notes = notes
    if not read_only:
        for own_file in (path, companion(path, "-wal"), companion(path, "-shm")):
            if own_file.exists():
                files.make_owner_only(own_file)  # files made by an older version were readable by all
        tidy(path)
    return store


def _finishing_restore(path: Path, finish: Callable[..., str | None], *, locked: bool) -> str | None:
    try:
        return finish(path, locked=locked)
    except (OSError, sqlite3.Error) as exc:
        log.error("finishing the interrupted restore of %s failed", path, exc_info=True)
        raise data_file_error(path, exc) from exc


def _creating(path: Path, make: Callable[[Path], None]) -> None:
    """Run ``make(path)``, turning a full disk or a refusal into the user's words."""
    try:
        make(path)
    except FileExistsError as exc:
        raise DataFileError(path, f"Something else created {path} at the same moment; nothing was changed.") from exc
    except (OSError, sqlite3.Error, DBAPIError) as exc:
        log.warning("creating %s failed: %r", path, exc)
        raise data_file_error(path, exc, creating=True) from exc


_STORAGE_MESSAGES = {
    "SQLITE_FULL": "There is no room left on the disk (or the data file reached its size limit).",
    "SQLITE_READONLY": "The data file is read-only.",
    "SQLITE_BUSY": "The data file is busy: another program is writing to it.",
    "SQLITE_LOCKED": "The data file is busy: another program is writing to it.",
    "SQLITE_IOERR": "The disk reported an error.",
    "SQLITE_CORRUPT": "The data file is damaged.",
    "SQLITE_CANTOPEN": "A file SQLite needs could not be created (is the temporary folder missing or read-only?).",
}


def sqlite_temporary_folder() -> Path:
    """Where SQLite puts its temporary files (big sorts, temporary tables, VACUUM), as SQLite chooses it."""
    if sys.platform == "win32":
        return Path(tempfile.gettempdir())
    for candidate in (os.environ.get("SQLITE_TMPDIR"), os.environ.get("TMPDIR"), "/var/tmp", "/usr/tmp", "/tmp"):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return Path(candidate)
    return Path.cwd()


def _no_room(data_file: Path | None) -> str:
    """Which disk is full: the temporary folder's, when it is another disk than the data file's and that has room."""
    temporary = sqlite_temporary_folder()
    with contextlib.suppress(OSError):
        if data_file is not None and temporary.stat().st_dev != data_file.parent.stat().st_dev and (
                shutil.disk_usage(data_file.parent).free > 16 * 1024 * 1024):
            return (f"There is no room left in the temporary folder {temporary} (SQLite works there on big jobs). "
                    "Free some space there, or set TMPDIR to a folder on a disk with room.")
    return _STORAGE_MESSAGES["SQLITE_FULL"]


def storage_error_from(exc: DBAPIError | sqlite3.Error, data_file: Path | None = None, *,
                       saving: bool = True) -> StorageError:
    """Translate a database error into words for the user (during a write, with ``saving``)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    outcome = "Your last change was not saved; everything before it is safe." if saving else "Nothing was changed."
    if isinstance(exc, IntegrityError):
        return StorageError(f"The change conflicts with what is already stored, so it was not saved ({orig}).")
    code_name = getattr(orig, "sqlite_errorname", "") or ""
    if code_name.startswith("SQLITE_FULL"):
        return StorageError(f"{_no_room(data_file)} {outcome}")
    for prefix, message in _STORAGE_MESSAGES.items():
        if code_name.startswith(prefix):
            return StorageError(f"{message} {outcome}")
    if saving:
        return StorageError(f"Your last change could not be saved ({orig}); everything before it is safe.")
    return StorageError(f"The data file could not be read ({orig}). Nothing was changed.")


def plain_storage_error(exc: BaseException, data_file: Path | None = None) -> StorageError | None:
    """A failure of the disk or of SQLite met outside a write (while reading, exporting, backing up) in plain
    words, or None when ``exc`` is not one (a bug, to be reported as unexpected)."""
    if isinstance(exc, DBAPIError | sqlite3.Error):
        return storage_error_from(exc, data_file, saving=False)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(f"There is no room left on the disk for {exc.filename or 'the file being written'}. "
                            "Nothing was changed.")
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageError(f"{exc.filename or 'A file'} cannot be written here ({exc.strerror}). Nothing was changed.")
    return None


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
        raise storage_error_from(exc, data_file_of(session)) from exc
    except BaseException:
        session.rollback()
        raise
