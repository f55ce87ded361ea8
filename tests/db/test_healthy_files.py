"""A healthy file is never called damaged: only what SQLite itself cannot open or check clean, after its own
recovery from the WAL, is "damaged". Every other reason a file cannot be opened has its own error and words,
and never leads to an offer to put an older backup in its place."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import select

from cohesion_desktop.db import models, sqlite_file
from cohesion_desktop.db import store as store_module
from cohesion_desktop.db.store import open_store, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import (
    DataFileCannotOpenError,
    DataFileDamagedError,
    DataFileIOError,
    DataFileLockedError,
    DataFileMissingFolderError,
    DataFileReadOnlyError,
    StorageError,
)
from tests.filesystems import read_only_file, read_only_folder, small_filesystem

PARTNERS = 300


def add_partners(path: Path, count: int = PARTNERS, *, keep_open: bool = False) -> store_module.Store:
    store = open_store(path)
    with store.session() as session, writing(session):
        for number in range(count):
            session.add(models.Partner(name=f"Partner {number}", sector=Sector.VCS, remit="Remit text " * 20))
    if not keep_open:
        store.close()
    return store


def partner_count(path: Path, *, read_only: bool = False) -> int:
    with open_store(path, read_only=read_only) as opened, opened.session() as session:
        return len(session.exec(select(models.Partner.id)).all())


def header_size(path: Path) -> int:
    header = path.read_bytes()[:100]
    return int.from_bytes(header[28:32], "big") * int.from_bytes(header[16:18], "big")


def test_a_file_whose_checkpoint_was_cut_off_by_a_crash_opens_with_everything(data_file: Path, tmp_path: Path) -> None:
    """A power cut while SQLite moves the WAL into the file: the file is shorter than its header says, and the
    WAL still holds every page. SQLite recovers it; we must not call it damaged."""
    store = add_partners(data_file, keep_open=True)
    size_before_the_move = data_file.stat().st_size
    raw = sqlite3.connect(data_file)
    raw.execute("PRAGMA wal_checkpoint(PASSIVE)")  # the move, done in full ...
    crashed = tmp_path / "crashed" / "cohesion.sqlite"
    crashed.parent.mkdir()
    shutil.copyfile(data_file, crashed)  # ... and the laptop's disk as a cut-off move would leave it:
    shutil.copyfile(data_file.with_name("cohesion.sqlite-wal"), crashed.with_name("cohesion.sqlite-wal"))
    raw.close()
    store.close()
    full_size = header_size(crashed)
    with crashed.open("r+b") as handle:  # pages are written in order, so page 1 (the header) first: the
        # move was cut off half-way through the pages that make the file longer
        handle.truncate((size_before_the_move + full_size) // 2 // 4096 * 4096)
    assert size_before_the_move < crashed.stat().st_size < full_size

    assert partner_count(crashed, read_only=True) == PARTNERS  # `check` reads it
    assert partner_count(crashed) == PARTNERS  # the window opens it
    assert crashed.stat().st_size == full_size  # and closing finished the move


def test_a_file_whose_checkpoint_ran_out_of_disk_opens_with_everything(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "disk", size_kib=768) as disk:
        data_file = disk / "cohesion.sqlite"
        open_store(data_file).close()
        # Enough partners (and their history) that moving the WAL needs more than the disk has left.
        store = add_partners(data_file, 380, keep_open=True)
        with pytest.raises(sqlite3.OperationalError, match="full"):
            store.checkpoint()
        store.close()
        assert data_file.stat().st_size < header_size(data_file)  # the move stopped part-way

        assert partner_count(data_file, read_only=True) == 380
        with open_store(data_file) as reopened:
            with reopened.session() as session:
                assert len(session.exec(select(models.Partner.id)).all()) == 380
            with reopened.session() as session, pytest.raises(StorageError, match="no room left"), writing(session):
                session.add(models.Partner(name="One more", sector=Sector.VCS, remit="x" * 100_000))


def test_a_file_in_a_read_only_folder_is_read_only_not_damaged(data_file: Path) -> None:
    add_partners(data_file, 10)
    with read_only_folder(data_file.parent):
        with pytest.raises(DataFileReadOnlyError, match="read-only") as refused:
            open_store(data_file)
        assert "is damaged" not in str(refused.value)
        assert partner_count(data_file, read_only=True) == 10  # check and exports still read it


def test_a_read_only_file_is_read_only_not_damaged(data_file: Path) -> None:
    add_partners(data_file, 10)
    with read_only_file(data_file):
        with pytest.raises(DataFileReadOnlyError, match="is read-only") as refused:
            open_store(data_file)
        assert "is damaged" not in str(refused.value)
        assert partner_count(data_file, read_only=True) == 10


@contextmanager
def held_by_another_program(path: Path, *statements: str) -> Iterator[None]:
    """Another program (plain sqlite3, not Cohesion Desktop) holding SQLite's lock on ``path``."""
    script = textwrap.dedent(f"""
        import sqlite3, sys
        connection = sqlite3.connect({str(path)!r}, isolation_level=None)
        for statement in {list(statements)!r}:
            connection.execute(statement).fetchall()
        print("holding", flush=True)
        sys.stdin.readline()
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "holding"
        yield
    finally:
        child.communicate("\n", timeout=30)


LOCKS = {
    "BEGIN EXCLUSIVE": ("BEGIN EXCLUSIVE",),
    "exclusive locking mode": ("PRAGMA locking_mode=EXCLUSIVE", "BEGIN EXCLUSIVE", "SELECT count(*) FROM partner"),
}


@pytest.mark.parametrize("lock", LOCKS, ids=list(LOCKS))
def test_a_file_locked_by_another_program_is_locked_not_damaged(
    data_file: Path, lock: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_partners(data_file, 10)
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 200)  # the lock is held for good: no need to wait 5 s
    with held_by_another_program(data_file, *LOCKS[lock]):
        with pytest.raises(DataFileLockedError, match="Another program") as refused:
            open_store(data_file)
        assert "is damaged" not in str(refused.value)
    assert partner_count(data_file) == 10


def test_a_disk_error_is_an_io_error_not_damage(data_file: Path) -> None:
    add_partners(data_file, 10)
    # SQLite reports SQLITE_IOERR when its shared-memory file cannot be used as one (here: a pipe).
    os.mkfifo(data_file.with_name("cohesion.sqlite-shm"))
    with pytest.raises(DataFileIOError, match="disk reported an error") as refused:
        open_store(data_file)
    assert "is damaged" not in str(refused.value)


def test_a_file_sqlite_cannot_open_is_not_called_damaged(data_file: Path) -> None:
    add_partners(data_file, 10)
    data_file.with_name("cohesion.sqlite-wal").mkdir()  # where SQLite must write its log: it cannot open it
    with pytest.raises(DataFileCannotOpenError, match="cannot be opened") as refused:
        open_store(data_file)
    assert "is damaged" not in str(refused.value)


def test_a_vanished_folder_is_not_damage(tmp_path: Path) -> None:
    with pytest.raises(DataFileMissingFolderError) as refused:
        open_store(tmp_path / "usb-stick" / "cohesion.sqlite")
    assert not isinstance(refused.value, DataFileDamagedError)


def test_real_damage_is_still_damage_after_sqlites_recovery(data_file: Path, tmp_path: Path) -> None:
    """A WAL beside a file does not excuse the file: pages that neither holds are damage."""
    add_partners(data_file)
    raw = sqlite3.connect(data_file)
    raw.execute("UPDATE partner SET name = 'Renamed' WHERE rowid = 1")  # a WAL of a page or two
    raw.commit()
    cut = tmp_path / "cut" / "cohesion.sqlite"
    cut.parent.mkdir()
    shutil.copyfile(data_file, cut)
    shutil.copyfile(data_file.with_name("cohesion.sqlite-wal"), cut.with_name("cohesion.sqlite-wal"))
    raw.close()
    with cut.open("r+b") as handle:
        handle.truncate(header_size(cut) // 2 // 4096 * 4096)
    with pytest.raises(DataFileDamagedError):
        open_store(cut)
