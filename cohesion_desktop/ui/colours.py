"""Colours taken from the palette, or checked against it, so that text stays readable in a light, a dark or a
high-contrast theme (WCAG 2.2: text contrast at least 4.5:1, 1.4.3).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QGuiApplication, QPalette

MIN_CONTRAST = 4.5
# Marks a problem as well as its colour: state is never shown by colour alone (WCAG 1.4.1).
PROBLEM_SIGN = "⚠"

# Reds from dark to light: the first that reads well on the background is used for problems.
_PROBLEM_REDS = ("#b00020", "#9b0015", "#ff8a80", "#ffb4ab", "#ffffff")
_OVERDUE_REDS = _PROBLEM_REDS


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """Relative luminance as WCAG defines it."""
    return 0.2126 * _linear(colour.redF()) + 0.7152 * _linear(colour.greenF()) + 0.0722 * _linear(colour.blueF())


def contrast_ratio(first: QColor, second: QColor) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(candidates: Iterable[str], background: QColor) -> QColor:
    """The first candidate with enough contrast on ``background`` (else black or white, whichever reads)."""
    for name in candidates:
        colour = QColor(name)
        if contrast_ratio(colour, background) >= MIN_CONTRAST:
            return colour
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast_ratio(black, background) >= contrast_ratio(white, background) else white


def problem_colour(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """A red for problem text that reads on the palette's ``role`` background (the window, or a table's base)."""
    return readable(_PROBLEM_REDS, palette.color(role))


def problem_text_on_cells() -> QColor:
    """The problem red for text in the cells of a table, against the application palette's base colour."""
    return problem_colour(QGuiApplication.palette(), QPalette.ColorRole.Base)


def muted_text(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """Secondary text: the palette's placeholder or mid-tone text, unless that is too faint to read."""
    background = palette.color(role)
    for candidate in (palette.color(QPalette.ColorRole.PlaceholderText), palette.color(QPalette.ColorRole.Dark)):
        if contrast_ratio(candidate, background) >= MIN_CONTRAST:
            return candidate
    return palette.color(QPalette.ColorRole.WindowText)
