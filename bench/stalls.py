"""The stall watchdog: how long the window stopped answering while a person did each thing on the large file.

A timer on the window's thread is due every 10 ms; the longest gap between two of its ticks, less those
10 ms, is the longest time the event loop was blocked (a person's click or key waited that long). Each
action is started from the event loop, as a click would be, and the loop keeps running until the action's
work is done (background answers included) and a short quiet spell has passed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget

TICK_MS = 10
SETTLE_S = 0.25  # after the action's work is done: a late repaint or answer still counts
LIMIT_S = 120.0


class StallProbe(QObject):
    """Measures the longest gap between ticks of a 10 ms timer, from :meth:`reset` on."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = time.perf_counter()
        self.longest_s = 0.0
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_s = max(self.longest_s, now - self._last)
        self._last = now

    def reset(self) -> None:
        self._last = time.perf_counter()
        self.longest_s = 0.0

    def blocked_ms(self) -> float:
        return max(0.0, (self.longest_s - TICK_MS / 1000) * 1000)


def stall_of(probe: StallProbe, action: Callable[[], Any], done: Callable[[], bool] = lambda: True) -> float:
    """Milliseconds the event loop was blocked at most while ``action`` ran and until ``done()`` and a quiet
    spell. The action runs from the event loop (a zero timer), as a click's handler does."""
    loop = QEventLoop()
    state = {"started": False, "done_at": None}

    def start() -> None:
        state["started"] = True
        action()

    def poll() -> None:
        now = time.perf_counter()
        if not state["started"]:
            return
        if state["done_at"] is None and done():
            state["done_at"] = now
        if (state["done_at"] is not None and now - state["done_at"] >= SETTLE_S) or now - began > LIMIT_S:
            loop.quit()

    QApplication.processEvents()
    probe.reset()
    began = time.perf_counter()
    watcher = QTimer()
    watcher.setInterval(20)
    watcher.timeout.connect(poll)
    watcher.start()
    QTimer.singleShot(0, start)
    loop.exec()
    watcher.stop()
    if time.perf_counter() - began > LIMIT_S:
        raise RuntimeError("an action of the stall watchdog did not finish in two minutes")
    return probe.blocked_ms()


def close_dialogs_soon() -> None:
    """Close whatever modal dialog opens next (the action measured is its opening, not a person's answer)."""

    def close() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            QTimer.singleShot(20, close)

    QTimer.singleShot(50, close)


def journey_actions(window: Any, raw: Any) -> list[tuple[str, Callable[[], Any], Callable[[], bool]]]:
    """(what a person does, how, when it is done) for every page and tab and each journey's main step."""
    from PySide6.QtTest import QTest

    from cohesion_desktop.ui.main_window import PAGES

    actions: list[tuple[str, Callable[[], Any], Callable[[], bool]]] = []
    idle = _idle_check()

    def navigate(key: str) -> Callable[[], None]:
        def go() -> None:
            window.pages[key]._stale = True  # as on first opening: the data is read again
            window.navigate(key)

        return go

    for key, label, _spec in PAGES:
        actions.append((f"open the {label} page", navigate(key), idle))
        page = window.pages[key]
        for tabs in page.findChildren(QTabWidget):
            for index in range(1, tabs.count()):
                actions.append(
                    (
                        f"{label}: the {tabs.tabText(index)} tab",
                        lambda tabs=tabs, index=index: tabs.setCurrentIndex(index),
                        idle,
                    )
                )
            actions.append(
                (f"{label}: back to the {tabs.tabText(0)} tab", lambda tabs=tabs: tabs.setCurrentIndex(0), idle)
            )

    partner_id = uuid.UUID(
        hex=raw.execute("SELECT id FROM partner WHERE deleted_at IS NULL ORDER BY name LIMIT 1").fetchone()[0]
    )
    volunteer_id = uuid.UUID(
        hex=raw.execute(
            "SELECT v.id FROM volunteer v JOIN placement p ON p.volunteer_id = v.id WHERE v.deleted_at IS NULL "
            "ORDER BY v.name LIMIT 1"
        ).fetchone()[0]
    )
    workshop_id = uuid.UUID(
        hex=raw.execute(
            "SELECT workshop_id FROM matrix_entry GROUP BY workshop_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    )
    partners_page = window.pages["partners"]
    volunteers_page = window.pages["volunteers"]
    workshops_page = window.pages["workshops"]

    def save_partner() -> None:
        field = partners_page.editor.website_field
        field.setText(f"https://bench-{time.monotonic_ns()}.example.org")
        field.editingFinished.emit()

    def type_search(field: Any, text: str) -> Callable[[], None]:
        def typing() -> None:
            field.setFocus()
            field.clear()
            QTest.keyClicks(field, text)

        return typing

    def log_hours() -> None:
        close_dialogs_soon()
        volunteers_page.log_hours((volunteer_id, "Bench volunteer"))

    def add_entry() -> None:
        workshops_page.editor.add_typed(0, 1, f"Said during the watchdog {time.monotonic_ns()}")

    def projector() -> None:
        workshops_page.toggle_projector()

    def export_dialog() -> None:
        close_dialogs_soon()
        window.export_summary()

    actions += [
        (
            "Partners: open a partner",
            lambda: (window.navigate("partners"), partners_page.open_partner(partner_id)),
            idle,
        ),
        ("Partners: save a partner's field", save_partner, idle),
        ("Partners: back to the directory", partners_page.show_directory, idle),
        ("Partners: type a search", type_search(partners_page.search_field, "north"), idle),
        (
            "Volunteers: type a search",
            lambda: (window.navigate("volunteers"), type_search(volunteers_page.search_field, "ahmed")()),
            idle,
        ),
        ("Volunteers: open a volunteer", lambda: volunteers_page.open_volunteer(volunteer_id), idle),
        ("Volunteers: log hours (dialog, then back)", log_hours, idle),
        ("Volunteers: back to the list", volunteers_page.show_list, idle),
        (
            "Workshops: open a workshop",
            lambda: (window.navigate("workshops"), workshops_page.open_workshop(workshop_id)),
            idle,
        ),
        ("Workshops: add a matrix entry", add_entry, idle),
        ("Workshops: projector on", projector, idle),
        ("Workshops: projector off", projector, idle),
        ("Workshops: back to the list", workshops_page.show_list, idle),
        ("Export summary dialog (Ctrl+E)", export_dialog, idle),
    ]
    return actions


def _idle_check() -> Callable[[], bool]:
    """True when no background task of the window is running or about to start (their answers arrive on the window
    thread)."""
    from cohesion_desktop.ui import worker

    return lambda: not worker.running_tasks()


def stall_samples(window: Any, raw: Any, runs: int) -> dict[str, list[float]]:
    """Each action's blocked milliseconds, the whole list gone through ``runs`` times (so that a toggle and
    its undoing stay paired)."""
    probe = StallProbe()
    samples: dict[str, list[float]] = {}
    actions = journey_actions(window, raw)
    for _ in range(runs):
        for name, action, done in actions:
            samples.setdefault(name, []).append(stall_of(probe, action, done))
    return samples
