"""Backups of a data file, made with SQLite's online backup API, and restoring one.

Kinds of copy, all kept on the same schedule (:func:`prune_backups`, run whenever a file is opened for
editing and after every automatic backup): the newest :data:`AUTOMATIC_BACKUPS_KEPT` of each kind that is
made over and over, and none older than :data:`BACKUP_MAX_AGE_DAYS` days. That is also the schedule on
which a volunteer erased from the data file disappears from every copy on the laptop.

- in ``paths.backups_for(data_file)``: ``auto`` (at open when the file changed, and at most hourly while
  editing), ``before-<reason>`` (:func:`backup_before`: before an import, an erasure, a merge, a bulk
  delete), ``upgrade-vN`` (before a schema upgrade);
- beside the data file, "set-aside" copies: ``<stem>.before-restore-<stamp>.sqlite`` (the file a restore
  replaced) and ``<stem>.damaged-<stamp>.sqlite`` (a damaged file a backup replaced).

Every copy is checked (``quick_check``, our application id, a schema this version reads) before it takes
its name, so a bad copy never pushes a good one out of the rotation.

A restore is one atomic replace (:func:`restore_backup`): the backup is copied and checked under a
temporary name beside the data file, a plan naming it is written, the current file gets a second name
(the set-aside copy), then the copy is moved over the data file in one step. A restore cut short (a kill,
a power cut) is finished at the next open by :func:`finish_interrupted_restore`; at no moment is there
no file at the data path.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from cohesion_desktop import APP_NAME, files, paths
from cohesion_desktop.db.sqlite_file import (
    check_header,
    companion,
    data_file_of,
    inspect_data_file,
    refuse_foreign_or_newer,
    take_lock,
)
from cohesion_desktop.errors import (
    CohesionError,
    DataFileDamagedError,
    DataFileError,
    DataFileNotOursError,
    DataFileTooNewError,
)
from cohesion_desktop.i18n import _

log = logging.getLogger(__name__)

AUTOMATIC_BACKUPS_KEPT = 10
BACKUP_MAX_AGE_DAYS = 30
AUTOMATIC_BACKUP_INTERVAL = timedelta(hours=1)

# Kinds of set-aside copy, kept beside the data file.
BEFORE_RESTORE = "before-restore"
DAMAGED = "damaged"
SET_ASIDE_KINDS = (BEFORE_RESTORE, DAMAGED)

_STAMP_FORMAT = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<kind>auto|upgrade-v\d+|manual|before-[a-z]+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<serial>\d+))?"
    r"\.sqlite$"
)
_REASON = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of a data file, or a copy set aside beside it."""

    path: Path
    made_at: datetime  # local time, as in the file name
    kind: str  # "auto", "manual", "upgrade-vN", "before-<reason>", or a set-aside kind
    size: int
    serial: int = 0  # several backups within one second: 0, 1, 2 …

    @property
    def set_aside(self) -> bool:
        """A copy beside the data file (kept by a restore), not in the backups folder."""
        return self.kind in SET_ASIDE_KINDS

    @property
    def rotation(self) -> str:
        """Copies of the same rotation push each other out; "" for kinds kept only until they are too old."""
        if self.kind == "auto" or self.set_aside:
            return self.kind
        return "before" if self.kind.startswith("before-") else ""


# ---------------------------------------------------------------------------- checking and copying


def _not_restorable(path: Path) -> str | None:
    """Why ``path`` is not a healthy data file of a version this app reads (None when it is)."""
    try:
        facts = inspect_data_file(path)
        refuse_foreign_or_newer(path, facts)
    except DataFileNotOursError:
        return _("it is not a {app} data file").format(app=APP_NAME)
    except DataFileTooNewError:
        return _("it was made by a newer version of {app}, which this version cannot read").format(app=APP_NAME)
    except DataFileError as exc:
        return str(exc)
    return _("it is not a {app} data file (it has no tables)").format(app=APP_NAME) if facts.table_count == 0 else None


def _copy_failed(destination: Path, exc: BaseException) -> CohesionError:
    """One plain sentence for a copy that could not be written."""
    if isinstance(exc, CohesionError):
        return exc
    name = getattr(exc, "sqlite_errorname", "") or ""
    code = exc.errno if isinstance(exc, OSError) else None
    if code in (errno.ENOSPC, errno.EDQUOT) or name.startswith("SQLITE_FULL"):
        return CohesionError(
            _("There is no room left on the disk for the copy {path}; nothing was written.").format(path=destination)
        )
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
        return CohesionError(
            _("The folder {folder} cannot be written to, so the copy {name} was not made.").format(
                folder=destination.parent, name=destination.name
            )
        )
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return CohesionError(
        _("The copy {path} could not be written ({reason}); nothing was written.").format(path=destination, reason=why)
    )


def copy_database(source: Path, destination: Path) -> Path:
    """Copy a live database with the online backup API, check the copy, then give it its name.

    The destination appears whole and checked, or not at all (CohesionError says why). The copy is a single
    file (no WAL), owner-only on POSIX.
    """
    destination = Path(destination)
    # A temporary name of its own: two backups started within the same second must not share one.
    partial = files.temporary_beside(destination, files.PARTIAL)
    try:
        source_connection = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
        try:
            target_connection = sqlite3.connect(partial)
            try:
                source_connection.backup(target_connection)
                # The copy says "WAL" like its source; a reader would then leave -wal and -shm files beside it.
                target_connection.execute("PRAGMA journal_mode=DELETE")
            finally:
                target_connection.close()
        finally:
            source_connection.close()
        problem = _not_restorable(partial)
        if problem:
            log.error("the copy of %s failed its check: %s", source, problem)
            raise CohesionError(
                _("The copy of {name} failed its check ({problem}); it was not kept.").format(
                    name=Path(source).name, problem=problem
                )
            )
        files.fsync_file(partial)
        os.replace(partial, destination)
        files.fsync_folder(destination.parent)
    except BaseException as exc:
        files.remove_with_companions(partial)
        if isinstance(exc, sqlite3.Error | OSError):
            raise _copy_failed(destination, exc) from exc
        raise
    return destination


def problems_in(database: Path) -> str | None:
    """None when ``PRAGMA integrity_check`` passes, else what is wrong (for a backup before restoring it)."""
    try:
        check_header(Path(database))
        connection = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        finally:
            connection.close()
    except (DataFileError, sqlite3.Error, OSError) as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def check_restorable(backup: Path) -> None:
    """Raise CohesionError unless ``backup`` is a healthy data file of ours that this version reads."""
    problem = problems_in(backup)
    if problem:
        raise CohesionError(
            _("The backup {path} is damaged ({problem}); it was not restored.").format(path=backup, problem=problem)
        )
    problem = _not_restorable(backup)
    if problem:
        raise CohesionError(
            _("The file {path} was not restored: {problem}. Nothing was changed.").format(path=backup, problem=problem)
        )


# ---------------------------------------------------------------------------- finding and rotating copies


def _backup_name(data_file: Path, kind: str, now: datetime) -> Path:
    folder = paths.backups_for(data_file)
    files.make_owner_only_folder(paths.backup_dir())
    files.make_owner_only_folder(folder)
    candidate = folder / f"{data_file.stem}-{kind}-{now.strftime(_STAMP_FORMAT)}.sqlite"
    counter = 1
    while candidate.exists():  # two backups within one second
        candidate = folder / f"{data_file.stem}-{kind}-{now.strftime(_STAMP_FORMAT)}-{counter}.sqlite"
        counter += 1
    return candidate


def _set_aside_pattern(data_file: Path) -> re.Pattern[str]:
    kinds = "|".join(SET_ASIDE_KINDS)
    return re.compile(
        rf"^{re.escape(data_file.stem)}\.(?P<kind>{kinds})-(?P<stamp>\d{{8}}-\d{{6}})"
        rf"(?:-(?P<serial>\d+))?{re.escape(data_file.suffix)}$"
    )


def set_aside_name(data_file: Path, kind: str, now: datetime | None = None) -> Path:
    """A free name beside ``data_file`` for a copy of it set aside (``kind``: "before-restore" or "damaged")."""
    stamp = (now or datetime.now()).strftime(_STAMP_FORMAT)
    kept = data_file.with_name(f"{data_file.stem}.{kind}-{stamp}{data_file.suffix}")
    counter = 1
    while kept.exists():
        kept = data_file.with_name(f"{data_file.stem}.{kind}-{stamp}-{counter}{data_file.suffix}")
        counter += 1
    return kept


def _found(folder: Path, pattern: re.Pattern[str]) -> list[BackupInfo]:
    found: list[BackupInfo] = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            match = pattern.match(entry.name)
            if not match:
                continue
            try:
                size = entry.stat().st_size
                made_at = datetime.strptime(match["stamp"], _STAMP_FORMAT)
            except (OSError, ValueError):
                continue
            found.append(
                BackupInfo(path=entry, made_at=made_at, kind=match["kind"], size=size, serial=int(match["serial"] or 0))
            )
    return found


def list_backups(data_file: Path, *, set_aside: bool = False) -> list[BackupInfo]:
    """Backups of ``data_file``, newest first; with ``set_aside``, the copies kept beside it too."""
    data_file = Path(data_file).expanduser()
    found = _found(paths.backups_for(data_file), _NAME)
    if set_aside:
        found += _found(data_file.parent, _set_aside_pattern(data_file))
    found.sort(key=lambda info: (info.made_at, info.serial), reverse=True)
    return found


def prune_backups(data_file: Path, *, now: datetime | None = None) -> list[Path]:
    """Delete every copy older than :data:`BACKUP_MAX_AGE_DAYS` days, and those beyond the newest
    :data:`AUTOMATIC_BACKUPS_KEPT` of their rotation. Returns what was deleted."""
    now = now or datetime.now()
    removed: list[Path] = []
    seen: dict[str, int] = {}
    for info in list_backups(data_file, set_aside=True):
        if info.rotation:
            seen[info.rotation] = seen.get(info.rotation, 0) + 1
        too_old = now - info.made_at > timedelta(days=BACKUP_MAX_AGE_DAYS)
        if too_old or (info.rotation and seen[info.rotation] > AUTOMATIC_BACKUPS_KEPT):
            files.remove_with_companions(info.path)
            removed.append(info.path)
            log.info("removed the copy %s (%s)", info.path.name, "too old" if too_old else "rotated out")
    return removed


def tidy(data_file: Path, *, now: datetime | None = None) -> None:
    """At each open for editing: prune old copies, delete temporary copies left by killed backups and
    restores, and make the backups owner-only. Never raises: a tidy-up must not stop the file opening."""
    data_file = Path(data_file)
    try:
        prune_backups(data_file, now=now)
        folder = paths.backups_for(data_file)
        files.remove_stale_temporaries(folder)
        files.remove_stale_temporaries(data_file.parent, name_prefix=data_file.name)
        for item in (paths.backup_dir(), folder, *(info.path for info in list_backups(data_file, set_aside=True))):
            if item.exists():
                files.make_owner_only(item)
    except OSError:
        log.warning("tidying the copies of %s failed", data_file, exc_info=True)


# ---------------------------------------------------------------------------- making backups


def _changed_since(data_file: Path, backup: Path) -> bool:
    """Whether the data file (or its WAL) was written after ``backup`` was."""
    newest_write = max(
        (p.stat().st_mtime for p in (data_file, companion(data_file, "-wal")) if p.exists()),
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
    prune_backups(data_file, now=now)  # only now that the new copy is checked and in place
    log.info("automatic backup %s", made)
    return made


def _safety_copy_failed(problem: object) -> str:
    return _("Nothing was changed: the safety copy taken before this change could not be made. {problem}").format(
        problem=problem
    )


def backup_before(source: Path | Session, reason: str, *, now: datetime | None = None) -> Path | None:
    """The automatic backup taken before a big change: an import, an erasure, a merge, a bulk delete.

    ``source`` is the data file, or a session on it (a session on a server, not a file, makes none and
    returns None). ``reason`` is one lower-case word ("import", "erasure", "merge", "delete"): the backup is
    ``<stem>-before-<reason>-<stamp>.sqlite`` in the file's backups folder, rotated with the other
    ``before-`` backups. Raises CohesionError (the change must then not go ahead) when no copy could be made.
    Call it before the change's transaction begins.
    """
    if not _REASON.match(reason):
        raise ValueError(f"a backup reason is one lower-case word, not {reason!r}")
    data_file = data_file_of(source) if isinstance(source, Session) else Path(source)
    if data_file is None:
        return None
    now = now or datetime.now()
    try:
        made = copy_database(data_file, _backup_name(data_file, f"before-{reason}", now))
    except CohesionError as exc:
        raise CohesionError(_safety_copy_failed(exc)) from exc
    except OSError as exc:
        raise CohesionError(_safety_copy_failed(_copy_failed(paths.backups_for(data_file), exc))) from exc
    prune_backups(data_file, now=now)
    log.info("backup before %s: %s", reason, made)
    return made


def backup_before_upgrade(data_file: Path, *, from_version: int) -> Path:
    """The copy made before a schema upgrade touches the file."""
    return copy_database(data_file, _backup_name(Path(data_file), f"upgrade-v{from_version}", datetime.now()))


def backup_to(data_file: Path, destination: Path) -> Path:
    """File → Back up now and ``cohesion-desktop backup --out``: a copy wherever the user wants it."""
    destination = Path(destination).expanduser()
    if not destination.parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=destination.parent))
    if destination.resolve() == Path(data_file).resolve():
        raise CohesionError(_("A backup cannot replace the data file itself; choose another name."))
    try:
        return copy_database(data_file, destination)
    except OSError as exc:  # the temporary file could not even be created
        raise _copy_failed(destination, exc) from exc


def newest_good_backup(data_file: Path) -> BackupInfo | None:
    """The newest backup that passes ``integrity_check`` (never a set-aside copy)."""
    for info in list_backups(data_file):
        if problems_in(info.path) is None:
            return info
        log.warning("backup %s fails its integrity check; skipped", info.path)
    return None


# ---------------------------------------------------------------------------- restoring


def _plan_path(data_file: Path) -> Path:
    return data_file.with_name(f".{data_file.name}.restore-plan")


def _write_plan(data_file: Path, plan: dict[str, str | None]) -> None:
    """Write the plan of a restore under its own name in one step, so it is whole or absent."""
    partial = files.temporary_beside(data_file, files.PARTIAL)
    try:
        partial.write_text(json.dumps(plan), encoding="utf-8")
        files.fsync_file(partial)
        os.replace(partial, _plan_path(data_file))
        files.fsync_folder(data_file.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _carry_out(data_file: Path, staged: Path, kept: Path | None) -> None:
    """The steps after the plan is written; each can be run again after a kill, from any point."""
    if kept is not None:
        # The current file, and the WAL that is part of it, get a second name: nothing is copied.
        for suffix in ("", "-wal"):
            current, copy = data_file.with_name(data_file.name + suffix), kept.with_name(kept.name + suffix)
            if current.exists() and not copy.exists():
                files.keep_copy(current, copy)
        files.fsync_folder(data_file.parent)
    # The old WAL must not be read on top of the restored file.
    for suffix in ("-wal", "-shm"):
        companion(data_file, suffix).unlink(missing_ok=True)
    os.replace(staged, data_file)
    files.fsync_folder(data_file.parent)
    _plan_path(data_file).unlink(missing_ok=True)
    files.fsync_folder(data_file.parent)


def restore_backup(data_file: Path, backup: Path, *, label: str = BEFORE_RESTORE) -> Path | None:
    """Put ``backup`` in place of ``data_file`` in one step. The file it replaces is kept beside it.

    Returns the name the replaced file was kept under (None when there was none). The caller must have
    closed its own store on ``data_file``; another window holding it makes this raise DataFileInUseError.
    ``backup`` must be a healthy data file of ours that this version reads (else CohesionError).
    """
    data_file = Path(data_file).expanduser()
    backup = Path(backup).expanduser()
    if not data_file.parent.is_dir():
        raise CohesionError(
            _("The folder {folder} does not exist; nothing was restored.").format(folder=data_file.parent)
        )
    check_restorable(backup)
    lock = take_lock(data_file)
    try:
        finish_interrupted_restore(data_file, locked=True)
        staged = files.temporary_beside(data_file, files.RESTORING)
        try:
            copy_database(backup, staged)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        kept = set_aside_name(data_file, label) if data_file.exists() else None
        try:
            _write_plan(data_file, {"staged": staged.name, "kept": kept.name if kept else None, "backup": str(backup)})
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        _carry_out(data_file, staged, kept)
    except OSError as exc:
        raise _copy_failed(data_file, exc) from exc
    finally:
        lock.release()
    log.info("restored %s from %s (old file kept as %s)", data_file, backup, kept)
    return kept


def finish_interrupted_restore(data_file: Path, *, locked: bool = False) -> str | None:
    """Finish (or, if its copy is bad, undo) a restore that was cut short; a sentence for the user, or None.

    Runs at every open; ``locked`` when the caller holds the file's lock already. Without it, the lock is
    taken here if it is free (a window that holds it is the one restoring), else nothing is done.
    """
    data_file = Path(data_file)
    plan_file = _plan_path(data_file)
    if not plan_file.exists():
        return None
    lock = None
    if not locked:
        try:
            lock = take_lock(data_file)
        except DataFileError:
            return None
    try:
        try:
            plan = json.loads(plan_file.read_text(encoding="utf-8"))
            staged = data_file.with_name(plan["staged"])
            kept = data_file.with_name(plan["kept"]) if plan.get("kept") else None
        except (ValueError, KeyError, TypeError):
            # Plans are written whole or not at all: this one is not ours to follow.
            log.error("ignored an unreadable restore plan %s", plan_file)
            plan_file.unlink()
            return None
        if not staged.exists():  # it was moved into place: only the plan was left
            plan_file.unlink()
            return None
        problem = _not_restorable(staged)
        if problem is None:
            _carry_out(data_file, staged, kept)
            note = (
                f"A restore that was cut short was finished: {data_file.name} now holds the backup "
                f"{Path(plan['backup']).name}" + (f"; the file it replaced is kept as {kept.name}." if kept else ".")
            )
        else:
            _undo(data_file, staged, kept)
            note = f"A restore that was cut short was undone ({problem}); {data_file.name} is as it was before."
        log.warning(note)
        return note
    finally:
        if lock is not None:
            lock.release()


def _undo(data_file: Path, staged: Path, kept: Path | None) -> None:
    """Undo a restore that did not reach its final move: the data file is still the old one."""
    if kept is not None and kept.exists() and data_file.exists() and os.path.samefile(kept, data_file):
        wal, kept_wal = companion(data_file, "-wal"), companion(kept, "-wal")
        if kept_wal.exists() and not wal.exists():
            os.link(kept_wal, wal)  # the WAL that was already taken away from it
        files.remove_with_companions(kept)  # second names of the data file itself, not copies
    files.remove_with_companions(staged)
    _plan_path(data_file).unlink(missing_ok=True)
    files.fsync_folder(data_file.parent)


def label_for_replacing(data_file: Path) -> str:
    """How a restore names the file it replaces: "damaged" when it is, else "before-restore".

    Raises the file's DataFileError when it cannot be judged (locked, unreadable): never restore over that.
    """
    if not data_file.exists():
        return BEFORE_RESTORE
    try:
        inspect_data_file(data_file)
    except DataFileDamagedError:
        return DAMAGED
    return BEFORE_RESTORE
