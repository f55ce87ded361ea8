"""Keyboard conventions people bring from other desktop apps, applied to every widget of the app at once.

- Return or Enter presses the button that has the focus, as on Windows (Qt does this only inside dialogs).
- Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y in a text box undo that box's own typing while it has some; otherwise they
  reach Edit → Undo/Redo, so the last change can be undone "wherever the focus is" (an empty search box
  has nothing of its own to undo, yet Qt would swallow the key).
- The control with the keyboard focus always shows it (:class:`FocusRing`).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFocusFrame,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QTabBar,
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
        # Every event of the app passes here: the cheap type test first (asking an event its type makes a Python
        # enum, which cost more than the rest of this filter for the ~30,000 events of opening a file).
        if not isinstance(event, QKeyEvent):
            return False
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride:
            history = _own_history(watched)
            if history is not None:
                undo, redo = history
                if (event.matches(QKeySequence.StandardKey.Undo) and not undo) or (_is_redo(event) and not redo):
                    event.ignore()  # not the box's key: let the window's Undo/Redo shortcut have it
                    return True
        elif (
            kind == QEvent.Type.KeyPress
            and event.key() in _RETURN_KEYS
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and _presses_on_return(watched)
        ):
            assert isinstance(watched, QAbstractButton)
            watched.click()
            return True
        return False


CTRL_Y = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Y)


def _is_redo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Redo) or event.keyCombination() == CTRL_Y


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


class FocusRing(QObject):
    """A frame around whichever control has the keyboard focus, in the palette's text colour (WCAG 2.4.7).

    Qt's styles show the focus of some controls faintly or not at all (a dialog's default button looks the same
    with and without it; a check box in some styles only underlines). Text boxes, which show their own focus and
    a cursor, are left to themselves.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._frame: QFocusFrame | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._follow)
        self._follow(None, app.focusWidget())  # made after the window was shown: its control with the focus too

    def _follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        frame = self._frame if self._frame is not None and shiboken6.isValid(self._frame) else None
        if new is None or not _wants_ring(new):
            if frame is not None:
                frame.setWidget(None)  # type: ignore[arg-type]  # Qt takes no widget; its stub says otherwise
            return
        if frame is None:
            # The frame lives in the focused control's window and goes with it: make another when it is gone.
            frame = self._frame = QFocusFrame(new.window())
        frame.setWidget(new)


def _wants_ring(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
        return False
    if isinstance(widget, QComboBox):
        return not widget.isEditable()
    return isinstance(widget, QAbstractButton | QTabBar | QAbstractItemView | QAbstractScrollArea | QSlider)
