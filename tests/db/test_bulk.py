"""Bulk loading (the example data, the benchmark's file): values stored exactly as the ORM stores them, and the
indexes and triggers set aside during the load back afterwards -- or never gone, when the load fails."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from cohesion_desktop.db import bulk, models
from cohesion_desktop.db.sql import table_of
from cohesion_desktop.db.store import Store, open_store, writing
from cohesion_desktop.domain import OpportunityKind, OpportunityStatus, Sector
from tests.db.test_hours_day import KEPT, SUMMED
from tests.db.test_migrations import schema_of


def _stored(session: Session, table: str, row_id: uuid.UUID) -> tuple[object, ...]:
    found = session.connection().exec_driver_sql(f'SELECT * FROM "{table}" WHERE id = ?', (row_id.hex,)).one()
    return tuple(found)


def test_rows_are_stored_as_the_orm_stores_them(session: Session) -> None:
    stamp = datetime(2026, 3, 2, 9, 30, 5, 123456, tzinfo=UTC)
    fields = {
        "name": "Millbrook Food Bank",
        "sector": Sector.BUSINESS,
        "is_sme": True,
        "remit": "Food parcels",
        "created_at": stamp,
        "updated_at": stamp,
        "deleted_at": None,
    }
    by_orm = models.Partner(id=uuid.uuid4(), **fields)  # type: ignore[arg-type]
    session.add(by_orm)
    session.commit()
    in_bulk = {**by_orm.model_dump(), "id": uuid.uuid4()}
    offer = {
        "id": uuid.uuid4(),
        "title": "Pantry",
        "host_partner_id": in_bulk["id"],
        "kind": OpportunityKind.VOLUNTEERING,
        "status": OpportunityStatus.OPEN,
        "starts_on": date(2026, 3, 2),
        "created_at": stamp,
        "updated_at": stamp,
    }
    with writing(session):
        assert (
            bulk.insert_rows(session.connection(), table_of(models.Partner), [in_bulk, in_bulk | {"id": uuid.uuid4()}])
            == 2
        )
        bulk.insert_rows(session.connection(), table_of(models.Opportunity), [offer])
    assert _stored(session, "partner", in_bulk["id"])[1:] == _stored(session, "partner", by_orm.id)[1:]
    loaded = session.get(models.Opportunity, offer["id"])
    assert loaded is not None
    assert (loaded.kind, loaded.status, loaded.starts_on, loaded.created_at) == (
        OpportunityKind.VOLUNTEERING,
        OpportunityStatus.OPEN,
        date(2026, 3, 2),
        stamp,
    )


def test_the_example_file_has_the_schema_of_a_new_file_and_its_day_totals(example_file: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.sqlite"
    open_store(fresh).close()
    assert schema_of(example_file) == schema_of(fresh)  # every index and trigger set aside is back
    with sqlite3.connect(example_file) as connection:
        kept, summed = connection.execute(KEPT).fetchall(), connection.execute(SUMMED).fetchall()
    connection.close()
    assert len(kept) > 300
    assert kept == summed


def test_a_failed_load_leaves_the_indexes_and_triggers_in_place(store: Store, data_file: Path) -> None:
    before = schema_of(data_file)
    tables = [table_of(model) for model in (models.Partner, models.HoursEntry)]
    with store.session() as session, pytest.raises(RuntimeError, match="half way"), writing(session):
        connection = session.connection()
        with bulk.loading(connection, tables):
            assert connection.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").scalar() == 0
            raise RuntimeError("the load failed half way")
    assert schema_of(data_file) == before
    assert any(kind == "trigger" for kind, _name, _sql in before)
