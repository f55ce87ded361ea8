"""Sorting a table keeps the user's selection on the same rows (the shared reorder_rows)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView

from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel


def test_the_selected_row_stays_selected_when_the_table_is_sorted(qtbot: QtBot) -> None:
    model: RowsTableModel[tuple[str, int]] = RowsTableModel(
        [Column("Name", lambda row: row[0]), Column("Hours", lambda row: row[1])])
    model.set_rows([("Aled", 3), ("Bea", 12), ("Cai", 7)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.selectionModel().setCurrentIndex(model.index(1, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(row)[0] for row in range(3)] == ["Bea", "Cai", "Aled"]
    assert model.row_at(view.currentIndex().row())[0] == "Bea"
    assert [index.row() for index in view.selectionModel().selectedRows()] == [0]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.row_at(view.currentIndex().row())[0] == "Bea" and view.currentIndex().row() == 1
