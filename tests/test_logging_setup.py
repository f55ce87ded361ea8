"""The log file holds what support needs (what failed, where in the code, SQLite's words) and no personal data."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cohesion_desktop.db.store import ServerStore, Store
from cohesion_desktop.errors import StorageError
from cohesion_desktop.logging_setup import WITHHELD, configure_logging
from cohesion_desktop.services.volunteering import volunteers
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from tests.conftest import as_new

PERSON = VolunteerInput(name="Annabel Bothwick-Quayle", email="annabel.bq@example.org", phone="07700 900555")
SECRETS = ("Annabel", "Bothwick", "annabel.bq@example.org", "07700 900555")


@pytest.fixture
def log_path() -> Iterator[Path]:
    path = configure_logging()
    yield path
    for handler in logging.getLogger().handlers:
        handler.flush()


def logged(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_a_failed_write_logs_sqlites_words_but_not_the_values(store: Store, log_path: Path) -> None:
    made = uuid.uuid4()
    with store.session() as session:
        volunteers.create_volunteer(session, data=PERSON, volunteer_id=made)
        with pytest.raises(StorageError):  # the same id twice: SQLAlchemy's message would quote every value
            volunteers.create_volunteer(session, data=PERSON, volunteer_id=made)
    text = logged(log_path)
    assert "write failed" in text and "UNIQUE constraint failed: volunteer.id" in text  # what support needs
    for secret in SECRETS:
        assert secret not in text, secret


def test_a_failed_write_to_a_team_database_logs_the_servers_code_and_names_but_not_the_values(
    team_database: ServerStore, log_path: Path
) -> None:
    store = as_new(team_database)
    made = uuid.uuid4()
    with store.session() as session:
        volunteers.create_volunteer(session, data=PERSON, volunteer_id=made)
        with pytest.raises(StorageError):  # the server's DETAIL would quote the key: (id)=(…)
            volunteers.create_volunteer(session, data=PERSON, volunteer_id=made)
    text = logged(log_path)
    assert "UniqueViolation (SQLSTATE 23505; schema public; table volunteer; constraint volunteer_pkey)" in text
    for secret in (*SECRETS, str(made)):
        assert secret not in text, secret


def test_a_traceback_is_logged_without_its_message_unless_it_is_sqlites(log_path: Path) -> None:
    try:
        try:
            raise KeyError(PERSON.name)  # (the traceback quotes these source lines: they must not hold the data)
        except KeyError as inner:
            raise ValueError(f"'{PERSON.email}' is not valid") from inner
    except ValueError:
        logging.getLogger("test").exception("export failed")
    try:
        (Path("/nonexistent-folder") / f"{PERSON.name}.txt").read_text()
    except OSError:
        logging.getLogger("test").exception("reading failed")
    text = logged(log_path)
    assert "export failed" in text and "builtins.ValueError: " + WITHHELD in text
    assert "builtins.KeyError: " + WITHHELD in text and "direct cause" in text
    assert "test_logging_setup.py" in text  # the frames are kept
    assert "[ENOENT] No such file or directory" in text
    for secret in SECRETS:
        assert secret not in text, secret
