"""The words on certificates of thanks: the message and who signs them."""

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

DEFAULT_MESSAGE = "Thank you for the time and care you give to our community."


@dataclass(frozen=True)
class CertificateWording:
    message: str
    signatory: str


class CertificateDialog(QDialog):
    def __init__(
        self, *, names: list[str], organisation: str, milestone: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Certificates of thanks")
        self.value: CertificateWording | None = None
        who = names[0] if len(names) == 1 else f"{len(names)} volunteers"
        about = f"for reaching {milestone} hours" if milestone else "with the hours given so far"
        intro = QLabel(
            f"A certificate for {who}, {about}, from {organisation or 'your organisation'} "
            "(set its name in Settings). Each is recorded under Thanks and awards."
        )
        intro.setWordWrap(True)
        self.message_field = QPlainTextEdit(DEFAULT_MESSAGE)
        self.message_field.setAccessibleName("Message")
        self.message_field.setTabChangesFocus(True)
        self.signatory_field = QLineEdit()
        self.signatory_field.setAccessibleName("Signed by")
        self.signatory_field.setPlaceholderText("e.g. Joanne Whitaker, Chief Officer")
        form = QFormLayout()
        form.addRow("&Message", self.message_field)
        form.addRow("&Signed by", self.signatory_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Make certificates…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 300)

    def _accept(self) -> None:
        self.value = CertificateWording(
            message=self.message_field.toPlainText().strip(), signatory=self.signatory_field.text().strip()
        )
        self.accept()
