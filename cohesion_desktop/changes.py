"""Typed change notices (as Anki's ``OpChanges``): which areas, and which rows, a write changed.

The workspace reads them from each write's unit of work (``workspace.Workspace.write``); the window's pages
refresh from them. Nothing heavy is imported here: the window reads these types before a file is open.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Area(StrEnum):
    """What a page shows, as far as a change is concerned."""

    PARTNERS = "partners"  # partners, their contacts, themes and places
    VOLUNTEERING = "volunteering"  # opportunities, volunteers, checks, placements, hours, recognition
    WORKSHOPS = "workshops"  # workshops, their matrices and entries, templates
    ACTIONS = "actions"
    SETTINGS = "settings"
    HISTORY = "history"  # the change history of records, and the laptops it names


# Every table, by the area whose pages show it (tests/test_workspace.py fails when a table is missing).
AREA_OF_TABLE: dict[str, Area] = {
    "partner": Area.PARTNERS,
    "partner_theme": Area.PARTNERS,
    "partner_place": Area.PARTNERS,
    "contact": Area.PARTNERS,
    "theme": Area.PARTNERS,
    "place": Area.PARTNERS,
    "opportunity": Area.VOLUNTEERING,
    "opportunity_requirement": Area.VOLUNTEERING,
    "volunteer": Area.VOLUNTEERING,
    "volunteer_check": Area.VOLUNTEERING,
    "placement": Area.VOLUNTEERING,
    "hours_entry": Area.VOLUNTEERING,
    "hours_day": Area.VOLUNTEERING,
    "recognition": Area.VOLUNTEERING,
    "matrix_template": Area.WORKSHOPS,
    "matrix_template_row": Area.WORKSHOPS,
    "workshop": Area.WORKSHOPS,
    "workshop_row": Area.WORKSHOPS,
    "workshop_partner": Area.WORKSHOPS,
    "matrix_entry": Area.WORKSHOPS,
    "action": Area.ACTIONS,
    "setting": Area.SETTINGS,
    "laptop": Area.HISTORY,
    "history": Area.HISTORY,
}


@dataclass(frozen=True)
class Changes:
    """What a write changed: the areas, and the ids of the rows changed where they are known (a statement that
    changes many rows at once names its area only), and the tables when they are known (None: any table of
    the areas, as after a merge or an import through the connection)."""

    areas: frozenset[Area] = frozenset()
    ids: frozenset[uuid.UUID] = frozenset()
    tables: frozenset[str] | None = None
    # Tables changed by a statement (an UPDATE of many rows), whose rows ``ids`` does not name.
    unnamed: frozenset[str] = frozenset()
    # Made by another copy of the team database (team mode's live refresh), not through this workspace: what a page
    # keeps up to date itself after its own changes (the open matrix) must then be read again.
    by_others: bool = False

    @classmethod
    def everything(cls) -> Changes:
        """Every area: for what changes the file as a whole (example data, another file, a restore)."""
        return cls(frozenset(Area))

    @classmethod
    def of_tables(
        cls,
        tables: Iterable[str] | None,
        ids: Iterable[uuid.UUID] = (),
        unnamed: Iterable[str] = (),
        *,
        by_others: bool = False,
    ) -> Changes:
        """The notice of a commit that wrote rows of ``tables`` (None: unknown, every area). A change that writes
        records and their history is said by the records' areas. A table not known here leaves the tables unknown:
        a page then reads all of its areas."""
        if tables is None:
            return cls(frozenset(Area), by_others=by_others)
        written = frozenset(tables)
        areas = frozenset(AREA_OF_TABLE[name] for name in written if name in AREA_OF_TABLE)
        if areas - {Area.HISTORY}:
            areas -= {Area.HISTORY}
        known = None if written - set(AREA_OF_TABLE) else written
        return cls(areas, frozenset(ids), known, frozenset(unnamed), by_others)

    def touches(self, areas: Iterable[Area]) -> bool:
        return not self.areas.isdisjoint(areas)

    def may_have_changed(self, table: str) -> bool:
        """Whether rows of ``table`` may have changed: a page whose rows come from a few tables of a busy area
        (the Volunteers list from ``volunteer``) need not read them again after an hours entry."""
        if self.tables is not None:
            return table in self.tables
        return AREA_OF_TABLE[table] in self.areas

    def __bool__(self) -> bool:
        return bool(self.areas)

    def __or__(self, other: Changes) -> Changes:
        tables: frozenset[str] | None = frozenset()
        for changes in (self, other):
            if changes.areas:  # a notice of nothing adds no table
                tables = None if tables is None or changes.tables is None else tables | changes.tables
        by_others = self.by_others or other.by_others  # others' changes among them: read again what they touch
        return Changes(self.areas | other.areas, self.ids | other.ids, tables, self.unnamed | other.unnamed, by_others)

    def names_rows_of(self, tables: Iterable[str]) -> bool:
        """Whether ``ids`` names every row changed in ``tables``: a page may then read again only those rows."""
        return self.tables is not None and self.unnamed.isdisjoint(tables)
