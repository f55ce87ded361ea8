"""The Opportunities and Volunteers pages, driven as a coordinator would."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from cohesion_desktop.changes import Changes
from cohesion_desktop.domain import OpportunityStatus, RecognitionKind
from cohesion_desktop.services.volunteering import checks, personal_data, placements, recognition, totals
from cohesion_desktop.services.volunteering import opportunities as opportunity_service
from cohesion_desktop.services.volunteering import volunteers as volunteer_service
from cohesion_desktop.ui import worker
from cohesion_desktop.ui.dialogs.certificate_dialog import CertificateDialog
from cohesion_desktop.ui.dialogs.log_hours_dialog import LogHoursDialog
from cohesion_desktop.ui.dialogs.match_dialog import MatchDialog
from cohesion_desktop.ui.dialogs.opportunity_dialog import OpportunityDialog
from cohesion_desktop.ui.dialogs.week_hours_dialog import WeekHoursDialog
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.views.opportunities_view import OpportunitiesView
from cohesion_desktop.ui.views.volunteers_view import VolunteersView
from tests.journeys.driver import type_character
from tests.ui.conftest import FakePrompts, example_data_file

# Every test here works in the example town.
data_file = pytest.fixture(example_data_file)


@pytest.fixture
def loaded(window: MainWindow) -> MainWindow:
    return window


@pytest.fixture
def volunteers(loaded: MainWindow) -> VolunteersView:
    loaded.navigate("volunteers")
    page = loaded.pages["volunteers"]
    assert isinstance(page, VolunteersView)
    return page


@pytest.fixture
def opportunities(qtbot: QtBot, loaded: MainWindow) -> OpportunitiesView:
    loaded.navigate("opportunities")
    page = loaded.pages["opportunities"]
    assert isinstance(page, OpportunitiesView)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)  # read in the background
    return page


def after_dialog(action: object) -> None:
    """Run ``action(dialog)`` on the modal dialog about to open."""
    QTimer.singleShot(0, lambda: action(QApplication.activeModalWidget()))  # type: ignore[operator]


def test_the_volunteer_and_opportunity_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, volunteers: VolunteersView, opportunities: OpportunitiesView
) -> None:
    assert volunteers.model.rowCount() == 120
    qtmodeltester.check(volunteers.model)
    qtmodeltester.check(opportunities.model)
    volunteers.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: volunteers.renewals_model.rowCount() > 0)
    qtmodeltester.check(volunteers.renewals_model)
    volunteers.tabs.setCurrentIndex(4)
    qtbot.waitUntil(lambda: volunteers.month_model.rowCount() > 0)
    qtmodeltester.check(volunteers.month_model)


def test_search_narrows_the_lazy_volunteer_table(qtbot: QtBot, volunteers: VolunteersView) -> None:
    qtbot.keyClicks(volunteers.search_field, "example.org")
    qtbot.waitUntil(lambda: volunteers.model.query == "example.org", timeout=30_000)
    assert volunteers.model.rowCount() == 120
    volunteers.search_field.clear()
    first = volunteers.model.row_at(0)
    assert first is not None
    qtbot.keyClicks(volunteers.search_field, first.email)
    qtbot.waitUntil(lambda: volunteers.model.rowCount() == 1, timeout=30_000)
    assert volunteers.model.row_at(0).email == first.email  # type: ignore[union-attr]
    assert volunteers.count_label.text() == "1 volunteer match"


def test_sorting_by_hours_asks_the_database(volunteers: VolunteersView) -> None:
    volunteers.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    hours = [volunteers.model.row_at(r).total_hours for r in range(10)]  # type: ignore[union-attr]
    assert hours == sorted(hours, reverse=True) and hours[0] > 0


def test_the_opportunity_dialog_shows_each_problem_beside_its_field(
    qtbot: QtBot, opportunities: OpportunitiesView
) -> None:
    seen: dict[str, str] = {}

    def fill(dialog: OpportunityDialog) -> None:
        qtbot.keyClicks(dialog.title_field, "Beach clean")
        qtbot.keyClicks(dialog.starts_field.edit, "10/06/2026")
        qtbot.keyClicks(dialog.ends_field.edit, "1/6/26")
        dialog.places_field.lineEdit().selectAll()
        qtbot.keyClicks(dialog.places_field, "-3")
        dialog._accept()
        seen.update({key: label.text() for key, label in dialog.errors.items() if label.isVisibleTo(dialog)})
        dialog.reject()

    after_dialog(fill)
    opportunities.new_item()
    assert seen == {
        "host": "⚠ Choose the partner that hosts the opportunity.",
        "ends_on": "⚠ The end (01/06/2026) is before the start (10/06/2026).",
        "places_available": "⚠ The number of places cannot be negative.",
    }


def test_a_new_opportunity_is_listed_and_undo_removes_it(
    qtbot: QtBot, opportunities: OpportunitiesView, loaded: MainWindow
) -> None:
    def fill(dialog: OpportunityDialog) -> None:
        qtbot.keyClicks(dialog.title_field, "Beach clean")
        dialog.host_field.lineEdit().selectAll()
        for character in "Repair Café Harrowfield":
            type_character(dialog.host_field.lineEdit(), character)
        dialog.status_field.setFocus()
        qtbot.keyClicks(dialog.status_field, "Open")
        assert dialog.status_field.value() is OpportunityStatus.OPEN
        dialog._accept()

    after_dialog(fill)
    opportunities.new_item()
    opportunities.search_field.setText("beach")
    qtbot.waitUntil(lambda: opportunities.model.rowCount() == 1)  # read again in the background
    assert opportunities.model.row_at(0).host == "Repair Café Harrowfield"
    loaded.undo_stack.undo()
    qtbot.waitUntil(lambda: opportunities.model.rowCount() == 0)


def test_find_volunteers_places_the_best_match(
    qtbot: QtBot, opportunities: OpportunitiesView, loaded: MainWindow
) -> None:
    opportunities.search_field.setText("Repair café fixer")
    opportunities.table.selectRow(0)
    placed: dict[str, object] = {}

    def place_first(dialog: MatchDialog) -> None:
        assert dialog.model.rowCount() > 0
        best = dialog.model.row_at(0)
        placed["name"] = best.name  # type: ignore[attr-defined]
        dialog.place_button.click()
        placed["message"] = dialog.message.text()
        dialog.reject()

    after_dialog(place_first)
    opportunities.find_volunteers()
    assert "is now placed" in str(placed["message"])
    with loaded.workspace.store.session() as session:  # type: ignore[union-attr]
        fixer = next(o for o in opportunity_service.list_opportunities(session) if o.title == "Repair café fixer")
        names = [p.volunteer for p in placements.list_placements(session, opportunity_id=fixer.id)]
    assert placed["name"] in names


def test_the_volunteer_editor_validates_beside_the_field_and_undoes(
    qtbot: QtBot, volunteers: VolunteersView, loaded: MainWindow
) -> None:
    volunteers.open_volunteer(volunteers.model.row_at(0).id)  # type: ignore[union-attr]
    editor = volunteers.editor
    original = editor.email_field.text()
    editor.email_field.setText("not an address")
    editor.email_field.editingFinished.emit()
    assert editor.errors["email"].isVisibleTo(editor)
    assert "'not an address' is not an e-mail address" in editor.errors["email"].text()
    editor.email_field.setText("new.address@example.org")
    editor.email_field.editingFinished.emit()
    assert not editor.errors["email"].isVisibleTo(editor)
    assert editor.volunteer.data.email == "new.address@example.org"  # type: ignore[union-attr]
    loaded.undo_stack.undo()
    assert editor.email_field.text() == original


def test_hours_are_logged_from_the_keyboard_one_after_another(
    qtbot: QtBot, volunteers: VolunteersView, loaded: MainWindow
) -> None:
    person = volunteers.model.row_at(0)
    assert person is not None
    before = person.total_hours

    def type_two_entries(dialog: LogHoursDialog) -> None:
        qtbot.keyClicks(dialog.volunteer_field, person.name)
        dialog._refresh_names()
        label = next(lbl for lbl in dialog._choices if lbl.startswith(person.name))
        dialog.volunteer_field.setText(label)
        dialog._volunteer_chosen(label)
        assert dialog.placement_field.count() >= 1
        for hours in ("2.5", "3"):
            dialog.hours_field.selectAll()
            qtbot.keyClicks(dialog.hours_field, hours)
            qtbot.keyClicks(dialog.activity_field, "Shift")
            qtbot.keyClick(dialog.activity_field, Qt.Key.Key_Return)
            dialog._volunteer_chosen(label)
        assert dialog.done_list.count() == 2
        dialog.reject()

    after_dialog(type_two_entries)
    volunteers.log_hours()
    with loaded.workspace.store.session() as session:  # type: ignore[union-attr]
        assert volunteer_service.get_volunteer(session, person.id).total_hours == before + 5.5


def test_future_hours_are_refused_with_a_message(qtbot: QtBot, volunteers: VolunteersView) -> None:
    person = volunteers.model.row_at(0)
    assert person is not None
    messages: list[str] = []

    def try_future(dialog: LogHoursDialog) -> None:
        dialog.date_field.edit.selectAll()
        qtbot.keyClicks(dialog.date_field.edit, f"{date.today() + timedelta(days=3):%d/%m/%Y}")
        dialog.hours_field.lineEdit().selectAll()
        qtbot.keyClicks(dialog.hours_field, "2")
        dialog.save_entry()
        messages.append(dialog.date_field.error.text())
        dialog.reject()

    after_dialog(try_future)
    volunteers.log_hours((person.id, person.name))
    assert "Hours can be logged up to today." in messages[0]


def test_the_week_grid_saves_a_typed_day(
    qtbot: QtBot, volunteers: VolunteersView, loaded: MainWindow, qtmodeltester: ModelTester
) -> None:
    seen: dict[str, object] = {}

    def type_hours(dialog: WeekHoursDialog) -> None:
        qtmodeltester.check(dialog.model)
        monday = dialog.model.monday
        assert dialog.model.rowCount() > 0
        row = dialog.model.rows[0]
        index = dialog.model.index(0, 1)
        assert monday <= date.today()
        assert dialog.model.setData(index, "2,5")
        seen["placement"] = row.placement.id
        seen["monday"] = dialog.model.monday
        assert not dialog.model.setData(dialog.model.index(0, 2), "lots")
        seen["message"] = dialog.message.text()
        dialog.reject()

    after_dialog(type_hours)
    volunteers.week_grid()
    assert "is not a number of hours" in str(seen["message"])
    with loaded.workspace.store.session() as session:  # type: ignore[union-attr]
        week = placements.week_hours(session, monday=seen["monday"])  # type: ignore[arg-type]
    assert next(r for r in week if r.placement.id == seen["placement"]).days[0] == 2.5


def test_milestone_certificates_are_made_and_recorded(
    qtbot: QtBot, volunteers: VolunteersView, loaded: MainWindow, prompts: FakePrompts, tmp_path: Path
) -> None:
    volunteers.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: volunteers.milestones_model.rowCount() > 0 and not volunteers.milestones_state.text())
    due = volunteers.milestones_model.row_at(0)
    volunteers.milestones_table.selectRow(0)
    prompts.script(tmp_path / "certificates")

    def word(dialog: CertificateDialog) -> None:
        dialog.signatory_field.setText("Joanne Whitaker")
        dialog._accept()

    after_dialog(word)
    volunteers._certify_selected()
    written = tmp_path / "certificates.pdf"
    assert written.exists()
    text = PdfReader(written).pages[0].extract_text()
    assert due.name.split()[0] in text and f"{due.milestone}" in text
    with loaded.workspace.store.session() as session:  # type: ignore[union-attr]
        kinds = [r.kind for r in volunteer_service.get_volunteer(session, due.volunteer_id).recognitions]
    assert RecognitionKind.MILESTONE in kinds
    qtbot.waitUntil(lambda: not volunteers.milestones_state.text())  # counted again in the background
    assert all(
        m.volunteer_id != due.volunteer_id or m.milestone > due.milestone for m in volunteers.milestones_model.rows()
    )


def test_milestones_are_counted_off_the_window_thread(
    qtbot: QtBot, volunteers: VolunteersView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting every volunteer's hours took 5 s on the window thread at 1,000,000 entries: a frozen window."""
    real_count = recognition.milestones_due
    counted_on: list[threading.Thread] = []
    release = threading.Event()

    def slow_count(session: object) -> object:
        counted_on.append(threading.current_thread())
        release.wait(10)
        return real_count(session)  # type: ignore[arg-type]

    monkeypatch.setattr(recognition, "milestones_due", slow_count)
    volunteers.tabs.setCurrentIndex(2)
    assert volunteers.milestones_state.text() == "Counting hours…"  # the window answers while it counts
    release.set()
    qtbot.waitUntil(lambda: not volunteers.milestones_state.text())
    assert counted_on and counted_on[0] is not threading.main_thread()
    assert volunteers.milestones_model.rowCount() > 0


def test_export_their_data_writes_every_field(volunteers: VolunteersView, prompts: FakePrompts, tmp_path: Path) -> None:
    volunteers.open_volunteer(volunteers.model.row_at(1).id)  # type: ignore[union-attr]
    data = volunteers.editor.volunteer.data  # type: ignore[union-attr]
    target = tmp_path / "access.txt"
    prompts.script(target)
    volunteers.editor.export_their_data()
    text = target.read_text(encoding="utf-8")
    for value in (data.name, data.email, data.phone, data.emergency_contact_name, data.how_heard):
        assert value in text


def test_renewals_due_list_the_lapsing_checks(qtbot: QtBot, volunteers: VolunteersView) -> None:
    volunteers.tabs.setCurrentIndex(1)
    volunteers.renewal_days.setValue(730)
    qtbot.waitUntil(lambda: not worker._running)  # read in the background
    rows = volunteers.renewals_model.rows()
    assert rows and all(r.renewal_due_on is not None for r in rows)
    assert [r.renewal_due_on for r in rows] == sorted(r.renewal_due_on for r in rows)  # type: ignore[type-var]
    assert all(r.renewal_due_on <= date.today() + timedelta(days=730) for r in rows)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("tab", "room", "service"),
    [
        (1, checks, "renewals_due"),
        (2, recognition, "milestones_due"),
        (3, personal_data, "inactive_volunteers"),
        (4, totals, "total_hours"),
    ],
)
def test_each_counting_tab_reads_off_the_window_thread(
    qtbot: QtBot, volunteers: VolunteersView, monkeypatch: pytest.MonkeyPatch, tab: int, room: ModuleType, service: str
) -> None:
    """These tabs read every volunteer's checks or hours: 3 to 24 s of frozen window on the large file."""
    real = getattr(room, service)
    read_on: list[threading.Thread] = []

    def recording(*args: object, **kwargs: object) -> object:
        read_on.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(room, service, recording)
    volunteers.tabs.setCurrentIndex(tab)
    qtbot.waitUntil(lambda: bool(read_on) and not worker._running)
    assert threading.main_thread() not in read_on


def _list_reads(volunteers: VolunteersView, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item for each time this page's list is read again (whole, or its first block and the count); only this
    page's own reads: an earlier test's window may still listen."""
    real_index, real_start = volunteers.model._load_index, volunteers.model._load_start
    assert real_start is not None
    reads: list[int] = []
    monkeypatch.setattr(volunteers.model, "_load_index", lambda *a: reads.append(1) or real_index(*a))
    monkeypatch.setattr(volunteers.model, "_load_start", lambda *a: reads.append(1) or real_start(*a))
    return reads


def test_a_change_while_a_volunteer_is_open_reads_the_list_only_when_it_is_shown(
    qtbot: QtBot, volunteers: VolunteersView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each saved field or hours entry read all 100,000 volunteers again behind the open editor."""
    volunteers.open_volunteer(volunteers.model.row_at(0).id)  # type: ignore[union-attr]
    reads = _list_reads(volunteers, monkeypatch)
    volunteers.editor.name_field.selectAll()
    qtbot.keyClicks(volunteers.editor.name_field, "Renamed Volunteer")
    volunteers.editor.name_field.editingFinished.emit()
    assert reads == [] and volunteers.editor.volunteer.data.name == "Renamed Volunteer"  # type: ignore[union-attr]
    volunteers.show_list()
    assert reads == [1]
    volunteers.search_field.setText("Renamed Volunteer")
    volunteers.apply_search()
    assert volunteers.model.rowCount() == 1


def test_back_to_the_list_after_hours_shows_them_without_reading_every_volunteer_again(
    qtbot: QtBot, volunteers: VolunteersView, loaded: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An hours entry changes no name or e-mail: the list's index is kept and only the rows shown are read
    again, with their new hours. A rename (or an undo of one) still reads the index again."""
    person = next(
        row
        for number in range(volunteers.model.rowCount())
        if (row := volunteers.model.row_at(number)) is not None and row.total_hours > 0
    )
    workspace = loaded.workspace
    assert workspace is not None
    with workspace.store.session() as session:
        placement_id = placements.list_placements(session, volunteer_id=person.id)[0].id
    reads = _list_reads(volunteers, monkeypatch)
    volunteers.open_volunteer(person.id)
    workspace.write(placements.log_hours, placement_id=placement_id, on_date=date.today(), hours=4.0, activity="Stall")
    volunteers.show_list()
    shown = [volunteers.model.row_at(number) for number in range(volunteers.model.rowCount())]
    [again] = [row for row in shown if row is not None and row.id == person.id]
    assert reads == [] and again.total_hours == person.total_hours + 4.0
    volunteers.open_volunteer(person.id)
    volunteers.editor.name_field.selectAll()
    qtbot.keyClicks(volunteers.editor.name_field, "Zz Renamed Person")
    volunteers.editor.name_field.editingFinished.emit()
    volunteers.show_list()
    assert reads == [1]
    volunteers.search_field.setText("Zz Renamed")
    volunteers.apply_search()
    assert volunteers.model.rowCount() == 1


def test_another_laptops_change_heard_while_typing_keeps_what_is_typed(
    qtbot: QtBot, volunteers: VolunteersView
) -> None:
    """Team mode's live refresh reads the open volunteer again whenever another laptop changes any volunteer (or
    logs hours): what the person was typing (not yet saved) must stay, and is saved when they leave the field."""
    first, second = volunteers.model.row_at(0), volunteers.model.row_at(1)
    assert first is not None and second is not None
    volunteers.open_volunteer(first.id)
    editor = volunteers.editor
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.mouseClick(editor.skills_field, Qt.MouseButton.LeftButton)
    editor.skills_field.selectAll()
    qtbot.keyClicks(editor.skills_field, "Bike repair")
    workspace = volunteers.context.workspace
    workspace.announce(Changes.of_tables(["volunteer"], [second.id], by_others=True))  # heard from another laptop
    assert editor.skills_field.text() == "Bike repair"
    qtbot.keyClick(editor.skills_field, Qt.Key.Key_Tab)  # leaving the field saves it
    assert workspace.read(volunteer_service.get_volunteer, first.id).data.skills == "Bike repair"
    assert editor.skills_field.text() == "Bike repair"


def test_hours_logged_elsewhere_while_the_list_is_shown_keep_its_index_and_selection(
    qtbot: QtBot, volunteers: VolunteersView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sorted by name, the list's index comes from the volunteer table alone: hours logged (on another laptop of a
    team database, heard of by live refresh, or in a dialog here) read the rows shown again, not 100,000 volunteers,
    and the person's selected row stays selected."""
    volunteers.table.selectRow(3)
    selected = volunteers.model.row_at(3)
    reads = _list_reads(volunteers, monkeypatch)
    volunteers.context.workspace.announce(Changes.of_tables(["hours_entry", "hours_day"], by_others=True))
    assert reads == []
    assert [index.row() for index in volunteers.table.selectionModel().selectedRows()] == [3]
    assert volunteers.model.row_at(3) == selected
    volunteers.context.workspace.announce(Changes.of_tables(["volunteer"], by_others=True))  # a name may change
    assert reads == [1]
