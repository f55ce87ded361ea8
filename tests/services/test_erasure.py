"""Erasure: the person is gone from the records and from the bytes of every file on the laptop that the app says
is clean (data file, WAL, log); what still holds them (backups, set-aside copies) is said, with the day it goes."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from cohesion_desktop import i18n
from cohesion_desktop.db import backups, models, wiping
from cohesion_desktop.db.store import FileStore, Store, open_store
from cohesion_desktop.domain import CheckKind, MatrixColumn, OpportunityStatus, RecognitionKind, Sector
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.logging_setup import configure_logging
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.volunteering import (
    checks,
    erasure,
    opportunities,
    placements,
    recognition,
    totals,
    volunteers,
)
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from cohesion_desktop.text import fold

NAME = "Zenobia Quillfeather"
SECRETS = (
    "Zenobia",
    "Quillfeather",
    "zenobia.quill@example.org",
    "07700 900999",
    "Rare Street",
    "Xanthe",
    "DBS-ZQ-001",
    "Prefers the blue van",
    "Star of the month",
)


def found_in(paths: Iterable[Path], secrets: Iterable[str] = SECRETS) -> dict[str, list[str]]:
    """Which secrets (as UTF-8, UTF-16 or folded for search) are in the bytes of which files."""
    found: dict[str, list[str]] = {}
    for path in paths:
        if not path.exists():
            continue
        raw = path.read_bytes()
        for secret in secrets:
            forms = {secret.encode("utf-8"), secret.encode("utf-16-le"), fold(secret).encode("utf-8")}
            if any(form in raw for form in forms):
                found.setdefault(path.name, []).append(secret)
    return found


def beside(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal")]


def add_person(session: Session, *, with_records: bool = True) -> volunteers.VolunteerDetail:
    """Zenobia, with something personal in every free-text field linked to her."""
    host = partners.create_partner(session, data=PartnerInput(name="Age Well", sector=Sector.VCS))
    opportunity = opportunities.create_opportunity(
        session, data=OpportunityInput(title="Community driver", host_partner_id=host.id, status=OpportunityStatus.OPEN)
    )
    person = volunteers.create_volunteer(
        session,
        data=VolunteerInput(
            name="Zenobia Quilfeather",
            email="zenobia.quill@example.org",
            phone="07700 900999",
            address="9 Rare Street",
            emergency_contact_name="Xanthe Quillfeather",
            consent_to_contact=True,
            consent_given_on=date(2026, 1, 1),
        ),
    )
    # An earlier spelling of the name was overwritten: it must be gone from the free space too.
    person = volunteers.update_volunteer(
        session, volunteer_id=person.id, data=dataclasses.replace(person.data, name=NAME)
    )
    if with_records:
        checks.add_check(
            session,
            volunteer_id=person.id,
            kind=CheckKind.DBS_BASIC,
            obtained_on=date(2026, 1, 1),
            reference="DBS-ZQ-001",
        )
        placed = placements.place_volunteer(session, volunteer_id=person.id, opportunity_id=opportunity.row.id)
        for day in range(5):
            placements.log_hours(
                session,
                placement_id=placed.id,
                on_date=date(2026, 1, 1 + day),
                hours=2,
                activity="Drove Zenobia Quillfeather's van" if day == 0 else "Pantry shift",
            )
        removed = placements.log_hours(
            session, placement_id=placed.id, on_date=date(2026, 1, 9), hours=1, activity="Xanthe came along"
        )
        placements.delete_hours(session, entry_id=removed.id)  # hidden by a delete, still held
        # No screen writes placement notes yet, but the column exists (an import or a later version may fill it).
        session.get(models.Placement, placed.id).notes = "Prefers the blue van"  # type: ignore[union-attr]
        session.commit()
        recognition.add_recognition(
            session,
            volunteer_id=person.id,
            kind=RecognitionKind.THANKS,
            title="Star of the month",
            given_on=date(2026, 2, 1),
        )
    return person


@pytest.mark.file_only
def test_erasure_leaves_no_byte_of_the_person_in_the_file_its_wal_or_the_log(store: FileStore) -> None:
    log_path = configure_logging()
    with store.session() as session:
        person = add_person(session)
        kept = volunteers.create_volunteer(session, data=VolunteerInput(name="Kept Person", email="kept@example.org"))
        report = erasure.erase_volunteer(session, volunteer_id=person.id)
        assert report.finished and not erasure.erasure_unfinished(session)
        assert (report.hours_kept, report.checks_removed, report.recognitions_removed) == (10, 1, 1)
        assert report.activities_blanked == 6  # the hidden entry's text too
        assert totals.total_hours(session) == (10.0, 1)
        erased = volunteers.get_volunteer(session, person.id)
        assert erased.erased and erased.data.name == erasure.ERASED_NAME and erased.data.email == ""
        assert volunteers.count_volunteers(session) == 1  # the erased one is no longer listed
        assert volunteers.get_volunteer(session, kept.id).data.email == "kept@example.org"
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert found_in([*beside(store.path), log_path]) == {}
    assert found_in(beside(store.path), ["kept@example.org"])  # the search is not vacuous: other data is readable


@pytest.mark.file_only
def test_before_the_wipe_the_bytes_were_there(store: FileStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the wipe (rewrite and WAL truncation), the blanked details would still be in the file's bytes."""
    monkeypatch.setattr(wiping, "rewrite_file", lambda _engine: "held up for this test")
    with store.session() as session:
        person = add_person(session)
        report = erasure.erase_volunteer(session, volunteer_id=person.id)
    assert report.unfinished == "held up for this test"
    assert found_in(beside(store.path))


@pytest.mark.file_only
def test_a_volunteer_whose_adding_was_undone_can_be_erased(store: FileStore) -> None:
    with store.session() as session:
        person = add_person(session)
        volunteers.delete_volunteer(session, volunteer_id=person.id)  # what undoing "Add volunteer" does
        plan = erasure.erasure_plan(session, volunteer_id=person.id)
        assert plan.removed and plan.name == NAME
        report = erasure.erase_volunteer(session, volunteer_id=person.id)
        assert report.finished and report.hours_kept == 0  # a hidden volunteer's hours were not counted anyway
        with pytest.raises(NotFoundError):
            volunteers.get_volunteer(session, person.id)  # still hidden
    assert found_in(beside(store.path)) == {}


@pytest.mark.file_only
def test_backups_made_before_still_hold_the_person_until_the_day_the_plan_says(store: FileStore) -> None:
    with store.session() as session:
        person = add_person(session)
    older = backups.make_automatic_backup(store.path, now=datetime.now() - timedelta(days=3))
    with store.session() as session:
        plan = erasure.erasure_plan(session, volunteer_id=person.id, data_file=store.path)
        report = erasure.erase_volunteer(session, volunteer_id=person.id, data_file=store.path)
    assert report.finished and report.backup is not None and older is not None
    held = [info.path for info in backups.list_backups(store.path)]
    assert set(held) == {older, report.backup}
    assert set(found_in(held)) == {older.name, report.backup.name}  # both hold her: allowed, and said
    last = erasure.backup_deleted_on(datetime.now())
    said = " ".join(plan.remains(blank_activities=True))
    assert "2 backups of the data file made before the erasure (one made just before it" in said
    assert f"the last goes on {last:%d/%m/%Y}" in said
    backups.prune_backups(store.path, now=datetime.combine(last + timedelta(days=1), time()))
    assert found_in(info.path for info in backups.list_backups(store.path)) == {}
    assert found_in(beside(store.path)) == {}


@pytest.mark.file_only
def test_set_aside_copies_are_said_to_hold_the_person_and_when_they_go(store: FileStore) -> None:
    with store.session() as session:
        person = add_person(session, with_records=False)
    made = datetime.now() - timedelta(days=3)
    copy = store.path.with_name(f"{store.path.stem}.before-restore-{made:%Y%m%d-%H%M%S}{store.path.suffix}")
    backups.copy_database(store.path, copy)
    with store.session() as session:
        plan = erasure.erasure_plan(session, volunteer_id=person.id, data_file=store.path)
    said = " ".join(plan.remains(blank_activities=True))
    assert copy.name in said and "deleted on the same schedule" in said
    # Set-aside copies go by the backups' schedule (db.backups.prune_backups), so each has its day.
    [held] = [c for c in plan.copies if c.path == copy]
    assert held.deleted_on == (made + timedelta(days=backups.BACKUP_MAX_AGE_DAYS)).date()


@pytest.mark.file_only
def test_a_reader_holding_the_file_keeps_old_pages_until_it_lets_go_and_that_is_said(store: FileStore) -> None:
    with store.session() as session:
        person = add_person(session)
    reader = sqlite3.connect(store.path)  # another program, in the middle of reading
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM volunteer").fetchone()
    try:
        with store.session() as session:
            report = erasure.erase_volunteer(session, volunteer_id=person.id)
            assert report.unfinished == wiping.HELD_BY_A_READER and not report.finished
            assert erasure.erasure_unfinished(session)
            assert erasure.finish_erasure(session) == wiping.HELD_BY_A_READER  # still held
            assert volunteers.get_volunteer(session, person.id).erased  # the records are erased meanwhile
        assert found_in(beside(store.path))  # the detection was needed: old pages really are still there
    finally:
        reader.rollback()
        reader.close()
    with store.session() as session:
        assert erasure.finish_erasure(session) is None
        assert not erasure.erasure_unfinished(session)
    assert found_in(beside(store.path)) == {}


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
@pytest.mark.file_only
def test_a_process_killed_between_the_erasure_and_the_wipe_is_finished_at_the_next_open(store: FileStore) -> None:
    with store.session() as session:
        person = add_person(session)
    store.close()
    # The erasure's transaction commits, then the process is killed where the wipe would start.
    script = textwrap.dedent(f"""
        import os, signal, uuid
        from pathlib import Path
        from cohesion_desktop.db import wiping
        from cohesion_desktop.db.store import open_store
        from cohesion_desktop.services.volunteering import erasure
        wiping.rewrite_file = lambda _engine: os.kill(os.getpid(), signal.SIGKILL)
        with open_store(Path({str(store.path)!r})) as store, store.session() as session:
            erasure.erase_volunteer(session, volunteer_id=uuid.UUID({person.id.hex!r}))
    """)
    killed = subprocess.run([sys.executable, "-c", script], env=os.environ.copy(), timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert found_in(beside(store.path))  # the old pages are still in the WAL or the file
    with open_store(store.path) as reopened, reopened.session() as session:
        assert volunteers.get_volunteer(session, person.id).erased  # the erasure itself was committed
        assert erasure.erasure_unfinished(session)  # with the mark that the wipe is still to do
        assert erasure.finish_erasure(session) is None
        assert not erasure.erasure_unfinished(session)
    assert found_in(beside(store.path)) == {}


def test_activity_texts_are_listed_and_can_be_kept(store: Store) -> None:
    with store.session() as session:
        person = add_person(session)
        plan = erasure.erasure_plan(session, volunteer_id=person.id)
        assert [(a.text, a.entries) for a in plan.activities] == [
            ("Xanthe came along", 1),
            ("Pantry shift", 4),
            ("Drove Zenobia Quillfeather's van", 1),
        ]
        assert "the activity text of 6 hours entries" in plan.removes(blank_activities=True)
        assert "the activity text" not in " ".join(plan.removes(blank_activities=False))
        assert "The activity text of 6 hours entries (kept as you chose)." in plan.remains(blank_activities=False)
        report = erasure.erase_volunteer(session, volunteer_id=person.id, blank_activities=False)
        assert report.activities_blanked == 0
        assert {h.activity for h in placements.list_hours(session, volunteer_id=person.id)} == {
            "Pantry shift",
            "Drove Zenobia Quillfeather's van",
        }


def test_other_records_that_mention_the_person_are_listed_not_changed(store: Store) -> None:
    with store.session() as session:
        person = add_person(session, with_records=False)
        other = volunteers.create_volunteer(
            session, data=VolunteerInput(name="Yusuf Ali", emergency_contact_name="zenobia quillfeather")
        )  # any case of A-Z
        workshop = workshops.create_workshop(
            session,
            data=workshops.WorkshopInput(
                title="Town centre", held_on=date(2026, 3, 1), template_id=workshops.templates(session)[0].id
            ),
        )
        workshops.add_entry(
            session,
            workshop_id=workshop.id,
            row_id=workshop.rows[0].id,
            column=MatrixColumn.COULD_DO_MORE,
            text="Ask Zenobia Quillfeather about lifts",
        )
        plan = erasure.erasure_plan(session, volunteer_id=person.id)
        assert {(m.where, m.text) for m in plan.mentions} == {
            ("Volunteer Yusuf Ali's details", "zenobia quillfeather"),
            ("Workshop “Town centre” (01/03/2026), matrix entry", "Ask Zenobia Quillfeather about lifts"),
        }
        assert any("2 other records" in line for line in plan.remains(blank_activities=True))
        erasure.erase_volunteer(session, volunteer_id=person.id)
        assert volunteers.get_volunteer(session, other.id).data.emergency_contact_name == "zenobia quillfeather"


def test_erasing_twice_is_refused(session: Session) -> None:
    person = volunteers.create_volunteer(session, data=VolunteerInput(name="Once", consent_unknown=True))
    erasure.erase_volunteer(session, volunteer_id=person.id)
    stored = session.get(models.Volunteer, person.id)
    assert stored is not None and stored.consent_unknown is False  # nobody left to ask
    with pytest.raises(ValidationError, match="already erased"):
        erasure.erase_volunteer(session, volunteer_id=person.id)
    with pytest.raises(ValidationError, match="erased"):
        volunteers.update_volunteer(session, volunteer_id=person.id, data=VolunteerInput(name="Back"))


@pytest.fixture
def welsh() -> Iterator[None]:
    i18n.set_language("cy")
    yield
    i18n.set_language("en")


def test_the_erasure_plan_reads_in_welsh_with_each_count_in_its_form(store: Store, welsh: None) -> None:
    with store.session() as session:
        person = add_person(session)
        plan = erasure.erasure_plan(session, volunteer_id=person.id)
        assert plan.removes(blank_activities=True) == [
            "eu henw, eu manylion cyswllt, eu cyfeiriad, eu sgiliau, eu hargaeledd, eu caniatâd, eu cyswllt argyfwng "
            "a'u nodiadau",
            "1 cofnod gwiriad neu hyfforddiant (gan gynnwys cyfeirnodau DBS)",
            "1 diolch neu wobr",
            "y nodiadau ar 1 lleoliad",
            "testun gweithgarwch 6 chofnod oriau",  # the aspirate mutation after "chwech"
        ]
        remains = plan.remains(blank_activities=False)
        assert remains[:2] == [
            "Mae eu 10 awr yn aros ym mhob cyfanswm ac adroddiad, heb enw.",
            "Testun gweithgarwch 6 chofnod oriau (wedi'i gadw fel y dewisoch).",
        ]
        assert remains[-1].startswith("Ni chyffyrddir â chopïau a wnaethoch eich hun (Ffeil → Gwneud copi wrth gefn")
        # Two copies and one: the sentence about backups takes the form of its count.
        two = dataclasses.replace(plan, copies=(), backup_first=True)
        assert any(
            line.startswith("Mae 1 copi wrth gefn o'r ffeil ddata") for line in two.remains(blank_activities=True)
        )
        assert wiping._reason(sqlite3.OperationalError("disk")) == (
            "Ni allai SQLite ailysgrifennu'r ffeil ddata (disk)"
        )
