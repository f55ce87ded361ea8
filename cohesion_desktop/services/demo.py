"""Example data: Harrowfield at scale 1, and a seeded synthetic file at any scale for the benchmark.

``scale=1`` is the hand-written example (about 40 partners, 60 opportunities, 120 volunteers with a year
of hours, 3 workshops with actions). At scale N every count is ``max(example, large × N / 250)``, so
``scale=250`` is the benchmark's large file: 10,000 partners, 5,000 opportunities, 100,000 volunteers,
1,000,000 hour entries, 200 workshops of 60 entries. The same seed gives the same file.

Rows go in with Core bulk inserts in one transaction: the large file has over a million rows.
"""

from __future__ import annotations

import gc
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlmodel import Session, SQLModel, col

from cohesion_desktop.db import bulk, models
from cohesion_desktop.db.bulk import insert_rows
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.sql import table_of
from cohesion_desktop.db.store import writing
from cohesion_desktop.domain import (
    ActionStatus,
    Availability,
    CheckKind,
    MatrixColumn,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
    RecognitionKind,
    RelationshipStage,
    Sector,
)
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _
from cohesion_desktop.services import demo_content as content
from cohesion_desktop.services import overview
from cohesion_desktop.services.search_text import (
    opportunity_search_text,
    partner_search_text,
    volunteer_search_text,
)
from cohesion_desktop.text import fold

LARGE_SCALE = 250
INSERT_CHUNK = 20_000
# The tables the generator fills (not themes and templates, which a new file has and the generator reads).
LOADED: tuple[type[SQLModel], ...] = (
    models.Place,
    models.Partner,
    models.PartnerTheme,
    models.PartnerPlace,
    models.Contact,
    models.Opportunity,
    models.OpportunityRequirement,
    models.Volunteer,
    models.Placement,
    models.HoursEntry,
    models.VolunteerCheck,
    models.Recognition,
    models.Workshop,
    models.WorkshopRow,
    models.WorkshopPartner,
    models.MatrixEntry,
    models.Action,
)

ProgressCallback = Callable[[str, float], None]


@dataclass(frozen=True)
class DemoSize:
    partners: int
    opportunities: int
    volunteers: int
    hours_entries: int
    workshops: int
    entries_per_workshop: int


EXAMPLE_SIZE = DemoSize(
    partners=40, opportunities=60, volunteers=120, hours_entries=2_500, workshops=3, entries_per_workshop=17
)
LARGE_SIZE = DemoSize(
    partners=10_000,
    opportunities=5_000,
    volunteers=100_000,
    hours_entries=1_000_000,
    workshops=200,
    entries_per_workshop=60,
)


def size_for(scale: int) -> DemoSize:
    """Counts for a scale: the example at 1, the large benchmark file at :data:`LARGE_SCALE`."""
    if scale < 1:
        raise CohesionError(_("The scale must be 1 or more, not {scale}.").format(scale=scale))
    if scale == 1:
        return EXAMPLE_SIZE

    def grow(example: int, large: int) -> int:
        return max(example, round(large * scale / LARGE_SCALE))

    return DemoSize(
        partners=grow(EXAMPLE_SIZE.partners, LARGE_SIZE.partners),
        opportunities=grow(EXAMPLE_SIZE.opportunities, LARGE_SIZE.opportunities),
        volunteers=grow(EXAMPLE_SIZE.volunteers, LARGE_SIZE.volunteers),
        hours_entries=grow(EXAMPLE_SIZE.hours_entries, LARGE_SIZE.hours_entries),
        workshops=grow(EXAMPLE_SIZE.workshops, LARGE_SIZE.workshops),
        entries_per_workshop=LARGE_SIZE.entries_per_workshop,
    )


@dataclass(frozen=True)
class DemoSummary:
    partners: int
    opportunities: int
    volunteers: int
    hours_entries: int
    workshops: int
    matrix_entries: int
    actions: int


class _Generator:
    """Builds rows as dicts; ids come from the seeded generator so the same seed gives the same file."""

    def __init__(
        self, connection: Connection, *, seed: int, today: date, size: DemoSize, progress: ProgressCallback | None
    ) -> None:
        self.connection = connection
        self.rng = random.Random(seed)
        self.today = today
        self.size = size
        self.progress = progress or (lambda _stage, _fraction: None)
        now = utcnow()
        self.now = now
        self.stamps: dict[str, datetime | None] = {"created_at": now, "updated_at": now, "deleted_at": None}

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def insert(self, model: type[SQLModel], rows: Iterable[dict[str, Any]], stage: str = "") -> int:
        table = table_of(model)
        count = 0
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= INSERT_CHUNK:
                count += insert_rows(self.connection, table, chunk)
                chunk = []
                if stage:
                    self.progress(stage, count)
        return count + insert_rows(self.connection, table, chunk)

    # ------------------------------------------------------------ places and themes

    def places(self) -> dict[str, uuid.UUID]:
        names = list(content.ALL_WARDS)
        # Large files serve a whole region: more places than one town has wards.
        extra_needed = max(0, self.size.partners // 100 - len(names))
        prefixes = ("North", "South", "East", "West", "Upper", "Lower", "Old", "New")
        bases = ("Moor", "Bridge", "Field", "Ley", "Dale", "Green", "Bank", "Royd", "Clough", "Holme")
        for index in range(extra_needed):
            names.append(
                f"{prefixes[index % len(prefixes)]} {bases[(index // len(prefixes)) % len(bases)]}"
                f"{'' if index < 80 else f' {index // 80 + 1}'}"
            )
        ids = {name: self.new_id() for name in names}
        self.insert(
            models.Place,
            (
                {"id": pid, "name": name, "name_key": fold(name), "kind": "ward", **self.stamps}
                for name, pid in ids.items()
            ),
        )
        return ids

    def themes(self) -> dict[str, uuid.UUID]:
        rows = self.connection.execute(select(col(models.Theme.id), col(models.Theme.name))).all()
        return {name: theme_id for theme_id, name in rows}

    # ------------------------------------------------------------ partners

    def partners(self, place_ids: dict[str, uuid.UUID], theme_ids: dict[str, uuid.UUID]) -> list[dict[str, Any]]:
        partners: list[dict[str, Any]] = []
        links_theme: list[dict[str, Any]] = []
        links_place: list[dict[str, Any]] = []
        contacts: list[dict[str, Any]] = []
        all_places = list(place_ids)
        all_themes = list(theme_ids)

        def add(
            name: str,
            sector: Sector,
            sme: bool,
            remit: str,
            themes: tuple[str, ...] | list[str],
            places: tuple[str, ...] | list[str],
            stage: RelationshipStage,
            people: tuple[tuple[str, str], ...] | list[tuple[str, str]],
        ) -> None:
            partner_id = self.new_id()
            served = list(content.ALL_WARDS) if "*" in places else list(places)
            slug = "".join(ch for ch in fold(name) if ch.isalnum())[:24]
            contact_texts = []
            for position, (person, role) in enumerate(people):
                email = f"{fold(person).replace(' ', '.').replace(chr(39), '')}@example.org"
                phone = f"01632 960{self.rng.randrange(1000):03d}"
                contacts.append(
                    {
                        "id": self.new_id(),
                        "partner_id": partner_id,
                        "name": person,
                        "role": role,
                        "email": email,
                        "phone": phone,
                        "is_main": position == 0,
                        "position": position,
                        **self.stamps,
                    }
                )
                contact_texts += [person, role, email]
            # Partners joined the directory over the last three years, so "new partners" means something.
            joined = self.now - timedelta(days=self.rng.randint(20, 1100))
            partners.append(
                {
                    "id": partner_id,
                    "name": name,
                    "sector": sector,
                    "is_sme": sme,
                    "remit": remit,
                    "website": f"https://{slug}.example.org",
                    "relationship_stage": stage,
                    "notes": "",
                    "search_text": partner_search_text(
                        name=name, remit=remit, themes=themes, places=served, contacts=contact_texts
                    ),
                    **self.stamps,
                    "created_at": joined,
                    "updated_at": joined,
                }
            )
            links_theme.extend(
                {
                    "partner_id": partner_id,
                    "theme_id": theme_ids[t],
                    "created_at": self.stamps["created_at"],
                    "updated_at": self.stamps["updated_at"],
                }
                for t in themes
            )
            links_place.extend(
                {
                    "partner_id": partner_id,
                    "place_id": place_ids[p],
                    "created_at": self.stamps["created_at"],
                    "updated_at": self.stamps["updated_at"],
                }
                for p in served
            )

        for name, sector, sme, remit, themes, places, stage, people in content.PARTNERS:
            add(name, sector, sme, remit, themes, places, stage, people)

        sectors = list(Sector)
        kinds = (
            "Community Group",
            "Residents' Association",
            "Youth Club",
            "Food Pantry",
            "Lunch Club",
            "Sports Club",
            "Chapel",
            "Primary School",
            "Medical Practice",
            "Housing Co-operative",
            "Arts Collective",
            "Business Group",
            "Bakery",
            "Garage",
            "Café",
            "Law Firm",
            "Trust",
        )
        for index in range(len(content.PARTNERS), self.size.partners):
            place = all_places[index % len(all_places)]
            kind = kinds[(index // len(all_places)) % len(kinds)]
            serial = index // (len(all_places) * len(kinds))
            name = f"{place} {kind}" + (f" {serial + 1}" if serial else "")
            sector = sectors[self.rng.randrange(len(sectors))]
            chosen_themes = self.rng.sample(all_themes, self.rng.randint(1, 3))
            chosen_places = self.rng.sample(all_places, self.rng.randint(1, 3))
            remit = (
                f"Works in {', '.join(chosen_places)} on {', '.join(t.lower() for t in chosen_themes)}; "
                f"{self.rng.choice(('volunteer-led', 'paid staff and volunteers', 'a small team'))}."
            )
            person = f"{self.rng.choice(content.FIRST_NAMES)} {self.rng.choice(content.SURNAMES)}"
            add(
                name,
                sector,
                sector == Sector.BUSINESS and self.rng.random() < 0.8,
                remit,
                chosen_themes,
                chosen_places,
                self.rng.choice(list(RelationshipStage)),
                [(person, "Contact")],
            )

        self.insert(models.Partner, partners, "Partners")
        self.insert(models.PartnerTheme, links_theme)
        self.insert(models.PartnerPlace, links_place)
        self.insert(models.Contact, contacts)
        return partners

    # ------------------------------------------------------------ opportunities

    def opportunities(self, partners: list[dict[str, Any]], place_ids: dict[str, uuid.UUID]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        requirements: list[dict[str, Any]] = []
        ward_names = list(content.ALL_WARDS)
        place_names = list(place_ids)
        templates = content.OPPORTUNITIES
        for index in range(self.size.opportunities):
            title, kind, host, supporter, skills, times, needs, places, recurrence, description = templates[
                index % len(templates)
            ]
            round_number = index // len(templates)
            if round_number:
                host = self.rng.randrange(len(partners))
                supporter = self.rng.randrange(len(partners)) if self.rng.random() < 0.3 else None
            place = (ward_names if round_number == 0 else place_names)[
                (index * 7) % len(ward_names if round_number == 0 else place_names)
            ]
            host_row = partners[host]
            supporter_row = partners[supporter] if supporter is not None else None
            starts = self.today - timedelta(days=self.rng.randint(30, 400))
            status = (
                (OpportunityStatus.OPEN if index % 6 else OpportunityStatus.FILLED)
                if index % 10
                else (OpportunityStatus.CLOSED if index % 20 else OpportunityStatus.DRAFT)
            )
            opportunity_id = self.new_id()
            full_title = title if round_number == 0 else f"{title} ({place})"
            rows.append(
                {
                    "id": opportunity_id,
                    "title": full_title,
                    "description": description,
                    "host_partner_id": host_row["id"],
                    "supporting_partner_id": supporter_row["id"] if supporter_row else None,
                    "kind": kind,
                    "place_id": place_ids[place],
                    "starts_on": starts,
                    "ends_on": None if self.rng.random() < 0.7 else starts + timedelta(days=self.rng.randint(60, 500)),
                    "recurrence": recurrence,
                    "times": ",".join(t.value for t in times),
                    "places_available": places,
                    "skills": skills,
                    "accessibility_notes": "Step-free access",
                    "status": status,
                    "search_text": opportunity_search_text(
                        title=full_title,
                        description=description,
                        skills=skills,
                        host=host_row["name"],
                        supporter=supporter_row["name"] if supporter_row else "",
                        place=place,
                    ),
                    **self.stamps,
                }
            )
            requirements.extend(
                {
                    "opportunity_id": opportunity_id,
                    "check_kind": need,
                    "created_at": self.stamps["created_at"],
                    "updated_at": self.stamps["updated_at"],
                }
                for need in needs
            )
        self.insert(models.Opportunity, rows, "Opportunities")
        self.insert(models.OpportunityRequirement, requirements)
        return rows

    # ------------------------------------------------------------ volunteers, placements, hours

    def volunteers(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()
        for index in range(self.size.volunteers):
            name = f"{self.rng.choice(content.FIRST_NAMES)} {self.rng.choice(content.SURNAMES)}"
            if name in seen:
                name = (
                    f"{name} ({index})"
                    if self.size.volunteers > 1000
                    else f"{name.split()[0]} {self.rng.choice(content.SURNAMES)}-{self.rng.choice(content.SURNAMES)}"
                )
            seen.add(name)
            email = f"{fold(name).replace(' ', '.').replace(chr(39), '').replace('(', '').replace(')', '')}@example.org"
            phone = f"07700 900{self.rng.randrange(1000):03d}"
            skills = ", ".join(self.rng.sample(content.SKILLS, self.rng.randint(1, 4)))
            availability = ",".join(a.value for a in self.rng.sample(list(Availability), self.rng.randint(1, 3)))
            consent = self.rng.random() < 0.9
            given = self.today - timedelta(days=self.rng.randint(30, 900))
            rows.append(
                {
                    "id": self.new_id(),
                    "name": name,
                    "email": email,
                    "phone": phone,
                    "address": "",
                    "skills": skills,
                    "availability": availability,
                    "how_heard": self.rng.choice(content.HOW_HEARD),
                    "consent_to_contact": consent,
                    "consent_details": "Contact me about volunteering opportunities by e-mail or phone"
                    if consent
                    else "",
                    "consent_given_on": given if consent else None,
                    "consent_withdrawn_on": None,
                    # Of those who did not agree, every other one was never asked: the example shows both.
                    "consent_unknown": not consent and index % 2 == 0,
                    "emergency_contact_name": f"{self.rng.choice(content.FIRST_NAMES)} {name.split()[-1]}",
                    "emergency_contact_phone": f"07700 900{self.rng.randrange(1000):03d}",
                    "notes": "",
                    "erased_at": None,
                    "search_text": volunteer_search_text(name=name, email=email, phone=phone, skills=skills),
                    **self.stamps,
                }
            )
        self.insert(models.Volunteer, rows, "Volunteers")
        return rows

    def placements_and_hours(
        self, volunteers: list[dict[str, Any]], opportunities: list[dict[str, Any]]
    ) -> tuple[int, list[float]]:
        placeable = [
            o
            for o in opportunities
            if o["kind"] in (OpportunityKind.VOLUNTEERING, OpportunityKind.EMPLOYEE_VOLUNTEERING)
        ]
        placements: list[dict[str, Any]] = []
        year_ago = self.today - timedelta(days=364)
        per_volunteer_entries = self.size.hours_entries / max(1, len(volunteers))
        totals = [0.0] * len(volunteers)

        def hours_rows() -> Iterator[dict[str, Any]]:
            produced = 0
            for index, volunteer in enumerate(volunteers):
                how_many = 1 if self.rng.random() < 0.75 else 2
                chosen = self.rng.sample(placeable, how_many)
                # Spread entries so the total matches the target: the example's volunteers vary a lot.
                wanted = max(0, round(self.rng.gauss(per_volunteer_entries, per_volunteer_entries / 2)))
                if index == len(volunteers) - 1:
                    wanted = max(0, self.size.hours_entries - produced)
                wanted = min(wanted, self.size.hours_entries - produced)
                for number, opportunity in enumerate(chosen):
                    placement_id = self.new_id()
                    status = PlacementStatus.ACTIVE if self.rng.random() < 0.8 else PlacementStatus.COMPLETED
                    # A third of placements began within the year; the rest before it.
                    started = (
                        year_ago + timedelta(days=self.rng.randrange(300))
                        if self.rng.random() < 0.35
                        else year_ago - timedelta(days=self.rng.randrange(1, 700))
                    )
                    placements.append(
                        {
                            "id": placement_id,
                            "volunteer_id": volunteer["id"],
                            "opportunity_id": opportunity["id"],
                            "status": status,
                            "starts_on": started,
                            "ends_on": None,
                            "notes": "",
                            **self.stamps,
                        }
                    )
                    first_day = max(started, year_ago)
                    span = (self.today - first_day).days + 1
                    share = wanted // how_many + (wanted % how_many if number == 0 else 0)
                    for _entry in range(share):
                        day = first_day + timedelta(days=self.rng.randrange(span))
                        hours = self.rng.choice((1.0, 1.5, 2.0, 2.0, 3.0, 3.0, 4.0, 6.0))
                        totals[index] += hours
                        produced += 1
                        yield {
                            "id": self.new_id(),
                            "placement_id": placement_id,
                            "on_date": day,
                            "hours": hours,
                            "activity": self.rng.choice(content.ACTIVITIES),
                            **self.stamps,
                        }

        # Placements must exist before their hours (foreign keys): collect the hours in chunks,
        # inserting placements made so far before each chunk of hours.
        produced_hours = 0
        inserted_placements = 0
        chunk: list[dict[str, Any]] = []
        for row in hours_rows():
            chunk.append(row)
            if len(chunk) >= INSERT_CHUNK:
                inserted_placements += self.insert(models.Placement, placements[inserted_placements:])
                produced_hours += self.insert(models.HoursEntry, chunk)
                chunk = []
                self.progress("Hours", produced_hours / max(1, self.size.hours_entries))
        inserted_placements += self.insert(models.Placement, placements[inserted_placements:])
        produced_hours += self.insert(models.HoursEntry, chunk)
        return produced_hours, totals

    def checks_and_recognition(self, volunteers: list[dict[str, Any]], totals: list[float]) -> None:
        checks: list[dict[str, Any]] = []
        recognitions: list[dict[str, Any]] = []
        kinds = [
            CheckKind.DBS_ENHANCED,
            CheckKind.DBS_ENHANCED_BARRED,
            CheckKind.TRAINING_SAFEGUARDING,
            CheckKind.TRAINING_FOOD_HYGIENE,
            CheckKind.TRAINING_FIRST_AID,
            CheckKind.DBS_STANDARD,
        ]
        for volunteer, total in zip(volunteers, totals, strict=True):
            for kind in self.rng.sample(kinds, self.rng.choice((0, 0, 1, 1, 2, 3))):
                obtained = self.today - timedelta(days=self.rng.randint(10, 1200))
                checks.append(
                    {
                        "id": self.new_id(),
                        "volunteer_id": volunteer["id"],
                        "kind": kind,
                        "obtained_on": obtained,
                        "renewal_due_on": obtained + timedelta(days=3 * 365),
                        "reference": "",
                        **self.stamps,
                    }
                )
            if total >= 50:
                recognitions.append(
                    {
                        "id": self.new_id(),
                        "volunteer_id": volunteer["id"],
                        "kind": RecognitionKind.THANKS,
                        "title": "Thank-you card",
                        "given_on": self.today - timedelta(days=self.rng.randint(5, 120)),
                        "message": "Thank you for everything you give to Harrowfield.",
                        "hours_at_time": 50.0,
                        **self.stamps,
                    }
                )
        self.insert(models.VolunteerCheck, checks)
        self.insert(models.Recognition, recognitions)

    # ------------------------------------------------------------ workshops and actions

    def workshops(self, partners: list[dict[str, Any]], place_ids: dict[str, uuid.UUID]) -> tuple[int, int]:
        templates = {
            key: (template_id, name)
            for template_id, key, name in self.connection.execute(
                select(
                    col(models.MatrixTemplate.id),
                    col(models.MatrixTemplate.builtin_key),
                    col(models.MatrixTemplate.name),
                )
            ).all()
        }
        template_rows: dict[uuid.UUID, list[tuple[str, str]]] = {}
        for template_id, title, description in self.connection.execute(
            select(
                col(models.MatrixTemplateRow.template_id),
                col(models.MatrixTemplateRow.title),
                col(models.MatrixTemplateRow.description),
            ).order_by(col(models.MatrixTemplateRow.position))
        ).all():
            template_rows.setdefault(template_id, []).append((title, description))

        workshops: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        actions: list[dict[str, Any]] = []
        phrase_bank = [entry for workshop in content.WORKSHOPS for entry in workshop[5]]
        place_names = list(place_ids)
        for index in range(self.size.workshops):
            if index < len(content.WORKSHOPS):
                title, template_key, place, facilitator, present, plan = content.WORKSHOPS[index]
                held_on = self.today - timedelta(days=200 - 80 * index)
            else:
                base = content.WORKSHOPS[index % len(content.WORKSHOPS)]
                place = place_names[index % len(place_names)]
                title, template_key, facilitator = f"{place} roundtable {index + 1}", base[1], base[3]
                present = tuple(sorted(self.rng.sample(range(len(partners)), 10)))
                plan = tuple(
                    (self.rng.randrange(3),)
                    + phrase_bank[self.rng.randrange(len(phrase_bank))][1:4]
                    + (self.rng.randrange(7),)
                    for _ in range(self.size.entries_per_workshop)
                )
                plan = tuple((r, c, t, p if p in present else None, v) for r, c, t, p, v in plan)
                held_on = self.today - timedelta(days=self.rng.randint(1, 700))
            template_id, template_name = templates[template_key]
            workshop_id = self.new_id()
            workshops.append(
                {
                    "id": workshop_id,
                    "title": title,
                    "held_on": held_on,
                    "place_id": place_ids[place],
                    "facilitator": facilitator,
                    "template_id": template_id,
                    "template_name": template_name,
                    "notes": "",
                    **self.stamps,
                }
            )
            row_ids = []
            for position, (row_title, description) in enumerate(template_rows[template_id]):
                row_id = self.new_id()
                row_ids.append(row_id)
                rows.append(
                    {
                        "id": row_id,
                        "workshop_id": workshop_id,
                        "position": position,
                        "title": row_title,
                        "description": description,
                        "created_at": self.stamps["created_at"],
                        "updated_at": self.stamps["updated_at"],
                    }
                )
            links.extend(
                {
                    "workshop_id": workshop_id,
                    "partner_id": partners[p]["id"],
                    "created_at": self.stamps["created_at"],
                    "updated_at": self.stamps["updated_at"],
                }
                for p in present
            )
            positions: dict[tuple[int, MatrixColumn], int] = {}
            entry_ids = []
            for row_index, column, text, partner, votes in plan:
                position = positions.get((row_index, column), 0)
                positions[(row_index, column)] = position + 1
                entry_id = self.new_id()
                entry_ids.append(entry_id)
                entries.append(
                    {
                        "id": entry_id,
                        "workshop_id": workshop_id,
                        "row_id": row_ids[row_index],
                        "column": column,
                        "text": text,
                        "partner_id": partners[partner]["id"] if partner is not None else None,
                        "position": position,
                        "votes": votes,
                        **self.stamps,
                    }
                )
            planned_actions = (
                [a for a in content.ACTIONS if a[0] == index]
                if index < len(content.WORKSHOPS)
                else [
                    (
                        index,
                        self.rng.randrange(len(plan)),
                        self.rng.randrange(len(partners)),
                        self.rng.randint(-60, 120),
                        self.rng.choice(("open", "in_progress", "done")),
                    )
                    for _ in range(3)
                ]
            )
            for _planned, entry_index, owner, due_in, status in planned_actions:
                status_value = ActionStatus(status)
                due = held_on + timedelta(days=30) + timedelta(days=due_in)
                actions.append(
                    {
                        "id": self.new_id(),
                        "title": plan[entry_index][2],
                        "entry_id": entry_ids[entry_index],
                        "workshop_id": workshop_id,
                        "owner_partner_id": partners[owner]["id"],
                        "due_on": due,
                        "status": status_value,
                        "completed_on": due - timedelta(days=3) if status_value == ActionStatus.DONE else None,
                        "notes": "",
                        **self.stamps,
                    }
                )
        self.insert(models.Workshop, workshops)
        self.insert(models.WorkshopRow, rows)
        self.insert(models.WorkshopPartner, links)
        self.insert(models.MatrixEntry, entries, "Workshops")
        self.insert(models.Action, actions)
        return len(entries), len(actions)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while the rows are made: they hold no cycles, and each of its passes would
    walk every row made so far (the profile of the large file showed them inside every insert)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_demo(
    session: Session,
    *,
    scale: int = 1,
    seed: int = 2026,
    today: date | None = None,
    progress: ProgressCallback | None = None,
) -> DemoSummary:
    """Fill an empty data file with example data. Refuses a file that already holds partners or volunteers."""
    size = size_for(scale)
    if not overview.is_empty(session):
        raise CohesionError(_("This data file already holds data; load the example into a new, empty data file."))
    with writing(session), _no_cycle_collection():
        connection = session.connection()
        generator = _Generator(connection, seed=seed, today=today or date.today(), size=size, progress=progress)
        with bulk.loading(connection, [table_of(model) for model in LOADED]):
            place_ids = generator.places()
            theme_ids = generator.themes()
            partners = generator.partners(place_ids, theme_ids)
            opportunities = generator.opportunities(partners, place_ids)
            volunteers = generator.volunteers()
            hours, totals = generator.placements_and_hours(volunteers, opportunities)
            generator.checks_and_recognition(volunteers, totals)
            entries, actions = generator.workshops(partners, place_ids)
        connection.execute(
            insert(models.Setting).values(
                key="organisation_name", value=content.ORGANISATION_NAME, created_at=utcnow(), updated_at=utcnow()
            )
        )
    return DemoSummary(
        partners=len(partners),
        opportunities=len(opportunities),
        volunteers=len(volunteers),
        hours_entries=hours,
        workshops=size.workshops,
        matrix_entries=entries,
        actions=actions,
    )
