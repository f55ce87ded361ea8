"""Choose the partner to merge into the one being edited (similar names suggested first)."""

from __future__ import annotations

import html
import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from cohesion_desktop.i18n import _
from cohesion_desktop.services.partners import SimilarPartner


class MergePartnerDialog(QDialog):
    """``chosen`` holds (id, name) of the partner to merge in, once accepted."""

    def __init__(
        self,
        keep_name: str,
        choices: Sequence[tuple[uuid.UUID, str]],
        similar: Sequence[SimilarPartner],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Merge with…"))
        self.chosen: tuple[uuid.UUID, str] | None = None
        intro = QLabel(
            _("Which partner is the same organisation as <b>{name}</b>? Its records will move to this partner.").format(
                name=html.escape(keep_name)
            )
        )
        intro.setWordWrap(True)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setAccessibleName(_("Partner to merge in"))
        suggested = {s.id for s in similar}
        for item in similar:
            self.combo.addItem(
                _("{name} ({sector}) – similar name").format(name=item.name, sector=item.sector.label),
                (item.id, item.name),
            )
        for partner_id, name in choices:
            if partner_id not in suggested:
                self.combo.addItem(name, (partner_id, name))
        completer = self.combo.completer()
        assert completer is not None  # an editable combo box has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton(_("Merge…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setEnabled(self.combo.count() > 0)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.combo)
        layout.addWidget(buttons)
        self.resize(520, 160)

    def _accept(self) -> None:
        index = self.combo.findText(self.combo.currentText())
        data = self.combo.itemData(index if index >= 0 else self.combo.currentIndex())
        if data:
            self.chosen = data
            self.accept()
