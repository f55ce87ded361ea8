"""Team mode's live refresh in the window: what other people commit to the team database reaches the open pages.

The workspace's listener (``db/live.py``) hears the other copies' notices on a thread of its own; this object
carries each one to the window's thread with a queued signal and announces it there, as the workspace announces
the window's own writes: the pages (and the projector, through the open matrix) refresh from the same notices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from cohesion_desktop.changes import Changes

if TYPE_CHECKING:  # the window is drawn before the storage is imported
    from cohesion_desktop.workspace import Workspace


class OtherCopiesChanges(QObject):
    """Hands the changes other copies of a team database commit to ``workspace``'s listeners, on this object's
    thread (the window's). Does nothing for a data file.

    Signals: ``heard(Changes)``, emitted on the listener's thread (queued to this object's).
    """

    heard = Signal(object)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace: Workspace | None = workspace
        self.heard.connect(self._announce)  # a method of this object: queued to the thread it lives on
        self.following = workspace.follow_others(self.heard.emit)

    @Slot(object)
    def _announce(self, changes: Changes) -> None:
        if self._workspace is not None:
            self._workspace.announce(changes)

    def forget(self) -> None:
        """The workspace is closing or replaced: a notice still queued is dropped."""
        self._workspace = None
