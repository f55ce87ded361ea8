"""Erasing a volunteer in the window, as a coordinator does it: the question says what goes and what remains,
the work runs in the background, and the file's bytes no longer hold the person."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton, QTableView, QTabWidget, QWidget

from cohesion_desktop.db import backups
from cohesion_desktop.services.volunteering import erasure, placements, totals
from cohesion_desktop.services.volunteering import volunteers as volunteer_service
from cohesion_desktop.ui.dialogs.erasure_dialog import ErasureDialog
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.views.volunteers_view import VolunteersView
from tests.ui.conftest import FakePrompts, example_data_file

# Every test here works in the example town.
data_file = pytest.fixture(example_data_file)


@pytest.fixture
def volunteers(window: MainWindow) -> VolunteersView:
    window.navigate("volunteers")
    page = window.pages["volunteers"]
    assert isinstance(page, VolunteersView)
    return page


def button(parent: QWidget, text: str) -> QPushButton:
    return next(b for b in parent.findChildren(QPushButton) if b.text() == text and b.isVisibleTo(parent))


def in_the_dialog(seen: dict[str, object], *, untick: bool = False, answer: str = "Erase for good") -> None:
    """When the erasure question opens (after a search in the background): note what it says, untick the activity
    texts if asked, then answer."""
    poll = QTimer()

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ErasureDialog) or not dialog.isVisible():
            return  # not open yet
        poll.stop()
        if untick:
            box = next(b for b in dialog.findChildren(QCheckBox) if b.text().startswith("Blank these activity"))
            box.click()
        tables = {t.accessibleName(): t for t in dialog.findChildren(QTableView)}
        activities = tables.get("Activity texts of their hours")
        seen["activities"] = (
            [activities.model().index(r, 0).data() for r in range(activities.model().rowCount())] if activities else []
        )
        seen["remains"] = next(
            label.text() for label in dialog.findChildren(QLabel) if label.accessibleName() == "What remains"
        )
        seen["title"] = dialog.windowTitle()
        if answer == "Cancel":
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
        else:
            button(dialog, answer).click()

    poll.timeout.connect(act)
    poll.start(20)
    seen["poll"] = poll  # kept alive until the test ends


def raw_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def a_volunteer_with_hours(window: MainWindow) -> tuple[volunteer_service.VolunteerDetail, str]:
    """One of the example volunteers, with an hours entry whose activity text names them."""
    assert window.workspace is not None
    with window.workspace.store.session() as session:
        person = volunteer_service.get_volunteer(session, totals.hours_by_volunteer(session, limit=1)[0].key)
        text = f"Drove {person.data.name}'s van"
        placements.log_hours(
            session, placement_id=person.placements[0].id, on_date=date.today(), hours=1.5, activity=text
        )
    return person, text


def open_by_search(qtbot: QtBot, volunteers: VolunteersView, name: str) -> None:
    qtbot.keyClicks(volunteers.search_field, name)
    qtbot.waitUntil(lambda: volunteers.model.rowCount() == 1, timeout=30_000)
    volunteers.table.setFocus()
    volunteers.table.selectRow(0)
    qtbot.keyClick(volunteers.table, Qt.Key.Key_Return)
    assert volunteers.people_stack.currentWidget() is volunteers.editor


def test_erasing_from_the_editor_says_what_remains_and_leaves_no_byte_of_them(
    qtbot: QtBot, window: MainWindow, volunteers: VolunteersView, data_file: Path
) -> None:
    person, text = a_volunteer_with_hours(window)
    open_by_search(qtbot, volunteers, person.data.name)
    volunteers.editor.notes_field.setFocus()
    qtbot.keyClicks(volunteers.editor.notes_field, "a note to undo")
    volunteers.editor.commit_pending()
    assert window.undo_stack.canUndo()
    seen: dict[str, object] = {}
    in_the_dialog(seen)
    qtbot.mouseClick(button(volunteers.editor, "Erase personal data…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: volunteers.people_stack.currentIndex() == 0, timeout=30000)

    assert seen["title"] == f"Erase personal data – {person.data.name}"
    assert text in seen["activities"]  # type: ignore[operator]
    remains = str(seen["remains"])
    last = erasure.backup_deleted_on(datetime.now())
    assert "made just before it" in remains and f"goes on {last:%d/%m/%Y}" in remains
    assert f"Erased {person.data.name}'s personal data" in window.statusBar().currentMessage()
    assert not window.undo_stack.canUndo()  # an undo of the note would write the erased details back
    volunteers.search_field.clear()
    qtbot.waitUntil(lambda: volunteers.model.rowCount() == 119, timeout=30_000)  # no longer listed
    assert window.workspace is not None
    with window.workspace.store.session() as session:
        erased = volunteer_service.get_volunteer(session, person.id)
        assert erased.erased and not erasure.erasure_unfinished(session)
        assert {h.activity for h in placements.list_hours(session, volunteer_id=person.id)} == {""}
    raw = raw_bytes(data_file)
    for secret in (person.data.name, person.data.email, text):
        assert secret.encode() not in raw, secret
    [*_older, just_before] = sorted(backups.list_backups(data_file), key=lambda b: (b.made_at, b.serial))
    assert person.data.name.encode() in just_before.path.read_bytes()  # as the question said


def test_the_activity_texts_can_be_kept_and_cancel_erases_nothing(
    qtbot: QtBot, window: MainWindow, volunteers: VolunteersView
) -> None:
    person, text = a_volunteer_with_hours(window)
    open_by_search(qtbot, volunteers, person.data.name)
    erase = button(volunteers.editor, "Erase personal data…")
    seen: dict[str, object] = {}
    in_the_dialog(seen, untick=True, answer="Cancel")
    qtbot.mouseClick(erase, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "remains" in seen and QApplication.activeModalWidget() is None, timeout=30000)
    assert "(kept as you chose)" in str(seen["remains"])
    assert window.workspace is not None
    with window.workspace.store.session() as session:
        assert not volunteer_service.get_volunteer(session, person.id).erased
    seen.clear()
    in_the_dialog(seen, untick=True)
    qtbot.mouseClick(erase, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: volunteers.people_stack.currentIndex() == 0, timeout=30000)
    with window.workspace.store.session() as session:
        assert volunteer_service.get_volunteer(session, person.id).erased
        assert text in {h.activity for h in placements.list_hours(session, volunteer_id=person.id)}


def test_a_volunteer_added_by_mistake_and_undone_is_listed_for_review_and_erased(
    qtbot: QtBot, window: MainWindow, volunteers: VolunteersView, prompts: FakePrompts, data_file: Path
) -> None:
    prompts.script("Ottoline Undone-Addition")
    qtbot.mouseClick(button(volunteers, "Add volunteer…"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(volunteers.editor, "← All volunteers"), Qt.MouseButton.LeftButton)
    qtbot.keyClick(volunteers.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the adding
    assert not window.undo_stack.canUndo()
    tabs = volunteers.findChild(QTabWidget)
    assert tabs is not None
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Retention"))
    model = volunteers.inactive_table.model()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=30_000)  # read in the background
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert rows[0][0] == "Ottoline Undone-Addition" and rows[0][3] == "Removed from the list, still held"
    table = volunteers.inactive_table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(model.index(0, 0)).center())
    seen: dict[str, object] = {}
    in_the_dialog(seen)
    qtbot.mouseClick(button(volunteers, "Erase the selected…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Erased Ottoline" in window.statusBar().currentMessage(), timeout=30000)
    qtbot.waitUntil(
        lambda: all(
            volunteers.inactive_model.row_at(r).name != "Ottoline Undone-Addition"
            for r in range(volunteers.inactive_model.rowCount())
        ),
        timeout=15000,
    )  # read again
    assert b"Ottoline" not in raw_bytes(data_file)


def test_a_reader_holding_the_file_is_said_and_the_window_finishes_later(
    qtbot: QtBot, window: MainWindow, volunteers: VolunteersView, prompts: FakePrompts, data_file: Path
) -> None:
    person, _text = a_volunteer_with_hours(window)
    open_by_search(qtbot, volunteers, person.data.name)
    reader = sqlite3.connect(data_file)  # another program in the middle of reading the file
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM volunteer").fetchone()
    try:
        in_the_dialog({})
        qtbot.mouseClick(button(volunteers.editor, "Erase personal data…"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(prompts.said("warning")), timeout=30000)
        assert "old copies of them are still in the data file" in prompts.said("warning")[0]
        assert person.data.name.encode() in raw_bytes(data_file)
    finally:
        reader.rollback()
        reader.close()
    finished: Callable[[], bool] = lambda: "Finished erasing" in window.statusBar().currentMessage()  # noqa: E731
    window.files.backup_timer.timeout.emit()  # the window's regular check, as every few minutes
    qtbot.waitUntil(finished, timeout=30000)
    assert person.data.name.encode() not in raw_bytes(data_file)
    assert window.workspace is not None
    with window.workspace.store.session() as session:
        assert not erasure.erasure_unfinished(session)


def test_opening_a_file_whose_wipe_was_held_up_finishes_it(
    qtbot: QtBot, make_window: Callable[[], MainWindow], data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cohesion_desktop.db import wiping
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services.volunteering.volunteers import VolunteerInput

    with open_store(data_file) as store, store.session() as session:
        person = volunteer_service.create_volunteer(session, data=VolunteerInput(name="Perpetua Pending"))
        monkeypatch.setattr(wiping, "rewrite_file", lambda _engine: "held up for this test")
        assert not erasure.erase_volunteer(session, volunteer_id=person.id).finished
        monkeypatch.undo()
    window = make_window()
    assert window.open_data_file(data_file)
    qtbot.waitUntil(lambda: "Finished erasing" in window.statusBar().currentMessage(), timeout=30000)
    assert b"Perpetua" not in raw_bytes(data_file)
