"""A team database on a real PostgreSQL server (team mode, issue 17): ``init`` prepares it under an advisory lock,
opening checks its version as a file's is checked, and the server's refusals reach the user as plain words."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlmodel import SQLModel, col, select

from cohesion_desktop.cli import main
from cohesion_desktop.db import migrations, models, server
from cohesion_desktop.db.server import SCHEMA_LOCK, ServerAddress
from cohesion_desktop.db.store import ServerStore, open_store, prepare_team_database, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import (
    DataFileTooNewError,
    StorageError,
    TeamDatabaseError,
    TeamDatabaseNotOursError,
    TeamDatabaseNotReadyError,
    TeamDatabaseRefusedError,
    TeamDatabaseTooNewError,
    TeamDatabaseUnreachableError,
)
from tests.postgres_server import PostgresServer, free_port


@pytest.fixture
def address(postgres_server: PostgresServer) -> Iterator[ServerAddress]:
    """A new, empty database on the test server, as a user would write its address (no driver named)."""
    name = f"team_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield ServerAddress.parse(postgres_server.url(name).replace("+psycopg", ""))
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(address: ServerAddress) -> Iterator[Engine]:
    made = create_engine(address.url)
    yield made
    made.dispose()


def test_init_prepares_an_empty_database_once_and_opening_finds_it_ready(address: ServerAddress) -> None:
    with pytest.raises(TeamDatabaseNotReadyError, match=r"holds no Cohesion Desktop data yet.*--data postgresql://"):
        open_store(address)
    first = prepare_team_database(address)
    assert (first.before, first.after) == (None, migrations.SCHEMA_VERSION)
    again = prepare_team_database(address)
    assert (again.before, again.after) == (migrations.SCHEMA_VERSION, migrations.SCHEMA_VERSION)
    assert "nothing changed" in again.describe(address)
    with open_store(str(address)) as store:
        assert isinstance(store, ServerStore)
        assert store.schema_version == migrations.SCHEMA_VERSION
        with store.session() as session, writing(session):
            session.add(models.Partner(name="Harrowfield CVS", sector=Sector.VCS))
        with store.session() as session:
            assert session.exec(select(models.Partner.name)).all() == ["Harrowfield CVS"]
            assert session.exec(select(models.Theme)).first() is not None  # the first rows, as a new file's
            # The change history knows the change, under this laptop's copy of the team database.
            assert session.exec(
                select(models.HistoryEntry).where(col(models.HistoryEntry.record_kind) == "partner")
            ).first()


def test_a_newer_schema_is_refused_with_the_words_a_newer_file_gets(address: ServerAddress, engine: Engine) -> None:
    prepare_team_database(address)
    newer = migrations.SCHEMA_VERSION + 1
    with engine.begin() as connection:
        connection.execute(server.SCHEMA_TABLE.update().values(version=newer))
    for attempt in (lambda: open_store(address), lambda: prepare_team_database(address)):
        with pytest.raises(TeamDatabaseTooNewError) as refused:
            attempt()
        file_words = str(DataFileTooNewError(Path("x"), migrations.too_new_file_message("x", newer)))
        assert str(refused.value).startswith(f"The team database {address.where}")
        # "was saved by a newer version … update the app", as a file says it
        said = file_words.removeprefix("The data file x").removesuffix("The file was left as it is.")
        assert said in str(refused.value)
    with engine.connect() as connection:
        assert connection.execute(select(server.SCHEMA_TABLE.c.version)).scalar_one() == newer  # left as it was


def test_a_database_of_another_application_is_never_adopted(address: ServerAddress, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id integer PRIMARY KEY)"))
    with pytest.raises(TeamDatabaseNotOursError, match=r"another application \(invoices\)"):
        prepare_team_database(address)
    with pytest.raises(TeamDatabaseNotOursError):
        open_store(address)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT to_regclass('partner')")).scalar() is None


def _waiting_for_an_advisory_lock(engine: Engine) -> bool:
    with engine.connect() as probe:
        waiting = probe.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
        return bool(waiting.scalar_one())


def test_init_waits_while_another_laptop_holds_the_schema_lock(address: ServerAddress, engine: Engine) -> None:
    done: list[object] = []
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})  # another laptop's init
        worker = threading.Thread(target=lambda: done.append(prepare_team_database(address)))
        worker.start()
        for _ in range(600):  # until the server shows the second init queued behind the lock
            if _waiting_for_an_advisory_lock(engine):
                break
            worker.join(0.05)
        assert _waiting_for_an_advisory_lock(engine) and not done
        holder.rollback()  # the first laptop's transaction ends, and the lock with it
    worker.join(60)
    assert len(done) == 1
    with engine.connect() as connection:
        assert connection.execute(select(server.SCHEMA_TABLE.c.version)).scalar_one() == migrations.SCHEMA_VERSION


_MOTTO_COLUMNS = "SELECT count(*) FROM information_schema.columns WHERE column_name = 'motto'"


def test_an_upgrade_runs_every_step_and_the_new_version_in_one_transaction(
    address: ServerAddress, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_team_database(address)
    current = migrations.SCHEMA_VERSION

    def _add_column(connection: Connection) -> None:
        connection.execute(text("ALTER TABLE partner ADD COLUMN motto text"))

    def _fail(_connection: Connection) -> None:
        raise RuntimeError("step failed")

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 2)
    monkeypatch.setitem(migrations.STEPS, current + 1, _add_column)
    monkeypatch.setitem(migrations.STEPS, current + 2, _fail)
    with pytest.raises(TeamDatabaseNotReadyError, match=rf"holds data format {current}.*init"):
        open_store(address)
    with pytest.raises(RuntimeError):
        prepare_team_database(address)
    with engine.connect() as connection:  # the first step's column went with the second step's failure
        assert connection.execute(select(server.SCHEMA_TABLE.c.version)).scalar_one() == current
        assert (
            connection.execute(
                text("SELECT count(*) FROM information_schema.columns WHERE column_name = 'motto'")
            ).scalar_one()
            == 0
        )
    monkeypatch.setitem(migrations.STEPS, current + 2, lambda _connection: None)
    upgraded = prepare_team_database(address)
    assert (upgraded.before, upgraded.after) == (current, current + 2)
    with engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT count(*) FROM information_schema.columns WHERE column_name = 'motto'")
            ).scalar_one()
            == 1
        )
    open_store(address).close()


def _columns(engine: Engine) -> list[tuple[object, ...]]:
    """Every column of the app's tables, in each table's order (not by number: a dropped column keeps its own)."""
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT table_name, column_name, data_type, is_nullable, column_default FROM "
                    "information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
                )
            ).all()
        )


def test_a_version_4_team_database_upgraded_has_the_schema_of_a_new_one_and_every_record_at_version_1(
    address: ServerAddress, engine: Engine
) -> None:
    prepare_team_database(address)
    new = _columns(engine)
    with engine.begin() as connection:  # back to what version 4 made: no record versions, a partner stored
        for table in SQLModel.metadata.sorted_tables:
            if "version" in table.c:
                connection.execute(text(f"ALTER TABLE {table.name} DROP COLUMN version"))
        connection.execute(server.SCHEMA_TABLE.update().values(version=4))
        connection.execute(
            text(
                "INSERT INTO partner (id, created_at, updated_at, name, sector, is_sme, remit, website,"
                " relationship_stage, notes, search_text) VALUES (:id, now(), now(), 'Harrowfield CVS', 'vcs', false,"
                " '', '', 'identified', '', '')"
            ),
            {"id": uuid.uuid4()},
        )
    assert migrations.SCHEMA_VERSION == 5  # this test is of the step to 5 (db/migrations.py)
    with pytest.raises(TeamDatabaseNotReadyError, match="holds data format 4"):
        open_store(address)
    upgraded = prepare_team_database(address)
    assert (upgraded.before, upgraded.after) == (4, 5)
    assert _columns(engine) == new
    with open_store(address) as store, store.session() as session:
        partner = session.exec(select(models.Partner)).one()
        assert partner.version == 1
        with writing(session):
            partner.remit = "Volunteering support"
        assert partner.version == 2


def test_a_server_that_cannot_be_reached_is_said_so() -> None:
    nowhere = ServerAddress.parse(f"postgresql://sam:secret-pw@127.0.0.1:{free_port()}/team")
    with pytest.raises(TeamDatabaseUnreachableError) as refused:
        open_store(nowhere)
    said = str(refused.value)
    assert said.startswith("The team database 'team' on 127.0.0.1:") and "cannot be reached" in said
    assert "secret-pw" not in said and "secret-pw" not in str(nowhere)


def test_a_database_that_does_not_exist_is_named(postgres_server: PostgresServer) -> None:
    with pytest.raises(TeamDatabaseRefusedError, match=r"There is no database 'no_such_team' on the server"):
        open_store(postgres_server.url("no_such_team"))


def test_addresses_that_are_not_a_team_database_say_how_to_write_one() -> None:
    assert server.is_server_address("postgresql://sam@host/team")
    assert server.is_server_address("postgres://sam@host/team")
    assert not server.is_server_address("/home/sam/cohesion.sqlite")
    assert not server.is_server_address(Path("postgresql://x/y"))
    with pytest.raises(TeamDatabaseError, match="names no database"):
        ServerAddress.parse("postgresql://sam@host")
    with pytest.raises(TeamDatabaseError, match="could not be read"):
        ServerAddress.parse("postgresql://sam@host:notaport/team")


@pytest.fixture
def team(address: ServerAddress) -> Iterator[ServerStore]:
    prepare_team_database(address)
    with open_store(address) as store:
        yield store


def test_a_write_the_server_does_not_permit_says_permission_denied_and_where(
    team: ServerStore, address: ServerAddress, engine: Engine
) -> None:
    role = f"viewer_{uuid.uuid4().hex[:8]}"
    with engine.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
        # init made the database's roles; a viewer reads (db/roles.py) and writes nothing.
        connection.execute(text(f'GRANT "{address.url.database}_viewer" TO {role}'))
    viewer = ServerAddress(address.url.set(username=role))
    try:
        with open_store(viewer) as store, store.session() as session:
            with pytest.raises(StorageError) as refused, writing(session):
                session.add(models.Partner(name="Harrowfield CVS", sector=Sector.VCS))
            said = str(refused.value)
            assert "permission denied" in said and address.where in said
            assert "Your last change was not saved" in said
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP ROLE {role}"))


def test_a_concurrent_change_and_a_lost_connection_are_said_in_words(team: ServerStore, engine: Engine) -> None:
    with team.session() as session:
        with pytest.raises(StorageError, match="Someone else changed the same records") as refused, writing(session):
            session.execute(text("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$"))
        assert team.address.where in str(refused.value)
    with team.session() as session:
        own = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": own})  # the server drops us
        with (
            pytest.raises(StorageError, match="cannot be reached: the connection to its server was lost"),
            writing(session),
        ):
            session.add(models.Partner(name="Harrowfield CVS", sector=Sector.VCS))
    with team.session() as session:  # the pool hands out a working connection again
        assert session.execute(text("SELECT 1")).scalar_one() == 1


def test_a_read_only_store_has_the_server_refuse_writes(team: ServerStore, address: ServerAddress) -> None:
    with (
        open_store(address, read_only=True) as reader,
        reader.session() as session,
        pytest.raises(StorageError, match="opened for reading only"),
        writing(session),
    ):
        session.add(models.Partner(name="Harrowfield CVS", sector=Sector.VCS))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_on_the_command_line_prepares_the_team_database_and_says_what_it_did(
    address: ServerAddress, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_password = str(address.url.set(drivername="postgresql", password="s3cret")).replace("***", "s3cret")
    code, out, err = run(capsys, "--data", with_password, "init")
    assert (code, err) == (0, "")
    assert out == (
        f"Prepared the team database {address.where} for Cohesion Desktop (data format {migrations.SCHEMA_VERSION}).\n"
    )
    monkeypatch.setenv("COHESION_DATA", with_password)  # as --data does
    code, out, _ = run(capsys, "init")
    assert code == 0 and "is ready already" in out
    open_store(address).close()  # the app opens what init prepared
    # What does not work on a team database yet says so in a line, never a traceback; nor a password.
    code, _, err = run(capsys, "export", "summary", "--data", with_password, "--out", "x.xlsx")
    assert code == 2 and "'export' works on a data file" in err
    assert "s3cret" not in out + err


def test_init_of_a_server_that_cannot_be_reached_says_so_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data", f"postgresql://sam@127.0.0.1:{free_port()}/team", "init")
    assert code == 1 and err.count("\n") == 1 and "The team database 'team' on 127.0.0.1:" in err


def test_init_of_a_data_file_points_to_new(data_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data", str(data_file), "init")
    assert code == 2 and "cohesion-desktop new" in err and not data_file.exists()


def test_the_window_opens_a_team_database_named_on_the_command_line(
    address: ServerAddress, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--data", str(address), "init")[0] == 0
    # The window as a laptop's shortcut starts it, shown offscreen and checked page by page (--self-test).
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COHESION_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "cohesion_desktop", "--self-test", "--data", str(address)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"pages on the team database {address.where}" in result.stdout
