"""Inserting many rows into a new file fast (the example data, the benchmark's million-row file).

:func:`loading` sets aside what every row would otherwise pay for one at a time: the secondary indexes (made
again at the end, sorted once, instead of a million inserts at random places each) and the triggers that keep
``hours_day`` (filled once from the entries at the end). It all happens in the caller's transaction, so no
reader ever sees the file without them, and a failed load rolls back to the file as it was.

SQLAlchemy's executemany converts every value of every row through its column type, one call each: for the
benchmark file that was as long as SQLite's own work. :func:`insert_rows` converts each value with the same
bind processor, but each distinct timestamp, date and enum value only once (a million hours entries share one
``created_at`` and a few hundred days), and hands the driver plain tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Enum, Table, TypeDecorator, insert

from cohesion_desktop.db import models

# Pages SQLite may keep in memory while loading (negative: KiB), so that the tables' own keys, inserted in
# random order (UUIDs), are not read back from the disk for each row.
_LOADING_CACHE_KIB = 256 * 1024


@contextmanager
def loading(connection: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """Within it, rows go into ``tables`` without their secondary indexes or the ``hours_day`` triggers; both
    are made again on leaving, ``hours_day`` refilled. Call it inside the transaction that inserts the rows."""
    indexes = [index for table in tables for index in sorted(table.indexes, key=lambda i: str(i.name))]
    on_file = connection.dialect.name == "sqlite"  # a server keeps its own memory settings
    usual_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar_one() if on_file else None
    if on_file:
        connection.exec_driver_sql(f"PRAGMA cache_size=-{_LOADING_CACHE_KIB}")
    try:
        for index in indexes:
            index.drop(connection)
        models.drop_hours_day_triggers(connection)
        yield
        for index in indexes:
            index.create(connection)
        models.create_hours_day_triggers(connection)
        models.fill_hours_day(connection)
    finally:
        if usual_cache is not None:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(usual_cache)}")


# Column types whose values repeat across rows and whose conversion is dear enough to remember.
_REPEATING = (Date, DateTime, Enum)


def insert_rows(connection: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """``INSERT`` ``rows`` (dicts with the same keys, the table's column names) into ``table`` in one
    executemany; returns how many. No ORM event sees them: the caller writes rows that are nobody's change."""
    listed = list(rows)
    if not listed:
        return 0
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(listed[0]))
    # SQLite's driver takes values by position (qmark); psycopg's by name (pyformat): the binds are the columns.
    by_position = compiled.positiontup is not None
    names = list(compiled.positiontup or ()) if by_position else list(compiled.params)
    given = set(listed[0])
    # A column the rows leave out gets its default, as SQLAlchemy's own executemany would give it.
    defaults = {name: _default(table, name) for name in names if name not in given}
    if defaults:
        listed = [{**defaults, **row} for row in listed]
    picked = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    # Column by column: one map() per column instead of a Python call per value of every row.
    columns: list[Iterable[Any]] = list(zip(*map(picked, listed), strict=True))
    for position, name in enumerate(names):
        convert = _converter(table, name, connection)
        if convert is not None:
            columns[position] = map(convert, columns[position])
    values = list(zip(*columns, strict=True))
    if not by_position:
        connection.exec_driver_sql(compiled.string, [dict(zip(names, row, strict=True)) for row in values])
        return len(listed)
    connection.exec_driver_sql(compiled.string, values)
    return len(listed)


def _default(table: Table, name: str) -> Any:
    default = table.c[name].default
    if default is None or not default.is_scalar:
        raise ValueError(f"insert_rows: the rows give no {table.name}.{name}, which has no fixed default")
    return default.arg  # type: ignore[attr-defined]  # a ScalarElementColumnDefault's value


def _converter(table: Table, name: str, connection: Connection) -> Callable[[Any], Any] | None:
    """How a column's values are written (None: as they are)."""
    column_type = table.c[name].type
    # The dialect's own type (SQLite's DATETIME writes its text format; the generic one would leave it to sqlite3).
    process = column_type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    underlying = column_type.impl if isinstance(column_type, TypeDecorator) else column_type
    if process is None or not isinstance(underlying, _REPEATING):
        return process
    known: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        try:
            return known[value]
        except KeyError:
            converted = known[value] = process(value)
            return converted

    return remembered


def staged_copy(connection: Connection, like: Table, staged: Table, rows: Iterable[Sequence[Mapping[str, Any]]]) -> int:
    """On a team database: a temporary table ``staged`` shaped as ``like`` (its columns, keys and indexes; no foreign
    keys), filled with ``rows`` (parts of many rows each) and analysed for the planner, dropped when the caller's
    transaction ends (committed or not). For reading another data file beside the server's tables in one statement,
    as a file does by attaching it. Returns how many rows. The account needs TEMPORARY on the database (every role
    of ``roles.py`` has it)."""
    assert connection.dialect.name == "postgresql", "a data file attaches the other file instead"
    preparer = connection.dialect.identifier_preparer
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {preparer.quote(staged.name)} "
        f"(LIKE {preparer.format_table(like)} INCLUDING INDEXES) ON COMMIT DROP"
    )
    count = sum(insert_rows(connection, staged, part) for part in rows)
    # Autovacuum never analyses a temporary table: without this, every join with it is planned blind.
    connection.exec_driver_sql(f"ANALYZE {preparer.quote(staged.name)}")
    return count
