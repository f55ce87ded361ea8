"""The command line: what a support person or a script would run, with its exit codes and messages."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cohesion_desktop import __version__
from cohesion_desktop.cli import main
from cohesion_desktop.db import backups, migrations
from cohesion_desktop.db.store import open_store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_fills_a_file_and_check_reports_it(data_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--data", str(data_file))
    assert code == 0 and "40 partners" in out and "120 volunteers" in out
    code, out, _ = run(capsys, "--data", str(data_file), "check")  # --data before the command works too
    assert code == 0
    assert f"Data format: version {migrations.SCHEMA_VERSION}" in out and "Integrity: ok" in out
    assert "Partners:" in out and " 40" in out and "Workshops:" in out


def test_demo_refuses_a_file_that_already_has_data(data_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "demo", "--data", str(data_file))[0] == 0
    code, _, err = run(capsys, "demo", "--data", str(data_file))
    assert code == 1 and err.count("\n") == 1 and "already holds data" in err


def test_the_environment_names_the_data_file(
    data_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COHESION_DATA", str(data_file))
    assert run(capsys, "demo")[0] == 0
    assert data_file.exists()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--scale", "zero"])
    assert exited.value.code == 2
    assert "'zero' is not a whole number" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["frobnicate"])
    assert exited.value.code == 2


def test_check_on_a_damaged_file_without_a_backup_says_so_in_one_line(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_file.write_text("this is not a database", encoding="utf-8")
    before = hashlib.sha256(data_file.read_bytes()).hexdigest()
    code, out, err = run(capsys, "check", "--data", str(data_file))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "not a SQLite database" in err and "no good backup of it" in err
    assert "restore --newest" not in err  # it would only answer that there is no backup
    assert "Traceback" not in err
    assert hashlib.sha256(data_file.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("command", ["check", "workshops", "export summary"])
def test_any_command_on_a_damaged_file_with_a_backup_suggests_restoring_it(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    run(capsys, "demo", "--data", str(data_file))
    backups.make_automatic_backup(data_file, force=True)
    data_file.write_text("this is not a database", encoding="utf-8")
    extra = ["--out", str(tmp_path / "summary.xlsx")] if command == "export summary" else []
    code, _out, err = run(capsys, *command.split(), "--data", str(data_file), *extra)
    assert code == 1 and err.count("\n") == 1
    assert "not a SQLite database" in err and "restore --newest" in err and "newest good backup (made " in err


def test_a_missing_folder_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--data", str(tmp_path / "nowhere" / "x.sqlite"))
    assert code == 1 and "does not exist" in err and err.count("\n") == 1


def test_backup_then_restore_newest(data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "demo", "--data", str(data_file))
    copy = tmp_path / "copy.sqlite"
    code, out, _ = run(capsys, "backup", "--data", str(data_file), "--out", str(copy))
    assert code == 0 and copy.exists() and "Backed up" in out
    with open_store(copy, read_only=True):
        pass
    backups.make_automatic_backup(data_file)
    data_file.write_bytes(b"")  # the laptop died mid-copy
    code, out, _ = run(capsys, "restore", "--newest", "--data", str(data_file))
    assert code == 0 and "kept as" in out
    code, out, _ = run(capsys, "check", "--data", str(data_file))
    assert code == 0 and "Integrity: ok" in out
    assert list(tmp_path.glob("cohesion.damaged-*.sqlite"))


def test_restore_with_no_backup_says_where_it_looked(data_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "restore", "--newest", "--data", str(data_file))
    assert code == 1 and "no good backup" in err


def test_an_unexpected_error_is_logged_not_shown_as_a_traceback(
    data_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, app_home: Path
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("cohesion_desktop.services.demo.load_demo", explode)
    code, _, err = run(capsys, "demo", "--data", str(data_file))
    assert code == 1 and "unexpected error: boom" in err and "Traceback" not in err
    log_text = (app_home / "logs" / "cohesion-desktop.log").read_text(encoding="utf-8")
    assert "Traceback" in log_text and "ZeroDivisionError" in log_text


def test_the_installed_entry_point_and_python_m_both_work(data_file: Path) -> None:
    script = Path(sys.executable).with_name("cohesion-desktop")
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"Cohesion Desktop {__version__}"
    helped = subprocess.run(
        [sys.executable, "-m", "cohesion_desktop", "--help"], capture_output=True, text=True, check=True
    )
    assert "--data PATH" in helped.stdout and "demo" in helped.stdout


def test_self_test_opens_the_window_offscreen_and_exits_0(data_file: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "cohesion_desktop", "--self-test", "--data", str(data_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Self-test passed" in result.stdout


def test_import_partners_prints_the_report_with_row_numbers(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.importing.builders import MESSY_MERGES, MESSY_ROWS, write_xlsx

    sheet = write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS, merges=MESSY_MERGES)
    assert run(capsys, "new", "--data", str(data_file))[0] == 0  # import never creates a data file
    code, out, _ = run(capsys, "import", "partners", str(sheet), "--dry-run", "--data", str(data_file))
    assert code == 0
    assert "headings on row 3 (dry run: nothing was changed)" in out
    assert "Would add 13, would update 0, skipped 2 rows" in out
    assert "  row 13: skipped – column 'Organisation': No organisation name" in out
    assert "  row 14: skipped – column 'Organisation': Same name as row 4" in out
    code, out, _ = run(capsys, "check", "--data", str(data_file))
    assert "Partners:" in out and "Partners:                  0" in out
    code, out, _ = run(capsys, "import", "partners", str(sheet), "--data", str(data_file), "--sheet", "Partners")
    assert code == 0 and "Added 13, updated 0, skipped 2 rows" in out


def test_import_of_a_broken_file_is_one_line(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "partners.xlsx"
    broken.write_bytes(b"\x00\x01 definitely not a spreadsheet")
    code, out, err = run(capsys, "import", "partners", str(broken), "--data", str(data_file))
    assert code == 1 and out == "" and err.count("\n") == 1 and "partners.xlsx" in err
    code, _, err = run(capsys, "import", "partners", str(tmp_path / "missing.xlsx"), "--data", str(data_file))
    assert code == 1 and "missing.xlsx" in err


def test_export_workshop_by_id_prefix_and_all(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl
    from pypdf import PdfReader

    run(capsys, "demo", "--data", str(data_file))
    code, out, _ = run(capsys, "workshops", "--data", str(data_file))
    assert code == 0 and "Harrowfield cohesion roundtable" in out
    prefix = next(line.split()[0] for line in out.splitlines() if "cohesion roundtable" in line)
    workbook = tmp_path / "roundtable.xlsx"
    code, out, _ = run(capsys, "export", "workshop", prefix, "--out", str(workbook), "--data", str(data_file))
    assert code == 0 and "Wrote 1 workshop" in out
    sheet = openpyxl.load_workbook(workbook).worksheets[0]
    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "Already doing" in texts and "Quarterly partnership forum chaired by the council" in texts
    document = tmp_path / "all.pdf"
    code, out, _ = run(capsys, "export", "workshop", "--all", "--out", str(document), "--data", str(data_file))
    assert code == 0 and "Wrote 3 workshops" in out
    text = " ".join(page.extract_text() for page in PdfReader(document).pages)
    assert "Business and cohesion breakfast" in text and "Millbrook partnership forum" in text


def test_export_errors_are_one_line(data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "demo", "--data", str(data_file))
    code, _, err = run(
        capsys, "export", "workshop", "--all", "--out", str(tmp_path / "x.docx"), "--data", str(data_file)
    )
    assert code == 1 and ".xlsx (Excel) or .pdf" in err and err.count("\n") == 1
    code, _, err = run(
        capsys, "export", "workshop", "ffffffff", "--out", str(tmp_path / "x.pdf"), "--data", str(data_file)
    )
    assert code == 1 and "no workshop with the id 'ffffffff'" in err
    code, _, err = run(
        capsys, "export", "workshop", "--all", "--out", str(tmp_path / "nowhere" / "x.pdf"), "--data", str(data_file)
    )
    assert code == 1 and "does not exist" in err


def test_export_summary_writes_the_workbook_for_the_period(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    run(capsys, "demo", "--data", str(data_file))
    workbook = tmp_path / "funders.xlsx"
    code, out, err = run(
        capsys,
        "export",
        "summary",
        "--out",
        str(workbook),
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--org-name",
        "=Harrowfield",
        "--data",
        str(data_file),
    )
    assert code == 0 and err == ""
    assert out == f"Wrote the summary for 01/01/2026 – 31/12/2026 to {workbook}.\n"
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == [
        "Summary",
        "Partners",
        "Opportunities",
        "Volunteering hours",
        "Workshops",
        "Actions",
        "Notes",
    ]
    assert book["Summary"]["A1"].value == "=Harrowfield" and book["Summary"]["A1"].data_type == "s"
    assert "HoursByVolunteer" not in book["Volunteering hours"].tables


def test_export_summary_defaults_to_the_last_12_months_and_the_files_organisation(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from pypdf import PdfReader

    from cohesion_desktop.dates import Period

    run(capsys, "demo", "--data", str(data_file))
    document = tmp_path / "funders.pdf"
    code, out, _ = run(capsys, "export", "summary", "--out", str(document), "--data", str(data_file))
    assert code == 0 and Period.last_12_months(date.today()).label in out
    first_page = PdfReader(document).pages[0].extract_text()
    assert "Harrowfield" in first_page and "Hours given" in first_page


def test_export_summary_with_names(data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    run(capsys, "demo", "--data", str(data_file))
    workbook = tmp_path / "names.xlsx"
    code, _, _ = run(capsys, "export", "summary", "--include-names", "--out", str(workbook), "--data", str(data_file))
    assert code == 0
    sheet = openpyxl.load_workbook(workbook)["Volunteering hours"]
    assert "HoursByVolunteer" in sheet.tables
    assert any(cell.value == "Volunteer" for cell in sheet[1])


def test_export_summary_refuses_bad_dates(data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("2026-13-01", "01/02/2026", "yesterday"):
        with pytest.raises(SystemExit) as exited:
            main(["export", "summary", "--out", str(tmp_path / "x.xlsx"), "--from", bad])
        assert exited.value.code == 2
        assert f"'{bad}' is not a date (use YYYY-MM-DD)" in capsys.readouterr().err
    run(capsys, "demo", "--data", str(data_file))
    code, _, err = run(
        capsys,
        "export",
        "summary",
        "--out",
        str(tmp_path / "x.xlsx"),
        "--from",
        "2026-07-01",
        "--to",
        "2026-06-30",
        "--data",
        str(data_file),
    )
    assert code == 1 and err.count("\n") == 1 and "starts (01/07/2026) after it ends (30/06/2026)" in err
    assert not (tmp_path / "x.xlsx").exists()


# ---------------------------------------------------------------------------- volunteers' rights


def cli(data_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as a script runs it: a real process, with this test's app folders."""
    return subprocess.run(
        [sys.executable, "-m", "cohesion_desktop", *args, "--data", str(data_file)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )


@pytest.fixture
def volunteer_file(data_file: Path) -> tuple[Path, str, str]:
    """A data file with one volunteer whose hours mention her, one whose adding was undone, and one other;
    returns the file and the two volunteers' ids."""
    from datetime import date

    from cohesion_desktop.domain import OpportunityStatus, Sector
    from cohesion_desktop.services import partners
    from cohesion_desktop.services.partners import PartnerInput
    from cohesion_desktop.services.volunteering import opportunities, placements, volunteers
    from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
    from cohesion_desktop.services.volunteering.volunteers import VolunteerInput

    with open_store(data_file) as store, store.session() as session:
        host = partners.create_partner(session, data=PartnerInput(name="Age Well", sector=Sector.VCS))
        opportunity = opportunities.create_opportunity(
            session,
            data=OpportunityInput(title="Community driver", host_partner_id=host.id, status=OpportunityStatus.OPEN),
        )
        ann = volunteers.create_volunteer(
            session, data=VolunteerInput(name="Annwen Bothroyd", email="annwen@example.org")
        )
        placed = placements.place_volunteer(session, volunteer_id=ann.id, opportunity_id=opportunity.row.id)
        placements.log_hours(
            session, placement_id=placed.id, on_date=date(2026, 1, 5), hours=2.5, activity="Drove Annwen Bothroyd's van"
        )
        undone = volunteers.create_volunteer(session, data=VolunteerInput(name="Undone Ulrika"))
        volunteers.delete_volunteer(session, volunteer_id=undone.id)
        volunteers.create_volunteer(session, data=VolunteerInput(name="Kept Kwame"))
    return data_file, ann.id.hex, undone.id.hex


def test_volunteers_lists_ids_and_names_including_hidden_ones(
    volunteer_file: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data_file, ann, undone = volunteer_file
    listed = cli(data_file, "volunteers")
    assert listed.returncode == 0, listed.stderr
    first, second, third = listed.stdout.splitlines()
    assert first == f"{ann}  Annwen Bothroyd" and second.endswith("  Kept Kwame")
    assert third == f"{undone}  Undone Ulrika  (removed, still held)"
    assert run(capsys, "volunteers", "--search", "annwen@", "--data", str(data_file)) == (
        0,
        f"{ann}  Annwen Bothroyd\n",
        "",
    )


def test_subject_access_by_id_prefix_writes_an_owner_only_file(
    volunteer_file: tuple[Path, str, str], tmp_path: Path
) -> None:
    data_file, ann, _undone = volunteer_file
    target = tmp_path / "ann.json"
    done = cli(data_file, "subject-access", ann[:8], "--out", str(target))
    assert done.returncode == 0, done.stderr
    assert str(target) in done.stdout and "readable by you only" in done.stdout
    import json

    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["subject"] == "Annwen Bothroyd"
    values = [f["value"] for section in report["sections"] for f in section["fields"]]
    assert "2.5 – Drove Annwen Bothroyd's van" in values
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600


def test_subject_access_and_erase_errors_are_one_line(
    volunteer_file: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    data_file, ann, _undone = volunteer_file
    for args, words in (
        (("subject-access", "abc", "--out", str(tmp_path / "x.txt")), "not a volunteer's id"),
        (("subject-access", "ffffffff", "--out", str(tmp_path / "x.txt")), "no volunteer with the id"),
        (("subject-access", ann, "--out", str(tmp_path / "Annwen Bothroyd" / "x.txt")), "does not exist"),
        (("erase", "0123456789", "--yes"), "no volunteer with the id"),
    ):
        code, out, err = run(capsys, *args, "--data", str(data_file))
        assert code == 1 and out == "", args
        assert err.count("\n") == 1 and words in err and "Traceback" not in err
    log_text = (app_home / "logs" / "cohesion-desktop.log").read_text(encoding="utf-8")
    assert "subject-access failed" in log_text and "Annwen" not in log_text  # the folder named after her


def test_erase_without_yes_says_what_it_would_do_and_changes_nothing(volunteer_file: tuple[Path, str, str]) -> None:
    data_file, ann, _undone = volunteer_file
    before = hashlib.sha256(data_file.read_bytes()).hexdigest()
    refused = cli(data_file, "erase", ann)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "add --yes" in refused.stderr and "nothing was erased" in refused.stderr
    assert "Would erase from Annwen Bothroyd's records" in refused.stdout
    assert "“Drove Annwen Bothroyd's van” (1 entry, 05/01/2026–05/01/2026)" in refused.stdout
    assert "What would remain:" in refused.stdout and "Their 2.5 hours stay in every total" in refused.stdout
    assert hashlib.sha256(data_file.read_bytes()).hexdigest() == before
    assert backups.list_backups(data_file) == []


def test_erase_with_yes_leaves_no_byte_of_her_and_says_what_remains(
    volunteer_file: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data_file, ann, undone = volunteer_file
    erased = cli(data_file, "erase", ann[:10], "--yes")
    assert erased.returncode == 0, erased.stderr
    assert erased.stderr == "" and "Erased from Annwen Bothroyd's records" in erased.stdout
    [backup] = backups.list_backups(data_file)
    assert f"The backup made just before: {backup.path}" in erased.stdout
    assert "1 backup of the data file made before the erasure" in erased.stdout
    assert run(capsys, "erase", undone, "--yes", "--data", str(data_file))[0] == 0  # whose adding was undone
    raw = b"".join(p.read_bytes() for p in (data_file, data_file.with_name(data_file.name + "-wal")) if p.exists())
    for secret in (b"Annwen", b"Bothroyd", b"annwen@example.org", b"Ulrika"):
        assert secret not in raw
    assert b"Kept Kwame" in raw
    assert b"Annwen" in backup.path.read_bytes()  # as the command said
    again = cli(data_file, "erase", ann, "--yes")
    assert again.returncode == 0 and "already erased" in again.stdout


def test_erase_held_up_by_a_reader_says_so_and_finishes_when_run_again(volunteer_file: tuple[Path, str, str]) -> None:
    import sqlite3

    data_file, ann, _undone = volunteer_file
    reader = sqlite3.connect(data_file)  # another program in the middle of reading the file
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM volunteer").fetchone()
    try:
        held = cli(data_file, "erase", ann, "--yes")
        assert held.returncode == 1 and held.stderr.count("\n") == 1
        assert "old copies of the erased details are still in the data file" in held.stderr
        assert "Run this command again" in held.stderr
    finally:
        reader.rollback()
        reader.close()
    finished = cli(data_file, "erase", ann, "--yes")
    assert finished.returncode == 0 and "no copy of their details is left" in finished.stdout
    raw = b"".join(p.read_bytes() for p in (data_file, data_file.with_name(data_file.name + "-wal")) if p.exists())
    assert b"Annwen" not in raw and b"Bothroyd" not in raw


def test_import_volunteers_then_their_hours_and_again(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.importing.builders import (
        HOURS_MERGES,
        HOURS_ROWS,
        VOLUNTEER_MERGES,
        VOLUNTEER_ROWS,
        cache_formula_value,
        write_xlsx,
    )

    people = write_xlsx(tmp_path / "volunteers.xlsx", VOLUNTEER_ROWS, merges=VOLUNTEER_MERGES, sheet="Volunteers")
    hours = cache_formula_value(write_xlsx(tmp_path / "hours.xlsx", HOURS_ROWS, merges=HOURS_MERGES), "D12", "16")
    assert run(capsys, "new", "--data", str(data_file))[0] == 0
    code, out, _ = run(capsys, "import", "volunteers", str(people), "--dry-run", "--data", str(data_file))
    assert code == 0 and "headings on row 3 (dry run: nothing was changed)" in out
    assert "Would add 7, would update 0, skipped 2 rows" in out
    assert "  row 9: skipped – column 'E-mail': Same e-mail address as row 4" in out
    code, out, _ = run(capsys, "import", "volunteers", str(people), "--sheet", "Volunteers", "--data", str(data_file))
    assert code == 0 and "Added 7, updated 0" in out and "consent unknown for 3" in out

    code, _, err = run(capsys, "import", "hours", str(hours), "--opportunity", "Food bank", "--data", str(data_file))
    assert code == 1 and "No opportunity is called 'Food bank'" in err
    code, out, _ = run(capsys, "import", "hours", str(hours), "--skip-unknown-volunteers", "--data", str(data_file))
    # No opportunity is recorded, so every row is skipped by default, and the sheet's sum is still accounted for.
    assert code == 0 and "Added 0 hours entries" in out
    assert "The sheet's total is 16.00 hours: 0.00 to add (0 entries)" in out
    assert "  row 12: skipped – column 'Volunteer': A total row" in out


def test_merge_dry_run_then_merge_then_refuse_a_newer_file(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cohesion_desktop.domain import Sector
    from cohesion_desktop.services import partners
    from tests.services.test_merging_properties import copy_file

    run(capsys, "demo", "--data", str(data_file))
    other = copy_file(data_file, tmp_path / "hall" / "cohesion.sqlite")
    with open_store(other) as store, store.session() as session:
        partners.create_partner(session, data=partners.PartnerInput(name="St Mark's Church", sector=Sector.FAITH))

    code, out, _ = run(capsys, "--data", str(data_file), "merge", str(other), "--dry-run")
    assert code == 0 and out.startswith("Dry run: nothing was written.") and "Partners: 1 added" in out
    code, out, _ = run(capsys, "--data", str(data_file), "merge", str(other))
    assert code == 0 and "Partners: 1 added" in out and "A backup of this file was made first" in out
    code, out, _ = run(capsys, "--data", str(data_file), "merge", str(other))
    assert code == 0 and "Nothing to bring over" in out

    with open_store(other) as store, store.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA user_version = 99")
    code, _, err = run(capsys, "--data", str(data_file), "merge", str(other))
    assert code == 1 and "Nothing was merged" in err and "newer version" in err and "restore" not in err


def test_lang_cy_speaks_welsh_in_help_and_in_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as shown:
        main(["--lang", "cy", "--help"])
    out = capsys.readouterr().out
    assert shown.value.code == 0
    assert "defnydd:" in out and "dangos y neges gymorth hon a gadael" in out  # argparse's own words
    assert "creu ffeil ddata newydd, wag" in out  # ours
    with pytest.raises(SystemExit) as refused:
        main(["--lang", "cy", "backup"])
    assert refused.value.code == 2
    assert "mae angen y dadleuon canlynol: --out" in capsys.readouterr().err


def test_an_unknown_language_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["--lang", "xx", "--version"])
    assert refused.value.code == 2 and "--lang" in capsys.readouterr().err


def test_lang_cy_speaks_welsh_in_every_commands_words(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cohesion_desktop import i18n

    try:
        code, out, _ = run(capsys, "--lang", "cy", "--data", str(data_file), "new")
        assert code == 0 and out.strip() == f"Crëwyd y ffeil ddata newydd, wag {data_file}."
        code, _, err = run(capsys, "--lang", "cy", "--data", str(data_file), "new")
        assert code == 1 and f"Mae ffeil ddata yn {data_file} yn barod; gadawyd hi fel yr oedd." in err
        code, out, _ = run(capsys, "--lang", "cy", "--data", str(data_file), "check")
        assert code == 0 and "Ffeil ddata: " in out and "Cywirdeb: iawn" in out and "Copïau wrth gefn: " in out
        # An import's refusal names the sheet, the row and the column, in Welsh.
        sheet = tmp_path / "partneriaid.csv"
        sheet.write_text("Banc Bwyd,Caerdydd\nClwb Ieuenctid,Abertawe\n", encoding="utf-8")
        code, _, err = run(capsys, "--lang", "cy", "--data", str(data_file), "import", "partners", str(sheet))
        assert code == 1 and "Ni chafwyd colofn o enwau sefydliadau yn y ddalen 'partneriaid'" in err
        assert "rhes 1: “Banc Bwyd | Caerdydd”" in err
        with pytest.raises(SystemExit):
            main(["--lang", "cy", "--help"])
        assert "dangos rhif fersiwn y rhaglen a gadael" in capsys.readouterr().out  # argparse's own, fixed at start
        with pytest.raises(SystemExit) as refused:
            main(["--lang", "cy", "demo", "--scale", "0"])
        assert refused.value.code == 2 and "rhaid iddo fod yn 1 neu fwy, nid 0" in capsys.readouterr().err
    finally:
        i18n.set_language("en")
