"""Team mode's live refresh in the window: what another laptop commits to the team database appears on the open
page, and in the open matrix and on the projector, with no key pressed (tests' real PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from cohesion_desktop.db.store import ServerStore, open_store
from cohesion_desktop.domain import MatrixColumn, Sector
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.workshops import WorkshopInput
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.views.partners_view import PartnersView
from cohesion_desktop.ui.views.workshops_view import WorkshopsView
from cohesion_desktop.workspace import Workspace
from tests.conftest import as_new

# Far longer than delivery takes (milliseconds; `make bench` measures it): a loaded machine must not fail the test.
PATIENCE_MS = 15_000


@pytest.fixture
def theirs(team_database: ServerStore) -> ServerStore:
    """Another laptop's copy of the team database (emptied first)."""
    return as_new(team_database)


@pytest.fixture
def team_window(make_window: object, theirs: ServerStore, qtbot: QtBot) -> Iterator[MainWindow]:
    """The main window on this laptop's own copy of the same team database."""
    window = make_window()  # type: ignore[operator]
    workspace = Workspace(open_store(theirs.address))
    window.files.workspace = workspace
    window.files.opened.emit(workspace)
    assert window.workspace is workspace
    listener = workspace._others
    assert listener is not None and listener.listening.wait(PATIENCE_MS / 1000)
    yield window
    window.close()
    assert not listener._thread.is_alive()  # closing the window stopped hearing


def test_a_partner_another_laptop_adds_appears_in_the_open_directory(
    qtbot: QtBot, team_window: MainWindow, theirs: ServerStore
) -> None:
    team_window.navigate("partners")
    page = team_window.pages["partners"]
    assert isinstance(page, PartnersView)

    def names() -> list[str]:
        return [row.name for row in page.model.rows()]

    assert "Harrowfield CVS" not in names()
    with theirs.session() as session:
        partners.create_partner(session, data=PartnerInput(name="Harrowfield CVS", sector=Sector.VCS))
    qtbot.waitUntil(lambda: "Harrowfield CVS" in names(), timeout=PATIENCE_MS)


def test_another_facilitators_entry_appears_in_the_open_matrix_and_on_the_projector(
    qtbot: QtBot, team_window: MainWindow, theirs: ServerStore
) -> None:
    with theirs.session() as session:
        template = next(t for t in workshops.templates(session) if t.is_default)
        made = workshops.create_workshop(
            session, data=WorkshopInput(title="Roundtable", held_on=date(2026, 5, 5), template_id=template.id)
        )
    team_window.navigate("workshops")
    page = team_window.pages["workshops"]
    assert isinstance(page, WorkshopsView)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=PATIENCE_MS)  # the new workshop, heard of too
    page.open_workshop(made.id)
    page.toggle_projector()
    projector = page.projector
    assert projector is not None
    qtbot.addWidget(projector)
    # The facilitator here has half typed an entry in another cell: it must survive the other's entry arriving.
    typing = page.editor.cells[0][0].capture
    qtbot.keyClicks(typing, "Half typ")
    row_id = made.rows[1].id
    with theirs.session() as session:
        workshops.add_entry(
            session, workshop_id=made.id, row_id=row_id, column=MatrixColumn.SUPPORT_NEEDED, text="Shared venue list"
        )

    def shown_in_editor() -> list[str]:
        model = page.editor.cells[1][list(MatrixColumn).index(MatrixColumn.SUPPORT_NEEDED)].model
        return [model.entry(i).text for i in range(model.rowCount())]

    qtbot.waitUntil(lambda: shown_in_editor() == ["Shared venue list"], timeout=PATIENCE_MS)
    assert [e.text for e in projector.document.entries(row_id, MatrixColumn.SUPPORT_NEEDED)] == ["Shared venue list"]
    assert typing.text() == "Half typ"
    projector.close()
