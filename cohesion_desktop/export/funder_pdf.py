"""The funder summary as an A4 PDF, from a :class:`FunderReport` of plain values.

Every piece of text goes through ``pdf_text`` (escaped, in the bundled fonts). The file is written beside the
target and moved over it only when complete, so a failure or a cancel leaves nothing at the target.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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
    Image,
    KeepTogether,
    Spacer,
    Table,
)

from cohesion_desktop import APP_NAME
from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.export.files import read_logo, write_pdf
from cohesion_desktop.export.funder_report import (
    DELETED_NOTE,
    NAMES_INCLUDED,
    NAMES_LEFT_OUT,
    TITLE,
    UNIT_MONEY,
    FunderReport,
    Progress,
    check_target,
    no_progress,
)
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
from cohesion_desktop.export.xlsx import (
    EMPTY_TABLE_TEXT,
)
from cohesion_desktop.formatting import format_date, format_month
from cohesion_desktop.i18n import _, current, labelled, ngettext

_PAGE_WIDTH, _PAGE_HEIGHT = A4
_MARGIN = 16 * mm
_FRAME_WIDTH = _PAGE_WIDTH - 2 * _MARGIN

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
    check_target(path)
    logo = read_logo(report.logo) if report.logo is not None else None
    progress = progress or no_progress
    register_fonts()
    return write_pdf(
        path,
        lambda temporary: _build_pdf(temporary, report, logo, progress),
        what=_("The summary"),
        too_long=_(
            "The summary could not be laid out: some text is too long to fit on a page. Shorten the longest "
            "workshop entry or action and try again."
        ),
    )


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
        subheading=ParagraphStyle(
            "funder-subheading",
            parent=base.body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=15,
            spaceBefore=8,
            spaceAfter=2,
            keepWithNext=1,
        ),
        body=base.body,
        small=base.small,
        cell=cell,
        number=ParagraphStyle("funder-number", parent=cell, alignment=TA_RIGHT),
        band=ParagraphStyle("funder-band", parent=cell, fontName=FONT_BOLD, textColor=colors.white),
        entry=ParagraphStyle(
            "funder-entry",
            parent=cell,
            fontSize=8,
            leading=10.5,
            leftIndent=bullet,
            firstLineIndent=-bullet,
            spaceAfter=1,
        ),
        meta=ParagraphStyle(
            "funder-meta", parent=cell, fontSize=7, leading=9, textColor=MUTED, leftIndent=bullet, spaceAfter=3
        ),
    )


def _build_pdf(target: Path, report: FunderReport, logo: ImageReader | None, progress: Progress) -> None:
    summary = report.summary
    organisation = report.organisation_name
    title = _(TITLE)
    footer_parts = [part for part in (organisation, title, summary.period.label) if part]
    page_text = _("page {page}")

    def draw_footer(canvas: Canvas, _document: BaseDocTemplate) -> None:
        # Drawn as each page ends, in the thread of the export: the page word was translated before, once.
        page = page_text.format(page=canvas.getPageNumber())
        parts = footer_parts
        text = " – ".join([*parts, page])
        if text_width(text, 7.5) > _FRAME_WIDTH:
            parts = [part[:40].rstrip() + "…" for part in parts]
            text = " – ".join([*parts, page])
        canvas.saveState()
        canvas.setFillColor(MUTED)
        # The mark keeps the line left to right, "page N" last, even when the organisation's name is Arabic.
        draw_centred_line(canvas, _LEFT_TO_RIGHT_MARK + text, _PAGE_WIDTH / 2, _MARGIN / 2, 7.5)
        canvas.restoreState()

    document = one_frame_document(
        str(target),
        page_size=A4,
        margin=_MARGIN,
        title=f"{title}: {summary.period.label}",
        subject=title,
        author=organisation,
        template="summary",
        on_page_end=draw_footer,
        lang=current().tag,
    )
    laid_out = {"size": 1, "fraction": 0.0}

    def on_progress(kind: str, value: int) -> None:
        # reportlab reports how many flowables it has laid out, and revises its estimate of how many there are
        # as tables split; raising here (a cancel) stops the build.
        if kind == "SIZE_EST":
            laid_out["size"] = max(1, value)
        elif kind == "PROGRESS":
            laid_out["fraction"] = max(laid_out["fraction"], min(1.0, value / laid_out["size"]))
            progress(laying_out, 0.1 + 0.85 * laid_out["fraction"])

    laying_out = _("Laying out pages")
    document.setProgressCallBack(on_progress)
    progress(_("Preparing"), 0.0)
    looks = _looks()
    story = [
        *_heading(report, logo, looks),
        *_figures(report, looks),
        *_charts(report, looks),
        *_hours_tables(report, looks),
        *_workshop_outputs(report, looks),
        *_actions(report, looks),
        *_notes(report, looks),
    ]
    document.build(story)
    progress(_("Saving"), 1.0)


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


def _table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    shares: Sequence[float],
    looks: _Looks,
    *,
    numbers: Sequence[int] = (),
) -> Table:
    """A table with a coloured header row repeated on every page; ``numbers`` are right-aligned columns."""
    data = [[paragraph(text, looks.band) for text in header]]
    data += [
        [paragraph(text, looks.number if index in numbers else looks.cell) for index, text in enumerate(row)]
        for row in rows
    ]
    return Table(
        data,
        colWidths=[_FRAME_WIDTH * share for share in shares],
        repeatRows=1,
        style=_band_style(len(header)),
        hAlign="LEFT",
    )


def _hours(hours: float) -> str:
    return f"{hours:,.1f}"


def _heading(report: FunderReport, logo: ImageReader | None, looks: _Looks) -> list[Flowable]:
    summary = report.summary
    words: list[Flowable] = []
    if report.organisation_name:
        words.append(paragraph(report.organisation_name, looks.title))
        words.append(paragraph(_(TITLE), looks.subtitle))
    else:
        words.append(paragraph(_(TITLE), looks.title))
    words.append(paragraph(_("Period: {period}").format(period=summary.period.label), looks.body))
    produced = _("Produced on {day} by {app}").format(day=format_date(report.made_at.date()), app=APP_NAME)
    words.append(paragraph(produced, looks.small))
    if logo is None:
        return words
    width, height = logo.getSize()
    scale = min(_LOGO_BOX[0] / width, _LOGO_BOX[1] / height)
    picture = Image(str(report.logo), width=width * scale, height=height * scale)
    return [
        Table(
            [[words, picture]],
            colWidths=[_FRAME_WIDTH - _LOGO_BOX[0] - 6, _LOGO_BOX[0] + 6],
            style=[
                ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ],
        )
    ]


def _figures(report: FunderReport, looks: _Looks) -> list[Flowable]:
    summary = report.summary
    story: list[Flowable] = [paragraph(_("Headline figures"), looks.heading)]
    if summary.is_empty:
        story.append(paragraph(_(EMPTY_TABLE_TEXT) + ".", looks.body))
    story.append(
        _table([_("Figure"), _("Value")], [[f.label, f.text] for f in summary.figures], (0.6, 0.4), looks, numbers=(1,))
    )
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
    chart.categoryAxis.categoryNames = [f"{format_month(month.month, year='two')}" for month in months]
    _chart_fonts(chart)
    chart.categoryAxis.labels.angle = 45 if len(months) > 12 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(months) > 12 else "n"
    _value_axis(chart, max(month.hours for month in months))
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    story: list[Flowable] = [paragraph(_("Hours given per month"), looks.heading), drawing]

    story.append(paragraph(_("Partners by sector"), looks.heading))
    sectors = summary.partners_by_sector
    if not sectors:
        return [*story, paragraph(_(EMPTY_TABLE_TEXT) + ".", looks.body)]
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
    story.append(
        _table(
            [_("Sector"), _("Partners")], [[s.label, f"{s.count:,}"] for s in sectors], (0.6, 0.4), looks, numbers=(1,)
        )
    )
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
    story: list[Flowable] = [paragraph(_("Hours by partner (top {n})").format(n=_TOP), looks.heading)]
    top = report.hours_by_partner[:_TOP]
    if top:
        story.append(
            _table(
                [_("Partner"), _("Sector"), _("Hours"), _("Volunteers")],
                [[p.partner, p.sector, _hours(p.hours), f"{p.volunteers:,}"] for p in top],
                (0.42, 0.3, 0.14, 0.14),
                looks,
                numbers=(2, 3),
            )
        )
        story.append(paragraph(_("Hours given on the opportunities each partner hosts."), looks.small))
    else:
        story.append(paragraph(_(EMPTY_TABLE_TEXT) + ".", looks.body))
    if report.include_names:
        story.append(paragraph(_("Hours by volunteer (top {n})").format(n=_TOP), looks.heading))
        volunteers = report.hours_by_volunteer[:_TOP]
        if volunteers:
            story.append(
                _table(
                    [_("Volunteer"), _("Hours"), _("Opportunities")],
                    [[v.volunteer, _hours(v.hours), f"{v.opportunities:,}"] for v in volunteers],
                    (0.6, 0.2, 0.2),
                    looks,
                    numbers=(1, 2),
                )
            )
        else:
            story.append(paragraph(_(EMPTY_TABLE_TEXT) + ".", looks.body))
    return story


def _workshop_outputs(report: FunderReport, looks: _Looks) -> list[Flowable]:
    story: list[Flowable] = [paragraph(_("Workshop outputs"), looks.heading)]
    if not report.workshops:
        return [*story, paragraph(_("No workshops in this period."), looks.body)]
    share = _FRAME_WIDTH / 4
    for matrix in report.workshops:
        top: list[Flowable] = [paragraph(matrix.title, looks.subheading)]
        if matrix.subtitle:
            top.append(paragraph(matrix.subtitle, looks.small))
        if matrix.partners_present:
            present = labelled(_("Partners present"), ", ".join(matrix.partners_present))
            top.append(paragraph(present, looks.small))
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
                        details.append(ngettext("{n} vote", "{n} votes", entry.votes).format(n=f"{entry.votes:,}"))
                    if details:
                        cell.append(paragraph(" · ".join(details), looks.meta))
                cells.append(cell)
            data = [
                [paragraph(row.title, looks.band), "", "", ""],
                [paragraph(column.label, looks.cell) for column in MatrixColumn],
                cells,
            ]
            style = [
                *_band_style(4, stripes=False),
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 1), (-1, 1), _STRIPE),
            ]
            # splitInRow: a cell with more entries than a page holds continues on the next page.
            rows.append(
                Table(data, colWidths=[share] * 4, repeatRows=2, splitInRow=1, style=style, hAlign="LEFT", spaceAfter=6)
            )
        if not rows:
            rows.append(paragraph(_("No entries."), looks.small))
        # The title stays with the start of its first row.
        story.append(KeepTogether([*top, rows[0]]))
        story.extend(rows[1:])
    return story


def _actions(report: FunderReport, looks: _Looks) -> list[Flowable]:
    story: list[Flowable] = [paragraph(_("Actions"), looks.heading)]
    if not report.actions:
        return [*story, paragraph(_(EMPTY_TABLE_TEXT) + ".", looks.body)]
    rows = [
        [
            a.title,
            a.owner,
            format_date(a.due_on) if a.due_on else "",
            # The status is a label made already, in each language of the export: "(overdue)" is added to it whole.
            f"{a.status} ({_('overdue')})" if a.overdue else a.status,
        ]
        for a in report.actions
    ]
    story.append(_table([_("Action"), _("Owner"), _("Due"), _("Status today")], rows, (0.48, 0.24, 0.12, 0.16), looks))
    return story


def _notes(report: FunderReport, looks: _Looks) -> list[Flowable]:
    summary = report.summary
    story: list[Flowable] = [paragraph(_("How the figures were computed"), looks.heading)]
    story.append(
        paragraph(
            _(
                "The figures count what happened between the period's two dates, both included, unless their note "
                "says “today”."
            ),
            looks.small,
        )
    )
    notes = [(figure.label, figure.note) for figure in summary.figures]
    notes += [
        (_("Deleted records"), _(DELETED_NOTE)),
        (_("Volunteer names"), _(NAMES_INCLUDED) if report.include_names else _(NAMES_LEFT_OUT)),
    ]
    for label, note in notes:
        # Both parts escaped by markup(): a rate source typed as "<b>" prints as typed.
        story.append(markup_paragraph(f"{markup(label, bold=True)} {markup(note)}", looks.small))
    return story
