"""Files of a few kilobytes made to keep an import busy for minutes: each is read or refused, with what and where.

Every file is made in the test. Before the bounds each of these took minutes (measured on the CLI:
merged ranges > 2 min, formatted cells in column XFD > 2 min, a 64 KB CSV line 58 s, nesting 21 s, a
cell listing 800 themes on 2,000 rows > 2 min). The outcome is asserted, not the time: the timeout
marker is only a backstop so that a regression fails instead of hanging.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cohesion_desktop.importing import spreadsheet
from cohesion_desktop.importing.partners import MAX_LIST_ITEMS, parse_partners
from cohesion_desktop.importing.spreadsheet import ImportFileError, read_sheet
from tests.importing.builders import rewrite_member, write_csv, write_xlsx

pytestmark = pytest.mark.timeout(60)

SHEET = "xl/worksheets/sheet1.xml"


def _sheet_xml(rows: bytes, after: bytes = b"") -> bytes:
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Organisation</t></is></c></row>'
        + rows
        + b"</sheetData>"
        + after
        + b"</worksheet>"
    )


def _workbook(tmp_path: Path, name: str, sheet_xml: bytes) -> Path:
    path = write_xlsx(tmp_path / name, [["Organisation"], ["Acme"]])
    return rewrite_member(path, SHEET, lambda _xml: sheet_xml)


def _refusal(path: Path) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_sheet(path)
    return str(caught.value)


def test_thousands_of_merged_ranges_over_the_whole_sheet_are_refused(tmp_path: Path) -> None:
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Org %d</t></is></c>'
        b'<c r="GR%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n, n, n)
        for n in range(2, 2000)
    )
    merges = b'<mergeCells count="20000">' + b'<mergeCell ref="A2:GR100000"/>' * 20_000 + b"</mergeCells>"
    path = _workbook(tmp_path, "merges.xlsx", _sheet_xml(rows, merges))
    assert path.stat().st_size < 100_000

    assert _refusal(path) == (
        "Sheet 'Partners' in merges.xlsx has merged cells that overlap or cover more cells than the sheet has, "
        "which Excel never writes. It may be damaged. Unmerge the cells in Excel (select all, then Home → Merge & "
        "Center → Unmerge Cells), save, and try again."
    )


def test_real_merged_cells_are_still_spread(tmp_path: Path) -> None:
    rows = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c><c r="B2" t="inlineStr"><is><t>Yes</t></is>'
        b'</c></row><row r="3"><c r="A3" t="inlineStr"><is><t>Bolt</t></is></c></row>'
    )
    path = _workbook(tmp_path, "merged.xlsx", _sheet_xml(rows, b'<mergeCells><mergeCell ref="B2:B3"/></mergeCells>'))

    assert read_sheet(path).rows == [["Organisation", ""], ["Acme", "Yes"], ["Bolt", "Yes"]]


def test_formatted_cells_in_the_last_column_of_every_row_cost_nothing(tmp_path: Path) -> None:
    # openpyxl's iter_rows made 16,384 cells for each of these rows.
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Org %d</t></is></c><c r="XFD%d" s="1"/></row>' % (n, n, n, n)
        for n in range(2, 20_002)
    )
    path = _workbook(tmp_path, "wide.xlsx", _sheet_xml(rows))

    sheet = read_sheet(path)
    assert len(sheet.rows) == 20_001 and {len(row) for row in sheet.rows} == {1}
    assert sheet.rows[-1] == ["Org 20001"]


def test_a_row_numbered_past_the_limit_is_refused_without_making_the_rows_before_it(tmp_path: Path) -> None:
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Hidden</t></is></c></row>'
    path = _workbook(
        tmp_path, "far.xlsx", _sheet_xml(b'<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c></row>' + far)
    )

    assert _refusal(path) == (
        "Sheet 'Partners' in far.xlsx goes on past row 100,000, the most that can be imported. "
        "Delete the rows below your list (or split it into smaller sheets) and try again."
    )


def test_blank_formatted_rows_far_below_the_list_are_ignored(tmp_path: Path) -> None:
    blank = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % n for n in range(1_000_000, 1_048_577, 997))
    path = _workbook(
        tmp_path,
        "formatted.xlsx",
        _sheet_xml(b'<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c></row>' + blank),
    )

    assert read_sheet(path).rows == [["Organisation"], ["Acme"]]


def test_deeply_nested_xml_is_refused_naming_the_part(tmp_path: Path) -> None:
    deep = b"<x>" * 200_000 + b"</x>" * 200_000
    path = _workbook(
        tmp_path,
        "deep.xlsx",
        _sheet_xml(b'<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is>' + deep + b"</c></row>"),
    )
    assert path.stat().st_size < 20_000

    assert _refusal(path) == (
        "deep.xlsx cannot be read: its part 'xl/worksheets/sheet1.xml' nests elements more than 100 deep, which no "
        "spreadsheet program writes. It may be damaged or made to overload the import; open it in Excel, save it "
        "again, and try again."
    )


def test_a_small_file_that_unpacks_hundreds_of_times_its_size_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "strings.xlsx", [["Organisation"], ["Acme"]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + b"<si><t>aaaaaaaaaa</t></si>" * 400_000
            + b"</sst>",
        )
    size = path.stat().st_size

    message = _refusal(path)
    assert message.startswith(f"strings.xlsx is {round(size / 1024)} KB but would unpack to 10 MB, ")
    assert "times its size (workbooks unpack to at most about 100 times theirs)" in message


def test_a_real_workbook_is_within_the_unpacking_ratio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet, "UNPACKED_ALLOWANCE", 512 * 1024)
    rows = [["Organisation", "Sector", "Notes"]] + [
        [f"Group {n}", "Charity", "Meets on Tuesdays " * 5] for n in range(5_000)
    ]
    path = write_xlsx(tmp_path / "real.xlsx", rows)
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    assert unpacked > spreadsheet.UNPACKED_ALLOWANCE  # the ratio, not the allowance, is what lets it through

    assert len(read_sheet(path).rows) == 5_001


def test_two_sheets_that_are_one_part_are_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "twins.xlsx", [["Organisation"], ["Acme"]], extra_sheets=["Copy"])
    rewrite_member(
        path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(b"worksheets/sheet2.xml", b"worksheets/sheet1.xml")
    )

    assert _refusal(path) == (
        "twins.xlsx cannot be read: two of its sheets are the same part "
        "('/xl/worksheets/sheet1.xml'), which Excel never writes. It may be damaged; open it "
        "in Excel, save it again, and try again."
    )


def test_a_csv_line_that_defeats_the_delimiter_sniffer_is_read_at_once(tmp_path: Path) -> None:
    # csv.Sniffer's expressions took 58 s over a 64 KB line of these.
    path = tmp_path / "quotes.csv"
    path.write_text("Organisation,Sector\n" + ',"a' * 21_000 + "\n", encoding="utf-8")

    assert _refusal(path) == (
        "quotes.csv has text beyond column 200 on row 2; at most 200 columns can be imported. "
        "Delete the extra columns and try again."
    )


def test_a_paragraph_in_the_name_column_is_refused_before_it_is_compared(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "long.csv", [["Organisation", "Sector"], ["word " * 1_000, "Charity"], ["Acme", "Business"]]
    )

    parsed = parse_partners(read_sheet(path))
    assert [record.name for record in parsed.records] == ["Acme"]
    assert [(p.row, p.column, p.message) for p in parsed.problems if p.severity == "error"] == [
        (2, "Organisation", "The name is 4,999 characters long; at most 200 are allowed")
    ]


def test_a_cell_listing_hundreds_of_themes_keeps_the_first_few(tmp_path: Path) -> None:
    themes = ",".join(f"T{n}" for n in range(800))  # under the 5,000 characters a cell may hold
    path = write_csv(tmp_path / "themes.csv", [["Organisation", "Themes"], ["Acme", themes]])

    parsed = parse_partners(read_sheet(path))
    assert parsed.records[0].themes == tuple(f"T{n}" for n in range(MAX_LIST_ITEMS))
    assert [(p.row, p.column, p.message) for p in parsed.problems if p.column == "Themes"] == [
        (2, "Themes", f"Only the first {MAX_LIST_ITEMS} of the 800 items in “Themes” were kept")
    ]
