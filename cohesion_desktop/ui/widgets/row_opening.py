"""A list whose row opens on double-click or on Enter, as people expect of a list of records."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView


def open_rows_with(table: QAbstractItemView, open_index: Callable[[QModelIndex], None]) -> None:
    """Double-click on a row, or Enter (either key) on the current one, calls ``open_index`` with its index."""
    table.doubleClicked.connect(open_index)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        shortcut = QShortcut(QKeySequence(key), table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(lambda: open_index(table.currentIndex()))
