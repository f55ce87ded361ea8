"""The Excel writer, checked by re-opening what it wrote the way a user's spreadsheet would."""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export import xlsx
from cohesion_desktop.export.xlsx import (
    MAX_CELL_CHARS,
    Column,
    PrintLayout,
    TableBlock,
    WorkbookWriter,
    apply_print_layout,
    safe_sheet_title,
    safe_value,
)

FORMULA_LIKE = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+44 7700 900123",
    "-1+1",
    "- a bullet point",
    "@SUM(A1:A2)",
    "\t=1+1",
]
ERROR_LIKE = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA", "#n/a"]


def write_values(path: Path, values: Sequence[object]) -> Worksheet:
    """Write ``values`` as one column of a table sheet and return the re-opened sheet (data from row 2)."""
    with WorkbookWriter(path) as book:
        book.add_table_sheet("Values", [Column("Value")], [[value] for value in values])
    return load_workbook(path).worksheets[0]


def data_cells(sheet: Worksheet) -> list:
    return [row[0] for row in sheet.iter_rows(min_row=2)]


def rows_that_fail(after: int) -> Iterator[list[object]]:
    for number in range(after):
        yield [f"Partner {number}", number]
    raise OSError("the database went away")


# --- text that must stay text ---------------------------------------------------------------------------


def test_formula_like_text_comes_back_as_the_same_text(tmp_path: Path) -> None:
    cells = data_cells(write_values(tmp_path / "out.xlsx", FORMULA_LIKE))

    assert [cell.value for cell in cells] == FORMULA_LIKE
    assert [cell.data_type for cell in cells] == ["s"] * len(FORMULA_LIKE)
    # Excel's own mark for "typed with a leading apostrophe": shown as typed, stays text when edited.
    assert all(cell.quotePrefix for cell in cells)


def test_a_partner_named_like_a_formula_is_not_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    (cell,) = data_cells(write_values(path, ['=HYPERLINK("http://x","y")']))

    assert cell.data_type != "f"
    assert cell.value == '=HYPERLINK("http://x","y")'
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_a_leading_carriage_return_becomes_a_line_break_and_stays_text(tmp_path: Path) -> None:
    (cell,) = data_cells(write_values(tmp_path / "out.xlsx", ["\r=1+1"]))

    # A cell starting with a line break cannot start a formula, so it needs no mark.
    assert (cell.value, cell.data_type) == ("\n=1+1", "s")


def test_error_like_text_comes_back_as_text_not_errors(tmp_path: Path) -> None:
    cells = data_cells(write_values(tmp_path / "out.xlsx", ERROR_LIKE))

    assert [cell.value for cell in cells] == ERROR_LIKE
    assert [cell.data_type for cell in cells] == ["s"] * len(ERROR_LIKE)
    assert all(cell.quotePrefix for cell in cells)


def test_ordinary_text_carries_no_mark(tmp_path: Path) -> None:
    (cell,) = data_cells(write_values(tmp_path / "out.xlsx", ["Kirklees Council #1 partner - since 2019"]))

    assert (cell.value, cell.data_type, cell.quotePrefix) == ("Kirklees Council #1 partner - since 2019", "s", False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Line one\x0bLine two", "Line one\nLine two"),  # Word's manual line break
        ("Page one\x0cPage two", "Page one\nPage two"),
        ("Windows\r\nline\rends", "Windows\nline\nends"),
        ("bell\x07 nul\x00 unit\x1f", "bell_x0007_ nul_x0000_ unit_x001F_"),  # decoded by Excel and LibreOffice
        ("literal _x0041_ stays", "literal _x005F_x0041_ stays"),  # shown as "_x0041_", not "A"
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("not a character \ufffe\ud800", "not a character \ufffd\ufffd"),
    ],
)
def test_control_characters_do_not_crash_and_come_back_as_documented(tmp_path: Path, typed: str, stored: str) -> None:
    (cell,) = data_cells(write_values(tmp_path / "out.xlsx", [typed]))

    assert cell.value == stored
    assert safe_value(typed) == stored


def test_text_in_any_script_round_trips_unchanged(tmp_path: Path) -> None:
    texts = [
        "Cymdeithas Gymunedol — Siân, Ŵyn a Gwenllïan",
        "مركز المجتمع في هدرسفيلد",
        "社区中心与志愿者",
        "Tea & chat ☕🙂👩🏽‍🤝‍👩🏻",
        "  leading and trailing spaces  ",
        '<b>not markup</b> & "quotes"',
    ]

    cells = data_cells(write_values(tmp_path / "out.xlsx", texts))

    assert [cell.value for cell in cells] == texts


def test_text_longer_than_a_cell_is_cut_with_a_visible_note(tmp_path: Path) -> None:
    remit = "".join(chr(ord("a") + number % 26) for number in range(40_000))

    (cell,) = data_cells(write_values(tmp_path / "out.xlsx", [remit]))

    kept, note = cell.value.split(" … [truncated: ")
    assert len(cell.value) <= MAX_CELL_CHARS
    assert remit.startswith(kept)
    assert note == f"{len(remit) - len(kept):,} more characters]"
    assert len(remit) - len(kept) > 7_233  # 40,000 − 32,767, plus the room the note takes


def test_text_that_fits_by_characters_but_not_by_utf16_units_is_cut_too(tmp_path: Path) -> None:
    emoji = "🙂" * 20_000  # 40,000 UTF-16 units, which is what Excel counts

    (cell,) = data_cells(write_values(tmp_path / "out.xlsx", [emoji]))

    assert len(cell.value.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS
    assert "truncated" in cell.value
    assert cell.value.startswith("🙂" * 16_000)


def test_text_with_escapes_near_the_limit_stays_within_it() -> None:
    text = "\x07" * 30_000  # each becomes seven characters in the file

    stored = safe_value(text)

    assert isinstance(stored, str) and len(stored) <= MAX_CELL_CHARS
    assert stored.startswith("_x0007_" * 4_000)
    assert stored.endswith(" more characters]")


# --- numbers, dates and the rest ----------------------------------------------------------------------------


def test_values_keep_their_types(tmp_path: Path) -> None:
    aware = datetime(2025, 3, 14, 18, 30, tzinfo=UTC)
    values = [
        42,
        2.5,
        Decimal("1234.56"),
        date(2025, 3, 14),
        datetime(2025, 3, 14, 9, 15),
        aware,
        None,
        "",
        True,
        False,
        float("nan"),
        Sector.FAITH,
    ]

    cells = data_cells(write_values(tmp_path / "out.xlsx", values))

    assert [(cell.value, cell.data_type) for cell in cells[:3]] == [(42, "n"), (2.5, "n"), (1234.56, "n")]
    day, moment, local = cells[3:6]
    assert day.is_date and day.value == datetime(2025, 3, 14) and day.number_format == "dd/mm/yyyy"
    assert moment.is_date and moment.value == datetime(2025, 3, 14, 9, 15)
    assert moment.number_format == "dd/mm/yyyy hh:mm"
    # Excel has no time zones: the time the user saw in the app, in this computer's zone.
    assert local.value == aware.astimezone().replace(tzinfo=None)
    assert [cell.value for cell in cells[6:]] == [None, None, "Yes", "No", None, "faith"]


def test_a_column_number_format_applies_to_its_numbers_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with WorkbookWriter(path) as book:
        columns = [Column("Amount", number_format="£#,##0.00"), Column("Month", number_format="mmm yyyy")]
        book.add_table_sheet("Money", columns, [[1250, date(2025, 4, 1)], [Decimal("99.5"), date(2025, 5, 1)]])
    sheet = load_workbook(path).worksheets[0]

    assert [cell.number_format for cell in sheet["A"][1:]] == ["£#,##0.00", "£#,##0.00"]
    assert [cell.number_format for cell in sheet["B"][1:]] == ["mmm yyyy", "mmm yyyy"]
    assert sheet["B2"].is_date


def test_safe_value_refuses_what_no_cell_can_hold() -> None:
    with pytest.raises(TypeError, match="cannot hold object"):
        safe_value(object())
    assert safe_value(float("inf")) is None
    assert safe_value(Decimal("NaN")) is None


# --- table sheets ---------------------------------------------------------------------------------------------


def test_a_table_sheet_is_ready_to_filter_and_read(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    columns = [Column("Partner"), Column("Remit", wrap=True), Column("Hours", width=9)]
    rows = [
        ["Kirklees Council", "Community cohesion across the district " * 5, 12.5],
        ["Huddersfield Town Foundation", "Sport for young people", 3],
        ["St Paul's Church", None, 0],
    ]
    with WorkbookWriter(path) as book:
        written = book.add_table_sheet("Partners", columns, rows)
    sheet = load_workbook(path).worksheets[0]

    assert written == 3
    assert [cell.value for cell in sheet[1]] == ["Partner", "Remit", "Hours"]
    header = sheet["A1"]
    assert header.font.bold and header.font.color.rgb == "00FFFFFF"
    assert header.fill.fgColor.rgb == "001F4E78" and header.border.bottom.style == "thin"
    assert sheet.freeze_panes == "A2"
    (table,) = sheet.tables.values()
    assert table.ref == "A1:C4" and table.tableStyleInfo.name == "TableStyleMedium2"
    assert [column.name for column in table.tableColumns] == ["Partner", "Remit", "Hours"]
    # The filter buttons belong to the table: a sheet-level filter over a table makes Excel repair the file.
    assert table.autoFilter.ref == "A1:C4"
    assert sheet.auto_filter.ref is None
    assert sheet.column_dimensions["A"].width == pytest.approx(len("Huddersfield Town Foundation") + 2)
    assert sheet.column_dimensions["B"].width == 50  # wrapped text wraps rather than widening
    assert sheet.column_dimensions["C"].width == 9
    assert sheet["B2"].alignment.wrap_text and not sheet["A2"].alignment.wrap_text


def test_sheets_keep_their_order_and_get_titles_excel_accepts(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with WorkbookWriter(path) as book:
        book.add_sheet("Summary")
        book.add_table_sheet("Workshops", [Column("Title")], [["Belong roundtable"]])
        book.add_table_sheet("workshops", [Column("Title")], [["Second"]])
        book.add_table_sheet("Q1/Q2 [draft]: partners*?", [Column("Name")], [["x"]])
        book.add_table_sheet("A1", [Column("Name")], [["x"]])
        titles = book.sheet_titles
    workbook = load_workbook(path)

    assert workbook.sheetnames == titles == ["Summary", "Workshops", "workshops (2)", "Q1-Q2 (draft)- partners", "A1"]
    table_names = [next(iter(sheet.tables)) for sheet in workbook.worksheets[1:]]
    assert table_names == ["Workshops", "workshops_2", "Q1_Q2_draft_partners", "Table_A1"]


@pytest.mark.parametrize(
    ("title", "taken", "expected"),
    [
        ("Partners", set(), "Partners"),
        ("Partners", {"PARTNERS"}, "Partners (2)"),
        ("Partners", {"Partners", "Partners (2)"}, "Partners (3)"),
        ("A very long sheet title that Excel will not take", set(), "A very long sheet title that Ex"),
        (
            "A very long sheet title that Excel will not take",
            {"A very long sheet title that Ex"},
            "A very long sheet title tha (2)",
        ),
        ("'quoted'", set(), "quoted"),
        ("", set(), "Sheet"),
        ("History", set(), "History (2)"),
        ("Tab\tname\nhere", set(), "Tab name here"),
    ],
)
def test_safe_sheet_title(title: str, taken: set[str], expected: str) -> None:
    assert safe_sheet_title(title, taken) == expected
    assert len(expected) <= 31


def test_an_empty_table_sheet_still_makes_a_valid_workbook(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with WorkbookWriter(path) as book:
        written = book.add_table_sheet("Volunteers", [Column("Name"), Column("Hours")], [])
    sheet = load_workbook(path).worksheets[0]

    assert written == 0
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Name", "Hours"],
        ["No data in this period", None],
    ]
    assert not sheet.tables and sheet.freeze_panes == "A2"


def test_rows_must_match_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with pytest.raises(ValueError), WorkbookWriter(path) as book:
        book.add_table_sheet("Partners", [Column("Name"), Column("Sector")], [["Only a name"]])
    assert not path.exists()


def test_more_rows_than_a_sheet_holds_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 11)
    path = tmp_path / "out.xlsx"
    with pytest.raises(CohesionError, match="more than 10 rows"), WorkbookWriter(path) as book:
        book.add_table_sheet("Hours", [Column("Hours")], [[number] for number in range(11)])
    assert not path.exists()


def test_progress_is_reported_every_5000_rows_and_at_the_end(tmp_path: Path) -> None:
    seen: list[int] = []
    with WorkbookWriter(tmp_path / "out.xlsx") as book:
        book.add_table_sheet("Hours", [Column("Hours")], ([number] for number in range(12_000)), progress=seen.append)

    assert seen == [5_000, 10_000, 12_000]


def test_tables_side_by_side_share_the_frozen_header_row_and_each_filter_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    months = [[date(2026, month, 1), month * 10.5] for month in range(1, 4)]
    partners = ([f"Partner number {number}", number] for number in range(5))  # read as it is written
    with WorkbookWriter(path) as book:
        written = book.add_tables_sheet(
            "Volunteering hours",
            [
                TableBlock([Column("Month", number_format="mmm yyyy"), Column("Hours")], months, table_name="ByMonth"),
                TableBlock([Column("Partner"), Column("Hours", number_format="0.0")], partners, table_name="ByPartner"),
                TableBlock([Column("Volunteer")], [], table_name="ByVolunteer", empty_text="No names asked for"),
            ],
        )
    sheet = load_workbook(path).worksheets[0]

    assert written == [3, 5, 0]
    assert [cell.value for cell in sheet[1]] == ["Month", "Hours", None, "Partner", "Hours", None, "Volunteer"]
    assert sheet["A1"].font.bold and sheet["D1"].fill.fgColor.rgb == "001F4E78" and sheet["C1"].value is None
    assert sheet.freeze_panes == "A2"
    assert dict(sheet.tables.items()) == {"ByMonth": "A1:B4", "ByPartner": "D1:E6"}  # name → ref
    assert sheet.tables["ByPartner"].autoFilter.ref == "D1:E6"
    assert sheet["A2"].is_date and sheet["A2"].number_format == "mmm yyyy" and sheet["B4"].value == 31.5
    assert sheet["E6"].value == 4 and sheet["E6"].number_format == "0.0"
    assert sheet["A5"].value is None and sheet["D6"].value == "Partner number 4"
    assert sheet["G2"].value == "No names asked for" and sheet["G2"].font.italic and sheet["G3"].value is None
    assert sheet.column_dimensions["D"].width == len("Partner number 0") + 2  # each block's own widths


def test_side_by_side_tables_with_no_rows_at_all_still_say_so(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with WorkbookWriter(path) as book:
        written = book.add_tables_sheet(
            "Hours", [TableBlock([Column("Month")], []), TableBlock([Column("Partner")], [])]
        )
    sheet = load_workbook(path).worksheets[0]

    assert written == [0, 0] and not sheet.tables
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Month", None, "Partner"],
        ["No data in this period", None, "No data in this period"],
    ]


def test_side_by_side_tables_check_their_rows_and_blocks(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with pytest.raises(ValueError), WorkbookWriter(path) as book:
        book.add_tables_sheet("Hours", [TableBlock([Column("Month"), Column("Hours")], [["Jan"]])])
    assert not path.exists()
    with pytest.raises(ValueError), WorkbookWriter(path) as book:
        book.add_tables_sheet("Hours", [])
    assert not path.exists()


def test_cancelling_side_by_side_tables_leaves_nothing(tmp_path: Path, scratch: Path) -> None:
    target = tmp_path / "funder.xlsx"
    seen: list[int] = []

    def cancel(rows_written: int) -> None:
        seen.append(rows_written)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), WorkbookWriter(target) as book:
        book.add_tables_sheet(
            "Hours",
            [
                TableBlock([Column("N")], ([n] for n in range(3))),
                TableBlock([Column("M")], ([n] for n in range(6_000))),
            ],
            progress=cancel,
        )

    assert seen == [5_000]
    assert not target.exists() and list(scratch.iterdir()) == []


# --- nothing half-written -------------------------------------------------------------------------------------


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where openpyxl streams its sheets, so a test can see that nothing is left there."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_failing_row_source_leaves_no_file(tmp_path: Path, scratch: Path) -> None:
    target = tmp_path / "exports" / "funder.xlsx"
    target.parent.mkdir()

    with pytest.raises(OSError, match="went away"), WorkbookWriter(target) as book:
        book.add_table_sheet("Partners", [Column("Name"), Column("Number")], rows_that_fail(after=7_000))

    assert list(target.parent.iterdir()) == []
    assert list(scratch.iterdir()) == []


def test_a_failure_leaves_an_existing_file_unchanged(tmp_path: Path, scratch: Path) -> None:
    target = tmp_path / "exports" / "funder.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"last quarter's report")

    with pytest.raises(OSError), WorkbookWriter(target) as book:
        book.add_table_sheet("Summary", [Column("Name"), Column("Number")], [["ok", 1]])
        book.add_table_sheet("Partners", [Column("Name"), Column("Number")], rows_that_fail(after=10))

    assert target.read_bytes() == b"last quarter's report"
    assert [path.name for path in target.parent.iterdir()] == ["funder.xlsx"]
    assert list(scratch.iterdir()) == []


def test_cancelling_from_progress_leaves_an_existing_file_unchanged(tmp_path: Path, scratch: Path) -> None:
    target = tmp_path / "funder.xlsx"
    target.write_bytes(b"last quarter's report")

    def cancel(rows_written: int) -> None:
        raise KeyboardInterrupt  # what a Cancel button's flag turns into; BaseException, not Exception

    with pytest.raises(KeyboardInterrupt), WorkbookWriter(target) as book:
        book.add_table_sheet("Hours", [Column("Hours")], ([number] for number in range(6_000)), progress=cancel)

    assert target.read_bytes() == b"last quarter's report"
    assert list(scratch.iterdir()) == []


def test_a_failed_save_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "exports" / "funder.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"last quarter's report")
    book = WorkbookWriter(target)
    book.add_table_sheet("Hours", [Column("Hours")], [[1]])

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        book.save()

    assert [path.name for path in target.parent.iterdir()] == ["funder.xlsx"]
    assert target.read_bytes() == b"last quarter's report"


def test_a_workbook_with_a_failed_sheet_cannot_be_saved(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    book = WorkbookWriter(tmp_path / "exports" / "out.xlsx")
    with pytest.raises(OSError):
        book.add_table_sheet("Partners", [Column("Name"), Column("Number")], rows_that_fail(after=3))

    with pytest.raises(RuntimeError, match="failed half-way"):
        book.save()
    book.discard()
    assert list((tmp_path / "exports").iterdir()) == []


# --- free layouts, printing and charts ----------------------------------------------------------------------


def test_a_summary_page_with_styled_cells_prints_on_one_a4_page_and_carries_a_chart(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with WorkbookWriter(path) as book:
        sheet = book.add_sheet("Summary", print_layout=PrintLayout(landscape=True, one_page=True))
        sheet.column_dimensions["A"].width = 30
        sheet.append([book.cell(sheet, "Funder summary", bold=True, font_size=16)])
        sheet.append(
            [
                book.cell(sheet, "=SUM(1)", fill="DDEBF7", border=True),
                book.cell(sheet, 0.25, number_format="0%"),
                book.cell(sheet, None, fill="DDEBF7"),
            ]
        )
        for sector, partners in [("Faith", 4), ("Business", 7), ("Voluntary and community sector", 12)]:
            sheet.append([sector, partners])
        chart = BarChart()
        chart.title = "Partners by sector"
        chart.add_data(Reference(sheet, min_col=2, min_row=3, max_row=5))
        chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=5))
        sheet.add_chart(chart, "D2")
    summary = load_workbook(path)["Summary"]

    title, formula_like, share, blank = summary["A1"], summary["A2"], summary["B2"], summary["C2"]
    assert title.font.bold and title.font.size == 16
    assert (formula_like.value, formula_like.data_type, formula_like.quotePrefix) == ("=SUM(1)", "s", True)
    assert formula_like.fill.fgColor.rgb == "00DDEBF7" and formula_like.border.left.style == "thin"
    assert share.value == 0.25 and share.number_format == "0%"
    assert blank.value is None and blank.fill.fgColor.rgb == "00DDEBF7"
    setup = summary.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 1)
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert len(summary._charts) == 1


def test_a_printed_table_repeats_its_header_and_is_one_page_wide(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with WorkbookWriter(path) as book:
        book.add_table_sheet("Partners", [Column("Name")], [["x"]], print_layout=PrintLayout())
    sheet = load_workbook(path).worksheets[0]

    assert sheet.print_title_rows == "$1:$1"
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (
        "portrait",
        1,
        0,
    )


def test_the_print_layout_must_come_before_the_rows(tmp_path: Path) -> None:
    book = WorkbookWriter(tmp_path / "out.xlsx")
    sheet = book.add_sheet("Summary")
    sheet.append(["already written"])

    with pytest.raises(RuntimeError, match="before writing its first row"):
        apply_print_layout(sheet, PrintLayout())
    book.discard()


# --- what a real spreadsheet application reads -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "check.xlsx"
    with WorkbookWriter(path) as book:
        book.add_table_sheet(
            "Partners",
            [Column("Name"), Column("Joined"), Column("Count")],
            [
                [text, date(2025, 3, 14), 3]
                for text in ['=HYPERLINK("http://x","y")', "=1+1", "#N/A", "bell\x07", "lit _x0041_", "a\x0bb"]
            ],
        )
        book.add_table_sheet("Empty", [Column("Name")], [])

    # 44,34,76: comma, quote, UTF-8; the ninth field exports values as shown; -1 writes every sheet.
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            options,
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )

    with open(tmp_path / "check-Partners.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert [row[0] for row in rows] == [
        "Name",
        '=HYPERLINK("http://x","y")',
        "=1+1",
        "#N/A",
        "bell\x07",
        "lit _x0041_",
        "a\nb",
    ]
    assert rows[1][1:] == ["14/03/2025", "3"]
    with open(tmp_path / "check-Empty.csv", encoding="utf-8", newline="") as file:
        assert list(csv.reader(file)) == [["Name"], ["No data in this period"]]


def test_timedelta_is_refused_until_someone_needs_it() -> None:
    with pytest.raises(TypeError):
        safe_value(timedelta(hours=2))
