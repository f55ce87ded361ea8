"""What goes into an exported list (the partner directory, the volunteer list): its columns and its format.

The rows are those the page shows (its search, filters and order); the dialog says so. A volunteer's e-mail
and phone can be ticked only after ticking "Include contact details", beside a reminder of why that matters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.i18n import _
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.field_errors import error_label
from cohesion_desktop.ui.widgets.wrapping_check_box import WrappingCheckBox

_MOST_COLUMNS_PER_ROW = 3
# What of the screen's width the tick boxes may take (the dialog's margins, the group's frame, room to move it).
_SCREEN_SHARE = 0.8


@dataclass(frozen=True)
class ListChoices:
    """The columns in order, the format, and whether contact details were asked for."""

    columns: tuple[str, ...]
    pdf: bool
    contact_details: bool = False


class ListExportDialog(QDialog):
    """Choose the columns and the format of a list; ``value`` holds the choice once accepted."""

    def __init__(
        self,
        *,
        title: str,
        rows_text: str,
        columns: Sequence[str],
        chosen: Sequence[str],
        contact_columns: frozenset[str] = frozenset(),
        contact_reminder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.value: ListChoices | None = None
        self._contact_columns = contact_columns
        intro = QLabel(
            _("{rows}, in the order shown on the page. Choose the columns to include:").format(rows=rows_text)
        )
        intro.setWordWrap(True)
        self.boxes: dict[str, QCheckBox] = {}
        for column in columns:
            box = QCheckBox(_(column))  # the column's key is its English title
            box.setChecked(column in chosen and column not in contact_columns)
            box.setEnabled(column not in contact_columns)
            self.boxes[column] = box
        grid = QGridLayout()
        per_row = self._columns_per_row(list(self.boxes.values()), grid.horizontalSpacing())
        for number, box in enumerate(self.boxes.values()):
            # As wide as its text: a tick box stretched across its column does not answer a click on the blank.
            grid.addWidget(box, number // per_row, number % per_row, Qt.AlignmentFlag.AlignLeft)
        group = QGroupBox(_("Columns"))
        group.setLayout(grid)
        self.contact_field: QCheckBox | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(group)
        if contact_columns:
            contact = [_(column).lower() for column in columns if column in contact_columns]
            names = (
                _("{first} and {second}").format(first=contact[0], second=contact[1])
                if len(contact) == 2
                else ", ".join(contact)
            )
            # Its words wrap: a longer language made a plain check box wider than the dialog, and cut it short.
            contact_row = WrappingCheckBox(_("Include contact details ({columns})").format(columns=names))
            self.contact_field = contact_row.box
            self.contact_field.toggled.connect(self._contact_toggled)
            reminder = QLabel(contact_reminder)
            reminder.setWordWrap(True)
            layout.addWidget(contact_row)
            layout.addWidget(reminder)
        self.format_field: ChoiceBox[bool] = ChoiceBox(
            _("Format"), [(_("Excel workbook (.xlsx)"), False), (_("PDF to print (.pdf)"), True)]
        )
        form = QFormLayout()
        form.addRow(_("&Format"), self.format_field)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(_("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Wide enough for the reminder to wrap into a few lines: a dialog sized by its wrapped labels' narrowest
        # layout squeezed the column ticks together and cut the reminder short.
        # And wide enough for the tick boxes' rows (a longer language's column names), as far as the screen allows.
        margins = layout.contentsMargins()
        ticks = min(group.sizeHint().width() + margins.left() + margins.right(), self._room())
        self.setMinimumWidth(max(self.fontMetrics().averageCharWidth() * 72, ticks))
        self.resize(self.minimumWidth(), self.heightForWidth(self.minimumWidth()))

    def _contact_toggled(self, on: bool) -> None:
        # Ticking the box is the decision to include them: the columns follow, and can still be unticked one by one.
        for column in self._contact_columns:
            box = self.boxes.get(column)
            if box is not None:
                box.setEnabled(on)
                box.setChecked(on)

    def _accept(self) -> None:
        columns = tuple(column for column, box in self.boxes.items() if box.isChecked() and box.isEnabled())
        if not columns:
            self.error.setText(_("Choose at least one column."))
            self.error.show()
            return
        self.value = ListChoices(
            columns=columns,
            pdf=bool(self.format_field.value()),
            contact_details=self.contact_field is not None and self.contact_field.isChecked(),
        )
        self.accept()

    def _columns_per_row(self, boxes: list[QCheckBox], spacing: int) -> int:
        """Three tick boxes a row, fewer when the widest (in this language and font) would not fit the screen."""
        widest = max((box.sizeHint().width() for box in boxes), default=1) + max(spacing, 0)
        return max(1, min(_MOST_COLUMNS_PER_ROW, self._room() // widest))

    def _room(self) -> int:
        """The widest the dialog may be: most of its screen's width."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return int(screen.availableGeometry().width() * _SCREEN_SHARE)
