"""The same data gives the same funder figures on a data file, on a team database and on the team database's
offline copy (team mode, issue 17): the example town loaded into both, its summary computed and its workbook
written by each, and compared."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from cohesion_desktop.dates import Period
from cohesion_desktop.db import migrations
from cohesion_desktop.db.offline_copy import take_offline_copy
from cohesion_desktop.db.store import ServerStore, Store, open_store
from cohesion_desktop.services import demo, reporting
from tests.conftest import as_new

TODAY = date(2026, 6, 15)
PERIOD = Period(date(2025, 7, 1), TODAY)


def _rounded(value: Any) -> Any:
    """Sums of hours to 6 places: a server adds floats in its own order (last-bit differences, never a figure's)."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def _cells(workbook: Path, made_at: datetime) -> dict[str, list[list[Any]]]:
    """Every sheet's values; the moment it was produced (which only says when) as one word."""
    book = openpyxl.load_workbook(workbook, read_only=True)
    try:
        return {
            sheet.title: [
                ["PRODUCED" if isinstance(cell, datetime) and cell >= made_at else _rounded(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            for sheet in book.worksheets
        }
    finally:
        book.close()


def _figures_of(store: Store, workbook: Path, *, load: bool = True) -> tuple[Any, Any]:
    if load:
        with store.session() as session:
            demo.load_demo(session, scale=1, seed=2026, today=TODAY)
    with store.session() as session:
        summary = reporting.summary(session, period=PERIOD, today=TODAY)
        before = datetime.now().replace(second=0, microsecond=0)
        reporting.export_summary(
            session,
            path=workbook,
            period=PERIOD,
            organisation_name="Harrowfield Together",
            logo=None,
            include_names=True,
            today=TODAY,
        )
    return _rounded(dataclasses.asdict(summary)), _cells(workbook, before)


def test_the_funder_summary_and_its_workbook_are_the_same_from_a_file_a_team_database_and_its_offline_copy(
    team_database: ServerStore, tmp_path: Path
) -> None:
    with open_store(tmp_path / "town.sqlite") as on_file:
        file_summary, file_cells = _figures_of(on_file, tmp_path / "from-file.xlsx")
    team_summary, team_cells = _figures_of(as_new(team_database), tmp_path / "from-server.xlsx")
    assert file_summary["figures"] and any(figure["value"] for figure in file_summary["figures"])  # not vacuous
    assert team_summary == file_summary
    assert team_cells == file_cells
    # The laptop's copy for a workshop with no network: an ordinary data file, opened as any other.
    copy = take_offline_copy(team_database, tmp_path / "laptop.sqlite")
    assert copy.left_out == ()
    with open_store(copy.path) as laptop:
        assert laptop.schema_version == migrations.SCHEMA_VERSION
        copy_summary, copy_cells = _figures_of(laptop, tmp_path / "from-copy.xlsx", load=False)
    assert copy_summary == file_summary
    assert copy_cells == file_cells
