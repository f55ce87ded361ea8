"""Every message box and file dialog, behind one object that tests replace with a scripted fake."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from cohesion_desktop.i18n import _
from cohesion_desktop.ui.dialogs.conflict_dialog import ConflictDialog, Difference, Resolution


class Prompts:
    """Asks the user things. Each method blocks until answered and returns a plain value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def warning(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.parent, title, text)

    def confirm(
        self, title: str, text: str, *, confirm_label: str | None = None, cancel_label: str | None = None
    ) -> bool:
        """Yes or no, with buttons that say what they do (OK and Cancel unless told); Escape and closing mean no."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        yes = box.addButton(confirm_label or _("OK"), QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(cancel_label or _("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is yes

    def choose(self, title: str, text: str, options: Sequence[str], *, cancel_label: str | None = None) -> int | None:
        """One of several buttons; returns its index, or None for cancel/Escape."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        buttons = [box.addButton(option, QMessageBox.ButtonRole.AcceptRole) for option in options]
        cancel = box.addButton(cancel_label or _("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(cancel)
        if buttons:
            box.setDefaultButton(buttons[0])
        box.exec()
        clicked = box.clickedButton()
        return buttons.index(clicked) if clicked in buttons else None

    def resolve_conflict(
        self, said: str, differences: Sequence[Difference], *, removed: bool, as_new: bool = True
    ) -> Resolution:
        """What to do with a save refused because somebody else changed (or removed) the record meanwhile
        (``as_new``: whether a removed record's values can be saved as a new one)."""
        dialog = ConflictDialog(said, differences, removed=removed, as_new=as_new, parent=self.parent)
        dialog.exec()
        return dialog.chosen

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, accepted = QInputDialog.getText(self.parent, title, label, text=text)
        return value if accepted else None

    def open_path(self, title: str, directory: Path | None = None, file_filter: str = "") -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(self.parent, title, str(directory or ""), file_filter)
        return Path(chosen) if chosen else None

    def save_path(self, title: str, suggested: Path | None = None, file_filter: str = "") -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(self.parent, title, str(suggested or ""), file_filter)
        return Path(chosen) if chosen else None
