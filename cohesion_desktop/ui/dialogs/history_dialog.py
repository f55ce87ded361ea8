"""A record's change history, newest first, in words; "Restore this version" returns the change chosen.

The dialog saves nothing: the caller restores the version (``ui/history_panel.py``), as an undoable change.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.i18n import N_, _
from cohesion_desktop.services.history import HistoryLine
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel


class HistoryTableModel(RowsTableModel[HistoryLine]):
    """The changes of one record, one sentence each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([Column(N_("Change"), lambda line: line.text)], parent)


class HistoryDialog(QDialog):
    """``chosen`` holds the change whose version is to be restored, once accepted."""

    def __init__(self, title: str, lines: Sequence[HistoryLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("History of {title}").format(title=title))
        self.chosen: HistoryLine | None = None
        intro = QLabel(
            _(
                "Every change to this record, newest first: who made it, on which laptop, and when. Choose a change "
                "and “Restore this version” to put the record back as it was just after it (Ctrl+Z undoes that)."
            )
            if lines
            else _("No changes are recorded for this record yet.")
        )
        intro.setWordWrap(True)
        self.model = HistoryTableModel(self)
        self.model.set_rows(lines)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Changes"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.addButton(_("Restore this version"), QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._restore)
        buttons.rejected.connect(self.reject)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._chose(current.row()))
        self.table.doubleClicked.connect(lambda _index: self._restore())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 460)
        if lines:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _current(self) -> HistoryLine | None:
        row = self.table.currentIndex().row()
        return self.model.row_at(row) if 0 <= row < self.model.rowCount() else None

    def _chose(self, row: int) -> None:
        line = self.model.row_at(row) if 0 <= row < self.model.rowCount() else None
        self.restore_button.setEnabled(line is not None and line.restorable)

    def _restore(self) -> None:
        line = self._current()
        if line is None or not line.restorable:
            return
        self.chosen = line
        self.accept()
