"""Long work (import, export, backup of a large file) off the window's thread, with progress and cancel.

The work itself is a plain function from ``importing/``, ``export/`` or ``services/``: it gets a
:class:`TaskControl` to report progress and to learn it was cancelled. It never touches a widget;
its result comes back to the window's thread through signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from cohesion_desktop.workspace import Workspace

log = logging.getLogger(__name__)


class Cancelled(CohesionError):
    """The user cancelled the work; whatever it was writing was removed."""


class TaskControl:
    """Handed to the work function: report progress, and check whether to stop."""

    def __init__(self, report: Callable[[str, float], None]) -> None:
        self._report = report
        self._cancel = threading.Event()

    def progress(self, stage: str, fraction: float) -> None:
        """``fraction`` from 0 to 1 (or below 0 when unknown); raises :class:`Cancelled` once cancelled."""
        self.raise_if_cancelled()
        self._report(stage, fraction)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled("Cancelled.")


class _TaskSignals(QObject):
    progressed = Signal(str, float)
    succeeded = Signal(object)
    failed = Signal(object)


class BackgroundTask(QRunnable):
    """One piece of work on the global thread pool.

    Signals (on ``self.signals``): ``progressed(stage, fraction)``, ``succeeded(result)``, ``failed(exception)``.
    """

    def __init__(self, work: Callable[[TaskControl], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the window keeps it until its signals have been delivered
        self.signals = _TaskSignals()
        self.control = TaskControl(lambda stage, fraction: self.signals.progressed.emit(stage, fraction))
        self._work = work
        self._finished = threading.Event()

    def run(self) -> None:
        try:
            result = self._work(self.control)
        except BaseException as exc:  # reported to the window thread, which decides what the user sees
            if not isinstance(exc, CohesionError):
                log.exception("background task failed")
                from cohesion_desktop.db.store import plain_storage_error

                # A full disk or temporary folder: plain words, not SQLite's (with the SQL) or a traceback's.
                exc = plain_storage_error(exc) or exc
            self._finished.set()
            self.signals.failed.emit(exc)
        else:
            self._finished.set()
            self.signals.succeeded.emit(result)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has finished (True) or ``timeout`` seconds passed (False)."""
        return self._finished.wait(timeout)


_running: set[BackgroundTask] = set()


def running_tasks() -> int:
    """How many background tasks have not yet delivered their answer."""
    return len(_running)


def start_task(
    work: Callable[[TaskControl], Any],
    *,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    parent: QWidget | None = None,
    title: str = "",
    cancellable: bool = False,
    owner: QObject | None = None,
) -> BackgroundTask:
    """Run ``work`` in the background; with ``parent`` and ``title``, show a progress dialog meanwhile.

    The callbacks are skipped if ``owner`` (by default ``parent``) was deleted meanwhile, as a page is when
    another data file is opened: the answer is for a window that no longer exists."""
    owner = owner if owner is not None else parent
    task = BackgroundTask(work)
    dialog: QProgressDialog | None = None
    if parent is not None and title:
        dialog = QProgressDialog(title, _("Cancel") if cancellable else "", 0, 1000, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)  # quick work shows no dialog at all
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(task.control.cancel)

        def show_progress(stage: str, fraction: float) -> None:
            dialog.setLabelText(stage)
            if fraction < 0:
                dialog.setRange(0, 0)
            else:
                dialog.setRange(0, 1000)
                dialog.setValue(int(min(1.0, fraction) * 1000))

        task.signals.progressed.connect(show_progress)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _running.discard(task)
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.close()
            dialog.deleteLater()
        if owner is not None and not shiboken6.isValid(owner):
            return
        callback(value)

    task.signals.succeeded.connect(lambda result: finish(on_success, result))
    task.signals.failed.connect(lambda exc: finish(on_failure, exc))
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return task


def read_in_background(
    owner: QObject,
    key: str,
    workspace: Workspace,
    query: Callable[[Session], Any],
    show: Callable[[Any], None],
    failed: Callable[[BaseException], None],
) -> None:
    """``query(session)`` off the window thread (on a large file a count takes seconds), then ``show(result)``
    on it. An answer overtaken by a newer read of the same ``key`` for the same ``owner`` is dropped, and so
    is one for an owner deleted meanwhile (another file opened)."""
    generations: dict[str, int] = owner.__dict__.setdefault("_read_generations", {})
    generations[key] = generation = generations.get(key, 0) + 1

    def work(_control: TaskControl) -> Any:
        return workspace.read(query)

    def answered(callback: Callable[[Any], None], value: Any) -> None:
        if generations.get(key) == generation:
            callback(value)

    start_task(
        work,
        on_success=lambda result: answered(show, result),
        on_failure=lambda problem: answered(failed, problem),
        owner=owner,
    )
