"""The table models: sorting keeps the selection (the shared reorder_rows), and every model of the window passes
Qt's model tester."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QObject, Qt
from PySide6.QtWidgets import QTableView

import cohesion_desktop.ui
from cohesion_desktop.domain import RelationshipStage, Sector
from cohesion_desktop.services import history
from cohesion_desktop.services.partners import PartnerFilter, PartnerRow, filter_partners
from cohesion_desktop.services.volunteering import placements
from cohesion_desktop.text import fold
from cohesion_desktop.ui import worker
from cohesion_desktop.ui.dialogs.history_dialog import HistoryDialog
from cohesion_desktop.ui.dialogs.import_hours_dialog import ImportHoursDialog
from cohesion_desktop.ui.dialogs.import_partners_dialog import ImportPartnersDialog
from cohesion_desktop.ui.dialogs.import_volunteers_dialog import ImportVolunteersDialog
from cohesion_desktop.ui.dialogs.week_hours_dialog import WeekHoursDialog
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.models.partners_table_model import COL_NAME, PartnersTableModel
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel
from cohesion_desktop.ui.views.partners_view import PartnersView
from cohesion_desktop.ui.views.volunteers_view import VolunteersView
from cohesion_desktop.ui.views.workshops_view import WorkshopsView
from tests.importing.builders import (
    HOURS_MERGES,
    HOURS_ROWS,
    MESSY_MERGES,
    MESSY_ROWS,
    VOLUNTEER_MERGES,
    VOLUNTEER_ROWS,
    write_xlsx,
)


def test_typing_on_in_the_partners_search_shows_what_a_fresh_search_shows() -> None:
    """Typing on searches only the rows still shown: the same rows, in the same order, as searching them all."""
    names = ["Northgate Trust", "North Harrow CVS", "Southgate Mosque", "Harrow Northern Rail", "Gate Arts", "Nora's"]
    rows = [
        PartnerRow(
            key=f"{number:032x}",
            name=name,
            sector=Sector.VCS,
            is_sme=False,
            stage=RelationshipStage.ACTIVE,
            main_contact="",
            stored_updated_at="2026-01-01 00:00:00",
            search_text=fold(name),
        )
        for number, name in enumerate(names)
    ]
    model = PartnersTableModel()
    model.set_rows(rows)
    for query in ["n", "no", "nor", "north", "nort", "north g", "north ga", "gate", "gate  n", "", "ha", "harrow n"]:
        model.set_filter(PartnerFilter(query=query))
        assert [row.name for row in model.rows()] == [row.name for row in filter_partners(rows, PartnerFilter(query))]
    model.set_filter(PartnerFilter(query="harrow n", sector=Sector.BUSINESS))  # another filter: searched again whole
    assert model.rows() == []


def test_the_selected_row_stays_selected_when_the_table_is_sorted(qtbot: QtBot) -> None:
    model: RowsTableModel[tuple[str, int]] = RowsTableModel(
        [Column("Name", lambda row: row[0]), Column("Hours", lambda row: row[1])]
    )
    model.set_rows([("Aled", 3), ("Bea", 12), ("Cai", 7)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.selectionModel().setCurrentIndex(
        model.index(1, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(row)[0] for row in range(3)] == ["Bea", "Cai", "Aled"]
    assert model.row_at(view.currentIndex().row())[0] == "Bea"
    assert [index.row() for index in view.selectionModel().selectedRows()] == [0]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.row_at(view.currentIndex().row())[0] == "Bea" and view.currentIndex().row() == 1


class _HeldRest:
    """Stands in for the background read of the directory's rest: it arrives when the test says, or when waited for."""

    def __init__(self, rows: list[PartnerRow]) -> None:
        self.rows = rows
        self.arrived: Callable[[list[PartnerRow]], None] | None = None

    def wait(self) -> None:
        self.deliver()

    def drop(self) -> None:
        self.arrived = None

    def deliver(self) -> None:
        arrived, self.arrived = self.arrived, None
        if arrived is not None:
            arrived(self.rows)


def _partner(name: str) -> PartnerRow:
    return PartnerRow(
        key=uuid.uuid5(uuid.NAMESPACE_DNS, name).hex,
        name=name,
        sector=Sector.VCS,
        is_sme=False,
        stage=RelationshipStage.ACTIVE,
        main_contact="",
        stored_updated_at="2026-01-01 00:00:00.000000",
        search_text=name.casefold(),
    )


def test_the_directory_s_first_screen_moves_with_its_selection_when_the_rest_puts_other_rows_first(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    """The first screen comes in the database's order of names (code points: "alder" after "Zed"); the table's is
    case-folded. When the rest arrives, the rows move to where the whole directory has them, the selection with
    them, and the rows further down were never shown (or waited for)."""
    every = [_partner(name) for name in ("Alpha", "Beta", "Zed", "alder", "Yew")]
    model = PartnersTableModel()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    rest = _HeldRest(every)

    def read_rest(arrived: Callable[[list[PartnerRow]], None]) -> Any:
        rest.arrived = arrived
        return rest

    model.show_first(every[:2], PartnerFilter(), len(every), read_rest)  # the first two by code point
    assert not model.complete and model.rowCount() == 5
    assert [model.index(row, 0).data() for row in range(2)] == ["Alpha", "Beta"]
    view.selectionModel().setCurrentIndex(
        model.index(1, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    rest.deliver()
    assert model.complete
    assert [row.name for row in model.rows()] == ["alder", "Alpha", "Beta", "Yew", "Zed"]
    assert model.row_at(view.currentIndex().row()).name == "Beta"
    assert [index.row() for index in view.selectionModel().selectedRows()] == [2]
    qtmodeltester.check(model)


def test_a_directory_read_whole_in_the_background_shows_nothing_until_then_and_takes_what_was_typed_meanwhile(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    """Reopened with a search, the directory shows no row (not a part presented as the answer) until every row has
    arrived; a search typed and a sort asked for meanwhile apply to them; the export's rows wait for them."""
    every = [_partner(name) for name in ("Northgate Mosque", "Alpha", "North Hall", "Beta", "Northern Rail")]
    model = PartnersTableModel()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    rest = _HeldRest(every)

    def read_all(arrived: Callable[[list[PartnerRow]], None]) -> Any:
        rest.arrived = arrived
        return rest

    model.read_all_later(PartnerFilter(query="nor"), read_all)
    assert model.reading and model.rowCount() == 0 and model.total_count == 0
    model.set_filter(PartnerFilter(query="north"))  # typed on, and typed a letter that narrows no earlier answer
    model.set_filter(PartnerFilter(query="northe"))
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert model.reading and rest.arrived is not None  # nothing of that waited for the rows
    rest.deliver()
    assert not model.reading and model.complete
    assert [row.name for row in model.rows()] == ["Northern Rail"]
    assert model.total_count == 5
    model.set_filter(PartnerFilter(query="nor"))
    assert [row.name for row in model.rows()] == ["Northgate Mosque", "Northern Rail", "North Hall"]
    assert model.rows() == sorted(
        filter_partners(every, PartnerFilter(query="nor")), key=lambda row: row.name.casefold(), reverse=True
    )
    qtmodeltester.check(model)

    model.read_all_later(PartnerFilter(query="alp"), read_all)
    assert model.rows() == [every[1]]  # what needs every row waits for them


def test_the_volunteer_list_read_whole_for_a_search_shows_nothing_until_then_and_takes_what_was_typed_meanwhile(
    qtbot: QtBot,
) -> None:
    from cohesion_desktop.ui.models.volunteers_table_model import VolunteersTableModel, with_ids

    names = ["Ahmed Khan", "Aisha Begum", "Ahmed Ali", "Bob Jones"]
    index = [(uuid.uuid5(uuid.NAMESPACE_DNS, name).hex, fold(name)) for name in names]
    rest = _HeldRest([])
    read_whole: list[str] = []

    def read_index(order: str, descending: bool, arrived: Callable[[Any], None]) -> Any:
        rest.arrived = lambda _rows: arrived(with_ids(index))
        return rest

    def load_index(order: str, descending: bool) -> list[tuple[str, str]]:
        read_whole.append(order)
        return index

    model = VolunteersTableModel(
        load_index,
        lambda ids: [],
        load_start=lambda order, descending, limit: (index[:limit], len(index)),
        read_index=read_index,
    )
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.reload("ahmed")
    assert model.reading and model.rowCount() == 0
    model.search("ahmed al")  # typed on meanwhile
    assert model.reading and not read_whole  # nothing waited, nothing read on this thread
    rest.deliver()
    assert not model.reading and model.rowCount() == 1
    model.search("a")
    assert model.rowCount() == 3
    model.reload("bob")
    model.wait_for_rows()
    assert model.rowCount() == 1 and not read_whole


def _model_classes() -> set[type[QAbstractItemModel]]:
    """Every item model class the window's code defines (each ui module imported, its classes collected)."""
    package = Path(cohesion_desktop.ui.__file__).parent
    for path in package.rglob("*.py"):
        importlib.import_module("cohesion_desktop." + ".".join(path.relative_to(package.parent).with_suffix("").parts))
    found: set[type[QAbstractItemModel]] = set()
    waiting: list[type] = [QAbstractItemModel]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("cohesion_desktop.ui"):
                found.add(subclass)
    return found


def test_every_model_of_the_window_passes_the_model_tester(
    qtbot: QtBot, window: MainWindow, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    """Each page shown and filled with the example town, an editor open on each, then every item model the window
    and its dialogs hold is checked; a model class that no check reached fails the test, so none is left out."""
    window.load_example_data()
    checked: set[type] = set()

    def check_all(root: QObject) -> None:
        for model in root.findChildren(QAbstractItemModel):
            if type(model).__module__.startswith("cohesion_desktop.ui"):
                qtmodeltester.check(model)
                checked.add(type(model))

    for key in ("dashboard", "partners", "opportunities", "volunteers", "workshops", "actions"):
        window.navigate(key)
    partners_page, volunteers_page = window.pages["partners"], window.pages["volunteers"]
    assert isinstance(partners_page, PartnersView) and isinstance(volunteers_page, VolunteersView)
    partners_page.open_partner(partners_page.model.row_at(0).id)  # its contacts
    partners_page.tabs.setCurrentIndex(1)  # the remit map, counted in the background
    qtbot.waitUntil(lambda: partners_page.remit_map.model.rowCount() > 0)
    for tab in range(volunteers_page.tabs.count()):
        volunteers_page.tabs.setCurrentIndex(tab)
    qtbot.waitUntil(lambda: not worker._running)
    workshops_page = window.pages["workshops"]
    assert isinstance(workshops_page, WorkshopsView)
    workshops_page.open_workshop(workshops_page.model.row_at(0).id)  # the matrix's cell models
    workshops_page.show_list()
    workshops_page.table.selectAll()
    workshops_page.combine()  # the synthesis
    check_all(window)

    sheet = write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS, merges=MESSY_MERGES)
    importing = ImportPartnersDialog(partners_page.context)
    qtbot.addWidget(importing)
    assert importing.choose_file(sheet)
    check_all(importing)
    for dialog_class, rows, merges, name in (
        (ImportVolunteersDialog, VOLUNTEER_ROWS, VOLUNTEER_MERGES, "volunteers.xlsx"),
        (ImportHoursDialog, HOURS_ROWS, HOURS_MERGES, "hours.xlsx"),
    ):
        people = dialog_class(volunteers_page.context)
        qtbot.addWidget(people)
        assert people.choose_file(write_xlsx(tmp_path / name, rows, merges=merges))
        check_all(people)
    week = WeekHoursDialog(
        load=lambda monday, _o: window.workspace.read(  # type: ignore[union-attr]
            placements.week_hours, monday=monday
        ),
        set_day=lambda *_a: None,
        opportunities=[],
    )
    qtbot.addWidget(week)
    check_all(week)
    partner = partners_page.model.row_at(0)
    changes = window.workspace.read(  # type: ignore[union-attr]
        history.record_history, kind="partner", record_id=partner.id
    )
    changed = HistoryDialog(partner.name, changes)
    qtbot.addWidget(changed)
    check_all(changed)
    assert _model_classes() <= checked
