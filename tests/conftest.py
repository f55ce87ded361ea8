"""Shared fixtures. Every test gets its own app folders and data file; nothing touches the real ones."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before any Qt import anywhere: no display in CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Until the per-test fixture takes over, point the app's folders somewhere harmless.
os.environ["COHESION_HOME"] = tempfile.mkdtemp(prefix="cohesion-tests-")
atexit.register(shutil.rmtree, os.environ["COHESION_HOME"], ignore_errors=True)  # one per test process
os.environ.pop("COHESION_DATA", None)
# The tests read the app's English; a Welsh laptop (LANG=cy_GB.UTF-8) would otherwise start the command line in
# Welsh. The tests of the Welsh interface ask for it (--lang cy, Settings).
os.environ["LANGUAGE"] = "en"
# Never the computer's own keyring (a team database's password): keyring reads this when first imported, and finds
# no keyring. The tests of remembered passwords set an in-memory one (tests/journeys/test_team_database.py).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import pytest  # noqa: E402
from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.orm import Session as OrmSession  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from cohesion_desktop import paths  # noqa: E402
from cohesion_desktop.db import history, versions  # noqa: E402
from cohesion_desktop.db.defaults import seed_defaults  # noqa: E402
from cohesion_desktop.db.server import ServerAddress  # noqa: E402
from cohesion_desktop.db.store import ServerStore, Store, open_store, prepare_team_database  # noqa: E402
from tests.killing import KillRunner  # noqa: E402
from tests.postgres_server import PostgresServer  # noqa: E402

TESTS_DIR = Path(__file__).resolve().parent

# Every UPDATE any test runs through a session counts a save of each row it changes, or the test fails there: a
# statement that forgets db.versions would let a stale save through on a team database.
event.listen(OrmSession, "do_orm_execute", versions.check_every_update)
DATA_DIR = TESTS_DIR / "data"


@pytest.fixture(autouse=True)
def speaks_english_again() -> Iterator[None]:
    """A test that switched to Welsh leaves the next one in English (the language is the process's)."""
    yield
    from cohesion_desktop import i18n

    if i18n.language() != i18n.SOURCE_LANGUAGE:
        if "PySide6.QtCore" in sys.modules:
            from cohesion_desktop.ui.translation import apply_language

            apply_language(i18n.SOURCE_LANGUAGE)
        else:
            i18n.set_language(i18n.SOURCE_LANGUAGE)


@pytest.fixture(scope="session", autouse=True)
def temporary_folders_in_the_runs_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every temporary folder of the run -- this process's and its children's (the app, the bench, PostgreSQL,
    screens.py) -- is made inside pytest's folder of the run, which pytest keeps for the last three runs only: one
    killed (a timeout's SIGKILL, a closed terminal), whose own clean-up never ran, leaves nothing in /tmp for good."""
    folder = tmp_path_factory.mktemp("tmp")
    patch = pytest.MonkeyPatch()
    patch.setenv("TMPDIR", str(folder))
    patch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    patch.undo()


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh COHESION_HOME (data, backups, logs, settings) for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("COHESION_HOME", str(home))
    monkeypatch.delenv("COHESION_DATA", raising=False)
    paths.ensure_app_dirs()
    return home


@pytest.fixture(scope="session")
def example_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example town, made once per test process; tests that need it work on copies of it."""
    from cohesion_desktop.services import demo

    path = tmp_path_factory.mktemp("example") / "example.sqlite"
    with open_store(path) as made, made.session() as session:
        demo.load_demo(session)
    return path


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    """Where a test's data file lives (not created yet)."""
    return tmp_path / "cohesion.sqlite"


# The test files whose tests of a ``store`` or ``session`` run on both engines: a data file (SQLite) and a team
# database on a real PostgreSQL server (team mode, issue 17), ids ``[sqlite]`` and ``[postgresql]``. They are the
# services whose SQL differs by engine or was found to: raw ids and their prefixes, GROUP BY, ILIKE, temporary
# tables, sums of hours and the day totals' triggers (reporting, volunteering, partners, workshops, erasure), the
# history's copy of a server (history), record versions and stale saves, and the two that compare engines. The
# other service files run the same kinds of statement through the same functions (lists, the remit map), or work on
# files (imports, merge, the follow-up pack): on both engines they would cost make test ~15 s (at load 10) and find
# nothing more.
# A test of what only a file has (its bytes, backups, wipe, lock, a copy of it) is marked file_only.
BOTH_ENGINES = frozenset(
    {
        "test_reporting.py",
        "test_volunteering.py",
        "test_partners.py",
        "test_workshops.py",
        "test_erasure.py",
        "test_history.py",
        "test_engines_agree.py",
        "test_hours_day.py",
        "test_versions.py",
        "test_stale_saves.py",
    }
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" not in metafunc.fixturenames or metafunc.definition.path.name not in BOTH_ENGINES:
        return
    file_only = metafunc.definition.get_closest_marker("file_only") is not None
    metafunc.parametrize("engine_name", ["sqlite"] if file_only else ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def engine_name(request: pytest.FixtureRequest) -> str:
    """The engine under the test's ``store``: "sqlite" (a data file), or "postgresql" in :data:`BOTH_ENGINES`."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def store(engine_name: str, data_file: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A new, empty data file; or the test process's team database, as new (emptied, its first rows again)."""
    if engine_name == "postgresql":
        yield as_new(request.getfixturevalue("team_database"))
        return
    opened = open_store(data_file)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def team_database(postgres_server: PostgresServer) -> Iterator[ServerStore]:
    """This test process's team database, prepared by ``init`` as a user's is. Emptied between tests rather than
    made anew: a new database per test cost ~300 ms of the server's time, emptying it ~10 ms."""
    admin = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "cohesion_tests"'))
    admin.dispose()
    address = ServerAddress.parse(postgres_server.url("cohesion_tests"))
    prepare_team_database(address)
    opened = open_store(address)
    yield opened
    opened.close()


_EMPTY_EVERY_TABLE = "; ".join(f'DELETE FROM "{table.name}"' for table in reversed(SQLModel.metadata.sorted_tables))


def as_new(store: ServerStore) -> ServerStore:
    """The team database emptied and given a new database's first rows; the store as if just opened."""
    with store.engine.begin() as connection:
        # One round trip for every table (children first); TRUNCATE was slower for tables this small.
        connection.exec_driver_sql(_EMPTY_EVERY_TABLE)
        seed_defaults(connection)
    store.identity = history.CopyIdentity(store.identity.path)
    store.last_commit_at = None
    store.notes = []
    return store


@pytest.fixture
def session(store: Store) -> Iterator[Session]:
    with store.session() as opened:
        yield opened


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server of this test process, started when a test first asks (a few seconds), for team
    mode (issue 17). Never skipped: without the server's programs the tests fail and say how to get them."""
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def kill_runner() -> Iterator[KillRunner]:
    """Runs commands in real processes and SIGKILLs them at chosen moments (tests/kill_runner.py)."""
    runner = KillRunner()
    yield runner
    runner.close()


# The files that take longest first: in make test's two processes, the many short tests then fill the time
# around them instead of one long file running alone at the end.
FIRST = (
    "test_installer.py",
    "test_layout.py",
    "test_wheel.py",
    "test_bench.py",
    "test_merging_properties.py",
    "test_long_session.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: FIRST.index(item.path.name) if item.path.name in FIRST else len(FIRST))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Windows a test made are really deleted before the next test. pytest-qt closes them and calls deleteLater,
    but outside an event loop Qt keeps them until something runs one: each left-over window kept its pages, its
    application-wide event filters and its listeners, and every later test in the process was slower for them."""
    yield
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent

        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
