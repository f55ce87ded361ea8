"""The remit map on a hand-made town: counts, gaps, crowded cells and the partners behind a cell."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlmodel import Session

from cohesion_desktop import i18n
from cohesion_desktop.domain import Sector
from cohesion_desktop.services import partners, remit_map
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.remit_map import MapAxis
from cohesion_desktop.text import fold


def build_town(session: Session) -> None:
    # Youth in Northgate: three partners (crowded); Housing in Eastfield: one; Youth in Eastfield: none (gap).
    for name, sector, themes, places in [
        ("Northgate Youth Club", Sector.VCS, ["Young people"], ["Northgate"]),
        ("Northgate Jamia Mosque", Sector.FAITH, ["Young people"], ["Northgate"]),
        ("Canal Side Youth Project", Sector.VCS, ["Young people"], ["Northgate", "Canal Side"]),
        ("Pennine Valley Homes", Sector.HOUSING, ["Housing"], ["Eastfield"]),
    ]:
        partners.create_partner(session, data=PartnerInput(name=name, sector=sector, themes=themes, places=places))
    partners.create_partner(
        session, data=PartnerInput(name="Eastfield place only", sector=Sector.OTHER, places=["Eastfield"])
    )


def theme_id(session: Session, name: str) -> uuid.UUID:
    return next(v.id for v in partners.themes(session) if v.name == name)


def place_key(session: Session, name: str) -> str:
    return next(v.id for v in partners.places(session) if v.name == name).hex


def test_counts_gaps_and_crowded_cells_by_place(session: Session) -> None:
    build_town(session)
    grid = remit_map.remit_map(session, axis=MapAxis.PLACES)
    youth, housing = theme_id(session, "Young people"), theme_id(session, "Housing")
    northgate, eastfield, canal = (place_key(session, p) for p in ("Northgate", "Eastfield", "Canal Side"))
    assert [c.label for c in grid.columns] == ["Canal Side", "Eastfield", "Northgate"]
    assert grid.count(youth, northgate) == 3 and grid.is_crowded(youth, northgate)
    assert grid.count(youth, canal) == 1 and not grid.is_crowded(youth, canal)
    assert grid.count(housing, eastfield) == 1
    assert grid.is_gap(youth, eastfield) and grid.is_gap(housing, northgate)
    assert grid.crowded_at == 3
    # 20 default themes × 3 places, of which 3 cells are covered.
    assert grid.gap_count == 20 * 3 - 3 and grid.crowded_count == 1


def test_counts_by_sector(session: Session) -> None:
    build_town(session)
    grid = remit_map.remit_map(session, axis=MapAxis.SECTORS)
    youth = theme_id(session, "Young people")
    assert len(grid.columns) == len(Sector)
    assert grid.count(youth, Sector.VCS.value) == 2 and grid.count(youth, Sector.FAITH.value) == 1
    assert grid.is_gap(youth, Sector.BUSINESS.value)


def test_a_cell_lists_the_partners_behind_it(session: Session) -> None:
    build_town(session)
    cell = remit_map.partners_in_cell(
        session,
        theme_id=theme_id(session, "Young people"),
        axis=MapAxis.PLACES,
        column_key=place_key(session, "Northgate"),
    )
    assert [row.name for row in cell] == ["Canal Side Youth Project", "Northgate Jamia Mosque", "Northgate Youth Club"]


def test_deleted_partners_do_not_count(session: Session) -> None:
    build_town(session)
    club = next(r for r in partners.list_partners(session) if r.name == "Northgate Youth Club")
    partners.delete_partner(session, partner_id=club.id)
    grid = remit_map.remit_map(session)
    assert grid.count(theme_id(session, "Young people"), place_key(session, "Northgate")) == 2


def test_crowded_threshold_grows_with_a_busy_map() -> None:
    assert remit_map.crowded_threshold([]) == 3
    assert remit_map.crowded_threshold([1, 1, 2]) == 3
    assert remit_map.crowded_threshold([5, 6, 7, 0]) == 12


def test_the_map_exports_to_excel_with_counts_as_numbers_and_the_partners_listed(
    session: Session, tmp_path: Path
) -> None:
    import openpyxl

    build_town(session)
    grid = remit_map.remit_map(session)
    written = remit_map.export_xlsx(session, grid, tmp_path / "map.xlsx")
    book = openpyxl.load_workbook(written)
    assert book.sheetnames == ["Remit map", "Partners by cell"]
    sheet = book["Remit map"]
    assert sheet["A3"].value == "Theme" and [c.value for c in sheet[3][1:]] == ["Canal Side", "Eastfield", "Northgate"]
    youth_row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "Young people")
    assert [c.value for c in youth_row[1:]] == [1, 0, 3]
    assert youth_row[2].fill.fgColor.rgb.endswith("F9D6D5")  # the gap
    assert youth_row[3].fill.fgColor.rgb.endswith("FFD98A") and "▲" in youth_row[3].number_format
    cells = book["Partners by cell"]
    listed = {(r[0].value, r[1].value): (r[2].value, r[3].value, r[4].value) for r in cells.iter_rows(min_row=2)}
    assert listed[("Young people", "Northgate")] == (
        3,
        "Crowded",
        "Canal Side Youth Project, Northgate Jamia Mosque, Northgate Youth Club",
    )
    assert listed[("Young people", "Eastfield")][:2] == (0, "Gap")


def test_the_rows_are_the_themes_as_named_in_the_window_s_language(session: Session) -> None:
    build_town(session)
    young_people = theme_id(session, "Young people")
    i18n.set_language("cy")
    grid = remit_map.remit_map(session, axis=MapAxis.PLACES)
    labels = [name for _id, name in grid.themes]
    assert "Pobl ifanc" in labels and "Tai" in labels and "Young people" not in labels
    assert labels == sorted(labels, key=fold)
    youth = dict((name, theme) for theme, name in grid.themes)["Pobl ifanc"]
    assert youth == young_people
