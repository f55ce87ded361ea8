"""The prompt a refused save opens (ui/conflicts.py, ui/dialogs/conflict_dialog.py): what it shows and offers, and
the partner editor on a team database, where "somebody else" is another laptop's store on the same server."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QPushButton

from cohesion_desktop.db import models
from cohesion_desktop.db.server import ServerAddress
from cohesion_desktop.db.store import ServerStore, open_store
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import ConflictError, NotFoundError
from cohesion_desktop.services import partners
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.conflicts import save_checked
from cohesion_desktop.ui.context import DataBus, ViewContext
from cohesion_desktop.ui.dialogs.conflict_dialog import ConflictDialog, Difference, Resolution
from cohesion_desktop.ui.views.partner_editor import PartnerEditor
from cohesion_desktop.workspace import Workspace
from tests.conftest import as_new
from tests.postgres_server import PostgresServer
from tests.ui.conftest import FakePrompts


def _buttons(dialog: ConflictDialog) -> list[str]:
    return [b.text().replace("&", "") for b in dialog.findChildren(QPushButton)]


def test_the_prompt_shows_both_values_as_typed_and_escape_keeps_everything(qtbot: QtBot) -> None:
    markup = "<b>not bold</b> & more"
    dialog = ConflictDialog(
        "Changed by Sam at 14:02 while you were editing.", [Difference("Remit", markup, "Theirs")], removed=False
    )
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Changed by Sam at 14:02 while you were editing." in texts
    assert markup in texts and "Theirs" in texts  # people's text is shown as they typed it, never as markup
    shown = next(label for label in dialog.findChildren(QLabel) if label.text() == markup)
    assert shown.textFormat() == Qt.TextFormat.PlainText
    assert _buttons(dialog) == ["Show theirs", "Save mine over it", "Cancel"]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.chosen is Resolution.CANCEL


def test_a_record_removed_meanwhile_offers_to_keep_mine_as_a_new_one(qtbot: QtBot) -> None:
    prompts = FakePrompts()
    prompts.script(Resolution.SAVE_AS_NEW)
    context: Any = SimpleNamespace(prompts=prompts, show_status=lambda *_args, **_kw: None)

    def save(version: int | None) -> None:
        raise ConflictError("Removed by Sam…", said="Removed by Sam at 14:02 while you were editing.", yours=3)

    def stored() -> dict[str, str]:
        raise NotFoundError("gone")

    chosen, saved = save_checked(context, save, version=3, shown={"Notes": "a"}, yours={"Notes": "b"}, stored=stored)
    assert (chosen, saved) == (Resolution.SAVE_AS_NEW, None)
    assert prompts.calls == [("resolve_conflict", "Removed by Sam at 14:02 while you were editing.", "Notes: b | ")]
    removed = ConflictDialog("Removed by Sam", [Difference("Notes", "b", "")], removed=True)
    qtbot.addWidget(removed)
    assert _buttons(removed) == ["Save mine as a new record", "Discard mine", "Cancel"]
    without = ConflictDialog("Removed by Sam", [Difference("Notes", "b", "")], removed=True, as_new=False)
    qtbot.addWidget(without)
    assert _buttons(without) == ["Discard mine", "Cancel"]


# ---------------------------------------------------------------------------- on a team database


@pytest.fixture
def two_laptops(
    team_database: ServerStore, postgres_server: PostgresServer
) -> Iterator[tuple[ServerStore, ServerStore]]:
    """The team database as new, and a second store on it: another laptop's."""
    mine = as_new(team_database)
    theirs = open_store(ServerAddress.parse(postgres_server.url("cohesion_tests")))
    theirs.identity.name = "Sam"
    yield mine, theirs
    theirs.close()


def test_a_partner_saved_meanwhile_on_another_laptop_asks_and_save_mine_over_it_stores_mine(
    qtbot: QtBot, two_laptops: tuple[ServerStore, ServerStore]
) -> None:
    mine, theirs = two_laptops
    with mine.session() as session:
        partner_id = partners.create_partner(session, data=PartnerInput(name="Harrowfield CVS", sector=Sector.VCS)).id
    prompts = FakePrompts()
    prompts.script(Resolution.SAVE_MINE)
    context = ViewContext(
        workspace=Workspace(mine),  # type: ignore[arg-type]  # the window on a team database is issue 17's other part
        prompts=prompts,
        undo_stack=QUndoStack(),
        settings=AppSettings(),
        bus=DataBus(),
        navigate=lambda *_args, **_kw: None,
        show_status=lambda *_args, **_kw: None,
    )
    editor = PartnerEditor(context)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.show_partner(partner_id)

    with theirs.session() as session:
        partners.update_partner(session, partner_id=partner_id, changes={"notes": "Sam: meets on Tuesdays"})
        their_version = partners.get_partner(session, partner_id).version
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.mouseClick(editor.notes_field.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.notes_field, "Alex: meets on Thursdays")
    qtbot.keyClick(editor.notes_field, Qt.Key.Key_Tab)  # leaving the notes saves them
    qtbot.waitUntil(lambda: bool(prompts.calls))

    [(kind, said, shown)] = prompts.calls
    assert kind == "resolve_conflict" and said.startswith("Changed by Sam at ")
    assert shown == "Notes: Alex: meets on Thursdays | Sam: meets on Tuesdays"  # the one field that differs
    with theirs.session() as session:
        stored = session.exec(select(models.Partner).where(col(models.Partner.id) == partner_id)).one()
        assert (stored.notes, stored.version) == ("Alex: meets on Thursdays", their_version + 1)
    assert editor.notes_field.toPlainText() == "Alex: meets on Thursdays"
