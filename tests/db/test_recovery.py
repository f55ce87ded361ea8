"""The one recovery policy (db/recovery.py) that the window offers and the command line names: a backup only
for damage, a fresh start only for a file that holds nothing, nothing for what is not the file's fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohesion_desktop.db import backups
from cohesion_desktop.db.recovery import Remedy, recovery_for, restore_newest
from cohesion_desktop.db.store import open_store
from cohesion_desktop.errors import DataFileError
from tests.db.test_creation import empty_sqlite_file
from tests.db.test_damaged_files import digest, make_file_with_backup, overwrite_middle


def refusal(path: Path) -> DataFileError:
    with pytest.raises(DataFileError) as refused:
        open_store(path, create=False)
    return refused.value


def test_a_damaged_file_with_a_backup_is_offered_the_newest_and_kept_beside_it(data_file: Path) -> None:
    make_file_with_backup(data_file)
    overwrite_middle(data_file)
    damaged = digest(data_file)
    recovery = recovery_for(refusal(data_file))
    assert recovery.remedy is Remedy.RESTORE_NEWEST and recovery.backup is not None
    kept = restore_newest(recovery)
    assert kept is not None and digest(kept) == damaged
    open_store(data_file).close()


def test_a_damaged_file_without_a_backup_is_offered_none(data_file: Path) -> None:
    data_file.write_bytes(b"not a database at all")
    recovery = recovery_for(refusal(data_file))
    assert recovery.remedy is Remedy.NO_BACKUP and recovery.backup is None
    with pytest.raises(ValueError, match="no backup"):
        restore_newest(recovery)


def test_an_empty_sqlite_file_can_be_started_afresh_and_a_missing_one_found_or_made(data_file: Path) -> None:
    empty_sqlite_file(data_file)
    assert recovery_for(refusal(data_file)).remedy is Remedy.START_AFRESH
    empty_sqlite_file(data_file, with_old_content=True)  # old content in free pages: not lost by a slip
    assert recovery_for(refusal(data_file)).remedy is Remedy.NONE
    assert recovery_for(refusal(data_file.with_name("elsewhere.sqlite"))).remedy is Remedy.FIND_OR_CREATE


def test_a_file_in_use_is_not_its_fault_and_gets_no_backup_offered(data_file: Path) -> None:
    make_file_with_backup(data_file)
    with open_store(data_file):
        recovery = recovery_for(refusal(data_file))
    assert recovery.remedy is Remedy.NONE and backups.list_backups(data_file)
