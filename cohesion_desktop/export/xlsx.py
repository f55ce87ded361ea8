"""Excel workbooks for every export: safe cell values, styled table sheets, saving that never leaves half a file.

Built on openpyxl's write-only mode, so a funder export of a million cells streams to disk in seconds.
What a user typed is stored as the text they typed, never as something Excel would run or reinterpret:

- Text starting with ``=``, ``+``, ``-``, ``@`` or a tab, and text that reads like an Excel error
  (``#N/A``, ``#REF!`` …), is written as a text cell (an inline string, never a formula) whose style has
  ``quotePrefix`` set: Excel's own mark for "typed with a leading apostrophe", which keeps the text as
  text if someone edits the cell. The cell shows exactly the text; nothing visible is added.
- Line breaks that Word and e-mail paste as vertical tab, form feed, ``\\r\\n`` or a lone ``\\r`` become
  ``\\n``, the line break a spreadsheet shows (LibreOffice shows the others as nothing, running the lines
  together). Other control characters, which XML cannot carry, are written with the OOXML escape
  ``_xHHHH_`` (ECMA-376 ST_Xstring), as Excel itself writes them, which LibreOffice and Excel decode back
  to the character; a literal ``_xHHHH_`` in user text has its underscore escaped (``_x005F_``) so it
  reads back unchanged. openpyxl decodes neither, so a file re-read with openpyxl shows the escapes.
- Text longer than a cell holds (32,767 UTF-16 units) is cut, with a visible note of how much is missing.
- Booleans are written as "Yes"/"No"; Decimal as a number; NaN and infinity as an empty cell (Excel has
  neither); aware datetimes in the computer's local time, which is what the user saw in the app.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from cohesion_desktop import APP_NAME
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import N_, _

if TYPE_CHECKING:
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_CELL_CHARS = 32_767
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
MAX_SHEET_TITLE = 31
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
TABLE_STYLE = "TableStyleMedium2"
PROGRESS_EVERY = 5_000
# Translated with _() where it is written, in the export's language.
EMPTY_TABLE_TEXT = N_("No data in this period")
HEADER_FILL = "1F4E78"
HEADER_TEXT = "FFFFFF"

# Excel's error values: typed into a cell they become errors, so text that reads like one is marked as text.
_ERROR_TEXTS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#UNKNOWN!",
        "#BUSY!",
    }
)
# First characters that make Excel, or a CSV saved from the workbook, read text as a formula.
_FORMULA_STARTS = frozenset("=+-@\t\r")
_CAREFUL_STARTS = _FORMULA_STARTS | {"#"}
# Everything that text needs changed before XML and Excel take it (see the module docstring).
_NEEDS_CARE = re.compile(r"\r\n?|[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
# Up to this many characters a string cannot exceed MAX_CELL_CHARS UTF-16 units, so its length needs no check.
_SHORT_TEXT = MAX_CELL_CHARS // 2
_CONTROL_CHARS = re.compile(r"[\x00-\x1f]")
_WIDTH_SAMPLE_ROWS = 200
_LOOKS_LIKE_REFERENCE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc]?[0-9]*|[Cc][0-9]*")
_SHEET_TITLE_CHARS = str.maketrans(
    {"/": "-", "\\": "-", ":": "-", "[": "(", "]": ")", "*": None, "?": None} | {chr(code): " " for code in range(32)}
)
# Excel keeps this sheet name for itself.
_RESERVED_SHEET_TITLES = frozenset({"history"})


@dataclass(frozen=True)
class Column:
    """One column of a table sheet.

    Attributes:
        title: Header text.
        width: Width in characters; None estimates it from the header and the first rows.
        number_format: Excel number format for numbers and dates (e.g. "0.0", "£#,##0.00"); None chooses by type.
        wrap: Wrap long text (remits, matrix entries) instead of letting it run over the next cells.
    """

    title: str
    width: float | None = None
    number_format: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class PrintLayout:
    """How a sheet prints: always A4, scaled to one page wide.

    Attributes:
        landscape: Landscape rather than portrait.
        one_page: Scale to one page tall as well (a summary page), not just one page wide.
    """

    landscape: bool = False
    one_page: bool = False


@dataclass(frozen=True)
class TableBlock:
    """One of several tables laid side by side on one sheet (see :meth:`WorkbookWriter.add_tables_sheet`).

    Attributes:
        columns: The columns, in order.
        rows: One sequence of plain values per row, as long as ``columns``; read once, as it is written.
        table_name: Name of the Excel table; None derives it from the sheet title.
        empty_text: What the block says under its header when it has no rows.
    """

    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    table_name: str | None = None
    empty_text: str | None = None  # None: "No data in this period", in the export's language


def safe_value(value: object) -> object:
    """The value as it must be stored in a cell.

    Text is cleaned (line breaks, control characters) and cut to fit a cell; numbers, dates and None pass
    through; booleans become "Yes"/"No"; Decimal becomes a float; NaN and infinity become None; an aware
    datetime becomes the local wall-clock time. Whether text must also be marked as text (formula-like or
    error-like) is the writer's business: see :func:`needs_text_mark`. Apply it once: the escapes it writes
    would be escaped again.

    Raises:
        TypeError: For a type a spreadsheet cannot hold (a bug in the caller, not bad user data).
    """
    if value is None:
        return None
    if isinstance(value, str):
        return _safe_text(str(value))  # str() turns StrEnum members into their plain text
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float | Decimal):
        number = float(value)
        return number if number - number == 0 else None  # False for NaN and ±infinity
    if isinstance(value, datetime):
        # Excel has no time zones: show the time the user saw in the app.
        return value if value.tzinfo is None else value.astimezone().replace(tzinfo=None)
    if isinstance(value, date):
        return value
    raise TypeError(f"A spreadsheet cell cannot hold {type(value).__name__}: {value!r}")


def needs_text_mark(text: str) -> bool:
    """Whether Excel would take this text for a formula or an error value if someone typed it in."""
    return bool(text) and (text[0] in _FORMULA_STARTS or (text[0] == "#" and text.upper() in _ERROR_TEXTS))


def safe_csv_text(text: str) -> str:
    """Text for a CSV cell that a spreadsheet opening the file will not run: formula-like or error-like text
    (see :func:`needs_text_mark`) gets a leading apostrophe, the mark OWASP recommends for CSV injection; a CSV
    has no cell style to carry Excel's ``quotePrefix``."""
    return f"'{text}" if needs_text_mark(text) else text


def safe_sheet_title(title: str, taken: Collection[str] = ()) -> str:
    """A sheet title Excel accepts, unlike any in ``taken``: "Q1/Q2 [draft]" → "Q1-Q2 (draft)".

    Excel allows 31 characters, none of ``[]:*?/\\``, no apostrophe at either end, and compares titles
    ignoring case; a clash gets a number: "Workshops", "Workshops (2)".
    """
    cleaned = " ".join(title.translate(_SHEET_TITLE_CHARS).split()).strip("'").strip() or "Sheet"
    used = {name.casefold() for name in taken} | _RESERVED_SHEET_TITLES
    candidate = cleaned[:MAX_SHEET_TITLE].rstrip("' ")
    number = 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = cleaned[: MAX_SHEET_TITLE - len(suffix)].rstrip("' ") + suffix
    return candidate


def apply_print_layout(sheet: WriteOnlyWorksheet, layout: PrintLayout) -> None:
    """Set A4 paper, orientation and fit-to-page scaling on a sheet.

    On a write-only sheet call it before the first row: the fit-to-page switch lives in the sheet
    properties, which openpyxl writes out with the first row.

    Raises:
        RuntimeError: If rows have already been written to the write-only sheet.
    """
    if getattr(sheet, "_writer", None) is not None:
        # Too late: the setting would be dropped silently and the page would print at 100%.
        raise RuntimeError(f"Set the print layout of '{sheet.title}' before writing its first row")
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    setup = sheet.page_setup
    setup.paperSize = 9  # A4 in the OOXML paper-size list
    setup.orientation = "landscape" if layout.landscape else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 1 if layout.one_page else 0  # 0: as many pages tall as it takes
    sheet.print_options.horizontalCentered = True


def _safe_text(text: str) -> str | None:
    if not text:
        return None
    stored = _NEEDS_CARE.sub(_replacement, text)
    if len(stored) > _SHORT_TEXT and _utf16_len(stored) > MAX_CELL_CHARS:
        return _truncated(text)
    return stored


def _replacement(match: re.Match[str]) -> str:
    found = match.group()
    if found[0] in "\r\x0b\x0c":
        return "\n"
    if found == "_":
        return "_x005F_"
    code = ord(found)
    if code >= 0xD800:  # half a surrogate pair, U+FFFE, U+FFFF: not characters at all
        return "\ufffd"
    return f"_x{code:04X}_"


def _truncated(text: str) -> str:
    """``text`` cleaned and cut to fit a cell, ending with a note of how many characters are missing."""

    def stored(units: int) -> str:
        head = _cut_utf16(text, units)
        return _NEEDS_CARE.sub(_replacement, head) + _truncation_note(len(text) - len(head))

    first_guess = MAX_CELL_CHARS - len(_truncation_note(len(text)))
    if _utf16_len(candidate := stored(first_guess)) <= MAX_CELL_CHARS:
        return candidate
    # Escapes made the text longer than its characters: find the longest head that still fits.
    low, high = 0, first_guess
    while low < high:
        middle = (low + high + 1) // 2
        if _utf16_len(stored(middle)) <= MAX_CELL_CHARS:
            low = middle
        else:
            high = middle - 1
    return stored(low)


def _truncation_note(missing: int) -> str:
    return f" … [truncated: {missing:,} more characters]"


def _utf16_len(text: str) -> int:
    # Excel counts UTF-16 units: an emoji takes two.
    return len(text.encode("utf-16-le")) // 2


def _cut_utf16(text: str, units: int) -> str:
    # "ignore" drops half a surrogate pair left at the cut.
    return text.encode("utf-16-le")[: 2 * units].decode("utf-16-le", errors="ignore")


@dataclass(frozen=True)
class _Look:
    """What a cell looks like; each distinct look becomes one set of openpyxl style records."""

    bold: bool = False
    italic: bool = False
    color: str | None = None
    font_size: float | None = None
    fill: str | None = None
    border: bool = False
    wrap: bool = False
    number_format: str | None = None


_THIN = Side(style="thin", color="BFBFBF")
_HEADER = _Look(bold=True, color=HEADER_TEXT, fill=HEADER_FILL, border=True, wrap=True)
_NOTE = _Look(italic=True, color="595959")


class _CellMaker:
    """Turns plain values into what a write-only sheet's ``append`` takes, for one look on one sheet.

    Values that need no style go through as they are (openpyxl's fastest path); the others become cells
    that share style records computed once, because setting ``cell.font`` per cell hashes the whole Font.
    """

    __slots__ = ("_sheet", "_plain", "_marked", "_date", "_datetime")

    def __init__(self, sheet: WriteOnlyWorksheet, look: _Look) -> None:
        self._sheet = sheet
        self._plain = _style_array(sheet, look, look.number_format, marked=False)
        self._marked = _style_array(sheet, look, look.number_format, marked=True)
        self._date = _style_array(sheet, look, look.number_format or DATE_FORMAT, marked=False)
        self._datetime = _style_array(sheet, look, look.number_format or DATETIME_FORMAT, marked=False)

    def __call__(self, value: object) -> object:
        # The common cases first, with as little work as possible: this runs once per cell.
        if type(value) is str:
            if (
                value
                and value[0] not in _CAREFUL_STARTS
                and len(value) <= _SHORT_TEXT
                and _NEEDS_CARE.search(value) is None
            ):
                return value if self._plain is None else self._cell(value, self._plain)
        elif type(value) is int or (type(value) is float and value - value == 0):
            return value if self._plain is None else self._cell(value, self._plain)
        elif value is None:
            return None
        return self._careful(value)

    def cell(self, value: object) -> Cell:
        """Always a cell, even for an empty or unstyled value."""
        made = self(value)
        return made if isinstance(made, Cell) else self._cell(made, self._plain)

    def _careful(self, value: object) -> object:
        stored = safe_value(value)
        if isinstance(stored, str):
            if needs_text_mark(stored):
                cell = self._cell(stored, self._marked)
                cell.data_type = "s"  # openpyxl would have made it a formula or an error
                return cell
        elif isinstance(stored, datetime):
            return self._cell(stored, self._datetime)
        elif isinstance(stored, date):
            return self._cell(stored, self._date)
        return stored if self._plain is None or stored is None else self._cell(stored, self._plain)

    def _cell(self, value: object, style: StyleArray | None) -> Cell:
        # row and column are placeholders: append() sets the real ones.
        return Cell(self._sheet, row=1, column=1, value=value, style_array=style)


def _cells_of_row(sheet: WriteOnlyWorksheet) -> Callable[[Iterable[object], int], Iterator[Cell]]:
    """What openpyxl's write-only sheet does with each appended row, without its cost for a ready-made cell.

    openpyxl tries each value as a plain value first, and for a styled cell (a third of the cells here) that
    raises and formats an error message before the cell is taken as it is: 0.4 s of a 2 s export. Same
    result: plain values share one unstyled cell, styled cells go through as they are.
    """

    def cells(values: Iterable[object], row_index: int) -> Iterator[Cell]:
        plain = WriteOnlyCell(sheet)
        for column_index, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                value.column, value.row = column_index, row_index
                yield value
                continue
            plain.value = value
            plain.column, plain.row = column_index, row_index
            yield plain
            if plain.has_style:  # a plain date is given a date format by openpyxl: the next value needs a fresh cell
                plain = WriteOnlyCell(sheet)

    return cells


def _style_array(
    sheet: WriteOnlyWorksheet, look: _Look, number_format: str | None, *, marked: bool
) -> StyleArray | None:
    """openpyxl's record of a cell style (indexes into the workbook's fonts, fills …), or None for none."""
    prototype = Cell(sheet, row=1, column=1)
    if look.bold or look.italic or look.color or look.font_size:
        prototype.font = Font(
            name="Calibri", size=look.font_size or 11, bold=look.bold, italic=look.italic, color=look.color
        )
    if look.fill:
        prototype.fill = PatternFill(fill_type="solid", start_color=look.fill, end_color=look.fill)
    if look.border:
        prototype.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    if look.wrap:
        prototype.alignment = Alignment(wrap_text=True, vertical="top")
    if number_format:
        prototype.number_format = number_format
    if marked:
        prototype.quotePrefix = True
    return prototype._style  # read once per look, then copied into every cell of that look


class WorkbookWriter:
    """A write-only workbook whose sheets appear in the order they are added, saved atomically.

    The workbook is written to a temporary file beside the target and moved over it only when complete,
    so a failed or cancelled export leaves nothing at the target path and an existing file there unchanged.
    Use it as a context manager: a clean exit saves, an exception discards.

    Example:
        with WorkbookWriter(path) as book:
            book.add_table_sheet("Partners", [Column("Name"), Column("Remit", wrap=True)], rows)
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._book = Workbook(write_only=True)
        self._book.properties.creator = APP_NAME
        self._table_names: set[str] = set()
        self._makers: dict[tuple[str, _Look], _CellMaker] = {}
        self._reserved: dict[str, WriteOnlyWorksheet] = {}
        self._finished = False
        self._broken = False

    def __enter__(self) -> WorkbookWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.discard()
        elif not self._finished:
            self.save()

    @property
    def sheet_titles(self) -> list[str]:
        """Titles of the sheets added so far, in order (as cleaned by :func:`safe_sheet_title`)."""
        return list(self._book.sheetnames)

    def reserve_sheets(self, titles: Sequence[str]) -> None:
        """Put empty sheets with these titles in the workbook now, in this order, to be filled later in any order:
        the next :meth:`add_sheet`, :meth:`add_table_sheet` or :meth:`add_tables_sheet` with one of these titles
        fills the reserved sheet instead of adding one at the end."""
        for title in titles:
            self._reserved[title] = self._new_sheet(title)

    @property
    def unfilled_sheets(self) -> list[str]:
        """Titles reserved by :meth:`reserve_sheets` and not filled yet."""
        return list(self._reserved)

    def add_sheet(self, title: str, *, print_layout: PrintLayout | None = None) -> WriteOnlyWorksheet:
        """A new empty write-only sheet for free layouts (a summary page, the workshop matrix).

        Fill it with ``sheet.append([...])``, passing :meth:`cell` results or plain values; plain values must
        already be safe (see :func:`safe_value`). Column widths, ``freeze_panes`` and the print layout must be
        set before the first ``append``; charts (``sheet.add_chart``) can be added at any time before saving.
        """
        reserved = self._reserved.pop(title, None)
        sheet = reserved if reserved is not None else self._new_sheet(title)
        if print_layout is not None:
            apply_print_layout(sheet, print_layout)
        return sheet

    def _new_sheet(self, title: str) -> WriteOnlyWorksheet:
        sheet = self._book.create_sheet(safe_sheet_title(title, self._book.sheetnames))
        if hasattr(sheet, "_values_to_row"):  # openpyxl 3.1; without it, openpyxl's own way works, only slower
            sheet._values_to_row = _cells_of_row(sheet)
        return sheet

    def cell(
        self,
        sheet: WriteOnlyWorksheet,
        value: object,
        *,
        bold: bool = False,
        italic: bool = False,
        wrap: bool = False,
        fill: str | None = None,
        color: str | None = None,
        number_format: str | None = None,
        font_size: float | None = None,
        border: bool = False,
    ) -> Cell:
        """A styled cell holding ``value`` made safe, ready for ``sheet.append``.

        Colours are hex "RRGGBB". A cell is used once: build a new one for every position.
        """
        look = _Look(
            bold=bold,
            italic=italic,
            color=color,
            font_size=font_size,
            fill=fill,
            border=border,
            wrap=wrap,
            number_format=number_format,
        )
        return self._maker(sheet, look).cell(value)

    def add_table_sheet(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[object]],
        *,
        table_name: str | None = None,
        progress: Callable[[int], None] | None = None,
        freeze_header: bool = True,
        print_layout: PrintLayout | None = None,
        empty_text: str | None = None,
    ) -> int:
        """Add a sheet holding a filterable Excel table: a styled header row, then one row per item.

        With no rows the sheet holds the header and ``empty_text`` below it, and no table (Excel needs a
        table to have at least one data row).

        Args:
            title: Sheet title; cleaned and made unique.
            columns: The columns, in order.
            rows: One sequence of plain values per row, as long as ``columns``.
            table_name: Name of the Excel table (cleaned into a valid, unique name); None derives it from
                the title.
            progress: Called with the number of rows written every ``PROGRESS_EVERY`` rows and at the end;
                it may raise to cancel the export.
            freeze_header: Keep the header row in view while scrolling.
            print_layout: A4 print settings; the header row then repeats on every printed page.
            empty_text: What an empty sheet says under its header.

        Returns:
            The number of data rows written.

        Raises:
            CohesionError: More rows than an Excel sheet holds.
            ValueError: A row whose length differs from ``columns``.
        """
        if not 0 < len(columns) <= MAX_SHEET_COLUMNS:
            raise ValueError(f"A table sheet needs 1 to {MAX_SHEET_COLUMNS:,} columns, not {len(columns)}")
        try:
            return self._write_table(
                title, columns, rows, table_name, progress, freeze_header, print_layout, empty_text
            )
        except BaseException:
            self._broken = True
            raise

    def add_tables_sheet(
        self,
        title: str,
        blocks: Sequence[TableBlock],
        *,
        progress: Callable[[int], None] | None = None,
        freeze_header: bool = True,
        print_layout: PrintLayout | None = None,
    ) -> list[int]:
        """Add a sheet holding several Excel tables side by side, an empty column between each two.

        Every table has its header on row 1, so one frozen row keeps all the headers in view, and each has
        its own filter buttons (hours by month beside hours by partner). A block with no rows shows its
        ``empty_text`` under its header and has no table. Rows are read as they are written, so a long block
        streams as :meth:`add_table_sheet` does.

        Args:
            title: Sheet title; cleaned and made unique.
            blocks: The tables, left to right.
            progress: Called with the number of sheet rows written every ``PROGRESS_EVERY`` rows and at the
                end; it may raise to cancel the export.
            freeze_header: Keep the header row in view while scrolling.
            print_layout: A4 print settings; the header row then repeats on every printed page.

        Returns:
            The number of data rows written to each block, in order.

        Raises:
            CohesionError: More rows than an Excel sheet holds.
            ValueError: No blocks, too many columns, or a row whose length differs from its block's columns.
        """
        width = sum(len(block.columns) for block in blocks) + len(blocks) - 1
        if not blocks or any(not block.columns for block in blocks) or width > MAX_SHEET_COLUMNS:
            raise ValueError(f"A tables sheet needs at least one block, each of 1 to {MAX_SHEET_COLUMNS:,} columns")
        try:
            return self._write_tables(title, blocks, progress, freeze_header, print_layout)
        except BaseException:
            self._broken = True
            raise

    def save(self) -> Path:
        """Write the workbook to a temporary file beside the target, then move it over the target.

        Returns:
            The target path.

        Raises:
            OSError: The file could not be written or moved (folder missing, disk full, file open in Excel on
                Windows). Nothing is left at the target and an existing file there is unchanged.
        """
        if self._finished:
            raise RuntimeError("This workbook has already been saved or discarded")
        if self._broken:
            raise RuntimeError("A sheet failed half-way; the workbook cannot be saved")
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        try:
            self._book.save(temporary)
            os.replace(temporary, self.path)
        except BaseException:
            self.discard()
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise
        self._finished = True
        return self.path

    def discard(self) -> None:
        """Give up the workbook: nothing is written to the target, and the sheets' scratch files are removed."""
        self._finished = True
        for sheet in self._book.worksheets:
            # openpyxl streams each write-only sheet into a temporary file and deletes it only when saving or at
            # interpreter exit: a cancelled export would leave its XML (~50 MB per million cells) behind.
            writer = getattr(sheet, "_writer", None)
            if writer is None:
                continue
            with contextlib.suppress(Exception):
                if not sheet.closed:
                    sheet.close()
            with contextlib.suppress(OSError, ValueError):
                writer.cleanup()

    def _maker(self, sheet: WriteOnlyWorksheet, look: _Look) -> _CellMaker:
        key = (sheet.title, look)
        maker = self._makers.get(key)
        if maker is None:
            maker = self._makers[key] = _CellMaker(sheet, look)
        return maker

    def _write_table(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[object]],
        table_name: str | None,
        progress: Callable[[int], None] | None,
        freeze_header: bool,
        print_layout: PrintLayout | None,
        empty_text: str | None,
    ) -> int:
        sheet = self.add_sheet(title, print_layout=print_layout)
        headers = _table_headers(columns)
        remaining = iter(rows)
        # Widths and panes are written with the first row, so look at the first rows before writing any.
        sample = list(islice(remaining, _WIDTH_SAMPLE_ROWS))
        _set_widths(sheet, columns, headers, sample, first_column=1)
        _set_header_panes(sheet, freeze_header, print_layout)

        header = self._maker(sheet, _HEADER)
        sheet.append([header.cell(text) for text in headers])
        makers = [self._maker(sheet, _Look(wrap=column.wrap, number_format=column.number_format)) for column in columns]
        append = sheet.append
        count = 0
        for row in chain(sample, remaining):
            append([make(value) for make, value in zip(makers, row, strict=True)])
            count += 1
            if count % PROGRESS_EVERY == 0:
                _check_row_count(sheet.title, count)
                if progress is not None:
                    progress(count)
        _check_row_count(sheet.title, count)
        if progress is not None:
            progress(count)

        if count == 0:
            sheet.append([self._maker(sheet, _NOTE).cell(_(EMPTY_TABLE_TEXT) if empty_text is None else empty_text)])
            return 0
        self._add_table(sheet, headers, first_column=1, count=count, table_name=table_name)
        return count

    def _write_tables(
        self,
        title: str,
        blocks: Sequence[TableBlock],
        progress: Callable[[int], None] | None,
        freeze_header: bool,
        print_layout: PrintLayout | None,
    ) -> list[int]:
        sheet = self.add_sheet(title, print_layout=print_layout)
        headers = [_table_headers(block.columns) for block in blocks]
        sources = [iter(block.rows) for block in blocks]
        samples = [list(islice(source, _WIDTH_SAMPLE_ROWS)) for source in sources]
        firsts: list[int] = []  # the sheet column (1-based) where each block starts
        column = 1
        for block, block_headers, sample in zip(blocks, headers, samples, strict=True):
            firsts.append(column)
            _set_widths(sheet, block.columns, block_headers, sample, first_column=column)
            column += len(block.columns) + 1
        _set_header_panes(sheet, freeze_header, print_layout)

        header = self._maker(sheet, _HEADER)
        sheet.append(
            [
                cell
                for index, block_headers in enumerate(headers)
                for cell in ([None] if index else []) + [header.cell(text) for text in block_headers]
            ]
        )
        makers = [
            [self._maker(sheet, _Look(wrap=c.wrap, number_format=c.number_format)) for c in block.columns]
            for block in blocks
        ]
        note = self._maker(sheet, _NOTE)
        rows = [chain(sample, source) for sample, source in zip(samples, sources, strict=True)]
        done = [False] * len(blocks)
        counts = [0] * len(blocks)
        written = 0
        while True:
            cells: list[object] = []
            produced = False
            for index, block in enumerate(blocks):
                if index:
                    cells.append(None)  # the empty column between two tables
                row = None if done[index] else next(rows[index], None)
                if row is None:
                    done[index] = True
                    if written == 0 and not samples[index]:
                        empty = _(EMPTY_TABLE_TEXT) if block.empty_text is None else block.empty_text
                        cells += [note.cell(empty)] + [None] * (len(block.columns) - 1)
                        produced = True
                    else:
                        cells += [None] * len(block.columns)
                else:
                    cells += [make(value) for make, value in zip(makers[index], row, strict=True)]
                    counts[index] += 1
                    produced = True
            if not produced:
                break
            sheet.append(cells)
            written += 1
            if written % PROGRESS_EVERY == 0:
                _check_row_count(sheet.title, written)
                if progress is not None:
                    progress(written)
        _check_row_count(sheet.title, written)
        if progress is not None:
            progress(written)

        for block, block_headers, first, count in zip(blocks, headers, firsts, counts, strict=True):
            if count:
                self._add_table(
                    sheet, block_headers, first_column=first, count=count, table_name=block.table_name or sheet.title
                )
        return counts

    def _add_table(
        self,
        sheet: WriteOnlyWorksheet,
        headers: Sequence[str],
        *,
        first_column: int,
        count: int,
        table_name: str | None,
    ) -> None:
        """Make the header row and ``count`` rows under it, from ``first_column`` on, a filterable Excel table."""
        ref = f"{get_column_letter(first_column)}1:{get_column_letter(first_column + len(headers) - 1)}{count + 1}"
        table = Table(
            displayName=self._claim_table_name(table_name or sheet.title),
            ref=ref,
            tableStyleInfo=TableStyleInfo(name=TABLE_STYLE, showRowStripes=True),
        )
        # Names must match the header cells exactly, or Excel "repairs" the file and drops the table.
        table.tableColumns = [TableColumn(id=index, name=text) for index, text in enumerate(headers, 1)]
        # The table carries the filter buttons; a sheet-level filter over a table is a file Excel repairs.
        table.autoFilter = AutoFilter(ref=ref)
        # add_table() would warn that write-only tables need their columns set by hand, which is done above.
        sheet.tables.add(table)

    def _claim_table_name(self, wanted: str) -> str:
        name = re.sub(r"[^A-Za-z0-9_.]+", "_", wanted).strip("_") or "Table"
        if not (name[0].isalpha() or name[0] == "_") or _LOOKS_LIKE_REFERENCE.fullmatch(name):
            name = f"Table_{name}"
        name = name[:250]
        candidate, number = name, 1
        while candidate.casefold() in self._table_names:
            number += 1
            candidate = f"{name}_{number}"
        self._table_names.add(candidate.casefold())
        return candidate


def _set_widths(
    sheet: WriteOnlyWorksheet,
    columns: Sequence[Column],
    headers: Sequence[str],
    sample: Sequence[Sequence[object]],
    *,
    first_column: int,
) -> None:
    for index, column in enumerate(columns):
        width = column.width or _estimate_width(
            headers[index], [row[index] for row in sample if len(row) > index], column.wrap
        )
        sheet.column_dimensions[get_column_letter(first_column + index)].width = width


def _set_header_panes(sheet: WriteOnlyWorksheet, freeze_header: bool, print_layout: PrintLayout | None) -> None:
    if freeze_header:
        sheet.freeze_panes = "A2"
    if print_layout is not None:
        sheet.print_title_rows = "1:1"


def _table_headers(columns: Sequence[Column]) -> list[str]:
    """Header texts an Excel table accepts: non-empty, one line, unique ignoring case."""
    headers: list[str] = []
    seen: set[str] = set()
    for index, column in enumerate(columns, 1):
        base = " ".join(_CONTROL_CHARS.sub(" ", column.title).split()) or f"Column {index}"
        text, number = base, 1
        while text.casefold() in seen:
            number += 1
            text = f"{base} ({number})"
        seen.add(text.casefold())
        headers.append(text)
    return headers


def _estimate_width(header: str, values: list[object], wrap: bool) -> float:
    widest = max((_display_width(value) for value in values), default=0)
    # Room for the bold header and its filter button; wrapped text wraps rather than widening the column.
    return float(min(max(len(header) + 4, widest + 2, 8), 50 if wrap else 60))


def _display_width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len("00/00/0000 00:00")
    if isinstance(value, date):
        return len("00/00/0000")
    if isinstance(value, bool):
        return 3
    if isinstance(value, float | Decimal):
        return len(f"{value:,.2f}")
    return max(len(line) for line in str(value)[:200].splitlines() or [""])


def _check_row_count(title: str, count: int) -> None:
    if count >= MAX_SHEET_ROWS:
        raise CohesionError(
            _("“{sheet}” has more than {rows} rows, the most an Excel sheet holds. Export a shorter period.").format(
                sheet=title, rows=f"{MAX_SHEET_ROWS - 1:,}"
            )
        )
