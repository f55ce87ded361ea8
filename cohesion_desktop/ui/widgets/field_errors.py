"""A form row whose problem is shown right under its field, in red, as every dialog of the app does it."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLayout, QSizePolicy, QWidget

ERROR_STYLE = "color: #b00020;"


def error_label() -> QLabel:
    """A hidden red message that wraps; show it with ``setText(...)`` and ``show()``."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
    label.hide()
    return label


def add_field_row(form: QFormLayout, label: str, field: QWidget | QLayout) -> QLabel:
    """Add ``label`` and ``field`` to ``form``, and under them the field's (hidden) error message, returned.

    A widget is given the label (without its "&") as its accessible name, so a screen reader says what it is.
    """
    if isinstance(field, QWidget):
        field.setAccessibleName(label.replace("&", ""))
    form.addRow(label, field)
    error = error_label()
    form.addRow("", error)
    return error
