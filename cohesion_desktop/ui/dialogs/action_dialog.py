"""An action: what, who owns it, by when, and how far it has got. Returns an ActionInput; saves nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import ActionStatus
from cohesion_desktop.services.workshops import ActionInput


class ActionDialog(QDialog):
    """``value`` holds the :class:`ActionInput` once accepted."""

    def __init__(self, *, title: str, owners: Sequence[tuple[uuid.UUID, str]], parent: QWidget | None = None,
                 default_owner: uuid.UUID | None = None, due_on: date | None = None,
                 status: ActionStatus = ActionStatus.OPEN, notes: str = "", heading: str = "Make an action") -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.value: ActionInput | None = None
        self.title_field = QPlainTextEdit(title)
        self.title_field.setAccessibleName("Action")
        self.title_field.setTabChangesFocus(True)
        self.title_field.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.owner_field = QComboBox()
        self.owner_field.setAccessibleName("Owner")
        self.owner_field.setEditable(True)
        self.owner_field.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.owner_field.addItem("(no owner yet)", None)
        for partner_id, name in owners:
            self.owner_field.addItem(name, partner_id)
        self.owner_field.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.owner_field.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        if default_owner is not None:
            self.owner_field.setCurrentIndex(max(0, self.owner_field.findData(default_owner)))
        self.due_field = QDateEdit()
        self.due_field.setAccessibleName("Due date")
        self.due_field.setCalendarPopup(True)
        self.due_field.setDisplayFormat("dd/MM/yyyy")
        suggested = due_on or date.today() + timedelta(days=30)
        self.due_field.setDate(QDate(suggested.year, suggested.month, suggested.day))
        self.no_due_field = QCheckBox("No due date")
        self.no_due_field.toggled.connect(lambda checked: self.due_field.setEnabled(not checked))
        self.no_due_field.setChecked(due_on is None and heading != "Make an action")
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_field)
        due_row.addWidget(self.no_due_field)
        due_row.addStretch(1)
        self.status_field = QComboBox()
        self.status_field.setAccessibleName("Status")
        for item in ActionStatus:
            self.status_field.addItem(item.label, item)
        self.status_field.setCurrentIndex(self.status_field.findData(status))
        self.notes_field = QPlainTextEdit(notes)
        self.notes_field.setAccessibleName("Notes")
        self.notes_field.setTabChangesFocus(True)
        self.notes_field.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        form = QFormLayout()
        form.addRow("&Action", self.title_field)
        form.addRow("", self.error)
        form.addRow("&Owner", self.owner_field)
        form.addRow("Due", due_row)
        form.addRow("&Status", self.status_field)
        form.addRow("&Notes", self.notes_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def _owner(self) -> uuid.UUID | None:
        typed = self.owner_field.currentText().strip()
        index = self.owner_field.findText(typed, Qt.MatchFlag.MatchFixedString)
        return self.owner_field.itemData(index) if index >= 0 else self.owner_field.currentData()

    def _accept(self) -> None:
        title = " ".join(self.title_field.toPlainText().split())
        if not title:
            self.error.setText("Say what the action is.")
            self.error.show()
            return
        typed_owner = self.owner_field.currentText().strip()
        if typed_owner and self.owner_field.findText(typed_owner, Qt.MatchFlag.MatchFixedString) < 0:
            self.error.setText(f"“{typed_owner}” is not a partner; choose one from the list, or add the partner "
                               "first.")
            self.error.show()
            return
        due = None if self.no_due_field.isChecked() else self.due_field.date().toPython()
        self.value = ActionInput(title=title, owner_id=self._owner(), due_on=due,  # type: ignore[arg-type]
                                 status=self.status_field.currentData(), notes=self.notes_field.toPlainText())
        self.accept()
