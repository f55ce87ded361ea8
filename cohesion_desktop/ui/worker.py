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
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
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
    """How many background tasks have not yet delivered their answer (reads ahead waiting to start included)."""
    return len(_running) + len(_not_started)


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


# Reads ahead whose start has not come yet: a timer calling a freed read crashed the app (a segmentation fault when
# a read was dropped before it started), so each is kept here until its timer has fired.
_not_started: set[ReadAhead] = set()
# A read ahead starts this long after the first screen was read. A thread building rows holds Python's lock most of
# the time, and each of the thousand calls into Python by which the window paints a table then waits for it: with the
# read started at once, the painting of the large file's first screen that followed took 300-500 ms instead of 30.
START_AFTER_MS = 50


class ReadAhead:
    """A read started in the background whose answer the window can also wait for, when it needs it at once.

    A page shows its first screen from a small read and fills in the rest from this one; a person who searches,
    sorts or presses End before the answer has arrived waits for it (:meth:`wait`) and gets the same rows as if it
    had been read at once. ``arrived(result)`` runs once on the window thread, whichever comes first: the answer
    through the event loop, or :meth:`wait`. :meth:`drop` forgets the read (a newer one replaces it, or the data
    changed); an answer for an ``owner`` deleted meanwhile (another file opened) is dropped too.

    The query runs on a session of its own (``workspace.read``), never the window's. It starts a moment later
    (:data:`START_AFTER_MS`), once the window has painted the first screen.
    """

    def __init__(
        self, owner: QObject, workspace: Workspace, query: Callable[[Session], Any], arrived: Callable[[Any], None]
    ) -> None:
        self._arrived: Callable[[Any], None] | None = arrived
        self._answer: list[Any] = []  # [result] once read; [exception, None] when the read failed
        self._task: BackgroundTask | None = None
        self._query, self._workspace, self._owner = query, workspace, owner
        _not_started.add(self)
        QTimer.singleShot(START_AFTER_MS, self._start)

    def _start(self) -> None:
        _not_started.discard(self)
        if self._arrived is None or self._task is not None or not shiboken6.isValid(self._owner):
            return  # dropped, waited for (and read) already, or its page is gone

        def work(_control: TaskControl) -> None:
            try:
                self._answer.append(self._workspace.read(self._query))
            except BaseException as exc:
                self._answer += [exc, None]
                raise

        self._task = start_task(
            work, on_success=lambda _none: self._deliver(), on_failure=self._failed, owner=self._owner
        )

    @property
    def pending(self) -> bool:
        """True until the answer has been handed to ``arrived`` (or the read dropped)."""
        return self._arrived is not None

    def drop(self) -> None:
        """Forget the read: its answer, whenever it comes, is handed to nobody."""
        self._arrived = None

    def wait(self) -> None:
        """Block until the answer is in, then hand it over now (reading it here if the background read failed or
        has not started)."""
        if self._arrived is None:
            return
        if self._task is None:
            self._task = BackgroundTask(lambda _control: None)  # marks it read: the timer then starts nothing
        else:
            self._task.wait()
        if len(self._answer) != 1:  # read here, so that an error reaches the caller as any read's would
            self._answer[:] = [self._workspace.read(self._query)]
        self._deliver()

    def _deliver(self) -> None:
        arrived, self._arrived = self._arrived, None
        if arrived is not None and len(self._answer) == 1:
            arrived(self._answer[0])

    def _failed(self, problem: BaseException) -> None:
        if self._arrived is not None:
            log.warning("a read ahead failed (%s): read again when needed", problem)


class RowsReadAhead:
    """For a table model whose rows are read in the background (:class:`ReadAhead`): whether they all arrived,
    waiting for them, and dropping a read no longer wanted. The model keeps the read under way in ``_ahead``."""

    _ahead: ReadAhead | None = None

    @property
    def complete(self) -> bool:
        """Whether every row has been read (False while the rest is read in the background)."""
        return self._ahead is None

    def wait_for_rows(self) -> None:
        """Block until every row has been read (at once if they have)."""
        if self._ahead is not None:
            self._ahead.wait()

    def _drop_read_ahead(self) -> None:
        if self._ahead is not None:
            self._ahead.drop()
            self._ahead = None
