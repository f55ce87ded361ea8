"""Recording thanks or an award for a volunteer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import RecognitionKind


@dataclass(frozen=True)
class RecognitionValue:
    kind: RecognitionKind
    title: str
    given_on: date
    message: str


class RecognitionDialog(QDialog):
    def __init__(self, volunteer_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Thanks and awards – {volunteer_name}")
        self.value: RecognitionValue | None = None
        self.kind_field = QComboBox()
        self.kind_field.setAccessibleName("Kind")
        for kind in (RecognitionKind.THANKS, RecognitionKind.AWARD):
            self.kind_field.addItem(kind.label, kind)
        self.title_field = QLineEdit("Thank-you card")
        self.title_field.setAccessibleName("What")
        self.date_field = QDateEdit(QDate.currentDate())
        self.date_field.setAccessibleName("Given on")
        self.date_field.setDisplayFormat("dd/MM/yyyy")
        self.date_field.setCalendarPopup(True)
        self.message_field = QPlainTextEdit()
        self.message_field.setAccessibleName("Message")
        self.message_field.setTabChangesFocus(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        form = QFormLayout()
        form.addRow("&Kind", self.kind_field)
        form.addRow("&What", self.title_field)
        form.addRow("", self.error)
        form.addRow("&Given on", self.date_field)
        form.addRow("&Message", self.message_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        title = " ".join(self.title_field.text().split())
        if not title:
            self.error.setText("Say what it is (e.g. 'Thank-you card', 'Volunteer of the year').")
            self.error.show()
            return
        self.value = RecognitionValue(kind=self.kind_field.currentData(), title=title,
                                      given_on=self.date_field.date().toPython(),  # type: ignore[arg-type]
                                      message=self.message_field.toPlainText())
        self.accept()
