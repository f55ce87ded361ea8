"""A drop-down list whose items stand for Python values, and give back the very value chosen.

Qt keeps item data as a QVariant: a ``str`` subclass such as our enums comes back from ``currentData()`` as a
plain ``str`` (the first release could not save a DBS check: "'str' object has no attribute 'label'"). The
values live here, in a Python list beside the items, so ``value()`` returns exactly what was given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from cohesion_desktop.domain import LabelledEnum

T = TypeVar("T")


class ChoiceBox(QComboBox, Generic[T]):
    """Items are (label, value) pairs; ``value()`` is the chosen one's value (None when nothing is chosen).

    An editable box (``editable=True``) lets people type to find an item; what they typed counts only when it
    is one of the labels (ignoring case), else ``value()`` is None and ``typed_unknown()`` says so.
    """

    def __init__(
        self, name: str, choices: Iterable[tuple[str, T]] = (), *, editable: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._values: list[T] = []
        if editable:
            self.setEditable(True)
            self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.completer()
            assert completer is not None  # an editable combo box has one
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.set_choices(choices)

    @classmethod
    def of_enum(
        cls,
        name: str,
        members: Iterable[LabelledEnum],
        *,
        first: tuple[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> ChoiceBox[Any]:
        """One item per enum member, by its label; ``first`` (e.g. ("All sectors", None)) goes on top."""
        choices: list[tuple[str, Any]] = [first] if first is not None else []
        choices += [(member.label, member) for member in members]
        return cls(name, choices, parent=parent)

    def set_choices(self, choices: Iterable[tuple[str, T]], *, keep_value: bool = True) -> None:
        """Replace the items, keeping the chosen value when it is still one of them (without signals)."""
        kept = self.value() if keep_value and self._values else None
        self.blockSignals(True)
        self.clear()
        self._values = []
        for label, value in choices:
            self.add_choice(label, value)
        if kept is not None:
            self.set_value(kept)
        self.blockSignals(False)

    def add_choice(self, label: str, value: T) -> None:
        self.addItem(label)
        self._values.append(value)
        self.setItemData(self.count() - 1, label, Qt.ItemDataRole.ToolTipRole)

    def values(self) -> list[T]:
        return list(self._values)

    def _typed_index(self) -> int:
        typed = self.currentText().strip().casefold()
        return next((i for i in range(self.count()) if self.itemText(i).strip().casefold() == typed), -1)

    def value(self) -> T | None:
        index = self._typed_index() if self.isEditable() else self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def value_at(self, index: int) -> T | None:
        return self._values[index] if 0 <= index < len(self._values) else None

    def typed_unknown(self) -> str:
        """What was typed into an editable box that matches no item ("" when it matches one, or is empty)."""
        typed = self.currentText().strip()
        return typed if self.isEditable() and typed and self._typed_index() < 0 else ""

    def set_value(self, value: T | None) -> bool:
        """Choose the item of ``value``; False (nothing changed) when no item has it."""
        for index, candidate in enumerate(self._values):
            if candidate == value:
                self.setCurrentIndex(index)
                return True
        return False
