"""Restoring is one atomic replace: killed at any moment, the next start finds the old file or the restored
one (with the old one kept beside it), never no file; a restore refuses what is not ours or is newer."""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
import time
from pathlib import Path

import pytest
from sqlmodel import select

from cohesion_desktop import files
from cohesion_desktop.db import backups, migrations, models
from cohesion_desktop.db.store import open_store, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import CohesionError
from tests.killing import KillRunner, every_moment, kill

BACKUP_NAMES = ["Kept 0", "Kept 1", "Kept 2"]
CURRENT_NAMES = [*BACKUP_NAMES, "Newer 0", "Newer 1", "Only in the WAL"]


def add(path: Path, *names: str) -> None:
    with open_store(path) as store, store.session() as session, writing(session):
        for name in names:
            session.add(models.Partner(name=name, sector=Sector.VCS))


def names_in(path: Path, *, read_only: bool = False) -> list[str]:
    with open_store(path, read_only=read_only) as store, store.session() as session:
        return sorted(session.exec(select(models.Partner.name)).all())


def sqlite_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


@pytest.fixture
def laptop(tmp_path: Path, kill_runner: KillRunner, app_home: Path) -> tuple[Path, Path, Path]:
    """A data file whose last edit is still in its WAL (the app was killed), and an older backup of it.

    Returns (data file, backup, a folder holding a pristine copy of the data file and its WAL).
    """
    data_file = tmp_path / "laptop" / "cohesion.sqlite"
    data_file.parent.mkdir()
    add(data_file, *BACKUP_NAMES)
    backup = backups.backup_to(data_file, tmp_path / "backup.sqlite")
    add(data_file, "Newer 0", "Newer 1")
    killed = kill_runner.execute(
        textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from cohesion_desktop.db import models
        from cohesion_desktop.db.store import open_store, writing
        store = open_store(Path({str(data_file)!r}))
        with store.session() as session, writing(session):
            session.add(models.Partner(name="Only in the WAL", sector="vcs"))
        os.kill(os.getpid(), signal.SIGKILL)
    """),
        home=app_home,
    )
    assert killed.killed and data_file.with_name("cohesion.sqlite-wal").stat().st_size > 0
    pristine = tmp_path / "pristine"
    pristine.mkdir()
    for name in ("cohesion.sqlite", "cohesion.sqlite-wal"):
        shutil.copy2(data_file.with_name(name), pristine / name)
    return data_file, backup, pristine


def put_back(data_file: Path, pristine: Path) -> None:
    for leftover in data_file.parent.iterdir():
        leftover.unlink()
    for copy in pristine.iterdir():
        shutil.copy2(copy, data_file.with_name(copy.name))


def test_a_restore_killed_at_any_moment_is_finished_or_undone_at_the_next_start(
    laptop: tuple[Path, Path, Path], kill_runner: KillRunner, app_home: Path
) -> None:
    data_file, backup, pristine = laptop
    command = ["restore", str(backup), "--data", str(data_file)]
    moments = every_moment(
        kill_runner,
        command,
        home=app_home,
        watch=data_file.parent,
        sql_moments=3,
        reset=lambda: put_back(data_file, pristine),
    )
    assert len(moments) > 8
    outcomes = set()
    for moment in moments:
        put_back(data_file, pristine)
        kill(kill_runner, command, home=app_home, at=moment)
        assert data_file.exists(), f"no data file after a kill at {moment}: {sqlite_files(data_file.parent)}"

        found = names_in(data_file)  # the next start, which finishes or undoes the restore
        assert not list(data_file.parent.glob(".*restore-plan"))
        # What a kill can leave besides: temporary copies, which a later start deletes once they are stale.
        files.remove_stale_temporaries(data_file.parent, now=time.time() + files.STALE_AFTER_S + 1)
        assert [p.name for p in data_file.parent.iterdir() if p.name.startswith(".")] == [], str(moment)
        kept = list(data_file.parent.glob("cohesion.before-restore-*.sqlite"))
        if found == BACKUP_NAMES:
            outcomes.add("restored")
            assert len(kept) == 1 and names_in(kept[0], read_only=True) == CURRENT_NAMES, str(moment)
        else:
            outcomes.add("as before")
            assert found == CURRENT_NAMES, str(moment)
    assert outcomes == {"restored", "as before"}


def test_a_cut_short_restore_whose_copy_is_bad_is_undone(
    laptop: tuple[Path, Path, Path], kill_runner: KillRunner, app_home: Path
) -> None:
    data_file, backup, pristine = laptop
    command = ["restore", str(backup), "--data", str(data_file)]
    put_back(data_file, pristine)
    # Killed just before the data file's WAL is taken away, once the plan is written and the old file kept:
    # the most that an undo has to put back.
    moments = every_moment(
        kill_runner,
        command,
        home=app_home,
        watch=data_file.parent,
        sql_moments=0,
        reset=lambda: put_back(data_file, pristine),
    )
    for moment in moments:
        put_back(data_file, pristine)
        kill(kill_runner, command, home=app_home, at=moment)
        if (
            list(data_file.parent.glob(".*restore-plan"))
            and list(data_file.parent.glob("cohesion.before-restore-*"))
            and not data_file.with_name("cohesion.sqlite-wal").exists()
        ):
            break
    else:
        pytest.fail("no moment with the plan written and the old WAL taken away")
    staged = next(data_file.parent.glob(".cohesion.sqlite.*.restoring"))
    staged.write_bytes(b"not what was checked")  # a disk that lost the copy
    assert names_in(data_file) == CURRENT_NAMES
    assert not list(data_file.parent.glob("cohesion.before-restore-*")) and not staged.exists()


def test_a_restore_refuses_a_file_that_is_not_ours_or_is_newer(store: object, tmp_path: Path) -> None:
    data_file = tmp_path / "cohesion.sqlite"
    before = data_file.read_bytes()
    foreign = tmp_path / "accounts.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE ledger (amount REAL)")
    connection.close()
    newer = tmp_path / "newer.sqlite"
    backups.backup_to(data_file, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    connection.close()
    store.close()  # type: ignore[attr-defined]
    with pytest.raises(CohesionError, match="not a Cohesion Desktop data file"):
        backups.restore_backup(data_file, foreign)
    with pytest.raises(CohesionError, match="newer version"):
        backups.restore_backup(data_file, newer)
    assert data_file.read_bytes() == before
    assert sqlite_files(tmp_path) == sorted(["accounts.sqlite", "cohesion.sqlite", "newer.sqlite", "home"])
