"""The funder summary as an Excel workbook and as an A4 PDF, from a :class:`FunderReport` of plain values.

The workbook's sheets, in this order and named exactly: Summary, Partners, Opportunities, Volunteering hours,
Workshops, Actions, Notes. Every cell goes through :class:`WorkbookWriter` (text stays text, dates are dates);
every piece of PDF text through ``pdf_text`` (escaped, in the bundled fonts). Both files are written beside the
target and moved over it only when complete, so a failure or a cancel leaves nothing at the target.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image as SheetImage
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from cohesion_desktop import APP_NAME
from cohesion_desktop.dates import format_date
from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.files import save_error, write_pdf
from cohesion_desktop.export.funder_report import (
    UNIT_HOURS,
    UNIT_MONEY,
    ActionLine,
    Figure,
    FunderReport,
    FunderSummary,
    MonthHours,
    OpportunityLine,
    PartnerHours,
    PartnerLine,
    ReportHeading,
    VolunteerHours,
)
from cohesion_desktop.export.pdf_text import (
    ACCENT,
    FONT_BOLD,
    FONT_REGULAR,
    MUTED,
    draw_centred_line,
    markup,
    paragraph,
    register_fonts,
    styles,
    text_width,
)
from cohesion_desktop.export.xlsx import (
    EMPTY_TABLE_TEXT,
    HEADER_FILL,
    HEADER_TEXT,
    Column,
    PrintLayout,
    TableBlock,
    WorkbookWriter,
)

if TYPE_CHECKING:
    from types import TracebackType

    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from cohesion_desktop.export.matrix import MatrixOut

Progress = Callable[[str, float], None]

SHEETS = ("Summary", "Partners", "Opportunities", "Volunteering hours", "Workshops", "Actions", "Notes")
TITLE = "Summary for funders"
HOURS_FORMAT = "#,##0.0"
MONEY_FORMAT = "£#,##0"
COUNT_FORMAT = "#,##0"
MONTH_FORMAT = "mmm yyyy"
# Columns A–C of the Summary sheet are 38 + 16 + 14 characters: about 13 cm, the width of its charts.
_SUMMARY_WIDTHS = (38, 16, 14, 3, 30, 11)
_CHART_WIDTH_CM = 12.8
_ROW_CM = 0.53  # a default row, 15 points
DELETED_NOTE = ("Figures exclude deleted records: a deleted partner, opportunity, volunteer, placement, hours entry, "
                "workshop, entry or action is left out, as are hours on a deleted placement, volunteer, opportunity "
                "or host partner. An erased volunteer's hours still count, without their name.")
NAMES_LEFT_OUT = ("Not included: the report holds aggregates only, and no volunteer's name, e-mail address or "
                  "phone number.")
NAMES_INCLUDED = ("Included at the exporter's request: hours by volunteer, with their names (never their contact "
                  "details). This is personal data under UK GDPR: share it only as your volunteers agreed.")


def _nothing(_stage: str, _fraction: float) -> None:
    pass


def _figure_format(figure: Figure) -> str:
    return {UNIT_HOURS: HOURS_FORMAT, UNIT_MONEY: MONEY_FORMAT}.get(figure.unit, COUNT_FORMAT)


def _read_logo(logo: Path) -> ImageReader:
    """The logo decoded in full, or a clear error before anything is written."""
    try:
        image = ImageReader(str(logo))
        width, height = image.getSize()
        image.getRGBData()  # a truncated file fails here, not half-way through writing
    except Exception as exc:  # PIL and reportlab raise many kinds of error for a file that is not an image
        raise CohesionError(f"The logo {logo} could not be read as a PNG or JPEG image. Choose another file, "
                            "or no logo.") from exc
    if width <= 0 or height <= 0:
        raise CohesionError(f"The logo {logo} is an empty image. Choose another file, or no logo.")
    return image


def _check_target(path: Path) -> None:
    if not path.parent.is_dir():
        raise CohesionError(f"The summary could not be saved: the folder {path.parent} does not exist.")


# Each sheet's share of the progress bar: roughly its share of the time on a large file. Fixed rather than
# counted, because the parts of the report may still be gathered while the first sheets are written.
_SHEET_WEIGHTS = {"Partners": 30, "Opportunities": 20, "Volunteering hours": 6, "Workshops": 20, "Actions": 3,
                  "Notes": 1, "Summary": 1}
_SAVING_SHARE = 0.15


class _Steps:
    """Turns rows written per sheet into one fraction of the whole export, each sheet a fixed share, in the
    order the sheets are written (which need not be their order in the workbook)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._total = sum(_SHEET_WEIGHTS.values())
        self._done = 0.0
        self._current = (0.0, 0.0)

    def start(self, name: str) -> None:
        share = (1 - _SAVING_SHARE) * _SHEET_WEIGHTS[name] / self._total
        self._current = (self._done, share)
        self._done += share
        self._progress(f"Writing {name}", self._current[0])

    def rows(self, name: str, size: int) -> Callable[[int], None]:
        start, share = self._current
        return lambda written: self._progress(f"Writing {name}", start + share * min(1.0, written / max(size, 1)))

    def finish(self, stage: str) -> None:
        self._progress(stage, 1 - _SAVING_SHARE)


# ============================================================================ Excel


def write_summary_xlsx(path: Path, report: FunderReport, progress: Progress | None = None) -> Path:
    """Write the funder summary as an Excel workbook (see :class:`SummaryWorkbook` for its sheets).

    Args:
        path: The workbook to write; an existing file is replaced only once the new one is complete.
        report: What to write.
        progress: Called with a stage and a fraction from 0 to 1; it may raise to cancel, which leaves
            nothing at ``path``.

    Returns:
        ``path``.

    Raises:
        CohesionError: A missing folder, a logo that is not an image, or a file that cannot be written. The file
            at ``path`` is then left as it was.
    """
    with SummaryWorkbook(path, report.heading, progress) as book:
        book.write_partners(report.partners)
        book.write_opportunities(report.opportunities)
        book.write_hours(report.summary.hours_by_month, report.hours_by_partner, report.hours_by_volunteer)
        book.write_workshops(report.workshops)
        book.write_actions(report.actions)
        book.finish(report.summary)
    return path


class SummaryWorkbook:
    """The funder workbook, written part by part as each part of the report arrives.

    Sheets, in order: Summary (the figures and two charts, on one A4 page), Partners, Opportunities, Volunteering
    hours, Workshops, Actions, Notes (how each figure was computed). Summary comes first in the workbook but is
    filled last, by :meth:`finish`, so that the figures, which take longest to count, are needed last. Every
    sheet but Summary is one or more filterable Excel tables under a frozen, styled header; a table with no
    rows says "No data in this period".

    Every sheet is in place from the start, so the ``write_…`` methods can be called in any order, each once, as
    the parts arrive; then :meth:`finish`. Use it as a context manager: a clean exit saves the workbook, an
    exception (or a cancel raised by ``progress``) leaves nothing at ``path``.

    Raises:
        CohesionError: A missing folder, a logo that is not an image, or a file that cannot be written. The file
            at ``path`` is then left as it was.
    """

    def __init__(self, path: Path, heading: ReportHeading, progress: Progress | None = None) -> None:
        self.path = Path(path)
        _check_target(self.path)
        if heading.logo is not None:
            _read_logo(heading.logo)  # refuse a bad logo before writing anything
        self._heading = heading
        self._steps = _Steps(progress or _nothing)
        self._book = WorkbookWriter(self.path)
        self._book.reserve_sheets(SHEETS)

    def __enter__(self) -> SummaryWorkbook:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self._book.__exit__(exc_type, exc, tb)  # saves after a clean exit, discards after an exception
        except OSError as error:
            raise save_error("The summary", self.path, error) from error
        if isinstance(exc, OSError):  # a temporary file of a sheet could not be written (disk full)
            raise save_error("The summary", self.path, exc) from exc

    def write_partners(self, partners: Sequence[PartnerLine]) -> None:
        self._steps.start("Partners")
        self._table("Partners", [
            Column("Partner", width=34), Column("Sector", width=26), Column("SME", width=7),
            Column("Relationship", width=16), Column("Themes", width=36, wrap=True),
            Column("Places", width=28, wrap=True), Column("Remit", width=60, wrap=True),
            Column("Added on", width=12),
        ], ([p.name, p.sector, p.is_sme, p.stage, p.themes, p.places, p.remit, p.added_on] for p in partners),
            len(partners), table_name="Partners")

    def write_opportunities(self, opportunities: Sequence[OpportunityLine]) -> None:
        self._steps.start("Opportunities")
        self._table("Opportunities", [
            Column("Opportunity", width=36, wrap=True), Column("Host partner", width=28),
            Column("Supporting partner", width=24), Column("Kind", width=22), Column("Place", width=18),
            Column("Status today", width=13), Column("Starts", width=12), Column("Ends", width=12),
            Column("Places", width=9, number_format=COUNT_FORMAT),
            Column("Places filled", width=9, number_format=COUNT_FORMAT),
            Column("Placements started", width=12, number_format=COUNT_FORMAT),
            Column("Volunteers", width=11, number_format=COUNT_FORMAT),
            Column("Hours", width=11, number_format=HOURS_FORMAT),
        ], ([o.title, o.host, o.supporter, o.kind, o.place, o.status, o.starts_on, o.ends_on, o.places_available,
             o.places_filled, o.placements_started, o.volunteers, o.hours] for o in opportunities),
            len(opportunities), table_name="Opportunities")

    def write_hours(self, by_month: Sequence[MonthHours], by_partner: Sequence[PartnerHours],
                    by_volunteer: Sequence[VolunteerHours]) -> None:
        """By month and by partner; by volunteer (with names) only if the heading says names are included."""
        self._steps.start("Volunteering hours")
        blocks = [
            TableBlock([Column("Month", width=11, number_format=MONTH_FORMAT),
                        Column("Hours", width=11, number_format=HOURS_FORMAT),
                        Column("Hours entries", width=10, number_format=COUNT_FORMAT)],
                       ([m.month, m.hours, m.entries] for m in by_month), table_name="HoursByMonth"),
            TableBlock([Column("Partner", width=34), Column("Sector", width=26),
                        Column("Hours on its opportunities", width=14, number_format=HOURS_FORMAT),
                        Column("Volunteers", width=11, number_format=COUNT_FORMAT),
                        Column("Opportunities", width=13, number_format=COUNT_FORMAT)],
                       ([p.partner, p.sector, p.hours, p.volunteers, p.opportunities] for p in by_partner),
                       table_name="HoursByPartner"),
        ]
        if self._heading.include_names:
            blocks.append(TableBlock(
                [Column("Volunteer", width=30), Column("Hours", width=11, number_format=HOURS_FORMAT),
                 Column("Opportunities", width=13, number_format=COUNT_FORMAT)],
                ([v.volunteer, v.hours, v.opportunities] for v in by_volunteer), table_name="HoursByVolunteer"))
        size = max(len(by_month), len(by_partner), len(by_volunteer) if self._heading.include_names else 0)
        self._book.add_tables_sheet("Volunteering hours", blocks,
                                    progress=self._steps.rows("Volunteering hours", size),
                                    print_layout=PrintLayout(landscape=True))

    def write_workshops(self, workshops: Sequence[MatrixOut]) -> None:
        self._steps.start("Workshops")
        entries = sum(len(cells) for matrix in workshops for row in matrix.rows for cells in row.cells.values())
        self._table("Workshops", [
            Column("Workshop", width=30), Column("Date", width=12), Column("Row", width=32, wrap=True),
            Column("Column", width=18), Column("Entry", width=60, wrap=True), Column("Partner", width=26),
            Column("Votes", width=8, number_format=COUNT_FORMAT),
        ], _entry_rows(workshops), entries, table_name="WorkshopEntries")

    def write_actions(self, actions: Sequence[ActionLine]) -> None:
        self._steps.start("Actions")
        self._table("Actions", [
            Column("Action", width=40, wrap=True), Column("Owner", width=26), Column("Due", width=12),
            Column("Status today", width=13), Column("Overdue", width=9), Column("Completed", width=12),
            Column("Workshop", width=30), Column("Workshop date", width=12),
            Column("From entry", width=44, wrap=True),
        ], ([a.title, a.owner, a.due_on, a.status, a.overdue, a.completed_on, a.workshop, a.workshop_on, a.entry]
            for a in actions), len(actions), table_name="Actions")

    def finish(self, summary: FunderSummary) -> None:
        """The Notes sheet, then the figures and charts on Summary; the workbook is saved when the block ends."""
        self._steps.start("Notes")
        self._book.add_table_sheet("Notes", [
            Column("Item", width=30), Column("Value", width=18), Column("How it was computed", width=90, wrap=True),
        ], _note_rows(self._heading, summary), table_name="Notes", print_layout=PrintLayout())
        self._steps.start("Summary")
        sheet = self._book.add_sheet("Summary", print_layout=PrintLayout(one_page=True))
        for letter, width in zip("ABCDEF", _SUMMARY_WIDTHS, strict=True):
            sheet.column_dimensions[letter].width = width
        _fill_summary_sheet(self._book, sheet, self._heading, summary)
        if self._book.unfilled_sheets:
            raise RuntimeError(f"Sheets left unwritten: {', '.join(self._book.unfilled_sheets)}")  # a caller's bug
        self._steps.finish("Saving")

    def _table(self, title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]], size: int, *,
               table_name: str) -> None:
        self._book.add_table_sheet(title, columns, rows, table_name=table_name, progress=self._steps.rows(title, size),
                                   print_layout=PrintLayout(landscape=True))


def _fill_summary_sheet(book: WorkbookWriter, sheet: WriteOnlyWorksheet, report: ReportHeading,
                        summary: FunderSummary) -> None:
    """Title, period and figures in A–C; the charts' data in E–F; the two charts under the figures."""

    def header(text: str) -> object:
        return book.cell(sheet, text, bold=True, fill=HEADER_FILL, color=HEADER_TEXT, border=True)

    def note(text: str) -> object:
        return book.cell(sheet, text, italic=True, color="595959")

    left: list[list[object]] = []
    if report.organisation_name:
        left.append([book.cell(sheet, report.organisation_name, bold=True, font_size=16)])
        left.append([book.cell(sheet, TITLE, bold=True, font_size=12, color=HEADER_FILL)])
    else:
        left.append([book.cell(sheet, TITLE, bold=True, font_size=16)])
        left.append([])
    left += [["From", book.cell(sheet, summary.period.start)], ["To", book.cell(sheet, summary.period.end)],
             ["Produced on", book.cell(sheet, report.made_at.date())], []]
    figures_row = len(left) + 1
    left.append([header("Figure"), header("Value"), header("Unit")])
    for figure in summary.figures:
        value = (book.cell(sheet, "not set", border=True) if figure.value is None
                 else book.cell(sheet, figure.value, border=True, number_format=_figure_format(figure)))
        left.append([book.cell(sheet, figure.label, border=True), value, book.cell(sheet, figure.unit, border=True)])
    left.append([])
    if summary.is_empty:
        left.append([note(EMPTY_TABLE_TEXT)])
    left.append([note("Figures exclude deleted records. The Notes sheet says how each figure was computed.")])

    # The charts' data: each chart refers to cells of its own sheet, so they live here, beside the figures.
    right: list[list[object]] = [[header("Month"), header("Hours")]]
    right += [[book.cell(sheet, m.month, number_format=MONTH_FORMAT), book.cell(sheet, m.hours,
                                                                                 number_format=HOURS_FORMAT)]
              for m in summary.hours_by_month]
    months = (figures_row + 1, figures_row + len(summary.hours_by_month))
    right.append([])
    sectors_row = figures_row + len(right)
    right.append([header("Sector"), header("Partners")])
    right += [[book.cell(sheet, s.label), book.cell(sheet, s.count, number_format=COUNT_FORMAT)]
              for s in summary.partners_by_sector]
    if not summary.partners_by_sector:
        right.append([note(EMPTY_TABLE_TEXT)])
    sectors = (sectors_row + 1, sectors_row + len(summary.partners_by_sector))

    # The data block starts on the figures' header row, in columns E–F (D stays empty between the two).
    right_start = figures_row - 1
    for index in range(max(len(left), right_start + len(right))):
        cells = list(left[index]) if index < len(left) else []
        if right_start <= index < right_start + len(right):
            cells += [None] * (4 - len(cells)) + right[index - right_start]
        sheet.append(cells)

    chart_row = len(left) + 2
    month_chart = _month_chart(sheet, months)
    sheet.add_chart(month_chart, f"A{chart_row}")
    if summary.partners_by_sector:
        below = chart_row + math.ceil(month_chart.height / _ROW_CM) + 2
        sheet.add_chart(_sector_chart(sheet, sectors, len(summary.partners_by_sector)), f"A{below}")
    if report.logo is not None:
        sheet.add_image(_sheet_logo(report.logo), "E1")


def _month_chart(sheet: WriteOnlyWorksheet, rows: tuple[int, int]) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = "Hours given per month"
    chart.add_data(Reference(sheet, min_col=6, min_row=rows[0] - 1, max_row=rows[1]), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=5, min_row=rows[0], max_row=rows[1]))
    chart.y_axis.title = "Hours"
    chart.y_axis.numFmt = COUNT_FORMAT
    chart.x_axis.number_format = MONTH_FORMAT
    return _finished(chart, height=7.5)


def _sector_chart(sheet: WriteOnlyWorksheet, rows: tuple[int, int], count: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Partners by sector"
    chart.add_data(Reference(sheet, min_col=6, min_row=rows[0] - 1, max_row=rows[1]), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=5, min_row=rows[0], max_row=rows[1]))
    chart.x_axis.scaling.orientation = "maxMin"  # the largest sector at the top, as in the table beside it
    # Room for every sector's name: spreadsheets skip category labels that would touch.
    return _finished(chart, height=max(6.0, 2.0 + 0.75 * count))


def _finished(chart: BarChart, *, height: float) -> BarChart:
    chart.legend = None
    chart.width, chart.height = _CHART_WIDTH_CM, height
    # openpyxl marks both axes deleted unless told otherwise, and recent Excel then draws no axis labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _sheet_logo(logo: Path) -> SheetImage:
    image = SheetImage(str(logo))
    # About four rows high at most, and no wider than columns E–F.
    scale = min(80 / image.height, 250 / image.width, 1.0)
    image.width, image.height = image.width * scale, image.height * scale
    return image


def _entry_rows(workshops: Sequence[MatrixOut]) -> Iterator[list[object]]:
    for matrix in workshops:
        for row in matrix.rows:
            for column in MatrixColumn:
                for entry in row.cells.get(column, ()):
                    yield [matrix.title, matrix.held_on, row.title, column.label, entry.text, entry.partner,
                           entry.votes]


def _note_rows(report: ReportHeading, summary: FunderSummary) -> Iterator[list[object]]:
    yield ["Period from", summary.period.start, "The figures count what happened between these two dates, both "
           "included, unless their note says 'today'."]
    yield ["Period to", summary.period.end, ""]
    for figure in summary.figures:
        yield [figure.label, "not set" if figure.value is None else figure.value, figure.note]
    rate = summary.hourly_rate
    yield ["Hourly rate", "not set" if rate is None else f"£{rate:,.2f}",
           "Set in Settings; source: " + (summary.hourly_rate_source or "not given") if rate is not None
           else "No hourly rate is set in Settings, so no social value is estimated."]
    yield ["Deleted records", "", DELETED_NOTE]
    yield ["Volunteer names", "Included" if report.include_names else "Not included",
           NAMES_INCLUDED if report.include_names else NAMES_LEFT_OUT]
    yield ["Produced", report.made_at, f"By {APP_NAME} {report.app_version}."]


# ============================================================================ PDF

_PAGE_WIDTH, _PAGE_HEIGHT = A4
_MARGIN = 16 * mm
_FRAME_WIDTH = _PAGE_WIDTH - 2 * _MARGIN
_FRAME_HEIGHT = _PAGE_HEIGHT - 2 * _MARGIN
_GRID = colors.HexColor("#BFBFBF")
_STRIPE = colors.HexColor("#EAF1F3")
_TOP = 20  # rows of the "top" tables (hours by partner, by volunteer)
_LOGO_BOX = (50 * mm, 24 * mm)
_LEFT_TO_RIGHT_MARK = "\u200e"


def write_summary_pdf(path: Path, report: FunderReport, progress: Progress | None = None) -> Path:
    """Write the funder summary as an A4 portrait PDF a funder can read without us in the room.

    The organisation's name and logo, the period, the headline figures, the charts (hours per month, partners
    by sector), partners by sector, hours by partner (top 20; by volunteer too with names), the outputs of each
    workshop (per matrix row, its entries under the four columns), the actions, and how each figure was
    computed. Page numbers in the footer. All user text is escaped: whatever markup it holds prints as typed.

    Args:
        path: The PDF to write; an existing file is replaced only once the new one is complete.
        report: What to write.
        progress: Called with a stage and a fraction from 0 to 1; it may raise to cancel, which leaves
            nothing at ``path``.

    Returns:
        ``path``.

    Raises:
        CohesionError: A missing folder, a logo that is not an image, a file that cannot be written, or text
            that cannot fit on a page. The file at ``path`` is then left as it was.
    """
    path = Path(path)
    _check_target(path)
    logo = _read_logo(report.logo) if report.logo is not None else None
    progress = progress or _nothing
    register_fonts()
    return write_pdf(path, lambda temporary: _build_pdf(temporary, report, logo, progress),
                     what="The summary", too_long="The summary could not be laid out: some text is too long to fit "
                     "on a page. Shorten the longest workshop entry or action and try again.")


@dataclass(frozen=True)
class _Looks:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    number: ParagraphStyle
    band: ParagraphStyle
    entry: ParagraphStyle
    meta: ParagraphStyle


def _looks() -> _Looks:
    base = styles()
    cell = ParagraphStyle("funder-cell", parent=base.body, fontSize=8.5, leading=11, spaceBefore=0, spaceAfter=0)
    bullet = text_width("• ", cell.fontSize)
    return _Looks(
        title=ParagraphStyle("funder-title", parent=base.title, fontSize=20, leading=26, spaceAfter=2),
        subtitle=ParagraphStyle("funder-subtitle", parent=base.heading, spaceBefore=0, textColor=ACCENT),
        heading=ParagraphStyle("funder-heading", parent=base.heading, spaceBefore=14, keepWithNext=1),
        subheading=ParagraphStyle("funder-subheading", parent=base.body, fontName=FONT_BOLD, fontSize=11,
                                  leading=15, spaceBefore=8, spaceAfter=2, keepWithNext=1),
        body=base.body,
        small=base.small,
        cell=cell,
        number=ParagraphStyle("funder-number", parent=cell, alignment=TA_RIGHT),
        band=ParagraphStyle("funder-band", parent=cell, fontName=FONT_BOLD, textColor=colors.white),
        entry=ParagraphStyle("funder-entry", parent=cell, fontSize=8, leading=10.5, leftIndent=bullet,
                             firstLineIndent=-bullet, spaceAfter=1),
        meta=ParagraphStyle("funder-meta", parent=cell, fontSize=7, leading=9, textColor=MUTED, leftIndent=bullet,
                            spaceAfter=3),
    )


def _build_pdf(target: Path, report: FunderReport, logo: ImageReader | None, progress: Progress) -> None:
    summary = report.summary
    organisation = report.organisation_name
    footer_parts = [part for part in (organisation, TITLE, summary.period.label) if part]

    def draw_footer(canvas: Canvas, _document: BaseDocTemplate) -> None:
        parts = footer_parts
        text = " – ".join([*parts, f"page {canvas.getPageNumber()}"])
        if text_width(text, 7.5) > _FRAME_WIDTH:
            parts = [part[:40].rstrip() + "…" for part in parts]
            text = " – ".join([*parts, f"page {canvas.getPageNumber()}"])
        canvas.saveState()
        canvas.setFillColor(MUTED)
        # The mark keeps the line left to right, "page N" last, even when the organisation's name is Arabic.
        draw_centred_line(canvas, _LEFT_TO_RIGHT_MARK + text, _PAGE_WIDTH / 2, _MARGIN / 2, 7.5)
        canvas.restoreState()

    # initialFontName: otherwise reportlab names Helvetica, a font it does not embed, on every page.
    document = BaseDocTemplate(
        str(target), pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=_MARGIN,
        bottomMargin=_MARGIN, title=f"{TITLE}: {summary.period.label}", author=organisation, subject=TITLE,
        creator=APP_NAME, lang="en-GB", initialFontName=FONT_REGULAR, pageCompression=1,
    )
    frame = Frame(_MARGIN, _MARGIN, _FRAME_WIDTH, _FRAME_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="page")
    document.addPageTemplates([PageTemplate(id="summary", frames=[frame], onPageEnd=draw_footer)])
    laid_out = {"size": 1, "fraction": 0.0}

    def on_progress(kind: str, value: int) -> None:
        # reportlab reports how many flowables it has laid out, and revises its estimate of how many there are
        # as tables split; raising here (a cancel) stops the build.
        if kind == "SIZE_EST":
            laid_out["size"] = max(1, value)
        elif kind == "PROGRESS":
            laid_out["fraction"] = max(laid_out["fraction"], min(1.0, value / laid_out["size"]))
            progress("Laying out pages", 0.1 + 0.85 * laid_out["fraction"])

    document.setProgressCallBack(on_progress)
    progress("Preparing", 0.0)
    looks = _looks()
    story = [*_heading(report, logo, looks), *_figures(report, looks), *_charts(report, looks),
             *_hours_tables(report, looks), *_workshop_outputs(report, looks), *_actions(report, looks),
             *_notes(report, looks)]
    document.build(story)
    progress("Saving", 1.0)


def _band_style(columns: int, *, stripes: bool = True) -> list[tuple[object, ...]]:
    style: list[tuple[object, ...]] = [
        # Cells hold paragraphs, but a table names its cell font on the page anyway: Helvetica by default.
        ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
        ("BACKGROUND", (0, 0), (columns - 1, 0), ACCENT),
        ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if stripes:
        style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, _STRIPE]))
    return style


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], shares: Sequence[float], looks: _Looks, *,
           numbers: Sequence[int] = ()) -> Table:
    """A table with a coloured header row repeated on every page; ``numbers`` are right-aligned columns."""
    data = [[paragraph(text, looks.band) for text in header]]
    data += [[paragraph(text, looks.number if index in numbers else looks.cell) for index, text in enumerate(row)]
             for row in rows]
    return Table(data, colWidths=[_FRAME_WIDTH * share for share in shares], repeatRows=1,
                 style=_band_style(len(header)), hAlign="LEFT")


def _hours(hours: float) -> str:
    return f"{hours:,.1f}"


def _heading(report: FunderReport, logo: ImageReader | None, looks: _Looks) -> list[Flowable]:
    summary = report.summary
    words: list[Flowable] = []
    if report.organisation_name:
        words.append(paragraph(report.organisation_name, looks.title))
        words.append(paragraph(TITLE, looks.subtitle))
    else:
        words.append(paragraph(TITLE, looks.title))
    words.append(paragraph(f"Period: {summary.period.label}", looks.body))
    words.append(paragraph(f"Produced on {format_date(report.made_at.date())} by {APP_NAME}", looks.small))
    if logo is None:
        return words
    width, height = logo.getSize()
    scale = min(_LOGO_BOX[0] / width, _LOGO_BOX[1] / height)
    picture = Image(str(report.logo), width=width * scale, height=height * scale)
    return [Table([[words, picture]], colWidths=[_FRAME_WIDTH - _LOGO_BOX[0] - 6, _LOGO_BOX[0] + 6],
                  style=[("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                         ("ALIGN", (1, 0), (1, 0), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                         ("RIGHTPADDING", (0, 0), (-1, -1), 0)])]


def _figures(report: FunderReport, looks: _Looks) -> list[Flowable]:
    summary = report.summary
    story: list[Flowable] = [paragraph("Headline figures", looks.heading)]
    if summary.is_empty:
        story.append(paragraph(f"{EMPTY_TABLE_TEXT}.", looks.body))
    story.append(_table(["Figure", "Value"], [[f.label, f.text] for f in summary.figures], (0.6, 0.4), looks,
                        numbers=(1,)))
    social = next((f for f in summary.figures if f.unit == UNIT_MONEY), None)
    if social is not None:
        story += [Spacer(1, 4), paragraph(f"{social.label}: {social.note}", looks.small)]
    return story


def _charts(report: FunderReport, looks: _Looks) -> list[Flowable]:
    summary = report.summary
    months = summary.hours_by_month
    # initialFontName: otherwise the drawing names Helvetica on the page, a font the PDF does not embed.
    drawing = Drawing(_FRAME_WIDTH, 190, initialFontName=FONT_REGULAR)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 48, 38, _FRAME_WIDTH - 60, 140
    chart.data = [[month.hours for month in months]]
    chart.categoryAxis.categoryNames = [f"{month.month:%b %y}" for month in months]
    _chart_fonts(chart)
    chart.categoryAxis.labels.angle = 45 if len(months) > 12 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(months) > 12 else "n"
    _value_axis(chart, max(month.hours for month in months))
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    story: list[Flowable] = [paragraph("Hours given per month", looks.heading), drawing]

    story.append(paragraph("Partners by sector", looks.heading))
    sectors = summary.partners_by_sector
    if not sectors:
        return [*story, paragraph(f"{EMPTY_TABLE_TEXT}.", looks.body)]
    height = 20 + 16 * len(sectors)
    bars = Drawing(_FRAME_WIDTH, height + 24, initialFontName=FONT_REGULAR)
    sector_chart = HorizontalBarChart()
    label_width = max(text_width(s.label, 8) for s in sectors) + 8
    sector_chart.x, sector_chart.y = label_width, 18
    sector_chart.width, sector_chart.height = _FRAME_WIDTH - label_width - 20, height
    # A horizontal bar chart draws its first category at the bottom: reverse, to read largest first.
    sector_chart.data = [[s.count for s in reversed(sectors)]]
    sector_chart.categoryAxis.categoryNames = [s.label for s in reversed(sectors)]
    _chart_fonts(sector_chart)
    _value_axis(sector_chart, max(s.count for s in sectors))
    sector_chart.bars[0].fillColor = ACCENT
    sector_chart.bars[0].strokeColor = None
    bars.add(sector_chart)
    story.append(bars)
    story.append(Spacer(1, 6))
    story.append(_table(["Sector", "Partners"], [[s.label, f"{s.count:,}"] for s in sectors], (0.6, 0.4), looks,
                        numbers=(1,)))
    return story


def _value_axis(chart: VerticalBarChart | HorizontalBarChart, top: float) -> None:
    """From 0 in whole, round steps (1, 2, 5, 10, 20 …), so that a count never reads 0.5 and an empty chart
    still has an axis."""
    rough = max(top, 1.0) / 5
    magnitude = 10 ** math.floor(math.log10(rough))
    step = max(1.0, next(factor * magnitude for factor in (1, 2, 5, 10) if rough <= factor * magnitude))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = step * (math.floor(top / step) + 1)
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"


def _chart_fonts(chart: VerticalBarChart | HorizontalBarChart) -> None:
    # reportlab's charts draw their labels in Helvetica unless told, a font the PDF would not embed.
    for labels in (chart.categoryAxis.labels, chart.valueAxis.labels):
        labels.fontName = FONT_REGULAR
        labels.fontSize = 8
        labels.fillColor = MUTED


def _hours_tables(report: FunderReport, looks: _Looks) -> list[Flowable]:
    story: list[Flowable] = [paragraph(f"Hours by partner (top {_TOP})", looks.heading)]
    top = report.hours_by_partner[:_TOP]
    if top:
        story.append(_table(["Partner", "Sector", "Hours", "Volunteers"],
                            [[p.partner, p.sector, _hours(p.hours), f"{p.volunteers:,}"] for p in top],
                            (0.42, 0.3, 0.14, 0.14), looks, numbers=(2, 3)))
        story.append(paragraph("Hours given on the opportunities each partner hosts.", looks.small))
    else:
        story.append(paragraph(f"{EMPTY_TABLE_TEXT}.", looks.body))
    if report.include_names:
        story.append(paragraph(f"Hours by volunteer (top {_TOP})", looks.heading))
        volunteers = report.hours_by_volunteer[:_TOP]
        if volunteers:
            story.append(_table(["Volunteer", "Hours", "Opportunities"],
                                [[v.volunteer, _hours(v.hours), f"{v.opportunities:,}"] for v in volunteers],
                                (0.6, 0.2, 0.2), looks, numbers=(1, 2)))
        else:
            story.append(paragraph(f"{EMPTY_TABLE_TEXT}.", looks.body))
    return story


def _workshop_outputs(report: FunderReport, looks: _Looks) -> list[Flowable]:
    story: list[Flowable] = [paragraph("Workshop outputs", looks.heading)]
    if not report.workshops:
        return [*story, paragraph("No workshops in this period.", looks.body)]
    share = _FRAME_WIDTH / 4
    for matrix in report.workshops:
        top: list[Flowable] = [paragraph(matrix.title, looks.subheading)]
        if matrix.subtitle:
            top.append(paragraph(matrix.subtitle, looks.small))
        if matrix.partners_present:
            top.append(paragraph("Partners present: " + ", ".join(matrix.partners_present), looks.small))
        rows: list[Flowable] = []
        for row in matrix.rows:
            entries = [row.cells.get(column, ()) for column in MatrixColumn]
            if not any(entries):
                continue
            cells: list[list[Flowable]] = []
            for column_entries in entries:
                cell: list[Flowable] = []
                for entry in column_entries:
                    cell.append(paragraph(f"• {entry.text}", looks.entry))
                    details = [entry.partner] if entry.partner else []
                    if entry.votes:
                        details.append("1 vote" if entry.votes == 1 else f"{entry.votes:,} votes")
                    if details:
                        cell.append(paragraph(" · ".join(details), looks.meta))
                cells.append(cell)
            data = [[paragraph(row.title, looks.band), "", "", ""],
                    [paragraph(column.label, looks.cell) for column in MatrixColumn], cells]
            style = [*_band_style(4, stripes=False), ("SPAN", (0, 0), (-1, 0)),
                     ("BACKGROUND", (0, 1), (-1, 1), _STRIPE)]
            # splitInRow: a cell with more entries than a page holds continues on the next page.
            rows.append(Table(data, colWidths=[share] * 4, repeatRows=2, splitInRow=1, style=style, hAlign="LEFT",
                              spaceAfter=6))
        if not rows:
            rows.append(paragraph("No entries.", looks.small))
        # The title stays with the start of its first row.
        story.append(KeepTogether([*top, rows[0]]))
        story.extend(rows[1:])
    return story


def _actions(report: FunderReport, looks: _Looks) -> list[Flowable]:
    story: list[Flowable] = [paragraph("Actions", looks.heading)]
    if not report.actions:
        return [*story, paragraph(f"{EMPTY_TABLE_TEXT}.", looks.body)]
    rows = [[a.title, a.owner, format_date(a.due_on) if a.due_on else "",
             f"{a.status} (overdue)" if a.overdue else a.status] for a in report.actions]
    story.append(_table(["Action", "Owner", "Due", "Status today"], rows, (0.48, 0.24, 0.12, 0.16), looks))
    return story


def _notes(report: FunderReport, looks: _Looks) -> list[Flowable]:
    summary = report.summary
    story: list[Flowable] = [paragraph("How the figures were computed", looks.heading)]
    story.append(paragraph("The figures count what happened between the period's two dates, both included, "
                           "unless their note says 'today'.", looks.small))
    notes = [(figure.label, figure.note) for figure in summary.figures]
    notes += [("Deleted records", DELETED_NOTE),
              ("Volunteer names", NAMES_INCLUDED if report.include_names else NAMES_LEFT_OUT)]
    for label, note in notes:
        # Both parts escaped by markup(): a rate source typed as "<b>" prints as typed.
        story.append(Paragraph(f"{markup(label, bold=True)} {markup(note)}", looks.small))
    return story
