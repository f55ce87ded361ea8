"""What needs doing this week, for the Dashboard's "This week" panel: renewals due soon, overdue actions,
milestones not yet thanked, and volunteers inactive long enough to review (UK GDPR storage limitation).

Each reminder names the record it is about, so that the window can open it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import Session

from cohesion_desktop.formatting import format_date, format_number
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.services import workshops
from cohesion_desktop.services.settings import get_settings
from cohesion_desktop.services.volunteering.checks import current_checks, renewals_due
from cohesion_desktop.services.volunteering.personal_data import inactive_volunteers
from cohesion_desktop.services.volunteering.recognition import milestones_due

RENEWAL_DAYS = 30


class ReminderKind(StrEnum):
    """What a reminder is about, and so which record it opens: an action, or a volunteer."""

    RENEWAL = "renewal"
    OVERDUE_ACTION = "overdue_action"
    MILESTONE = "milestone"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class Reminder:
    """One thing to do.

    Attributes:
        kind: What it is about.
        record_id: The action (OVERDUE_ACTION) or the volunteer (the other kinds) it opens.
        who: The volunteer, or the action's owner ("" when it has none).
        what: "DBS check: enhanced", the action's title, "passed 50 hours (52.5 in all)"…
        when: "due 12/01/2027, in 12 days", "due 17/11/2026, 3 days late", "last active 01/03/2024"…
        urgent: Already late: a lapsed check, an overdue action.

    Three parts rather than one line, so that a narrow table shortens the title, never the name or the date.
    """

    kind: ReminderKind
    record_id: uuid.UUID
    who: str
    what: str
    when: str
    urgent: bool = False


@dataclass(frozen=True)
class ThisWeek:
    """The four lists of the panel, each in the order to deal with it."""

    renewals: tuple[Reminder, ...]
    overdue_actions: tuple[Reminder, ...]
    milestones: tuple[Reminder, ...]
    inactive: tuple[Reminder, ...]
    retention_months: int

    @property
    def count(self) -> int:
        return len(self.renewals) + len(self.overdue_actions) + len(self.milestones) + len(self.inactive)


def this_week(
    session: Session, *, today: date | None = None, renewal_days: int = RENEWAL_DAYS, people: bool = True
) -> ThisWeek:
    """The reminders as of ``today`` (default: today).

    - Renewals: each volunteer's latest check or training of each kind that has lapsed or lapses within
      ``renewal_days`` (soonest first);
    - overdue actions: open or in progress, due before today (most overdue first);
    - milestones: hours milestones reached that no recognition marks yet;
    - inactive: volunteers with no hours and no change for longer than the retention period in the settings
      (longest first); those removed but still held are on the Volunteers page's Retention tab.

    ``people=False``: the overdue actions only, for an account that may not read volunteers' personal data (a team
    database's facilitator: the server would refuse the rest).
    """
    today = today or date.today()
    renewals = []
    checks = renewals_due(session, within_days=renewal_days, today=today) if people else []
    for check in current_checks(checks):
        assert check.renewal_due_on is not None  # renewals_due asks for it
        gap = (check.renewal_due_on - today).days
        due = format_date(check.renewal_due_on)
        if gap < 0:
            when = ngettext("lapsed {day}, {n} day ago", "lapsed {day}, {n} days ago", -gap).format(day=due, n=-gap)
        elif gap == 0:
            when = _("due today")
        else:
            when = ngettext("due {day}, in {n} day", "due {day}, in {n} days", gap).format(day=due, n=gap)
        renewals.append(
            Reminder(ReminderKind.RENEWAL, check.volunteer_id, check.volunteer, check.kind.label, when, gap < 0)
        )
    overdue = sorted(
        (action for action in workshops.list_actions(session) if action.is_overdue(today)),
        key=lambda action: (action.due_on, action.title),
    )
    actions = []
    for action in overdue:
        assert action.due_on is not None  # is_overdue says so
        late = (today - action.due_on).days
        actions.append(
            Reminder(
                ReminderKind.OVERDUE_ACTION,
                action.id,
                action.owner or "",
                action.title,
                ngettext("due {day}, {n} day late", "due {day}, {n} days late", late).format(
                    day=format_date(action.due_on), n=late
                ),
                urgent=True,
            )
        )
    milestones = [
        Reminder(
            ReminderKind.MILESTONE,
            due.volunteer_id,
            due.name,
            ngettext("passed {n} hour ({total} in all)", "passed {n} hours ({total} in all)", due.milestone).format(
                n=due.milestone, total=format_number(due.total_hours, decimals=1)
            ),
            _("not yet thanked"),
        )
        for due in (milestones_due(session) if people else [])
    ]
    months = get_settings(session).retention_months
    inactive = [
        Reminder(
            ReminderKind.INACTIVE,
            person.volunteer_id,
            person.name,
            ngettext(
                "{n} month without hours or changes: keep or remove their details?",
                "{n} months without hours or changes: keep or remove their details?",
                person.months_inactive,
            ).format(n=person.months_inactive),
            _("last active {day}").format(day=format_date(person.last_activity)),
        )
        for person in (inactive_volunteers(session, months=months, today=today) if people else [])
        if not person.removed
    ]
    return ThisWeek(
        renewals=tuple(renewals),
        overdue_actions=tuple(actions),
        milestones=tuple(milestones),
        inactive=tuple(inactive),
        retention_months=months,
    )
