"""Matching: the volunteers who fit an opportunity (or the opportunities that fit a volunteer), best first.

One button places the chosen volunteer; the caller does the placing (and its undo).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import N_, _, pgettext
from cohesion_desktop.services.volunteering.matching import OpportunityMatch, VolunteerMatch
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel
from cohesion_desktop.ui.widgets.tables import wrap_headings

VOLUNTEER_COLUMNS: list[Column[VolunteerMatch]] = [
    Column(N_("Volunteer"), lambda m: m.name),
    Column(N_("Fit (out of 95)"), lambda m: m.score, numeric=True),
    Column(N_("Skills that match"), lambda m: ", ".join(m.skills_matched)),
    Column(N_("Available"), lambda m: ", ".join(t.label for t in m.times_matched)),
    Column(N_("Other placements"), lambda m: m.active_placements, numeric=True),
]
OPPORTUNITY_COLUMNS: list[Column[OpportunityMatch]] = [
    Column(N_("Opportunity"), lambda m: m.opportunity.title),
    Column(N_("Host"), lambda m: m.opportunity.host),
    Column(N_("Skills that match"), lambda m: ", ".join(m.skills_matched)),
    Column(N_("When"), lambda m: ", ".join(t.label for t in m.times_matched) or m.opportunity.recurrence),
    Column(N_("Places left"), lambda m: m.opportunity.places_left, numeric=True),
    Column(
        N_("Still needs"), lambda m: ", ".join(k.label for k in m.missing_checks), warn=lambda m: bool(m.missing_checks)
    ),
]


class MatchDialog(QDialog):
    """Shows ranked matches; ``place(selected match)`` is called for "Place"; it raises CohesionError to refuse."""

    def __init__(
        self,
        *,
        title: str,
        intro: str,
        columns: Sequence[Column[Any]],
        matches: Sequence[object],
        place: Callable[[object], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.placed: list[uuid.UUID] = []
        self._place = place
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.model: RowsTableModel[object] = RowsTableModel(columns, self)
        self.model.set_rows(matches)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Matches, best first"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        # A list of times ("Yn ystod y dydd, ar ddyddiau'r wythnos, Gyda'r nos, …") or skills would push the other
        # columns out of sight; the cell's tooltip shows it whole. A heading is never cut.
        limit = self.fontMetrics().averageCharWidth() * 24
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            wanted = max(limit, header.sectionSizeHint(column))
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), wanted))
        wrap_headings(self.table)  # what a column gives up, its heading takes in lines
        self.table.doubleClicked.connect(lambda _i: self.place_selected())
        if matches:
            self.table.selectRow(0)
        self.message = QLabel(
            ""
            if matches
            else _("Nobody fits yet. Check the skills and times the opportunity asks for, or the checks it requires.")
        )
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # "Place" the verb, where the columns' "Place" is a noun (Welsh: lleoli, lle).
        self.place_button = buttons.addButton(
            pgettext("place a volunteer", "Place"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.place_button.setEnabled(bool(matches))
        self.place_button.clicked.connect(self.place_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(820, 460)

    def place_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        match = self.model.row_at(index.row())
        try:
            done = self._place(match)
        except CohesionError as exc:
            self.message.setText(f"<span style='color:#b00020'>{exc}</span>")
            return
        self.message.setText(done)
        remaining = [m for m in self.model.rows() if m is not match]
        self.model.set_rows(remaining)
        self.place_button.setEnabled(bool(remaining))
        if remaining:
            self.table.selectRow(min(index.row(), len(remaining) - 1))
