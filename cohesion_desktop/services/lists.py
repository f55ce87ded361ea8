"""The everyday lists out of the file: the partner directory, the volunteer list, the mailing list, the calendar.

Each list is read here as plain values and handed to a writer in ``export/``. The directory and the volunteer
list take the search and filters the window shows and the columns the user chose; a volunteer's e-mail and
phone go into a list only when asked for in so many words (``contact_details=True``), and the list then
carries a reminder of why that matters.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from cohesion_desktop.db import models
from cohesion_desktop.domain import ActionStatus, RelationshipStage, Sector
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.calendar import CalendarEvent, write_calendar
from cohesion_desktop.export.lists import ListColumn, ListTable, write_list
from cohesion_desktop.export.mailing import MailingRow, split_name, write_mailing_csv
from cohesion_desktop.formatting import format_date, format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services import partners
from cohesion_desktop.services.partners import PartnerFilter, PartnerRow
from cohesion_desktop.services.settings import get_settings
from cohesion_desktop.services.volunteering import volunteers
from cohesion_desktop.services.volunteering.checks import check_rows, current_checks
from cohesion_desktop.services.volunteering.volunteers import VolunteerRow
from cohesion_desktop.text import fold

# ---------------------------------------------------------------------------- the partner directory


@dataclass(frozen=True)
class _PartnerExtras:
    """What the directory table does not hold but its export can: the remit, the website, the main contact's
    e-mail and phone."""

    remit: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""


_NO_EXTRAS = _PartnerExtras()
_PartnerValue = Callable[[PartnerRow, _PartnerExtras], object]

# The directory's columns, in the order of the Partners table (same titles), then those only an export has.
PARTNER_COLUMNS: dict[str, tuple[ListColumn, _PartnerValue]] = {
    N_("Name"): (ListColumn(N_("Name"), 1.6), lambda row, _x: row.name),
    N_("Sector"): (ListColumn(N_("Sector"), 1.2), lambda row, _x: row.sector.label),
    N_("SME"): (ListColumn(N_("SME"), 0.5), lambda row, _x: row.is_sme),
    N_("Themes"): (ListColumn(N_("Themes"), 1.6, wrap=True), lambda row, _x: ", ".join(row.themes)),
    N_("Places"): (ListColumn(N_("Places"), 1.3, wrap=True), lambda row, _x: ", ".join(row.places)),
    N_("Relationship"): (ListColumn(N_("Relationship"), 1.0), lambda row, _x: row.stage.label),
    N_("Main contact"): (ListColumn(N_("Main contact"), 1.1), lambda row, _x: row.main_contact),
    N_("Last updated"): (ListColumn(N_("Last updated"), 0.8), lambda row, _x: row.updated_at.astimezone().date()),
    N_("Remit"): (ListColumn(N_("Remit"), 3.0, wrap=True), lambda _row, extra: extra.remit),
    N_("Website"): (ListColumn(N_("Website"), 1.3), lambda _row, extra: extra.website),
    N_("Contact e-mail"): (ListColumn(N_("Contact e-mail"), 1.5), lambda _row, extra: extra.email),
    N_("Contact phone"): (ListColumn(N_("Contact phone"), 1.0), lambda _row, extra: extra.phone),
}
_EXTRA_COLUMNS = frozenset({"Remit", "Website", "Contact e-mail", "Contact phone"})
# Column names are keys (English, as a command line gives them) and the titles shown, translated where shown.
DEFAULT_PARTNER_COLUMNS = ("Name", "Sector", "Themes", "Places", "Main contact", "Remit")


def _chosen(columns: Sequence[str], known: Iterable[str], *, unknown_words: str, none_words: str) -> list[str]:
    """The keys of ``columns``, each named by its key or by its title in the interface's language.

    ``unknown_words`` (placeholders ``{columns}`` and ``{known}``) and ``none_words`` are the refusals, whole
    sentences for each list."""
    keys = {fold(name): key for key in known for name in (key, _(key))}
    unknown = [title for title in columns if fold(title) not in keys]
    if unknown:
        raise CohesionError(
            unknown_words.format(
                columns=", ".join(f"“{title}”" for title in unknown), known=", ".join(_(key) for key in known)
            )
        )
    if not columns:
        raise CohesionError(none_words)
    return list(dict.fromkeys(keys[fold(title)] for title in columns))  # each once, in the order given


def _titled(column: ListColumn) -> ListColumn:
    return replace(column, title=_(column.title))


def _partner_extras(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, _PartnerExtras]:
    found: dict[uuid.UUID, _PartnerExtras] = {}
    partner, contact = models.Partner, models.Contact
    for start in range(0, len(ids), 500):  # a few hundred bound values per query, well under any engine's limit
        chunk = list(ids[start : start + 500])
        for partner_id, remit, website in session.execute(
            select(col(partner.id), col(partner.remit), col(partner.website)).where(col(partner.id).in_(chunk))
        ):
            found[partner_id] = _PartnerExtras(remit=remit, website=website)
        # The main contact as the table names it: the one marked main, else the first.
        seen: set[uuid.UUID] = set()
        for partner_id, email, phone in session.execute(
            select(col(contact.partner_id), col(contact.email), col(contact.phone))
            .where(col(contact.partner_id).in_(chunk), col(contact.deleted_at).is_(None))
            .order_by(col(contact.partner_id), col(contact.is_main).desc(), col(contact.position))
        ):
            if partner_id not in seen and partner_id in found:
                seen.add(partner_id)
                extras = found[partner_id]
                found[partner_id] = _PartnerExtras(extras.remit, extras.website, email, phone)
    return found


def _filter_words(session: Session, wanted: PartnerFilter) -> list[str]:
    names = partners.vocabulary_names(session)
    words = []
    if wanted.query.strip():
        words.append(_("search “{words}”").format(words=wanted.query.strip()))
    if wanted.sector is not None:
        words.append(_("sector: {sector}").format(sector=wanted.sector.label))
    if wanted.theme_id is not None:
        words.append(_("theme: {theme}").format(theme=names.get(wanted.theme_id.hex, _("(removed)"))))
    if wanted.place_id is not None:
        words.append(_("place: {place}").format(place=names.get(wanted.place_id.hex, _("(removed)"))))
    if wanted.stage is not None:
        words.append(_("relationship: {stage}").format(stage=wanted.stage.label))
    return words


def partner_filter(
    session: Session,
    *,
    query: str = "",
    sector: str | None = None,
    theme: str | None = None,
    place: str | None = None,
    stage: str | None = None,
) -> PartnerFilter:
    """The filter that words typed on a command line ask for: a sector or stage by its label or key, a theme or
    place by its name (ignoring case).

    Raises:
        CohesionError: A word that names none of them, with the choices.
    """

    def one_of(refusal: str, label: str, named: Sequence[partners.Vocabulary]) -> uuid.UUID:
        found = [item.id for item in named if item.name.casefold() == label.strip().casefold()]
        if not found:
            choices = ", ".join(sorted(item.name for item in named))
            raise CohesionError(refusal.format(name=label, choices=choices))
        return found[0]

    try:
        wanted_sector = Sector.from_label(sector) if sector else None
        wanted_stage = RelationshipStage.from_label(stage) if stage else None
    except ValueError as exc:
        raise CohesionError(str(exc)) from exc
    return PartnerFilter(
        query=query,
        sector=wanted_sector,
        theme_id=one_of(
            _("There is no theme called “{name}”. Choose from: {choices}."), theme, partners.themes(session)
        )
        if theme
        else None,
        place_id=one_of(
            _("There is no place called “{name}”. Choose from: {choices}."), place, partners.places(session)
        )
        if place
        else None,
        stage=wanted_stage,
    )


def partner_directory(
    session: Session,
    *,
    wanted: PartnerFilter,
    columns: Sequence[str],
    rows: Sequence[PartnerRow] | None = None,
    today: date | None = None,
) -> ListTable:
    """The directory of the partners that ``wanted`` lets through, in the chosen columns.

    Args:
        wanted: The search words and filters.
        columns: Titles from :data:`PARTNER_COLUMNS`, in the order wanted.
        rows: The partners in the order shown (the window's sort); None reads them, ordered by name.
        today: The date the list is made (default: today).

    Raises:
        CohesionError: No column, or one that does not exist.
    """
    chosen = _chosen(
        columns,
        PARTNER_COLUMNS,
        unknown_words=_("The partner directory has no column called {columns}: choose from {known}."),
        none_words=_("Choose at least one column for the partner directory."),
    )
    every = partners.list_partners(session) if rows is None else list(rows)
    total = len(every) if rows is None else len(partners.list_partners(session))
    shown = partners.filter_partners(every, wanted)
    extras = _partner_extras(session, [row.id for row in shown]) if _EXTRA_COLUMNS & set(chosen) else {}
    values = [PARTNER_COLUMNS[title][1] for title in chosen]
    selection = (
        ngettext("{shown} of {n} partner", "{shown} of {n} partners", total)
        if len(shown) != total
        else ngettext("All {n} partner", "All {n} partners", total)
    ).format(shown=format_number(len(shown)), n=format_number(total))
    return ListTable(
        title=_("Partner directory"),
        selection="; ".join([selection, *_filter_words(session, wanted)]),
        columns=[_titled(PARTNER_COLUMNS[title][0]) for title in chosen],
        rows=[[value(row, extras.get(row.id, _NO_EXTRAS)) for value in values] for row in shown],
        produced_on=today or date.today(),
        organisation=get_settings(session).organisation_name,
    )


def export_partner_directory(
    session: Session,
    *,
    path: Path,
    wanted: PartnerFilter,
    columns: Sequence[str],
    rows: Sequence[PartnerRow] | None = None,
) -> Path:
    """Write :func:`partner_directory` as .xlsx or .pdf (by the suffix of ``path``)."""
    return write_list(path, partner_directory(session, wanted=wanted, columns=columns, rows=rows))


# ---------------------------------------------------------------------------- the volunteer list

_VolunteerValue = Callable[[VolunteerRow], object]

# The Volunteers table's columns (same titles), in its order.
VOLUNTEER_COLUMNS: dict[str, tuple[ListColumn, _VolunteerValue]] = {
    N_("Name"): (ListColumn(N_("Name"), 1.5), lambda row: row.name),
    N_("E-mail"): (ListColumn(N_("E-mail"), 1.8), lambda row: row.email),
    N_("Phone"): (ListColumn(N_("Phone"), 1.1), lambda row: row.phone),
    N_("Skills"): (ListColumn(N_("Skills"), 1.8, wrap=True), lambda row: row.skills),
    N_("Availability"): (
        ListColumn(N_("Availability"), 1.5, wrap=True),
        lambda row: ", ".join(a.label for a in row.availability),
    ),
    N_("Consent"): (
        ListColumn(N_("Consent"), 0.7),
        lambda row: _(row.consent),
    ),  # "Yes", "No", "Not known": marked where worded
    N_("Hours"): (ListColumn(N_("Hours"), 0.6), lambda row: row.total_hours),
    N_("Last activity"): (ListColumn(N_("Last activity"), 0.9), lambda row: row.last_activity),
}
# A person's own ways of being reached: in a list only when asked for in so many words.
CONTACT_COLUMNS = frozenset({"E-mail", "Phone"})
DEFAULT_VOLUNTEER_COLUMNS = ("Name", "Skills", "Availability", "Hours", "Last activity")
CONTACT_REMINDER = N_(
    "This list holds volunteers' contact details, which are personal data (UK GDPR). Give it only to people "
    "who need to reach these volunteers, for the purpose they agreed to; keep it safe, and delete it when "
    "it has served that purpose."
)
CONTACT_WHY = N_(
    "Contact details are personal data (UK GDPR). Include them only when the people who get this list need to "
    "reach these volunteers, for what the volunteers agreed to; keep the file safe and delete it when it has "
    "served that purpose."
)
NAMES_REMINDER = N_("Volunteers' names are personal data: share this list only with people who need it.")
# The reminders above are marked with N_ and translated where shown.


def volunteer_list(
    session: Session,
    *,
    query: str = "",
    columns: Sequence[str],
    contact_details: bool = False,
    order: str = "name",
    descending: bool = False,
    today: date | None = None,
) -> ListTable:
    """The volunteers matching ``query`` (as the Volunteers search does), in the chosen columns and order.

    Args:
        query: The search words ("" for everyone).
        columns: Titles from :data:`VOLUNTEER_COLUMNS`, in the order wanted.
        contact_details: The user ticked "include contact details": only then may ``columns`` hold
            :data:`CONTACT_COLUMNS`.
        order, descending: As the Volunteers table sorts ("name", "email", "hours", "last_activity").

    Raises:
        CohesionError: No column, one that does not exist, or contact details not asked for.
    """
    chosen = _chosen(
        columns,
        VOLUNTEER_COLUMNS,
        unknown_words=_("The volunteer list has no column called {columns}: choose from {known}."),
        none_words=_("Choose at least one column for the volunteer list."),
    )
    if CONTACT_COLUMNS & set(chosen) and not contact_details:
        raise CohesionError(
            _(
                "The volunteer list has {columns} only when you ask for volunteers' contact details (they are "
                "personal data)."
            ).format(columns=", ".join(_(column) for column in sorted(CONTACT_COLUMNS & set(chosen))))
        )
    ids = volunteers.volunteer_ids(session, query=query, order=order, descending=descending)
    rows: list[VolunteerRow] = []
    for start in range(0, len(ids), 500):
        rows += volunteers.volunteer_rows(session, ids[start : start + 500])
    total = volunteers.count_volunteers(session)
    values = [VOLUNTEER_COLUMNS[title][1] for title in chosen]
    selection = (
        ngettext("{shown} of {n} volunteer", "{shown} of {n} volunteers", total)
        if len(rows) != total
        else ngettext("All {n} volunteer", "All {n} volunteers", total)
    ).format(shown=format_number(len(rows)), n=format_number(total))
    if query.strip():
        selection += "; " + _("search “{words}”").format(words=query.strip())
    return ListTable(
        title=_("Volunteers"),
        selection=selection,
        columns=[_titled(VOLUNTEER_COLUMNS[title][0]) for title in chosen],
        rows=[[value(row) for value in values] for row in rows],
        produced_on=today or date.today(),
        organisation=get_settings(session).organisation_name,
        reminder=_(CONTACT_REMINDER if CONTACT_COLUMNS & set(chosen) else NAMES_REMINDER),
    )


def export_volunteer_list(
    session: Session,
    *,
    path: Path,
    query: str = "",
    columns: Sequence[str],
    contact_details: bool = False,
    order: str = "name",
    descending: bool = False,
) -> Path:
    """Write :func:`volunteer_list` as .xlsx or .pdf (by the suffix of ``path``)."""
    table = volunteer_list(
        session, query=query, columns=columns, contact_details=contact_details, order=order, descending=descending
    )
    return write_list(path, table)


# ---------------------------------------------------------------------------- the mailing list


@dataclass(frozen=True)
class MailingList:
    """Who may be written to, and how many more agreed but gave no usable e-mail address."""

    rows: tuple[MailingRow, ...]
    without_email: int

    def saved_to(self, path: Path) -> str:
        """What was saved where, in the person's language (the command line and the window say the same)."""
        said = ngettext(
            "{n} person who agreed to be contacted saved to {path}.",
            "{n} people who agreed to be contacted saved to {path}.",
            len(self.rows),
        ).format(n=format_number(len(self.rows)), path=path)
        if self.without_email:
            said += " " + ngettext(
                "{n} more agreed but has no e-mail address.",
                "{n} more agreed but have no e-mail address.",
                self.without_email,
            ).format(n=format_number(self.without_email))
        return said


def mailing_list(session: Session) -> MailingList:
    """The volunteers who agreed to be contacted and have not withdrawn, one row per e-mail address (the first
    by name when two share one), ordered by name. Removed and erased volunteers are left out."""
    volunteer = models.Volunteer
    found = session.execute(
        select(col(volunteer.name), col(volunteer.email), col(volunteer.consent_given_on))
        .where(
            col(volunteer.consent_to_contact).is_(True),
            col(volunteer.consent_withdrawn_on).is_(None),
            col(volunteer.deleted_at).is_(None),
            col(volunteer.erased_at).is_(None),
        )
        .order_by(col(volunteer.name), col(volunteer.id))
    ).all()
    rows: list[MailingRow] = []
    seen: set[str] = set()
    without_email = 0
    for name, email, given_on in found:
        address = email.strip()
        if "@" not in address:
            without_email += 1
            continue
        if address.casefold() in seen:
            continue
        seen.add(address.casefold())
        first, last = split_name(name)
        rows.append(MailingRow(email=address, first_name=first, last_name=last, consent_given_on=given_on))
    return MailingList(rows=tuple(rows), without_email=without_email)


def export_mailing_list(session: Session, *, path: Path) -> MailingList:
    """Write :func:`mailing_list` as a CSV for a mailing tool; returns what was written."""
    found = mailing_list(session)
    write_mailing_csv(path, found.rows)
    return found


# ---------------------------------------------------------------------------- the calendar

CALENDAR_NAME = N_("Cohesion Desktop: actions, renewals, workshops")  # translated when written


def calendar_events(session: Session) -> list[CalendarEvent]:
    """Every date worth a calendar entry, soonest first: open actions' due dates, the renewal of each volunteer's
    latest check or training of each kind, and workshops."""
    events: list[CalendarEvent] = []
    owner = models.Partner
    action = models.Action
    for action_id, title, due_on, status, notes, changed, owner_name in session.execute(
        select(
            col(action.id),
            col(action.title),
            col(action.due_on),
            col(action.status),
            col(action.notes),
            col(action.updated_at),
            col(owner.name),
        )
        .outerjoin(owner, col(owner.id) == col(action.owner_partner_id))
        .where(
            col(action.deleted_at).is_(None),
            col(action.due_on).is_not(None),
            col(action.status).in_([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]),
        )
    ):
        events.append(
            CalendarEvent(
                key=f"action-{action_id.hex}",
                day=due_on,
                summary=(_("Action due: {title} ({owner})") if owner_name else _("Action due: {title}")).format(
                    title=title, owner=owner_name
                ),
                description="\n".join(
                    part
                    for part in (
                        _("Owner: {owner}").format(owner=owner_name) if owner_name else "",
                        _("Status: {status}").format(status=status.label),
                        notes,
                    )
                    if part
                ),
                category=_("Action"),
                changed_at=changed,
            )
        )
    check = models.VolunteerCheck
    renewals = current_checks(
        check_rows(
            session,
            (col(models.Volunteer.deleted_at).is_(None))
            & (col(models.Volunteer.erased_at).is_(None))
            & (col(check.renewal_due_on).is_not(None)),
        )
    )
    changed_at = _updated_at(session, check, [row.id for row in renewals])
    for row in renewals:
        assert row.renewal_due_on is not None  # the query asks for it
        events.append(
            CalendarEvent(
                key=f"renewal-{row.id.hex}",
                day=row.renewal_due_on,
                summary=_("Renewal due: {check} – {volunteer}").format(check=row.kind.label, volunteer=row.volunteer),
                description=(
                    _("Obtained {day}; reference {reference}") if row.reference else _("Obtained {day}")
                ).format(day=format_date(row.obtained_on), reference=row.reference),
                category=_("Renewal"),
                changed_at=changed_at[row.id],
            )
        )
    workshop, place = models.Workshop, models.Place
    for workshop_id, title, held_on, facilitator, changed, place_name in session.execute(
        select(
            col(workshop.id),
            col(workshop.title),
            col(workshop.held_on),
            col(workshop.facilitator),
            col(workshop.updated_at),
            col(place.name),
        )
        .outerjoin(place, col(place.id) == col(workshop.place_id))
        .where(col(workshop.deleted_at).is_(None))
    ):
        events.append(
            CalendarEvent(
                key=f"workshop-{workshop_id.hex}",
                day=held_on,
                summary=_("Workshop: {title}").format(title=title),
                description=_("Facilitator: {name}").format(name=facilitator) if facilitator else "",
                category=_("Workshop"),
                changed_at=changed,
                location=place_name or "",
            )
        )
    return sorted(events, key=lambda event: (event.day, event.category, event.summary))


def _updated_at(
    session: Session, table: type[models.VolunteerCheck], ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, datetime]:
    found: dict[uuid.UUID, datetime] = {}
    for start in range(0, len(ids), 500):
        query = select(col(table.id), col(table.updated_at)).where(col(table.id).in_(list(ids[start : start + 500])))
        found.update({record_id: changed for record_id, changed in session.execute(query)})
    return found


def export_calendar(session: Session, *, path: Path) -> int:
    """Write :func:`calendar_events` as an .ics file; returns the number of events."""
    events = calendar_events(session)
    write_calendar(path, events, name=_(CALENDAR_NAME))
    return len(events)
