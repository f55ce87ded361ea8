"""Automatic backups: made with the online backup API, rotated, aged out; manual backups anywhere."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from cohesion_desktop import paths
from cohesion_desktop.db import backups, models
from cohesion_desktop.db.store import Store, open_store, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import CohesionError


def add_partner(store: Store, name: str) -> None:
    with store.session() as session, writing(session):
        session.add(models.Partner(name=name, sector=Sector.VCS))


def test_a_backup_of_an_open_file_holds_edits_still_in_the_wal(store: Store, tmp_path: Path) -> None:
    add_partner(store, "Age Well Harrowfield")
    copy = backups.backup_to(store.path, tmp_path / "copy.sqlite")
    with open_store(copy, read_only=True) as opened, opened.session() as session:
        assert session.exec(select(models.Partner.name)).all() == ["Age Well Harrowfield"]


def test_automatic_backups_keep_the_newest_ten(store: Store) -> None:
    start = datetime(2026, 11, 1, 9, 0, 0)
    for hour in range(13):
        add_partner(store, f"Partner {hour}")
        os.utime(store.path)  # mark the file changed after the previous backup
        assert backups.make_automatic_backup(store.path, now=start + timedelta(hours=hour), force=True)
    kept = [info for info in backups.list_backups(store.path) if info.kind == "auto"]
    assert len(kept) == backups.AUTOMATIC_BACKUPS_KEPT
    assert kept[0].made_at == start + timedelta(hours=12)
    assert kept[-1].made_at == start + timedelta(hours=3)


def test_backups_older_than_the_stated_age_are_deleted(store: Store) -> None:
    now = datetime.now()
    old = backups.make_automatic_backup(
        store.path, now=now - timedelta(days=backups.BACKUP_MAX_AGE_DAYS + 2), force=True
    )
    recent = backups.make_automatic_backup(store.path, now=now, force=True)
    assert old is not None and recent is not None
    assert not old.exists() and recent.exists()


def test_no_new_backup_when_nothing_changed_since_the_last(store: Store) -> None:
    first = backups.make_automatic_backup(store.path)
    assert first is not None
    assert backups.make_automatic_backup(store.path) is None
    time.sleep(0.05)  # a later modification time than the backup's, even on coarse clocks
    add_partner(store, "St Anne's Parish Church")
    assert backups.make_automatic_backup(store.path) is not None


def test_two_files_with_the_same_name_keep_separate_backups(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "cohesion.sqlite", tmp_path / "b" / "cohesion.sqlite"
    first.parent.mkdir()
    second.parent.mkdir()
    assert paths.backups_for(first) != paths.backups_for(second)


def test_a_manual_backup_refuses_to_overwrite_the_data_file(store: Store) -> None:
    with pytest.raises(CohesionError, match="cannot replace the data file"):
        backups.backup_to(store.path, store.path)


def test_a_manual_backup_into_a_missing_folder_says_so(store: Store, tmp_path: Path) -> None:
    with pytest.raises(CohesionError, match="does not exist"):
        backups.backup_to(store.path, tmp_path / "nope" / "copy.sqlite")


def test_two_backups_started_in_the_same_second_both_succeed(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    add_partner(store, "Harrowfield CVS")
    moment = datetime(2026, 11, 22, 9, 30, 0)
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda _: backups.make_automatic_backup(store.path, now=moment, force=True), range(4)))
    assert all(path is not None and path.exists() for path in made)
    assert not list(paths.backups_for(store.path).glob("*.partial"))
    for path in made:
        assert path is not None and backups.problems_in(path) is None
