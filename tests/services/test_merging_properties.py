"""The merge's promises, over random edits (Hypothesis) of two copies of one file and of two unrelated files:

- nothing either file held is lost (every record is there; a value that lost is in the record's history);
- hours are never counted twice (the total is that of the union of entries);
- merging the same file again changes nothing;
- merging A into B and B into A gives the same records;
- after further edits on both, merging again both ways still converges.
"""

from __future__ import annotations

import itertools
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from cohesion_desktop.db import models
from cohesion_desktop.db.store import open_store
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.services import merging, partners
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.volunteering import erasure, opportunities, placements, volunteers
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput

TODAY = date(2026, 6, 15)
FAST = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no .hypothesis folder in the work tree
)
THEMES = ["Youth", "Housing", "Food justice", "Digital skills"]
TEXTS = ["", "Food", "Food and warmth", "Warm space", "Youth club on Fridays"]

# ---------------------------------------------------------------------------- files


def base_file(folder: Path) -> Path:
    """A small file: two partners, an opportunity, two volunteers placed on it, some hours."""
    path = folder / "base.sqlite"
    with open_store(path) as store, store.session() as session:
        first = partners.create_partner(session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS)).id
        partners.create_partner(session, data=PartnerInput(name="Canal Trust", sector=Sector.VCS, remit="Canals"))
        offer = opportunities.create_opportunity(
            session, data=OpportunityInput(title="Pantry", host_partner_id=first, places_available=5)
        ).row.id
        for name in ("Nia Evans", "Owen Price"):
            person = volunteers.create_volunteer(session, data=VolunteerInput(name=name, phone="0113 496 0000")).id
            placed = placements.place_volunteer(session, volunteer_id=person, opportunity_id=offer).id
            placements.log_hours(session, placement_id=placed, on_date=date(2026, 3, 2), hours=2, today=TODAY)
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return base_file(tmp_path_factory.mktemp("merge-base"))


def copy_file(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


# ---------------------------------------------------------------------------- random edits

Op = tuple[str, int, int]  # what, which record (an index into the file's records), a value
OPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "new_partner",
                "remit",
                "notes",
                "themes",
                "delete_partner",
                "restore_partner",
                "volunteer_skills",
                "log_hours",
                "delete_hours",
                "erase",
            ]
        ),
        st.integers(0, 7),
        st.integers(0, 15),
    ),
    max_size=8,
)
SIDES = st.lists(st.sampled_from("AB"), min_size=16, max_size=16)

_names = itertools.count()


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)] if items else None


def apply(session: Session, op: Op) -> None:
    """One edit, as a person makes it through the services (refused edits are skipped, as a person would)."""
    what, which, value = op
    live = session.exec(select(models.Partner.id).where(col(models.Partner.deleted_at).is_(None))).all()
    hidden = session.exec(select(models.Partner.id).where(col(models.Partner.deleted_at).is_not(None))).all()
    people = session.exec(select(models.Volunteer.id).where(col(models.Volunteer.erased_at).is_(None))).all()
    placed = session.exec(select(models.Placement.id).where(col(models.Placement.deleted_at).is_(None))).all()
    hours = session.exec(select(models.HoursEntry.id).where(col(models.HoursEntry.deleted_at).is_(None))).all()
    try:
        if what == "new_partner":
            partners.create_partner(
                session, data=PartnerInput(name=f"Group {next(_names)} {uuid.uuid4().hex[:6]}", sector=Sector.VCS)
            )
        elif what in ("remit", "notes") and live:
            partners.update_partner(
                session, partner_id=_pick(sorted(live), which), changes={what: _pick(TEXTS, value) + str(value)}
            )
        elif what == "themes" and live:
            chosen = [theme for bit, theme in enumerate(THEMES) if value >> bit & 1]
            partners.set_themes(session, partner_id=_pick(sorted(live), which), names=chosen)
        elif what == "delete_partner" and live:
            partners.delete_partner(session, partner_id=_pick(sorted(live), which))
        elif what == "restore_partner" and hidden:
            partners.restore_partner(session, partner_id=_pick(sorted(hidden), which))
        elif what == "volunteer_skills" and people:
            person = volunteers.get_volunteer(session, _pick(sorted(people), which))
            volunteers.update_volunteer(
                session, volunteer_id=person.id, data=VolunteerInput(name=person.data.name, skills=f"skill {value}")
            )
        elif what == "log_hours" and placed:
            placements.log_hours(
                session,
                placement_id=_pick(sorted(placed), which),
                on_date=date(2026, 4, 1 + value),
                hours=1 + value / 2,
                today=TODAY,
            )
        elif what == "delete_hours" and hours:
            placements.delete_hours(session, entry_id=_pick(sorted(hours), which))
        elif what == "erase" and people and value == 0:
            erasure.erase_volunteer(session, volunteer_id=_pick(sorted(people), which))
    except CohesionError:
        session.rollback()


def edit(a: Path, b: Path, ops: list[Op], sides: list[str]) -> None:
    """The edits, interleaved between the two files as two laptops make them over the same days."""
    with (
        open_store(a) as store_a,
        open_store(b) as store_b,
        store_a.session() as session_a,
        store_b.session() as session_b,
    ):
        for op, side in zip(ops, itertools.cycle(sides), strict=False):
            apply(session_a if side == "A" else session_b, op)


def merge(target: Path, other: Path) -> merging.MergeReport:
    with open_store(target) as store:
        return merging.merge_file(store, other=other)


# ---------------------------------------------------------------------------- what a file holds


RECORD_TABLES = [
    "theme",
    "place",
    "partner",
    "contact",
    "opportunity",
    "volunteer",
    "volunteer_check",
    "placement",
    "hours_entry",
    "recognition",
    "matrix_template",
    "workshop",
    "workshop_row",
    "matrix_entry",
    "action",
]


@dataclass
class Snapshot:
    """Everything a file holds but its history, with what every file makes for itself named by its key."""

    tables: dict[str, dict[str, tuple[Any, ...]]]
    links: dict[str, set[tuple[str, str]]]
    settings: dict[str, str]

    def comparable(self) -> tuple[Any, ...]:
        return (self.tables, self.links, self.settings)


def snapshot(path: Path) -> Snapshot:
    with sqlite3.connect(path) as connection:
        key_of: dict[str, str] = {}
        for table in ("theme", "place"):
            key_of.update(
                {row[0]: f"{table}:{row[1]}" for row in connection.execute(f"SELECT id, name_key FROM {table}")}
            )
        key_of.update(
            {
                row[0]: f"template:{row[1]}"
                for row in connection.execute(
                    "SELECT id, builtin_key FROM matrix_template WHERE builtin_key IS NOT NULL"
                )
            }
        )
        tables: dict[str, dict[str, tuple[Any, ...]]] = {}
        for table in RECORD_TABLES:
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            rows = {}
            for row in cursor.fetchall():
                values = tuple(key_of.get(v, v) if isinstance(v, str) else v for v in row)
                # A record's version counts the saves of one copy (db/versions.py), not data both files share.
                pairs = tuple((n, v) for n, v in zip(names, values, strict=True) if n != models.VERSION_COLUMN)
                rows[key_of.get(row[0], row[0])] = pairs
            tables[table] = rows
        builtin_rows = connection.execute(
            "SELECT t.builtin_key, r.position, r.title, r.description FROM matrix_template_row r "
            "JOIN matrix_template t ON t.id = r.template_id"
        ).fetchall()
        tables["matrix_template_row"] = {f"{k}:{p}": (("title", t), ("description", d)) for k, p, t, d in builtin_rows}
        links = {
            table: {
                (key_of.get(a, a), key_of.get(b, b))
                for a, b in connection.execute(f"SELECT {first}, {second} FROM {table}")
            }
            for table, first, second in (
                ("partner_theme", "partner_id", "theme_id"),
                ("partner_place", "partner_id", "place_id"),
                ("workshop_partner", "workshop_id", "partner_id"),
                ("opportunity_requirement", "opportunity_id", "check_kind"),
            )
        }
        settings_rows = dict(
            connection.execute("SELECT key, value FROM setting WHERE key != 'erasure_wipe_pending'").fetchall()
        )
    connection.close()
    return Snapshot(tables, links, settings_rows)


def history_values(path: Path) -> dict[tuple[str, str], set[str | None]]:
    with sqlite3.connect(path) as connection:
        found: dict[tuple[str, str], set[str | None]] = {}
        for record_id, name, old, new in connection.execute("SELECT record_id, field, old, new FROM history"):
            found.setdefault((record_id, name), set()).update((old, new))
    connection.close()
    return found


def counted_hours(path: Path) -> tuple[float, int]:
    with sqlite3.connect(path) as connection:
        total, rows = connection.execute(
            "SELECT coalesce(sum(hours), 0), count(*) FROM hours_entry WHERE deleted_at IS NULL"
        ).fetchone()
    connection.close()
    return round(total, 6), rows


def live_hours(path: Path) -> dict[str, float]:
    with sqlite3.connect(path) as connection:
        found = dict(connection.execute("SELECT id, hours FROM hours_entry WHERE deleted_at IS NULL").fetchall())
    connection.close()
    return found


def all_hours(path: Path) -> dict[str, float]:
    with sqlite3.connect(path) as connection:
        found = dict(connection.execute("SELECT id, hours FROM hours_entry").fetchall())
    connection.close()
    return found


def _same(value: Any) -> str:
    """A value as stored, or as the history keeps it as text, in one form (times as naive UTC)."""
    text = str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return (moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment).isoformat()


_ERASED_FIELDS = set(erasure._BLANKED) | {
    "name",
    "consent_to_contact",
    "consent_given_on",
    "consent_withdrawn_on",
    "consent_unknown",
}
_DERIVED = {"search_text", "updated_at", "created_at"}  # worked out, not typed by anyone


def assert_nothing_lost(result: Path, *sources: Path) -> None:
    merged = snapshot(result)
    kept = history_values(result)
    erased = {key for key, row in merged.tables["volunteer"].items() if dict(row).get("erased_at") is not None}
    for source in sources:
        held = snapshot(source)
        for table, rows in held.tables.items():
            for key, row in rows.items():
                assert key in merged.tables[table], f"{table} {key} from {source.name} was lost"
                now = dict(merged.tables[table][key])
                for name, value in row:
                    if now[name] == value or name in _DERIVED or (table == "volunteer" and key in erased):
                        continue
                    if table == "hours_entry" and name == "activity" and now[name] == "":
                        continue  # blanked by an erasure
                    assert _same(value) in {_same(v) for v in kept.get((key, name), set())}, (
                        f"{table}.{name} of {key}: {value!r} from {source.name} lost, and not in the history"
                    )


# ---------------------------------------------------------------------------- the properties


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


def _fresh(folder: Path) -> Path:
    work = folder / uuid.uuid4().hex[:8]
    work.mkdir()
    return work


@FAST
@given(ops=OPS, sides=SIDES)
def test_two_copies_of_one_file_merge_with_nothing_lost_hours_once_and_a_second_merge_changes_nothing(
    template: Path, folder: Path, ops: list[Op], sides: list[str]
) -> None:
    work = _fresh(folder)
    a, b = copy_file(template, work / "a.sqlite"), copy_file(template, work / "b.sqlite")
    edit(a, b, ops, sides)
    before_a, before_b = copy_file(a, work / "before-a.sqlite"), copy_file(b, work / "before-b.sqlite")

    merge(a, b)

    assert_nothing_lost(a, before_a, before_b)
    union = {**all_hours(before_a), **all_hours(before_b)}
    deleted = (set(all_hours(before_a)) - set(live_hours(before_a))) | (
        set(all_hours(before_b)) - set(live_hours(before_b))
    )
    assert counted_hours(a) == (
        round(sum(h for entry, h in union.items() if entry not in deleted), 6),
        len(set(union) - deleted),
    )
    once = snapshot(a)
    history_rows = sum(len(v) for v in history_values(a).values())
    again = merge(a, b)
    assert not again.changed_anything
    assert snapshot(a).comparable() == once.comparable()
    assert sum(len(v) for v in history_values(a).values()) == history_rows


@FAST
@given(ops=OPS, sides=SIDES, more=OPS)
def test_merging_both_ways_gives_the_same_records_and_converges_after_more_edits(
    template: Path, folder: Path, ops: list[Op], sides: list[str], more: list[Op]
) -> None:
    work = _fresh(folder)
    a, b = copy_file(template, work / "a.sqlite"), copy_file(template, work / "b.sqlite")
    edit(a, b, ops, sides)
    a2, b2 = copy_file(a, work / "a2.sqlite"), copy_file(b, work / "b2.sqlite")

    merge(a, b)
    merge(b2, a2)
    assert snapshot(a).comparable() == snapshot(b2).comparable()

    edit(a, b, more, list(reversed(sides)))
    merge(a, b)
    merge(b, a)
    assert snapshot(a).comparable() == snapshot(b).comparable()


@FAST
@given(ops=OPS, sides=SIDES)
def test_two_unrelated_files_merge_both_ways_to_the_same_records_with_nothing_lost(
    folder: Path, ops: list[Op], sides: list[str]
) -> None:
    work = _fresh(folder)
    a = base_file(_fresh(work))
    b = base_file(_fresh(work))
    edit(a, b, ops, sides)
    a2, b2 = copy_file(a, work / "a2.sqlite"), copy_file(b, work / "b2.sqlite")

    merge(a, b)
    merge(b2, a2)

    assert snapshot(a).comparable() == snapshot(b2).comparable()
    assert_nothing_lost(a, a2, b)  # a2 and b: the two files as they were before
    union = {**live_hours(a2), **live_hours(b)}
    assert counted_hours(a) == (round(sum(union.values()), 6), len(union))
