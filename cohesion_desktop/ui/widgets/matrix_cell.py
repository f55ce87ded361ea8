"""One cell of the matrix editor: its cards, and the field where the facilitator types new ones.

The capture field owns the keyboard, so a facilitator never needs the mouse:
Enter adds what was typed; Tab/Shift+Tab and the arrow keys move between cells (Left/Right only at the
start/end of the text); Shift+Up/Down picks a card; F2 edits it; Delete (with nothing typed) removes it;
Ctrl+Up/Down moves it within the cell and Ctrl+Left/Right to the next column; "@" completes a partner.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QRectF, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QFrame, QLineEdit, QListView, QVBoxLayout, QWidget

from cohesion_desktop.i18n import _
from cohesion_desktop.services.workshops import Entry
from cohesion_desktop.ui.models.matrix_cell_model import ENTRY_ROLE, MatrixCellModel
from cohesion_desktop.ui.widgets.entry_card import EntryCardDelegate

NO_MODIFIER = Qt.KeyboardModifier.NoModifier
KEYPAD = Qt.KeyboardModifier.KeypadModifier


class CaptureEdit(QLineEdit):
    """A line edit that turns matrix keys into signals (see the module docstring for the keys).

    Signals: ``submitted(str)``, ``moved(int, int)`` (row and column steps), ``step(int)`` (Tab order),
    ``pick(int)`` (select the previous/next card), ``edit_card()``, ``delete_card()``,
    ``shift_card(int, int)`` (move the chosen card), ``vote(int)``.
    """

    submitted = Signal(str)
    moved = Signal(int, int)
    step = Signal(int)
    pick = Signal(int)
    edit_card = Signal()
    delete_card = Signal()
    shift_card = Signal(int, int)
    vote = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.voting = False
        self._names = QStringListModel(self)
        self.partner_completer = QCompleter(self._names, self)
        # The completer's own list view (Qt makes it with the completer, and it lives as long).
        popup = self.partner_completer.popup()
        assert popup is not None  # made with the completer
        self._popup = popup
        self.partner_completer.setWidget(self)
        self.partner_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.partner_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.partner_completer.activated.connect(self._insert_partner)

    def set_partner_names(self, names: Sequence[str]) -> None:
        self._names.setStringList(list(names))

    def event(self, event: QEvent) -> bool:
        # Ctrl+Z / Ctrl+Shift+Z undo the last matrix step, not the typing (which Enter has already cleared).
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo))
        ):
            event.ignore()
            return False
        # Tab never reaches keyPressEvent: the focus chain takes it first.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and not self._popup.isVisible()
        ):
            self.step.emit(
                -1 if event.key() == Qt.Key.Key_Backtab or event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
            )
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override), C901
        if self._popup.isVisible() and event.key() in (
            Qt.Key.Key_Enter,
            Qt.Key.Key_Return,
            Qt.Key.Key_Escape,
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            event.ignore()  # the completer's popup handles these
            return
        if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
            event.ignore()
            return
        key, modifiers = Qt.Key(event.key()), event.modifiers() & ~KEYPAD
        ctrl = modifiers == Qt.KeyboardModifier.ControlModifier
        shift = modifiers == Qt.KeyboardModifier.ShiftModifier
        plain = modifiers == NO_MODIFIER
        arrows = {Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0), Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1)}
        if self.isReadOnly() and (
            (key in arrows and ctrl) or key in (Qt.Key.Key_F2, Qt.Key.Key_Delete) or event.text() in ("+", "-")
        ):
            return  # an account that may only read moves between cells and cards, and changes none of them
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            if self.text().strip():
                self.submitted.emit(self.text())
            return
        if key in arrows and ctrl:
            self.shift_card.emit(*arrows[key])
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and shift:
            self.pick.emit(-1 if key == Qt.Key.Key_Up else 1)
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and plain:
            self.moved.emit(*arrows[key])
            return
        if key == Qt.Key.Key_Left and plain and self.cursorPosition() == 0 and not self.hasSelectedText():
            self.moved.emit(0, -1)
            return
        if (
            key == Qt.Key.Key_Right
            and plain
            and self.cursorPosition() == len(self.text())
            and not self.hasSelectedText()
        ):
            self.moved.emit(0, 1)
            return
        if key == Qt.Key.Key_F2 and plain:
            self.edit_card.emit()
            return
        if key == Qt.Key.Key_Delete and plain and not self.text():
            self.delete_card.emit()
            return
        if self.voting and not self.text() and event.text() in ("+", "-"):
            self.vote.emit(1 if event.text() == "+" else -1)
            return
        super().keyPressEvent(event)
        self._complete_partner()

    def _at_token(self) -> tuple[int, str] | None:
        """The "@…" being typed just before the cursor, as (position of @, text after it)."""
        before = self.text()[: self.cursorPosition()]
        at = before.rfind("@")
        if at == -1 or (at > 0 and not before[at - 1].isspace()):
            return None  # an e-mail address, not an attribution
        return at, before[at + 1 :]

    def _complete_partner(self) -> None:
        token = self._at_token()
        if token is None or self._names.rowCount() == 0:
            self._popup.hide()
            return
        self.partner_completer.setCompletionPrefix(token[1])
        if self.partner_completer.completionCount():
            self.partner_completer.complete()
            # The best match is highlighted, so Enter takes it without reaching for the arrow keys.
            self._popup.setCurrentIndex(self.partner_completer.completionModel().index(0, 0))
        else:
            self._popup.hide()

    def _insert_partner(self, name: str) -> None:
        token = self._at_token()
        if token is None:
            return
        at, _typed = token
        after = self.text()[self.cursorPosition() :]
        self.setText(f"{self.text()[:at]}@{name} {after.lstrip()}")
        self.setCursorPosition(at + len(name) + 2)


class MatrixCellWidget(QFrame):
    """The cards of one cell and its capture field. Signals: ``focused()`` when the cell becomes current."""

    focused = Signal()

    def __init__(self, model: MatrixCellModel, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("matrixCell")
        self.current = False
        self.list = QListView()
        self.list.setModel(model)
        self._cards = EntryCardDelegate(self.list)
        self.list.setItemDelegate(self._cards)
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setDropIndicatorShown(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        # A cell grows with its cards and the page scrolls, rather than each cell scrolling on its own.
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.installEventFilter(self)
        # The viewport's resize, not the list's: the cards wrap to the viewport's width, which has not changed
        # yet when the list hears of its own new size (a cell kept the heights of its last width, cards cut off).
        self.list.viewport().installEventFilter(self)
        self.capture = CaptureEdit()
        self.capture.setPlaceholderText(_("Type, then Enter"))
        self.set_accessible_name(accessible_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.setSpacing(3)
        layout.addWidget(self.list)
        layout.addStretch(1)  # the cards at the top, the box to type in at the bottom, as in every cell of the row
        layout.addWidget(self.capture)
        self.capture.installEventFilter(self)
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.dataChanged,
            model.layoutChanged,
            model.rowsMoved,
        ):
            signal.connect(self._fit_height)
        self.set_current(False)
        self._fit_height()

    def set_read_only(self, reason: str) -> None:
        """For an account that may only read: nothing typed, edited, dragged or voted here; ``reason`` says why."""
        self.capture.setReadOnly(True)
        self.capture.setPlaceholderText("")
        self.capture.setToolTip(reason)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)

    def set_accessible_name(self, name: str) -> None:
        """The row and column a screen reader announces (they change when the cell shows another workshop)."""
        self.list.setAccessibleName(_("Entries: {name}").format(name=name))
        self.capture.setAccessibleName(_("Add an entry: {name}").format(name=name))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn:
            self.focused.emit()
        elif watched is self.list.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_height()  # a narrower cell wraps its cards onto more lines
        return super().eventFilter(watched, event)

    def _fit_height(self, *_args: object) -> None:
        """As tall as its cards (at least a few lines: room to see it is empty and to drop a card on it)."""
        cards = self._cards.height_of(self.model.entries())
        height = max(self.fontMetrics().lineSpacing() * 3, cards + 2 * self.list.frameWidth() + 4)
        if self.list.height() != height:
            self.list.setFixedHeight(height)

    def set_current(self, current: bool) -> None:
        self.current = current
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        # A thick border in the palette's highlight shows where the next entry will go, on any palette (a style
        # sheet would keep the colours of the palette it was set under).
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        role = QPalette.ColorRole.Highlight if self.current else QPalette.ColorRole.Mid
        width = 3 if self.current else 1
        painter.setPen(QPen(self.palette().color(role), width))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(width / 2, width / 2, -width / 2, -width / 2), 4, 4)

    def selected_entry(self) -> Entry | None:
        index = self.list.currentIndex()
        return index.data(ENTRY_ROLE) if index.isValid() and self.list.selectionModel().isSelected(index) else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, 0)
            self.list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index)

    def select_entry(self, entry_id: object) -> None:
        row = self.model.row_of(entry_id)  # type: ignore[arg-type]
        if row is not None:
            self.select_row(row)

    def pick(self, step: int) -> None:
        if self.model.rowCount() == 0:
            return
        current = self.list.currentIndex()
        if not current.isValid() or not self.list.selectionModel().isSelected(current):
            row = self.model.rowCount() - 1 if step < 0 else 0
        else:
            row = max(0, min(self.model.rowCount() - 1, current.row() + step))
        self.select_row(row)
