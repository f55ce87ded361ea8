"""Exceptions whose message is written for the user: what went wrong and where, in plain words."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path


class CohesionError(Exception):
    """Base of every error the app expects and explains to the user."""


class DataFileError(CohesionError):
    """A data file could not be opened. Nothing was written to it."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)


class DataFileMissingFolderError(DataFileError):
    """The folder that should hold the data file does not exist."""


class DataFileMissingError(DataFileError):
    """There is no data file at the path, and nothing was created there."""


class DataFileDamagedError(DataFileError):
    """SQLite itself cannot read the file or finds it damaged, after its own recovery from the WAL; or the
    file is empty, not SQLite at all, or cut short (and no WAL beside it could account for that).

    Only this error offers a backup in the file's place (the damaged file is kept under a new name).
    """


class DataFileEmptyError(DataFileError):
    """A healthy SQLite file with no tables (a creation that was interrupted by an older version).

    ``truly_empty`` when it holds nothing at all (no tables, indexes or free pages), so starting it
    afresh loses nothing.
    """

    def __init__(self, path: Path, message: str, *, truly_empty: bool) -> None:
        super().__init__(path, message)
        self.truly_empty = truly_empty


class DataFileReadOnlyError(DataFileError):
    """The file, or the folder it is in, cannot be written to (a read-only folder, drive or file)."""


class DataFileCannotOpenError(DataFileError):
    """SQLite could not open the file for a reason other than damage (permissions, a strange file beside it)."""


class DataFileIOError(DataFileError):
    """The disk reported an error while reading or writing the file (a failing disk, a removed drive)."""


class DataFileDiskFullError(DataFileError):
    """There was no room on the disk to create, recover or upgrade the file."""


class DataFileNotOursError(DataFileError):
    """A healthy SQLite database, but not a Cohesion Desktop data file."""


class DataFileTooNewError(DataFileError):
    """The file was written by a newer version of the app."""


class DataFileInUseError(DataFileError):
    """Another window or program has the file open for writing."""


class DataFileLockedError(DataFileInUseError):
    """Another program (not Cohesion Desktop) holds SQLite's own lock on the file."""


class TeamDatabaseError(CohesionError):
    """A team database on a server (team mode) could not be opened or prepared. Nothing was written to it.
    ``where`` names it for the user (database, host and port; never its password)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where


class TeamDatabaseUnreachableError(TeamDatabaseError):
    """The server could not be reached (address, network, the server down): an offline copy may stand in."""


class TeamDatabaseRefusedError(TeamDatabaseError):
    """The server answered, but refused the account or password, or has no database of that name: the connection's
    details need correcting (``field``: "password" or "database", the one to look at first)."""

    def __init__(self, where: str, message: str, *, field: str) -> None:
        super().__init__(where, message)
        self.field = field


class TeamDatabaseNotReadyError(TeamDatabaseError):
    """The database holds no Cohesion Desktop data yet, or an older data format: ``init`` prepares it."""


class TeamDatabaseNotOursError(TeamDatabaseError):
    """The database holds tables of another application."""


class TeamDatabaseTooNewError(TeamDatabaseError):
    """The database was prepared by a newer version of the app."""


class StorageError(CohesionError):
    """A change could not be saved (disk full, file read-only, disk error). The change was rolled back."""


class ConflictError(StorageError):
    """A save refused because somebody else saved the same record since it was read (team mode): nothing of it
    was written. ``yours`` is the version read, ``theirs`` the one stored now (None: removed for good); ``who`` and
    ``at`` the latest change the history has of the record (blank and None when it has none); ``said`` the first
    sentence alone ("Changed by Sam at 14:02 while you were editing."), for a prompt that offers the choices."""

    def __init__(
        self,
        message: str,
        *,
        said: str = "",
        kind: str = "",
        record_id: uuid.UUID | None = None,
        yours: int | None = None,
        theirs: int | None = None,
        who: str = "",
        at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.said = said or message
        self.kind = kind
        self.record_id = record_id
        self.yours = yours
        self.theirs = theirs
        self.who = who
        self.at = at


class ValidationError(CohesionError):
    """Input that cannot be stored. ``problems`` maps a field name to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(self.problems.values()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class NotFoundError(CohesionError):
    """A record the caller named does not exist (or was deleted)."""
