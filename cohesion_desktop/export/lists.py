"""Everyday lists (the partner directory, the volunteer list) as an Excel workbook or a printable A4 PDF.

A list is a :class:`ListTable` of plain values chosen by a service: the columns the user chose, the rows of the
current search and filters. The workbook holds one filterable table and a sheet saying what the list is (the
selection, the date, any reminder about personal data); the PDF prints the same on every page it needs, its
header row repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Table

from cohesion_desktop import APP_NAME
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.files import save_error, write_pdf
from cohesion_desktop.export.pdf_text import (
    ACCENT,
    FONT_BOLD,
    FONT_REGULAR,
    MUTED,
    draw_centred_line,
    one_frame_document,
    paragraph,
    register_fonts,
    styles,
    text_width,
)
from cohesion_desktop.export.xlsx import Column, PrintLayout, WorkbookWriter
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import N_, _

_MARGIN = 12 * mm
_GRID = colors.HexColor("#BFBFBF")
_STRIPE = colors.HexColor("#EAF1F3")
_LEFT_TO_RIGHT_MARK = "\u200e"
# More columns than this print across a landscape page.
_PORTRAIT_COLUMNS = 4
FORMATS = {".xlsx": N_("Excel workbook (*.xlsx)"), ".pdf": N_("PDF document (*.pdf)")}  # translated where shown
NOTHING_MATCHES = N_("Nothing matches this search and these filters.")


@dataclass(frozen=True)
class ListColumn:
    """One column of a list.

    Attributes:
        title: Header text.
        share: Its part of the page width in the PDF, relative to the other columns (a remit wants more).
        wrap: Long text (remits, skills) wraps in the workbook too.
    """

    title: str
    share: float = 1.0
    wrap: bool = False


@dataclass(frozen=True)
class ListTable:
    """A list ready to write.

    Attributes:
        title: "Partner directory", "Volunteers".
        selection: What was chosen, in words: "12 of 40 partners; sector: Business; search: “mill”".
        columns: The columns, in order.
        rows: One sequence of plain values per row (text, numbers, dates, booleans, None), as long as ``columns``.
        produced_on: The day the list was made.
        organisation: The organisation's name, at the top of the PDF ("" for none).
        reminder: What the reader must remember (personal data), printed above the table ("" for none).
    """

    title: str
    selection: str
    columns: Sequence[ListColumn]
    rows: Sequence[Sequence[object]]
    produced_on: date
    organisation: str = ""
    reminder: str = ""


def write_list(path: Path, table: ListTable) -> Path:
    """Write ``table`` as a workbook or a PDF, by the suffix of ``path`` (.xlsx or .pdf).

    Raises:
        CohesionError: Another suffix, a missing folder, or a file that cannot be written; nothing is then
            left at ``path`` and an older file there is unchanged.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CohesionError(
            _("{name}: a list is written as .xlsx or .pdf, not “{suffix}”.").format(
                name=path.name, suffix=path.suffix or _("no suffix")
            )
        )
    if not path.parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=path.parent))
    return write_list_pdf(path, table) if suffix == ".pdf" else write_list_xlsx(path, table)


def write_list_xlsx(path: Path, table: ListTable) -> Path:
    """One sheet holding the list as a filterable Excel table, and one saying what the list is."""
    path = Path(path)
    try:
        with WorkbookWriter(path) as book:
            book.add_table_sheet(
                table.title,
                [Column(column.title, wrap=column.wrap) for column in table.columns],
                table.rows,
                print_layout=PrintLayout(landscape=len(table.columns) > _PORTRAIT_COLUMNS),
                empty_text=_(NOTHING_MATCHES),
            )
            about = book.add_sheet(_("About this list"))
            about.column_dimensions["A"].width = 18
            about.column_dimensions["B"].width = 90
            about.append([book.cell(about, table.title, bold=True, font_size=14)])
            for label, value in (
                (_("Organisation"), table.organisation),
                (_("Selection"), table.selection),
                (_("Produced on"), table.produced_on),
                (_("Rows"), len(table.rows)),
                (_("Remember"), table.reminder),
                (_("Produced by"), APP_NAME),
            ):
                if value != "":
                    about.append([book.cell(about, label, bold=True), book.cell(about, value, wrap=True)])
    except OSError as exc:
        raise save_error(_what(table), path, exc, open_in="Excel") from exc
    return path


def write_list_pdf(path: Path, table: ListTable) -> Path:
    """The list on A4 (landscape when it has more than four columns): title, selection, reminder, then the table
    with its header on every page, and the title, date and page number in the footer."""
    register_fonts()
    return write_pdf(
        Path(path),
        lambda temporary: _build_pdf(temporary, table),
        what=_what(table),
        too_long=_(
            "The list “{title}” could not be laid out: some text is too long for a page. Leave out the longest "
            "column (a remit, perhaps) and try again."
        ).format(title=table.title),
    )


def _what(table: ListTable) -> str:
    return _("The list “{title}”").format(title=table.title)


def cell_text(value: object) -> str:
    """A plain value as a PDF cell shows it: dates as dd/mm/yyyy, booleans as Yes/No, hours to one decimal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return format_date(value.astimezone().date() if value.tzinfo else value.date())
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _build_pdf(target: Path, table: ListTable) -> None:
    page_size = landscape(A4) if len(table.columns) > _PORTRAIT_COLUMNS else A4
    page_width = page_size[0]
    frame_width = page_width - 2 * _MARGIN
    footer = " – ".join(part for part in (table.organisation, table.title, format_date(table.produced_on)) if part)

    def draw_footer(canvas: Canvas, _document: BaseDocTemplate) -> None:
        text = f"{footer} – page {canvas.getPageNumber()}"
        if text_width(text, 7.5) > frame_width:
            text = f"{table.title} – page {canvas.getPageNumber()}"
        canvas.saveState()
        canvas.setFillColor(MUTED)
        draw_centred_line(canvas, _LEFT_TO_RIGHT_MARK + text, page_width / 2, _MARGIN / 2, 7.5)
        canvas.restoreState()

    document = one_frame_document(
        str(target),
        page_size=page_size,
        margin=_MARGIN,
        title=table.title,
        subject=table.title,
        author=table.organisation,
        template="list",
        on_page_end=draw_footer,
    )
    base = styles()
    cell = ParagraphStyle("list-cell", parent=base.body, fontSize=8.5, leading=11, spaceBefore=0, spaceAfter=0)
    band = ParagraphStyle("list-band", parent=cell, fontName=FONT_BOLD, textColor=colors.white)
    reminder = ParagraphStyle("list-reminder", parent=base.body, fontName=FONT_BOLD, textColor=ACCENT)
    heading = table.title + (f" – {table.organisation}" if table.organisation else "")
    story = [paragraph(heading, base.title), paragraph(table.selection, base.small)]
    if table.reminder:
        story.append(paragraph(table.reminder, reminder))
    total_share = sum(column.share for column in table.columns) or 1.0
    data = [[paragraph(column.title, band) for column in table.columns]]
    data += [[paragraph(cell_text(value), cell) for value in row] for row in table.rows]
    if not table.rows:
        data.append([paragraph(_(NOTHING_MATCHES), cell)] + [""] * (len(data[0]) - 1))
    story.append(
        Table(
            data,
            colWidths=[frame_width * column.share / total_share for column in table.columns],
            repeatRows=1,
            hAlign="LEFT",
            style=[
                # Cells hold paragraphs, but a table names its cell font on the page anyway: Helvetica by default.
                ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, _STRIPE]),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ],
        )
    )
    document.build(story)
