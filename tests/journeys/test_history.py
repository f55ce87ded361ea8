"""Who changed what, on which laptop: the History panel of a partner, read and restored by keyboard and mouse."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cohesion_desktop.db import history
from tests.journeys.driver import Journey
from tests.journeys.test_partners import add_partner, stored_partner


def test_edit_a_remit_read_its_history_in_words_restore_and_undo(journey: Journey) -> None:
    @journey.on_dialog("Settings")
    def name_them(_dialog: QWidget) -> None:
        journey.fill("Your name", "Sam")
        journey.fill("This laptop's name", "the Office laptop")
        journey.click("Save")

    journey.menu("File", "Settings…")
    assert name_them.done
    assert history.your_name() == "Sam"

    add_partner(journey, "Millbrook Food Bank")
    journey.click_into("Remit")
    journey.type("Food parcels")
    journey.press("Tab")  # leaving the remit saves it
    journey.click_into("Remit")
    journey.press("Ctrl+A")
    journey.type("Food parcels and a warm space")
    journey.press("Tab")
    assert stored_partner(journey, "Millbrook Food Bank").remit == "Food parcels and a warm space"

    seen: list[str] = []

    @journey.on_dialog("History of Millbrook Food Bank")
    def restore(_dialog: QWidget) -> None:
        seen.extend(journey.rows("Changes"))
        journey.click_row("Changes", "→ ‘Food parcels’")  # the first remit, as typed
        journey.click("Restore this version")

    journey.click("History…")
    assert restore.done
    assert seen[0].startswith("Remit changed by Sam on the Office laptop, ")
    assert seen[0].endswith(": ‘Food parcels’ → ‘Food parcels and a warm space’")
    assert seen[-1].startswith("Added by Sam on the Office laptop, ")
    assert stored_partner(journey, "Millbrook Food Bank").remit == "Food parcels"
    journey.wait_until(lambda: "Restored Millbrook Food Bank" in journey.status(), what="the status bar to say so")

    journey.press("Ctrl+Z")
    assert stored_partner(journey, "Millbrook Food Bank").remit == "Food parcels and a warm space"
    assert journey.find("Remit").toPlainText() == "Food parcels and a warm space"

    @journey.on_dialog("History of Millbrook Food Bank")
    def read_again(_dialog: QWidget) -> None:
        seen[:] = journey.rows("Changes")
        journey.press("Escape")

    journey.click("History…")
    assert read_again.done
    # The restore and its undo are changes too, recorded like any other.
    assert seen[0].endswith(": ‘Food parcels’ → ‘Food parcels and a warm space’")
    assert seen[1].endswith(": ‘Food parcels and a warm space’ → ‘Food parcels’")


def test_a_volunteers_history_restores_a_skill_and_workshops_and_opportunities_have_theirs(town: Journey) -> None:
    from sqlmodel import select

    from cohesion_desktop.db import models
    from tests.journeys.test_volunteers import open_volunteer
    from tests.journeys.test_workshops import new_workshop

    open_volunteer(town, "Fiona Armitage")
    town.fill("Skills", "driving")
    town.press("Tab")
    town.fill("Skills", "driving, cooking")
    town.press("Tab")

    @town.on_dialog("History of Fiona Armitage")
    def restore(_dialog: QWidget) -> None:
        assert town.rows("Changes")[0].endswith(": ‘driving’ → ‘driving, cooking’")
        town.click_row("Changes", "→ ‘driving’")
        town.click("Restore this version")

    town.click("History…")
    assert restore.done
    with town.stored() as session:
        fiona = session.exec(select(models.Volunteer).where(models.Volunteer.name == "Fiona Armitage")).one()
    assert fiona.skills == "driving"

    new_workshop(town, "History roundtable")  # its matrix opens
    town.click("← All workshops")
    town.click_row("Workshops", "History roundtable")
    workshop_lines: list[str] = []

    @town.on_dialog("History of “History roundtable”")
    def read_workshop(_dialog: QWidget) -> None:
        workshop_lines.extend(town.rows("Changes"))
        town.press("Escape")

    town.click("History…")
    assert read_workshop.done and workshop_lines[-1].startswith("Added by ")

    town.sidebar("Opportunities")
    town.click_row("Opportunities", "Community garden volunteer (Lowmoor)")

    @town.on_dialog("History of “Community garden volunteer (Lowmoor)”")
    def read_opportunity(_dialog: QWidget) -> None:
        assert "No changes are recorded for this record yet." in town.texts()
        town.press("Escape")

    town.click("History…")
    assert read_opportunity.done
