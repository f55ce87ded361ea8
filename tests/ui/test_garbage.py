"""The window-thread garbage collector: full collections only when the oldest generation has grown and no background
task runs; what survives them, or a background task, is frozen until the frozen objects have grown by half."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from cohesion_desktop.ui import worker
from cohesion_desktop.ui.garbage import OLDEST_CHECK_S, THOROUGH_GROWTH, MainThreadGarbageCollector


@pytest.fixture
def collections(qapp: QApplication) -> Iterator[list[int]]:
    started: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(record)
    yield started
    gc.callbacks.remove(record)


def test_a_full_collection_waits_until_the_oldest_generation_has_grown(qtbot: QtBot, collections: list[int]) -> None:
    # An earlier test's task, ending between the two looks below, would let a full collection through.
    qtbot.waitUntil(lambda: not worker.running_tasks())
    collector = MainThreadGarbageCollector(freeze=False)
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


def _oldest_past_its_threshold(collector: MainThreadGarbageCollector) -> None:
    gc.collect(1)
    for _ in range(collector.thresholds[2] + 1):
        gc.collect(1)


def test_a_full_collection_waits_while_a_background_task_runs_whose_objects_are_then_frozen_unwalked(
    qtbot: QtBot, collections: list[int]
) -> None:
    collector = MainThreadGarbageCollector()
    collector.timer.stop()  # each look is the test's own
    release = threading.Event()
    try:
        made: list[list[list[int]]] = []

        def read(_control: object) -> list[list[int]]:
            release.wait(5)
            return [[number] for number in range(50_000)]  # a page's rows

        kept = [[number] for number in range(len(gc.get_objects(2)))]  # the oldest generation doubles
        _oldest_past_its_threshold(collector)
        task = worker.start_task(read, on_success=made.append, on_failure=made.append)
        collector.collect_if_due()
        collections.clear()
        collector.oldest_checked_at -= OLDEST_CHECK_S
        collector.collect_if_due()
        assert 2 not in collections  # its objects, alive for now, would be walked for nothing
        release.set()
        assert task.wait(5)
        qtbot.waitUntil(lambda: not worker.running_tasks())  # its answer is delivered
        frozen_before = gc.get_freeze_count()
        collections.clear()
        collector.collect_if_due()
        assert collections == [1]  # the young generations only: the rows are kept, not walked
        assert gc.get_freeze_count() >= frozen_before + 50_000
        assert id(made[0][0]) not in {id(thing) for thing in gc.get_objects()}  # frozen: in no generation
        assert kept
    finally:
        release.set()
        collector.stop()


def test_what_survives_a_full_collection_is_frozen_and_looked_at_again_when_the_frozen_grew_by_half(
    qapp: QApplication, collections: list[int]
) -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    collector = MainThreadGarbageCollector()
    collector.timer.stop()  # each look is the test's own
    try:
        kept = [[number] for number in range(len(gc.get_objects()))]  # the oldest generation doubles
        cycle = Node()
        gone = weakref.ref(cycle)
        _oldest_past_its_threshold(collector)
        collections.clear()
        collector.collect_if_due()
        assert collections == [2]
        assert gc.get_freeze_count() > len(kept)  # kept and frozen: the next full collections will not walk them
        assert len(gc.get_objects(2)) < len(kept) // 10
        del cycle  # garbage now, but frozen: not freed until a thorough collection
        _oldest_past_its_threshold(collector)
        collector.oldest_checked_at -= OLDEST_CHECK_S
        collector.collect_if_due()
        assert gone() is not None  # the oldest generation had not grown: nothing walked
        collector.frozen_when_thorough = int(gc.get_freeze_count() / THOROUGH_GROWTH) - 1  # the frozen grew by half
        kept += [[number] for number in range(gc.get_freeze_count())]
        _oldest_past_its_threshold(collector)
        collections.clear()
        collector.oldest_checked_at -= OLDEST_CHECK_S
        collector.collect_if_due()
        assert collections == [2]
        assert gone() is None  # everything was walked, the frozen objects too
        assert collector.frozen_when_thorough == gc.get_freeze_count()
    finally:
        collector.stop()


def test_frozen_garbage_is_freed_once_the_frozen_grew_by_half_after_many_of_them_were_freed(
    qapp: QApplication, collections: list[int]
) -> None:
    # A large file's pages walked and frozen, then another file opened: most of what was frozen is freed by
    # reference counting, but a cycle among the old pages waits for a thorough collection. It must come once the
    # frozen objects grow by half from what is left, not only once they pass the large file's count by half.
    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    collector = MainThreadGarbageCollector()
    collector.timer.stop()  # each look is the test's own
    try:
        large_file = [[number] for number in range(len(gc.get_objects()))]
        cycle = Node()
        gone = weakref.ref(cycle)
        collector._thorough_collection()  # the large file's objects walked, and frozen
        del large_file, cycle  # the other file opened: most frozen objects freed, the cycle garbage
        left = gc.get_freeze_count()
        kept = [[number] for number in range(left)]  # the other file's pages, in time
        _oldest_past_its_threshold(collector)
        collector.oldest_checked_at -= OLDEST_CHECK_S
        collector.collect_if_due()  # a full collection, its survivors frozen: the frozen grew by more than half
        assert gc.get_freeze_count() > THOROUGH_GROWTH * left
        kept += [[number] for number in range(left)]
        _oldest_past_its_threshold(collector)
        collector.oldest_checked_at -= OLDEST_CHECK_S
        collections.clear()
        collector.collect_if_due()
        assert collections == [2]
        assert gone() is None  # everything was walked, the frozen objects too
        assert kept
    finally:
        collector.stop()
