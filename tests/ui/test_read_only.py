"""A page locked for an account that may only read (ui/read_only.py): what the page makes later is locked too."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from cohesion_desktop.services import workshops
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.read_only import lock_for_reading
from cohesion_desktop.ui.views.workshops_view import WorkshopsView
from tests.ui.conftest import example_data_file

data_file = pytest.fixture(example_data_file)


def test_a_workshop_opened_on_a_page_locked_for_reading_cannot_be_typed_into(qtbot: QtBot, window: MainWindow) -> None:
    """The matrix's cells are made when a workshop is first opened, after the page was locked (as a team database's
    viewer's pages are, when made): their boxes must be locked as well, not offered to type entries the server
    would refuse."""
    window.navigate("workshops")
    page = window.pages["workshops"]
    assert isinstance(page, WorkshopsView)
    lock_for_reading(page, "Your account may only read this team database.")
    first = window.workspace.read(workshops.list_workshops)[0]  # type: ignore[union-attr]
    page.open_workshop(first.id)
    QApplication.processEvents()
    capture = page.editor.cells[0][0].capture
    assert capture.isReadOnly() and "only read" in capture.toolTip()
