"""The words on certificates of thanks: the message, who signs them, and the language they are written in."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.ui.widgets.export_language import export_language_box

# Translated where it is shown, in the interface's language: the message is the user's to edit, then printed as is.
DEFAULT_MESSAGE = N_("Thank you for the time and care you give to our community.")


@dataclass(frozen=True)
class CertificateWording:
    message: str
    signatory: str
    language: str = "en"  # one of i18n.EXPORT_LANGUAGES: the certificate's own words ("Certificate of thanks" …)


class CertificateDialog(QDialog):
    def __init__(
        self,
        *,
        names: list[str],
        organisation: str,
        milestone: int | None,
        language: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Certificates of thanks"))
        self.value: CertificateWording | None = None
        who = (
            names[0]
            if len(names) == 1
            else ngettext("{n} volunteer", "{n} volunteers", len(names)).format(n=len(names))
        )
        sender = organisation or _("your organisation")
        if milestone:
            text = _(
                "A certificate for {who}, for reaching {hours} hours, from {organisation} (set its name in Settings). "
                "Each is recorded under Thanks and awards."
            ).format(who=who, hours=milestone, organisation=sender)
        else:
            text = _(
                "A certificate for {who}, with the hours given so far, from {organisation} (set its name in "
                "Settings). Each is recorded under Thanks and awards."
            ).format(who=who, organisation=sender)
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.message_field = QPlainTextEdit(_(DEFAULT_MESSAGE))
        self.message_field.setAccessibleName(_("Message"))
        self.message_field.setTabChangesFocus(True)
        self.signatory_field = QLineEdit()
        self.signatory_field.setAccessibleName(_("Signed by"))
        self.signatory_field.setPlaceholderText(_("e.g. Joanne Whitaker, Chief Officer"))
        self.language_field = export_language_box(language)
        language_note = QLabel(
            _("The message is printed as you write it: write it in the certificate's language, or in both.")
        )
        language_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("&Message"), self.message_field)
        form.addRow(_("&Signed by"), self.signatory_field)
        form.addRow(_("Lang&uage"), self.language_field)
        form.addRow("", language_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(_("Make certificates…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 340)

    def _accept(self) -> None:
        self.value = CertificateWording(
            message=self.message_field.toPlainText().strip(),
            signatory=self.signatory_field.text().strip(),
            language=self.language_field.value() or "en",
        )
        self.accept()
