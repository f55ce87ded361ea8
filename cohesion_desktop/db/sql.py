"""SQL whose meaning depends on how the database stores things: one small function per need, so that the
services keep to plain SQLAlchemy and a second engine needs changes here only.

Each is an expression SQLAlchemy compiles once per engine: SQLite (the data file) as written; PostgreSQL
(team mode, issue 17) in its own words. A select keeps the column's name for them, as for the plain column.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, Table, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import TypeCoerce
from sqlmodel import SQLModel

from cohesion_desktop.text import like_pattern


class _StoredHex(TypeCoerce[str]):
    inherit_cache = True


class _WithoutIndex(TypeCoerce[Any]):
    inherit_cache = True


def raw_id(column: Any) -> Any:
    """A UUID column as its 32 lower-case hex digits, without building a UUID object per row: as stored in a
    data file; a server's native uuid written as text without its hyphens."""
    return _StoredHex(column, String)


def without_index(column: Any) -> Any:
    """``column`` compared, grouped or sorted without its index, where reading the table through is faster
    than an index look-up for every row (SQLite's unary "+"; the server's planner weighs that itself)."""
    return _WithoutIndex(column, column.type)


@compiles(_StoredHex)
def _hex_of_a_native_uuid(element: _StoredHex, compiler: SQLCompiler, **kw: Any) -> str:
    return f"replace(CAST({compiler.process(element.clause, **kw)} AS TEXT), '-', '')"


@compiles(_StoredHex, "sqlite")
def _hex_as_stored(element: _StoredHex, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clause, **kw)


@compiles(_WithoutIndex)
def _the_column_itself(element: _WithoutIndex, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clause, **kw)


@compiles(_WithoutIndex, "sqlite")
def _unary_plus(element: _WithoutIndex, compiler: SQLCompiler, **kw: Any) -> str:
    return f"+{compiler.process(element.clause, **kw)}"


def contains_ignoring_case(column: Any, text: str) -> Any:
    """Whether ``column`` contains ``text``, A–Z and a–z alike, its LIKE wildcards taken literally. SQLite's
    LIKE ignores the case of A–Z, a server's does not: ILIKE there, lower() on both sides here."""
    return column.ilike(like_pattern(text), escape="\\")


def stored_text(column: Any) -> Any:
    """A text column as stored, without its type's conversion of every row (an enum column's key, which
    a dictionary look-up turns into the member faster than the type's own conversion)."""
    return type_coerce(column, String)


def stored_datetime(column: Any) -> Any:
    """A date-and-time column as stored, without its type's conversion of every row; :func:`utc_of` converts a value
    when it is wanted (converting the 10,000 partners' dates took a sixth of reading the partner directory, for the
    screenful a table shows)."""
    return type_coerce(column, String)


def utc_of(stored: str | datetime) -> datetime:
    """A value read through :func:`stored_datetime` as its column's type gives it: UTC, with the time zone (a data
    file stores ISO text in UTC without an offset; a server's driver gives a datetime already)."""
    value = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Table (for a bulk insert, or an alias of it in a query)."""
    table = SQLModel.metadata.tables[model.__table__.name]  # type: ignore[attr-defined]  # SQLModel adds it
    return table
