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
from cohesion_desktop.formatting import format_datetime, format_number
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.ui.prompts import Prompts

_KIND_LABELS = {
    "auto": N_("automatic"),
    "manual": N_("made by you"),
    "before-restore": N_("the file a restore replaced"),
    "damaged": N_("a damaged file, set aside"),
    "before-import": N_("before an import"),
    "before-erasure": N_("before an erasure"),
    "before-merge": N_("before a merge"),
    "before-delete": N_("before a bulk delete"),
}


def kind_label(kind: str) -> str:
    if kind in _KIND_LABELS:
        return _(_KIND_LABELS[kind])
    if kind.startswith("upgrade"):
        return _("before an upgrade")
    return kind.replace("-", " ")


class RestoreDialog(QDialog):
    """Returns the chosen backup in ``chosen`` (a Path) when accepted."""

    def __init__(self, target: Path, found: list[BackupInfo], prompts: Prompts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore from backup"))
        self.chosen: Path | None = None
        self._prompts = prompts
        intro = QLabel(
            _(
                "Choose a backup to put in place of <b>{name}</b>. The current file is kept beside it under a new name."
            ).format(name=target.name)
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Backups"))
        for info in found:
            item = QListWidgetItem(
                _("{made} – {kind} – {size} MB").format(
                    made=format_datetime(info.made_at, seconds=True),
                    kind=kind_label(info.kind),
                    size=format_number(info.size / 1_048_576, decimals=1),
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.list.addItem(item)
        if not found:
            self.list.addItem(_("No backups of this file yet."))
            self.list.setEnabled(False)
        else:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self._accept_selected())
        other = QPushButton(_("Choose a backup file…"))
        other.clicked.connect(self._choose_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton(_("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
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
        chosen = self._prompts.open_path(_("Choose a backup file"), None, _("Backups (*.sqlite *.db);;All files (*)"))
        if chosen is not None:
            self.chosen = chosen
            self.accept()
