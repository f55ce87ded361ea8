"""A large button with a line of explanation (a command link), whose keyboard focus can be seen."""

from __future__ import annotations

from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QCommandLinkButton, QWidget


class CommandButton(QCommandLinkButton):
    """Qt's styles draw no focus frame on a command link, so a keyboard user could not tell which of several
    is about to be pressed (WCAG 2.4.7): a frame in the palette's highlight colour shows it."""

    def __init__(self, text: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(text, description, parent)
        self.setAccessibleName(text)
        self.setAccessibleDescription(description)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 4, 4)
