"""Secondary text (key help, notes under a table) in a quieter colour that still reads: the palette's own
placeholder or mid-tone text when that has 4.5:1 contrast on the background, else the normal text colour."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from cohesion_desktop.ui.colours import muted_text


class HintLabel(QLabel):
    """A word-wrapping label in the muted colour, recoloured when the palette changes (a switch to dark mode)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._recolour()

    def _recolour(self) -> None:
        palette = self.palette()
        colour = muted_text(palette)
        if palette.color(QPalette.ColorRole.WindowText) != colour:  # setting it is a palette change too
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()
        super().changeEvent(event)
