"""Matching volunteers and opportunities by skills, times and the checks an opportunity requires."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.domain import (
    Availability,
    CheckKind,
    OpportunityKind,
    OpportunityStatus,
)
from cohesion_desktop.services.volunteering.checks import CheckRow, check_rows, missing_checks
from cohesion_desktop.services.volunteering.common import ACTIVE_PLACEMENT, parse_times
from cohesion_desktop.services.volunteering.opportunities import OpportunityRow, list_opportunities
from cohesion_desktop.services.volunteering.volunteers import get_volunteer
from cohesion_desktop.text import fold, like_pattern, split_list


@dataclass(frozen=True)
class VolunteerMatch:
    volunteer_id: uuid.UUID
    name: str
    skills_matched: tuple[str, ...]
    times_matched: tuple[Availability, ...]
    active_placements: int
    score: float


@dataclass(frozen=True)
class OpportunityMatch:
    opportunity: OpportunityRow
    skills_matched: tuple[str, ...]
    times_matched: tuple[Availability, ...]
    missing_checks: tuple[CheckKind, ...]


def _skill_words(text: str) -> set[str]:
    return {fold(skill) for skill in split_list(text) if fold(skill) not in ("any", "")}


def _score(
    skills: set[str], wanted_skills: set[str], times: set[Availability], wanted_times: set[Availability], active: int
) -> tuple[float, tuple[str, ...], tuple[Availability, ...]]:
    matched_skills = tuple(sorted(skills & wanted_skills))
    matched_times = tuple(sorted(times & wanted_times, key=list(Availability).index)) if wanted_times else ()
    skill_part = len(matched_skills) / len(wanted_skills) if wanted_skills else 0.5
    time_part = len(matched_times) / len(wanted_times) if wanted_times else 0.5
    # Skills weigh most, then availability; a volunteer already busy elsewhere ranks a little lower.
    return round(60 * skill_part + 35 * time_part - min(5, 2.5 * active), 1), matched_skills, matched_times


def match_volunteers(
    session: Session, *, opportunity_id: uuid.UUID, limit: int = 50, today: date | None = None
) -> list[VolunteerMatch]:
    """Volunteers who fit an opportunity, best first.

    Only volunteers who agreed to be contacted (and have not withdrawn), hold every check the opportunity
    requires (current on ``today``), share at least one of its skills (when it lists any) and one of its
    times (when it gives any), and are not already placed on it.
    """
    today = today or date.today()
    [opportunity] = list_opportunities(session, ids=[opportunity_id])
    wanted_skills, wanted_times = _skill_words(opportunity.skills), set(opportunity.times)
    volunteer = models.Volunteer
    conditions: list[Any] = [
        col(volunteer.deleted_at).is_(None),
        col(volunteer.erased_at).is_(None),
        col(volunteer.consent_to_contact).is_(True),
        col(volunteer.consent_withdrawn_on).is_(None),
    ]
    if wanted_skills:
        conditions.append(
            or_(*[col(volunteer.search_text).like(like_pattern(skill), escape="\\") for skill in wanted_skills])
        )
    if wanted_times:
        conditions.append(
            or_(*[col(volunteer.availability).like(like_pattern(t.value), escape="\\") for t in wanted_times])
        )
    already = select(col(models.Placement.volunteer_id)).where(
        col(models.Placement.opportunity_id) == opportunity_id, col(models.Placement.deleted_at).is_(None)
    )
    conditions.append(col(volunteer.id).not_in(already))
    candidates = session.execute(
        select(col(volunteer.id), col(volunteer.name), col(volunteer.skills), col(volunteer.availability)).where(
            *conditions
        )
    ).all()
    if opportunity.requirements and candidates:
        checks: dict[uuid.UUID, list[CheckRow]] = defaultdict(list)
        for check in check_rows(session, col(models.VolunteerCheck.volunteer_id).in_([c.id for c in candidates])):
            checks[check.volunteer_id].append(check)
        candidates = [c for c in candidates if not missing_checks(checks[c.id], opportunity.requirements, today)]
    busy = (
        dict(
            session.execute(
                select(col(models.Placement.volunteer_id), func.count())
                .where(
                    col(models.Placement.volunteer_id).in_([c.id for c in candidates]),
                    col(models.Placement.deleted_at).is_(None),
                    col(models.Placement.status).in_(ACTIVE_PLACEMENT),
                )
                .group_by(col(models.Placement.volunteer_id))
            ).all()
        )
        if candidates
        else {}
    )
    matches = []
    for candidate in candidates:
        score, skills, times = _score(
            _skill_words(candidate.skills),
            wanted_skills,
            set(parse_times(candidate.availability)),
            wanted_times,
            busy.get(candidate.id, 0),
        )
        if wanted_skills and not skills:
            continue  # a LIKE on the search text can match a name or an e-mail; skills decide
        matches.append(
            VolunteerMatch(
                volunteer_id=candidate.id,
                name=candidate.name,
                skills_matched=skills,
                times_matched=times,
                active_placements=busy.get(candidate.id, 0),
                score=score,
            )
        )
    matches.sort(key=lambda m: (-m.score, m.name))
    return matches[:limit]


def match_opportunities(
    session: Session, *, volunteer_id: uuid.UUID, today: date | None = None
) -> list[OpportunityMatch]:
    """Open opportunities with places left that fit a volunteer's skills and times, best first;
    ``missing_checks`` says what the volunteer would still need for each."""
    today = today or date.today()
    detail = get_volunteer(session, volunteer_id)
    skills, times = _skill_words(detail.data.skills), set(detail.data.availability)
    placed = {p.opportunity_id for p in detail.placements}
    found = []
    for opportunity in list_opportunities(session):
        if opportunity.status != OpportunityStatus.OPEN or opportunity.places_left == 0 or opportunity.id in placed:
            continue
        if opportunity.kind not in (
            OpportunityKind.VOLUNTEERING,
            OpportunityKind.EMPLOYEE_VOLUNTEERING,
            OpportunityKind.MENTORING,
        ):
            continue
        wanted_skills, wanted_times = _skill_words(opportunity.skills), set(opportunity.times)
        score, matched_skills, matched_times = _score(skills, wanted_skills, times, wanted_times, 0)
        if (wanted_skills and not matched_skills) or (wanted_times and not matched_times):
            continue
        missing = tuple(missing_checks(detail.checks, opportunity.requirements, today))
        match = OpportunityMatch(
            opportunity=opportunity, skills_matched=matched_skills, times_matched=matched_times, missing_checks=missing
        )
        found.append((score - 20 * len(missing), match))
    found.sort(key=lambda item: (-item[0], item[1].opportunity.title))
    return [match for _score_, match in found]
