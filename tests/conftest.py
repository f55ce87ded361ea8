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

import pytest  # noqa: E402
from sqlmodel import Session  # noqa: E402

from cohesion_desktop import paths  # noqa: E402
from cohesion_desktop.db.store import Store, open_store  # noqa: E402
from tests.killing import KillRunner  # noqa: E402
from tests.postgres_server import PostgresServer  # noqa: E402

TESTS_DIR = Path(__file__).resolve().parent
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


@pytest.fixture
def store(data_file: Path) -> Iterator[Store]:
    opened = open_store(data_file)
    yield opened
    opened.close()


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
