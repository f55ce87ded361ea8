"""Exceptions whose message is written for the user: what went wrong and where, in plain words."""

from __future__ import annotations

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


class DataFileDamagedError(DataFileError):
    """The file is not a readable SQLite database: cut short, overwritten, empty or not SQLite at all.

    A backup can be restored in its place (the damaged file is kept under a new name).
    """


class DataFileNotOursError(DataFileError):
    """A healthy SQLite database, but not a Cohesion Desktop data file."""


class DataFileTooNewError(DataFileError):
    """The file was written by a newer version of the app."""


class DataFileInUseError(DataFileError):
    """Another window or program has the file open for writing."""


class StorageError(CohesionError):
    """A change could not be saved (disk full, file read-only, disk error). The change was rolled back."""


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
