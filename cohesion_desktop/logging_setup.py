"""The log file: where details go that users never see (tracebacks, SQLite's own words)."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
from pathlib import Path

from cohesion_desktop import paths
from cohesion_desktop.db.files import make_owner_only

LOG_FILE_NAME = "cohesion-desktop.log"


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


def configure_logging(level: int = logging.INFO) -> Path:
    """Send the app's log to a rotating file in the log folder (created by ``paths.ensure_app_dirs``)."""
    target = log_file()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_cohesion", False):
            root.removeHandler(handler)
            handler.close()
    try:
        handler: logging.Handler = LogFileHandler(target, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        make_owner_only(target)  # written by an older version, readable by all
    except OSError:
        # A read-only profile must not stop the app; it just logs nowhere.
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._cohesion = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return target
