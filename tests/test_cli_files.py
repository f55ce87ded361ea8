"""The command line's promises about the data file: one clear line for every fault, a restore suggested only
for real damage, never a new file made silently, nothing left half-done by a kill."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cohesion_desktop.cli import main
from cohesion_desktop.db import backups, sqlite_file
from tests.db.test_healthy_files import LOCKS, add_partners, held_by_another_program
from tests.filesystems import fill_up, read_only_folder, small_filesystem


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_on_a_locked_file_says_so_and_suggests_no_restore(
    data_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 200)
    add_partners(data_file, 10)
    backups.make_automatic_backup(data_file)
    with held_by_another_program(data_file, *LOCKS["exclusive locking mode"]):
        code, out, err = run(capsys, "check", "--data", str(data_file))
        assert code == 1 and out == "" and err.count("\n") == 1
        assert "Another program" in err and "restore" not in err
        code, _, err = run(capsys, "restore", "--newest", "--data", str(data_file))
        assert code == 1 and "Another program" in err
    assert not list(data_file.parent.glob("cohesion.*-2*.sqlite"))  # nothing set aside


def test_check_on_a_disk_error_says_so_and_suggests_no_restore(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_partners(data_file, 10)
    backups.make_automatic_backup(data_file)
    shm = data_file.with_name("cohesion.sqlite-shm")
    shm.unlink(missing_ok=True)
    os.mkfifo(shm)
    code, out, err = run(capsys, "check", "--data", str(data_file))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "disk reported an error" in err and "restore" not in err


def one_plain_line(err: str) -> None:
    assert err.count("\n") == 1, err
    assert "Traceback" not in err and "Logging error" not in err and "[SQL:" not in err and "sqlalche.me" not in err


def test_a_full_disk_under_the_data_file_is_one_plain_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.importing.builders import MESSY_ROWS, write_xlsx

    sheet = write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS)
    with small_filesystem(tmp_path / "disk", size_kib=512) as disk:
        data = disk / "cohesion.sqlite"
        fill_up(disk)
        code, _, err = run(capsys, "new", "--data", str(data))
        assert code == 1 and "no room left on the disk" in err and "cannot be created" in err
        one_plain_line(err)
        assert [p.name for p in disk.iterdir() if p.suffix != ".lock"] == ["filler"]  # no file, no temporary copy
        (disk / "filler").unlink()
        assert run(capsys, "new", "--data", str(data))[0] == 0
        fill_up(disk)
        code, _, err = run(capsys, "import", "partners", str(sheet), "--data", str(data))
        assert code == 1 and "no room left on the disk" in err
        one_plain_line(err)


def test_a_backup_to_a_full_or_read_only_folder_is_one_plain_line(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_partners(data_file, 300)
    with small_filesystem(tmp_path / "stick", size_kib=256) as stick:
        code, _, err = run(capsys, "backup", "--data", str(data_file), "--out", str(stick / "copy.sqlite"))
        assert code == 1 and "no room left on the disk for the copy" in err
        one_plain_line(err)
        assert list(stick.iterdir()) == []  # no partial copy left behind
    shared = tmp_path / "shared"
    shared.mkdir()
    with read_only_folder(shared):
        code, _, err = run(capsys, "backup", "--data", str(data_file), "--out", str(shared / "copy.sqlite"))
        assert code == 1 and "cannot be written to" in err
        one_plain_line(err)


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_log_folder_that_cannot_be_written_never_shows_a_traceback(
    data_file: Path, app_home: Path, capsys: pytest.CaptureFixture[str], fault: str
) -> None:
    add_partners(data_file, 10)
    logs = app_home / "logs"
    with small_filesystem(logs, size_kib=64) if fault == "full" else read_only_folder(logs):
        if fault == "full":
            fill_up(logs)
        code, out, err = run(capsys, "check", "--data", str(data_file))
        assert code == 0 and "Integrity: ok" in out and err == ""
        code, _, err = run(capsys, "check", "--data", str(data_file.with_name("elsewhere.sqlite")))
        assert code == 1 and "There is no data file" in err
        one_plain_line(err)


def test_a_full_temporary_folder_is_named_in_one_plain_line(tmp_path: Path) -> None:
    data_file = tmp_path / "cohesion.sqlite"
    add_partners(data_file, 1)
    with small_filesystem(tmp_path / "tmp", size_kib=64) as temporary:
        fill_up(temporary)
        # A temporary table bigger than SQLite's cache goes to its temporary folder, as the summary's does.
        # A process of its own: SQLite reads SQLITE_TMPDIR once, when a process first needs it.
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                textwrap.dedent(f"""
            from pathlib import Path
            from cohesion_desktop.db.store import open_store, plain_storage_error
            with open_store(Path({str(data_file)!r})) as store, store.engine.connect() as connection:
                try:
                    connection.exec_driver_sql(
                        "CREATE TEMPORARY TABLE given AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                        "FROM n WHERE i < 100000) SELECT i, hex(randomblob(40)) AS h FROM n")
                except Exception as exc:
                    print(plain_storage_error(exc, store.path))
        """),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "SQLITE_TMPDIR": str(temporary)},
        )
    assert f"no room left in the temporary folder {temporary}" in done.stdout, done.stderr
    assert done.stdout.count("\n") == 1


def test_backups_lists_the_copies_kept_beside_the_file_and_drops_those_past_keeping(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import datetime, timedelta

    add_partners(data_file, 1)
    backups.make_automatic_backup(data_file)
    kept = backups.set_aside_name(data_file, backups.DAMAGED)
    expired = backups.set_aside_name(
        data_file, backups.BEFORE_RESTORE, datetime.now() - timedelta(days=backups.BACKUP_MAX_AGE_DAYS + 1)
    )
    for copy in (kept, expired):
        backups.backup_to(data_file, copy)
    code, out, _ = run(capsys, "backups", "--data", str(data_file))
    assert code == 0 and "auto" in out
    assert any(
        line.split()[2:] == ["damaged", f"{kept.stat().st_size:,}", "bytes", str(kept)] for line in out.splitlines()
    )
    assert str(expired) not in out and not expired.exists()
