"""The Partners page driven by keyboard and mouse: search, filters, editor, undo, delete, add."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlmodel import select

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from cohesion_desktop.changes import Changes
from cohesion_desktop.db import models
from cohesion_desktop.domain import MatrixColumn, Sector
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.partners import Contact, PartnerInput
from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.dialogs.new_partner_dialog import NewPartnerDialog
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.models.contacts_table_model import ContactsTableModel
from cohesion_desktop.ui.models.partners_table_model import COL_PLACES, COL_SECTOR, PartnerFilter, PartnersTableModel
from cohesion_desktop.ui.models.remit_map_model import RemitMapTableModel
from cohesion_desktop.ui.views.partners_view import PartnersView
from tests.ui.conftest import FakePrompts, example_data_file

# Every test here works in the example town.
data_file = pytest.fixture(example_data_file)


@pytest.fixture
def page(window: MainWindow) -> PartnersView:
    window.navigate("partners")
    view = window.pages["partners"]
    assert isinstance(view, PartnersView)
    return view


def shown_names(page: PartnersView) -> list[str]:
    return [page.model.row_at(row).name for row in range(page.model.rowCount())]


def test_every_partner_table_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, page: PartnersView
) -> None:
    qtmodeltester.check(page.model)
    page.model.set_filter(PartnerFilter(query="harrowfield", sector=Sector.VCS))
    qtmodeltester.check(page.model)
    page.model.sort(COL_SECTOR, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(page.model)
    contacts = ContactsTableModel(lambda proposed: proposed)
    contacts.set_rows([Contact(id=None, name="Pauline", email="p@example.org", is_main=True)])
    qtmodeltester.check(contacts)
    page.tabs.setCurrentIndex(1)
    assert isinstance(page.remit_map.model, RemitMapTableModel)
    qtbot.waitUntil(lambda: page.remit_map.model.grid is not None)  # counted in the background
    qtmodeltester.check(page.remit_map.model)
    qtmodeltester.check(PartnersTableModel())


def test_typing_in_search_narrows_the_table(qtbot: QtBot, page: PartnersView) -> None:
    assert page.model.rowCount() == 40
    qtbot.keyClicks(page.search_field, "mosque")
    assert shown_names(page) == ["Northgate Jamia Mosque"]
    assert page.count_label.text() == "1 of 40 partners match"
    page.search_field.clear()
    qtbot.keyClicks(page.search_field, "yusuf")  # a contact's name finds the partner
    assert set(shown_names(page)) == {"Harrowfield Refugee and Migrant Forum", "Northgate Jamia Mosque"}
    page.search_field.clear()
    qtbot.keyClicks(page.search_field, "older people")  # a theme
    assert "Age Well Harrowfield" in shown_names(page)


def test_filters_combine_with_search(page: PartnersView) -> None:
    page.sector_filter.setCurrentIndex(page.sector_filter.findText("Faith"))
    assert set(shown_names(page)) == {
        "Northgate Jamia Mosque",
        "St Anne's Parish Church",
        "Harrowfield Gurdwara Sahib",
        "Harrowfield Interfaith Forum",
    }
    page.place_filter.setCurrentIndex(page.place_filter.findText("Westbury"))
    assert set(shown_names(page)) == {"Harrowfield Gurdwara Sahib", "Harrowfield Interfaith Forum"}
    page.search_field.setText("langar")
    assert shown_names(page) == ["Harrowfield Gurdwara Sahib"]
    page.search_field.setText("tensions")
    assert shown_names(page) == ["Harrowfield Interfaith Forum"]
    page.sector_filter.setCurrentIndex(0)
    page.place_filter.setCurrentIndex(0)
    page.search_field.clear()
    page.theme_filter.setCurrentIndex(page.theme_filter.findText("Rural cohesion"))
    assert shown_names(page) == ["Lowmoor Cricket Club"]
    page.theme_filter.setCurrentIndex(0)
    page.stage_filter.setCurrentIndex(page.stage_filter.findText("Lapsed"))
    assert shown_names(page) == []
    assert page.table.isVisible()  # an empty result is not the "no partners yet" state


def test_sorting_by_a_column_keeps_the_selection(page: PartnersView) -> None:
    page.table.selectRow(0)
    selected = page.model.row_at(0).name
    page.table.sortByColumn(COL_PLACES, Qt.SortOrder.DescendingOrder)
    rows = page.table.selectionModel().selectedRows()
    assert [page.model.row_at(index.row()).name for index in rows] == [selected]


def test_enter_opens_the_partner_and_back_returns(qtbot: QtBot, page: PartnersView) -> None:
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(2, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.directory_stack.currentWidget() is page.editor
    assert page.editor.name_field.text() == page.model.row_at(2).name
    qtbot.mouseClick(page.editor.back_button, Qt.MouseButton.LeftButton)
    assert page.directory_stack.currentIndex() == 0


def open_editor(page: PartnersView, name: str) -> None:
    page.search_field.setText(name)
    page.open_partner(page.model.row_at(0).id)
    assert page.editor.partner is not None and page.editor.partner.name == name


def test_the_editor_shows_validation_messages_next_to_the_field(
    qtbot: QtBot, page: PartnersView, window: MainWindow
) -> None:
    open_editor(page, "Harrowfield CVS")
    editor = page.editor
    editor.name_field.selectAll()
    qtbot.keyClicks(editor.name_field, "Age Well Harrowfield")  # a VCS partner of that name exists
    editor.name_field.editingFinished.emit()
    assert editor.errors["name"].isVisibleTo(editor)
    assert editor.errors["name"].text() == (
        "⚠ There is already a partner called 'Age Well Harrowfield' in Voluntary and community sector."
    )
    editor.name_field.clear()
    editor.name_field.editingFinished.emit()
    assert editor.errors["name"].text() == "⚠ Enter the organisation's name."
    editor.website_field.setText("not a website")
    editor.website_field.editingFinished.emit()
    assert "does not look like a web address" in editor.errors["website"].text()
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        stored = partners.get_partner(session, editor.partner.id)  # type: ignore[union-attr]
    assert stored.name == "Harrowfield CVS" and stored.website.startswith("https://harrowfieldcvs")


def test_a_bad_contact_email_is_refused_with_its_message(page: PartnersView) -> None:
    open_editor(page, "Harrowfield CVS")
    model = page.editor.contacts_model
    assert not model.setData(model.index(0, 2), "joanne at cvs")
    assert page.editor.errors["contacts"].text() == (
        "⚠ 'joanne at cvs' is not an e-mail address (it should look like name@example.org)."
    )
    assert model.index(0, 2).data() == "joanne.whitaker@example.org"
    assert model.setData(model.index(0, 2), "jo@example.org")
    assert not page.editor.errors["contacts"].isVisibleTo(page.editor)


def test_saves_as_you_go_and_ctrl_z_undoes_the_last_change(
    qtbot: QtBot, page: PartnersView, window: MainWindow
) -> None:
    open_editor(page, "Lowmoor Cricket Club")
    editor = page.editor
    editor.remit_field.setPlainText("Cricket and a pavilion for hire")
    editor.remit_field.editing_finished.emit()
    editor.themes_editor.add_field.setText("Sport for all")
    qtbot.keyClick(editor.themes_editor.add_field, Qt.Key.Key_Return)
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        saved = partners.get_partner(session, editor.partner.id)  # type: ignore[union-attr]
    assert saved.remit == "Cricket and a pavilion for hire" and "Sport for all" in saved.themes

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Sport for all" not in editor.partner.themes  # type: ignore[union-attr]
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.remit_field.toPlainText().startswith("Village cricket club")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.remit_field.toPlainText() == "Cricket and a pavilion for hire"


def test_delete_asks_once_and_the_status_bar_undoes_it(
    qtbot: QtBot, page: PartnersView, window: MainWindow, prompts: FakePrompts
) -> None:
    open_editor(page, "Lowmoor Cricket Club")
    prompts.script(True)
    qtbot.mouseClick(page.editor.delete_button, Qt.MouseButton.LeftButton)
    assert [kind for kind, _t, _x in prompts.calls] == ["confirm"]
    assert page.directory_stack.currentIndex() == 0
    page.search_field.clear()
    assert "Lowmoor Cricket Club" not in shown_names(page)
    assert window.undo_button.isVisible()
    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    page.on_shown()
    assert "Lowmoor Cricket Club" in shown_names(page)


def test_declining_the_delete_keeps_the_partner(qtbot: QtBot, page: PartnersView, prompts: FakePrompts) -> None:
    open_editor(page, "Lowmoor Cricket Club")
    prompts.script(False)
    qtbot.mouseClick(page.editor.delete_button, Qt.MouseButton.LeftButton)
    assert page.directory_stack.currentWidget() is page.editor


def test_adding_a_partner_offers_the_similar_one_already_there(qtbot: QtBot, page: PartnersView) -> None:
    def fill_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewPartnerDialog)
        qtbot.keyClicks(dialog.name_field, "St Annes Parish Church")
        qtbot.waitUntil(lambda: dialog.similar_view.isVisible(), timeout=30_000)
        assert dialog.similar_model.item(0).text() == "St Anne's Parish Church (Faith)"
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_dialog)
    page.new_item()
    assert page.editor.partner is not None and page.editor.partner.name == "St Anne's Parish Church"


def test_adding_a_new_partner_opens_it_and_undo_removes_it(
    qtbot: QtBot, page: PartnersView, window: MainWindow
) -> None:
    def fill_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewPartnerDialog)
        qtbot.keyClicks(dialog.name_field, "Ysgol Gymraeg Llanfair")
        dialog.sector_field.setFocus()
        qtbot.keyClicks(dialog.sector_field, "Education")  # the list jumps to what is typed
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_dialog)
    page.new_item()
    assert page.editor.partner is not None and page.editor.partner.name == "Ysgol Gymraeg Llanfair"
    assert page.editor.partner.sector is Sector.EDUCATION
    window.undo_stack.undo()
    page.show_directory()
    page.search_field.setText("Ysgol")
    assert shown_names(page) == []


def test_the_new_partner_dialog_refuses_a_duplicate_in_the_same_sector(qtbot: QtBot, window: MainWindow) -> None:
    dialog = NewPartnerDialog(lambda name, sector: "taken" if name == "X" else None, lambda name: [])
    qtbot.addWidget(dialog)
    dialog.name_field.setText("X")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is None and dialog.error_label.text() == "⚠ taken"


def test_column_choice_is_remembered(window: MainWindow, page: PartnersView, data_file: Path) -> None:
    assert not page.table.isColumnHidden(COL_PLACES)
    page.set_column_visible(COL_PLACES, False)
    rebuilt = PartnersView(page.context)
    assert rebuilt.table.isColumnHidden(COL_PLACES)
    fresh_settings = AppSettings(page.context.settings.file)
    assert fresh_settings.value("partners/header_state") is not None


def test_the_remit_map_lists_the_partners_behind_a_cell(page: PartnersView, qtbot: QtBot) -> None:
    page.tabs.setCurrentIndex(1)
    view = page.remit_map
    qtbot.waitUntil(lambda: view.model.grid is not None)  # counted in the background
    model = view.model
    grid = model.grid
    assert grid is not None
    row = next(i for i, (_id, name) in enumerate(grid.themes) if name == "Rural cohesion")
    column = next(i for i, c in enumerate(grid.columns) if c.label == "Lowmoor")
    index = model.index(row, column)
    assert index.data() == "1"
    view.table.setCurrentIndex(index)
    assert view.cell_model.rowCount() == 1
    assert view.cell_model.item(0).text() == "Lowmoor Cricket Club (Sport, arts and culture)"
    gap = model.index(row, next(i for i, c in enumerate(grid.columns) if c.label == "Northgate"))
    assert gap.data() == "0" and "a gap" in gap.data(Qt.ItemDataRole.ToolTipRole)
    view.cell_view.doubleClicked.emit(view.cell_model.index(0, 0))
    assert page.tabs.currentIndex() == 0 and page.editor.partner.name == "Lowmoor Cricket Club"  # type: ignore


def test_an_empty_file_shows_no_partners_yet(make_window: Any, tmp_path: Path) -> None:
    window = make_window()
    assert window.open_data_file(tmp_path / "empty.sqlite")
    window.navigate("partners")
    page = window.pages["partners"]
    assert isinstance(page, PartnersView)
    assert page.table_stack.currentWidget() is page.empty_label


def test_merge_from_the_editor_moves_everything(
    page: PartnersView, window: MainWindow, prompts: FakePrompts, qtbot: QtBot
) -> None:
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        partners.create_partner(
            session,
            data=PartnerInput(
                name="Harrowfield C.V.S.", sector=Sector.VCS, contacts=[Contact(id=None, name="Extra Person")]
            ),
        )
    page.reload()
    open_editor(page, "Harrowfield CVS")

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and "similar name" in dialog.combo.currentText()  # type: ignore[attr-defined]
        dialog.merge_button.click()  # type: ignore[attr-defined]

    QTimer.singleShot(0, choose)
    prompts.script(True)
    page.editor._merge()
    assert [c.name for c in page.editor.partner.contacts] == [
        "Joanne Whitaker",
        "Tomasz Nowak",  # type: ignore
        "Extra Person",
    ]
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        names = session.exec(select(models.Partner.name).where(models.Partner.deleted_at.is_(None))).all()
    assert "Harrowfield C.V.S." not in names


def test_a_saved_field_reads_the_directory_again_only_when_it_is_shown(
    qtbot: QtBot, page: PartnersView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading every partner after each saved field froze the window for 1.5 s on the large file; and back in the
    directory, only the partners the change names are read again, giving the rows a whole read gives."""
    open_editor(page, "Harrowfield CVS")
    edited = page.editor.partner
    assert edited is not None
    real_list = partners.list_partners
    reads: list[Any] = []  # the keys each read asked for (None: every partner)
    monkeypatch.setattr(
        partners, "list_partners", lambda session, **kw: reads.append(kw.get("keys")) or real_list(session, **kw)
    )
    page.editor.name_field.selectAll()
    qtbot.keyClicks(page.editor.name_field, "Harrowfield Council for Voluntary Service")
    page.editor.name_field.editingFinished.emit()
    assert reads == [] and page.editor.partner.name == "Harrowfield Council for Voluntary Service"  # type: ignore
    qtbot.mouseClick(page.editor.back_button, Qt.MouseButton.LeftButton)
    assert len(reads) == 1 and reads[0] is not None and edited.id.hex in reads[0]
    page.search_field.clear()
    assert "Harrowfield Council for Voluntary Service" in shown_names(page)
    with page.context.workspace.store.session() as session:
        whole = sorted(real_list(session), key=lambda row: row.name.casefold())
    assert page.model.rows() == whole


def test_a_theme_given_in_the_editor_reads_the_whole_directory_again(
    qtbot: QtBot, page: PartnersView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link to a theme is not named by the partner's id in the change notice: every row is read again."""
    open_editor(page, "Harrowfield CVS")
    edited = page.editor.partner
    assert edited is not None
    theme = next(t for t in page.context.workspace.read(partners.themes) if t.name not in edited.themes)
    page.context.workspace.write(partners.set_themes, partner_id=edited.id, names=[*edited.themes, theme.name])
    real_list = partners.list_partners
    reads: list[Any] = []
    monkeypatch.setattr(
        partners, "list_partners", lambda session, **kw: reads.append(kw.get("keys")) or real_list(session, **kw)
    )
    qtbot.mouseClick(page.editor.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.complete)  # read in the background (the directory was not by name)
    assert reads[0] is None
    row = page.model.row_at(page.model.row_of(edited.id))  # type: ignore[arg-type]
    assert theme.name in row.themes


def test_partners_opened_after_changes_elsewhere_reads_only_the_partners_they_name(
    qtbot: QtBot, page: PartnersView, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening Partners after any change in its areas read every partner again (a quarter of a second and more on
    the large file): a change naming no partner (a workshop's entry) reads none, a partner renamed elsewhere reads
    that one, and the directory shows what a whole read gives."""
    workspace = page.context.workspace
    renamed = next(row for row in page.model.rows() if row.name == "Harrowfield CVS")
    real_list = partners.list_partners
    reads: list[Any] = []  # the keys each read asked for (None: every partner)
    monkeypatch.setattr(
        partners, "list_partners", lambda session, **kw: reads.append(kw.get("keys")) or real_list(session, **kw)
    )
    window.navigate("actions")
    workshop = workspace.read(workshops.list_workshops)[0]
    row_id = workspace.read(workshops.get_workshop, workshop.id).rows[0].id
    workspace.write(
        workshops.add_entry, workshop_id=workshop.id, row_id=row_id, column=MatrixColumn.COULD_DO_MORE, text="Lunch"
    )
    window.navigate("partners")
    assert reads and None not in reads and renamed.key not in reads[-1]
    window.navigate("actions")
    workspace.write(
        partners.update_partner, partner_id=renamed.id, changes={"name": "Harrowfield Council for Voluntary Service"}
    )
    window.navigate("partners")
    assert None not in reads and renamed.key in reads[-1]
    with workspace.store.session() as session:
        whole = sorted(real_list(session), key=lambda row: row.name.casefold())
    assert page.model.rows() == whole
    assert "Harrowfield Council for Voluntary Service" in shown_names(page)


def test_the_remit_map_is_counted_off_the_window_thread(
    qtbot: QtBot, page: PartnersView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting themes × places for 10,000 partners froze the window for a second."""
    import threading

    from cohesion_desktop.services import remit_map

    real_count = remit_map.remit_map
    counted_on: list[threading.Thread] = []
    monkeypatch.setattr(
        remit_map,
        "remit_map",
        lambda session, **kwargs: counted_on.append(threading.current_thread()) or real_count(session, **kwargs),
    )
    page.tabs.setCurrentIndex(1)
    assert page.remit_map.summary.text() == "Counting…"
    qtbot.waitUntil(lambda: page.remit_map.model.grid is not None and "gap" in page.remit_map.summary.text())
    assert counted_on and threading.main_thread() not in counted_on


def test_another_laptops_change_heard_while_typing_keeps_what_is_typed(qtbot: QtBot, page: PartnersView) -> None:
    """Team mode's live refresh reads the open partner again whenever another laptop changes any partner: what the
    person was typing (not yet saved) must stay, and is saved when they leave the field."""
    open_editor(page, "Harrowfield CVS")
    editor = page.editor
    assert editor.partner is not None
    partner_id = editor.partner.id
    workspace = page.context.workspace
    other = next(row for row in workspace.read(partners.list_partners) if row.key != partner_id.hex)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.mouseClick(editor.notes_field.viewport(), Qt.MouseButton.LeftButton)
    editor.notes_field.selectAll()
    qtbot.keyClicks(editor.notes_field, "Meets on Thursdays")
    with workspace.store.session() as session:  # another laptop's commit, heard of by live refresh
        partners.update_partner(session, partner_id=uuid.UUID(hex=other.key), changes={"notes": "theirs"})
    workspace.announce(Changes.of_tables(["partner"], [uuid.UUID(hex=other.key)], by_others=True))
    assert editor.notes_field.toPlainText() == "Meets on Thursdays"
    qtbot.keyClick(editor.notes_field, Qt.Key.Key_Tab)  # leaving the notes saves them
    assert workspace.read(partners.get_partner, partner_id).notes == "Meets on Thursdays"
    assert editor.notes_field.toPlainText() == "Meets on Thursdays"


def test_a_partner_changed_elsewhere_keeps_the_selection_in_the_directory(
    qtbot: QtBot, qtmodeltester: ModelTester, page: PartnersView
) -> None:
    """In team mode another laptop's change to a partner is heard at any moment: the person's selected row and the
    keyboard's place in the table stay on their partner (reading the rows again took them away)."""
    qtmodeltester.check(page.model)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(3, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    held = page.model.row_at(4)
    workspace = page.context.workspace
    changed, gone = page.model.row_at(7), page.model.row_at(1)
    with workspace.store.session() as session:  # another laptop's commits, heard of by live refresh
        partners.update_partner(session, partner_id=changed.id, changes={"name": "Aaa First Now"})
        partners.delete_partner(session, partner_id=gone.id)
        added = partners.create_partner(session, data=PartnerInput(name="Aab New Group", sector=Sector.VCS))
    workspace.announce(Changes.of_tables(["partner"], [changed.id, gone.id, added.id], by_others=True))
    names = shown_names(page)
    assert names[:2] == ["Aaa First Now", "Aab New Group"] and gone.name not in names
    assert [page.model.row_at(i.row()).key for i in page.table.selectionModel().selectedRows()] == [held.key]
    assert page.model.row_at(page.table.currentIndex().row()).key == held.key
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # the keyboard goes on from where it was
    assert page.model.row_at(page.table.currentIndex().row()).key == page.model.row_at(names.index(held.name) + 1).key
