"""The partner directory as a coordinator keeps it: add, edit, delete and undo, merge, import, the remit map."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from cohesion_desktop.db import models
from tests.importing.builders import MESSY_MERGES, MESSY_ROWS, write_xlsx
from tests.journeys.driver import Journey


def add_partner(journey: Journey, name: str, sector: str = "") -> None:
    journey.sidebar("Partners")

    @journey.on_dialog("Add a partner")
    def add(_dialog: QWidget) -> None:
        journey.type(name)
        if sector:
            journey.press("Tab")
            journey.type(sector)
        journey.click("Add partner")

    journey.press("Ctrl+N")
    assert add.done


def stored_partner(journey: Journey, name: str) -> models.Partner:
    with journey.stored() as session:
        return session.exec(select(models.Partner).where(models.Partner.name == name)).one()


def test_add_and_edit_a_partner_with_themes_places_and_contacts(journey: Journey) -> None:
    add_partner(journey, "Millbrook Food Bank")
    assert journey.focused_name() == "Name"
    journey.click_into("Website")
    journey.type("www.millbrookfoodbank.org.uk")
    journey.press("Tab")
    assert journey.focused_name() == "Remit"
    journey.type("Emergency food parcels and a weekly community café.")
    journey.press("Tab")  # leaving the remit saves it
    journey.click_into("Find or add a theme")
    journey.type("Poverty and inequality")
    journey.press("Return")  # ticks the theme that is already known
    journey.type("Food justice")
    journey.press("Return")  # a new theme, added and ticked
    journey.click_into("Find or add a place")
    journey.type("Eastfield")
    journey.press("Return")
    journey.click_into("New contact's name")
    journey.type("Sam Jones")
    journey.press("Return")
    journey.click_row("Contacts", "Sam Jones")  # the name cell of the new row
    journey.press("Tab")  # to Role
    journey.type("Coordinator")
    journey.press("Tab")  # saves Role, on to E-mail
    journey.type("sam@millbrookfoodbank.org.uk")
    journey.press("Tab")
    journey.type("01632 960123")
    journey.press("Return")

    partner = stored_partner(journey, "Millbrook Food Bank")
    assert (partner.website, partner.remit) == (
        "https://www.millbrookfoodbank.org.uk",
        "Emergency food parcels and a weekly community café.",
    )
    with journey.stored() as session:
        themes = set(
            session.exec(
                select(models.Theme.name).join(models.PartnerTheme).where(models.PartnerTheme.partner_id == partner.id)
            ).all()
        )
        places = set(
            session.exec(
                select(models.Place.name).join(models.PartnerPlace).where(models.PartnerPlace.partner_id == partner.id)
            ).all()
        )
        contact = session.exec(select(models.Contact).where(models.Contact.partner_id == partner.id)).one()
    assert themes == {"Poverty and inequality", "Food justice"}
    assert places == {"Eastfield"}
    assert (contact.name, contact.role, contact.email, contact.phone, contact.is_main) == (
        "Sam Jones",
        "Coordinator",
        "sam@millbrookfoodbank.org.uk",
        "01632 960123",
        True,
    )


def test_delete_then_ctrl_z_wherever_the_focus_is(town: Journey) -> None:
    town.sidebar("Partners")
    town.click_row("Partners", "Lowmoor Cricket Club", double=True)
    town.answer("Delete partner", "Delete")
    town.click("Delete partner")
    town.wait_until(lambda: "Deleted Lowmoor Cricket Club." in town.status(), what="the status bar to say so")
    assert town.find("Undo the last change").isVisible()
    assert stored_partner(town, "Lowmoor Cricket Club").deleted_at is not None
    town.click_into("Search partners")  # an empty search box has nothing of its own to undo
    town.press("Ctrl+Z")
    assert stored_partner(town, "Lowmoor Cricket Club").deleted_at is None
    assert not town.window.undo_button.isVisible(), "Undo still offered for a change already undone"
    town.press("Ctrl+Shift+Z")  # redo, from the same box
    assert stored_partner(town, "Lowmoor Cricket Club").deleted_at is not None
    town.press("Ctrl+Y")  # nothing more to redo: nothing changes, nothing breaks
    town.press("Ctrl+Z")
    assert stored_partner(town, "Lowmoor Cricket Club").deleted_at is None


def test_the_status_bar_undo_never_undoes_a_later_change(town: Journey) -> None:
    town.sidebar("Partners")
    town.click_row("Partners", "Lowmoor Cricket Club", double=True)
    town.answer("Delete partner", "Delete")
    town.click("Delete partner")
    town.wait_until(lambda: town.window.undo_button.isVisible(), what="Undo in the status bar")
    add_partner(town, "Lowmoor Bowls Club")  # another change, while Undo is still offered
    assert not town.window.undo_button.isVisible(), "Undo still offered for the delete, a change ago"
    assert stored_partner(town, "Lowmoor Cricket Club").deleted_at is not None


def test_merge_two_partners(town: Journey) -> None:
    add_partner(town, "Millbrook Foodbank")  # the same organisation, typed again
    town.click("← All partners")
    town.click_row("Partners", "Millbrook Food Bank", double=True)

    @town.on_dialog("Merge with…")
    def choose(_dialog: QWidget) -> None:
        assert town.focused_name() == "Partner to merge in"
        # The partner of a similar name is offered first.
        town.press("Return")

    town.answer("Merge partners", "Merge")
    town.click("Merge with…")
    assert choose.done
    town.wait_until(
        lambda: "Merged Millbrook Foodbank into Millbrook Food Bank." in town.status(), what="the status bar to say so"
    )
    assert stored_partner(town, "Millbrook Foodbank").deleted_at is not None
    assert stored_partner(town, "Millbrook Food Bank").deleted_at is None


def test_import_a_messy_spreadsheet_through_the_dialog_and_undo_it(journey: Journey, tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "our partners.xlsx", MESSY_ROWS, merges=MESSY_MERGES)
    journey.sidebar("Partners")
    journey.open_file("Import partners", sheet)

    @journey.on_dialog("Import partners from a spreadsheet")
    def check_and_import(dialog: QWidget) -> None:
        journey.find("our partners.xlsx")
        assert journey.find("Headings are on row").value() == 3
        summary = next(
            t for t in (w.text() for w in dialog.findChildren(QLabel)) if t.startswith("Nothing has been written yet")
        )
        assert "13 to add" in summary and "2 rows skipped" in summary
        journey.answer("Import finished", "OK")
        journey.click("Import 13 partners")

    journey.click("Import…")
    assert check_and_import.done
    # Written in the background with its progress; the status bar says so when it is done.
    journey.wait_until(lambda: "Added 13" in journey.status(), what="the import to finish", timeout_s=60)
    with journey.stored() as session:
        names = set(session.exec(select(models.Partner.name).where(models.Partner.deleted_at.is_(None))).all())
    assert len(names) == 13 and "Łódź Polish Club" in names and "St Mary's Church" in names

    journey.press("Ctrl+Z")  # the whole import is one step
    with journey.stored() as session:
        left = session.exec(select(models.Partner.name).where(models.Partner.deleted_at.is_(None))).all()
    assert left == []


def test_remit_map_drill_down_to_a_partner(town: Journey) -> None:
    town.sidebar("Partners")
    town.tab("Remit map")
    table = town.find("Remit map", kind=QTableView)
    model = table.model()
    town.wait_until(lambda: model.rowCount() > 0, what="the map to be counted")
    # The first theme row with partners behind it in some place.
    index = next(
        model.index(row, column)
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        if str(model.index(row, column).data() or "0").split()[0] not in ("0", "")
    )
    table.scrollTo(index)
    town.qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    partners_in_cell = town.rows("Partners in the chosen cell")
    assert partners_in_cell, "a cell with a number shows its partners"
    first = partners_in_cell[0].rsplit(" (", 1)[0]
    town.click_row("Partners in the chosen cell", partners_in_cell[0], double=True)
    town.wait_until(lambda: town.find_all(first), what=f"{first} to open")
    assert town.focused_name() == "Name"
