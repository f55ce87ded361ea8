"""The step before the file dialog of an export that has nothing else to ask (a workshop's matrix, a synthesis, a
follow-up pack): the language it is written in, the last one chosen offered first, so that Enter goes on."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from cohesion_desktop.i18n import _
from cohesion_desktop.ui.widgets.export_language import WHAT_THE_LANGUAGE_CHANGES, export_language_box


class ExportLanguageDialog(QDialog):
    """``value`` is the code chosen ("en", "cy", "cy+en"), None until accepted."""

    def __init__(self, *, title: str, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.value: str | None = None
        self.language_field = export_language_box(language)
        note = QLabel(_(WHAT_THE_LANGUAGE_CHANGES))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Lang&uage"), self.language_field)
        form.addRow("", note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        export = buttons.addButton(_("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        # Enter in the box goes on to the file dialog. Only once the buttons are in the dialog: a button not yet in
        # one is nobody's default, and the dialog made Cancel its default instead.
        export.setDefault(True)
        self.resize(480, 150)  # wide enough that the note wraps onto two lines, not six
        self.language_field.setFocus()

    def _accept(self) -> None:
        self.value = self.language_field.value()
        if self.value is not None:  # a box that is not editable always has a choice
            self.accept()
