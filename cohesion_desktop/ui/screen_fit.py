"""Windows that fit the screen they are on: the first size chosen from the screen's available area (never larger),
and every window or dialog kept within that area whenever it is shown (a 1366×768 laptop, or one at 150%).

A window that cannot be made small enough keeps its minimum size, and the tests in tests/layout say which;
dialogs with long bodies scroll those bodies, so their buttons stay on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

# Room kept for a window frame the platform adds around the window (a title bar, borders).
FRAME_ALLOWANCE = QSize(16, 40)


def available_area(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def first_window_size(window: QWidget, preferred: QSize) -> tuple[QSize, bool]:
    """The size to open a main window at, and whether to maximise it instead (when the preferred size does not
    fit the screen with room for the window's frame)."""
    room = available_area(window).size() - FRAME_ALLOWANCE
    if preferred.width() <= room.width() and preferred.height() <= room.height():
        return preferred, False
    return preferred.boundedTo(room), True


def keep_on_screen(window: QWidget) -> None:
    """Shrink ``window`` to the screen's available area if it is larger, and move it wholly inside it."""
    area = available_area(window)
    frame = window.frameGeometry()
    extra = QSize(frame.width() - window.width(), frame.height() - window.height())
    wanted = window.size().boundedTo(area.size() - extra)
    if wanted != window.size():
        window.resize(wanted.expandedTo(window.minimumSize()))
        frame = window.frameGeometry()
    x = min(max(frame.x(), area.left()), max(area.left(), area.right() + 1 - frame.width()))
    y = min(max(frame.y(), area.top()), max(area.top(), area.bottom() + 1 - frame.height()))
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


class ScreenFitting(QObject):
    """An application-wide event filter: each dialog and main window is kept on its screen as it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        # Every event of the app passes here: isinstance is the cheap test (event.type() makes a Python enum).
        if isinstance(event, QShowEvent) and isinstance(watched, QDialog | QMainWindow) and watched.isWindow():
            keep_on_screen(watched)
        return False
