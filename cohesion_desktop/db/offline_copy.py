"""An offline copy of a team database: an ordinary data file for a laptop that goes where there is no network
(``cohesion-desktop --data postgresql://… backup --out laptop.sqlite``; team mode, issue 17).

1. Refuse before reading anything: a folder that does not exist, or a file already at ``out`` (unless the user
   asked to replace it).
2. A new data file is made under a temporary name beside ``out`` (``store.create_schema``: this app's schema
   version, so the app opens it as any other file), and its first rows (themes, templates) are taken out again:
   the server's take their place, with the server's ids.
3. Every table the account may read whole is copied in **one** read-only ``REPEATABLE READ`` transaction on the
   server: one snapshot, so a change committed by someone else while the copy runs is either all in it or not
   at all (never an hours entry without its placement). Columns are read from the models' metadata, so a column
   added to a table is copied without a change here. ``hours_day`` is not copied: the file's triggers make it from
   the entries (``bulk.loading``), as for any file. A table the account may not read (a facilitator's
   volunteers, a viewer's people tables, which it may read only some columns of) is left empty and named in the
   result; the history holds only the rows the server shows the account.
4. The file is flushed and only then given its name (``files.place_new``, or ``os.replace`` when replacing):
   nothing half-written is ever at ``out``. Any failure removes the temporary file; a full or read-only disk
   and the server's errors are said in words.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Table, select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from cohesion_desktop import files
from cohesion_desktop.db import bulk, models
from cohesion_desktop.db.store import (
    ServerStore,
    make_engine,
    plain_storage_error,
    storage_error_from,
    write_new_file,
)
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import _, ngettext

log = logging.getLogger(__name__)

# Rows read from the server and written to the file at a time: bounded memory for a large team database.
_ROWS_AT_A_TIME = 5000


@dataclass(frozen=True)
class OfflineCopy:
    """What :func:`take_offline_copy` wrote: the file, the rows of each table copied, the tables left out."""

    path: Path
    rows: dict[str, int]
    left_out: tuple[str, ...]

    def said(self, where: str) -> str:
        """What was copied, in words (``where`` names the team database): the CLI's ``backup --out`` prints it, the
        window's File → Take an offline copy… shows it."""
        total = sum(self.rows.values())
        said = ngettext(
            "Copied the team database {where} to the data file {path} ({n} record).",
            "Copied the team database {where} to the data file {path} ({n} records).",
            total,
        ).format(where=where, path=self.path, n=format_number(total))
        if self.left_out:
            left_out = _("Left out, as your account may not read them: {tables}.").format(
                tables=", ".join(self.left_out)
            )
            said = f"{said}\n{left_out}"
        return said


def _copied_tables() -> list[Table]:
    """The app's tables, parents before children; not ``hours_day``, which the file's triggers make."""
    days = models.HoursDay.__tablename__
    return [table for table in SQLModel.metadata.sorted_tables if table.name != days]


def _readable(source: Connection, tables: list[Table]) -> set[str]:
    """The tables the account may read every column of (a grant of some columns only is not enough), asked in one
    round trip: on a distant server each costs more than copying a small table."""
    asked = text("SELECT name FROM unnest(CAST(:names AS text[])) AS name WHERE has_table_privilege(name, 'SELECT')")
    return set(source.execute(asked, {"names": [table.name for table in tables]}).scalars())


def _refuse_before_reading(out: Path, *, replace: bool) -> None:
    if not out.parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=out.parent))
    if out.is_dir():
        raise CohesionError(_("{path} is a folder; name the file to write.").format(path=out))
    if out.exists() and not replace:
        raise CohesionError(
            _("There is already a file at {path}; it was left as it is (add --replace to replace it).").format(path=out)
        )


def take_offline_copy(store: ServerStore, out: Path, *, replace: bool = False) -> OfflineCopy:
    """Copy the team database of ``store`` into a new data file at ``out`` (see the module's docstring)."""
    out = Path(out).expanduser()
    _refuse_before_reading(out, replace=replace)
    try:
        temporary = write_new_file(out)
    except OSError as exc:  # a read-only folder, a full disk: write_new_file removed what it began
        said = plain_storage_error(exc, out)
        if said is None:
            raise
        raise said from exc
    try:
        rows, left_out = _fill(store, temporary)
        files.fsync_file(temporary)
        if replace:
            # An old file's WAL beside the new one would be read on top of it.
            for suffix in files.SQLITE_COMPANIONS:
                out.with_name(out.name + suffix).unlink(missing_ok=True)
            os.replace(temporary, out)
            files.fsync_folder(out.parent)
        else:
            files.place_new(temporary, out)
    except FileExistsError as exc:
        files.remove_with_companions(temporary)
        raise CohesionError(
            _("Something else created {path} at the same moment; it was left as it is.").format(path=out)
        ) from exc
    except (OSError, DBAPIError) as exc:
        files.remove_with_companions(temporary)
        # A full or read-only disk, a lost connection, a refusal of the server: in words, nothing left behind.
        said = (
            storage_error_from(exc, out, saving=False, team_database=store.address.where)
            if isinstance(exc, DBAPIError)
            else plain_storage_error(exc, out)
        )
        if said is None:
            raise
        raise said from exc
    except BaseException:
        files.remove_with_companions(temporary)
        raise
    log.info("offline copy of %s: %s rows; left out: %s", store.where, sum(rows.values()), left_out)
    return OfflineCopy(out, rows, tuple(left_out))


def _fill(store: ServerStore, temporary: Path) -> tuple[dict[str, int], list[str]]:
    """Empty the new file's first rows, then copy every readable table from one snapshot of the server."""
    tables = _copied_tables()
    rows: dict[str, int] = {}
    left_out: list[str] = []
    target_engine = make_engine(temporary, wal=False)
    try:
        with store.engine.connect() as server, target_engine.begin() as target:
            # One snapshot for every table, and the server refuses any write in it.
            source = server.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with source.begin():
                for table in reversed(tables):
                    target.execute(table.delete())
                readable = _readable(source, tables)
                with bulk.loading(target, tables):
                    for table in tables:
                        if table.name not in readable:
                            left_out.append(table.name)
                            continue
                        streamed = source.execution_options(stream_results=True, yield_per=_ROWS_AT_A_TIME)
                        result = streamed.execute(select(table))
                        rows[table.name] = sum(
                            bulk.insert_rows(target, table, [dict(row) for row in part])
                            for part in result.mappings().partitions()
                        )
    finally:
        target_engine.dispose()
    return rows, left_out
