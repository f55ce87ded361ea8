"""Volunteers as a coordinator keeps them: people, consent, checks, hours, thanks and their rights."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from PySide6.QtWidgets import QWidget

from cohesion_desktop.db import models
from tests.journeys.driver import Journey


def open_volunteer(journey: Journey, name: str) -> None:
    journey.sidebar("Volunteers")
    journey.click_into("Search volunteers")
    journey.type(name)
    journey.click_row("Volunteers", name, double=True)
    journey.wait_until(lambda: journey.find_all(name), what=f"{name}'s page")


def test_a_dbs_check_with_a_typed_date_is_stored_as_typed(town: Journey) -> None:
    open_volunteer(town, "Fiona Armitage")

    @town.on_dialog("Add a check or training")
    def add(_dialog: QWidget) -> None:
        assert town.focused_name() == "Check or training"
        town.press("Down", "Down")  # basic → standard → enhanced
        town.press("Tab")
        assert town.focused_name() == "Obtained on"
        town.clear_and_type("15/01/2024")
        town.press("Tab")
        town.click_into("Reference")
        town.type("001234567890")
        town.click("Save")

    town.click("Add…")
    assert add.done
    with town.stored() as session:
        check = session.exec(select(models.VolunteerCheck).where(
            models.VolunteerCheck.reference == "001234567890")).one()
    assert (check.kind, check.obtained_on) == ("dbs_enhanced", date(2024, 1, 15))
    assert check.renewal_due_on == date(2027, 1, 15)  # three years on, as suggested
    town.row_index("Checks and training", "15/01/2024")


def test_a_date_that_is_not_a_date_is_refused_beside_the_field(town: Journey) -> None:
    open_volunteer(town, "Fiona Armitage")
    with town.stored() as session:
        before = len(session.exec(select(models.VolunteerCheck)).all())
    next_year = f"15/01/{date.today().year + 1}"

    @town.on_dialog("Add a check or training")
    def add(dialog: QWidget) -> None:
        town.fill("Obtained on", "31/02/2024")
        town.click("Save")
        assert dialog.isVisible(), "the dialog closed on a date that does not exist"
        town.find("⚠ “31/02/2024” is not a real date (day 31, month 2, year 2024).")
        assert town.focused_name() == "Obtained on"
        town.clear_and_type(next_year)
        town.press("Return")
        assert dialog.isVisible(), "the dialog closed on a date in the future"
        assert town.find_all(f"⚠ {next_year} is after {date.today():%d/%m/%Y}, the latest date here. A check "
                             "cannot be obtained in the future.")
        town.click("Cancel")

    town.click("Add…")
    assert add.done
    with town.stored() as session:
        assert len(session.exec(select(models.VolunteerCheck)).all()) == before


def last_day_of_last_month() -> date:
    return date.today().replace(day=1) - timedelta(days=1)


def test_log_hours_by_keyboard_with_a_typed_date_and_enter_for_the_next(town: Journey) -> None:
    town.sidebar("Volunteers")
    day = last_day_of_last_month()  # a day number above today's: the old date box refused it digit by digit
    typed = f"{day:%d/%m/%Y}"

    @town.on_dialog("Log hours")
    def log(dialog: QWidget) -> None:
        assert town.focused_name() == "Volunteer"
        town.type("Fiona Armi")
        town.wait_offered("Fiona Armitage")
        town.press("Down", "Return")  # take the name offered
        assert town.focused_name() == "Hours"
        town.press("Shift+Tab")
        assert town.focused_name() == "Date"
        town.clear_and_type(typed)
        town.press("Tab")
        town.type("2.5")
        town.press("Tab")
        town.type("Drove the minibus")
        town.press("Return")  # saves, and the cursor goes back for the next person
        assert town.focused_name() == "Volunteer"
        assert dialog.isVisible()
        town.type("Fiona Armi")
        town.wait_offered("Fiona Armitage")
        town.press("Down", "Return")
        town.type("1")
        town.press("Return")  # Enter in the hours field saves too
        assert len(town.list_items("Hours logged in this window")) == 2
        town.press("Escape")

    town.press("Ctrl+L")
    assert log.done
    with town.stored() as session:
        entries = session.exec(select(models.HoursEntry).where(models.HoursEntry.activity == "Drove the minibus")).all()
        assert [(e.on_date, e.hours) for e in entries] == [(day, 2.5)]
        latest = session.exec(select(models.HoursEntry).order_by(models.HoursEntry.created_at.desc())).first()
        # The date stays for the next sheet of the same day.
        assert latest is not None and (latest.on_date, latest.hours) == (day, 1.0)
