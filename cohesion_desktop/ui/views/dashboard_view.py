"""The Dashboard: the empty state on a new file; otherwise the headline figures of a period and three charts.

The figures are SQL aggregates that take about a second on a very large file, so they are computed in the
background; the page shows the previous figures (or "Counting…") meanwhile.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.dates import Period
from cohesion_desktop.export.funder_report import FunderSummary
from cohesion_desktop.formatting import format_month
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services.reminders import RENEWAL_DAYS, Reminder, ReminderKind, ThisWeek
from cohesion_desktop.ui.access_gates import NO_EXAMPLE, NO_FIGURES, changes_settings, counts_people
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel
from cohesion_desktop.ui.views.page import Page
from cohesion_desktop.ui.widgets.bar_list import BarList
from cohesion_desktop.ui.widgets.empty_state import EmptyState
from cohesion_desktop.ui.widgets.field_errors import show_message
from cohesion_desktop.ui.widgets.flow_layout import FlowLayout
from cohesion_desktop.ui.widgets.period_picker import PeriodPicker
from cohesion_desktop.ui.widgets.row_opening import open_rows_with
from cohesion_desktop.ui.widgets.tables import give_room
from cohesion_desktop.ui.worker import start_task

REMINDER_LABELS = {
    ReminderKind.RENEWAL: N_("Renewal due"),
    ReminderKind.OVERDUE_ACTION: N_("Overdue action"),
    ReminderKind.MILESTONE: N_("Milestone to thank"),
    ReminderKind.INACTIVE: N_("Retention review"),
}
REMINDER_COLUMNS: list[Column[Reminder]] = [
    Column(N_("Reminder"), lambda row: _(REMINDER_LABELS[row.kind]), warn=lambda row: row.urgent),
    Column(N_("Who"), lambda row: row.who),
    Column(N_("What"), lambda row: row.what),
    Column(N_("When"), lambda row: row.when),
]


def week_summary(week: ThisWeek) -> str:
    """One line for the panel: how many of each, or that there is nothing to do."""
    if not week.count:
        return _(
            "Nothing to do this week: no renewals due, no overdue actions, no milestones to thank, nobody to review."
        )
    counts = [
        ngettext(
            "{n} renewal due within {days} days", "{n} renewals due within {days} days", len(week.renewals)
        ).format(n=len(week.renewals), days=RENEWAL_DAYS),
        ngettext("{n} overdue action", "{n} overdue actions", len(week.overdue_actions)).format(
            n=len(week.overdue_actions)
        ),
        ngettext("{n} milestone to thank", "{n} milestones to thank", len(week.milestones)).format(
            n=len(week.milestones)
        ),
        ngettext(
            "{n} volunteer inactive over {months} months",
            "{n} volunteers inactive over {months} months",
            len(week.inactive),
        ).format(n=len(week.inactive), months=week.retention_months),
    ]
    return _("{counts}. Double-click or press Enter to open one.").format(counts=" · ".join(counts))


def tick_step(largest: float) -> float:
    """A round step (1, 2 or 5 × a power of ten, at least 1) giving at most about five ticks up to ``largest``."""
    step = 1.0
    while largest / step > 5:
        for factor in (2, 2.5, 2):  # 1 → 2 → 5 → 10
            step *= factor
            if largest / step <= 5:
                break
    return step


class FigureCard(QFrame):
    """One headline figure: a big number, its label, and how it was computed as a tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("figureCard")
        self.value = QLabel()
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.label)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)

    def show_figure(self, value: str, label: str, note: str) -> None:
        self.value.setText(value)
        self.label.setText(label)
        self.setToolTip(note)
        self.setAccessibleName(f"{label}: {value}")
        self.setAccessibleDescription(note)


def _chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a picture; its figures are on the cards
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(view.fontMetrics().lineSpacing() * 16)
    view.setAccessibleName(title)
    return chart, view


class DashboardView(Page):
    """Signals: ``load_example_requested``, ``import_requested``, ``add_partner_requested`` (from the empty
    state); ``export_requested`` and ``settings_requested`` (its buttons)."""

    title = N_("Dashboard")
    load_example_requested = Signal()
    import_requested = Signal()
    add_partner_requested = Signal()
    export_requested = Signal()
    settings_requested = Signal()

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.summary: FunderSummary | None = None
        self.week: ThisWeek | None = None
        self._generation = 0  # so that a slow answer for an old period is ignored
        self.empty_state = EmptyState()
        self.empty_state.load_example_requested.connect(self.load_example_requested)
        self.empty_state.import_requested.connect(self.import_requested)
        self.empty_state.add_partner_requested.connect(self.add_partner_requested)
        centred = QWidget()
        row = QHBoxLayout(centred)
        row.addStretch(1)
        row.addWidget(self.empty_state, 3)
        row.addStretch(1)

        self.period_picker = PeriodPicker()
        self.period_picker.changed.connect(self.reload)
        self.state = QLabel()  # "Counting…", "No data in this period." or why the figures are missing
        self.state.setWordWrap(True)
        self.state.hide()
        export = QPushButton(_("Export for funders…"))
        export.setToolTip(_("Export summary for funders: an Excel workbook or a PDF of this period (Ctrl+E)"))
        export.clicked.connect(self.export_requested)
        settings = QPushButton(_("Settings…"))
        settings.setToolTip(_("Organisation name, logo, the hourly rate for social value, retention"))
        settings.clicked.connect(self.settings_requested)
        # Wraps onto a second line rather than asking for more width than a narrow or zoomed window has.
        bar = FlowLayout()
        period_label = QLabel(_("Period:"))
        bar.addWidget(period_label)
        bar.addWidget(self.period_picker)
        bar.addWidget(settings)
        bar.addWidget(export)
        # What the account may not do on a team database (db/access.py): greyed out, saying why.
        workspace = context.workspace
        for button, gate in ((settings, changes_settings), (export, counts_people)):
            reason = gate(workspace)
            if reason is not None:
                button.setEnabled(False)
                button.setToolTip(reason)
        if not workspace.access.everything:  # the example town has volunteers, and is a coordinator's to load
            self.empty_state.load_example_button.setEnabled(False)
            self.empty_state.load_example_button.setToolTip(_(NO_EXAMPLE))

        self.cards_grid = QGridLayout()
        self.cards: dict[str, FigureCard] = {}
        self.hours_chart, hours_view = _chart(_("Hours given per month"))
        self.sector_bars = BarList(_("Partners by sector"))
        self.action_bars = BarList(_("Actions by status"))
        charts = QGridLayout()
        charts.addWidget(hours_view, 0, 0, 1, 2)
        charts.addWidget(self.sector_bars, 1, 0, Qt.AlignmentFlag.AlignTop)
        charts.addWidget(self.action_bars, 1, 1, Qt.AlignmentFlag.AlignTop)
        charts.setColumnStretch(0, 3)  # sector names are long
        charts.setColumnStretch(1, 2)
        # -- this week: reminders, each opening its record
        self.week_label = QLabel(_("Reading…"))
        self.week_label.setWordWrap(True)
        self.week_model: RowsTableModel[Reminder] = RowsTableModel(REMINDER_COLUMNS, self)
        self.week_table = QTableView()
        self.week_table.setModel(self.week_model)
        self.week_table.setAccessibleName(_("This week"))
        self.week_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.week_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.week_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.week_table.setAlternatingRowColors(True)
        self.week_table.setWordWrap(False)
        self.week_table.verticalHeader().hide()
        self.week_table.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        self.week_table.setMaximumHeight(self.fontMetrics().lineSpacing() * 11)
        give_room(self.week_table, stretch=2, chars=(18, 22, 30, self._longest_when()))
        open_rows_with(self.week_table, self._open_reminder)
        week_box = QGroupBox(_("This week"))
        week_layout = QVBoxLayout(week_box)
        week_layout.addWidget(self.week_label)
        week_layout.addWidget(self.week_table)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        # What needs doing comes first (it is what a coordinator opens the app for on a Monday), then the period
        # and the figures it counts.
        body_layout.addWidget(week_box)
        body_layout.addLayout(bar)
        body_layout.addWidget(self.state)
        body_layout.addLayout(self.cards_grid)
        body_layout.addLayout(charts, 1)
        # An account that may not count volunteers (a facilitator) gets the reminders it may see, not the figures.
        self.counts_people = workspace.access.people_figures
        if not self.counts_people:
            for widget in (hours_view, self.sector_bars, self.action_bars, self.period_picker, period_label):
                widget.hide()
        self.body_margin = body_layout.contentsMargins().left()
        self.card_columns = 0
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        # Nothing to do there with the keyboard: Tab goes from the period to the buttons, not to the page itself.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.stack = QStackedWidget()
        self.stack.addWidget(centred)
        self.stack.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

    @staticmethod
    def _longest_when() -> str:
        """A long "When" of a reminder, as the reminders word it, to give that column its room."""
        return ngettext("due {day}, {n} day late", "due {day}, {n} days late", 180).format(day="04/06/2026", n=180)

    @property
    def showing_empty_state(self) -> bool:
        return self.stack.currentIndex() == 0

    # ------------------------------------------------------------------ the period

    def period(self) -> Period:
        """The period chosen (raises ValidationError when the typed dates make none)."""
        return self.period_picker.period()

    # ------------------------------------------------------------------ figures

    def reload(self) -> None:
        from cohesion_desktop.services import overview

        empty = self.context.workspace.read(overview.is_empty)
        self.stack.setCurrentIndex(0 if empty else 1)
        if empty:
            return
        if not self.counts_people:
            self.reload_week()
            self._say(_(NO_FIGURES))
            return
        period = self.period_picker.period_or_none()
        if period is None:  # the picker says why
            return
        self.reload_week()
        self._generation += 1
        generation = self._generation
        self._say(_("Counting…"))
        workspace = self.context.workspace

        def work(_control: Any) -> FunderSummary:
            from cohesion_desktop.services import reporting

            return workspace.read(reporting.summary, period=period)

        start_task(
            work,
            on_success=lambda summary: self._show(summary, generation),
            on_failure=lambda exc: self._failed(exc, generation),
            owner=self,
        )

    def reload_week(self) -> None:
        from cohesion_desktop.services import reminders

        people = self.context.workspace.access.people
        self.load_in_background(
            "this_week", partial(reminders.this_week, people=people), self._show_week, self._week_failed
        )

    def _show_week(self, week: ThisWeek) -> None:
        self.week = week
        self.week_model.set_rows([*week.overdue_actions, *week.renewals, *week.milestones, *week.inactive])
        self.week_label.setText(week_summary(week))
        self.week_table.setVisible(bool(week.count))

    def _week_failed(self, problem: BaseException) -> None:
        show_message(
            self.week_label, _("The reminders could not be read: {problem}").format(problem=problem), problem=True
        )

    def _open_reminder(self, index: Any) -> None:
        if not index.isValid():
            return
        reminder = self.week_model.row_at(index.row())
        page = "actions" if reminder.kind == ReminderKind.OVERDUE_ACTION else "volunteers"
        self.context.navigate(page, select_id=reminder.record_id)

    def _failed(self, problem: BaseException, generation: int) -> None:
        if generation == self._generation:
            show_message(
                self.state, _("The figures could not be counted: {problem}").format(problem=problem), problem=True
            )
            self.state.show()

    def _show(self, summary: FunderSummary, generation: int) -> None:
        if generation != self._generation:
            return  # an answer for a period no longer chosen
        self.summary = summary
        self._say(_("No data in this period.") if summary.is_empty else "")
        for figure in summary.figures:
            card = self.cards.get(figure.key)
            if card is None:
                card = self.cards[figure.key] = FigureCard()
            card.show_figure(figure.text, figure.label, figure.note)
        self._arrange_cards(force=True)
        months = summary.hours_by_month
        self.hours_chart.setTitle(_("Hours given per month, {period}").format(period=summary.period.label))
        # whole hours: a bar's label must fit inside it at 150% zoom; the card gives the exact total
        self._fill_bars(
            self.hours_chart,
            [format_month(m.month, year="none" if len(months) <= 12 else "two") for m in months],
            [round(m.hours) for m in months],
            label_angle=0 if len(months) <= 12 else -90,
        )
        self.sector_bars.set_bars([(c.label, c.count) for c in summary.partners_by_sector if c.count])
        self.action_bars.set_bars([(c.label, c.count) for c in summary.actions_by_status])

    def _say(self, text: str) -> None:
        """The line under the period: shown only when there is something to say."""
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._arrange_cards()

    def _arrange_cards(self, *, force: bool = False) -> None:
        """As many cards to a row as fit (four at most), so that a narrow or zoomed window never scrolls sideways."""
        if not self.cards:
            return
        spacing = max(self.cards_grid.horizontalSpacing(), 0)
        widest = max(card.minimumSizeHint().width() for card in self.cards.values()) + spacing
        room = self.scroll_area.viewport().width() - 2 * self.body_margin
        columns = max(1, min(4, room // max(widest, 1)))
        if columns == self.card_columns and not force:
            return
        self.card_columns = columns
        for card in self.cards.values():
            self.cards_grid.removeWidget(card)
        for number, card in enumerate(self.cards.values()):
            self.cards_grid.addWidget(card, number // columns, number % columns)
        for column in range(4):
            self.cards_grid.setColumnStretch(column, 1 if column < columns else 0)

    def _fill_bars(self, chart: QChart, labels: list[str], values: list[float], *, label_angle: int = 0) -> None:
        """Bars of ``values`` over ``labels``, each with its number above it, in the palette's colours."""
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()  # removing hands the axis back to Python; let Qt free it, on this thread
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
        chart.setTitleBrush(QBrush(self.palette().color(QPalette.ColorRole.WindowText)))
        bars = QBarSet("")
        bars.setColor(self.palette().color(QPalette.ColorRole.Highlight))
        bars.setLabelColor(self.palette().color(QPalette.ColorRole.WindowText))
        bars.append([float(v) for v in values])
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        # Above its bar: readable however short the bar (December so far) and whatever the bar's colour.
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(labels)
        categories.setLabelsAngle(label_angle)
        values_axis = QValueAxis()
        step = tick_step(max([*values, 0.0]))
        values_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        values_axis.setTickAnchor(0)
        values_axis.setTickInterval(step)
        values_axis.setRange(0, (math.floor(max([*values, 0.0]) / step) + 1) * step)
        values_axis.setLabelFormat("%.0f")
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values_axis)
