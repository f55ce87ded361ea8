"""One cell of the matrix as a list model: its entries as cards, draggable to any other cell."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services.workshops import Entry
from cohesion_desktop.ui.dialogs.conflict_dialog import Resolution
from cohesion_desktop.ui.matrix_document import MatrixDocument

ENTRY_MIME_TYPE = "application/x-cohesion-matrix-entry"
ENTRY_ROLE = Qt.ItemDataRole.UserRole  # the Entry itself


class MatrixCellModel(QAbstractListModel):
    """The entries of (row, column) of the document's workshop, kept in step with the document."""

    def __init__(self, document: MatrixDocument, row_id: uuid.UUID, column: MatrixColumn, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.row_id = row_id
        self.column = column
        self._entries: list[Entry] = list(document.entries(row_id, column))
        document.cell_changed.connect(self._on_cell_changed)

    def show_cell(self, row_id: uuid.UUID, column: MatrixColumn) -> None:
        """Show another cell (the matrix editor keeps its cells from one workshop to the next)."""
        self.row_id, self.column = row_id, column
        self._update(list(self.document.entries(row_id, column)))

    def _on_cell_changed(self, row_id: uuid.UUID, column: MatrixColumn) -> None:
        if row_id == self.row_id and column == self.column:
            self._update(list(self.document.entries(row_id, column)))

    def _update(self, entries: list[Entry]) -> None:
        """Tell the view what changed, as narrowly as it can be said: an entry added or taken away is one row
        inserted or removed (the view lays out and paints one more card, not the whole cell again), a vote or an
        edit is a changed row; anything else (a sort, a move within the cell, another workshop) a reset."""
        old_ids, new_ids = [e.id for e in self._entries], [e.id for e in entries]
        if old_ids == new_ids:
            self._replace(entries)
        elif len(new_ids) == len(old_ids) + 1 and (added := _odd_one_out(new_ids, old_ids)) is not None:
            self.beginInsertRows(QModelIndex(), added, added)
            self._entries.insert(added, entries[added])
            self.endInsertRows()
            self._replace(entries)
        elif len(new_ids) == len(old_ids) - 1 and (removed := _odd_one_out(old_ids, new_ids)) is not None:
            self.beginRemoveRows(QModelIndex(), removed, removed)
            del self._entries[removed]
            self.endRemoveRows()
            self._replace(entries)
        else:
            self.beginResetModel()
            self._entries = entries
            self.endResetModel()

    def _replace(self, entries: list[Entry]) -> None:
        """Take ``entries`` (the same ids in the same order) and say which rows now read differently."""
        changed = [row for row, (old, new) in enumerate(zip(self._entries, entries, strict=True)) if old != new]
        self._entries = entries
        if changed:
            self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._entries)

    def row_of(self, entry_id: uuid.UUID) -> int | None:
        return next((i for i, e in enumerate(self._entries) if e.id == entry_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return entry.text
        if role == ENTRY_ROLE:
            return entry
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            parts = [entry.text]
            if entry.partner_name:
                parts.append(_("from {partner}").format(partner=entry.partner_name))
            if entry.votes:
                parts.append(ngettext("{n} vote", "{n} votes", entry.votes).format(n=entry.votes))
            if entry.action_count:
                parts.append(_("turned into an action"))
            return " – ".join(parts)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # dropping below the last card
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,  # noqa: N802
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        """F2 / double-click editing: the document saves it (undoable); a refused edit keeps the old text."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        entry = self._entries[index.row()]
        text = str(value).strip()
        if text == entry.text:
            return False
        try:
            chosen = self.document.edit(entry, text=text)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never lost in the view's C++ frame
            self.document.context.prompts.error(_("Entry not changed"), str(exc))
            return False
        return chosen in (Resolution.SAVED, Resolution.SAVE_AS_NEW)

    # -- drag and drop: the document moves the entry; the view must not remove anything itself
    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ENTRY_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        valid = [i for i in indexes if i.isValid()]
        if valid:
            data.setData(ENTRY_MIME_TYPE, QByteArray(self._entries[valid[0].row()].id.hex.encode("ascii")))
        return data

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,  # noqa: N802
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        return data.hasFormat(ENTRY_MIME_TYPE)

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,  # noqa: N802
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if not data.hasFormat(ENTRY_MIME_TYPE):
            return False
        entry = self.document.find(uuid.UUID(bytes(data.data(ENTRY_MIME_TYPE).data()).decode("ascii")))
        if entry is None:
            return False
        position = row if row >= 0 else (parent.row() if parent.isValid() else len(self._entries))
        if entry.row_id == self.row_id and entry.column == self.column and position > entry.position:
            position -= 1  # the entry leaves its old place first
        if (entry.row_id, entry.column, entry.position) != (self.row_id, self.column, position):
            self.document.move(entry, self.row_id, self.column, position)
        # False: the document has moved it already; the view must not remove the source row as well.
        return False


def _odd_one_out(longer: list[uuid.UUID], shorter: list[uuid.UUID]) -> int | None:
    """Where ``longer`` has the one id that ``shorter`` lacks, if that is their only difference."""
    for index, (long_id, short_id) in enumerate(zip(longer, shorter, strict=False)):
        if long_id != short_id:
            return index if longer[index + 1 :] == shorter[index:] else None
    return len(shorter)
