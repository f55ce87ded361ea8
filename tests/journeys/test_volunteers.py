"""Volunteers as a coordinator keeps them: people, consent, checks, hours, thanks and their rights."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlmodel import select

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from cohesion_desktop.db import models
from tests.export.pdf_reading import certificate_name_ink, fonts_on
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
        check = session.exec(
            select(models.VolunteerCheck).where(models.VolunteerCheck.reference == "001234567890")
        ).one()
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
        assert town.find_all(
            f"⚠ {next_year} is after {date.today():%d/%m/%Y}, the latest date here. A check "
            "cannot be obtained in the future."
        )
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


def test_add_a_volunteer_with_consent_and_place_them_from_find_volunteers(town: Journey) -> None:
    town.sidebar("Volunteers")

    @town.on_dialog("Add volunteer")
    def name(_dialog: QWidget) -> None:
        town.type("Siân Ŵyn Roberts")
        town.press("Return")

    town.press("Ctrl+N")
    assert name.done
    assert town.focused_name() == "Name"
    town.fill("E-mail", "sian.roberts@example.org")
    town.fill("Skills", "cooking, Welsh")
    town.click("Weekends")
    town.click("Agreed to be contacted")
    town.fill("What they agreed", "Texts about weekend opportunities")
    town.press("Tab")
    with town.stored() as session:
        person = session.exec(select(models.Volunteer).where(models.Volunteer.name == "Siân Ŵyn Roberts")).one()
    assert (person.email, person.skills, person.consent_to_contact, person.consent_given_on) == (
        "sian.roberts@example.org",
        "cooking, Welsh",
        True,
        date.today(),
    )
    assert person.consent_details == "Texts about weekend opportunities" and "weekend" in person.availability

    # A new opportunity that fits her, then Find volunteers on it.
    town.sidebar("Opportunities")

    @town.on_dialog("New opportunity")
    def describe(_dialog: QWidget) -> None:
        assert town.focused_name() == "Title"
        town.type("Saturday community lunch")
        town.press("Tab")
        town.type("Eastfield Community")
        town.wait_offered("Eastfield Community Centre")
        town.press("Down", "Return")
        town.click_into("Status")
        town.type("Open")
        town.click("Weekends")
        town.fill("Skills wanted", "cooking")
        town.fill("Places available", "4")
        town.click("Save")

    town.click("New opportunity…")
    assert describe.done

    @town.on_dialog("Find volunteers")
    def place(_dialog: QWidget) -> None:
        town.click_row("Matches, best first", "Siân Ŵyn Roberts")
        town.click("Place")
        town.find("Siân Ŵyn Roberts is now placed on “Saturday community lunch”. Ctrl+Z undoes it.")
        town.click("Close")

    town.click_into("Search opportunities")
    town.type("Saturday community")
    town.click_row("Opportunities", "Saturday community lunch")
    town.click("Find volunteers…")
    assert place.done
    with town.stored() as session:
        placement = session.exec(select(models.Placement).where(models.Placement.volunteer_id == person.id)).one()
        opportunity = session.get(models.Opportunity, placement.opportunity_id)
    assert opportunity is not None and opportunity.title == "Saturday community lunch"


def test_the_week_grid_saves_typed_hours_and_says_why_a_future_day_is_not_taken(town: Journey) -> None:
    town.sidebar("Volunteers")
    monday = date.today() - timedelta(days=date.today().weekday())

    @town.on_dialog("A week's hours")
    def grid(dialog: QWidget) -> None:
        table = town.find("Hours for each day")
        first = town.rows(table)[0]
        # Monday of this week is today or before: its cell takes the hours typed.
        town.click_row(table, first, column=1)
        town.type("3.5")
        town.press("Tab")
        town.wait_until(lambda: "3.5" in str(table.model().index(0, 1).data()), what="Monday to show 3.5")
        town.click("Next week ▶")
        town.click_row(table, town.rows(table)[0] if town.rows(table) else first, column=3)
        town.type("2")
        town.find(
            f"⚠ {monday + timedelta(days=9):%A %d/%m/%Y} has not come yet: hours can be logged up to "
            "today. Nothing was saved for that day."
        )
        town.click("Close")

    town.click("A week's hours…")
    assert grid.done
    with town.stored() as session:
        on_monday = session.exec(
            select(models.HoursEntry).where(
                models.HoursEntry.on_date == monday,
                models.HoursEntry.hours == 3.5,
                models.HoursEntry.deleted_at.is_(None),
            )
        ).all()
        ahead = session.exec(select(models.HoursEntry).where(models.HoursEntry.on_date > date.today())).all()
    assert len(on_monday) == 1 and ahead == []


def test_a_certificate_of_thanks_is_saved_as_a_pdf(town: Journey, tmp_path: Path) -> None:
    open_volunteer(town, "Fiona Armitage")
    target = tmp_path / "certificate for Fiona.pdf"

    @town.on_dialog("Certificates of thanks")
    def wording(_dialog: QWidget) -> None:
        town.fill("Signed by", "Joanne Whitaker, Chief Officer")
        town.click("Make certificates…")

    town.save_as("Save certificates", target)
    town.click("Certificate…")
    assert wording.done
    town.wait_until(target.exists, what="the PDF to be written")
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Fiona Armitage" in text and "Joanne Whitaker" in text


def test_subject_access_export_then_erasure(town: Journey, tmp_path: Path) -> None:
    open_volunteer(town, "Fiona Armitage")
    target = tmp_path / "fiona.txt"
    town.save_as("Export their data (subject access)", target)
    told = town.answer("Export their data", "OK")
    town.click("Export their data…")
    assert told.done and "Fiona Armitage" in target.read_text(encoding="utf-8")
    with town.stored() as session:
        person = session.exec(select(models.Volunteer).where(models.Volunteer.name == "Fiona Armitage")).one()

    @town.on_dialog("Erase personal data – Fiona Armitage")
    def erase(_dialog: QWidget) -> None:
        said = " ".join(town.texts())
        assert "still hold this person" in said and "hours stay in every total" in said
        assert town.find("Erase for good").isEnabled()
        town.press("Return")  # Enter is Cancel here: nobody is erased by a slip of the finger

    town.click("Erase personal data…")
    town.wait_until(lambda: erase.done, what="the erasure dialog", timeout_s=30)
    with town.stored() as session:
        assert session.get(models.Volunteer, person.id).erased_at is None

    @town.on_dialog("Erase personal data – Fiona Armitage")
    def erase_for_good(_dialog: QWidget) -> None:
        town.click("Erase for good")

    town.click("Erase personal data…")
    town.wait_until(
        lambda: "Erased Fiona Armitage's personal data" in town.status(), what="the erasure to be done", timeout_s=60
    )
    assert erase_for_good.done
    with town.stored() as session:
        erased = session.get(models.Volunteer, person.id)
    assert erased is not None and erased.erased_at is not None and "Fiona" not in erased.name


def test_last_12_months_is_the_same_period_on_the_dashboard_and_in_hours_totals(town: Journey) -> None:
    town.sidebar("Dashboard")
    town.wait_until(lambda: any(t.startswith("Hours given: ") for t in town.texts()), what="the dashboard's figures")
    on_dashboard = next(t for t in town.texts() if t.startswith("Hours given: ")).removeprefix("Hours given: ")
    town.sidebar("Volunteers")
    town.tab("Hours totals")
    assert town.find("Period").currentText() == "Last 12 months"
    town.wait_until(lambda: any(" hours given by " in text for text in town.texts()), what="the hours to be counted")
    totals = next(text for text in town.texts() if " hours given by " in text)

    def hours(text: str) -> float:
        return float(text.split(" hours")[0].replace(",", ""))

    assert hours(totals) == hours(on_dashboard), (on_dashboard, totals)


def test_import_volunteers_choose_a_row_then_again_and_undo(journey: Journey, tmp_path: Path) -> None:
    from tests.importing.builders import VOLUNTEER_MERGES, VOLUNTEER_ROWS, write_xlsx

    sheet = write_xlsx(tmp_path / "our volunteers.xlsx", VOLUNTEER_ROWS, merges=VOLUNTEER_MERGES, sheet="Volunteers")
    journey.sidebar("Volunteers")
    journey.open_file("Import volunteers", sheet)

    def summary(dialog: QWidget) -> str:
        return next(t for t in (w.text() for w in dialog.findChildren(QLabel)) if t.startswith("Nothing has been"))

    @journey.on_dialog("Import volunteers from a spreadsheet")
    def choose_and_import(dialog: QWidget) -> None:
        assert journey.find("Headings are on row").value() == 3
        assert "7 to add, 0 to update, 2 rows skipped" in summary(dialog)
        assert "Consent is unknown for 3" in summary(dialog)
        assert "Same e-mail address as row 4" in " ".join(journey.rows("Problems found", 2))
        journey.click_row("Volunteers to import", "Sam Lee", column=2)  # "What will happen": a list opens
        journey.press("Down")  # Add → Skip this row
        journey.press("Tab")
        assert "6 to add, 0 to update, 3 rows skipped" in summary(dialog)
        journey.answer("Import finished", "OK")
        journey.click("Import 6 volunteers")

    journey.click("Import volunteers…")
    assert choose_and_import.done
    journey.wait_until(lambda: "Added 6" in journey.status(), what="the import to finish", timeout_s=60)
    with journey.stored() as session:
        stored = {v.name: v for v in session.exec(select(models.Volunteer)).all()}
        checks = session.exec(select(models.VolunteerCheck)).all()
    assert "Sam Lee" not in stored and len(stored) == 6
    assert stored["Tariq Khan"].consent_to_contact is False and stored["Tariq Khan"].consent_given_on is None
    assert stored["Ann Jones"].consent_given_on == date(2023, 3, 15) and len(checks) == 3

    @journey.on_dialog("Import volunteers from a spreadsheet")
    def again(dialog: QWidget) -> None:
        # Matched by e-mail, or by name and phone: updated, not added twice (Mary's row has neither to match).
        assert "2 to add, 5 to update" in summary(dialog)
        assert journey.rows("Volunteers to import", 2)[0] == "Update “Ann Jones” (same e-mail)"
        journey.click("Cancel")

    journey.open_file("Import volunteers", sheet)
    journey.click("Import volunteers…")
    assert again.done

    journey.press("Ctrl+Z")  # the whole import is one step
    with journey.stored() as session:
        live = session.exec(select(models.Volunteer).where(models.Volunteer.deleted_at.is_(None))).all()
    assert live == []


def test_import_past_hours_choose_an_opportunity_then_again_and_undo(town: Journey, tmp_path: Path) -> None:
    from sqlalchemy import func

    from tests.importing.builders import write_xlsx

    with town.stored() as session:
        names = session.exec(
            select(models.Volunteer.name)
            .where(models.Volunteer.deleted_at.is_(None))
            .group_by(models.Volunteer.name)
            .having(func.count() == 1)
            .limit(2)
        ).all()
        title = session.exec(
            select(models.Opportunity.title)
            .where(models.Opportunity.deleted_at.is_(None))
            .group_by(models.Opportunity.title)
            .having(func.count() == 1)
        ).first()
    assert len(names) == 2 and title

    def stored_hours() -> float:
        with town.stored() as session:
            return float(
                session.exec(
                    select(func.sum(models.HoursEntry.hours)).where(models.HoursEntry.deleted_at.is_(None))
                ).one()
                or 0
            )

    before = stored_hours()
    rows: list[list[object]] = [
        ["Hours 2023 (copied from the paper register)", "", "", "", ""],
        [""] * 5,
        ["Name", "Date", "Role", "Hours given", "Notes"],
        [names[0], "07/01/2023", title, 2.5, ""],
        [names[1], 44936, title, "3", ""],  # 09/01/2023 as Excel keeps a date typed into a number cell
        [names[0], "14/01/2023", "Gardening club", 1.5, ""],
        [names[1], "15/01/2023", title, "N/A", ""],
        ["Grand total", "", "", 7, ""],
    ]
    sheet = write_xlsx(tmp_path / "hours 2023.xlsx", rows, merges=["A1:C1"], sheet="Hours")
    town.sidebar("Volunteers")
    town.open_file("Import hours", sheet)

    def summary(dialog: QWidget) -> str:
        return next(t for t in (w.text() for w in dialog.findChildren(QLabel)) if t.startswith("Nothing has been"))

    @town.on_dialog("Import past hours from a spreadsheet")
    def choose_and_import(dialog: QWidget) -> None:
        assert "The sheet's total is 7.00 hours: 5.50 to add (2 entries)" in summary(dialog)
        assert "1.50 skipped for a name you chose to skip" in summary(dialog)
        table = town.find("Names to match")
        options = table.model().index(0, 4).data(Qt.ItemDataRole.UserRole + 10)
        town.click_row("Names to match", "Gardening club", column=4)
        town.press("Up")  # Skip its rows → the opportunity listed just above it
        town.press("Tab")
        chosen = options[-2].removeprefix("Is “").removesuffix("”")
        assert town.rows("Names to match", 4)[0] == f"Is “{chosen}”"
        assert "The sheet's total is 7.00 hours: 7.00 to add (3 entries)" in summary(dialog)
        town.answer("Import finished", "OK")
        town.click("Import 7.00 hours")

    town.click("Import hours…")
    assert choose_and_import.done
    town.wait_until(lambda: "Added 3 hours entries" in town.status(), what="the import to finish", timeout_s=60)
    assert round(stored_hours() - before, 2) == 7.0

    @town.on_dialog("Import past hours from a spreadsheet")
    def again(dialog: QWidget) -> None:
        assert "0.00 to add (0 entries), 5.50 already recorded" in summary(dialog)
        assert not town.find("Import 0.00 hours").isEnabled()
        town.click("Cancel")

    town.open_file("Import hours", sheet)
    town.click("Import hours…")
    assert again.done

    town.press("Ctrl+Z")
    assert round(stored_hours(), 2) == round(before, 2)


def test_a_large_volunteer_list_is_read_and_written_in_the_background(journey: Journey, tmp_path: Path) -> None:
    from tests.importing.builders import write_csv

    rows = [["Volunteers"], [], ["Name", "Email", "Phone", "Skills"]]
    rows += [[f"Person {i}", f"person{i}@example.org", f"07700 {i:06d}", "cooking"] for i in range(15_000)]
    sheet = write_csv(tmp_path / "everyone.csv", rows)
    assert sheet.stat().st_size > 512 * 1024  # large enough to be read in the background
    journey.sidebar("Volunteers")
    journey.open_file("Import volunteers", sheet)

    @journey.on_dialog("Import volunteers from a spreadsheet")
    def check_and_import(_dialog: QWidget) -> None:
        assert journey.find("Headings are on row").value() == 3
        journey.answer("Import finished", "OK")
        journey.click("Import 15,000 volunteers")

    journey.click("Import volunteers…")
    journey.wait_until(lambda: check_and_import.done, what="the sheet to be read", timeout_s=120)
    journey.wait_until(lambda: "Added 15,000" in journey.status(), what="the import to finish", timeout_s=120)
    with journey.stored() as session:
        count = len(session.exec(select(models.Volunteer.id)).all())
    assert count == 15_000


def test_an_imported_volunteer_whose_consent_is_not_known_is_asked_and_their_answer_saved(
    journey: Journey, tmp_path: Path
) -> None:
    from tests.importing.builders import write_csv

    sheet = write_csv(
        tmp_path / "sign-up sheet.csv",
        [["Name", "Email"], ["Nia Evans", "nia@example.org"], ["Omar Haddad", "omar@example.org"]],
    )
    journey.sidebar("Volunteers")
    journey.open_file("Import volunteers", sheet)

    @journey.on_dialog("Import volunteers from a spreadsheet")
    def import_them(_dialog: QWidget) -> None:
        journey.answer("Import finished", "OK")
        journey.click("Import 2 volunteers")

    journey.click("Import volunteers…")
    assert import_them.done
    journey.wait_until(lambda: "Added 2" in journey.status(), what="the import to finish", timeout_s=60)
    journey.wait_until(lambda: len(journey.rows("Volunteers")) == 2, what="the imported volunteers in the list")
    assert journey.rows("Volunteers", 5) == ["Not known", "Not known"]  # the Consent column: not a "No"

    open_volunteer(journey, "Nia Evans")
    assert journey.find("Not asked yet — ask them").isChecked()
    assert not journey.find("Said no").isChecked() and not journey.find("Agreed to be contacted").isChecked()
    assert any("consent not known – ask them" in text for text in journey.texts())
    journey.click("Agreed to be contacted")  # saved as soon as it is chosen
    with journey.stored() as session:
        nia = session.exec(select(models.Volunteer).where(models.Volunteer.name == "Nia Evans")).one()
        omar = session.exec(select(models.Volunteer).where(models.Volunteer.name == "Omar Haddad")).one()
    assert (nia.consent_to_contact, nia.consent_unknown, nia.consent_given_on) == (True, False, date.today())
    assert (omar.consent_to_contact, omar.consent_unknown) == (False, True)

    def nia_consent() -> tuple[bool, bool]:
        with journey.stored() as session:
            nia = session.exec(select(models.Volunteer).where(models.Volunteer.name == "Nia Evans")).one()
        return nia.consent_to_contact, nia.consent_unknown

    assert journey.focused() is journey.find("Agreed to be contacted")
    journey.press("Right")  # the arrow keys move to the next answer and choose it: she said no after all
    assert journey.find("Said no").isChecked() and nia_consent() == (False, False)
    journey.press("Ctrl+Z")
    assert nia_consent() == (True, False)
    journey.press("Ctrl+Z")  # back to before anyone asked her
    assert nia_consent() == (False, True)
    assert journey.find("Not asked yet — ask them").isChecked()


def test_a_certificate_prints_a_bengali_name_and_asks_before_printing_one_no_font_can_draw(
    town: Journey, tmp_path: Path
) -> None:
    town.sidebar("Volunteers")

    @town.on_dialog("Add volunteer")
    def name(_dialog: QWidget) -> None:
        town.type("Amit 🙂")
        town.press("Return")

    town.press("Ctrl+N")
    assert name.done
    target = tmp_path / "certificate for Amit.pdf"

    @town.on_dialog("Certificates of thanks")
    def wording(_dialog: QWidget) -> None:
        town.click("Make certificates…")

    town.save_as("Save certificates", target)
    warned = town.answer("Characters that cannot be printed", "Don't write it")
    town.click("Certificate…")
    assert wording.done and warned.done
    # Told which name and which character, before anything was written; chose not to write it.
    assert "Amit 🙂" in warned.text and "U+1F642" in warned.text, warned.text
    assert not target.exists()
    assert town.status() == "No certificates were made."

    # The name as he writes it, in Bengali: typed over the first one.
    bengali = "অমিত রায়"
    town.fill("Name", bengali)
    town.press("Tab")
    with town.stored() as session:
        session.exec(select(models.Volunteer).where(models.Volunteer.name == bengali)).one()

    @town.on_dialog("Certificates of thanks")
    def again(_dialog: QWidget) -> None:
        town.click("Make certificates…")

    town.save_as("Save certificates", target)
    town.click("Certificate…")
    assert again.done
    town.wait_until(target.exists, what="the PDF to be written")
    assert any("NotoSansBengali" in font for font in fonts_on(target))
    assert "অ" in PdfReader(target).pages[0].extract_text()
    assert len(certificate_name_ink(target)) > 40  # pixel columns at 48 dpi: the name is drawn, not blank
