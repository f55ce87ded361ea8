"""SQL whose meaning depends on how the database stores things: one small function per need, so that the
services keep to plain SQLAlchemy and a second engine needs changes here only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Table, type_coerce
from sqlmodel import SQLModel


def raw_id(column: Any) -> Any:
    """The stored hex of a UUID column, without building a UUID object per row."""
    return type_coerce(column, String)


def stored_text(column: Any) -> Any:
    """A text column as stored, without its type's conversion of every row (an enum column's key, which
    a dictionary look-up turns into the member faster than the type's own conversion)."""
    return type_coerce(column, String)


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Table (for a bulk insert, or an alias of it in a query)."""
    table = SQLModel.metadata.tables[model.__table__.name]  # type: ignore[attr-defined]  # SQLModel adds it
    return table
