"""The log file: where details go that users never see (tracebacks, SQLite's own words).

It never holds personal data. The app's own log calls name files and counts, not people; the engine hides
SQL parameters (``db.store``); and a traceback is written with its frames and exception types but without
the exceptions' messages, which can quote whatever the user typed (a name in a refused value, a file named
after a volunteer), except the words of SQLite itself, which name tables and columns, never values, and a team
database server's error code with the names of the table, column and constraint it concerns.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import logging.handlers
import os
import sqlite3
import sys
import traceback
from pathlib import Path
from types import TracebackType

from cohesion_desktop import paths
from cohesion_desktop.files import make_owner_only

LOG_FILE_NAME = "cohesion-desktop.log"
WITHHELD = "(message withheld from the log: it may quote personal data)"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE_NAME


class LogFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log file, owner-only on POSIX (it names files and folders), and silent when it cannot be
    written (a full disk, a vanished folder): logging's own error report is a traceback on the user's screen."""

    def _open(self):  # type: ignore[no-untyped-def]  # logging's own signature
        handle = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(handle, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115 (kept open)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        """A line that cannot be written is dropped: there is nowhere better to say so."""

    def close(self) -> None:
        with contextlib.suppress(OSError):  # the lines still buffered for a full disk are lost, as above
            super().close()


def _server_error_words(error: BaseException) -> str | None:
    """A PostgreSQL server's error (psycopg's, read without importing it: the driver is the team extra's) as its
    code and the names of what it concerns, or None for any other error. Not its message: the server's words
    quote values ('Key (name_key)=(ann) already exists', 'invalid input syntax for type date: "…"')."""
    if not type(error).__module__.startswith("psycopg") or not hasattr(error, "sqlstate"):
        return None
    diagnosis = getattr(error, "diag", None)
    names = [
        f"{what} {name}"
        for what in ("schema", "table", "column", "constraint")
        if (name := getattr(diagnosis, f"{what}_name", None))
    ]
    return f"{type(error).__name__} (SQLSTATE {error.sqlstate or 'none'}{''.join('; ' + n for n in names)})"


def _loggable_message(error: BaseException) -> str:
    """What of an exception's message may go to the log: SQLite's words, a server error's code and the names it
    gives (:func:`_server_error_words`), and the system's reason only."""
    if isinstance(error, sqlite3.Error):
        return str(error)
    original = getattr(error, "orig", None)  # SQLAlchemy's DBAPIError wraps SQLite's or the server's error
    if isinstance(original, sqlite3.Error):
        return f"{type(original).__name__}: {original}"
    server_words = _server_error_words(original if original is not None else error)
    if server_words is not None:
        return server_words
    if isinstance(error, OSError) and error.errno is not None:
        # Not the file name: an export is often named after the person it is about.
        return f"[{errno.errorcode.get(error.errno, error.errno)}] {error.strerror}"
    return WITHHELD


def private_traceback(error: BaseException) -> str:
    """The traceback of ``error`` and of the exceptions it came from, each message as :func:`_loggable_message`."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "The above exception was the direct cause of the following exception:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "During handling of the above exception, another exception occurred:"
        else:
            current = None
    parts: list[str] = []
    for exception, following in reversed(chain):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(exception.__traceback__))
        kind = type(exception)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {_loggable_message(exception)}\n")
        if following:
            parts.append(f"\n{following}\n\n")
    return "".join(parts).rstrip("\n")


class PrivateFormatter(logging.Formatter):
    """Writes tracebacks through :func:`private_traceback`."""

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached the full traceback text on the record: never reuse it here.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802 (logging's name)
        return private_traceback(ei[1]) if ei[1] is not None else ""


def configure_logging(level: int = logging.INFO) -> Path:
    """Send the app's log to a rotating file in the log folder (created by ``paths.ensure_app_dirs``)."""
    target = log_file()
    root = logging.getLogger()
    for earlier in list(root.handlers):
        if getattr(earlier, "_cohesion", False):
            root.removeHandler(earlier)
            earlier.close()
    try:
        handler: logging.Handler = LogFileHandler(target, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        make_owner_only(target)  # written by an older version, readable by all
    except OSError:
        # A read-only profile must not stop the app; it just logs nowhere.
        handler = logging.NullHandler()
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._cohesion = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return target


def peak_memory_mb() -> float | None:
    """This process's own peak resident memory in MB (None where the system does not say: Windows).

    Linux's VmHWM rather than getrusage's ru_maxrss: ru_maxrss survives exec, so a process started by a large
    one (``make bench`` after generating its file) reported its parent's peak as its own."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
