"""Live refresh (team mode, db/live.py) on the tests' real PostgreSQL: what one copy commits reaches another copy's
listener as its tables and ids; a rollback tells nothing; a copy never hears its own changes; a lost connection is
made again and says that anything may have changed."""

from __future__ import annotations

import queue
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from cohesion_desktop.changes import Area, Changes
from cohesion_desktop.db import live, models
from cohesion_desktop.db.store import ServerStore, open_store, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.services import partners
from cohesion_desktop.workspace import Workspace
from tests.conftest import as_new

# How long a test waits for a notice before it fails: far more than delivery takes (milliseconds; the bench measures
# it), so that a loaded machine does not fail the test.
PATIENCE_S = 15


@pytest.fixture
def mine(team_database: ServerStore) -> ServerStore:
    """This laptop's copy of the team database, as new."""
    return as_new(team_database)


@pytest.fixture
def theirs(mine: ServerStore) -> Iterator[ServerStore]:
    """Another laptop's copy of the same team database."""
    other = open_store(mine.address)
    yield other
    other.close()


@pytest.fixture
def heard(mine: ServerStore) -> Iterator[queue.Queue[live.ChangeNotice]]:
    """What this laptop's listener hands on, listening before the test writes."""
    notices: queue.Queue[live.ChangeNotice] = queue.Queue()
    listener = mine.listen_to_others(notices.put)
    assert listener.listening.wait(PATIENCE_S)
    yield notices
    listener.stop()


def _add_partner(store: ServerStore, name: str) -> uuid.UUID:
    with store.session() as session, writing(session):
        partner = models.Partner(name=name, sector=Sector.VCS)
        session.add(partner)
    return partner.id


def test_a_partner_another_copy_adds_is_heard_as_its_table_and_id(
    theirs: ServerStore, heard: queue.Queue[live.ChangeNotice]
) -> None:
    added = _add_partner(theirs, "Harrowfield CVS")
    notice = heard.get(timeout=PATIENCE_S)
    assert notice.copy == theirs.copy
    assert notice.tables is not None and "partner" in notice.tables
    assert added in notice.ids
    changes = Changes.of_tables(notice.tables, notice.ids, notice.unnamed, by_others=True)
    assert Area.PARTNERS in changes.areas and changes.may_have_changed("partner")
    assert changes.names_rows_of(["partner"])  # a page may read only that row again


def test_an_edit_another_copy_saves_is_heard(
    mine: ServerStore, theirs: ServerStore, heard: queue.Queue[live.ChangeNotice]
) -> None:
    with mine.session() as session:  # made by this copy: not heard
        first = partners.create_partner(session, data=partners.PartnerInput(name="Kirkby Trust", sector=Sector.FUNDER))
    with theirs.session() as session:
        partners.update_partner(session, partner_id=first.id, changes={"remit": "Small grants"})
    notice = heard.get(timeout=PATIENCE_S)
    assert notice.copy == theirs.copy and notice.tables is not None and "partner" in notice.tables


def test_a_rollback_tells_nothing_and_own_changes_are_not_heard(
    mine: ServerStore, theirs: ServerStore, heard: queue.Queue[live.ChangeNotice]
) -> None:
    with theirs.session() as session:
        session.add(models.Partner(name="Never saved", sector=Sector.VCS))
        session.flush()
        session.rollback()
    _add_partner(mine, "Ours")  # this copy's own change: its window knows already
    marker = _add_partner(theirs, "Told after both")
    # Notices arrive in the order of their commits: the first one heard is the marker's.
    notice = heard.get(timeout=PATIENCE_S)
    assert notice.copy == theirs.copy and marker in notice.ids
    with theirs.session() as session:
        assert session.exec(select(models.Partner.name)).all().count("Never saved") == 0
    assert heard.empty()


def test_a_failed_write_is_rolled_back_and_tells_nothing(
    theirs: ServerStore, heard: queue.Queue[live.ChangeNotice]
) -> None:
    with pytest.raises(ValueError), theirs.session() as session, writing(session):
        session.add(models.Partner(name="Half made", sector=Sector.VCS))
        session.flush()
        raise ValueError("the user's mistake, found after the flush")
    marker = _add_partner(theirs, "Marker")
    assert marker in heard.get(timeout=PATIENCE_S).ids


def test_a_large_change_names_its_tables_only(theirs: ServerStore, heard: queue.Queue[live.ChangeNotice]) -> None:
    with theirs.session() as session, writing(session):
        session.add_all(models.Partner(name=f"Partner {n}", sector=Sector.VCS) for n in range(live.MOST_IDS + 1))
    notice = heard.get(timeout=PATIENCE_S)
    assert notice.ids == frozenset() and notice.tables is not None and "partner" in notice.unnamed
    assert not Changes.of_tables(notice.tables, notice.ids, notice.unnamed).names_rows_of(["partner"])


def test_a_lost_connection_is_made_again_and_says_anything_may_have_changed(
    mine: ServerStore, theirs: ServerStore, heard: queue.Queue[live.ChangeNotice]
) -> None:
    with theirs.engine.begin() as connection:  # as a server restart or a dropped network would
        ended = connection.execute(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": "cohesion-desktop (live refresh)"},
        ).scalar_one()
    assert ended >= 1
    assert heard.get(timeout=PATIENCE_S) == live.ChangeNotice.unknown()
    assert Changes.of_tables(None) == Changes.everything()
    added = _add_partner(theirs, "After the break")
    assert added in heard.get(timeout=PATIENCE_S).ids


def test_a_notice_that_cannot_be_read_means_anything_may_have_changed() -> None:
    assert live.ChangeNotice.from_payload("{not json") == live.ChangeNotice.unknown()
    sent = live.ChangeNotice("copy", frozenset({"partner"}), frozenset({uuid.uuid4()}), frozenset())
    assert live.ChangeNotice.from_payload(sent.to_payload()) == sent


def test_the_workspace_hands_on_others_changes_marked_as_theirs(mine: ServerStore, theirs: ServerStore) -> None:
    workspace = Workspace(mine)  # type: ignore[arg-type]  # the window on a team database: issue 17
    delivered: queue.Queue[Changes] = queue.Queue()
    assert workspace.follow_others(delivered.put)
    assert workspace._others is not None and workspace._others.listening.wait(PATIENCE_S)
    added = _add_partner(theirs, "Harrowfield CVS")
    changes = delivered.get(timeout=PATIENCE_S)
    assert changes.by_others and Area.PARTNERS in changes.areas and added in changes.ids
    listener = workspace._others
    workspace._others = None  # the test's store outlives the workspace: stop only the listener
    listener.stop()
    assert not listener._thread.is_alive()


def test_a_data_file_has_nobody_else_to_hear(data_file: Path) -> None:
    workspace = Workspace(open_store(data_file))
    assert not workspace.follow_others(lambda _changes: None)
    workspace.close()
