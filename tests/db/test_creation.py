"""A new data file appears whole or not at all; an empty SQLite file left by an interrupted creation is
recognised for what it is, and started afresh only when it holds nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from cohesion_desktop.cli import main
from cohesion_desktop.db import migrations, models
from cohesion_desktop.db.sqlite_file import APPLICATION_ID
from cohesion_desktop.db.store import open_store
from cohesion_desktop.errors import DataFileEmptyError, DataFileMissingError
from tests.killing import KillRunner, every_moment, kill, spread


def assert_nothing_or_a_whole_data_file(path: Path) -> None:
    """What a killed creation may leave: nothing at all, or a complete data file (with or without data)."""
    if not path.exists():
        assert not path.with_name(path.name + "-wal").exists()
        return
    with open_store(path, read_only=True) as opened, opened.session() as session:
        assert opened.schema_version == migrations.SCHEMA_VERSION
        assert len(session.exec(select(models.Theme.id)).all()) == 20
        with opened.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID


def remove_data(path: Path) -> None:
    for leftover in [*path.parent.glob(path.name + "*"), *path.parent.glob(f".{path.name}*")]:
        leftover.unlink()


def test_new_killed_at_any_moment_leaves_nothing_or_a_whole_file(
    kill_runner: KillRunner, tmp_path: Path, app_home: Path
) -> None:
    data = tmp_path / "laptop" / "cohesion.sqlite"
    data.parent.mkdir()
    command = ["new", "--data", str(data)]
    moments = every_moment(
        kill_runner, command, home=app_home, watch=data.parent, sql_moments=3, reset=lambda: remove_data(data)
    )
    for moment in moments:
        remove_data(data)
        kill(kill_runner, command, home=app_home, at=moment)
        assert_nothing_or_a_whole_data_file(data)
        # The next start finds a file to use, or makes one: never one it refuses for ever.
        open_store(data, start_afresh=True).close()


def test_demo_killed_while_creating_or_filling_leaves_nothing_or_a_whole_file(
    kill_runner: KillRunner, tmp_path: Path, app_home: Path
) -> None:
    data = tmp_path / "cohesion.sqlite"
    finished = kill_runner.run(["demo", "--data", str(data)], home=app_home)
    assert finished.exit_code == 0 and finished.moments
    for moment in (*spread(80, 4), finished.moments // 2):  # while creating, then while filling
        remove_data(data)
        assert kill_runner.run(["demo", "--data", str(data)], home=app_home, kill_at=moment).killed
        assert_nothing_or_a_whole_data_file(data)


def empty_sqlite_file(path: Path, *, with_old_content: bool = False) -> None:
    """What the old creation left when killed: a valid SQLite file (WAL mode) with no tables."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    if with_old_content:
        connection.execute("CREATE TABLE volunteer (name TEXT)")
        connection.executemany("INSERT INTO volunteer VALUES (?)", [("Ann Both " * 50,)] * 200)
        connection.commit()
        connection.execute("DROP TABLE volunteer")
        connection.commit()
    connection.close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_empty_sqlite_file_is_named_for_what_it_is_and_new_starts_it_afresh(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty_sqlite_file(data_file)
    with pytest.raises(DataFileEmptyError, match="no tables and nothing else") as refused:
        open_store(data_file)
    assert refused.value.truly_empty
    code, out, err = run(capsys, "check", "--data", str(data_file))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "interrupted" in err and "cohesion-desktop new" in err and "restore" not in err
    code, out, _ = run(capsys, "new", "--data", str(data_file))
    assert code == 0 and "Created" in out
    assert_nothing_or_a_whole_data_file(data_file)
    code, _, err = run(capsys, "new", "--data", str(data_file))
    assert code == 1 and "already a data file" in err


def test_a_table_less_file_with_old_content_is_never_started_afresh(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty_sqlite_file(data_file, with_old_content=True)
    before = data_file.read_bytes()
    with pytest.raises(DataFileEmptyError, match="not empty") as refused:
        open_store(data_file, start_afresh=True)
    assert not refused.value.truly_empty
    code, _, err = run(capsys, "new", "--data", str(data_file))
    assert code == 1 and "not empty" in err and "cohesion-desktop new" not in err
    assert data_file.read_bytes() == before


def test_commands_other_than_new_and_demo_never_create_a_data_file(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.importing.builders import MESSY_ROWS, write_xlsx

    sheet = write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS)
    for command in (
        ["import", "partners", str(sheet)],
        ["check"],
        ["workshops"],
        ["export", "summary", "--out", str(tmp_path / "s.xlsx")],
    ):
        code, _, err = run(capsys, *command, "--data", str(data_file))
        assert code == 1 and err.count("\n") == 1, command
        assert "There is no data file" in err and "cohesion-desktop new" in err
        assert not data_file.exists()
    with pytest.raises(DataFileMissingError):
        open_store(data_file, create=False)
