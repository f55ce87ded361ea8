"""A workshop's details: title, date, place, facilitator, its template (when new) and the partners present."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.i18n import _
from cohesion_desktop.services.workshops import TemplateInfo
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.date_field import DateField
from cohesion_desktop.ui.widgets.field_errors import error_label


@dataclass(frozen=True)
class WorkshopDetails:
    title: str
    held_on: date
    place: str
    facilitator: str
    template_id: uuid.UUID | None
    partner_ids: tuple[uuid.UUID, ...]


class WorkshopDialog(QDialog):
    """``value`` holds :class:`WorkshopDetails` once accepted. With ``templates`` empty the template is fixed."""

    def __init__(
        self,
        *,
        partners: Sequence[tuple[uuid.UUID, str]],
        places: Sequence[str],
        templates: Sequence[TemplateInfo] = (),
        current: WorkshopDetails | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New workshop") if current is None else _("Workshop details"))
        self.value: WorkshopDetails | None = None
        self.title_field = QLineEdit(current.title if current else "")
        self.title_field.setAccessibleName(_("Title"))
        self.title_field.setPlaceholderText(_("e.g. Harrowfield cohesion roundtable"))
        self.error = error_label()
        self.date_field = DateField(_("Date"), current.held_on if current else date.today())
        self.place_field = QComboBox()
        self.place_field.setAccessibleName(_("Place"))
        self.place_field.setEditable(True)
        self.place_field.addItem("")
        self.place_field.addItems(list(places))
        self.place_field.setCurrentText(current.place if current else "")
        self.facilitator_field = QLineEdit(current.facilitator if current else "")
        self.facilitator_field.setAccessibleName(_("Facilitator"))
        self.template_field: ChoiceBox[uuid.UUID] = ChoiceBox(_("Matrix template"))
        for template in templates:
            self.template_field.add_choice(template.name, template.id)
            rows = "; ".join(title for title, _ in template.rows)
            self.template_field.setItemData(self.template_field.count() - 1, rows, Qt.ItemDataRole.ToolTipRole)
        self.partner_model = QStandardItemModel(self)
        chosen = set(current.partner_ids) if current else set()
        for partner_id, name in partners:
            item = QStandardItem(name)
            item.setCheckable(True)
            item.setEditable(False)
            item.setData(partner_id, Qt.ItemDataRole.UserRole)
            item.setCheckState(Qt.CheckState.Checked if partner_id in chosen else Qt.CheckState.Unchecked)
            self.partner_model.appendRow(item)
        self.partner_filter = QSortFilterProxyModel(self)
        self.partner_filter.setSourceModel(self.partner_model)
        self.partner_filter.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        search = QLineEdit()
        search.setPlaceholderText(_("Find a partner…"))
        search.setAccessibleName(_("Find a partner"))
        search.setClearButtonEnabled(True)
        search.textChanged.connect(self.partner_filter.setFilterFixedString)
        self.partner_view = QListView()
        self.partner_view.setModel(self.partner_filter)
        self.partner_view.setAccessibleName(_("Partners present"))

        form = QFormLayout()
        form.addRow(_("&Title"), self.title_field)
        form.addRow("", self.error)
        form.addRow(_("&Date"), self.date_field)
        form.addRow(_("&Place"), self.place_field)
        form.addRow(_("&Facilitator"), self.facilitator_field)
        if templates:
            form.addRow(_("&Matrix"), self.template_field)
        form.addRow(_("Partners present"), search)
        form.addRow("", self.partner_view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton(
            _("Create workshop") if current is None else _("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 560)

    def checked_partner_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(
            self.partner_model.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.partner_model.rowCount())
            if self.partner_model.item(row).checkState() == Qt.CheckState.Checked
        )

    def _accept(self) -> None:
        title = " ".join(self.title_field.text().split())
        if not title:
            self.error.say(_("Give the workshop a title."))
            self.title_field.setFocus()
            return
        if not self.date_field.check():
            self.date_field.setFocus()
            return
        held_on = self.date_field.value()
        assert held_on is not None
        self.value = WorkshopDetails(
            title=title,
            held_on=held_on,
            place=self.place_field.currentText().strip(),
            facilitator=self.facilitator_field.text().strip(),
            template_id=self.template_field.value(),
            partner_ids=self.checked_partner_ids(),
        )
        self.accept()
