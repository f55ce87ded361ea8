"""The base of every page in the sidebar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.worker import start_task

T = TypeVar("T")


class Page(QWidget):
    """A page refreshes itself when shown after data changed elsewhere; subclasses fill ``reload``."""

    title = ""
    areas: frozenset[str] = frozenset({"all"})  # which DataBus areas make this page stale

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._stale = True
        self._loads: dict[str, int] = {}
        context.bus.changed.connect(self._on_data_changed)

    def _on_data_changed(self, area: str) -> None:
        if area == "all" or area in self.areas or "all" in self.areas:
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

    def load_in_background(self, key: str, query: Callable[[Any], T], show: Callable[[T], None],
                           failed: Callable[[BaseException], None] | None = None) -> None:
        """``query(session)`` off the window thread (on a large file a count takes seconds), then ``show(result)``
        on it. An answer overtaken by a newer load of the same ``key`` is dropped, and so is one for a page
        deleted meanwhile (another file opened)."""
        self._loads[key] = generation = self._loads.get(key, 0) + 1
        factory = self.context.session_factory

        def work(_control: Any) -> T:
            with factory() as session:
                return query(session)

        def answered(callback: Callable[[Any], None], value: Any) -> None:
            if self._loads.get(key) == generation:
                callback(value)

        start_task(work, on_success=lambda result: answered(show, result),
                   on_failure=lambda problem: answered(failed or self._load_failed, problem), owner=self)

    def _load_failed(self, problem: BaseException) -> None:
        self.context.show_status(f"{self.title}: the figures could not be read: {problem}")
