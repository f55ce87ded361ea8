"""Logging hours fast from the keyboard: volunteer, placement, date, hours, Enter – and the next one.

The dialog stays open after each entry so a pile of signing-in sheets can be typed up in one go; every
entry is saved at once and listed below with its own undo.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import _
from cohesion_desktop.services.volunteering.placements import HoursRow, PlacementRow
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.date_field import DateField
from cohesion_desktop.ui.widgets.field_errors import show_message


class LogHoursDialog(QDialog):
    """``find(text)`` → volunteers as (id, label); ``placements(volunteer_id)`` → their active placements;
    ``save(placement_id, date, hours, activity)`` stores one entry (raises CohesionError to refuse)."""

    def __init__(
        self,
        *,
        find: Callable[[str], Sequence[tuple[uuid.UUID, str]]],
        placements: Callable[[uuid.UUID], Sequence[PlacementRow]],
        save: Callable[[uuid.UUID, date, float, str], HoursRow],
        volunteer: tuple[uuid.UUID, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Log hours"))
        self._find, self._placements, self._save = find, placements, save
        self._choices: dict[str, uuid.UUID] = {}
        self.saved: list[HoursRow] = []
        self.volunteer_field = QLineEdit()
        self.volunteer_field.setAccessibleName(_("Volunteer"))
        self.volunteer_field.setPlaceholderText(_("Start typing a name, e-mail or phone…"))
        self._names = QStringListModel(self)
        self._completer = completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.volunteer_field.setCompleter(completer)
        completer.activated.connect(self._volunteer_chosen)
        self._search = QTimer(self)
        self._search.setSingleShot(True)
        self._search.setInterval(120)
        self._search.timeout.connect(self._refresh_names)
        self.volunteer_field.textEdited.connect(lambda _t: self._search.start())
        self.volunteer_field.editingFinished.connect(lambda: self._volunteer_chosen(self.volunteer_field.text()))
        self.placement_field: ChoiceBox[uuid.UUID] = ChoiceBox(_("Placement"))
        self.date_field = DateField(
            _("Date"), date.today(), latest=date.today, latest_reason=_("Hours can be logged up to today.")
        )
        self.hours_field = QDoubleSpinBox()
        self.hours_field.setAccessibleName(_("Hours"))
        self.hours_field.setRange(0, 24)
        self.hours_field.setSingleStep(0.5)
        self.hours_field.setDecimals(2)
        self.activity_field = QLineEdit()
        self.activity_field.setAccessibleName(_("Activity"))
        self.activity_field.setPlaceholderText(_("optional, e.g. Saturday shift"))
        self.message = QLabel(_("Press Enter in the last field to save and start the next entry."))
        self.message.setWordWrap(True)
        self.done_list = QListWidget()
        self.done_list.setAccessibleName(_("Hours logged in this window"))
        form = QFormLayout()
        form.addRow(_("&Volunteer"), self.volunteer_field)
        form.addRow(_("&Placement"), self.placement_field)
        form.addRow(_("&Date"), self.date_field)
        form.addRow(_("&Hours"), self.hours_field)
        form.addRow(_("&Activity"), self.activity_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.addButton(_("Save (Enter)"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save_entry)
        # Enter anywhere in the form saves and starts the next entry (never closes the window).
        self.save_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(_("Logged so far:")))
        layout.addWidget(self.done_list, 1)
        layout.addWidget(buttons)
        self.resize(520, 480)
        if volunteer is not None:
            self._choices = {volunteer[1]: volunteer[0]}
            self.volunteer_field.setText(volunteer[1])
            self._volunteer_chosen(volunteer[1])

    def _refresh_names(self) -> None:
        typed = self.volunteer_field.text()
        found = self._find(typed)
        self._choices = {label: volunteer_id for volunteer_id, label in found}
        self._names.setStringList(list(self._choices))
        # The names arrive after the last key: offer them now, not only at the next key press.
        if typed.strip() and self.volunteer_field.hasFocus():
            self._completer.setCompletionPrefix(typed)
            self._completer.complete()

    def _volunteer_chosen(self, label: str) -> None:
        volunteer_id = self._choices.get(label)
        if volunteer_id is None:
            self.placement_field.set_choices([])
            return
        placements = self._placements(volunteer_id)
        self.placement_field.set_choices(
            [(_("{opportunity} ({host})").format(opportunity=p.opportunity, host=p.host), p.id) for p in placements],
            keep_value=False,
        )
        if self.placement_field.count() == 0:
            self.message.setText(
                _("{name} has no active placement: place them on an opportunity first.").format(name=label)
            )
        else:
            self.hours_field.setFocus()
            self.hours_field.selectAll()

    def save_entry(self) -> None:
        placement_id = self.placement_field.value()
        if placement_id is None:
            show_message(self.message, _("Choose a volunteer with a placement first."), problem=True)
            self.volunteer_field.setFocus()
            return
        if not self.date_field.check():
            self.date_field.setFocus()
            return
        day = self.date_field.value()
        assert day is not None
        try:
            row = self._save(placement_id, day, self.hours_field.value(), self.activity_field.text())
        except CohesionError as exc:
            show_message(self.message, str(exc), problem=True)
            return
        self.saved.append(row)
        # Quarter hours are common (0.25): shown whole, where format_hours would round them to one decimal.
        hours = f"{row.hours:g}"
        self.done_list.insertItem(
            0,
            _("{date}  {hours} h  {volunteer} – {opportunity}").format(
                date=format_date(row.on_date),
                hours=hours,
                volunteer=row.volunteer,
                opportunity=row.opportunity,
            ),
        )
        show_message(
            self.message,
            _("Saved {hours} hours for {volunteer} on {date}. Next one:").format(
                hours=hours, volunteer=row.volunteer, date=format_date(row.on_date)
            ),
        )
        self.hours_field.setValue(0)
        self.activity_field.clear()
        self.volunteer_field.selectAll()
        self.volunteer_field.setFocus()
