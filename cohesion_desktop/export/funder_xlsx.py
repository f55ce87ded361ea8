"""The funder summary as an Excel workbook, written sheet by sheet as the parts of the report arrive.

The sheets, in this order and named exactly: Summary, Partners, Opportunities, Volunteering hours, Workshops,
Actions, Notes. Every cell goes through :class:`WorkbookWriter` (text stays text, dates are dates). The workbook
is written beside the target and moved over it only when complete, so a failure or a cancel leaves nothing there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image as SheetImage

from cohesion_desktop import APP_NAME
from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.export.files import read_logo, save_error
from cohesion_desktop.export.funder_report import (
    DELETED_NOTE,
    NAMES_INCLUDED,
    NAMES_LEFT_OUT,
    TITLE,
    UNIT_HOURS,
    UNIT_MONEY,
    ActionLine,
    Figure,
    FunderSummary,
    MonthHours,
    OpportunityLine,
    PartnerHours,
    PartnerLine,
    Progress,
    ReportHeading,
    VolunteerHours,
    check_target,
    no_progress,
    not_set,
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
from cohesion_desktop.i18n import N_, _, current, in_each_language, pgettext

if TYPE_CHECKING:
    from types import TracebackType

    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from cohesion_desktop.export.matrix import MatrixOut

# The sheets by the English names the code knows them by; each is titled in the export's language (sheet_title).
SHEETS = (
    N_("Summary"), N_("Partners"), N_("Opportunities"), N_("Volunteering hours"), N_("Workshops"), N_("Actions"),
    N_("Notes"),
)  # fmt: skip
HOURS_FORMAT = "#,##0.0"
MONEY_FORMAT = "£#,##0"
COUNT_FORMAT = "#,##0"
MONTH_FORMAT = "mmm yyyy"

# Columns A–C of the Summary sheet are 38 + 16 + 14 characters: about 13 cm, the width of its charts.
_SUMMARY_WIDTHS = (38, 16, 14, 3, 30, 11)
_CHART_WIDTH_CM = 12.8
_ROW_CM = 0.53  # a default row, 15 points


def _figure_format(figure: Figure) -> str:
    return {UNIT_HOURS: HOURS_FORMAT, UNIT_MONEY: MONEY_FORMAT}.get(figure.unit, COUNT_FORMAT)


# Each sheet's share of the progress bar: roughly its share of the time on a large file. Fixed rather than
# counted, because the parts of the report may still be gathered while the first sheets are written.
_SHEET_WEIGHTS = {
    "Partners": 30,
    "Opportunities": 20,
    "Volunteering hours": 6,
    "Workshops": 20,
    "Actions": 3,
    "Notes": 1,
    "Summary": 1,
}


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
        self._progress(_writing(name), self._current[0])

    def rows(self, name: str, size: int) -> Callable[[int], None]:
        start, share = self._current
        stage = _writing(name)
        return lambda written: self._progress(stage, start + share * min(1.0, written / max(size, 1)))

    def finish(self, stage: str) -> None:
        self._progress(stage, 1 - _SAVING_SHARE)


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
        check_target(self.path)
        if heading.logo is not None:
            read_logo(heading.logo)  # refuse a bad logo before writing anything
        self._heading = heading
        self._steps = _Steps(progress or no_progress)
        self._book = WorkbookWriter(self.path)
        self._book.reserve_sheets([sheet_title(name) for name in SHEETS])

    def __enter__(self) -> SummaryWorkbook:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self._book.__exit__(exc_type, exc, tb)  # saves after a clean exit, discards after an exception
        except OSError as error:
            raise save_error(_("The summary"), self.path, error) from error
        if isinstance(exc, OSError):  # a temporary file of a sheet could not be written (disk full)
            raise save_error(_("The summary"), self.path, exc) from exc

    def write_partners(self, partners: Sequence[PartnerLine]) -> None:
        self._steps.start("Partners")
        self._table(
            sheet_title("Partners"),
            [
                Column(_("Partner"), width=34),
                Column(_("Sector"), width=26),
                Column(_("SME"), width=7),
                Column(_("Relationship"), width=16),
                Column(_("Themes"), width=36, wrap=True),
                Column(_("Places"), width=28, wrap=True),
                Column(_("Remit"), width=60, wrap=True),
                Column(_("Added on"), width=12),
            ],
            ([p.name, p.sector, p.is_sme, p.stage, p.themes, p.places, p.remit, p.added_on] for p in partners),
            len(partners),
            table_name="Partners",
        )

    def write_opportunities(self, opportunities: Sequence[OpportunityLine]) -> None:
        self._steps.start("Opportunities")
        self._table(
            sheet_title("Opportunities"),
            [
                Column(_("Opportunity"), width=36, wrap=True),
                Column(_("Host partner"), width=28),
                Column(_("Supporting partner"), width=24),
                Column(_("Kind"), width=22),
                Column(_("Place"), width=18),
                Column(_("Status today"), width=13),
                Column(_("Starts"), width=12),
                Column(_("Ends"), width=12),
                Column(_("Places"), width=9, number_format=COUNT_FORMAT),
                Column(_("Places filled"), width=9, number_format=COUNT_FORMAT),
                Column(_("Placements started"), width=12, number_format=COUNT_FORMAT),
                Column(_("Volunteers"), width=11, number_format=COUNT_FORMAT),
                Column(_("Hours"), width=11, number_format=HOURS_FORMAT),
            ],
            (
                [
                    o.title,
                    o.host,
                    o.supporter,
                    o.kind,
                    o.place,
                    o.status,
                    o.starts_on,
                    o.ends_on,
                    o.places_available,
                    o.places_filled,
                    o.placements_started,
                    o.volunteers,
                    o.hours,
                ]
                for o in opportunities
            ),
            len(opportunities),
            table_name="Opportunities",
        )

    def write_hours(
        self, by_month: Sequence[MonthHours], by_partner: Sequence[PartnerHours], by_volunteer: Sequence[VolunteerHours]
    ) -> None:
        """By month and by partner; by volunteer (with names) only if the heading says names are included."""
        self._steps.start("Volunteering hours")
        blocks = [
            TableBlock(
                [
                    Column(_("Month"), width=11, number_format=MONTH_FORMAT),
                    Column(_("Hours"), width=11, number_format=HOURS_FORMAT),
                    Column(_("Hours entries"), width=10, number_format=COUNT_FORMAT),
                ],
                ([m.month, m.hours, m.entries] for m in by_month),
                table_name="HoursByMonth",
            ),
            TableBlock(
                [
                    Column(_("Partner"), width=34),
                    Column(_("Sector"), width=26),
                    Column(_("Hours on its opportunities"), width=14, number_format=HOURS_FORMAT),
                    Column(_("Volunteers"), width=11, number_format=COUNT_FORMAT),
                    Column(_("Opportunities"), width=13, number_format=COUNT_FORMAT),
                ],
                ([p.partner, p.sector, p.hours, p.volunteers, p.opportunities] for p in by_partner),
                table_name="HoursByPartner",
            ),
        ]
        if self._heading.include_names:
            blocks.append(
                TableBlock(
                    [
                        Column(_("Volunteer"), width=30),
                        Column(_("Hours"), width=11, number_format=HOURS_FORMAT),
                        Column(_("Opportunities"), width=13, number_format=COUNT_FORMAT),
                    ],
                    ([v.volunteer, v.hours, v.opportunities] for v in by_volunteer),
                    table_name="HoursByVolunteer",
                )
            )
        size = max(len(by_month), len(by_partner), len(by_volunteer) if self._heading.include_names else 0)
        self._book.add_tables_sheet(
            sheet_title("Volunteering hours"),
            blocks,
            progress=self._steps.rows("Volunteering hours", size),
            print_layout=PrintLayout(landscape=True),
        )

    def write_workshops(self, workshops: Sequence[MatrixOut]) -> None:
        self._steps.start("Workshops")
        entries = sum(len(cells) for matrix in workshops for row in matrix.rows for cells in row.cells.values())
        self._table(
            sheet_title("Workshops"),
            [
                Column(_("Workshop"), width=30),
                Column(_("Date"), width=12),
                Column(_("Row"), width=32, wrap=True),
                Column(_("Column"), width=18),
                Column(_("Entry"), width=60, wrap=True),
                Column(_("Partner"), width=26),
                Column(_("Votes"), width=8, number_format=COUNT_FORMAT),
            ],
            _entry_rows(workshops),
            entries,
            table_name="WorkshopEntries",
        )

    def write_actions(self, actions: Sequence[ActionLine]) -> None:
        self._steps.start("Actions")
        self._table(
            sheet_title("Actions"),
            [
                Column(_("Action"), width=40, wrap=True),
                Column(_("Owner"), width=26),
                Column(_("Due"), width=12),
                Column(_("Status today"), width=13),
                Column(_("Overdue"), width=9),
                Column(_("Completed"), width=12),
                Column(_("Workshop"), width=30),
                Column(_("Workshop date"), width=12),
                Column(_("From entry"), width=44, wrap=True),
            ],
            (
                [a.title, a.owner, a.due_on, a.status, a.overdue, a.completed_on, a.workshop, a.workshop_on, a.entry]
                for a in actions
            ),
            len(actions),
            table_name="Actions",
        )

    def finish(self, summary: FunderSummary) -> None:
        """The Notes sheet, then the figures and charts on Summary; the workbook is saved when the block ends."""
        self._steps.start("Notes")
        self._book.add_table_sheet(
            sheet_title("Notes"),
            [
                Column(_("Item"), width=30),
                Column(_("Value"), width=18),
                Column(_("How it was computed"), width=90, wrap=True),
            ],
            _note_rows(self._heading, summary),
            table_name="Notes",
            print_layout=PrintLayout(),
        )
        self._steps.start("Summary")
        sheet = self._book.add_sheet(sheet_title("Summary"), print_layout=PrintLayout(one_page=True))
        for letter, width in zip("ABCDEF", _SUMMARY_WIDTHS, strict=True):
            sheet.column_dimensions[letter].width = width
        _fill_summary_sheet(self._book, sheet, self._heading, summary)
        if self._book.unfilled_sheets:
            raise RuntimeError(f"Sheets left unwritten: {', '.join(self._book.unfilled_sheets)}")  # a caller's bug
        self._steps.finish(_("Saving"))

    def _table(
        self, key: str, columns: Sequence[Column], rows: Iterable[Sequence[object]], size: int, *, table_name: str
    ) -> None:
        self._book.add_table_sheet(
            sheet_title(key),
            columns,
            rows,
            table_name=table_name,
            progress=self._steps.rows(key, size),
            print_layout=PrintLayout(landscape=True),
        )


def _fill_summary_sheet(
    book: WorkbookWriter, sheet: WriteOnlyWorksheet, report: ReportHeading, summary: FunderSummary
) -> None:
    """Title, period and figures in A–C; the charts' data in E–F; the two charts under the figures."""

    def header(text: str) -> object:
        return book.cell(sheet, text, bold=True, fill=HEADER_FILL, color=HEADER_TEXT, border=True)

    def note(text: str) -> object:
        return book.cell(sheet, text, italic=True, color="595959")

    left: list[list[object]] = []
    if report.organisation_name:
        left.append([book.cell(sheet, report.organisation_name, bold=True, font_size=16)])
        left.append([book.cell(sheet, _(TITLE), bold=True, font_size=12, color=HEADER_FILL)])
    else:
        left.append([book.cell(sheet, _(TITLE), bold=True, font_size=16)])
        left.append([])
    left += [
        # Contexts: the follow-up pack's "From" names who sends it, a different word in Welsh.
        [pgettext("start of a period", "From"), book.cell(sheet, summary.period.start)],
        [pgettext("end of a period", "To"), book.cell(sheet, summary.period.end)],
        [_("Produced on"), book.cell(sheet, report.made_at.date())],
        [],
    ]
    figures_row = len(left) + 1
    left.append([header(_("Figure")), header(_("Value")), header(_("Unit"))])
    for figure in summary.figures:
        value = (
            book.cell(sheet, not_set(), border=True)
            if figure.value is None
            else book.cell(sheet, figure.value, border=True, number_format=_figure_format(figure))
        )
        left.append(
            [book.cell(sheet, figure.label, border=True), value, book.cell(sheet, figure.unit_text, border=True)]
        )
    left.append([])
    if summary.is_empty:
        left.append([note(_(EMPTY_TABLE_TEXT))])
    left.append([note(_("Figures exclude deleted records. The Notes sheet says how each figure was computed."))])

    # The charts' data: each chart refers to cells of its own sheet, so they live here, beside the figures.
    right: list[list[object]] = [[header(_("Month")), header(_("Hours"))]]
    right += [
        [book.cell(sheet, m.month, number_format=MONTH_FORMAT), book.cell(sheet, m.hours, number_format=HOURS_FORMAT)]
        for m in summary.hours_by_month
    ]
    months = (figures_row + 1, figures_row + len(summary.hours_by_month))
    right.append([])
    sectors_row = figures_row + len(right)
    right.append([header(_("Sector")), header(_("Partners"))])
    right += [
        [book.cell(sheet, s.label), book.cell(sheet, s.count, number_format=COUNT_FORMAT)]
        for s in summary.partners_by_sector
    ]
    if not summary.partners_by_sector:
        right.append([note(_(EMPTY_TABLE_TEXT))])
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
    chart.title = _("Hours given per month")
    chart.add_data(Reference(sheet, min_col=6, min_row=rows[0] - 1, max_row=rows[1]), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=5, min_row=rows[0], max_row=rows[1]))
    chart.y_axis.title = _("Hours")
    chart.y_axis.numFmt = COUNT_FORMAT
    chart.x_axis.number_format = MONTH_FORMAT
    return _finished(chart, height=7.5)


def _sector_chart(sheet: WriteOnlyWorksheet, rows: tuple[int, int], count: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.title = _("Partners by sector")
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
                    yield [
                        matrix.title,
                        matrix.held_on,
                        row.title,
                        column.label,
                        entry.text,
                        entry.partner,
                        entry.votes,
                    ]


def _note_rows(report: ReportHeading, summary: FunderSummary) -> Iterator[list[object]]:
    yield [
        _("Period from"),
        summary.period.start,
        _("The figures count what happened between these two dates, both included, unless their note says “today”."),
    ]
    yield [_("Period to"), summary.period.end, ""]
    for figure in summary.figures:
        yield [figure.label, not_set() if figure.value is None else figure.value, figure.note]
    rate = summary.hourly_rate
    yield [
        _("Hourly rate"),
        not_set() if rate is None else f"£{rate:,.2f}",
        in_each_language(
            lambda: _("Set in Settings; source: {source}").format(source=summary.hourly_rate_source or _("not given"))
        )
        if rate is not None
        else _("No hourly rate is set in Settings, so no social value is estimated."),
    ]
    yield [_("Deleted records"), "", _(DELETED_NOTE)]
    yield [
        _("Volunteer names"),
        _("Included") if report.include_names else _("Not included"),
        _(NAMES_INCLUDED) if report.include_names else _(NAMES_LEFT_OUT),
    ]
    yield [_("Produced"), report.made_at, _("By {app} {version}.").format(app=APP_NAME, version=report.app_version)]


def _writing(name: str) -> str:
    return in_each_language(lambda: _("Writing {sheet}").format(sheet=sheet_title(name)))


def sheet_title(name: str) -> str:
    """The title of the sheet known as ``name`` (one of SHEETS) in the export's language: "Crynodeb - Summary" when
    bilingual, or the Welsh alone where both do not fit Excel's 31 characters."""
    return current().short(name, 31)
