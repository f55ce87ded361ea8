"""Record versions (schema 5, db/versions.py): every save counts one, and a save over a change somebody else made
since the read is refused with who and when, on a data file and on a team database alike."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from cohesion_desktop import i18n
from cohesion_desktop.db import models, versions
from cohesion_desktop.db.store import Store, writing
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import ConflictError, StorageError
from cohesion_desktop.formatting import format_datetime, format_time
from cohesion_desktop.services import partners


@pytest.fixture
def partner_id(store: Store) -> uuid.UUID:
    with store.session() as session, writing(session):
        partner = models.Partner(name="Harrowfield CVS", sector=Sector.VCS)
        session.add(partner)
    return partner.id


@pytest.fixture
def opened(store: Store) -> Iterator[Session]:
    """A second person's session (as another laptop's), named Sam in the history."""
    with store.session() as session:
        yield session


def _read(store: Store, partner_id: uuid.UUID) -> tuple[Session, models.Partner]:
    """A session that read the partner, its read finished (the record stays as read, as an open editor holds it)."""
    session = store.session()
    partner = session.get(models.Partner, partner_id)
    assert partner is not None
    session.commit()
    return session, partner


def _stored_version(store: Store, partner_id: uuid.UUID) -> int:
    with store.session() as session:
        return session.exec(select(models.Partner.version).where(col(models.Partner.id) == partner_id)).one()


def test_a_record_starts_at_version_1_and_each_write_counts_one(store: Store, partner_id: uuid.UUID) -> None:
    assert _stored_version(store, partner_id) == 1
    with store.session() as session:
        partners.update_partner(session, partner_id=partner_id, changes={"remit": "Volunteering"})
    # One write, its fields and the search text made from them together.
    assert _stored_version(store, partner_id) == 2
    with store.session() as session:
        partners.update_partner(session, partner_id=partner_id, changes={"notes": "Met in May"})  # not searched
    assert _stored_version(store, partner_id) == 3
    with store.session() as session:
        partners.set_themes(session, partner_id=partner_id, names=["Youth"])  # the links, then the partner once
    assert _stored_version(store, partner_id) == 4
    with store.session() as session, writing(session):
        session.execute(
            versions.update_rows(models.Partner).where(col(models.Partner.id) == partner_id).values(notes="")
        )
    assert _stored_version(store, partner_id) == 5


def test_a_save_over_a_change_made_since_the_read_is_refused_and_says_who_and_when(
    store: Store, partner_id: uuid.UUID
) -> None:
    mine, my_partner = _read(store, partner_id)
    theirs, their_partner = _read(store, partner_id)
    store.identity.name = "Sam"
    with writing(theirs):
        their_partner.notes = "Sam's notes"
    store.identity.name = "Alex"

    with pytest.raises(ConflictError) as refused, writing(mine):
        my_partner.notes = "Alex's notes"

    conflict = refused.value
    assert isinstance(conflict, StorageError)  # shown as any refused save is: nothing of it was written
    assert (conflict.kind, conflict.record_id, conflict.yours, conflict.theirs) == ("partner", partner_id, 1, 2)
    assert conflict.who == "Sam" and conflict.at is not None
    assert str(conflict).startswith(f"Changed by Sam at {format_time(conflict.at.replace(tzinfo=UTC).astimezone())}")
    assert "while you were editing" in str(conflict)
    with store.session() as session:
        stored = session.get(models.Partner, partner_id)
        assert stored is not None and (stored.notes, stored.version) == ("Sam's notes", 2)
    # Read again, the same save goes through.
    partners.update_partner(mine, partner_id=partner_id, changes={"notes": "Alex's notes"})
    assert _stored_version(store, partner_id) > 2
    mine.close()
    theirs.close()


def test_a_save_of_a_record_removed_for_good_since_the_read_says_removed(store: Store, partner_id: uuid.UUID) -> None:
    mine, my_partner = _read(store, partner_id)
    store.identity.name = "Sam"
    with store.session() as session, writing(session):
        gone = session.get(models.Partner, partner_id)
        session.delete(gone)
    removed = r"^Removed by Sam at \d\d:\d\d while you were editing"
    with pytest.raises(ConflictError, match=removed) as refused, writing(mine):
        my_partner.notes = "Too late"
    assert refused.value.theirs is None
    mine.close()


def test_a_save_made_from_what_an_editor_showed_is_refused_when_somebody_saved_since(
    store: Store, partner_id: uuid.UUID
) -> None:
    # As the window works: each call has a session of its own; the version shown comes back with the save.
    with store.session() as session:
        shown = partners.get_partner(session, partner_id)
    store.identity.name = "Sam"
    with store.session() as session:
        partners.update_partner(session, partner_id=partner_id, changes={"remit": "Sam's remit"}, version=shown.version)
    store.identity.name = "Alex"
    with store.session() as session, pytest.raises(ConflictError, match="^Changed by Sam at") as refused:
        partners.update_partner(session, partner_id=partner_id, changes={"notes": "Alex's"}, version=shown.version)
    assert (refused.value.yours, refused.value.who) == (shown.version, "Sam")
    assert refused.value.theirs is not None and refused.value.theirs > shown.version
    with store.session() as session:
        again = partners.get_partner(session, partner_id)
        assert (again.remit, again.notes) == ("Sam's remit", "")  # nothing of the refused save
        saved = partners.update_partner(
            session, partner_id=partner_id, changes={"notes": "Alex's"}, version=again.version
        )
    with store.session() as session:
        assert partners.get_partner(session, partner_id).notes == "Alex's"
    assert saved.version > again.version


def test_the_words_name_the_day_when_it_was_not_today_and_are_welsh_in_welsh() -> None:
    at = datetime(2026, 11, 30, 14, 2, tzinfo=UTC)
    found = versions.Overtaken("partner", uuid.uuid4(), 3, 4, "Sam", at)
    said = versions.conflict_message(found, now=at + timedelta(days=2))
    assert said.startswith(f"Changed by Sam at {format_datetime(at)} while you were editing.")
    assert versions.conflict_message(None).startswith("Changed by someone else while you were editing.")
    i18n.set_language("cy")
    assert versions.conflict_message(found, now=at).startswith(
        f"Newidiwyd gan Sam am {format_time(at.astimezone())} tra oeddech chi'n golygu."
    )


def test_an_update_that_forgets_the_version_is_told_apart() -> None:
    from sqlalchemy import update

    assert versions.forgets_the_version(update(models.Partner).values(notes=""))
    assert not versions.forgets_the_version(versions.update_rows(models.Partner).values(notes=""))
    assert not versions.forgets_the_version(update(models.Setting).values(value=""))  # no versions there
    by_id = versions.update_by_id(models.Volunteer)
    assert versions.forgets_the_version(by_id, [{"id": uuid.uuid4(), "name": "Ann"}])
    assert not versions.forgets_the_version(by_id, [{"id": uuid.uuid4(), "name": "Ann", "version": 1}])
