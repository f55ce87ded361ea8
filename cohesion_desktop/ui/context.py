"""What every page is given: how to reach the data, how to ask the user, where undo lives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.prompts import Prompts

if TYPE_CHECKING:
    from cohesion_desktop.changes import Changes
    from cohesion_desktop.workspace import Workspace


class DataBus(QObject):
    """Tells pages what the workspace's writes changed, so they refresh now or when next shown.

    Signals: ``changed(Changes)``, on the window's thread whichever thread wrote (Qt queues it to the pages).
    """

    changed = Signal(object)

    def publish(self, changes: Changes) -> None:
        """A workspace listener: may be called from a worker thread (an import, an erasure)."""
        self.changed.emit(changes)


@dataclass
class ViewContext:
    """What a page of the open file is given: its workspace (the one way to the data), and the window's services."""

    workspace: Workspace
    prompts: Prompts
    undo_stack: QUndoStack
    settings: AppSettings
    bus: DataBus
    navigate: Callable[..., None]  # navigate(page_key, **what_to_show)
    show_status: Callable[..., None]  # show_status(text, offer_undo=False)
