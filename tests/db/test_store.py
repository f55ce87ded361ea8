"""Opening data files: the promises of DESIGN.md's 'Data safety' section, on real files and processes."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlmodel import select

from cohesion_desktop.db import migrations, models
from cohesion_desktop.db.sqlite_file import APPLICATION_ID, BUSY_TIMEOUT_MS
from cohesion_desktop.db.store import Store, open_store, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import (
    DataFileError,
    DataFileInUseError,
    DataFileMissingFolderError,
    DataFileNotOursError,
    DataFileTooNewError,
    StorageError,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def held_by_another_process(path: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process that opens ``path`` for writing and keeps it open until told to stop."""
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from cohesion_desktop.db.store import open_store
        store = open_store(Path({str(path)!r}))
        print("open", flush=True)
        sys.stdin.readline()
        store.close()
    """)
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        yield child
    finally:
        if child.poll() is None:
            child.communicate("\n", timeout=30)


def test_every_connection_has_wal_full_sync_foreign_keys_and_a_busy_timeout(store: Store) -> None:
    with ExitStack() as stack:
        # Several at once, so the pool has to make more than one real connection.
        connections = [stack.enter_context(store.engine.connect()) for _ in range(3)]
        raw = {id(c.connection.dbapi_connection) for c in connections}
        assert len(raw) == 3
        for connection in connections:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS


def test_a_new_file_is_stamped_and_holds_the_default_themes_and_templates(store: Store) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA user_version").scalar() == migrations.SCHEMA_VERSION
        assert connection.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
    with store.session() as session:
        themes = session.exec(select(models.Theme.name)).all()
        assert len(themes) == 20 and "Social isolation and loneliness" in themes
        default = session.exec(select(models.MatrixTemplate).where(models.MatrixTemplate.is_default)).one()
        rows = session.exec(
            select(models.MatrixTemplateRow.title)
            .where(models.MatrixTemplateRow.template_id == default.id)
            .order_by(models.MatrixTemplateRow.position)
        ).all()
    assert default.name == "Local cohesion strategy (Belong)"
    assert rows == [
        "1. Building cross-sectoral partnerships",
        "2. Promoting socially mixed spaces",
        "3. Encourage active social engagement and volunteering",
    ]


def test_a_second_process_is_told_the_file_is_open_in_another_window(data_file: Path) -> None:
    open_store(data_file).close()
    before = digest(data_file)
    with held_by_another_process(data_file), pytest.raises(DataFileInUseError, match="open in another window"):
        open_store(data_file)
    assert digest(data_file) == before
    open_store(data_file).close()  # once the other window closed, it opens


def test_reading_is_allowed_while_another_process_edits(data_file: Path) -> None:
    open_store(data_file).close()
    with held_by_another_process(data_file), open_store(data_file, read_only=True) as reader:
        assert reader.schema_version == migrations.SCHEMA_VERSION


def test_disk_full_during_an_edit_rolls_it_back_and_says_so(store: Store) -> None:
    with store.session() as session, writing(session):
        session.add(models.Partner(name="Harrowfield CVS", sector=Sector.VCS))
    with store.session() as session:
        connection = session.connection()
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StorageError, match="no room left on the disk.*not saved"), writing(session):
            session.add(models.Partner(name="Big remit", sector=Sector.VCS, remit="x" * 200_000))
        names = session.exec(select(models.Partner.name)).all()
        connection = session.connection()
        connection.exec_driver_sql("PRAGMA max_page_count = 1073741823")
    assert names == ["Harrowfield CVS"]


def test_an_edit_committed_before_a_kill_is_there_after_reopening(data_file: Path) -> None:
    open_store(data_file).close()
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from cohesion_desktop.db import models
        from cohesion_desktop.db.store import open_store, writing
        from cohesion_desktop.domain import Sector
        store = open_store(Path({str(data_file)!r}))
        with store.session() as session, writing(session):
            session.add(models.Partner(name="Committed then killed", sector=Sector.FAITH))
        print("committed", flush=True)
        time.sleep(120)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "committed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert data_file.with_name(data_file.name + "-wal").exists()  # the edit lives in the WAL, unmerged
    with open_store(data_file) as reopened, reopened.session() as session:
        assert session.exec(select(models.Partner.name)).all() == ["Committed then killed"]


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataFileMissingFolderError, match=r"folder .*gone does not exist"):
        open_store(tmp_path / "gone" / "cohesion.sqlite")


def test_a_folder_is_not_a_data_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="is a folder"):
        open_store(tmp_path)


def test_a_file_from_a_newer_app_is_refused_untouched(data_file: Path) -> None:
    open_store(data_file).close()
    with sqlite3.connect(data_file) as connection:
        connection.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    connection.close()
    before = digest(data_file)
    with pytest.raises(DataFileTooNewError, match="newer version.*left as it is"):
        open_store(data_file)
    assert digest(data_file) == before


def test_somebody_elses_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "accounts.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE ledger (amount REAL)")
        connection.execute("INSERT INTO ledger VALUES (12.5)")
    connection.close()
    before = digest(other)
    with pytest.raises(DataFileNotOursError, match="not a Cohesion Desktop data file"):
        open_store(other)
    assert digest(other) == before


def test_read_only_open_of_a_missing_file_creates_nothing(data_file: Path) -> None:
    with pytest.raises(DataFileError, match="no data file"):
        open_store(data_file, read_only=True)
    assert not data_file.exists()


def test_closing_releases_the_lock_and_merges_the_wal(data_file: Path) -> None:
    store = open_store(data_file)
    with store.session() as session, writing(session):
        session.add(models.Partner(name="Harrowfield College", sector=Sector.EDUCATION))
    store.close()
    assert not data_file.with_name(data_file.name + "-wal").exists()
    open_store(data_file).close()
