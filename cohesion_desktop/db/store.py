"""Opening a data file safely (and, in team mode, a team database on a server).

:func:`open_store` is the only way in. It gives a :class:`Store`: a :class:`FileStore` for a data file, or a
:class:`ServerStore` for an address such as ``postgresql://user@host/database`` (whose connection, schema version
and errors are ``server.py``'s; a server has no file lock, backups or wipe). Before anything writes to a file it:

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
have their own error. Steps 2 and 3, the lock and those errors are in ``sqlite_file.py``, which ``backups.py``
shares. All SQLite-specific SQL of the app lives here, there and in ``backups.py``.
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
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self, overload

import filelock
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, SQLModel

from cohesion_desktop import files
from cohesion_desktop.db import backups, history, live, migrations, server, sqlite_file, statement_cache, versions
from cohesion_desktop.db.defaults import seed_defaults
from cohesion_desktop.db.server import ServerAddress
from cohesion_desktop.db.sqlite_file import (
    APPLICATION_ID,
    FileFacts,
    companion,
    connect_uri,
    data_file_error,
    data_file_of,
    folder_is_writable,
    inspect_data_file,
    missing_folder,
    refuse_foreign_or_newer,
    take_lock,
    wal_holds_pages,
)
from cohesion_desktop.errors import (
    CohesionError,
    DataFileEmptyError,
    DataFileError,
    DataFileMissingError,
    NotFoundError,
    StorageError,
)
from cohesion_desktop.i18n import N_, _

log = logging.getLogger(__name__)


def make_engine(path: Path, *, read_only: bool = False, immutable: bool = False, wal: bool = True) -> Engine:
    """An engine whose every connection has WAL, ``synchronous=FULL``, foreign keys and a busy timeout.

    ``wal=False`` only for a file being made under a temporary name: it must be complete by itself,
    with no ``-wal`` file to move along with it.
    """
    mode = "ro" if read_only else "rwc"
    engine = create_engine(
        # The URL only names the file (for data_file_of); the creator makes the connections.
        URL.create("sqlite", database=str(path)),
        creator=lambda: connect_uri(path, mode, immutable=immutable),
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        # A failed statement's message would otherwise carry its values (names, e-mails) into the log file.
        hide_parameters=True,
        # Statements compiled for one data file serve every other one (a merge opens two, each test its own).
        execution_options={"compiled_cache": statement_cache.DATA_FILE_STATEMENTS},
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
        cursor.execute(f"PRAGMA busy_timeout={sqlite_file.BUSY_TIMEOUT_MS}")
        # Deleted or overwritten personal data is zeroed on disk, not left in free pages (UK GDPR erasure).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        connection.exec_driver_sql("BEGIN")  # type: ignore[attr-defined]

    return engine


class Store:
    """An open store of the app's data and a factory of sessions: a data file (:class:`FileStore`) or a team
    database on a server (:class:`ServerStore`). Services and the workspace need no more than this."""

    def __init__(self, engine: Engine, *, read_only: bool, home: Path | str) -> None:
        self.engine = engine
        self.read_only = read_only
        # Whether opening made this store (a new file, or an empty one started afresh): `new` and the window say so.
        self.created = False
        # What opening did that the user should hear of (a restore that was cut short, finished).
        self.notes: list[str] = []
        # When the last change was committed (time.monotonic), so backups are made only after edits.
        self.last_commit_at: float | None = None
        # Who writes, and to which copy: every change is recorded under these (db/history.py).
        self.identity = history.CopyIdentity(home)
        event.listen(engine, "commit", self._note_commit)

    def _note_commit(self, _connection: object) -> None:
        self.last_commit_at = time.monotonic()

    @property
    def where(self) -> str:
        """How the user is told which store this is."""
        raise NotImplementedError

    @property
    def schema_version(self) -> int:
        raise NotImplementedError

    def session(self) -> Session:
        """A new session; objects stay readable after commit (services return plain rows anyway). Whatever it
        commits is recorded in the change history, in the same transaction (``db.history``)."""
        session = Session(self.engine, expire_on_commit=False)
        if not self.read_only:
            history.record_history(session, self.identity)
            versions.watch_conflicts(session)
        return session

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class FileStore(Store):
    """An open data file: its engine, its lock, and a factory of sessions."""

    def __init__(self, path: Path, engine: Engine, *, read_only: bool, lock: filelock.BaseFileLock | None) -> None:
        super().__init__(engine, read_only=read_only, home=path)
        self.path = path
        self._lock = lock

    @property
    def where(self) -> str:
        return str(self.path)

    @contextmanager
    def with_attached(self, other: Path, alias: str = "other") -> Iterator[Session]:
        """A session (recording history, as :meth:`session`) on one connection to this file that also sees the
        data file ``other`` as the schema ``alias`` (SQLite's ATTACH), for copying between two files in one
        transaction (a merge). Foreign keys are checked at commit, not after each statement, in that transaction.
        The caller commits; whatever is not committed is rolled back, and ``other`` is detached after."""
        with self.engine.connect() as connection:
            # Before SQLAlchemy begins a transaction: SQLite cannot ATTACH inside one.
            raw = connection.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.execute(f"ATTACH DATABASE ? AS {alias}", (str(other),))
            session = Session(bind=connection, expire_on_commit=False)
            history.record_history(session, self.identity)
            versions.watch_conflicts(session)

            @event.listens_for(session, "after_begin")
            def _deferred(_session: Session, _transaction: object, begun: Any) -> None:
                begun.exec_driver_sql("PRAGMA defer_foreign_keys=ON")

            try:
                yield session
            finally:
                session.close()
                if connection.in_transaction():
                    connection.rollback()
                raw.execute(f"DETACH DATABASE {alias}")

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


class ServerStore(Store):
    """An open team database on a PostgreSQL server (team mode): no file lock (the server arbitrates between the
    laptops), no automatic backups and no wipe of old pages (both are the server's, see ``db/server.py``)."""

    def __init__(self, address: ServerAddress, engine: Engine, *, read_only: bool) -> None:
        # The history tells this laptop's changes to this database from other laptops' (never the password).
        super().__init__(engine, read_only=read_only, home=str(address))
        self.address = address
        # This open copy's name in its change notices (db/live.py), by which its own listener ignores them.
        self.copy = uuid.uuid4().hex

    def session(self) -> Session:
        """A new session (as :meth:`Store.session`) whose commits also tell the other copies what they changed."""
        session = super().session()
        if not self.read_only:
            live.announce_commits(session, self.copy)
        return session

    def listen_to_others(self, deliver: Callable[[live.ChangeNotice], None]) -> live.ChangeListener:
        """Start hearing the changes other copies commit: ``deliver(notice)`` is called on the listener's thread."""
        return live.ChangeListener(self.address, own_copy=self.copy, deliver=deliver).start()

    @property
    def where(self) -> str:
        return f"the team database {self.address.where}"

    @property
    def schema_version(self) -> int:
        return server.schema_version_of(self.engine, self.address)


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


def create_schema(engine: Engine) -> None:
    """Write a new file's tables, default themes and templates, then stamp its version, in one transaction."""
    with engine.begin() as connection:
        SQLModel.metadata.create_all(connection)
        seed_defaults(connection)
        connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        connection.exec_driver_sql(f"PRAGMA user_version={migrations.SCHEMA_VERSION}")


def write_new_file(path: Path) -> Path:
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
    temporary = write_new_file(path)
    try:
        files.place_new(temporary, path)
    except BaseException:
        files.remove_with_companions(temporary)
        raise
    log.info("created the data file %s", path)


def start_afresh_file(path: Path) -> None:
    """Replace a truly empty SQLite file (see :class:`DataFileEmptyError`) with a new data file, in one step."""
    temporary = write_new_file(path)
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
            path,
            _(
                "The data file {path} is empty: a SQLite file with no tables and nothing else in it, most likely "
                "because creating it was interrupted. It holds no data, so it can be started afresh as a new, empty "
                "data file."
            ).format(path=path),
            truly_empty=True,
        )
    return DataFileEmptyError(
        path,
        _(
            "The file {path} is a SQLite file with no tables, but it is not empty: it still holds old content that "
            "is no longer in any table. It was left as it is; open another data file or create a new one."
        ).format(path=path),
        truly_empty=False,
    )


def _upgrade(engine: Engine, path: Path, from_version: int) -> None:
    """Copy the file to the backups folder, then upgrade it (``migrations.upgrade``); nothing without the copy."""
    try:
        backup = backups.backup_before_upgrade(path, from_version=from_version)
    except (CohesionError, OSError) as exc:
        log.exception("no backup before upgrading %s", path)
        raise DataFileError(
            path,
            _(
                "The data file {path} must be upgraded to this version's data format, and a copy of it is made "
                "first; that copy could not be made ({problem}). Nothing was upgraded or changed."
            ).format(path=path, problem=exc),
        ) from exc
    log.info("upgrading %s from schema %s to %s (backup %s)", path, from_version, migrations.SCHEMA_VERSION, backup)
    try:
        migrations.upgrade(engine, from_version=from_version)
    except Exception as exc:
        log.exception("upgrade of %s from schema %s failed", path, from_version)
        raise DataFileError(
            path,
            _(
                "The data file {path} could not be upgraded to this version's data format ({problem}). The step that "
                "failed changed nothing, and the copy made before the upgrade is in the backups folder."
            ).format(path=path, problem=exc),
        ) from exc
    log.info("upgraded %s; the copy made before is %s", path, backup)


@overload
def open_store(
    target: Path, *, read_only: bool = False, create: bool = True, start_afresh: bool = False
) -> FileStore: ...


@overload
def open_store(
    target: ServerAddress, *, read_only: bool = False, create: bool = True, start_afresh: bool = False
) -> ServerStore: ...


@overload
def open_store(
    target: Path | ServerAddress | str, *, read_only: bool = False, create: bool = True, start_afresh: bool = False
) -> Store: ...


def open_store(
    target: Path | ServerAddress | str, *, read_only: bool = False, create: bool = True, start_afresh: bool = False
) -> Store:
    """Open a data file, or a team database (a :class:`ServerAddress`, or text such as ``postgresql://…``), or
    raise a :class:`DataFileError` (a :class:`TeamDatabaseError`) whose message is for the user.

    ``create``: a missing file is created (atomically) instead of refused with :class:`DataFileMissingError`;
    callers that know a file existed there before pass False. ``start_afresh``: a truly empty SQLite file
    (:class:`DataFileEmptyError`) is replaced with a new data file instead of refused. Neither creates nor
    upgrades a team database: that is done once, on purpose, by :func:`prepare_team_database` (``init``).
    """
    if isinstance(target, ServerAddress) or server.is_server_address(target):
        address = target if isinstance(target, ServerAddress) else ServerAddress.parse(str(target))
        return open_server_store(address, read_only=read_only)
    return _open_file_store(Path(target), read_only=read_only, create=create, start_afresh=start_afresh)


def open_server_store(address: ServerAddress, *, read_only: bool = False) -> ServerStore:
    """Connect to a team database whose schema is this version's (:func:`server.schema_version_of` says what to
    do with any other)."""
    engine = server.make_server_engine(address, read_only=read_only)
    try:
        server.schema_version_of(engine, address)
    except BaseException:
        engine.dispose()
        raise
    log.info("opened the team database %s%s", address.where, " (read-only)" if read_only else "")
    return ServerStore(address, engine, read_only=read_only)


def prepare_team_database(address: ServerAddress) -> server.SchemaPrepared:
    """Create the app's schema in an empty team database, or upgrade an older one (``init``)."""
    engine = server.make_server_engine(address)
    try:
        prepared = server.prepare_schema(engine, address)
    finally:
        engine.dispose()
    log.info("init of the team database %s: schema %s -> %s", address.where, prepared.before, prepared.after)
    return prepared


def _open_file_store(path: Path, *, read_only: bool, create: bool, start_afresh: bool) -> FileStore:
    path = path.expanduser()
    if not path.parent.is_dir():
        raise missing_folder(path)
    if path.is_dir():
        raise DataFileError(path, _("{path} is a folder, not a data file.").format(path=path))
    if not path.exists() and (read_only or not create):
        raise DataFileMissingError(path, _("There is no data file at {path}.").format(path=path))
    writable_folder = folder_is_writable(path.parent)
    if not read_only and not writable_folder:
        raise data_file_error(path, OSError(errno.EROFS, "read-only folder"))
    # Nobody can change a file in a read-only folder, unless a WAL left there says otherwise.
    immutable = read_only and not writable_folder and not wal_holds_pages(path)

    lock = None if read_only else take_lock(path)
    made = False
    try:
        finished = _finishing_restore(path, backups.finish_interrupted_restore, locked=not read_only)
        notes = [finished] if finished else []
        if not path.exists():  # checked again now that the lock is ours
            if read_only or not create:
                raise DataFileMissingError(path, _("There is no data file at {path}.").format(path=path))
            _creating(path, create_data_file)
            made = True
        facts = inspect_data_file(path, immutable=immutable)
        refuse_foreign_or_newer(path, facts)
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
                        path,
                        _("The data file {path} needs upgrading; open it for editing once to upgrade it.").format(
                            path=path
                        ),
                    )
                _upgrade(engine, path, facts.schema_version)
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    store = FileStore(path, engine, read_only=read_only, lock=lock)
    store.created = made
    store.notes = notes
    if not read_only:
        for own_file in (path, companion(path, "-wal"), companion(path, "-shm")):
            if own_file.exists():
                files.make_owner_only(own_file)  # files made by an older version were readable by all
        backups.tidy(path)
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
        raise DataFileError(
            path, _("Something else created {path} at the same moment; nothing was changed.").format(path=path)
        ) from exc
    except (OSError, sqlite3.Error, DBAPIError) as exc:
        log.warning("creating %s failed: %r", path, exc)
        raise data_file_error(path, exc, creating=True) from exc


_STORAGE_MESSAGES = {  # translated where said
    "SQLITE_FULL": N_("There is no room left on the disk (or the data file reached its size limit)."),
    "SQLITE_READONLY": N_("The data file is read-only."),
    "SQLITE_BUSY": N_("The data file is busy: another program is writing to it."),
    "SQLITE_LOCKED": N_("The data file is busy: another program is writing to it."),
    "SQLITE_IOERR": N_("The disk reported an error."),
    "SQLITE_CORRUPT": N_("The data file is damaged."),
    "SQLITE_CANTOPEN": N_("A file SQLite needs could not be created (is the temporary folder missing or read-only?)."),
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
        if (
            data_file is not None
            and temporary.stat().st_dev != data_file.parent.stat().st_dev
            and (shutil.disk_usage(data_file.parent).free > 16 * 1024 * 1024)
        ):
            return _(
                "There is no room left in the temporary folder {folder} (SQLite works there on big jobs). Free some "
                "space there, or set TMPDIR to a folder on a disk with room."
            ).format(folder=temporary)
    return _(_STORAGE_MESSAGES["SQLITE_FULL"])


def storage_error_from(
    exc: DBAPIError | sqlite3.Error,
    data_file: Path | None = None,
    *,
    saving: bool = True,
    team_database: str | None = None,
) -> StorageError:
    """Translate a database error into words for the user (during a write, with ``saving``); ``team_database``
    names the server's database when the error came from one (``server.team_database_of``)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    outcome = (
        _("Your last change was not saved; everything before it is safe.") if saving else _("Nothing was changed.")
    )
    if isinstance(exc, IntegrityError):
        return StorageError(
            _("The change conflicts with what is already stored, so it was not saved ({problem}).").format(problem=orig)
        )
    if team_database is not None and isinstance(exc, DBAPIError):
        said = server.storage_message(exc, team_database, reading=not saving)
        if said is not None:
            return StorageError(f"{said} {outcome}")
        if not saving:
            return StorageError(
                _("The team database {where} could not be read ({problem}). Nothing was changed.").format(
                    where=team_database, problem=orig
                )
            )
    code_name = getattr(orig, "sqlite_errorname", "") or ""
    if code_name.startswith("SQLITE_FULL"):
        return StorageError(f"{_no_room(data_file)} {outcome}")
    for prefix, message in _STORAGE_MESSAGES.items():
        if code_name.startswith(prefix):
            return StorageError(f"{_(message)} {outcome}")
    if saving:
        return StorageError(
            _("Your last change could not be saved ({problem}); everything before it is safe.").format(problem=orig)
        )
    return StorageError(_("The data file could not be read ({problem}). Nothing was changed.").format(problem=orig))


def plain_storage_error(exc: BaseException, data_file: Path | None = None) -> StorageError | None:
    """A failure of the disk or of SQLite met outside a write (while reading, exporting, backing up) in plain
    words, or None when ``exc`` is not one (a bug, to be reported as unexpected)."""
    if isinstance(exc, StorageError):  # already in words (a team database's refusal, said by the workspace)
        return exc
    if isinstance(exc, DBAPIError | sqlite3.Error):
        return storage_error_from(exc, data_file, saving=False)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        if exc.filename:
            return StorageError(
                _("There is no room left on the disk for {path}. Nothing was changed.").format(path=exc.filename)
            )
        return StorageError(_("There is no room left on the disk for the file being written. Nothing was changed."))
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        if exc.filename:
            return StorageError(
                _("{path} cannot be written here ({reason}). Nothing was changed.").format(
                    path=exc.filename, reason=exc.strerror
                )
            )
        return StorageError(
            _("A file cannot be written here ({reason}). Nothing was changed.").format(reason=exc.strerror)
        )
    return None


# What a row that is gone was, in a whole sentence for each (Welsh nouns differ in gender: no "That {what}").
_GONE = {
    "opportunity": N_("That opportunity no longer exists."),
    "recognition": N_("That recognition no longer exists."),
    "volunteer": N_("That volunteer no longer exists."),
    "hours entry": N_("That hours entry no longer exists."),
    "check": N_("That check no longer exists."),
    "workshop": N_("That workshop no longer exists."),
    "action": N_("That action no longer exists."),
}


def undelete(session: Session, model: type[SQLModel], row_id: object, *, what: str) -> None:
    """Bring back a soft-deleted row (the undo of a delete); ``what`` names it for the error, e.g. "check"."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(_(_GONE.get(what, N_("That record no longer exists."))))
    with writing(session):
        row.deleted_at = None


@contextmanager
def writing(session: Session) -> Iterator[Session]:
    """One unit of work: commit at the end, or roll back and raise :class:`StorageError` with plain words (a
    :class:`ConflictError` when somebody else saved a record it writes since the session read it)."""
    try:
        yield session
        session.commit()
    except StaleDataError as exc:
        # A record it writes was saved by somebody else since this session read it (team mode: db/versions.py).
        written = versions.written_in_last_flush(session)
        session.rollback()
        log.warning("save refused, a record was changed meanwhile: %s", exc)
        raise versions.conflict_error(session, written) from exc
    except DBAPIError as exc:
        session.rollback()
        log.exception("write failed")
        raise storage_error_from(exc, data_file_of(session), team_database=server.team_database_of(session)) from exc
    except BaseException:
        session.rollback()
        raise
