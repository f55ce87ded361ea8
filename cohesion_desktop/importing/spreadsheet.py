"""Reading one sheet of an .xlsx or .csv file into text cells, safely.

The files come from people, not programs: any of them may be damaged, renamed, password-protected, huge
or hostile. Sizes are checked before anything is unpacked (a zip bomb is refused from the zip directory),
rows are streamed and reading stops at the limits, and every failure becomes an :class:`ImportFileError`
whose message names the file and says what to do.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from xml.parsers import expat

import openpyxl
import openpyxl.xml
from openpyxl.utils.cell import range_boundaries

from cohesion_desktop.errors import CohesionError

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
# Excel packs sheet XML about 10:1, so a genuine 50 MB workbook unpacks to well under this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIX = ".csv"

# Encrypted .xlsx files and old .xls files are both OLE compound documents, not zip files.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_CSV_DELIMITERS = ",;\t"
_CSV_SNIFF_CHARS = 64 * 1024


class ImportFileError(CohesionError):
    """A spreadsheet could not be read or understood. The message says what and where; nothing was imported."""


@dataclass(frozen=True)
class Sheet:
    """One sheet as stripped text.

    ``rows[i]`` is spreadsheet row ``i + 1``: blank rows are kept (as rows of '') so that row numbers match
    what the user sees in Excel; blank rows after the last filled one are dropped. Every row has the same
    number of cells. A merged range's value is repeated into every cell of the range.
    """

    name: str
    rows: list[list[str]]


def sheet_names(path: Path) -> list[str]:
    """The names of the worksheets in ``path``, in workbook order (a .csv has one, named after the file).

    Raises:
        ImportFileError: the file cannot be read (see :func:`read_sheet`).
    """
    path = Path(path)
    if _check_file(path) == "csv":
        return [path.stem]
    with _explained(path), _open_workbook(path) as workbook:
        return [worksheet.title for worksheet in workbook.worksheets]


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """Read one sheet of an .xlsx/.xlsm or .csv file as text.

    Args:
        path: the file the user chose.
        sheet: the sheet's name; None for the sheet that was active when the workbook was saved.

    Raises:
        ImportFileError: the file type is not supported, the file is empty, too big, damaged, encrypted
            or not what its name says; the sheet does not exist, is empty or is over the row/column limits.
    """
    path = Path(path)
    if _check_file(path) == "csv":
        if sheet is not None and sheet != path.stem:
            raise ImportFileError(f"{path.name} is a CSV file: its only sheet is '{path.stem}', not '{sheet}'.")
        return Sheet(name=path.stem, rows=_read_csv(path))
    with _explained(path), _open_workbook(path) as workbook:
        worksheet = _choose_worksheet(workbook, path, sheet)
        where = f"Sheet '{worksheet.title}' in {path.name}"
        # The declared size is often wrong (some programs write "A1"); trust the cells themselves.
        worksheet.reset_dimensions()
        rows = _collect_rows(worksheet.iter_rows(values_only=True), where)
        merged = _merged_ranges(path, worksheet._worksheet_path)  # read-only mode exposes no public path
    _spread_merged_values(rows, merged)
    return Sheet(name=worksheet.title, rows=rows)


# ------------------------------------------------------------------ checks before reading


def _check_file(path: Path) -> Literal["excel", "csv"]:
    """Refuse by name, size and first bytes, before any parser sees the file."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(
            f"{path.name} is in the old Excel 97–2003 format (.xls), which cannot be imported. "
            "Open it in Excel and save it as .xlsx first (File → Save As → Excel Workbook)."
        )
    if suffix not in (*EXCEL_SUFFIXES, CSV_SUFFIX):
        raise ImportFileError(
            f"{path.name} cannot be imported: only Excel workbooks (.xlsx) and CSV files (.csv) can be read. "
            "Save it as .xlsx from the program that made it first."
        )
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            start = stream.read(len(_OLE_SIGNATURE))
    except OSError as exc:
        raise ImportFileError(f"{path.name} could not be opened: {exc.strerror or exc}.") from exc
    if size == 0:
        raise ImportFileError(f"{path.name} is empty (0 bytes). It may have been cut off while copying or saving.")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{path.name} is {size / 1024 / 1024:.0f} MB; files over {MAX_FILE_BYTES // 1024 // 1024} MB "
            "cannot be imported. Copy the partners into a new, smaller workbook and import that."
        )
    if suffix == CSV_SUFFIX:
        return "csv"
    if start == _OLE_SIGNATURE:
        _refuse_ole_file(path)
    _check_zip_directory(path)
    return "excel"


def _refuse_ole_file(path: Path) -> None:
    # An encrypted workbook carries an "EncryptionInfo" stream; without one this is an .xls renamed.
    if _ENCRYPTION_STREAM in path.read_bytes():
        raise ImportFileError(
            f"{path.name} is protected with a password, so it cannot be read. Open it in Excel, remove the "
            "password (File → Info → Protect Workbook → Encrypt with Password, then clear it), save, and try again."
        )
    raise ImportFileError(
        f"{path.name} is an old Excel 97–2003 workbook (.xls) with an .xlsx name. "
        "Open it in Excel and save it as .xlsx first (File → Save As → Excel Workbook)."
    )


def _check_zip_directory(path: Path) -> None:
    """Refuse a zip bomb from the sizes its directory declares (Python's zipfile never unpacks beyond them)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_a_workbook(path) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            f"{path.name} would unpack to {unpacked / 1024 / 1024:.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB that can be imported. It may be damaged; if it is a real "
            "workbook, copy the partners into a new, smaller workbook and import that."
        )


def _not_a_workbook(path: Path) -> ImportFileError:
    return ImportFileError(
        f"{path.name} is not a readable Excel workbook. It may be damaged, or be another kind of file "
        "(a Word document, say) renamed to .xlsx. Open it in Excel, save it as .xlsx, and try again."
    )


@contextmanager
def _explained(path: Path) -> Iterator[None]:
    """Turn whatever a damaged workbook makes openpyxl raise into one message that names the file."""
    try:
        yield
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl, zipfile and the XML parsers raise a dozen kinds on damaged files
        log.warning("Could not read %s as a workbook", path, exc_info=True)
        raise _not_a_workbook(path) from exc


# ------------------------------------------------------------------ Excel


@contextmanager
def _open_workbook(path: Path) -> Iterator[Any]:
    if not openpyxl.xml.DEFUSEDXML:
        # Without defusedxml openpyxl parses with entity expansion on: refuse rather than read unsafely.
        raise ImportFileError(
            "Excel workbooks cannot be read safely on this computer (the 'defusedxml' package is missing). "
            "Reinstall Cohesion Desktop, or import a CSV file instead."
        )
    # Read-only mode streams rows instead of building an object per cell (measured ~450 bytes a cell).
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        yield workbook
    finally:
        workbook.close()


def _choose_worksheet(workbook: Any, path: Path, name: str | None) -> Any:
    worksheets = workbook.worksheets  # chart sheets have no cells
    if not worksheets:
        raise ImportFileError(f"{path.name} has no worksheets (only charts), so there is nothing to import.")
    if name is None:
        return workbook.active if workbook.active in worksheets else worksheets[0]
    for worksheet in worksheets:
        if worksheet.title == name:
            return worksheet
    listed = ", ".join(f"'{worksheet.title}'" for worksheet in worksheets)
    raise ImportFileError(f"{path.name} has no sheet called '{name}'. Its sheets are: {listed}.")


def _merged_ranges(path: Path, member: str) -> list[str]:
    """The merged ranges ("A1:F1") of one worksheet, found by a second streaming pass over its XML.

    Read-only mode drops merges and normal mode costs a Python object per cell, so a bare expat pass
    that only looks at ``mergeCell`` tags is the cheap way (measured 0.2 s for 130,000 cells).
    """
    ranges: list[str] = []

    def on_start(tag: str, attributes: dict[str, str]) -> None:
        if tag.rpartition(" ")[2] == "mergeCell" and "ref" in attributes:
            ranges.append(attributes["ref"])

    def refuse_entities(*_: object) -> None:
        raise ValueError("XML entity declarations are not allowed in a worksheet")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = on_start
    parser.EntityDeclHandler = refuse_entities
    parser.ExternalEntityRefHandler = refuse_entities  # type: ignore[assignment]
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        parser.ParseFile(stream)
    return ranges


def _spread_merged_values(rows: list[list[str]], merged: Iterable[str]) -> None:
    """Repeat each merged range's top-left value into all its cells, clipped to the cells that were read."""
    width = len(rows[0]) if rows else 0
    for ref in merged:
        first_column, first_row, last_column, last_row = range_boundaries(ref)
        if first_row > len(rows) or first_column > width:
            continue
        value = rows[first_row - 1][first_column - 1]
        for row in rows[first_row - 1 : min(last_row, len(rows))]:
            row[first_column - 1 : min(last_column, width)] = [value] * (min(last_column, width) - first_column + 1)


# ------------------------------------------------------------------ CSV


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    if raw.startswith(_ZIP_SIGNATURE):
        raise ImportFileError(
            f"{path.name} is not a CSV file: it looks like an Excel workbook. Rename it to .xlsx and try again."
        )
    text = _decode(raw, path)
    if "\x00" in text:
        raise ImportFileError(f"{path.name} is not a CSV file: it contains binary data, not text.")
    if not text.strip():
        raise ImportFileError(f"{path.name} has nothing in it.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        rows = _collect_rows(reader, path.name)
    except csv.Error as exc:
        raise ImportFileError(f"{path.name}, line {reader.line_num}, could not be read as CSV: {exc}.") from exc
    return rows


def _decode(raw: bytes, path: Path) -> str:
    # Excel saves "CSV UTF-8" with a BOM and plain "CSV" in the Windows code page (cp1252 in the UK).
    encodings = ["utf-16"] if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        f"{path.name} is not in a text encoding that can be read. In Excel, save it as 'CSV UTF-8' and try again."
    )


def _sniff_delimiter(text: str) -> str:
    """',' unless the sniffer is sure of ';' or a tab (Excel uses ';' where ',' is the decimal comma)."""
    sample = text[:_CSV_SNIFF_CHARS]
    if len(text) > _CSV_SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # a cut-off last line would confuse the count
    try:
        return csv.Sniffer().sniff(sample, delimiters=_CSV_DELIMITERS).delimiter
    except csv.Error:
        return ","


# ------------------------------------------------------------------ both


def _collect_rows(raw_rows: Iterable[Sequence[object]], where: str) -> list[list[str]]:
    """Cells as text, equal-width rows, trailing blanks dropped, and the row and column limits enforced."""
    rows: list[list[str]] = []
    for number, raw in enumerate(raw_rows, start=1):
        if number > MAX_ROWS:
            raise ImportFileError(
                f"{where} goes on past row {MAX_ROWS:,}, the most that can be imported. "
                f"Delete the rows below your list (or split it into smaller sheets) and try again."
            )
        if len(raw) > MAX_COLUMNS:
            # count() runs in C: a row padded to column XFD with empty cells must not cost 16,384 calls.
            beyond = raw[MAX_COLUMNS:]
            if beyond.count(None) + beyond.count("") != len(beyond) and any(_cell_text(v) for v in beyond):
                raise ImportFileError(
                    f"{where} has text beyond column {MAX_COLUMNS} on row {number}; at most {MAX_COLUMNS} "
                    "columns can be imported. Delete the extra columns and try again."
                )
            raw = raw[:MAX_COLUMNS]
        cells = [_cell_text(value) for value in raw]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise ImportFileError(f"{where} has nothing in it.")
    width = max(len(cells) for cells in rows)
    for cells in rows:
        cells.extend([""] * (width - len(cells)))
    return rows


def _cell_text(value: object) -> str:
    """A cell as the user would type it: whole numbers without '.0', dates as ISO, booleans as Excel shows them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).replace("\r\n", "\n").strip()
