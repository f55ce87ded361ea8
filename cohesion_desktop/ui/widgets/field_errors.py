"""Problems shown right under the field they are about, as every dialog of the app does it.

A problem is marked by a sign as well as by colour (WCAG 1.4.1: never colour alone), and its red is chosen to
read on the palette's background, light or dark.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QLayout, QSizePolicy, QWidget

from cohesion_desktop.ui.colours import PROBLEM_SIGN, problem_colour


class ProblemLabel(QLabel):
    """A hidden message that wraps, in a red that reads on the current palette; ``say(text)`` shows it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._recolour()
        self.hide()

    def _recolour(self) -> None:
        colour = problem_colour(self.palette())
        if self.palette().color(QPalette.ColorRole.WindowText) != colour:  # setting it is a palette change too
            palette = self.palette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()
        super().changeEvent(event)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        """Plain text, marked with the problem sign (empty text stays empty)."""
        self.setTextFormat(Qt.TextFormat.PlainText)
        super().setText(f"{PROBLEM_SIGN} {text}" if text and not text.startswith(PROBLEM_SIGN) else text)

    def say(self, text: str) -> None:
        self.setText(text)
        self.show()


def error_label() -> ProblemLabel:
    """A hidden problem message; show it with ``setText(...)`` and ``show()``, or ``say(...)``."""
    return ProblemLabel()


def show_message(label: QLabel, text: str, *, problem: bool = False) -> None:
    """Put ``text`` (plain text) in an ordinary label; a problem in a readable red with its sign."""
    label.setTextFormat(Qt.TextFormat.RichText)
    escaped = html.escape(text)
    if problem:
        colour = problem_colour(label.palette()).name()
        label.setText(f"<span style='color:{colour}'>{PROBLEM_SIGN} {escaped}</span>")
    else:
        label.setText(escaped)


def add_field_row(form: QFormLayout, label: str, field: QWidget | QLayout) -> ProblemLabel:
    """Add ``label`` and ``field`` to ``form``, and under them the field's (hidden) problem message, returned.

    A widget is given the label (without its "&") as its accessible name, so a screen reader says what it is.
    """
    if isinstance(field, QWidget):
        field.setAccessibleName(label.replace("&", ""))
    form.addRow(label, field)
    error = error_label()
    form.addRow("", error)
    return error
