"""Every update service an editor saves through takes the version the editor showed: a save made from a record that
somebody else saved since is refused (ConflictError, saying who) and stores nothing; made from the version stored
now, it goes through. On a data file and on a team database (conftest.BOTH_ENGINES)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from cohesion_desktop.db.store import Store
from cohesion_desktop.domain import ActionStatus, MatrixColumn, OpportunityStatus, PlacementStatus, Sector
from cohesion_desktop.errors import ConflictError
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.partners import Contact, PartnerInput
from cohesion_desktop.services.volunteering import opportunities, placements, volunteers
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from cohesion_desktop.services.workshops import ActionInput, WorkshopInput


@dataclass(frozen=True)
class Editor:
    """How one editor reads a record (its version and the value the test changes) and saves a change of it."""

    make: Callable[[Session], uuid.UUID]
    read: Callable[[Session, uuid.UUID], tuple[int, Any]]
    save: Callable[[Session, uuid.UUID, str, int | None], object]  # a change that writes the value "sam" or "alex"


def _partner(session: Session) -> uuid.UUID:
    return partners.create_partner(session, data=PartnerInput(name="Harrowfield CVS", sector=Sector.VCS)).id


def _partner_read(pick: Callable[[partners.PartnerDetail], Any]) -> Callable[[Session, uuid.UUID], tuple[int, Any]]:
    def read(session: Session, partner_id: uuid.UUID) -> tuple[int, Any]:
        detail = partners.get_partner(session, partner_id)
        return detail.version, pick(detail)

    return read


def _workshop(session: Session) -> workshops.WorkshopDetail:
    template = next(t for t in workshops.templates(session) if t.is_default)
    return workshops.create_workshop(
        session, data=WorkshopInput(title="Roundtable", held_on=date(2026, 5, 5), template_id=template.id)
    )


def _entry(session: Session) -> uuid.UUID:
    detail = _workshop(session)
    return workshops.add_entry(
        session, workshop_id=detail.id, row_id=detail.rows[0].id, column=MatrixColumn.COULD_DO_MORE, text="Forum"
    ).id


def _entry_read(session: Session, entry_id: uuid.UUID) -> tuple[int, Any]:
    entry = workshops.get_entry(session, entry_id)
    return entry.version, entry.text


def _opportunity(session: Session, status: OpportunityStatus = OpportunityStatus.DRAFT) -> uuid.UUID:
    host = _partner(session)
    data = OpportunityInput(title="Café", host_partner_id=host, status=status)
    return opportunities.create_opportunity(session, data=data).row.id


def _opportunity_read(session: Session, opportunity_id: uuid.UUID) -> tuple[int, Any]:
    detail = opportunities.get_opportunity(session, opportunity_id)
    return detail.version, detail.description


def _placement(session: Session) -> uuid.UUID:
    opportunity_id = _opportunity(session, OpportunityStatus.OPEN)
    volunteer_id = volunteers.create_volunteer(session, data=VolunteerInput(name="Nia Evans")).id
    return placements.place_volunteer(session, volunteer_id=volunteer_id, opportunity_id=opportunity_id).id


def _host(session: Session, opportunity_id: uuid.UUID) -> uuid.UUID:
    return opportunities.get_opportunity(session, opportunity_id).row.host_id


def _placement_read(session: Session, placement_id: uuid.UUID) -> tuple[int, Any]:
    [row] = [p for p in placements.list_placements(session) if p.id == placement_id]
    return row.version, row.status


_STATUS = {"sam": PlacementStatus.COMPLETED, "alex": PlacementStatus.WITHDRAWN}


def _action(session: Session) -> uuid.UUID:
    return workshops.create_action(session, data=ActionInput(title="Ask the library")).id


def _action_read(session: Session, action_id: uuid.UUID) -> tuple[int, Any]:
    action = workshops.get_action(session, action_id)
    return action.version, action.notes


EDITORS = {
    "partner's fields": Editor(
        _partner,
        _partner_read(lambda d: d.notes),
        lambda s, i, value, v: partners.update_partner(s, partner_id=i, changes={"notes": value}, version=v),
    ),
    "partner's themes": Editor(
        _partner,
        _partner_read(lambda d: d.themes),
        lambda s, i, value, v: partners.set_themes(s, partner_id=i, names=[value], version=v),
    ),
    "partner's places": Editor(
        _partner,
        _partner_read(lambda d: d.places),
        lambda s, i, value, v: partners.set_places(s, partner_id=i, names=[value], version=v),
    ),
    "partner's contacts": Editor(
        _partner,
        _partner_read(lambda d: [c.name for c in d.contacts]),
        lambda s, i, value, v: partners.set_contacts(s, partner_id=i, contacts=[Contact(None, value)], version=v),
    ),
    "volunteer": Editor(
        lambda s: volunteers.create_volunteer(s, data=VolunteerInput(name="Nia Evans")).id,
        lambda s, i: (lambda d: (d.version, d.data.notes))(volunteers.get_volunteer(s, i)),
        lambda s, i, value, v: volunteers.update_volunteer(
            s, volunteer_id=i, data=VolunteerInput(name="Nia Evans", notes=value), version=v
        ),
    ),
    "placement": Editor(
        _placement,
        _placement_read,
        lambda s, i, value, v: placements.set_placement_status(s, placement_id=i, status=_STATUS[value], version=v),
    ),
    "opportunity": Editor(
        _opportunity,
        _opportunity_read,
        lambda s, i, value, v: opportunities.update_opportunity(
            s,
            opportunity_id=i,
            data=OpportunityInput(title="Café", host_partner_id=_host(s, i), description=value),
            version=v,
        ),
    ),
    "workshop": Editor(
        lambda s: _workshop(s).id,
        lambda s, i: (lambda d: (d.version, d.notes))(workshops.get_workshop(s, i)),
        lambda s, i, value, v: workshops.update_workshop(s, workshop_id=i, notes=value, version=v),
    ),
    "matrix entry": Editor(
        _entry, _entry_read, lambda s, i, value, v: workshops.edit_entry(s, entry_id=i, text=value, version=v)
    ),
    "action": Editor(
        _action,
        _action_read,
        lambda s, i, value, v: workshops.update_action(
            s, action_id=i, data=ActionInput(title="Ask the library", status=ActionStatus.OPEN, notes=value), version=v
        ),
    ),
}


@pytest.mark.parametrize("editor", EDITORS.values(), ids=EDITORS.keys())
def test_a_save_from_a_version_somebody_saved_since_is_refused_and_stores_nothing(store: Store, editor: Editor) -> None:
    with store.session() as session:
        record_id = editor.make(session)
    with store.session() as session:
        shown, _before = editor.read(session, record_id)  # the editor opens

    store.identity.name = "Sam"  # meanwhile, on another laptop
    with store.session() as session:
        editor.save(session, record_id, "sam", None)
    with store.session() as session:
        stored_version, theirs = editor.read(session, record_id)
    assert stored_version > shown

    store.identity.name = "Alex"
    with store.session() as session, pytest.raises(ConflictError) as refused:
        editor.save(session, record_id, "alex", shown)
    assert refused.value.said.startswith("Changed by Sam at")
    assert (refused.value.yours, refused.value.theirs) == (shown, stored_version)
    with store.session() as session:
        assert editor.read(session, record_id) == (stored_version, theirs)  # nothing of Alex's save

    # "Save mine over it": the same save with the version stored now goes through, and counts as a save.
    with store.session() as session:
        editor.save(session, record_id, "alex", refused.value.theirs)
    with store.session() as session:
        saved_version, mine = editor.read(session, record_id)
    assert saved_version > stored_version and mine != theirs
