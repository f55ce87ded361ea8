"""Volunteers as a lazy table: the ordered ids (with their search text) are held; rows are fetched from SQL
in blocks as they are shown.

At 100,000 volunteers and 1,000,000 hour entries, loading every row (with its total hours) would take
seconds and hundreds of megabytes; a screenful needs one block of 64 rows, fetched in a few milliseconds.
Searching filters the held index in memory (about 10 ms a keystroke at 100,000).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.i18n import N_, _
from cohesion_desktop.services.volunteering.volunteers import VolunteerRow, matching_entries, narrows
from cohesion_desktop.ui.formatting import format_date, format_hours

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


class VolunteersTableModel(QAbstractTableModel):
    """``load_index(order, descending)`` gives (id, search text) in order; ``fetch(ids)`` gives their rows."""

    def __init__(
        self,
        load_index: Callable[[str, bool], Sequence[tuple[str, str]]],
        fetch: Callable[[Sequence[str]], Sequence[VolunteerRow]],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._load_index, self._fetch = load_index, fetch
        self._index: Sequence[tuple[str, str]] = []
        self._matched: Sequence[tuple[str, str]] = []  # the entries of the index matching ``query``
        self._ids: list[str] = []
        self._blocks: OrderedDict[int, list[VolunteerRow | None]] = OrderedDict()
        self.query = ""
        self.order, self.descending = "name", False

    def reload(self, query: str | None = None) -> None:
        """Read the index again (after a change, or a new sort order), then search it."""
        wanted = self.query if query is None else query
        self._index = self._load_index(self.order, self.descending)
        self._matched, self.query = self._index, ""
        self.search(wanted)

    def search(self, query: str) -> None:
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
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(HEADERS) - 1))

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
        if not 0 <= row < len(self._ids):
            return None
        return self._block(row // BLOCK)[row % BLOCK]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

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
        self.reload()
