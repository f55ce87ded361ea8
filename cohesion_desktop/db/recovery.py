"""What can be done about a data file that could not be opened: one policy for the window and the command line.

Only damage leads to a backup in the file's place, and only the newest backup that passes its check: any other
reason (a lock, a read-only file, a disk error, a vanished folder) is not the file's fault, and an older copy in
its place would replace newer data. A SQLite file that holds nothing at all can be started afresh; a missing file
can be found where it is now, restored from a backup or created anew. The window offers what :func:`recovery_for`
finds; the command line names the command that does it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cohesion_desktop.db import backups
from cohesion_desktop.db.backups import BackupInfo
from cohesion_desktop.errors import DataFileDamagedError, DataFileEmptyError, DataFileError, DataFileMissingError


class Remedy(StrEnum):
    """What can be offered for a data file that did not open."""

    NONE = "none"  # not the file's fault: say why, offer nothing
    START_AFRESH = "start afresh"  # an empty SQLite file with nothing in it: a new data file in its place
    RESTORE_NEWEST = "restore newest"  # damaged, and a good backup of it is on this laptop
    NO_BACKUP = "no backup"  # damaged, and no good backup of it is on this laptop
    FIND_OR_CREATE = "find or create"  # missing: open it where it is now, restore a backup, or start a new one


@dataclass(frozen=True)
class Recovery:
    """A problem with a data file and what can be done about it (``backup`` for RESTORE_NEWEST)."""

    problem: DataFileError
    remedy: Remedy
    backup: BackupInfo | None = None

    @property
    def path(self) -> Path:
        return self.problem.path


def recovery_for(problem: DataFileError) -> Recovery:
    """The remedy for ``problem``; for damage, this looks for the newest good backup (which reads each backup)."""
    if isinstance(problem, DataFileEmptyError):
        return Recovery(problem, Remedy.START_AFRESH if problem.truly_empty else Remedy.NONE)
    if isinstance(problem, DataFileDamagedError):
        good = backups.newest_good_backup(problem.path)
        return Recovery(problem, Remedy.NO_BACKUP if good is None else Remedy.RESTORE_NEWEST, good)
    if isinstance(problem, DataFileMissingError):
        return Recovery(problem, Remedy.FIND_OR_CREATE)
    return Recovery(problem, Remedy.NONE)


def restore_newest(recovery: Recovery) -> Path | None:
    """Put the newest good backup in place of the damaged file, which is kept beside it; returns that copy's path.

    Raises:
        ValueError: ``recovery`` offers no backup (a caller's bug).
        CohesionError, OSError: the backup could not be put in place; the damaged file is then left as it was.
    """
    if recovery.remedy is not Remedy.RESTORE_NEWEST or recovery.backup is None:
        raise ValueError(f"no backup to restore for {recovery.path}")
    return backups.restore_backup(recovery.path, recovery.backup.path, label=backups.DAMAGED)
