"""Putting whole files in place: temporary names, fsync, a move that never overwrites, owner-only modes.

Everything that writes a copy of the data (a new data file, a backup, a restore) writes it under a hidden
temporary name in the folder where it will end up (``.<name>.<random><suffix>``, made by
:func:`temporary_beside`), flushes it to the disk, then moves it into place in one step. A process killed
part-way leaves only such a temporary file, which :func:`remove_stale_temporaries` deletes at a later start
(it is a full copy of personal data, and nobody will ever use it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

# Suffixes of the temporary files this app writes beside a data file or a backup.
CREATING = ".creating"
RESTORING = ".restoring"
PARTIAL = ".partial"
TEMPORARY_SUFFIXES = (CREATING, RESTORING, PARTIAL)
# SQLite's own files beside one of ours.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
# A temporary file untouched for this long belongs to a process that is gone (a copy being written is
# written to all the time, so its modification time stays recent).
STALE_AFTER_S = 15 * 60

POSIX = sys.platform != "win32"
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700


def temporary_beside(target: Path, suffix: str) -> Path:
    """A new, empty, owner-only hidden file in ``target``'s folder, for writing ``target``'s content."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix)
    os.close(handle)
    return Path(name)


def remove_with_companions(path: Path) -> None:
    """Delete ``path`` and SQLite's files beside it, whatever is there."""
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)):
        with contextlib.suppress(OSError):
            candidate.unlink(missing_ok=True)


def fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (POSIX; Windows has no handle on a folder to flush)."""
    if not POSIX:
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def place_new(source: Path, target: Path) -> None:
    """Move ``source`` to ``target`` in one step, refusing (FileExistsError) if ``target`` exists."""
    try:
        os.link(source, target)  # fails when target exists: never overwrites
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (a FAT USB stick): the caller holds the file's lock, so only a program that
        # ignores it could create the target between this check and the move.
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(source, target)
    else:
        source.unlink()
    fsync_folder(target.parent)


def keep_copy(source: Path, copy: Path) -> None:
    """``copy`` becomes a second name for ``source`` (a hard link: instant, no space), or a full copy."""
    try:
        os.link(source, copy)
    except FileExistsError:
        raise
    except OSError:
        partial = temporary_beside(copy, PARTIAL)
        try:
            with source.open("rb") as reader, partial.open("wb") as writer:
                while chunk := reader.read(1 << 20):
                    writer.write(chunk)
                writer.flush()
                os.fsync(writer.fileno())
            place_new(partial, copy)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise


def make_owner_only(path: Path) -> None:
    """Tighten a file or folder of ours to owner-only on POSIX; where the filesystem cannot, leave it."""
    if not POSIX:
        return
    with contextlib.suppress(OSError):
        wanted = OWNER_ONLY_FOLDER if path.is_dir() else OWNER_ONLY_FILE
        if stat.S_IMODE(path.stat().st_mode) & ~wanted:
            path.chmod(wanted)


def make_owner_only_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) if needed; ``folder`` itself ends owner-only on POSIX."""
    folder.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_FOLDER)
    make_owner_only(folder)


def remove_stale_temporaries(folder: Path, *, name_prefix: str = "", now: float | None = None) -> list[Path]:
    """Delete this app's temporary files in ``folder`` (those of ``name_prefix`` only, when given) untouched
    for :data:`STALE_AFTER_S`, with SQLite's files beside them. Returns what was deleted."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith("." + name_prefix) or not any(suffix in name for suffix in TEMPORARY_SUFFIXES):
            continue
        base = next((name[: -len(s)] for s in SQLITE_COMPANIONS if name.endswith(s)), name)
        if not base.endswith(TEMPORARY_SUFFIXES):
            continue
        try:
            if now - entry.stat().st_mtime < STALE_AFTER_S:
                continue
            entry.unlink()
        except OSError:
            continue
        removed.append(entry)
        log.info("removed a stale temporary file %s", entry)
    return removed
