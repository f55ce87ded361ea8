"""A page for an account that may only read (a team database's viewer): every control that would change something is
greyed out or made read-only, with a tooltip saying why; what only reads (search, filters, the period, going back,
history, exports) stays as it is.

The server refuses a viewer's writes whatever the window offers (``db/roles.py``); this is so that the window does
not offer them. Done once, when a page is made, over the page's widgets: no page needs to know about roles.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
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
    """Grey out (or make read-only) every control under ``root`` that changes data, with ``reason`` as its tooltip."""
    texts = _reading_texts()
    keep_disabled = _KeepDisabled(root)
    kept = [w for w in root.findChildren(QWidget) if _reads_only(w, texts)] + _named_for_reading(root)

    def keeps(widget: QWidget) -> bool:
        return any(k is widget or k.isAncestorOf(widget) for k in kept)

    for widget in [root, *root.findChildren(QWidget)]:
        # Widgets that make their editing controls later (a matrix's cells, a checklist's ticks) lock those too.
        set_read_only = getattr(widget, "set_read_only", None)
        if callable(set_read_only):
            set_read_only(reason)
    for widget in root.findChildren(QWidget):
        if keeps(widget):
            continue
        if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
            if isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox):
                continue  # the editable part of a box greyed out below
            widget.setReadOnly(True)
            widget.setToolTip(reason)
        elif isinstance(widget, QAbstractItemView):
            widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        elif isinstance(widget, QAbstractButton | QComboBox | QAbstractSpinBox):
            widget.setEnabled(False)
            widget.setToolTip(reason)
            widget.installEventFilter(keep_disabled)


class _KeepDisabled(QObject):
    """Greys a control out again when its page enables it (a Delete button follows the selection)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.EnabledChange and isinstance(watched, QWidget) and watched.isEnabled():
            QTimer.singleShot(0, watched, lambda: watched.setEnabled(False))
        return False
