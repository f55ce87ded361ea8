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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from xml.parsers import expat

import openpyxl
import openpyxl.xml
from openpyxl.utils.cell import range_boundaries

from cohesion_desktop import APP_NAME
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import _

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
# Excel packs sheet XML about 10:1, so a genuine 50 MB workbook unpacks to well under this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Reading costs time in proportion to the unpacked XML, so a small file may not unpack to much more than
# real workbooks do (10–30 times their size; a sheet of blank formatted rows ~100): a few kilobytes that
# unpack to hundreds of megabytes would keep an import busy for minutes.
MAX_UNPACK_RATIO = 100
UNPACKED_ALLOWANCE = 5 * 1024 * 1024  # always allowed, whatever the ratio
MAX_ROWS = 100_000
MAX_COLUMNS = 200
# Spreadsheet XML is a few levels deep; thousands of nested elements only make parsers slow (or crash them).
MAX_XML_DEPTH = 100

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIX = ".csv"

# Encrypted .xlsx files and old .xls files are both OLE compound documents, not zip files.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_CSV_DELIMITERS = ",;\t"
# The sniffer's regular expressions take time in the square of a line's length (a 64 KB line of '," took a
# minute): a few lines are enough to tell the delimiter.
_CSV_SNIFF_CHARS = 4 * 1024


class ImportFileError(CohesionError):
    """A spreadsheet could not be read or understood. The message says what and where; nothing was imported."""


@dataclass(frozen=True)
class _Where:
    """The file, and the sheet in it (None for a CSV file, which has one): what a refusal names.

    A refusal is a whole sentence for each (a translator mutates "sheet" after a preposition), so each message
    that names a place is written twice: ``say(in_sheet, in_file)``.
    """

    file: str
    sheet: str | None = None

    def say(self, in_sheet: str, in_file: str, **values: object) -> str:
        if self.sheet is None:
            return in_file.format(file=self.file, **values)
        return in_sheet.format(file=self.file, sheet=self.sheet, **values)


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
            raise ImportFileError(
                _("{file} is a CSV file: its only sheet is '{only}', not '{sheet}'.").format(
                    file=path.name, only=path.stem, sheet=sheet
                )
            )
        return Sheet(name=path.stem, rows=_read_csv(path))
    merges = _scan_xml(path)
    with _explained(path), _open_workbook(path) as workbook:
        worksheet = _choose_worksheet(workbook, path, sheet)
        where = _Where(path.name, worksheet.title)
        rows = _collect_rows(_stored_cells(worksheet), where)
        merged = merges.get(worksheet._worksheet_path, [])  # read-only mode exposes no public path
    _spread_merged_values(rows, merged, where)
    return Sheet(name=worksheet.title, rows=rows)


# ------------------------------------------------------------------ checks before reading


def _check_file(path: Path) -> Literal["excel", "csv"]:
    """Refuse by name, size and first bytes, before any parser sees the file."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(
            _(
                "{file} is in the old Excel 97–2003 format (.xls), which cannot be imported. "
                "Open it in Excel and save it as .xlsx first (File → Save As → Excel Workbook)."
            ).format(file=path.name)
        )
    if suffix not in (*EXCEL_SUFFIXES, CSV_SUFFIX):
        raise ImportFileError(
            _(
                "{file} cannot be imported: only Excel workbooks (.xlsx) and CSV files (.csv) can be read. "
                "Save it as .xlsx from the program that made it first."
            ).format(file=path.name)
        )
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            start = stream.read(len(_OLE_SIGNATURE))
    except OSError as exc:
        raise ImportFileError(
            _("{file} could not be opened: {reason}.").format(file=path.name, reason=exc.strerror or exc)
        ) from exc
    if size == 0:
        raise ImportFileError(
            _("{file} is empty (0 bytes). It may have been cut off while copying or saving.").format(file=path.name)
        )
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _(
                "{file} is {size}; files over {most} cannot be imported. Copy the partners into a new, smaller "
                "workbook and import that."
            ).format(file=path.name, size=_size_text(size), most=_size_text(MAX_FILE_BYTES))
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
            _(
                "{file} is protected with a password, so it cannot be read. Open it in Excel, remove the password "
                "(File → Info → Protect Workbook → Encrypt with Password, then clear it), save, and try again."
            ).format(file=path.name)
        )
    raise ImportFileError(
        _(
            "{file} is an old Excel 97–2003 workbook (.xls) with an .xlsx name. "
            "Open it in Excel and save it as .xlsx first (File → Save As → Excel Workbook)."
        ).format(file=path.name)
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
            _(
                "{file} would unpack to {size}, more than the {most} that can be imported. It may be damaged; if it "
                "is a real workbook, copy the partners into a new, smaller workbook and import that."
            ).format(file=path.name, size=_size_text(unpacked), most=_size_text(MAX_UNPACKED_BYTES))
        )
    size = path.stat().st_size
    if unpacked > max(UNPACKED_ALLOWANCE, MAX_UNPACK_RATIO * size):
        raise ImportFileError(
            _(
                "{file} is {size} but would unpack to {unpacked}, {times} times its size (workbooks unpack to at "
                "most about {ratio} times theirs). It may be damaged or made to overload the import. Open it in "
                "Excel, save it as a new workbook, and import that."
            ).format(
                file=path.name,
                size=_size_text(size),
                unpacked=_size_text(unpacked),
                times=format_number(unpacked // size),
                ratio=MAX_UNPACK_RATIO,
            )
        )


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{n} MB").format(n=format_number(round(size / 1024 / 1024)))
    return _("{n} KB").format(n=format_number(max(1, round(size / 1024))))


def _scan_xml(path: Path) -> dict[str, list[str]]:
    """Check every XML part before openpyxl parses it, and collect each sheet's merged ranges ("A1:F1").

    Refused: entity declarations (defusedxml refuses them too: this names the part), elements nested
    deeper than MAX_XML_DEPTH, and two sheets that are one part (openpyxl would read it once per sheet).
    One streaming expat pass per part, in time proportional to its size (measured 0.2 s for 130,000 cells);
    read-only openpyxl drops merges and normal mode costs a Python object per cell.
    """
    merges: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                merges[info.filename] = _scan_part(path, archive, info.filename)
    return merges


def _scan_part(path: Path, archive: zipfile.ZipFile, member: str) -> list[str]:
    ranges: list[str] = []
    depth = 0
    targets: set[str] = set()

    def on_start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise ImportFileError(
                _(
                    "{file} cannot be read: its part '{part}' nests elements more than {most} deep, which no "
                    "spreadsheet program writes. It may be damaged or made to overload the import; open it in Excel, "
                    "save it again, and try again."
                ).format(file=path.name, part=member, most=MAX_XML_DEPTH)
            )
        name = tag.rpartition(" ")[2]
        if name == "mergeCell" and "ref" in attributes:
            ranges.append(attributes["ref"])
        elif name == "Relationship" and attributes.get("Type", "").endswith("/worksheet"):
            target = attributes.get("Target", "")
            if target in targets:
                raise ImportFileError(
                    _(
                        "{file} cannot be read: two of its sheets are the same part ('{part}'), which Excel never "
                        "writes. It may be damaged; open it in Excel, save it again, and try again."
                    ).format(file=path.name, part=target)
                )
            targets.add(target)

    def on_end(_tag: str) -> None:
        nonlocal depth
        depth -= 1

    def refuse_entities(*_declared: object) -> None:
        raise ImportFileError(
            _(
                "{file} cannot be read: its part '{part}' declares XML entities, which spreadsheets never need and "
                "which can make a small file unpack to gigabytes."
            ).format(file=path.name, part=member)
        )

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.EntityDeclHandler = refuse_entities
    parser.ExternalEntityRefHandler = refuse_entities  # type: ignore[assignment]
    try:
        with archive.open(member) as stream:
            parser.ParseFile(stream)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _not_a_workbook(path) from exc
    return ranges


def _not_a_workbook(path: Path) -> ImportFileError:
    return ImportFileError(
        _(
            "{file} is not a readable Excel workbook. It may be damaged, or be another kind of file (a Word "
            "document, say) renamed to .xlsx. Open it in Excel, save it as .xlsx, and try again."
        ).format(file=path.name)
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
            _(
                "Excel workbooks cannot be read safely on this computer (the 'defusedxml' package is missing). "
                "Reinstall {app}, or import a CSV file instead."
            ).format(app=APP_NAME)
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
        raise ImportFileError(
            _("{file} has no worksheets (only charts), so there is nothing to import.").format(file=path.name)
        )
    if name is None:
        return workbook.active if workbook.active in worksheets else worksheets[0]
    for worksheet in worksheets:
        if worksheet.title == name:
            return worksheet
    listed = ", ".join(f"'{worksheet.title}'" for worksheet in worksheets)
    raise ImportFileError(
        _("{file} has no sheet called '{sheet}'. Its sheets are: {sheets}.").format(
            file=path.name, sheet=name, sheets=listed
        )
    )


def _stored_cells(worksheet: Any) -> Iterator[tuple[int, Iterable[tuple[int, object]]]]:
    """(row number, (column, value) of each cell the sheet stores): no cell is made up for the gaps.

    openpyxl's ``iter_rows`` fills every gap: with a formatted cell in column XFD it makes 16,384 cells a
    row, and a row numbered 1,000,000 brings 999,998 empty ones before it (minutes for a 1 MB file). Its
    own parser, which ``iter_rows`` wraps, gives only what is stored. The declared size is ignored too
    (often wrong: some programs write "A1").
    """
    try:
        from openpyxl.worksheet._reader import WorkSheetParser

        workbook = worksheet.parent
        parser_arguments = (
            worksheet._shared_strings,
            workbook.data_only,
            workbook.epoch,
            workbook._date_formats,
            workbook._timedelta_formats,
        )
    except (ImportError, AttributeError):  # another openpyxl: right, only slower on hostile files
        log.warning("openpyxl's sheet parser was not found; reading through iter_rows")
        worksheet.reset_dimensions()
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, enumerate(values, start=1)
        return
    shared_strings, data_only, epoch, date_formats, timedelta_formats = parser_arguments
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            shared_strings,
            data_only=data_only,
            epoch=epoch,
            date_formats=date_formats,
            timedelta_formats=timedelta_formats,
        )
        for number, cells in parser.parse():
            yield number, ((cell["column"], cell["value"]) for cell in cells)


def _spread_merged_values(rows: list[list[str]], merged: Iterable[str], where: _Where) -> None:
    """Repeat each merged range's top-left value into all its cells, clipped to the cells that were read.

    Merged ranges never overlap in a real workbook, so together they cover at most every cell once; more
    than that is refused before any is spread (thousands of ranges over the whole sheet took minutes).
    """
    width = len(rows[0]) if rows else 0
    clipped: list[tuple[int, int, int, int]] = []
    covered = 0
    for ref in merged:
        try:
            first_column, first_row, last_column, last_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue  # not a range: nothing to spread
        if first_row is None or first_column is None or first_row > len(rows) or first_column > width:
            continue
        last_row, last_column = min(last_row or len(rows), len(rows)), min(last_column or width, width)
        covered += (last_row - first_row + 1) * (last_column - first_column + 1)
        if covered > len(rows) * width:
            raise ImportFileError(
                _(
                    "Sheet '{sheet}' in {file} has merged cells that overlap or cover more cells than the sheet has, "
                    "which Excel never writes. It may be damaged. Unmerge the cells in Excel (select all, then "
                    "Home → Merge & Center → Unmerge Cells), save, and try again."
                ).format(file=where.file, sheet=where.sheet)
            )
        clipped.append((first_column, first_row, last_column, last_row))
    for first_column, first_row, last_column, last_row in clipped:
        value = rows[first_row - 1][first_column - 1]
        for row in rows[first_row - 1 : last_row]:
            row[first_column - 1 : last_column] = [value] * (last_column - first_column + 1)


# ------------------------------------------------------------------ CSV


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    if raw.startswith(_ZIP_SIGNATURE):
        raise ImportFileError(
            _("{file} is not a CSV file: it looks like an Excel workbook. Rename it to .xlsx and try again.").format(
                file=path.name
            )
        )
    text = _decode(raw, path)
    if "\x00" in text:
        raise ImportFileError(_("{file} is not a CSV file: it contains binary data, not text.").format(file=path.name))
    if not text.strip():
        raise ImportFileError(_("{file} has nothing in it.").format(file=path.name))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        rows = _collect_rows(
            ((number, enumerate(cells, start=1)) for number, cells in enumerate(reader, start=1)), _Where(path.name)
        )
    except csv.Error as exc:
        raise ImportFileError(
            _("{file}, line {line}, could not be read as CSV: {reason}.").format(
                file=path.name, line=reader.line_num, reason=exc
            )
        ) from exc
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
        _("{file} is not in a text encoding that can be read. In Excel, save it as 'CSV UTF-8' and try again.").format(
            file=path.name
        )
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


def _collect_rows(stored: Iterable[tuple[int, Iterable[tuple[int, object]]]], where: _Where) -> list[list[str]]:
    """Cells as text in equal-width rows, from (row number, (column, value) …) as stored: blank rows between
    filled ones kept (row numbers match Excel's), trailing blanks dropped, the row and column limits enforced.

    Work follows what the file stores, never the numbers it claims: a blank row is not made until a filled
    one comes after it, and a blank cell costs nothing wherever it is.
    """
    rows: list[list[str]] = []
    for number, cells in stored:
        texts: dict[int, str] = {}
        for column, value in cells:
            text = _cell_text(value)
            if not text:
                continue
            if column > MAX_COLUMNS:
                raise ImportFileError(
                    where.say(
                        _(
                            "Sheet '{sheet}' in {file} has text beyond column {most} on row {row}; at most {most} "
                            "columns can be imported. Delete the extra columns and try again."
                        ),
                        _(
                            "{file} has text beyond column {most} on row {row}; at most {most} columns can be "
                            "imported. Delete the extra columns and try again."
                        ),
                        most=MAX_COLUMNS,
                        row=format_number(number),
                    )
                )
            texts[column] = text
        if not texts or number <= len(rows):  # blank, or a row number going backwards (damaged): skipped
            continue
        if number > MAX_ROWS:
            raise ImportFileError(
                where.say(
                    _(
                        "Sheet '{sheet}' in {file} goes on past row {most}, the most that can be imported. Delete the "
                        "rows below your list (or split it into smaller sheets) and try again."
                    ),
                    _(
                        "{file} goes on past row {most}, the most that can be imported. Delete the rows below your "
                        "list (or split it into smaller files) and try again."
                    ),
                    most=format_number(MAX_ROWS),
                )
            )
        rows.extend([] for _ in range(number - 1 - len(rows)))
        row = [""] * max(texts)
        for column, text in texts.items():
            row[column - 1] = text
        rows.append(row)
    if not rows:
        raise ImportFileError(
            where.say(_("Sheet '{sheet}' in {file} has nothing in it."), _("{file} has nothing in it."))
        )
    width = max(len(filled) for filled in rows)
    for filled in rows:
        filled.extend([""] * (width - len(filled)))
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
