"""The window on a team database (team mode, issue 17), driven as people use it, against the tests' own PostgreSQL
server: connecting through File → Connect (the password kept in a keyring: an in-memory one here, never the
computer's), a coordinator's partner stored on the server, a facilitator's window without the Volunteers page or an
error, a viewer's window that only reads, and a server that cannot be reached with the last offline copy offered."""

from __future__ import annotations

import socket
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine
from sqlmodel import select

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QWidget

from cohesion_desktop.cli import main
from cohesion_desktop.db import models, team_login
from cohesion_desktop.db.server import ServerAddress
from cohesion_desktop.db.store import ServerStore, open_store, plain_storage_error
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import StorageError
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.workshops import WorkshopInput
from cohesion_desktop.ui.app import start_window
from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.main_window import Pages
from cohesion_desktop.ui.prompts import Prompts
from cohesion_desktop.workspace import Workspace
from tests.conftest import as_new
from tests.journeys.driver import Journey
from tests.journeys.test_partners import add_partner
from tests.postgres_server import PostgresServer

DATABASE = "cohesion_tests"  # the test process's team database (tests/conftest.py)
# Logins of this file's own (the server is the whole test process's: test_roles.py makes its own).
FACILITATOR, VIEWER = "faye_window", "vince_window"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this test process only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    yield kept
    keyring.set_keyring(before)


@pytest.fixture
def team(team_database: ServerStore) -> ServerStore:
    """The test process's team database, as new, with one partner in it."""
    as_new(team_database)
    with team_database.session() as session:
        partners.create_partner(session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS))
    return team_database


@pytest.fixture(scope="module")
def logins(team_database: ServerStore, postgres_server: PostgresServer) -> dict[str, str]:
    """A facilitator's and a viewer's address: accounts made and granted as IT would (``grant USER ROLE``)."""
    admin = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for account in (FACILITATOR, VIEWER):
                connection.exec_driver_sql(f"CREATE ROLE {account} LOGIN")
    finally:
        admin.dispose()
    address = postgres_server.url(DATABASE)
    assert main(["--data", address, "grant", FACILITATOR, "facilitator"]) == 0
    assert main(["--data", address, "grant", VIEWER, "viewer"]) == 0
    return {account: address.replace("postgres@", f"{account}@") for account in (FACILITATOR, VIEWER)}


@pytest.fixture
def start_on(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[str | Path], Journey]]:
    """``start_on(target)``: the window as ``cohesion-desktop --data TARGET`` opens it, a data file or an address."""
    journeys: list[Journey] = []
    hook = sys.excepthook

    def begin(target: str | Path) -> Journey:
        window = start_window(target, prompts=Prompts(), settings=AppSettings())
        qtbot.addWidget(window)
        journey = Journey(qtbot, window, tmp_path / "no-data-file.sqlite")
        journeys.append(journey)
        window.activateWindow()
        return journey

    yield begin
    sys.excepthook = hook
    for journey in journeys:
        journey.window.close()
    for journey in journeys:
        journey.finish()


def opened(journey: Journey) -> None:
    journey.wait_until(lambda: journey.window.workspace is not None, what="the team database to open")


def closed_port() -> int:
    """A port nothing listens on (bound, then let go: the next connection to it is refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def visible_pages(journey: Journey) -> list[str]:
    sidebar = journey.window.sidebar
    return [sidebar.item(row).text() for row in range(sidebar.count()) if not sidebar.item(row).isHidden()]


def test_connect_through_the_dialog_remember_the_password_and_add_a_partner_stored_on_the_server(
    start_on: Callable[[str | Path], Journey],
    team: ServerStore,
    postgres_server: PostgresServer,
    memory_keyring: MemoryKeyring,
    data_file: Path,
) -> None:
    journey = start_on(data_file)
    opened(journey)

    @journey.on_dialog("Connect to a team database")
    def connect(dialog: QWidget) -> None:
        journey.fill("Server", "127.0.0.1")
        journey.fill("Port", str(postgres_server.port))
        journey.fill("Database", DATABASE)
        journey.fill("User name", "postgres")
        journey.fill("Password", "correct horse")
        journey.click(journey.find("Remember password on this computer", kind=QCheckBox))
        journey.click("Connect")

    journey.menu("File", "Connect to a team database…")
    assert connect.done
    journey.wait_until(lambda: journey.window.workspace is not None and journey.window.workspace.path is None)
    where = f"'{DATABASE}' on 127.0.0.1:{postgres_server.port}"
    assert journey.window.windowTitle() == f"{where} – Cohesion Desktop"
    assert "correct horse" not in journey.window.file_label.text() + journey.window.windowTitle()

    add_partner(journey, "Eastfield Youth Club")
    with team.session() as session:  # another connection: what the server holds
        names = set(session.exec(select(models.Partner.name).where(models.Partner.deleted_at.is_(None))).all())
    assert names == {"Millbrook Food Bank", "Eastfield Youth Club"}

    # The password went to the keyring once the database opened, under the address without it; the recent files
    # name the address, never the password.
    address = str(ServerAddress.parse(postgres_server.url(DATABASE)))
    assert memory_keyring.kept == {(team_login.KEYRING_SERVICE, address): "correct horse"}
    assert address in [str(item) for item in journey.window.settings.recent_files()]
    assert "correct horse" not in journey.window.settings.file.read_text(encoding="utf-8")
    # Backups, restore and merge are the server's, greyed out with why.
    file_menu = next(a.menu() for a in journey.window.menuBar().actions() if a.text() == "&File")
    backup = next(a for a in file_menu.actions() if a.text() == "&Back up now…")
    assert not backup.isEnabled() and "backed up and restored on its server" in backup.toolTip()


def test_an_address_without_a_password_finds_it_in_the_keyring(
    start_on: Callable[[str | Path], Journey],
    team: ServerStore,
    postgres_server: PostgresServer,
    memory_keyring: MemoryKeyring,
) -> None:
    address = ServerAddress.parse(postgres_server.url(DATABASE))
    team_login.remember_password(address, "kept")
    journey = start_on(postgres_server.url(DATABASE))
    opened(journey)
    workspace = journey.window.workspace
    assert workspace is not None and isinstance(workspace.store, ServerStore)
    assert workspace.store.address.url.password == "kept"  # the server trusts the tests' logins: asked, not checked


def test_a_facilitators_window_shows_their_pages_without_errors_and_no_volunteers(
    start_on: Callable[[str | Path], Journey], team: ServerStore, logins: dict[str, str]
) -> None:
    journey = start_on(logins[FACILITATOR])
    said: list[str] = []  # whatever the status bar said (a page whose rows could not be read says so there)
    journey.window.statusBar().messageChanged.connect(said.append)
    opened(journey)
    assert "Volunteers" not in visible_pages(journey)
    for page in visible_pages(journey):
        journey.sidebar(page)
        journey.wait_until(lambda page=page: journey.window.current_page() is not None, what=f"the {page} page")
    journey.sidebar("Partners")
    journey.row_index("Partners", "Millbrook Food Bank")
    journey.sidebar("Dashboard")
    assert "may not count volunteers" in " ".join(journey.texts())  # the figures left out, saying why
    pages = journey.window.pages
    assert isinstance(pages, Pages)
    journey.wait_until(lambda: pages.first_not_made() is None, what="every page to be made")  # made in advance
    journey.qtbot.wait(500)  # the last page's rows read in the background
    assert not [text for text in [*said, *journey.texts()] if "could not" in text]
    assert QApplication.activeModalWidget() is None  # no error box
    file_menu = next(a.menu() for a in journey.window.menuBar().actions() if a.text() == "&File")
    mailing = next(a for a in file_menu.actions() if a.text() == "Export &mailing list…")
    assert not mailing.isEnabled() and "volunteers' personal data" in mailing.toolTip()
    # A journey fails on any error dialog: finishing the test says none appeared.


def test_a_viewers_window_only_reads(
    start_on: Callable[[str | Path], Journey], team: ServerStore, logins: dict[str, str]
) -> None:
    journey = start_on(logins[VIEWER])
    opened(journey)
    journey.sidebar("Partners")
    journey.row_index("Partners", "Millbrook Food Bank")
    add = journey.find("Add partner")
    assert not add.isEnabled() and "may only read" in add.toolTip()
    edit_menu = next(a.menu() for a in journey.window.menuBar().actions() if a.text() == "&Edit")
    new = next(a for a in edit_menu.actions() if a.text() == "&New")
    assert not new.isEnabled() and "may only read" in new.toolTip()
    journey.click_row("Partners", "Millbrook Food Bank", double=True)
    name = journey.find("Name", kind=QLineEdit)
    assert name.isReadOnly()


def test_a_server_that_cannot_be_reached_is_said_and_the_last_offline_copy_offered(
    start_on: Callable[[str | Path], Journey], team: ServerStore, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    copy = tmp_path / "laptop.sqlite"
    assert main(["--data", postgres_server.url(DATABASE), "backup", "--out", str(copy)]) == 0
    assert team_login.last_offline_copy(ServerAddress.parse(postgres_server.url(DATABASE))) == copy.resolve()
    # The same database, as if its server had gone: the copy is remembered for it as backup --out remembers it.
    gone = f"postgresql://postgres@127.0.0.1:{closed_port()}/{DATABASE}"
    team_login.note_offline_copy(ServerAddress.parse(gone), copy)

    journey = start_on(gone)
    offer = journey.answer("Team database problem", "Open the offline copy")
    journey.wait_until(lambda: offer.done, what="the message that the server cannot be reached")
    assert "cannot be reached" in offer.text and str(copy.resolve()) in offer.text
    journey.wait_until(lambda: journey.window.workspace is not None, what="the offline copy to open")
    assert journey.window.workspace is not None and journey.window.workspace.path == copy.resolve()
    with journey.stored() as session:
        assert session.exec(select(models.Partner.name)).all() == ["Millbrook Food Bank"]


def test_the_connect_dialog_says_what_is_missing_under_each_field(
    start_on: Callable[[str | Path], Journey], data_file: Path
) -> None:
    journey = start_on(data_file)
    opened(journey)
    said: list[str] = []

    @journey.on_dialog("Connect to a team database")
    def connect(dialog: QWidget) -> None:
        journey.fill("Server", "db.example.org")
        journey.fill("Port", "99999")
        journey.click("Connect")
        said.extend(text for text in journey.texts(within=dialog) if text.startswith("⚠"))
        assert journey.focused_name() == "Port"  # the first field with a problem
        journey.click("Cancel")

    journey.menu("File", "Connect to a team database…")
    assert connect.done
    assert said == [
        "⚠ The port is a number from 1 to 65535 (usually 5432).",
        "⚠ Type the database's name.",
        "⚠ Type your user name on the server.",
    ]
    assert journey.window.workspace is not None and journey.window.workspace.path == data_file  # nothing changed


def test_a_database_that_does_not_exist_reopens_the_connect_dialog_to_correct_it(
    start_on: Callable[[str | Path], Journey], team: ServerStore, postgres_server: PostgresServer
) -> None:
    typo = postgres_server.url("cohesion_tets").replace("postgres@", "postgres:kept-pw@")
    journey = start_on(typo)
    seen: dict[str, object] = {}

    @journey.on_dialog("Connect to a team database")
    def correct(dialog: QWidget) -> None:
        seen["said"] = [text for text in journey.texts(within=dialog) if text.startswith("⚠")]
        seen["fields"] = {
            name: journey.find(name, kind=QLineEdit, within=dialog).text()
            for name in ("Server", "Port", "Database", "User name", "Password")
        }
        seen["focus"] = journey.focused_name()
        journey.type(DATABASE)  # the database's name is selected: typing replaces it
        journey.click("Connect")

    journey.wait_until(lambda: correct.done, what="the Connect dialog again")
    assert seen["said"] == [
        "⚠ There is no database 'cohesion_tets' on the server 127.0.0.1:"
        + str(postgres_server.port)
        + ". Check its name, or ask whoever looks after the server to create it."
    ]
    assert seen["fields"] == {
        "Server": "127.0.0.1",
        "Port": str(postgres_server.port),
        "Database": "cohesion_tets",
        "User name": "postgres",
        "Password": "",  # never shown again
    }
    assert seen["focus"] == "Database"
    opened(journey)
    workspace = journey.window.workspace
    assert workspace is not None and isinstance(workspace.store, ServerStore)
    assert workspace.store.address.url.database == DATABASE
    with journey.stored() as session:
        assert session.exec(select(models.Partner.name)).all() == ["Millbrook Food Bank"]


def test_a_refused_account_says_so_and_asks_again_with_the_password_empty(
    start_on: Callable[[str | Path], Journey], team: ServerStore, postgres_server: PostgresServer, data_file: Path
) -> None:
    journey = start_on(data_file)
    opened(journey)
    said: list[str] = []

    @journey.on_dialog("Connect to a team database")
    def first(dialog: QWidget) -> None:
        journey.fill("Server", "127.0.0.1")
        journey.fill("Port", str(postgres_server.port))
        journey.fill("Database", DATABASE)
        journey.fill("User name", "nobody_here")
        journey.fill("Password", "wrong")
        journey.click("Connect")

    journey.menu("File", "Connect to a team database…")
    assert first.done

    @journey.on_dialog("Connect to a team database")
    def again(dialog: QWidget) -> None:
        said.extend(text for text in journey.texts(within=dialog) if text.startswith("⚠"))
        assert journey.find("Password", kind=QLineEdit, within=dialog).text() == ""
        assert journey.find("User name", kind=QLineEdit, within=dialog).text() == "nobody_here"
        journey.click("Cancel")

    journey.wait_until(lambda: again.done, what="the Connect dialog again")
    assert len(said) == 1 and "refused nobody_here's password or account" in said[0]  # (no offline copy offered:
    # the journey fails on any dialog it did not expect)
    assert journey.window.workspace is not None and journey.window.workspace.path == data_file  # still open


def test_a_read_the_server_refuses_names_the_team_database_and_says_the_account_may_not_read_it(
    team: ServerStore, logins: dict[str, str]
) -> None:
    workspace = Workspace(open_store(logins[FACILITATOR]))
    try:
        with pytest.raises(StorageError) as refused:
            workspace.read(lambda session: session.exec(select(models.Volunteer.email)).all())
    finally:
        workspace.close()
    said = str(refused.value)
    assert said.startswith(f"The team database '{DATABASE}' on 127.0.0.1:")
    assert "your account may not read this kind of record (permission denied)" in said
    assert "data file" not in said and "SELECT" not in said
    assert plain_storage_error(refused.value) is refused.value  # what the window shows of it, as said


def test_take_an_offline_copy_from_the_file_menu_is_remembered_for_an_unreachable_server(
    start_on: Callable[[str | Path], Journey], team: ServerStore, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    journey = start_on(postgres_server.url(DATABASE))
    opened(journey)
    copy = tmp_path / "for the workshop.sqlite"
    journey.save_as("Take an offline copy", copy)
    told = journey.answer("Take an offline copy", "OK")
    journey.menu("File", "Take an offline copy…")
    journey.wait_until(lambda: told.done, what="the offline copy to be made", timeout_s=60)
    assert f"Copied the team database '{DATABASE}' on 127.0.0.1:" in told.text and str(copy) in told.text
    with sqlite3.connect(copy) as made:  # an ordinary data file, with the server's partner in it
        assert made.execute("SELECT name FROM partner").fetchall() == [("Millbrook Food Bank",)]
    assert team_login.last_offline_copy(ServerAddress.parse(postgres_server.url(DATABASE))) == copy.resolve()


def test_take_an_offline_copy_is_greyed_out_on_a_data_file_with_why(
    start_on: Callable[[str | Path], Journey], data_file: Path
) -> None:
    journey = start_on(data_file)
    opened(journey)
    file_menu = next(a.menu() for a in journey.window.menuBar().actions() if a.text() == "&File")
    offline = next(a for a in file_menu.actions() if a.text().replace("&", "") == "Take an offline copy…")
    assert not offline.isEnabled() and "taken of a team database" in offline.toolTip()


def test_a_viewer_cannot_tick_themes_or_add_to_a_matrix(
    start_on: Callable[[str | Path], Journey], team: ServerStore, logins: dict[str, str]
) -> None:
    with team.session() as session:
        partner_id = session.exec(select(models.Partner.id)).one()
        partners.set_themes(session, partner_id=partner_id, names=["Food"])
        template = next(t for t in workshops.templates(session) if t.is_default)
        workshops.create_workshop(
            session, data=WorkshopInput(title="Roundtable", held_on=date(2026, 5, 5), template_id=template.id)
        )
    journey = start_on(logins[VIEWER])
    opened(journey)

    journey.sidebar("Partners")
    journey.click_row("Partners", "Millbrook Food Bank", double=True)
    journey.click_row("Themes checklist", "Food")  # on the tick's row; the keyboard's way to tick is Space
    journey.press("Space")
    themes = journey.find("Themes checklist")
    assert themes.model().item(0).checkState() == Qt.CheckState.Checked  # shown as stored, and not unticked
    assert "may only read" in themes.toolTip()

    journey.sidebar("Workshops")
    journey.click_row("Workshops", "Roundtable", double=True)
    journey.wait_until(lambda: journey.focused_name().startswith("Add an entry: 1."), what="the matrix's first cell")
    journey.type("A viewer's idea")
    journey.press("Return")
    journey.press("+")
    assert journey.focused().text() == ""
    with team.session() as session:
        assert session.exec(select(models.MatrixEntry)).all() == []
