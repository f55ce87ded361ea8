"""Turning a hand-made partner list into checked partner records and a problem list, row by row.

Nothing here is stored: the caller shows :class:`ParsedPartners` to the user (the records to import, and
for each problem its row as Excel numbers it, its column and what was done about it) and hands the
records to the partners service.

Decisions about messy cells, so that they are the same everywhere:

- "N/A", "NA", "n/a", "-", "–", "—", "none", "nil", "#N/A", "TBC" and "TBA" are empty: they are
  placeholders, and an empty field can be filled in later. A row with only "TBC" as its name is
  therefore skipped with "No organisation name".
- Errors skip the row (no name, a name seen earlier in the sheet, a repeated header row). Everything else
  is a warning and the row is kept: an unknown sector becomes a guess from the name or Other; an e-mail
  address or website that cannot be one is left out (the warning quotes it in full); unknown SME or
  relationship stage text is recorded as "no" / left blank.
- ``sector_was_guessed`` is True whenever the sector did not come from the sector column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from cohesion_desktop.domain import MAX_NAME_LENGTH, RelationshipStage, Sector
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.importing.columns import (
    HEADER_SEARCH_ROWS,
    MAX_FIELD_CHARS,
    MAX_LIST_ITEMS,
    Layout,
    RowCells,
    RowProblem,
    Vocabulary,
    data_rows,
    layout_of,
)
from cohesion_desktop.importing.spreadsheet import Sheet
from cohesion_desktop.text import fold

__all__ = [
    "HEADER_SEARCH_ROWS",
    "MAX_FIELD_CHARS",
    "MAX_LIST_ITEMS",
    "PARTNER_FIELDS",
    "ContactRecord",
    "ParsedPartners",
    "PartnerRecord",
    "RowProblem",
    "find_header_row",
    "guess_mapping",
    "parse_partners",
    "sector_from_name",
    "sector_from_text",
]

# (key, label): what a column can be mapped to, in the order the UI offers them.
PARTNER_FIELDS: tuple[tuple[str, str], ...] = (  # labels translated where shown
    ("name", N_("Organisation name")),
    ("sector", N_("Sector")),
    ("is_sme", N_("SME (small business)")),
    ("remit", N_("Remit / what they do")),
    ("themes", N_("Themes")),
    ("places", N_("Places served")),
    ("website", N_("Website")),
    ("relationship_stage", N_("Relationship stage")),
    ("notes", N_("Notes")),
    ("contact_name", N_("Contact name")),
    ("contact_role", N_("Contact role")),
    ("contact_email", N_("Contact e-mail")),
    ("contact_phone", N_("Contact phone")),
)
FIELD_LABELS: dict[str, str] = dict(PARTNER_FIELDS)
# Fields that hold a list: several columns may feed them (e.g. "Theme 1", "Theme 2").
LIST_FIELDS = frozenset({"themes", "places"})

# Header spellings, compared without case, spaces or punctuation ("E-mail" = "email", "SME?" = "sme").
_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "Organisation",
        "Organisation name",
        "Organization",
        "Organization name",
        "Name of organisation",
        "Name of organization",
        "Org",
        "Org name",
        "Partner",
        "Partner name",
        "Partner organisation",
    ),
    "sector": ("Sector", "Organisation type", "Organization type", "Type of organisation", "Sector / type"),
    "is_sme": ("SME", "SME?", "Small business", "Is SME", "Is it an SME"),
    "remit": ("Remit", "What they do", "Description", "Services", "Activities", "About"),
    "themes": ("Themes", "Theme", "Areas of work", "Area of work", "Focus", "Focus areas", "Topics"),
    "places": (
        "Areas covered",
        "Area covered",
        "Places",
        "Places served",
        "Wards",
        "Ward",
        "Neighbourhoods",
        "Areas served",
    ),
    "website": ("Web", "Website", "Web site", "URL", "Web address", "Website address", "Homepage"),
    "relationship_stage": ("Stage", "Relationship", "Relationship stage", "Relationship status"),
    "notes": ("Notes", "Note", "Comments", "Comment", "Other information"),
    "contact_name": (
        "Contact",
        "Contact name",
        "Main contact",
        "Key contact",
        "Lead contact",
        "Contact person",
        "Name of contact",
    ),
    "contact_role": ("Role", "Job title", "Position", "Contact role", "Contact job title"),
    "contact_email": ("Email", "E-mail", "Email address", "E-mail address", "Contact email", "Contact e-mail"),
    "contact_phone": (
        "Phone",
        "Telephone",
        "Tel",
        "Tel no",
        "Mobile",
        "Phone number",
        "Telephone number",
        "Mobile number",
        "Contact phone",
        "Contact number",
    ),
}
# Generic words that only count when no specific header claimed the field ("Sector" beats "Type").
_WEAK_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("Name",),
    "sector": ("Type", "Category"),
    "places": ("Area", "Areas", "Location"),
    "relationship_stage": ("Status",),
}

# Everything users type in a sector column, folded (see _words). Labels and keys of Sector are included.
SECTOR_SYNONYMS: dict[str, Sector] = {
    **{" ".join(re.findall(r"[0-9a-z]+", member.label.casefold())): member for member in Sector},
    **{member.value.replace("_", " "): member for member in Sector},
    "charity": Sector.VCS,
    "third sector": Sector.VCS,
    "3rd sector": Sector.VCS,
    "vcs": Sector.VCS,
    "vcse": Sector.VCS,
    "voluntary": Sector.VCS,
    "voluntary sector": Sector.VCS,
    "community group": Sector.VCS,
    "community sector": Sector.VCS,
    "voluntary and community": Sector.VCS,
    "civil society": Sector.VCS,
    "not for profit": Sector.VCS,
    "cic": Sector.SOCIAL_ENTERPRISE,
    "community interest company": Sector.SOCIAL_ENTERPRISE,
    "council": Sector.LOCAL_GOVERNMENT,
    "la": Sector.LOCAL_GOVERNMENT,
    "local authority": Sector.LOCAL_GOVERNMENT,
    "borough council": Sector.LOCAL_GOVERNMENT,
    "parish council": Sector.LOCAL_GOVERNMENT,
    "town council": Sector.LOCAL_GOVERNMENT,
    "city council": Sector.LOCAL_GOVERNMENT,
    "county council": Sector.LOCAL_GOVERNMENT,
    "district council": Sector.LOCAL_GOVERNMENT,
    "local council": Sector.LOCAL_GOVERNMENT,
    "church": Sector.FAITH,
    "mosque": Sector.FAITH,
    "gurdwara": Sector.FAITH,
    "temple": Sector.FAITH,
    "synagogue": Sector.FAITH,
    "faith group": Sector.FAITH,
    "faith organisation": Sector.FAITH,
    "faith based": Sector.FAITH,
    "school": Sector.EDUCATION,
    "academy": Sector.EDUCATION,
    "college": Sector.EDUCATION,
    "university": Sector.EDUCATION,
    "primary school": Sector.EDUCATION,
    "secondary school": Sector.EDUCATION,
    "nhs": Sector.HEALTH,
    "gp": Sector.HEALTH,
    "health": Sector.HEALTH,
    "healthcare": Sector.HEALTH,
    "nhs trust": Sector.HEALTH,
    "police": Sector.POLICE,
    "community safety": Sector.POLICE,
    "housing association": Sector.HOUSING,
    "social landlord": Sector.HOUSING,
    "registered social landlord": Sector.HOUSING,
    "company": Sector.BUSINESS,
    "ltd": Sector.BUSINESS,
    "sme": Sector.BUSINESS,
    "small business": Sector.BUSINESS,
    "employer": Sector.BUSINESS,
    "private sector": Sector.BUSINESS,
    "chamber of commerce": Sector.EMPLOYERS,
    "employers organisation": Sector.EMPLOYERS,
    "business association": Sector.EMPLOYERS,
    # A charity called "X Trust" is usually not a funder: only the bare word means one (see sector_from_name).
    "trust": Sector.FUNDER,
    "foundation": Sector.FUNDER,
    "grant maker": Sector.FUNDER,
    "sport": Sector.SPORT_CULTURE,
    "sports": Sector.SPORT_CULTURE,
    "arts": Sector.SPORT_CULTURE,
    "culture": Sector.SPORT_CULTURE,
    "arts and culture": Sector.SPORT_CULTURE,
}
# Sector values that also say the partner is an SME.
_SME_SECTOR_WORDS = frozenset({"sme", "small business"})

# Words in an organisation's name that give its sector away. First match wins, so the order matters:
# "Kirklees NHS Foundation Trust" is health, "Church Lane Surgery" health, "Acme Academy Ltd" business.
# "at end" rules only match the last words: "Kirklees Council" is local government but "Council for
# Voluntary Service" is not. Plain "Trust" and "Foundation" guess nothing: most are charities, not funders.
_NAME_RULES: tuple[tuple[Sector, Literal["anywhere", "at end"], tuple[str, ...]], ...] = (
    (
        Sector.HEALTH,
        "anywhere",
        (
            "nhs",
            "surgery",
            "medical practice",
            "medical centre",
            "health centre",
            "hospital",
            "hospice",
            "primary care network",
        ),
    ),
    (Sector.POLICE, "anywhere", ("police", "constabulary")),
    (Sector.COMBINED_AUTHORITY, "anywhere", ("combined authority",)),
    (Sector.LOCAL_GOVERNMENT, "at end", ("council",)),
    (Sector.SOCIAL_ENTERPRISE, "at end", ("cic", "community interest company")),
    (Sector.BUSINESS, "at end", ("ltd", "limited", "plc", "llp")),
    (Sector.HOUSING, "anywhere", ("housing association", "housing trust", "cymdeithas tai")),
    (Sector.HOUSING, "at end", ("homes",)),
    (
        Sector.FAITH,
        "anywhere",
        ("church", "mosque", "masjid", "gurdwara", "synagogue", "chapel", "cathedral", "mandir", "temple", "diocese"),
    ),
    (
        Sector.SPORT_CULTURE,
        "anywhere",
        (
            "football club",
            "fc",
            "afc",
            "rfc",
            "cricket club",
            "rugby club",
            "sports club",
            "theatre",
            "museum",
            "arts centre",
        ),
    ),
    (Sector.EDUCATION, "anywhere", ("school", "ysgol", "academy", "college", "university", "nursery", "sixth form")),
    (Sector.FUNDER, "anywhere", ("community foundation", "charitable trust", "lottery")),
    (
        Sector.VCS,
        "anywhere",
        (
            "council for voluntary service",
            "cvs",
            "voluntary action",
            "food bank",
            "foodbank",
            "residents association",
            "tenants association",
        ),
    ),
)

_URL_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_HOST = re.compile(r"[\w-]+(\.[\w-]+)+")

# How a row reader reports a warning: (field key, message).
_Warn = Callable[[str, str], None]

PARTNER_VOCABULARY = Vocabulary(
    fields=PARTNER_FIELDS,
    synonyms=_HEADER_SYNONYMS,
    weak=_WEAK_HEADER_SYNONYMS,
    list_fields=LIST_FIELDS,
    required="name",
    no_header=N_(
        "No column of organisation names was found in sheet '{sheet}'; the first rows were: {rows}. Give that column "
        "a header such as 'Organisation', or choose the header row and columns yourself."
    ),
    none_chosen=N_("No column is chosen for the organisation name, so no partner can be imported."),
    what="partner",
)


@dataclass(frozen=True)
class ContactRecord:
    """A partner's contact person, as read from the row."""

    name: str
    role: str
    email: str
    phone: str


@dataclass(frozen=True)
class PartnerRecord:
    """A partner ready to be stored; ``row`` is where it came from (1-based, as Excel shows it)."""

    row: int
    name: str
    sector: Sector
    sector_was_guessed: bool
    is_sme: bool
    remit: str
    themes: tuple[str, ...]
    places: tuple[str, ...]
    website: str
    relationship_stage: RelationshipStage | None
    notes: str
    contacts: tuple[ContactRecord, ...]


@dataclass(frozen=True)
class ParsedPartners:
    """The result of reading a sheet of partners: what can be imported and what is wrong, row by row.

    Attributes:
        header_row: the header's row number as Excel shows it (1-based).
        mapping: column index → field key (see PARTNER_FIELDS), or None for a column that is not imported.
        blank_rows: wholly blank rows below the header, skipped silently.
    """

    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[int, str | None]
    records: list[PartnerRecord]
    problems: list[RowProblem]
    blank_rows: int


# ------------------------------------------------------------------ vocabulary


def _words(text: str) -> str:
    """'St Mary’s Church & Hall' → 'st marys church and hall': folded words, single-spaced."""
    text = text.replace("'", "").replace("’", "").replace("&", " and ")
    return " ".join(re.findall(r"[0-9a-z]+", fold(text)))


def sector_from_text(text: str) -> Sector | None:
    """The sector a user meant by ``text`` ("Charity", "LA", "3rd sector", "Health and care" …), or None.

    The whole value must be a known word or phrase (see SECTOR_SYNONYMS); case, accents, spaces and
    punctuation do not matter.
    """
    return SECTOR_SYNONYMS.get(_words(text))


def sector_from_name(name: str) -> Sector | None:
    """A conservative guess of a sector from words in an organisation's name, or None.

    "St Mary's Church" → Faith, "Millbrook Primary School" → Education, "Kirklees Council" → Local
    government, "Acme Ltd" → Business, "Northgate NHS Trust" → Health. Names ending in plain "Trust" or
    "Foundation" guess nothing: most are charities, and NHS or housing trusts are caught first.
    """
    padded = f" {_words(name)} "
    for sector, where, phrases in _NAME_RULES:
        for phrase in phrases:
            if (where == "anywhere" and f" {phrase} " in padded) or padded.endswith(f" {phrase} "):
                return sector
    return None


# ------------------------------------------------------------------ header and mapping


def guess_mapping(headers: list[str]) -> dict[int, str | None]:
    """Which partner field each column holds, from its header (None when unknown); see :class:`Vocabulary`."""
    return PARTNER_VOCABULARY.guess_mapping(headers)


def find_header_row(sheet: Sheet) -> int:
    """The 0-based index of the header row: the row among the first 30 with the most known headers.

    Raises:
        ImportFileError: no row in the first 30 has a column of organisation names.
    """
    return PARTNER_VOCABULARY.find_header_row(sheet)


# ------------------------------------------------------------------ rows


def parse_partners(
    sheet: Sheet, *, header_row: int | None = None, mapping: dict[int, str | None] | None = None
) -> ParsedPartners:
    """Check every row below the header and turn the good ones into partner records.

    Args:
        sheet: what :func:`~cohesion_desktop.importing.spreadsheet.read_sheet` returned.
        header_row: the header's 0-based row index; None to find it (:func:`find_header_row`).
        mapping: column index → field key, as the user confirmed it; None to guess it from the headers.
            Themes and places may come from several columns; every other field from one.

    Raises:
        ImportFileError: no header row was found, no column is mapped to the organisation name, or a
            single-value field is mapped to two columns.
        ValueError: ``header_row`` is outside the sheet, or ``mapping`` names an unknown field or column.
    """
    layout = layout_of(sheet, PARTNER_VOCABULARY, header_row=header_row, mapping=mapping)
    reader = _RowReader(layout)
    records: list[PartnerRecord] = []
    problems: list[RowProblem] = []
    rows, blank_rows = data_rows(sheet, layout)
    for number, cells in rows:
        record, row_problems = reader.read(cells, row=number)
        problems.extend(row_problems)
        if record is not None:
            records.append(record)
    return ParsedPartners(
        sheet=sheet.name,
        header_row=layout.header_index + 1,
        headers=layout.headers,
        mapping=layout.mapping,
        records=records,
        problems=problems,
        blank_rows=blank_rows,
    )


class _RowReader:
    """Reads one row at a time, remembering names already seen (for duplicates)."""

    def __init__(self, layout: Layout) -> None:
        self._layout = layout
        self._row_of_name: dict[str, int] = {}

    def read(self, cells: list[str], *, row: int) -> tuple[PartnerRecord | None, list[RowProblem]]:
        read = RowCells(cells, row=row, layout=self._layout, vocabulary=PARTNER_VOCABULARY)
        if cells == self._layout.headers:
            # Two lists pasted one under the other bring their header along.
            return None, read.refused("", _("This row repeats the header row; it is not a partner"))
        name = read.line("name")
        if not name:
            return None, read.refused("name", _("No organisation name"))
        if len(name) > MAX_NAME_LENGTH:
            # Refused here, before it is compared with every look-alike: a paragraph is not a name.
            return None, read.refused(
                "name",
                _("The name is {length} characters long; at most {most} are allowed").format(
                    length=format_number(len(name)), most=MAX_NAME_LENGTH
                ),
            )
        first_row = self._row_of_name.setdefault(fold(name), row)
        if first_row != row:
            return None, read.refused("name", _("Same name as row {row}").format(row=format_number(first_row)))

        sector_text = read.text("sector")
        sector, sector_was_guessed = self._sector(name, sector_text, read.warn)
        # A blank SME cell says nothing: the sector may ("SME" as a sector means yes).
        is_sme = read.yes_no("is_sme")
        if is_sme is None:
            is_sme = not read.text("is_sme") and _words(sector_text) in _SME_SECTOR_WORDS

        website = read.text("website")
        if website:
            normalised = _normalised_website(website)
            if normalised is None:
                read.warn("website", _("“{text}” is not a web address; it was left out").format(text=website))
            website = normalised or ""

        stage = None
        stage_text = read.text("relationship_stage")
        if stage_text:
            try:
                stage = RelationshipStage.from_label(stage_text)
            except ValueError:
                allowed = ", ".join(member.label for member in RelationshipStage)
                read.warn(
                    "relationship_stage",
                    _("“{text}” is not a relationship stage ({allowed}); left blank").format(
                        text=stage_text, allowed=allowed
                    ),
                )

        contact = ContactRecord(
            name=read.line("contact_name"),
            role=read.line("contact_role"),
            email=read.email("contact_email"),
            phone=read.line("contact_phone"),
        )
        record = PartnerRecord(
            row=row,
            name=name,
            sector=sector,
            sector_was_guessed=sector_was_guessed,
            is_sme=is_sme,
            remit=read.text("remit"),
            themes=read.items("themes"),
            places=read.items("places"),
            website=website,
            relationship_stage=stage,
            notes=read.text("notes"),
            contacts=(contact,) if any((contact.name, contact.role, contact.email, contact.phone)) else (),
        )
        return record, read.problems

    @staticmethod
    def _sector(name: str, sector_text: str, warn: _Warn) -> tuple[Sector, bool]:
        """The sector from its column, else a guess from the name, else Other; True when not from the column."""
        if sector_text:
            sector = sector_from_text(sector_text)
            if sector is not None:
                return sector, False
        guess = sector_from_name(name)
        if sector_text:
            allowed = ", ".join(member.label for member in Sector)
            said = (
                _("“{text}” is not a known sector, so it was guessed as {sector} from the name. Sectors are: {allowed}")
                if guess
                else _("“{text}” is not a known sector, so it was set to Other. Sectors are: {allowed}")
            )
            warn("sector", said.format(text=sector_text, sector=guess.label if guess else "", allowed=allowed))
        elif guess:
            warn("sector", _("Sector guessed as {sector} from the name").format(sector=guess.label))
        else:
            warn("sector", _("No sector given; set to Other"))
        return guess or Sector.OTHER, True


def _normalised_website(text: str) -> str | None:
    """'www.example.org' → 'https://www.example.org'; None when it cannot be a web address."""
    address = text if _URL_SCHEME.match(text) else f"https://{text}"
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc or " " in address:
        return None
    return address if _HOST.fullmatch(host) else None
