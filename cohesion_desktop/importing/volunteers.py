"""Turning a hand-made volunteer list into checked volunteer records and a problem list, row by row.

Nothing here is stored: the caller shows :class:`ParsedVolunteers` (the records, and each problem by row and
column) and hands the records to ``services.volunteer_import``.

Decisions about messy cells, the same as for partners (see ``importing.columns``) and these for people:

- Consent is never invented. It is "yes" only when the sheet says when it was given: a date in the consent
  column, or yes/ticked with a date in a consent-date column. "Yes" without a date, a date in the future, or
  anything unreadable is recorded as **unknown** (a warning says so); "no" is recorded as no. Unknown is
  stored as "not known" (``Volunteer.consent_unknown``: ask them), apart from a "no"; an update never turns an
  answer already recorded into unknown, nor a consent already recorded into a "no".
- A check or training is recorded only when its kind is known ("Enhanced DBS", "First aid") and its date is
  a date; otherwise a warning says what was left out. Renewal dates are never guessed.
- Errors skip the row: no name, an e-mail address already used by an earlier row, the header repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from cohesion_desktop.dates import parse_sheet_date
from cohesion_desktop.domain import MAX_NAME_LENGTH, Availability, CheckKind
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.importing.columns import Layout, RowCells, RowProblem, Vocabulary, data_rows, layout_of
from cohesion_desktop.importing.spreadsheet import Sheet
from cohesion_desktop.text import fold

VOLUNTEER_FIELDS: tuple[tuple[str, str], ...] = (  # labels translated where shown
    ("name", N_("Name")),
    ("first_name", N_("First name")),
    ("last_name", N_("Last name")),
    ("email", N_("E-mail")),
    ("phone", N_("Phone")),
    ("address", N_("Address")),
    ("skills", N_("Skills")),
    ("availability", N_("Availability")),
    ("how_heard", N_("How they heard")),
    ("consent", N_("Consent to contact")),
    ("consent_given_on", N_("Consent given on")),
    ("consent_details", N_("What they agreed to")),
    ("consent_withdrawn_on", N_("Consent withdrawn on")),
    ("emergency_contact_name", N_("Emergency contact")),
    ("emergency_contact_phone", N_("Emergency contact phone")),
    ("notes", N_("Notes")),
    ("check_kind", N_("Check or training")),
    ("check_obtained_on", N_("Check date")),
    ("check_renewal_due_on", N_("Check renewal date")),
    ("check_reference", N_("Check reference")),
)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("Full name", "Volunteer", "Volunteer name", "Name of volunteer", "Volunteer's name"),
    "first_name": ("Forename", "Forenames", "Given name", "First"),
    "last_name": ("Surname", "Family name", "Last"),
    "email": ("Email", "Email address", "E-mail address", "Mail"),
    "phone": ("Telephone", "Tel", "Tel no", "Mobile", "Phone number", "Telephone number", "Mobile number", "Contact"),
    "address": ("Home address", "Postal address", "Postcode", "Address and postcode"),
    "skills": ("Skill", "Skills and experience", "Experience", "Interests"),
    "availability": ("Available", "When available", "Days available", "Availability"),
    "how_heard": ("How did you hear", "How did you hear about us", "Heard about us", "Referral", "Source"),
    "consent": (
        "Consent",
        "Consent given",
        "Consent to contact",
        "Agreed to contact",
        "Happy to be contacted",
        "GDPR consent",
        "Contact consent",
        "Opt in",
        "Marketing consent",
    ),
    "consent_given_on": ("Consent date", "Date of consent", "Consent given date", "Date consent given"),
    "consent_details": ("Consent details", "What they agreed", "Agreed to", "Consent wording"),
    "consent_withdrawn_on": ("Consent withdrawn", "Withdrawn", "Date withdrawn", "Opted out"),
    "emergency_contact_name": ("Emergency contact", "Emergency contact name", "Next of kin", "ICE contact"),
    "emergency_contact_phone": ("Emergency phone", "Emergency contact number", "Next of kin phone", "ICE number"),
    "notes": ("Note", "Comments", "Comment", "Other information"),
    "check_kind": ("DBS", "DBS level", "DBS type", "Check", "Check type", "Training", "Training type", "Checks"),
    "check_obtained_on": ("DBS date", "Date of DBS", "DBS issued", "Check date", "Training date", "Date obtained"),
    "check_renewal_due_on": ("DBS renewal", "Renewal date", "Renewal due", "Expires", "Expiry date", "DBS expiry"),
    "check_reference": ("DBS number", "DBS certificate number", "Certificate number", "Reference", "Certificate"),
}
_WEAK_SYNONYMS: dict[str, tuple[str, ...]] = {"name": ("Person", "Who")}

VOLUNTEER_VOCABULARY = Vocabulary(
    fields=VOLUNTEER_FIELDS,
    synonyms=_SYNONYMS,
    weak=_WEAK_SYNONYMS,
    list_fields=frozenset({"skills", "availability", "notes"}),
    required="name",
    no_header=N_(
        "No column of names was found in sheet '{sheet}'; the first rows were: {rows}. Give that column a header "
        "such as 'Name' (or 'First name' and 'Surname'), or choose the header row and columns yourself."
    ),
    none_chosen=N_("No column is chosen for the name, so no volunteer can be imported."),
    what="volunteer",
    stand_ins=frozenset({"first_name", "last_name"}),
)

# What people write for a check or training, folded to words (see _words) → the kind.
CHECK_WORDS: dict[str, CheckKind] = {
    **{" ".join(re.findall(r"[0-9a-z]+", kind.label.casefold())): kind for kind in CheckKind},
    "basic": CheckKind.DBS_BASIC,
    "basic dbs": CheckKind.DBS_BASIC,
    "dbs basic": CheckKind.DBS_BASIC,
    "standard": CheckKind.DBS_STANDARD,
    "standard dbs": CheckKind.DBS_STANDARD,
    "dbs standard": CheckKind.DBS_STANDARD,
    "enhanced": CheckKind.DBS_ENHANCED,
    "enhanced dbs": CheckKind.DBS_ENHANCED,
    "dbs enhanced": CheckKind.DBS_ENHANCED,
    "enhanced with barred list": CheckKind.DBS_ENHANCED_BARRED,
    "enhanced barred": CheckKind.DBS_ENHANCED_BARRED,
    "enhanced dbs with barred list": CheckKind.DBS_ENHANCED_BARRED,
    "enhanced with barring": CheckKind.DBS_ENHANCED_BARRED,
    "barred list": CheckKind.DBS_ENHANCED_BARRED,
    "safeguarding": CheckKind.TRAINING_SAFEGUARDING,
    "safeguarding training": CheckKind.TRAINING_SAFEGUARDING,
    "food hygiene": CheckKind.TRAINING_FOOD_HYGIENE,
    "food hygiene training": CheckKind.TRAINING_FOOD_HYGIENE,
    "food safety": CheckKind.TRAINING_FOOD_HYGIENE,
    "first aid": CheckKind.TRAINING_FIRST_AID,
    "first aid training": CheckKind.TRAINING_FIRST_AID,
    "first aider": CheckKind.TRAINING_FIRST_AID,
}

# Words in an availability cell → when.
_AVAILABILITY_WORDS: dict[str, tuple[Availability, ...]] = {
    "weekday daytimes": (Availability.WEEKDAY_DAYTIME,),
    "weekday daytime": (Availability.WEEKDAY_DAYTIME,),
    "weekdays": (Availability.WEEKDAY_DAYTIME,),
    "daytime": (Availability.WEEKDAY_DAYTIME,),
    "daytimes": (Availability.WEEKDAY_DAYTIME,),
    "days": (Availability.WEEKDAY_DAYTIME,),
    "mornings": (Availability.WEEKDAY_DAYTIME,),
    "afternoons": (Availability.WEEKDAY_DAYTIME,),
    "weekday evenings": (Availability.WEEKDAY_EVENING,),
    "weekday evening": (Availability.WEEKDAY_EVENING,),
    "evenings": (Availability.WEEKDAY_EVENING,),
    "evening": (Availability.WEEKDAY_EVENING,),
    "weekends": (Availability.WEEKEND,),
    "weekend": (Availability.WEEKEND,),
    "saturdays": (Availability.WEEKEND,),
    "saturday": (Availability.WEEKEND,),
    "sundays": (Availability.WEEKEND,),
    "sunday": (Availability.WEEKEND,),
    "anytime": tuple(Availability),
    "any time": tuple(Availability),
    "flexible": tuple(Availability),
}

Consent = Literal["yes", "no", "unknown"]


@dataclass(frozen=True)
class CheckRecord:
    kind: CheckKind
    obtained_on: date
    renewal_due_on: date | None
    reference: str


@dataclass(frozen=True)
class VolunteerRecord:
    """A volunteer ready to be stored; ``row`` is where it came from (1-based, as Excel shows it).

    ``consent`` is "yes" only with ``consent_given_on``; "unknown" when the sheet did not evidence it.
    """

    row: int
    name: str
    email: str
    phone: str
    address: str
    skills: tuple[str, ...]
    availability: tuple[Availability, ...]
    how_heard: str
    consent: Consent
    consent_given_on: date | None
    consent_details: str
    consent_withdrawn_on: date | None
    emergency_contact_name: str
    emergency_contact_phone: str
    notes: str
    checks: tuple[CheckRecord, ...]


@dataclass(frozen=True)
class ParsedVolunteers:
    """A sheet of volunteers read: records and problems by row (see ``importing.partners.ParsedPartners``)."""

    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[int, str | None]
    records: list[VolunteerRecord]
    problems: list[RowProblem]
    blank_rows: int


def _words(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", fold(text.replace("&", " and "))))


def check_kind_from_text(text: str) -> CheckKind | None:
    """The check meant by ``text`` ("Enhanced DBS", "first aid", "DBS check: basic"), or None."""
    return CHECK_WORDS.get(_words(text))


def parse_volunteers(
    sheet: Sheet,
    *,
    header_row: int | None = None,
    mapping: dict[int, str | None] | None = None,
    today: date | None = None,
) -> ParsedVolunteers:
    """Check every row below the header and turn the good ones into volunteer records.

    A name comes from the name column, or from first and last name columns put together.

    Raises:
        ImportFileError: no header row with names was found, no column is mapped to the name, or a
            single-value field is mapped to two columns.
        ValueError: ``header_row`` is outside the sheet, or ``mapping`` names an unknown field or column.
    """
    layout = layout_of(sheet, VOLUNTEER_VOCABULARY, header_row=header_row, mapping=mapping)
    reader = _RowReader(layout, today or date.today())
    records: list[VolunteerRecord] = []
    problems: list[RowProblem] = []
    rows, blank_rows = data_rows(sheet, layout)
    for number, cells in rows:
        record, row_problems = reader.read(cells, row=number)
        problems.extend(row_problems)
        if record is not None:
            records.append(record)
    return ParsedVolunteers(
        sheet=sheet.name,
        header_row=layout.header_index + 1,
        headers=layout.headers,
        mapping=layout.mapping,
        records=records,
        problems=problems,
        blank_rows=blank_rows,
    )


class _RowReader:
    """Reads one row at a time, remembering e-mail addresses and name + phone already seen (duplicates)."""

    def __init__(self, layout: Layout, today: date) -> None:
        self._layout = layout
        self._today = today
        self._row_of_email: dict[str, int] = {}
        self._row_of_person: dict[tuple[str, str], int] = {}

    def read(self, cells: list[str], *, row: int) -> tuple[VolunteerRecord | None, list[RowProblem]]:
        read = RowCells(cells, row=row, layout=self._layout, vocabulary=VOLUNTEER_VOCABULARY)
        if cells == self._layout.headers:
            return None, read.refused("", _("This row repeats the header row; it is not a volunteer"))
        name = read.line("name") or " ".join(part for part in (read.line("first_name"), read.line("last_name")) if part)
        if not name:
            return None, read.refused("name" if read.has("name") else "first_name", _("No name"))
        if len(name) > MAX_NAME_LENGTH:
            return None, read.refused(
                "name",
                _("The name is {length} characters long; at most {most} are allowed").format(
                    length=format_number(len(name)), most=MAX_NAME_LENGTH
                ),
            )
        email = read.email("email")
        phone = read.line("phone")
        if email:
            first = self._row_of_email.setdefault(fold(email), row)
            if first != row:
                return None, read.refused(
                    "email", _("Same e-mail address as row {row}").format(row=format_number(first))
                )
        person = (fold(name), _digits(phone))
        if not email and person[1]:
            first = self._row_of_person.setdefault(person, row)
            if first != row:
                return None, read.refused(
                    "name", _("Same name and phone as row {row}").format(row=format_number(first))
                )
        consent, given_on, withdrawn_on = self._consent(read)
        record = VolunteerRecord(
            row=row,
            name=name,
            email=email,
            phone=phone,
            address=read.text("address"),
            skills=read.items("skills"),
            availability=self._availability(read),
            how_heard=read.line("how_heard"),
            consent=consent,
            consent_given_on=given_on,
            consent_details=read.text("consent_details"),
            consent_withdrawn_on=withdrawn_on,
            emergency_contact_name=read.line("emergency_contact_name"),
            emergency_contact_phone=read.line("emergency_contact_phone"),
            notes="\n".join(read.items("notes"))
            if len(self._layout.columns.get("notes", [])) > 1
            else read.text("notes"),
            checks=self._checks(read),
        )
        return record, read.problems

    def _consent(self, read: RowCells) -> tuple[Consent, date | None, date | None]:
        """Yes only with a date the sheet gives; otherwise no (when it says so) or unknown."""
        text = read.text("consent")
        withdrawn_on = (
            read.day("consent_withdrawn_on", today=self._today) if read.text("consent_withdrawn_on") else None
        )
        dated = read.day("consent_given_on", today=self._today)
        answer: bool | None = None
        if text:
            try:
                in_cell = _day_or_none(text, self._today)
            except ValueError:
                in_cell = None
            if in_cell is not None:
                answer, dated = True, dated or in_cell
            else:
                answer = read.yes_no("consent", otherwise=N_("“{text}” is not yes or no; consent recorded as unknown"))
        elif dated is not None:
            answer = True  # a consent date alone is the evidence
        if answer is False:
            return "no", None, withdrawn_on
        if answer is None:
            if dated is not None:
                read.warn("consent", _("A consent date without a yes: consent recorded as unknown"))
            return "unknown", None, withdrawn_on
        if dated is None:
            read.warn(
                "consent",
                _(
                    "“{text}” says yes but not when: consent recorded as unknown (add the date in the volunteer's "
                    "record once they confirm)"
                ).format(text=text),
            )
            return "unknown", None, withdrawn_on
        if dated > self._today:
            read.warn(
                "consent_given_on" if read.has("consent_given_on") else "consent",
                _("Consent date is in the future: consent recorded as unknown"),
            )
            return "unknown", None, withdrawn_on
        if withdrawn_on is not None and withdrawn_on < dated:
            read.warn("consent_withdrawn_on", _("Withdrawn before consent was given; the withdrawal date was left out"))
            withdrawn_on = None
        return "yes", dated, withdrawn_on

    @staticmethod
    def _availability(read: RowCells) -> tuple[Availability, ...]:
        found: dict[Availability, None] = {}
        for item in read.items("availability"):
            words = _words(item)
            times = _AVAILABILITY_WORDS.get(words) or _AVAILABILITY_WORDS.get(words.rstrip("s"))
            if times is None:
                try:
                    times = (Availability.from_label(item),)
                except ValueError:
                    read.warn(
                        "availability",
                        _(
                            "“{text}” is not a time (weekday daytimes, weekday evenings or weekends); it was left out"
                        ).format(text=item),
                    )
                    continue
            found.update(dict.fromkeys(times))
        return tuple(found)

    def _checks(self, read: RowCells) -> tuple[CheckRecord, ...]:
        kind_text = read.text("check_kind")
        date_text = read.text("check_obtained_on")
        reference = read.line("check_reference")
        if not (kind_text or date_text or reference):
            return ()
        kind = check_kind_from_text(kind_text) if kind_text else None
        if kind is None:
            known = ", ".join(k.label for k in CheckKind)
            said = (
                _("“{text}” is not a check or training we know ({known}); the check was left out")
                if kind_text
                else _("No kind of check; the check was left out")
            )
            read.warn("check_kind", said.format(text=kind_text, known=known))
            return ()
        obtained_on = read.day("check_obtained_on", today=self._today)
        if obtained_on is None:
            if not date_text:
                read.warn(
                    "check_obtained_on" if read.has("check_obtained_on") else "check_kind",
                    _("{check} has no date; the check was left out").format(check=kind.label),
                )
            return ()
        if obtained_on > self._today:
            read.warn(
                "check_obtained_on", _("{check} dated in the future; the check was left out").format(check=kind.label)
            )
            return ()
        renewal = read.day("check_renewal_due_on", today=self._today)
        if renewal is not None and renewal < obtained_on:
            read.warn("check_renewal_due_on", _("The renewal date is before the check's date; it was left out"))
            renewal = None
        return (CheckRecord(kind, obtained_on, renewal, reference),)


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def _day_or_none(text: str, today: date) -> date | None:
    if fold(text) in ("yes", "no", "y", "n", "x", "1", "0"):
        return None
    return parse_sheet_date(text, today=today)
