"""The everyday lists (directory, volunteers, mailing list, calendar) and the "This week" reminders, each file
opened again with the library a user's program would use."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlmodel import Session

from cohesion_desktop import i18n
from cohesion_desktop.domain import ActionStatus, CheckKind, RecognitionKind, Sector
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.services import lists, partners, reminders, workshops
from cohesion_desktop.services.partners import Contact, PartnerFilter, PartnerInput
from cohesion_desktop.services.volunteering import checks, placements, recognition, volunteers
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput, create_opportunity
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from tests.export.pdf_reading import page_texts

TODAY = date.today()


def person(session: Session, name: str, **fields: object) -> volunteers.VolunteerDetail:
    values: dict[str, object] = {"name": name}
    values.update(fields)
    return volunteers.create_volunteer(session, data=VolunteerInput(**values))  # type: ignore[arg-type]


@pytest.fixture
def town(session: Session) -> Session:
    partners.create_partner(
        session,
        data=PartnerInput(
            name="Millbrook Food Bank",
            sector=Sector.VCS,
            remit='=HYPERLINK("http://evil") food parcels',
            themes=["Poverty and inequality"],
            contacts=[Contact(None, "Ruth Ade", email="ruth@foodbank.org", phone="0113 496 0000", is_main=True)],
        ),
    )
    partners.create_partner(session, data=PartnerInput(name="Harrow Bakery", sector=Sector.BUSINESS, is_sme=True))
    partners.create_partner(session, data=PartnerInput(name="Millbrook Mosque", sector=Sector.FAITH))
    return session


# ---------------------------------------------------------------------------- the partner directory


def test_the_directory_keeps_the_search_and_filters_and_the_chosen_columns(town: Session, tmp_path: Path) -> None:
    wanted = PartnerFilter(query="millbrook", sector=Sector.VCS)
    table = lists.partner_directory(town, wanted=wanted, columns=["Name", "Remit", "Contact e-mail"])
    assert [column.title for column in table.columns] == ["Name", "Remit", "Contact e-mail"]
    assert table.rows == [["Millbrook Food Bank", '=HYPERLINK("http://evil") food parcels', "ruth@foodbank.org"]]
    assert table.selection == f"1 of 3 partners; search “millbrook”; sector: {Sector.VCS.label}"

    target = lists.export_partner_directory(
        town, path=tmp_path / "directory.xlsx", wanted=wanted, columns=["Name", "Remit"]
    )
    book = load_workbook(target)
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["Name", "Remit"]
    remit = sheet["B2"]
    assert remit.value == '=HYPERLINK("http://evil") food parcels' and remit.data_type == "s"  # text, not a formula
    assert sheet.max_row == 2
    about = {row[0].value: row[1].value for row in book["About this list"].iter_rows(min_row=2) if len(row) > 1}
    assert about["Rows"] == 1 and about["Selection"].startswith("1 of 3 partners")


def test_the_directory_prints_as_a_pdf_with_every_partner_shown(town: Session, tmp_path: Path) -> None:
    target = lists.export_partner_directory(
        town, path=tmp_path / "directory.pdf", wanted=PartnerFilter(), columns=["Name", "Sector", "SME"]
    )
    text = "\n".join(page_texts(target))
    assert "Partner directory" in text and "All 3 partners" in text
    for name in ("Harrow Bakery", "Millbrook Food Bank", "Millbrook Mosque"):
        assert name in text


def test_the_directory_in_the_order_the_window_shows(town: Session) -> None:
    shown = sorted(partners.list_partners(town), key=lambda row: row.name, reverse=True)
    table = lists.partner_directory(town, wanted=PartnerFilter(), columns=["Name"], rows=shown)
    assert [row[0] for row in table.rows] == ["Millbrook Mosque", "Millbrook Food Bank", "Harrow Bakery"]


def test_a_column_that_does_not_exist_or_no_column_is_refused(town: Session) -> None:
    with pytest.raises(CohesionError, match="The partner directory has no column called “Shoe size”"):
        lists.partner_directory(town, wanted=PartnerFilter(), columns=["Name", "Shoe size"])
    with pytest.raises(CohesionError, match="at least one column"):
        lists.partner_directory(town, wanted=PartnerFilter(), columns=[])


def test_a_list_is_xlsx_or_pdf(town: Session, tmp_path: Path) -> None:
    with pytest.raises(CohesionError, match="as .xlsx or .pdf"):
        lists.export_partner_directory(town, path=tmp_path / "list.docx", wanted=PartnerFilter(), columns=["Name"])
    assert not (tmp_path / "list.docx").exists()


# ---------------------------------------------------------------------------- the volunteer list


def test_volunteers_contact_details_only_when_asked_for_and_with_a_reminder(session: Session, tmp_path: Path) -> None:
    person(session, "Asha Patel", email="asha@example.org", phone="07700 900001", skills="cooking")
    person(session, "Ben Okafor", email="ben@example.org", skills="driving")
    with pytest.raises(CohesionError, match="contact details"):
        lists.volunteer_list(session, columns=["Name", "E-mail"])

    plain = lists.volunteer_list(session, query="cook", columns=["Name", "Skills"])
    assert plain.rows == [["Asha Patel", "cooking"]]
    assert plain.reminder == lists.NAMES_REMINDER
    assert plain.selection == "1 of 2 volunteers; search “cook”"

    target = lists.export_volunteer_list(
        session, path=tmp_path / "volunteers.pdf", columns=["Name", "E-mail", "Phone"], contact_details=True
    )
    text = " ".join(" ".join(page_texts(target)).split())
    assert "asha@example.org" in text and "07700 900001" in text
    assert "contact details, which are personal data" in text


def test_the_volunteer_list_says_consent_not_known_apart_from_a_no(session: Session, tmp_path: Path) -> None:
    agreed = date(2026, 3, 14)
    person(session, "Asha Patel", email="asha@example.org", consent_to_contact=True, consent_given_on=agreed)
    person(session, "Ben Okafor", email="ben@example.org")  # said no
    person(session, "Cara Lee", email="cara@example.org", consent_unknown=True)  # nobody asked her yet
    person(
        session,
        "Dev Singh",
        email="dev@example.org",
        consent_to_contact=True,
        consent_given_on=agreed,
        consent_withdrawn_on=date(2026, 5, 1),
    )

    target = lists.export_volunteer_list(session, path=tmp_path / "volunteers.xlsx", columns=["Name", "Consent"])

    sheet = load_workbook(target).worksheets[0]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Name", "Consent"],
        ["Asha Patel", "Yes"],
        ["Ben Okafor", "No"],
        ["Cara Lee", "Not known"],
        ["Dev Singh", "No"],  # withdrawn
    ]
    pdf = lists.export_volunteer_list(session, path=tmp_path / "volunteers.pdf", columns=["Name", "Consent"])
    assert "Cara Lee Not known" in " ".join(" ".join(page_texts(pdf)).split())
    lists.export_mailing_list(session, path=tmp_path / "mailing.csv")
    with (tmp_path / "mailing.csv").open(encoding="utf-8", newline="") as file:
        assert [row[0] for row in csv.reader(file)] == ["Email Address", "asha@example.org"]


# ---------------------------------------------------------------------------- the mailing list


def test_the_mailing_list_has_only_those_who_agreed_and_did_not_withdraw(session: Session, tmp_path: Path) -> None:
    agreed = date(2026, 3, 14)
    person(session, "Asha Patel", email="asha@example.org", consent_to_contact=True, consent_given_on=agreed)
    person(session, "Ben Okafor", email="ben@example.org")  # never agreed
    person(
        session,
        "Cara Lee",
        email="cara@example.org",
        consent_to_contact=True,
        consent_given_on=agreed,
        consent_withdrawn_on=date(2026, 5, 1),
    )
    person(
        session, "=cmd|' /C calc'!A0 Smith", email="-sum@example.org", consent_to_contact=True, consent_given_on=agreed
    )
    person(session, "Dev Singh", consent_to_contact=True, consent_given_on=agreed)  # agreed, but no address
    removed = person(session, "Eve Moss", email="eve@example.org", consent_to_contact=True, consent_given_on=agreed)
    volunteers.delete_volunteer(session, volunteer_id=removed.id)
    person(
        session, "Mary Ann Jones", email="ASHA@example.org ", consent_to_contact=True, consent_given_on=agreed
    )  # the same address again

    found = lists.export_mailing_list(session, path=tmp_path / "mailing.csv")
    assert found.without_email == 1
    with (tmp_path / "mailing.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["Email Address", "First Name", "Last Name", "Consent Date"]
    assert rows[1:] == [
        ["'-sum@example.org", "'=cmd|'", "/C calc'!A0 Smith", "2026-03-14"],
        ["asha@example.org", "Asha", "Patel", "2026-03-14"],
    ]


def test_formula_like_text_is_neutralised_for_a_csv() -> None:
    from cohesion_desktop.export.xlsx import safe_csv_text

    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_csv_text(dangerous) == "'" + dangerous
    assert safe_csv_text("Asha") == "Asha"


# ---------------------------------------------------------------------------- the calendar


def _calendar(path: Path) -> dict[str, object]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_holds_actions_renewals_and_workshops_with_stable_uids(session: Session, tmp_path: Path) -> None:
    owner = partners.create_partner(session, data=PartnerInput(name="Harrow Bakery", sector=Sector.BUSINESS))
    due = TODAY + timedelta(days=10)
    action = workshops.create_action(
        session, data=workshops.ActionInput(title="Offer the back room; on Fridays", owner_id=owner.id, due_on=due)
    )
    workshops.create_action(
        session, data=workshops.ActionInput(title="Done already", due_on=due, status=ActionStatus.DONE)
    )
    asha = person(session, "Asha Patel")
    checks.add_check(
        session,
        volunteer_id=asha.id,
        kind=CheckKind.DBS_ENHANCED,
        obtained_on=date(2023, 1, 5),
        renewal_due_on=date(2026, 1, 5),
    )
    renewed = checks.add_check(
        session,
        volunteer_id=asha.id,
        kind=CheckKind.DBS_ENHANCED,
        obtained_on=date(2026, 1, 2),
        renewal_due_on=date(2029, 1, 2),
    )
    template = workshops.templates(session)[0]
    workshop = workshops.create_workshop(
        session, data=workshops.WorkshopInput(title="Belong roundtable", held_on=TODAY, template_id=template.id)
    )

    first = tmp_path / "dates.ics"
    assert lists.export_calendar(session, path=first) == 3
    events = _calendar(first)
    assert set(events) == {
        f"action-{action.id.hex}@cohesion-desktop.invalid",
        f"renewal-{renewed.id.hex}@cohesion-desktop.invalid",
        f"workshop-{workshop.id.hex}@cohesion-desktop.invalid",
    }
    event = events[f"action-{action.id.hex}@cohesion-desktop.invalid"]
    assert str(event["SUMMARY"]) == "Action due: Offer the back room; on Fridays (Harrow Bakery)"  # type: ignore[index]
    assert event["DTSTART"].dt == due  # type: ignore[index]
    assert event["DTEND"].dt == due + timedelta(days=1)  # type: ignore[index]
    assert b"BEGIN:VCALENDAR\r\nVERSION:2.0" in first.read_bytes() or b"VERSION:2.0\r\n" in first.read_bytes()

    # Moving the action's date and exporting again: the same event, a higher sequence.
    workshops.update_action(
        session,
        action_id=action.id,
        data=workshops.ActionInput(title="Offer the back room; on Fridays", due_on=due + timedelta(days=7)),
    )
    again = tmp_path / "dates again.ics"
    lists.export_calendar(session, path=again)
    before, after = event, _calendar(again)[f"action-{action.id.hex}@cohesion-desktop.invalid"]
    assert after["DTSTART"].dt == due + timedelta(days=7)  # type: ignore[index]
    assert int(after["SEQUENCE"]) >= int(before["SEQUENCE"])  # type: ignore[index]


# ---------------------------------------------------------------------------- this week


def test_this_week_lists_what_needs_doing_and_what_it_opens(session: Session) -> None:
    today = date(2026, 11, 20)
    owner = partners.create_partner(session, data=PartnerInput(name="Harrow Bakery", sector=Sector.BUSINESS))
    late = workshops.create_action(
        session,
        data=workshops.ActionInput(title="Send the minutes", owner_id=owner.id, due_on=today - timedelta(days=3)),
    )
    workshops.create_action(session, data=workshops.ActionInput(title="Not yet", due_on=today + timedelta(days=3)))
    asha = person(session, "Asha Patel")
    checks.add_check(
        session,
        volunteer_id=asha.id,
        kind=CheckKind.DBS_ENHANCED,
        obtained_on=date(2023, 12, 1),
        renewal_due_on=date(2026, 12, 1),
    )
    ben = person(session, "Ben Okafor")
    checks.add_check(
        session,
        volunteer_id=ben.id,
        kind=CheckKind.DBS_BASIC,
        obtained_on=date(2024, 1, 1),
        renewal_due_on=date(2027, 6, 1),
    )
    host = partners.create_partner(session, data=PartnerInput(name="Food Bank", sector=Sector.VCS))
    job = create_opportunity(session, data=OpportunityInput(title="Pantry", host_partner_id=host.id))
    placement = placements.place_volunteer(session, volunteer_id=ben.id, opportunity_id=job.row.id, today=today)
    placements.log_hours(session, placement_id=placement.id, on_date=today - timedelta(days=2), hours=12, today=today)

    week = reminders.this_week(session, today=today)
    assert [(r.record_id, r.who, r.what, r.when) for r in week.renewals] == [
        (asha.id, "Asha Patel", "DBS check: enhanced", "due 01/12/2026, in 11 days")
    ]
    assert [(r.kind, r.record_id) for r in week.overdue_actions] == [(reminders.ReminderKind.OVERDUE_ACTION, late.id)]
    late_action = week.overdue_actions[0]
    assert (late_action.who, late_action.what, late_action.when) == (
        "Harrow Bakery",
        "Send the minutes",
        "due 17/11/2026, 3 days late",
    )
    assert [r.record_id for r in week.milestones] == [ben.id]
    recognition.add_recognition(
        session, volunteer_id=ben.id, kind=RecognitionKind.MILESTONE, title="10 hours", given_on=today, hours_at_time=10
    )
    assert reminders.this_week(session, today=today).milestones == ()
    # Nobody has been inactive for a year yet; four years on, both are to review (Asha never gave an hour).
    assert week.inactive == ()
    later = reminders.this_week(session, today=today + timedelta(days=365 * 4))
    assert {r.record_id for r in later.inactive} == {asha.id, ben.id}


def test_the_volunteer_list_in_welsh_titles_its_columns_words_consent_and_reminds_in_welsh(
    session: Session, tmp_path: Path
) -> None:
    person(session, "Asha Patel", email="asha@example.org", consent_to_contact=True, consent_given_on=date(2026, 3, 1))
    person(session, "Cara Lee", email="cara@example.org", consent_unknown=True)
    i18n.set_language("cy")
    try:
        workbook = lists.export_volunteer_list(
            session, path=tmp_path / "gwirfoddolwyr.xlsx", columns=["Name", "E-mail", "Consent"], contact_details=True
        )
        pdf = lists.export_volunteer_list(
            session, path=tmp_path / "gwirfoddolwyr.pdf", columns=["Name", "E-mail", "Consent"], contact_details=True
        )
    finally:
        i18n.set_language("en")
    rows = [[cell.value for cell in row] for row in load_workbook(workbook).worksheets[0].iter_rows()]
    assert ["Enw", "E-bost", "Caniatâd"] in rows
    assert ["Asha Patel", "asha@example.org", "Ie"] in rows and [
        "Cara Lee",
        "cara@example.org",
        "Ddim yn hysbys",
    ] in rows
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "Mae'r rhestr hon yn cynnwys manylion cyswllt gwirfoddolwyr, sy'n ddata personol (GDPR y DU)." in text
    assert "personal data" not in text
