"""The choice a person is given when a save of theirs would overwrite somebody else's change (record versions,
team mode or two windows on one file): who changed it and when, both versions side by side, and what to keep."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.i18n import _


class Resolution(enum.Enum):
    """What the person chose (SAVED: there was nothing to choose, the save went through)."""

    SAVED = "saved"
    SHOW_THEIRS = "show theirs"  # reload the editor with the stored record
    SAVE_MINE = "save mine"  # save again over theirs, with the version stored now
    SAVE_AS_NEW = "save as new"  # theirs was removed: keep mine as a new record
    DISCARD = "discard"  # theirs was removed: drop mine
    CANCEL = "cancel"  # back to editing, nothing lost


@dataclass(frozen=True)
class Difference:
    """One field whose value differs: what it is called, the person's value and the stored one (as shown)."""

    field: str
    yours: str
    theirs: str


def _value_label(text: str, name: str) -> QLabel:
    # What people typed is shown as typed: plain text, never markup, wrapped, and selectable to copy.
    label = QLabel(text if text.strip() else _("(empty)"))
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setAccessibleName(name)
    return label


class ConflictDialog(QDialog):
    """Asks what to keep; :attr:`chosen` is the answer (CANCEL when closed or on Escape)."""

    def __init__(
        self,
        said: str,
        differences: Sequence[Difference],
        *,
        removed: bool,
        as_new: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.chosen = Resolution.CANCEL
        self.setWindowTitle(_("Removed while you were editing") if removed else _("Changed while you were editing"))

        headline = QLabel(said)
        headline.setTextFormat(Qt.TextFormat.PlainText)  # a person's name is data
        headline.setWordWrap(True)
        font = QFont(headline.font())
        font.setBold(True)
        headline.setFont(font)
        explanation = QLabel(
            _("Nothing of yours has been saved yet. Keep theirs, or save yours in its place:")
            if not removed
            else _("Nothing of yours has been saved yet. Save yours as a new record, or let it go:")
            if as_new
            else _("Nothing of yours has been saved, and it cannot be without the record.")
        )
        explanation.setWordWrap(True)

        table = QWidget()
        grid = QGridLayout(table)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(grid.horizontalSpacing() * 2)
        for column, heading in enumerate((_("Field"), _("Yours"), _("Theirs") if not removed else _("Stored"))):
            label = QLabel(heading)
            label.setFont(font)
            grid.addWidget(label, 0, column)
        for row, difference in enumerate(differences, start=1):
            field = QLabel(difference.field)
            field.setTextFormat(Qt.TextFormat.PlainText)
            field.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(field, row, 0)
            grid.addWidget(_value_label(difference.yours, _("Yours: {field}").format(field=difference.field)), row, 1)
            if not removed:
                theirs = _value_label(difference.theirs, _("Theirs: {field}").format(field=difference.field))
                grid.addWidget(theirs, row, 2)
        grid.setRowStretch(len(differences) + 1, 1)
        # Long texts (a remit, notes) scroll inside the dialog, so that its buttons stay on a 1366×768 screen.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(table)
        scroll.setAccessibleName(_("Both versions"))

        if removed:
            choices = [(_("Save mine as a &new record"), Resolution.SAVE_AS_NEW)] if as_new else []
            choices.append((_("&Discard mine"), Resolution.DISCARD))
            hint = ""
        else:
            choices = [
                (_("&Show theirs"), Resolution.SHOW_THEIRS),
                (_("Save &mine over it"), Resolution.SAVE_MINE),
            ]
            hint = _("Show theirs puts what you typed on the clipboard, so that you can paste it back.")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for text, resolution in choices:
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, r=resolution: self._choose(r))
            buttons.addWidget(button)
        cancel = QPushButton(_("Cancel"))
        cancel.setToolTip(_("Back to editing: nothing is lost"))
        cancel.clicked.connect(self.reject)
        cancel.setDefault(True)  # Enter keeps everything as it is; a choice that drops something is a deliberate one
        buttons.addWidget(cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(explanation)
        layout.addWidget(scroll, 1)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            layout.addWidget(hint_label)
        layout.addLayout(buttons)
        line = self.fontMetrics().lineSpacing()
        self.resize(line * 48, line * 22)

    def _choose(self, resolution: Resolution) -> None:
        self.chosen = resolution
        self.accept()
