"""Choose a backup to restore: the automatic ones of the data file, or any backup file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.db.backups import BackupInfo
from cohesion_desktop.ui.prompts import Prompts

_KIND_LABELS = {
    "auto": "automatic",
    "manual": "made by you",
    "before-restore": "the file a restore replaced",
    "damaged": "a damaged file, set aside",
    "before-import": "before an import",
    "before-erasure": "before an erasure",
    "before-merge": "before a merge",
    "before-delete": "before a bulk delete",
}


def kind_label(kind: str) -> str:
    if kind in _KIND_LABELS:
        return _KIND_LABELS[kind]
    if kind.startswith("upgrade"):
        return "before an upgrade"
    return kind.replace("-", " ")


class RestoreDialog(QDialog):
    """Returns the chosen backup in ``chosen`` (a Path) when accepted."""

    def __init__(self, target: Path, found: list[BackupInfo], prompts: Prompts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.chosen: Path | None = None
        self._prompts = prompts
        intro = QLabel(
            f"Choose a backup to put in place of <b>{target.name}</b>. The current file is kept beside it "
            "under a new name."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Backups")
        for info in found:
            item = QListWidgetItem(
                f"{info.made_at:%d/%m/%Y %H:%M:%S} – {kind_label(info.kind)} – {info.size / 1_048_576:.1f} MB"
            )
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.list.addItem(item)
        if not found:
            self.list.addItem("No backups of this file yet.")
            self.list.setEnabled(False)
        else:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self._accept_selected())
        other = QPushButton("Choose a backup file…")
        other.clicked.connect(self._choose_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(found))
        buttons.accepted.connect(self._accept_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(other, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def _accept_selected(self) -> None:
        item = self.list.currentItem()
        stored = item.data(Qt.ItemDataRole.UserRole) if item else None
        if stored:
            self.chosen = Path(stored)
            self.accept()

    def _choose_file(self) -> None:
        chosen = self._prompts.open_path("Choose a backup file", None, "Backups (*.sqlite *.db);;All files (*)")
        if chosen is not None:
            self.chosen = chosen
            self.accept()
