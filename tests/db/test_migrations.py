"""The schema-upgrade machinery, proved on real files of every released version.

``tests/data/schema_vN.sqlite`` is a real file written by version N of the schema (with the example data).
Every step in ``migrations.STEPS`` must be tested from the file before it: the meta-tests fail otherwise.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from sqlmodel import col, select

from cohesion_desktop.db import backups, migrations, models
from cohesion_desktop.db.store import open_store, writing
from cohesion_desktop.errors import DataFileError
from tests.conftest import DATA_DIR


def released_versions() -> list[int]:
    return sorted(int(m[1]) for p in DATA_DIR.glob("schema_v*.sqlite") if (m := re.match(r"schema_v(\d+)", p.stem)))


def copy_of(version: int, tmp_path: Path) -> Path:
    target = tmp_path / "cohesion.sqlite"
    shutil.copyfile(DATA_DIR / f"schema_v{version}.sqlite", target)
    return target


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    """Tables, indexes and their SQL, normalised for spacing, in a stable order."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
    connection.close()
    return [(kind, name, re.sub(r"\s+", " ", sql or "")) for kind, name, sql in rows]


def row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    connection.close()
    return counts


def test_every_released_version_has_a_real_file() -> None:
    assert released_versions() == list(range(1, migrations.SCHEMA_VERSION + 1))


def test_every_upgrade_step_can_be_tested_from_the_version_before_it() -> None:
    assert sorted(migrations.STEPS) == list(range(2, migrations.SCHEMA_VERSION + 1))
    for target in migrations.STEPS:
        assert (DATA_DIR / f"schema_v{target - 1}.sqlite").exists(), f"no file to test the step to v{target} from"


@pytest.mark.parametrize("version", released_versions())
def test_each_released_file_opens_with_nothing_lost_and_the_schema_of_a_new_file(version: int, tmp_path: Path) -> None:
    old = copy_of(version, tmp_path)
    before = row_counts(old)
    open_store(old).close()
    fresh = tmp_path / "fresh.sqlite"
    open_store(fresh).close()
    assert schema_of(old) == schema_of(fresh)
    after = row_counts(old)
    assert {table: after[table] for table in before} == before
    with sqlite3.connect(old) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    connection.close()


def _add_charity_number(connection: Connection) -> None:
    connection.execute(text("ALTER TABLE partner ADD COLUMN charity_number VARCHAR NOT NULL DEFAULT ''"))
    connection.execute(text("UPDATE partner SET charity_number = 'unknown'"))


def test_an_extra_step_upgrades_todays_real_file_with_nothing_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = migrations.SCHEMA_VERSION
    old = copy_of(current, tmp_path)
    before = row_counts(old)
    with sqlite3.connect(old) as connection:
        names_before = sorted(r[0] for r in connection.execute("SELECT name FROM partner"))
    connection.close()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(migrations.STEPS, current + 1, _add_charity_number)

    open_store(old).close()

    with sqlite3.connect(old) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == current + 1
        rows = connection.execute("SELECT name, charity_number FROM partner").fetchall()
    connection.close()
    assert sorted(name for name, _ in rows) == names_before
    assert {number for _, number in rows} == {"unknown"}
    assert row_counts(old) == before
    upgrade_backups = [b for b in backups.list_backups(old) if b.kind == f"upgrade-v{current}"]
    assert len(upgrade_backups) == 1
    assert row_counts(upgrade_backups[0].path) == before
    with sqlite3.connect(upgrade_backups[0].path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == current
    connection.close()


def _fails_half_way(connection: Connection) -> None:
    connection.execute(text("ALTER TABLE partner ADD COLUMN charity_number VARCHAR NOT NULL DEFAULT ''"))
    connection.execute(text("UPDATE partner SET name = 'overwritten'"))
    raise RuntimeError("step failed half way")


def test_a_failing_step_leaves_the_file_and_its_version_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = migrations.SCHEMA_VERSION
    old = copy_of(current, tmp_path)
    schema_before, counts_before = schema_of(old), row_counts(old)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(migrations.STEPS, current + 1, _fails_half_way)

    with pytest.raises(DataFileError, match="could not be upgraded.*step failed half way"):
        open_store(old)

    assert schema_of(old) == schema_before  # the ALTER TABLE was rolled back too
    assert row_counts(old) == counts_before
    with sqlite3.connect(old) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == current
        assert "overwritten" not in {r[0] for r in connection.execute("SELECT name FROM partner")}
    connection.close()


def test_v4_keeps_every_volunteer_of_a_v3_file_as_answered_and_takes_not_known_afterwards(tmp_path: Path) -> None:
    old = copy_of(3, tmp_path)
    with sqlite3.connect(old) as connection:
        before = dict(connection.execute("SELECT id, consent_to_contact FROM volunteer").fetchall())
    connection.close()

    open_store(old).close()

    with sqlite3.connect(old) as connection:
        after = {
            row[0]: row[1:]
            for row in connection.execute("SELECT id, consent_to_contact, consent_unknown FROM volunteer")
        }
        # A row written without the column (as an older laptop's merge or a raw insert would) is not unknown.
        connection.execute(
            "INSERT INTO volunteer (id, created_at, updated_at, name, email, phone, address, skills, availability,"
            " how_heard, consent_to_contact, consent_details, emergency_contact_name, emergency_contact_phone, notes,"
            " search_text) VALUES ('00000000000000000000000000000001', '2026-01-01', '2026-01-01', 'Row', '', '', '',"
            " '', '', '', 0, '', '', '', '', '')"
        )
        defaulted = connection.execute(
            "SELECT consent_unknown FROM volunteer WHERE id = '00000000000000000000000000000001'"
        ).fetchone()[0]
    connection.close()
    assert before and {volunteer_id: values[0] for volunteer_id, values in after.items()} == before
    assert {values[1] for values in after.values()} == {0}  # everyone stored had given an answer
    assert defaulted == 0


def test_v5_counts_every_record_of_a_v4_file_at_its_first_version_and_each_save_after(tmp_path: Path) -> None:
    old = copy_of(4, tmp_path)
    with open_store(old) as store, store.session() as session:
        partner = session.exec(select(models.Partner).order_by(col(models.Partner.name))).first()
        assert partner is not None and partner.version == 1
        with writing(session):
            partner.remit = "A new remit"
        with writing(session):
            partner.notes = "Met in December"
        assert partner.version == 3

    with sqlite3.connect(old) as connection:
        versions = {
            table: {row[0] for row in connection.execute(f"SELECT DISTINCT version FROM {table}")}
            for table in ("partner", "volunteer", "hours_entry", "matrix_entry", "laptop")
        }
    connection.close()
    assert versions["partner"] == {1, 3}
    assert all(versions[table] == {1} for table in ("volunteer", "hours_entry", "matrix_entry", "laptop"))
