"""A DBS check or a training a volunteer holds: which, when, and when it must be renewed."""

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
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import CheckKind
from cohesion_desktop.ui.widgets.optional_date import OptionalDate

# Common UK practice: many organisations re-check DBS every 3 years, and first aid and safeguarding
# certificates usually last 3 years; food hygiene is often refreshed every 3 years too.
RENEW_AFTER_YEARS = 3


@dataclass(frozen=True)
class CheckValue:
    kind: CheckKind
    obtained_on: date
    renewal_due_on: date | None
    reference: str


class CheckDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a check or training")
        self.value: CheckValue | None = None
        self.kind_field = QComboBox()
        self.kind_field.setAccessibleName("Check or training")
        for kind in CheckKind:
            self.kind_field.addItem(kind.label, kind)
        self.obtained_field = QDateEdit(QDate.currentDate())
        self.obtained_field.setAccessibleName("Obtained on")
        self.obtained_field.setDisplayFormat("dd/MM/yyyy")
        self.obtained_field.setCalendarPopup(True)
        self.obtained_field.setMaximumDate(QDate.currentDate())
        renewal = date.today().replace(year=date.today().year + RENEW_AFTER_YEARS)
        self.renewal_field = OptionalDate("Renew by", renewal)
        self.obtained_field.dateChanged.connect(self._suggest_renewal)
        self.reference_field = QLineEdit()
        self.reference_field.setAccessibleName("Certificate number")
        self.reference_field.setPlaceholderText("e.g. the DBS certificate number")
        form = QFormLayout()
        form.addRow("&Which", self.kind_field)
        form.addRow("&Obtained on", self.obtained_field)
        form.addRow("", self.renewal_field)
        form.addRow("&Reference", self.reference_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _suggest_renewal(self, obtained: QDate) -> None:
        self.renewal_field.edit.setDate(obtained.addYears(RENEW_AFTER_YEARS))

    def _accept(self) -> None:
        kind = self.kind_field.currentData()
        self.value = CheckValue(kind=kind, obtained_on=self.obtained_field.date().toPython(),  # type: ignore[arg-type]
                                renewal_due_on=self.renewal_field.value(), reference=self.reference_field.text())
        self.accept()


