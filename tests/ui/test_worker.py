"""Background work: results reach the window thread, but never a widget deleted while the work ran."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from pytestqt.qtbot import QtBot

import shiboken6
from PySide6.QtWidgets import QLabel

from cohesion_desktop.ui.worker import start_task


def test_the_answer_is_shown_on_the_widget_that_asked(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    task = start_task(lambda _control: "42 hours", on_success=label.setText, on_failure=lambda exc: None, owner=label)
    qtbot.waitUntil(lambda: label.text() == "42 hours")
    assert task.wait(1)


def test_an_answer_for_a_deleted_page_is_dropped(qtbot: QtBot) -> None:
    label = QLabel()
    release = threading.Event()
    delivered: list[Any] = []

    def work(_control: Any) -> str:
        release.wait(5)
        return "late"

    task = start_task(
        work,
        on_success=lambda text: (delivered.append(text), label.setText(text)),
        on_failure=delivered.append,
        owner=label,
    )
    shiboken6.delete(label)  # as a page is when another data file is opened
    release.set()
    assert task.wait(5)
    qtbot.wait(50)  # let the queued signal arrive
    assert delivered == []


def test_cycles_are_collected_by_the_window_thread_not_by_a_background_task(qtbot: QtBot) -> None:
    assert not gc.isenabled(), "the window thread's collector is installed for the UI tests, as in the app"

    class Node:
        pass

    node = Node()
    node.itself = node  # type: ignore[attr-defined]
    alive = weakref.ref(node)
    del node
    collected_in: list[str] = []
    gc.callbacks.append(
        lambda phase, _info: collected_in.append(threading.current_thread().name) if phase == "stop" else None
    )
    try:
        kept: list[object] = []  # what the task made stays alive, so the count stays past Python's threshold
        start_task(
            lambda _control: [[object()] for _ in range(50_000)], on_success=kept.append, on_failure=kept.append
        ).wait(5)
        qtbot.waitUntil(lambda: alive() is None, timeout=30_000)
    finally:
        gc.callbacks.pop()
    assert collected_in and set(collected_in) == {threading.main_thread().name}
