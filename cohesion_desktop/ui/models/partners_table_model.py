"""The Partners table: every partner in memory, filtered and sorted here in one pass each.

10,000 partners are a few megabytes; filtering them in one list comprehension takes a few milliseconds,
where a QSortFilterProxyModel would call back into Python once per row per keystroke.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.domain import RelationshipStage, Sector
from cohesion_desktop.services.partners import PartnerRow, matching_ids
from cohesion_desktop.ui.formatting import format_datetime
from cohesion_desktop.ui.models.rows_table_model import reorder_rows

COL_NAME, COL_SECTOR, COL_SME, COL_THEMES, COL_PLACES, COL_STAGE, COL_CONTACT, COL_UPDATED = range(8)
HEADERS = ("Name", "Sector", "SME", "Themes", "Places", "Relationship", "Main contact", "Last updated")

ROW_ROLE = Qt.ItemDataRole.UserRole  # the PartnerRow itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

_SORT_KEYS: dict[int, Callable[[PartnerRow], Any]] = {
    COL_NAME: lambda row: row.name.casefold(),
    COL_SECTOR: lambda row: row.sector.label,
    COL_SME: lambda row: row.is_sme,
    COL_THEMES: lambda row: ", ".join(row.themes).casefold(),
    COL_PLACES: lambda row: ", ".join(row.places).casefold(),
    COL_STAGE: lambda row: list(RelationshipStage).index(row.stage),
    COL_CONTACT: lambda row: row.main_contact.casefold(),
    COL_UPDATED: lambda row: row.updated_at,
}


@dataclass(frozen=True)
class PartnerFilter:
    """What the search box and the filter combo boxes ask for (None: any)."""

    query: str = ""
    sector: Sector | None = None
    theme_id: uuid.UUID | None = None
    place_id: uuid.UUID | None = None
    stage: RelationshipStage | None = None

    def accepts(self, row: PartnerRow) -> bool:
        return ((self.sector is None or row.sector == self.sector)
                and (self.stage is None or row.stage == self.stage)
                and (self.theme_id is None or row.has_theme(self.theme_id))
                and (self.place_id is None or row.has_place(self.place_id)))


class PartnersTableModel(QAbstractTableModel):
    """All partners; ``set_filter`` narrows what is shown, ``sort`` orders it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[PartnerRow] = []
        self._shown: list[PartnerRow] = []
        self._filter = PartnerFilter()
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- data in
    def set_rows(self, rows: Sequence[PartnerRow], wanted: PartnerFilter | None = None) -> None:
        """New rows (and, when given, a new filter) in one reset of the view."""
        self.beginResetModel()
        self._all = list(rows)
        if wanted is not None:
            self._filter = wanted
        self._sort_all()
        self._shown = self._filtered()
        self.endResetModel()

    def set_filter(self, wanted: PartnerFilter) -> None:
        if wanted == self._filter:
            return
        self.beginResetModel()
        self._filter = wanted
        self._shown = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[PartnerRow]:
        wanted = self._filter
        candidates = [self._all[i] for i in matching_ids(self._all, wanted.query)] if wanted.query else self._all
        if wanted == PartnerFilter(query=wanted.query):
            return list(candidates)
        return [row for row in candidates if wanted.accepts(row)]

    def _sort_all(self) -> None:
        self._all.sort(key=_SORT_KEYS[self._sort_column],
                       reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    # -- data out
    @property
    def total_count(self) -> int:
        return len(self._all)

    def row_at(self, row: int) -> PartnerRow:
        return self._shown[row]

    def row_of(self, partner_id: uuid.UUID) -> int | None:
        return next((i for i, row in enumerate(self._shown) if row.id == partner_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        row = self._shown[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, column)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return _SORT_KEYS[column](row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._text(row, column) or 'none'}"
        return None

    @staticmethod
    def _text(row: PartnerRow, column: int) -> str:
        if column == COL_NAME:
            return row.name
        if column == COL_SECTOR:
            return row.sector.label
        if column == COL_SME:
            return "Yes" if row.is_sme else ""
        if column == COL_THEMES:
            return ", ".join(row.themes)
        if column == COL_PLACES:
            return ", ".join(row.places)
        if column == COL_STAGE:
            return row.stage.label
        if column == COL_CONTACT:
            return row.main_contact
        if column == COL_UPDATED:
            return format_datetime(row.updated_at)
        return ""

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and \
                0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in _SORT_KEYS:
            return
        self._sort_column, self._sort_order = column, order

        def resort() -> None:
            self._sort_all()
            self._shown = self._filtered()

        reorder_rows(self, lambda: self._shown, resort)
