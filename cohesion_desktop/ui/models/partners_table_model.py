"""The Partners table: every partner in memory, filtered and sorted here in one pass each.

10,000 partners are a few megabytes; filtering them in one list comprehension takes a few milliseconds,
where a QSortFilterProxyModel would call back into Python once per row per keystroke.

Reading them all takes a quarter of a second or more, so the directory opens on its first screen
(:meth:`PartnersTableModel.show_first`) while the rest is read in the background. Whatever needs the rest before
it has arrived (a search, a filter, a sort, End, the export) waits for it, and gets what it would have got.

Opened with a search, a filter or another column's order (a person left the page so), there is no first screen to
show: the table stays empty while every row is read in the background (:meth:`PartnersTableModel.read_all_later`),
and a search typed meanwhile applies to them when they arrive.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.domain import RelationshipStage
from cohesion_desktop.i18n import N_
from cohesion_desktop.services.partners import PartnerFilter, PartnerRow, filter_partners
from cohesion_desktop.text import narrows
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel
from cohesion_desktop.ui.worker import ReadAhead, RowsReadAhead

__all__ = ["COLUMNS", "HEADERS", "PartnerFilter", "PartnersTableModel"]

COL_NAME, COL_SECTOR, COL_SME, COL_THEMES, COL_PLACES, COL_STAGE, COL_CONTACT, COL_UPDATED = range(8)
# In English (the columns' names in saved settings and lists); translated where shown.
HEADERS = (
    N_("Name"),
    N_("Sector"),
    N_("SME"),
    N_("Themes"),
    N_("Places"),
    N_("Relationship"),
    N_("Main contact"),
    N_("Last updated"),
)

COLUMNS: list[Column[PartnerRow]] = [
    Column(HEADERS[COL_NAME], lambda row: row.name),
    Column(HEADERS[COL_SECTOR], lambda row: row.sector),
    Column(HEADERS[COL_SME], lambda row: row.is_sme),
    Column(HEADERS[COL_THEMES], lambda row: ", ".join(row.themes)),
    Column(HEADERS[COL_PLACES], lambda row: ", ".join(row.places)),
    Column(HEADERS[COL_STAGE], lambda row: row.stage, sort_key=lambda row: list(RelationshipStage).index(row.stage)),
    Column(HEADERS[COL_CONTACT], lambda row: row.main_contact),
    Column(HEADERS[COL_UPDATED], lambda row: row.updated_at),
]


class PartnersTableModel(RowsReadAhead, RowsTableModel[PartnerRow]):
    """All partners; ``set_filter`` narrows what is shown, ``sort`` orders it (and keeps it when read again)."""

    keeps_sort = True

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._filter = PartnerFilter()
        self._ahead: ReadAhead | None = None  # the rest of the rows, while they are read in the background
        # How many rows there are (what rowCount says while the rest is read); None while every row is read (nothing
        # is shown until they have arrived).
        self._expected: int | None = 0

    def set_rows(self, rows: Sequence[PartnerRow], wanted: PartnerFilter | None = None) -> None:
        """New rows (and, when given, a new filter) in one reset of the view."""
        self._drop_read_ahead()
        if wanted is not None:
            self._filter = wanted
        super().set_rows(rows)

    def patch(self, rows: Sequence[PartnerRow], looked_at: set[str]) -> None:
        """Rows read again: ``rows`` replace those of the same keys, and a row of ``looked_at`` not among them is
        gone; the rest are kept. The same rows, in the same order, as reading every partner again."""
        self.wait_for_rows()
        kept = [row for row in self._all if row.key not in looked_at]
        if not rows and len(kept) == len(self._all):
            return  # the changes named no partner shown (hours logged, a workshop's entry …)
        every = sorted([*kept, *rows], key=attrgetter("name", "key"))  # as list_partners orders them
        if self._order is not None:
            every.sort(key=self._sort_key(self._order[0]), reverse=self._order[1] == Qt.SortOrder.DescendingOrder)
        # Not a reset: in team mode another laptop's change arrives at any moment, and a reset took the person's
        # selection and current row (the keyboard's place in the table) from under them.
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [self._rows[index.row()].key if index.row() < len(self._rows) else None for index in persistent]
        self._all, self._rows = every, self.shown_of(every)
        position = {row.key: number for number, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(position[key], index.column()) if key in position else QModelIndex()
                for key, index in zip(held, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    # -- the first screen first

    def first_screen_descending(self, wanted: PartnerFilter) -> bool | None:
        """Whether the first screen is the first partners by name in reverse (True) or not (False); None when it
        is not the first partners by name at all (a filter, or another column's order): then read every row."""
        if wanted != PartnerFilter():
            return None
        if self._order is None:
            return False
        column, order = self._order
        return order == Qt.SortOrder.DescendingOrder if column == COL_NAME else None

    def show_first(
        self,
        rows: Sequence[PartnerRow],
        wanted: PartnerFilter,
        total: int,
        read_rest: Callable[[Callable[[list[PartnerRow]], None]], ReadAhead],
    ) -> None:
        """Show ``rows``, the first by name (see :meth:`first_screen_descending`), at the top of ``total`` rows,
        while ``read_rest(arrived)`` reads every row in the background."""
        self._drop_read_ahead()
        self.beginResetModel()
        self._filter = wanted
        self._all = list(rows)
        if self._order is not None:
            self._all.sort(key=self._sort_key(self._order[0]), reverse=self._order[1] == Qt.SortOrder.DescendingOrder)
        self._rows = self.shown_of(self._all)
        self._expected = total
        self._ahead = read_rest(self._rest_arrived)
        self.endResetModel()

    def read_all_later(
        self, wanted: PartnerFilter, read_all: Callable[[Callable[[list[PartnerRow]], None]], ReadAhead]
    ) -> None:
        """Show no row (:attr:`reading`) while ``read_all(arrived)`` reads every row in the background; then those
        ``wanted`` (or the filter set meanwhile), in the order asked for."""
        self._drop_read_ahead()
        self.beginResetModel()
        self._filter = wanted
        self._all, self._rows, self._expected = [], [], None
        self._ahead = read_all(self._rest_arrived)
        self.endResetModel()

    @property
    def reading(self) -> bool:
        """Whether the rows are being read and none is shown yet (no count can be told)."""
        return self._ahead is not None and self._expected is None

    def _rest_arrived(self, rows: list[PartnerRow]) -> None:
        self._ahead = None
        every = list(rows)
        if self._order is not None:
            every.sort(key=self._sort_key(self._order[0]), reverse=self._order[1] == Qt.SortOrder.DescendingOrder)
        shown = self.shown_of(every)
        first = [row.key for row in self._rows]
        if self._expected is None or len(shown) != self._expected:
            # The file changed between the two reads (another process, or a person on the server, wrote to it).
            self.beginResetModel()
            self._all, self._rows = every, shown
            self.endResetModel()
            return
        if [row.key for row in shown[: len(first)]] == first:
            # The first screen is where it was and the count is the same: nothing on screen moves.
            self._all, self._rows = every, shown
            return
        # The first screen was in the database's order of names, which can differ from the table's (its case and
        # accents): the rows move, the selection with them.
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [first[index.row()] if index.row() < len(first) else None for index in persistent]
        self._all, self._rows = every, shown
        position = {row.key: number for number, row in enumerate(shown)}

        def moved(key: str | None, index: QModelIndex) -> QModelIndex:
            if key is None:  # a row further down than the first screen stands for that row of the whole list
                return index
            return self.index(position[key], index.column()) if key in position else QModelIndex()

        self.changePersistentIndexList(
            persistent, [moved(key, index) for key, index in zip(held, persistent, strict=True)]
        )
        self.layoutChanged.emit()

    # -- what needs every row waits for the rest

    def set_filter(self, wanted: PartnerFilter) -> None:
        if wanted == self._filter:
            return
        if self.reading:  # nothing is shown: the rows are filtered when they arrive
            self._filter = wanted
            return
        self.wait_for_rows()
        earlier, self._filter = self._filter, wanted
        if replace(earlier, query=wanted.query) == wanted and narrows(earlier.query, wanted.query):
            # Typing on in the search box: every row it still shows is among those shown now, in the same order,
            # so only they are searched again (a tenth of the rows after a few letters, not 10,000 a keystroke).
            self.beginResetModel()
            self._rows = self.shown_of(self._rows)
            self.endResetModel()
        else:
            self.refilter()

    def shown_of(self, rows: list[PartnerRow]) -> list[PartnerRow]:
        return filter_partners(rows, self._filter)

    def refilter(self) -> None:
        self.wait_for_rows()
        super().refilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.reading and 0 <= column < len(self.columns):  # nothing is shown: sorted when they arrive
            self._order = (column, order)
            return
        self.wait_for_rows()
        super().sort(column, order)

    @property
    def total_count(self) -> int:
        """Every row (0 while they are being read: see :attr:`reading`)."""
        if self._ahead is None:
            return len(self._all)
        return self._expected or 0

    def rows(self) -> list[PartnerRow]:
        self.wait_for_rows()
        return super().rows()

    def row_at(self, row: int) -> PartnerRow:
        if row >= len(self._rows):
            self.wait_for_rows()
        return super().row_at(row)

    def row_where(self, wanted: Callable[[PartnerRow], bool]) -> int | None:
        found = super().row_where(wanted)
        if found is None and self._ahead is not None:
            self.wait_for_rows()
            found = super().row_where(wanted)
        return found

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if self._ahead is None or self._expected is None or parent.isValid():
            return super().rowCount(parent)
        return self._expected

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._ahead is not None and index.isValid() and index.row() >= len(self._rows):
            self.wait_for_rows()
        return super().data(index, role)

    def row_of(self, partner_id: uuid.UUID) -> int | None:
        return self.row_where(lambda row: row.key == partner_id.hex)
