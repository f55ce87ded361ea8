"""Settings kept in the data file: the organisation's name and logo, the hourly rate for social value (with its
source), how long inactive volunteers are kept before review and how long the full change history is kept; and
this laptop's own: your name (changes are recorded under it) and the laptop's name; and the person's own: the
language the app speaks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop import i18n
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.i18n import _
from cohesion_desktop.services.settings import LaptopSettings, Settings, parse_rate
from cohesion_desktop.ui.prompts import Prompts
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.field_errors import add_field_row
from cohesion_desktop.ui.widgets.image_file_field import ImageFileField

# The language field is named in Welsh as well, whatever the language: someone who cannot read the current one
# still finds it.
LANGUAGE_IN_WELSH = "Iaith"


class SettingsDialog(QDialog):
    """``check(settings)`` raises the ValidationError saving would raise; ``value``, ``laptop_value`` and
    ``language_value`` (a code of i18n.LANGUAGES) hold the result."""

    def __init__(
        self,
        current: Settings,
        *,
        check: Callable[[Settings], None],
        prompts: Prompts,
        laptop: LaptopSettings | None = None,
        language: str = i18n.SOURCE_LANGUAGE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.value: Settings | None = None
        self.laptop_value: LaptopSettings | None = None
        self.language_value: str | None = None
        self._laptop = laptop
        self._check = check
        self.name_field = QLineEdit(current.organisation_name)
        self.name_field.setAccessibleName(_("Organisation name"))
        self.logo_field = ImageFileField(current.logo_path, prompts=prompts)
        self.rate_field = QLineEdit("" if current.hourly_rate is None else f"{current.hourly_rate:.2f}")
        self.rate_field.setAccessibleName(_("Hourly rate in pounds"))
        self.rate_field.setPlaceholderText(_("e.g. 12.21"))
        self.source_field = QLineEdit(current.hourly_rate_source)
        self.source_field.setAccessibleName(_("Where the rate comes from"))
        self.source_field.setPlaceholderText(_("e.g. National Living Wage from April 2025, GOV.UK"))
        self.retention_field = QSpinBox()
        self.retention_field.setAccessibleName(_("Review volunteers inactive for more than"))
        self.retention_field.setRange(1, 240)
        self.retention_field.setSuffix(" " + _("months"))
        self.retention_field.setValue(current.retention_months)
        self.history_field = QSpinBox()
        self.history_field.setAccessibleName(_("Keep every change for"))
        self.history_field.setRange(1, 240)
        self.history_field.setSuffix(" " + _("months"))
        self.history_field.setValue(current.history_months)
        self.history_field.setToolTip(_("Older changes are thinned: only the last change of each field is kept"))
        self.your_name_field = QLineEdit(laptop.your_name if laptop else "")
        self.your_name_field.setAccessibleName(_("Your name"))
        self.your_name_field.setToolTip(_("Changes you make on this laptop are recorded under this name"))
        self.laptop_name_field = QLineEdit(laptop.laptop_name if laptop else "")
        self.laptop_name_field.setAccessibleName(_("This laptop's name"))
        self.laptop_name_field.setPlaceholderText(_("e.g. the Office laptop"))
        # Each language by its own name, so that whoever cannot read the current one still finds theirs.
        self.language_field: ChoiceBox[str] = ChoiceBox(
            _("Language"), [(name, code) for code, name in i18n.LANGUAGES.items()]
        )
        self.language_field.set_value(language)
        language_label = _("Lan&guage")
        if LANGUAGE_IN_WELSH not in language_label.replace("&", ""):
            language_label += " / " + LANGUAGE_IN_WELSH
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for label, widget, key in (
            (_("Organisation &name"), self.name_field, "organisation_name"),
            (_("&Logo"), self.logo_field, "logo_path"),
            (_("&Hourly rate (£)"), self.rate_field, "hourly_rate"),
            (_("Rate &source"), self.source_field, "hourly_rate_source"),
            (_("&Retention review"), self.retention_field, "retention_months"),
            (_("Change &history"), self.history_field, "history_months"),
            (_("&Your name"), self.your_name_field, "your_name"),
            (_("This la&ptop's name"), self.laptop_name_field, "laptop_name"),
            (language_label, self.language_field, "language"),
        ):
            if key in ("your_name", "laptop_name") and laptop is None:
                continue
            self.errors[key] = add_field_row(form, label, widget)
        note = QLabel(
            _(
                "The estimated social value of volunteering is the hours given × this rate. Funders "
                "will ask where the rate comes from, so the source is printed beside every figure."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(600, 460)

    def _accept(self) -> None:
        for label in self.errors.values():
            label.hide()
        try:
            settings = Settings(
                organisation_name=self.name_field.text(),
                hourly_rate=parse_rate(self.rate_field.text()),
                hourly_rate_source=self.source_field.text(),
                retention_months=self.retention_field.value(),
                logo_path=self.logo_field.text(),
                history_months=self.history_field.value(),
            )
            if settings.logo_path and not Path(settings.logo_path).is_file():
                raise ValidationError.single(
                    "logo_path", _("There is no file at {path}.").format(path=settings.logo_path)
                )
            self._check(settings)
            laptop = None
            if self._laptop is not None:
                laptop = LaptopSettings(
                    your_name=" ".join(self.your_name_field.text().split()),
                    laptop_name=" ".join(self.laptop_name_field.text().split()),
                )
                if not laptop.laptop_name:
                    raise ValidationError.single("laptop_name", _("Give this laptop a name people will know it by."))
        except ValidationError as exc:
            for key, message in exc.problems.items():
                shown = self.errors.get(key)
                if shown is not None:
                    shown.setText(message)
                    shown.show()
            return
        self.value = settings
        self.laptop_value = laptop
        self.language_value = self.language_field.value()
        self.accept()
