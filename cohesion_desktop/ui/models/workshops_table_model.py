"""The list of workshops: title, date, place, facilitator, template, partners present, entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.services.workshops import WorkshopSummary
from cohesion_desktop.ui.formatting import format_date
from cohesion_desktop.ui.models.rows_table_model import reorder_rows

HEADERS = ("Title", "Date", "Place", "Facilitator", "Template", "Partners present", "Entries")
ROW_ROLE = Qt.ItemDataRole.UserRole
_KEYS: tuple[Callable[[WorkshopSummary], Any], ...] = (
    lambda w: w.title.casefold(), lambda w: w.held_on, lambda w: w.place.casefold(),
    lambda w: w.facilitator.casefold(), lambda w: w.template_name.casefold(), lambda w: w.partner_count,
    lambda w: w.entry_count,
)


class WorkshopsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[WorkshopSummary] = []

    def set_rows(self, rows: Sequence[WorkshopSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> WorkshopSummary:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        workshop = self._rows[index.row()]
        if role == ROW_ROLE:
            return workshop
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (workshop.title, format_date(workshop.held_on), workshop.place, workshop.facilitator,
                    workshop.template_name, str(workshop.partner_count), str(workshop.entry_count))[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and \
                0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(_KEYS):
            return
        reorder_rows(self, lambda: self._rows,
                     lambda: self._rows.sort(key=_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder))
