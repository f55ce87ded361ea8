"""The window as `cohesion-desktop` starts it, with real message boxes and file dialogs, for a person's hands."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from cohesion_desktop.ui.app import start_window
from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.garbage import MainThreadGarbageCollector
from cohesion_desktop.ui.prompts import Prompts
from tests.journeys.driver import Journey


@pytest.fixture(scope="module", autouse=True)
def garbage_collected_on_the_window_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app: a background task must never be the thread that frees a Qt object. One per test file, stopped
    (and what it froze unfrozen) at the file's end: a worker runs other directories' files after these, whose tests
    count and collect objects themselves."""
    collector = MainThreadGarbageCollector(qapp)
    yield
    collector.stop()


@pytest.fixture
def start(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[..., Journey]]:
    """``start()`` opens the window on a new, empty data file; ``start(example=file)`` on a copy of ``file``."""
    journeys: list[Journey] = []
    hook = sys.excepthook

    def begin(example: Path | None = None) -> Journey:
        data_file = tmp_path / "cohesion.sqlite"
        if example is not None:
            shutil.copyfile(example, data_file)
        window = start_window(data_file, prompts=Prompts(), settings=AppSettings())
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.workspace is not None or window.open_failed, timeout=30_000)
        assert window.workspace is not None, "the data file did not open"
        window.activateWindow()
        journey = Journey(qtbot, window, data_file)
        journeys.append(journey)
        return journey

    yield begin
    sys.excepthook = hook
    for journey in journeys:
        journey.window.close()
    for journey in journeys:
        journey.finish()


@pytest.fixture
def journey(start: Callable[..., Journey]) -> Journey:
    """The window on a new, empty data file."""
    return start()


@pytest.fixture
def town(start: Callable[..., Journey], example_file: Path) -> Journey:
    """The window on a copy of the example town."""
    return start(example=example_file)
