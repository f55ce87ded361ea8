"""A week's hours for many volunteers at once: one row per placement, one column per day, typed in."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.formatting import format_date, format_short_date, weekday_name
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services.volunteering.placements import WeekRow, week_of
from cohesion_desktop.ui.formatting import format_hours
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.date_field import DateField
from cohesion_desktop.ui.widgets.field_errors import show_message
from cohesion_desktop.ui.widgets.flow_layout import FlowLayout
from cohesion_desktop.ui.widgets.tables import wrap_headings


def day_heading(day: date) -> str:
    """A day's column heading on two lines, "Wed" over "28/10": the day columns hold a few digits, and on one
    line their headings ("Gwen 04/12" in Welsh) left the names too little room on a laptop at 150%."""
    return f"{weekday_name(day, short=True)}\n{format_short_date(day)}"


class WeekHoursTableModel(QAbstractTableModel):
    """``set_day(placement_id, day, hours)`` saves a cell (raises CohesionError to refuse it).

    Signals: ``refused(str)`` with the reason a typed value was not saved.
    """

    refused = Signal(str)

    def __init__(self, set_day: Callable[[uuid.UUID, date, float], None], parent: Any = None) -> None:
        super().__init__(parent)
        self._set_day = set_day
        self.monday = week_of(date.today())
        self.rows: list[WeekRow] = []

    def set_week(self, monday: date, rows: Sequence[WeekRow]) -> None:
        self.beginResetModel()
        self.monday, self.rows = monday, list(rows)
        self.endResetModel()

    def day(self, column: int) -> date:
        return self.monday + timedelta(days=column - 1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 9

    def is_future(self, column: int) -> bool:
        return 1 <= column <= 7 and self.day(column) > date.today()

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if 1 <= index.column() <= 7 and not self.is_future(index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.EditRole and 1 <= column <= 7:
            return row.days[column - 1]
        if role == Qt.ItemDataRole.ToolTipRole and self.is_future(column):
            return _("Hours can be logged up to today.")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return f"{row.placement.volunteer} – {row.placement.opportunity}"
            if column == 8:
                return format_hours(sum(row.days))
            hours = row.days[column - 1]
            return format_hours(hours) if hours else ""
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return _("Volunteer – placement")
        if section == 8:
            return _("Week")
        if 1 <= section <= 7:
            return day_heading(self.day(section))
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,  # noqa: N802
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not 1 <= index.column() <= 7:
            return False
        try:
            hours = float(str(value).replace(",", ".") or 0)
        except ValueError:
            self.refused.emit(_("“{value}” is not a number of hours.").format(value=value))
            return False
        row = self.rows[index.row()]
        if hours == row.days[index.column() - 1]:
            return False
        try:
            self._set_day(row.placement.id, self.day(index.column()), hours)
        except CohesionError as exc:
            self.refused.emit(str(exc))
            return False
        days = list(row.days)
        days[index.column() - 1] = hours
        self.rows[index.row()] = replace(row, days=tuple(days))
        self.dataChanged.emit(index, self.index(index.row(), 8))
        return True

    def total(self) -> float:
        return sum(sum(row.days) for row in self.rows)


class WeekHoursTable(QTableView):
    """The grid; typing into a day still to come is refused out loud (``refused``) rather than dropped."""

    refused = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        index = self.currentIndex()
        model = self.model()
        if (
            event.text().strip()
            and index.isValid()
            and isinstance(model, WeekHoursTableModel)
            and model.is_future(index.column())
        ):
            day = model.day(index.column())
            self.refused.emit(
                _(
                    "{day} {date} has not come yet: hours can be logged up to today. Nothing was saved for that day."
                ).format(day=weekday_name(day), date=format_date(day))
            )
            return
        super().keyPressEvent(event)


class WeekHoursDialog(QDialog):
    """``load(monday, opportunity_id)`` gives the rows; typing in a day cell saves it straight away."""

    def __init__(
        self,
        *,
        load: Callable[[date, uuid.UUID | None], Sequence[WeekRow]],
        set_day: Callable[[uuid.UUID, date, float], None],
        opportunities: Sequence[tuple[uuid.UUID, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("A week's hours"))
        self._load = load
        self.week_field = DateField(_("Week of"), date.today())
        self.week_field.committed.connect(self.refresh)
        previous, following = QPushButton(_("◀ Previous week")), QPushButton(_("Next week ▶"))
        previous.clicked.connect(lambda: self._move_week(-7))
        following.clicked.connect(lambda: self._move_week(7))
        self.opportunity_field: ChoiceBox[uuid.UUID | None] = ChoiceBox(
            _("Opportunity"), [(_("All opportunities"), None), *((title, key) for key, title in opportunities)]
        )
        self.opportunity_field.currentIndexChanged.connect(lambda _i: self.refresh())
        # As wide as the room left beside the week's buttons, not as the longest title (which set the dialog wider
        # than a laptop at 150%): a long title chosen is elided, and read whole in the tooltip and the list.
        self.opportunity_field.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.opportunity_field.setMinimumContentsLength(len(_("All opportunities")))
        self.opportunity_field.currentTextChanged.connect(self.opportunity_field.setToolTip)
        self.message = QLabel(_("Type the hours in a day's cell; Tab moves to the next day. Saved as you go."))
        self.message.setWordWrap(True)
        self.model = WeekHoursTableModel(set_day, self)
        self.model.dataChanged.connect(lambda *_: self._update_total())
        self.model.refused.connect(lambda why: show_message(self.message, why, problem=True))
        self.table = WeekHoursTable()
        self.table.refused.connect(lambda why: show_message(self.message, why, problem=True))
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Hours for each day"))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Days only ever hold a few digits: the names get the room. Each day is as wide as the widest heading of a
        # week in this language ("Wed", "Gwen"); the week's total as its own heading.
        metrics = header.fontMetrics()

        def width_of(heading: str) -> int:
            return max(metrics.horizontalAdvance(line) for line in heading.splitlines()) + 16

        monday = week_of(date.today())
        day_width = max(width_of(day_heading(monday + timedelta(days=n))) for n in range(7))
        for column in range(1, 9):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, day_width if column < 8 else max(day_width, width_of(_("Week"))))
        wrap_headings(self.table, least_words=False)  # the names' heading wraps beside the days' fixed widths
        self.total_label = QLabel()
        self.total_label.setWordWrap(True)  # a sentence: in a longer language it takes a second line, not more width
        # Wraps onto a second line at 150% or in a longer language, rather than widening the dialog past the screen.
        top = FlowLayout()
        top.addWidget(QLabel(_("Week of")))
        top.addWidget(self.week_field)
        top.addWidget(previous)
        top.addWidget(following)
        self.opportunity_field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        top.addWidget(self.opportunity_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(900, 520)
        self.refresh()

    def _move_week(self, days: int) -> None:
        self.week_field.set_value(self.model.monday + timedelta(days=days))
        self.refresh()

    def refresh(self) -> None:
        monday = week_of(self.week_field.value() or date.today())
        self.model.set_week(monday, self._load(monday, self.opportunity_field.value()))
        self._update_total()

    def _update_total(self) -> None:
        count = len(self.model.rows)
        self.total_label.setText(
            ngettext(
                "{count} placement, {hours} hours in the week of {date}",
                "{count} placements, {hours} hours in the week of {date}",
                count,
            ).format(count=count, hours=format_hours(self.model.total()), date=format_date(self.model.monday))
        )
