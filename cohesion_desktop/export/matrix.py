"""The workshop matrix (one workshop, several, or a synthesis of several) as Excel and as PDF.

The services build these plain values; the writers lay them out. See ``write_matrix_xlsx`` and
``write_matrix_pdf``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    PageBreak,
    Spacer,
    Table,
)

from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.files import save_error, write_pdf
from cohesion_desktop.export.pdf_text import (
    ACCENT,
    FONT_BOLD,
    FONT_REGULAR,
    MUTED,
    draw_centred_line,
    markup,
    markup_paragraph,
    one_frame_document,
    paragraph,
    register_fonts,
    styles,
    text_width,
)
from cohesion_desktop.export.xlsx import HEADER_FILL, HEADER_TEXT, Column, PrintLayout, WorkbookWriter
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import N_, _, current, labelled, ngettext


@dataclass(frozen=True)
class MatrixEntryOut:
    """One card of a cell."""

    text: str
    partner: str = ""  # who said it, when attributed
    votes: int = 0
    source: str = ""  # in a synthesis: the workshop it came from
    has_action: bool = False


@dataclass(frozen=True)
class MatrixRowOut:
    title: str  # "1. Building cross-sectoral partnerships"
    description: str = ""
    cells: Mapping[MatrixColumn, Sequence[MatrixEntryOut]] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionOut:
    title: str
    owner: str
    due_on: date | None
    status: str  # its label: "Open", "Done" …
    workshop: str
    row: str
    column: str  # the column's label
    entry: str


@dataclass(frozen=True)
class MatrixOut:
    """A workshop's matrix, or a synthesis of several workshops (``is_synthesis``)."""

    title: str
    subtitle: str  # "12/05/2026 · Millbrook · facilitated by Helen Ashworth", or the workshops combined
    rows: Sequence[MatrixRowOut]
    held_on: date | None = None
    partners_present: Sequence[str] = ()
    actions: Sequence[ActionOut] = ()
    is_synthesis: bool = False
    workshops: Sequence[str] = ()  # in a synthesis: "Northgate roundtable (01/03/2026)" …


# ---------------------------------------------------------------------------- Excel

_FIRST_HEADING = N_("Strategy element")  # translated where it is written, in the export's language
_ROW_FILL = "EAF1F3"  # the row-title column, as the first column of the Belong slide
_SHEET_WIDTHS = (32, 45, 45, 45, 45)
_LINE_HEIGHT = 15.0  # points per line of 11-point Calibri
_MAX_ROW_HEIGHT = 409.0  # Excel's limit


def write_matrix_xlsx(path: Path, matrices: Sequence[MatrixOut], *, organisation: str = "") -> Path:
    """Write the matrices as an Excel workbook: one sheet laid out as each matrix, then two flat tables.

    Each matrix sheet has the title lines, a header row ("Strategy element" and the four columns) and one
    sheet row per matrix row: the row title (its description on a second line of the same cell) and, in
    each column, that cell's entries as lines "• text — partner (source) [3 votes] » action", showing only
    the parts that exist. The "Entries" sheet lists every entry of every matrix as a filterable table, and
    "Actions" every action. No matrices, or matrices without entries or actions, still give a valid
    workbook whose empty tables say so.

    Args:
        path: The workbook to write; an existing file is replaced only once the new one is complete.
        matrices: The workshop matrices (or syntheses) in the order their sheets should appear.
        organisation: Printed under each matrix's title; may be empty.

    Returns:
        ``path``.

    Raises:
        CohesionError: The file could not be written (missing folder, disk full, open in Excel). The file at
            ``path`` is then left as it was.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise CohesionError(
            _("The matrix could not be saved: the folder {folder} does not exist.").format(folder=path.parent)
        )
    try:
        with WorkbookWriter(path) as book:
            for matrix in matrices:
                _write_matrix_sheet(book, matrix, organisation.strip())
            book.add_table_sheet(
                current().short(N_("Entries"), 31),
                [
                    Column(_("Workshop"), width=28),
                    Column(_("Date"), width=12),
                    Column(_("Row"), width=30, wrap=True),
                    Column(_("Column"), width=18),
                    Column(_("Entry"), width=60, wrap=True),
                    Column(_("Partner"), width=24),
                    Column(_("Votes"), width=8, number_format="0"),
                    Column(_("Source"), width=28),
                    Column(_("Action"), width=9),
                ],
                _entry_rows(matrices),
                table_name="MatrixEntries",
                print_layout=PrintLayout(landscape=True),
                empty_text=_("No entries"),
            )
            book.add_table_sheet(
                current().short(N_("Actions"), 31),
                [
                    Column(_("Workshop"), width=28),
                    Column(_("Action"), width=40, wrap=True),
                    Column(_("Owner"), width=24),
                    Column(_("Due"), width=12),
                    Column(_("Status"), width=12),
                    Column(_("Row"), width=30, wrap=True),
                    Column(_("Column"), width=18),
                    Column(_("From entry"), width=50, wrap=True),
                ],
                _action_rows(matrices),
                table_name="MatrixActions",
                print_layout=PrintLayout(landscape=True),
                empty_text=_("No actions"),
            )
    except OSError as exc:
        raise save_error(_("The matrix"), path, exc) from exc
    return path


def _write_matrix_sheet(book: WorkbookWriter, matrix: MatrixOut, organisation: str) -> None:
    sheet = book.add_sheet(matrix.title, print_layout=PrintLayout(landscape=True))
    for letter, width in zip("ABCDE", _SHEET_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    notes = [matrix.subtitle, organisation, _people_line(matrix)]
    notes = [note for note in notes if note.strip()]
    header_row = len(notes) + 3  # title, notes, a blank row, then the header
    # Panes and print titles are written with the first row, so they are set before any.
    sheet.freeze_panes = f"B{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"

    sheet.append([book.cell(sheet, matrix.title, bold=True, font_size=14)])
    for note in notes:
        sheet.append([book.cell(sheet, note, italic=True, color="595959")])
    sheet.append([])

    def heading(text: str) -> object:
        return book.cell(sheet, text, bold=True, fill=HEADER_FILL, color=HEADER_TEXT, border=True, wrap=True)

    sheet.append([heading(_(_FIRST_HEADING))] + [heading(column.label) for column in MatrixColumn])
    for number, row in enumerate(matrix.rows, start=header_row + 1):
        # One cell for title and description: openpyxl's write-only cells take one font, and a second sheet
        # row would put the description below the tallest cell of the row, far from its title.
        title = row.title + (f"\n{row.description}" if row.description.strip() else "")
        texts = [title] + [
            "\n".join(_entry_line(entry, matrix.is_synthesis) for entry in row.cells.get(column, ()))
            for column in MatrixColumn
        ]
        sheet.row_dimensions[number].height = _sheet_row_height(texts)
        sheet.append(
            [book.cell(sheet, title, bold=True, wrap=True, border=True, fill=_ROW_FILL)]
            + [book.cell(sheet, text, wrap=True, border=True) for text in texts[1:]]
        )
    if not matrix.rows:
        sheet.append([book.cell(sheet, _("This matrix has no rows."), italic=True, color="595959")])


def _sheet_row_height(texts: Sequence[str]) -> float:
    """A height that shows every line of the row's cells, estimated from their lengths and column widths.

    Write-only sheets cannot ask a spreadsheet to fit rows, and LibreOffice shows a row with no height as
    one line; a little too tall is better than cut off.
    """
    lines = 1
    for text, width in zip(texts, _SHEET_WIDTHS, strict=True):
        # A width unit is one digit "0"; average text is narrower, words that do not fill a line take some back.
        per_line = width * 1.05
        lines = max(lines, sum(math.ceil(max(len(line), 1) / per_line) for line in text.split("\n")))
    return min(lines * _LINE_HEIGHT + 4, _MAX_ROW_HEIGHT)


def _people_line(matrix: MatrixOut) -> str:
    if matrix.is_synthesis and matrix.workshops:
        return labelled(_("Workshops"), "; ".join(matrix.workshops))
    if matrix.partners_present:
        return labelled(_("Partners present"), ", ".join(matrix.partners_present))
    return ""


def _entry_line(entry: MatrixEntryOut, is_synthesis: bool) -> str:
    line = f"• {entry.text}"
    if entry.partner:
        line += f" — {entry.partner}"
    if is_synthesis and entry.source:
        line += f" ({entry.source})"
    if entry.votes:
        line += f" [{_votes(entry.votes)}]"
    if entry.has_action:
        line += f" {_action_mark()}"
    return line


def _votes(count: int) -> str:
    return ngettext("{n} vote", "{n} votes", count).format(n=f"{count:,}")


def _entry_rows(matrices: Sequence[MatrixOut]) -> Iterator[list[object]]:
    for matrix in matrices:
        for row in matrix.rows:
            for column in MatrixColumn:
                for entry in row.cells.get(column, ()):
                    yield [
                        matrix.title,
                        matrix.held_on,
                        row.title,
                        column.label,
                        entry.text,
                        entry.partner,
                        entry.votes,
                        entry.source if matrix.is_synthesis else None,
                        _("Yes") if entry.has_action else None,
                    ]


def _action_rows(matrices: Sequence[MatrixOut]) -> Iterator[list[object]]:
    for matrix in matrices:
        for action in matrix.actions:
            yield [
                action.workshop,
                action.title,
                action.owner,
                action.due_on,
                action.status,
                action.row,
                action.column,
                action.entry,
            ]


# ---------------------------------------------------------------------------- PDF

_PAGE_WIDTH, _PAGE_HEIGHT = landscape(A4)
_MARGIN = 12 * mm
_FRAME_WIDTH = _PAGE_WIDTH - 2 * _MARGIN
_FRAME_HEIGHT = _PAGE_HEIGHT - 2 * _MARGIN
_COLUMN_WIDTHS = [_FRAME_WIDTH * 0.18] + [_FRAME_WIDTH * 0.82 / 4] * 4
_PAD_X = 4.0
_PAD_Y = 4.0
# Points kept free on every page, so that rounding in reportlab never pushes a row we measured to the next page.
_SLACK = 3.0
# A tall row starting low on a page begins there only if at least this much of it fits; else on the next page.
_LEAST_PART = 72.0
_ENTRY_GAP = 4.0
_MOST_VOTED = 10
_ROW_BACKGROUND = colors.HexColor("#" + _ROW_FILL)
_GRID = colors.HexColor("#BFBFBF")
# No bundled font has arrows or a filled circle (they would print as empty boxes), hence "»" and "3 votes".
_ACTION_MARK = N_("» action")


def _action_mark() -> str:
    return _(_ACTION_MARK)


_NO_BREAK_SPACE = "\u00a0"
_LEFT_TO_RIGHT_MARK = "\u200e"


def write_matrix_pdf(path: Path, matrices: Sequence[MatrixOut], *, organisation: str = "") -> Path:
    """Write the matrices as an A4 landscape PDF, each starting on a new page, laid out as on the Belong slide.

    Per matrix: its title, subtitle and the partners present (or the workshops combined); the matrix as a
    table whose header row ("Strategy element" and the four columns) repeats on every page, one table row
    per matrix row, each cell's entries as a bullet list with partner, source (in a synthesis), votes and
    "» action" in small muted text under each entry; for a synthesis the number of entries at the top of each
    cell and the ten most voted entries; then the actions. A footer names the organisation, the matrix and
    the page.

    Page breaks never cut an entry: a matrix row taller than the space left on the page is split into
    continuation rows ("(continued)" under the row title) between entries. The one exception is a single
    entry taller than a whole page, which no page can hold: its text is split between lines across
    continuation rows, its partner and votes following its last line.

    Args:
        path: The PDF to write; an existing file is replaced only once the new one is complete.
        matrices: One or more workshop matrices (or syntheses).
        organisation: In the footer and as the PDF's author; may be empty.

    Returns:
        ``path``.

    Raises:
        CohesionError: No matrices; a missing folder; a file that cannot be written; text that cannot fit on
            a page (a row title or action thousands of characters long). The file at ``path`` is then left
            as it was.
    """
    path = Path(path)
    if not matrices:
        raise CohesionError(_("There is no workshop matrix to export: choose at least one workshop."))
    if not path.parent.is_dir():
        raise CohesionError(
            _("The matrix could not be saved: the folder {folder} does not exist.").format(folder=path.parent)
        )
    register_fonts()
    return write_pdf(
        path,
        lambda temporary: _build_pdf(temporary, matrices, organisation.strip()),
        what=_("The matrix"),
        too_long=_(
            "The matrix could not be laid out: some text is too long to fit on a page. Shorten the longest row "
            "title or action and try again."
        ),
    )


@dataclass(frozen=True)
class _Looks:
    """The paragraph styles of the matrix PDF."""

    heading: ParagraphStyle
    subtitle: ParagraphStyle
    note: ParagraphStyle
    section: ParagraphStyle
    band: ParagraphStyle
    row_title: ParagraphStyle
    row_note: ParagraphStyle
    entry: ParagraphStyle
    meta: ParagraphStyle
    count: ParagraphStyle
    cell: ParagraphStyle


def _looks() -> _Looks:
    base = styles()
    # No space before or after inside table cells: the gaps are Spacers, so a cell's height is the plain sum
    # of its flowables' heights, the sum the row splitting below relies on.
    cell = ParagraphStyle("cell", parent=base.body, fontSize=8.5, leading=11, spaceBefore=0, spaceAfter=0)
    bullet_indent = text_width("• ", cell.fontSize)
    entry = ParagraphStyle("entry", parent=cell, leftIndent=bullet_indent, firstLineIndent=-bullet_indent)
    meta = ParagraphStyle("meta", parent=cell, fontSize=7, leading=9, textColor=MUTED, leftIndent=bullet_indent)
    return _Looks(
        heading=ParagraphStyle("matrix-title", parent=base.title, fontSize=18, leading=24, spaceAfter=2),
        subtitle=ParagraphStyle("matrix-subtitle", parent=base.body, textColor=MUTED, spaceAfter=2),
        note=ParagraphStyle("matrix-note", parent=base.small, spaceAfter=8),
        section=ParagraphStyle("section", parent=base.heading, spaceBefore=14, keepWithNext=1),
        band=ParagraphStyle("band", parent=cell, fontName=FONT_BOLD, fontSize=9.5, leading=12, textColor=colors.white),
        row_title=ParagraphStyle("row-title", parent=cell, fontName=FONT_BOLD, fontSize=9, leading=12),
        row_note=ParagraphStyle("row-note", parent=cell, fontSize=7.5, leading=10, textColor=MUTED),
        entry=entry,
        meta=meta,
        count=ParagraphStyle("count", parent=meta, leftIndent=0, spaceAfter=0),
        cell=cell,
    )


def _build_pdf(target: Path, matrices: Sequence[MatrixOut], organisation: str) -> None:
    first = matrices[0].title
    more = len(matrices) - 1
    title = (
        first
        if not more
        else ngettext("{title} and {n} more", "{title} and {n} more", more).format(title=first, n=more)
    )
    footer = {"title": first}  # set by a marker at the start of each matrix, read at the end of each page
    page_text = _("page {page}")

    def draw_footer(canvas: Canvas, document: BaseDocTemplate) -> None:
        page = page_text.format(page=canvas.getPageNumber())
        parts = [organisation, footer["title"]]
        text = " – ".join([part for part in parts if part] + [page])
        if text_width(text, 7.5) > _FRAME_WIDTH:
            text = " – ".join([part[:40].rstrip() + "…" for part in parts if part] + [page])
        canvas.saveState()
        canvas.setFillColor(MUTED)
        # The mark makes the line read left to right, "page N" last, even when the organisation's name is Arabic.
        draw_centred_line(canvas, _LEFT_TO_RIGHT_MARK + text, _PAGE_WIDTH / 2, _MARGIN / 2 - 2, 7.5)
        canvas.restoreState()

    document = one_frame_document(
        str(target),
        page_size=(_PAGE_WIDTH, _PAGE_HEIGHT),
        margin=_MARGIN,
        title=title,
        subject=_("Workshop matrix"),
        author=organisation,
        template="matrix",
        on_page_end=draw_footer,
        lang=current().tag,
    )
    looks = _looks()
    story: list[Flowable] = []
    for index, matrix in enumerate(matrices):
        if index:
            story.append(PageBreak())
        story.append(_FooterTitle(footer, matrix.title))
        story.extend(_matrix_story(matrix, looks))
    document.build(story)


class _FooterTitle(Flowable):
    """Takes no room; names the matrix in the footer of the page it starts on and of the pages after."""

    def __init__(self, footer: dict[str, str], title: str) -> None:
        super().__init__()
        self._footer = footer
        self._title = title

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._footer["title"] = self._title


def _matrix_story(matrix: MatrixOut, looks: _Looks) -> list[Flowable]:
    top: list[Flowable] = [paragraph(matrix.title, looks.heading)]
    if matrix.subtitle.strip():
        top.append(paragraph(matrix.subtitle, looks.subtitle))
    if people := _people_line(matrix):
        top.append(paragraph(people, looks.note))
    else:
        top.append(Spacer(1, 6))
    used = sum(_height(flowable, _FRAME_WIDTH) for flowable in top)
    story = [*top, _matrix_table(matrix, looks, room_on_first_page=_FRAME_HEIGHT - used)]
    if not matrix.rows:
        story.append(paragraph(_("This matrix has no rows."), looks.note))
    if matrix.is_synthesis:
        story.extend(_most_voted(matrix, looks))
    if matrix.actions:
        story.extend(_actions(matrix, looks))
    return story


def _height(flowable: Flowable, width: float) -> float:
    """The height a flowable takes in a frame, counting its space before and after (an overestimate)."""
    return flowable.wrap(width, _FRAME_HEIGHT)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def _band_style(columns: int) -> list[tuple[object, ...]]:
    return [
        # Cells hold paragraphs, but a table names its cell font on the page anyway: Helvetica by default.
        ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
        ("BACKGROUND", (0, 0), (columns - 1, 0), ACCENT),
        ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), _PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD_Y),
    ]


def _matrix_table(matrix: MatrixOut, looks: _Looks, *, room_on_first_page: float) -> Table:
    header: list[list[Flowable]] = [[paragraph(_(_FIRST_HEADING), looks.band)]] + [
        [paragraph(column.label, looks.band)] for column in MatrixColumn
    ]
    header_height = _row_height(header)
    page_room = _FRAME_HEIGHT - header_height - _SLACK
    room = room_on_first_page - header_height - _SLACK
    rows = [header]
    for row in matrix.rows:
        parts, room = _row_parts(row, matrix.is_synthesis, looks, room=room, page_room=page_room)
        rows.extend(parts)
    style = [*_band_style(5), ("BACKGROUND", (0, 1), (0, -1), _ROW_BACKGROUND)]
    # splitInRow stays 0: reportlab breaks pages between table rows only, and _row_parts makes rows that fit.
    return Table(rows, colWidths=_COLUMN_WIDTHS, repeatRows=1, style=style)


def _row_height(cells: Sequence[Sequence[Flowable]]) -> float:
    return (
        max(
            sum(f.wrap(width - 2 * _PAD_X, _FRAME_HEIGHT)[1] for f in cell)
            for width, cell in zip(_COLUMN_WIDTHS, cells, strict=True)
        )
        + 2 * _PAD_Y
    )


@dataclass
class _Piece:
    """Flowables that stay together in one cell (an entry, or the part of a very long one), and their height."""

    flowables: list[Flowable]
    height: float


def _row_parts(
    row: MatrixRowOut, is_synthesis: bool, looks: _Looks, *, room: float, page_room: float
) -> tuple[list[list[list[Flowable]]], float]:
    """The table rows that show one matrix row, and the room left on the page after them.

    ``room`` is the height left on the current page, ``page_room`` the height a fresh page offers under the
    header. A row that fits in ``room``, or on a fresh page, is one table row, as reportlab would place it.
    A taller one is cut between entries into parts: the first fills what is left of the page, each next one
    a page (reportlab never splits inside a table row, so each part must fit where it will land).
    """
    inner = [width - 2 * _PAD_X for width in _COLUMN_WIDTHS]
    continued = [paragraph(row.title, looks.row_title), paragraph(_("(continued)"), looks.row_note)]
    continued_height = _stack(continued, inner[0])
    if continued_height > page_room / 2:
        # Every part repeats the title: with a title this tall the parts would leave no room for entries.
        raise CohesionError(
            _(
                "The row title “{title}…” is too long to fit on a page of the PDF ({n} characters). Please shorten it."
            ).format(title=row.title[:40], n=f"{len(row.title):,}")
        )
    # Anything taller than this cannot share a fresh page with the "(continued)" title: split it.
    limit = page_room - 2 * _PAD_Y - continued_height

    first_heads: list[list[Flowable]] = [[paragraph(row.title, looks.row_title)]]
    columns: list[deque[_Piece]] = [deque(_text_pieces(row.description, looks.row_note, inner[0], limit))]
    for column, width in zip(MatrixColumn, inner[1:], strict=True):
        entries = row.cells.get(column, ())
        count = [markup_paragraph(markup(_entries(len(entries))), looks.count)] if is_synthesis and entries else []
        first_heads.append(count)
        columns.append(
            deque(piece for entry in entries for piece in _entry_pieces(entry, is_synthesis, looks, width, limit))
        )

    whole = _part_height(first_heads, [list(pieces) for pieces in columns], inner)
    if whole <= room:
        return [_part(first_heads, columns)], room - whole
    if whole <= page_room:
        return [_part(first_heads, columns)], page_room - whole

    parts: list[list[list[Flowable]]] = []
    heads = first_heads
    while any(columns) or heads is first_heads:
        budget = room - 2 * _PAD_Y
        if room < page_room and budget < _LEAST_PART + max(
            _stack(head, w) for head, w in zip(heads, inner, strict=True)
        ):
            room = page_room
            continue
        taken = [
            _take(pieces, budget - _stack(head, width))
            for head, pieces, width in zip(heads, columns, inner, strict=True)
        ]
        if not any(taken) and room < page_room:
            for pieces, back in zip(columns, taken, strict=True):
                pieces.extendleft(reversed(back))
            room = page_room
            continue
        height = _part_height(heads, taken, inner)
        parts.append(_part(heads, taken))
        room -= height
        heads = [continued, [], [], [], []]
    return parts, room


def _take(pieces: deque[_Piece], budget: float) -> list[_Piece]:
    """Take pieces from the front of ``pieces`` as long as their total height stays within ``budget``."""
    taken: list[_Piece] = []
    used = 0.0
    while pieces and used + pieces[0].height <= budget:
        used += pieces[0].height
        taken.append(pieces.popleft())
    return taken


def _stack(flowables: Sequence[Flowable], width: float) -> float:
    return sum(f.wrap(width, _FRAME_HEIGHT)[1] for f in flowables)


def _part_height(
    heads: Sequence[Sequence[Flowable]], pieces: Sequence[Sequence[_Piece]], inner: Sequence[float]
) -> float:
    return (
        max(
            _stack(head, width) + sum(piece.height for piece in column)
            for head, column, width in zip(heads, pieces, inner, strict=True)
        )
        + 2 * _PAD_Y
    )


def _part(heads: Sequence[Sequence[Flowable]], pieces: Sequence[Iterable[_Piece]]) -> list[list[Flowable]]:
    return [
        [*head, *(f for piece in column for f in piece.flowables)] for head, column in zip(heads, pieces, strict=True)
    ]


def _entries(count: int) -> str:
    return ngettext("{n} entry", "{n} entries", count).format(n=f"{count:,}")


def _entry_pieces(entry: MatrixEntryOut, is_synthesis: bool, looks: _Looks, width: float, limit: float) -> list[_Piece]:
    """One piece for an entry: "• text", then partner, source, votes and action in small muted text.

    An entry taller than ``limit`` (a page) is the one thing split: its text between lines, in pieces that
    each fit a page, the small line after the last piece.
    """
    details = [markup(entry.partner)] if entry.partner else []
    if is_synthesis and entry.source:
        details.append(f"<i>{markup(entry.source)}</i>")
    if entry.votes:
        details.append(_emphasis(_votes(entry.votes)))
    if entry.has_action:
        details.append(_emphasis(_action_mark()))
    tail: list[Flowable] = [markup_paragraph(" · ".join(details), looks.meta)] if details else []
    tail.append(Spacer(1, _ENTRY_GAP))
    tail_height = _stack(tail, width)
    pieces = _text_pieces(f"• {entry.text}", looks.entry, width, limit - tail_height)
    last = pieces[-1]
    pieces[-1] = _Piece([*last.flowables, *tail], last.height + tail_height)
    return pieces


def _text_pieces(text: str, style: ParagraphStyle, width: float, limit: float) -> list[_Piece]:
    """``text`` as a paragraph, split between lines into pieces no taller than ``limit``; none if blank."""
    if not text.strip():
        return []
    pieces: list[_Piece] = []
    rest: Flowable = paragraph(text, style)
    while True:
        height = rest.wrap(width, limit)[1]
        halves = rest.split(width, limit) if height > limit else []
        if len(halves) != 2:
            # It fits, or not even one line fits (then reportlab reports it, and the writer explains).
            pieces.append(_Piece([rest], height))
            return pieces
        head, rest = halves
        pieces.append(_Piece([head], head.wrap(width, limit)[1]))


def _emphasis(text: str) -> str:
    """Bold accent markup of our own short text; no-break spaces keep "3 votes" on one line."""
    kept_together = markup(text.replace(" ", _NO_BREAK_SPACE), bold=True)
    return f'<font color="#{ACCENT.hexval()[2:]}">{kept_together}</font>'


def _most_voted(matrix: MatrixOut, looks: _Looks) -> list[Flowable]:
    voted = [
        (entry, row.title, column)
        for row in matrix.rows
        for column in MatrixColumn
        for entry in row.cells.get(column, ())
        if entry.votes > 0
    ]
    voted.sort(key=lambda found: -found[0].votes)  # stable: ties keep the order of the matrix
    if not voted:
        return []
    story: list[Flowable] = [paragraph(_("Most voted"), looks.section)]
    number_indent = text_width("10. ", looks.cell.fontSize)
    entry = ParagraphStyle("voted", parent=looks.cell, leftIndent=number_indent, firstLineIndent=-number_indent)
    meta = ParagraphStyle("voted-meta", parent=looks.meta, leftIndent=number_indent, spaceAfter=_ENTRY_GAP)
    for rank, (found, row_title, column) in enumerate(voted[:_MOST_VOTED], start=1):
        story.append(paragraph(f"{rank}. {found.text}", entry))
        details = [_emphasis(_votes(found.votes)), markup(row_title), markup(column.label)]
        details += [f"<i>{markup(found.source)}</i>"] if found.source else []
        details += [markup(found.partner)] if found.partner else []
        story.append(markup_paragraph(" · ".join(details), meta))
    return story


def _actions(matrix: MatrixOut, looks: _Looks) -> list[Flowable]:
    widths = [_FRAME_WIDTH * share for share in (0.5, 0.25, 0.1, 0.15)]
    headings = (_("Action"), _("Owner"), _("Due"), _("Status"))
    rows: list[list[Flowable]] = [[paragraph(text, looks.band) for text in headings]]
    for action in matrix.actions:
        due = f"{format_date(action.due_on)}" if action.due_on else ""
        rows.append([paragraph(text, looks.cell) for text in (action.title, action.owner, due, action.status)])
    return [paragraph(_("Actions"), looks.section), Table(rows, colWidths=widths, repeatRows=1, style=_band_style(4))]
