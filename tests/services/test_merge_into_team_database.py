"""Offline and back (team mode, issue 17): a laptop's offline copy of the team database (``backup --out``), worked on
with no network, merged back with ``--data postgresql://… merge laptop.sqlite`` on the tests' real PostgreSQL.
Both sides' work is kept, conflicts are reported as a file merge reports them, and tables a facilitator's copy
could not hold (volunteers and their hours) remove nothing on the server."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from cohesion_desktop.cli import main
from cohesion_desktop.db import models, roles
from cohesion_desktop.db.offline_copy import take_offline_copy
from cohesion_desktop.db.server import ServerAddress
from cohesion_desktop.db.store import ServerStore, open_server_store, open_store
from cohesion_desktop.domain import MatrixColumn, OpportunityStatus, Sector
from cohesion_desktop.services import merging, partners, workshops
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.volunteering import opportunities, placements, volunteers
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from cohesion_desktop.services.workshops import WorkshopInput
from tests.conftest import as_new
from tests.postgres_server import PostgresServer

TODAY = date(2026, 6, 15)
# A facilitator's account of this file's own (logins are the server's: tests/db/test_roles.py has "fay").
FACILITATOR = "fran"


@dataclass
class Town:
    partner: uuid.UUID
    volunteer: uuid.UUID
    placement: uuid.UUID
    workshop: workshops.WorkshopDetail


@pytest.fixture
def team(team_database: ServerStore) -> ServerStore:
    return as_new(team_database)


@pytest.fixture
def town(team: ServerStore) -> Town:
    """What the team database holds when the laptop takes its copy: a partner with an opportunity, a volunteer
    placed on it with hours, and a workshop with one entry."""
    with team.session() as session:
        host = partners.create_partner(session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS))
        offer = opportunities.create_opportunity(
            session, data=OpportunityInput(title="Pantry host", host_partner_id=host.id, status=OpportunityStatus.OPEN)
        )
        person = volunteers.create_volunteer(session, data=VolunteerInput(name="Aisha Khan", email="aisha@example.org"))
        placed = placements.place_volunteer(
            session, volunteer_id=person.id, opportunity_id=offer.row.id, starts_on=TODAY, today=TODAY
        )
        placements.log_hours(session, placement_id=placed.id, on_date=TODAY, hours=3.5, today=TODAY)
        template = next(t for t in workshops.templates(session) if t.is_default)
        workshop = workshops.create_workshop(
            session, data=WorkshopInput(title="Roundtable", held_on=TODAY, template_id=template.id)
        )
        workshops.add_entry(
            session,
            workshop_id=workshop.id,
            row_id=workshop.rows[0].id,
            column=MatrixColumn.ALREADY_DOING,
            text="Youth club",
        )
    return Town(host.id, person.id, placed.id, workshop)


def _work_offline(laptop: Path, town: Town, *, hours: bool) -> None:
    """A day's work on the laptop with no network: a partner, a matrix entry, a remit changed (and hours logged)."""
    with open_store(laptop) as store, store.session() as session:
        partners.create_partner(session, data=PartnerInput(name="Kirkby Trust", sector=Sector.FUNDER))
        workshops.add_entry(
            session,
            workshop_id=town.workshop.id,
            row_id=town.workshop.rows[1].id,
            column=MatrixColumn.COULD_DO_MORE,
            text="Share the hall",
        )
        partners.update_partner(session, partner_id=town.partner, changes={"remit": "Food parcels (laptop)"})
        if hours:
            placements.log_hours(session, placement_id=town.placement, on_date=TODAY, hours=2.0, today=TODAY)


def _work_on_the_server(team: ServerStore, town: Town) -> None:
    """Meanwhile in the office: another partner, another volunteer, and the same remit changed later."""
    with team.session() as session:
        partners.create_partner(session, data=PartnerInput(name="Harrowfield CVS", sector=Sector.VCS))
        volunteers.create_volunteer(session, data=VolunteerInput(name="Tom Price", email="tom@example.org"))
        partners.update_partner(session, partner_id=town.partner, changes={"remit": "Food parcels (office)"})


def _merge(capsys: pytest.CaptureFixture[str], team: ServerStore, laptop: Path, *more: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data", str(team.address.url.render_as_string(hide_password=False)), "merge", str(laptop), *more])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _names(team: ServerStore, model: type[models.Partner] | type[models.Volunteer]) -> list[str]:
    with team.session() as session:
        return sorted(session.execute(select(model.name)).scalars())


def _entries(team: ServerStore) -> list[str]:
    with team.session() as session:
        return sorted(session.execute(select(models.MatrixEntry.text)).scalars())


def _hours(team: ServerStore) -> float:
    with team.session() as session:
        return float(session.scalar(select(func.sum(models.HoursEntry.hours))) or 0)


def _remit(team: ServerStore, partner_id: uuid.UUID) -> str:
    with team.session() as session:
        return partners.get_partner(session, partner_id).remit


def _shown(report: merging.MergeReport) -> tuple[object, ...]:
    counts = {kind: vars(count) for kind, count in report.counts.items() if kind not in ("laptop", "history")}
    conflicts = [(c.kind, c.record, c.field, c.kept, c.lost, c.kept_from_other) for c in report.conflicts]
    return counts, conflicts, report.duplicates


def test_a_coordinators_laptop_work_comes_back_with_the_offices_and_the_same_report_as_a_file_merge(
    team: ServerStore, town: Town, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = take_offline_copy(team, tmp_path / "laptop.sqlite").path
    _work_offline(laptop, town, hours=True)
    _work_on_the_server(team, town)
    # The same merge into a data file holding what the server holds now: the rules' answer to compare with.
    as_file = take_offline_copy(team, tmp_path / "office.sqlite").path
    with open_store(as_file) as office:
        expected = merging.merge_file(office, other=laptop)

    code, said = _merge(capsys, team, laptop, "--dry-run")
    assert code == 0 and "Would merge laptop.sqlite into the team database" in said, said
    assert _names(team, models.Partner) == ["Harrowfield CVS", "Millbrook Food Bank"]  # a dry run writes nothing

    report = merging.merge_into_team_database(team, other=laptop)
    assert report.lines()[0] == "Merged laptop.sqlite into the team database."
    assert _shown(report) == _shown(expected)
    assert [(c.field, c.kept, c.lost) for c in report.conflicts] == [
        ("remit", "Food parcels (office)", "Food parcels (laptop)")  # the later change wins, the other is kept
    ]
    assert _names(team, models.Partner) == ["Harrowfield CVS", "Kirkby Trust", "Millbrook Food Bank"]
    assert _names(team, models.Volunteer) == ["Aisha Khan", "Tom Price"]
    assert _entries(team) == ["Share the hall", "Youth club"]
    assert _hours(team) == pytest.approx(5.5)  # each entry once
    assert _remit(team, town.partner) == "Food parcels (office)"
    with team.session() as session:
        lost = session.execute(select(models.HistoryEntry.old).where(models.HistoryEntry.action == "conflict"))
        assert "Food parcels (laptop)" in list(lost.scalars())

    code, said = _merge(capsys, team, laptop)  # again: nothing more to bring
    assert code == 0 and "Nothing to bring over" in said, said


def test_a_facilitators_copy_without_people_deletes_no_volunteer_on_the_server(
    team: ServerStore,
    town: Town,
    postgres_server: PostgresServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    admin = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{FACILITATOR}'").scalar()
        if not exists:
            connection.exec_driver_sql(f"CREATE ROLE {FACILITATOR} LOGIN")
    admin.dispose()
    database = team.address.url.database
    assert database is not None
    assert main(["--data", postgres_server.url(database), "grant", FACILITATOR, "facilitator"]) == 0
    facilitator_address = postgres_server.url(database).replace("postgres@", f"{FACILITATOR}@")
    with open_server_store(ServerAddress.parse(facilitator_address)) as facilitator:
        made = take_offline_copy(facilitator, tmp_path / "workshop.sqlite")
    assert set(made.left_out) == roles.PEOPLE
    _work_offline(made.path, town, hours=False)
    _work_on_the_server(team, town)

    code, said = _merge(capsys, team, made.path)
    assert code == 0, said
    assert "deleted" not in said
    assert _names(team, models.Volunteer) == ["Aisha Khan", "Tom Price"]  # nobody read as removed
    assert _hours(team) == pytest.approx(3.5)
    with team.session() as session:
        assert session.scalar(select(func.count()).select_from(models.Placement)) == 1
        assert session.get(models.Volunteer, town.volunteer).email == "aisha@example.org"  # type: ignore[union-attr]
    assert _names(team, models.Partner) == ["Harrowfield CVS", "Kirkby Trust", "Millbrook Food Bank"]
    assert _entries(team) == ["Share the hall", "Youth club"]
