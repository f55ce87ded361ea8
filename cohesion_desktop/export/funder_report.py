"""The funder summary as plain values: the period, the headline figures, the series behind the charts, and the
rows of the report's tables.

``services/reporting.py`` gathers them; the Dashboard shows :class:`FunderSummary`; ``export/funder_xlsx.py`` and
``export/funder_pdf.py`` write them to Excel and PDF, with the words both share, defined here. This module
imports nothing heavy (no openpyxl, no reportlab), so the window can use it at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from cohesion_desktop.dates import Period
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.formatting import format_month
from cohesion_desktop.i18n import N_, _

if TYPE_CHECKING:
    from cohesion_desktop.export.matrix import MatrixOut

# Told a stage and a fraction from 0 to 1 as a file is written; it may raise to cancel.
Progress = Callable[[str, float], None]


# Texts made when the module is imported are only marked (N_): the writers translate them with _() as they write,
# in the language of the export under way.
TITLE = N_("Summary for funders")


DELETED_NOTE = N_(
    "Figures exclude deleted records: a deleted partner, opportunity, volunteer, placement, hours entry, "
    "workshop, entry or action is left out, as are hours on a deleted placement, volunteer, opportunity "
    "or host partner. An erased volunteer's hours still count, without their name."
)


NAMES_LEFT_OUT = N_(
    "Not included: the report holds aggregates only, and no volunteer's name, e-mail address or phone number."
)


NAMES_INCLUDED = N_(
    "Included at the exporter's request: hours by volunteer, with their names (never their contact "
    "details). This is personal data under UK GDPR: share it only as your volunteers agreed."
)


def no_progress(_stage: str, _fraction: float) -> None:
    pass


def check_target(path: Path) -> None:
    """Refuse, before anything is written, a summary whose folder does not exist."""
    if not path.parent.is_dir():
        raise CohesionError(
            _("The summary could not be saved: the folder {folder} does not exist.").format(folder=path.parent)
        )


# The units a Figure can have that change how its value is shown; any other unit is a count ("partners").
UNIT_HOURS = N_("hours")
UNIT_MONEY = "£"

# The keys of the headline figures, in the order they are shown.
PARTNERS = "partners"
NEW_PARTNERS = "new_partners"
OPPORTUNITIES_OPEN = "opportunities_open"
OPPORTUNITIES_FILLED = "opportunities_filled"
PLACEMENTS_STARTED = "placements_started"
ACTIVE_VOLUNTEERS = "active_volunteers"
HOURS = "hours"
SOCIAL_VALUE = "social_value"
WORKSHOPS = "workshops"
ACTIONS_OPEN = "actions_open"
ACTIONS_IN_PROGRESS = "actions_in_progress"
ACTIONS_DONE = "actions_done"
ACTIONS_OVERDUE = "actions_overdue"


@dataclass(frozen=True)
class Figure:
    """One headline figure.

    Attributes:
        key: Stable identifier, one of the constants of this module (``HOURS``, ``SOCIAL_VALUE`` …).
        label: What it is called on screen and in the reports: "Hours given".
        value: An int for counts, a float for hours and money; None when it cannot be computed (no hourly
            rate set for the social value).
        unit: ``UNIT_HOURS``, ``UNIT_MONEY``, or the word for what is counted ("partners", "volunteers").
        note: How it was computed, in a sentence a funder can check.
    """

    key: str
    label: str
    value: int | float | None
    unit: str
    note: str

    @property
    def text(self) -> str:
        """The value as people read it: "12,345", "1,234.5 hours", "£18,518", "not set"."""
        if self.value is None:
            return not_set()
        if self.unit == UNIT_MONEY:
            return f"£{_half_up(self.value, 0):,}"
        if self.unit == UNIT_HOURS:
            # Hours are a measure, not a count of things: one form whatever the number ("1.5 hours", "1.5 awr").
            return _("{hours} hours").format(hours=f"{_half_up(self.value, 1):,}")
        return f"{self.value:,}"

    @property
    def unit_text(self) -> str:
        """The unit as a reader reads it, in the export's language: "hours", "£", "partners"."""
        return _(self.unit) if self.unit != UNIT_MONEY else self.unit


def not_set() -> str:
    """What a figure that cannot be computed shows."""
    return _("not set")


def _half_up(value: float, places: int) -> Decimal:
    """Rounded as Excel rounds (2.25 → 2.3), not as Python does (2.2), so the PDF and the workbook agree."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Count:
    """A labelled count in a series: partners of one sector, actions of one status."""

    key: str  # the stored key of the sector or status
    label: str
    count: int


@dataclass(frozen=True)
class MonthHours:
    """Hours given in one calendar month (``month`` is its first day), and how many entries logged them."""

    month: date
    hours: float
    entries: int

    @property
    def label(self) -> str:
        """ "Dec 2025"."""
        return f"{format_month(self.month)}"


@dataclass(frozen=True)
class FunderSummary:
    """The headline figures of a period, and the series the charts draw.

    Attributes:
        period: The dates covered.
        made_on: The day the figures were computed ("today": overdue actions are due before it).
        figures: The headline figures in display order; see :meth:`figure`.
        hours_by_month: Every calendar month the period touches, in order, months without hours as 0.
        partners_by_sector: Sectors that have partners, the largest first.
        actions_by_status: Every action status in its usual order (Open, In progress, Done, Cancelled).
        hourly_rate: £ per hour from Settings, or None when not set.
        hourly_rate_source: Where the rate comes from, as typed in Settings.
    """

    period: Period
    made_on: date
    figures: tuple[Figure, ...]
    hours_by_month: tuple[MonthHours, ...]
    partners_by_sector: tuple[Count, ...]
    actions_by_status: tuple[Count, ...]
    hourly_rate: Decimal | None
    hourly_rate_source: str

    def figure(self, key: str) -> Figure:
        """The figure with this key.

        Raises:
            KeyError: No figure has that key.
        """
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    @property
    def is_empty(self) -> bool:
        """True when every figure is 0 or not set: nothing to report for this period."""
        return not any(figure.value for figure in self.figures)


# ---------------------------------------------------------------------------- the rows of the report's tables


@dataclass(frozen=True)
class PartnerLine:
    """A partner in the directory, for the Partners sheet."""

    name: str
    sector: str  # the sector's label
    is_sme: bool
    stage: str  # the relationship stage's label
    themes: str  # "Social mixing, Volunteering"
    places: str
    remit: str
    added_on: date  # when it was added to the directory (or imported)


@dataclass(frozen=True)
class OpportunityLine:
    """An opportunity with its status today and what happened on it in the period."""

    title: str
    host: str
    supporter: str
    kind: str  # labels from here on
    place: str
    status: str
    starts_on: date | None
    ends_on: date | None
    places_available: int
    places_filled: int  # placements proposed or active today
    placements_started: int  # in the period
    volunteers: int  # who gave hours on it in the period
    hours: float  # given on it in the period


@dataclass(frozen=True)
class PartnerHours:
    """Hours given in the period on the opportunities one partner hosts."""

    partner: str
    sector: str
    hours: float
    volunteers: int
    opportunities: int  # of its opportunities, those with hours in the period


@dataclass(frozen=True)
class VolunteerHours:
    """One volunteer's hours in the period: personal data, in a report only when names were asked for."""

    volunteer: str
    hours: float
    opportunities: int


@dataclass(frozen=True)
class ActionLine:
    """A follow-up action with its status today."""

    title: str
    owner: str
    due_on: date | None
    status: str  # its label
    overdue: bool
    completed_on: date | None
    workshop: str
    workshop_on: date | None
    entry: str  # the matrix entry it came from


@dataclass(frozen=True)
class ReportHeading:
    """What the report says about itself: who it is from, whether it names volunteers, when it was made."""

    organisation_name: str  # may be empty
    logo: Path | None  # a PNG or JPEG printed beside the name
    include_names: bool  # whether hours by volunteer, with names, are in the report
    made_at: datetime  # local time
    app_version: str


@dataclass(frozen=True)
class FunderReport:
    """Everything the funder summary shows, as plain values for the writers.

    Attributes:
        summary: The headline figures and the charts' series.
        organisation_name: Printed at the top; may be empty.
        logo: A PNG or JPEG printed beside the name, or None.
        include_names: Whether ``hours_by_volunteer`` may hold names (the writers say which in the notes).
        partners: Every partner in the directory, ordered by sector then name.
        opportunities: Every opportunity but drafts.
        hours_by_partner: Partners whose opportunities had hours in the period, the most hours first.
        hours_by_volunteer: Volunteers who gave hours in the period, the most first; empty unless
            ``include_names``.
        workshops: The matrix of every workshop held in the period, in date order.
        actions: The actions the figures count, soonest due first.
        made_at: When the report was made (local time).
        app_version: The version of the app that made it.
    """

    summary: FunderSummary
    organisation_name: str
    logo: Path | None
    include_names: bool
    partners: Sequence[PartnerLine]
    opportunities: Sequence[OpportunityLine]
    hours_by_partner: Sequence[PartnerHours]
    hours_by_volunteer: Sequence[VolunteerHours]
    workshops: Sequence[MatrixOut]
    actions: Sequence[ActionLine]
    made_at: datetime
    app_version: str

    @property
    def heading(self) -> ReportHeading:
        return ReportHeading(
            organisation_name=self.organisation_name,
            logo=self.logo,
            include_names=self.include_names,
            made_at=self.made_at,
            app_version=self.app_version,
        )
