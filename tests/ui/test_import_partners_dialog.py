"""The import dialog: what a coordinator sees before anything is written, then the import itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cohesion_desktop.domain import Sector
from cohesion_desktop.services import partners
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.ui.dialogs.import_partners_dialog import ImportPartnersDialog
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.models.import_plan_table_model import COL_CHOICE, COL_THEMES, OPTIONS_ROLE
from cohesion_desktop.ui.views.partners_view import PartnersView
from tests.importing.builders import MESSY_MERGES, MESSY_ROWS, write_xlsx
from tests.ui.conftest import FakePrompts


@pytest.fixture
def dialog(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> ImportPartnersDialog:
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        partners.create_partner(
            session, data=PartnerInput(name="Kirklees Metropolitan Council", sector=Sector.LOCAL_GOVERNMENT)
        )
    path = write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS, merges=MESSY_MERGES)
    made = ImportPartnersDialog(window.pages["partners"].context)
    qtbot.addWidget(made)
    assert made.choose_file(path)
    return made


def test_the_preview_shows_mapping_rows_and_problems_before_writing(
    dialog: ImportPartnersDialog, qtmodeltester: ModelTester, window: MainWindow
) -> None:
    assert dialog.header_field.value() == 3
    assert dialog._mapping_combos[0].value() == "name"
    assert dialog._mapping_combos[1].value() == "sector"
    assert dialog.plan_model.rowCount() == 13
    rows = [dialog.plan_model.index(r, 0).data() for r in range(dialog.plan_model.rowCount())]
    assert rows[:3] == [4, 5, 7]
    problems = [(p.row, p.column) for p in dialog.problems_model.problems]
    assert (13, "Organisation") in problems and (11, "E-mail") in problems
    assert "Nothing has been written yet: 13 to add, 0 to update, 2 rows skipped" in dialog.summary.text()
    assert "1 new partner looks like one already in your directory" in dialog.summary.text()
    assert dialog.import_button.text() == "Import 13 partners"
    qtmodeltester.check(dialog.plan_model)
    qtmodeltester.check(dialog.problems_model)
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        assert len(partners.list_partners(session)) == 1


def test_choosing_merge_and_skip_then_importing(
    qtbot: QtBot, dialog: ImportPartnersDialog, window: MainWindow, prompts: FakePrompts
) -> None:
    model = dialog.plan_model
    kirklees = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == 7)
    options = model.index(kirklees, COL_CHOICE).data(OPTIONS_ROLE)
    assert options == [
        "Add as a new partner",
        "Merge into “Kirklees Metropolitan Council” (Local government)",
        "Skip this row",
    ]
    assert model.setData(model.index(kirklees, COL_CHOICE), options[1])
    cafe = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == "Café Écologique")
    assert model.setData(model.index(cafe, COL_CHOICE), "Skip this row")
    assert dialog.import_button.text() == "Import 12 partners"
    dialog.import_button.click()
    assert dialog.value is not None and dialog.result() == dialog.DialogCode.Accepted  # the plan, nothing written
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        assert len(partners.list_partners(session)) == 1
    page = window.pages["partners"]
    assert isinstance(page, PartnersView)
    page.apply_import(dialog.value)
    qtbot.waitUntil(lambda: bool(prompts.said("info")))  # written in the background
    assert prompts.said("info")[0].startswith("Added 11, updated 1, skipped 3 rows")
    with window.workspace.store.session() as session:  # type: ignore[union-attr]
        names = [row.name for row in partners.list_partners(session)]
    assert "Café Écologique" not in names and "Kirklees Council" not in names and len(names) == 12


def test_changing_a_column_mapping_reparses(dialog: ImportPartnersDialog) -> None:
    themes_column = dialog._mapping_combos[4]
    themes_column.setFocus()
    QTest.keyClick(themes_column, Qt.Key.Key_Home)  # to "(not imported)", at the top
    assert themes_column.value() is None
    assert all(dialog.plan_model.index(r, COL_THEMES).data() == "" for r in range(dialog.plan_model.rowCount()))


def test_an_unreadable_file_is_explained_and_nothing_opens(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, prompts: FakePrompts
) -> None:
    broken = tmp_path / "list.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    made = ImportPartnersDialog(window.pages["partners"].context)
    qtbot.addWidget(made)
    assert not made.choose_file(broken)
    assert "list.xlsx" in prompts.said("error")[0]


def test_the_page_writes_the_import_off_the_window_thread_and_undoes_it_as_one_step(
    qtbot: QtBot,
    dialog: ImportPartnersDialog,
    window: MainWindow,
    prompts: FakePrompts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """20,000 rows took seconds of frozen window with no progress shown; and an import could not be undone."""
    import threading

    from cohesion_desktop.services import partner_import

    real_apply = partner_import.apply_import
    written_on: list[threading.Thread] = []

    def recording_apply(*args: object, **kwargs: object) -> object:
        written_on.append(threading.current_thread())
        assert callable(kwargs.get("progress"))
        return real_apply(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(partner_import, "apply_import", recording_apply)
    page = window.pages["partners"]
    assert isinstance(page, PartnersView)
    window.navigate("partners")
    dialog.import_button.click()
    assert dialog.value is not None
    page.apply_import(dialog.value)
    qtbot.waitUntil(lambda: page.model.rowCount() == 14)  # the page refreshed from the import's notice
    assert written_on and written_on[0] is not threading.main_thread()
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText().startswith("Import 13 partners")
    window.undo_stack.undo()
    assert page.model.rowCount() == 1
    window.undo_stack.redo()
    assert page.model.rowCount() == 14
