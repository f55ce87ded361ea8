"""A new user's first minutes: the welcome page, by keyboard only."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from PySide6.QtWidgets import QWidget

from cohesion_desktop.db import models
from tests.importing.builders import MESSY_MERGES, MESSY_ROWS, write_xlsx
from tests.journeys.driver import Journey


def tab_to(journey: Journey, name: str, *, limit: int = 30) -> None:
    """Press Tab until the focus is on the control announced as ``name``."""
    for _ in range(limit):
        if journey.focused_name() == name:
            return
        journey.press("Tab")
    raise AssertionError(f"Tab never reached “{name}”")


def test_return_on_load_example_data_fills_the_file(journey: Journey) -> None:
    journey.find("Welcome to Cohesion Desktop")
    tab_to(journey, "Load example data")
    journey.press("Return")
    journey.wait_until(
        lambda: journey.window.pages["dashboard"].isVisible() and journey.find_all("Hours given"),
        what="the dashboard's figures",
    )
    with journey.stored() as session:
        assert len(session.exec(select(models.Partner.id)).all()) == 40


def test_add_a_partner_from_the_welcome_page_by_keyboard(journey: Journey) -> None:
    @journey.on_dialog("Add a partner")
    def add(_dialog: QWidget) -> None:
        assert journey.focused_name() == "Organisation name"
        journey.type("Millbrook Food Bank")
        journey.press("Tab")
        journey.type("Faith")
        journey.press("Return")

    tab_to(journey, "Add a partner")
    journey.press("Return")
    assert add.done
    with journey.stored() as session:
        partner = session.exec(select(models.Partner)).one()
    assert (partner.name, partner.sector) == ("Millbrook Food Bank", "faith")
    # The new partner is open for the rest of its details, the cursor in its name.
    assert journey.focused_name() == "Name"


def test_import_partners_from_the_welcome_page_by_keyboard(journey: Journey, tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS, merges=MESSY_MERGES)
    journey.open_file("Import partners", sheet)

    finished = journey.answer("Import finished", "OK")

    @journey.on_dialog("Import partners from a spreadsheet")
    def check(_dialog: QWidget) -> None:
        journey.click("Import 13 partners")

    tab_to(journey, "Import partners from a spreadsheet")
    journey.press("Return")
    assert check.done
    # Written in the background with its progress; a message says when it is done.
    journey.wait_until(lambda: finished.done, what="the import to finish", timeout_s=60)
    with journey.stored() as session:
        assert len(session.exec(select(models.Partner.id)).all()) == 13
    # The welcome page has done its job: the partners are listed.
    journey.wait_until(lambda: journey.find_all("13 partners"), what="the directory to list them")


def test_the_welcome_buttons_show_which_one_has_the_keyboard(journey: Journey) -> None:
    button = journey.find("Add a partner")
    unfocused = button.grab().toImage()
    tab_to(journey, "Add a partner")
    assert button.grab().toImage() != unfocused, "nothing on screen shows that the button has the focus"
