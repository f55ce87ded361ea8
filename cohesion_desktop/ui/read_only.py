"""A page for an account that may only read (a team database's viewer): every control that would change something is
greyed out or made read-only, with a tooltip saying why; what only reads (search, filters, the period, going back,
history, exports) stays as it is.

The server refuses a viewer's writes whatever the window offers (``db/roles.py``); this is so that the window does
not offer them. Done once, when a page is made, over the page's widgets: no page needs to know about roles.
"""

from __future__ import annotations

from PySide6.QtCore import QChildEvent, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from cohesion_desktop.i18n import _
from cohesion_desktop.ui.widgets.period_picker import PeriodPicker


def _reading_texts() -> frozenset[str]:
    """The buttons that only read or go somewhere, by their text in the language spoken now."""
    return frozenset(
        _(text).replace("&", "")
        for text in (
            "History…",
            "Export…",
            "Export to Excel…",
            "Export for funders…",
            "Go to entry",
            "Show on projector",
            "Synthesis…",
        )
    )


def _reads_only(widget: QWidget, reading_texts: frozenset[str]) -> bool:
    if isinstance(widget, PeriodPicker | QTabBar):
        return True
    if isinstance(widget, QAbstractButton):
        text = widget.text().replace("&", "")
        return text in reading_texts or text.startswith("←")  # "← All partners": back to the list
    return False


def _named_for_reading(root: QWidget) -> list[QWidget]:
    """The fields a page keeps for finding rows: its ``search_field`` and every ``…_filter`` (named so in every
    page, whatever language their labels are in)."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        for name, value in vars(widget).items():
            if isinstance(value, QWidget) and (name == "search_field" or name.endswith("_filter")):
                found.append(value)
    return found


def lock_for_reading(root: QWidget, reason: str) -> None:
    """Grey out (or make read-only) every control under ``root`` that changes data, with ``reason`` as its tooltip;
    and so every control the page makes later (a workshop's matrix cells, made when one is first opened)."""
    _ReadingLock(root, reason).lock()


class _ReadingLock(QObject):
    """Locks ``root``'s controls, and again (once the event loop turns: the new control is then made in full) each
    time a widget is added under it."""

    def __init__(self, root: QWidget, reason: str) -> None:
        super().__init__(root)
        self._root, self._reason = root, reason
        self._keep_disabled = _KeepDisabled(root)
        self._no_ticking = _NoTicking(root)
        self._again = False

    def lock(self) -> None:
        self._again = False
        root, reason = self._root, self._reason
        texts = _reading_texts()
        kept = [w for w in root.findChildren(QWidget) if _reads_only(w, texts)] + _named_for_reading(root)

        def keeps(widget: QWidget) -> bool:
            return any(k is widget or k.isAncestorOf(widget) for k in kept)

        root.installEventFilter(self)
        for widget in root.findChildren(QWidget):
            widget.installEventFilter(self)
            if keeps(widget):
                continue
            if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
                if isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox):
                    continue  # the editable part of a box greyed out below
                widget.setReadOnly(True)
                widget.setToolTip(reason)
            elif isinstance(widget, QAbstractItemView):
                widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
                widget.installEventFilter(self._no_ticking)  # ticking a box is no edit: a list's themes, say
                widget.viewport().installEventFilter(self._no_ticking)
            elif isinstance(widget, QAbstractButton | QComboBox | QAbstractSpinBox):
                widget.setEnabled(False)
                widget.setToolTip(reason)
                widget.installEventFilter(self._keep_disabled)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        # Every event of the page's widgets passes here: isinstance is the cheap test (event.type() makes an enum).
        if isinstance(event, QChildEvent) and event.added() and event.child().isWidgetType() and not self._again:
            self._again = True
            QTimer.singleShot(0, self, self.lock)
        return False


class _KeepDisabled(QObject):
    """Greys a control out again when its page enables it (a Delete button follows the selection)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.EnabledChange and isinstance(watched, QWidget) and watched.isEnabled():
            QTimer.singleShot(0, watched, lambda: watched.setEnabled(False))
        return False


class _NoTicking(QObject):
    """Keeps the tick boxes of a list's items as they are (a click or Space on one ticks it, edit triggers or not)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if isinstance(event, QMouseEvent) and event.type() in _TICKING_CLICKS:
            view = watched.parent() if isinstance(watched.parent(), QAbstractItemView) else None
            return isinstance(view, QAbstractItemView) and _tickable(view.indexAt(event.position().toPoint()))
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QAbstractItemView)
        ):
            return event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select) and _tickable(watched.currentIndex())
        return False


_TICKING_CLICKS = (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)


def _tickable(index: QModelIndex) -> bool:
    return index.isValid() and bool(index.flags() & Qt.ItemFlag.ItemIsUserCheckable)
