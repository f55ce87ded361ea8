"""The list of workshops: title, date, place, facilitator, template, partners present, entries."""

from __future__ import annotations

from typing import Any

from cohesion_desktop.i18n import N_
from cohesion_desktop.services.workshops import WorkshopSummary
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel

COLUMNS: list[Column[WorkshopSummary]] = [
    Column(N_("Title"), lambda w: w.title),
    Column(N_("Date"), lambda w: w.held_on),
    Column(N_("Place"), lambda w: w.place),
    Column(N_("Facilitator"), lambda w: w.facilitator),
    Column(N_("Template"), lambda w: w.template_name),
    Column(N_("Partners present"), lambda w: w.partner_count, numeric=True),
    Column(N_("Entries"), lambda w: w.entry_count, numeric=True),
]


class WorkshopsTableModel(RowsTableModel[WorkshopSummary]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
