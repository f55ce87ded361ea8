"""A picture file chosen by typing its path or with "Choose…" (the organisation's logo, in Settings and exports)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from cohesion_desktop.i18n import N_, _
from cohesion_desktop.ui.prompts import Prompts

IMAGE_FILTER = N_("Images (*.png *.jpg *.jpeg);;All files (*)")


class ImageFileField(QWidget):
    """``text()`` is the path as typed or chosen (stripped); the caller checks that the file is there."""

    def __init__(
        self, path: str, *, prompts: Prompts, accessible_name: str = "Logo", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._prompts = prompts
        self.line = QLineEdit(path)
        self.line.setAccessibleName(accessible_name)
        self.line.setPlaceholderText(_("A PNG or JPEG file, for reports and certificates"))
        browse = QPushButton(_("Choose…"))
        browse.setAccessibleName(_("Choose the {what} file").format(what=accessible_name.lower()))
        browse.clicked.connect(self.choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(browse)
        self.setFocusProxy(self.line)

    def text(self) -> str:
        return self.line.text().strip()

    def setText(self, path: str) -> None:  # noqa: N802 (as a QLineEdit)
        self.line.setText(path)

    def choose(self) -> None:
        start = Path(self.text()).parent if self.text() else Path.home()
        chosen = self._prompts.open_path(_("Choose a logo"), start, _(IMAGE_FILTER))
        if chosen is not None:
            self.line.setText(str(chosen))
