"""The remit map as a table: themes down, places (or sectors) across, partner counts in the cells."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services.remit_map import RemitMap

GAP_COLOUR = QColor("#f9d6d5")
CROWDED_COLOUR = QColor("#ffd98a")
CROWDED_MARK = " ▲"  # colour alone is lost on a high-contrast palette or a grey printer


class RemitMapTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid: RemitMap | None = None

    def set_map(self, grid: RemitMap) -> None:
        self.beginResetModel()
        self.grid = grid
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.grid is None else len(self.grid.themes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.grid is None else len(self.grid.columns)

    def cell(self, index: QModelIndex | QPersistentModelIndex) -> tuple[Any, str, str, str]:
        """(theme id, theme name, column key, column label) of a cell."""
        assert self.grid is not None
        theme_id, theme_name = self.grid.themes[index.row()]
        column = self.grid.columns[index.column()]
        return theme_id, theme_name, column.key, column.label

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.grid is None or not index.isValid():
            return None
        theme_id, theme_name, key, label = self.cell(index)
        count = self.grid.count(theme_id, key)
        crowded = self.grid.is_crowded(theme_id, key)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{count}{CROWDED_MARK if crowded else ''}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if count == 0:
                return QBrush(GAP_COLOUR)
            if crowded:
                return QBrush(CROWDED_COLOUR)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and (count == 0 or crowded):
            return QBrush(QColor("#000000"))  # readable on the light fills whatever the palette
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            said = _("{theme} in {place}: {partners}").format(
                theme=theme_name,
                place=label,
                partners=ngettext("{n} partner", "{n} partners", count).format(n=count),
            )
            if count == 0:
                said += " – " + _("a gap")
            elif crowded:
                said += " – " + _("crowded: possible duplication")
            return said
        if role == Qt.ItemDataRole.UserRole:
            return count
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if self.grid is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.grid.columns):
            return self.grid.columns[section].label
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.grid.themes):
            return self.grid.themes[section][1]
        return None
