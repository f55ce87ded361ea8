"""Merging another laptop's data file into this one (KeePassXC's "Merge from database", field by field).

:func:`merge_file` brings every change of OTHER into TARGET:

1. OTHER is checked without writing to it (missing, damaged, not ours or newer: refused, TARGET untouched) and
   copied with SQLite's online backup to a temporary folder; an older copy is upgraded there, never in place.
2. A backup of TARGET is made (not for a dry run). Then one transaction on TARGET, with the copy attached as
   ``other``, does everything; a dry run rolls it back and reports the same.
3. In the copy first: what every file makes for itself is matched by its stable key -- themes and places by
   name key, the built-in templates by their key (their rows are TARGET's), a placement by its volunteer and
   opportunity -- and given TARGET's id, links and history following. What TARGET erased is erased in the
   copy too (an erased volunteer never comes back).
4. Table by table, parents first: rows only in OTHER are added (``INSERT … SELECT``, never one by one); rows
   in both that differ are merged field by field (:func:`_merge_row`); rows removed for good in one file
   (a "removed" history row, KeePassXC's deleted objects) go from the other; links are joined, a link taken
   away after it was made on the other side stays away.
5. OTHER's history, laptops and settings (by key; newer wins) come too; volunteers erased in OTHER are
   erased here, and the file is wiped of their details after the commit (``volunteering.erasure``).

Field by field: a field whose changes (history rows) in one file are all known to the other takes the other's
value; changed in both since they parted, the newer change wins and the losing value is kept in the history as
a conflict (and reported). Without history on either side (data made before it was recorded, or example
data), the newer record wins. Deleting is a change like any other, weighed against the other side's latest
change of the record. The same rule both ways makes a merge symmetric and a second merge change nothing.

Partners of the two files with the same or a near-same name are not joined: they are reported as possible
duplicates for Partners → Merge with….
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Column, MetaData, Table, and_, delete, exists, insert, or_, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel

from cohesion_desktop.db import backups, bulk, history, migrations, models
from cohesion_desktop.db.history import HistoryAction, encode
from cohesion_desktop.db.sql import raw_id
from cohesion_desktop.db.sqlite_file import inspect_data_file, refuse_foreign_or_newer
from cohesion_desktop.db.store import FileStore, ServerStore, make_engine, storage_error_from
from cohesion_desktop.db.versions import update_rows
from cohesion_desktop.errors import CohesionError, DataFileError
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services import partners
from cohesion_desktop.services.search_text import opportunity_search_text, volunteer_search_text
from cohesion_desktop.services.volunteering import erasure
from cohesion_desktop.services.volunteering.volunteers import EDITABLE_FIELDS

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]

# What each kind of record is called in the report (translated where it is shown).
KIND_WORDS = {
    "theme": N_("themes"),
    "place": N_("places"),
    "partner": N_("partners"),
    "contact": N_("contacts"),
    "opportunity": N_("opportunities"),
    "volunteer": N_("volunteers"),
    "volunteer_check": N_("checks and training"),
    "placement": N_("placements"),
    "hours_entry": N_("hours entries"),
    "recognition": N_("thanks and awards"),
    "matrix_template": N_("matrix templates"),
    "matrix_template_row": N_("template rows"),
    "workshop": N_("workshops"),
    "workshop_row": N_("workshop rows"),
    "matrix_entry": N_("matrix entries"),
    "action": N_("actions"),
    "partner_theme": N_("partners' themes"),
    "partner_place": N_("partners' places"),
    "workshop_partner": N_("workshops' partners"),
    "opportunity_requirement": N_("opportunities' required checks"),
    "setting": N_("settings"),
    "laptop": N_("laptops"),
    "history": N_("history entries"),
}

# A record's version counts the saves of this copy (db/versions.py): not data to merge. A row the merge changes
# counts one more save here (update_rows), so a team member's save of what it had read before is refused.
_NOT_MERGED = frozenset({"id", "created_at", "updated_at", "search_text", models.VERSION_COLUMN})
# Settings that describe this copy, never taken from another file.
_LOCAL_SETTINGS = frozenset({"erasure_wipe_pending"})
# The personal fields of a volunteer, taken together from an erased record.
_PERSONAL = (*EDITABLE_FIELDS, "erased_at")
DUPLICATES_LISTED = 50
CONFLICTS_LISTED = 50


@dataclass
class KindCount:
    added: int = 0
    updated: int = 0
    deleted: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.deleted)


@dataclass(frozen=True)
class Conflict:
    """A field changed in both files: the newer value was kept, the other is in the record's history."""

    kind: str
    record_id: uuid.UUID
    record: str  # its name or title
    field: str
    kept: str | None
    lost: str | None
    kept_from_other: bool


@dataclass(frozen=True)
class PossibleDuplicate:
    here: str
    other: str
    score: float


@dataclass
class MergeReport:
    """What a merge did (or, for a dry run, would do)."""

    other: Path
    dry_run: bool
    counts: dict[str, KindCount] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    duplicates: list[PossibleDuplicate] = field(default_factory=list)
    erased: int = 0  # volunteers erased in the other file, erased here too
    upgraded_from: int | None = None  # the other file's older data format
    backup: Path | None = None
    unfinished_wipe: str | None = None
    into_team_database: bool = False  # merged into a team database rather than a data file

    def count(self, kind: str) -> KindCount:
        return self.counts.setdefault(kind, KindCount())

    @property
    def changed_anything(self) -> bool:
        return any(self.counts.values()) or bool(self.erased)

    def lines(self) -> list[str]:
        """The report in words, one line each (the CLI prints them, the window shows them)."""
        if self.dry_run:
            said = [
                (
                    _("Dry run: nothing was written. Would merge {other} into the team database.")
                    if self.into_team_database
                    else _("Dry run: nothing was written. Would merge {other} into this data file.")
                ).format(other=self.other.name)
            ]
        elif self.into_team_database:
            said = [_("Merged {other} into the team database.").format(other=self.other.name)]
        else:
            said = [_("Merged {other} into this data file.").format(other=self.other.name)]
        if self.upgraded_from is not None:
            said.append(
                _("It was in an older data format (version {version}), upgraded in a copy first.").format(
                    version=self.upgraded_from
                )
            )
        if not self.changed_anything:
            said.append(_("Nothing to bring over: this file already holds everything the other one does."))
        for kind, words in KIND_WORDS.items():
            count = self.counts.get(kind)
            if count:
                parts = [
                    label.format(n=format_number(number))
                    for number, label in (
                        (count.added, _("{n} added")),
                        (count.updated, _("{n} updated")),
                        (count.deleted, _("{n} deleted")),
                    )
                    if number
                ]
                said.append("  " + _("{kind}: {counts}").format(kind=_(words).capitalize(), counts=", ".join(parts)))
        if self.erased:
            said.append(
                "  "
                + ngettext(
                    "{n} volunteer erased in the other file is erased here too.",
                    "{n} volunteers erased in the other file are erased here too.",
                    self.erased,
                ).format(n=format_number(self.erased))
            )
        if self.conflicts:
            said.append(
                ngettext(
                    "{n} field was changed in both files; the newer change was kept and the other value is in the "
                    "record's history:",
                    "{n} fields were changed in both files; the newer change was kept and the other value is in the "
                    "record's history:",
                    len(self.conflicts),
                ).format(n=format_number(len(self.conflicts)))
            )
            for conflict in self.conflicts[:CONFLICTS_LISTED]:
                kept = (
                    _("{kind} “{record}”, {field}: kept the other file's {kept} over {lost}")
                    if conflict.kept_from_other
                    else _("{kind} “{record}”, {field}: kept this file's {kept} over {lost}")
                )
                kind_words = KIND_WORDS.get(conflict.kind)
                said.append(
                    "  "
                    + kept.format(
                        kind=(_(kind_words) if kind_words else conflict.kind).capitalize(),
                        record=conflict.record,
                        field=conflict.field,
                        kept=_quoted(conflict.kept),
                        lost=_quoted(conflict.lost),
                    )
                )
        if self.duplicates:
            said.append(
                ngettext(
                    "{n} partner from the other file has the same or a near-same name as one here; they were not "
                    "joined. If they are the same organisation, use Merge with… on the partner:",
                    "{n} partners from the other file have the same or a near-same name as one here; they were not "
                    "joined. If they are the same organisation, use Merge with… on the partner:",
                    len(self.duplicates),
                ).format(n=format_number(len(self.duplicates)))
            )
            for duplicate in self.duplicates[:DUPLICATES_LISTED]:
                said.append(
                    "  "
                    + _("“{other}” (from the other file) and “{here}”").format(
                        other=duplicate.other, here=duplicate.here
                    )
                )
        if self.backup is not None:
            said.append(_("A backup of this file was made first: {path}").format(path=self.backup))
        if self.unfinished_wipe:
            said.append(
                _("The erased details are not yet wiped from the file's journal: {why}.").format(
                    why=self.unfinished_wipe
                )
            )
        return said


def _quoted(value: str | None) -> str:
    if value is None or value == "":
        return _("(blank)")
    flat = " ".join(value.split())
    return f"“{flat[:60]}…”" if len(flat) > 60 else f"“{flat}”"


# ---------------------------------------------------------------------------- the two files' tables


_MAIN = SQLModel.metadata
_OTHER = MetaData()
# Into a team database, the other file's tables are copied into temporary tables of the server's session instead of
# attached (a server cannot attach a file): while this is set, :func:`_other` names those.
_STAGED = MetaData()
_ON_SERVER: ContextVar[bool] = ContextVar("merging_on_server", default=False)
STAGED_PREFIX = "merge_other_"


def _main(name: str) -> Table:
    return _MAIN.tables[name]


def _other(name: str) -> Table:
    """The same table in the attached file (no constraints: only its columns are read and written), to change it.

    A statement that names a table of both files reads the copy's through :func:`_o` (and this file's, in a
    statement that changes the copy, through :func:`_m`): two tables of one name in one statement are told apart
    by SQLite only through aliases.
    """
    if _ON_SERVER.get():
        found = _STAGED.tables.get(f"pg_temp.{STAGED_PREFIX}{name}")
        if found is None:
            columns = (Column(c.name, c.type) for c in _main(name).columns)
            found = Table(f"{STAGED_PREFIX}{name}", _STAGED, *columns, schema="pg_temp")
        return found
    found = _OTHER.tables.get(f"other.{name}")
    if found is None:
        found = Table(name, _OTHER, *(Column(c.name, c.type) for c in _main(name).columns), schema="other")
    return found


# Aliases and statements made once per table and per place of the other file's tables (attached, or staged on a
# server), not at every merge: making them (each alias makes a copy of every column) cost more CPU than SQLite spent
# running them on small files, and a statement made once works out its key in SQLAlchemy's cache of compiled SQL once.
_BUILT: dict[tuple[str, str, bool], Any] = {}
_Built = TypeVar("_Built")


def _built(what: str, name: str, build: Callable[[], _Built]) -> _Built:
    key = (what, name, _ON_SERVER.get())
    found = _BUILT.get(key)
    if found is None:
        found = _BUILT[key] = build()
    return cast(_Built, found)


def _o(name: str) -> Any:
    return _built("o", name, lambda: _other(name).alias(f"o_{name}"))


def _m(name: str) -> Any:
    return _built("m", name, lambda: _main(name).alias(f"m_{name}"))


def _entity_tables() -> list[str]:
    """The tables of records, parents before children."""
    return [t.name for t in _MAIN.sorted_tables if t.name in history.RECORDED]


def _rowcount(result: Any) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) and result.rowcount > 0 else 0


# ---------------------------------------------------------------------------- checking and copying OTHER


def _prepare_copy(other: Path, target: Path | None, folder: Path) -> tuple[Path, int | None]:
    """A checked copy of ``other`` in ``folder``, upgraded to this version's format; and the version it had
    when older. Raises CohesionError (nothing was changed) for a missing, damaged, foreign or newer file."""
    other = Path(other).expanduser()
    if not other.exists():
        raise CohesionError(_("Nothing was merged: there is no file at {path}.").format(path=other))
    if other.is_dir():
        raise CohesionError(_("Nothing was merged: {path} is a folder, not a data file.").format(path=other))
    if target is not None and other.resolve() == Path(target).resolve():
        raise CohesionError(
            _("Nothing was merged: that is the data file already open. Choose the other laptop's copy.")
        )
    try:
        facts = inspect_data_file(other)
        refuse_foreign_or_newer(other, facts)
    except DataFileError as exc:
        # Said of the other file, in plain words: the remedies offered for the open file do not apply to it.
        raise CohesionError(_("Nothing was merged: {why}").format(why=exc)) from exc
    if facts.table_count == 0:
        raise CohesionError(
            _("Nothing was merged: {path} holds no data (it is an empty SQLite file).").format(path=other)
        )
    copy = folder / "other.sqlite"
    backups.copy_database(other, copy)
    upgraded_from = None
    if facts.schema_version < migrations.SCHEMA_VERSION:
        engine = make_engine(copy, wal=False)
        try:
            migrations.upgrade(engine, from_version=facts.schema_version)
        except Exception as exc:
            raise CohesionError(
                _("Nothing was merged: the older file {path} could not be upgraded in a copy ({why}).").format(
                    path=other, why=exc
                )
            ) from exc
        finally:
            engine.dispose()
        upgraded_from = facts.schema_version
    return copy, upgraded_from


# ---------------------------------------------------------------------------- matching by stable keys


def _move_id(
    session: Session, references: Sequence[tuple[str, str]], fields: Sequence[str], old: Any, new: Any
) -> None:
    """In the copy: every reference to ``old`` (and its history, by record and as a value) now names ``new``."""
    for table_name, column in references:
        table = _other(table_name)
        session.execute(update_rows(table).where(table.c[column] == old).values({column: new}))
    entries = _other("history")
    session.execute(update_rows(entries).where(entries.c.record_id == old).values(record_id=new))
    if fields:
        old_text, new_text = encode(old), encode(new)
        for side in ("old", "new"):
            session.execute(
                update_rows(entries)
                .where(entries.c.field.in_(fields), entries.c[side] == old_text)
                .values({side: new_text})
            )


def _match_by_key(session: Session, name: str, key: Any, *, where: Any = None) -> list[tuple[Any, Any]]:
    """Pairs (other id, target id) of records that are the same by ``key`` (a column, or columns) but not by id,
    where the target's id is free in the copy."""
    mine, theirs = _m(name), _o(name)
    keys = key if isinstance(key, tuple) else (key,)
    query = (
        select(theirs.c.id, mine.c.id)
        .join(mine, and_(*[mine.c[k] == theirs.c[k] for k in keys]))
        .where(
            theirs.c.id != mine.c.id,
            ~theirs.c.id.in_(select(_main(name).c.id)),
            ~mine.c.id.in_(select(_o(name).c.id)),
        )
    )
    if where is not None:
        query = query.where(where(mine, theirs))
    return [(row[0], row[1]) for row in session.execute(query).all()]


def _match_stable_keys(session: Session) -> None:
    """Step 3: the copy's themes, places, built-in templates and placements take TARGET's ids (see the docstring)."""
    vocabulary = {
        "theme": ([("partner_theme", "theme_id")], ["themes"]),
        "place": (
            [("partner_place", "place_id"), ("opportunity", "place_id"), ("workshop", "place_id")],
            ["places", "place_id"],
        ),
    }
    for name, (references, fields) in vocabulary.items():
        for old, new in _match_by_key(session, name, "name_key"):
            session.execute(update_rows(_other(name)).where(_other(name).c.id == old).values(id=new))
            _move_id(session, references, fields, old, new)
    templates = _other("matrix_template")
    for old, new in _match_by_key(
        session, "matrix_template", "builtin_key", where=lambda mine, _theirs: mine.c.builtin_key.is_not(None)
    ):
        # The built-in rows are each file's own copy of one list: TARGET's stay, the copy's go.
        rows = _other("matrix_template_row")
        session.execute(delete(rows).where(rows.c.template_id == old))
        session.execute(update_rows(templates).where(templates.c.id == old).values(id=new))
        _move_id(session, [("workshop", "template_id")], ["template_id"], old, new)
    for old, new in _match_by_key(session, "placement", ("volunteer_id", "opportunity_id")):
        session.execute(update_rows(_other("placement")).where(_other("placement").c.id == old).values(id=new))
        _move_id(session, [("hours_entry", "placement_id")], [], old, new)


def _erased_here_stay_erased(session: Session, erased: set[Any]) -> None:
    """What TARGET erased is erased in the copy: its checks and thanks, placement notes and new hours' texts."""
    if not erased:
        return
    ids = list(erased)
    for name in ("volunteer_check", "recognition"):
        table = _other(name)
        session.execute(delete(table).where(table.c.volunteer_id.in_(ids)))
    placements, hours = _other("placement"), _other("hours_entry")
    session.execute(update_rows(placements).where(placements.c.volunteer_id.in_(ids)).values(notes=""))
    theirs = select(placements.c.id).where(placements.c.volunteer_id.in_(ids))
    session.execute(
        update_rows(hours)
        .where(hours.c.placement_id.in_(theirs), ~hours.c.id.in_(select(_m("hours_entry").c.id)))
        .values(activity="")
    )


# ---------------------------------------------------------------------------- field by field


@dataclass
class _Changes:
    """One record's history rows of kind "changed" in one file: per field, the ids and the latest time."""

    ids: dict[str, set[Any]] = field(default_factory=dict)
    latest: dict[str, datetime] = field(default_factory=dict)

    def add(self, name: str, entry_id: Any, at: datetime) -> None:
        self.ids.setdefault(name, set()).add(entry_id)
        if name not in self.latest or at > self.latest[name]:
            self.latest[name] = at

    def unknown_to(self, other: _Changes, name: str) -> set[Any]:
        return self.ids.get(name, set()) - other.ids.get(name, set())

    def newest_not_in(self, other: _Changes) -> datetime | None:
        """The latest change of any field that ``other`` has not seen."""
        return max(
            (
                self.latest[name]
                for name, ids in self.ids.items()
                if ids - other.ids.get(name, set()) and name in self.latest
            ),
            default=None,
        )


def _changes_of(session: Session, entries: Table, kind: str, ids: Sequence[Any]) -> dict[Any, _Changes]:
    found: dict[Any, _Changes] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(entries.c.record_id, entries.c.field, entries.c.id, entries.c.at).where(
                entries.c.record_kind == kind,
                entries.c.action == HistoryAction.CHANGED,
                entries.c.record_id.in_(ids[start : start + 500]),
            )
        ).all()
        for record_id, name, entry_id, at in rows:
            found.setdefault(record_id, _Changes()).add(name, entry_id, at)
    return found


def _newer(mine: Any, theirs: Any) -> bool | None:
    """Whether ``theirs`` is later than ``mine`` (None when equal)."""
    if mine == theirs:
        return None
    if mine is None:
        return True
    if theirs is None:
        return False
    return bool(theirs > mine)


def _tie_break(mine: Any, theirs: Any) -> bool:
    """The same answer whichever file is merged into which: the larger value as text."""
    return (encode(theirs) or "") > (encode(mine) or "")


@dataclass
class _Outcome:
    take: dict[str, Any]  # the fields to set in TARGET, with OTHER's values
    conflicts: list[tuple[str, Any, Any, bool]]  # field, kept, lost, kept from other


def _merge_row(
    kind: str,
    columns: Sequence[str],
    mine: dict[str, Any],
    theirs: dict[str, Any],
    my_changes: _Changes,
    their_changes: _Changes,
) -> _Outcome:
    """Which of OTHER's field values TARGET takes (see the module docstring)."""
    take: dict[str, Any] = {}
    conflicts: list[tuple[str, Any, Any, bool]] = []
    differing = [name for name in columns if name not in _NOT_MERGED and mine[name] != theirs[name]]
    if kind == "volunteer" and (mine["erased_at"] is not None or theirs["erased_at"] is not None):
        # An erasure wins over everything, and is never undone by a file made before it.
        if mine["erased_at"] is None:
            take = {name: theirs[name] for name in _PERSONAL if mine[name] != theirs[name]}
        differing = [name for name in differing if name not in _PERSONAL]
    record_newer = _newer(mine["updated_at"], theirs["updated_at"])
    for name in differing:
        mine_unknown = my_changes.unknown_to(their_changes, name)
        theirs_unknown = their_changes.unknown_to(my_changes, name)
        if name == "deleted_at":
            # Deleting (or restoring) weighs against the latest change the other side has not seen.
            mine_time = my_changes.newest_not_in(their_changes)
            theirs_time = their_changes.newest_not_in(my_changes)
            winner = _newer(mine_time, theirs_time)
            if winner is None:
                winner = record_newer if record_newer is not None else _tie_break(mine[name], theirs[name])
            if winner:
                take[name] = theirs[name]
            continue
        if theirs_unknown and not mine_unknown:
            winner = True
        elif mine_unknown and not theirs_unknown:
            winner = False
        else:
            if mine_unknown and theirs_unknown:
                later = _newer(my_changes.latest.get(name), their_changes.latest.get(name))
            else:
                later = record_newer  # no history either side: the newer record
            winner = later if later is not None else _tie_break(mine[name], theirs[name])
            if mine_unknown and theirs_unknown:
                kept, lost = (theirs[name], mine[name]) if winner else (mine[name], theirs[name])
                conflicts.append((name, kept, lost, winner))
        if winner:
            take[name] = theirs[name]
    return _Outcome(take, conflicts)


def _label(row: dict[str, Any]) -> str:
    for key in ("name", "title", "text", "key"):
        value = row.get(key)
        if isinstance(value, str) and value:
            return value
    return _("a record")


def _both_differ(name: str) -> Any:
    """The rows in both files that differ, each file's fields side by side (``m_…``, ``o_…``)."""
    mine, theirs = _m(name), _o(name)
    columns = [c.name for c in mine.columns]
    compared = [c for c in columns if c not in ("id", "search_text", models.VERSION_COLUMN)]
    differs = or_(*[mine.c[c].is_distinct_from(theirs.c[c]) for c in compared])
    return (
        select(*[mine.c[c].label(f"m_{c}") for c in columns], *[theirs.c[c].label(f"o_{c}") for c in columns])
        .join(theirs, theirs.c.id == mine.c.id)
        .where(differs)
    )


def _merge_both(session: Session, name: str, report: MergeReport, touched: dict[str, set[Any]]) -> None:
    """Rows in both files that differ: field by field (step 4)."""
    columns = [c.name for c in _main(name).columns]
    pairs = session.execute(_built("both_differ", name, lambda: _both_differ(name))).all()
    if not pairs:
        return
    ids = [row[0] for row in pairs]
    mine_changes = _changes_of(session, _main("history"), name, ids)
    theirs_changes = _changes_of(session, _o("history"), name, ids)
    count = report.count(name)
    for row in pairs:
        values = row._mapping
        my_row = {c: values[f"m_{c}"] for c in columns}
        their_row = {c: values[f"o_{c}"] for c in columns}
        outcome = _merge_row(
            name,
            columns,
            my_row,
            their_row,
            mine_changes.get(my_row["id"], _Changes()),
            theirs_changes.get(my_row["id"], _Changes()),
        )
        for field_name, kept, lost, _from_other in outcome.conflicts:
            history.note(
                session,
                kind=name,
                record_id=my_row["id"],
                action=HistoryAction.CONFLICT,
                name=field_name,
                old=encode(lost),
                new=encode(kept),
            )
        report.conflicts += [
            Conflict(name, my_row["id"], _label(my_row), field_name, encode(kept), encode(lost), from_other)
            for field_name, kept, lost, from_other in outcome.conflicts
        ]
        latest = max(my_row["updated_at"], their_row["updated_at"])
        # Records matched by key (built-in themes, templates) were made by each file: the first making stands.
        first = min(my_row["created_at"], their_row["created_at"])
        if not outcome.take and latest == my_row["updated_at"] and first == my_row["created_at"]:
            continue
        for field_name, value in outcome.take.items():
            history.note(
                session,
                kind=name,
                record_id=my_row["id"],
                action=HistoryAction.MERGED,
                name=field_name,
                old=encode(my_row[field_name]),
                new=encode(value),
            )
        table = _main(name)
        session.execute(
            update_rows(table)
            .where(table.c.id == my_row["id"])
            .values(**outcome.take, updated_at=latest, created_at=first)
        )
        if outcome.take:
            touched.setdefault(name, set()).add(my_row["id"])
            if outcome.take.get("deleted_at") is not None and my_row["deleted_at"] is None:
                count.deleted += 1
            else:
                count.updated += 1


def _foreign_keys_present(theirs: Table, name: str) -> list[Any]:
    """Conditions that a row of the copy's table points only at records TARGET holds (after their merge)."""
    conditions = []
    for key in _main(name).foreign_keys:
        column = theirs.c[key.parent.name]
        target = _main(key.column.table.name).alias(f"parent_{key.parent.name}")
        # EXISTS, looked up row by row: with IN, SQLite may walk every pair of parents to find the copy's rows.
        condition = exists().where(target.c[key.column.name] == column).correlate(theirs)
        conditions.append(or_(column.is_(None), condition) if key.parent.nullable else condition)
    return conditions


def _add_new(session: Session, name: str, report: MergeReport, added: dict[str, set[Any]]) -> None:
    """Rows only in OTHER, in one ``INSERT … SELECT`` (not those TARGET removed for good)."""
    new_ids, insert_new = _built("add_new", name, lambda: _only_in_other(name))
    if name == "partner":  # kept for the possible duplicates (step 5)
        added[name] = set(session.execute(new_ids).scalars())
    report.count(name).added += _rowcount(session.execute(insert_new))


def _only_in_other(name: str) -> tuple[Any, Any]:
    """The ids of the rows only in OTHER that TARGET takes, and the statement adding them."""
    mine, theirs = _main(name), _o(name)
    removed_here = select(_main("history").c.record_id).where(_main("history").c.action == HistoryAction.REMOVED)
    conditions = [
        ~theirs.c.id.in_(select(mine.c.id)),
        ~theirs.c.id.in_(removed_here),
        *_foreign_keys_present(theirs, name),
    ]
    columns = [c.name for c in mine.columns]
    return (
        select(theirs.c.id).where(*conditions),
        insert(mine).from_select(columns, select(*[theirs.c[c] for c in columns]).where(*conditions)),
    )


def _remove_removed(session: Session, name: str, report: MergeReport) -> None:
    """Rows OTHER removed for good (a "removed" history row) after TARGET last changed them."""

    def build() -> Any:
        mine, theirs = _main(name), _o(name)
        there = _o("history")
        removed_there = (
            select(there.c.record_id)
            .where(
                there.c.action == HistoryAction.REMOVED, there.c.record_id == mine.c.id, there.c.at >= mine.c.updated_at
            )
            .exists()
        )
        return delete(mine).where(~mine.c.id.in_(select(theirs.c.id)), removed_there)

    result = session.execute(_built("remove_removed", name, build))
    report.count(name).deleted += _rowcount(result)


def _merge_links(session: Session, name: str, report: MergeReport, touched: dict[str, set[Any]]) -> None:
    """Links of both files joined; one taken away on one side after it was made on the other stays away."""
    owners_to_add, add, owners_to_remove, remove = _built("links", name, lambda: _link_statements(name))
    owners_added = set(session.execute(owners_to_add).scalars())
    report.count(name).added += _rowcount(session.execute(add))
    owners_gone = set(session.execute(owners_to_remove).scalars())
    report.count(name).deleted += _rowcount(session.execute(remove))
    touched.setdefault(history.LINKS[name].owner_kind, set()).update(owners_added | owners_gone)


def _link_statements(name: str) -> tuple[Any, Any, Any, Any]:
    """The owners of the links to add, adding them; the owners of the links to remove, removing them."""
    spec = history.LINKS[name]
    mine, theirs = _main(name), _o(name)
    owner, other = spec.owner_column, spec.other_column

    def taken_away(entries: Table, link: Table) -> Any:
        entry = entries.alias("taken_away")
        return (
            select(entry.c.id)
            .where(
                entry.c.record_id == link.c[owner],
                entry.c.field == spec.field,
                entry.c.old == raw_id(link.c[other]),  # the history keeps an id as its hex
                entry.c.new.is_(None),
                entry.c.at > link.c.created_at,
            )
            .correlate(link)
            .exists()
        )

    def in_(link: Table, where: Table) -> Any:
        found = where.alias("linked_there")
        return exists().where(found.c[owner] == link.c[owner], found.c[other] == link.c[other]).correlate(link)

    wanted = [~in_(theirs, mine), ~taken_away(_main("history"), theirs), *_foreign_keys_present(theirs, name)]
    new_links = select(*[theirs.c[c.name] for c in mine.columns]).where(*wanted)
    gone = and_(~in_(mine, _other(name)), taken_away(_other("history"), mine))
    return (
        select(theirs.c[owner]).where(*wanted),
        insert(mine).from_select([c.name for c in mine.columns], new_links),
        select(mine.c[owner]).where(gone),
        delete(mine).where(gone),
    )


def _merge_history_laptops_settings(session: Session, report: MergeReport) -> None:
    for name in ("laptop", "history"):
        mine, theirs = _main(name), _o(name)
        columns = [c.name for c in mine.columns]
        result = session.execute(
            insert(mine).from_select(
                columns, select(*[theirs.c[c] for c in columns]).where(~theirs.c.id.in_(select(mine.c.id)))
            )
        )
        report.count(name).added += _rowcount(result)
    laptops, other_laptops = _main("laptop"), _o("laptop")
    for laptop_id, name, at in session.execute(
        select(other_laptops.c.id, other_laptops.c.name, other_laptops.c.updated_at)
        .join(laptops, laptops.c.id == other_laptops.c.id)
        .where(laptops.c.name != other_laptops.c.name, other_laptops.c.updated_at > laptops.c.updated_at)
    ).all():
        session.execute(update_rows(laptops).where(laptops.c.id == laptop_id).values(name=name, updated_at=at))
    settings, other_settings = _main("setting"), _o("setting")
    local = other_settings.c.key.in_(_LOCAL_SETTINGS)
    result = session.execute(
        insert(settings).from_select(
            [c.name for c in settings.columns],
            select(*other_settings.c).where(~other_settings.c.key.in_(select(settings.c.key)), ~local),
        )
    )
    report.count("setting").added += _rowcount(result)
    for key, value, at in session.execute(
        select(other_settings.c.key, other_settings.c.value, other_settings.c.updated_at)
        .join(settings, settings.c.key == other_settings.c.key)
        .where(
            ~local,
            settings.c.value != other_settings.c.value,
            or_(
                other_settings.c.updated_at > settings.c.updated_at,
                and_(other_settings.c.updated_at == settings.c.updated_at, other_settings.c.value > settings.c.value),
            ),
        )
    ).all():
        session.execute(update_rows(settings).where(settings.c.key == key).values(value=value, updated_at=at))
        report.count("setting").updated += 1


def _erased(session: Session) -> set[Any]:
    volunteers = _main("volunteer")
    return set(session.execute(select(volunteers.c.id).where(volunteers.c.erased_at.is_not(None))).scalars())


def _refresh_search_text(session: Session, touched: dict[str, set[Any]]) -> None:
    """The folded search text of every record whose fields, links or contacts the merge changed. Their times of
    change stay as merged: search text is worked out from the fields, not a change of its own."""
    partner_ids = set(touched.get("partner", set()))
    if touched.get("contact"):
        contacts = _main("contact")
        partner_ids |= set(
            session.execute(select(contacts.c.partner_id).where(contacts.c.id.in_(touched["contact"]))).scalars()
        )
    kept: dict[str, list[tuple[Any, Any]]] = {}
    for name, ids in (
        ("partner", partner_ids),
        ("volunteer", touched.get("volunteer", set())),
        ("opportunity", touched.get("opportunity", set())),
    ):
        table, listed = _main(name), list(ids)
        kept[name] = []
        for start in range(0, len(listed), 500):
            kept[name] += [
                (row[0], row[1])
                for row in session.execute(
                    select(table.c.id, table.c.updated_at).where(table.c.id.in_(listed[start : start + 500]))
                ).all()
            ]
    partners.refresh_search_text(session, partner_ids)
    for volunteer_id in touched.get("volunteer", set()):
        person = session.get(models.Volunteer, volunteer_id)
        if person is not None and person.erased_at is None:  # an erased person's search text stays blank
            person.search_text = volunteer_search_text(
                name=person.name, email=person.email, phone=person.phone, skills=person.skills
            )
    for opportunity_id in touched.get("opportunity", set()):
        offer = session.get(models.Opportunity, opportunity_id)
        if offer is None:
            continue
        host = session.get(models.Partner, offer.host_partner_id)
        supporter = session.get(models.Partner, offer.supporting_partner_id) if offer.supporting_partner_id else None
        place = session.get(models.Place, offer.place_id) if offer.place_id else None
        offer.search_text = opportunity_search_text(
            title=offer.title,
            description=offer.description,
            skills=offer.skills,
            host=host.name if host else "",
            supporter=supporter.name if supporter else "",
            place=place.name if place else "",
        )
    session.flush()
    for name, rows in kept.items():
        table = _main(name)
        for record_id, updated_at in rows:
            session.execute(update_rows(table).where(table.c.id == record_id).values(updated_at=updated_at))


def _possible_duplicates(
    session: Session, before: partners.SimilarNames, added: Iterable[Any], report: MergeReport
) -> None:
    table = _main("partner")
    ids = list(added)
    for start in range(0, len(ids), 500):
        for _id, name in session.execute(
            select(table.c.id, table.c.name).where(table.c.id.in_(ids[start : start + 500]))
        ).all():
            for similar in before.find_blocked(name, limit=1):
                report.duplicates.append(PossibleDuplicate(here=similar.name, other=name, score=similar.score))
    report.duplicates.sort(key=lambda d: (-d.score, d.other))


# ---------------------------------------------------------------------------- the merge


def _merge_in(session: Session, report: MergeReport, say: Progress, *, removals_last: bool = False) -> None:
    """Steps 3 to 5 in ``session``'s transaction, which sees the other file's tables through :func:`_other`; the
    caller commits or rolls back. ``removals_last``: records the other file removed for good go after everything
    else, children first (a server checks each foreign key at once; a file checks them at commit)."""
    say(_("Matching the two files' records…"), -1)
    erased_before = _erased(session)
    before = partners.similar_names(session)
    _match_stable_keys(session)
    _erased_here_stay_erased(session, erased_before)
    touched: dict[str, set[Any]] = {}
    added: dict[str, set[Any]] = {}
    tables = _entity_tables()
    for number, name in enumerate(tables):
        say(_("Merging {kind}…").format(kind=_(KIND_WORDS[name])), number / (len(tables) + 2))
        _merge_both(session, name, report, touched)
        _add_new(session, name, report, added)
        if not removals_last:
            _remove_removed(session, name, report)
    for name in history.LINKS:
        _merge_links(session, name, report, touched)
    if removals_last:
        for name in reversed(tables):
            _remove_removed(session, name, report)
    say(_("Merging the history…"), len(tables) / (len(tables) + 2))
    _merge_history_laptops_settings(session, report)
    newly_erased = _erased(session) - erased_before
    for volunteer_id in newly_erased:
        erasure.blank_erased_volunteer(session, volunteer_id=volunteer_id)
    report.erased = len(newly_erased)
    erased_now = _erased(session)
    if erased_now:  # the other file's history of them may hold what was erased
        history.wipe_values(session, erasure.records_of_volunteers(session, erased_now))
    # A partner new here came with its search text, made from the same names and links.
    touched["partner"] = touched.get("partner", set()) - added.get("partner", set())
    _refresh_search_text(session, touched)
    _possible_duplicates(session, before, added.get("partner", set()), report)


def merge_file(
    store: FileStore, *, other: Path, dry_run: bool = False, progress: Progress | None = None
) -> MergeReport:
    """Bring every change of the data file ``other`` into ``store``'s file (see the module docstring).

    Raises CohesionError, TARGET untouched, when ``other`` is missing, damaged, not a data file of ours, newer
    than this version, or when the backup made first cannot be made.
    """
    say = progress or (lambda _stage, _fraction: None)
    report = MergeReport(other=Path(other), dry_run=dry_run)
    folder = Path(tempfile.mkdtemp(prefix="cohesion-merge-"))
    try:
        say(_("Checking the other file…"), -1)
        copy, report.upgraded_from = _prepare_copy(Path(other), store.path, folder)
        if not dry_run:
            say(_("Making a backup first…"), -1)
            report.backup = backups.backup_before(store.path, "merge")
        with store.with_attached(copy) as session, history.paused(session):
            _merge_in(session, report, say)
            if dry_run:
                session.rollback()
            else:
                say(_("Saving…"), -1)
                session.commit()
        if not dry_run and report.erased:
            say(_("Wiping the erased details from the file…"), -1)
            with store.session() as session:
                report.unfinished_wipe = erasure.finish_erasure(session)
    except sqlite3.Error as exc:
        raise CohesionError(_("Nothing was merged: SQLite could not read or write ({why}).").format(why=exc)) from exc
    except DBAPIError as exc:  # the transaction was rolled back: this file is as it was (but for the backup)
        raise CohesionError(
            _("Nothing was merged: {why}").format(why=storage_error_from(exc, store.path, saving=False))
        ) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    log.info("merged %s (dry run: %s): %s", other, dry_run, {k: vars(v) for k, v in report.counts.items()})
    return report


# Rows read from the other file at a time while it is copied to the server.
_STAGED_ROWS_AT_A_TIME = 5000


@contextmanager
def _other_file_on_server(session: Session, copy: Path) -> Iterator[None]:
    """Within it, :func:`_other` names temporary tables of ``session``'s transaction on the server holding the
    rows of the data file ``copy`` (read through its own SQLite engine: a server cannot attach a file)."""
    token = _ON_SERVER.set(True)
    source_engine = make_engine(copy, wal=False)
    try:
        # psycopg reports how many rows an INSERT … SELECT wrote only when asked to keep it (the report's counts).
        connection = session.connection(execution_options={"preserve_rowcount": True})
        with source_engine.connect() as source:
            streamed = source.execution_options(stream_results=True, yield_per=_STAGED_ROWS_AT_A_TIME)
            for table in _MAIN.sorted_tables:
                parts = (
                    [dict(row) for row in part] for part in streamed.execute(select(table)).mappings().partitions()
                )
                bulk.staged_copy(connection, table, _other(table.name), parts)
        yield
    finally:
        source_engine.dispose()
        _ON_SERVER.reset(token)


def merge_into_team_database(
    store: ServerStore, *, other: Path, dry_run: bool = False, progress: Progress | None = None
) -> MergeReport:
    """Bring every change of the data file ``other`` (a laptop's offline copy, ``backup --out``) into the team
    database of ``store``, by the rules of :func:`merge_file` and in one transaction on the server: nothing of it is
    seen by anybody until all of it is. Tables the copy left empty because its account could not read them
    (a facilitator's copy has no volunteers) remove nothing: only a "removed" history row removes a record.

    No backup is made first (the server's are IT's, ``pg_dump``). Raises CohesionError, the team database
    untouched, for a file that cannot be merged, or when the server refuses or cannot be reached.
    """
    say = progress or (lambda _stage, _fraction: None)
    report = MergeReport(other=Path(other), dry_run=dry_run, into_team_database=True)
    folder = Path(tempfile.mkdtemp(prefix="cohesion-merge-"))
    try:
        say(_("Checking the other file…"), -1)
        copy, report.upgraded_from = _prepare_copy(Path(other), None, folder)
        with store.session() as session, history.paused(session):
            with _other_file_on_server(session, copy):
                _merge_in(session, report, say, removals_last=True)
            if dry_run:
                session.rollback()
            else:
                say(_("Saving…"), -1)
                session.commit()
    except sqlite3.Error as exc:
        raise CohesionError(_("Nothing was merged: SQLite could not read or write ({why}).").format(why=exc)) from exc
    except DBAPIError as exc:  # rolled back on the server: the team database is as it was
        raise CohesionError(
            _("Nothing was merged: {why}").format(
                why=storage_error_from(exc, None, saving=False, team_database=store.address.where)
            )
        ) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    log.info("merged %s into %s (dry run: %s)", other, store.where, dry_run)
    return report
