"""The funder summary: headline figures for a period (the Dashboard, the reports), and its export to Excel or PDF.

What each figure means is written once, here, in its ``note``: the Dashboard shows it as a tooltip, and the
workbook's Notes sheet and the PDF print it for the funder. In short:

- Partners (and partners by sector) are those in the directory today: it keeps no history. New partners were
  added (or imported) within the period.
- Open and filled opportunities count statuses as they are today; placements started count placements (active
  or completed) whose start date falls within the period.
- Hours given, active volunteers and the hours tables count hours entries dated within the period. An entry
  counts only while it, its placement, its volunteer, its opportunity and that opportunity's host partner are
  all live (not deleted); an erased volunteer's hours still count, anonymously.
- Estimated social value is hours given × the hourly rate set in Settings, whose source is quoted.
- Workshops held are dated within the period. Actions are those from these workshops, and those not tied to a
  workshop that were added within the period, by their status today; overdue ones are open or in progress and
  due before today.

Every figure is an SQL aggregate: :func:`summary` reads a few hundred rows however large the file (0.8 s for
a million hours entries, thanks to the covering indexes on ``hours_entry``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    Float,
    MetaData,
    String,
    Table,
    and_,
    case,
    func,
    or_,
    select,
)
from sqlmodel import Session, col

from cohesion_desktop import __version__
from cohesion_desktop.dates import Period
from cohesion_desktop.db import models
from cohesion_desktop.db.sql import raw_id, table_of, without_index
from cohesion_desktop.domain import ActionStatus, MatrixColumn, OpportunityStatus, PlacementStatus, Sector
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.funder_report import (
    ACTIONS_DONE,
    ACTIONS_IN_PROGRESS,
    ACTIONS_OPEN,
    ACTIONS_OVERDUE,
    ACTIVE_VOLUNTEERS,
    HOURS,
    NEW_PARTNERS,
    OPPORTUNITIES_FILLED,
    OPPORTUNITIES_OPEN,
    PARTNERS,
    PLACEMENTS_STARTED,
    SOCIAL_VALUE,
    UNIT_HOURS,
    UNIT_MONEY,
    WORKSHOPS,
    ActionLine,
    Count,
    Figure,
    FunderReport,
    FunderSummary,
    OpportunityLine,
    PartnerHours,
    PartnerLine,
    ReportHeading,
    VolunteerHours,
)
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import N_, Translator, _, carrying, in_each_language, speaking
from cohesion_desktop.services import partners as partner_service
from cohesion_desktop.services.settings import get_settings
from cohesion_desktop.services.volunteering import totals
from cohesion_desktop.services.volunteering.totals import excluded_placements

if TYPE_CHECKING:
    from cohesion_desktop.export.matrix import MatrixOut

FORMATS = (".xlsx", ".pdf")
ProgressCallback = Callable[[str, float], None]

# How much of the progress bar gathering takes; writing the file takes the rest.
_GATHERED = 0.3
# Placements whose volunteers count as having started: proposed ones have not begun.
_STARTED = (PlacementStatus.ACTIVE, PlacementStatus.COMPLETED)
_UNFINISHED = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

_Hours = models.HoursEntry
_Placement = models.Placement


# ---------------------------------------------------------------------------- what counts


def _create_given_hours(session: Session, period: Period) -> Table:
    """A temporary table of the hours given in the period: one row (opportunity, volunteer, hours) per placement
    that counts and has hours in the period. Every figure and table about hours is a small SQL aggregate over
    it; drop it with :func:`_drop_given_hours`.

    Filling it is the one pass over the hours (0.5 s at a million entries). The sums walk the (placement, date)
    covering index in order, where the date index would make SQLite sort a year of entries for the GROUP BY;
    the "+" keeps SQLite from choosing the date index for the range. A temporary table lives in the
    connection's own scratch space, so it works on a file opened read-only and locks nothing in the data file.
    """
    table = Table(
        f"given_hours_{uuid.uuid4().hex}",
        MetaData(),
        Column("opportunity_id", String),
        Column("volunteer_id", String),
        Column("hours", Float),
        prefixes=["TEMPORARY"],
    )
    connection = session.connection()
    table.create(connection)
    on_date = without_index(col(_Hours.on_date))
    sums = (
        select(col(_Hours.placement_id).label("placement_id"), func.sum(col(_Hours.hours)).label("hours"))
        .where(col(_Hours.deleted_at).is_(None), on_date >= period.start, on_date <= period.end)
        .group_by(col(_Hours.placement_id))
        .subquery()
    )
    connection.execute(
        table.insert().from_select(
            ["opportunity_id", "volunteer_id", "hours"],
            select(raw_id(col(_Placement.opportunity_id)), raw_id(col(_Placement.volunteer_id)), sums.c.hours)
            .join(_Placement, col(_Placement.id) == sums.c.placement_id)
            .where(col(_Placement.id).not_in(excluded_placements())),
        )
    )
    return table


def _drop_given_hours(session: Session, table: Table) -> None:
    table.drop(session.connection())


def _moments(period: Period) -> tuple[datetime, datetime]:
    """The first moment of the period and the first moment after it, in local time (timestamps are UTC)."""
    start = datetime.combine(period.start, time.min).astimezone()
    end = datetime.combine(period.end + timedelta(days=1), time.min).astimezone()
    return start, end


def _workshops_in(period: Period) -> Any:
    return select(col(models.Workshop.id)).where(
        col(models.Workshop.deleted_at).is_(None),
        col(models.Workshop.held_on) >= period.start,
        col(models.Workshop.held_on) <= period.end,
    )


def _actions_in(period: Period) -> Any:
    """Actions from the period's workshops, and actions tied to no workshop that were added in the period."""
    start, end = _moments(period)
    return and_(
        col(models.Action.deleted_at).is_(None),
        or_(
            col(models.Action.workshop_id).in_(_workshops_in(period)),
            and_(
                col(models.Action.workshop_id).is_(None),
                col(models.Action.created_at) >= start,
                col(models.Action.created_at) < end,
            ),
        ),
    )


def _overdue(today: date) -> Any:
    return and_(col(models.Action.due_on) < today, col(models.Action.status).in_(_UNFINISHED))


# ---------------------------------------------------------------------------- the headline figures


def summary(session: Session, *, period: Period, today: date | None = None) -> FunderSummary:
    """The headline figures of a period and the series behind the charts, each figure with a note of how it
    was computed (see the module docstring for the definitions).

    Args:
        session: An open session on the data file (read-only is enough).
        period: The dates to report on; see :meth:`Period.last_12_months` for the usual default.
        today: The day overdue actions are measured against; defaults to the computer's date.
        language: What the report's own words are written in: "en", "cy", or "cy+en" (each heading and label in
            Welsh, then English); the interface's language when None. Names and typed text are printed as typed.

    Returns:
        Plain values only: safe to keep after the session closes, and to hand to another thread.
    """
    given = _create_given_hours(session, period)
    try:
        return _summary(session, period, today or date.today(), given)
    finally:
        _drop_given_hours(session, given)


def _summary(session: Session, period: Period, today: date, given: Table) -> FunderSummary:
    """:func:`summary`, given the table of :func:`_create_given_hours` for the period."""
    settings = get_settings(session)
    run = session.execute

    partner_live = col(models.Partner.deleted_at).is_(None)
    sector_counts = dict(
        run(
            select(col(models.Partner.sector), func.count()).where(partner_live).group_by(col(models.Partner.sector))
        ).all()
    )
    by_sector = tuple(
        Count(sector.value, sector.label, sector_counts[sector])
        for sector in sorted((s for s in Sector if sector_counts.get(s)), key=lambda s: -sector_counts[s])
    )  # stable: ties in the usual order
    start_moment, end_moment = _moments(period)
    new_partners = run(
        select(func.count())
        .select_from(models.Partner)
        .where(
            partner_live, col(models.Partner.created_at) >= start_moment, col(models.Partner.created_at) < end_moment
        )
    ).scalar_one()

    statuses = dict(
        run(
            select(col(models.Opportunity.status), func.count())
            .where(col(models.Opportunity.deleted_at).is_(None))
            .group_by(col(models.Opportunity.status))
        ).all()
    )
    placements_started = run(
        select(func.count())
        .select_from(_Placement)
        .where(
            col(_Placement.id).not_in(excluded_placements()),
            col(_Placement.status).in_(_STARTED),
            col(_Placement.starts_on) >= period.start,
            col(_Placement.starts_on) <= period.end,
        )
    ).scalar_one()
    hours_by_month = tuple(totals.hours_by_month(session, period=period))
    hours_total = round(sum(month.hours for month in hours_by_month), 2)
    active_volunteers = run(select(func.count(func.distinct(given.c.volunteer_id)))).scalar_one()

    workshops_held = run(select(func.count()).select_from(_workshops_in(period).subquery())).scalar_one()
    action_counts = dict(
        run(
            select(col(models.Action.status), func.count())
            .where(_actions_in(period))
            .group_by(col(models.Action.status))
        ).all()
    )
    overdue = run(
        select(func.count()).select_from(models.Action).where(_actions_in(period), _overdue(today))
    ).scalar_one()

    rate, source = settings.hourly_rate, settings.hourly_rate_source.strip()
    if rate is None:
        social_value = None
        social_note = _("Not calculated: no hourly rate is set. Set one, with its source, in Settings.")
    else:
        social_value = float((Decimal(str(hours_total)) * rate).quantize(Decimal("0.01")))
        social_note = in_each_language(
            lambda: _(
                "Hours given × {rate} an hour, the rate set in Settings (source: {source}). An estimate of what the "
                "time would cost to pay for."
            ).format(rate=f"£{rate:,.2f}", source=source or _("not given"))
        )

    def actions_note(status: ActionStatus) -> str:
        return in_each_language(
            lambda: _(
                "Actions whose status today is {status}: those agreed at the workshops held in the period, "
                "and those not tied to a workshop that were added in the period."
            ).format(status=status.label)
        )

    figures = (
        Figure(
            PARTNERS,
            _("Partners"),
            sum(sector_counts.values()),
            N_("partners"),
            _("Partners in the directory today, whatever the period: the directory keeps no history."),
        ),
        Figure(
            NEW_PARTNERS,
            _("New partners"),
            new_partners,
            N_("partners"),
            _("Partners added to the directory (typed in or imported) within the period."),
        ),
        Figure(
            OPPORTUNITIES_OPEN,
            _("Open opportunities"),
            statuses.get(OpportunityStatus.OPEN, 0),
            N_("opportunities"),
            _("Opportunities whose status today is Open (statuses are not kept as history)."),
        ),
        Figure(
            OPPORTUNITIES_FILLED,
            _("Filled opportunities"),
            statuses.get(OpportunityStatus.FILLED, 0),
            N_("opportunities"),
            _("Opportunities whose status today is Filled."),
        ),
        Figure(
            PLACEMENTS_STARTED,
            _("Volunteer placements started"),
            placements_started,
            N_("placements"),
            _(
                "Placements of volunteers on opportunities, active or completed, whose start date falls within "
                "the period."
            ),
        ),
        Figure(
            ACTIVE_VOLUNTEERS,
            _("Active volunteers"),
            active_volunteers,
            N_("volunteers"),
            _("Volunteers who gave hours in the period: at least one hours entry dated within it."),
        ),
        Figure(
            HOURS, _("Hours given"), hours_total, UNIT_HOURS, _("Sum of the hours entries dated within the period.")
        ),
        Figure(SOCIAL_VALUE, _("Estimated social value"), social_value, UNIT_MONEY, social_note),
        Figure(
            WORKSHOPS, _("Workshops held"), workshops_held, N_("workshops"), _("Workshops dated within the period.")
        ),
        Figure(
            ACTIONS_OPEN,
            _("Actions open"),
            action_counts.get(ActionStatus.OPEN, 0),
            N_("actions"),
            actions_note(ActionStatus.OPEN),
        ),
        Figure(
            ACTIONS_IN_PROGRESS,
            _("Actions in progress"),
            action_counts.get(ActionStatus.IN_PROGRESS, 0),
            N_("actions"),
            actions_note(ActionStatus.IN_PROGRESS),
        ),
        Figure(
            ACTIONS_DONE,
            _("Actions done"),
            action_counts.get(ActionStatus.DONE, 0),
            N_("actions"),
            actions_note(ActionStatus.DONE),
        ),
        Figure(
            ACTIONS_OVERDUE,
            _("Actions overdue"),
            overdue,
            N_("actions"),
            _("Of those actions, the ones open or in progress that were due before {day}.").format(
                day=format_date(today)
            ),
        ),
    )
    return FunderSummary(
        period=period,
        made_on=today,
        figures=figures,
        hours_by_month=hours_by_month,
        partners_by_sector=by_sector,
        actions_by_status=tuple(
            Count(status.value, status.label, action_counts.get(status, 0)) for status in ActionStatus
        ),
        hourly_rate=rate,
        hourly_rate_source=source,
    )


# ---------------------------------------------------------------------------- the report's tables


def _partner_lines(session: Session) -> tuple[list[PartnerLine], dict[str, PartnerLine]]:
    """Every partner, by sector then name; and the same lines by the partner's stored id."""
    names = partner_service.vocabulary_names(session)
    theme_keys, place_keys = partner_service.link_keys()
    partner = models.Partner
    by_id: dict[str, PartnerLine] = {}
    for hex_id, name, sector, is_sme, stage, remit, created_at, themes, places in session.connection().execute(
        select(
            raw_id(col(partner.id)),
            col(partner.name),
            col(partner.sector),
            col(partner.is_sme),
            col(partner.relationship_stage),
            col(partner.remit),
            col(partner.created_at),
            theme_keys,
            place_keys,
        ).where(col(partner.deleted_at).is_(None))
    ):
        by_id[hex_id] = PartnerLine(
            name=name,
            sector=sector.label,
            is_sme=is_sme,
            stage=stage.label,
            themes=", ".join(partner_service.names_of(themes, names)),
            places=", ".join(partner_service.names_of(places, names)),
            remit=remit,
            # Shown as the day it was where the user is, as the app shows it.
            added_on=created_at.astimezone().date(),
        )
    order = {sector.label: index for index, sector in enumerate(Sector)}
    lines = sorted(by_id.values(), key=lambda line: (order.get(line.sector, len(order)), line.name.casefold()))
    return lines, by_id


# Hours in the period by host partner and (with names) by volunteer (by opportunity: in _opportunity_lines): small
# aggregates over the table of _create_given_hours. A volunteer has one placement per opportunity, so each row of
# that table is one volunteer of that opportunity.


def _hours_by_partner(session: Session, given: Table, partners: dict[str, PartnerLine]) -> list[PartnerHours]:
    """Host partners whose opportunities had hours, the most hours first."""
    host = raw_id(col(models.Opportunity.host_partner_id))
    lines = [
        PartnerHours(
            partner=partners[key].name,
            sector=partners[key].sector,
            hours=round(total, 2),
            volunteers=int(volunteers),
            opportunities=int(opportunities),
        )
        for key, total, volunteers, opportunities in session.execute(
            select(
                host,
                func.sum(given.c.hours),
                func.count(func.distinct(given.c.volunteer_id)),
                func.count(func.distinct(given.c.opportunity_id)),
            )
            .join(models.Opportunity, raw_id(col(models.Opportunity.id)) == given.c.opportunity_id)
            .group_by(col(models.Opportunity.host_partner_id))
        )
        if key in partners
    ]
    return sorted(lines, key=lambda line: (-line.hours, line.partner.casefold()))


def _hours_by_volunteer(session: Session, given: Table) -> list[VolunteerHours]:
    """Volunteers, by name, who gave hours, the most first: only for a report that names them."""
    lines = [
        VolunteerHours(volunteer=name, hours=round(total, 2), opportunities=int(count))
        for name, total, count in session.execute(
            select(col(models.Volunteer.name), func.sum(given.c.hours), func.count())
            .join(models.Volunteer, raw_id(col(models.Volunteer.id)) == given.c.volunteer_id)
            .group_by(col(models.Volunteer.id))  # the name depends on it (a server refuses a bare column)
        )
    ]
    return sorted(lines, key=lambda line: (-line.hours, line.volunteer.casefold()))


def _opportunity_lines(session: Session, period: Period, given: Table) -> list[OpportunityLine]:
    """Every opportunity but drafts (not offered to anyone yet), by title, with its placements and its hours
    (from the table of :func:`_create_given_hours`) joined in SQL: one row per opportunity comes back."""
    placement_live = col(_Placement.id).not_in(excluded_placements())
    filled = func.sum(
        case((col(_Placement.status).in_((PlacementStatus.PROPOSED, PlacementStatus.ACTIVE)), 1), else_=0)
    )
    started = func.sum(
        case(
            (
                and_(
                    col(_Placement.status).in_(_STARTED),
                    col(_Placement.starts_on) >= period.start,
                    col(_Placement.starts_on) <= period.end,
                ),
                1,
            ),
            else_=0,
        )
    )
    placements = (
        select(
            raw_id(col(_Placement.opportunity_id)).label("opportunity_id"),
            filled.label("filled"),
            started.label("started"),
        )
        .where(placement_live)
        .group_by(col(_Placement.opportunity_id))
        .subquery()
    )
    hours = (
        select(given.c.opportunity_id, func.sum(given.c.hours).label("hours"), func.count().label("volunteers"))
        .group_by(given.c.opportunity_id)
        .subquery()
    )
    opportunity = models.Opportunity
    host = table_of(models.Partner).alias("host")
    supporter = table_of(models.Partner).alias("supporter")
    query = (
        select(
            col(opportunity.title),
            host.c.name,
            supporter.c.name,
            col(opportunity.kind),
            col(models.Place.name),
            col(opportunity.status),
            col(opportunity.starts_on),
            col(opportunity.ends_on),
            col(opportunity.places_available),
            placements.c.filled,
            placements.c.started,
            hours.c.volunteers,
            hours.c.hours,
        )
        .join(host, host.c.id == col(opportunity.host_partner_id))
        .outerjoin(supporter, supporter.c.id == col(opportunity.supporting_partner_id))
        .outerjoin(models.Place, col(models.Place.id) == col(opportunity.place_id))
        .outerjoin(placements, placements.c.opportunity_id == raw_id(col(opportunity.id)))
        .outerjoin(hours, hours.c.opportunity_id == raw_id(col(opportunity.id)))
        .where(col(opportunity.deleted_at).is_(None), col(opportunity.status) != OpportunityStatus.DRAFT)
        .order_by(col(opportunity.title))
    )
    return [
        OpportunityLine(
            title=title,
            host=host_name,
            supporter=supporter_name or "",
            kind=kind.label,
            place=place or "",
            status=status.label,
            starts_on=starts_on,
            ends_on=ends_on,
            places_available=places,
            places_filled=int(places_filled or 0),
            placements_started=int(placements_started or 0),
            volunteers=int(volunteers or 0),
            hours=round(given_hours or 0.0, 2),
        )
        for (
            title,
            host_name,
            supporter_name,
            kind,
            place,
            status,
            starts_on,
            ends_on,
            places,
            places_filled,
            placements_started,
            volunteers,
            given_hours,
        ) in session.execute(query)
    ]


def _workshops(session: Session, period: Period) -> list[MatrixOut]:
    """The matrix of each workshop held in the period (entries in their cells' order), by date."""
    from cohesion_desktop.export.matrix import MatrixEntryOut, MatrixOut, MatrixRowOut

    chosen = _workshops_in(period)
    workshops = session.execute(
        select(
            col(models.Workshop.id), col(models.Workshop.title), col(models.Workshop.held_on), col(models.Place.name)
        )
        .outerjoin(models.Place, col(models.Place.id) == col(models.Workshop.place_id))
        .where(col(models.Workshop.id).in_(chosen))
        .order_by(col(models.Workshop.held_on), col(models.Workshop.title))
    ).all()
    rows: dict[Any, list[tuple[Any, str, str]]] = defaultdict(list)
    for workshop_id, row_id, title, description in session.execute(
        select(
            col(models.WorkshopRow.workshop_id),
            col(models.WorkshopRow.id),
            col(models.WorkshopRow.title),
            col(models.WorkshopRow.description),
        )
        .where(col(models.WorkshopRow.workshop_id).in_(chosen))
        .order_by(col(models.WorkshopRow.position))
    ):
        rows[workshop_id].append((row_id, title, description))
    cells: dict[tuple[Any, MatrixColumn], list[MatrixEntryOut]] = defaultdict(list)
    for row_id, column, text, partner, votes in session.execute(
        select(
            col(models.MatrixEntry.row_id),
            col(models.MatrixEntry.column),
            col(models.MatrixEntry.text),
            col(models.Partner.name),
            col(models.MatrixEntry.votes),
        )
        .outerjoin(models.Partner, col(models.Partner.id) == col(models.MatrixEntry.partner_id))
        .where(col(models.MatrixEntry.workshop_id).in_(chosen), col(models.MatrixEntry.deleted_at).is_(None))
        .order_by(col(models.MatrixEntry.position))
    ):
        cells[(row_id, column)].append(MatrixEntryOut(text=text, partner=partner or "", votes=votes))
    present: dict[Any, list[str]] = defaultdict(list)
    for workshop_id, name in session.execute(
        select(col(models.WorkshopPartner.workshop_id), col(models.Partner.name))
        .join(models.Partner, col(models.Partner.id) == col(models.WorkshopPartner.partner_id))
        .where(col(models.WorkshopPartner.workshop_id).in_(chosen), col(models.Partner.deleted_at).is_(None))
        .order_by(col(models.Partner.name))
    ):
        present[workshop_id].append(name)
    matrices = []
    for workshop_id, title, held_on, place in workshops:
        # No facilitator: a person's name, which a report of aggregates leaves out.
        matrices.append(
            MatrixOut(
                title=title,
                subtitle=" · ".join(part for part in (f"{format_date(held_on)}", place) if part),
                held_on=held_on,
                partners_present=present[workshop_id],
                rows=[
                    MatrixRowOut(
                        title=row_title,
                        description=description,
                        cells={column: cells[(row_id, column)] for column in MatrixColumn},
                    )
                    for row_id, row_title, description in rows[workshop_id]
                ],
            )
        )
    return matrices


def _action_lines(session: Session, period: Period, today: date) -> list[ActionLine]:
    query = (
        select(
            col(models.Action.title),
            col(models.Partner.name),
            col(models.Action.due_on),
            col(models.Action.status),
            col(models.Action.completed_on),
            col(models.Workshop.title),
            col(models.Workshop.held_on),
            col(models.MatrixEntry.text),
        )
        .outerjoin(models.Partner, col(models.Partner.id) == col(models.Action.owner_partner_id))
        .outerjoin(models.Workshop, col(models.Workshop.id) == col(models.Action.workshop_id))
        .outerjoin(models.MatrixEntry, col(models.MatrixEntry.id) == col(models.Action.entry_id))
        .where(_actions_in(period))
        .order_by(col(models.Action.due_on).is_(None), col(models.Action.due_on), col(models.Action.title))
    )
    return [
        ActionLine(
            title=title,
            owner=owner or "",
            due_on=due_on,
            status=status.label,
            overdue=due_on is not None and due_on < today and status in _UNFINISHED,
            completed_on=completed_on,
            workshop=workshop or "",
            workshop_on=held_on,
            entry=entry or "",
        )
        for title, owner, due_on, status, completed_on, workshop, held_on, entry in session.execute(query)
    ]


# ---------------------------------------------------------------------------- the export


def export_summary(
    session: Session,
    *,
    path: Path,
    period: Period,
    organisation_name: str,
    logo: Path | None,
    include_names: bool,
    progress: ProgressCallback | None = None,
    today: date | None = None,
    language: Translator | str | None = None,
) -> Path:
    """Write the funder summary of a period to an Excel workbook or a PDF, chosen by the file's extension.

    The workbook's sheets, in order: Summary (the figures and two charts, one A4 page), Partners, Opportunities,
    Volunteering hours (by month, by partner and, only with ``include_names``, by volunteer), Workshops (every
    matrix entry of the period's workshops), Actions, Notes (how each figure was computed). The PDF holds the
    same on A4 portrait pages. Without ``include_names`` no volunteer's name, e-mail or phone is in the file;
    with it, names only (never contact details) are added to the hours by volunteer.

    Args:
        session: An open session on the data file (read-only is enough).
        path: The .xlsx or .pdf to write; an existing file is replaced only once the new one is complete.
        period: The dates to report on.
        organisation_name: Printed at the top; may be empty.
        logo: A PNG or JPEG printed at the top, or None.
        include_names: Add each volunteer's name and hours to the report.
        progress: Called with a stage and a fraction from 0 to 1; it may raise (a cancel) to stop the export,
            which then leaves nothing at ``path``.
        today: The day overdue actions are measured against; defaults to the computer's date.
        language: What the report's own words are written in: "en", "cy", or "cy+en" (each heading and label in
            Welsh, then English); the interface's language when None. Names and typed text are printed as typed.

    Returns:
        ``path``.

    Raises:
        CohesionError: A file name that is not .xlsx or .pdf, a missing folder, a logo that is not an image, a
            file that cannot be written (open in Excel, disk full). Nothing is left at ``path`` then.
    """
    with speaking(language):
        return _export_summary(
            session,
            path=path,
            period=period,
            organisation_name=organisation_name,
            logo=logo,
            include_names=include_names,
            progress=progress,
            today=today,
        )


def _export_summary(
    session: Session,
    *,
    path: Path,
    period: Period,
    organisation_name: str,
    logo: Path | None,
    include_names: bool,
    progress: ProgressCallback | None,
    today: date | None,
) -> Path:
    path = Path(path).expanduser()
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CohesionError(_("Choose a file ending in .xlsx (Excel) or .pdf, not “{name}”.").format(name=path.name))
    if not path.parent.is_dir():
        raise CohesionError(
            _("The summary could not be saved: the folder {folder} does not exist.").format(folder=path.parent)
        )
    report = _progress_or_nothing(progress)
    today = today or date.today()
    heading = ReportHeading(
        organisation_name=" ".join(organisation_name.split()),
        logo=logo,
        include_names=include_names,
        made_at=datetime.now().replace(microsecond=0),
        app_version=__version__,
    )
    report(_("Counting"), 0.0)
    if suffix == ".xlsx":
        return _export_xlsx(session, path, period, today, heading, report)

    given = _create_given_hours(session, period)
    try:
        figures = _summary(session, period, today, given)
        report(_("Listing partners"), 0.1)
        partner_lines, partners_by_id = _partner_lines(session)
        by_partner = _hours_by_partner(session, given, partners_by_id)
        by_volunteer = _hours_by_volunteer(session, given) if include_names else []
        report(_("Listing opportunities"), 0.2)
        opportunities = _opportunity_lines(session, period, given)
    finally:
        _drop_given_hours(session, given)
    report(_("Collecting workshops"), 0.25)
    workshops = _workshops(session, period)
    actions = _action_lines(session, period, today)
    funder_report = FunderReport(
        summary=figures,
        organisation_name=heading.organisation_name,
        logo=logo,
        include_names=include_names,
        partners=partner_lines,
        opportunities=opportunities,
        hours_by_partner=by_partner,
        hours_by_volunteer=by_volunteer,
        workshops=workshops,
        actions=actions,
        made_at=heading.made_at,
        app_version=heading.app_version,
    )

    # Imported here: reportlab costs start-up time the window should not pay.
    from cohesion_desktop.export.funder_pdf import write_summary_pdf

    report(_("Writing"), _GATHERED)
    return write_summary_pdf(
        path, funder_report, progress=lambda stage, fraction: report(stage, _GATHERED + (1 - _GATHERED) * fraction)
    )


def _export_xlsx(
    session: Session, path: Path, period: Period, today: date, heading: ReportHeading, report: ProgressCallback
) -> Path:
    """The workbook, written while it is gathered.

    One thread reads, in the order the sheets need the parts and in one read transaction (so every sheet sees
    the same data), while this one writes each part as it arrives. SQLite works without holding Python's lock,
    so reading and writing overlap: 2.7 s on the benchmark's file, against 3.9 s one after the other. What is left
    is Python's lock: each row a query returns must wait for the writer to let go of it.
    """
    from cohesion_desktop.export.funder_xlsx import SummaryWorkbook

    with_names = heading.include_names
    gatherer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="funder-summary")
    try:
        # In the order the writing below needs them: the quick parts first, so that writing starts at once.
        # carrying(): the labels gathered there (sectors, statuses, figures) are in the export's language too.
        workshops = gatherer.submit(carrying(_workshops), session, period)
        actions = gatherer.submit(carrying(_action_lines), session, period, today)
        partners = gatherer.submit(carrying(_partner_lines), session)
        given = gatherer.submit(_create_given_hours, session, period)
        opportunities = gatherer.submit(carrying(lambda: _opportunity_lines(session, period, given.result())))
        figures = gatherer.submit(carrying(lambda: _summary(session, period, today, given.result())))
        by_partner = gatherer.submit(lambda: _hours_by_partner(session, given.result(), partners.result()[1]))
        by_volunteer = gatherer.submit(lambda: _hours_by_volunteer(session, given.result()) if with_names else [])
        gatherer.submit(lambda: _drop_given_hours(session, given.result()))
        with SummaryWorkbook(path, heading, report) as book:
            book.write_workshops(workshops.result())
            book.write_actions(actions.result())
            book.write_partners(partners.result()[0])
            book.write_opportunities(opportunities.result())
            book.write_hours(figures.result().hours_by_month, by_partner.result(), by_volunteer.result())
            book.finish(figures.result())
    finally:
        # After a cancel or an error: drop what is not started, and wait for the query under way, so that the
        # session is no longer in use when the caller closes it. A temporary table left behind then goes when
        # the caller's session ends (it was made inside the session's transaction).
        gatherer.shutdown(wait=True, cancel_futures=True)
    return path


def _progress_or_nothing(progress: ProgressCallback | None) -> ProgressCallback:
    return progress if progress is not None else (lambda _stage, _fraction: None)
