"""Text fields shown afresh without disturbing the person using them."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit


def show_text(field: QLineEdit, text: str) -> None:
    """Show ``text`` in ``field`` unless it shows it already: setting the same text again loses the person's
    selection and cursor (a record read again after another laptop's change, while they select a field to retype)."""
    if field.text() != text:
        field.setText(text)
