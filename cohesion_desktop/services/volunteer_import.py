"""Applying a parsed volunteer sheet: match each row to a volunteer already recorded, let the user decide row by
row (update, add, skip), and write it all in one transaction, undoable as one step.

Matching: the same e-mail address (case aside), else the same name with the same phone digits. An update
fills in what the sheet says and leaves alone what it leaves blank; consent is changed only when the sheet
evidences it (see ``importing.volunteers``): a consent already recorded is never lost to "unknown" or to a
bare "no" (a warning asks the user to record a withdrawal in the volunteer's record, with its date).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.db.backups import backup_before
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.sql import table_of
from cohesion_desktop.db.store import writing
from cohesion_desktop.db.versions import as_read_now, update_by_id, update_rows
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.formatting import format_date, format_number
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.importing.columns import RowProblem, column_title, skipped_line, skipped_rows, warning_count
from cohesion_desktop.importing.volunteers import ParsedVolunteers, VolunteerRecord
from cohesion_desktop.services.volunteering.volunteers import EDITABLE_FIELDS, VolunteerInput, volunteer_values
from cohesion_desktop.text import fold

PROGRESS_EVERY = 500  # rows between two progress reports
_CHUNK = 2_000  # rows per multi-row INSERT or UPDATE
# The columns an import may write, and so the ones undo puts back.
_COLUMNS = (*EDITABLE_FIELDS, "search_text")
# Fields the sheet's field of a given name fills (validation names the fields of VolunteerInput).
_DROPPABLE = ("email", "phone", "emergency_contact_phone")


class Decision(StrEnum):
    ADD = "add"
    UPDATE = "update"  # the volunteer matched by e-mail, or by name and phone
    SKIP = "skip"


@dataclass(frozen=True)
class PlannedVolunteer:
    record: VolunteerRecord
    decision: Decision
    target_id: uuid.UUID | None = None
    target_name: str = ""
    matched_by: str = ""  # "e-mail" or "name and phone"
    values: dict[str, Any] = field(default_factory=dict, compare=False)  # the stored columns, checked once


@dataclass
class VolunteerImportPlan:
    parsed: ParsedVolunteers
    rows: list[PlannedVolunteer]
    # Problems found against what is stored (a phone number the app cannot keep …), by row and column.
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def all_problems(self) -> list[RowProblem]:
        return [*self.parsed.problems, *self.problems]

    def choose(self, row: int, decision: Decision) -> None:
        """The user's choice for spreadsheet row ``row``; update needs a row that matched a volunteer."""
        for index, planned in enumerate(self.rows):
            if planned.record.row == row:
                if decision == Decision.UPDATE and planned.target_id is None:
                    raise ValueError(f"row {row} matched no volunteer to update")
                self.rows[index] = replace(planned, decision=decision)
                return
        raise KeyError(row)

    def counts(self) -> dict[Decision, int]:
        return {decision: sum(1 for row in self.rows if row.decision == decision) for decision in Decision}


@dataclass(frozen=True)
class VolunteerImportUndo:
    """What an import wrote: the volunteers and checks it added, and the volunteers it updated, before and after."""

    added: tuple[uuid.UUID, ...] = ()
    checks: tuple[uuid.UUID, ...] = ()
    before: tuple[dict[str, Any], ...] = ()
    after: tuple[dict[str, Any], ...] = ()


@dataclass
class VolunteerImportReport:
    """What an import did (or, for a dry run, would do), row by row."""

    added: list[tuple[int, str]] = field(default_factory=list)
    updated: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # row, name, why
    warnings: list[RowProblem] = field(default_factory=list)
    checks_added: int = 0
    consent_unknown: int = 0
    dry_run: bool = False
    undo: VolunteerImportUndo = VolunteerImportUndo()

    @property
    def count(self) -> int:
        return len(self.added) + len(self.updated)

    def summary(self) -> str:
        checks = ngettext("{n} check or training", "{n} checks or training", self.checks_added).format(
            n=format_number(self.checks_added)
        )
        said = (
            _(
                "Would add {added}, would update {updated}, {skipped_rows}; {checks}; "
                "consent unknown for {unknown}; {warnings}."
            )
            if self.dry_run
            else _(
                "Added {added}, updated {updated}, {skipped_rows}; {checks}; consent unknown for {unknown}; {warnings}."
            )
        )
        return said.format(
            added=format_number(len(self.added)),
            updated=format_number(len(self.updated)),
            skipped_rows=skipped_rows(len(self.skipped)),
            checks=checks,
            unknown=format_number(self.consent_unknown),
            warnings=warning_count(len(self.warnings)),
        )

    def lines(self) -> list[str]:
        """The report as text, one line per row that needs a word (the CLI prints this)."""
        lines = [self.summary()]
        for row, name, why in sorted(self.skipped):
            lines.append("  " + skipped_line(row, name, why))
        for problem in sorted(self.warnings, key=lambda p: (p.row, p.column)):
            lines.append("  " + problem.line())
        for row, name in self.updated:
            lines.append("  " + _("row {row}: updated {name}").format(row=row, name=name))
        return lines


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def plan_volunteer_import(session: Session, parsed: ParsedVolunteers) -> VolunteerImportPlan:
    """Match each record (e-mail first, then name and phone) and check it as saving would; matched → update,
    otherwise add. A field the app cannot keep (a phone number with words in it) is left out with a warning."""
    by_email: dict[str, tuple[uuid.UUID, str]] = {}
    by_person: dict[tuple[str, str], tuple[uuid.UUID, str]] = {}
    for volunteer_id, name, email, phone in session.execute(
        select(
            col(models.Volunteer.id),
            col(models.Volunteer.name),
            col(models.Volunteer.email),
            col(models.Volunteer.phone),
        ).where(col(models.Volunteer.deleted_at).is_(None), col(models.Volunteer.erased_at).is_(None))
    ):
        if email:
            by_email.setdefault(fold(email), (volunteer_id, name))
        if digits := _digits(phone):
            by_person.setdefault((fold(name), digits), (volunteer_id, name))
    plan = VolunteerImportPlan(parsed=parsed, rows=[])
    titles = {key: column_title(parsed.headers, index) for index, key in parsed.mapping.items() if key}
    for parsed_record in parsed.records:
        checked = _checked(parsed_record, plan.problems, titles)
        if checked is None:
            continue
        record, values = checked
        match, how = None, ""
        if record.email and (match := by_email.get(fold(record.email))):
            how = "e-mail"
        elif (digits := _digits(record.phone)) and (match := by_person.get((fold(record.name), digits))):
            how = "name and phone"
        if match is not None:
            plan.rows.append(PlannedVolunteer(record, Decision.UPDATE, match[0], match[1], how, values))
        else:
            plan.rows.append(PlannedVolunteer(record, Decision.ADD, values=values))
    return plan


def _as_input(record: VolunteerRecord) -> VolunteerInput:
    return VolunteerInput(
        name=record.name,
        email=record.email,
        phone=record.phone,
        address=record.address,
        skills=", ".join(record.skills),
        availability=record.availability,
        how_heard=record.how_heard,
        consent_to_contact=record.consent == "yes",
        consent_details=record.consent_details,
        consent_given_on=record.consent_given_on,
        consent_withdrawn_on=record.consent_withdrawn_on,
        emergency_contact_name=record.emergency_contact_name,
        emergency_contact_phone=record.emergency_contact_phone,
        notes=record.notes,
        consent_unknown=record.consent == "unknown",  # stored as not known, never as a "no"
    )


def _checked(
    record: VolunteerRecord, problems: list[RowProblem], titles: dict[str, str]
) -> tuple[VolunteerRecord, dict[str, Any]] | None:
    """The record as the app can keep it: fields it cannot keep dropped with a warning; None when it cannot
    be kept at all (the reason added to ``problems``)."""
    for _attempt in range(len(_DROPPABLE) + 1):
        try:
            return record, volunteer_values(_as_input(record))
        except ValidationError as exc:
            droppable = [name for name in exc.problems if name in _DROPPABLE]
            if not droppable:
                column = titles.get(next(iter(exc.problems), ""), "")
                problems.append(RowProblem(record.row, column, str(exc), "error"))
                return None
            for name in droppable:
                message = _("{problem} It was left out").format(problem=exc.problems[name])
                problems.append(RowProblem(record.row, titles.get(name, ""), message, "warning"))
            blanked: dict[str, Any] = dict.fromkeys(droppable, "")
            record = replace(record, **blanked)
    return None  # not reached: each attempt drops at least one field


def _updated_values(current: dict[str, Any], planned: PlannedVolunteer, warn: Callable[[str], None]) -> dict[str, Any]:
    """What an update writes: the sheet's values where it has them, the stored ones where it is blank, consent
    only as evidence allows."""
    record = planned.record
    sheet = planned.values or volunteer_values(_as_input(record))
    merged = dict(current)
    for key in ("name", "email", "phone", "address", "how_heard", "emergency_contact_name", "emergency_contact_phone"):
        if sheet[key]:
            merged[key] = sheet[key]
    for key in ("skills", "availability"):  # lists: the stored items, then the sheet's new ones
        separator = ", " if key == "skills" else ","
        items = [item for item in current[key].split(separator.strip()) if item.strip()]
        folded = {fold(item.strip()) for item in items}
        items += [
            item for item in sheet[key].split(separator.strip()) if item.strip() and fold(item.strip()) not in folded
        ]
        merged[key] = separator.join(item.strip() for item in items)
    if sheet["notes"] and fold(sheet["notes"]) not in fold(current["notes"]):
        merged["notes"] = "\n".join(part for part in (current["notes"], sheet["notes"]) if part)
    if record.consent == "yes":
        if not (current["consent_to_contact"] and current["consent_given_on"] and not current["consent_withdrawn_on"]):
            merged.update(
                consent_to_contact=True,
                consent_unknown=False,
                consent_given_on=record.consent_given_on,
                consent_details=sheet["consent_details"] or current["consent_details"],
                consent_withdrawn_on=record.consent_withdrawn_on,
            )
    elif record.consent == "no" and current["consent_to_contact"] and not current["consent_withdrawn_on"]:
        warn(
            _(
                "The sheet says no, but consent given on {day} is recorded: it was kept. If they withdrew it, record "
                "the date in their record."
            ).format(day=format_date(current["consent_given_on"]))
            if current["consent_given_on"]
            else _("The sheet says no, but consent is recorded: it was kept.")
        )
    elif record.consent == "no" and not current["consent_to_contact"]:
        merged["consent_unknown"] = False  # an answer at last (a "not known" is never made from a stored answer)
        if not current["consent_details"]:
            merged["consent_to_contact"] = False
    if not merged["consent_to_contact"] and record.consent_withdrawn_on and current["consent_given_on"]:
        merged["consent_withdrawn_on"] = record.consent_withdrawn_on
    merged["search_text"] = volunteer_values(
        VolunteerInput(name=merged["name"], email=merged["email"], phone=merged["phone"], skills=merged["skills"])
    )["search_text"]
    return merged


def _states(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    table = models.Volunteer
    found: dict[uuid.UUID, dict[str, Any]] = {}
    columns = [col(getattr(table, name)) for name in _COLUMNS]
    for start in range(0, len(ids), 5_000):
        for row in session.execute(
            select(col(table.id), *columns).where(col(table.id).in_(ids[start : start + 5_000]))
        ):
            found[row[0]] = dict(zip(_COLUMNS, row[1:], strict=True))
    return found


def apply_volunteer_import(
    session: Session,
    plan: VolunteerImportPlan,
    *,
    dry_run: bool = False,
    progress: Callable[[str, float], None] | None = None,
) -> VolunteerImportReport:
    """Write the plan in one transaction (or roll it back for a dry run) and report row by row.

    ``progress(stage, fraction)`` is told how far it got every few hundred rows (it may raise to stop: the
    transaction is then rolled back and nothing is written)."""
    told = progress or (lambda _stage, _fraction: None)
    total = max(1, len(plan.rows))
    report = VolunteerImportReport(dry_run=dry_run, warnings=[p for p in plan.all_problems if p.severity == "warning"])
    errors: dict[int, list[str]] = {}
    for problem in plan.all_problems:
        if problem.severity == "error":
            errors.setdefault(problem.row, []).append(problem.within_row())
    report.skipped.extend((row, "", "; ".join(messages)) for row, messages in errors.items())

    if not dry_run and any(planned.decision != Decision.SKIP for planned in plan.rows):
        backup_before(session, "import")  # the file as it was, should the import turn out to be a mistake
    with writing(session) as transaction:
        now = utcnow()
        updates = [p for p in plan.rows if p.decision == Decision.UPDATE and p.target_id is not None]
        before = _states(transaction, [p.target_id for p in updates if p.target_id is not None])
        existing_checks = _existing_checks(transaction, list(before))
        new_rows: list[dict[str, Any]] = []
        changed: dict[uuid.UUID, dict[str, Any]] = {}
        check_rows: list[dict[str, Any]] = []
        for done, planned in enumerate(plan.rows):
            if done % PROGRESS_EVERY == 0:
                told(
                    _("Importing volunteers: row {done} of {total}…").format(
                        done=format_number(done), total=format_number(total)
                    ),
                    done / total,
                )
            record = planned.record
            if planned.decision == Decision.SKIP:
                report.skipped.append((record.row, record.name, "you chose to skip it"))
                continue
            if planned.decision == Decision.ADD or planned.target_id is None:
                volunteer_id = uuid.uuid4()
                values = planned.values or volunteer_values(_as_input(record))
                new_rows.append(
                    {"id": volunteer_id, "created_at": now, "updated_at": now, "deleted_at": None, **values}
                )
                report.added.append((record.row, record.name))
            else:
                volunteer_id = planned.target_id
                current = changed.get(volunteer_id) or before[volunteer_id]

                def warn(message: str, row: int = record.row) -> None:
                    report.warnings.append(RowProblem(row, "", message, "warning"))

                changed[volunteer_id] = _updated_values(current, planned, warn)
                report.updated.append((record.row, planned.target_name or record.name))
            if record.consent == "unknown":
                report.consent_unknown += 1
            for check in record.checks:
                key = (volunteer_id, check.kind.value, check.obtained_on)
                if key in existing_checks:
                    continue  # already recorded (an import done before): never twice
                existing_checks.add(key)
                check_rows.append(
                    {
                        "id": uuid.uuid4(),
                        "created_at": now,
                        "updated_at": now,
                        "deleted_at": None,
                        "volunteer_id": volunteer_id,
                        "kind": check.kind,
                        "obtained_on": check.obtained_on,
                        "renewal_due_on": check.renewal_due_on,
                        "reference": check.reference,
                    }
                )
        told(_("Writing volunteers…"), 1.0)
        for start in range(0, len(new_rows), _CHUNK):
            transaction.execute(insert(table_of(models.Volunteer)), new_rows[start : start + _CHUNK])
        updates_rows = as_read_now(
            transaction, models.Volunteer, [{"id": key, "updated_at": now, **values} for key, values in changed.items()]
        )
        for start in range(0, len(updates_rows), _CHUNK):
            transaction.execute(update_by_id(models.Volunteer), updates_rows[start : start + _CHUNK])
        for start in range(0, len(check_rows), _CHUNK):
            transaction.execute(insert(table_of(models.VolunteerCheck)), check_rows[start : start + _CHUNK])
        report.checks_added = len(check_rows)
        report.undo = VolunteerImportUndo(
            added=tuple(row["id"] for row in new_rows),
            checks=tuple(row["id"] for row in check_rows),
            before=tuple({"id": key, **before[key]} for key in changed),
            after=tuple({"id": key, **values} for key, values in changed.items()),
        )
        if dry_run:
            transaction.rollback()  # leaving the block normally would commit
    return report


def _existing_checks(session: Session, volunteer_ids: list[uuid.UUID]) -> set[tuple[uuid.UUID, str, date]]:
    check = models.VolunteerCheck
    found: set[tuple[uuid.UUID, str, date]] = set()
    for start in range(0, len(volunteer_ids), 5_000):
        for volunteer_id, kind, obtained_on in session.execute(
            select(col(check.volunteer_id), col(check.kind), col(check.obtained_on)).where(
                col(check.deleted_at).is_(None), col(check.volunteer_id).in_(volunteer_ids[start : start + 5_000])
            )
        ):
            found.add((volunteer_id, str(getattr(kind, "value", kind)), obtained_on))
    return found


def _hide(
    session: Session,
    table: type[models.Volunteer] | type[models.VolunteerCheck],
    ids: tuple[uuid.UUID, ...],
    hidden: bool,
) -> None:
    for start in range(0, len(ids), 5_000):
        session.execute(
            update_rows(table)
            .where(col(table.id).in_(ids[start : start + 5_000]))
            .values(deleted_at=utcnow() if hidden else None)
        )


def _put_back(session: Session, states: tuple[dict[str, Any], ...]) -> None:
    now = utcnow()
    rows = as_read_now(session, models.Volunteer, [{**state, "updated_at": now} for state in states])
    for start in range(0, len(rows), _CHUNK):
        session.execute(update_by_id(models.Volunteer), rows[start : start + _CHUNK])


def undo_volunteer_import(session: Session, *, report: VolunteerImportReport) -> None:
    """Take a whole import back in one transaction: added volunteers and checks hidden (as a delete hides them),
    updated volunteers as they were."""
    with writing(session):
        _hide(session, models.VolunteerCheck, report.undo.checks, True)
        _hide(session, models.Volunteer, report.undo.added, True)
        _put_back(session, report.undo.before)


def redo_volunteer_import(session: Session, *, report: VolunteerImportReport) -> None:
    """Do an undone import again, as it was done."""
    with writing(session):
        _hide(session, models.Volunteer, report.undo.added, False)
        _hide(session, models.VolunteerCheck, report.undo.checks, False)
        _put_back(session, report.undo.after)
