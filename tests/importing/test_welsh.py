"""An import in Welsh: the refusals of a file and the problems of each row are said in Welsh, naming where."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cohesion_desktop import i18n
from cohesion_desktop.importing.columns import RowProblem
from cohesion_desktop.importing.hours import parse_hours
from cohesion_desktop.importing.partners import parse_partners
from cohesion_desktop.importing.spreadsheet import MAX_COLUMNS, ImportFileError, read_sheet

from .builders import write_csv, write_xlsx


@pytest.fixture(autouse=True)
def welsh() -> Iterator[None]:
    i18n.set_language("cy")
    yield
    i18n.set_language("en")


def test_a_sheet_too_wide_is_refused_in_welsh_naming_the_sheet_row_and_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "partneriaid.xlsx", [["Enw"], ["Banc Bwyd"], ["x"] * (MAX_COLUMNS + 1)])
    with pytest.raises(ImportFileError) as refused:
        read_sheet(path)
    assert str(refused.value).startswith(
        f"Mae gan y ddalen 'Partners' yn partneriaid.xlsx destun y tu hwnt i golofn {MAX_COLUMNS} ar res 3;"
    )


def test_a_csv_file_is_refused_in_welsh_as_a_file_not_a_sheet(tmp_path: Path) -> None:
    path = tmp_path / "gwag.csv"
    path.write_text(" \n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"^Does dim byd yn gwag\.csv\.$"):
        read_sheet(path)
    with pytest.raises(ImportFileError, match=r"^Mae hen\.xls yn yr hen fformat Excel 97–2003 \(\.xls\)"):
        read_sheet(tmp_path / "hen.xls")


def test_no_header_row_is_refused_in_welsh_with_the_rows_found(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rhestr.csv", [["Banc Bwyd", "Caerdydd"], ["Clwb Ieuenctid", "Abertawe"]])
    with pytest.raises(ImportFileError) as refused:
        parse_partners(read_sheet(path))
    said = str(refused.value)
    assert said.startswith("Ni chafwyd colofn o enwau sefydliadau yn y ddalen 'rhestr'; y rhesi cyntaf oedd: ")
    assert "rhes 1: “Banc Bwyd | Caerdydd”" in said


def test_a_rows_problems_are_said_in_welsh_with_its_row_and_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "partneriaid.csv",
        [
            ["Organisation", "Sector", "Website", "SME?"],
            ["Banc Bwyd", "Ffermio", "dim gwefan yma", "efallai"],
            ["Banc Bwyd", "Faith", "", ""],
        ],
    )
    parsed = parse_partners(read_sheet(path))
    assert RowProblem(2, "Website", "Nid yw “dim gwefan yma” yn gyfeiriad gwe; fe'i gadawyd allan", "warning") in (
        parsed.problems
    )
    assert RowProblem(2, "SME?", "Nid yw “efallai” yn ie nac yn na; cofnodwyd na", "warning") in parsed.problems
    assert RowProblem(3, "Organisation", "Yr un enw â rhes 2", "error") in parsed.problems
    sector = next(problem for problem in parsed.problems if problem.column == "Sector")
    assert sector.message.startswith("Nid yw “Ffermio” yn sector hysbys")
    assert "Y sector gwirfoddol a chymunedol" in sector.message  # the sectors listed in Welsh too


def test_an_hours_row_with_a_bad_date_is_refused_in_welsh(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "oriau.csv",
        [["Name", "Date", "Hours"], ["Aled Jones", "31/02/2026", "2"], ["Aled Jones", "01/03/2030", "2"]],
    )
    parsed = parse_hours(read_sheet(path), today=date(2026, 12, 2))
    messages = {problem.row: problem.message for problem in parsed.problems}
    assert messages[2] == "Nid yw “31/02/2026” yn ddyddiad go iawn (diwrnod 31, mis 2, blwyddyn 2026)."
    assert messages[3] == "Mae 01/03/2030 yn y dyfodol"
