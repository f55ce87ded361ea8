"""The log file: where details go that users never see (tracebacks, SQLite's own words)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from cohesion_desktop import paths

LOG_FILE_NAME = "cohesion-desktop.log"


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE_NAME


def configure_logging(level: int = logging.INFO) -> Path:
    """Send the app's log to a rotating file in the log folder (created by ``paths.ensure_app_dirs``)."""
    target = log_file()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_cohesion", False):
            root.removeHandler(handler)
            handler.close()
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        # A read-only profile must not stop the app; it just logs nowhere.
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._cohesion = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return target
