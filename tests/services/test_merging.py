"""Merging another laptop's data file: the stories of the issue, one by one (the properties over random edits are
in test_merging_properties.py)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from cohesion_desktop.db import backups, history, models
from cohesion_desktop.db.store import Store, open_store
from cohesion_desktop.domain import CheckKind, Sector
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.services import history as history_service
from cohesion_desktop.services import merging, partners, settings
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.volunteering import checks, erasure, opportunities, placements, totals, volunteers
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from tests.conftest import DATA_DIR
from tests.services.test_merging_properties import TODAY, copy_file, snapshot

OFFICE, HALL = "the Office laptop", "the Hall laptop"


def name_laptop(store: Store, laptop: str, who: str) -> None:
    store.identity.name = who
    with store.session() as session:
        settings.save_laptop_settings(session, laptop=settings.LaptopSettings(your_name=who, laptop_name=laptop))


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """The office file: a food bank, a volunteer placed with it, two hours logged."""
    path = tmp_path / "office" / "cohesion.sqlite"
    path.parent.mkdir()
    with open_store(path) as store:
        name_laptop(store, OFFICE, "Sam")
        with store.session() as session:
            bank = partners.create_partner(
                session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS, remit="Food parcels")
            ).id
            offer = opportunities.create_opportunity(
                session, data=OpportunityInput(title="Pantry", host_partner_id=bank)
            ).row.id
            person = volunteers.create_volunteer(session, data=VolunteerInput(name="Nia Evans", phone="0113 496 0000"))
            placed = placements.place_volunteer(session, volunteer_id=person.id, opportunity_id=offer).id
            placements.log_hours(session, placement_id=placed, on_date=date(2026, 3, 2), hours=2, today=TODAY)
    return path


@pytest.fixture
def hall(office: Path, tmp_path: Path) -> Path:
    """The facilitator's copy of the office file, taken to the church hall."""
    path = copy_file(office, tmp_path / "hall" / "cohesion.sqlite")
    with open_store(path) as store:
        name_laptop(store, HALL, "Grace")
    return path


def ids(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as connection:
        found = {row[0] for row in connection.execute(f"SELECT id FROM {table}")}
    connection.close()
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def merge(target: Path, other: Path, *, dry_run: bool = False) -> merging.MergeReport:
    with open_store(target) as store:
        return merging.merge_file(store, other=other, dry_run=dry_run)


def partner_named(session: Session, name: str) -> models.Partner:
    return session.exec(select(models.Partner).where(models.Partner.name == name)).one()


def test_the_workshop_laptops_work_comes_home_field_by_field_with_a_backup_first(office: Path, hall: Path) -> None:
    history.save_your_name("Grace")  # at the hall (the two "laptops" share this test's settings)
    with open_store(hall) as store, store.session() as session:
        bank = partner_named(session, "Millbrook Food Bank")
        partners.update_partner(session, partner_id=bank.id, changes={"notes": "Met at the roundtable"})
        partners.set_themes(session, partner_id=bank.id, names=["Youth"])
        partners.create_partner(session, data=PartnerInput(name="St Mark's Church", sector=Sector.FAITH))
        placed = session.exec(select(models.Placement.id)).one()
        placements.log_hours(session, placement_id=placed, on_date=date(2026, 3, 9), hours=3, today=TODAY)
    history.save_your_name("Sam")  # back at the office
    with open_store(office) as store, store.session() as session:
        partners.update_partner(
            session, partner_id=partner_named(session, "Millbrook Food Bank").id, changes={"remit": "Food and warmth"}
        )

    report = merge(office, hall)

    assert report.count("partner").added == 1 and report.count("partner").updated == 1
    assert report.count("hours_entry").added == 1
    assert report.conflicts == [] and report.backup is not None and report.backup.exists()
    assert any(line.startswith("  Partners: 1 added, 1 updated") for line in report.lines())
    with open_store(office) as store, store.session() as session:
        bank = partners.get_partner(session, partner_named(session, "Millbrook Food Bank").id)
        assert (bank.remit, bank.notes, bank.themes) == ("Food and warmth", "Met at the roundtable", ("Youth",))
        assert totals.total_hours(session)[0] == 5  # 2 logged before the copy, 3 at the hall: never 7
        lines = [line.text for line in history_service.record_history(session, kind="partner", record_id=bank.id)]
    # The history shows the hall's change, made by Grace on the Hall laptop, and that the merge took it.
    assert any(text.startswith("Notes changed by Grace on the Hall laptop") for text in lines)
    taken = "Notes taken from another laptop's file in a merge by Sam on the Office laptop"
    assert any(text.startswith(taken) for text in lines)
    assert any(text.startswith("Remit changed by Sam on the Office laptop") for text in lines)


def test_a_field_changed_on_both_laptops_keeps_the_newer_and_the_other_in_history(office: Path, hall: Path) -> None:
    with open_store(office) as store, store.session() as session:
        bank_id = partner_named(session, "Millbrook Food Bank").id
        partners.update_partner(session, partner_id=bank_id, changes={"remit": "Office remit"})
    with open_store(hall) as store, store.session() as session:
        partners.update_partner(session, partner_id=bank_id, changes={"remit": "Hall remit, typed later"})

    report = merge(office, hall)

    assert [(c.field, c.kept, c.lost, c.kept_from_other) for c in report.conflicts] == [
        ("remit", "Hall remit, typed later", "Office remit", True)
    ]
    assert "kept the other file's “Hall remit, typed later” over “Office remit”" in "\n".join(report.lines())
    with open_store(office) as store, store.session() as session:
        assert partners.get_partner(session, bank_id).remit == "Hall remit, typed later"
        kept = session.exec(
            select(models.HistoryEntry.old).where(
                models.HistoryEntry.record_id == bank_id, models.HistoryEntry.field == "remit"
            )
        ).all()
    assert "Office remit" in kept


def test_a_deletion_is_carried_unless_the_record_was_changed_after_it(office: Path, hall: Path) -> None:
    with open_store(office) as store, store.session() as session:
        first = partner_named(session, "Millbrook Food Bank").id
        second = partners.create_partner(session, data=PartnerInput(name="Canal Trust", sector=Sector.VCS)).id
    copy_file(office, hall)
    with open_store(hall) as store, store.session() as session:
        partners.delete_partner(session, partner_id=first)
        partners.delete_partner(session, partner_id=second)
    with open_store(office) as store, store.session() as session:
        partners.update_partner(session, partner_id=second, changes={"notes": "Still working with them"})

    report = merge(office, hall)

    assert report.count("partner").deleted == 1
    with open_store(office) as store, store.session() as session:
        assert session.get(models.Partner, first).deleted_at is not None  # type: ignore[union-attr]
        assert session.get(models.Partner, second).deleted_at is None  # type: ignore[union-attr]


def test_an_erased_volunteer_never_comes_back_from_a_file_made_before_the_erasure(office: Path, hall: Path) -> None:
    with open_store(office) as store, store.session() as session:
        nia = session.exec(select(models.Volunteer)).one()
        checks.add_check(
            session, volunteer_id=nia.id, kind=CheckKind.DBS_BASIC, obtained_on=date(2026, 1, 5), reference="DBS-NIA-1"
        )
    copy_file(office, hall)
    with open_store(hall) as store, store.session() as session:  # the hall still knows her, and edits her
        volunteers.update_volunteer(
            session, volunteer_id=nia.id, data=VolunteerInput(name="Nia Evans", email="nia@example.org")
        )
    with open_store(office) as store, store.session() as session:
        erasure.erase_volunteer(session, volunteer_id=nia.id)

    merge(office, hall)
    with open_store(office) as store, store.session() as session:
        held = session.get(models.Volunteer, nia.id)
        assert held is not None and held.erased_at is not None and held.name == erasure.ERASED_NAME
        assert held.email == "" and session.exec(select(models.VolunteerCheck)).all() == []
        values = {v for pair in session.exec(select(models.HistoryEntry.old, models.HistoryEntry.new)) for v in pair}
    assert not {v for v in values if v and ("Nia" in v or "nia@" in v or "DBS-NIA" in v)}
    assert b"nia@example.org" not in office.read_bytes()

    # And the other way: the hall's file takes the erasure from the office's.
    report = merge(hall, office)
    assert report.erased == 1
    with open_store(hall) as store, store.session() as session:
        assert session.get(models.Volunteer, nia.id).erased_at is not None  # type: ignore[union-attr]
        assert session.exec(select(models.VolunteerCheck)).all() == []
    with sqlite3.connect(hall) as connection:
        for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
            for row in connection.execute(f"SELECT * FROM {table}"):
                assert "nia@example.org" not in repr(row), (table, row)
    connection.close()
    assert b"nia@example.org" not in hall.read_bytes() and b"DBS-NIA-1" not in hall.read_bytes()


def test_built_in_themes_and_templates_of_two_unrelated_files_are_matched_by_key(tmp_path: Path) -> None:
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    for path, partner in ((first, "Age Well"), (second, "Canal Trust")):
        with open_store(path) as store, store.session() as session:
            made = partners.create_partner(session, data=PartnerInput(name=partner, sector=Sector.VCS)).id
            partners.set_themes(session, partner_id=made, names=["Social isolation and loneliness", "Boats"])
    themes_before, templates_before = len(ids(first, "theme")), len(ids(first, "matrix_template"))

    merge(first, second)

    assert len(ids(first, "theme")) == themes_before  # "Boats" and every built-in theme matched by name
    assert len(ids(first, "matrix_template")) == templates_before
    with open_store(first) as store, store.session() as session:
        canal = partners.get_partner(session, partner_named(session, "Canal Trust").id)
        assert canal.themes == ("Boats", "Social isolation and loneliness")


def test_near_duplicate_partners_are_reported_not_joined(office: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with open_store(other) as store, store.session() as session:
        partners.create_partner(session, data=PartnerInput(name="Millbrook Foodbank", sector=Sector.VCS))
    report = merge(office, other)
    assert [(d.here, d.other) for d in report.duplicates] == [("Millbrook Food Bank", "Millbrook Foodbank")]
    with open_store(office) as store, store.session() as session:
        assert len(partners.list_partners(session)) == 2


def test_a_dry_run_reports_the_same_and_writes_nothing(office: Path, hall: Path) -> None:
    with open_store(hall) as store, store.session() as session:
        partners.create_partner(session, data=PartnerInput(name="St Mark's Church", sector=Sector.FAITH))
    before = snapshot(office)
    with open_store(office) as store:
        store.checkpoint()
    bytes_before = digest(office)

    dry = merge(office, hall, dry_run=True)

    assert dry.dry_run and dry.backup is None and dry.count("partner").added == 1
    assert dry.lines()[0].startswith("Dry run: nothing was written.")
    assert snapshot(office).comparable() == before.comparable()
    with open_store(office) as store:
        store.checkpoint()
    assert digest(office) == bytes_before
    assert backups.list_backups(office) == []
    real = merge(office, hall)
    assert real.counts == dry.counts


def _refused(office: Path, other: Path, match: str) -> None:
    with open_store(office) as store:
        store.checkpoint()
    before = digest(office)
    with pytest.raises(CohesionError, match=match):
        merge(office, other)
    with open_store(office) as store:
        store.checkpoint()
    assert digest(office) == before
    assert backups.list_backups(office) == []


def test_a_missing_damaged_foreign_or_newer_file_is_refused_and_this_file_left_alone(
    office: Path, tmp_path: Path
) -> None:
    _refused(office, tmp_path / "nowhere.sqlite", "Nothing was merged: there is no file at")
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)
    _refused(office, damaged, "Nothing was merged: .*damaged")
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE songs (title TEXT)")
    connection.close()
    _refused(office, foreign, "Nothing was merged: .*not a Cohesion Desktop data file")
    newer = copy_file(office, tmp_path / "newer.sqlite")
    with sqlite3.connect(newer) as connection:
        connection.execute("PRAGMA user_version = 99")
    connection.close()
    _refused(office, newer, "Nothing was merged: .*newer version")
    _refused(office, office, "Nothing was merged: that is the data file already open")


def test_an_older_file_is_upgraded_in_a_copy_and_left_as_it_was(office: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    shutil.copyfile(DATA_DIR / "schema_v1.sqlite", old)
    before = digest(old)

    report = merge(office, old)

    assert report.upgraded_from == 1 and report.count("partner").added > 10
    assert digest(old) == before
    with sqlite3.connect(old) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    connection.close()


def test_a_merge_is_one_transaction(office: Path, hall: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(hall) as store, store.session() as session:
        partners.create_partner(session, data=PartnerInput(name="St Mark's Church", sector=Sector.FAITH))
    before = snapshot(office)

    def fails(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk went away half-way")

    monkeypatch.setattr(merging, "_merge_history_laptops_settings", fails)
    with pytest.raises(RuntimeError):
        merge(office, hall)
    assert snapshot(office).comparable() == before.comparable()
    assert history.HistoryAction.MERGED  # (the module's vocabulary, used above)
    with open_store(office) as store, store.session() as session:
        assert session.exec(select(models.Partner).where(col(models.Partner.name) == "St Mark's Church")).all() == []
