"""``hours_day`` -- the hours of each day's live entries -- follows every kind of change to ``hours_entry``.

The triggers that keep it run inside the database, so each change is made here the way some part of the app
makes it (the unit of work, a Core statement over many rows, a delete for good, a merge's write of every field)
and the table is compared with the entries summed afresh.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.db.store import open_store
from cohesion_desktop.db.versions import update_rows
from cohesion_desktop.domain import Sector
from tests.conftest import DATA_DIR

# NUMERIC: a server rounds only exact numbers to places (a data file rounds either).
SUMMED = (
    "SELECT on_date, round(CAST(sum(hours) AS NUMERIC), 6), count(*) FROM hours_entry WHERE deleted_at IS NULL "
    "GROUP BY on_date ORDER BY on_date"
)
KEPT = "SELECT on_date, round(CAST(hours AS NUMERIC), 6), entries FROM hours_day ORDER BY on_date"


def _both(session: Session) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    connection = session.connection()
    return (
        [tuple(row) for row in connection.exec_driver_sql(KEPT).all()],
        [tuple(row) for row in connection.exec_driver_sql(SUMMED).all()],
    )


def _placement(session: Session) -> uuid.UUID:
    partner = models.Partner(name="Millbrook Food Bank", sector=Sector.VCS)
    person = models.Volunteer(name="Amira Khan")
    session.add_all([partner, person])
    session.flush()
    offer = models.Opportunity(title="Sorting donations", host_partner_id=partner.id)
    session.add(offer)
    session.flush()
    placed = models.Placement(volunteer_id=person.id, opportunity_id=offer.id)
    session.add(placed)
    session.commit()
    return placed.id


def test_the_day_totals_follow_every_kind_of_change(session: Session) -> None:
    placement_id = _placement(session)
    rng = random.Random(14)
    first = date(2026, 3, 1)
    entries: list[uuid.UUID] = []
    for step in range(300):
        choice = rng.random()
        if choice < 0.35 or not entries:  # one entry through the unit of work
            entry = models.HoursEntry(
                placement_id=placement_id,
                on_date=first + timedelta(days=rng.randrange(6)),
                hours=rng.choice((0.1, 0.25, 1.0, 1.5, 2.2, 7.0)),
            )
            session.add(entry)
            entries.append(entry.id)
        elif choice < 0.45:  # many at once, as an import or the example data inserts them
            made = [
                {
                    "id": uuid.uuid4(),
                    "placement_id": placement_id,
                    "on_date": first + timedelta(days=rng.randrange(6)),
                    "hours": rng.choice((0.3, 1.0, 3.5)),
                    "created_at": datetime.now(UTC),
                    "updated_at": datetime.now(UTC),
                }
                for _ in range(rng.randint(1, 5))
            ]
            session.execute(insert(models.HoursEntry), made)
            entries += [row["id"] for row in made]
        else:
            chosen = session.get(models.HoursEntry, rng.choice(entries))
            assert chosen is not None
            if choice < 0.6:
                chosen.hours = rng.choice((0.5, 1.1, 4.0))
            elif choice < 0.7:
                chosen.on_date = first + timedelta(days=rng.randrange(6))
            elif choice < 0.8:  # deleted, or restored (an undo)
                chosen.deleted_at = None if chosen.deleted_at else datetime.now(UTC)
            elif choice < 0.87:  # removed for good
                session.delete(chosen)
                entries.remove(chosen.id)
            elif choice < 0.94:  # every field written back as it was, as a merge may
                session.execute(
                    update_rows(models.HoursEntry)
                    .where(col(models.HoursEntry.id) == chosen.id)
                    .values(on_date=chosen.on_date, hours=chosen.hours, deleted_at=chosen.deleted_at)
                )
            else:  # a statement over many rows (a placement's hours moved to another day)
                session.execute(
                    update_rows(models.HoursEntry)
                    .where(col(models.HoursEntry.on_date) == first + timedelta(days=rng.randrange(6)))
                    .values(on_date=first + timedelta(days=rng.randrange(6)))
                )
        if step % 7 == 0:
            session.commit()
        else:
            session.flush()
        kept, summed = _both(session)
        assert kept == summed, f"step {step}"
    session.execute(delete(models.HoursEntry))
    session.commit()
    assert _both(session) == ([], [])


def test_a_rolled_back_change_leaves_the_day_totals_as_they_were(session: Session) -> None:
    placement_id = _placement(session)
    session.add(models.HoursEntry(placement_id=placement_id, on_date=date(2026, 3, 2), hours=2.0))
    session.commit()
    before = _both(session)
    session.add(models.HoursEntry(placement_id=placement_id, on_date=date(2026, 3, 2), hours=5.0))
    session.flush()
    session.rollback()
    after = _both(session)
    assert after == before
    # As the engine gives it back: text and a float from a file, a date and an exact number from a server.
    assert [(str(day), float(hours), entries) for day, hours, entries in after[0]] == [("2026-03-02", 2.0, 1)]


def test_an_upgraded_file_has_the_day_totals_of_its_entries(tmp_path: Path) -> None:
    old = tmp_path / "cohesion.sqlite"
    shutil.copyfile(DATA_DIR / "schema_v2.sqlite", old)
    open_store(old).close()
    with sqlite3.connect(old) as connection:
        kept, summed = connection.execute(KEPT).fetchall(), connection.execute(SUMMED).fetchall()
    connection.close()
    assert len(kept) > 300  # the example's year of hours
    assert kept == summed
