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
    from cohesion_desktop.workspace import Workspace


class DataBus(QObject):
    """Tells pages that data changed elsewhere, so they refresh when next shown.

    Signals: ``changed(area)`` where area is "partners", "volunteering", "workshops", "actions" or "all".
    """

    changed = Signal(str)


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
