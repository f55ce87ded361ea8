"""The command line's promises about the data file: one clear line for every fault, a restore suggested only
for real damage, never a new file made silently, nothing left half-done by a kill."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cohesion_desktop.cli import main
from cohesion_desktop.db import backups
from cohesion_desktop.db import store as store_module
from tests.db.test_healthy_files import LOCKS, add_partners, held_by_another_program


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_on_a_locked_file_says_so_and_suggests_no_restore(data_file: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    add_partners(data_file, 10)
    backups.make_automatic_backup(data_file)
    with held_by_another_program(data_file, *LOCKS["exclusive locking mode"]):
        code, out, err = run(capsys, "check", "--data", str(data_file))
        assert code == 1 and out == "" and err.count("\n") == 1
        assert "Another program" in err and "restore" not in err
        code, _, err = run(capsys, "restore", "--newest", "--data", str(data_file))
        assert code == 1 and "Another program" in err
    assert not list(data_file.parent.glob("cohesion.*-2*.sqlite"))  # nothing set aside


def test_check_on_a_disk_error_says_so_and_suggests_no_restore(data_file: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    add_partners(data_file, 10)
    backups.make_automatic_backup(data_file)
    shm = data_file.with_name("cohesion.sqlite-shm")
    shm.unlink(missing_ok=True)
    os.mkfifo(shm)
    code, out, err = run(capsys, "check", "--data", str(data_file))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "disk reported an error" in err and "restore" not in err
