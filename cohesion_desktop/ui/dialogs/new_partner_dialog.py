"""Adding a partner: its name and sector first, with partners of similar names shown as you type."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import Sector
from cohesion_desktop.i18n import _
from cohesion_desktop.services.partners import SimilarPartner
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.field_errors import error_label


@dataclass(frozen=True)
class NewPartner:
    """What the user chose: a new partner (``open_id`` None) or to open an existing, similar one."""

    name: str
    sector: Sector
    is_sme: bool
    open_id: uuid.UUID | None = None


class NewPartnerDialog(QDialog):
    """``result_value`` holds a :class:`NewPartner` once accepted.

    ``check(name, sector)`` returns a message when the name cannot be used (empty, a duplicate in that
    sector); ``similar(name)`` returns partners with close names. Neither saves anything.
    """

    def __init__(
        self,
        check: Callable[[str, Sector], str | None],
        similar: Callable[[str], Sequence[SimilarPartner]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a partner"))
        self.result_value: NewPartner | None = None
        self._check = check
        self._similar = similar
        self.name_field = QLineEdit()
        self.name_field.setAccessibleName(_("Organisation name"))
        self.name_field.setPlaceholderText(_("e.g. Millbrook Food Bank"))
        self.sector_field: ChoiceBox[Sector] = ChoiceBox.of_enum("Sector", Sector)
        self.sector_field.set_value(Sector.VCS)
        self.sme_field = QCheckBox(_("SME (small or medium business)"))
        self.error_label = error_label()
        form = QFormLayout()
        form.addRow("&Name", self.name_field)
        form.addRow("", self.error_label)
        form.addRow("&Sector", self.sector_field)
        form.addRow("", self.sme_field)

        self.similar_label = QLabel(_("Already in your directory with a similar name – open one of these instead?"))
        self.similar_label.setWordWrap(True)
        self.similar_model = QStandardItemModel(self)
        self.similar_view = QListView()
        self.similar_view.setModel(self.similar_model)
        self.similar_view.setAccessibleName(_("Partners with similar names"))
        self.similar_view.doubleClicked.connect(lambda _index: self._open_selected())
        self.similar_label.hide()
        self.similar_view.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = buttons.addButton(_("Add partner"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setDefault(True)
        self.open_button = buttons.addButton(_("Open selected instead"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()
        buttons.accepted.connect(self._add)
        buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._open_selected)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.similar_label)
        layout.addWidget(self.similar_view)
        layout.addWidget(buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self._refresh_similar)
        self.name_field.textChanged.connect(lambda _text: self._debounce.start())
        self.resize(520, 220)

    def _refresh_similar(self) -> None:
        found = self._similar(self.name_field.text()) if self.name_field.text().strip() else []
        self.similar_model.clear()
        for partner in found:
            item = QStandardItem(f"{partner.name} ({partner.sector.label})")
            item.setData(partner.id, Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            self.similar_model.appendRow(item)
        for widget in (self.similar_label, self.similar_view, self.open_button):
            widget.setVisible(bool(found))
        if found:
            self.similar_view.setCurrentIndex(self.similar_model.index(0, 0))

    def _add(self) -> None:
        name = " ".join(self.name_field.text().split())
        sector = self.sector_field.value()
        assert sector is not None
        problem = self._check(name, sector)
        if problem:
            self.error_label.say(problem)
            self.name_field.setFocus()
            return
        self.result_value = NewPartner(name=name, sector=sector, is_sme=self.sme_field.isChecked())
        self.accept()

    def _open_selected(self) -> None:
        index = self.similar_view.currentIndex()
        if not index.isValid():
            return
        self.result_value = NewPartner(
            name="", sector=Sector.OTHER, is_sme=False, open_id=index.data(Qt.ItemDataRole.UserRole)
        )
        self.accept()
