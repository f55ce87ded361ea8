"""The Dashboard figures, File → Export summary for funders, and File → Settings, driven as a user would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QWidget

from cohesion_desktop.dates import Period
from cohesion_desktop.services import reporting
from cohesion_desktop.services import settings as settings_service
from cohesion_desktop.services.volunteering import volunteers
from cohesion_desktop.ui.dialogs.export_summary_dialog import ExportSummaryDialog
from cohesion_desktop.ui.dialogs.settings_dialog import SettingsDialog
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.views.dashboard_view import DashboardView
from cohesion_desktop.ui.widgets.date_field import DateField
from tests.ui.conftest import FakePrompts, example_data_file


def after_dialog(action: object) -> None:
    """Run ``action(dialog)`` on the modal dialog about to open."""
    QTimer.singleShot(0, lambda: action(QApplication.activeModalWidget()))  # type: ignore[operator]


def press(dialog: object, text: str) -> None:
    buttons = dialog.findChild(QDialogButtonBox)  # type: ignore[attr-defined]
    for button in buttons.buttons():
        if button.text().replace("&", "") == text:
            button.click()
            return
    raise AssertionError(f"no button {text!r}")


# Every test here works in the example town.
data_file = pytest.fixture(example_data_file)


@pytest.fixture
def loaded(window: MainWindow) -> MainWindow:
    return window


@pytest.fixture
def dashboard(loaded: MainWindow, qtbot: QtBot) -> DashboardView:
    page = loaded.pages["dashboard"]
    assert isinstance(page, DashboardView)
    qtbot.waitUntil(lambda: page.summary is not None and page.state.text() != "Counting…", timeout=30_000)
    return page


def choose(combo: QWidget, steps: int) -> None:
    """Move a drop-down list ``steps`` items down with the arrow key, as a keyboard user does."""
    combo.setFocus()
    for _ in range(steps):
        QTest.keyClick(combo, Qt.Key.Key_Down)


def type_date(field: DateField, text: str) -> None:
    """Select the date field's text, type over it, and Tab on."""
    field.edit.setFocus()
    QTest.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field.edit, text)
    QTest.keyClick(field.edit, Qt.Key.Key_Tab)


def shown_figures(page: DashboardView) -> dict[str, str]:
    return {card.label.text(): card.value.text() for card in page.cards.values()}


def test_the_dashboard_shows_the_figures_of_the_last_12_months(loaded: MainWindow, dashboard: DashboardView) -> None:
    assert loaded.workspace is not None
    with loaded.workspace.store.session() as session:
        expected = reporting.summary(session, period=Period.last_12_months(date.today()))
    shown = shown_figures(dashboard)
    assert shown == {figure.label: figure.text for figure in expected.figures}
    hours = next(figure for figure in expected.figures if figure.key == reporting.HOURS)
    assert float(hours.value or 0) > 0, "the example has hours in the last 12 months"
    bars = dashboard.hours_chart.series()[0].barSets()[0]  # type: ignore[attr-defined]
    assert bars.count() == len(expected.hours_by_month) == 12
    assert [bars.at(i) for i in range(bars.count())] == [round(m.hours) for m in expected.hours_by_month]
    assert sum(m.hours for m in expected.hours_by_month) == pytest.approx(float(hours.value or 0))
    months = [axis for axis in dashboard.hours_chart.axes() if hasattr(axis, "categories")][0].categories()
    assert months[-1] == f"{date.today():%b}" and len(months) == 12
    assert dashboard.cards[reporting.HOURS].toolTip().startswith("Sum of the hours entries")


def test_choosing_last_year_recounts_for_that_year(qtbot: QtBot, loaded: MainWindow, dashboard: DashboardView) -> None:
    choose(dashboard.period_picker.preset, 2)
    last_year = date.today().year - 1
    wanted = Period(date(last_year, 1, 1), date(last_year, 12, 31))
    assert dashboard.period() == wanted
    qtbot.waitUntil(lambda: dashboard.summary is not None and dashboard.summary.period == wanted, timeout=30_000)
    assert not dashboard.period_picker.start_field.isEnabled(), "a preset's dates are not typed over"
    assert loaded.workspace is not None
    with loaded.workspace.store.session() as session:
        expected = reporting.summary(session, period=dashboard.period())
    assert shown_figures(dashboard) == {figure.label: figure.text for figure in expected.figures}


def test_typed_dates_that_end_before_they_start_say_so(qtbot: QtBot, dashboard: DashboardView) -> None:
    picker = dashboard.period_picker
    choose(picker.preset, 3)
    assert picker.start_field.isEnabled()
    type_date(picker.start_field, "01/05/2026")
    type_date(picker.end_field, "01/04/2026")
    assert picker.problem.isVisible()
    assert picker.problem.text() == "⚠ The period starts (01/05/2026) after it ends (01/04/2026)."


def test_export_writes_the_workbook_for_the_chosen_period_without_names(
    qtbot: QtBot, loaded: MainWindow, dashboard: DashboardView, prompts: FakePrompts, tmp_path: Path
) -> None:
    target = tmp_path / "for the funder.xlsx"
    prompts.script(target)

    def fill(dialog: ExportSummaryDialog) -> None:
        assert isinstance(dialog, ExportSummaryDialog)
        assert not dialog.names_field.isChecked(), "names are left out unless asked for"
        dialog.name_field.setText("Harrowfield Together")
        press(dialog, "Export…")

    after_dialog(fill)
    qtbot.keyClick(loaded, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any("was saved to" in text for text in prompts.said("info")), timeout=30000)
    book = load_workbook(target)
    assert book["Summary"]["A1"].value == "Harrowfield Together"
    rows = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert dashboard.summary is not None
    hours = next(figure for figure in dashboard.summary.figures if figure.key == reporting.HOURS)
    assert rows["Hours given"] == pytest.approx(hours.value)
    assert loaded.workspace is not None
    with loaded.workspace.store.session() as session:
        names = [row.name for row in volunteers.volunteer_rows(session, volunteers.volunteer_ids(session))]
    every_text = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert names and not [name for name in names if name in every_text]


def test_export_as_pdf_for_last_year(
    qtbot: QtBot, loaded: MainWindow, dashboard: DashboardView, prompts: FakePrompts, tmp_path: Path
) -> None:
    prompts.script(tmp_path / "summary")  # typed without an extension: the format's is added

    def fill(dialog: ExportSummaryDialog) -> None:
        choose(dialog.period_picker.preset, 2)
        choose(dialog.format_field, 1)
        press(dialog, "Export…")

    after_dialog(fill)
    loaded.export_summary()
    qtbot.waitUntil(lambda: bool(prompts.said("info")), timeout=30000)
    written = tmp_path / "summary.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(written).pages)
    assert f"31/12/{date.today().year - 1}" in text or f"31 December {date.today().year - 1}" in text


def test_cancelling_the_export_writes_nothing_and_asks_nothing_more(
    qtbot: QtBot, loaded: MainWindow, dashboard: DashboardView, prompts: FakePrompts, tmp_path: Path
) -> None:
    after_dialog(lambda dialog: press(dialog, "Cancel"))
    loaded.export_summary()
    assert prompts.calls == []
    assert list(tmp_path.glob("*.xlsx")) == []


def test_a_period_ending_before_it_starts_keeps_the_export_dialog_open(qtbot: QtBot, prompts: FakePrompts) -> None:
    dialog = ExportSummaryDialog(
        organisation_name="", logo="", period=Period(date(2026, 1, 1), date(2026, 3, 31)), prompts=prompts
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    type_date(dialog.period_picker.start_field, "01/06/2026")
    press(dialog, "Export…")
    assert dialog.isVisible() and dialog.value is None
    assert dialog.period_picker.problem.isVisible() and "after it ends" in dialog.period_picker.problem.text()
    type_date(dialog.period_picker.start_field, "01/01/2026")
    dialog.logo_field.setText("/nowhere/logo.png")
    press(dialog, "Export…")
    assert dialog.value is None and "/nowhere/logo.png" in dialog.error.text()


def test_settings_check_each_field_then_save_and_undo(
    qtbot: QtBot, loaded: MainWindow, dashboard: DashboardView, prompts: FakePrompts
) -> None:
    seen: list[str] = []

    def fill(dialog: SettingsDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        dialog.rate_field.setText("twelve")
        press(dialog, "Save")
        seen.append(dialog.errors["hourly_rate"].text())
        dialog.rate_field.setText("£12.21")
        press(dialog, "Save")
        seen.append(dialog.errors["hourly_rate_source"].text())
        dialog.source_field.setText("National Living Wage, April 2025")
        dialog.name_field.setText("Harrowfield Together")
        press(dialog, "Save")

    after_dialog(fill)
    loaded.edit_settings()
    assert "'twelve' is not an amount of money" in seen[0]
    assert "Say where the hourly rate comes from" in seen[1]
    assert loaded.workspace is not None
    with loaded.workspace.store.session() as session:
        saved = settings_service.get_settings(session)
    assert saved.hourly_rate == Decimal("12.21") and saved.organisation_name == "Harrowfield Together"
    qtbot.waitUntil(lambda: dashboard.cards[reporting.SOCIAL_VALUE].value.text().startswith("£"), timeout=30_000)

    loaded.undo_stack.undo()
    with loaded.workspace.store.session() as session:
        assert settings_service.get_settings(session).hourly_rate is None


def test_the_dashboard_buttons_open_export_and_settings(
    qtbot: QtBot, loaded: MainWindow, dashboard: DashboardView
) -> None:
    opened: list[str] = []
    buttons = {button.text(): button for button in dashboard.findChildren(QPushButton)}
    for text in ("Settings…", "Export for funders…"):
        after_dialog(lambda dialog: (opened.append(dialog.windowTitle()), dialog.reject()))
        buttons[text].click()
    assert opened == ["Settings", "Export summary for funders"]


def test_the_largest_sector_is_drawn_at_the_top_with_every_label_whole(dashboard: DashboardView) -> None:
    assert dashboard.summary is not None
    largest = dashboard.summary.partners_by_sector[0].label
    assert dashboard.sector_bars.bars[0][0] == largest
    said = dashboard.sector_bars.accessibleDescription()
    assert all(f"{c.label}: {c.count}" in said for c in dashboard.summary.partners_by_sector if c.count)


def test_a_narrow_window_puts_fewer_cards_to_a_row_instead_of_scrolling_sideways(
    qtbot: QtBot, loaded: MainWindow, dashboard: DashboardView
) -> None:
    loaded.resize(1200, 760)
    qtbot.waitUntil(lambda: dashboard.card_columns == 4)
    loaded.resize(760, 700)
    qtbot.waitUntil(lambda: dashboard.card_columns < 4)
    assert not dashboard.scroll_area.horizontalScrollBar().isVisible()


def test_a_logo_chosen_in_settings_is_kept_and_offered_for_the_export(
    qtbot: QtBot, loaded: MainWindow, prompts: FakePrompts, tmp_path: Path
) -> None:
    from PySide6.QtGui import QColor, QImage

    logo = tmp_path / "logo.png"
    picture = QImage(120, 60, QImage.Format.Format_RGB32)
    picture.fill(QColor("#1f4e79"))
    assert picture.save(str(logo))
    prompts.script(logo)

    def choose_and_save(dialog: SettingsDialog) -> None:
        buttons = {button.text(): button for button in dialog.findChildren(QPushButton)}
        buttons["Choose…"].click()
        assert dialog.logo_field.text() == str(logo)
        press(dialog, "Save")

    after_dialog(choose_and_save)
    loaded.edit_settings()
    assert loaded.workspace is not None
    with loaded.workspace.store.session() as session:
        assert settings_service.get_settings(session).logo_path == str(logo)
    offered: list[str] = []
    after_dialog(lambda dialog: (offered.append(dialog.logo_field.text()), press(dialog, "Cancel")))
    loaded.export_summary()
    assert offered == [str(logo)]
