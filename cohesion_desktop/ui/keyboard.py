"""Keyboard conventions people bring from other desktop apps, applied to every widget of the app at once.

- Return or Enter presses the button that has the focus, as on Windows (Qt does this only inside dialogs).
- Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y in a text box undo that box's own typing while it has some; otherwise they
  reach Edit → Undo/Redo, so the last change can be undone "wherever the focus is" (an empty search box
  has nothing of its own to undo, yet Qt would swallow the key).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextEdit,
    QWidget,
)

_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _own_history(widget: QObject) -> tuple[bool, bool] | None:
    """(undo available, redo available) of a text box's own typing; None for anything else."""
    if isinstance(widget, QAbstractSpinBox):
        widget = widget.findChild(QLineEdit) or widget
    if isinstance(widget, QLineEdit):
        return widget.isUndoAvailable(), widget.isRedoAvailable()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        document = widget.document()
        return document.isUndoAvailable(), document.isRedoAvailable()
    return None


class KeyboardConventions(QObject):
    """An application-wide event filter; install it once with ``QApplication.installEventFilter``."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            history = _own_history(watched)
            if history is not None:
                undo, redo = history
                if (event.matches(QKeySequence.StandardKey.Undo) and not undo) or (
                        _is_redo(event) and not redo):
                    event.ignore()  # not the box's key: let the window's Undo/Redo shortcut have it
                    return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in _RETURN_KEYS \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier and _presses_on_return(watched):
            assert isinstance(watched, QAbstractButton)
            watched.click()
            return True
        return super().eventFilter(watched, event)


def _is_redo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Redo) or event.keyCombination() == QKeySequence("Ctrl+Y")[0]


def _presses_on_return(widget: QObject) -> bool:
    """A focused push or tool button outside a dialog (a dialog's own Return handling is left alone)."""
    if not isinstance(widget, QAbstractButton) or isinstance(widget, QCheckBox | QRadioButton):
        return False
    if not (widget.hasFocus() and widget.isEnabled()):
        return False
    if isinstance(widget, QPushButton) and isinstance(widget.window(), QDialog):
        return False
    window: QWidget = widget.window()
    return window.isActiveWindow()
