"""A tick box whose words wrap: Qt's check box draws its text on one line and cuts it short where a translation
is longer than the dialog is wide ("Include contact details (e-mail and phone)" in Welsh, at 150%)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget


class _TickingLabel(QLabel):
    """The box's words: a click on them ticks the box, as a click on a check box's own text does."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled() and self.rect().contains(event.pos()):
            self._box.toggle()
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


class WrappingCheckBox(QWidget):
    """A check box (``box``: connect to it, ask it) beside its ``text``, which wraps onto more lines when the row
    is narrow. The box is announced by the whole text and shows the keyboard focus; the words are a label."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.box.setAccessibleName(text)
        self.label = _TickingLabel(text, self.box)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
