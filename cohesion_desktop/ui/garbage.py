"""Python's cycle collector, run only on the window's thread.

The collector normally runs in whichever thread happens to allocate when a threshold is crossed. If that is a
background task, and the garbage holds a Qt object made on the window's thread (a closed dialog, a chart axis), the
object is destroyed from the wrong thread and the app crashes (seen here as a rare segmentation fault during an
export). So automatic collection is switched off while the app runs, and this timer collects on the window's thread.

Its collections must stay short, as Python's own are: a collection holds the interpreter's lock, so the window and
every background task wait for it.
- The young generations are looked at every 20 ms. A background read of 100,000 rows makes hundreds of thousands of
  objects a second; looked at every 250 ms, the middle generation held what survived 2.5 s of it, and collecting it
  stopped the window for 200–500 ms (the large file's Dashboard, measured by the bench's stall watchdog).
- A full collection walks everything alive (a second or more with the large file open on a busy machine): it waits
  until no background task runs, whose objects would be walked while they are alive and freed a moment later.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 20
OLDEST_CHECK_S = 1.0  # counting the oldest generation is itself a walk over it: at most once a second


class MainThreadGarbageCollector(QObject):
    """Collects as Python would, with the same thresholds, but from a timer on the window's thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.was_enabled = gc.isenabled()
        gc.disable()
        self.long_lived = len(gc.get_objects(2))
        self.oldest_checked_at = 0.0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start(INTERVAL_MS)

    def collect_if_due(self) -> None:
        first, second, third = gc.get_count()
        if third > self.thresholds[2] and self._full_collection_due():
            gc.collect(2)
            self.long_lived = len(gc.get_objects(2))
        elif second > self.thresholds[1]:
            gc.collect(1)
        elif first > self.thresholds[0]:
            gc.collect(0)

    def _full_collection_due(self) -> bool:
        from cohesion_desktop.ui import worker

        if worker.running_tasks() or time.monotonic() - self.oldest_checked_at < OLDEST_CHECK_S:
            return False
        self.oldest_checked_at = time.monotonic()
        return self._oldest_grew()

    def _oldest_grew(self) -> bool:
        """Python's own rule for a full collection: the oldest generation grew by a quarter since the last one.

        A full collection walks everything alive (100–300 ms with the large file open, on the window thread);
        without this rule one ran every ten younger ones, and the window stalled after every large read.
        """
        return len(gc.get_objects(2)) - self.long_lived > self.long_lived // 4

    def stop(self) -> None:
        """Hand collection back to Python (when the app's window thread stops running its event loop)."""
        self.timer.stop()
        gc.collect()
        if self.was_enabled:
            gc.enable()
