"""Messy spreadsheets built in the test, as a coordinator would make them by hand (no binary fixtures)."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import range_boundaries

TITLE = "Harrowfield partners list – updated March"
HEADERS = [
    "Organisation ",
    "Sector",
    "SME?",
    "What they do",
    "Themes",
    "Places served",
    "Website",
    "Stage",
    "Main contact",
    "E-mail",
    "Phone",
    "Notes",
]
# Rows as Excel numbers them, 1 to 20. Cells covered by a merge hold the merged value here (that is what
# reading must give back); write_xlsx blanks them and merges, as Excel stores a merged range.
MESSY_ROWS: list[list[str]] = [
    [TITLE, TITLE, TITLE, TITLE, "", "", "", "", "", "", "", ""],
    [""] * 12,
    HEADERS,
    [
        "St Mary's Church  ",
        "Church",
        "no",
        "Lunch club and food bank",
        "Social isolation and loneliness; Older people",
        "Northgate, Eastfield",
        "www.stmarys-harrowfield.org.uk",
        "Active partner",
        "Revd  Ann Jones",
        "ann@stmarys.org.uk",
        "01632 960001",
        "",
    ],
    [
        "Millbrook Primary School",
        "school",
        "",
        "Primary school",
        "Young people",
        "Northgate, Eastfield",
        "N/A",
        "identified",
        "Mr T. Patel",
        "office@millbrook.sch.uk",
        "",
        "Summer fair",
    ],
    [""] * 12,
    [
        "Kirklees Council",
        "COUNCIL",
        "",
        "Local services",
        "Civic engagement",
        "Kirklees",
        "https://www.kirklees.gov.uk",
        "In conversation",
        "",
        "",
        "",
        "",
    ],
    ["Harrowfield Mosque", "Mosque ", "", "", "Social mixing", "Eastfield", "", "", "", "", "", ""],
    ["Ysgol Gymraeg Llanfair", "SCHOOL ", "", "", "ESOL and language", "Llanfair", "", "", "", "", "", ""],
    ["Cymdeithas Tai Cymru", "Charity", "", "", "Housing", "", "", "", "", "", "", ""],
    ["Café Écologique", "third sector", "", "", "Climate justice", "", "", "", "Zoë", "hello@cafe", "", ""],
    ["Łódź Polish Club", "N/A", "", "", "Migration and integration", "", "", "", "", "", "", ""],
    ["", "LA", "", "", "", "", "", "", "", "", "", "Who is this?"],
    ["St  Mary's church", "Church", "", "", "", "", "", "", "", "", "", ""],
    ["Northgate Medical Practice", "NHS", "", "", "Health inequalities", "Northgate", "", "", "", "", "", ""],
    ["Harrowfield Borough Council", "la", "", "", "", "", "", "", "", "", "", ""],
    [""] * 12,
    ["Acme Widgets Ltd", "Business", "Yes", "", "Economic participation", "", "see notes", "Keen", "", "", "", ""],
    ["The Red Lion Ltd", "Pub", "", "", "", "", "", "", "", "", "", ""],
    ["Harrowfield Youth Trust", "", "maybe", "", "", "", "", "", "", "", "", ""],
]
MESSY_MERGES = ["A1:D1", "F4:F5"]


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    merges: Sequence[str] = (),
    sheet: str = "Partners",
    extra_sheets: Sequence[str] = (),
) -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row_number, cells in enumerate(rows, start=1):
        for column_number, value in enumerate(cells, start=1):
            if value != "":
                worksheet.cell(row=row_number, column=column_number, value=value)
    for ref in merges:
        first_column, first_row, last_column, last_row = range_boundaries(ref)
        for row in worksheet.iter_rows(min_row=first_row, max_row=last_row, min_col=first_column, max_col=last_column):
            for cell in row:
                if (cell.row, cell.column) != (first_row, first_column):
                    cell.value = None
        worksheet.merge_cells(ref)
    for name in extra_sheets:
        workbook.create_sheet(name)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[str]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return path


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of an .xlsx in place, to make what openpyxl would never write."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path
