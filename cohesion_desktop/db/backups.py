"""Backups of a data file, made with SQLite's online backup API, and restoring one.

Automatic backups go to ``paths.backups_for(data_file)``: one at open (when the file changed since the
newest backup) and at most hourly while editing. The newest :data:`AUTOMATIC_BACKUPS_KEPT` are kept, and
none older than :data:`BACKUP_MAX_AGE_DAYS` days: that is also the schedule on which a volunteer erased
from the data file disappears from every automatic backup.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cohesion_desktop import paths
from cohesion_desktop.db.store import _check_header, _take_lock
from cohesion_desktop.errors import CohesionError, DataFileError

log = logging.getLogger(__name__)

AUTOMATIC_BACKUPS_KEPT = 10
BACKUP_MAX_AGE_DAYS = 30
AUTOMATIC_BACKUP_INTERVAL = timedelta(hours=1)

_STAMP_FORMAT = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<kind>auto|upgrade-v\d+|manual)-(?P<stamp>\d{8}-\d{6})(?:-(?P<serial>\d+))?\.sqlite$"
)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of a data file."""

    path: Path
    made_at: datetime  # local time, as in the file name
    kind: str  # "auto", "manual" or "upgrade-vN"
    size: int
    serial: int = 0  # several backups within one second: 0, 1, 2 …


def copy_database(source: Path, destination: Path) -> Path:
    """Copy a live database with the online backup API; the destination appears whole or not at all."""
    destination = Path(destination)
    # A temporary name of its own: two backups started within the same second must not share one.
    handle, partial_name = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.",
                                            suffix=".partial")
    os.close(handle)
    partial = Path(partial_name)
    source_connection = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        target_connection = sqlite3.connect(partial)
        try:
            source_connection.backup(target_connection)
        finally:
            target_connection.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source_connection.close()
    os.replace(partial, destination)
    return destination


def _backup_name(data_file: Path, kind: str, now: datetime) -> Path:
    folder = paths.backups_for(data_file)
    folder.mkdir(parents=True, exist_ok=True)
    candidate = folder / f"{data_file.stem}-{kind}-{now.strftime(_STAMP_FORMAT)}.sqlite"
    counter = 1
    while candidate.exists():  # two backups within one second
        candidate = folder / f"{data_file.stem}-{kind}-{now.strftime(_STAMP_FORMAT)}-{counter}.sqlite"
        counter += 1
    return candidate


def list_backups(data_file: Path) -> list[BackupInfo]:
    """Backups of ``data_file``, newest first."""
    folder = paths.backups_for(Path(data_file))
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match or not entry.is_file():
            continue
        made_at = datetime.strptime(match["stamp"], _STAMP_FORMAT)
        found.append(BackupInfo(path=entry, made_at=made_at, kind=match["kind"], size=entry.stat().st_size,
                                serial=int(match["serial"] or 0)))
    found.sort(key=lambda info: (info.made_at, info.serial), reverse=True)
    return found


def prune_backups(data_file: Path, *, now: datetime | None = None) -> list[Path]:
    """Delete automatic backups beyond the newest :data:`AUTOMATIC_BACKUPS_KEPT`, and any backup too old."""
    now = now or datetime.now()
    removed: list[Path] = []
    automatic_seen = 0
    for info in list_backups(data_file):
        too_old = now - info.made_at > timedelta(days=BACKUP_MAX_AGE_DAYS)
        if info.kind == "auto":
            automatic_seen += 1
        if too_old or (info.kind == "auto" and automatic_seen > AUTOMATIC_BACKUPS_KEPT):
            info.path.unlink(missing_ok=True)
            removed.append(info.path)
    return removed


def _changed_since(data_file: Path, backup: Path) -> bool:
    """Whether the data file (or its WAL) was written after ``backup`` was."""
    newest_write = max(
        (p.stat().st_mtime for p in (data_file, data_file.with_name(data_file.name + "-wal")) if p.exists()),
        default=0.0,
    )
    return newest_write > backup.stat().st_mtime


def make_automatic_backup(data_file: Path, *, now: datetime | None = None, force: bool = False) -> Path | None:
    """Back up ``data_file`` unless nothing changed since the newest backup; then rotate. Returns the new file."""
    data_file = Path(data_file)
    now = now or datetime.now()
    existing = [info for info in list_backups(data_file) if info.kind == "auto"]
    if existing and not force and not _changed_since(data_file, existing[0].path):
        return None
    made = copy_database(data_file, _backup_name(data_file, "auto", now))
    prune_backups(data_file, now=now)
    log.info("automatic backup %s", made)
    return made


def backup_before_upgrade(data_file: Path, *, from_version: int) -> Path:
    """The copy made before a schema upgrade touches the file."""
    return copy_database(data_file, _backup_name(Path(data_file), f"upgrade-v{from_version}", datetime.now()))


def backup_to(data_file: Path, destination: Path) -> Path:
    """File → Back up now and ``cohesion-desktop backup --out``: a copy wherever the user wants it."""
    destination = Path(destination).expanduser()
    if not destination.parent.is_dir():
        raise CohesionError(f"The folder {destination.parent} does not exist.")
    if destination.resolve() == Path(data_file).resolve():
        raise CohesionError("A backup cannot replace the data file itself; choose another name.")
    try:
        return copy_database(data_file, destination)
    except sqlite3.Error as exc:
        raise CohesionError(f"The backup could not be written to {destination}: {exc}.") from exc
    except OSError as exc:
        raise CohesionError(f"The backup could not be written to {destination}: {exc.strerror}.") from exc


def problems_in(database: Path) -> str | None:
    """None when ``PRAGMA integrity_check`` passes, else what is wrong (for a backup before restoring it)."""
    try:
        _check_header(Path(database))
        connection = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        finally:
            connection.close()
    except (DataFileError, sqlite3.Error, OSError) as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def newest_good_backup(data_file: Path) -> BackupInfo | None:
    """The newest backup that passes ``integrity_check``."""
    for info in list_backups(data_file):
        if problems_in(info.path) is None:
            return info
        log.warning("backup %s fails its integrity check; skipped", info.path)
    return None


def set_aside(data_file: Path, label: str) -> Path | None:
    """Rename a data file (and its -wal/-shm) out of the way, keeping every byte. Returns its new name."""
    if not data_file.exists():
        return None
    stamp = datetime.now().strftime(_STAMP_FORMAT)
    kept = data_file.with_name(f"{data_file.stem}.{label}-{stamp}{data_file.suffix}")
    counter = 1
    while kept.exists():
        kept = data_file.with_name(f"{data_file.stem}.{label}-{stamp}-{counter}{data_file.suffix}")
        counter += 1
    os.replace(data_file, kept)
    for suffix in ("-wal", "-shm"):
        companion = data_file.with_name(data_file.name + suffix)
        if companion.exists():
            # A stale -wal would be replayed into the restored file and corrupt it.
            os.replace(companion, kept.with_name(kept.name + suffix))
    return kept


def restore_backup(data_file: Path, backup: Path, *, label: str = "damaged") -> Path | None:
    """Put ``backup`` in place of ``data_file``. The file it replaces is kept beside it, renamed.

    Returns the name the replaced file was kept under (None when there was none). The caller must have
    closed its own store on ``data_file``; another window holding it makes this raise DataFileInUseError.
    """
    data_file = Path(data_file).expanduser()
    problem = problems_in(backup)
    if problem:
        raise CohesionError(f"The backup {backup} is damaged too ({problem}); it was not restored.")
    if not data_file.parent.is_dir():
        data_file.parent.mkdir(parents=True)
    lock = _take_lock(data_file)
    try:
        staged = data_file.with_name(data_file.name + ".restoring")
        shutil.copyfile(backup, staged)
        kept = set_aside(data_file, label)
        os.replace(staged, data_file)
    finally:
        lock.release()
        with contextlib.suppress(OSError):
            data_file.with_name(data_file.name + ".restoring").unlink(missing_ok=True)
    log.info("restored %s from %s (old file kept as %s)", data_file, backup, kept)
    return kept
