"""A checklist with type-to-add: themes and places in the partner editor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLineEdit, QListView, QPushButton, QVBoxLayout, QWidget

from cohesion_desktop.i18n import N_, _
from cohesion_desktop.text import fold


@dataclass(frozen=True)
class ChecklistWords:
    """What a checklist and its controls are called: whole sentences, since a translation cannot be built from an
    English noun (Welsh mutates it after "a", "the" …)."""

    checklist: str
    placeholder: str
    field: str
    button: str


CHECKLIST_WORDS = {
    "themes": ChecklistWords(
        N_("Themes checklist"), N_("Type to find or add a theme…"), N_("Find or add a theme"), N_("Add the theme typed")
    ),
    "places": ChecklistWords(
        N_("Places checklist"), N_("Type to find or add a place…"), N_("Find or add a place"), N_("Add the place typed")
    ),
}


class ChecklistEditor(QWidget):
    """Checkable names, plus a field that ticks an existing name or adds a new one.

    Signals: ``changed(list[str])`` with the ticked names, each time the user ticks, unticks or adds.
    """

    changed = Signal(list)

    def __init__(self, what: Literal["themes", "places"], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._what = what
        self._read_only = False  # an account that may only read (set_read_only)
        self.model = QStandardItemModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        words = CHECKLIST_WORDS[what]
        self.view.setAccessibleName(_(words.checklist))
        self.view.setUniformItemSizes(True)
        self.add_field = QLineEdit()
        self.add_field.setPlaceholderText(_(words.placeholder))
        # The field and its button are told apart by a screen reader too.
        self.add_field.setAccessibleName(_(words.field))
        self.add_field.setClearButtonEnabled(True)
        completer = QCompleter(self.model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.add_field.setCompleter(completer)
        self.add_button = QPushButton(_("Add"))
        self.add_button.setAccessibleName(_(words.button))
        self.add_button.clicked.connect(self._add_typed)
        self.add_field.returnPressed.connect(self._add_typed)
        adder = QHBoxLayout()
        adder.addWidget(self.add_field, 1)
        adder.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(adder)
        self.model.itemChanged.connect(lambda _item: self.changed.emit(self.checked()))

    def set_read_only(self, reason: str) -> None:
        """For an account that may only read: the ticks are shown and cannot be changed; ``reason`` says why."""
        self._read_only = True
        self.view.setToolTip(reason)
        self.model.blockSignals(True)  # a flag's change is an itemChanged too: not a change of the ticks
        for row in range(self.model.rowCount()):
            self.model.item(row).setCheckable(False)  # the tick stays shown (its state is kept), not clickable
        self.model.blockSignals(False)

    def set_items(self, names: Sequence[str], checked: Sequence[str]) -> None:
        """Show ``names`` (ticked ones first, so what the partner has is visible without scrolling)."""
        ticked = {fold(name) for name in checked}
        ordered = sorted(set(names) | set(checked), key=lambda n: (fold(n) not in ticked, fold(n)))
        self.model.blockSignals(True)
        self.model.clear()
        for name in ordered:
            item = QStandardItem(name)
            item.setCheckable(not self._read_only)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if fold(name) in ticked else Qt.CheckState.Unchecked)
            self.model.appendRow(item)
        self.model.blockSignals(False)
        self.view.reset()

    def checked(self) -> list[str]:
        return [
            self.model.item(row).text()
            for row in range(self.model.rowCount())
            if self.model.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _add_typed(self) -> None:
        typed = " ".join(self.add_field.text().split())
        if not typed:
            return
        self.add_field.clear()
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if fold(item.text()) == fold(typed):
                if item.checkState() != Qt.CheckState.Checked:
                    item.setCheckState(Qt.CheckState.Checked)  # emits changed via itemChanged
                return
        item = QStandardItem(typed)
        item.setCheckable(True)
        item.setEditable(False)
        item.setCheckState(Qt.CheckState.Checked)
        self.model.blockSignals(True)
        self.model.insertRow(0, item)
        self.model.blockSignals(False)
        self.view.reset()
        self.changed.emit(self.checked())
