"""Data files' engines share the SQL SQLAlchemy compiled (db/statement_cache.py): a merge opens a second file, and
compiling every statement again for it took half the CPU of merging two small files."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import Engine, literal, select
from sqlalchemy.engine.interfaces import CacheStats

from cohesion_desktop.db.store import make_engine


def _cache_outcomes(engines: list[Engine], label: str) -> list[CacheStats]:
    statement = select(literal(1).label(label))  # a label of its own: compiled by no other test
    outcomes = []
    for engine in engines:
        with engine.connect() as connection:
            result = connection.execute(statement)
            outcomes.append(result.context.cache_hit)
            assert result.scalar_one() == 1
    return outcomes


def test_a_statement_compiled_for_one_data_file_is_not_compiled_again_for_another(tmp_path: Path) -> None:
    engines = [make_engine(tmp_path / f"{name}.sqlite") for name in ("here", "other")]
    try:
        outcomes = _cache_outcomes(engines, f"n_{uuid.uuid4().hex}")
    finally:
        for engine in engines:
            engine.dispose()
    assert outcomes == [CacheStats.CACHE_MISS, CacheStats.CACHE_HIT]


def test_an_engine_whose_dialect_compiles_differently_compiles_its_own(tmp_path: Path) -> None:
    here, other = (make_engine(tmp_path / f"{name}.sqlite") for name in ("here", "other"))
    other.dialect.label_length = 20  # labels cut shorter: the same statement is other SQL
    try:
        outcomes = _cache_outcomes([here, other], f"n_{uuid.uuid4().hex}")
    finally:
        here.dispose()
        other.dispose()
    assert outcomes == [CacheStats.CACHE_MISS, CacheStats.CACHE_MISS]
