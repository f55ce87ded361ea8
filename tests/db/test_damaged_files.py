"""Damaged data files: each is refused in plain words, left byte-for-byte as it was, and can be replaced
by the newest good backup (the damaged file kept beside it)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import select

from cohesion_desktop.db import backups, models
from cohesion_desktop.db.store import open_store, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import (
    CohesionError,
    DataFileDamagedError,
    DataFileInUseError,
    DataFileMissingFolderError,
)
from tests.db.test_store import held_by_another_process


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_file_with_backup(path: Path) -> None:
    """A data file with enough rows to span many pages, and an automatic backup of it."""
    with open_store(path) as store, store.session() as session, writing(session):
        for number in range(300):
            session.add(models.Partner(name=f"Partner {number}", sector=Sector.VCS, remit="Remit text " * 20))
    assert backups.make_automatic_backup(path) is not None


def overwrite_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 3 * 4096] = b"\xa5" * (3 * 4096)
    path.write_bytes(bytes(data))


def overwrite_page_holding(path: Path, text: bytes, page_size: int = 4096) -> None:
    """Overwrite the page that holds ``text`` (a row's value), and the two after it."""
    data = bytearray(path.read_bytes())
    start = data.index(text) // page_size * page_size
    data[start : start + 3 * page_size] = b"\xa5" * (3 * page_size)
    path.write_bytes(bytes(data))


def replace_with_text(path: Path) -> None:
    path.write_text("Name,Sector\nMillbrook Food Bank,Charity\n", encoding="utf-8")


def empty(path: Path) -> None:
    path.write_bytes(b"")


def cut_in_half(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "bytes overwritten in the middle": (overwrite_middle, "is damaged"),
    "not SQLite at all": (replace_with_text, "not a SQLite database"),
    "0 bytes": (empty, r"empty \(0 bytes\)"),
    "cut to half its size": (cut_in_half, "shorter than it should be"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_file_is_refused_untouched_and_the_newest_good_backup_restores(data_file: Path, damage: str) -> None:
    make_file_with_backup(data_file)
    spoil, message = DAMAGE[damage]
    spoil(data_file)
    damaged_bytes = digest(data_file)

    with pytest.raises(DataFileDamagedError, match=message):
        open_store(data_file)
    assert digest(data_file) == damaged_bytes

    good = backups.newest_good_backup(data_file)
    assert good is not None
    kept = backups.restore_backup(data_file, good.path, label="damaged")
    assert kept is not None and kept.name.startswith("cohesion.damaged-") and digest(kept) == damaged_bytes
    with open_store(data_file) as store, store.session() as session:
        assert len(session.exec(select(models.Partner.id)).all()) == 300


def test_a_missing_folder_is_refused_and_never_restored_into(tmp_path: Path) -> None:
    """A vanished folder is a USB stick or network drive that is not there: the file may be fine on it."""
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    data_file = folder / "cohesion.sqlite"
    make_file_with_backup(data_file)
    os.rename(folder, tmp_path / "elsewhere")

    with pytest.raises(DataFileMissingFolderError, match="does not exist"):
        open_store(data_file)
    good = backups.newest_good_backup(data_file)
    assert good is not None
    with pytest.raises(CohesionError, match="does not exist"):
        backups.restore_backup(data_file, good.path)
    assert not folder.exists()  # refusing created nothing


def test_a_file_locked_by_another_process_is_refused_and_cannot_be_restored_over(data_file: Path) -> None:
    make_file_with_backup(data_file)
    with held_by_another_process(data_file):
        before = digest(data_file)
        with pytest.raises(DataFileInUseError, match="open in another window"):
            open_store(data_file)
        good = backups.newest_good_backup(data_file)
        assert good is not None
        # Replacing a file that another window is editing would lose that window's work.
        with pytest.raises(DataFileInUseError):
            backups.restore_backup(data_file, good.path)
        assert digest(data_file) == before
    assert backups.restore_backup(data_file, good.path, label="before-restore") is not None


def test_a_damaged_backup_is_skipped_for_an_older_good_one(data_file: Path) -> None:
    make_file_with_backup(data_file)
    with open_store(data_file) as store, store.session() as session, writing(session):
        session.add(models.Partner(name="Newer", sector=Sector.FAITH))
    newest = backups.make_automatic_backup(data_file, force=True)
    assert newest is not None and backups.list_backups(data_file)[0].path == newest
    overwrite_middle(newest)
    good = backups.newest_good_backup(data_file)
    assert good is not None and good.path != newest
    assert backups.problems_in(newest) is not None
