"""Applying a parsed partner spreadsheet: plan each row, let the user decide, write it all in one go.

Reading and checking the file is ``importing/``'s job; here each valid record becomes an addition, an
update of the partner with the same name and sector, or a merge into a similar partner the user picked.
Everything is written in one transaction, so an import is all or nothing; ``dry_run`` rolls it back. The report
keeps what :func:`undo_import` and :func:`redo_import` need to take the whole import back, and to do it again, as
one step.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.db.backups import backup_before
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.store import writing
from cohesion_desktop.db.versions import update_rows
from cohesion_desktop.domain import RelationshipStage
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import _
from cohesion_desktop.importing.columns import skipped_line, skipped_rows, warning_count
from cohesion_desktop.importing.partners import ParsedPartners, PartnerRecord, RowProblem
from cohesion_desktop.services import partners
from cohesion_desktop.text import fold

PROGRESS_EVERY = 500  # rows between two progress reports


class Decision(StrEnum):
    ADD = "add"
    UPDATE = "update"  # the partner with the same name in the same sector
    MERGE = "merge"  # into a similar partner the user chose
    SKIP = "skip"


@dataclass(frozen=True)
class PlannedRow:
    record: PartnerRecord
    decision: Decision
    target_id: uuid.UUID | None = None
    target_name: str = ""
    similar: tuple[partners.SimilarPartner, ...] = ()
    # An earlier row of the same sheet, to be added too, with a similar name: (its row, its name).
    like_row: tuple[int, str] | None = None


@dataclass
class ImportPlan:
    parsed: ParsedPartners
    rows: list[PlannedRow]

    def choose(self, row: int, decision: Decision, target: partners.SimilarPartner | None = None) -> None:
        """The user's choice for spreadsheet row ``row`` (merge needs the partner to merge into)."""
        for index, planned in enumerate(self.rows):
            if planned.record.row == row:
                self.rows[index] = PlannedRow(
                    record=planned.record,
                    decision=decision,
                    target_id=target.id if target else None,
                    target_name=target.name if target else "",
                    similar=planned.similar,
                    like_row=planned.like_row,
                )
                return
        raise KeyError(row)


@dataclass(frozen=True)
class ImportUndo:
    """What an import wrote: the partners it added, the partners it updated as they were before and after, and the
    themes and places it made (or brought back)."""

    added: tuple[uuid.UUID, ...] = ()
    before: tuple[partners.PartnerState, ...] = ()
    after: tuple[partners.PartnerState, ...] = ()
    vocabulary: tuple[tuple[type[models.Theme] | type[models.Place], tuple[uuid.UUID, ...]], ...] = ()


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), row by row."""

    added: list[tuple[int, str]] = field(default_factory=list)
    updated: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # row, name, why
    warnings: list[RowProblem] = field(default_factory=list)
    look_alikes: list[tuple[int, str, str]] = field(default_factory=list)  # row, name added, similar existing
    # row, name added, the earlier row of the sheet added with a similar name, that row's name
    look_alikes_in_sheet: list[tuple[int, str, int, str]] = field(default_factory=list)
    dry_run: bool = False
    undo: ImportUndo = ImportUndo()

    def summary(self) -> str:
        said = (
            _("Would add {added}, would update {updated}, {skipped_rows}; {warnings}.")
            if self.dry_run
            else _("Added {added}, updated {updated}, {skipped_rows}; {warnings}.")
        )
        return said.format(
            added=format_number(len(self.added)),
            updated=format_number(len(self.updated)),
            skipped_rows=skipped_rows(len(self.skipped)),
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
        for row, name, similar in self.look_alikes:
            lines.append(
                "  "
                + _(
                    "row {row}: added {name}, which looks like '{similar}' – if they are the same, merge them in the "
                    "app (Partners → open one → Merge with…)"
                ).format(row=row, name=name, similar=similar)
            )
        for row, name, earlier_row, earlier_name in self.look_alikes_in_sheet:
            lines.append(
                "  "
                + _(
                    "row {row}: added {name}, which looks like '{similar}' (row {earlier_row}) – if they are the "
                    "same, merge them in the app (Partners → open one → Merge with…)"
                ).format(row=row, name=name, similar=earlier_name, earlier_row=earlier_row)
            )
        return lines


def plan_import(session: Session, parsed: ParsedPartners) -> ImportPlan:
    """Decide a default for each record: same name and sector → update; otherwise add, noting partners with
    similar names already in the directory and earlier rows of the sheet with similar names."""
    existing: dict[str, list[tuple[uuid.UUID, str, object]]] = {}
    for partner_id, name, sector in session.execute(
        select(col(models.Partner.id), col(models.Partner.name), col(models.Partner.sector)).where(
            col(models.Partner.deleted_at).is_(None)
        )
    ):
        existing.setdefault(fold(name), []).append((partner_id, name, sector))
    directory = partners.similar_names(session)
    # The sheet's rows to be added, under made-up ids that map back to their row numbers.
    sheet = partners.SimilarNames([])
    sheet_rows: dict[uuid.UUID, int] = {}
    planned: list[PlannedRow] = []
    for record in parsed.records:
        same_name = existing.get(fold(record.name), [])
        # A guessed sector must not turn an update into a duplicate: match on the name alone then.
        exact = [m for m in same_name if record.sector_was_guessed or m[2] == record.sector]
        if exact:
            target_id, target_name, _sector = exact[0]
            planned.append(
                PlannedRow(record=record, decision=Decision.UPDATE, target_id=target_id, target_name=target_name)
            )
            continue
        similar = tuple(
            s
            for s in directory.find_blocked(record.name)
            if fold(s.name) != fold(record.name) or s.sector != record.sector
        )
        earlier = sheet.find_blocked(record.name, limit=1)
        like_row = (sheet_rows[earlier[0].id], earlier[0].name) if earlier else None
        planned.append(PlannedRow(record=record, decision=Decision.ADD, similar=similar, like_row=like_row))
        sheet_rows[row_key := uuid.uuid4()] = record.row
        sheet.add(row_key, record.name, record.sector)
    return ImportPlan(parsed=parsed, rows=planned)


def _as_input(record: PartnerRecord) -> partners.PartnerInput:
    return partners.PartnerInput(
        name=record.name,
        sector=record.sector,
        is_sme=record.is_sme,
        remit=record.remit,
        website=record.website,
        relationship_stage=record.relationship_stage or RelationshipStage.IDENTIFIED,
        notes=record.notes,
        themes=record.themes,
        places=record.places,
        contacts=[
            partners.Contact(id=None, name=c.name, role=c.role, email=c.email, phone=c.phone)
            for c in record.contacts
            if c.name
        ],
    )


def apply_import(
    session: Session, plan: ImportPlan, *, dry_run: bool = False, progress: Callable[[str, float], None] | None = None
) -> ImportReport:
    """Write the plan in one transaction (or roll it back for a dry run) and report row by row.

    ``progress(stage, fraction)`` is told how far it got every few hundred rows (it may raise to stop: the
    transaction is then rolled back and nothing is written)."""
    told = progress or (lambda _stage, _fraction: None)
    total = max(1, len(plan.rows))
    report = ImportReport(dry_run=dry_run, warnings=[p for p in plan.parsed.problems if p.severity == "warning"])
    error_rows: dict[int, list[str]] = {}
    for problem in plan.parsed.problems:
        if problem.severity == "error":
            error_rows.setdefault(problem.row, []).append(problem.within_row())
    for row, messages in error_rows.items():
        report.skipped.append((row, "", "; ".join(messages)))

    if not dry_run and any(planned.decision != Decision.SKIP for planned in plan.rows):
        backup_before(session, "import")  # the file as it was, should the import turn out to be a mistake
    with writing(session) as transaction:
        vocabulary_before = {table: _live_ids(transaction, table) for table in (models.Theme, models.Place)}
        added_ids: list[uuid.UUID] = []
        added_names: dict[tuple[str, str], int] = {}
        added_rows: set[int] = set()
        new_partners = partners.NewPartners(transaction)
        updates: list[PlannedRow] = []
        for done, planned in enumerate(plan.rows):
            if done % PROGRESS_EVERY == 0:
                told(
                    _("Importing partners: row {done} of {total}…").format(
                        done=format_number(done), total=format_number(total)
                    ),
                    done / total,
                )
            record = planned.record
            if planned.decision == Decision.SKIP:
                report.skipped.append((record.row, record.name, "you chose to skip it"))
            elif planned.decision != Decision.ADD:
                updates.append(planned)
            elif (key := (fold(record.name), record.sector.value)) in added_names:
                report.skipped.append((record.row, record.name, f"same as row {added_names[key]}"))
            else:
                try:
                    added_ids.append(new_partners.add(_as_input(record)))
                except ValidationError as exc:
                    report.skipped.append((record.row, record.name, str(exc)))
                    continue
                added_names[key] = record.row
                added_rows.add(record.row)
                report.added.append((record.row, record.name))
                if planned.similar:
                    report.look_alikes.append((record.row, record.name, planned.similar[0].name))
                if planned.like_row and planned.like_row[0] in added_rows:
                    report.look_alikes_in_sheet.append((record.row, record.name, *planned.like_row))
        # Updates after every addition is written: a theme new to the file may be in both, and must be made once.
        new_partners.write()
        before = partners.partner_states(transaction, [p.target_id for p in updates if p.target_id is not None])
        for planned in updates:
            record = planned.record
            assert planned.target_id is not None
            try:
                partners.absorb_record(transaction, partner_id=planned.target_id, data=_as_input(record))
            except ValidationError as exc:
                report.skipped.append((record.row, record.name, str(exc)))
                continue
            report.updated.append((record.row, planned.target_name or record.name))
        transaction.flush()
        report.undo = ImportUndo(
            added=tuple(added_ids),
            before=tuple(before),
            after=tuple(partners.partner_states(transaction, [state.partner_id for state in before])),
            vocabulary=tuple(
                (table, tuple(_live_ids(transaction, table) - ids)) for table, ids in vocabulary_before.items()
            ),
        )
        if dry_run:
            # Leaving the block normally would commit: undo everything first.
            transaction.rollback()
    return report


def _live_ids(session: Session, table: type[models.Theme] | type[models.Place]) -> set[uuid.UUID]:
    return set(session.execute(select(col(table.id)).where(col(table.deleted_at).is_(None))).scalars())


def _hide(
    session: Session,
    table: type[models.Partner] | type[models.Theme] | type[models.Place],
    ids: tuple[uuid.UUID, ...],
    hidden: bool,
) -> None:
    for start in range(0, len(ids), 5_000):  # well within SQLite's limit of values in one statement
        session.execute(
            update_rows(table)
            .where(col(table.id).in_(ids[start : start + 5_000]))
            .values(deleted_at=utcnow() if hidden else None)
        )


def undo_import(session: Session, *, report: ImportReport) -> None:
    """Take a whole import back in one transaction: the partners it added are hidden (as a delete hides them),
    the partners it updated are as they were, and the themes and places it made are hidden again."""
    with writing(session):
        _hide(session, models.Partner, report.undo.added, True)
        partners.put_back(session, report.undo.before)
        for table, ids in report.undo.vocabulary:
            _hide(session, table, ids, True)


def redo_import(session: Session, *, report: ImportReport) -> None:
    """Do an undone import again, as it was done."""
    with writing(session):
        for table, ids in report.undo.vocabulary:
            _hide(session, table, ids, False)
        _hide(session, models.Partner, report.undo.added, False)
        partners.put_back(session, report.undo.after)
