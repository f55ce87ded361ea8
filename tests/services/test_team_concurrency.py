"""Twenty people on one team database at once (team mode, issue 17): each laptop (a thread with a store of its own)
edits partners, logs hours and adds matrix entries for a fixed number of rounds. Nothing is lost, every save over
somebody else's change is refused with a ConflictError naming them, and the totals are the sums each one wrote."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import col, func, select

from cohesion_desktop.db import models
from cohesion_desktop.db.store import ServerStore, open_store, writing
from cohesion_desktop.domain import MatrixColumn, OpportunityStatus, Sector
from cohesion_desktop.errors import ConflictError
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.volunteering import placements
from tests.conftest import as_new

CLIENTS = 20
ROUNDS = 3
PARTNERS = 4  # five people edit each partner in every round: one save wins, four are refused
DAY = date(2026, 11, 2)


@dataclass
class Shared:
    """What the laptops work on (made before they start)."""

    partner_ids: list[uuid.UUID]
    placement_id: uuid.UUID
    workshop_id: uuid.UUID
    row_id: uuid.UUID


@dataclass
class Done:
    """What one laptop saw happen."""

    saved: list[tuple[int, uuid.UUID, str]] = field(default_factory=list)  # round, partner, the notes written
    refused: list[tuple[int, uuid.UUID, ConflictError]] = field(default_factory=list)
    hours: float = 0.0
    entries: list[str] = field(default_factory=list)
    failed: list[BaseException] = field(default_factory=list)


def _prepare(store: ServerStore) -> Shared:
    with store.session() as session:
        partner_ids = [
            partners.create_partner(session, data=partners.PartnerInput(name=f"Partner {n}", sector=Sector.VCS)).id
            for n in range(PARTNERS)
        ]
    with store.session() as session, writing(session):
        offer = models.Opportunity(title="Café helper", host_partner_id=partner_ids[0], status=OpportunityStatus.OPEN)
        person = models.Volunteer(name="Ann Volunteer")
        session.add_all([offer, person])
        session.flush()
        placement = models.Placement(volunteer_id=person.id, opportunity_id=offer.id)
        session.add(placement)
    with store.session() as session:
        template = next(t for t in workshops.templates(session) if t.is_default)
        workshop = workshops.create_workshop(
            session, data=workshops.WorkshopInput(title="Roundtable", held_on=DAY, template_id=template.id)
        )
    return Shared(partner_ids, placement.id, workshop.id, workshop.rows[0].id)


def _laptop(number: int, address: object, shared: Shared, barrier: threading.Barrier, done: Done) -> None:
    try:
        with open_store(address) as store:  # type: ignore[call-overload]
            store.identity.name = f"Person {number}"
            partner_id = shared.partner_ids[number % PARTNERS]
            for round_number in range(ROUNDS):
                with store.session() as session:
                    opened = partners.get_partner(session, partner_id)  # the editor opens: the partner as it is now
                    barrier.wait()  # everybody has it open before anybody saves
                    notes = f"Round {round_number}, person {number}"
                    try:
                        # With the version the editor showed, as the window saves: the session's own copy of the
                        # partner may be gone by then (the identity map holds it weakly), and read again afresh.
                        partners.update_partner(
                            session, partner_id=partner_id, changes={"notes": notes}, version=opened.version
                        )
                        done.saved.append((round_number, partner_id, notes))
                    except ConflictError as refused:
                        done.refused.append((round_number, partner_id, refused))
                with store.session() as session:
                    hours = 0.25 * (1 + (number + round_number) % 4)
                    placements.log_hours(session, placement_id=shared.placement_id, on_date=DAY, hours=hours, today=DAY)
                    done.hours += hours
                    text = f"Idea {round_number} of person {number}"
                    workshops.add_entry(
                        session,
                        workshop_id=shared.workshop_id,
                        row_id=shared.row_id,
                        column=MatrixColumn.COULD_DO_MORE,
                        text=text,
                    )
                    done.entries.append(text)
                barrier.wait()  # the round is over for everybody
    except BaseException as exc:
        done.failed.append(exc)
        barrier.abort()


def test_twenty_people_at_once_lose_nothing_and_every_save_over_another_is_refused(
    team_database: ServerStore,
) -> None:
    store = as_new(team_database)
    shared = _prepare(store)
    with store.session() as session:
        first_versions = {p: session.get_one(models.Partner, p).version for p in shared.partner_ids}
    barrier = threading.Barrier(CLIENTS, timeout=60)
    done = [Done() for _ in range(CLIENTS)]
    laptops = [
        threading.Thread(target=_laptop, args=(n, store.address, shared, barrier, done[n])) for n in range(CLIENTS)
    ]
    for laptop in laptops:
        laptop.start()
    for laptop in laptops:
        laptop.join(120)
    assert [failure for d in done for failure in d.failed] == []

    saved = [s for d in done for s in d.saved]
    refused = [r for d in done for r in d.refused]
    # Each round, of the five who had a partner open, exactly one save went through; the four others were refused.
    assert Counter((r, p) for r, p, _ in saved) == {(r, p): 1 for r in range(ROUNDS) for p in shared.partner_ids}
    assert len(refused) == ROUNDS * (CLIENTS - PARTNERS)
    winners = {(r, p): notes for r, p, notes in saved}
    for round_number, partner_id, conflict in refused:
        winner = winners[(round_number, partner_id)].split("person ")[1]
        assert (conflict.kind, conflict.record_id, conflict.who) == ("partner", partner_id, f"Person {winner}")
        assert conflict.theirs is not None and conflict.yours is not None and conflict.theirs > conflict.yours
        assert str(conflict).startswith(f"Changed by Person {winner} at ")
    with store.session() as session:
        for partner_id in shared.partner_ids:
            stored = session.get(models.Partner, partner_id)
            assert stored is not None
            assert stored.notes == winners[(ROUNDS - 1, partner_id)]  # the last round's winner, not a loser's
            assert stored.version == first_versions[partner_id] + ROUNDS  # one write a round: the winner's
            recorded = session.exec(
                select(models.HistoryEntry.new).where(
                    col(models.HistoryEntry.record_id) == partner_id, col(models.HistoryEntry.field) == "notes"
                )
            ).all()
            assert sorted(recorded) == sorted(winners[(r, partner_id)] for r in range(ROUNDS))  # every save kept

        written = sum(d.hours for d in done)
        entries = session.exec(select(models.HoursEntry.hours)).all()
        assert len(entries) == CLIENTS * ROUNDS and round(sum(entries), 6) == round(written, 6)
        day = session.get(models.HoursDay, DAY)  # the day's total, kept by the server's trigger under 20 writers
        assert day is not None and (day.entries, round(day.hours, 6)) == (CLIENTS * ROUNDS, round(written, 6))

        texts = session.exec(
            select(models.MatrixEntry.text).where(col(models.MatrixEntry.workshop_id) == shared.workshop_id)
        ).all()
        assert sorted(texts) == sorted(text for d in done for text in d.entries)
        assert session.exec(select(func.count()).select_from(models.MatrixEntry)).one() == CLIENTS * ROUNDS
