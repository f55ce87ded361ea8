"""Messy spreadsheets built in the test, as a coordinator would make them by hand (no binary fixtures)."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
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


# ------------------------------------------------------------------ volunteers and hours

VOLUNTEER_TITLE = "Volunteers – copied from the old spreadsheet"
VOLUNTEER_HEADERS = [
    "Full Name ",
    "E-mail",
    "Mobile",
    "Address",
    "Skills and experience",
    "Availability",
    "How did you hear about us?",
    "Consent",
    "Consent date",
    "Emergency contact",
    "DBS level",
    "DBS date",
    "DBS number",
    "Notes",
]
# Rows 1 to 13 as Excel numbers them; dates as date cells, as text and as Excel serial numbers (44927 is
# 01/01/2023), "N/A", a duplicate e-mail, a row with no name, consent that cannot be evidenced.
VOLUNTEER_ROWS: list[list[object]] = [
    [VOLUNTEER_TITLE, VOLUNTEER_TITLE, VOLUNTEER_TITLE, VOLUNTEER_TITLE, *[""] * 10],
    [""] * 14,
    VOLUNTEER_HEADERS,
    [
        "Ann Jones",
        "ANN@example.org",
        "07700 900001",
        "1 High St, Harrowfield",
        "Cooking; driving",
        "Weekends, evenings",
        "Facebook",
        "Yes",
        datetime(2023, 3, 15),
        "Bob Jones",
        "Enhanced",
        datetime(2023, 1, 10),
        "001234",
        "",
    ],
    [
        "Tariq Khan",
        "tariq@example.org",
        "07700 900002",
        "",
        "IT",
        "weekdays",
        "Friend",
        "yes",
        "",
        "",
        "Basic DBS",
        44927,
        "",
        "",
    ],
    [""] * 14,
    ["Zoë Smith", "N/A", "07700 900003", "", "", "anytime", "", "No", "", "", "", "", "", "Prefers phone"],
    ["Mary O'Brien", "mary@example", "ask Mary", "", "", "", "", "15/03/2024", "", "", "", "", "", ""],
    ["Ann  Jones", "ann@example.org", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "", "", "", "", "who is this?"],
    ["Li Wei", "li@example.org", "", "", "", "Sundays", "", "TBC", "", "", "First aid", "03/02/2024", "", ""],
    ["Peter Parker", "", "01632 960123", "", "", "", "", "maybe", "", "", "Gold", "01/01/2024", "", ""],
    ["Sam Lee", "sam@example.org", "", "", "", "", "", "", datetime(2022, 5, 1), "", "", "", "", ""],
]
VOLUNTEER_MERGES = ["A1:D1"]

HOURS_TITLE = "Hours log 2024"
HOURS_HEADERS = ["Volunteer", "Date", "Role", "Hrs", "What they did"]
# Rows 1 to 12. The last is a total row whose SUM formula holds its value as Excel saves it (16).
HOURS_ROWS: list[list[object]] = [
    [HOURS_TITLE, HOURS_TITLE, HOURS_TITLE, "", ""],
    [""] * 5,
    HOURS_HEADERS,
    ["Ann Jones", datetime(2024, 1, 6), "Food bank", 2.5, "Sorting"],
    ["ann jones", "13/01/2024", "Food Bank ", "3", ""],
    ["Tariq Khan", 45299, "Food bank", "2:30", ""],
    [""] * 5,
    ["Zoë Smith", "20/01/2024", "Lunch club", "N/A", ""],
    ["Unknown Person", "21/01/2024", "Food bank", 4, ""],
    ["Ann Jones", "27/01/2024", "Gardening", 1.5, ""],
    ["Ann Jones", datetime(2024, 1, 6), "Food bank", 2.5, "Sorting"],
    ["Total", "", "", "=SUM(D4:D11)", ""],
]
HOURS_MERGES = ["A1:C1"]
HOURS_SHEET_TOTAL = 16.0


def cache_formula_value(path: Path, cell: str, value: str) -> Path:
    """Give a formula cell the value Excel would have saved with it (openpyxl saves none)."""

    def change(xml: bytes) -> bytes:
        pattern = re.compile(rb'(<c r="' + cell.encode() + rb'"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?')
        changed, count = pattern.subn(lambda m: m.group(1) + b"<v>" + value.encode() + b"</v>", xml, count=1)
        assert count == 1, f"no formula in {cell}"
        return changed

    return rewrite_member(path, "xl/worksheets/sheet1.xml", change)
