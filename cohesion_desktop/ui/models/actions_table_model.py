"""Actions across all workshops, with the filters of the Actions page applied in the model."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.domain import ActionStatus
from cohesion_desktop.services.workshops import ActionRow
from cohesion_desktop.ui.colours import PROBLEM_SIGN, problem_text_on_cells
from cohesion_desktop.ui.formatting import format_date
from cohesion_desktop.ui.models.rows_table_model import reorder_rows

HEADERS = ("Action", "Owner", "Due", "Status", "Workshop", "From", "Entry")
ROW_ROLE = Qt.ItemDataRole.UserRole
_KEYS: tuple[Callable[[ActionRow], Any], ...] = (
    lambda a: a.title.casefold(), lambda a: a.owner.casefold(), lambda a: (a.due_on is None, a.due_on or date.max),
    lambda a: list(ActionStatus).index(a.status), lambda a: a.workshop.casefold(),
    lambda a: (a.row_title, a.column.label if a.column else ""), lambda a: a.entry_text.casefold(),
)


@dataclass(frozen=True)
class ActionFilter:
    owner_id: uuid.UUID | None = None
    status: ActionStatus | None = None
    overdue_only: bool = False
    query: str = ""


class ActionsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._all: list[ActionRow] = []
        self._shown: list[ActionRow] = []
        self._filter = ActionFilter()
        self._today = today

    def set_rows(self, rows: Sequence[ActionRow]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._shown = self._filtered()
        self.endResetModel()

    def set_filter(self, wanted: ActionFilter) -> None:
        self.beginResetModel()
        self._filter = wanted
        self._shown = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[ActionRow]:
        wanted, today = self._filter, self._today()
        query = wanted.query.casefold().strip()
        return [a for a in self._all
                if (wanted.owner_id is None or a.owner_id == wanted.owner_id)
                and (wanted.status is None or a.status == wanted.status)
                and (not wanted.overdue_only or a.is_overdue(today))
                and (not query or query in f"{a.title} {a.owner} {a.workshop} {a.entry_text}".casefold())]

    @property
    def total_count(self) -> int:
        return len(self._all)

    def row_at(self, row: int) -> ActionRow:
        return self._shown[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        action = self._shown[index.row()]
        overdue = action.is_overdue(self._today())
        if role == ROW_ROLE:
            return action
        if role == Qt.ItemDataRole.ForegroundRole and overdue and index.column() in (2, 3):
            return problem_text_on_cells()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            origin = f"{action.row_title} · {action.column.label}" if action.column else ""
            status = action.status.label + (" – overdue" if overdue else "")
            due = f"{PROBLEM_SIGN} {format_date(action.due_on)}" if overdue else format_date(action.due_on)
            return (action.title, action.owner or "(no owner)", due, status, action.workshop,
                    origin, action.entry_text)[index.column()]
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
        def resort() -> None:
            self._all.sort(key=_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)
            self._shown = self._filtered()

        reorder_rows(self, lambda: self._shown, resort)
