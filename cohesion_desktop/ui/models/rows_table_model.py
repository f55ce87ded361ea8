"""A read-only table of plain rows, described by its columns: for the many small lists of the app."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.ui.colours import PROBLEM_SIGN, problem_text_on_cells
from cohesion_desktop.ui.formatting import format_date, format_datetime, format_hours

RowT = TypeVar("RowT")
ROW_ROLE = Qt.ItemDataRole.UserRole


def reorder_rows(model: QAbstractItemModel, shown: Callable[[], Sequence[object]], reorder: Callable[[], None]) -> None:
    """Run ``reorder`` (a new sort order of the rows ``shown()`` returns), telling the views, so that the selection
    and the current row follow their rows to where they now stand; a row no longer shown loses its selection."""
    model.layoutAboutToBeChanged.emit()
    persistent = model.persistentIndexList()
    before = shown()
    held = [before[index.row()] if index.row() < len(before) else None for index in persistent]
    reorder()
    position = {id(row): number for number, row in enumerate(shown())}
    model.changePersistentIndexList(persistent, [
        model.index(position[id(row)], index.column()) if row is not None and id(row) in position
        else QModelIndex() for row, index in zip(held, persistent, strict=True)])
    model.layoutChanged.emit()


@dataclass(frozen=True)
class Column(Generic[RowT]):
    title: str
    value: Callable[[RowT], Any]
    numeric: bool = False  # right-aligned, sorted as a number
    warn: Callable[[RowT], bool] | None = None  # marked ⚠, in a red that reads on the palette (overdue, lapsed …)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return format_hours(value)
    return str(getattr(value, "label", value))


class RowsTableModel(QAbstractTableModel, Generic[RowT]):
    def __init__(self, columns: Sequence[Column[RowT]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            shown = _display(column.value(row))
            # A sign as well as the colour: state is never shown by colour alone (WCAG 1.4.1).
            return f"{PROBLEM_SIGN} {shown}" if column.warn is not None and column.warn(row) else shown
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.warn is not None and column.warn(row):
            return problem_text_on_cells()
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and \
                0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        get = self.columns[column].value

        def key(row: RowT) -> tuple[int, Any]:
            value = get(row)
            if value is None:
                return (1, "")  # empty cells last, whichever way
            if hasattr(value, "label"):
                return (0, value.label.casefold())
            if isinstance(value, str):
                return (0, value.casefold())
            return (0, value)

        reorder_rows(self, lambda: self._rows,
                     lambda: self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder))
