"""Looking at a window as a person would, and saying what is wrong with it, in words.

Each check measures; none assumes a font's width: text cut short on a button, tab, heading or label; a window
larger than the screen; a page that must be scrolled sideways; text too faint to read (WCAG 2.2 1.4.3, 4.5:1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QToolButton,
    QWidget,
)

from cohesion_desktop.ui.colours import MIN_CONTRAST, contrast_ratio

_COLOUR = re.compile(r"color\s*:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|[a-z]+)")
_TAGS = re.compile(r"<[^>]+>")


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QAbstractButton):
        text = widget.text()
    elif isinstance(widget, QLabel):
        text = _TAGS.sub("", widget.text())
    label = " ".join((widget.accessibleName() or text or widget.objectName() or type(widget).__name__).split())
    return f"{type(widget).__name__} “{label[:60]}”"


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.isVisible() and widget.width() > 0 and widget.height() > 0:
            yield widget


# ---------------------------------------------------------------------------- fitting the screen


def window_fits(window: QWidget) -> list[str]:
    """A top-level window or dialog lies within the screen's available area (its frame included)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    if available.contains(frame):
        return []
    return [
        f"“{window.windowTitle()}” is {frame.width()}×{frame.height()} at ({frame.x()},{frame.y()}), outside "
        f"the available {available.width()}×{available.height()} of the screen"
    ]


def sideways_scrolling(page: QWidget) -> list[str]:
    """A page's own scrolling areas (not its tables) need no scrollbar across."""
    return [
        f"{_name(area)} needs sideways scrolling ({area.widget().minimumSizeHint().width()} px in "
        f"{area.viewport().width()})"
        for area in page.findChildren(QScrollArea)
        if area.isVisible() and area.widget() is not None and area.horizontalScrollBar().isVisible()
    ]


# ---------------------------------------------------------------------------- text cut short


def _text_cut(widget: QWidget) -> bool:
    if isinstance(widget, QLabel):
        if widget.wordWrap() or not widget.text() or widget.pixmap() is not None and not widget.pixmap().isNull():
            return False
        needed = widget.sizeHint().width()
        return widget.width() + 1 < needed
    if isinstance(widget, QPushButton | QToolButton | QCheckBox | QRadioButton) and widget.text():
        return widget.width() + 1 < widget.minimumSizeHint().width() or widget.width() + 1 < widget.sizeHint().width()
    if isinstance(widget, QComboBox) and not widget.isEditable() and widget.currentText():
        text = widget.fontMetrics().horizontalAdvance(widget.currentText())
        return widget.width() < text + widget.iconSize().width() // 2 + 2 * widget.fontMetrics().averageCharWidth()
    return False


def cut_texts(root: QWidget) -> list[str]:
    """Buttons, labels, drop-down lists, tabs and column headings that cannot show their whole text."""
    problems = []
    for widget in visible_widgets(root):
        if _text_cut(widget):
            problems.append(f"{_name(widget)} is cut short ({widget.width()} px wide)")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.tabRect(index).width() + 1 < widget.tabSizeHint(index).width():
                    problems.append(f"tab “{widget.tabText(index)}” is cut short")
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            problems += _cut_headings(widget)
    return problems


def _cut_headings(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None:
        return []
    problems = []
    for section in range(header.count()):
        if header.isSectionHidden(section) or header.sectionViewportPosition(section) >= header.viewport().width():
            continue
        title = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if not title:
            continue
        needed = header.sectionSizeFromContents(section).width()
        if int(header.defaultAlignment()) & int(Qt.TextFlag.TextWordWrap):
            # A heading that wraps needs room for its longest word, and the heading's height for its lines.
            metrics = header.fontMetrics()
            longest = max(metrics.horizontalAdvance(word) for word in str(title).split())
            lines = metrics.boundingRect(
                0,
                0,
                header.sectionSize(section) - 2 * metrics.averageCharWidth(),
                10_000,
                int(Qt.TextFlag.TextWordWrap),
                str(title),
            ).height()
            if longest + 2 * metrics.averageCharWidth() <= header.sectionSize(section) and lines <= header.height():
                continue
        if header.sectionSize(section) + 1 < needed:
            problems.append(
                f"column heading “{title}” of {header.parentWidget().accessibleName() or 'a table'} is "
                f"cut short ({header.sectionSize(section)} of {needed} px)"
            )
    return problems


# ---------------------------------------------------------------------------- contrast


def _background(widget: QWidget) -> QColor:
    current: QWidget | None = widget
    while current is not None:
        if current.autoFillBackground() or current.isWindow():
            return current.palette().color(current.backgroundRole())
        current = current.parentWidget()
    return widget.palette().color(QPalette.ColorRole.Window)


def _label_colours(label: QLabel) -> list[QColor]:
    colours = [label.palette().color(label.foregroundRole())]
    colours += [QColor(name) for name in _COLOUR.findall(label.text()) if QColor(name).isValid()]
    return colours


def faint_texts(root: QWidget) -> list[str]:
    """Text (labels, and the cells of visible tables) with less than 4.5:1 contrast on its background."""
    problems = []
    for widget in visible_widgets(root):
        if isinstance(widget, QLabel) and widget.text() and widget.isEnabled():
            background = _background(widget)
            for colour in _label_colours(widget):
                ratio = contrast_ratio(colour, background)
                if ratio < MIN_CONTRAST:
                    problems.append(f"{_name(widget)}: {colour.name()} on {background.name()} is {ratio:.1f}:1")
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            problems += _faint_cells(widget)
    return problems


def _faint_cells(view: QAbstractItemView) -> list[str]:
    model = view.model()
    palette = view.palette()
    problems: set[str] = set()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
    for row in range(min(model.rowCount(), 60)):
        for column in range(min(columns, 20)):
            index: QModelIndex = model.index(row, column)
            foreground = index.data(Qt.ItemDataRole.ForegroundRole)
            background = index.data(Qt.ItemDataRole.BackgroundRole)
            if foreground is None and background is None:
                continue
            text = _colour(foreground) or palette.color(QPalette.ColorRole.Text)
            bases = (
                [_colour(background)]
                if background is not None
                else [palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.AlternateBase)]
            )
            for base in bases:
                assert base is not None
                ratio = contrast_ratio(text, base)
                if ratio < MIN_CONTRAST:
                    problems.add(
                        f"cells of {view.accessibleName() or type(view).__name__}: {text.name()} on "
                        f"{base.name()} is {ratio:.1f}:1"
                    )
    return sorted(problems)


def _colour(value: object) -> QColor | None:
    if isinstance(value, QColor):
        return value
    brush_colour = getattr(value, "color", None)
    return brush_colour() if callable(brush_colour) else None


def unseen_focus(root: QWidget) -> list[str]:
    """Controls that look the same with and without the keyboard focus (WCAG 2.4.7), one of each kind."""
    from PySide6.QtWidgets import QApplication

    problems = []
    seen_kinds: set[type] = set()
    before_focus = QApplication.focusWidget()
    for widget in list(visible_widgets(root)):
        kind = type(widget)
        if kind in seen_kinds or not widget.isEnabled() or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if (
            widget.focusProxy() is not None
            or isinstance(widget, QAbstractItemView)
            and (widget.model() is None or widget.model().rowCount() == 0)
        ):
            continue  # the proxy is what takes the focus; an empty list has nothing to show it on
        seen_kinds.add(kind)
        if widget.hasFocus():
            widget.clearFocus()
            QApplication.processEvents()
        window = widget.window()
        # The widget and a margin around it, where a focus frame drawn outside it would show.
        area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()).adjusted(-4, -4, 4, 4)
        unfocused = window.grab(area).toImage()
        # As after a Tab key: styles draw focus frames only once the keyboard has moved the focus.
        window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        if widget.hasFocus() and window.grab(area).toImage() == unfocused:
            problems.append(f"{_name(widget)} shows no sign of having the keyboard focus")
    if before_focus is not None:
        before_focus.setFocus(Qt.FocusReason.OtherFocusReason)
    return problems


def problems_in(window: QWidget) -> list[str]:
    """Every check on one window or dialog as it is shown now."""
    return window_fits(window) + cut_texts(window) + faint_texts(window)
