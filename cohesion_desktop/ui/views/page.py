"""The base of every page in the sidebar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from cohesion_desktop.changes import Area, Changes
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.worker import read_in_background

T = TypeVar("T")


class Page(QWidget):
    """A page refreshes itself when shown after data changed elsewhere; subclasses fill ``reload``."""

    title = ""  # marked with N_() by each page, translated where shown
    areas: frozenset[Area] = frozenset(Area)  # the areas whose changes make this page stale

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._stale = True
        context.bus.changed.connect(self._on_data_changed)

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.touches(self.areas):
            self._stale = True
            if self.isVisible():
                self.reload()
                self._stale = False

    def on_shown(self, **what: Any) -> None:
        """Called by the window when the page comes to the front (``what`` from ``navigate``)."""
        if self._stale:
            self.reload()
            self._stale = False

    def reload(self) -> None:
        """Ask the services for fresh rows."""

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in this page's search box, if it has one."""

    def new_item(self) -> None:
        """Ctrl+N: add a new thing of this page's kind, if it has one."""

    def load_in_background(
        self,
        key: str,
        query: Callable[[Any], T],
        show: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """``query(session)`` off the window thread, then ``show(result)``; see ``read_in_background``."""
        read_in_background(self, key, self.context.workspace, query, show, failed or self._load_failed)

    def _load_failed(self, problem: BaseException) -> None:
        self.context.show_status(
            _("{page}: the figures could not be read: {problem}").format(
                page=_(self.title) if self.title else "", problem=problem
            )
        )
