"""What every hand-made list shares, whatever it lists: which row holds the headings, which field each column
holds, the placeholders that mean "nothing here", and the problems found, by row and column.

A kind of list (partners, volunteers, hours) describes its fields once as a :class:`Vocabulary`; reading a
row goes through :class:`RowCells`, so that "N/A", over-long cells and column titles are treated alike in
every import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

from cohesion_desktop.dates import parse_sheet_date
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.importing.spreadsheet import ImportFileError, Sheet
from cohesion_desktop.text import fold, split_list

HEADER_SEARCH_ROWS = 30
MAX_FIELD_CHARS = 5_000
# Items one cell may add to a list field: more is a pasted paragraph, not a list (a cell of 800 made 800 themes).
MAX_LIST_ITEMS = 30

# Placeholders that mean "nothing here", compared case-insensitively.
EMPTY_MARKERS = frozenset({"n/a", "na", "-", "–", "—", "none", "nil", "#n/a", "tbc", "tba"})
_LONGEST_MARKER = max(len(marker) for marker in EMPTY_MARKERS)
YES_WORDS = frozenset({"yes", "y", "true", "1", "✓", "✔", "x"})  # "x" marks a box on British forms
NO_WORDS = frozenset({"no", "n", "false", "0", "✗", "✘"})
# The simple pattern most forms use: something@something.something, no spaces.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SPACE_RUNS = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class RowProblem:
    """Something wrong in one row: errors skip the row, warnings keep it (and say what was done).

    Attributes:
        row: the row number as Excel shows it (1-based).
        column: the column's header as written in the file, or "" for the whole row.
    """

    row: int
    column: str
    message: str
    severity: Literal["error", "warning"]

    def within_row(self) -> str:
        """The problem as said of its row: "column 'E-mail': …" (the message alone for the whole row)."""
        if self.column:
            return _("column '{column}': {message}").format(column=self.column, message=self.message)
        return self.message

    def line(self) -> str:
        """The problem as an import's report lists it: "row 12, column 'E-mail': …"."""
        if self.column:
            return _("row {row}, column '{column}': {message}").format(
                row=self.row, column=self.column, message=self.message
            )
        return _("row {row}: {message}").format(row=self.row, message=self.message)


def skipped_rows(count: int) -> str:
    """The words of an import's summary for ``count`` rows left out: "skipped 3 rows"."""
    return ngettext("skipped {n} row", "skipped {n} rows", count).format(n=format_number(count))


def warning_count(count: int) -> str:
    """The words of an import's summary for ``count`` warnings: "2 warnings"."""
    return ngettext("{n} warning", "{n} warnings", count).format(n=format_number(count))


def skipped_line(row: int, name: str, why: str) -> str:
    """A row an import left out, as its report lists it (``name``: what the row was called, or "")."""
    if name:
        return _("row {row}: skipped {name} – {why}").format(row=row, name=name, why=why)
    return _("row {row}: skipped – {why}").format(row=row, why=why)


def header_key(text: str) -> str:
    """Headings compared without case, spaces or punctuation ("E-mail" = "email", "SME?" = "sme")."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def is_placeholder(text: str) -> bool:
    return len(text) <= _LONGEST_MARKER and text.casefold() in EMPTY_MARKERS


def single_line(text: str) -> str:
    """Names and contact details: no line breaks, no runs of spaces."""
    return _SPACE_RUNS.sub(" ", text.replace("\n", " ")).strip()


def column_letter(index: int) -> str:
    """0 → 'A', 27 → 'AB', as Excel names columns."""
    letters, number = "", index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_title(headers: list[str], index: int) -> str:
    """The header as written, or 'Column C' for a column without one."""
    return headers[index] if headers[index] else _("Column {letter}").format(letter=column_letter(index))


def preview(sheet: Sheet, rows: int = 3, width: int = 80) -> str:
    """The first few filled rows, quoted, for a message that says what was found instead of a header."""
    shown = []
    for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        text = " | ".join(cell for cell in cells if cell)
        if text:
            cut = text if len(text) <= width else text[: width - 1] + "…"
            shown.append(_("row {row}: “{text}”").format(row=format_number(index + 1), text=cut))
        if len(shown) == rows:
            break
    return "; ".join(shown) or _("(all blank)")


@dataclass(frozen=True)
class Vocabulary:
    """The fields one kind of list can hold, and the headings people give them.

    Attributes:
        fields: (key, label) in the order the UI offers them.
        synonyms: key → headings that name the field (the label counts too).
        weak: key → generic headings that count only when no specific heading claimed the field ("Name").
        list_fields: fields several columns may feed ("Theme 1", "Theme 2").
        required: the field without which no row is anything; a header row must have it.
        no_header: the refusal when no header row names the required field, marked with ``N_`` (placeholders
            ``{sheet}`` and ``{rows}``, the first rows found): a whole sentence per kind of list, for translators.
        none_chosen: the refusal when no column is chosen for the required field, marked with ``N_``.
        what: what one row is ("partner"), for programmers' errors.
        stand_ins: fields that may take the required field's place (first and last names for a name).
    """

    fields: tuple[tuple[str, str], ...]
    synonyms: dict[str, tuple[str, ...]]
    required: str
    no_header: str
    none_chosen: str
    what: str
    weak: dict[str, tuple[str, ...]] = field(default_factory=dict)
    list_fields: frozenset[str] = frozenset()
    stand_ins: frozenset[str] = frozenset()

    def _has_required(self, keys: set[str] | dict[str, list[int]]) -> bool:
        return self.required in keys or any(key in keys for key in self.stand_ins)

    @cached_property
    def labels(self) -> dict[str, str]:
        return dict(self.fields)

    @cached_property
    def _tables(self) -> tuple[dict[str, str], dict[str, str]]:
        strong = {
            header_key(spelling): key
            for key, spellings in self.synonyms.items()
            for spelling in (*spellings, self.labels[key])
        }
        weak = {header_key(spelling): key for key, spellings in self.weak.items() for spelling in spellings}
        return strong, weak

    def guess_mapping(self, headers: list[str]) -> dict[int, str | None]:
        """Which field each column holds, from its header (None when unknown).

        Each field is given to one column at most (list fields to every column that names them): the first
        column with a specific header ("Sector"), otherwise the first with a generic one ("Type").
        """
        mapping: dict[int, str | None] = dict.fromkeys(range(len(headers)))
        for table in self._tables:
            taken = set(mapping.values())
            for index, header in enumerate(headers):
                key = table.get(header_key(header))
                if mapping[index] is None and key is not None and (key not in taken or key in self.list_fields):
                    mapping[index] = key
                    taken.add(key)
        return mapping

    def find_header_row(self, sheet: Sheet) -> int:
        """The 0-based index of the header row: the row among the first 30 with the most known headers that
        has the required field. Title rows and blank rows above the header are common, so row 1 is not assumed.

        Raises:
            ImportFileError: no row in the first 30 has a heading for the required field.
        """
        best_index, best_count = -1, 0
        for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            found = {key for key in self.guess_mapping(cells).values() if key is not None}
            if self._has_required(found) and len(found) > best_count:
                best_index, best_count = index, len(found)
        if best_index < 0:
            raise ImportFileError(_(self.no_header).format(sheet=sheet.name, rows=preview(sheet)))
        return best_index

    def columns_by_field(self, mapping: dict[int, str | None], headers: list[str]) -> dict[str, list[int]]:
        """Field → the columns mapped to it, checked.

        Raises:
            ImportFileError: no column holds the required field, or a single-value field has two columns.
            ValueError: ``mapping`` names an unknown field or a column outside the sheet.
        """
        columns: dict[str, list[int]] = {}
        for index, key in sorted(mapping.items()):
            if key is None:
                continue
            if key not in self.labels:
                raise ValueError(f"unknown {self.what} field {key!r}")
            if not 0 <= index < len(headers):
                raise ValueError(f"column {index} is outside the sheet's {len(headers)} columns")
            columns.setdefault(key, []).append(index)
        if not self._has_required(columns):
            raise ImportFileError(_(self.none_chosen))
        for key, indexes in columns.items():
            if len(indexes) > 1 and key not in self.list_fields:
                titles = [f"“{column_title(headers, index)}”" for index in indexes]
                field_label = _(self.labels[key])
                if len(titles) == 2:
                    raise ImportFileError(
                        _("{field} is chosen for two columns, {first} and {second}: choose one.").format(
                            field=field_label, first=titles[0], second=titles[1]
                        )
                    )
                raise ImportFileError(
                    _("{field} is chosen for several columns, {columns}: choose one.").format(
                        field=field_label, columns=", ".join(titles)
                    )
                )
        return columns


@dataclass(frozen=True)
class Layout:
    """Where a sheet's list is: its header row (0-based), headings, and the checked mapping."""

    header_index: int
    headers: list[str]
    mapping: dict[int, str | None]
    columns: dict[str, list[int]]


def layout_of(
    sheet: Sheet, vocabulary: Vocabulary, *, header_row: int | None, mapping: dict[int, str | None] | None
) -> Layout:
    """The header row (found unless given) and the mapping (guessed unless given), checked.

    Raises:
        ImportFileError: see :meth:`Vocabulary.find_header_row` and :meth:`Vocabulary.columns_by_field`.
        ValueError: ``header_row`` outside the sheet, or a mapping to an unknown field or column.
    """
    header_index = vocabulary.find_header_row(sheet) if header_row is None else header_row
    if not 0 <= header_index < len(sheet.rows):
        raise ValueError(f"header_row {header_index} is outside the sheet's {len(sheet.rows)} rows")
    headers = list(sheet.rows[header_index])
    chosen = vocabulary.guess_mapping(headers) if mapping is None else dict(mapping)
    return Layout(header_index, headers, chosen, vocabulary.columns_by_field(chosen, headers))


def data_rows(sheet: Sheet, layout: Layout) -> tuple[list[tuple[int, list[str]]], int]:
    """The rows below the header that hold anything, each with its row number as Excel shows it, and how many
    rows there were blank."""
    below = range(layout.header_index + 1, len(sheet.rows))
    filled = [(index + 1, sheet.rows[index]) for index in below if any(sheet.rows[index])]
    return filled, len(below) - len(filled)


class RowCells:
    """One row's cells read through a layout: placeholders are empty, over-long cells cut, problems collected."""

    def __init__(self, cells: list[str], *, row: int, layout: Layout, vocabulary: Vocabulary) -> None:
        self.cells = cells
        self.row = row
        self._layout = layout
        self._vocabulary = vocabulary
        self.problems: list[RowProblem] = []

    def title(self, key: str) -> str:
        """The heading of the column holding ``key`` ("" when none does, or for the whole row)."""
        indexes = self._layout.columns.get(key)
        return column_title(self._layout.headers, indexes[0]) if indexes else ""

    def has(self, key: str) -> bool:
        return key in self._layout.columns

    def warn(self, key: str, message: str) -> None:
        self.problems.append(RowProblem(self.row, self.title(key), message, "warning"))

    def refused(self, key: str, message: str) -> list[RowProblem]:
        """The problems of a row that is skipped: only the reason."""
        return [RowProblem(self.row, self.title(key), message, "error")]

    def value(self, index: int) -> str:
        text = self.cells[index]
        if len(text) > MAX_FIELD_CHARS:
            self.problems.append(
                RowProblem(
                    self.row,
                    column_title(self._layout.headers, index),
                    _("Cut to {most} characters (it had {length})").format(
                        most=format_number(MAX_FIELD_CHARS), length=format_number(len(text))
                    ),
                    "warning",
                )
            )
            text = text[:MAX_FIELD_CHARS].rstrip()
        return "" if is_placeholder(text) else text

    def text(self, key: str) -> str:
        indexes = self._layout.columns.get(key)
        return self.value(indexes[0]) if indexes else ""

    def line(self, key: str) -> str:
        return single_line(self.text(key))

    def items(self, key: str) -> tuple[str, ...]:
        """The list in the field's columns ("a, b; c"), each item once whatever its case."""
        found: dict[str, str] = {}  # folded → as typed: "Youth, youth" is one item
        for index in self._layout.columns.get(key, []):
            for item in split_list(self.value(index)):
                if not is_placeholder(item):
                    found.setdefault(fold(item), single_line(item))
        if len(found) > MAX_LIST_ITEMS:
            self.warn(
                key,
                _("Only the first {most} of the {count} items in “{field}” were kept").format(
                    most=MAX_LIST_ITEMS, count=format_number(len(found)), field=_(self._vocabulary.labels[key])
                ),
            )
        return tuple(found.values())[:MAX_LIST_ITEMS]

    def email(self, key: str) -> str:
        """An e-mail address, or "" with a warning quoting what was there."""
        email = self.text(key).removeprefix("mailto:").strip()
        if email and not EMAIL.fullmatch(email):
            self.warn(key, _("“{text}” is not an e-mail address; it was left out").format(text=email))
            return ""
        return email

    def yes_no(self, key: str, *, otherwise: str = N_("“{text}” is not yes or no; recorded as no")) -> bool | None:
        """True or False for yes/no words, None for a blank cell; anything else warns and is None.

        ``otherwise`` is the whole warning (marked with ``N_``, ``{text}`` the cell), translated when given."""
        text = self.text(key)
        if not text:
            return None
        answer = fold(text)
        if answer in YES_WORDS:
            return True
        if answer in NO_WORDS:
            return False
        self.warn(key, _(otherwise).format(text=text))
        return None

    def day(self, key: str, *, today: date) -> date | None:
        """A date (UK day first, ISO, or an Excel serial number), or None with a warning quoting the cell."""
        text = self.text(key)
        try:
            return parse_sheet_date(text, today=today)
        except ValueError as exc:
            self.warn(key, _("{problem} It was left out").format(problem=exc))
            return None
