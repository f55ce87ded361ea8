"""One cell of the matrix as a list model: its entries as cards, draggable to any other cell."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.services.workshops import Entry
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

    def _on_cell_changed(self, row_id: uuid.UUID, column: MatrixColumn) -> None:
        if row_id == self.row_id and column == self.column:
            self.beginResetModel()
            self._entries = list(self.document.entries(row_id, column))
            self.endResetModel()

    def entry(self, row: int) -> Entry:
        return self._entries[row]

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
                parts.append(f"from {entry.partner_name}")
            if entry.votes:
                parts.append(f"{entry.votes} vote{'s' if entry.votes != 1 else ''}")
            if entry.action_count:
                parts.append("turned into an action")
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
            self.document.edit(entry, text=text)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never lost in the view's C++ frame
            self.document.context.prompts.error("Entry not changed", str(exc))
            return False
        return True

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
