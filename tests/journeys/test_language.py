"""A Welsh-speaking officer switches the window to Cymraeg in Settings, by keyboard and mouse, and loses nothing."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import col, func, select

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMenu, QWidget

from cohesion_desktop.db import models
from cohesion_desktop.services import settings as settings_service
from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.translation import LANGUAGE_KEY
from tests.journeys.driver import DialogStep, Journey
from tests.journeys.test_first_start import tab_to
from tests.journeys.test_partners import add_partner, stored_partner


def menu_titles(journey: Journey) -> list[str]:
    return [action.text().replace("&", "") for action in journey.window.menuBar().actions()]


def test_choose_cymraeg_in_settings_and_the_window_speaks_welsh(journey: Journey) -> None:
    assert menu_titles(journey) == ["File", "Edit", "View", "Help"]

    @journey.on_dialog("Settings")
    def choose_welsh(_dialog: QWidget) -> None:
        journey.fill("Organisation name", "Cymdeithas Gymunedol Aberllan")
        tab_to(journey, "Language / Iaith")
        journey.type("Cymraeg")  # a drop-down list jumps to the item typed
        assert journey.focused().currentText() == "Cymraeg"
        journey.click("Save")

    journey.menu("File", "Settings…")
    assert choose_welsh.done

    # Menus, sidebar and the page in front read in Welsh at once.
    assert menu_titles(journey) == ["Ffeil", "Golygu", "Gweld", "Cymorth"]
    assert [journey.window.sidebar.item(row).text() for row in range(journey.window.sidebar.count())] == [
        "Dangosfwrdd",
        "Partneriaid",
        "Cyfleoedd",
        "Gwirfoddolwyr",
        "Gweithdai",
        "Camau gweithredu",
    ]
    # What was typed in the same dialog was stored, and the choice is remembered for the next start.
    with journey.stored() as session:
        assert settings_service.get_settings(session).organisation_name == "Cymdeithas Gymunedol Aberllan"
    assert AppSettings().value(LANGUAGE_KEY) == "cy"

    # Settings again, now in Welsh; back to English from there.
    @journey.on_dialog("Gosodiadau")
    def choose_english(_dialog: QWidget) -> None:
        assert journey.find("Enw'r sefydliad", kind=QWidget) is not None
        tab_to(journey, "Iaith")
        journey.type("English")
        journey.click("Cadw")

    journey.menu("Ffeil", "Gosodiadau…")
    assert choose_english.done
    assert menu_titles(journey) == ["File", "Edit", "View", "Help"]
    journey.sidebar("Partners")
    journey.wait_until(lambda: journey.window.current_page() is journey.window.pages["partners"], what="Partners")


def test_undo_after_switching_language_never_reaches_the_pages_that_are_gone(journey: Journey) -> None:
    add_partner(journey, "Millbrook Food Bank")  # its undo step refreshes the Partners page that made it

    switch_to_welsh(journey)
    journey.press("Ctrl+Z", "Ctrl+Z")  # the settings saved after the switch; then nothing older is left to undo
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    journey.press("Ctrl+Z")
    assert not journey.window.undo_stack.canUndo() and journey.window.workspace is not None
    assert stored_partner(journey, "Millbrook Food Bank").deleted_at is None  # kept: its step was not undone


def switch_to_welsh(journey: Journey) -> None:
    @journey.on_dialog("Settings")
    def choose_welsh(_dialog: QWidget) -> None:
        tab_to(journey, "Language / Iaith")
        journey.type("Cymraeg")
        journey.click("Save")

    journey.menu("File", "Settings…")
    assert choose_welsh.done


def test_the_facilitators_matrix_and_the_partners_page_speak_welsh(town: Journey) -> None:
    with town.stored() as session:
        workshop = session.exec(select(models.Workshop.title).where(col(models.Workshop.deleted_at).is_(None))).first()
        partners = session.exec(select(func.count()).where(col(models.Partner.deleted_at).is_(None))).one()
    assert workshop is not None and partners > 6  # a count in Welsh's "other" form: "40 o bartneriaid"
    switch_to_welsh(town)

    # The matrix, as the facilitator opens it from the list of workshops.
    town.sidebar("Gweithdai")
    town.click_row("Gweithdai", workshop, double=True)
    town.wait_until(lambda: town.focused_name().startswith("Ychwanegu cofnod: "), what="the matrix's first cell")
    assert town.focused_name().endswith(", Eisoes yn ei wneud")
    for text in ("← Pob gweithdy", "Pleidleisio (F6)", "Trefnu yn ôl pleidleisiau", "Creu cam gweithredu…",
                 "Taflunydd (F5)", "Amlygu (F7)", "Amserydd (F8)", "Allforio…", "Pecyn dilynol…", "Manylion…",
                 "Eisoes yn ei wneud", "Gallu gwneud mwy", "Angen cymorth", "Rhwystrau/pryderon"):  # fmt: skip
        town.find(text)
    shown = town.texts()
    assert any(text.startswith("Teipiwch a phwyswch Enter i ychwanegu") for text in shown), shown
    assert not [text for text in shown if text in ("Voting (F6)", "Already doing", "← All workshops")]
    town.press("F6")  # voting on: the status bar says how, in Welsh
    assert town.status().startswith("Modd pleidleisio:"), town.status()
    town.press("F6")
    assert town.status() == "Modd pleidleisio wedi'i ddiffodd."

    # The partner directory: its count (six plural forms), search, buttons and tabs.
    town.sidebar("Partneriaid")
    count = town.find("Nifer y partneriaid a ddangosir")
    town.wait_until(lambda: count.text() == f"{partners} o bartneriaid", what=f"“{partners} o bartneriaid”")
    for text in ("Mewnforio…", "Allforio…", "Ychwanegu partner", "Colofnau"):
        town.find(text)
    town.fill("Chwilio partneriaid", "Food Bank")
    town.wait_until(lambda: "yn cyfateb" in count.text(), what="the count of partners found")
    assert re.fullmatch(rf"\d+ o'r {partners} o bartneriaid yn cyfateb", count.text()), count.text()
    town.tab("Map cylchoedd gwaith")
    summary = re.compile(r"\d+ (o fylchau|bwlch|fwlch), \d+ (o gelloedd gorlawn|gell orlawn|cell orlawn|chell orlawn)")
    town.wait_until(lambda: any(summary.fullmatch(text) for text in town.texts()), what="the remit map's summary")
    town.find("Cliciwch ar gell i weld y partneriaid y tu ôl iddi.")
    town.tab("Cyfeiriadur")


def _live_menus_and_texts(journey: Journey) -> tuple[int, set[str]]:
    """How many titled menus the menu bar holds, alive or not (Qt's own untitled overflow menu aside), and every
    menu item's text in the window (pages' menus included), once deletions ran."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    menus = journey.window.findChildren(QMenu)
    texts = {action.text().replace("&", "") for widget in [journey.window, *menus] for action in widget.actions()}
    return len([m for m in journey.window.menuBar().findChildren(QMenu) if m.title()]), texts


def test_switching_language_leaves_no_menu_of_the_old_language_behind(town: Journey) -> None:
    menus_before, english = _live_menus_and_texts(town)
    assert {"Export summary for funders…", "Undo", "Full screen"} <= english

    switch_to_welsh(town)
    menus_after, welsh = _live_menus_and_texts(town)
    assert menus_after == menus_before  # rebuilt in Welsh, the English ones gone
    assert not welsh & {"File", "Export summary for funders…", "Settings…", "Undo", "Redo", "Full screen", "Quit"}
    assert "Sgrin lawn" in welsh, sorted(welsh)
    # One Ctrl+Z in the window: a shortcut left on an old action would make it ambiguous, and undo nothing.
    undo = [
        a for a in town.window.findChildren(QAction) if QKeySequence(QKeySequence.StandardKey.Undo) in a.shortcuts()
    ]
    assert len(undo) == 1, [a.text() for a in undo]


def test_the_welsh_window_offers_the_built_in_templates_in_welsh(journey: Journey) -> None:
    switch_to_welsh(journey)
    journey.sidebar("Gweithdai")

    @journey.on_dialog("Templedi matrics")
    def look(dialog: QWidget) -> None:
        names = journey.list_items("Templedi")
        assert names[0] == "Strategaeth cydlyniant lleol (Belong) (rhagosodedig)", names
        assert "Busnes a chydlyniant (egwyddorion arfer gorau Belong)" in names
        assert not [name for name in names if "Local cohesion strategy" in name]
        rows = journey.find("Rhesi, un ar bob llinell").toPlainText()
        assert rows.startswith("1. Meithrin partneriaethau traws-sector\n2. Hyrwyddo mannau cymdeithasol gymysg")
        journey.press("Escape")

    journey.click("Templedi…")
    assert look.done


def test_a_spreadsheet_the_import_refuses_is_explained_in_welsh(town: Journey, tmp_path: Path) -> None:
    sheet = tmp_path / "rhestr.csv"
    sheet.write_text("Banc Bwyd,Caerdydd\nClwb Ieuenctid,Abertawe\n", encoding="utf-8")  # no header row
    with town.stored() as session:
        before = session.exec(select(func.count()).select_from(models.Partner)).one()
    switch_to_welsh(town)
    town.sidebar("Partneriaid")

    def read_and_close(_box: QWidget) -> None:
        town.press("Return")

    @town.on_dialog("Mewnforio partneriaid")
    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog), "the file dialog comes first"
        # The refusal comes next, under the same title, once this dialog has closed.
        told.append(town.on_dialog("Mewnforio partneriaid")(read_and_close))
        town.qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=30_000)
        town.clear_and_type(str(sheet))
        town.press("Return")

    told: list[DialogStep] = []
    town.click("Mewnforio…")
    assert choose.done
    town.wait_until(lambda: told and told[0].done, what="the refusal")
    said = told[0].text
    assert said.startswith("Ni chafwyd colofn o enwau sefydliadau yn y ddalen 'rhestr'; y rhesi cyntaf oedd: "), said
    assert "rhes 1: “Banc Bwyd | Caerdydd”" in said
    with town.stored() as session:
        assert session.exec(select(func.count()).select_from(models.Partner)).one() == before  # nothing imported


def test_the_partner_record_in_welsh_names_what_it_is_linked_to_and_its_contact_errors(journey: Journey) -> None:
    add_partner(journey, "Millbrook Food Bank")
    switch_to_welsh(journey)
    journey.sidebar("Partneriaid")
    journey.click_row("Partneriaid", "Millbrook Food Bank", double=True)
    journey.wait_until(lambda: journey.focused_name() == "Enw", what="the partner record")

    # The Linked box: each heading, and the list under it announced by the same words.
    for heading in (
        "Cyfleoedd y mae'n eu cynnal neu'n eu cefnogi",
        "Gweithdai y cymerodd ran ynddynt",
        "Camau gweithredu y mae'n gyfrifol amdanynt",
    ):
        assert len(journey.find_all(heading)) == 2, heading  # the heading and its list
    assert not {"Opportunities hosted or supported", "Workshops taken part in", "Actions owned"} & set(journey.texts())

    # Asking to add or remove a contact too soon is answered in Welsh, under the contacts.
    journey.click("Ychwanegu cyswllt")
    journey.find("⚠ Teipiwch enw'r cyswllt newydd yn gyntaf.")  # the mark: not by colour alone
    journey.click("Tynnu'r cyswllt")
    journey.find("⚠ Dewiswch y cyswllt i'w dynnu yn gyntaf.")
    assert stored_partner(journey, "Millbrook Food Bank").deleted_at is None


def test_a_welsh_officer_ticks_a_shipped_theme_by_its_welsh_name_and_finds_the_partner_by_it(
    journey: Journey,
) -> None:
    add_partner(journey, "Eastfield Youth Club")
    add_partner(journey, "Millbrook Food Bank")
    switch_to_welsh(journey)
    journey.sidebar("Partneriaid")
    journey.click_row("Partneriaid", "Millbrook Food Bank", double=True)
    journey.wait_until(lambda: journey.focused_name() == "Enw", what="the partner record")
    checklist = journey.rows("Rhestr wirio themâu")
    assert "Pobl ifanc" in checklist and "Young people" not in checklist  # the shipped themes, named in Welsh
    journey.click_into("Chwilio am thema neu ychwanegu un")
    journey.type("Gwirfoddoli")
    journey.press("Return")  # the shipped theme, known by its Welsh name: ticked, not added again

    partner = stored_partner(journey, "Millbrook Food Bank")
    with journey.stored() as session:
        linked = session.exec(
            select(models.Theme.name).join(models.PartnerTheme).where(models.PartnerTheme.partner_id == partner.id)
        ).all()
        welsh_named = session.exec(select(models.Theme).where(models.Theme.name == "Gwirfoddoli")).all()
    assert linked == ["Volunteering"] and welsh_named == []
    assert journey.rows("Rhestr wirio themâu").count("Gwirfoddoli") == 1

    # The directory's search finds the partner by the Welsh name of its theme (its search text is in English).
    journey.click("← Pob partner")
    count = journey.find("Nifer y partneriaid a ddangosir")
    journey.fill("Chwilio partneriaid", "gwirfoddoli")
    journey.wait_until(lambda: "yn cyfateb" in count.text(), what="the count of partners found")
    assert count.text().startswith("1 o'r 2 "), count.text()
    assert journey.rows("Partneriaid") == ["Millbrook Food Bank"]
