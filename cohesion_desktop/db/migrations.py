"""Schema versions and the steps between them.

The version lives in ``PRAGMA user_version`` (a team database's in a table: ``db/server.py``). A new file is
created at :data:`SCHEMA_VERSION` directly (``create_all``); an older file is copied to the backup folder, then
upgraded one step at a time, each step in its own transaction that also bumps the version, so a failing step leaves
the file exactly as it was (a team database's steps run in one transaction, under a lock). Every step needs a
real file of the version before it under ``tests/data/`` and a test that upgrades it
(``tests/db/test_migrations.py`` fails when one is missing). A step must run on PostgreSQL too (a team database
from version 4 on).

To add version N+1: write ``def _to_vN+1(connection)`` with portable SQLAlchemy DDL, register it in
:data:`STEPS`, bump :data:`SCHEMA_VERSION`, change ``models.py`` to match, and commit
``tests/data/schema_vN.sqlite`` made by ``python -m tests.data.make_schema_file`` *before* the change.
SQLite cannot alter most column definitions in place: rebuild the table (create new, copy, drop, rename).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.schema import CreateColumn
from sqlmodel import SQLModel

from cohesion_desktop import APP_NAME
from cohesion_desktop.i18n import _

SCHEMA_VERSION = 5


def too_new_file_message(path: object, version: int) -> str:
    """The words for a data file of a newer data format than this app reads (whole sentences, for translators)."""
    return _(
        "The data file {path} was saved by a newer version of {app} (data format {version}; this version reads up "
        "to {supported}). Please update the app. The file was left as it is."
    ).format(path=path, app=APP_NAME, version=version, supported=SCHEMA_VERSION)


def too_new_database_message(where: str, version: int) -> str:
    """The words for a team database of a newer data format than this app reads."""
    return _(
        "The team database {where} was saved by a newer version of {app} (data format {version}; this version reads "
        "up to {supported}). Please update the app. The database was left as it is."
    ).format(where=where, app=APP_NAME, version=version, supported=SCHEMA_VERSION)


def _to_v2(connection: Connection) -> None:
    """The change history (``history``) and the laptops it names (``laptop``): new tables, nothing rewritten."""
    # The tables as models.py defines them, indexes included, so an upgraded file has a new file's schema.
    from cohesion_desktop.db import models  # noqa: F401  (registers the tables on the metadata)

    for name in ("laptop", "history"):
        SQLModel.metadata.tables[name].create(connection)


def _to_v3(connection: Connection) -> None:
    """Hours per day (``hours_day``) kept by triggers, and indexes of the deleted rows that the hours of deleted
    records are found from: a year's hours per month read 365 days instead of a million entries."""
    from cohesion_desktop.db import models

    tables = SQLModel.metadata.tables
    for name in ("partner", "opportunity", "volunteer", "placement"):
        next(index for index in tables[name].indexes if index.name == f"ix_{name}_deleted").create(connection)
    tables["hours_day"].create(connection)
    models.fill_hours_day(connection)
    models.create_hours_day_triggers(connection)


def _to_v4(connection: Connection) -> None:
    """``volunteer.consent_unknown``: consent nobody has asked for yet, told apart from a "no". Every volunteer
    already stored was entered with an answer, so the column's default (false) is right for them all."""
    from cohesion_desktop.db import models  # noqa: F401  (registers the tables on the metadata)

    # The column's DDL compiled from models.py, so the upgraded table reads as a new file's does.
    column = SQLModel.metadata.tables["volunteer"].c.consent_unknown
    definition = CreateColumn(column).compile(dialect=connection.dialect)
    connection.execute(text(f"ALTER TABLE volunteer ADD COLUMN {definition}"))


def _to_v5(connection: Connection) -> None:
    """``version`` on every record (team mode: a save that would overwrite somebody else's change is refused).
    Every record stored so far is at its first version."""
    from cohesion_desktop.db import models

    stored = inspect(connection)
    # Each table's column compiled from models.py: last in the table, as an ALTER TABLE puts it (models.Entity).
    # A table an earlier step made from today's models.py (``laptop``, from a version 1 file) has it already.
    for table in SQLModel.metadata.sorted_tables:
        column = table.c.get(models.VERSION_COLUMN)
        if column is not None and models.VERSION_COLUMN not in {c["name"] for c in stored.get_columns(table.name)}:
            definition = CreateColumn(column).compile(dialect=connection.dialect)
            connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {definition}"))


# target version -> the step that takes a file from target-1 to target
STEPS: dict[int, Callable[[Connection], None]] = {2: _to_v2, 3: _to_v3, 4: _to_v4, 5: _to_v5}


def upgrade(engine: Engine, *, from_version: int) -> None:
    """Apply every step from ``from_version`` to :data:`SCHEMA_VERSION`, each in its own transaction.

    The caller has made the copy first (``store.open_store`` does, through ``backups.backup_before_upgrade``).
    """
    target_version = SCHEMA_VERSION
    missing = [v for v in range(from_version + 1, target_version + 1) if v not in STEPS]
    if missing:
        raise RuntimeError(f"no upgrade step to these schema versions: {missing}")
    for version in range(from_version + 1, target_version + 1):
        with engine.begin() as connection:
            STEPS[version](connection)
            connection.exec_driver_sql(f"PRAGMA user_version={version}")
