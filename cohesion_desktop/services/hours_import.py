"""Applying a parsed hours sheet: match its names to volunteers and opportunities, let the user decide for each
name that did not match, show totals that add up to the sheet's own sum, and write it in one transaction,
undoable as one step.

- Names are matched folded (case, accents and spaces aside); a volunteer's e-mail in the sheet settles two
  volunteers of one name. Each name that does not match once gets a choice: a volunteer may be one already
  recorded or added as new (the default) or skipped; an opportunity may be one already recorded or skipped
  (the default: an opportunity needs its host partner, which a sheet does not say).
- Hours go on the volunteer's placement on the opportunity; a volunteer never placed there gets a placement
  marked completed (past hours take no place on an opportunity that is open now).
- Importing the same sheet again adds nothing twice: entries are counted per placement, day and amount, and
  only the sheet's entries beyond those already recorded are added. Two identical rows in one sheet are two
  entries, as in the sheet's own sum.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import insert, select
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.db.backups import backup_before
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.sql import table_of
from cohesion_desktop.db.store import writing
from cohesion_desktop.db.versions import update_rows
from cohesion_desktop.domain import PlacementStatus
from cohesion_desktop.formatting import format_hours, format_number, plural_count
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.importing.columns import RowProblem, skipped_line, skipped_rows
from cohesion_desktop.importing.hours import HoursRecord, ParsedHours, Spread, spread
from cohesion_desktop.services.volunteering.placements import MAX_HOURS_PER_DAY
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput, volunteer_values
from cohesion_desktop.text import fold

PROGRESS_EVERY = 500
_CHUNK = 2_000
MAX_CANDIDATES = 8  # similar names offered for one unmatched name


class Choice(StrEnum):
    ADD = "add"  # a new volunteer of that name
    SKIP = "skip"


# What a name becomes: a stored record's id, or one of the choices.
Target = uuid.UUID | Choice


@dataclass
class NameMatch:
    """One name as the sheet writes it, and what it will be.

    Attributes:
        name: the first spelling seen in the sheet.
        rows: how many rows use it; hours: their hours.
        candidates: (id, label) of stored records it may be: the one that matched, or similar names.
        matched: True when the name matched one record by itself (no choice needed).
    """

    name: str
    rows: int = 0
    hours: float = 0.0
    candidates: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    target: Target = Choice.SKIP
    matched: bool = False


@dataclass(frozen=True)
class Totals:
    """The sheet's sum, and where each of its hours goes; ``to_add + already + unmatched + refused == sheet``."""

    sheet: float
    to_add: float
    entries_to_add: int
    already: float
    unmatched: float
    refused: float

    @property
    def adds_up(self) -> bool:
        return round(self.to_add + self.already + self.unmatched + self.refused, 2) == round(self.sheet, 2)

    def text(self) -> str:
        sheet = ngettext("{hours} hour", "{hours} hours", plural_count(self.sheet)).format(
            hours=format_number(self.sheet, decimals=2)
        )
        entries = ngettext("{n} entry", "{n} entries", self.entries_to_add).format(n=format_number(self.entries_to_add))
        return _(
            "The sheet's total is {sheet}: {to_add} to add ({entries}), {already} already recorded, {unmatched} "
            "skipped for a name you chose to skip, {refused} in rows with a problem."
        ).format(
            sheet=sheet,
            to_add=format_number(self.to_add, decimals=2),
            entries=entries,
            already=format_number(self.already, decimals=2),
            unmatched=format_number(self.unmatched, decimals=2),
            refused=format_number(self.refused, decimals=2),
        )


@dataclass
class HoursImportPlan:
    parsed: ParsedHours
    how: Spread
    volunteers: dict[str, NameMatch]  # folded name → match
    opportunities: dict[str, NameMatch]  # folded title → match ("" for rows that name none)
    # (volunteer id, opportunity id, day, hundredths of an hour) → entries already recorded
    recorded: Counter[tuple[uuid.UUID, uuid.UUID, date, int]]
    problems: list[RowProblem] = field(default_factory=list)  # rows refused here (more than a day's hours)
    refused_rows: frozenset[int] = frozenset()

    @property
    def all_problems(self) -> list[RowProblem]:
        return [*self.parsed.problems, *self.problems]

    def records(self) -> list[HoursRecord]:
        return [record for record in self.parsed.records if record.row not in self.refused_rows]

    def choose_volunteer(self, name: str, target: Target) -> None:
        self.volunteers[fold(name)].target = target

    def choose_opportunity(self, name: str, target: Target) -> None:
        if target == Choice.ADD:
            raise ValueError("an opportunity cannot be added from an hours sheet: its host partner is not known")
        self.opportunities[fold(name)].target = target

    def unmatched(self) -> list[tuple[str, NameMatch]]:
        """("volunteer" or "opportunity", match) for every name that needs the user's choice, sheet order."""
        return [("volunteer", m) for m in self.volunteers.values() if not m.matched] + [
            ("opportunity", m) for m in self.opportunities.values() if not m.matched
        ]

    def entries(self) -> list[tuple[HoursRecord, list[tuple[date, float]]]]:
        return [(record, spread(record.on_date, record.hours, self.how, today=_today())) for record in self.records()]

    def totals(self) -> Totals:
        """Where the sheet's hours go with the choices as they stand (no database needed)."""
        seen: Counter[tuple[object, object, date, int]] = Counter()
        to_add = already = unmatched = 0.0
        count = 0
        for record, parts in self.entries():
            volunteer = self.volunteers[fold(record.volunteer)].target
            opportunity = self.opportunities[fold(record.opportunity)].target
            if volunteer == Choice.SKIP or opportunity == Choice.SKIP:
                unmatched += record.hours
                continue
            # A volunteer to be added has nothing recorded yet: count their rows under their name.
            person = volunteer if isinstance(volunteer, uuid.UUID) else fold(record.volunteer)
            for day, hours in parts:
                cents = round(hours * 100)
                seen[(person, opportunity, day, cents)] += 1
                stored = 0
                if isinstance(person, uuid.UUID) and isinstance(opportunity, uuid.UUID):
                    stored = self.recorded.get((person, opportunity, day, cents), 0)
                if seen[(person, opportunity, day, cents)] > stored:
                    to_add += hours
                    count += 1
                else:
                    already += hours
        refused = self.parsed.refused_hours + sum(r.hours for r in self.parsed.records if r.row in self.refused_rows)
        return Totals(
            sheet=self.parsed.sheet_total,
            to_add=round(to_add, 2),
            entries_to_add=count,
            already=round(already, 2),
            unmatched=round(unmatched, 2),
            refused=round(refused, 2),
        )


def _today() -> date:
    return date.today()


def plan_hours_import(session: Session, parsed: ParsedHours, *, how: Spread = Spread.DAY) -> HoursImportPlan:
    """Match every name in the sheet; unmatched volunteers default to being added, unmatched opportunities to
    being skipped (the user chooses otherwise); note the entries already recorded on those days."""
    volunteer = models.Volunteer
    people: dict[str, list[tuple[uuid.UUID, str, str]]] = {}
    for volunteer_id, name, email in session.execute(
        select(col(volunteer.id), col(volunteer.name), col(volunteer.email)).where(
            col(volunteer.deleted_at).is_(None), col(volunteer.erased_at).is_(None)
        )
    ):
        people.setdefault(fold(name), []).append((volunteer_id, name, fold(email)))
    titles: dict[str, list[tuple[uuid.UUID, str]]] = {}
    opportunity = models.Opportunity
    for opportunity_id, title in session.execute(
        select(col(opportunity.id), col(opportunity.title)).where(col(opportunity.deleted_at).is_(None))
    ):
        titles.setdefault(fold(title), []).append((opportunity_id, title))

    volunteers: dict[str, NameMatch] = {}
    opportunities: dict[str, NameMatch] = {}
    for record in parsed.records:
        key = fold(record.volunteer)
        match = volunteers.get(key)
        if match is None:
            match = volunteers[key] = _match_person(record, people.get(key, []), people)
        match.rows += 1
        match.hours += record.hours
        title_key = fold(record.opportunity)
        found = opportunities.get(title_key)
        if found is None:
            found = opportunities[title_key] = _match_title(record.opportunity, titles.get(title_key, []), titles)
        found.rows += 1
        found.hours += record.hours
    plan = HoursImportPlan(
        parsed=parsed, how=how, volunteers=volunteers, opportunities=opportunities, recorded=Counter()
    )
    _refuse_long_days(plan)
    if parsed.records:
        plan.recorded = _recorded(session, min(r.on_date for r in parsed.records))
    return plan


def opportunities_titled(session: Session, title: str) -> list[tuple[uuid.UUID, str]]:
    """(id, title) of the live opportunities whose title folds to ``title``'s."""
    opportunity = models.Opportunity
    rows = session.execute(
        select(col(opportunity.id), col(opportunity.title)).where(col(opportunity.deleted_at).is_(None))
    )
    return [(row_id, name) for row_id, name in rows if fold(name) == fold(title)]


def _match_person(
    record: HoursRecord,
    same_name: list[tuple[uuid.UUID, str, str]],
    people: dict[str, list[tuple[uuid.UUID, str, str]]],
) -> NameMatch:
    match = NameMatch(name=record.volunteer)
    if len(same_name) == 1:
        match.target, match.matched = same_name[0][0], True
        match.candidates = [(same_name[0][0], same_name[0][1])]
        return match
    if same_name:  # two volunteers of one name: the e-mail settles it, or the user does
        by_email = [person for person in same_name if record.email and person[2] == fold(record.email)]
        match.candidates = [(pid, f"{name} <{email}>" if email else name) for pid, name, email in same_name]
        if len(by_email) == 1:
            match.target, match.matched = by_email[0][0], True
        return match
    words = set(fold(record.volunteer).split())
    match.candidates = [
        (pid, name) for key, found in people.items() if words & set(key.split()) for pid, name, _email in found
    ][:MAX_CANDIDATES]
    match.target = Choice.ADD
    return match


def _match_title(
    title: str, same: list[tuple[uuid.UUID, str]], titles: dict[str, list[tuple[uuid.UUID, str]]]
) -> NameMatch:
    match = NameMatch(name=title)
    if len(same) == 1:
        match.target, match.matched = same[0][0], True
        match.candidates = list(same)
        return match
    words = set(fold(title).split())
    similar = same or [item for key, found in titles.items() if words & set(key.split()) for item in found]
    # Few opportunities (a small charity's usual case): offer them all, similar titles first.
    everything = [item for found in titles.values() for item in found]
    rest = [item for item in everything if item not in similar] if len(everything) <= MAX_CANDIDATES * 4 else []
    match.candidates = similar + rest
    return match


def _refuse_long_days(plan: HoursImportPlan) -> None:
    refused: set[int] = set()
    for record, parts in plan.entries():
        if any(hours > MAX_HOURS_PER_DAY for _day, hours in parts):
            refused.add(record.row)
            plan.problems.append(
                RowProblem(
                    record.row,
                    "",
                    ngettext(
                        "{hours} hour is more than a day; choose “week” or “month” if the sheet counts those, or "
                        "split the row (at most {most} a day)",
                        "{hours} hours is more than a day; choose “week” or “month” if the sheet counts those, or "
                        "split the row (at most {most} a day)",
                        plural_count(record.hours),
                    ).format(hours=format_hours(record.hours), most=format_hours(MAX_HOURS_PER_DAY)),
                    "error",
                )
            )
    plan.refused_rows = frozenset(refused)
    for record in plan.parsed.records:
        if record.row in refused:
            plan.volunteers[fold(record.volunteer)].hours -= record.hours
            plan.opportunities[fold(record.opportunity)].hours -= record.hours


def set_spread(plan: HoursImportPlan, how: Spread) -> HoursImportPlan:
    """The plan with rows standing for days, weeks or months; the choices made so far are kept."""
    fresh = HoursImportPlan(
        parsed=plan.parsed,
        how=how,
        volunteers=plan.volunteers,
        opportunities=plan.opportunities,
        recorded=plan.recorded,
    )
    for match in (*fresh.volunteers.values(), *fresh.opportunities.values()):
        match.hours = 0.0
    for record in plan.parsed.records:
        fresh.volunteers[fold(record.volunteer)].hours += record.hours
        fresh.opportunities[fold(record.opportunity)].hours += record.hours
    _refuse_long_days(fresh)
    return fresh


def _recorded(session: Session, since: date) -> Counter[tuple[uuid.UUID, uuid.UUID, date, int]]:
    """Entries already recorded from ``since`` on, counted by (volunteer, opportunity, day, hundredths)."""
    entry, placement = models.HoursEntry, models.Placement
    counted: Counter[tuple[uuid.UUID, uuid.UUID, date, int]] = Counter()
    for volunteer_id, opportunity_id, on_date, hours in session.execute(
        select(col(placement.volunteer_id), col(placement.opportunity_id), col(entry.on_date), col(entry.hours))
        .join(placement, col(placement.id) == col(entry.placement_id))
        .where(col(entry.deleted_at).is_(None), col(entry.on_date) >= since)
    ):
        counted[(volunteer_id, opportunity_id, on_date, round(hours * 100))] += 1
    return counted


@dataclass(frozen=True)
class HoursImportUndo:
    entries: tuple[uuid.UUID, ...] = ()
    placements: tuple[uuid.UUID, ...] = ()  # made, or brought back, by the import
    volunteers: tuple[uuid.UUID, ...] = ()


@dataclass
class HoursImportReport:
    totals: Totals
    entries_added: int = 0
    volunteers_added: list[str] = field(default_factory=list)
    placements_added: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # row, why
    warnings: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False
    undo: HoursImportUndo = HoursImportUndo()

    @property
    def count(self) -> int:
        return self.entries_added

    def summary(self) -> str:
        entries = ngettext("{n} hours entry", "{n} hours entries", self.entries_added).format(
            n=format_number(self.entries_added)
        )
        hours = ngettext("{hours} hour", "{hours} hours", plural_count(self.totals.to_add)).format(
            hours=format_number(self.totals.to_add, decimals=2)
        )
        volunteers = ngettext("{n} new volunteer", "{n} new volunteers", len(self.volunteers_added)).format(
            n=format_number(len(self.volunteers_added))
        )
        placements = ngettext("{n} placement", "{n} placements", self.placements_added).format(
            n=format_number(self.placements_added)
        )
        said = (
            _("Would add {entries} ({hours}), {volunteers}, {placements}; {skipped_rows}.")
            if self.dry_run
            else _("Added {entries} ({hours}), {volunteers}, {placements}; {skipped_rows}.")
        )
        return said.format(
            entries=entries,
            hours=hours,
            volunteers=volunteers,
            placements=placements,
            skipped_rows=skipped_rows(len(self.skipped)),
        )

    def lines(self) -> list[str]:
        lines = [self.summary(), self.totals.text()]
        for row, why in sorted(self.skipped):
            lines.append("  " + skipped_line(row, "", why))
        for problem in sorted(self.warnings, key=lambda p: (p.row, p.column)):
            lines.append("  " + problem.line())
        for name in self.volunteers_added:
            lines.append(
                "  "
                + _("added volunteer {name} (consent unknown: no contact details were in the sheet)").format(name=name)
            )
        return lines


def apply_hours_import(
    session: Session,
    plan: HoursImportPlan,
    *,
    dry_run: bool = False,
    progress: Callable[[str, float], None] | None = None,
) -> HoursImportReport:
    """Write the plan in one transaction (or roll it back for a dry run).

    ``progress(stage, fraction)`` is told how far it got (it may raise to stop: nothing is then written)."""
    told = progress or (lambda _stage, _fraction: None)
    totals = plan.totals()
    report = HoursImportReport(
        totals=totals, dry_run=dry_run, warnings=[p for p in plan.all_problems if p.severity == "warning"]
    )
    errors: dict[int, list[str]] = {}
    for problem in plan.all_problems:
        if problem.severity == "error":
            errors.setdefault(problem.row, []).append(problem.within_row())
    report.skipped.extend((row, "; ".join(messages)) for row, messages in errors.items())
    if not dry_run and totals.entries_to_add:
        backup_before(session, "import")
    with writing(session) as transaction:
        now = utcnow()
        recorded = _recorded(transaction, min((r.on_date for r in plan.parsed.records), default=date.today()))
        new_volunteers: dict[str, uuid.UUID] = {}
        volunteer_rows = []
        for key, match in plan.volunteers.items():
            if match.target == Choice.ADD and match.rows:
                new_volunteers[key] = uuid.uuid4()
                # nobody asked them about contact: "not known", never a "no"
                values = volunteer_values(VolunteerInput(name=match.name, consent_unknown=True))
                volunteer_rows.append(
                    {"id": new_volunteers[key], "created_at": now, "updated_at": now, "deleted_at": None, **values}
                )
                report.volunteers_added.append(values["name"])
        placements = _placements(transaction)
        made: list[dict[str, object]] = []
        revived: list[uuid.UUID] = []
        entries: list[dict[str, object]] = []
        entry_ids: list[uuid.UUID] = []
        made_ids: list[uuid.UUID] = []
        seen: Counter[tuple[uuid.UUID, uuid.UUID, date, int]] = Counter()
        records = plan.entries()
        total = max(1, len(records))
        for done, (record, parts) in enumerate(records):
            if done % PROGRESS_EVERY == 0:
                told(
                    _("Importing hours: row {done} of {total}…").format(
                        done=format_number(done), total=format_number(total)
                    ),
                    done / total,
                )
            person = plan.volunteers[fold(record.volunteer)].target
            opportunity = plan.opportunities[fold(record.opportunity)].target
            if person == Choice.SKIP or opportunity == Choice.SKIP or not isinstance(opportunity, uuid.UUID):
                if person == Choice.SKIP:
                    why = f"the volunteer “{record.volunteer}”"
                else:
                    why = f"the opportunity “{record.opportunity or '(none given)'}”"
                report.skipped.append((record.row, f"you chose to skip {why}"))
                continue
            volunteer_id = new_volunteers[fold(record.volunteer)] if person == Choice.ADD else person
            assert isinstance(volunteer_id, uuid.UUID)
            pair = (volunteer_id, opportunity)
            if pair not in placements or placements[pair][1]:
                placement_id = placements[pair][0] if pair in placements else uuid.uuid4()
                if pair in placements:
                    revived.append(placement_id)  # placed once and removed: its hours come back with it
                else:
                    made_ids.append(placement_id)
                    made.append(
                        {
                            "id": placement_id,
                            "created_at": now,
                            "updated_at": now,
                            "deleted_at": None,
                            "volunteer_id": volunteer_id,
                            "opportunity_id": opportunity,
                            "status": PlacementStatus.COMPLETED,
                            "starts_on": record.on_date,
                            "ends_on": None,
                            "notes": "Made by importing past hours",
                        }
                    )
                placements[pair] = (placement_id, False)
            placement_id = placements[pair][0]
            for day, hours in parts:
                entry_key = (volunteer_id, opportunity, day, round(hours * 100))
                seen[entry_key] += 1
                if seen[entry_key] <= recorded.get(entry_key, 0):
                    continue  # already recorded: a sheet imported again adds nothing twice
                entry_ids.append(uuid.uuid4())
                entries.append(
                    {
                        "id": entry_ids[-1],
                        "created_at": now,
                        "updated_at": now,
                        "deleted_at": None,
                        "placement_id": placement_id,
                        "on_date": day,
                        "hours": hours,
                        "activity": record.activity,
                    }
                )
        told(_("Writing hours…"), 1.0)
        for table, rows in ((models.Volunteer, volunteer_rows), (models.Placement, made), (models.HoursEntry, entries)):
            for start in range(0, len(rows), _CHUNK):
                # The table, not the class: an ORM bulk insert splits rows into many small statements.
                transaction.execute(insert(table_of(table)), rows[start : start + _CHUNK])
        _hide(transaction, models.Placement, tuple(revived), False)
        report.entries_added = len(entries)
        report.placements_added = len(made) + len(revived)
        report.undo = HoursImportUndo(
            entries=tuple(entry_ids),
            placements=(*made_ids, *revived),
            volunteers=tuple(new_volunteers.values()),
        )
        if dry_run:
            transaction.rollback()
    return report


def _placements(session: Session) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[uuid.UUID, bool]]:
    """(volunteer, opportunity) → (placement id, whether it was removed)."""
    placement = models.Placement
    return {
        (volunteer_id, opportunity_id): (placement_id, deleted_at is not None)
        for placement_id, volunteer_id, opportunity_id, deleted_at in session.execute(
            select(
                col(placement.id), col(placement.volunteer_id), col(placement.opportunity_id), col(placement.deleted_at)
            )
        )
    }


def _hide(
    session: Session,
    table: type[models.HoursEntry] | type[models.Placement] | type[models.Volunteer],
    ids: tuple[uuid.UUID, ...],
    hidden: bool,
) -> None:
    for start in range(0, len(ids), 5_000):
        session.execute(
            update_rows(table)
            .where(col(table.id).in_(ids[start : start + 5_000]))
            .values(deleted_at=utcnow() if hidden else None)
        )


def undo_hours_import(session: Session, *, report: HoursImportReport) -> None:
    """Take a whole hours import back in one transaction: its entries, placements and new volunteers hidden."""
    with writing(session):
        _hide(session, models.HoursEntry, report.undo.entries, True)
        _hide(session, models.Placement, report.undo.placements, True)
        _hide(session, models.Volunteer, report.undo.volunteers, True)


def redo_hours_import(session: Session, *, report: HoursImportReport) -> None:
    with writing(session):
        _hide(session, models.Volunteer, report.undo.volunteers, False)
        _hide(session, models.Placement, report.undo.placements, False)
        _hide(session, models.HoursEntry, report.undo.entries, False)
