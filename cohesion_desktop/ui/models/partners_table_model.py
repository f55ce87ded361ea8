"""The Partners table: every partner in memory, filtered and sorted here in one pass each.

10,000 partners are a few megabytes; filtering them in one list comprehension takes a few milliseconds,
where a QSortFilterProxyModel would call back into Python once per row per keystroke.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from operator import attrgetter
from typing import Any

from cohesion_desktop.domain import RelationshipStage
from cohesion_desktop.i18n import N_
from cohesion_desktop.services.partners import PartnerFilter, PartnerRow, filter_partners
from cohesion_desktop.services.volunteering.volunteers import narrows
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel

__all__ = ["COLUMNS", "HEADERS", "PartnerFilter", "PartnersTableModel"]

COL_NAME, COL_SECTOR, COL_SME, COL_THEMES, COL_PLACES, COL_STAGE, COL_CONTACT, COL_UPDATED = range(8)
# In English (the columns' names in saved settings and lists); translated where shown.
HEADERS = (
    N_("Name"),
    N_("Sector"),
    N_("SME"),
    N_("Themes"),
    N_("Places"),
    N_("Relationship"),
    N_("Main contact"),
    N_("Last updated"),
)

COLUMNS: list[Column[PartnerRow]] = [
    Column(HEADERS[COL_NAME], lambda row: row.name),
    Column(HEADERS[COL_SECTOR], lambda row: row.sector),
    Column(HEADERS[COL_SME], lambda row: row.is_sme),
    Column(HEADERS[COL_THEMES], lambda row: ", ".join(row.themes)),
    Column(HEADERS[COL_PLACES], lambda row: ", ".join(row.places)),
    Column(HEADERS[COL_STAGE], lambda row: row.stage, sort_key=lambda row: list(RelationshipStage).index(row.stage)),
    Column(HEADERS[COL_CONTACT], lambda row: row.main_contact),
    Column(HEADERS[COL_UPDATED], lambda row: row.updated_at),
]


class PartnersTableModel(RowsTableModel[PartnerRow]):
    """All partners; ``set_filter`` narrows what is shown, ``sort`` orders it (and keeps it when read again)."""

    keeps_sort = True

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._filter = PartnerFilter()

    def set_rows(self, rows: Sequence[PartnerRow], wanted: PartnerFilter | None = None) -> None:
        """New rows (and, when given, a new filter) in one reset of the view."""
        if wanted is not None:
            self._filter = wanted
        super().set_rows(rows)

    def patch(self, rows: Sequence[PartnerRow], looked_at: set[str]) -> None:
        """Rows read again: ``rows`` replace those of the same keys, and a row of ``looked_at`` not among them is
        gone; the rest are kept. The same rows, in the same order, as reading every partner again."""
        kept = [row for row in self._all if row.key not in looked_at]
        if not rows and len(kept) == len(self._all):
            return  # the changes named no partner shown (hours logged, a workshop's entry …)
        self.set_rows(sorted([*kept, *rows], key=attrgetter("name", "key")))  # as list_partners orders them

    def set_filter(self, wanted: PartnerFilter) -> None:
        if wanted == self._filter:
            return
        earlier, self._filter = self._filter, wanted
        if replace(earlier, query=wanted.query) == wanted and narrows(earlier.query, wanted.query):
            # Typing on in the search box: every row it still shows is among those shown now, in the same order,
            # so only they are searched again (a tenth of the rows after a few letters, not 10,000 a keystroke).
            self.beginResetModel()
            self._rows = self.shown_of(self._rows)
            self.endResetModel()
        else:
            self.refilter()

    def shown_of(self, rows: list[PartnerRow]) -> list[PartnerRow]:
        return filter_partners(rows, self._filter)

    def row_of(self, partner_id: uuid.UUID) -> int | None:
        return self.row_where(lambda row: row.key == partner_id.hex)
