"""Volunteers as a lazy table: the ordered ids (with their search text) are held; rows are fetched from SQL
in blocks as they are shown.

At 100,000 volunteers and 1,000,000 hour entries, loading every row (with its total hours) would take
seconds and hundreds of megabytes; a screenful needs one block of 64 rows, fetched in a few milliseconds.
Searching filters the held index in memory (about 10 ms a keystroke at 100,000).

Reading the whole index takes a third of a second at 100,000 (more on a busy laptop), so the list opens on its
first block and the count (:meth:`VolunteersTableModel.reload`), and the rest of the index is read in the
background. Whatever needs the rest before it has arrived (a search, a row further down, End) waits for it, and
gets what it would have got.

Opened with a search or an order by hours (a person left the page so), there is no first block to show: the list
stays empty (:attr:`VolunteersTableModel.reading`) while the whole index is read in the background, and a search
typed meanwhile applies to it when it arrives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.i18n import N_, _
from cohesion_desktop.services.volunteering.volunteers import VolunteerRow, matching_entries
from cohesion_desktop.text import narrows, search_terms
from cohesion_desktop.ui.formatting import format_date, format_hours
from cohesion_desktop.ui.worker import ReadAhead, RowsReadAhead

# In English (the names the list export knows them by); translated where shown.
HEADERS = (
    N_("Name"),
    N_("E-mail"),
    N_("Phone"),
    N_("Skills"),
    N_("Availability"),
    N_("Consent"),
    N_("Hours"),
    N_("Last activity"),
)
ORDER_KEYS = ("name", "email", None, None, None, None, "hours", "last_activity")
# Orders that need every volunteer's hours added up: their first block costs as much as the whole index.
ORDERS_READ_WHOLE = ("hours", "last_activity")
# A block is a little more than a tall screenful: its rows' hours are added up when it is first shown, and
# that costs about 0.3 ms a volunteer on the large file (200 rows made each search keystroke take 60–100 ms).
BLOCK = 64
BLOCKS_KEPT = 125
ROW_ROLE = Qt.ItemDataRole.UserRole
_ANSWERED_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        ROW_ROLE,
    )
)

IndexEntries = Sequence[tuple[str, str]]
# (order, descending, how many) → the first entries of the index and how many it has
LoadStart = Callable[[str, bool, int], tuple[IndexEntries, int]]
# (order, descending, arrived) → the whole index read in the background, handed to ``arrived`` with its ids
# (:func:`with_ids`, made in the background too: 100,000 of them took 40 ms of the window thread)
ReadIndex = Callable[[str, bool, Callable[[tuple[IndexEntries, list[str]]], None]], ReadAhead]


def with_ids(index: IndexEntries) -> tuple[IndexEntries, list[str]]:
    """``index`` and the ids of its entries, in order: what a read in the background hands to the table."""
    return index, [hex_id for hex_id, _text in index]


class VolunteersTableModel(RowsReadAhead, QAbstractTableModel):
    """``load_index(order, descending)`` gives (id, search text) in order; ``fetch(ids)`` gives their rows.

    With ``load_start`` and ``read_index`` (see their types) the list opens on its first block and the rest of the
    index comes from the background; without them, the index is read whole at once.
    """

    def __init__(
        self,
        load_index: Callable[[str, bool], IndexEntries],
        fetch: Callable[[Sequence[str]], Sequence[VolunteerRow]],
        parent: Any = None,
        *,
        load_start: LoadStart | None = None,
        read_index: ReadIndex | None = None,
    ) -> None:
        super().__init__(parent)
        self._load_index, self._fetch = load_index, fetch
        self._load_start, self._read_index = load_start, read_index
        self._index: IndexEntries = []  # the whole index, or its first block while the rest is read ahead
        self._matched: IndexEntries = []  # the entries of the index matching ``query``
        self._ids: list[str] = []
        self._blocks: OrderedDict[int, list[VolunteerRow | None]] = OrderedDict()
        self._ahead: ReadAhead | None = None  # the rest of the index, while it is being read
        # How many the whole index has (what rowCount says while the rest is read); None while the whole index is read
        # (nothing is shown until it has arrived).
        self._count: int | None = 0
        self._read_once = False
        self.query = ""
        self.order, self.descending = "name", False

    def reload(self, query: str | None = None) -> None:
        """Read the index again (after a change, or a new sort order), then search it.

        Without a search, only its first block and the count are read now, and the rest in the background; with one
        (or in an order by hours), the whole index in the background, the list empty meanwhile."""
        wanted = self.query if query is None else query
        self._read_once = True
        self._drop_read_ahead()
        if self._read_index is not None and (search_terms(wanted) or self.order in ORDERS_READ_WHOLE):
            self.beginResetModel()
            self._index, self._matched, self._ids = [], [], []
            self._blocks.clear()
            self.query, self._count = wanted, None
            self._ahead = self._read_index(self.order, self.descending, self._whole_index_arrived)
            self.endResetModel()
            return
        if self._load_start is not None and self._read_index is not None:
            first, count = self._load_start(self.order, self.descending, BLOCK)
            self.beginResetModel()
            self._index = self._matched = list(first)
            self._ids = [hex_id for hex_id, _text in first]
            self._blocks.clear()
            self.query, self._count = wanted, count
            if count > len(self._ids):
                self._ahead = self._read_index(self.order, self.descending, self._index_arrived)
            self.endResetModel()
            return
        self._index = self._load_index(self.order, self.descending)
        self._matched, self.query = self._index, ""
        self.search(wanted)

    def _index_arrived(self, answer: tuple[IndexEntries, list[str]]) -> None:
        self._ahead = None
        index, ids = answer
        if ids[: len(self._ids)] == self._ids and len(ids) == self._count:
            # The first block is where it was and the count is the same: nothing on screen moves.
            self._index = self._matched = index
            self._ids = ids
            return
        # The file changed between the two reads (another process, or a person on the server, wrote to it), or a
        # volunteer erased under another name was counted: the list as it now is.
        self.beginResetModel()
        self._index = self._matched = index
        self._ids = ids
        self._blocks.clear()
        self.endResetModel()

    def _whole_index_arrived(self, answer: tuple[IndexEntries, list[str]]) -> None:
        self._ahead = None
        self._index, _ids = answer
        self.beginResetModel()
        self._matched = matching_entries(self._index, self.query)  # the search as it is now, typed on meanwhile
        self._ids = [hex_id for hex_id, _text in self._matched]
        self._blocks.clear()
        self.endResetModel()

    @property
    def reading(self) -> bool:
        """Whether the whole index is being read and no row is shown yet (no count can be told)."""
        return self._ahead is not None and self._count is None

    def search(self, query: str) -> None:
        if self.reading:  # nothing is shown: the index is searched when it arrives
            self.query = query
            return
        self.wait_for_rows()
        # Typing on only narrows the last answer, so only the last matches need searching again.
        searched = self._matched if narrows(self.query, query) else self._index
        self.query = query
        self.beginResetModel()
        self._matched = matching_entries(searched, query)
        self._ids = [hex_id for hex_id, _text in self._matched]
        self._blocks.clear()
        self.endResetModel()

    def read_rows_again(self) -> None:
        """Fetch the rows shown again (their hours may have changed), keeping the index, order and selection."""
        self._blocks.clear()
        if rows := self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, len(HEADERS) - 1))

    def _block(self, number: int) -> list[VolunteerRow | None]:
        block = self._blocks.get(number)
        if block is None:
            ids = self._ids[number * BLOCK : (number + 1) * BLOCK]
            found = {row.id.hex: row for row in self._fetch(ids)}
            block = [found.get(hex_id) for hex_id in ids]
            self._blocks[number] = block
            while len(self._blocks) > BLOCKS_KEPT:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        return block

    def row_at(self, row: int) -> VolunteerRow | None:
        if row >= len(self._ids):  # further down than the first block, while the rest is read: wait for it
            self.wait_for_rows()
        if not 0 <= row < len(self._ids):
            return None
        return self._block(row // BLOCK)[row % BLOCK]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return len(self._ids) if self._ahead is None or self._count is None else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED_ROLES or not index.isValid():  # a view asks for ten roles a cell as it paints
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                row.name,
                row.email,
                row.phone,
                row.skills,
                ", ".join(a.label for a in row.availability),
                _(row.consent),  # "Yes", "No", "Not known": marked where the service words them
                format_hours(row.total_hours),
                format_date(row.last_activity),
            )[index.column()]
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return _(HEADERS[section])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = ORDER_KEYS[column] if 0 <= column < len(ORDER_KEYS) else None
        if key is None:
            return  # phone, skills … are not worth an index; the header says nothing happened
        self.order, self.descending = key, order == Qt.SortOrder.DescendingOrder
        if self._read_once:  # the table's sort order set up before the page was first shown reads nothing yet
            self.reload()
