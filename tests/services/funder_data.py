"""A small, hand-made data file for the funder summary: every figure has rows that count and rows that must not.

The rows are plain literals, so the tests can work out each expected figure from them on their own, without
the code under test. The period is January to May 2026; "today" is 15 June 2026.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import Session

from cohesion_desktop.dates import Period
from cohesion_desktop.db import models
from cohesion_desktop.domain import ActionStatus, MatrixColumn, OpportunityStatus, PlacementStatus, Sector
from cohesion_desktop.services import settings, workshops
from cohesion_desktop.services.workshops import WorkshopInput

TODAY = date(2026, 6, 15)
PERIOD = Period(date(2026, 1, 1), date(2026, 5, 31))
ORGANISATION = "Harrowfield Together"
RATE = Decimal("12.50")
RATE_SOURCE = "ONS <b>median</b> wage 2025"
FORMULA_NAME = '=HYPERLINK("http://x","y")'
LONG_REMIT = "Runs the café. " * 2_700  # 40,500 characters: more than a cell holds
VERTICAL_TAB_REMIT = "Friday lunch\vopen to all"
FACILITATOR = "Grace Okafor"  # a volunteer too: a person's name, which a report without names leaves out

# key, name, sector, added on, deleted, remit
PARTNERS = [
    ("mosque", "Northgate Jamia Mosque", Sector.FAITH, date(2026, 2, 10), False, VERTICAL_TAB_REMIT),
    ("engineering", "Brightwell Engineering Ltd", Sector.BUSINESS, date(2025, 6, 1), False, "#N/A"),
    ("cvs", "Harrowfield CVS", Sector.VCS, date(2026, 3, 1), False, "Volunteer centre for the borough"),
    ("cafe", FORMULA_NAME, Sector.BUSINESS, date(2026, 7, 1), False, LONG_REMIT),
    ("chapel", "Closed Chapel", Sector.FAITH, date(2026, 2, 1), True, "Closed"),
]
# key, title, host, status, deleted
OPPORTUNITIES = [
    ("welcome", "Welcome desk volunteer", "cvs", OpportunityStatus.OPEN, False),
    ("mentoring", "Business mentoring", "engineering", OpportunityStatus.FILLED, False),
    ("lunch", "Community lunch helper", "mosque", OpportunityStatus.OPEN, False),
    ("idea", "Draft idea", "cvs", OpportunityStatus.DRAFT, False),
    ("old", "Old scheme", "engineering", OpportunityStatus.CLOSED, False),
    ("gone", "Deleted opportunity", "cvs", OpportunityStatus.OPEN, True),
]
# key, name, email, phone, deleted
VOLUNTEERS = [
    ("amira", "Amira Hussain", "amira.hussain@example.org", "07700 900111", False),
    ("tom", "Tomasz Lewandowski", "tomasz.l@example.org", "07700 900222", False),
    ("grace", "Grace Okafor", "grace.okafor@example.org", "07700 900333", False),
    ("dora", "Dora Deleted", "dora.deleted@example.org", "07700 900444", True),
]
# volunteer, opportunity, status, starts on, deleted
PLACEMENTS = [
    ("amira", "welcome", PlacementStatus.ACTIVE, date(2026, 1, 10), False),
    ("amira", "mentoring", PlacementStatus.COMPLETED, date(2025, 11, 1), False),
    ("tom", "welcome", PlacementStatus.ACTIVE, date(2026, 2, 1), False),
    ("tom", "lunch", PlacementStatus.PROPOSED, date(2026, 3, 1), False),
    ("tom", "gone", PlacementStatus.ACTIVE, date(2026, 1, 20), False),
    ("grace", "lunch", PlacementStatus.ACTIVE, date(2025, 6, 1), False),
    ("grace", "welcome", PlacementStatus.ACTIVE, date(2026, 3, 1), True),
    ("dora", "welcome", PlacementStatus.ACTIVE, date(2026, 1, 5), False),
]
# volunteer, opportunity, on date, hours, deleted
HOURS = [
    ("amira", "welcome", date(2026, 1, 15), 3.0, False),
    ("amira", "welcome", date(2026, 3, 20), 2.5, False),
    ("amira", "welcome", date(2025, 12, 31), 4.0, False),  # the day before the period
    ("amira", "welcome", date(2026, 2, 2), 10.0, True),
    ("amira", "mentoring", date(2026, 5, 31), 1.5, False),  # the period's last day
    ("tom", "welcome", date(2026, 1, 1), 2.0, False),  # its first day
    ("tom", "welcome", date(2026, 6, 1), 5.0, False),
    ("tom", "gone", date(2026, 1, 21), 4.0, False),  # on a deleted opportunity
    ("grace", "lunch", date(2025, 10, 10), 6.0, False),
    ("grace", "welcome", date(2026, 3, 2), 1.0, False),  # on a deleted placement
    ("dora", "welcome", date(2026, 2, 2), 7.0, False),  # of a deleted volunteer
]
# key, title, held on, deleted
WORKSHOPS = [
    ("spring", "Spring roundtable", date(2026, 2, 14), False),
    ("winter", "Winter roundtable", date(2025, 12, 1), False),
    ("april", "April session", date(2026, 4, 1), True),
]
# workshop, row, column, text, partner, votes
ENTRIES = [
    ("spring", 0, MatrixColumn.ALREADY_DOING, "Quarterly partnership forum", "cvs", 3),
    ("spring", 1, MatrixColumn.COULD_DO_MORE, "=1+1 open the mosque kitchen <b>weekly</b>", "mosque", 0),
    ("spring", 2, MatrixColumn.SUPPORT_NEEDED, "Help with DBS checks", None, 1),
    ("winter", 0, MatrixColumn.BARRIERS, "Winter entry", None, 0),
    ("april", 0, MatrixColumn.BARRIERS, "April entry", None, 0),
]
# title, workshop, status, due on, added on, deleted
ACTIONS = [
    ("Book the forum room", "spring", ActionStatus.OPEN, date(2026, 6, 1), date(2026, 2, 14), False),
    ("Send the minutes", "spring", ActionStatus.DONE, date(2026, 3, 1), date(2026, 2, 14), False),
    ("Draft the kitchen plan", "spring", ActionStatus.IN_PROGRESS, date(2026, 7, 1), date(2026, 2, 14), False),
    ("Abandoned idea", "spring", ActionStatus.CANCELLED, date(2026, 1, 1), date(2026, 2, 14), False),
    ("Withdrawn by mistake", "spring", ActionStatus.OPEN, date(2026, 1, 1), date(2026, 2, 14), True),
    ("Winter follow-up", "winter", ActionStatus.OPEN, date(2026, 1, 1), date(2025, 12, 1), False),
    ("Ring the council", None, ActionStatus.OPEN, date(2026, 5, 1), date(2026, 4, 1), False),
    ("Later idea", None, ActionStatus.OPEN, None, date(2026, 6, 10), False),
]


def moment(day: date) -> datetime:
    """Midday UTC: the same day wherever the tests run."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@dataclass
class Ids:
    partners: dict[str, uuid.UUID] = field(default_factory=dict)
    opportunities: dict[str, uuid.UUID] = field(default_factory=dict)
    volunteers: dict[str, uuid.UUID] = field(default_factory=dict)
    workshops: dict[str, uuid.UUID] = field(default_factory=dict)


def build(session: Session) -> Ids:
    """Store the rows above in an empty data file."""
    ids = Ids()
    deleted_at = moment(TODAY)
    for key, name, sector, added_on, deleted, remit in PARTNERS:
        partner = models.Partner(
            name=name,
            sector=sector,
            remit=remit,
            created_at=moment(added_on),
            deleted_at=deleted_at if deleted else None,
        )
        session.add(partner)
        ids.partners[key] = partner.id
    session.flush()  # no ORM relationships: rows go in table by table, parents first
    for key, title, host, status, deleted in OPPORTUNITIES:
        opportunity = models.Opportunity(
            title=title, host_partner_id=ids.partners[host], status=status, deleted_at=deleted_at if deleted else None
        )
        session.add(opportunity)
        ids.opportunities[key] = opportunity.id
    session.flush()
    for key, name, email, phone, deleted in VOLUNTEERS:
        volunteer = models.Volunteer(
            name=name,
            email=email,
            phone=phone,
            deleted_at=deleted_at if deleted else None,
            emergency_contact_name=f"Next of kin of {name}",
        )
        session.add(volunteer)
        ids.volunteers[key] = volunteer.id
    session.flush()
    placements: dict[tuple[str, str], uuid.UUID] = {}
    for volunteer, opportunity, status, starts_on, deleted in PLACEMENTS:
        placement = models.Placement(
            volunteer_id=ids.volunteers[volunteer],
            opportunity_id=ids.opportunities[opportunity],
            status=status,
            starts_on=starts_on,
            deleted_at=deleted_at if deleted else None,
        )
        session.add(placement)
        placements[(volunteer, opportunity)] = placement.id
    session.flush()
    for volunteer, opportunity, on_date, hours, deleted in HOURS:
        session.add(
            models.HoursEntry(
                placement_id=placements[(volunteer, opportunity)],
                on_date=on_date,
                hours=hours,
                activity="Helping",
                deleted_at=deleted_at if deleted else None,
            )
        )
    session.commit()

    template = next(t for t in workshops.templates(session) if t.is_default)
    for key, title, held_on, _deleted in WORKSHOPS:
        detail = workshops.create_workshop(
            session,
            data=WorkshopInput(
                title=title,
                held_on=held_on,
                template_id=template.id,
                place="Millbrook",
                facilitator=FACILITATOR,
                partner_ids=[ids.partners["cvs"], ids.partners["mosque"]],
            ),
        )
        ids.workshops[key] = detail.id
    for workshop, row, column, text, partner, votes in ENTRIES:
        detail = workshops.get_workshop(session, ids.workshops[workshop])
        entry = workshops.add_entry(
            session,
            workshop_id=detail.id,
            row_id=detail.rows[row].id,
            column=column,
            text=text,
            partner_id=ids.partners[partner] if partner else None,
        )
        workshops.set_votes(session, entry_id=entry.id, votes=votes)
    for title, workshop, status, due_on, added_on, deleted in ACTIONS:
        session.add(
            models.Action(
                title=title,
                workshop_id=ids.workshops[workshop] if workshop else None,
                owner_partner_id=ids.partners["cvs"],
                status=status,
                due_on=due_on,
                created_at=moment(added_on),
                deleted_at=deleted_at if deleted else None,
            )
        )
    for key, _title, _held_on, deleted in WORKSHOPS:
        if deleted:
            session.get(models.Workshop, ids.workshops[key]).deleted_at = deleted_at  # type: ignore[union-attr]
    session.commit()
    settings.save_settings(
        session,
        settings=settings.Settings(organisation_name=ORGANISATION, hourly_rate=RATE, hourly_rate_source=RATE_SOURCE),
    )
    return ids


# ---------------------------------------------------------------------------- expected figures, from the literals


def _live(rows: list[tuple], key: str) -> bool:  # type: ignore[type-arg]
    return any(row[0] == key and not row[-1] for row in rows)


def counted_hours() -> list[tuple[str, str, date, float]]:
    """Hours entries in the period whose entry, placement, volunteer, opportunity and host are all live."""
    hosts = {key: host for key, _title, host, _status, _deleted in OPPORTUNITIES}
    placement_live = {(v, o): not deleted for v, o, _status, _starts, deleted in PLACEMENTS}
    return [
        (volunteer, opportunity, on_date, hours)
        for volunteer, opportunity, on_date, hours, deleted in HOURS
        if not deleted
        and on_date in PERIOD
        and placement_live[(volunteer, opportunity)]
        and _live(VOLUNTEERS, volunteer)
        and _live(OPPORTUNITIES, opportunity)
        and _live([(p[0], p[4]) for p in PARTNERS], hosts[opportunity])
    ]


def expected_figures() -> dict[str, int | float | None]:
    hours = sum(entry[3] for entry in counted_hours())
    live_partners = [p for p in PARTNERS if not p[4]]
    live_opportunities = [o for o in OPPORTUNITIES if not o[4]]
    workshops_in = {key for key, _title, held_on, deleted in WORKSHOPS if not deleted and held_on in PERIOD}
    actions = [a for a in ACTIONS if not a[5] and (a[1] in workshops_in or (a[1] is None and a[4] in PERIOD))]
    started = [
        p
        for p in PLACEMENTS
        if not p[4]
        and p[2] in (PlacementStatus.ACTIVE, PlacementStatus.COMPLETED)
        and p[3] in PERIOD
        and _live(VOLUNTEERS, p[0])
        and _live(OPPORTUNITIES, p[1])
    ]
    return {
        "partners": len(live_partners),
        "new_partners": sum(1 for p in live_partners if p[3] in PERIOD),
        "opportunities_open": sum(1 for o in live_opportunities if o[3] == OpportunityStatus.OPEN),
        "opportunities_filled": sum(1 for o in live_opportunities if o[3] == OpportunityStatus.FILLED),
        "placements_started": len(started),
        "active_volunteers": len({entry[0] for entry in counted_hours()}),
        "hours": hours,
        "social_value": float(Decimal(str(hours)) * RATE),
        "workshops": len(workshops_in),
        "actions_open": sum(1 for a in actions if a[2] == ActionStatus.OPEN),
        "actions_in_progress": sum(1 for a in actions if a[2] == ActionStatus.IN_PROGRESS),
        "actions_done": sum(1 for a in actions if a[2] == ActionStatus.DONE),
        "actions_overdue": sum(
            1
            for a in actions
            if a[3] is not None and a[3] < TODAY and a[2] in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        ),
    }
