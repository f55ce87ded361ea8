"""An opportunity's details, with each problem shown beside its field. Returns an OpportunityInput."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import Availability, CheckKind, OpportunityKind, OpportunityStatus
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.i18n import _
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.date_field import DateField
from cohesion_desktop.ui.widgets.field_errors import add_field_row

PartnerBox = ChoiceBox[uuid.UUID | None]


def _partner_combo(partners: Sequence[tuple[uuid.UUID, str]], none_label: str, name: str) -> PartnerBox:
    choices = [(none_label, None), *((partner_name, partner_id) for partner_id, partner_name in partners)]
    return ChoiceBox(name, choices, editable=True)


class OpportunityDialog(QDialog):
    """``value`` holds the :class:`OpportunityInput` once accepted; ``check`` validates it first (services)."""

    def __init__(
        self,
        *,
        partners: Sequence[tuple[uuid.UUID, str]],
        places: Sequence[str],
        current: OpportunityInput | None = None,
        check: object = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New opportunity") if current is None else _("Edit opportunity"))
        self.value: OpportunityInput | None = None
        self._check = check
        data = current or OpportunityInput(title="", host_partner_id=None)
        self.errors: dict[str, QLabel] = {}
        self.title_field = QLineEdit(data.title)
        self.title_field.setAccessibleName(_("Title"))
        self.host_field = _partner_combo(partners, _("(choose the host)"), _("Host partner"))
        self.host_field.set_value(data.host_partner_id)
        self.supporter_field = _partner_combo(partners, _("(none)"), _("Supporting partner"))
        self.supporter_field.set_value(data.supporting_partner_id)
        self.kind_field: ChoiceBox[OpportunityKind] = ChoiceBox.of_enum(_("Kind"), OpportunityKind)
        self.kind_field.set_value(data.kind)
        self.status_field: ChoiceBox[OpportunityStatus] = ChoiceBox.of_enum(_("Status"), OpportunityStatus)
        self.status_field.set_value(data.status)
        self.place_field = QComboBox()
        self.place_field.setEditable(True)
        self.place_field.addItems(["", *places])
        self.place_field.setCurrentText(data.place)
        self.starts_field = DateField(_("Starts"), data.starts_on, optional=True)
        self.ends_field = DateField(_("Ends"), data.ends_on, optional=True)
        self.recurrence_field = QLineEdit(data.recurrence)
        self.recurrence_field.setPlaceholderText(_("e.g. Saturdays 10am–12pm"))
        self.time_boxes = {t: QCheckBox(t.label) for t in Availability}
        for time, box in self.time_boxes.items():
            box.setChecked(time in data.times)
        self.places_field = QSpinBox()
        self.places_field.setRange(-1000, 100_000)  # negative allowed here so the service can say why it isn't
        self.places_field.setValue(data.places_available)
        self.skills_field = QLineEdit(data.skills)
        self.skills_field.setPlaceholderText(_("e.g. cooking, listening"))
        self.requirement_boxes = {k: QCheckBox(k.label) for k in CheckKind}
        for kind, box in self.requirement_boxes.items():
            box.setChecked(kind in data.requirements)
        self.description_field = QPlainTextEdit(data.description)
        self.description_field.setTabChangesFocus(True)
        self.access_field = QPlainTextEdit(data.accessibility_notes)
        self.access_field.setTabChangesFocus(True)
        line = self.fontMetrics().lineSpacing()
        for edit in (self.description_field, self.access_field):
            edit.setMaximumHeight(line * 4)

        form = QFormLayout()
        # The times one under the other, and the end date under the start: side by side, their Welsh words made
        # the form wider than the dialog on a laptop at 150% (it scrolled sideways).
        times = QVBoxLayout()
        for box in self.time_boxes.values():
            times.addWidget(box)
        when = QGridLayout()
        when.addWidget(QLabel(_("Starts")), 0, 0)
        when.addWidget(self.starts_field, 0, 1)
        when.addWidget(QLabel(_("Ends")), 1, 0)
        when.addWidget(self.ends_field, 1, 1)
        when.setColumnStretch(1, 1)
        for label, widget, key in (
            (_("&Title"), self.title_field, "title"),
            (_("&Host"), self.host_field, "host"),
            (_("Supported &by"), self.supporter_field, "supporter"),
            (_("&Kind"), self.kind_field, "kind"),
            (_("&Status"), self.status_field, "status"),
            (_("&Place"), self.place_field, "place"),
            (_("Dates"), when, "ends_on"),
            (_("&Recurrence"), self.recurrence_field, "recurrence"),
            (_("Times"), times, "times"),
            (_("Places &available"), self.places_field, "places_available"),
            (_("S&kills wanted"), self.skills_field, "skills"),
            (_("&Description"), self.description_field, "description"),
            (_("Accessibility"), self.access_field, "accessibility_notes"),
        ):
            self.errors[key] = add_field_row(form, label, widget)
        checks = QGroupBox(_("Volunteers must hold (current)"))
        grid = QGridLayout(checks)
        for number, box in enumerate(self.requirement_boxes.values()):
            grid.addWidget(box, number % 4, number // 4)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(form)
        body_layout.addWidget(checks)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(680, 720)
        self.title_field.setFocus()  # the cursor where typing starts, not on the scrolling body

    def collect(self) -> OpportunityInput:
        return OpportunityInput(
            title=self.title_field.text(),
            host_partner_id=self.host_field.value(),
            kind=self.kind_field.value() or OpportunityKind.VOLUNTEERING,
            supporting_partner_id=self.supporter_field.value(),
            description=self.description_field.toPlainText(),
            place=self.place_field.currentText().strip(),
            starts_on=self.starts_field.value(),
            ends_on=self.ends_field.value(),
            recurrence=self.recurrence_field.text(),
            times=[t for t, box in self.time_boxes.items() if box.isChecked()],
            places_available=self.places_field.value(),
            skills=self.skills_field.text(),
            accessibility_notes=self.access_field.toPlainText(),
            status=self.status_field.value() or OpportunityStatus.DRAFT,
            requirements=[k for k, box in self.requirement_boxes.items() if box.isChecked()],
        )

    def show_problems(self, problems: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setVisible(key in problems)
            label.setText(problems.get(key, ""))

    def _accept(self) -> None:
        for field in (self.starts_field, self.ends_field):
            if not field.check():
                field.setFocus()
                return
        value = self.collect()
        if callable(self._check):
            try:
                self._check(value)
            except ValidationError as exc:
                self.show_problems(exc.problems)
                return
        self.value = value
        self.accept()
