"""The workspace: reads and writes on sessions of its own, and a typed notice of what each write changed, read
from the unit of work itself (no caller says what it changed, so no caller can forget to)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from cohesion_desktop.changes import AREA_OF_TABLE, Area, Changes
from cohesion_desktop.db import models  # noqa: F401 (the tables, registered with SQLModel)
from cohesion_desktop.db.store import open_store
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.services import demo, partners, settings
from cohesion_desktop.services.volunteering import opportunities, placements, volunteers
from cohesion_desktop.workspace import Workspace


@pytest.fixture
def workspace(data_file: Path) -> Iterator[Workspace]:
    opened = Workspace(open_store(data_file))
    yield opened
    opened.close()


def test_every_table_belongs_to_an_area() -> None:
    assert set(AREA_OF_TABLE) == set(SQLModel.metadata.tables)


def test_a_write_returns_its_areas_and_ids_and_every_listener_hears_of_it(workspace: Workspace) -> None:
    heard: list[Changes] = []
    workspace.listen(heard.append)
    written = workspace.write(
        partners.create_partner,
        data=partners.PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS, themes=["Youth"]),
    )
    assert written.value.name == "Millbrook Food Bank"
    assert written.changes.areas == {Area.PARTNERS} and written.value.id in written.changes.ids
    assert heard == [written.changes]
    assert workspace.read(partners.list_partners)[0].id == written.value.id
    assert heard == [written.changes]  # a read changes nothing, and says nothing


def test_a_refused_write_says_nothing_and_a_bulk_statement_names_its_area(workspace: Workspace) -> None:
    heard: list[Changes] = []
    workspace.listen(heard.append)
    with pytest.raises(ValidationError):
        workspace.write(partners.create_partner, data=partners.PartnerInput(name=" ", sector=Sector.VCS))
    assert heard == []
    host = workspace.write(partners.create_partner, data=partners.PartnerInput(name="Age Well", sector=Sector.VCS))
    made = workspace.write(
        opportunities.create_opportunity,
        data=opportunities.OpportunityInput(title="Befriending", host_partner_id=host.value.id, places_available=3),
    ).value
    person = workspace.write(volunteers.create_volunteer, data=volunteers.VolunteerInput(name="Nia")).value
    placed = workspace.write(placements.place_volunteer, volunteer_id=person.id, opportunity_id=made.row.id).value
    day = workspace.write(
        placements.set_day_hours, placement_id=placed.id, on_date=date(2026, 3, 2), hours=2.0, today=date(2026, 3, 3)
    )
    assert day.changes.areas == {Area.VOLUNTEERING}
    cleared = workspace.write(
        placements.set_day_hours, placement_id=placed.id, on_date=date(2026, 3, 2), hours=0, today=date(2026, 3, 3)
    )  # an UPDATE of many rows: the area, without ids
    assert cleared.changes.areas == {Area.VOLUNTEERING}
    # The partners' rows are all named (a page may read those rows only); the cleared entries are not.
    assert day.changes.names_rows_of(["partner", "contact"]) and not cleared.changes.names_rows_of(["hours_entry"])
    assert not (day.changes | cleared.changes).names_rows_of(["hours_entry"])
    assert not Changes.everything().names_rows_of(["partner"])  # tables unknown: nothing is named for sure
    for hours in (day, cleared):  # the Volunteers list keeps its index when no volunteer row changed
        assert hours.changes.may_have_changed("hours_entry") and not hours.changes.may_have_changed("volunteer")
    assert (day.changes | cleared.changes).tables == day.changes.tables | cleared.changes.tables  # type: ignore[operator]
    assert (day.changes | Changes.everything()).may_have_changed("volunteer")  # tables unknown: any of the areas
    assert (Changes() | day.changes) == day.changes
    saved = workspace.write(
        settings.save_settings,
        settings=settings.Settings(**{**workspace.read(settings.get_settings).__dict__, "retention_months": 30}),
    )
    assert saved.changes.areas == {Area.SETTINGS}


def test_a_write_the_unit_of_work_cannot_see_changes_everything(workspace: Workspace) -> None:
    """Example data is written through the connection, in bulk: every page must read again."""
    assert workspace.write(demo.load_demo).changes == Changes.everything()


def test_a_write_on_another_thread_is_heard_there_and_close_ends_the_notices(workspace: Workspace) -> None:
    threads: list[threading.Thread] = []
    workspace.listen(lambda _changes: threads.append(threading.current_thread()))
    writer = threading.Thread(
        target=lambda: workspace.write(
            partners.create_partner, data=partners.PartnerInput(name="Harrowfield CVS", sector=Sector.VCS)
        )
    )
    writer.start()
    writer.join()
    assert threads == [writer]
    workspace.announce(Changes.everything())
    assert len(threads) == 2
    workspace.close()
    workspace.announce(Changes.everything())
    assert len(threads) == 2
