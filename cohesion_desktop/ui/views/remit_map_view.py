"""The remit map tab: gaps and overlaps of partners' remits across themes and places (or sectors)."""

from __future__ import annotations

import html
import uuid
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services import remit_map
from cohesion_desktop.services.remit_map import MapAxis
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.models.remit_map_model import CROWDED_COLOUR, CROWDED_MARK, GAP_COLOUR, RemitMapTableModel
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.worker import read_in_background


def _swatch(colour: str, text: str) -> QLabel:
    label = QLabel(f"<span style='background:{colour}'>&nbsp;&nbsp;&nbsp;&nbsp;</span> {text}")
    label.setWordWrap(True)  # two legends share a line: a long translation takes a second
    return label


class RemitMapView(QWidget):
    """Signals: ``partner_opened(uuid)`` when a partner behind a cell is double-clicked."""

    partner_opened = Signal(object)

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.axis_field: ChoiceBox[MapAxis] = ChoiceBox(
            _("Compare themes with"),
            [(_("Themes × places"), MapAxis.PLACES), (_("Themes × sectors"), MapAxis.SECTORS)],
        )
        self.axis_field.currentIndexChanged.connect(lambda _i: self.reload())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.export_button = QPushButton(_("Export to Excel…"))
        self.export_button.clicked.connect(self.export)
        self.legend = QHBoxLayout()
        self.gap_legend = _swatch(GAP_COLOUR.name(), _("0 – no partner covers it (a gap)"))
        self.crowded_legend = QLabel()
        self.crowded_legend.setWordWrap(True)
        self.legend.addWidget(self.gap_legend)
        self.legend.addWidget(self.crowded_legend)
        self.legend.addStretch(1)

        self.model = RemitMapTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Remit map"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Places share the width (no sideways scrolling on a laptop screen); a long name wraps onto two lines.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag(int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)))
        header.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 8)
        # Themes too: a long one ("Residential and educational segregation") wraps in a narrower first column.
        themes = self.table.verticalHeader()
        themes.setDefaultAlignment(
            Qt.AlignmentFlag(
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) | int(Qt.TextFlag.TextWordWrap)
            )
        )
        themes.setFixedWidth(self.fontMetrics().averageCharWidth() * 22)
        self.table.selectionModel().currentChanged.connect(self._show_cell)

        self.cell_title = QLabel(_("Click a cell to see the partners behind it."))
        self.cell_title.setWordWrap(True)
        self.cell_model = QStandardItemModel(self)
        self.cell_view = QListView()
        self.cell_view.setModel(self.cell_model)
        self.cell_view.setAccessibleName(_("Partners in the chosen cell"))
        self.cell_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cell_view.setWordWrap(True)
        self.cell_view.setFlow(QListView.Flow.LeftToRight)  # side by side, wrapping: more partners in less height
        self.cell_view.setWrapping(True)
        self.cell_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.cell_view.setSpacing(3)
        self.cell_view.doubleClicked.connect(self._open_partner)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.cell_title)
        side_layout.addWidget(self.cell_view, 1)
        # The partners behind a cell go below the map, so the map has the window's whole width.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        top = QHBoxLayout()
        top.addWidget(self.axis_field)
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.legend)
        layout.addWidget(splitter, 1)

    @property
    def axis(self) -> MapAxis:
        return self.axis_field.value() or MapAxis.PLACES

    def reload(self) -> None:
        # Counting every partner's themes × places takes a second on a large file: in the background.
        axis = self.axis
        self.summary.setText(_("Counting…"))
        read_in_background(
            self,
            "map",
            self.context.workspace,
            lambda session: remit_map.remit_map(session, axis=axis),
            self._show_map,
            lambda problem: self.summary.setText(_("The map could not be counted: {problem}").format(problem=problem)),
        )

    def _show_map(self, grid: remit_map.RemitMap) -> None:
        self.model.set_map(grid)
        self._fit_columns()
        self.crowded_legend.setText(
            f"<span style='background:{CROWDED_COLOUR.name()}'>&nbsp;{CROWDED_MARK.strip()}&nbsp;</span> "
            + _("{n} or more partners (possible duplication)").format(n=grid.crowded_at)
        )
        gaps = ngettext("{n} gap", "{n} gaps", grid.gap_count).format(n=grid.gap_count)
        crowded = ngettext("{n} crowded cell", "{n} crowded cells", grid.crowded_count).format(n=grid.crowded_count)
        self.summary.setText(f"{gaps}, {crowded}")
        self.cell_model.clear()
        self.cell_title.setText(_("Click a cell to see the partners behind it."))

    def _fit_columns(self) -> None:
        """No column narrower than the longest word of its heading (the rest of a heading wraps)."""
        metrics = self.table.horizontalHeader().fontMetrics()
        words = [
            word
            for column in range(self.model.columnCount())
            for word in str(self.model.headerData(column, Qt.Orientation.Horizontal) or "").split()
        ]
        widest = max((metrics.horizontalAdvance(word) for word in words), default=0)
        self.table.horizontalHeader().setMinimumSectionSize(widest + 2 * metrics.averageCharWidth())
        # Qt sizes a header's sections as if its text never wrapped: each theme's row gets the lines it wraps to.
        themes = self.table.verticalHeader()
        room = themes.width() - 2 * metrics.averageCharWidth()
        for row in range(self.model.rowCount()):
            title = str(self.model.headerData(row, Qt.Orientation.Vertical) or "")
            lines = metrics.boundingRect(0, 0, room, 10_000, int(Qt.TextFlag.TextWordWrap), title).height()
            themes.resizeSection(row, max(themes.defaultSectionSize(), lines + metrics.lineSpacing() // 2))

    def _show_cell(self, index: QModelIndex) -> None:
        if not index.isValid() or self.model.grid is None:
            return
        theme_id, theme_name, key, label = self.model.cell(index)
        rows = self.context.workspace.read(
            remit_map.partners_in_cell, theme_id=theme_id, axis=self.axis, column_key=key
        )
        self.cell_title.setText(
            ngettext(
                "<b>{theme}</b> in <b>{place}</b>: {n} partner",
                "<b>{theme}</b> in <b>{place}</b>: {n} partners",
                len(rows),
            ).format(theme=html.escape(theme_name), place=html.escape(label), n=len(rows))
        )
        self.cell_model.clear()
        for row in rows:
            item = QStandardItem(f"{row.name} ({row.sector.label})")
            item.setData(row.id, Qt.ItemDataRole.UserRole)
            self.cell_model.appendRow(item)

    def _open_partner(self, index: QModelIndex) -> None:
        partner_id = index.data(Qt.ItemDataRole.UserRole)
        if isinstance(partner_id, uuid.UUID):
            self.partner_opened.emit(partner_id)

    def export(self) -> None:
        if self.model.grid is None:  # not counted yet: the export needs it now
            self._show_map(self.context.workspace.read(remit_map.remit_map, axis=self.axis))
        grid = self.model.grid
        assert grid is not None
        target = self.context.prompts.save_path(
            _("Export remit map"), Path.home() / "remit-map.xlsx", _("Excel workbook (*.xlsx)")
        )
        if target is None:
            return
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        try:
            written = self.context.workspace.read(remit_map.export_xlsx, grid, target)
        except (CohesionError, OSError) as exc:
            self.context.prompts.error(
                _("Export remit map"), _("The remit map was not exported: {problem}").format(problem=exc)
            )
            return
        self.context.show_status(_("Remit map exported to {path}").format(path=written))
