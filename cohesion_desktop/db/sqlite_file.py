"""A SQLite data file as it lies on the disk, looked at without writing to it.

Its companions (``-wal``, ``-shm``, the lock file), its lock, its 100-byte header, SQLite's own check of it,
its version and owner, and the user's words for why it cannot be opened. Below both :mod:`store` (which opens
files) and :mod:`backups` (which copies and restores them), so that neither has to import the other's insides.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import filelock
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from cohesion_desktop import APP_NAME
from cohesion_desktop.db import migrations
from cohesion_desktop.errors import (
    DataFileCannotOpenError,
    DataFileDamagedError,
    DataFileDiskFullError,
    DataFileError,
    DataFileInUseError,
    DataFileIOError,
    DataFileLockedError,
    DataFileMissingFolderError,
    DataFileNotOursError,
    DataFileReadOnlyError,
    DataFileTooNewError,
)
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import _, ngettext

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


def connect_uri(path: Path, mode: str, *, immutable: bool = False) -> sqlite3.Connection:
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
    kept = _("No file was created.") if creating else _("The file was left as it is; it is not damaged.")
    if isinstance(exc, OSError):
        code, why = exc.errno, exc.strerror or str(exc)
    else:
        name = getattr(exc, "sqlite_errorname", "") or ""
        code = next(
            (value for prefix, value in _SQLITE_AS_ERRNO.items() if name == prefix or name.startswith(prefix + "_")),
            None,
        )
        why = str(exc)
    if code == errno.EBUSY:
        return DataFileLockedError(
            path,
            _(
                "Another program is using the data file {path} and holds SQLite's lock on it (a database viewer, or "
                "a backup or sync tool). Close that program, then try again. {kept}"
            ).format(path=path, kept=kept),
        )
    if code == errno.EILSEQ:
        return DataFileDamagedError(path, _("The data file {path} is damaged: {why}.").format(path=path, why=why))
    if code == errno.ENOENT and not folder.is_dir():
        return missing_folder(path)
    if code == errno.EROFS or (code == errno.EACCES and not folder_is_writable(folder)):
        if not folder_is_writable(folder):
            return DataFileReadOnlyError(
                path,
                _(
                    "The folder {folder} is read-only, so the data file {name} in it cannot be edited (SQLite writes "
                    "beside the file while it is open). Copy the file to a folder you can write to, such as "
                    "Documents, and open the copy. {kept}"
                ).format(folder=folder, name=path.name, kept=kept),
            )
        return DataFileReadOnlyError(
            path,
            _(
                "The data file {path} is read-only (its Read-only property is set, or you may only read it), so it "
                "cannot be edited. Clear the Read-only property, or copy the file to a folder of yours and open the "
                "copy. {kept}"
            ).format(path=path, kept=kept),
        )
    if code == errno.EIO and _nearly_full(folder):
        code = errno.ENOSPC  # SQLite's shared-memory file could not grow: an I/O error, but the disk is full
    if code == errno.EIO:
        return DataFileIOError(
            path,
            _(
                "The disk reported an error while reading the data file {path}. If it is on a USB stick or a "
                "network drive, check that it is still connected, then try again. Nothing was changed, and the file "
                "is not known to be damaged."
            ).format(path=path),
        )
    if code in (errno.ENOSPC, errno.EDQUOT):
        return DataFileDiskFullError(
            path,
            (
                _("There is no room left on the disk that holds {path}, so it cannot be created. {then}")
                if creating
                else _(
                    "There is no room left on the disk that holds {path}, so it cannot be opened for editing. {then}"
                )
            ).format(path=path, then=_("Free some space, then try again. {kept}").format(kept=kept)),
        )
    return DataFileCannotOpenError(
        path,
        _(
            "The data file {path} cannot be opened ({why}): check that you may read and change it and the files "
            "beside it that start with its name. {kept}"
        ).format(path=path, why=why, kept=kept),
    )


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 256 * 1024
    except OSError:
        return False


def missing_folder(path: Path) -> DataFileMissingFolderError:
    return DataFileMissingFolderError(
        path,
        _("The folder {folder} does not exist (was a USB stick or network drive removed?).").format(folder=path.parent),
    )


def check_header(path: Path) -> None:
    """Refuse what SQLite itself would open without complaint: empty, foreign or truncated files."""
    size = path.stat().st_size
    if size == 0:
        raise DataFileDamagedError(
            path,
            _("The data file {path} is empty (0 bytes). It may have been cut off while copying or saving.").format(
                path=path
            ),
        )
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise DataFileDamagedError(
            path,
            _("The file {path} is not a {app} data file (it is not a SQLite database).").format(
                path=path, app=APP_NAME
            ),
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DataFileDamagedError(
            path, _("The data file {path} is damaged: its header is unreadable.").format(path=path)
        )
    page_count = int.from_bytes(header[28:32], "big")
    header_count_valid = header[24:28] == header[92:96]
    if size % page_size or (header_count_valid and size < page_count * page_size):
        raise DataFileDamagedError(
            path,
            _(
                "The data file {path} is damaged: it is shorter than it should be ({size} of {expected} bytes), "
                "as if a copy was cut off."
            ).format(path=path, size=format_number(size), expected=format_number(page_count * page_size)),
        )


def inspect_data_file(path: Path, *, immutable: bool = False) -> FileFacts:
    """Check an existing file without writing to it: header, ``quick_check``, version and owner."""
    path = Path(path)
    try:
        if not wal_holds_pages(path):
            check_header(path)
        connection = connect_uri(path, "ro", immutable=immutable)
        try:
            # The first statement is where SQLite opens the file and recovers it from its WAL.
            problems = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                log.error("quick_check of %s: %s", path, problems[:20])
                raise DataFileDamagedError(
                    path,
                    ngettext(
                        "The data file {path} is damaged: SQLite's check found {n} problem.",
                        "The data file {path} is damaged: SQLite's check found {n} problems.",
                        len(problems),
                    ).format(path=path, n=format_number(len(problems))),
                )
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            table_count = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            truly_empty = (
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
                and connection.execute("PRAGMA freelist_count").fetchone()[0] == 0
            )
        finally:
            connection.close()
    except (sqlite3.Error, OSError) as exc:
        log.warning("inspecting %s: %r", path, exc)
        raise data_file_error(path, exc) from exc
    return FileFacts(
        schema_version=version, application_id=application_id, table_count=table_count, truly_empty=truly_empty
    )


def data_file_of(session: Session) -> Path | None:
    """The data file a session works on (None for a store that is not a file, such as a server)."""
    url = session.get_bind().engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def take_lock(path: Path) -> filelock.BaseFileLock:
    # Not thread-local: a file opened by a worker thread is closed (and unlocked) by the window's thread.
    lock = filelock.FileLock(str(lock_path_for(path)), timeout=0, thread_local=False)
    try:
        lock.acquire()
    except filelock.Timeout as exc:
        raise DataFileInUseError(
            path,
            _(
                "The data file {path} is open in another window (or another program). Close it there first, or "
                "open a different file."
            ).format(path=path),
        ) from exc
    except OSError as exc:
        raise data_file_error(path, exc) from exc
    return lock


def refuse_foreign_or_newer(path: Path, facts: FileFacts) -> None:
    if facts.application_id not in (0, APPLICATION_ID) or (facts.application_id == 0 and facts.table_count > 0):
        raise DataFileNotOursError(
            path,
            _("The file {path} is a SQLite database, but not a {app} data file. It was left as it is.").format(
                path=path, app=APP_NAME
            ),
        )
    if facts.schema_version > migrations.SCHEMA_VERSION:
        raise DataFileTooNewError(
            path,
            migrations.too_new_file_message(path, facts.schema_version),
        )
