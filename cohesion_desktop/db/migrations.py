"""Schema versions and the steps between them.

The version lives in ``PRAGMA user_version``. A new file is created at :data:`SCHEMA_VERSION` directly
(``create_all``); an older file is copied to the backup folder, then upgraded one step at a time, each
step in its own transaction that also bumps the version, so a failing step leaves the file exactly as
it was. Every step needs a real file of the version before it under ``tests/data/`` and a test that
upgrades it (``tests/db/test_migrations.py`` fails when one is missing).

To add version N+1: write ``def _to_vN+1(connection)`` with portable SQLAlchemy DDL, register it in
:data:`STEPS`, bump :data:`SCHEMA_VERSION`, change ``models.py`` to match, and commit
``tests/data/schema_vN.sqlite`` made by ``python -m tests.data.make_schema_file`` *before* the change.
SQLite cannot alter most column definitions in place: rebuild the table (create new, copy, drop, rename).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

# target version -> the step that takes a file from target-1 to target
STEPS: dict[int, Callable[[Connection], None]] = {}


class NoBackupError(Exception):
    """The copy made before an upgrade could not be made, so nothing was upgraded."""


def upgrade(engine: Engine, path: Path, *, from_version: int) -> Path:
    """Back the file up, then apply every step from ``from_version`` to :data:`SCHEMA_VERSION`.

    Returns the backup. Raises :class:`NoBackupError`, having changed nothing, when no backup could be made.
    """
    # Imported here: backups imports store, which imports this module.
    from cohesion_desktop.db.backups import backup_before_upgrade
    from cohesion_desktop.errors import CohesionError

    target_version = SCHEMA_VERSION
    missing = [v for v in range(from_version + 1, target_version + 1) if v not in STEPS]
    if missing:
        raise RuntimeError(f"no upgrade step to schema version(s) {missing}")
    try:
        backup = backup_before_upgrade(path, from_version=from_version)
    except (CohesionError, OSError) as exc:
        raise NoBackupError(str(exc)) from exc
    log.info("upgrading %s from schema %s to %s (backup %s)", path, from_version, target_version, backup)
    for version in range(from_version + 1, target_version + 1):
        with engine.begin() as connection:
            STEPS[version](connection)
            connection.exec_driver_sql(f"PRAGMA user_version={version}")
    return backup
