"""Roles enforced by the server (team mode, issue 17): people log in with their own accounts, and the server itself
refuses what their role may not see or change: a facilitator never reads volunteers' personal data (nor the
history's rows about people), a viewer reads figures and writes nothing, a coordinator does everything."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from cohesion_desktop.cli import main
from cohesion_desktop.dates import Period
from cohesion_desktop.db import models, roles, server
from cohesion_desktop.db.offline_copy import take_offline_copy
from cohesion_desktop.db.roles import Role
from cohesion_desktop.db.server import ServerAddress
from cohesion_desktop.db.store import ServerStore, open_server_store, open_store, storage_error_from
from cohesion_desktop.domain import ActionStatus, MatrixColumn, OpportunityStatus, Sector
from cohesion_desktop.errors import StorageError, TeamDatabaseError
from cohesion_desktop.services import partners, reporting, workshops
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.volunteering import opportunities, placements, volunteers
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from cohesion_desktop.services.workshops import ActionInput, WorkshopInput
from tests.conftest import as_new
from tests.postgres_server import PostgresServer

TODAY = date(2026, 6, 15)
DATABASE = "cohesion_tests"  # the test process's team database (tests/conftest.py)
# One login per role; the server of each test process is its own, so the names need not differ by worker.
ACCOUNTS = {Role.COORDINATOR: "cora", Role.FACILITATOR: "fay", Role.VIEWER: "vic"}


@pytest.fixture(scope="module")
def logins(team_database: ServerStore, postgres_server: PostgresServer) -> dict[Role, str]:
    """Three people's accounts on the server, each given its role as IT would: ``grant USER ROLE``."""
    admin = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for account in ACCOUNTS.values():
                connection.exec_driver_sql(f"CREATE ROLE {account} LOGIN")
    finally:
        admin.dispose()
    for role, account in ACCOUNTS.items():
        assert main(["--data", postgres_server.url(DATABASE), "grant", account, role.value]) == 0
    return {
        role: postgres_server.url(DATABASE).replace("postgres@", f"{account}@") for role, account in ACCOUNTS.items()
    }


@pytest.fixture(scope="module")
def opened(logins: dict[Role, str]) -> Iterator[dict[Role, ServerStore]]:
    """The team database as each person opens it: with their own account."""
    stores = {role: open_server_store(ServerAddress.parse(url)) for role, url in logins.items()}
    yield stores
    for store in stores.values():
        store.close()


@dataclasses.dataclass
class Town:
    partner: partners.PartnerDetail
    volunteer: volunteers.VolunteerDetail


@pytest.fixture
def town(team_database: ServerStore, opened: dict[Role, ServerStore]) -> Town:
    """A partner, a volunteer placed on its opportunity with hours, written by the coordinator (the history's
    rows about the volunteer are then the coordinator's too)."""
    as_new(team_database)
    with opened[Role.COORDINATOR].session() as session:
        host = partners.create_partner(session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS))
        offer = opportunities.create_opportunity(
            session,
            data=OpportunityInput(title="Pantry host", host_partner_id=host.id, status=OpportunityStatus.OPEN),
        )
        person = volunteers.create_volunteer(
            session, data=VolunteerInput(name="Aisha Khan", email="aisha@example.org", phone="07700 900123")
        )
        placed = placements.place_volunteer(
            session, volunteer_id=person.id, opportunity_id=offer.row.id, starts_on=TODAY, today=TODAY
        )
        placements.log_hours(session, placement_id=placed.id, on_date=TODAY, hours=3.5, today=TODAY)
    return Town(host, person)


def refused(exc: BaseException) -> str:
    """The server's SQLSTATE behind an error the app raised or passed on."""
    while exc is not None and not isinstance(exc, DBAPIError):
        exc = exc.__cause__  # type: ignore[assignment]
    assert isinstance(exc, DBAPIError)
    return server.sqlstate_of(exc)


def test_a_facilitator_works_on_partners_and_workshops_but_the_server_refuses_volunteers_emails(
    town: Town, opened: dict[Role, ServerStore]
) -> None:
    store = opened[Role.FACILITATOR]
    with store.session() as session:
        assert [row.name for row in partners.list_partners(session)] == ["Millbrook Food Bank"]
        template = workshops.templates(session)[0]
        workshop = workshops.create_workshop(
            session, data=WorkshopInput(title="Roundtable", held_on=TODAY, template_id=template.id)
        )
        entry = workshops.add_entry(
            session,
            workshop_id=workshop.id,
            row_id=workshop.rows[0].id,
            column=MatrixColumn.COULD_DO_MORE,
            text="Open the pantry on Saturdays",
            partner_id=town.partner.id,
        )
        workshops.create_action(
            session, data=ActionInput(title="Saturday rota", owner_id=town.partner.id), entry_id=entry.id
        )
        with pytest.raises(DBAPIError) as asked:
            session.execute(select(models.Volunteer.email)).all()
        session.rollback()
    assert server.sqlstate_of(asked.value) == "42501"
    said = str(storage_error_from(asked.value, saving=False, team_database=server.team_database_of(session)))
    assert "may not read this kind of record (permission denied)" in said and "Nothing was changed" in said
    assert "aisha" not in said.lower()
    # Nor a name, nor a placement (who does what): people are the coordinators'.
    with store.session() as session:
        for asked_for in (models.Volunteer.name, models.Placement.volunteer_id, models.HoursEntry.activity):
            with pytest.raises(DBAPIError) as again:
                session.execute(select(asked_for)).all()
            assert server.sqlstate_of(again.value) == "42501"
            session.rollback()
        # How many, never who: the opportunity's filled places are counted for her.
        assert [row.title for row in opportunities.list_opportunities(session)] == ["Pantry host"]
        # Adding a volunteer goes through the app's one unit of work: refused in words, nothing kept.
        with pytest.raises(StorageError, match=r"permission denied\)\. Your last change was not saved"):
            volunteers.create_volunteer(session, data=VolunteerInput(name="Ben Ode"))
    with opened[Role.COORDINATOR].session() as session:
        assert session.scalar(select(func.count()).select_from(models.Action)) == 1
        assert session.scalar(select(func.count()).select_from(models.Volunteer)) == 1


def test_a_facilitator_reads_no_history_row_about_people(town: Town, opened: dict[Role, ServerStore]) -> None:
    count_by_kind = select(models.HistoryEntry.record_kind, func.count()).group_by(models.HistoryEntry.record_kind)
    with opened[Role.COORDINATOR].session() as session:
        everything = dict(session.execute(count_by_kind).all())
    with opened[Role.FACILITATOR].session() as session:
        seen = dict(session.execute(count_by_kind).all())
        about_aisha = session.execute(
            select(func.count()).where(models.HistoryEntry.record_id == town.volunteer.id)
        ).scalar()
    assert {"volunteer", "placement", "hours_entry"} <= everything.keys()  # there is something to hide
    assert seen == {kind: n for kind, n in everything.items() if kind not in roles.PEOPLE}
    assert seen["partner"] and about_aisha == 0
    # Nor can a facilitator's account write a row about a person into it (an "erasure" of someone, say).
    with opened[Role.FACILITATOR].engine.begin() as connection, pytest.raises(DBAPIError) as written:
        connection.execute(
            insert(models.HistoryEntry.__table__).values(  # type: ignore[attr-defined]
                id=uuid.uuid4(),
                at=datetime.now(UTC),
                record_kind="volunteer",
                record_id=town.volunteer.id,
                action="erased",
            )
        )
    assert server.sqlstate_of(written.value) == "42501" and "row-level security" in str(written.value)


def test_a_facilitators_offline_copy_holds_no_people(
    town: Town, opened: dict[Role, ServerStore], tmp_path: Path
) -> None:
    """A facilitator takes the workshop laptop's copy: the people tables are left out, not refused halfway."""
    made = take_offline_copy(opened[Role.FACILITATOR], tmp_path / "workshop.sqlite")
    assert set(made.left_out) == roles.PEOPLE
    with open_store(made.path, read_only=True) as copy, copy.session() as session:
        assert [row.name for row in partners.list_partners(session)] == ["Millbrook Food Bank"]
        assert session.scalar(select(func.count()).select_from(models.Volunteer)) == 0
        kinds = set(session.execute(select(models.HistoryEntry.record_kind)).scalars())
    assert "partner" in kinds and not kinds & roles.PEOPLE


def test_a_viewer_reads_the_figures_and_writes_nothing(town: Town, opened: dict[Role, ServerStore]) -> None:
    period = Period(date(2025, 7, 1), TODAY)
    with opened[Role.COORDINATOR].session() as session:
        expected = reporting.summary(session, period=period, today=TODAY)
    with opened[Role.VIEWER].session() as session:
        assert reporting.summary(session, period=period, today=TODAY) == expected
        with pytest.raises(DBAPIError) as asked:
            session.execute(select(models.Volunteer.name)).all()
        assert server.sqlstate_of(asked.value) == "42501"
        session.rollback()
        with pytest.raises(StorageError, match="permission denied"):
            partners.create_partner(session, data=PartnerInput(name="Harrowfield CVS", sector=Sector.VCS))
    assert any(figure.value for figure in expected.figures)  # hours and volunteers were counted: not vacuous


def test_a_coordinator_does_everything(town: Town, opened: dict[Role, ServerStore]) -> None:
    with opened[Role.COORDINATOR].session() as session:
        assert session.execute(select(models.Volunteer.email)).scalar() == "aisha@example.org"
        volunteers.create_volunteer(session, data=VolunteerInput(name="Ben Ode", email="ben@example.org"))
        assert volunteers.count_volunteers(session) == 2
        template = workshops.templates(session)[0]
        made = workshops.create_workshop(
            session, data=WorkshopInput(title="Review", held_on=TODAY, template_id=template.id)
        )
        action = workshops.create_action(session, data=ActionInput(title="Thank Aisha", status=ActionStatus.OPEN))
        workshops.delete_workshop(session, workshop_id=made.id)
        assert action.title == "Thank Aisha"
        assert session.execute(select(func.count()).where(models.HistoryEntry.record_kind == "volunteer")).scalar()


def test_roles_lists_who_has_which_and_granting_another_role_takes_the_old_one_away(
    opened: dict[Role, ServerStore], postgres_server: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres_server.url(DATABASE)
    capsys.readouterr()
    assert main(["--data", url, "roles"]) == 0
    assert capsys.readouterr().out.split() == ["cora", "coordinator", "fay", "facilitator", "vic", "viewer"]
    try:
        assert main(["--data", url, "grant", "vic", "facilitator"]) == 0
        assert "no longer: viewer" in capsys.readouterr().out
        assert main(["--data", url, "roles"]) == 0
        assert capsys.readouterr().out.split()[-2:] == ["vic", "facilitator"]
    finally:
        assert main(["--data", url, "grant", "vic", "viewer"]) == 0


@pytest.mark.parametrize(
    ("account", "role", "said"),
    [
        ("fay", "organiser", "There is no role “organiser”: choose coordinator, facilitator or viewer."),
        ("nobody_here", "viewer", "There is no account “nobody_here” on the server."),
        (f"{DATABASE}_viewer", "viewer", "is one of the team database's roles, not a person's account"),
    ],
)
def test_grant_says_in_one_line_what_is_wrong(
    opened: dict[Role, ServerStore],
    postgres_server: PostgresServer,
    capsys: pytest.CaptureFixture[str],
    account: str,
    role: str,
    said: str,
) -> None:
    capsys.readouterr()
    assert main(["--data", postgres_server.url(DATABASE), "grant", account, role]) == 1
    error = capsys.readouterr().err
    assert said in error and error.count("\n") == 1


def test_only_an_account_allowed_to_give_roles_may_grant(
    logins: dict[Role, str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--data", logins[Role.COORDINATOR], "grant", "fay", "coordinator"]) == 1
    error = capsys.readouterr().err
    assert "may not give out the team database's roles" in error and error.count("\n") == 1


def test_the_readmes_recipe_two_team_databases_with_roles_of_their_own(
    logins: dict[Role, str], postgres_server: PostgresServer, team_database: ServerStore
) -> None:
    """As the README says: an account with CREATEROLE owns a second database, runs init and grant (no superuser);
    a facilitator of one team database is nobody in the other until granted there (PUBLIC may not connect)."""
    admin = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE ROLE other_admin LOGIN CREATEROLE")
            connection.exec_driver_sql('CREATE DATABASE "other_team" OWNER other_admin')
    finally:
        admin.dispose()
    as_its_admin = postgres_server.url("other_team").replace("postgres@", "other_admin@")
    fay_there = logins[Role.FACILITATOR].replace(DATABASE, "other_team")
    assert main(["--data", as_its_admin, "init"]) == 0
    assert roles.group_role_name("other_team", Role.FACILITATOR) == "other_team_facilitator"
    with pytest.raises(TeamDatabaseError, match="permission denied"):
        open_server_store(ServerAddress.parse(fay_there))
    assert main(["--data", as_its_admin, "grant", "fay", "viewer"]) == 0
    with open_server_store(ServerAddress.parse(fay_there)) as store, store.session() as session:
        assert partners.list_partners(session) == []
        with pytest.raises(StorageError, match="permission denied"):
            partners.create_partner(session, data=PartnerInput(name="Harrowfield CVS", sector=Sector.VCS))
    # Her role in her own team database is untouched: the two databases' roles are different roles.
    assert ("fay", Role.FACILITATOR) in [(m.account, m.role) for m in roles.members(team_database.engine, DATABASE)]


def test_init_again_keeps_the_grants_and_changes_nobodys_role(
    logins: dict[Role, str], postgres_server: PostgresServer, team_database: ServerStore
) -> None:
    assert main(["--data", postgres_server.url(DATABASE), "init"]) == 0
    # A coordinator's init finds it ready and leaves the rights alone: only the tables' owner may change them.
    assert main(["--data", logins[Role.COORDINATOR], "init"]) == 0
    engine: Engine = team_database.engine
    assert [(m.account, m.role) for m in roles.members(engine, DATABASE)] == [
        ("cora", Role.COORDINATOR),
        ("fay", Role.FACILITATOR),
        ("vic", Role.VIEWER),
    ]
    with engine.connect() as connection:
        can = connection.execute(
            text(
                "SELECT has_column_privilege(:fay, 'volunteer', 'email', 'SELECT'), "
                "has_column_privilege(:vic, 'hours_entry', 'hours', 'SELECT'), "
                "has_column_privilege(:vic, 'hours_entry', 'activity', 'SELECT'), "
                "has_table_privilege(:fay, 'matrix_entry', 'INSERT'), "
                "has_table_privilege('public', 'partner', 'SELECT')"
            ),
            {"fay": f"{DATABASE}_facilitator", "vic": f"{DATABASE}_viewer"},
        ).one()
    assert tuple(can) == (False, True, False, True, False)


def test_a_long_database_name_still_gives_distinct_role_names_the_server_keeps_whole() -> None:
    long_a, long_b = "a" * 60 + "_one", "a" * 60 + "_two"
    names = {roles.group_role_name(name, role) for name in (long_a, long_b) for role in Role}
    assert len(names) == 6 and all(len(name.encode()) <= 63 for name in names)
    assert roles.group_role_name("harrowfield", Role.VIEWER) == "harrowfield_viewer"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FACILITATOR])
def test_the_people_tables_columns_a_role_reads_are_bookkeeping_or_chosen(role: Role) -> None:
    """An allow-list: a new personal column stays hidden until someone decides; no table of people is granted
    whole; and facilitators never get the column that leads from a placement to its volunteer."""
    grants = roles.grants_of(role)
    allowed = roles.VIEWER_COLUMNS if role is Role.VIEWER else roles.FACILITATOR_COLUMNS
    assert grants.columns.keys() == allowed.keys() and not grants.tables.keys() & roles.PEOPLE
    for table, columns in grants.columns.items():
        assert {"id", "deleted_at"} <= set(columns)
        assert not {"name", "email", "phone", "address", "notes", "activity", "message", "reference"} & set(columns)
        assert set(columns) - roles._bookkeeping() == set(allowed[table])
    if role is Role.FACILITATOR:
        assert "volunteer_id" not in grants.columns["placement"]
        assert "volunteer_check" not in grants.columns and "recognition" not in grants.columns


def test_grant_and_roles_on_a_data_file_say_they_are_for_a_team_database(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["grant", "sam", "viewer"], ["roles"]):
        assert main(["--data", str(data_file), *command]) == 2
        error = capsys.readouterr().err
        assert f"{command[0]} works on a team database (--data postgresql://" in error and error.count("\n") == 1
    assert not data_file.exists()


def test_the_window_asks_the_server_what_each_account_may_do(opened: dict[Role, ServerStore], data_file: Path) -> None:
    from cohesion_desktop.db.access import EVERYTHING, Access, access_of

    assert access_of(opened[Role.COORDINATOR].engine) == EVERYTHING
    assert access_of(opened[Role.FACILITATOR].engine) == Access(
        changes=True, people=False, people_figures=False, settings=False
    )
    assert access_of(opened[Role.VIEWER].engine) == Access(
        changes=False, people=False, people_figures=True, settings=False
    )
    with open_store(data_file) as store:  # a data file is its owner's
        assert access_of(store.engine) == EVERYTHING
