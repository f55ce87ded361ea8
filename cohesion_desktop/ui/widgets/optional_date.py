"""A date that may be left blank: a checkbox turns it on."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget


class OptionalDate(QWidget):
    """A date that may be left blank (a checkbox turns it on)."""

    def __init__(self, label: str, value: date | None) -> None:
        super().__init__()
        self.enabled = QCheckBox(label)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setAccessibleName(label)
        shown = value or date.today()
        self.edit.setDate(QDate(shown.year, shown.month, shown.day))
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.enabled.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.enabled)
        row.addWidget(self.edit)
        row.addStretch(1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.enabled.isChecked() else None  # type: ignore[return-value]
