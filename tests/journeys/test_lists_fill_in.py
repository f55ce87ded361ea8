"""The Partners directory and the Volunteers list open on their first screen and fill in from the background (on the
large file, reading every row took a third of a second or more on the window thread). A person who acts before
the list has filled in (End, a sort, a search, an export) gets the rows a whole read gives; leaving the page,
opening another file or another program writing to the file meanwhile leaves no stale row and no crash.

The background reads are held until the window waits for them (or the test lets them go), so that the list is
still filling in when the person acts, however fast or busy the machine."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView, QWidget

from cohesion_desktop.db.store import open_store
from cohesion_desktop.formatting import format_number
from cohesion_desktop.services import demo, partners
from cohesion_desktop.services.volunteering import volunteers
from cohesion_desktop.text import fold
from cohesion_desktop.ui import worker
from cohesion_desktop.ui.models.volunteers_table_model import BLOCK
from cohesion_desktop.ui.views.partners_view import FIRST_SCREEN, PartnersView
from cohesion_desktop.ui.views.volunteers_view import VolunteersView
from tests.journeys.driver import Journey, visible_text

SCALE = 5  # 200 partners (more than a first screen of 128) and 2,000 volunteers (31 blocks of 64)


@pytest.fixture(scope="module")
def bigger_town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bigger") / "bigger.sqlite"
    with open_store(path) as made, made.session() as session:
        demo.load_demo(session, scale=SCALE)
    return path


class HeldReads:
    """Reads of a whole list off the window thread wait until the window waits for them (or :meth:`let_go`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self._released = threading.Event()
        self.waited_for = 0  # how many times the window waited for a read that had not arrived
        real_wait = worker.ReadAhead.wait

        def wait(ahead: worker.ReadAhead) -> None:
            if ahead.pending:
                self.waited_for += 1
            self._released.set()
            real_wait(ahead)

        monkeypatch.setattr(worker.ReadAhead, "wait", wait)

    def hold(self, module: Any, name: str) -> None:
        real = getattr(module, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is not threading.main_thread():
                self._released.wait(timeout=60)
            return real(*args, **kwargs)

        self._monkeypatch.setattr(module, name, held)

    def let_go(self) -> None:
        self._released.set()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldReads]:
    reads = HeldReads(monkeypatch)
    reads.hold(partners, "list_partners")
    reads.hold(volunteers, "volunteer_index")
    yield reads
    reads.let_go()  # a read still held would keep a worker thread for a minute


@pytest.fixture
def town(start: Any, bigger_town: Path) -> Journey:
    journey: Journey = start(example=bigger_town)
    return journey


def _directory_names(journey: Journey, *, descending: bool = False, containing: str = "") -> list[str]:
    with journey.stored() as session:
        names = [row.name for row in partners.list_partners(session) if fold(containing) in row.search_text]
    return sorted(names, key=str.casefold, reverse=descending)


def _volunteer_names(journey: Journey, *, query: str = "", order: str = "name") -> list[str]:
    with journey.stored() as session:
        ids = volunteers.volunteer_ids(session, query=query, order=order)
        return [row.name for row in volunteers.volunteer_rows(session, ids)]


def _click_header(journey: Journey, table: QTableView, column: int) -> None:
    header = table.horizontalHeader()
    journey.qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(column) + 5, header.height() // 2),
    )


def _open_partners_filling(journey: Journey) -> tuple[PartnersView, QTableView, list[str]]:
    journey.sidebar("Partners")
    page = journey.window.pages["partners"]
    assert isinstance(page, PartnersView)
    every = _directory_names(journey)
    assert len(every) > FIRST_SCREEN, "the file's partners fit on the first screen: nothing would fill in"
    assert not page.model.complete, "the directory was read whole: nothing fills in"
    assert visible_text(journey.find("Number of partners shown")) == f"{len(every)} partners"
    table = journey.find("Partners", kind=QTableView)
    assert table.model().index(0, 0).data() == every[0]
    return page, table, every


@pytest.mark.parametrize("action", ["End", "sort by name", "search", "export"])
def test_the_directory_fills_in_while_the_person_moves_sorts_searches_or_exports(
    town: Journey, held: HeldReads, tmp_path: Path, action: str
) -> None:
    page, table, every = _open_partners_filling(town)
    if action == "End":
        town.click_row(table, every[0])
        town.press("Ctrl+End")  # End alone goes to the last column of a table
        assert table.currentIndex().row() == len(every) - 1
        assert table.currentIndex().siblingAtColumn(0).data() == every[-1]
        assert town.rows(table) == every
    elif action == "sort by name":
        _click_header(town, table, 0)
        assert town.rows(table) == _directory_names(town, descending=True)
    elif action == "search":
        town.click_into("Search partners")
        town.type("harrowfield")
        shown = _directory_names(town, containing="harrowfield")
        assert 1 < len(shown) < len(every) and town.rows(table) == shown
        assert visible_text(town.find("Number of partners shown")) == f"{len(shown)} of {len(every)} partners match"
    else:
        target = tmp_path / "directory.xlsx"

        @town.on_dialog("Export partner directory")
        def choose(_dialog: QWidget) -> None:
            town.click("Export…")

        town.save_as("Export partner directory", target)
        told = town.answer("Export partner directory", "OK")
        town.click("Export…")
        town.wait_until(lambda: told.done, what="the directory to be written", timeout_s=60)
        assert choose.done and "was saved to" in told.text
        written = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
        assert [row[0] for row in written[1:]] == every
    assert held.waited_for == 1, "the person's action did not wait for the rest of the directory"
    assert page.model.complete


@pytest.mark.parametrize("action", ["End", "sort by e-mail", "search"])
def test_the_volunteer_list_fills_in_while_the_person_moves_sorts_or_searches(
    town: Journey, held: HeldReads, action: str
) -> None:
    every = _volunteer_names(town)
    assert len(every) > BLOCK, "the file's volunteers fit in one block: nothing would fill in"
    town.sidebar("Volunteers")
    page = town.window.pages["volunteers"]
    assert isinstance(page, VolunteersView)
    assert not page.model.complete, "the list was read whole: nothing fills in"
    assert page.count_label.text() == f"{format_number(len(every))} volunteers"
    table = town.find("Volunteers", kind=QTableView)
    assert table.model().index(0, 0).data() == every[0]
    if action == "End":
        town.click_row(table, every[0])
        town.press("Ctrl+End")
        assert table.currentIndex().row() == len(every) - 1
        assert table.currentIndex().siblingAtColumn(0).data() == every[-1]
        assert held.waited_for == 1, "End did not wait for the rest of the list"
        assert town.rows(table) == every
    elif action == "sort by e-mail":
        # A new order is a new read (its own first block, the rest from the background): the first is dropped.
        _click_header(town, table, 1)
        assert not page.model.complete
        assert town.rows(table) == _volunteer_names(town, order="email")
        assert held.waited_for == 1, "the list in its new order did not wait for its rest"
    else:
        town.click_into("Search volunteers")
        town.type("ah")
        expected = _volunteer_names(town, query="ah")
        town.wait_until(lambda: town.rows(table) == expected, what="the volunteers matching “ah”")
        assert 0 < len(expected) < len(every)
        assert held.waited_for == 1, "the search did not wait for the rest of the list"
    assert page.model.complete


def test_a_list_left_while_it_fills_in_is_whole_when_shown_again(town: Journey, held: HeldReads) -> None:
    town.sidebar("Volunteers")
    page = town.window.pages["volunteers"]
    assert isinstance(page, VolunteersView) and not page.model.complete
    town.sidebar("Partners")  # before the rest has arrived
    held.let_go()
    town.wait_until(lambda: page.model.complete, what="the list to fill in behind the Partners page")
    town.sidebar("Volunteers")
    assert town.rows("Volunteers") == _volunteer_names(town)
    assert held.waited_for == 0


def test_another_file_opened_while_the_lists_fill_in(town: Journey, held: HeldReads, tmp_path: Path) -> None:
    """The answers for the first file's pages come to nobody: the new file's pages show the new file."""
    town.sidebar("Volunteers")
    town.sidebar("Partners")
    assert not town.window.pages["partners"].model.complete  # type: ignore[attr-defined]
    town.save_as("New data file", tmp_path / "another.sqlite")
    town.press("Ctrl+Shift+N")
    town.wait_until(lambda: town.window.workspace is not None and town.window.workspace.path.name == "another.sqlite")
    held.let_go()
    town.wait_until(lambda: not worker.running_tasks(), what="the first file's reads to end")
    for key in ("volunteers", "partners"):
        town.sidebar(key.title())
        assert town.window.pages[key].model.rowCount() == 0  # type: ignore[attr-defined]
    assert held.waited_for == 0


def test_a_list_written_to_by_another_program_while_it_fills_in_shows_what_is_stored(
    town: Journey, held: HeldReads
) -> None:
    """Another program (or a person on the team's server) removes the first volunteer between the first block and
    the rest: once the rest has arrived, the list is the list as it now is."""
    every = _volunteer_names(town)
    town.sidebar("Volunteers")
    page = town.window.pages["volunteers"]
    assert isinstance(page, VolunteersView) and not page.model.complete
    with sqlite3.connect(town.data_file) as other:
        other.execute(
            "UPDATE volunteer SET deleted_at = '2026-01-01 00:00:00.000000' WHERE id = "
            "(SELECT id FROM volunteer WHERE deleted_at IS NULL AND erased_at IS NULL ORDER BY name, id LIMIT 1)"
        )
    held.let_go()
    town.wait_until(lambda: page.model.complete, what="the rest of the list")
    assert town.rows("Volunteers") == every[1:] == _volunteer_names(town)
    assert page.count_label.text() == f"{format_number(len(every) - 1)} volunteers"
