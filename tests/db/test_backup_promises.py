"""Backups keep their promises: a copy is checked before it pushes an older one out; every copy (set-aside ones
too) is kept on one schedule, applied at every start; an import or a merge is preceded by a backup; killed
copies leave no stray copy of the data behind; everything is owner-only on POSIX."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from cohesion_desktop import paths
from cohesion_desktop.db import backups, migrations, models
from cohesion_desktop.db.store import Store, open_store, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import CohesionError, DataFileError
from tests.db.test_damaged_files import overwrite_page_holding
from tests.db.test_migrations import _add_charity_number, copy_of
from tests.filesystems import read_only_folder

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")


def add_partners(store: Store, *names: str) -> None:
    with store.session() as session, writing(session):
        for name in names:
            session.add(models.Partner(name=name, sector=Sector.VCS, remit="Remit text " * 40))


def partner_names(path: Path) -> list[str]:
    with open_store(path, read_only=True) as opened, opened.session() as session:
        return sorted(session.exec(select(models.Partner.name)).all())


def test_a_copy_that_fails_its_check_is_not_kept_and_pushes_no_good_backup_out(store: Store) -> None:
    add_partners(store, *(f"Partner {n}" for n in range(300)))
    start = datetime.now() - timedelta(hours=12)
    for hour in range(backups.AUTOMATIC_BACKUPS_KEPT):
        assert backups.make_automatic_backup(store.path, now=start + timedelta(hours=hour), force=True)
    good = backups.list_backups(store.path)
    store.checkpoint()
    # The disk went bad under the partners' rows: a copy would copy the damage. (The middle of the file may hold
    # a page of the schema, which the copy itself trips over before any check.)
    overwrite_page_holding(store.path, b"Partner 150")

    with pytest.raises(CohesionError, match="failed its check"):
        backups.make_automatic_backup(store.path, force=True)
    assert backups.list_backups(store.path) == good
    assert all(backups.problems_in(info.path) is None for info in good)
    assert not [p for p in paths.backups_for(store.path).iterdir() if p.name.startswith(".")]


def test_every_kind_of_copy_follows_one_schedule_applied_at_each_start(data_file: Path) -> None:
    open_store(data_file).close()
    now = datetime.now()
    made: dict[str, list[Path]] = {}
    for kind in ("auto", "before-import", backups.BEFORE_RESTORE, backups.DAMAGED):
        for hours in [*range(1, 13), 24 * (backups.BACKUP_MAX_AGE_DAYS + 1)]:
            moment = now - timedelta(hours=hours)
            if kind in backups.SET_ASIDE_KINDS:
                target = backups.set_aside_name(data_file, kind, moment)
            else:
                target = backups._backup_name(data_file, kind, moment)
            shutil.copyfile(data_file, target)
            made.setdefault(kind, []).append(target)
    old_upgrade = backups._backup_name(data_file, "upgrade-v1", now - timedelta(days=backups.BACKUP_MAX_AGE_DAYS + 1))
    shutil.copyfile(data_file, old_upgrade)

    open_store(data_file).close()  # a start: nothing else needed to happen (no backup made)

    for kind, copies in made.items():
        kept = [info.path for info in backups.list_backups(data_file, set_aside=True) if info.kind == kind]
        assert kept == copies[: backups.AUTOMATIC_BACKUPS_KEPT], kind  # the newest 10; none too old
    assert not old_upgrade.exists()


def test_an_import_is_preceded_by_a_backup_of_the_file_as_it_was(store: Store, tmp_path: Path) -> None:
    from cohesion_desktop.importing.partners import parse_partners
    from cohesion_desktop.importing.spreadsheet import read_sheet
    from cohesion_desktop.services.partner_import import apply_import, plan_import
    from tests.importing.builders import MESSY_ROWS, write_xlsx

    add_partners(store, "Already here")
    parsed = parse_partners(read_sheet(write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS), None))
    with store.session() as session:
        apply_import(session, plan_import(session, parsed), dry_run=True)
    assert backups.list_backups(store.path) == []  # a dry run changes nothing, so needs no copy
    with store.session() as session:
        apply_import(session, plan_import(session, parsed))
    (before,) = backups.list_backups(store.path)
    assert before.kind == "before-import" and partner_names(before.path) == ["Already here"]


def test_no_import_and_no_merge_without_their_backup(store: Store, tmp_path: Path) -> None:
    from cohesion_desktop.importing.partners import parse_partners
    from cohesion_desktop.importing.spreadsheet import read_sheet
    from cohesion_desktop.services import partners
    from cohesion_desktop.services.partner_import import apply_import, plan_import
    from tests.importing.builders import MESSY_ROWS, write_xlsx

    add_partners(store, "Harrowfield CVS", "Harrowfield Council for Voluntary Service")
    with store.session() as session:
        ids = sorted(session.exec(select(models.Partner.id, models.Partner.name)).all(), key=lambda row: row[1])
    parsed = parse_partners(read_sheet(write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS), None))
    paths.backups_for(store.path).mkdir(parents=True, exist_ok=True)
    with read_only_folder(paths.backups_for(store.path)):
        with store.session() as session, pytest.raises(CohesionError, match="Nothing was changed.*import"):
            apply_import(session, plan_import(session, parsed))
        with store.session() as session, pytest.raises(CohesionError, match="Nothing was changed.*merge"):
            partners.merge_partners(session, keep=ids[0][0], absorb=ids[1][0])
    assert partner_names(store.path) == ["Harrowfield CVS", "Harrowfield Council for Voluntary Service"]
    with store.session() as session:
        partners.merge_partners(session, keep=ids[0][0], absorb=ids[1][0])
    assert [info.kind for info in backups.list_backups(store.path)] == ["before-merge"]


def test_the_upgrade_message_promises_a_copy_only_when_one_was_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = migrations.SCHEMA_VERSION
    old = copy_of(current, tmp_path)
    before = old.read_bytes()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(migrations.STEPS, current + 1, _add_charity_number)
    with read_only_folder(paths.backup_dir()), pytest.raises(DataFileError) as refused:
        open_store(old)
    assert "copy of it is made first; that copy could not be made" in str(refused.value)
    assert "in the backups folder" not in str(refused.value)
    assert old.read_bytes() == before


def test_temporary_copies_left_by_killed_backups_and_restores_are_deleted_at_a_later_start(data_file: Path) -> None:
    open_store(data_file).close()
    backup_folder = paths.backups_for(data_file)
    backup_folder.mkdir(parents=True, exist_ok=True)
    stale = [
        backup_folder / ".cohesion-auto-20261101-090000.sqlite.k2j3h4.partial",
        data_file.with_name(".cohesion.sqlite.x8y7z6.restoring"),
        data_file.with_name(".cohesion.sqlite.x8y7z6.restoring-journal"),
        data_file.with_name(".cohesion.sqlite.q1w2e3.creating"),
    ]
    fresh = data_file.with_name(".cohesion.sqlite.a1b2c3.restoring")  # maybe another process's, just begun
    someone_elses = data_file.with_name(".notes.txt.partial")
    for path in (*stale, fresh, someone_elses):
        shutil.copyfile(data_file, path)
    an_hour_ago = time.time() - 3600
    for path in (*stale, someone_elses):
        os.utime(path, (an_hour_ago, an_hour_ago))

    open_store(data_file).close()

    assert [path for path in stale if path.exists()] == []
    assert fresh.exists() and someone_elses.exists()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The usual umask: what the app does not restrict, everyone can read."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@posix_only
def test_data_file_wal_backups_and_set_aside_copies_are_owner_only(
    data_file: Path, tmp_path: Path, usual_umask: None
) -> None:
    store = open_store(data_file)
    add_partners(store, "Ann's charity")
    assert data_file.with_name("cohesion.sqlite-wal").exists()
    for path in (data_file, data_file.with_name("cohesion.sqlite-wal"), data_file.with_name("cohesion.sqlite-shm")):
        assert mode(path) == 0o600, path
    automatic = backups.make_automatic_backup(data_file)
    manual = backups.backup_to(data_file, tmp_path / "copy.sqlite")
    store.close()
    assert automatic is not None and mode(automatic) == 0o600 and mode(manual) == 0o600
    assert mode(paths.backups_for(data_file)) == 0o700 and mode(paths.backup_dir()) == 0o700
    kept = backups.restore_backup(data_file, automatic)
    assert kept is not None and mode(kept) == 0o600 and mode(data_file) == 0o600
    for folder in (paths.data_dir(), paths.log_dir(), paths.config_dir()):
        assert mode(folder) == 0o700, folder


@posix_only
def test_a_file_made_readable_by_all_by_an_older_version_is_made_owner_only_at_open(
    data_file: Path, usual_umask: None
) -> None:
    open_store(data_file).close()
    data_file.chmod(0o644)
    backup = backups.make_automatic_backup(data_file, force=True)
    assert backup is not None
    backup.chmod(0o644)
    paths.backups_for(data_file).chmod(0o755)
    open_store(data_file).close()
    assert mode(data_file) == 0o600 and mode(backup) == 0o600 and mode(paths.backups_for(data_file)) == 0o700
