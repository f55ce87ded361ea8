"""The window's promises about the data file: only real damage offers a backup in its place."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlmodel import select

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from cohesion_desktop.db import backups, models, sqlite_file
from cohesion_desktop.db.store import open_store
from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.dialogs.restore_dialog import RestoreDialog
from cohesion_desktop.ui.main_window import MainWindow
from tests.db.test_creation import empty_sqlite_file
from tests.db.test_healthy_files import LOCKS, add_partners, held_by_another_program
from tests.filesystems import read_only_folder
from tests.ui.conftest import FakePrompts
from tests.ui.test_main_window import menu_action


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def folder_gone(data_file: Path) -> Iterator[None]:
    os.rename(data_file.parent, data_file.parent.with_name("elsewhere"))
    try:
        yield
    finally:
        os.rename(data_file.parent.with_name("elsewhere"), data_file.parent)


def pipe_as_shm(data_file: Path) -> AbstractContextManager[None]:
    shm = data_file.with_name(data_file.name + "-shm")
    shm.unlink(missing_ok=True)
    os.mkfifo(shm)
    return nullcontext()


FAULTS: dict[str, tuple[Callable[[Path], AbstractContextManager[object]], str]] = {
    "the folder is gone": (folder_gone, "does not exist"),
    "another program holds SQLite's lock": (
        lambda path: held_by_another_program(path, *LOCKS["exclusive locking mode"]),
        "Another program",
    ),
    "a read-only folder": (lambda path: read_only_folder(path.parent), "is read-only"),
    "a disk error": (pipe_as_shm, "disk reported an error"),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_a_file_that_cannot_be_opened_for_another_reason_is_never_offered_a_backup(
    make_window: Callable[[], object], prompts: FakePrompts, tmp_path: Path, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_file = tmp_path / "usb-stick" / "cohesion.sqlite"
    data_file.parent.mkdir()
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 200)
    add_partners(data_file, 10)
    assert backups.make_automatic_backup(data_file) is not None  # a backup that could be offered
    before = digest(data_file)
    arrange, words = FAULTS[fault]
    prompts.script(0)  # were a restore offered, this would accept it
    with arrange(data_file):
        window = make_window()
        assert not window.open_data_file(data_file)  # type: ignore[attr-defined]
        assert window.workspace is None  # type: ignore[attr-defined]
    assert prompts.said("choose") == []
    assert any(words in text and "is damaged" not in text for text in prompts.said("error"))
    assert digest(data_file) == before
    assert not list(data_file.parent.glob("cohesion.damaged-*"))
    data_file.with_name(data_file.name + "-shm").unlink(missing_ok=True)
    with open_store(data_file):  # once the cause is gone, the file opens as it was
        pass


def click_button(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Click the visible button whose text starts with ``text``, as a person would."""
    button = next(b for b in widget.findChildren(QAbstractButton) if b.isVisible() and b.text().startswith(text))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_data_file_known_to_this_laptop_that_is_missing_is_said_and_restored_never_made_anew(
    qtbot: QtBot, make_window: Callable[[], MainWindow], prompts: FakePrompts, data_file: Path
) -> None:
    add_partners(data_file, 10)
    assert backups.make_automatic_backup(data_file) is not None
    AppSettings().add_recent_file(data_file)
    for leftover in data_file.parent.glob("cohesion.sqlite*"):  # moved away, or a restore the old way cut short
        leftover.unlink()

    window = make_window()
    assert not window.open_data_file(data_file)
    assert not data_file.exists()  # no new, empty file where the user's file should be
    assert window.stack.currentWidget() is window.no_file_view
    assert "Your data file" in window.no_file_view.message.text() and "is missing" in window.no_file_view.message.text()
    assert prompts.said("choose") == []  # nothing is offered in its place without asking

    def restore_the_newest() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RestoreDialog) and dialog.list.count() == 1
        dialog.restore_button.click()

    QTimer.singleShot(0, restore_the_newest)
    prompts.script(True)  # "Restore"
    click_button(qtbot, window.no_file_view, "Restore from a backup")
    assert window.workspace is not None and window.workspace.path == data_file
    with window.workspace.store.session() as session:
        assert len(session.exec(select(models.Partner.id)).all()) == 10


def test_a_new_laptop_makes_its_first_data_file_without_asking(
    make_window: Callable[[], MainWindow], prompts: FakePrompts, data_file: Path
) -> None:
    window = make_window()
    assert window.open_data_file(data_file)
    assert window.workspace is not None and window.workspace.store.created and prompts.calls == []


def test_an_empty_file_left_by_an_interrupted_creation_is_offered_a_fresh_start(
    make_window: Callable[[], MainWindow], prompts: FakePrompts, data_file: Path
) -> None:
    empty_sqlite_file(data_file)
    prompts.script(0)  # "Start it afresh"
    window = make_window()
    assert window.open_data_file(data_file)
    assert "creating it was interrupted" in prompts.said("choose")[0]
    assert window.workspace is not None and window.workspace.store.created


def test_file_restore_lists_the_copies_kept_beside_the_file(
    qtbot: QtBot, window: MainWindow, prompts: FakePrompts, data_file: Path
) -> None:
    assert window.workspace is not None
    window.files.wait_for_backup()  # the one made at open
    kept = backups.set_aside_name(data_file, backups.BEFORE_RESTORE)
    backups.backup_to(data_file, kept)
    listed = backups.list_backups(data_file, set_aside=True)
    seen: list[str] = []

    def look_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RestoreDialog)
        seen.extend(dialog.list.item(row).text() for row in range(dialog.list.count()))
        dialog.reject()

    QTimer.singleShot(0, look_and_cancel)
    menu_action(window, "File", "Restore from backup…").trigger()
    assert len(seen) == len(listed) >= 2 and any("automatic" in text for text in seen)
    assert any("the file a restore replaced" in text for text in seen)


def test_a_storage_failure_in_the_background_reaches_the_window_in_plain_words(qtbot: QtBot, data_file: Path) -> None:
    from cohesion_desktop.errors import StorageError
    from cohesion_desktop.ui.worker import start_task

    add_partners(data_file, 1)
    failures: list[BaseException] = []
    with open_store(data_file, read_only=True) as reader:

        def work(_control: object) -> None:
            with reader.engine.connect() as connection:  # SQLite refuses: the file is open read-only
                connection.exec_driver_sql("DELETE FROM partner")

        task = start_task(work, on_success=lambda _result: None, on_failure=failures.append)
        qtbot.waitUntil(lambda: bool(failures))
        task.wait()
    assert isinstance(failures[0], StorageError)
    assert str(failures[0]) == "The data file is read-only. Nothing was changed."
