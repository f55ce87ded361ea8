"""Volunteering: validation, matching, placements, hours and totals, recognition, and volunteers' rights."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from cohesion_desktop import text
from cohesion_desktop.dates import Period
from cohesion_desktop.db import models
from cohesion_desktop.db.store import undelete
from cohesion_desktop.domain import (
    Availability,
    CheckKind,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
    RecognitionKind,
    Sector,
)
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.formatting import format_hours
from cohesion_desktop.services import partners
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.volunteering import checks as check_service
from cohesion_desktop.services.volunteering import (
    erasure,
    matching,
    opportunities,
    personal_data,
    placements,
    recognition,
    totals,
    volunteers,
)
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput

TODAY = date(2026, 11, 20)
WEEKDAY, EVENING, WEEKEND = Availability.WEEKDAY_DAYTIME, Availability.WEEKDAY_EVENING, Availability.WEEKEND


@pytest.fixture
def host(session: Session) -> partners.PartnerDetail:
    return partners.create_partner(session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS))


def opportunity(session: Session, host: partners.PartnerDetail, **fields: object) -> opportunities.OpportunityDetail:
    values: dict[str, object] = {"title": "Pantry host", "host_partner_id": host.id, "status": OpportunityStatus.OPEN}
    values.update(fields)
    return opportunities.create_opportunity(session, data=OpportunityInput(**values))  # type: ignore[arg-type]


def volunteer(session: Session, name: str, **fields: object) -> volunteers.VolunteerDetail:
    values: dict[str, object] = {"name": name, "consent_to_contact": True, "consent_given_on": date(2026, 1, 1)}
    values.update(fields)
    return volunteers.create_volunteer(session, data=VolunteerInput(**values))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- validation


def test_an_opportunity_needs_a_host_a_sane_period_and_places(session: Session, host: partners.PartnerDetail) -> None:
    with pytest.raises(ValidationError) as raised:
        opportunities.create_opportunity(
            session,
            data=OpportunityInput(
                title="",
                host_partner_id=None,
                starts_on=date(2026, 5, 1),
                ends_on=date(2026, 4, 1),
                places_available=-2,
            ),
        )
    assert raised.value.problems == {
        "title": "Give the opportunity a title.",
        "host": "Choose the partner that hosts the opportunity.",
        "ends_on": "The end (01/04/2026) is before the start (01/05/2026).",
        "places_available": "The number of places cannot be negative.",
    }
    with pytest.raises(ValidationError, match="another partner than the host"):
        opportunity(session, host, supporting_partner_id=host.id)
    assert opportunities.list_opportunities(session) == []


def test_an_opportunity_keeps_everything_it_was_given(session: Session, host: partners.PartnerDetail) -> None:
    business = partners.create_partner(session, data=PartnerInput(name="Brightwell", sector=Sector.BUSINESS))
    created = opportunity(
        session,
        host,
        supporting_partner_id=business.id,
        kind=OpportunityKind.EMPLOYEE_VOLUNTEERING,
        place="Millbrook",
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 12, 1),
        recurrence="Saturdays",
        times=[WEEKEND],
        places_available=4,
        skills="Cooking;  listening",
        requirements=[CheckKind.TRAINING_FOOD_HYGIENE],
        description="Welcome shoppers",
    )
    row = created.row
    assert (row.host, row.supporter, row.place, row.skills, row.times) == (
        "Millbrook Food Bank",
        "Brightwell",
        "Millbrook",
        "Cooking, listening",
        (WEEKEND,),
    )
    assert row.requirements == (CheckKind.TRAINING_FOOD_HYGIENE,) and row.places_left == 4
    assert opportunities.opportunity_input(session, row.id).description == "Welcome shoppers"


def test_a_volunteer_needs_a_name_a_real_email_and_dated_consent(session: Session) -> None:
    with pytest.raises(ValidationError) as raised:
        volunteers.create_volunteer(
            session, data=VolunteerInput(name=" ", email="siân@", phone="call me", consent_to_contact=True)
        )
    assert raised.value.problems == {
        "name": "Enter the volunteer's name.",
        "email": "'siân@' is not an e-mail address (it should look like name@example.org).",
        "phone": "'call me' is not a phone number (digits, spaces, + and brackets only).",
        "consent_given_on": "Say when the volunteer agreed to be contacted.",
    }
    with pytest.raises(ValidationError, match="withdrawn before it was given"):
        volunteer(session, "Siân Ŵyn", consent_withdrawn_on=date(2025, 1, 1))


# ---------------------------------------------------------------------------- matching and placements


def test_matching_ranks_by_skills_then_times_and_leaves_out_who_does_not_fit(
    session: Session, host: partners.PartnerDetail
) -> None:
    wanted = opportunity(
        session,
        host,
        skills="cooking, listening, first aid",
        times=[WEEKEND, EVENING],
        requirements=[CheckKind.DBS_STANDARD],
    )
    checks = {"kind": CheckKind.DBS_ENHANCED, "obtained_on": date(2025, 1, 1), "renewal_due_on": date(2028, 1, 1)}

    def person(name: str, skills: str, times: list[Availability], *, dbs: bool = True, **fields: object) -> None:
        made = volunteer(session, name, skills=skills, availability=times, **fields)
        if dbs:
            check_service.add_check(session, volunteer_id=made.id, **checks)  # type: ignore[arg-type]

    person("Amina", "cooking, listening, first aid", [WEEKEND, EVENING])  # 60 + 35
    person("Ben", "cooking, listening", [WEEKEND, EVENING])  # 40 + 35
    person("Carys", "cooking, listening, first aid", [WEEKEND])  # 60 + 17.5
    person("Dafydd", "cooking", [WEEKEND])  # 20 + 17.5
    person("Emeka", "gardening", [WEEKEND])  # no shared skill
    person("Fiona", "cooking", [WEEKDAY])  # no shared time
    person("Gwen", "cooking, listening, first aid", [WEEKEND], dbs=False)  # no DBS check
    person("Huw", "cooking", [WEEKEND], consent_to_contact=False, consent_given_on=None)  # did not agree
    person("Iqra", "cooking", [WEEKEND], consent_withdrawn_on=date(2026, 6, 1))  # withdrew
    matches = matching.match_volunteers(session, opportunity_id=wanted.row.id, today=TODAY)
    assert [(m.name, m.score) for m in matches] == [("Amina", 95.0), ("Carys", 77.5), ("Ben", 75.0), ("Dafydd", 37.5)]
    assert matches[1].skills_matched == ("cooking", "first aid", "listening")


def test_an_expired_check_does_not_count_and_a_higher_dbs_level_does(
    session: Session, host: partners.PartnerDetail
) -> None:
    wanted = opportunity(session, host, requirements=[CheckKind.DBS_ENHANCED])
    lapsed = volunteer(session, "Lapsed")
    check_service.add_check(
        session,
        volunteer_id=lapsed.id,
        kind=CheckKind.DBS_ENHANCED_BARRED,
        obtained_on=date(2022, 1, 1),
        renewal_due_on=date(2025, 1, 1),
    )
    current = volunteer(session, "Current")
    check_service.add_check(
        session,
        volunteer_id=current.id,
        kind=CheckKind.DBS_ENHANCED_BARRED,
        obtained_on=date(2025, 1, 1),
        renewal_due_on=date(2028, 1, 1),
    )
    assert [m.name for m in matching.match_volunteers(session, opportunity_id=wanted.row.id, today=TODAY)] == [
        "Current"
    ]
    with pytest.raises(ValidationError, match=r"Lapsed needs DBS check: enhanced \(current\)"):
        placements.place_volunteer(session, volunteer_id=lapsed.id, opportunity_id=wanted.row.id, today=TODAY)


def test_placing_fills_places_and_refuses_twice_or_when_full(session: Session, host: partners.PartnerDetail) -> None:
    wanted = opportunity(session, host, places_available=1)
    first, second = volunteer(session, "First"), volunteer(session, "Second")
    placed = placements.place_volunteer(session, volunteer_id=first.id, opportunity_id=wanted.row.id)
    assert placed.status is PlacementStatus.ACTIVE and placed.volunteer == "First"
    after = opportunities.get_opportunity(session, wanted.row.id).row
    assert after.places_filled == 1 and after.status is OpportunityStatus.FILLED
    with pytest.raises(ValidationError, match="already placed"):
        placements.place_volunteer(session, volunteer_id=first.id, opportunity_id=wanted.row.id)
    with pytest.raises(ValidationError, match="no places left"):
        placements.place_volunteer(session, volunteer_id=second.id, opportunity_id=wanted.row.id)


def test_a_volunteer_sees_the_open_opportunities_that_fit(session: Session, host: partners.PartnerDetail) -> None:
    fits = opportunity(session, host, title="Cook", skills="cooking", times=[WEEKEND])
    opportunity(session, host, title="Gardener", skills="gardening", times=[WEEKEND])
    opportunity(session, host, title="Closed cook", skills="cooking", status=OpportunityStatus.CLOSED)
    needs_check = opportunity(
        session, host, title="Youth cook", skills="cooking", requirements=[CheckKind.DBS_ENHANCED_BARRED]
    )
    person = volunteer(session, "Zofia", skills="cooking", availability=[WEEKEND])
    found = matching.match_opportunities(session, volunteer_id=person.id, today=TODAY)
    assert [m.opportunity.id for m in found] == [fits.row.id, needs_check.row.id]
    assert found[1].missing_checks == (CheckKind.DBS_ENHANCED_BARRED,)


# ---------------------------------------------------------------------------- hours and totals


def test_hours_totals_match_a_hand_computed_figure(session: Session, host: partners.PartnerDetail) -> None:
    other_host = partners.create_partner(session, data=PartnerInput(name="Age Well", sector=Sector.VCS))
    pantry = opportunity(session, host, places_available=5)
    befriending = opportunity(session, other_host, title="Befriending", places_available=5)
    amina, ben = volunteer(session, "Amina"), volunteer(session, "Ben")
    a_pantry = placements.place_volunteer(session, volunteer_id=amina.id, opportunity_id=pantry.row.id)
    a_befriend = placements.place_volunteer(session, volunteer_id=amina.id, opportunity_id=befriending.row.id)
    b_pantry = placements.place_volunteer(session, volunteer_id=ben.id, opportunity_id=pantry.row.id)
    for placement, day, hours in [
        (a_pantry, date(2026, 1, 10), 3),
        (a_pantry, date(2026, 1, 17), 2.5),
        (a_befriend, date(2026, 2, 3), 1),
        (b_pantry, date(2026, 2, 14), 4),
        (b_pantry, date(2026, 3, 31), 6),
        (b_pantry, date(2025, 12, 31), 2),
    ]:
        placements.log_hours(session, placement_id=placement.id, on_date=day, hours=hours, today=TODAY)
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    assert [(m.label, m.hours) for m in totals.hours_by_month(session, period=Period(start, end))] == [
        ("Jan 2026", 5.5),
        ("Feb 2026", 5.0),
        ("Mar 2026", 6.0),
    ]
    assert {t.label: t.hours for t in totals.hours_by_volunteer(session, period=Period(start, end))} == {
        "Amina": 6.5,
        "Ben": 10.0,
    }
    assert {t.label: t.hours for t in totals.hours_by_opportunity(session, period=Period(start, end))} == {
        "Pantry host": 15.5,
        "Befriending": 1.0,
    }
    assert {t.label: t.hours for t in totals.hours_by_partner(session, period=Period(start, end))} == {
        "Millbrook Food Bank": 15.5,
        "Age Well": 1.0,
    }
    assert totals.total_hours(session, period=Period(start, end)) == (16.5, 2)
    assert totals.total_hours(session) == (18.5, 2)
    assert volunteers.get_volunteer(session, ben.id).total_hours == 12.0


@pytest.mark.parametrize(
    ("hours", "day", "message"),
    [
        (0, date(2026, 1, 1), "more than 0"),
        (-1, date(2026, 1, 1), "more than 0"),
        (25, date(2026, 1, 1), "more than a day"),
        (2, TODAY + timedelta(days=1), "in the future"),
    ],
)
def test_impossible_hours_are_refused(
    session: Session, host: partners.PartnerDetail, hours: float, day: date, message: str
) -> None:
    placed = placements.place_volunteer(
        session, volunteer_id=volunteer(session, "A").id, opportunity_id=opportunity(session, host).row.id
    )
    with pytest.raises(ValidationError, match=message):
        placements.log_hours(session, placement_id=placed.id, on_date=day, hours=hours, today=TODAY)


def test_the_week_grid_sets_a_days_total_and_can_be_undone(session: Session, host: partners.PartnerDetail) -> None:
    placed = placements.place_volunteer(
        session, volunteer_id=volunteer(session, "A").id, opportunity_id=opportunity(session, host).row.id
    )
    monday = date(2026, 11, 9)
    placements.log_hours(session, placement_id=placed.id, on_date=monday, hours=1, today=TODAY)
    placements.log_hours(session, placement_id=placed.id, on_date=monday, hours=2, today=TODAY)
    [row] = placements.week_hours(session, monday=monday)
    assert row.days == (3.0, 0, 0, 0, 0, 0, 0)
    hidden = placements.set_day_hours(session, placement_id=placed.id, on_date=monday, hours=4.5, today=TODAY)
    assert placements.week_hours(session, monday=monday)[0].days[0] == 4.5 and len(hidden) == 2
    placements.restore_day_hours(session, placement_id=placed.id, on_date=monday, entry_ids=hidden)
    assert placements.week_hours(session, monday=monday)[0].days[0] == 3.0


# ---------------------------------------------------------------------------- checks, recognition, retention


def test_renewals_due_soonest_first(session: Session) -> None:
    person = volunteer(session, "Nia")
    for kind, due in (
        (CheckKind.TRAINING_FIRST_AID, TODAY + timedelta(days=40)),
        (CheckKind.DBS_ENHANCED, TODAY - timedelta(days=3)),
        (CheckKind.TRAINING_SAFEGUARDING, TODAY + timedelta(days=200)),
    ):
        check_service.add_check(
            session, volunteer_id=person.id, kind=kind, obtained_on=date(2024, 1, 1), renewal_due_on=due
        )
    due = check_service.renewals_due(session, within_days=60, today=TODAY)
    assert [c.kind for c in due] == [CheckKind.DBS_ENHANCED, CheckKind.TRAINING_FIRST_AID]


def test_milestones_are_flagged_until_recognised(session: Session, host: partners.PartnerDetail) -> None:
    person = volunteer(session, "Mei")
    placed = placements.place_volunteer(
        session, volunteer_id=person.id, opportunity_id=opportunity(session, host).row.id
    )
    for day in range(13):
        placements.log_hours(
            session, placement_id=placed.id, on_date=date(2026, 1, 1) + timedelta(days=day), hours=4, today=TODAY
        )
    [due] = recognition.milestones_due(session)
    assert (due.name, due.total_hours, due.milestone) == ("Mei", 52.0, 50)
    recognition.add_recognition(
        session,
        volunteer_id=person.id,
        kind=RecognitionKind.MILESTONE,
        title="50 hours",
        given_on=TODAY,
        hours_at_time=50,
    )
    assert recognition.milestones_due(session) == []
    assert volunteers.get_volunteer(session, person.id).milestones_recognised == (50,)


def test_a_milestone_reached_in_hours_with_decimals_is_due(session: Session, host: partners.PartnerDetail) -> None:
    # 1.8 + 3.3 + 3.3 + 1.6 is 10 hours, as the volunteer's record shows them; added up as floating-point numbers,
    # 9.999999999999998: the 10-hour milestone must be due all the same.
    person = volunteer(session, "Mei")
    placed = placements.place_volunteer(
        session, volunteer_id=person.id, opportunity_id=opportunity(session, host).row.id
    )
    for day, hours in enumerate((1.8, 3.3, 3.3, 1.6)):
        placements.log_hours(
            session, placement_id=placed.id, on_date=date(2026, 1, 1) + timedelta(days=day), hours=hours, today=TODAY
        )
    shown = volunteers.get_volunteer(session, person.id)
    assert (format_hours(shown.total_hours), shown.milestones_reached) == ("10", (10,))
    [due] = recognition.milestones_due(session)
    assert (due.name, due.milestone) == ("Mei", 10)


def test_inactive_volunteers_are_listed_for_review(session: Session, host: partners.PartnerDetail) -> None:
    active = volunteer(session, "Active")
    placed = placements.place_volunteer(
        session, volunteer_id=active.id, opportunity_id=opportunity(session, host).row.id
    )
    placements.log_hours(session, placement_id=placed.id, on_date=date.today(), hours=2)
    volunteer(session, "Quiet")
    assert personal_data.inactive_volunteers(session, months=12) == []
    later = date.today() + timedelta(days=800)
    assert [v.name for v in personal_data.inactive_volunteers(session, months=24, today=later)] == ["Active", "Quiet"]


def test_volunteers_removed_but_still_held_are_listed_for_review_first(session: Session) -> None:
    volunteer(session, "Listed")
    undone = volunteer(session, "Added by mistake")
    volunteers.delete_volunteer(session, volunteer_id=undone.id)  # what undoing "Add volunteer" does
    later = date.today() + timedelta(days=800)
    assert [(v.name, v.removed) for v in personal_data.inactive_volunteers(session, months=24, today=later)] == [
        ("Added by mistake", True),
        ("Listed", False),
    ]
    assert [(v.name, v.removed) for v in personal_data.inactive_volunteers(session, months=24)] == [
        ("Added by mistake", True)
    ]


# ---------------------------------------------------------------------------- volunteers' rights


def test_subject_access_says_consent_not_known_apart_from_a_no(session: Session) -> None:
    asked_no = volunteer(session, "Ben Okafor", consent_to_contact=False, consent_given_on=None)
    never_asked = volunteer(session, "Cara Lee", consent_to_contact=False, consent_given_on=None, consent_unknown=True)

    def consent(person: volunteers.VolunteerDetail) -> str:
        report = personal_data.subject_access(session, volunteer_id=person.id)
        return dict(report.sections[0][1])["Agreed to be contacted"]

    assert (consent(asked_no), consent(never_asked)) == ("No", "Not known")
    # Agreeing is an answer: a form that says both stores the agreement only.
    both = volunteer(session, "Dev Singh", consent_unknown=True)
    assert both.data.consent_unknown is False and consent(both) == "Yes"


def test_subject_access_holds_every_field_held(session: Session, host: partners.PartnerDetail) -> None:
    values = dict(
        name="Łucja Żółć",
        email="lucja@example.org",
        phone="07700 900123",
        address="3 Mill Lane",
        skills="Polish, cooking",
        availability=[WEEKEND],
        how_heard="Harrowfield CVS",
        consent_to_contact=True,
        consent_details="E-mail about food bank shifts",
        consent_given_on=date(2026, 2, 1),
        emergency_contact_name="Piotr Żółć",
        emergency_contact_phone="07700 900456",
        notes="Prefers mornings",
    )
    person = volunteer(session, **values)  # type: ignore[arg-type]
    check_service.add_check(
        session,
        volunteer_id=person.id,
        kind=CheckKind.TRAINING_FOOD_HYGIENE,
        obtained_on=date(2026, 3, 1),
        reference="FH-778",
    )
    placed = placements.place_volunteer(
        session, volunteer_id=person.id, opportunity_id=opportunity(session, host).row.id
    )
    placements.log_hours(session, placement_id=placed.id, on_date=date(2026, 3, 7), hours=3, activity="Pantry")
    recognition.add_recognition(
        session,
        volunteer_id=person.id,
        kind=RecognitionKind.THANKS,
        title="Card",
        given_on=date(2026, 4, 1),
        message="Dziękujemy!",
    )
    placements.set_placement_status(session, placement_id=placed.id, status=PlacementStatus.COMPLETED)
    report = personal_data.subject_access(session, volunteer_id=person.id)
    text = "\n".join(
        [section for section, _pairs in report.sections]
        + [f"{label}: {value}" for _section, pairs in report.sections for label, value in pairs]
    )
    for field in dataclasses.fields(VolunteerInput):
        value = getattr(person.data, field.name)
        if isinstance(value, tuple):
            value = "Weekends"
        elif isinstance(value, bool):
            value = "Yes"
        elif isinstance(value, date):
            value = value.strftime("%d/%m/%Y")
        if value not in ("", None):
            assert str(value) in text, field.name
    for expected in (
        "Training: food hygiene",
        "FH-778",
        "Pantry host",
        "Hours on 07/03/2026: 3 – Pantry",
        "Dziękujemy!",
        "Record created",
        f"Ended on: {date.today():%d/%m/%Y}",
    ):
        assert expected in text


def test_subject_access_includes_removed_records_still_held(session: Session, host: partners.PartnerDetail) -> None:
    person = volunteer(session, "Łucja Żółć")
    check = check_service.add_check(
        session, volunteer_id=person.id, kind=CheckKind.DBS_BASIC, obtained_on=date(2026, 3, 1), reference="DBS-LZ-1"
    )
    check_service.remove_check(session, check_id=check.id)
    placed = placements.place_volunteer(
        session, volunteer_id=person.id, opportunity_id=opportunity(session, host).row.id
    )
    placements.log_hours(session, placement_id=placed.id, on_date=date(2026, 3, 7), hours=3, activity="Pantry")
    slip = placements.log_hours(
        session, placement_id=placed.id, on_date=date(2026, 3, 8), hours=5, activity="Typed by mistake"
    )
    placements.delete_hours(session, entry_id=slip.id)
    placements.remove_placement(session, placement_id=placed.id)
    volunteers.delete_volunteer(session, volunteer_id=person.id)  # e.g. their adding was undone
    report = personal_data.subject_access(session, volunteer_id=person.id)
    today = f"{datetime.now(UTC):%d/%m/%Y}"  # removals are stamped in UTC
    sections = dict(report.sections)
    assert dict(sections["Personal details"])["Removed from the list on"].startswith(today)
    check_section = dict(sections[f"Check or training: DBS check: basic (removed on {today}, still held)"])
    assert check_section["Reference"] == "DBS-LZ-1"
    placement = dict(
        sections[f"Placement: Pantry host (hosted by Millbrook Food Bank) (removed on {today}, still held)"]
    )
    assert placement["Hours on 07/03/2026"] == "3 – Pantry"
    assert placement[f"Hours on 08/03/2026 (removed on {today}, still held)"] == "5 – Typed by mistake"
    assert placement["Total hours"] == "3"


def test_volunteer_ids_search_and_order(session: Session) -> None:
    for name, email in (
        ("Zainab Ali", "z@example.org"),
        ("Aled Jones", "aled@example.org"),
        ("Siân Ŵyn", "sian@example.org"),
    ):
        volunteer(session, name, email=email)
    names = [r.name for r in volunteers.volunteer_rows(session, volunteers.volunteer_ids(session))]
    assert names == ["Aled Jones", "Siân Ŵyn", "Zainab Ali"]
    assert [r.name for r in volunteers.volunteer_rows(session, volunteers.volunteer_ids(session, query="sian"))] == [
        "Siân Ŵyn"
    ]
    assert volunteers.count_volunteers(session, query="example.org") == 3
    assert volunteers.volunteer_ids(session, order="name", descending=True)[0] == volunteers.volunteer_ids(session)[-1]


@pytest.mark.parametrize("order", ["name", "email", "created"])
def test_the_list_s_first_block_and_count_are_those_of_the_whole_list(session: Session, order: str) -> None:
    """What the Volunteers page shows at once while the whole list is read in the background: the removed and the
    erased are neither in it nor counted."""
    for name in ("Zainab Ali", "Aled Jones", "Siân Ŵyn", "Bryn Hughes", "Cerys Lloyd"):
        volunteer(session, name, email=f"{name.split()[0].lower()}@example.org")
    volunteers.delete_volunteer(session, volunteer_id=volunteer(session, "Dafydd Rees").id)
    erasure.erase_volunteer(session, volunteer_id=volunteer(session, "Eira Morgan").id)
    for descending in (False, True):
        whole = volunteers.volunteer_index(session, order=order, descending=descending)
        first, count = volunteers.volunteer_index_start(session, order=order, descending=descending, limit=3)
        assert first == whole[:3] and count == len(whole) == 5


@pytest.mark.parametrize(
    ("earlier", "later", "narrower"),
    [
        ("ah", "ahm", True),
        ("ahm", "ah", False),
        ("ahmed", "ahmed leeds", True),
        ("ahmed leeds", "ahmed", False),
        ("", "x", True),
        ("x", "", False),
        ("Siân", "SIAN W", True),
        ("leeds ahmed", "ahmed-leeds", True),
        ("ali", "alison", True),
        ("alison", "ali", False),
        ("jo", "ahmed", False),
    ],
)
def test_a_search_that_narrows_the_last_one_is_recognised(earlier: str, later: str, narrower: bool) -> None:
    assert text.narrows(earlier, later) is narrower


def test_searching_the_last_matches_gives_what_searching_everything_gives() -> None:
    index = [
        (f"{n:032x}", text)
        for n, text in enumerate(
            (
                "ahmed khan | ahmed@example.org | leeds",
                "aisha ahmed | aisha@example.org | bradford",
                "ahmad ali | a@example.org | leeds",
                "zainab | z@example.org | ahmedabad road",
            )
        )
    ]
    typed = ["a", "ah", "ahm", "ahme", "ahmed", "ahmed ", "ahmed l", "ahmed le", "ahmed l", "ahm", "ahma"]
    last, matched = "", list(index)
    for query in typed:
        searched = matched if text.narrows(last, query) else index
        matched, last = volunteers.matching_entries(searched, query), query
        assert matched == volunteers.matching_entries(index, query), query
    assert [text.split(" |")[0] for _id, text in volunteers.matching_entries(index, "ahmed leeds")] == ["ahmed khan"]


def test_totals_leave_out_hours_of_deleted_records_and_agree_with_the_report(
    session: Session, host: partners.PartnerDetail
) -> None:
    from cohesion_desktop.export.funder_report import HOURS
    from cohesion_desktop.services import reporting

    wanted = opportunity(session, host, places_available=5)
    kept, removed = volunteer(session, "Kept"), volunteer(session, "Removed")
    for person, hours in ((kept, 3.0), (removed, 5.0)):
        placed = placements.place_volunteer(session, volunteer_id=person.id, opportunity_id=wanted.row.id)
        placements.log_hours(session, placement_id=placed.id, on_date=date(2026, 3, 2), hours=hours, today=TODAY)
    volunteers.delete_volunteer(session, volunteer_id=removed.id)
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert totals.total_hours(session, period=Period(start, end)) == (3.0, 1)
    assert sum(m.hours for m in totals.hours_by_month(session, period=Period(start, end))) == 3.0
    assert {t.label: t.hours for t in totals.hours_by_partner(session)} == {"Millbrook Food Bank": 3.0}
    report = reporting.summary(session, period=Period(start, end), today=TODAY)
    assert report.figure(HOURS).value == 3.0
    volunteers.restore_volunteer(session, volunteer_id=removed.id)
    assert totals.total_hours(session, period=Period(start, end)) == (8.0, 2)


def test_hours_per_month_leave_out_each_kind_of_deleted_record_until_it_is_restored(
    session: Session, host: partners.PartnerDetail
) -> None:
    """The months are read from the day totals less the hours of deleted records: each kind of delete (the
    placement, the opportunity, its host partner, the volunteer) takes its hours out and an undo brings them back,
    as in every other total."""
    other_host = partners.create_partner(session, data=PartnerInput(name="Eastfield Pantry", sector=Sector.VCS))
    kept = opportunity(session, host, title="Kept")
    elsewhere = opportunity(session, other_host, title="Elsewhere")
    person, other_person = volunteer(session, "Nia"), volunteer(session, "Tomasz")
    placed_kept = placements.place_volunteer(session, volunteer_id=person.id, opportunity_id=kept.row.id)
    placed_elsewhere = placements.place_volunteer(
        session, volunteer_id=other_person.id, opportunity_id=elsewhere.row.id
    )
    placements.log_hours(session, placement_id=placed_kept.id, on_date=date(2026, 3, 2), hours=3.0, today=TODAY)
    placements.log_hours(session, placement_id=placed_elsewhere.id, on_date=date(2026, 3, 2), hours=5.5, today=TODAY)
    placements.log_hours(session, placement_id=placed_elsewhere.id, on_date=date(2026, 4, 9), hours=1.25, today=TODAY)
    year = Period(date(2026, 1, 1), date(2026, 12, 31))

    def march_and_april() -> list[tuple[float, int]]:
        months = {m.month: (m.hours, m.entries) for m in totals.hours_by_month(session, period=year)}
        assert sum(hours for hours, _ in months.values()) == totals.total_hours(session, period=year)[0]
        return [months[date(2026, 3, 1)], months[date(2026, 4, 1)]]

    everything = [(8.5, 2), (1.25, 1)]
    assert march_and_april() == everything
    for delete, restore in (
        (
            lambda: placements.remove_placement(session, placement_id=placed_elsewhere.id),
            lambda: undelete(session, models.Placement, placed_elsewhere.id, what="placement"),
        ),
        (
            lambda: opportunities.delete_opportunity(session, opportunity_id=elsewhere.row.id),
            lambda: opportunities.restore_opportunity(session, opportunity_id=elsewhere.row.id),
        ),
        (
            lambda: partners.delete_partner(session, partner_id=other_host.id),
            lambda: partners.restore_partner(session, partner_id=other_host.id),
        ),
        (
            lambda: volunteers.delete_volunteer(session, volunteer_id=other_person.id),
            lambda: volunteers.restore_volunteer(session, volunteer_id=other_person.id),
        ),
    ):
        delete()
        assert march_and_april() == [(3.0, 1), (0.0, 0)]
        restore()
        assert march_and_april() == everything


def test_a_volunteers_own_total_counts_the_hours_every_other_total_counts(
    session: Session, host: partners.PartnerDetail
) -> None:
    """The list showed hours on a deleted opportunity in a volunteer's total, while sorting by hours, the
    milestones and the funder report left them out: one list, two totals."""
    kept, dropped = opportunity(session, host, title="Kept"), opportunity(session, host, title="Dropped")
    person = volunteer(session, "Nia")
    for chosen, hours in ((kept, 3.0), (dropped, 5.0)):
        placed = placements.place_volunteer(session, volunteer_id=person.id, opportunity_id=chosen.row.id)
        placements.log_hours(session, placement_id=placed.id, on_date=date(2026, 3, 2), hours=hours, today=TODAY)
    opportunities.delete_opportunity(session, opportunity_id=dropped.row.id)
    [counted] = totals.hours_by_volunteer(session)
    [row] = volunteers.volunteer_rows(session, [person.id.hex])
    assert counted.hours == row.total_hours == volunteers.get_volunteer(session, person.id).total_hours == 3.0


def test_the_hours_of_some_volunteers_leave_out_what_every_total_leaves_out(
    session: Session, host: partners.PartnerDetail
) -> None:
    """``hours_of`` works out the excluded placements for its volunteers only (a screenful of the list): each
    reason a placement's hours stop counting must still be seen, whoever else shares the opportunity."""
    other_host = partners.create_partner(session, data=PartnerInput(name="Eastfield Youth Club", sector=Sector.VCS))
    kept = opportunity(session, host, title="Kept", places_available=9)
    dropped = opportunity(session, host, title="Dropped", places_available=9)
    hosted_elsewhere = opportunity(session, other_host, title="Hosted elsewhere", places_available=9)
    people = [volunteer(session, name) for name in ("Ann", "Bea", "Cai", "Dev")]
    placed = {}
    for name, person in zip(("Ann", "Bea", "Cai", "Dev"), people, strict=True):
        for chosen, hours in ((kept, 1.0), (dropped, 2.0), (hosted_elsewhere, 4.0)):
            placement = placements.place_volunteer(session, volunteer_id=person.id, opportunity_id=chosen.row.id)
            placements.log_hours(session, placement_id=placement.id, on_date=date(2026, 3, 2), hours=hours, today=TODAY)
            placed[name, chosen.row.title] = placement.id
    opportunities.delete_opportunity(session, opportunity_id=dropped.row.id)
    partners.delete_partner(session, partner_id=other_host.id)
    placements.remove_placement(session, placement_id=placed["Bea", "Kept"])
    volunteers.delete_volunteer(session, volunteer_id=people[3].id)
    everyone = {t.key: t.hours for t in totals.hours_by_volunteer(session)}
    assert everyone == {people[0].id: 1.0, people[2].id: 1.0}
    for chosen in ([people[0].id], [people[1].id], [p.id for p in people]):
        assert {key: hours for key, (hours, _last) in totals.hours_of(session, chosen).items()} == {
            key: everyone[key] for key in chosen if key in everyone
        }


def test_the_fields_history_merge_and_import_share_are_the_ones_a_save_writes() -> None:
    """volunteers.EDITABLE_FIELDS is the one list of them: a field a save writes and the list lacks would not be
    restored, merged from an erased record or put back by an import's undo."""
    written = volunteers.volunteer_values(VolunteerInput(name="Asha Patel"))
    assert set(written) == {*volunteers.EDITABLE_FIELDS, "search_text"}


def _milestones_counted_in_python(session: Session) -> list[recognition.MilestoneDue]:
    """Milestones due as they were counted before the query did it (#14): every volunteer's total read, then
    compared here with their recognitions. The query must give the same list."""
    from collections import defaultdict

    from cohesion_desktop.domain import HOUR_MILESTONES, MILESTONE_SLACK

    totals_by_id = {
        t.key: t
        for t in totals.hours_by_volunteer(session)
        if t.key and t.hours + MILESTONE_SLACK >= HOUR_MILESTONES[0]
    }
    recognised: dict[object, float] = defaultdict(float)
    for volunteer_id, hours in session.execute(
        select(models.Recognition.volunteer_id, func.max(models.Recognition.hours_at_time))
        .where(models.Recognition.kind == RecognitionKind.MILESTONE, col(models.Recognition.deleted_at).is_(None))
        .group_by(models.Recognition.volunteer_id)
    ):
        recognised[volunteer_id] = hours or 0.0
    live = {
        v.id
        for v in session.execute(select(models.Volunteer)).scalars()
        if v.deleted_at is None and v.erased_at is None
    }
    due = [
        recognition.MilestoneDue(volunteer_id=key, name=t.label, total_hours=t.hours, milestone=reached)
        for key, t in totals_by_id.items()
        for reached in [max(m for m in HOUR_MILESTONES if t.hours + MILESTONE_SLACK >= m)]
        if key in live and reached > recognised[key]
    ]
    return sorted(due, key=lambda d: (-d.milestone, -d.total_hours, d.name))


def test_milestones_due_on_the_example_town_are_those_counted_volunteer_by_volunteer(session: Session) -> None:
    from cohesion_desktop.services import demo

    demo.load_demo(session, scale=1, seed=2026, today=TODAY)
    before = recognition.milestones_due(session)
    assert before == _milestones_counted_in_python(session)
    assert len({d.milestone for d in before}) >= 3, "the example town should reach several milestones"
    thanked, thanked_less, thanked_then_undone, removed, unplaced = before[:5]
    for person, hours in ((thanked, thanked.milestone), (thanked_less, 1), (thanked_then_undone, thanked.milestone)):
        recognition.add_recognition(
            session,
            volunteer_id=person.volunteer_id,
            kind=RecognitionKind.MILESTONE,
            title="Thanks",
            given_on=TODAY,
            hours_at_time=hours,
        )
    undone = session.execute(
        select(models.Recognition.id).where(
            models.Recognition.volunteer_id == thanked_then_undone.volunteer_id,
            models.Recognition.kind == RecognitionKind.MILESTONE,
        )
    ).scalar_one()
    recognition.remove_recognition(session, recognition_id=undone)
    recognition.add_recognition(  # a thank-you that is not for a milestone
        session, volunteer_id=thanked_less.volunteer_id, kind=RecognitionKind.THANKS, title="Card", given_on=TODAY
    )
    volunteers.delete_volunteer(session, volunteer_id=removed.volunteer_id)
    for placement_id in session.execute(
        select(models.Placement.id).where(models.Placement.volunteer_id == unplaced.volunteer_id)
    ).scalars():
        placements.remove_placement(session, placement_id=placement_id)

    after = recognition.milestones_due(session)
    assert after == _milestones_counted_in_python(session)
    still_due = {d.volunteer_id for d in after}
    assert thanked_less.volunteer_id in still_due and thanked_then_undone.volunteer_id in still_due
    assert not {thanked.volunteer_id, removed.volunteer_id, unplaced.volunteer_id} & still_due


def test_a_subject_access_file_reads_in_welsh_and_its_json_keys_stay_english(
    session: Session, host: partners.PartnerDetail, tmp_path: Path
) -> None:
    import json

    from cohesion_desktop import i18n

    person = volunteer(session, "Łucja Żółć", consent_to_contact=True)
    placed = placements.place_volunteer(
        session, volunteer_id=person.id, opportunity_id=opportunity(session, host).row.id
    )
    placements.log_hours(session, placement_id=placed.id, on_date=date(2026, 3, 7), hours=3, activity="Pantry")
    i18n.set_language("cy")
    try:
        text = personal_data.export_subject_access(session, volunteer_id=person.id, path=tmp_path / "lucja.txt")
        machine = personal_data.export_subject_access(session, volunteer_id=person.id, path=tmp_path / "lucja.json")
    finally:
        i18n.set_language("en")
    lines = text.read_text(encoding="utf-8").splitlines()
    assert "Manylion personol" in lines and "Enw: Łucja Żółć" in lines
    assert "Yn fodlon i ni gysylltu: Ie" in lines, lines
    assert "Lleoliad: Pantry host (wedi'i gynnal gan Millbrook Food Bank)" in lines
    assert "Oriau ar 07/03/2026: 3 – Pantry" in lines and "Cyfanswm yr oriau: 3" in lines
    assert not [line for line in lines if line.startswith(("Name:", "Personal details", "Placement:", "Hours on"))]
    read = json.loads(machine.read_text(encoding="utf-8"))
    assert set(read) == {"subject", "produced_on", "controller", "produced_by", "sections"}
    assert set(read["sections"][0]) == {"section", "fields"} and read["sections"][0]["section"] == "Manylion personol"
