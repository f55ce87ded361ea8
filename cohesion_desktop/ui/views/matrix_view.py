"""The matrix editor: rows × the four columns, filled in live from the keyboard, mirrored on the projector."""

from __future__ import annotations

import html
import time
import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services import partners as partner_service
from cohesion_desktop.services import workshops
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.formatting import format_date
from cohesion_desktop.ui.matrix_document import MatrixDocument
from cohesion_desktop.ui.models.matrix_cell_model import MatrixCellModel
from cohesion_desktop.ui.widgets.flow_layout import FlowLayout
from cohesion_desktop.ui.widgets.hint_label import HintLabel
from cohesion_desktop.ui.widgets.matrix_cell import MatrixCellWidget

COLUMNS = list(MatrixColumn)
KEY_HELP = N_(
    "Type and press Enter to add · Tab or arrows: next cell · Shift+↑↓: pick an entry · F2 edit · "
    "Del remove · Ctrl+↑↓ reorder · Ctrl+←→ move to next column · @ partner · Ctrl+Z undo"
)


class MatrixEditor(QWidget):
    """Signals: ``back_requested``; ``projector_requested`` (F5); ``export_requested``; ``followup_requested``;
    ``details_requested``."""

    back_requested = Signal()
    projector_requested = Signal()
    export_requested = Signal()
    followup_requested = Signal()
    details_requested = Signal()

    def __init__(self, context: ViewContext, document: MatrixDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read_only: str | None = None  # why an account that may only read cannot change cells (set_read_only)
        self.context = context
        self.document = document
        self.cells: list[list[MatrixCellWidget]] = []
        self._row_labels: list[QLabel] = []
        self._shown_workshop: uuid.UUID | None = None
        self._current_widget: MatrixCellWidget | None = None
        self._timer_deadline: float | None = None
        self._timer_row = ""
        self._timer_minutes = 10

        self.back_button = QPushButton(_("← All workshops"))
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)

        def tool(text: str, tip: str, slot: object, checkable: bool = False) -> QToolButton:
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(text)
            button.setCheckable(checkable)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(slot)
            return button

        self.voting_button = tool(
            _("Voting (F6)"),
            _(
                "Voting mode: click an entry to give it a vote (Shift+click "
                "takes one away); + and - vote for the picked entry"
            ),
            self.toggle_voting,
            True,
        )
        self.sort_button = tool(_("Sort by votes"), _("Order the current cell by votes"), self.sort_current_cell)
        self.action_button = tool(
            _("Make action…"), _("Turn the picked entry into an action (Ctrl+Shift+A)"), self.make_action
        )
        self.projector_button = tool(
            _("Projector (F5)"), _("Show the matrix in large type on the projector"), self.projector_requested.emit
        )
        self.highlight_button = tool(
            _("Highlight (F7)"),
            _("Show the current cell highlighted on the projector"),
            self.toggle_highlight,
            True,
        )
        self.timer_button = tool(
            _("Timer (F8)"), _("Start or stop a countdown for the current row on the projector"), self.toggle_timer
        )
        self.export_button = tool(
            _("Export…"), _("Save this workshop as an Excel workbook or a PDF"), self.export_requested.emit
        )
        self.followup_button = tool(
            _("Follow-up pack…"),
            _(
                "A PDF and a workbook to send to the partners who were there: who came, the actions, "
                "the most-voted entries and what was said"
            ),
            self.followup_requested.emit,
        )
        self.details_button = tool(
            _("Details…"), _("Title, date, place, facilitator and partners present"), self.details_requested.emit
        )
        self.title.setWordWrap(True)  # a long title wraps rather than being cut
        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        # The tools wrap onto a second line on a narrow window or at 150%, never cutting a label short.
        tools = FlowLayout()
        for button in (
            self.voting_button,
            self.sort_button,
            self.action_button,
            self.projector_button,
            self.highlight_button,
            self.timer_button,
            self.export_button,
            self.followup_button,
            self.details_button,
        ):
            tools.addWidget(button)
        self.help = HintLabel(_(KEY_HELP))

        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(6)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(tools)
        layout.addWidget(self.help)
        layout.addWidget(scroll, 1)

        for key, slot in (
            ("F5", self.projector_requested.emit),
            ("F6", self.voting_button.click),
            ("F7", self.highlight_button.click),
            ("F8", self.toggle_timer),
            ("Ctrl+Shift+A", self.make_action),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._clock = QTimer(self)
        self._clock.setInterval(500)
        self._clock.timeout.connect(self._tick)
        document.loaded.connect(self._build)

    # ------------------------------------------------------------------ building

    def show_workshop(self, workshop_id: uuid.UUID) -> None:
        self.document.load(workshop_id)

    def _build(self) -> None:
        detail = self.document.detail
        assert detail is not None
        another_workshop = detail.id != self._shown_workshop
        self._shown_workshop = detail.id
        self.title.setText(detail.title)
        parts = [
            format_date(detail.held_on),
            detail.place,
            _("facilitated by {name}").format(name=detail.facilitator) if detail.facilitator else "",
            ngettext("{n} partner present", "{n} partners present", len(detail.partners)).format(n=len(detail.partners))
            if detail.partners
            else "",
        ]
        self.subtitle.setText(" · ".join(p for p in parts if p))
        if not self._row_labels:
            self._add_headers()
        names = [name for _id, name in detail.partners]
        if not names:
            names = [name for _id, name in self.context.workspace.read(partner_service.partner_choices)]
        # The rows of cells are kept from one workshop to the next and only shown another cell's entries: making
        # the dozen cells again (list views, delegates, completers) was most of the time it took to open one.
        while len(self.cells) > len(detail.rows):
            self._drop_last_row()
        while len(self.cells) < len(detail.rows):
            self._add_row()
        for row_index, row in enumerate(detail.rows):
            label = self._row_labels[row_index]
            label.setText(f"<b>{html.escape(row.title)}</b>")
            label.setToolTip(row.description)
            for column_index, column in enumerate(COLUMNS):
                cell = self.cells[row_index][column_index]
                cell.model.show_cell(row.id, column)
                cell.set_accessible_name(f"{row.title}, {column.label}")
                cell.capture.set_partner_names(names)
                cell.capture.voting = self.document.voting
                if another_workshop:
                    cell.capture.clear()  # half-typed words belong to the workshop they were typed in
                    cell.list.clearSelection()
        self.focus_cell(0, 0)

    def _add_headers(self) -> None:
        self.grid.addWidget(QLabel(""), 0, 0)
        for column_index, column in enumerate(COLUMNS):
            header = QLabel(f"<b>{column.label}</b>")
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setWordWrap(True)  # a longer language's heading takes two lines, not the width of the page
            header.setAccessibleName(column.label)
            self.grid.addWidget(header, 0, column_index + 1)
            self.grid.setColumnStretch(column_index + 1, 1)

    def _add_row(self) -> None:
        """A row label and its four cells, below the others (filled in by :meth:`_build`)."""
        row_index = len(self.cells)
        label = QLabel()
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setMinimumWidth(self.fontMetrics().averageCharWidth() * 11)
        label.setMaximumWidth(self.fontMetrics().averageCharWidth() * 22)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.grid.addWidget(label, row_index + 1, 0)
        self._row_labels.append(label)
        assert self.document.detail is not None
        row_id = self.document.detail.rows[row_index].id
        cells: list[MatrixCellWidget] = []
        for column_index, column in enumerate(COLUMNS):
            model = MatrixCellModel(self.document, row_id, column)
            cell = MatrixCellWidget(model, column.label)
            # The model goes with its cell: owned by the editor, a row of cells taken away would leave its
            # models alive, each still answering every change.
            model.setParent(cell)
            self._wire(cell, row_index, column_index)
            if self._read_only is not None:
                cell.set_read_only(self._read_only)
            self.grid.addWidget(cell, row_index + 1, column_index + 1)
            cells.append(cell)
        self.cells.append(cells)
        self.grid.setRowStretch(row_index + 1, 1)

    def set_read_only(self, reason: str) -> None:
        """For an account that may only read: every cell, and those made for another workshop later, takes no
        entry, edit, move or vote; ``reason`` says why."""
        self._read_only = reason
        for row in self.cells:
            for cell in row:
                cell.set_read_only(reason)

    def _drop_last_row(self) -> None:
        """Take away the last row of cells (the workshop now shown has fewer rows)."""
        row_index = len(self.cells) - 1
        if self._current_widget in self.cells[-1]:
            self._current_widget = None
        for widget in (self._row_labels.pop(), *self.cells.pop()):
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.grid.setRowStretch(row_index + 1, 0)

    def _wire(self, cell: MatrixCellWidget, row: int, column: int) -> None:
        capture = cell.capture
        capture.submitted.connect(lambda text: self.add_typed(row, column, text))
        capture.moved.connect(lambda dr, dc: self.focus_cell(row + dr, column + dc))
        capture.step.connect(lambda step: self._step(row, column, step))
        capture.pick.connect(cell.pick)
        capture.edit_card.connect(lambda: self._edit_picked(cell))
        capture.delete_card.connect(lambda: self._delete_picked(cell))
        capture.shift_card.connect(lambda dr, dc: self._shift_picked(row, column, dr, dc))
        capture.vote.connect(lambda delta: self._vote_picked(cell, delta))
        cell.focused.connect(lambda: self._became_current(row, column))
        cell.list.clicked.connect(lambda index: self._clicked(cell, index))
        cell.list.itemDelegate().closeEditor.connect(
            lambda _editor, _hint=QAbstractItemDelegate.EndEditHint.NoHint: capture.setFocus()
        )

    # ------------------------------------------------------------------ moving around

    def current_cell(self) -> MatrixCellWidget | None:
        row, column = self.document.current
        return self.cells[row][column] if self.cells else None

    def focus_cell(self, row: int, column: int) -> None:
        if not self.cells:
            return
        row = max(0, min(len(self.cells) - 1, row))
        column = max(0, min(len(COLUMNS) - 1, column))
        self._became_current(row, column)
        cell = self.cells[row][column]
        cell.capture.setFocus()
        # Tab into a row below the fold: bring the box being typed into on screen, with its cell if it fits.
        self.scroll_area.ensureWidgetVisible(cell, 0, 0)
        self.scroll_area.ensureWidgetVisible(cell.capture, 0, 4)

    def _step(self, row: int, column: int, step: int) -> None:
        count = len(self.cells) * len(COLUMNS)
        linear = (row * len(COLUMNS) + column + step) % count
        self.focus_cell(*divmod(linear, len(COLUMNS)))

    def _became_current(self, row: int, column: int) -> None:
        # The cell drawn as current, not the document's idea of it: a reload puts the document's back afterwards.
        previous, cell = self._current_widget, self.cells[row][column]
        self.document.set_current(row, column)
        if previous is not None and previous is not cell:
            previous.set_current(False)
        cell.set_current(True)
        self._current_widget = cell

    # ------------------------------------------------------------------ changes

    def add_typed(self, row: int, column: int, typed: str) -> None:
        detail = self.document.detail
        assert detail is not None
        text, partner_id = workshops.split_attribution(typed, detail.partners or self._all_partners())
        cell = self.cells[row][column]
        try:
            entry = self.document.add(detail.rows[row].id, COLUMNS[column], text, partner_id)
        except CohesionError as exc:
            # No dialog while people are talking: say it in the status bar, keep what was typed.
            self.context.show_status(_("Not added: {problem}").format(problem=exc))
            return
        cell.capture.clear()
        cell.select_entry(entry.id)

    def _all_partners(self) -> list[tuple[uuid.UUID, str]]:
        return self.context.workspace.read(partner_service.partner_choices)

    def _edit_picked(self, cell: MatrixCellWidget) -> None:
        index = cell.list.currentIndex()
        if cell.selected_entry() is not None:
            cell.list.edit(index)

    def _delete_picked(self, cell: MatrixCellWidget) -> None:
        entry = cell.selected_entry()
        if entry is None:
            return
        self._guard(lambda: self.document.delete(entry))
        cell.select_row(min(entry.position, cell.model.rowCount() - 1))
        self.context.show_status(_("Deleted “{entry}”.").format(entry=entry.text), offer_undo=True)

    def _shift_picked(self, row: int, column: int, row_step: int, column_step: int) -> None:
        cell = self.cells[row][column]
        entry = cell.selected_entry()
        if entry is None:
            return
        if column_step == 0:
            target_row, target_column = row, column
            position = max(0, min(cell.model.rowCount() - 1, entry.position + row_step))
            if position == entry.position:
                return
        else:
            target_row, target_column = row, max(0, min(len(COLUMNS) - 1, column + column_step))
            if target_column == column:
                return
            position = self.cells[target_row][target_column].model.rowCount()
        target = self.cells[target_row][target_column]
        if self._guard(
            lambda: self.document.move(entry, self.document.row_id(target_row), COLUMNS[target_column], position)
        ):
            if target is not cell:
                self.focus_cell(target_row, target_column)
            target.select_entry(entry.id)

    def _vote_picked(self, cell: MatrixCellWidget, delta: int) -> None:
        entry = cell.selected_entry()
        if entry is not None and self._guard(lambda: self.document.vote(entry, delta)):
            cell.select_entry(entry.id)

    def _clicked(self, cell: MatrixCellWidget, index: object) -> None:
        if not self.document.voting:
            return
        entry = cell.model.entry(index.row())  # type: ignore[attr-defined]
        from PySide6.QtWidgets import QApplication

        delta = -1 if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier else 1
        if self._guard(lambda: self.document.vote(entry, delta)):
            cell.select_entry(entry.id)

    def _guard(self, change: object) -> bool:
        try:
            change()  # type: ignore[operator]
        except CohesionError as exc:
            self.context.prompts.error(_("Not saved"), str(exc))
            return False
        return True

    # ------------------------------------------------------------------ toolbar

    def toggle_voting(self) -> None:
        voting = self.voting_button.isChecked()
        self.document.set_voting(voting)
        for row in self.cells:
            for cell in row:
                cell.capture.voting = voting
        self.context.show_status(
            _("Voting mode: click an entry to add a vote (Shift+click takes one away).")
            if voting
            else _("Voting mode off.")
        )

    def sort_current_cell(self) -> None:
        cell = self.current_cell()
        if cell is not None and cell.model.rowCount() > 1:
            self._guard(lambda: self.document.sort_by_votes(cell.model.row_id, cell.model.column))

    def toggle_highlight(self) -> None:
        self.document.set_highlight(self.highlight_button.isChecked())

    def toggle_timer(self) -> None:
        if self._timer_deadline is not None:
            self._timer_deadline = None
            self._clock.stop()
            self.document.set_timer_text("")
            self.timer_button.setText(_("Timer (F8)"))
            return
        answer = self.context.prompts.ask_text(_("Row timer"), _("Minutes for this row:"), str(self._timer_minutes))
        if answer is None:
            return
        try:
            minutes = float(answer.replace(",", "."))
        except ValueError:
            self.context.prompts.error(
                _("Row timer"), _("“{answer}” is not a number of minutes.").format(answer=answer)
            )
            return
        if not 0 < minutes <= 240:
            self.context.prompts.error(_("Row timer"), _("Give between 1 and 240 minutes."))
            return
        self._timer_minutes = int(minutes) if minutes.is_integer() else minutes  # type: ignore[assignment]
        detail = self.document.detail
        assert detail is not None
        self._timer_row = detail.rows[self.document.current[0]].title
        self._timer_deadline = time.monotonic() + minutes * 60
        self.timer_button.setText(_("Stop timer (F8)"))
        self._clock.start()
        self._tick()

    def _tick(self) -> None:
        if self._timer_deadline is None:
            return
        left = max(0, round(self._timer_deadline - time.monotonic()))
        minutes, seconds = divmod(left, 60)
        self.document.set_timer_text(
            f"{self._timer_row}: {minutes:d}:{seconds:02d}"
            if left
            else _("{row}: time's up").format(row=self._timer_row)
        )

    def make_action(self) -> None:
        cell = self.current_cell()
        entry = cell.selected_entry() if cell else None
        if entry is None:
            self.context.show_status(_("Pick an entry first (Shift+↑ or ↓ in a cell), then make it an action."))
            return
        from cohesion_desktop.ui.dialogs.action_dialog import ActionDialog

        detail = self.document.detail
        assert detail is not None
        dialog = ActionDialog(
            title=entry.text, owners=self._owner_choices(), parent=self, default_owner=entry.partner_id
        )
        if not dialog.exec() or dialog.value is None:
            return
        if self._guard(lambda: self.document.make_action(entry, dialog.value)):
            self.context.show_status(_("Action added: {title}").format(title=dialog.value.title), offer_undo=True)
            if cell is not None:
                cell.select_entry(entry.id)

    def _owner_choices(self) -> list[tuple[uuid.UUID, str]]:
        """Partners present first, then every other partner."""
        detail = self.document.detail
        present = list(detail.partners) if detail else []
        present_ids = {partner_id for partner_id, _ in present}
        return present + [p for p in self._all_partners() if p[0] not in present_ids]
