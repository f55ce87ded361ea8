"""The remit map as an Excel workbook: the coloured grid, and the partners behind every cell."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cohesion_desktop.export.xlsx import Column, PrintLayout, WorkbookWriter
from cohesion_desktop.i18n import _

GAP_FILL = "F9D6D5"
CROWDED_FILL = "FFD98A"
HEADER_FILL = "1F4E79"


@dataclass(frozen=True)
class RemitMapSheet:
    """Plain values of a remit map: ``counts[r][c]`` partners cover theme ``r`` in column ``c``."""

    title: str  # "Themes × places"
    column_heading: str  # "Place" or "Sector"
    themes: Sequence[str]
    columns: Sequence[str]
    counts: Sequence[Sequence[int]]
    crowded_at: int
    partners: Sequence[Sequence[Sequence[str]]]  # partner names per cell, same shape as counts


def write_remit_map(path: Path, remit_map: RemitMapSheet, *, organisation: str = "") -> Path:
    """Write the grid (gaps and crowded cells coloured, with a legend) and a filterable list of cells."""
    with WorkbookWriter(path) as book:
        grid = book.add_sheet(_("Remit map"), print_layout=PrintLayout(landscape=True, one_page=True))
        grid.column_dimensions["A"].width = max(18, max((len(t) for t in remit_map.themes), default=10) + 2)
        grid.freeze_panes = "B4"
        heading = _("Remit map – {title}").format(title=remit_map.title) + (
            f" – {organisation}" if organisation else ""
        )
        grid.append([book.cell(grid, heading, bold=True, font_size=14)])
        grid.append(
            [
                book.cell(grid, _("Legend:"), italic=True),
                book.cell(grid, _("0 = gap (no partner)"), fill=GAP_FILL),
                book.cell(
                    grid,
                    _("▲ = {n}+ partners (possible duplication)").format(n=remit_map.crowded_at),
                    fill=CROWDED_FILL,
                ),
            ]
        )
        grid.append(
            [book.cell(grid, _("Theme"), bold=True, fill=HEADER_FILL, color="FFFFFF", border=True)]
            + [
                book.cell(grid, label, bold=True, fill=HEADER_FILL, color="FFFFFF", border=True, wrap=True)
                for label in remit_map.columns
            ]
        )
        for theme, counts in zip(remit_map.themes, remit_map.counts, strict=True):
            row = [book.cell(grid, theme, bold=True, border=True)]
            for count in counts:
                crowded = count >= remit_map.crowded_at
                fill = GAP_FILL if count == 0 else (CROWDED_FILL if crowded else None)
                # Numbers stay numbers (sortable, summable); the ▲ lives in the number format.
                row.append(book.cell(grid, count, fill=fill, border=True, number_format='0" ▲"' if crowded else "0"))
            grid.append(row)

        def cells() -> list[list[object]]:
            rows: list[list[object]] = []
            for theme, counts, partner_lists in zip(
                remit_map.themes, remit_map.counts, remit_map.partners, strict=True
            ):
                for column, count, names in zip(remit_map.columns, counts, partner_lists, strict=True):
                    state = _("Gap") if count == 0 else (_("Crowded") if count >= remit_map.crowded_at else "")
                    rows.append([theme, column, count, state, ", ".join(names)])
            return rows

        book.add_table_sheet(
            _("Partners by cell"),
            [
                Column(_("Theme"), width=30),
                Column(remit_map.column_heading, width=24),
                Column(_("Partners"), width=10),
                Column(_("Gap or crowded"), width=16),
                Column(_("Who"), width=80, wrap=True),
            ],
            cells(),
            table_name="RemitCells",
            print_layout=PrintLayout(landscape=True),
        )
    return Path(path)
