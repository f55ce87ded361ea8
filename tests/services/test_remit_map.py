"""The remit map on a hand-made town: counts, gaps, crowded cells and the partners behind a cell."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from cohesion_desktop.domain import Sector
from cohesion_desktop.services import partners, remit_map
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.remit_map import MapAxis


def build_town(session: Session) -> None:
    # Youth in Northgate: three partners (crowded); Housing in Eastfield: one; Youth in Eastfield: none (gap).
    for name, sector, themes, places in [
        ("Northgate Youth Club", Sector.VCS, ["Young people"], ["Northgate"]),
        ("Northgate Jamia Mosque", Sector.FAITH, ["Young people"], ["Northgate"]),
        ("Canal Side Youth Project", Sector.VCS, ["Young people"], ["Northgate", "Canal Side"]),
        ("Pennine Valley Homes", Sector.HOUSING, ["Housing"], ["Eastfield"]),
    ]:
        partners.create_partner(session, data=PartnerInput(name=name, sector=sector, themes=themes, places=places))
    partners.create_partner(session, data=PartnerInput(name="Eastfield place only", sector=Sector.OTHER,
                                                       places=["Eastfield"]))


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
    cell = remit_map.partners_in_cell(session, theme_id=theme_id(session, "Young people"), axis=MapAxis.PLACES,
                                      column_key=place_key(session, "Northgate"))
    assert [row.name for row in cell] == ["Canal Side Youth Project", "Northgate Jamia Mosque",
                                          "Northgate Youth Club"]


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
