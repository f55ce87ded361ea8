"""Background work: results reach the window thread, but never a widget deleted while the work ran."""

from __future__ import annotations

import threading
from typing import Any

from pytestqt.qtbot import QtBot

import shiboken6
from PySide6.QtWidgets import QLabel

from cohesion_desktop.ui.worker import start_task


def test_the_answer_is_shown_on_the_widget_that_asked(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    task = start_task(lambda _control: "42 hours", on_success=label.setText, on_failure=lambda exc: None,
                      owner=label)
    qtbot.waitUntil(lambda: label.text() == "42 hours")
    assert task.wait(1)


def test_an_answer_for_a_deleted_page_is_dropped(qtbot: QtBot) -> None:
    label = QLabel()
    release = threading.Event()
    delivered: list[Any] = []

    def work(_control: Any) -> str:
        release.wait(5)
        return "late"

    task = start_task(work, on_success=lambda text: (delivered.append(text), label.setText(text)),
                      on_failure=delivered.append, owner=label)
    shiboken6.delete(label)  # as a page is when another data file is opened
    release.set()
    assert task.wait(5)
    qtbot.wait(50)  # let the queued signal arrive
    assert delivered == []
