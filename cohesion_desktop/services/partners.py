"""Partners: the directory, editing with validation, themes and places, contacts, duplicates and merging."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import and_, delete, func, insert, select
from sqlmodel import Session, SQLModel, col

from cohesion_desktop.db import models, versions
from cohesion_desktop.db.backups import backup_before
from cohesion_desktop.db.defaults import shipped_theme_matches, shown_theme, stored_theme
from cohesion_desktop.db.models import utcnow
from cohesion_desktop.db.sql import raw_id, stored_datetime, stored_text, table_of, utc_of
from cohesion_desktop.db.store import writing
from cohesion_desktop.db.versions import update_rows
from cohesion_desktop.domain import MAX_NAME_LENGTH, RelationshipStage, Sector
from cohesion_desktop.errors import NotFoundError, ValidationError
from cohesion_desktop.formatting import format_date, format_number
from cohesion_desktop.i18n import _
from cohesion_desktop.services.search_text import partner_search_text
from cohesion_desktop.text import fold, search_terms

SIMILARITY_THRESHOLD = 90
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Words that differ between two spellings of the same organisation's name.
_NAME_NOISE = frozenset(
    {
        "the",
        "of",
        "and",
        "ltd",
        "limited",
        "plc",
        "llp",
        "cic",
        "inc",
        "co",
        "metropolitan",
        "borough",
        "city",
        "district",
        "county",
    }
)


# ---------------------------------------------------------------------------- plain rows


@dataclass(unsafe_hash=True)  # read-only all the same: frozen, each of 10,000 rows took twice as long to make
class PartnerRow:
    """One line of the Partners table (and the data its filters need).

    Theme and place names, the date it was last updated and the id as a UUID are worked out when first asked
    for: a table shows a screenful of rows, so at 10,000 partners most rows never need them.
    """

    key: str  # the stored hex of its id
    name: str
    sector: Sector
    is_sme: bool
    stage: RelationshipStage
    main_contact: str
    stored_updated_at: str | datetime  # as read (stored_datetime); updated_at converts it when first asked for
    search_text: str
    theme_keys: str = ""  # the hex ids of its themes, comma-separated: cheap to build, cheap to test
    place_keys: str = ""
    names: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)  # hex id → name

    @cached_property
    def id(self) -> uuid.UUID:
        return uuid.UUID(self.key)

    @cached_property
    def updated_at(self) -> datetime:
        return utc_of(self.stored_updated_at)

    def has_theme(self, theme_id: uuid.UUID) -> bool:
        return theme_id.hex in self.theme_keys

    def has_place(self, place_id: uuid.UUID) -> bool:
        return place_id.hex in self.place_keys

    @cached_property
    def themes(self) -> tuple[str, ...]:
        return names_of(self.theme_keys, self.names)

    @cached_property
    def places(self) -> tuple[str, ...]:
        return names_of(self.place_keys, self.names)


@dataclass(frozen=True)
class Contact:
    id: uuid.UUID | None
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    is_main: bool = False


@dataclass(frozen=True)
class LinkedItem:
    """Something a partner is linked to, shown in its editor (an opportunity, a workshop, an action)."""

    id: uuid.UUID
    label: str
    detail: str = ""


@dataclass(frozen=True)
class PartnerDetail:
    id: uuid.UUID
    name: str
    sector: Sector
    is_sme: bool
    remit: str
    website: str
    relationship_stage: RelationshipStage
    notes: str
    themes: tuple[str, ...]
    places: tuple[str, ...]
    contacts: tuple[Contact, ...]
    updated_at: datetime
    version: int  # as read: an editor hands it back with a save (update_partner), so a stale one is refused
    hosted: tuple[LinkedItem, ...] = ()
    supported: tuple[LinkedItem, ...] = ()
    workshops: tuple[LinkedItem, ...] = ()
    actions: tuple[LinkedItem, ...] = ()


@dataclass(frozen=True)
class PartnerInput:
    """What the user typed for a new partner (or a row of an imported spreadsheet)."""

    name: str
    sector: Sector
    is_sme: bool = False
    remit: str = ""
    website: str = ""
    relationship_stage: RelationshipStage = RelationshipStage.IDENTIFIED
    notes: str = ""
    themes: Sequence[str] = ()
    places: Sequence[str] = ()
    contacts: Sequence[Contact] = ()


@dataclass(frozen=True)
class SimilarPartner:
    id: uuid.UUID
    name: str
    sector: Sector
    score: float


@dataclass(frozen=True)
class Vocabulary:
    """Themes or places: id and name, for filters, checklists and completers."""

    id: uuid.UUID
    name: str


# ---------------------------------------------------------------------------- reading


def vocabulary_names(session: Session) -> dict[str, str]:
    """The name of every live theme (as shown, in the current language) and place, by stored hex id (the keys of
    :func:`link_keys`)."""
    connection = session.connection()
    names = {
        hex_id: shown_theme(name)
        for hex_id, name in connection.execute(
            select(raw_id(col(models.Theme.id)), col(models.Theme.name)).where(col(models.Theme.deleted_at).is_(None))
        )
    }
    names.update(
        {
            hex_id: name
            for hex_id, name in connection.execute(
                select(raw_id(col(models.Place.id)), col(models.Place.name)).where(
                    col(models.Place.deleted_at).is_(None)
                )
            )
        }
    )
    return names


def link_keys() -> tuple[Any, Any]:
    """For a query over partners: each partner's theme ids and place ids as comma-separated stored hex (NULL for
    none), from correlated subqueries on the indexed link tables."""
    partner = models.Partner
    theme_keys = (
        select(func.aggregate_strings(raw_id(col(models.PartnerTheme.theme_id)), ","))
        .where(col(models.PartnerTheme.partner_id) == col(partner.id))
        .scalar_subquery()
    )
    place_keys = (
        select(func.aggregate_strings(raw_id(col(models.PartnerPlace.place_id)), ","))
        .where(col(models.PartnerPlace.partner_id) == col(partner.id))
        .scalar_subquery()
    )
    return theme_keys, place_keys


def names_of(keys: str | None, names: Mapping[str, str]) -> tuple[str, ...]:
    """The names of comma-separated keys from :func:`link_keys`, in alphabetical order."""
    return tuple(sorted(names[key] for key in keys.split(",") if key in names)) if keys else ()


_SECTOR_OF_KEY = {sector.value: sector for sector in Sector}
_STAGE_OF_KEY = {stage.value: stage for stage in RelationshipStage}


def list_partners(session: Session, *, keys: Sequence[str] | None = None) -> list[PartnerRow]:
    """Every live partner (or those of ``keys``, stored hex ids) with its themes, places and main contact, ordered
    by name (then id, so that the order is the same however many are read).

    Four flat reads joined here by id: the partners, each partner's theme ids and place ids as comma-separated
    text, and the live contacts. At 10,000 partners this takes a fifth of the time of one query with a
    correlated subquery per partner for each of the three (30,000 index searches, and a sort per partner for
    the main contact), and a scan in table order and a sort here cost less than walking the name index.
    """
    ids = None if keys is None else [uuid.UUID(key) for key in keys]
    connection = session.connection()
    names = vocabulary_names(session)
    theme_keys = _keys_by_partner(session, models.PartnerTheme.partner_id, models.PartnerTheme.theme_id, ids)
    place_keys = _keys_by_partner(session, models.PartnerPlace.partner_id, models.PartnerPlace.place_id, ids)
    main_contacts = _main_contacts(session, ids)
    partner = models.Partner
    sectors, stages = _SECTOR_OF_KEY, _STAGE_OF_KEY
    query = select(
        raw_id(col(partner.id)),
        col(partner.name),
        stored_text(col(partner.sector)),
        col(partner.is_sme),
        stored_text(col(partner.relationship_stage)),
        stored_datetime(col(partner.updated_at)),
        col(partner.search_text),
    ).where(col(partner.deleted_at).is_(None))
    if ids is not None:
        query = query.where(col(partner.id).in_(ids))
    rows = [
        PartnerRow(
            key=hex_id,
            name=name,
            sector=sectors[sector],
            is_sme=is_sme,
            stage=stages[stage],
            main_contact=main_contacts.get(hex_id, ""),
            stored_updated_at=updated_at,
            search_text=search_text,
            theme_keys=theme_keys.get(hex_id, ""),
            place_keys=place_keys.get(hex_id, ""),
            names=names,
        )
        for hex_id, name, sector, is_sme, stage, updated_at, search_text in connection.execute(query).all()
    ]  # fetched at once: a row at a time through the cursor takes twice as long
    rows.sort(key=attrgetter("name", "key"))  # as ORDER BY name, id: both compare code points
    return rows


def first_partners(session: Session, *, limit: int, descending: bool = False) -> tuple[list[PartnerRow], int]:
    """The first ``limit`` live partners by name (:func:`list_partners`'s order, or its reverse) and how many live
    partners there are: what the directory shows at once while every partner is read in the background.

    A few milliseconds through the name index, where reading all 10,000 takes a quarter of a second or more. The
    order is the database's (code points on a file, the server's collation on a server): the directory sorts these
    as it sorts every row, and puts right what differs when every row has arrived.
    """
    total = count_live_partners(session)
    if total <= limit:
        return list_partners(session), total  # a small directory: every partner at once
    partner = models.Partner
    name = col(partner.name).desc() if descending else col(partner.name)
    keys = (
        session.connection()
        .execute(
            select(raw_id(col(partner.id)))
            .where(col(partner.deleted_at).is_(None))
            .order_by(name, col(partner.id))
            .limit(limit)
        )
        .scalars()
        .all()
    )
    return list_partners(session, keys=keys), total


def count_live_partners(session: Session) -> int:
    """How many partners are live (not removed): all of them less the removed, each counted through an index,
    where counting the live ones directly reads the whole partner table."""
    partner = models.Partner
    every = select(func.count()).select_from(partner).scalar_subquery()
    removed = select(func.count()).select_from(partner).where(col(partner.deleted_at).is_not(None)).scalar_subquery()
    return int(session.execute(select(every - removed)).scalar_one())


def directory_rows_of(session: Session, ids: Iterable[uuid.UUID]) -> tuple[list[PartnerRow], set[str]]:
    """The directory's rows that a change to the records ``ids`` (partners, contacts, or anything else) can have
    changed: the live rows of those partners and of those contacts' partners, and the keys of every partner
    looked at (one looked at but not returned is no longer live). A change to themes, places or their links
    changes other partners' rows too: read them all (:func:`list_partners`)."""
    id_list = list(ids)
    owners = session.execute(select(col(models.Contact.partner_id)).where(col(models.Contact.id).in_(id_list)))
    looked_at = {changed.hex for changed in id_list} | {owner.hex for owner in owners.scalars()}
    return list_partners(session, keys=sorted(looked_at)), looked_at


def _keys_by_partner(
    session: Session, partner_id: Any, linked_id: Any, ids: Sequence[uuid.UUID] | None
) -> dict[str, str]:
    """For a link table: each partner's linked ids as comma-separated stored hex, by the partner's stored hex
    (of the partners of ``ids`` only, if given)."""
    partner_hex = raw_id(col(partner_id))
    query = select(partner_hex, func.aggregate_strings(raw_id(col(linked_id)), ",")).group_by(partner_hex)
    if ids is not None:
        query = query.where(col(partner_id).in_(ids))
    return dict(session.connection().execute(query).all())


def _main_contacts(session: Session, ids: Sequence[uuid.UUID] | None) -> dict[str, str]:
    """The name of each partner's main contact (the one marked main, else the first), by stored hex id (of the
    partners of ``ids`` only, if given).

    Read worst first, so that each partner's best contact is the last one the dictionary keeps: the database
    orders 10,000 contacts in a fraction of the time a comparison per contact here took."""
    contact = models.Contact
    query = (
        select(raw_id(col(contact.partner_id)), col(contact.name))
        .where(col(contact.deleted_at).is_(None))
        .order_by(col(contact.is_main), col(contact.position).desc(), col(contact.name).desc())
    )
    if ids is not None:
        query = query.where(col(contact.partner_id).in_(ids))
    return dict(session.connection().execute(query).all())


def themes(session: Session) -> list[Vocabulary]:
    """Every live theme, named as shown in the current language, in that language's alphabetical order."""
    rows = session.execute(
        select(col(models.Theme.id), col(models.Theme.name)).where(col(models.Theme.deleted_at).is_(None))
    )
    return sorted(
        (Vocabulary(id=row.id, name=shown_theme(row.name)) for row in rows), key=lambda theme: fold(theme.name)
    )


def places(session: Session) -> list[Vocabulary]:
    rows = session.execute(
        select(col(models.Place.id), col(models.Place.name))
        .where(col(models.Place.deleted_at).is_(None))
        .order_by(col(models.Place.name))
    )
    return [Vocabulary(id=row.id, name=row.name) for row in rows]


def _live_partner(session: Session, partner_id: uuid.UUID) -> models.Partner:
    partner = session.get(models.Partner, partner_id)
    if partner is None or partner.deleted_at is not None:
        raise NotFoundError(_("That partner no longer exists (it may have been deleted or merged)."))
    return partner


def get_partner(session: Session, partner_id: uuid.UUID) -> PartnerDetail:
    """Everything the editor shows about one partner, with the things it is linked to."""
    partner = _live_partner(session, partner_id)
    stored_theme_names = (
        session.execute(
            select(col(models.Theme.name))
            .join(models.PartnerTheme, col(models.PartnerTheme.theme_id) == col(models.Theme.id))
            .where(col(models.PartnerTheme.partner_id) == partner_id, col(models.Theme.deleted_at).is_(None))
        )
        .scalars()
        .all()
    )
    theme_names = sorted((shown_theme(name) for name in stored_theme_names), key=fold)
    place_names = (
        session.execute(
            select(col(models.Place.name))
            .join(models.PartnerPlace, col(models.PartnerPlace.place_id) == col(models.Place.id))
            .where(col(models.PartnerPlace.partner_id) == partner_id, col(models.Place.deleted_at).is_(None))
            .order_by(col(models.Place.name))
        )
        .scalars()
        .all()
    )
    contacts = (
        session.execute(
            select(models.Contact)
            .where(col(models.Contact.partner_id) == partner_id, col(models.Contact.deleted_at).is_(None))
            .order_by(col(models.Contact.position), col(models.Contact.created_at))
        )
        .scalars()
        .all()
    )

    def opportunities(column: Any) -> tuple[LinkedItem, ...]:
        rows = session.execute(
            select(col(models.Opportunity.id), col(models.Opportunity.title), col(models.Opportunity.status))
            .where(column == partner_id, col(models.Opportunity.deleted_at).is_(None))
            .order_by(col(models.Opportunity.title))
        )
        return tuple(LinkedItem(id=r.id, label=r.title, detail=r.status.label) for r in rows)

    workshops = session.execute(
        select(col(models.Workshop.id), col(models.Workshop.title), col(models.Workshop.held_on))
        .join(models.WorkshopPartner, col(models.WorkshopPartner.workshop_id) == col(models.Workshop.id))
        .where(col(models.WorkshopPartner.partner_id) == partner_id, col(models.Workshop.deleted_at).is_(None))
        .order_by(col(models.Workshop.held_on).desc())
    )
    actions = session.execute(
        select(col(models.Action.id), col(models.Action.title), col(models.Action.status), col(models.Action.due_on))
        .where(col(models.Action.owner_partner_id) == partner_id, col(models.Action.deleted_at).is_(None))
        .order_by(col(models.Action.due_on))
    )
    return PartnerDetail(
        id=partner.id,
        name=partner.name,
        sector=partner.sector,
        is_sme=partner.is_sme,
        remit=partner.remit,
        website=partner.website,
        relationship_stage=partner.relationship_stage,
        notes=partner.notes,
        themes=tuple(theme_names),
        places=tuple(place_names),
        contacts=tuple(
            Contact(id=c.id, name=c.name, role=c.role, email=c.email, phone=c.phone, is_main=c.is_main)
            for c in contacts
        ),
        updated_at=partner.updated_at,
        version=partner.version,
        hosted=opportunities(col(models.Opportunity.host_partner_id)),
        supported=opportunities(col(models.Opportunity.supporting_partner_id)),
        workshops=tuple(LinkedItem(id=w.id, label=w.title, detail=f"{format_date(w.held_on)}") for w in workshops),
        actions=tuple(
            LinkedItem(
                id=a.id, label=a.title, detail=a.status.label + (f", due {format_date(a.due_on)}" if a.due_on else "")
            )
            for a in actions
        ),
    )


# ---------------------------------------------------------------------------- validation


def normalise_name(name: str) -> str:
    """Collapse runs of spaces and trim: 'St  Mary's ' and 'St Mary's' are one name."""
    return " ".join(name.split())


def normalise_website(website: str) -> str:
    website = website.strip()
    if website and not re.match(r"^[a-z][a-z0-9+.-]*://", website, re.IGNORECASE):
        website = f"https://{website}"
    return website


def _clean_name(name: str) -> str:
    name = normalise_name(name)
    if not name:
        raise ValidationError.single("name", _("Enter the organisation's name."))
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError.single(
            "name",
            _("The name is too long ({length} characters; at most {most}).").format(
                length=format_number(len(name)), most=format_number(MAX_NAME_LENGTH)
            ),
        )
    return name


def _name_taken(other_name: str, sector: Sector) -> ValidationError:
    return ValidationError.single(
        "name",
        _("There is already a partner called '{name}' in {sector}.").format(name=other_name, sector=sector.label),
    )


def _validate_name(session: Session, name: str, sector: Sector, exclude_id: uuid.UUID | None) -> str:
    name = _clean_name(name)
    folded = fold(name)
    # Folding happens in Python: SQLite's lower() knows no accents, and one sector holds few partners.
    same_sector = session.execute(
        select(col(models.Partner.id), col(models.Partner.name)).where(
            col(models.Partner.sector) == sector, col(models.Partner.deleted_at).is_(None)
        )
    ).all()
    for other_id, other_name in same_sector:
        if other_id != exclude_id and fold(other_name) == folded:
            raise _name_taken(other_name, sector)
    return name


def check_new_name(session: Session, *, name: str, sector: Sector) -> str:
    """The cleaned name, or ValidationError when it is empty, too long or taken in that sector."""
    return _validate_name(session, name, sector, None)


def _validate_website(website: str) -> str:
    website = normalise_website(website)
    if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website, re.IGNORECASE):
        raise ValidationError.single(
            "website", _("'{website}' does not look like a web address (e.g. www.example.org).").format(website=website)
        )
    return website


def validate_contact(contact: Contact) -> Contact:
    """A contact needs a name; an e-mail, when given, must look like one."""
    name = normalise_name(contact.name)
    problems = {}
    if not name:
        problems["contact_name"] = _("Enter the contact's name.")
    email = contact.email.strip()
    if email and not EMAIL_PATTERN.match(email):
        problems["contact_email"] = _(
            "'{email}' is not an e-mail address (it should look like name@example.org)."
        ).format(email=email)
    if problems:
        raise ValidationError(problems)
    return Contact(
        id=contact.id,
        name=name,
        role=contact.role.strip(),
        email=email,
        phone=contact.phone.strip(),
        is_main=contact.is_main,
    )


# ---------------------------------------------------------------------------- writing


def _touch(partner: models.Partner) -> None:
    partner.updated_at = utcnow()


def _refresh_search_text(session: Session, partner_ids: Iterable[uuid.UUID]) -> None:
    """Rebuild the folded search text of partners after their themes, places or contacts changed."""
    for partner_id in set(partner_ids):
        partner = session.get(models.Partner, partner_id)
        if partner is None:
            continue
        session.flush()
        partner.search_text = _search_text_of(session, partner)


# The fields of a partner its search text is made of, beside its themes, places and contacts.
_SEARCHED_FIELDS = frozenset({"name", "remit"})


def _search_text_of(session: Session, partner: models.Partner) -> str:
    """The folded search text of ``partner`` as it is in the session, with its themes, places and contacts as stored
    (the caller flushes first if it changed those)."""
    partner_id = partner.id
    with session.no_autoflush:  # a change of the partner's own fields waits for the commit: one UPDATE, not two
        theme_names = (
            session.execute(
                select(col(models.Theme.name))
                .join(models.PartnerTheme, col(models.PartnerTheme.theme_id) == col(models.Theme.id))
                .where(col(models.PartnerTheme.partner_id) == partner_id)
                .order_by(col(models.Theme.name_key))  # one text for one partner, whichever file it was merged in
            )
            .scalars()
            .all()
        )
        place_names = (
            session.execute(
                select(col(models.Place.name))
                .join(models.PartnerPlace, col(models.PartnerPlace.place_id) == col(models.Place.id))
                .where(col(models.PartnerPlace.partner_id) == partner_id)
                .order_by(col(models.Place.name_key))
            )
            .scalars()
            .all()
        )
        contacts = session.execute(
            select(col(models.Contact.name), col(models.Contact.role), col(models.Contact.email))
            .where(col(models.Contact.partner_id) == partner_id, col(models.Contact.deleted_at).is_(None))
            .order_by(col(models.Contact.position), col(models.Contact.id))
        ).all()
    return partner_search_text(
        name=partner.name,
        remit=partner.remit,
        themes=theme_names,
        places=place_names,
        contacts=[part for contact in contacts for part in contact],
    )


def refresh_search_text(session: Session, partner_ids: Iterable[uuid.UUID]) -> None:
    """Rebuild partners' search text after something outside this module changed them (a merge)."""
    _refresh_search_text(session, partner_ids)


def _vocabulary_ids(
    session: Session, table: type[models.Theme] | type[models.Place], names: Iterable[str]
) -> list[uuid.UUID]:
    """Ids for theme or place names, creating the ones that do not exist yet (type-to-add)."""
    ids: list[uuid.UUID] = []
    for raw in names:
        name = normalise_name(stored_theme(raw) if table is models.Theme else raw)
        if not name:
            continue
        key = fold(name)
        existing = session.execute(select(table).where(col(table.name_key) == key)).scalar_one_or_none()
        if existing is None:
            existing = table(name=name, name_key=key)
            session.add(existing)
            session.flush()
        elif existing.deleted_at is not None:
            existing.deleted_at = None
        if existing.id not in ids:
            ids.append(existing.id)
    return ids


def _set_links(
    session: Session,
    partner_id: uuid.UUID,
    link: type[models.PartnerTheme] | type[models.PartnerPlace],
    column: str,
    ids: Sequence[uuid.UUID],
) -> None:
    current = set(session.execute(select(getattr(link, column)).where(col(link.partner_id) == partner_id)).scalars())
    wanted = set(ids)
    if current - wanted:
        session.execute(
            delete(link).where(col(link.partner_id) == partner_id, getattr(link, column).in_(current - wanted))
        )
    for new_id in wanted - current:
        values: dict[str, Any] = {"partner_id": partner_id, column: new_id}
        session.add(link(**values))


def insert_partner(session: Session, *, data: PartnerInput) -> uuid.UUID:
    """Validate and add a partner inside the caller's transaction (no commit). Returns its id."""
    name = _validate_name(session, data.name, data.sector, None)
    website = _validate_website(data.website)
    contacts = [validate_contact(contact) for contact in data.contacts]
    partner = models.Partner(
        name=name,
        sector=data.sector,
        is_sme=data.is_sme,
        remit=data.remit.strip(),
        website=website,
        relationship_stage=data.relationship_stage,
        notes=data.notes.strip(),
    )
    session.add(partner)
    session.flush()
    _set_links(
        session, partner.id, models.PartnerTheme, "theme_id", _vocabulary_ids(session, models.Theme, data.themes)
    )
    _set_links(
        session, partner.id, models.PartnerPlace, "place_id", _vocabulary_ids(session, models.Place, data.places)
    )
    for position, contact in enumerate(contacts):
        session.add(
            models.Contact(
                partner_id=partner.id,
                name=contact.name,
                role=contact.role,
                email=contact.email,
                phone=contact.phone,
                is_main=contact.is_main or position == 0,
                position=position,
            )
        )
    _refresh_search_text(session, [partner.id])
    return partner.id


class NewPartners:
    """Adds many partners in the caller's transaction (no commit), checked as :func:`insert_partner` checks one.

    For an import of thousands: the directory's names, themes and places are read once, rows are written
    in a few multi-row INSERTs by :meth:`write`, and each partner costs the same whatever the file holds
    (insert_partner reads its whole sector to check the name, so thousands of them take quadratic time).
    """

    CHUNK = 2_000

    def __init__(self, session: Session) -> None:
        self._session = session
        self._taken: dict[tuple[Sector, str], str] = {
            (row.sector, fold(row.name)): row.name
            for row in session.execute(
                select(col(models.Partner.name), col(models.Partner.sector)).where(
                    col(models.Partner.deleted_at).is_(None)
                )
            )
        }
        self._vocabularies: dict[type[models.Theme] | type[models.Place], dict[str, tuple[uuid.UUID, str]]] = {}
        self._deleted: set[uuid.UUID] = set()  # hidden themes and places: brought back when a partner uses one
        self._revive: dict[type[models.Theme] | type[models.Place], set[uuid.UUID]] = {}
        for table in (models.Theme, models.Place):
            known = self._vocabularies[table] = {}
            self._revive[table] = set()
            for row in session.execute(
                select(col(table.id), col(table.name), col(table.name_key), col(table.deleted_at))
            ):
                known[row.name_key] = (row.id, row.name)
                if row.deleted_at is not None:
                    self._deleted.add(row.id)
        self._pending: dict[type[SQLModel], list[dict[str, Any]]] = {}

    def add(self, data: PartnerInput) -> uuid.UUID:
        """Check ``data`` and queue it; ValidationError names the field at fault and nothing is queued."""
        name = _clean_name(data.name)
        key = (data.sector, fold(name))
        if key in self._taken:
            raise _name_taken(self._taken[key], data.sector)
        website = _validate_website(data.website)
        contacts = [validate_contact(contact) for contact in data.contacts]
        now = utcnow()
        partner_id = uuid.uuid4()
        themes = self._ids(models.Theme, data.themes, now)
        places = self._ids(models.Place, data.places, now)
        self._queue(
            models.Partner,
            {
                "id": partner_id,
                "created_at": now,
                "updated_at": now,
                "deleted_at": None,
                "name": name,
                "sector": data.sector,
                "is_sme": data.is_sme,
                "remit": data.remit.strip(),
                "website": website,
                "relationship_stage": data.relationship_stage,
                "notes": data.notes.strip(),
                "search_text": partner_search_text(
                    name=name,
                    remit=data.remit.strip(),
                    themes=[label for _id, label in themes],
                    places=[label for _id, label in places],
                    contacts=[part for c in contacts for part in (c.name, c.role, c.email)],
                ),
            },
        )
        for table, column, chosen in (
            (models.PartnerTheme, "theme_id", themes),
            (models.PartnerPlace, "place_id", places),
        ):
            for vocabulary_id, _label in chosen:
                self._queue(
                    table, {"partner_id": partner_id, column: vocabulary_id, "created_at": now, "updated_at": now}
                )
        for position, contact in enumerate(contacts):
            self._queue(
                models.Contact,
                {
                    "id": uuid.uuid4(),
                    "created_at": now,
                    "updated_at": now,
                    "deleted_at": None,
                    "partner_id": partner_id,
                    "name": contact.name,
                    "role": contact.role,
                    "email": contact.email,
                    "phone": contact.phone,
                    "is_main": contact.is_main or position == 0,
                    "position": position,
                },
            )
        self._taken[key] = name
        return partner_id

    def _ids(
        self, table: type[models.Theme] | type[models.Place], names: Iterable[str], now: datetime
    ) -> list[tuple[uuid.UUID, str]]:
        """(id, stored name) for theme or place names, queueing new ones (as _vocabulary_ids does one by one)."""
        known = self._vocabularies[table]
        chosen: dict[uuid.UUID, str] = {}
        for raw in names:
            name = normalise_name(stored_theme(raw) if table is models.Theme else raw)
            if not name:
                continue
            key = fold(name)
            if key not in known:
                known[key] = (uuid.uuid4(), name)
                self._queue(
                    table,
                    {
                        "id": known[key][0],
                        "created_at": now,
                        "updated_at": now,
                        "deleted_at": None,
                        "name": name,
                        "name_key": key,
                    },
                )
            vocabulary_id, label = known[key]
            if vocabulary_id in self._deleted:
                self._deleted.discard(vocabulary_id)
                self._revive[table].add(vocabulary_id)
            chosen.setdefault(vocabulary_id, label)
        return list(chosen.items())

    def _queue(self, table: type[SQLModel], row: dict[str, Any]) -> None:
        rows = self._pending.setdefault(table, [])
        rows.append(row)
        if table is models.Partner and len(rows) >= self.CHUNK:
            self.write()

    def write(self) -> None:
        """Write what is queued (vocabulary first: the links point at it). Call before reading it back."""
        for table in (
            models.Theme,
            models.Place,
            models.Partner,
            models.PartnerTheme,
            models.PartnerPlace,
            models.Contact,
        ):
            rows = self._pending.pop(table, [])
            if rows:
                # The table, not the class: an ORM bulk insert would look at every row's dict again.
                self._session.execute(insert(table_of(table)), rows)
        for table, ids in self._revive.items():
            if ids:
                self._session.execute(update_rows(table).where(col(table.id).in_(ids)).values(deleted_at=None))
                ids.clear()


def create_partner(session: Session, *, data: PartnerInput) -> PartnerDetail:
    """Add a partner after validating it. Raises ValidationError naming the field at fault."""
    with writing(session):
        partner_id = insert_partner(session, data=data)
    return get_partner(session, partner_id)


def absorb_record(session: Session, *, partner_id: uuid.UUID, data: PartnerInput) -> None:
    """Fold imported values into an existing partner (no commit).

    Values the spreadsheet fills in replace the stored ones; blanks leave them alone; themes, places and
    contacts are added to what is there, never removed.
    """
    partner = _live_partner(session, partner_id)
    website = _validate_website(data.website) if data.website else ""
    for field_name, value in (("remit", data.remit.strip()), ("website", website), ("notes", data.notes.strip())):
        if value:
            setattr(partner, field_name, value)
    partner.is_sme = partner.is_sme or data.is_sme
    if data.relationship_stage != RelationshipStage.IDENTIFIED:
        partner.relationship_stage = data.relationship_stage
    for link, column, table, names in (
        (models.PartnerTheme, "theme_id", models.Theme, data.themes),
        (models.PartnerPlace, "place_id", models.Place, data.places),
    ):
        current = list(
            session.execute(select(getattr(link, column)).where(col(link.partner_id) == partner_id)).scalars()
        )
        _set_links(session, partner_id, link, column, current + _vocabulary_ids(session, table, names))
    existing = {
        fold(c.name): c
        for c in session.execute(
            select(models.Contact).where(
                col(models.Contact.partner_id) == partner_id, col(models.Contact.deleted_at).is_(None)
            )
        ).scalars()
    }
    position = len(existing)
    for contact in (validate_contact(c) for c in data.contacts):
        known = existing.get(fold(contact.name))
        if known is None:
            session.add(
                models.Contact(
                    partner_id=partner_id,
                    name=contact.name,
                    role=contact.role,
                    email=contact.email,
                    phone=contact.phone,
                    is_main=not existing,
                    position=position,
                )
            )
            position += 1
        else:
            for field_name in ("role", "email", "phone"):
                if getattr(contact, field_name) and not getattr(known, field_name):
                    setattr(known, field_name, getattr(contact, field_name))
    _touch(partner)
    _refresh_search_text(session, [partner_id])


EDITABLE_FIELDS = ("name", "sector", "is_sme", "remit", "website", "relationship_stage", "notes")


@dataclass(frozen=True)
class SavedPartner:
    """What a save of some fields hands back: the partner's new version and time, not the partner read again (an
    editor reads it when it shows it; reading it back was a third of each save's time on a busy team server)."""

    id: uuid.UUID
    version: int
    updated_at: datetime


def update_partner(
    session: Session, *, partner_id: uuid.UUID, changes: dict[str, Any], version: int | None = None
) -> SavedPartner:
    """Change some fields of a partner (the editor saves one field at a time, as the user goes). ``version``: the
    :attr:`PartnerDetail.version` the editor showed; a partner somebody saved since is refused (ConflictError).

    One SELECT of the partner and one UPDATE (and, for its name or remit, the three that its search text is made of)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    partner = _live_partner(session, partner_id)
    versions.expect(session, partner, version)
    values = dict(changes)
    sector = Sector(values.get("sector", partner.sector))
    if "name" in values or "sector" in values:
        values["name"] = _validate_name(session, values.get("name", partner.name), sector, partner_id)
        values["sector"] = sector
    if "website" in values:
        values["website"] = _validate_website(values["website"])
    if "relationship_stage" in values:
        values["relationship_stage"] = RelationshipStage(values["relationship_stage"])
    for text_field in ("remit", "notes"):
        if text_field in values:
            values[text_field] = str(values[text_field]).strip()
    with writing(session):
        for key, value in values.items():
            setattr(partner, key, value)
        _touch(partner)
        if not _SEARCHED_FIELDS.isdisjoint(values):
            partner.search_text = _search_text_of(session, partner)
    return SavedPartner(id=partner.id, version=partner.version, updated_at=partner.updated_at)


def set_themes(
    session: Session, *, partner_id: uuid.UUID, names: Sequence[str], version: int | None = None
) -> SavedPartner:
    """The partner works on exactly these themes; unknown names become new themes. ``version``: as
    :func:`update_partner`'s."""
    return _set_vocabulary(session, partner_id, models.PartnerTheme, "theme_id", models.Theme, names, version)


def set_places(
    session: Session, *, partner_id: uuid.UUID, names: Sequence[str], version: int | None = None
) -> SavedPartner:
    """The partner serves exactly these places; unknown names become new places. ``version``: as
    :func:`update_partner`'s."""
    return _set_vocabulary(session, partner_id, models.PartnerPlace, "place_id", models.Place, names, version)


def _set_vocabulary(
    session: Session,
    partner_id: uuid.UUID,
    link: type[models.PartnerTheme] | type[models.PartnerPlace],
    column: str,
    vocabulary: type[models.Theme] | type[models.Place],
    names: Sequence[str],
    version: int | None,
) -> SavedPartner:
    partner = _live_partner(session, partner_id)
    versions.expect(session, partner, version)
    with writing(session):
        _set_links(session, partner_id, link, column, _vocabulary_ids(session, vocabulary, names))
        _refresh_search_text(session, [partner_id])  # flushes the links first, then the partner is touched:
        _touch(partner)  # one UPDATE of the partner (a version counted once), not one before the text and one after
    return SavedPartner(id=partner.id, version=partner.version, updated_at=partner.updated_at)


def set_contacts(
    session: Session, *, partner_id: uuid.UUID, contacts: Sequence[Contact], version: int | None = None
) -> SavedPartner:
    """Replace the partner's contacts with ``contacts`` (in order). Removed ones are hidden, not destroyed.
    ``version``: as :func:`update_partner`'s (the contacts are part of the partner's record)."""
    partner = _live_partner(session, partner_id)
    versions.expect(session, partner, version)
    cleaned = [validate_contact(contact) for contact in contacts]
    if cleaned and not any(c.is_main for c in cleaned):
        cleaned[0] = Contact(**{**cleaned[0].__dict__, "is_main": True})
    with writing(session):
        existing = {
            c.id: c
            for c in session.execute(
                select(models.Contact).where(col(models.Contact.partner_id) == partner_id)
            ).scalars()
        }
        kept: set[uuid.UUID] = set()
        for position, contact in enumerate(cleaned):
            row = existing.get(contact.id) if contact.id else None
            if row is None:
                row = models.Contact(partner_id=partner_id, name=contact.name)
                session.add(row)
            row.name, row.role, row.email, row.phone = contact.name, contact.role, contact.email, contact.phone
            row.is_main, row.position, row.deleted_at = contact.is_main, position, None
            session.flush()
            kept.add(row.id)
        for contact_id, row in existing.items():
            if contact_id not in kept and row.deleted_at is None:
                row.deleted_at = utcnow()
        _refresh_search_text(session, [partner_id])  # flushes the links first, then the partner is touched:
        _touch(partner)  # one UPDATE of the partner (a version counted once), not one before the text and one after
    return SavedPartner(id=partner.id, version=partner.version, updated_at=partner.updated_at)


def delete_partner(session: Session, *, partner_id: uuid.UUID) -> None:
    """Hide a partner (recoverable with :func:`restore_partner`); its links stay for the undo."""
    partner = _live_partner(session, partner_id)
    with writing(session):
        partner.deleted_at = utcnow()


def restore_partner(session: Session, *, partner_id: uuid.UUID) -> None:
    partner = session.get(models.Partner, partner_id)
    if partner is None:
        raise NotFoundError(_("That partner no longer exists."))
    _validate_name(session, partner.name, partner.sector, partner_id)
    with writing(session):
        partner.deleted_at = None


# ---------------------------------------------------------------------------- states, for undoing bulk changes

_STATE_FIELDS = (
    "name",
    "sector",
    "is_sme",
    "remit",
    "website",
    "relationship_stage",
    "notes",
    "search_text",
    "updated_at",
    "deleted_at",
)
_CONTACT_FIELDS = ("name", "role", "email", "phone", "is_main", "position", "deleted_at")


@dataclass(frozen=True)
class PartnerState:
    """Everything stored about one partner at a moment: what an undone import (or its redo) puts back."""

    partner_id: uuid.UUID
    fields: tuple[tuple[str, Any], ...]
    theme_ids: frozenset[uuid.UUID]
    place_ids: frozenset[uuid.UUID]
    contacts: tuple[tuple[uuid.UUID, tuple[tuple[str, Any], ...]], ...]


def partner_states(session: Session, partner_ids: Iterable[uuid.UUID]) -> list[PartnerState]:
    """The state of each partner (hidden ones too), to put back later with :func:`put_back`."""
    states = []
    for partner_id in partner_ids:
        partner = session.get(models.Partner, partner_id)
        if partner is None:
            raise NotFoundError(_("That partner no longer exists."))
        contacts = session.execute(select(models.Contact).where(col(models.Contact.partner_id) == partner_id)).scalars()
        states.append(
            PartnerState(
                partner_id=partner_id,
                fields=tuple((name, getattr(partner, name)) for name in _STATE_FIELDS),
                theme_ids=frozenset(
                    session.execute(
                        select(col(models.PartnerTheme.theme_id)).where(
                            col(models.PartnerTheme.partner_id) == partner_id
                        )
                    ).scalars()
                ),
                place_ids=frozenset(
                    session.execute(
                        select(col(models.PartnerPlace.place_id)).where(
                            col(models.PartnerPlace.partner_id) == partner_id
                        )
                    ).scalars()
                ),
                contacts=tuple((c.id, tuple((name, getattr(c, name)) for name in _CONTACT_FIELDS)) for c in contacts),
            )
        )
    return states


def put_back(session: Session, states: Iterable[PartnerState]) -> None:
    """Make each partner exactly as its state says, in the caller's transaction (no commit): its fields, themes,
    places and contacts; a contact added since is hidden (contacts are never destroyed)."""
    for state in states:
        partner = session.get(models.Partner, state.partner_id)
        if partner is None:
            raise NotFoundError(_("That partner no longer exists."))
        for name, value in state.fields:
            setattr(partner, name, value)
        _set_links(session, state.partner_id, models.PartnerTheme, "theme_id", list(state.theme_ids))
        _set_links(session, state.partner_id, models.PartnerPlace, "place_id", list(state.place_ids))
        kept = dict(state.contacts)
        for contact in session.execute(
            select(models.Contact).where(col(models.Contact.partner_id) == state.partner_id)
        ).scalars():
            if contact.id in kept:
                for name, value in kept[contact.id]:
                    setattr(contact, name, value)
            elif contact.deleted_at is None:
                contact.deleted_at = utcnow()


# ---------------------------------------------------------------------------- duplicates and merging


def comparable_name(name: str) -> str:
    """A name reduced to what tells organisations apart: "St. Mary's Church" → "st marys church"."""
    text = fold(name).replace("&", " and ").replace("'", "").replace("’", "").replace(".", " ")
    words = ["st" if word == "saint" else word for word in re.sub(r"[^\w\s]", " ", text).split()]
    return " ".join(word for word in words if word not in _NAME_NOISE)


# Blocking for many look-ups at once (an import): a name is only scored against names that share one of its
# keys, smallest groups first, at most this many names in all. A group larger than that (a word every other
# name has) tells nothing; a rarer key of the same name does. The keys: the name without spaces, its first and
# last letters, each word, each two words, and each spelling of its two longest words with one letter left
# out ("brookwick" and "brookwic" share "brookwic"), so that one slip in the word that tells a name apart
# still meets.
SIMILAR_CANDIDATES = 400
_PAIRED_WORDS = 8  # two-word keys from a name's longest words only: a 100-word "name" must not make 4,950
_SLIP_WORDS = 2
_END_LETTERS = 5


@dataclass(frozen=True)
class _Compared:
    """A name in the two forms it is scored in: words sorted (token sort) and spaces removed."""

    sorted_words: str
    squashed: str

    @cached_property  # asked for when the name is looked up, and again when it joins the index
    def keys(self) -> set[str]:
        words = sorted(set(self.sorted_words.split()), key=lambda word: (-len(word), word))[:_PAIRED_WORDS]
        keys = {f"={self.squashed}", f"^{self.squashed[:_END_LETTERS]}", f"${self.squashed[-_END_LETTERS:]}", *words}
        for word in words[:_SLIP_WORDS]:
            keys.add(f"~{word}")
            keys.update(f"~{word[:index]}{word[index + 1 :]}" for index in range(len(word)))
        words.sort()
        keys.update(f"{first} {second}" for index, first in enumerate(words) for second in words[index + 1 :])
        return keys


@lru_cache(maxsize=8)  # an import asks for the same name's forms several times in a row
def _compared(name: str) -> _Compared:
    words = comparable_name(name).split()
    return _Compared(" ".join(sorted(words)), "".join(words))


class SimilarNames:
    """Finds existing partners whose names are close to a new one (built once per import).

    :meth:`find` compares with every partner (one name typed in a dialog); :meth:`find_blocked` only with
    partners that share a key with the name, so that an import of 20,000 rows costs 20,000 small look-ups,
    not 20,000 × the directory. :meth:`add` grows the index (rows of a sheet, for look-alikes within it).
    """

    def __init__(self, rows: Sequence[tuple[uuid.UUID, str, Sector]]) -> None:
        self._rows: list[tuple[uuid.UUID, str, Sector]] = []
        self._sorted_words: list[str] = []
        self._squashed: list[str] = []
        self._blocks: dict[str, list[int]] = {}
        for row in rows:
            self.add(*row)

    def add(self, partner_id: uuid.UUID, name: str, sector: Sector) -> None:
        compared = _compared(name)
        if not compared.squashed:
            return
        index = len(self._rows)
        self._rows.append((partner_id, name, sector))
        self._sorted_words.append(compared.sorted_words)
        self._squashed.append(compared.squashed)
        for key in compared.keys:
            self._blocks.setdefault(key, []).append(index)

    def find(self, name: str, *, exclude_id: uuid.UUID | None = None, limit: int = 5) -> list[SimilarPartner]:
        wanted = _compared(name)
        if not wanted.squashed:
            return []
        return self._found(
            self._score(wanted, self._sorted_words, self._squashed, range(len(self._rows))), exclude_id, limit
        )

    def find_blocked(self, name: str, *, limit: int = 5) -> list[SimilarPartner]:
        """As :meth:`find`, among the partners that share a key with ``name`` (see SIMILAR_CANDIDATES)."""
        wanted = _compared(name)
        if not wanted.squashed or not self._rows:
            return []
        blocks = sorted((block for key in wanted.keys if (block := self._blocks.get(key))), key=len)
        candidates: set[int] = set()
        budget = SIMILAR_CANDIDATES
        for block in blocks:
            budget -= len(block)
            if budget < 0:
                break
            candidates.update(block)
        chosen = sorted(candidates)
        return self._found(
            self._score(wanted, [self._sorted_words[i] for i in chosen], [self._squashed[i] for i in chosen], chosen),
            None,
            limit,
        )

    @staticmethod
    def _score(
        wanted: _Compared, sorted_words: Sequence[str], squashed: Sequence[str], indexes: Sequence[int]
    ) -> dict[int, float]:
        """index → similarity of each name at or above the threshold: the better of token sort
        (fuzz.token_sort_ratio, here on words sorted once) and the name without spaces ("Foodbank")."""
        scores: dict[int, float] = {}
        for query, choices in ((wanted.sorted_words, sorted_words), (wanted.squashed, squashed)):
            for _text, score, position in process.extract(
                query, choices, scorer=fuzz.ratio, limit=None, score_cutoff=SIMILARITY_THRESHOLD
            ):
                scores[indexes[position]] = max(score, scores.get(indexes[position], 0.0))
        return scores

    def _found(self, scores: dict[int, float], exclude_id: uuid.UUID | None, limit: int) -> list[SimilarPartner]:
        found = [
            SimilarPartner(id=self._rows[i][0], name=self._rows[i][1], sector=self._rows[i][2], score=s)
            for i, s in scores.items()
            if self._rows[i][0] != exclude_id
        ]
        return sorted(found, key=lambda similar: (-similar.score, similar.name))[:limit]


def similar_names(session: Session) -> SimilarNames:
    rows = session.execute(
        select(col(models.Partner.id), col(models.Partner.name), col(models.Partner.sector)).where(
            col(models.Partner.deleted_at).is_(None)
        )
    ).all()
    return SimilarNames([(r.id, r.name, r.sector) for r in rows])


def find_similar(session: Session, *, name: str, exclude_id: uuid.UUID | None = None) -> list[SimilarPartner]:
    """Partners whose names are close to ``name`` ("St. Marys church" for "St Mary's Church")."""
    return similar_names(session).find(name, exclude_id=exclude_id)


def merge_partners(session: Session, *, keep: uuid.UUID, absorb: uuid.UUID) -> PartnerDetail:
    """Fold ``absorb`` into ``keep``: every contact, theme, place, opportunity, workshop, entry and action
    moves to ``keep``; empty fields of ``keep`` take ``absorb``'s values; ``absorb`` is then hidden."""
    if keep == absorb:
        raise ValidationError.single("merge", _("A partner cannot be merged with itself."))
    kept = _live_partner(session, keep)
    gone = _live_partner(session, absorb)
    backup_before(session, "merge")  # a merge cannot be undone: a copy of the file from just before can
    with writing(session):
        for link, column in ((models.PartnerTheme, "theme_id"), (models.PartnerPlace, "place_id")):
            already = set(session.execute(select(getattr(link, column)).where(col(link.partner_id) == keep)).scalars())
            session.execute(delete(link).where(col(link.partner_id) == absorb, getattr(link, column).in_(already)))
            session.execute(update_rows(link).where(col(link.partner_id) == absorb).values(partner_id=keep))
        present = set(
            session.execute(
                select(col(models.WorkshopPartner.workshop_id)).where(col(models.WorkshopPartner.partner_id) == keep)
            ).scalars()
        )
        session.execute(
            delete(models.WorkshopPartner).where(
                col(models.WorkshopPartner.partner_id) == absorb, col(models.WorkshopPartner.workshop_id).in_(present)
            )
        )
        session.execute(
            update_rows(models.WorkshopPartner)
            .where(col(models.WorkshopPartner.partner_id) == absorb)
            .values(partner_id=keep)
        )
        last_position = (
            session.execute(
                select(func.max(col(models.Contact.position))).where(col(models.Contact.partner_id) == keep)
            ).scalar()
            or 0
        )
        session.execute(
            update_rows(models.Contact)
            .where(col(models.Contact.partner_id) == absorb)
            .values(partner_id=keep, is_main=False, position=col(models.Contact.position) + last_position + 1)
        )
        session.execute(
            update_rows(models.Opportunity)
            .where(col(models.Opportunity.host_partner_id) == absorb)
            .values(host_partner_id=keep)
        )
        session.execute(
            update_rows(models.Opportunity)
            .where(col(models.Opportunity.supporting_partner_id) == absorb)
            .values(supporting_partner_id=keep)
        )
        # An opportunity hosted by one and supported by the other is now the keeper's own.
        session.execute(
            update_rows(models.Opportunity)
            .where(
                and_(
                    col(models.Opportunity.host_partner_id) == keep,
                    col(models.Opportunity.supporting_partner_id) == keep,
                )
            )
            .values(supporting_partner_id=None)
        )
        session.execute(
            update_rows(models.MatrixEntry).where(col(models.MatrixEntry.partner_id) == absorb).values(partner_id=keep)
        )
        session.execute(
            update_rows(models.Action)
            .where(col(models.Action.owner_partner_id) == absorb)
            .values(owner_partner_id=keep)
        )
        for text_field in ("remit", "website"):
            if not getattr(kept, text_field) and getattr(gone, text_field):
                setattr(kept, text_field, getattr(gone, text_field))
        if gone.notes:
            kept.notes = "\n\n".join(part for part in (kept.notes, f"From {gone.name}: {gone.notes}") if part)
        kept.is_sme = kept.is_sme or gone.is_sme
        gone.deleted_at = utcnow()
        _touch(kept)
        _refresh_search_text(session, [keep])
    return get_partner(session, keep)


def partners_by_ids(session: Session, ids: Iterable[uuid.UUID]) -> list[PartnerRow]:
    wanted = {partner_id.hex for partner_id in ids}
    return [row for row in list_partners(session) if row.key in wanted]


def partner_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of live partners, for combo boxes and completers."""
    rows = session.execute(
        select(col(models.Partner.id), col(models.Partner.name))
        .where(col(models.Partner.deleted_at).is_(None))
        .order_by(col(models.Partner.name))
    )
    return [(row.id, row.name) for row in rows]


def matching_ids(rows: Sequence[PartnerRow], query: str) -> list[int]:
    """Indexes of rows whose search text holds every word of ``query`` (folded like the stored text)."""
    matched = list(range(len(rows)))
    for term in search_terms(
        query
    ):  # one plain comprehension per word: a third of the time of all(...) (matching_entries too)
        # The stored text names a shipped theme in English: a word of its label in the window's language finds it.
        also = shipped_theme_matches(term)
        if also:
            matched = [
                index
                for index in matched
                if term in rows[index].search_text or any(name in rows[index].search_text for name in also)
            ]
        else:
            matched = [index for index in matched if term in rows[index].search_text]
    return matched


@dataclass(frozen=True)
class PartnerFilter:
    """What the directory's search box and filters ask for (None: any): the page and the directory export share it."""

    query: str = ""
    sector: Sector | None = None
    theme_id: uuid.UUID | None = None
    place_id: uuid.UUID | None = None
    stage: RelationshipStage | None = None

    def accepts(self, row: PartnerRow) -> bool:
        """Whether ``row`` passes the filters (the search words aside: see :func:`filter_partners`)."""
        return (
            (self.sector is None or row.sector == self.sector)
            and (self.stage is None or row.stage == self.stage)
            and (self.theme_id is None or row.has_theme(self.theme_id))
            and (self.place_id is None or row.has_place(self.place_id))
        )


def filter_partners(rows: Sequence[PartnerRow], wanted: PartnerFilter) -> list[PartnerRow]:
    """The rows that match the search words and pass the filters of ``wanted``, in their order."""
    candidates = [rows[i] for i in matching_ids(rows, wanted.query)] if wanted.query else list(rows)
    if wanted == PartnerFilter(query=wanted.query):
        return candidates
    return [row for row in candidates if wanted.accepts(row)]
