"""The window shell, driven as a user would: clicks, menus, shortcuts."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlmodel import select

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog

from cohesion_desktop import __version__
from cohesion_desktop.db import backups, migrations, models
from cohesion_desktop.db.store import open_store
from cohesion_desktop.errors import DataFileInUseError
from cohesion_desktop.logging_setup import log_file
from cohesion_desktop.ui.dialogs.restore_dialog import RestoreDialog
from cohesion_desktop.ui.main_window import PAGES, MainWindow, Pages
from cohesion_desktop.ui.views.dashboard_view import DashboardView
from tests.journeys.driver import Journey
from tests.ui.conftest import FakePrompts


def menu_action(window: MainWindow, menu_title: str, action_text: str) -> QAction:
    for menu_action_ in window.menuBar().actions():
        if menu_action_.text().replace("&", "") == menu_title:
            for action in menu_action_.menu().actions():
                if action.text().replace("&", "") == action_text:
                    return action
    raise AssertionError(f"no {menu_title} → {action_text}")


def click_sidebar(qtbot: QtBot, window: MainWindow, label: str) -> None:
    item = window.sidebar.findItems(label, Qt.MatchFlag.MatchExactly)[0]
    rect = window.sidebar.visualItemRect(item)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_new_file_opens_on_the_empty_state(window: MainWindow) -> None:
    dashboard = window.pages["dashboard"]
    assert isinstance(dashboard, DashboardView)
    assert window.stack.currentWidget() is dashboard and dashboard.showing_empty_state
    buttons = [
        dashboard.empty_state.load_example_button,
        dashboard.empty_state.import_button,
        dashboard.empty_state.add_partner_button,
    ]
    assert [b.text() for b in buttons] == ["Load example data", "Import partners from a spreadsheet", "Add a partner"]
    assert all(b.isVisible() for b in buttons)
    assert "cohesion.sqlite" in window.windowTitle()


def test_the_sidebar_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "Dashboard",
        "Partners",
        "Opportunities",
        "Volunteers",
        "Workshops",
        "Actions",
    ]
    for key, label, _factory in PAGES[1:] + PAGES[:1]:
        click_sidebar(qtbot, window, label)
        assert window.stack.currentWidget() is window.pages[key]


def test_page_shortcuts_switch_pages(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.pages["workshops"]


def test_load_example_data_fills_the_file(qtbot: QtBot, window: MainWindow, data_file: Path) -> None:
    dashboard = window.pages["dashboard"]
    assert isinstance(dashboard, DashboardView)
    qtbot.mouseClick(dashboard.empty_state.load_example_button, Qt.MouseButton.LeftButton)
    assert not dashboard.showing_empty_state
    assert window.workspace is not None
    with window.workspace.store.session() as session:
        assert len(session.exec(select(models.Partner.id)).all()) == 40
        assert len(session.exec(select(models.Workshop.id)).all()) == 3


def test_file_open_switches_the_data_file_and_frees_the_first(
    window: MainWindow, prompts: FakePrompts, data_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite"
    with open_store(other) as store, store.session() as session:
        session.add(models.Partner(name="Only in the other file", sector="faith"))
        session.commit()
    prompts.script(other)
    menu_action(window, "File", "Open data file…").trigger()
    assert window.workspace is not None and window.workspace.path == other
    assert "other.sqlite" in window.windowTitle()
    open_store(data_file).close()  # the first file's lock was released
    assert other.resolve() in window.settings.recent_files()


def test_opening_a_file_open_elsewhere_keeps_the_current_one(
    window: MainWindow, prompts: FakePrompts, tmp_path: Path
) -> None:
    other = tmp_path / "busy.sqlite"
    holder = open_store(other)
    try:
        current = window.workspace
        assert not window.open_data_file(other)
        assert window.workspace is current
        assert "open in another window" in prompts.said("error")[0]
    finally:
        holder.close()


def test_a_damaged_file_at_start_offers_the_newest_backup(
    make_window: object, prompts: FakePrompts, data_file: Path
) -> None:
    with open_store(data_file) as store, store.session() as session:
        session.add(models.Partner(name="Harrowfield CVS", sector="vcs"))
        session.commit()
    backups.make_automatic_backup(data_file)
    data_file.write_bytes(b"")
    prompts.script(0)  # "Restore the backup"
    window = make_window()  # type: ignore[operator]
    assert window.open_data_file(data_file)
    assert "empty (0 bytes)" in prompts.said("choose")[0]
    assert window.workspace is not None
    with window.workspace.store.session() as session:
        assert session.exec(select(models.Partner.name)).all() == ["Harrowfield CVS"]
    assert list(data_file.parent.glob("cohesion.damaged-*.sqlite"))


def test_declining_the_restore_leaves_the_damaged_file_alone(
    make_window: object, prompts: FakePrompts, data_file: Path
) -> None:
    open_store(data_file).close()
    backups.make_automatic_backup(data_file)
    data_file.write_text("not a database", encoding="utf-8")
    prompts.script(None)  # "Not now"
    window = make_window()  # type: ignore[operator]
    assert not window.open_data_file(data_file)
    assert window.workspace is None and window.stack.currentWidget() is window.no_file_view
    assert "not a SQLite database" in window.no_file_view.message.text()
    assert data_file.read_text(encoding="utf-8") == "not a database"


def test_about_names_the_version_file_and_schema(window: MainWindow, prompts: FakePrompts, data_file: Path) -> None:
    menu_action(window, "Help", "About Cohesion Desktop").trigger()
    text = prompts.said("info")[-1]
    assert (
        __version__ in text and str(data_file) in text and f"Data format version: {migrations.SCHEMA_VERSION}" in text
    )


def test_back_up_now_writes_a_copy(qtbot: QtBot, window: MainWindow, prompts: FakePrompts, tmp_path: Path) -> None:
    target = tmp_path / "my-backup.sqlite"
    prompts.script(target)
    menu_action(window, "File", "Back up now…").trigger()
    qtbot.waitUntil(lambda: any(kind == "info" for kind, _t, _x in prompts.calls), timeout=30_000)
    assert target.exists() and str(target) in prompts.said("info")[-1]


def test_new_data_file_refuses_an_existing_file(window: MainWindow, prompts: FakePrompts, tmp_path: Path) -> None:
    existing = tmp_path / "existing.sqlite"
    existing.write_bytes(b"keep me")
    prompts.script(existing)
    menu_action(window, "File", "New data file…").trigger()
    assert "already exists" in prompts.said("error")[0]
    assert existing.read_bytes() == b"keep me"


def test_restore_from_backup_replaces_the_open_file_and_keeps_it(
    qtbot: QtBot, window: MainWindow, prompts: FakePrompts, data_file: Path
) -> None:
    assert window.workspace is not None
    backups.make_automatic_backup(data_file, force=True)
    window.load_example_data()  # data added after the backup

    def choose_newest() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RestoreDialog)
        dialog.list.setCurrentRow(0)
        dialog.restore_button.click()

    QTimer.singleShot(0, choose_newest)
    prompts.script(True)  # confirm
    menu_action(window, "File", "Restore from backup…").trigger()
    assert window.workspace is not None
    with window.workspace.store.session() as session:
        assert session.exec(select(models.Partner.id)).all() == []
    assert list(data_file.parent.glob("cohesion.before-restore-*.sqlite"))


def test_closing_the_window_releases_the_file(window: MainWindow, data_file: Path) -> None:
    with pytest.raises(DataFileInUseError):
        open_store(data_file)
    window.close()
    open_store(data_file).close()


def test_the_restore_dialog_lists_backups_newest_first(qtbot: QtBot, data_file: Path, prompts: FakePrompts) -> None:
    open_store(data_file).close()
    first = backups.make_automatic_backup(data_file, force=True)
    second = backups.make_automatic_backup(data_file, force=True)
    dialog = RestoreDialog(data_file, backups.list_backups(data_file), prompts)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2
    dialog.restore_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.chosen == second != first


def test_a_first_page_that_cannot_be_built_fails_the_open_cleanly(
    make_window: object, prompts: FakePrompts, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cohesion_desktop.ui import main_window

    monkeypatch.setattr(main_window, "PAGES", [("dashboard", "Dashboard", "no.such.module:Page")])
    window = make_window()  # type: ignore[operator]
    failed: list[object] = []
    window.data_file_failed.connect(failed.append)
    assert not window.open_data_file(data_file)
    assert failed == [data_file] and window.workspace is None
    assert "could not be opened: No module named 'no'" in prompts.said("error")[0]
    open_store(data_file).close()  # the file was closed and unlocked again


def test_a_later_page_that_cannot_be_built_says_so_and_the_window_stays_where_it_was(
    qtbot: QtBot, make_window: object, prompts: FakePrompts, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cohesion_desktop.ui import main_window

    monkeypatch.setattr(main_window, "PAGES", [*main_window.PAGES[:1], ("broken", "Broken", "no.such.module:Page")])
    window = make_window()  # type: ignore[operator]
    assert window.open_data_file(data_file)  # pages are made when first wanted
    dashboard = window.current_page()
    Journey(qtbot, window, data_file).press("Ctrl+2")  # View → Broken
    assert prompts.said("error") == [
        f"The Broken page could not be shown: No module named 'no'. The details are in the log file, {log_file()}."
    ]
    assert window.current_page() is dashboard and window.workspace is not None


def test_pages_not_visited_are_made_while_the_window_is_idle(qtbot: QtBot, window: MainWindow, data_file: Path) -> None:
    pages = window.pages
    assert isinstance(pages, Pages) and [page.objectName() for page in pages.made()] == ["page_dashboard"]
    qtbot.waitUntil(lambda: len(pages.made()) == len(PAGES), timeout=30_000)
    made = pages.made()
    Journey(qtbot, window, data_file).sidebar("Volunteers")
    shown = window.current_page()
    assert shown is not None and shown.objectName() == "page_volunteers" and pages.made() == made


def test_a_file_opens_in_the_background_while_the_window_says_so(
    qtbot: QtBot, make_window: object, data_file: Path
) -> None:
    window = make_window()  # type: ignore[operator]
    with qtbot.waitSignal(window.data_file_opened, timeout=30_000):
        window.open_data_file(data_file, background=True)
        assert window.stack.currentWidget() is window.no_file_view
        assert "Opening cohesion.sqlite" in window.no_file_view.heading.text()
    assert window.workspace is not None and window.current_page() is window.pages["dashboard"]
