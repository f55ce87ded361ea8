"""The everyday lists from the command line: `cohesion-desktop export partners|volunteers|mailing|calendar FILE`,
and a workshop's follow-up pack (`export followup ID --out FILE`)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from cohesion_desktop.cli import main
from tests.export.pdf_reading import page_texts


@pytest.fixture
def town(example_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "town.sqlite"
    shutil.copyfile(example_file, copy)
    return copy


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_directory_filtered_in_the_columns_asked_for(
    town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "business.xlsx"
    code, out, _ = run(
        capsys,
        "export",
        "partners",
        str(target),
        "--sector",
        "Business",
        "--columns",
        "Name,Sector,Remit",
        "--data",
        str(town),
    )
    assert code == 0 and "6 of 40 partners; sector: Business" in out
    sheet = load_workbook(target).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Sector", "Remit")
    assert len(rows) == 7 and {row[1] for row in rows[1:]} == {"Business"}

    printed = tmp_path / "youth.pdf"
    code, out, _ = run(
        capsys, "export", "partners", "--out", str(printed), "--theme", "young people", "--data", str(town)
    )
    assert code == 0 and "theme: Young people" in out
    assert "Canal Side Youth Project" in " ".join(page_texts(printed))


def test_a_filter_that_names_nothing_says_what_there_is(
    town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "export", "partners", str(tmp_path / "x.pdf"), "--place", "Atlantis", "--data", str(town)
    )
    assert code == 1 and err.count("\n") == 1 and "no place called “Atlantis”" in err and "Millbrook" in err
    assert not (tmp_path / "x.pdf").exists()


def test_volunteers_contact_details_need_the_flag(
    town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "volunteers.xlsx"
    code, _, err = run(capsys, "export", "volunteers", str(target), "--columns", "Name,Phone", "--data", str(town))
    assert code == 1 and "contact details" in err and not target.exists()
    code, out, _ = run(
        capsys, "export", "volunteers", str(target), "--columns", "Name,Phone", "--contact-details", "--data", str(town)
    )
    assert code == 0 and "personal data" in out
    rows = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Name", "Phone") and len(rows) == 121


def test_the_mailing_list_and_the_calendar(town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mailing = tmp_path / "mailing.csv"
    code, out, _ = run(capsys, "export", "mailing", str(mailing), "--data", str(town))
    assert code == 0 and "agreed to be contacted" in out
    with mailing.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows and all("@" in row["Email Address"] and row["Consent Date"] for row in rows)
    assert len({row["Email Address"].casefold() for row in rows}) == len(rows)

    calendar = tmp_path / "dates.ics"
    code, out, _ = run(capsys, "export", "calendar", str(calendar), "--data", str(town))
    assert code == 0
    events = Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
    assert f"Wrote {len(events)} dates" in out
    kinds = {str(event["CATEGORIES"].cats[0]) for event in events}
    assert kinds == {"Action", "Renewal", "Workshop"}
    again = tmp_path / "again.ics"
    run(capsys, "export", "calendar", str(again), "--data", str(town))
    assert {str(e["UID"]) for e in Calendar.from_ical(again.read_bytes()).walk("VEVENT")} == {
        str(e["UID"]) for e in events
    }

    code, _, err = run(capsys, "export", "calendar", str(tmp_path / "dates.csv"), "--data", str(town))
    assert code == 1 and "written as .ics" in err


def test_a_workshops_follow_up_pack(town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, listed, _ = run(capsys, "workshops", "--data", str(town))
    line = next(line for line in listed.splitlines() if "cohesion roundtable" in line)
    prefix = line.split()[0]
    code, out, _ = run(capsys, "export", "followup", prefix, "--out", str(tmp_path / "roundtable"), "--data", str(town))
    pdf, workbook = tmp_path / "roundtable.pdf", tmp_path / "roundtable.xlsx"
    assert code == 0 and out.strip() == f"Wrote the follow-up pack to {pdf} and {workbook}."
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "Harrowfield cohesion roundtable" in text and "Who attended" in text and "Actions agreed" in text
    assert "Quarterly partnership forum chaired by the council" in text
    assert load_workbook(workbook).sheetnames == ["Workshop", "What was said", "Most voted", "Actions", "Who attended"]

    code, _, err = run(capsys, "export", "followup", "ffffffff", "--out", str(tmp_path / "x.pdf"), "--data", str(town))
    assert code == 1 and "no workshop with the id 'ffffffff'" in err and err.count("\n") == 1
    missing = tmp_path / "nowhere" / "x.pdf"
    code, _, err = run(capsys, "export", "followup", prefix, "--out", str(missing), "--data", str(town))
    assert code == 1 and "does not exist" in err and not missing.parent.exists()
