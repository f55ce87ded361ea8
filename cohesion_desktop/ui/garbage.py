"""Python's cycle collector, run only on the window's thread.

The collector normally runs in whichever thread happens to allocate when a threshold is crossed. If that is a
background task, and the garbage holds a Qt object made on the window's thread (a closed dialog, a chart axis), the
object is destroyed from the wrong thread and the app crashes (seen here as a rare segmentation fault during an
export). So automatic collection is switched off while the app runs, and this timer collects on the window's thread.

Its collections must stay short, as Python's own are: a collection holds the interpreter's lock, so the window and
every background task wait for it.
- The young generations are looked at every 20 ms, the middle one every third time the youngest is collected
  (Python: every tenth). A background read of 100,000 rows makes hundreds of thousands of objects a second; looked
  at every 250 ms, the middle generation held what survived 2.5 s of it, and collecting it stopped the window for
  200–500 ms (the large file's Dashboard, measured by the bench's stall watchdog); every tenth time, still 120 ms.
- A full collection walks everything alive: 400 ms of the window thread's time with the large file's Dashboard
  shown (its 103,000 reminders), more on a busy machine. So what survives a full collection is frozen
  (``gc.freeze``): later full collections walk only what has grown old since. Objects frozen are still freed when
  nothing refers to them (reference counting); only a cycle among them waits, until the frozen objects have grown
  by half and a thorough collection, walking everything once, looks at them all again.
- When a background task has ended, what it made and kept (a page's rows) is frozen without being walked: the
  read's objects are the results now shown, walked by a full collection only to be kept.
- A full collection waits until no background task runs, whose objects would be walked while they are alive and
  freed a moment later.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 20
MIDDLE_EVERY = 3  # youngest collections between two collections of the middle generation
OLDEST_CHECK_S = 1.0  # counting the oldest generation is itself a walk over it: at most once a second
THOROUGH_GROWTH = 1.5  # the frozen objects have grown by half since everything was last walked


class MainThreadGarbageCollector(QObject):
    """Collects as Python would, with the same thresholds, but from a timer on the window's thread.

    ``freeze``: keep what survived a full collection (or a background task) out of later full collections; off,
    every full collection walks everything, as Python's own do (tests that count the objects left after
    ``gc.collect()`` need that: frozen objects are neither counted nor collected by it).
    """

    def __init__(self, parent: QObject | None = None, *, freeze: bool = True) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.was_enabled = gc.isenabled()
        self.freeze = freeze
        gc.disable()
        self.long_lived = len(gc.get_objects(2))
        # As if everything had just been walked (a collection here would lengthen the app's start).
        self.frozen_when_thorough = len(gc.get_objects())
        self.oldest_checked_at = 0.0
        self.tasks_were_running = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start(INTERVAL_MS)

    def collect_if_due(self) -> None:
        from cohesion_desktop.ui import worker

        tasks_running = worker.running_tasks() > 0
        task_ended, self.tasks_were_running = self.tasks_were_running and not tasks_running, tasks_running
        first, second, third = gc.get_count()
        if task_ended and self.freeze:
            gc.collect(1)
            gc.freeze()
            self.long_lived = 0
        elif third > self.thresholds[2] and not tasks_running and self._full_collection_due():
            frozen = gc.get_freeze_count()
            # Growth counts from the fewest frozen since: after a large file's objects were freed (another file
            # opened), a cycle left among them must not wait until the frozen pass that file's count by half.
            # (None frozen yet: nothing was walked to count from.)
            if frozen:
                self.frozen_when_thorough = min(self.frozen_when_thorough, frozen)
            if self.freeze and frozen > THOROUGH_GROWTH * self.frozen_when_thorough:
                self._thorough_collection()
            else:
                gc.collect(2)
                if self.freeze:
                    gc.freeze()
                self.long_lived = len(gc.get_objects(2))
        elif second >= MIDDLE_EVERY:
            gc.collect(1)
        elif first > self.thresholds[0]:
            gc.collect(0)

    def _thorough_collection(self) -> None:
        """Everything walked, the frozen objects too; what survives is frozen again."""
        gc.unfreeze()
        gc.collect(2)
        gc.freeze()
        self.frozen_when_thorough = gc.get_freeze_count()
        self.long_lived = 0

    def _full_collection_due(self) -> bool:
        if time.monotonic() - self.oldest_checked_at < OLDEST_CHECK_S:
            return False
        self.oldest_checked_at = time.monotonic()
        return self._oldest_grew()

    def _oldest_grew(self) -> bool:
        """Python's own rule for a full collection: the oldest generation grew by a quarter since the last one
        (frozen objects count as part of it).

        A full collection walks everything alive (100–300 ms with the large file open, on the window thread);
        without this rule one ran every ten younger ones, and the window stalled after every large read.
        """
        old = self.long_lived + gc.get_freeze_count()
        return len(gc.get_objects(2)) - self.long_lived > old // 4

    def stop(self) -> None:
        """Hand collection back to Python (when the app's window thread stops running its event loop)."""
        self.timer.stop()
        gc.unfreeze()
        gc.collect()
        if self.was_enabled:
            gc.enable()
