"""What goes into the funder summary: the period, the organisation's name and logo, whether volunteers' names may
appear (off by default: a funder gets aggregates only), and the language it is written in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.dates import Period
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.prompts import Prompts
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.export_language import export_language_box
from cohesion_desktop.ui.widgets.field_errors import error_label
from cohesion_desktop.ui.widgets.image_file_field import ImageFileField
from cohesion_desktop.ui.widgets.period_picker import PeriodPicker


@dataclass(frozen=True)
class SummaryChoices:
    period: Period
    organisation_name: str
    logo: Path | None
    include_names: bool
    pdf: bool
    language: str = "en"  # one of i18n.EXPORT_LANGUAGES: "en", "cy", "cy+en"


class ExportSummaryDialog(QDialog):
    def __init__(
        self,
        *,
        organisation_name: str,
        logo: str,
        period: Period,
        prompts: Prompts,
        language: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export summary for funders"))
        self.value: SummaryChoices | None = None
        self.period_picker = PeriodPicker(period)
        self.name_field = QLineEdit(organisation_name)
        self.name_field.setAccessibleName(_("Organisation name"))
        self.logo_field = ImageFileField(logo, prompts=prompts)
        self.names_field = QCheckBox(_("Include volunteers' names (hours by volunteer)"))
        self.names_field.setChecked(False)
        self.format_field: ChoiceBox[bool] = ChoiceBox(
            _("Format"), [(_("Excel workbook (.xlsx)"), False), (_("PDF document (.pdf)"), True)]
        )
        self.language_field = export_language_box(language)
        self.error = error_label()
        privacy = QLabel(
            _(
                "Without names the report holds figures only: no volunteer's name, e-mail or phone. "
                "Tick the box only if your volunteers agreed to be named to this funder."
            )
        )
        privacy.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("&Period"), self.period_picker)
        form.addRow("", self.error)
        form.addRow(_("&Organisation"), self.name_field)
        form.addRow(_("&Logo"), self.logo_field)
        form.addRow(_("&Format"), self.format_field)
        form.addRow(_("Lang&uage"), self.language_field)
        form.addRow("", self.names_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(_("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(privacy)
        layout.addWidget(buttons)
        self.resize(620, 300)

    def _accept(self) -> None:
        period = self.period_picker.period_or_none()
        if period is None:  # the picker says why
            self.period_picker.setFocus()
            return
        logo_text = self.logo_field.text()
        if logo_text and not Path(logo_text).is_file():
            self.error.setText(_("There is no logo file at {path}.").format(path=logo_text))
            self.error.show()
            return
        self.value = SummaryChoices(
            period=period,
            organisation_name=self.name_field.text(),
            logo=Path(logo_text) if logo_text else None,
            include_names=self.names_field.isChecked(),
            pdf=bool(self.format_field.value()),
            language=self.language_field.value() or "en",
        )
        self.accept()
