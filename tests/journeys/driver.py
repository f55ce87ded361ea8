"""Driving the real window as a person does, and nothing else.

A person finds things by what they can see (a button's text, a tab's label, a field's label, which a screen
reader announces as its accessible name), clicks them, and types into whatever has the keyboard focus. This
module does only that: it never calls a view's or dialog's method, and never sets a value a person would type.

Modal dialogs block the code that opened them (``QDialog.exec``), so what a person does inside one is given
*before* the action that opens it, as a function run once the dialog is on screen::

    @journey.on_dialog("Add a check or training")
    def fill(dialog: QWidget) -> None:
        journey.type("15/01/2024")
        journey.click("Save")

    journey.click("Add…")
    assert fill.done

A dialog that nobody expected (an error box, a question) fails the test with its text, and is closed so that
the test does not hang.
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot
from sqlmodel import Session

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QTabBar,
    QWidget,
)

from cohesion_desktop.ui.main_window import MainWindow

WAIT_S = 15.0
UNEXPECTED_DIALOG_GRACE_S = 4.0
_TAGS = re.compile(r"<[^>]+>")


def visible_text(widget: QWidget) -> str:
    """What a person reads on a widget: a button's or label's text without mnemonics or markup."""
    if isinstance(widget, QAbstractButton):
        text = widget.text()
    elif isinstance(widget, QLabel):
        text = _TAGS.sub("", widget.text())
    elif isinstance(widget, QGroupBox):
        text = widget.title()
    else:
        return ""
    return " ".join(text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("&nbsp;", " ").split())


def key_of(name: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    """ "Ctrl+Shift+Z" → (Key_Z, Ctrl|Shift); "Return", "Tab", "F5", "Del" as Qt names them."""
    combination = QKeySequence(name)[0]
    return combination.key(), combination.keyboardModifiers()


def type_character(widget: QWidget, character: str) -> None:
    """One key press that types ``character`` (QTest's own typing knows only ASCII, and aborts on "é")."""
    if character.isascii():
        QTest.keyClicks(widget, character)
    else:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, character, Qt.KeyboardModifier.NoModifier)


@dataclass
class DialogStep:
    """What a person does in a dialog with a given title, once it is on screen."""

    title: str
    steps: Callable[[QWidget], None]
    done: bool = False
    text: str = ""  # a message box's text, for the test to check what the user was told
    failure: str = ""
    timer: QTimer | None = field(default=None, repr=False)


class Journey:
    """The main window and a person's hands: see the module docstring."""

    def __init__(self, qtbot: QtBot, window: MainWindow, data_file: Path) -> None:
        self.qtbot = qtbot
        self.window = window
        self.data_file = data_file
        self.failures: list[str] = []
        self._expected: list[DialogStep] = []
        self._handling: set[int] = set()
        self._unexpected_since: dict[int, float] = {}
        self._watchdog = QTimer()
        self._watchdog.setInterval(100)
        self._watchdog.timeout.connect(self._close_unexpected_dialogs)
        self._watchdog.start()

    # ------------------------------------------------------------------ the data behind the window

    @contextmanager
    def stored(self) -> Iterator[Session]:
        """A session on the open data file, to check what was really stored."""
        workspace = self.window.workspace
        assert workspace is not None, "no data file is open"
        with workspace.store.session() as session:
            yield session

    # ------------------------------------------------------------------ finding

    def active_window(self) -> QWidget:
        """Where a person's clicks and keys can go: the topmost modal dialog, else the main window."""
        modal = QApplication.activeModalWidget()
        return modal if modal is not None else self.window

    def _candidates(self, within: QWidget | None) -> list[QWidget]:
        root = within or self.active_window()
        return [w for w in [root, *root.findChildren(QWidget)] if w.isVisible()]

    def find_all(self, text: str, *, kind: type[QWidget] = QWidget, within: QWidget | None = None) -> list[QWidget]:
        """Visible widgets of ``kind`` that show ``text`` or are announced as ``text``."""
        return [
            w
            for w in self._candidates(within)
            if isinstance(w, kind) and (visible_text(w) == text or w.accessibleName() == text)
        ]

    def texts(self, *, within: QWidget | None = None) -> list[str]:
        """Everything a person can read in the active window: visible texts and accessible names."""
        found = []
        for widget in self._candidates(within):
            found += [text for text in (visible_text(widget), widget.accessibleName()) if text]
        return found

    def find(self, text: str, *, kind: type[QWidget] = QWidget, within: QWidget | None = None) -> Any:
        """The one visible widget showing or announced as ``text`` (the test fails if none or several)."""
        deadline = time.monotonic() + WAIT_S
        while True:
            found = self.find_all(text, kind=kind, within=within)
            enabled = [w for w in found if w.isEnabled()] or found
            if len(enabled) == 1:
                return enabled[0]
            if len(enabled) > 1:
                # A label and the field it names share the name, as may a field and the box around it: the
                # innermost field is what a person acts on.
                fields = [
                    w
                    for w in enabled
                    if not isinstance(w, QLabel | QGroupBox)
                    and not any(other is not w and w.isAncestorOf(other) for other in enabled)
                ]
                if len(fields) == 1:
                    return fields[0]
                raise AssertionError(f"{len(enabled)} visible widgets show “{text}”: {enabled}")
            if time.monotonic() > deadline:
                shown = sorted({visible_text(w) or w.accessibleName() for w in self._candidates(within)} - {""})
                raise AssertionError(
                    f"nothing visible shows “{text}” in {self.active_window().windowTitle()!r}; visible: {shown}"
                )
            self.qtbot.wait(20)

    def focused(self) -> QWidget:
        """The widget with the keyboard focus (once a window is back in front after a dialog closed)."""
        if QApplication.activeWindow() is None:
            # What a window manager does when a dialog closes and Qt's offscreen platform does not: put the
            # window underneath back in front (the dialog's parent, or the main window).
            self.active_window().activateWindow()
        self.wait_until(lambda: QApplication.focusWidget() is not None, what="a widget with the keyboard focus")
        return QApplication.focusWidget()

    def keyboard(self) -> QWidget:
        """Where a key press goes, as Qt routes a real keyboard: into an open pop-up list first, else the focus."""
        popup = QApplication.activePopupWidget()
        if popup is not None:
            return popup.focusWidget() or popup
        return self.focused()

    def focused_name(self) -> str:
        """The accessible name of the widget (or its nearest named parent) that has the focus."""
        widget: QWidget | None = self.focused()
        while widget is not None:
            if widget.accessibleName():
                return widget.accessibleName()
            widget = widget.parentWidget()
        return ""

    # ------------------------------------------------------------------ hands

    def _front(self, widget: QWidget) -> None:
        """A click on a window puts it in front, as a window manager does (Qt's offscreen platform does not)."""
        window = widget.window()
        if QApplication.activeWindow() is not window and window.windowType() != Qt.WindowType.Popup:
            window.activateWindow()
            self.wait_until(lambda: QApplication.activeWindow() is window, what=f"{window.windowTitle()!r} in front")

    def click(
        self,
        target: str | QWidget,
        *,
        within: QWidget | None = None,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    ) -> None:
        """A left click in the middle of the widget showing ``target``."""
        widget = self.find(target, within=within) if isinstance(target, str) else target
        assert widget.isEnabled(), f"“{target}” is greyed out"
        self._front(widget)
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, modifier, widget.rect().center())

    def click_into(self, name: str, *, within: QWidget | None = None) -> None:
        """Click into the field announced as ``name`` (the cursor goes there, as for a person)."""
        widget = self.find(name, within=within)
        target = widget.lineEdit() if isinstance(widget, QComboBox) and widget.isEditable() else widget
        self._front(target)
        self.qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.rect().center())
        if not target.hasFocus():  # a click on a composite field lands on its editable part
            child = next((c for c in target.findChildren(QLineEdit) if c.isVisible()), None)
            if child is not None:
                self.qtbot.mouseClick(child, Qt.MouseButton.LeftButton, pos=child.rect().center())
        assert QApplication.focusWidget() is not None

    def type(self, text: str) -> None:
        """Type ``text`` on the keyboard: it goes to whatever has the focus."""
        for character in text:
            type_character(self.keyboard(), character)
            QApplication.processEvents()  # what the window does between two keys of a real keyboard

    def press(self, *keys: str) -> None:
        """Press keys one after another ("Tab", "Return", "Ctrl+Z", "Shift+Tab", "F5"), each to the focus."""
        for name in keys:
            key, modifiers = key_of(name)
            QTest.keyClick(self.keyboard(), key, modifiers)
            QApplication.processEvents()

    def clear_and_type(self, text: str) -> None:
        """Select what the focused field holds and type over it."""
        self.press("Ctrl+A")
        if text:
            self.type(text)
        else:
            self.press("Backspace")

    def fill(self, name: str, text: str, *, within: QWidget | None = None) -> None:
        """Click into the field ``name``, select what it holds, type ``text``."""
        self.click_into(name, within=within)
        self.clear_and_type(text)

    def sidebar(self, label: str) -> None:
        sidebar = self.window.sidebar
        self._front(sidebar)
        item = sidebar.findItems(label, Qt.MatchFlag.MatchExactly)[0]
        self.qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.visualItemRect(item).center())

    def tab(self, label: str) -> None:
        """Click the tab labelled ``label`` (in whichever visible tab bar has it)."""
        for bar in self._candidates(None):
            if isinstance(bar, QTabBar):
                for index in range(bar.count()):
                    if bar.tabText(index).replace("&", "") == label:
                        self.qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
                        return
        raise AssertionError(f"no visible tab “{label}”")

    def menu(self, title: str, item: str) -> None:
        """Click a menu in the menu bar, then one of its items."""
        bar = self.window.menuBar()
        menu_action = next(a for a in bar.actions() if a.text().replace("&", "") == title)
        self.qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(menu_action).center())
        popup: QMenu = menu_action.menu()
        self.qtbot.waitUntil(popup.isVisible, timeout=int(WAIT_S * 1000))
        action = next((a for a in popup.actions() if a.text().replace("&", "") == item), None)
        assert action is not None, f"no “{item}” in the {title} menu: {[a.text() for a in popup.actions()]}"
        assert action.isEnabled(), f"{title} → {item} is greyed out"
        self.qtbot.mouseClick(popup, Qt.MouseButton.LeftButton, pos=popup.actionGeometry(action).center())

    # ------------------------------------------------------------------ tables and lists

    def row_index(self, view: str | QAbstractItemView, containing: str, *, column: int | None = None) -> QModelIndex:
        """The cell that shows ``containing`` in the first row of a visible table or list that has one (or that
        row's cell in ``column``)."""
        table = self.find(view) if isinstance(view, str) else view
        model = table.model()
        deadline = time.monotonic() + WAIT_S
        while True:
            for row in range(model.rowCount()):
                for col in range(model.columnCount()):
                    index = model.index(row, col)
                    if containing in str(index.data(Qt.ItemDataRole.DisplayRole) or ""):
                        return index if column is None else model.index(row, column)
            if time.monotonic() > deadline:
                shown = [str(model.index(r, 0).data()) for r in range(min(model.rowCount(), 30))]
                raise AssertionError(f"no row shows “{containing}” in {table.accessibleName()}: {shown}")
            self.qtbot.wait(20)

    def click_row(
        self,
        view: str | QAbstractItemView,
        containing: str,
        *,
        double: bool = False,
        column: int | None = None,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    ) -> None:
        table = self.find(view) if isinstance(view, str) else view
        index = self.row_index(table, containing, column=column)
        table.scrollTo(index)
        self._front(table)
        point: QPoint = table.visualRect(index).center()
        if double:
            # A double-click is two clicks: the first selects, the second opens.
            self.qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, point)
            self.qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, point)
        else:
            self.qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, point)

    def rows(self, view: str | QAbstractItemView, column: int = 0) -> list[str]:
        """What a visible table or list shows in one column, top to bottom."""
        table = self.find(view) if isinstance(view, str) else view
        model = table.model()
        return [str(model.index(row, column).data() or "") for row in range(model.rowCount())]

    # ------------------------------------------------------------------ dialogs

    def on_dialog(self, title: str) -> Callable[[Callable[[QWidget], None]], DialogStep]:
        """Decorator: run the function once a dialog titled ``title`` is on screen (see the module docstring)."""

        def register(steps: Callable[[QWidget], None]) -> DialogStep:
            step = DialogStep(title, steps)
            self._expected.append(step)
            # Each expectation polls with a timer of its own: a timer whose handler is still running (a dialog
            # opened from inside another one) is not fired again by Qt's nested event loop.
            timer = QTimer()
            timer.setInterval(20)
            timer.timeout.connect(lambda: self._try(step))
            step.timer = timer
            timer.start()
            return step

        return register

    def answer(self, title: str, button: str) -> DialogStep:
        """When a message titled ``title`` appears, read it and press ``button``."""

        def press(box: QWidget) -> None:
            self.click(button, within=box)

        return self.on_dialog(title)(press)

    def save_as(self, title: str, path: Path) -> DialogStep:
        """When a file dialog titled ``title`` appears, type ``path`` as the file name and press Enter."""

        def choose(dialog: QWidget) -> None:
            assert isinstance(dialog, QFileDialog), f"“{title}” is not a file dialog"
            self.qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=30_000)
            self.clear_and_type(str(path))
            self.press("Return")

        return self.on_dialog(title)(choose)

    open_file = save_as

    def _matching_dialog(self, title: str) -> QWidget | None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.isVisible() and modal.windowTitle() == title and id(modal) not in self._handling:
            return modal
        return None

    def _try(self, step: DialogStep) -> None:
        if step.done:
            return
        dialog = self._matching_dialog(step.title)
        if dialog is None:
            return
        assert step.timer is not None
        step.timer.stop()
        step.done = True
        if isinstance(dialog, QMessageBox):
            step.text = dialog.text() + ("\n" + dialog.informativeText() if dialog.informativeText() else "")
        self._handling.add(id(dialog))
        try:
            # A person starts typing once the dialog is in front and has put its cursor somewhere.
            self.wait_until(lambda: QApplication.activeWindow() is dialog, what=f"“{step.title}” to become active")
            step.steps(dialog)
            if dialog.isVisible():
                said = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible() and "⚠" in w.text()]
                raise AssertionError(f"“{step.title}” is still open after its steps; it says: {said}")
        except BaseException:  # noqa: BLE001 - reported by finish(); the dialog must close or the test hangs
            step.failure = traceback.format_exc()
            self.failures.append(f"in the dialog “{step.title}”:\n{step.failure}")
            if dialog.isVisible() and isinstance(dialog, QDialog):
                dialog.reject()
        finally:
            self._handling.discard(id(dialog))

    def _close_unexpected_dialogs(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or id(modal) in self._handling:
            self._unexpected_since.clear()
            return
        if any(not step.done and step.title == modal.windowTitle() for step in self._expected):
            return
        # Work in progress, not a question: it closes itself when the work is done, however long a busy machine
        # makes that (closing it would cancel the work).
        if isinstance(modal, QProgressDialog):
            return
        first_seen = self._unexpected_since.setdefault(id(modal), time.monotonic())
        if time.monotonic() - first_seen < UNEXPECTED_DIALOG_GRACE_S:
            return
        text = modal.text() if isinstance(modal, QMessageBox) else ""
        self.failures.append(f"an unexpected dialog “{modal.windowTitle()}” appeared: {text}")
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()

    # ------------------------------------------------------------------ waiting and the status bar

    def wait_until(self, condition: Callable[[], Any], *, what: str = "", timeout_s: float = WAIT_S) -> None:
        try:
            self.qtbot.waitUntil(lambda: bool(condition()), timeout=int(timeout_s * 1000))
        except Exception as exc:  # pytest-qt's TimeoutError says nothing of what was awaited
            raise AssertionError(f"waited {timeout_s:g} s for {what or condition}") from exc

    def status(self) -> str:
        return self.window.statusBar().currentMessage()

    def offered(self) -> list[str]:
        """What a visible drop-down or completion list offers (a list that pops up under a field)."""
        shown: list[str] = []
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QAbstractItemView) and widget.isVisible():
                model = widget.model()
                shown += [
                    str(model.index(row, widget.modelColumn() if hasattr(widget, "modelColumn") else 0).data() or "")
                    for row in range(model.rowCount())
                ]
        return shown

    def wait_offered(self, containing: str) -> None:
        """Wait until a pop-up list offers an item containing ``containing``."""
        self.wait_until(
            lambda: any(containing in item for item in self.offered()), what=f"“{containing}” to be offered"
        )

    def list_items(self, name: str) -> list[str]:
        widget = self.find(name, kind=QListWidget)
        return [widget.item(row).text() for row in range(widget.count())]

    def finish(self) -> None:
        """Stop watching; fail on what went wrong in a dialog, or a dialog nobody expected."""
        self._watchdog.stop()
        for step in self._expected:
            if step.timer is not None:
                step.timer.stop()
        if self.failures:
            raise AssertionError("\n\n".join(self.failures))
