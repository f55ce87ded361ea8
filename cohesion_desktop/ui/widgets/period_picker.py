"""Choosing the period figures are counted over: a preset ("Last 12 months" …) or two typed dates.

The Dashboard, Hours totals and the funder export all use this one picker and the core's presets, so that
"Last 12 months" is the same twelve months wherever it is chosen.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cohesion_desktop.dates import CUSTOM_PERIOD, PERIOD_PRESETS, Period, preset_period
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.i18n import _, pgettext
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.date_field import DateField
from cohesion_desktop.ui.widgets.field_errors import error_label


class PeriodPicker(QWidget):
    """Signals: ``changed()`` when another preset is chosen, or own dates were typed and make a period."""

    changed = Signal()

    def __init__(self, period: Period | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        presets = [(label, index) for index, label in enumerate(PERIOD_PRESETS)]
        self.preset: ChoiceBox[int] = ChoiceBox(_("Period"), presets)
        self.start_field = DateField(pgettext("start of a period", "From"))
        self.end_field = DateField(pgettext("end of a period", "To"))
        self.problem = error_label()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preset)
        row.addWidget(self.start_field)
        row.addWidget(QLabel(_("to")))
        row.addWidget(self.end_field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        self.preset.activated.connect(lambda _index: self._preset_chosen())
        self.start_field.committed.connect(self._dates_typed)
        self.end_field.committed.connect(self._dates_typed)
        if period is None:
            self._show_preset(0)
        else:
            self.set_period(period)

    def _show_preset(self, choice: int) -> None:
        self.preset.set_value(choice)
        chosen = preset_period(choice, date.today())
        custom = chosen is None
        self.start_field.setEnabled(custom)
        self.end_field.setEnabled(custom)
        if chosen is not None:
            self.start_field.set_value(chosen.start)
            self.end_field.set_value(chosen.end)
        self.problem.hide()

    def set_period(self, period: Period) -> None:
        """Show ``period``: as its preset when it is one today, else as own dates."""
        today = date.today()
        choice = next((i for i in range(len(PERIOD_PRESETS)) if preset_period(i, today) == period), CUSTOM_PERIOD)
        self._show_preset(choice)
        self.start_field.set_value(period.start)
        self.end_field.set_value(period.end)

    def _preset_chosen(self) -> None:
        self._show_preset(self.preset.value() or 0)
        if self.preset.value() == CUSTOM_PERIOD:
            self.start_field.setFocus()
        self.changed.emit()

    def _dates_typed(self) -> None:
        if self.period_or_none() is not None:
            self.changed.emit()

    def period(self) -> Period:
        """The period shown (a preset is worked out afresh, so it follows the date after midnight).

        Raises:
            ValidationError: a date is missing or not a date, or the start is after the end.
        """
        choice = self.preset.value()
        if choice is not None and choice != CUSTOM_PERIOD:
            chosen = preset_period(choice, date.today())
            assert chosen is not None
            return chosen
        for key, field in (("start", self.start_field), ("end", self.end_field)):
            if not field.check():
                raise ValidationError.single(key, field.problem() or "")
        start, end = self.start_field.value(), self.end_field.value()
        assert start is not None and end is not None
        return Period(start, end)

    def period_or_none(self) -> Period | None:
        """The period, or None after showing under the picker why there is none."""
        try:
            chosen = self.period()
        except ValidationError as exc:
            if self.start_field.error.isHidden() and self.end_field.error.isHidden():  # not said under a date
                self.problem.say(str(exc))
            return None
        self.problem.hide()
        return chosen
