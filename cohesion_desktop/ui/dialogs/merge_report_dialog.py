"""What a merge of another laptop's data file did (or, for a preview, would do), to read and copy."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from cohesion_desktop.i18n import _


class MergeReportDialog(QDialog):
    """The report of ``services.merging``, one line each, read-only (it can be selected and copied)."""

    def __init__(self, lines: Sequence[str], *, preview: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Merge preview") if preview else _("Merge report"))
        self.text = QPlainTextEdit("\n".join(lines))
        self.text.setReadOnly(True)
        self.text.setAccessibleName(_("Merge report"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)
