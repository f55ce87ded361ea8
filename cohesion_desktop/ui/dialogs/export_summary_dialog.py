"""What goes into the funder summary: the period, the organisation's name and logo, and whether volunteers'
names may appear (off by default: a funder gets aggregates only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.dates import Period
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.ui.prompts import Prompts
from cohesion_desktop.ui.views.dashboard_view import PRESETS, preset_period
from cohesion_desktop.ui.widgets.image_file_field import ImageFileField


@dataclass(frozen=True)
class SummaryChoices:
    period: Period
    organisation_name: str
    logo: Path | None
    include_names: bool
    pdf: bool


class ExportSummaryDialog(QDialog):
    def __init__(self, *, organisation_name: str, logo: str, period: Period, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export summary for funders")
        self.value: SummaryChoices | None = None
        self.preset = QComboBox()
        self.preset.setAccessibleName("Period")
        self.preset.addItems(PRESETS)
        self.preset.setCurrentIndex(len(PRESETS) - 1)
        self.start_field, self.end_field = QDateEdit(), QDateEdit()
        for field, day, name in ((self.start_field, period.start, "From"), (self.end_field, period.end, "To")):
            field.setAccessibleName(name)
            field.setDisplayFormat("dd/MM/yyyy")
            field.setCalendarPopup(True)
            field.setDate(QDate(day.year, day.month, day.day))
        self.preset.currentIndexChanged.connect(self._preset_changed)
        dates = QHBoxLayout()
        dates.addWidget(self.preset)
        dates.addWidget(self.start_field)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end_field)
        dates.addStretch(1)
        self.name_field = QLineEdit(organisation_name)
        self.name_field.setAccessibleName("Organisation name")
        self.logo_field = ImageFileField(logo, prompts=prompts)
        self.names_field = QCheckBox("Include volunteers' names (hours by volunteer)")
        self.names_field.setChecked(False)
        self.format_field = QComboBox()
        self.format_field.setAccessibleName("Format")
        self.format_field.addItems(["Excel workbook (.xlsx)", "PDF document (.pdf)"])
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        privacy = QLabel("Without names the report holds figures only: no volunteer's name, e-mail or phone. "
                         "Tick the box only if your volunteers agreed to be named to this funder.")
        privacy.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Period", dates)
        form.addRow("", self.error)
        form.addRow("&Organisation", self.name_field)
        form.addRow("&Logo", self.logo_field)
        form.addRow("&Format", self.format_field)
        form.addRow("", self.names_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(privacy)
        layout.addWidget(buttons)
        self.resize(620, 300)

    def _preset_changed(self, choice: int) -> None:
        period = preset_period(choice, date.today())
        if period is not None:
            self.start_field.setDate(QDate(period.start.year, period.start.month, period.start.day))
            self.end_field.setDate(QDate(period.end.year, period.end.month, period.end.day))

    def _accept(self) -> None:
        try:
            period = Period(self.start_field.date().toPython(), self.end_field.date().toPython())  # type: ignore
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        logo_text = self.logo_field.text()
        if logo_text and not Path(logo_text).is_file():
            self.error.setText(f"There is no logo file at {logo_text}.")
            self.error.show()
            return
        self.value = SummaryChoices(period=period, organisation_name=self.name_field.text(),
                                    logo=Path(logo_text) if logo_text else None,
                                    include_names=self.names_field.isChecked(),
                                    pdf=self.format_field.currentIndex() == 1)
        self.accept()
