"""A date people type as they write it (15/01/2024), with a calendar for the mouse, and a message beside it
when what was typed is not a date the field can take.

Qt's QDateEdit changes typed dates into others without a word: each digit is checked against the field's
range as it is typed, so with a maximum of today "28/11/2026" typed on 1 December became 01/11/2026. Here
the text is read only when the person has finished (Tab, Enter, leaving the field, or Save), and it is either
exactly the date typed or refused with the reason, shown right under it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from cohesion_desktop.dates import DATE_HINT, EARLIEST_DATE, parse_date
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.widgets.field_errors import error_label

Limit = date | Callable[[], date] | None


def _resolve(limit: Limit) -> date | None:
    return limit() if callable(limit) else limit


class _DateEdit(QLineEdit):
    """The text part; Alt+Down or F4 opens the calendar, as in a drop-down list."""

    calendar_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.calendar_requested.emit()
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    """Signals: ``committed()`` when the person finished typing a valid date that differs from the last one
    (or blanked an optional field).

    ``latest`` (a date, or a function giving one, such as ``date.today``) with ``latest_reason`` refuses later
    dates and says why; an ``optional`` field may be left blank (its value is then None).
    """

    committed = Signal()

    def __init__(
        self,
        name: str,
        value: date | None = None,
        *,
        optional: bool = False,
        earliest: Limit = None,
        latest: Limit = None,
        latest_reason: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.optional = optional
        self.earliest = earliest
        self.latest = latest
        self.latest_reason = latest_reason
        self._value: date | None = None
        self.edit = _DateEdit()
        self.edit.setAccessibleName(name)
        self.edit.setPlaceholderText(_("{hint}, or leave blank").format(hint=DATE_HINT) if optional else DATE_HINT)
        self.edit.setToolTip(
            _("Type the date as {hint} (15/01/2024, 15.1.24 …); F4 opens a calendar").format(hint=DATE_HINT)
        )
        # Room for "00/00/0000" whatever the font (the longer placeholder of an optional date may be cut).
        self.edit.setMinimumWidth(
            self.edit.fontMetrics().horizontalAdvance("00/00/0000") + 4 * self.edit.fontMetrics().averageCharWidth()
        )
        self.edit.editingFinished.connect(self._finished)
        self.edit.calendar_requested.connect(self.open_calendar)
        self.calendar_button = QToolButton()
        self.calendar_button.setArrowType(Qt.ArrowType.DownArrow)
        self.calendar_button.setAccessibleName(_("Choose {name} from a calendar").format(name=name))
        self.calendar_button.setToolTip(_("Choose from a calendar (F4)"))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F4 does it from the keyboard
        self.calendar_button.clicked.connect(self.open_calendar)
        self.error = error_label()
        self.error.setObjectName(f"{name} problem")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_value(value)

    # ------------------------------------------------------------------ value

    def value(self) -> date | None:
        """The date last accepted (typed and finished, chosen, or set); None when blank."""
        return self._value

    def set_value(self, value: date | None) -> None:
        """Show ``value`` (without the ``committed`` signal), clearing any message."""
        self._value = value
        self.edit.setText(format_date(value) if value else "")
        self.error.hide()

    def problem(self) -> str | None:
        """Why the text now in the field cannot be taken, or None when it can."""
        try:
            typed = parse_date(self.edit.text(), today=date.today())
        except ValueError as exc:
            return str(exc)
        if typed is None:
            return None if self.optional else _("Type the date ({hint}).").format(hint=DATE_HINT)
        earliest = _resolve(self.earliest) or EARLIEST_DATE
        if typed < earliest:
            return f"{format_date(typed)} is too early: the earliest date here is {format_date(earliest)}."
        latest = _resolve(self.latest)
        if latest is not None and typed > latest:
            reason = f" {self.latest_reason}" if self.latest_reason else ""
            return f"{format_date(typed)} is after {format_date(latest)}, the latest date here.{reason}"
        return None

    def check(self) -> bool:
        """Take what was typed if it is a date this field can have (True); else show why, under the field."""
        problem = self.problem()
        if problem is not None:
            self.error.setText(problem)
            self.error.show()
            return False
        typed = parse_date(self.edit.text(), today=date.today())
        self._value = typed
        self.edit.setText(format_date(typed) if typed else "")  # as stored: "15.1.24" shows as 15/01/2024
        self.error.hide()
        return True

    def _finished(self) -> None:
        before = self._value
        if self.check() and self._value != before:
            self.committed.emit()

    # ------------------------------------------------------------------ the calendar

    def open_calendar(self) -> None:
        calendar = QCalendarWidget()
        calendar.setGridVisible(True)
        calendar.setMinimumDate(_qdate(_resolve(self.earliest) or EARLIEST_DATE))
        latest = _resolve(self.latest)
        if latest is not None:
            calendar.setMaximumDate(_qdate(latest))
        shown = self._value or date.today()
        calendar.setSelectedDate(_qdate(shown))
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)

        def chosen(day: QDate) -> None:
            menu.close()
            self.edit.setText(format_date(day.toPython()))  # type: ignore[arg-type]
            self._finished()
            self.edit.setFocus()

        calendar.clicked.connect(chosen)
        calendar.activated.connect(chosen)
        menu.popup(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        calendar.setFocus()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
