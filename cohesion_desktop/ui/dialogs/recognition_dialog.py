"""Recording thanks or an award for a volunteer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import RecognitionKind
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.date_field import DateField
from cohesion_desktop.ui.widgets.field_errors import error_label


@dataclass(frozen=True)
class RecognitionValue:
    kind: RecognitionKind
    title: str
    given_on: date
    message: str


class RecognitionDialog(QDialog):
    def __init__(self, volunteer_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Thanks and awards – {name}").format(name=volunteer_name))
        self.value: RecognitionValue | None = None
        self.kind_field = ChoiceBox.of_enum(_("Kind"), (RecognitionKind.THANKS, RecognitionKind.AWARD))
        self.title_field = QLineEdit(_("Thank-you card"))
        self.title_field.setAccessibleName(_("What"))
        self.date_field = DateField(
            _("Given on"),
            date.today(),
            latest=date.today,
            latest_reason=_("Record thanks once they have been given."),
        )
        self.message_field = QPlainTextEdit()
        self.message_field.setAccessibleName(_("Message"))
        self.message_field.setTabChangesFocus(True)
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("&Kind"), self.kind_field)
        form.addRow(_("&What"), self.title_field)
        form.addRow("", self.error)
        form.addRow(_("&Given on"), self.date_field)
        form.addRow(_("&Message"), self.message_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        title = " ".join(self.title_field.text().split())
        if not title:
            self.error.say(_("Say what it is (e.g. 'Thank-you card', 'Volunteer of the year')."))
            self.title_field.setFocus()
            return
        if not self.date_field.check():
            self.date_field.setFocus()
            return
        kind, given_on = self.kind_field.value(), self.date_field.value()
        assert kind is not None and given_on is not None
        self.value = RecognitionValue(
            kind=kind, title=title, given_on=given_on, message=self.message_field.toPlainText()
        )
        self.accept()
