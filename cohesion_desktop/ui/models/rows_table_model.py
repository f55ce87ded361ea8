"""A table of plain rows, described by its columns: the one shape of every table model of the app but the lazy
list of volunteers (``volunteers_table_model``).

A subclass narrows what is shown (:meth:`RowsTableModel.shown_of`, a filter over every row), or makes cells
editable (``flags``/``setData`` → a service → the rows again); sorting keeps the user's selection on its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.i18n import _
from cohesion_desktop.ui.colours import PROBLEM_SIGN, problem_text_on_cells
from cohesion_desktop.ui.formatting import format_date, format_datetime, format_hours

RowT = TypeVar("RowT")
ROW_ROLE = Qt.ItemDataRole.UserRole
# The roles ``data`` answers. A view asks for about ten roles per cell as it paints (1,000 calls a repaint):
# the others are turned away before any other work.
_ANSWERED_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        ROW_ROLE,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
    )
)


def reorder_rows(model: QAbstractItemModel, shown: Callable[[], Sequence[object]], reorder: Callable[[], None]) -> None:
    """Run ``reorder`` (a new sort order of the rows ``shown()`` returns), telling the views, so that the selection
    and the current row follow their rows to where they now stand; a row no longer shown loses its selection."""
    model.layoutAboutToBeChanged.emit()
    persistent = model.persistentIndexList()
    before = shown()
    held = [before[index.row()] if index.row() < len(before) else None for index in persistent]
    reorder()
    position = {id(row): number for number, row in enumerate(shown())}
    model.changePersistentIndexList(
        persistent,
        [
            model.index(position[id(row)], index.column()) if row is not None and id(row) in position else QModelIndex()
            for row, index in zip(held, persistent, strict=True)
        ],
    )
    model.layoutChanged.emit()


@dataclass(frozen=True)
class Column(Generic[RowT]):
    # Marked with N_() where the columns are listed (often when a module is imported): translated where shown.
    title: str
    value: Callable[[RowT], Any]
    numeric: bool = False  # right-aligned, sorted as a number
    warn: Callable[[RowT], bool] | None = None  # marked ⚠, in a red that reads on the palette (overdue, lapsed …)
    sort_key: Callable[[RowT], Any] | None = None  # when the value shown does not sort as wanted (a status's order)
    top: bool = False  # text of several lines, read from the top of the cell


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return format_hours(value)
    return str(getattr(value, "label", value))


class RowsTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows of type ``RowT`` under ``columns``; ``row_title`` gives each row a heading of its own (a grid).

    Rows come in the order the service gives (best match first, soonest first …); a model whose rows are read
    again while the user keeps a sort of their own sets ``keeps_sort``.
    """

    keeps_sort = False

    def __init__(
        self, columns: Sequence[Column[RowT]], parent: Any = None, *, row_title: Callable[[RowT], str] | None = None
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._row_title = row_title
        self._all: list[RowT] = []
        self._rows: list[RowT] = []  # those of _all that shown_of keeps, in the same order
        self._order: tuple[int, Qt.SortOrder] | None = None  # the last sort asked for (kept if keeps_sort)

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        if self.keeps_sort and self._order is not None:
            self._all.sort(key=self._sort_key(self._order[0]), reverse=self._order[1] == Qt.SortOrder.DescendingOrder)
        self._rows = self.shown_of(self._all)
        self.endResetModel()

    def shown_of(self, rows: list[RowT]) -> list[RowT]:
        """The rows to show of ``rows`` (all of them, in order): a subclass that filters says which."""
        return rows

    def refilter(self) -> None:
        """Apply :meth:`shown_of` again (a subclass's filter changed)."""
        self.beginResetModel()
        self._rows = self.shown_of(self._all)
        self.endResetModel()

    @property
    def total_count(self) -> int:
        """Every row, shown or filtered out."""
        return len(self._all)

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def row_where(self, wanted: Callable[[RowT], bool]) -> int | None:
        """The number of the first shown row that is ``wanted``, if any."""
        return next((number for number, row in enumerate(self._rows) if wanted(row)), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED_ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._shown_text(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if not column.title:
                return None
            shown = self._shown_text(row, column) or _("none")
            return f"{_(column.title)}: {shown}"
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.top:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if role == Qt.ItemDataRole.ForegroundRole and column.warn is not None and column.warn(row):
            return problem_text_on_cells()
        return None

    @staticmethod
    def _shown_text(row: RowT, column: Column[RowT]) -> str:
        shown = _display(column.value(row))
        # A sign as well as the colour: state is never shown by colour alone (WCAG 1.4.1).
        return f"{PROBLEM_SIGN} {shown}" if column.warn is not None and column.warn(row) else shown

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return _(self.columns[section].title)
        if orientation == Qt.Orientation.Vertical and self._row_title is not None and 0 <= section < len(self._rows):
            return self._row_title(self._rows[section])
        return None

    def _sort_key(self, column: int) -> Callable[[RowT], tuple[int, Any]]:
        get = self.columns[column].sort_key or self.columns[column].value

        def key(row: RowT) -> tuple[int, Any]:
            value = get(row)
            if type(value) is str:  # the commonest first: a name, 10,000 times when a large table is read
                return (0, value.casefold())
            if value is None:
                return (1, "")  # empty cells last, whichever way
            if hasattr(value, "label"):
                return (0, value.label.casefold())
            if isinstance(value, str):
                return (0, value.casefold())
            return (0, value)

        return key

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._order = (column, order)
        key = self._sort_key(column)

        def resort() -> None:
            self._all.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
            self._rows = self.shown_of(self._all)

        reorder_rows(self, lambda: self._rows, resort)
