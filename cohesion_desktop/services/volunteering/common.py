"""What the rooms of volunteering share: availability stored as text, the placements that are active, and
the look-ups that refuse a record that no longer exists."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import Session

from cohesion_desktop.db import models
from cohesion_desktop.domain import (
    Availability,
    PlacementStatus,
)
from cohesion_desktop.errors import NotFoundError
from cohesion_desktop.i18n import _


def join_times(times: Iterable[Availability | str]) -> str:
    return ",".join(Availability(t).value for t in times)


def parse_times(text: str) -> tuple[Availability, ...]:
    return tuple(Availability(t) for t in text.split(",") if t)


ACTIVE_PLACEMENT = (PlacementStatus.PROPOSED, PlacementStatus.ACTIVE)


def live_volunteer(session: Session, volunteer_id: uuid.UUID) -> models.Volunteer:
    volunteer = session.get(models.Volunteer, volunteer_id)
    if volunteer is None or volunteer.deleted_at is not None:
        raise NotFoundError(_("That volunteer no longer exists."))
    return volunteer


def live_opportunity(session: Session, opportunity_id: uuid.UUID) -> models.Opportunity:
    opportunity = session.get(models.Opportunity, opportunity_id)
    if opportunity is None or opportunity.deleted_at is not None:
        raise NotFoundError(_("That opportunity no longer exists."))
    return opportunity
