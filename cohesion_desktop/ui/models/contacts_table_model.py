"""A partner's contacts, edited in place; every edit goes to the service at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.services.partners import Contact

COL_NAME, COL_ROLE, COL_EMAIL, COL_PHONE, COL_MAIN = range(5)
HEADERS = (N_("Name"), N_("Role"), N_("E-mail"), N_("Phone"), N_("Main contact"))  # translated where shown
_FIELDS = {COL_NAME: "name", COL_ROLE: "role", COL_EMAIL: "email", COL_PHONE: "phone"}


class ContactsTableModel(QAbstractTableModel):
    """Signals: ``rejected(str)`` when the service refused an edit (the message says why)."""

    rejected = Signal(str)

    def __init__(self, commit: Callable[[list[Contact]], Sequence[Contact]], parent: Any = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self._rows: list[Contact] = []

    def set_rows(self, rows: Sequence[Contact]) -> None:
        """Show ``rows``. The same contacts with new values change in place, not by a reset: a reset would
        send the cursor back to the first cell while someone tabs from cell to cell, typing."""
        if self._rows and [c.id for c in rows] == [c.id for c in self._rows]:
            self._rows = list(rows)
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1))
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def contacts(self) -> list[Contact]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_MAIN:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        contact = self._rows[index.row()]
        column = index.column()
        if column == COL_MAIN:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if contact.is_main else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return _("Main contact") if contact.is_main else _("Not the main contact")
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return getattr(contact, _FIELDS[column])
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

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,  # noqa: N802
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if not index.isValid():
            return False
        proposed = list(self._rows)
        row = index.row()
        if index.column() == COL_MAIN and role == Qt.ItemDataRole.CheckStateRole:
            make_main = Qt.CheckState(value) == Qt.CheckState.Checked
            proposed = [
                replace(c, is_main=(i == row) if make_main else (c.is_main and i != row))
                for i, c in enumerate(proposed)
            ]
        elif role == Qt.ItemDataRole.EditRole and index.column() in _FIELDS:
            changed: dict[str, Any] = {_FIELDS[index.column()]: str(value)}
            proposed[row] = replace(proposed[row], **changed)
        else:
            return False
        return self._apply(proposed)

    def add_contact(self, name: str) -> bool:
        return self._apply([*self._rows, Contact(id=None, name=name, is_main=not self._rows)])

    def remove_contact(self, row: int) -> bool:
        return self._apply([c for i, c in enumerate(self._rows) if i != row])

    def _apply(self, proposed: list[Contact]) -> bool:
        try:
            stored = self._commit(proposed)
        except CohesionError as exc:
            self.rejected.emit(str(exc))
            return False
        self.set_rows(stored)
        return True
