"""What every page is given: how to reach the data, how to ask the user, where undo lives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.prompts import Prompts

if TYPE_CHECKING:
    from sqlmodel import Session


class DataBus(QObject):
    """Tells pages that data changed elsewhere, so they refresh when next shown.

    Signals: ``changed(area)`` where area is "partners", "volunteering", "workshops", "actions" or "all".
    """

    changed = Signal(str)


@dataclass
class ViewContext:
    session_factory: Callable[[], Session]
    prompts: Prompts
    undo_stack: QUndoStack
    settings: AppSettings
    bus: DataBus
    navigate: Callable[..., None]  # navigate(page_key, **what_to_show)
    show_status: Callable[..., None]  # show_status(text, offer_undo=False)
    extras: dict[str, Any]
    data_file: Path | None = None  # the open file (an erasure backs it up first and lists its copies)
