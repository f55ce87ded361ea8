"""The window-thread garbage collector: full collections only when the oldest generation has grown and no background
task runs."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from cohesion_desktop.ui import worker
from cohesion_desktop.ui.garbage import OLDEST_CHECK_S, MainThreadGarbageCollector


@pytest.fixture
def collections(qapp: QApplication) -> Iterator[list[int]]:
    started: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(record)
    yield started
    gc.callbacks.remove(record)


def test_a_full_collection_waits_until_the_oldest_generation_has_grown(
    qapp: QApplication, collections: list[int]
) -> None:
    collector = MainThreadGarbageCollector()
    try:
        kept = [[number] for number in range(20_000)]  # long-lived objects, as a large file's rows are
        gc.collect(1)
        gc.collect(1)  # into the oldest generation
        collector.long_lived = len(gc.get_objects(2))  # as after a full collection
        for _ in range(collector.thresholds[2] + 1):
            gc.collect(1)  # what makes the oldest generation's count pass its threshold
        collections.clear()
        collector.collect_if_due()
        assert 2 not in collections  # every object is still there: walking them all would only cost time
        kept += [[number] for number in range(collector.long_lived)]  # the oldest generation doubles
        gc.collect(1)
        for _ in range(collector.thresholds[2] + 1):
            gc.collect(1)
        collections.clear()
        collector.collect_if_due()
        assert 2 not in collections  # the oldest generation was counted less than a second ago
        collector.oldest_checked_at -= OLDEST_CHECK_S  # a second later
        collector.collect_if_due()
        assert collections == [2]
        assert kept
    finally:
        collector.stop()


def test_a_full_collection_waits_while_a_background_task_runs(qtbot: QtBot, collections: list[int]) -> None:
    collector = MainThreadGarbageCollector()
    release = threading.Event()
    try:
        kept = [[number] for number in range(len(gc.get_objects(2)))]  # the oldest generation doubles
        gc.collect(1)
        for _ in range(collector.thresholds[2] + 1):
            gc.collect(1)
        task = worker.start_task(lambda _control: release.wait(5), on_success=kept.append, on_failure=kept.append)
        collections.clear()
        collector.collect_if_due()
        assert 2 not in collections  # its objects, alive for now, would be walked for nothing
        release.set()
        assert task.wait(5)
        qtbot.waitUntil(lambda: not worker.running_tasks())  # its answer is delivered
        collector.long_lived = len(gc.get_objects(2)) // 2  # (the tests' own collector may have run meanwhile)
        for _ in range(collector.thresholds[2] + 1):
            gc.collect(1)
        collections.clear()
        collector.collect_if_due()
        assert collections == [2]
    finally:
        release.set()
        collector.stop()
