"""The live matrix, driven from the keyboard as a facilitator would, mirrored on the projector."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication

from cohesion_desktop.domain import ActionStatus, MatrixColumn, Sector
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.workshops import WorkshopInput
from cohesion_desktop.ui.dialogs.action_dialog import ActionDialog
from cohesion_desktop.ui.dialogs.export_language_dialog import ExportLanguageDialog
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.views.actions_view import ActionsView
from cohesion_desktop.ui.views.projector_view import ProjectorWindow
from cohesion_desktop.ui.views.workshops_view import WorkshopsView
from tests.ui.conftest import FakePrompts

COLUMNS = list(MatrixColumn)


@pytest.fixture
def page(window: MainWindow) -> WorkshopsView:
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        present = [
            partners.create_partner(session, data=PartnerInput(name=name, sector=sector)).id
            for name, sector in (("Brightwell Engineering Ltd", Sector.BUSINESS), ("Harrowfield CVS", Sector.VCS))
        ]
        template = next(t for t in workshops.templates(session) if t.is_default)
        for title, held_on in (("Roundtable", date(2026, 5, 5)), ("Second workshop", date(2026, 6, 1))):
            workshops.create_workshop(
                session, data=WorkshopInput(title=title, held_on=held_on, template_id=template.id, partner_ids=present)
            )
    window.navigate("workshops")
    view = window.pages["workshops"]
    assert isinstance(view, WorkshopsView)
    return view


def open_named(page: WorkshopsView, title: str) -> None:
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).title == title)
    page.open_workshop(page.model.row_at(row).id)


def cell_texts(page: WorkshopsView, row: int, column: int) -> list[str]:
    model = page.editor.cells[row][column].model
    return [model.entry(i).text for i in range(model.rowCount())]


def stored(window: MainWindow, page: WorkshopsView) -> workshops.WorkshopDetail:
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        return workshops.get_workshop(session, page.document.workshop_id)  # type: ignore[arg-type]


def focused_capture(page: WorkshopsView) -> object:
    return QApplication.focusWidget()


def test_a_full_matrix_is_captured_from_the_keyboard_alone(
    qtbot: QtBot, page: WorkshopsView, window: MainWindow
) -> None:
    open_named(page, "Roundtable")
    editor = page.editor
    assert focused_capture(page) is editor.cells[0][0].capture
    for row in range(3):
        for column in range(4):
            field = QApplication.focusWidget()
            assert field is editor.cells[row][column].capture, (row, column)
            qtbot.keyClicks(field, f"Entry {row + 1}.{column + 1}")
            qtbot.keyClick(field, Qt.Key.Key_Return)
            qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.cells[0][0].capture  # Tab wraps round
    detail = stored(window, page)
    for row_index, row in enumerate(detail.rows):
        for column_index, column in enumerate(COLUMNS):
            assert [e.text for e in detail.cell(row.id, column)] == [f"Entry {row_index + 1}.{column_index + 1}"]


def test_arrow_keys_and_shift_tab_move_between_cells(qtbot: QtBot, page: WorkshopsView) -> None:
    open_named(page, "Roundtable")
    editor = page.editor
    qtbot.keyClick(editor.cells[0][0].capture, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is editor.cells[1][0].capture
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert QApplication.focusWidget() is editor.cells[1][1].capture
    qtbot.keyClicks(QApplication.focusWidget(), "abc")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)  # inside text: moves the cursor, not the cell
    assert QApplication.focusWidget() is editor.cells[1][1].capture
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is editor.cells[1][0].capture
    assert page.document.current == (1, 0)
    assert editor.cells[1][1].capture.text() == "abc"  # nothing typed is lost by moving


def add_by_keys(qtbot: QtBot, page: WorkshopsView, row: int, column: int, text: str) -> None:
    field = page.editor.cells[row][column].capture
    page.editor.focus_cell(row, column)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_undo_and_redo_of_add_edit_move_and_delete(qtbot: QtBot, page: WorkshopsView, window: MainWindow) -> None:
    open_named(page, "Roundtable")
    editor = page.editor
    for text in ("first", "second", "third"):
        add_by_keys(qtbot, page, 0, 0, text)
    capture = editor.cells[0][0].capture

    def undo() -> None:
        qtbot.keyClick(capture, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    def redo() -> None:
        qtbot.keyClick(capture, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    # add
    undo()
    assert cell_texts(page, 0, 0) == ["first", "second"]
    redo()
    assert cell_texts(page, 0, 0) == ["first", "second", "third"]
    # edit (F2 on the picked card; Shift+Up/Down picks, starting from the last card)
    editor.cells[0][0].list.clearSelection()
    qtbot.keyClick(capture, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert editor.cells[0][0].selected_entry().text == "third"  # type: ignore[union-attr]
    qtbot.keyClick(capture, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert editor.cells[0][0].selected_entry().text == "second"  # type: ignore[union-attr]
    qtbot.keyClick(capture, Qt.Key.Key_F2)
    line_edit = QApplication.focusWidget()
    assert line_edit is not capture and line_edit.text() == "second"  # type: ignore[union-attr]
    line_edit.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(line_edit, "second, edited")
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)  # the view commits on its next turn of the event loop
    qtbot.waitUntil(lambda: cell_texts(page, 0, 0) == ["first", "second, edited", "third"], timeout=30_000)
    assert QApplication.focusWidget() is capture  # straight back to typing
    undo()
    assert cell_texts(page, 0, 0) == ["first", "second", "third"]
    redo()
    assert cell_texts(page, 0, 0) == ["first", "second, edited", "third"]
    # move within the cell, then to the next column
    editor.cells[0][0].select_row(2)
    qtbot.keyClick(capture, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert cell_texts(page, 0, 0) == ["first", "third", "second, edited"]
    qtbot.keyClick(capture, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert cell_texts(page, 0, 0) == ["first", "second, edited"] and cell_texts(page, 0, 1) == ["third"]
    assert QApplication.focusWidget() is editor.cells[0][1].capture
    undo()
    assert cell_texts(page, 0, 1) == [] and cell_texts(page, 0, 0) == ["first", "third", "second, edited"]
    undo()
    assert cell_texts(page, 0, 0) == ["first", "second, edited", "third"]
    redo()
    redo()
    assert cell_texts(page, 0, 1) == ["third"]
    # delete (Delete with nothing typed removes the picked card)
    editor.focus_cell(0, 0)
    editor.cells[0][0].select_row(0)
    qtbot.keyClick(capture, Qt.Key.Key_Delete)
    assert cell_texts(page, 0, 0) == ["second, edited"]
    undo()
    assert cell_texts(page, 0, 0) == ["first", "second, edited"]
    detail = stored(window, page)
    assert [e.text for e in detail.cell(detail.rows[0].id, MatrixColumn.ALREADY_DOING)] == ["first", "second, edited"]


def test_undo_still_works_after_switching_workshops(qtbot: QtBot, page: WorkshopsView, window: MainWindow) -> None:
    open_named(page, "Roundtable")
    add_by_keys(qtbot, page, 1, 2, "made in the roundtable")
    roundtable = page.document.workshop_id
    page.show_list()
    open_named(page, "Second workshop")
    assert page.document.workshop_id != roundtable
    window.undo_stack.undo()
    assert page.document.workshop_id == roundtable  # the editor went back to show what was undone
    assert cell_texts(page, 1, 2) == []
    window.undo_stack.redo()
    assert cell_texts(page, 1, 2) == ["made in the roundtable"]


def test_an_at_partner_is_completed_and_attributed(qtbot: QtBot, page: WorkshopsView) -> None:
    open_named(page, "Roundtable")
    capture = page.editor.cells[2][0].capture
    page.editor.focus_cell(2, 0)
    qtbot.keyClicks(capture, "We already run a staff volunteering day @Bright")
    popup = capture.partner_completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=30_000)
    assert capture.partner_completer.currentCompletion() == "Brightwell Engineering Ltd"
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert capture.text() == "We already run a staff volunteering day @Brightwell Engineering Ltd "
    qtbot.keyClick(capture, Qt.Key.Key_Return)
    [entry] = [page.editor.cells[2][0].model.entry(0)]
    assert entry.text == "We already run a staff volunteering day"
    assert entry.partner_name == "Brightwell Engineering Ltd"


def test_the_projector_mirrors_every_change(qtbot: QtBot, page: WorkshopsView) -> None:
    open_named(page, "Roundtable")
    page.toggle_projector()
    projector = page.projector
    assert projector is not None and projector.isVisible()
    qtbot.addWidget(projector)
    painted: list[int] = []
    original = projector.paintEvent
    projector.paintEvent = lambda event: (painted.append(1), original(event))  # type: ignore[method-assign]
    add_by_keys(qtbot, page, 0, 3, "Meeting times clash with shifts")
    qtbot.waitUntil(lambda: bool(painted), timeout=30_000)
    row_id = page.document.row_id(0)
    assert [e.text for e in projector.document.entries(row_id, MatrixColumn.BARRIERS)] == [
        "Meeting times clash with shifts"
    ]
    image = projector.grab().toImage()
    assert not image.isNull() and projector.text_px >= 10
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    assert not projector.isVisible()


def test_forty_entries_still_fit_a_1080p_projector_legibly(
    qtbot: QtBot, page: WorkshopsView, window: MainWindow
) -> None:
    open_named(page, "Roundtable")
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        for number in range(40):
            workshops.add_entry(
                session,
                workshop_id=page.document.workshop_id,
                row_id=page.document.row_id(number % 3),
                column=COLUMNS[number % 4],
                text=f"Entry {number}: a typical remark of eight words",
            )
    page.document.reload()
    page.toggle_projector()
    projector = page.projector
    assert projector is not None
    qtbot.addWidget(projector)
    projector.resize(1920, 1080)
    projector.grab()
    assert projector.text_px >= 16  # about 12 pt at 1080p: readable from the back of a room
    page.projector.close()  # type: ignore[union-attr]


def test_voting_counts_by_click_and_by_keys(qtbot: QtBot, page: WorkshopsView, window: MainWindow) -> None:
    open_named(page, "Roundtable")
    add_by_keys(qtbot, page, 0, 1, "Invite small businesses")
    add_by_keys(qtbot, page, 0, 1, "Shared calendar")
    qtbot.keyClick(page.editor.cells[0][1].capture, Qt.Key.Key_F6)
    assert page.document.voting
    cell = page.editor.cells[0][1]
    rect = cell.list.visualRect(cell.model.index(1, 0))
    qtbot.mouseClick(cell.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(cell.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    cell.select_row(0)
    qtbot.keyClick(cell.capture, Qt.Key.Key_Plus)
    assert [cell.model.entry(i).votes for i in range(2)] == [1, 2]
    page.editor.sort_current_cell()
    assert cell_texts(page, 0, 1) == ["Shared calendar", "Invite small businesses"]
    detail = stored(window, page)
    assert [(e.text, e.votes) for e in detail.cell(detail.rows[0].id, MatrixColumn.COULD_DO_MORE)] == [
        ("Shared calendar", 2),
        ("Invite small businesses", 1),
    ]


def test_an_entry_becomes_an_action_listed_on_the_actions_page(
    qtbot: QtBot, page: WorkshopsView, window: MainWindow
) -> None:
    open_named(page, "Roundtable")
    add_by_keys(qtbot, page, 2, 2, "Help with DBS checks for small groups")
    page.editor.cells[2][2].select_row(0)

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ActionDialog)
        assert dialog.title_field.toPlainText() == "Help with DBS checks for small groups"
        owner = dialog.owner_field.lineEdit()
        owner.selectAll()
        qtbot.keyClicks(owner, "Harrowfield CVS")
        due = dialog.due_field.edit
        due.selectAll()
        qtbot.keyClicks(due, f"{date.today() - timedelta(days=60):%d/%m/%Y}")  # already overdue
        dialog._accept()

    QTimer.singleShot(0, fill)
    qtbot.keyClick(
        page.editor.cells[2][2].capture,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert page.editor.cells[2][2].model.entry(0).action_count == 1
    window.navigate("actions")
    actions = window.pages["actions"]
    assert isinstance(actions, ActionsView)
    qtbot.waitUntil(lambda: actions.model.rowCount() == 1)  # read in the background
    action = actions.model.row_at(0)
    assert (action.owner, action.workshop, action.status) == ("Harrowfield CVS", "Roundtable", ActionStatus.OPEN)
    actions.overdue_filter.setChecked(True)
    assert actions.model.rowCount() == 1 and "overdue" in actions.model.index(0, 3).data()
    actions.table.selectRow(0)
    actions.go_to_entry()
    assert window.current_page() is page and page.document.current == (2, 2)
    assert page.editor.cells[2][2].selected_entry().text == "Help with DBS checks for small groups"  # type: ignore


def test_drag_and_drop_moves_an_entry_between_cells(
    qtbot: QtBot, page: WorkshopsView, qtmodeltester: ModelTester
) -> None:
    open_named(page, "Roundtable")
    for text in ("a", "b"):
        add_by_keys(qtbot, page, 0, 0, text)
    add_by_keys(qtbot, page, 1, 3, "x")
    source, target = page.editor.cells[0][0].model, page.editor.cells[1][3].model
    qtmodeltester.check(source)
    payload = source.mimeData([source.index(1, 0)])
    assert target.canDropMimeData(payload, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    target.dropMimeData(payload, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert cell_texts(page, 0, 0) == ["a"] and cell_texts(page, 1, 3) == ["b", "x"]
    payload = source.mimeData([source.index(0, 0)])
    target.dropMimeData(payload, Qt.DropAction.MoveAction, -1, -1, QModelIndex())  # below the last card
    assert cell_texts(page, 1, 3) == ["b", "x", "a"]


def test_an_empty_entry_is_not_added_and_nothing_is_lost(qtbot: QtBot, page: WorkshopsView) -> None:
    open_named(page, "Roundtable")
    capture = page.editor.cells[0][0].capture
    qtbot.keyClicks(capture, "   ")
    qtbot.keyClick(capture, Qt.Key.Key_Return)
    assert cell_texts(page, 0, 0) == []


def test_the_synthesis_view_combines_the_chosen_workshops(
    qtbot: QtBot, page: WorkshopsView, window: MainWindow
) -> None:
    open_named(page, "Roundtable")
    add_by_keys(qtbot, page, 0, 0, "Forum")
    page.show_list()
    open_named(page, "Second workshop")
    add_by_keys(qtbot, page, 0, 0, "Breakfast")
    add_by_keys(qtbot, page, 2, 3, "Travel costs")
    page.show_list()
    page.table.selectAll()
    page.combine()
    view = page.synthesis
    assert view.model.rowCount() == 3
    assert view.model.synthesis.count(0, list(MatrixColumn)[0])  # type: ignore[union-attr] == 2
    assert "Forum" in view.model.index(0, 0).data() and "[Second workshop]" in view.model.index(0, 0).data()
    assert view.model.synthesis.count(2, list(MatrixColumn)[3])  # type: ignore[union-attr] == 1
    view.choice_model.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert view.model.synthesis.count(0, list(MatrixColumn)[0])  # type: ignore[union-attr] == 1


def test_a_new_workshop_from_the_dialog_opens_its_matrix(
    qtbot: QtBot, page: WorkshopsView, prompts: FakePrompts
) -> None:
    def fill() -> None:
        from cohesion_desktop.ui.dialogs.workshop_dialog import WorkshopDialog

        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WorkshopDialog)
        qtbot.keyClicks(dialog.title_field, "Business breakfast")
        dialog.template_field.setFocus()
        qtbot.keyClick(dialog.template_field, Qt.Key.Key_Down)  # the second template, business and cohesion
        assert dialog.template_field.currentText() == "Business and cohesion (Belong best-practice principles)"
        dialog.place_field.setCurrentText("Hollins Park")
        dialog.partner_model.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.ok_button.click()

    QTimer.singleShot(0, fill)
    page.new_item()
    assert page.stack.currentWidget() is page.editor
    detail = page.document.detail
    assert detail is not None and detail.title == "Business breakfast" and detail.place == "Hollins Park"
    assert [r.title for r in detail.rows][0] == "1. Business as an engine of cohesion"
    assert len(detail.partners) == 1


def test_entries_typed_in_the_matrix_do_not_read_the_workshop_list_each_time(
    qtbot: QtBot, page: WorkshopsView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every entry read the whole workshop list behind the matrix again (the page was visible)."""
    open_named(page, "Roundtable")
    real_list = workshops.list_workshops
    reads: list[int] = []
    monkeypatch.setattr(workshops, "list_workshops", lambda session: reads.append(1) or real_list(session))
    for text in ("Lunch club", "Book swap", "Litter pick"):
        qtbot.keyClicks(page.editor.current_cell().capture, text)  # type: ignore[union-attr]
        qtbot.keyClick(page.editor.current_cell().capture, Qt.Key.Key_Return)  # type: ignore[union-attr]
    assert reads == []
    page.show_list()
    assert len(reads) == 1 and page.model.rowCount() > 0


def in_the_language_offered(qtbot: QtBot, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """The language asked before the file dialog: Enter takes the one offered, Escape cancels."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportLanguageDialog)
        qtbot.keyClick(dialog.language_field, key)

    QTimer.singleShot(0, answer)


def test_the_follow_up_pack_offers_the_workshop_name_and_says_why_nothing_was_written(
    qtbot: QtBot, page: WorkshopsView, prompts: FakePrompts, tmp_path: Path
) -> None:
    open_named(page, "Roundtable")
    in_the_language_offered(qtbot, Qt.Key.Key_Escape)  # cancelled before the file dialog: nothing more is asked
    page.editor.followup_button.click()
    assert prompts.calls == []

    prompts.script(None)  # the file dialog cancelled
    in_the_language_offered(qtbot)
    page.editor.followup_button.click()
    suggested = str(Path.home() / "Roundtable 2026-05-05 follow-up.pdf")
    assert prompts.calls == [("save_path", "Follow-up pack", suggested)]
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.xlsx"))

    prompts.script(tmp_path / "gone" / "pack.pdf")  # a folder that is not there (a removed USB stick)
    in_the_language_offered(qtbot)
    page.editor.followup_button.click()
    qtbot.waitUntil(lambda: bool(prompts.said("error")), timeout=30_000)
    [said] = prompts.said("error")
    assert said.startswith("The follow-up pack was not saved: ") and "does not exist" in said

    prompts.script(tmp_path / "pack")  # no suffix typed
    in_the_language_offered(qtbot)
    page.editor.followup_button.click()
    qtbot.waitUntil(lambda: bool(prompts.said("info")), timeout=30_000)
    assert (tmp_path / "pack.pdf").is_file() and (tmp_path / "pack.xlsx").is_file()
    assert "pack.xlsx" in prompts.said("info")[0]


def test_a_cell_hears_of_an_added_removed_or_voted_entry_row_by_row(
    qtbot: QtBot, page: WorkshopsView, qtmodeltester: ModelTester
) -> None:
    """An entry typed lays out one more card, not the whole cell again (and the picked card stays picked)."""
    open_named(page, "Roundtable")
    for text in ("first", "second"):
        add_by_keys(qtbot, page, 0, 0, text)
    cell = page.editor.cells[0][0]
    heard: list[str] = []
    cell.model.modelReset.connect(lambda: heard.append("reset"))
    cell.model.rowsInserted.connect(lambda _parent, first, _last: heard.append(f"inserted {first}"))
    cell.model.rowsRemoved.connect(lambda _parent, first, _last: heard.append(f"removed {first}"))
    cell.model.dataChanged.connect(lambda top, _bottom: heard.append(f"changed {top.row()}"))
    add_by_keys(qtbot, page, 0, 0, "third")
    assert heard == ["inserted 2"] and cell_texts(page, 0, 0) == ["first", "second", "third"]
    heard.clear()
    cell.select_row(1)
    qtbot.keyClick(cell.capture, Qt.Key.Key_F6)  # voting on
    qtbot.keyClicks(cell.capture, "+")
    assert heard == ["changed 1"] and cell.model.entry(1).votes == 1
    assert cell.selected_entry() == cell.model.entry(1)
    heard.clear()
    cell.select_row(0)
    qtbot.keyClick(cell.capture, Qt.Key.Key_Delete)
    assert heard[0] == "removed 0" and "reset" not in heard
    assert cell_texts(page, 0, 0) == ["second", "third"]
    assert [cell.model.entry(row).position for row in range(2)] == [0, 1]  # the positions that moved up
    qtmodeltester.check(cell.model)
    # The cell is as tall as its cards, whatever changed.
    total = sum(cell.list.sizeHintForRow(row) for row in range(cell.model.rowCount()))
    assert cell.list.height() >= total


def test_another_workshop_shows_its_own_rows_and_nothing_of_the_last_one(
    qtbot: QtBot, page: WorkshopsView, window: MainWindow
) -> None:
    """The editor keeps its cells from one workshop to the next: nothing of the last one may show through."""
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        other = next(t for t in workshops.templates(session) if len(t.rows) > 3)
        workshops.create_workshop(
            session, data=WorkshopInput(title="Five approaches", held_on=date(2026, 7, 1), template_id=other.id)
        )
    page.reload()
    open_named(page, "Roundtable")
    add_by_keys(qtbot, page, 0, 0, "said at the roundtable")
    page.editor.focus_cell(1, 2)
    qtbot.keyClicks(page.editor.cells[1][2].capture, "half a rem")
    page.editor.cells[0][0].select_row(0)
    for title, rows in (("Five approaches", len(other.rows)), ("Second workshop", 3), ("Roundtable", 3)):
        page.show_list()
        open_named(page, title)
        editor = page.editor
        detail = page.document.detail
        assert detail is not None and len(editor.cells) == len(detail.rows) == rows
        assert QApplication.focusWidget() is editor.cells[0][0].capture
        for row_index, row in enumerate(detail.rows):
            for column_index, column in enumerate(COLUMNS):
                cell = editor.cells[row_index][column_index]
                assert cell.capture.accessibleName() == f"Add an entry: {row.title}, {column.label}"
                assert cell_texts(page, row_index, column_index) == [e.text for e in detail.cell(row.id, column)]
                assert cell.capture.text() == "" and cell.selected_entry() is None
        assert [[cell.current for cell in row] for row in editor.cells] == [
            [row == 0 and column == 0 for column in range(len(COLUMNS))] for row in range(rows)
        ]
    assert cell_texts(page, 0, 0) == ["said at the roundtable"]


def test_the_projector_draws_what_a_new_projector_would_after_every_kind_of_change(
    qtbot: QtBot, page: WorkshopsView
) -> None:
    """The projector keeps each cell drawn until it changes: a change it missed would show here."""
    open_named(page, "Roundtable")
    add_by_keys(qtbot, page, 0, 0, "before the projector")
    page.toggle_projector()
    live = page.projector
    assert live is not None
    qtbot.addWidget(live)
    live.resize(1280, 720)

    def same_as_new() -> bool:
        fresh = ProjectorWindow(page.document)
        qtbot.addWidget(fresh)
        fresh.resize(live.size())
        return live.grab().toImage() == fresh.grab().toImage()

    assert same_as_new()
    add_by_keys(qtbot, page, 0, 0, "typed with the projector on")
    add_by_keys(qtbot, page, 2, 3, "a barrier with a longer text that wraps onto a second line")
    assert same_as_new()
    cell = page.editor.cells[0][0]
    cell.select_row(0)
    qtbot.keyClick(cell.capture, Qt.Key.Key_F6)
    qtbot.keyClicks(cell.capture, "+")
    assert same_as_new()
    page.show_list()
    open_named(page, "Second workshop")
    add_by_keys(qtbot, page, 1, 1, "in the second workshop")
    assert same_as_new()
    page.show_list()
    open_named(page, "Roundtable")
    assert same_as_new()
    live.resize(900, 600)
    assert same_as_new()
    live.close()


def test_entries_typed_at_the_end_of_a_cell_are_drawn_as_a_new_projector_would(
    qtbot: QtBot, page: WorkshopsView
) -> None:
    """Typed at the end of a cell, an entry is drawn below those drawn before (not the whole cell again), and
    the projector shows what one opened afresh would, with the text size at its least or not."""
    open_named(page, "Roundtable")
    page.toggle_projector()
    live = page.projector
    assert live is not None
    qtbot.addWidget(live)
    live.resize(1280, 720)

    def same_as_new() -> bool:
        fresh = ProjectorWindow(page.document)
        qtbot.addWidget(fresh)
        fresh.resize(live.size())
        return live.grab().toImage() == fresh.grab().toImage()

    sizes = []
    for number in range(14):  # enough to bring the text to its least size, where it stays as more are typed
        add_by_keys(qtbot, page, 1, 2, f"support {number}: a sentence long enough to wrap at the least text size")
        live.grab()
        sizes.append(live.text_px)
        assert same_as_new(), f"after entry {number} (text {live.text_px} px)"
    assert sizes[-1] == sizes[-2] == sizes[-3], "the last entries were drawn below the others at one size"
    live.close()


def test_every_card_is_whole_after_the_window_changes_width(qtbot: QtBot, page: WorkshopsView) -> None:
    """A cell is as tall as its cards at the width they wrap to now: a narrower window wraps a long entry onto
    more lines, and the cell grows with it (it kept the heights of the last width, and cut the cards off)."""
    open_named(page, "Roundtable")
    long_text = "A partnership breakfast for small businesses, the college and the food bank, every month"
    add_by_keys(qtbot, page, 0, 0, long_text)
    add_by_keys(qtbot, page, 0, 0, "short")
    window = page.window()
    cell = page.editor.cells[0][0]

    def cards_whole() -> bool:
        rows = [cell.list.visualRect(cell.model.index(row)) for row in range(cell.model.rowCount())]
        return bool(rows) and rows[-1].bottom() < cell.list.viewport().height()

    for width in (1366, 900, 700, 1366):
        window.resize(width, 768)
        qtbot.waitUntil(cards_whole, timeout=10_000)  # after the cell's delayed layout of its cards
