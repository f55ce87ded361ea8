"""A page locked for an account that may only read (ui/read_only.py): what the page makes later is locked too."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QStyle

from cohesion_desktop.services import workshops
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.read_only import lock_for_reading
from cohesion_desktop.ui.views.partners_view import PartnersView
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


def test_a_partners_themes_on_a_page_locked_for_reading_cannot_be_ticked(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate("partners")
    page = window.pages["partners"]
    assert isinstance(page, PartnersView)
    lock_for_reading(page, "Your account may only read this team database.")
    page.open_partner(page.model.row_at(0).id)
    QApplication.processEvents()
    themes = page.editor.themes_editor
    before = themes.checked()
    themes.view.setFocus()
    themes.view.setCurrentIndex(themes.model.index(0, 0))
    qtbot.keyClick(themes.view, Qt.Key.Key_Space)
    assert themes.checked() == before
    rect = themes.view.visualRect(themes.model.index(1, 0))
    box = themes.view.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
    on_the_box = QPoint(rect.left() + box // 2 + 3, rect.center().y())
    qtbot.mouseClick(themes.view.viewport(), Qt.MouseButton.LeftButton, pos=on_the_box)
    qtbot.mouseDClick(themes.view.viewport(), Qt.MouseButton.LeftButton, pos=on_the_box)
    assert themes.checked() == before
