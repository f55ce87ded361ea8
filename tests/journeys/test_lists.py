"""The lists a coordinator takes out every week, and the Dashboard's "This week" reminders, by keys and clicks:
the directory as the page shows it, the volunteer list (contact details only when ticked), the mailing list,
the calendar; each file opened again as the program that reads it would."""

from __future__ import annotations

import csv
from pathlib import Path

from icalendar import Calendar
from openpyxl import load_workbook
from sqlmodel import select

from PySide6.QtWidgets import QTableView, QWidget

from cohesion_desktop.db import models
from cohesion_desktop.domain import Sector
from tests.export.pdf_reading import page_texts
from tests.journeys.driver import Journey


def test_the_directory_as_filtered_on_the_page_in_the_columns_chosen(town: Journey, tmp_path: Path) -> None:
    town.sidebar("Partners")
    town.click_into("Sector filter")
    town.press("Down", "Return")  # the first sector after "All sectors": Business
    town.wait_until(lambda: "6 of 40 partners match" in town.texts(), what="the filter to apply")
    target = tmp_path / "business directory.xlsx"

    @town.on_dialog("Export partner directory")
    def choose(_dialog: QWidget) -> None:
        assert any(text.startswith("6 of 40 partners, in the order shown") for text in town.texts())
        town.click("Main contact")  # shown on the page, left out of the list
        town.click("Remit")  # not on the page, wanted in the list
        town.click("Export…")

    town.save_as("Export partner directory", target)
    told = town.answer("Export partner directory", "OK")
    town.click("Export…")
    assert choose.done
    town.wait_until(lambda: told.done, what="the directory to be written", timeout_s=60)
    assert "was saved to" in told.text

    rows = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Name", "Sector", "SME", "Themes", "Places", "Relationship", "Last updated", "Remit")
    with town.stored() as session:
        business = session.exec(
            select(models.Partner).where(models.Partner.sector == Sector.BUSINESS, models.Partner.deleted_at == None)  # noqa: E711
        ).all()
    assert [row[0] for row in rows[1:]] == sorted(p.name for p in business)
    assert {row[1] for row in rows[1:]} == {"Business"}
    assert all(row[7] for row in rows[1:]), "every remit is there"


def test_the_volunteer_list_has_contact_details_only_when_ticked(town: Journey, tmp_path: Path) -> None:
    town.sidebar("Volunteers")
    town.click_into("Search volunteers")
    town.type("Armitage")
    town.wait_until(lambda: "6 volunteers match" in town.texts(), what="the search")
    target = tmp_path / "armitages.pdf"

    @town.on_dialog("Export volunteer list")
    def choose(_dialog: QWidget) -> None:
        assert not town.find("E-mail").isEnabled() and not town.find("Phone").isEnabled()
        assert any("personal data (UK GDPR)" in text for text in town.texts()), "the reminder of why"
        town.click("Include contact details (e-mail and phone)")
        town.click("Phone")  # e-mail yes, phone no
        town.click_into("Format")
        town.press("Down", "Return")  # PDF to print
        town.click("Export…")

    town.save_as("Export volunteer list", target)
    told = town.answer("Export volunteer list", "OK")
    town.click("Export…")
    assert choose.done
    town.wait_until(lambda: told.done, what="the list to be written", timeout_s=60)
    assert "holds contact details" in told.text

    text = " ".join(" ".join(page_texts(target)).split())
    with town.stored() as session:
        armitages = session.exec(select(models.Volunteer).where(models.Volunteer.name.endswith("Armitage"))).all()  # type: ignore[attr-defined]
    assert len(armitages) == 6
    for person in armitages:
        assert person.name in text and person.email in text
        assert person.phone not in text
    assert "contact details, which are personal data" in text
    assert "6 of 120 volunteers" in text


def test_the_mailing_list_and_the_calendar_from_the_file_menu(town: Journey, tmp_path: Path) -> None:
    mailing = tmp_path / "mailing"  # no suffix typed: .csv is added
    town.save_as("Export mailing list", mailing)
    told = town.answer("Export mailing list", "OK")
    town.menu("File", "Export mailing list…")
    town.wait_until(lambda: told.done, what="the mailing list to be written", timeout_s=60)
    with (tmp_path / "mailing.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    with town.stored() as session:
        agreed = session.exec(
            select(models.Volunteer).where(
                models.Volunteer.consent_to_contact == True,  # noqa: E712
                models.Volunteer.consent_withdrawn_on == None,  # noqa: E711
                models.Volunteer.deleted_at == None,  # noqa: E711
                models.Volunteer.email != "",
            )
        ).all()
    assert {row["Email Address"] for row in rows} == {person.email for person in agreed}
    assert f"{len(rows)} people who agreed to be contacted" in told.text

    calendar = tmp_path / "dates.ics"
    town.save_as("Export calendar", calendar)
    told = town.answer("Export calendar", "OK")
    town.menu("File", "Export calendar…")
    town.wait_until(lambda: told.done, what="the calendar to be written", timeout_s=60)
    events = Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
    assert f"{len(events)} dates saved" in told.text
    with town.stored() as session:
        workshops = session.exec(select(models.Workshop)).all()
    uids = {str(event["UID"]) for event in events}
    assert {f"workshop-{w.id.hex}@cohesion-desktop.invalid" for w in workshops} <= uids


def test_this_week_on_the_dashboard_opens_each_record(town: Journey) -> None:
    town.sidebar("Dashboard")
    town.wait_until(lambda: town.rows("This week"), what="the reminders to be read")
    summary = next(text for text in town.texts() if "overdue action" in text)
    assert "renewals due within 30 days" in summary and "milestones to thank" in summary

    overdue = town.rows("This week", column=2)[0]  # Reminder, Who, What, When
    assert town.rows("This week")[0].endswith("Overdue action")  # marked ⚠: it is late
    town.click_row("This week", overdue, double=True)
    actions = town.find("Actions", kind=QTableView)
    town.wait_until(lambda: town.window.current_page() is town.window.pages["actions"], what="the Actions page")
    # The page reads its actions in the background, then selects the one asked for.
    town.wait_until(lambda: actions.selectionModel().selectedRows(), what="the overdue action to be selected")
    selected = actions.selectionModel().selectedRows()
    assert selected and overdue in str(selected[0].data())

    town.sidebar("Dashboard")
    person = next(
        who
        for kind, who in zip(town.rows("This week"), town.rows("This week", column=1), strict=True)
        if kind.endswith("Renewal due")
    )
    town.click_row("This week", person, double=True)
    town.wait_until(lambda: town.window.current_page() is town.window.pages["volunteers"], what="the Volunteers page")
    town.wait_until(lambda: person in town.texts(), what=f"{person}'s record")
