"""The remit map: how many partners cover each theme in each place (or each sector).

The LGA's second principle of partnership working is "clear mutual understanding of remits and
responsibilities … to avoid duplication or gaps in services". A cell no partner covers is a gap; a cell
many partners cover may be duplication worth a conversation.
"""

from __future__ import annotations

import statistics
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.db.defaults import shown_theme
from cohesion_desktop.domain import Sector
from cohesion_desktop.export.remit_map import RemitMapSheet, write_remit_map
from cohesion_desktop.services.partners import PartnerRow, list_partners
from cohesion_desktop.text import fold

# Fewer partners than this never count as crowded, however thin the rest of the map is.
MIN_CROWDED = 3


class MapAxis(StrEnum):
    PLACES = "places"
    SECTORS = "sectors"


@dataclass(frozen=True)
class MapColumn:
    key: str  # a place id (hex) or a sector value
    label: str


@dataclass(frozen=True)
class RemitMap:
    """Rows are themes, columns places or sectors; ``counts[(theme_id, column key)]`` partners cover a cell."""

    axis: MapAxis
    themes: tuple[tuple[uuid.UUID, str], ...]
    columns: tuple[MapColumn, ...]
    counts: dict[tuple[uuid.UUID, str], int]
    crowded_at: int

    def count(self, theme_id: uuid.UUID, column_key: str) -> int:
        return self.counts.get((theme_id, column_key), 0)

    def is_gap(self, theme_id: uuid.UUID, column_key: str) -> bool:
        return self.count(theme_id, column_key) == 0

    def is_crowded(self, theme_id: uuid.UUID, column_key: str) -> bool:
        return self.count(theme_id, column_key) >= self.crowded_at

    @property
    def gap_count(self) -> int:
        return sum(1 for theme_id, _ in self.themes for column in self.columns if self.is_gap(theme_id, column.key))

    @property
    def crowded_count(self) -> int:
        return sum(1 for theme_id, _ in self.themes for column in self.columns if self.is_crowded(theme_id, column.key))


def crowded_threshold(counts: list[int]) -> int:
    """Twice the typical (median) non-empty cell, and at least :data:`MIN_CROWDED`."""
    filled = [count for count in counts if count > 0]
    if not filled:
        return MIN_CROWDED
    return max(MIN_CROWDED, round(2 * statistics.median(filled)))


def _themes(session: Session) -> tuple[tuple[uuid.UUID, str], ...]:
    """Every live theme, named as shown in the current language and sorted in it."""
    rows = session.execute(
        select(col(models.Theme.id), col(models.Theme.name)).where(col(models.Theme.deleted_at).is_(None))
    )
    return tuple(sorted(((row.id, shown_theme(row.name)) for row in rows), key=lambda theme: fold(theme[1])))


def remit_map(session: Session, *, axis: MapAxis = MapAxis.PLACES) -> RemitMap:
    """Count distinct live partners per theme and place (or sector), in one grouped query."""
    live = col(models.Partner.deleted_at).is_(None)
    if axis == MapAxis.PLACES:
        places = session.execute(
            select(col(models.Place.id), col(models.Place.name))
            .where(col(models.Place.deleted_at).is_(None))
            .order_by(col(models.Place.name))
        ).all()
        columns = tuple(MapColumn(key=place_id.hex, label=name) for place_id, name in places)
        grouped = session.execute(
            select(
                col(models.PartnerTheme.theme_id),
                col(models.PartnerPlace.place_id),
                func.count(func.distinct(col(models.PartnerTheme.partner_id))),
            )
            .join(models.PartnerPlace, col(models.PartnerPlace.partner_id) == col(models.PartnerTheme.partner_id))
            .join(models.Partner, col(models.Partner.id) == col(models.PartnerTheme.partner_id))
            .where(live)
            .group_by(col(models.PartnerTheme.theme_id), col(models.PartnerPlace.place_id))
        ).all()
        counts = {(theme_id, place_id.hex): count for theme_id, place_id, count in grouped}
    else:
        columns = tuple(MapColumn(key=sector.value, label=sector.label) for sector in Sector)
        grouped = session.execute(
            select(
                col(models.PartnerTheme.theme_id),
                col(models.Partner.sector),
                func.count(func.distinct(col(models.PartnerTheme.partner_id))),
            )
            .join(models.Partner, col(models.Partner.id) == col(models.PartnerTheme.partner_id))
            .where(live)
            .group_by(col(models.PartnerTheme.theme_id), col(models.Partner.sector))
        ).all()
        counts = {(theme_id, Sector(sector).value): count for theme_id, sector, count in grouped}
    return RemitMap(
        axis=axis,
        themes=_themes(session),
        columns=columns,
        counts=counts,
        crowded_at=crowded_threshold(list(counts.values())),
    )


def export_xlsx(session: Session, grid: RemitMap, path: Path) -> Path:
    """Write ``grid`` and the partners behind each of its cells to an Excel workbook."""
    rows = list_partners(session)
    names: list[list[list[str]]] = []
    for theme_id, _name in grid.themes:
        covering = [row for row in rows if row.has_theme(theme_id)]
        per_column = []
        for column in grid.columns:
            if grid.axis == MapAxis.PLACES:
                place_id = uuid.UUID(column.key)
                per_column.append([row.name for row in covering if row.has_place(place_id)])
            else:
                per_column.append([row.name for row in covering if row.sector.value == column.key])
        names.append(per_column)
    organisation = session.get(models.Setting, "organisation_name")
    return write_remit_map(
        path,
        RemitMapSheet(
            title="Themes × places" if grid.axis == MapAxis.PLACES else "Themes × sectors",
            column_heading="Place" if grid.axis == MapAxis.PLACES else "Sector",
            themes=[name for _id, name in grid.themes],
            columns=[column.label for column in grid.columns],
            counts=[[grid.count(theme_id, column.key) for column in grid.columns] for theme_id, _n in grid.themes],
            crowded_at=grid.crowded_at,
            partners=names,
        ),
        organisation=organisation.value if organisation else "",
    )


def partners_in_cell(session: Session, *, theme_id: uuid.UUID, axis: MapAxis, column_key: str) -> list[PartnerRow]:
    """The partners behind one cell of the map, by name."""
    rows = list_partners(session)
    if axis == MapAxis.PLACES:
        place_id = uuid.UUID(column_key)
        return [row for row in rows if row.has_theme(theme_id) and row.has_place(place_id)]
    return [row for row in rows if row.has_theme(theme_id) and row.sector.value == column_key]
