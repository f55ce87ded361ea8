"""The offline copy of a team database (team mode, issue 17): ``backup --out laptop.sqlite`` on a team database
writes an ordinary data file from one snapshot of the server, never over an existing file unless asked, and never
half-written. (That its funder figures equal the server's: tests/services/test_engines_agree.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cohesion_desktop.cli import main
from cohesion_desktop.db import bulk, models, offline_copy
from cohesion_desktop.db.store import ServerStore, open_store
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import CohesionError, StorageError
from cohesion_desktop.services import partners
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.volunteering import volunteers
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from tests.conftest import as_new
from tests.postgres_server import PostgresServer


@pytest.fixture
def team(team_database: ServerStore) -> Iterator[ServerStore]:
    store = as_new(team_database)
    with store.session() as session:
        partners.create_partner(session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS))
        volunteers.create_volunteer(session, data=VolunteerInput(name="Aisha Khan", email="aisha@example.org"))
    yield store


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    """The folder the copy goes to, with nothing else in it."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def names_in(path: Path) -> list[str]:
    with open_store(path, read_only=True) as copy, copy.session() as session:
        return sorted(session.execute(select(models.Partner.name)).scalars())


def test_the_copy_is_an_ordinary_data_file_with_the_servers_records_and_ids(team: ServerStore, usb: Path) -> None:
    made = offline_copy.take_offline_copy(team, usb / "laptop.sqlite")
    assert sorted(path.name for path in usb.iterdir()) == ["laptop.sqlite"]  # no temporary left beside it
    with team.session() as session:
        server_ids = set(session.execute(select(models.Theme.id)).scalars())
    with open_store(made.path) as copy, copy.session() as session:  # opened for writing: a laptop works on it
        assert set(session.execute(select(models.Theme.id)).scalars()) == server_ids  # not a new file's own themes
        assert session.execute(select(models.Volunteer.email)).scalar() == "aisha@example.org"
        assert session.scalar(select(func.count()).select_from(models.HistoryEntry)) == made.rows["history"] > 0
    assert made.rows["partner"] == 1 and made.left_out == ()


def test_an_existing_file_is_replaced_only_when_asked(team: ServerStore, tmp_path: Path) -> None:
    out = tmp_path / "laptop.sqlite"
    out.write_bytes(b"last week's notes")
    with pytest.raises(CohesionError, match=r"There is already a file at .*\(add --replace to replace it\)"):
        offline_copy.take_offline_copy(team, out)
    assert out.read_bytes() == b"last week's notes"
    offline_copy.take_offline_copy(team, out, replace=True)
    assert names_in(out) == ["Millbrook Food Bank"]


def test_the_copy_is_one_snapshot_whatever_is_written_while_it_runs(
    team: ServerStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partner added by someone else after the copy began is not in it (the copy reads one snapshot)."""
    written = []
    insert_rows = bulk.insert_rows

    def someone_else_writes_meanwhile(*args: Any) -> int:
        if not written:
            with team.session() as session:
                written.append(partners.create_partner(session, data=PartnerInput(name="Late CVS", sector=Sector.VCS)))
        return insert_rows(*args)

    monkeypatch.setattr(bulk, "insert_rows", someone_else_writes_meanwhile)
    made = offline_copy.take_offline_copy(team, tmp_path / "laptop.sqlite")
    assert written and names_in(made.path) == ["Millbrook Food Bank"]
    with team.session() as session:
        assert partners.list_partners(session)[0].name == "Late CVS"  # the server has it: the copy began before


def test_a_copy_that_fails_leaves_nothing(team: ServerStore, usb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*_args: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bulk, "insert_rows", full_disk)
    with pytest.raises(StorageError, match="There is no room left on the disk"):
        offline_copy.take_offline_copy(team, usb / "laptop.sqlite")
    assert list(usb.iterdir()) == []


def test_backup_on_a_team_database_says_what_it_copied_and_refuses_to_overwrite(
    team: ServerStore, postgres_server: PostgresServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, url = tmp_path / "laptop.sqlite", postgres_server.url("cohesion_tests")
    capsys.readouterr()
    assert main(["--data", url, "backup", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Copied the team database 'cohesion_tests' on 127.0.0.1") and f"{out} (" in said
    assert main(["--data", url, "backup", "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "There is already a file at" in error and error.count("\n") == 1
