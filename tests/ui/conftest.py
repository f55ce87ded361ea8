"""Fixtures for driving real widgets offscreen with pytest-qt."""

from __future__ import annotations

import shutil
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.dialogs.conflict_dialog import Difference, Resolution
from cohesion_desktop.ui.garbage import MainThreadGarbageCollector
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.prompts import Prompts


class FakePrompts(Prompts):
    """Answers from a script instead of a person, and remembers what it was asked."""

    def __init__(self) -> None:
        super().__init__(None)
        self.calls: list[tuple[str, str, str]] = []
        self.answers: deque[Any] = deque()

    def script(self, *answers: Any) -> None:
        self.answers.extend(answers)

    def _next(self, kind: str, title: str, text: str, default: Any) -> Any:
        self.calls.append((kind, title, text))
        return self.answers.popleft() if self.answers else default

    def said(self, kind: str | None = None) -> list[str]:
        return [text for call_kind, _title, text in self.calls if kind in (None, call_kind)]

    def info(self, title: str, text: str) -> None:
        self._next("info", title, text, None)

    def warning(self, title: str, text: str) -> None:
        self._next("warning", title, text, None)

    def error(self, title: str, text: str) -> None:
        self._next("error", title, text, None)

    def confirm(self, title: str, text: str, **_labels: str | None) -> bool:
        return bool(self._next("confirm", title, text, False))

    def choose(self, title: str, text: str, options: Sequence[str], **_labels: str | None) -> int | None:
        return self._next("choose", title, text, None)

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        return self._next("ask_text", title, label, None)

    def resolve_conflict(
        self, said: str, differences: Sequence[Difference], *, removed: bool, as_new: bool = True
    ) -> Resolution:
        shown = "\n".join(f"{d.field}: {d.yours} | {d.theirs}" for d in differences)
        return Resolution(self._next("resolve_conflict", said, shown, Resolution.CANCEL))

    def open_path(self, title: str, directory: Path | None = None, file_filter: str = "") -> Path | None:
        return self._next("open_path", title, file_filter, None)

    def save_path(self, title: str, suggested: Path | None = None, file_filter: str = "") -> Path | None:
        return self._next("save_path", title, str(suggested or ""), None)


@pytest.fixture(scope="module", autouse=True)
def garbage_collected_on_the_window_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app: a background task must never be the thread that frees a Qt object. Nothing frozen: these
    tests count what is left after ``gc.collect()``, which neither counts nor frees frozen objects. One per test file,
    so that no collector outlives the files it was made for."""
    collector = MainThreadGarbageCollector(qapp, freeze=False)
    yield
    collector.stop()


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


@pytest.fixture
def make_window(qtbot: QtBot, prompts: FakePrompts) -> Iterator[Any]:
    """Builds a shown main window (closed at the end of the test) without opening any file."""
    made: list[MainWindow] = []

    def build() -> MainWindow:
        window = MainWindow(prompts=prompts, settings=AppSettings())
        qtbot.addWidget(window)
        window.resize(1200, 760)
        window.show()
        window.install_conventions()  # as start_window does once the window is painted
        made.append(window)
        return window

    yield build
    for window in made:
        window.close()


@pytest.fixture
def window(make_window: Any, data_file: Path) -> MainWindow:
    """A main window with a new, empty data file open."""
    built = make_window()
    assert built.open_data_file(data_file)
    return built


def example_data_file(tmp_path: Path, example_file: Path) -> Path:
    """For a module whose tests all want the example town: ``data_file = pytest.fixture(example_data_file)`` there
    makes ``window`` open a copy of it (made once per test run: loading it through the window takes a second)."""
    path = tmp_path / "cohesion.sqlite"
    shutil.copyfile(example_file, path)
    return path
