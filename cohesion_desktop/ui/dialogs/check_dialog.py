"""A DBS check or a training a volunteer holds: which, when, and when it must be renewed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import CheckKind
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.date_field import DateField

# Common UK practice: many organisations re-check DBS every 3 years, and first aid and safeguarding
# certificates usually last 3 years; food hygiene is often refreshed every 3 years too.
RENEW_AFTER_YEARS = 3


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for a 29 February in a year without one)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class CheckValue:
    kind: CheckKind
    obtained_on: date
    renewal_due_on: date | None
    reference: str


class CheckDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a check or training"))
        self.value: CheckValue | None = None
        self.kind_field: ChoiceBox[CheckKind] = ChoiceBox.of_enum(_("Check or training"), CheckKind)
        today = date.today()
        self.obtained_field = DateField(
            _("Obtained on"),
            today,
            latest=date.today,
            latest_reason=_("A check cannot be obtained in the future."),
        )
        self.renewal_field = DateField(_("Renew by"), years_after(today, RENEW_AFTER_YEARS), optional=True)
        self.obtained_field.committed.connect(self._suggest_renewal)
        self.reference_field = QLineEdit()
        self.reference_field.setAccessibleName(_("Reference"))
        self.reference_field.setPlaceholderText(_("e.g. the DBS certificate number"))
        form = QFormLayout()
        form.addRow(_("&Which"), self.kind_field)
        form.addRow(_("&Obtained on"), self.obtained_field)
        form.addRow(_("Re&new by"), self.renewal_field)
        form.addRow(_("&Reference"), self.reference_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _suggest_renewal(self) -> None:
        obtained = self.obtained_field.value()
        if obtained is not None:
            self.renewal_field.set_value(years_after(obtained, RENEW_AFTER_YEARS))

    def _accept(self) -> None:
        for field in (self.obtained_field, self.renewal_field):
            if not field.check():
                field.setFocus()
                return
        kind, obtained = self.kind_field.value(), self.obtained_field.value()
        assert kind is not None and obtained is not None
        self.value = CheckValue(
            kind=kind,
            obtained_on=obtained,
            renewal_due_on=self.renewal_field.value(),
            reference=self.reference_field.text().strip(),
        )
        self.accept()
