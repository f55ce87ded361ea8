"""The Dashboard page: the empty state on a new file, headline figures otherwise."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from cohesion_desktop.services import overview
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.views.page import Page
from cohesion_desktop.ui.widgets.empty_state import EmptyState


class DashboardView(Page):
    """Signals: ``load_example_requested``, ``import_requested``, ``add_partner_requested`` (from the empty state)."""

    title = "Dashboard"
    load_example_requested = Signal()
    import_requested = Signal()
    add_partner_requested = Signal()

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.empty_state = EmptyState()
        self.empty_state.load_example_requested.connect(self.load_example_requested)
        self.empty_state.import_requested.connect(self.import_requested)
        self.empty_state.add_partner_requested.connect(self.add_partner_requested)
        centred = QWidget()
        row = QHBoxLayout(centred)
        row.addStretch(1)
        row.addWidget(self.empty_state, 3)
        row.addStretch(1)

        self.figures = QWidget()
        self._figures_form = QFormLayout(self.figures)
        self._figures_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)

        self.stack = QStackedWidget()
        self.stack.addWidget(centred)
        self.stack.addWidget(self.figures)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

    @property
    def showing_empty_state(self) -> bool:
        return self.stack.currentIndex() == 0

    def reload(self) -> None:
        with self.context.session_factory() as session:
            empty = overview.is_empty(session)
            counts = [] if empty else overview.row_counts(session)
        if empty:
            self.stack.setCurrentIndex(0)
            return
        while self._figures_form.rowCount():
            self._figures_form.removeRow(0)
        for count in counts:
            value = QLabel(f"{count.count:,}")
            value.setAccessibleName(count.label)
            self._figures_form.addRow(f"{count.label}:", value)
        self.stack.setCurrentIndex(1)
