"""Boxes side by side while the page is wide enough, one under another when it is not: a record's form never
needs scrolling sideways, at 150% or in a longer language (the partner and volunteer records did, in Welsh)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QGridLayout, QLayout, QWidget

# A box and where it goes in the grid: (row, column, rows spanned, columns spanned).
Placed = tuple[QWidget, tuple[int, int, int, int]]


class ColumnsOrRows(QObject):
    """Lays ``grid`` out as ``wide`` while ``area`` (the scroll area's viewport) is wider than the wide layout's
    least width, else as ``narrow``; looked at again each time ``area`` is resized. The same widgets in both."""

    def __init__(self, area: QWidget, grid: QGridLayout, wide: Sequence[Placed], narrow: Sequence[Placed]) -> None:
        super().__init__(area)
        self.area = area
        self.grid = grid
        self.wide = list(wide)
        self.narrow = list(narrow)
        self._shown: list[Placed] | None = None
        area.installEventFilter(self)
        self.arrange()

    def least_wide_width(self) -> int:
        """The least width of the wide layout: each column as wide as its widest box's least width."""
        columns: dict[int, int] = {}
        for widget, (_row, column, _rows, _columns) in self.wide:
            least = max(widget.minimumSizeHint().width(), widget.minimumWidth())
            columns[column] = max(columns.get(column, 0), least)
        spacing = max(self.grid.horizontalSpacing(), 0)
        # The margins of the grid and of the layouts it sits in, up to the scrolled widget.
        margins = 0
        layout: QObject | None = self.grid
        while isinstance(layout, QLayout):
            inside = layout.contentsMargins()
            margins += inside.left() + inside.right()
            layout = layout.parent()
        return sum(columns.values()) + spacing * (len(columns) - 1) + margins

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize:
            self.arrange()
        return super().eventFilter(watched, event)

    def arrange(self) -> None:
        wanted = self.wide if self.area.width() >= self.least_wide_width() else self.narrow
        if wanted is self._shown:
            return
        for widget, _place in wanted:
            self.grid.removeWidget(widget)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
        for widget, (row, column, rows, columns) in wanted:
            self.grid.addWidget(widget, row, column, rows, columns)
        used = {column for _widget, (_row, column, _rows, _columns) in wanted}
        for column in used:
            self.grid.setColumnStretch(column, 1)
        self._shown = wanted
