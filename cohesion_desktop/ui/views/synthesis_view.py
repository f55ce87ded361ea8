"""Synthesis across workshops: one combined matrix, each entry with its source, counts and the most voted."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
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

from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services import workshops
from cohesion_desktop.services.workshops import SourcedEntry, Synthesis, SynthesisRow, WorkshopSummary
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.formatting import format_date
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel
from cohesion_desktop.ui.widgets.tables import headings_whole

COLUMNS = list(MatrixColumn)


def _cell_text(entries: Sequence[SourcedEntry]) -> str:
    """A cell's entries, each with its source: "(2)", then "• text – partner  [workshop]  ●votes" a line."""
    if not entries:
        return "—"
    return "\n".join(
        [f"({len(entries)})"]
        + [
            f"• {e.text}"
            + (f" – {e.partner}" if e.partner else "")
            + f"  [{e.workshop}]"
            + (f"  ●{e.votes}" if e.votes else "")
            for e in entries
        ]
    )


class SynthesisTableModel(RowsTableModel[SynthesisRow]):
    """Rows of the combined matrix × the four columns; a cell's text lists its entries with their source."""

    def __init__(self, parent: Any = None) -> None:
        def cell(column: MatrixColumn) -> Column[SynthesisRow]:
            return Column(column.label, lambda row: _cell_text(row.cells.get(column, ())), top=True)

        super().__init__([cell(column) for column in COLUMNS], parent, row_title=lambda row: row.title)
        self.synthesis: Synthesis | None = None

    def set_synthesis(self, synthesis: Synthesis | None) -> None:
        self.synthesis = synthesis
        self.set_rows(synthesis.rows if synthesis is not None else [])


class SynthesisView(QWidget):
    """Signals: ``back_requested``; ``export_requested(list of workshop ids)``."""

    back_requested = Signal()
    export_requested = Signal(list)

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        back = QPushButton(_("← All workshops"))
        back.clicked.connect(self.back_requested)
        self.title = QLabel(_("<h3>Synthesis across workshops</h3>"))
        self.export_button = QPushButton(_("Export…"))
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.chosen_ids()))
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.title, 1)
        top.addWidget(self.export_button)

        self.choice_model = QStandardItemModel(self)
        self.choice_view = QListView()
        self.choice_view.setModel(self.choice_model)
        self.choice_view.setAccessibleName(_("Workshops to combine"))
        self.choice_model.itemChanged.connect(lambda _item: self.recompute())
        self.model = SynthesisTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Combined matrix"))
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        headings_whole(self.table)
        self.table.verticalHeader().setMaximumWidth(self.fontMetrics().averageCharWidth() * 28)
        self.most_voted = QStandardItemModel(self)
        most_voted_view = QListView()
        most_voted_view.setModel(self.most_voted)
        most_voted_view.setAccessibleName(_("Most voted entries"))
        most_voted_view.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel(_("<b>Combine these workshops</b>")))
        left_layout.addWidget(self.choice_view, 2)
        left_layout.addWidget(QLabel(_("<b>Most voted</b>")))
        left_layout.addWidget(most_voted_view, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def choose(self, available: Sequence[WorkshopSummary], chosen: Sequence[uuid.UUID]) -> None:
        self.choice_model.blockSignals(True)
        self.choice_model.clear()
        for workshop in available:
            item = QStandardItem(f"{workshop.title} ({format_date(workshop.held_on)})")
            item.setCheckable(True)
            item.setEditable(False)
            item.setData(workshop.id, Qt.ItemDataRole.UserRole)
            item.setCheckState(Qt.CheckState.Checked if workshop.id in chosen else Qt.CheckState.Unchecked)
            self.choice_model.appendRow(item)
        self.choice_model.blockSignals(False)
        self.recompute()

    def chosen_ids(self) -> list[uuid.UUID]:
        return [
            self.choice_model.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.choice_model.rowCount())
            if self.choice_model.item(r).checkState() == Qt.CheckState.Checked
        ]

    def recompute(self) -> None:
        chosen = self.chosen_ids()
        self.most_voted.clear()
        if not chosen:
            self.model.set_synthesis(None)
            self.title.setText(_("<h3>Synthesis: tick the workshops to combine</h3>"))
            self.export_button.setEnabled(False)
            return
        try:
            combined = self.context.workspace.read(workshops.synthesis, workshop_ids=chosen)
        except CohesionError as exc:
            self.context.prompts.error(_("Synthesis"), str(exc))
            return
        self.model.set_synthesis(combined)
        self.table.resizeRowsToContents()
        self.title.setText(
            ngettext(
                "<h3>Synthesis of {n} workshop</h3>", "<h3>Synthesis of {n} workshops</h3>", len(combined.workshops)
            ).format(n=len(combined.workshops))
        )
        self.export_button.setEnabled(True)
        for row_title, column, entry in combined.most_voted():
            item = QStandardItem(f"●{entry.votes}  {entry.text} – {column.label}, {row_title} [{entry.workshop}]")
            item.setEditable(False)
            self.most_voted.appendRow(item)
