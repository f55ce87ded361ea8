"""SQL whose meaning depends on how the database stores things: one small function per need, so that the
services keep to plain SQLAlchemy and a second engine needs changes here only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, type_coerce


def raw_id(column: Any) -> Any:
    """The stored hex of a UUID column, without building a UUID object per row."""
    return type_coerce(column, String)
