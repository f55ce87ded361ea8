"""An action: what, who owns it, by when, and how far it has got. Returns an ActionInput; saves nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import ActionStatus
from cohesion_desktop.i18n import _
from cohesion_desktop.services.workshops import ActionInput
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.date_field import DateField
from cohesion_desktop.ui.widgets.field_errors import error_label


class ActionDialog(QDialog):
    """``value`` holds the :class:`ActionInput` once accepted. Without a ``heading`` it makes an action from a
    workshop entry ("Make an action")."""

    def __init__(
        self,
        *,
        title: str,
        owners: Sequence[tuple[uuid.UUID, str]],
        parent: QWidget | None = None,
        default_owner: uuid.UUID | None = None,
        due_on: date | None = None,
        status: ActionStatus = ActionStatus.OPEN,
        notes: str = "",
        heading: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading or _("Make an action"))
        self.value: ActionInput | None = None
        self.title_field = QPlainTextEdit(title)
        self.title_field.setAccessibleName(_("Action"))
        self.title_field.setTabChangesFocus(True)
        self.title_field.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.error = error_label()
        self.owner_field: ChoiceBox[uuid.UUID | None] = ChoiceBox(
            _("Owner"),
            [(_("(no owner yet)"), None), *((name, partner_id) for partner_id, name in owners)],
            editable=True,
        )
        self.owner_field.set_value(default_owner)
        # A new action from a workshop gets a month; an action edited later keeps what it had (maybe none).
        suggested = due_on if due_on is not None or heading is not None else date.today() + timedelta(days=30)
        self.due_field = DateField(_("Due date"), suggested, optional=True)
        self.status_field: ChoiceBox[ActionStatus] = ChoiceBox.of_enum(_("Status"), ActionStatus)
        self.status_field.set_value(status)
        self.notes_field = QPlainTextEdit(notes)
        self.notes_field.setAccessibleName(_("Notes"))
        self.notes_field.setTabChangesFocus(True)
        self.notes_field.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        form = QFormLayout()
        form.addRow(_("&Action"), self.title_field)
        form.addRow("", self.error)
        form.addRow(_("&Owner"), self.owner_field)
        form.addRow(_("&Due"), self.due_field)
        form.addRow(_("&Status"), self.status_field)
        form.addRow(_("&Notes"), self.notes_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def _accept(self) -> None:
        title = " ".join(self.title_field.toPlainText().split())
        if not title:
            self.error.say(_("Say what the action is."))
            self.title_field.setFocus()
            return
        typed_owner = self.owner_field.typed_unknown()
        if typed_owner:
            self.error.say(
                _("“{name}” is not a partner; choose one from the list, or add the partner first.").format(
                    name=typed_owner
                )
            )
            self.owner_field.setFocus()
            return
        if not self.due_field.check():
            self.due_field.setFocus()
            return
        status = self.status_field.value()
        assert status is not None
        self.value = ActionInput(
            title=title,
            owner_id=self.owner_field.value(),
            due_on=self.due_field.value(),
            status=status,
            notes=self.notes_field.toPlainText(),
        )
        self.accept()
