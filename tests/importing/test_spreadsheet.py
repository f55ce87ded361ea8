"""Reading .xlsx and .csv files as text, and refusing the ones that cannot be read, with a clear message."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import openpyxl.xml
import openpyxl.xml.functions
import pytest
from openpyxl.styles import PatternFill

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.importing import spreadsheet
from cohesion_desktop.importing.spreadsheet import ImportFileError, Sheet, read_sheet, sheet_names

from .builders import MESSY_MERGES, MESSY_ROWS, rewrite_member, write_csv, write_xlsx

STRIPPED_MESSY_ROWS = [[cell.strip() for cell in row] for row in MESSY_ROWS]


def test_import_file_error_is_a_cohesion_error() -> None:
    assert issubclass(ImportFileError, CohesionError)


def test_openpyxl_parses_workbooks_with_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


# ------------------------------------------------------------------ xlsx


def test_a_messy_sheet_reads_as_text_with_blank_rows_kept_and_merges_repeated(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS, merges=MESSY_MERGES)

    sheet = read_sheet(path)

    assert sheet == Sheet(name="Partners", rows=STRIPPED_MESSY_ROWS)
    assert sheet.rows[0][:5] == ["Harrowfield partners list – updated March"] * 4 + [""]  # merged A1:D1
    assert sheet.rows[4][5] == "Northgate, Eastfield"  # F5, merged down from F4


def test_cells_come_out_as_the_user_would_type_them(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "values.xlsx",
        [
            ["Whole", "Float whole", "Fraction", "Date", "Date and time", "Yes", "No", "Formula", "Spaces"],
            [12, 12.0, 3.5, date(2026, 3, 1), datetime(2026, 3, 1, 14, 30), True, False, "=1+1", "  padded \n"],
        ],
    )
    # openpyxl writes no cached value for a formula, and 12.0 as "12"; other programs write both.
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>").replace(
            b'<c r="B2" t="n"><v>12</v>', b'<c r="B2" t="n"><v>12.0</v>'
        ),
    )

    assert read_sheet(path).rows[1] == [
        "12",
        "12",
        "3.5",
        "2026-03-01",
        "2026-03-01 14:30:00",
        "TRUE",
        "FALSE",
        "2",
        "padded",
    ]


def test_a_formula_without_a_cached_value_reads_as_empty(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "formula.xlsx", [["Organisation", "Sum"], ["Acme", "=1+1"]])

    assert read_sheet(path).rows == [["Organisation", "Sum"], ["Acme", ""]]


def test_sheet_names_and_choosing_a_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", [["Organisation"], ["Acme"]], extra_sheets=["Contacts", "Old list"])

    assert sheet_names(path) == ["Partners", "Contacts", "Old list"]
    assert read_sheet(path).name == "Partners"  # the active sheet when it was saved
    with pytest.raises(ImportFileError) as caught:
        read_sheet(path, "Contacts")
    assert str(caught.value) == "Sheet 'Contacts' in book.xlsx has nothing in it."


def test_an_unknown_sheet_name_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", [["Organisation"], ["Acme"]], extra_sheets=["Contacts"])

    with pytest.raises(ImportFileError) as caught:
        read_sheet(path, "Partners 2025")

    assert str(caught.value) == "book.xlsx has no sheet called 'Partners 2025'. Its sheets are: 'Partners', 'Contacts'."


def test_empty_formatted_cells_far_to_the_right_do_not_widen_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "styled.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Organisation", "Sector"])
    workbook.active.append(["Acme", "Business"])
    workbook.active.cell(row=2, column=16_000).fill = PatternFill("solid", fgColor="FFFF00")
    workbook.save(path)

    assert read_sheet(path).rows == [["Organisation", "Sector"], ["Acme", "Business"]]


def test_a_wrong_declared_dimension_does_not_hide_columns(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "dim.xlsx", [["Organisation", "Sector"], ["Acme", "Business"]])
    rewrite_member(
        path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1"/>')
    )

    assert read_sheet(path).rows == [["Organisation", "Sector"], ["Acme", "Business"]]


# ------------------------------------------------------------------ csv


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-8", ","), ("utf-8-sig", ";"), ("utf-8", "\t")]
)
def test_a_csv_reads_like_the_workbook(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "partners.csv", MESSY_ROWS, encoding=encoding, delimiter=delimiter)

    assert sheet_names(path) == ["partners"]
    assert read_sheet(path) == Sheet(name="partners", rows=STRIPPED_MESSY_ROWS)


def test_a_cp1252_csv_from_excel_on_windows(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "old.csv", [["Organisation", "Notes"], ["Café Écologique", "£5 a week – “cheap”"]], encoding="cp1252"
    )

    assert read_sheet(path).rows == [["Organisation", "Notes"], ["Café Écologique", "£5 a week – “cheap”"]]


def test_semicolons_inside_a_comma_csv_stay_in_their_cell(tmp_path: Path) -> None:
    path = tmp_path / "themes.csv"
    path.write_text(
        "Organisation,Themes,Places\nAcme,Youth; Older people,Northgate\n"
        "Bolt Ltd,Digital skills; Volunteering,Eastfield; Northgate\n",
        encoding="utf-8",
    )

    assert read_sheet(path).rows[2] == ["Bolt Ltd", "Digital skills; Volunteering", "Eastfield; Northgate"]


def test_a_one_column_csv(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Organisation\nAcme\nSt Mary's Church\n", encoding="utf-8")

    assert read_sheet(path).rows == [["Organisation"], ["Acme"], ["St Mary's Church"]]


def test_a_csv_has_one_sheet(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "partners.csv", [["Organisation"], ["Acme"]])

    assert read_sheet(path, "partners").name == "partners"
    with pytest.raises(ImportFileError, match="its only sheet is 'partners', not 'Sheet1'"):
        read_sheet(path, "Sheet1")


# ------------------------------------------------------------------ refused files


def _refused(path: Path, sheet: str | None = None) -> str:
    """The message of the ImportFileError reading ``path`` gives (how fast is for ``make bench``, not a test)."""
    with pytest.raises(ImportFileError) as caught:
        read_sheet(path, sheet)
    return str(caught.value)


NOT_A_WORKBOOK = (
    "{} is not a readable Excel workbook. It may be damaged, or be another kind of file (a Word "
    "document, say) renamed to .xlsx. Open it in Excel, save it as .xlsx, and try again."
)


def test_random_bytes_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(bytes(range(256)) * 40)

    assert _refused(path) == NOT_A_WORKBOOK.format("random.xlsx")
    with pytest.raises(ImportFileError, match="not a readable Excel workbook"):
        sheet_names(path)


def test_a_truncated_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cut.xlsx", MESSY_ROWS)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    assert _refused(path) == NOT_A_WORKBOOK.format("cut.xlsx")


def test_a_word_document_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document xmlns:w='urn:word'/>")

    assert _refused(path) == NOT_A_WORKBOOK.format("letter.xlsx")
    with pytest.raises(ImportFileError, match="letter.xlsx is not a readable Excel workbook"):
        sheet_names(path)


def test_a_damaged_sheet_inside_a_good_zip(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "damaged.xlsx", MESSY_ROWS)
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])

    assert _refused(path) == NOT_A_WORKBOOK.format("damaged.xlsx")


def test_xml_entities_in_a_sheet_are_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "laughs.xlsx", [["Organisation"], ["Acme"]])
    bomb = b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"?>", b"?>" + bomb, 1).replace(b">Acme<", b">&lol2;<"),
    )

    assert _refused(path) == NOT_A_WORKBOOK.format("laughs.xlsx")


def test_an_old_xls_file(tmp_path: Path) -> None:
    path = tmp_path / "partners.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))

    assert _refused(path) == (
        "partners.xls is in the old Excel 97–2003 format (.xls), which cannot be imported. "
        "Open it in Excel and save it as .xlsx first (File → Save As → Excel Workbook)."
    )


def test_an_xls_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "partners.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))

    assert "is an old Excel 97–2003 workbook (.xls) with an .xlsx name" in _refused(path)


def test_a_password_protected_workbook(tmp_path: Path) -> None:
    # Excel saves an encrypted workbook as an OLE file holding "EncryptionInfo" and "EncryptedPackage" streams.
    path = tmp_path / "secret.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(504)
        + "EncryptionInfo".encode("utf-16-le")
        + bytes(64)
        + "EncryptedPackage".encode("utf-16-le")
    )

    message = _refused(path)

    assert message.startswith("secret.xlsx is protected with a password, so it cannot be read.")
    assert "remove the password" in message


@pytest.mark.parametrize("name", ["partners.ods", "partners.txt", "partners.numbers", "partners"])
def test_an_unknown_file_type(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Organisation\nAcme\n", encoding="utf-8")

    assert _refused(path) == (
        f"{name} cannot be imported: only Excel workbooks (.xlsx) and CSV files (.csv) can be read. "
        "Save it as .xlsx from the program that made it first."
    )


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv"])
def test_an_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")

    assert _refused(path) == f"{name} is empty (0 bytes). It may have been cut off while copying or saving."


def test_a_csv_of_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n,,\r\n  \r\n")

    assert _refused(path) == "blank.csv has nothing in it."


def test_a_missing_file(tmp_path: Path) -> None:
    assert _refused(tmp_path / "gone.xlsx").startswith("gone.xlsx could not be opened")


def test_a_workbook_named_csv(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "partners.csv", [["Organisation"], ["Acme"]])

    assert "partners.csv is not a CSV file: it looks like an Excel workbook" in _refused(path)


def test_binary_data_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    assert _refused(path) == "image.csv is not a CSV file: it contains binary data, not text."


def test_a_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "huge.csv"
    path.write_bytes(b"Organisation\n" + b"Acme\n" * 1_000_000)

    assert _refused(path) == (
        "huge.csv is 5 MB; files over 2 MB cannot be imported. "
        "Copy the partners into a new, smaller workbook and import that."
    )


def test_a_zip_bomb_is_refused_from_its_directory_before_unpacking(tmp_path: Path) -> None:
    # A real workbook whose sheet XML unpacks to 300 MB (trailing spaces after the root are valid XML).
    path = write_xlsx(tmp_path / "bomb.xlsx", [["Organisation"], ["Acme"]])
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(parts["xl/worksheets/sheet1.xml"])
            for _ in range(300):
                member.write(b" " * 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024

    assert _refused(path) == (
        "bomb.xlsx would unpack to 300 MB, more than the 200 MB that can be imported. It may be damaged; "
        "if it is a real workbook, copy the partners into a new, smaller workbook and import that."
    )


def test_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 50)
    rows = [["Organisation"]] + [[f"Partner {n}"] for n in range(60)]
    xlsx = write_xlsx(tmp_path / "long.xlsx", rows)
    csv_file = write_csv(tmp_path / "long.csv", rows)

    assert _refused(xlsx) == (
        "Sheet 'Partners' in long.xlsx goes on past row 50, the most that can be imported. "
        "Delete the rows below your list (or split it into smaller sheets) and try again."
    )
    assert _refused(csv_file).startswith("long.csv goes on past row 50")


def test_exactly_the_row_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 50)
    rows = [["Organisation"]] + [[f"Partner {n}"] for n in range(49)]

    assert len(read_sheet(write_xlsx(tmp_path / "fifty.xlsx", rows)).rows) == 50


def test_too_many_columns(tmp_path: Path) -> None:
    rows = [[f"Column {n}" for n in range(1, 251)], ["Acme"] + [""] * 249]

    assert _refused(write_xlsx(tmp_path / "wide.xlsx", rows)) == (
        "Sheet 'Partners' in wide.xlsx has text beyond column 200 on row 1; at most 200 columns can be imported. "
        "Delete the extra columns and try again."
    )
    assert _refused(write_csv(tmp_path / "wide.csv", rows)).startswith("wide.csv has text beyond column 200 on row 1")
