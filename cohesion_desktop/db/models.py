"""The tables of a data file.

Every row has a UUID primary key and ``created_at``/``updated_at`` (UTC), so that files from two laptops
can be merged one day; deletes set ``deleted_at`` so they can be undone. Relations are plain foreign keys
queried by the services: no lazy ORM relationships to surprise anyone with a query per row.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import (
    DDL,
    Column,
    Connection,
    Index,
    MetaData,
    Table,
    UniqueConstraint,
    event,
    false,
    func,
    select,
    text,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from cohesion_desktop.domain import (
    ActionStatus,
    CheckKind,
    MatrixColumn,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
    RecognitionKind,
    RelationshipStage,
    Sector,
)


def utcnow() -> datetime:
    """Timezone-aware UTC 'now', as stored in every timestamp column."""
    return datetime.now(UTC)


def enum_column(
    enum_cls: type[Enum], *, nullable: bool = False, index: bool = False, primary_key: bool = False
) -> Column[Any]:
    """A column that stores an enum's value (its stable key), not its Python name."""
    return Column(
        SAEnum(
            enum_cls,
            values_callable=lambda members: [member.value for member in members],
            native_enum=False,
            create_constraint=False,  # new values must not need a table rebuild in SQLite
            validate_strings=True,
            length=40,
        ),
        nullable=nullable,
        index=index,
        primary_key=primary_key,
    )


# The column that counts a record's saves (schema 5): see :class:`Entity`.
VERSION_COLUMN = "version"


class Entity(SQLModel):
    """Columns every stored thing has.

    ``version`` counts the writes of the record: 1 when it is made, one more at every UPDATE (a save may write it
    twice, its fields then what is worked out from them, such as a partner's search text). Every ORM update
    says ``WHERE version = <the version it read>`` (SQLAlchemy's ``version_id_col``), so a save that would
    overwrite somebody else's change since (two people on one team database) changes nothing and raises
    ``StaleDataError``, which ``store.writing`` turns into a :class:`~cohesion_desktop.errors.ConflictError`.
    A statement that updates many rows at once bumps it through ``db.versions`` (SQLAlchemy cannot).
    """

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow})
    # A server default, so that schema 5 adds it to the rows of an older file (every one of them at 1).
    version: int = Field(default=1, nullable=False, sa_column_kwargs={"server_default": text("1")})

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c[VERSION_COLUMN]}  # type: ignore[attr-defined]

    @classmethod
    def __table_cls__(cls, name: str, metadata: MetaData, *items: Any, **options: Any) -> Table:
        """The table with ``version`` as its last column: where schema 5's ``ALTER TABLE … ADD COLUMN`` put it in
        an upgraded file, so that an upgraded file and a new one have the same schema."""
        columns = [item for item in items if isinstance(item, Column)]
        last = [column for column in columns if column.name == VERSION_COLUMN]
        others = [item for item in items if not isinstance(item, Column)]
        return Table(name, metadata, *[c for c in columns if c.name != VERSION_COLUMN], *last, *others, **options)


class Deletable(Entity):
    """An entity whose delete can be undone: it is hidden, not removed."""

    # Indexed only where set (:func:`deleted_rows_index`): nearly every row is live.
    deleted_at: datetime | None = None


def deleted_rows_index(table: str) -> Index:
    """An index of a table's deleted rows only: nearly every row is live, so it costs live rows nothing, and it
    finds the few deleted ones without reading the table (the hours that do not count start from them)."""
    return Index(
        f"ix_{table}_deleted",
        "deleted_at",
        sqlite_where=text("deleted_at IS NOT NULL"),
        postgresql_where=text("deleted_at IS NOT NULL"),
    )


# ---------------------------------------------------------------- partners


class Partner(Deletable, table=True):
    __tablename__ = "partner"
    __table_args__ = (deleted_rows_index("partner"),)

    name: str = Field(index=True, min_length=1)
    sector: Sector = Field(sa_column=enum_column(Sector, index=True))
    is_sme: bool = False
    remit: str = ""
    website: str = ""
    relationship_stage: RelationshipStage = Field(
        default=RelationshipStage.IDENTIFIED, sa_column=enum_column(RelationshipStage)
    )
    notes: str = ""
    # Case- and accent-folded name, remit, themes, places and contacts: search is one LIKE.
    search_text: str = ""


class Theme(Deletable, table=True):
    __tablename__ = "theme"

    name: str
    name_key: str = Field(unique=True)  # folded name: no two themes that differ only in case
    description: str = ""


class PartnerTheme(SQLModel, table=True):
    __tablename__ = "partner_theme"
    __table_args__ = (Index("ix_partner_theme_theme", "theme_id"),)

    partner_id: uuid.UUID = Field(foreign_key="partner.id", primary_key=True)
    theme_id: uuid.UUID = Field(foreign_key="theme.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class Place(Deletable, table=True):
    """A ward, neighbourhood, town or area that partners serve and things happen in."""

    __tablename__ = "place"

    name: str
    name_key: str = Field(unique=True)
    kind: str = ""  # ward, neighbourhood, town … as the user calls it


class PartnerPlace(SQLModel, table=True):
    __tablename__ = "partner_place"
    __table_args__ = (Index("ix_partner_place_place", "place_id"),)

    partner_id: uuid.UUID = Field(foreign_key="partner.id", primary_key=True)
    place_id: uuid.UUID = Field(foreign_key="place.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class Contact(Deletable, table=True):
    __tablename__ = "contact"

    partner_id: uuid.UUID = Field(foreign_key="partner.id", index=True)
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    is_main: bool = False
    position: int = 0


# ---------------------------------------------------------------- volunteering


class Opportunity(Deletable, table=True):
    __tablename__ = "opportunity"
    __table_args__ = (deleted_rows_index("opportunity"),)

    title: str
    description: str = ""
    host_partner_id: uuid.UUID = Field(foreign_key="partner.id", index=True)
    supporting_partner_id: uuid.UUID | None = Field(default=None, foreign_key="partner.id", index=True)
    kind: OpportunityKind = Field(default=OpportunityKind.VOLUNTEERING, sa_column=enum_column(OpportunityKind))
    place_id: uuid.UUID | None = Field(default=None, foreign_key="place.id", index=True)
    starts_on: date | None = None
    ends_on: date | None = None
    recurrence: str = ""  # "Every Tuesday evening" — as the host describes it
    times: str = ""  # comma-separated Availability keys; empty means any time
    places_available: int = 1
    skills: str = ""  # comma-separated
    accessibility_notes: str = ""
    status: OpportunityStatus = Field(
        default=OpportunityStatus.DRAFT, sa_column=enum_column(OpportunityStatus, index=True)
    )
    search_text: str = ""


class OpportunityRequirement(SQLModel, table=True):
    """A DBS check or training a volunteer must hold to be placed on the opportunity."""

    __tablename__ = "opportunity_requirement"

    opportunity_id: uuid.UUID = Field(foreign_key="opportunity.id", primary_key=True)
    check_kind: CheckKind = Field(sa_column=enum_column(CheckKind, primary_key=True))
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class Volunteer(Deletable, table=True):
    """A person. Personal data under UK GDPR: erasure blanks every personal field (``erased_at``)."""

    __tablename__ = "volunteer"
    __table_args__ = (deleted_rows_index("volunteer"),)

    name: str = Field(index=True)
    email: str = ""
    phone: str = ""
    address: str = ""
    skills: str = ""  # comma-separated
    availability: str = ""  # comma-separated Availability keys
    how_heard: str = ""
    consent_to_contact: bool = False
    consent_details: str = ""  # what they agreed to, in the words they were shown
    consent_given_on: date | None = None
    consent_withdrawn_on: date | None = None
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    notes: str = ""
    search_text: str = ""
    erased_at: datetime | None = None
    # True when nobody has asked them yet (an imported sheet did not say): not the same as "said no". Declared
    # last with a server default, so that schema v4 adds it to a v3 file as a new file has it.
    consent_unknown: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class VolunteerCheck(Deletable, table=True):
    """A DBS check or a training a volunteer holds, with the date it needs renewing."""

    __tablename__ = "volunteer_check"

    volunteer_id: uuid.UUID = Field(foreign_key="volunteer.id", index=True)
    kind: CheckKind = Field(sa_column=enum_column(CheckKind))
    obtained_on: date
    renewal_due_on: date | None = Field(default=None, index=True)
    reference: str = ""


class Placement(Deletable, table=True):
    __tablename__ = "placement"
    __table_args__ = (
        UniqueConstraint("volunteer_id", "opportunity_id", name="uq_placement_volunteer_opportunity"),
        deleted_rows_index("placement"),
    )

    volunteer_id: uuid.UUID = Field(foreign_key="volunteer.id", index=True)
    opportunity_id: uuid.UUID = Field(foreign_key="opportunity.id", index=True)
    status: PlacementStatus = Field(default=PlacementStatus.ACTIVE, sa_column=enum_column(PlacementStatus))
    starts_on: date | None = None
    ends_on: date | None = None
    notes: str = ""


class HoursEntry(Deletable, table=True):
    __tablename__ = "hours_entry"
    __table_args__ = (
        # Both indexes cover the totals over a period (by day; by placement, hence by opportunity, partner and
        # volunteer; volunteers active) so they never read the table: with a million entries, a year's hours by
        # day took 2 s through a plain on_date index and 0.2 s through this one.
        Index("ix_hours_entry_placement_date", "placement_id", "on_date", "deleted_at", "hours"),
        Index("ix_hours_entry_on_date", "on_date", "placement_id", "hours", "deleted_at"),
    )

    placement_id: uuid.UUID = Field(foreign_key="placement.id")
    on_date: date
    hours: float
    activity: str = ""


class HoursDay(SQLModel, table=True):
    """The hours entries of one day, summed (deleted entries left out): not data of its own but kept by triggers
    on ``hours_entry`` (:func:`create_hours_day_triggers`) in the same statement as every change to an entry -- an
    edit, an import, an undo, a merge, an erasure -- so that a year's hours per month read 365 rows instead of
    a million entries. A day with no live entry has no row."""

    __tablename__ = "hours_day"

    on_date: date = Field(primary_key=True)
    hours: float = 0.0
    entries: int = 0


# SQLite's bodies. An entry counts on its day while it is not deleted; a day whose last entry goes is removed, so
# no sum carries rounding from a past entry.
_ADD_TO_DAY = """INSERT INTO hours_day (on_date, hours, entries) SELECT NEW.on_date, NEW.hours, 1
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT (on_date) DO UPDATE SET hours = hours + excluded.hours, entries = entries + 1;"""
_TAKE_FROM_DAY = """UPDATE hours_day SET hours = hours - OLD.hours, entries = entries - 1
    WHERE on_date = OLD.on_date AND OLD.deleted_at IS NULL;
    DELETE FROM hours_day WHERE on_date = OLD.on_date AND entries <= 0;"""
_COUNTED_CHANGE = "OLD.on_date IS NOT NEW.on_date OR OLD.hours IS NOT NEW.hours OR OLD.deleted_at IS NOT NEW.deleted_at"
_HOURS_DAY_TRIGGER_SQL = {
    "hours_day_after_insert": f"AFTER INSERT ON hours_entry BEGIN {_ADD_TO_DAY} END",
    "hours_day_after_delete": f"AFTER DELETE ON hours_entry BEGIN {_TAKE_FROM_DAY} END",
    # Only a change that moves hours: a merge that writes every field back as it was leaves the sums alone.
    "hours_day_after_update": "AFTER UPDATE OF on_date, hours, deleted_at ON hours_entry "
    f"WHEN {_COUNTED_CHANGE} BEGIN {_TAKE_FROM_DAY} {_ADD_TO_DAY} END",
}
HOURS_DAY_TRIGGER_NAMES: tuple[str, ...] = tuple(_HOURS_DAY_TRIGGER_SQL)
_SQLITE_HOURS_DAY_TRIGGERS: tuple[DDL, ...] = tuple(
    DDL(f"CREATE TRIGGER {name} {sql}").execute_if(dialect="sqlite")  # type: ignore[no-untyped-call]  # untyped
    for name, sql in _HOURS_DAY_TRIGGER_SQL.items()
)

# PostgreSQL's (team mode): the same three triggers and the same sums, their bodies one plpgsql function (a
# server's trigger runs a function, not statements). Concurrent entries on one day queue on its row's lock.
_FOLLOW_HOURS_ENTRY = """CREATE OR REPLACE FUNCTION hours_day_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        UPDATE hours_day SET hours = hours - OLD.hours, entries = entries - 1 WHERE on_date = OLD.on_date;
        DELETE FROM hours_day WHERE on_date = OLD.on_date AND entries <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        INSERT INTO hours_day (on_date, hours, entries) VALUES (NEW.on_date, NEW.hours, 1)
        ON CONFLICT (on_date) DO UPDATE SET hours = hours_day.hours + excluded.hours,
            entries = hours_day.entries + 1;
    END IF;
    RETURN NULL;
END
$$"""
_SERVER_COUNTED_CHANGE = (
    "OLD.on_date IS DISTINCT FROM NEW.on_date OR OLD.hours IS DISTINCT FROM NEW.hours "
    "OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at"
)
_POSTGRESQL_HOURS_DAY_TRIGGER_SQL = {
    "hours_day_after_insert": "AFTER INSERT ON hours_entry FOR EACH ROW",
    "hours_day_after_delete": "AFTER DELETE ON hours_entry FOR EACH ROW",
    "hours_day_after_update": "AFTER UPDATE OF on_date, hours, deleted_at ON hours_entry FOR EACH ROW "
    f"WHEN ({_SERVER_COUNTED_CHANGE})",
}
assert tuple(_POSTGRESQL_HOURS_DAY_TRIGGER_SQL) == HOURS_DAY_TRIGGER_NAMES
_POSTGRESQL_HOURS_DAY_FUNCTION = DDL(_FOLLOW_HOURS_ENTRY).execute_if(dialect="postgresql")  # type: ignore[no-untyped-call]
_POSTGRESQL_HOURS_DAY_TRIGGERS: tuple[DDL, ...] = tuple(
    DDL(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION hours_day_follow()").execute_if(  # type: ignore[no-untyped-call]
        dialect="postgresql"
    )
    for name, when in _POSTGRESQL_HOURS_DAY_TRIGGER_SQL.items()
)
for _trigger in (*_SQLITE_HOURS_DAY_TRIGGERS, _POSTGRESQL_HOURS_DAY_FUNCTION, *_POSTGRESQL_HOURS_DAY_TRIGGERS):
    event.listen(HoursEntry.__table__, "after_create", _trigger)  # type: ignore[attr-defined]


def create_hours_day_triggers(connection: Connection) -> None:
    """Make the triggers that keep ``hours_day`` (the table is made with them; an upgrade or a bulk load makes
    them again), in the connection's engine's words."""
    if connection.dialect.name == "postgresql":
        connection.execute(_POSTGRESQL_HOURS_DAY_FUNCTION)
        made = _POSTGRESQL_HOURS_DAY_TRIGGERS
    else:
        made = _SQLITE_HOURS_DAY_TRIGGERS
    for trigger in made:
        connection.execute(trigger)


def drop_hours_day_triggers(connection: Connection) -> None:
    """Remove the triggers that keep ``hours_day`` (a bulk load fills it once at the end instead)."""
    on_table = " ON hours_entry" if connection.dialect.name == "postgresql" else ""
    for name in HOURS_DAY_TRIGGER_NAMES:
        connection.exec_driver_sql(f"DROP TRIGGER {name}{on_table}")


def fill_hours_day(connection: Connection) -> None:
    """Make ``hours_day`` afresh from the entries (an upgraded file; the end of a bulk load without triggers)."""
    days, entries = HoursDay.__table__, HoursEntry.__table__  # type: ignore[attr-defined]
    connection.execute(days.delete())
    connection.execute(
        days.insert().from_select(
            ["on_date", "hours", "entries"],
            select(entries.c.on_date, func.sum(entries.c.hours), func.count())
            .where(entries.c.deleted_at.is_(None))
            .group_by(entries.c.on_date),
        )
    )


class Recognition(Deletable, table=True):
    __tablename__ = "recognition"

    volunteer_id: uuid.UUID = Field(foreign_key="volunteer.id", index=True)
    kind: RecognitionKind = Field(default=RecognitionKind.THANKS, sa_column=enum_column(RecognitionKind))
    title: str
    given_on: date
    message: str = ""
    hours_at_time: float | None = None


# ---------------------------------------------------------------- workshops


class MatrixTemplate(Deletable, table=True):
    """Rows for a workshop matrix; the four columns are always :class:`MatrixColumn`."""

    __tablename__ = "matrix_template"

    name: str
    description: str = ""
    source: str = ""  # where the rows come from, shown to users
    builtin_key: str | None = Field(default=None, unique=True)  # the templates we ship
    is_default: bool = False


class MatrixTemplateRow(Entity, table=True):
    __tablename__ = "matrix_template_row"

    template_id: uuid.UUID = Field(foreign_key="matrix_template.id", index=True)
    position: int
    title: str
    description: str = ""


class Workshop(Deletable, table=True):
    __tablename__ = "workshop"

    title: str
    held_on: date = Field(index=True)
    place_id: uuid.UUID | None = Field(default=None, foreign_key="place.id", index=True)
    facilitator: str = ""
    template_id: uuid.UUID | None = Field(default=None, foreign_key="matrix_template.id")
    template_name: str = ""  # as it was when the workshop was created
    notes: str = ""


class WorkshopRow(Entity, table=True):
    """A row of one workshop's matrix, copied from its template so later template edits leave it alone."""

    __tablename__ = "workshop_row"

    workshop_id: uuid.UUID = Field(foreign_key="workshop.id", index=True)
    position: int
    title: str
    description: str = ""


class WorkshopPartner(SQLModel, table=True):
    __tablename__ = "workshop_partner"
    __table_args__ = (Index("ix_workshop_partner_partner", "partner_id"),)

    workshop_id: uuid.UUID = Field(foreign_key="workshop.id", primary_key=True)
    partner_id: uuid.UUID = Field(foreign_key="partner.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class MatrixEntry(Deletable, table=True):
    """One card in one cell of a workshop matrix."""

    __tablename__ = "matrix_entry"
    __table_args__ = (Index("ix_matrix_entry_cell", "workshop_id", "row_id", "column", "position"),)

    workshop_id: uuid.UUID = Field(foreign_key="workshop.id")
    row_id: uuid.UUID = Field(foreign_key="workshop_row.id", index=True)
    column: MatrixColumn = Field(sa_column=enum_column(MatrixColumn))
    text: str
    partner_id: uuid.UUID | None = Field(default=None, foreign_key="partner.id", index=True)
    position: int = 0
    votes: int = 0


class Action(Deletable, table=True):
    """A follow-up, usually born from a 'Could do more' or 'Support needed' entry."""

    __tablename__ = "action"

    title: str
    entry_id: uuid.UUID | None = Field(default=None, foreign_key="matrix_entry.id", index=True)
    workshop_id: uuid.UUID | None = Field(default=None, foreign_key="workshop.id", index=True)
    owner_partner_id: uuid.UUID | None = Field(default=None, foreign_key="partner.id", index=True)
    due_on: date | None = Field(default=None, index=True)
    status: ActionStatus = Field(default=ActionStatus.OPEN, sa_column=enum_column(ActionStatus, index=True))
    completed_on: date | None = None
    notes: str = ""


# ---------------------------------------------------------------- history


class Laptop(Entity, table=True):
    """A copy of the data file on one laptop, by the friendly name people know it by ("the Office laptop").

    A copy makes its own id the first time it is written to (``db.history``); merged files bring theirs along,
    so the history can say on which laptop each change was made.
    """

    __tablename__ = "laptop"

    name: str = ""
    # Which copy this is (a hash of this laptop's own random id and the file's path; db.history._home_of), so
    # that a copy carried to another laptop, or another folder, makes an id of its own.
    home: str = Field(default="", index=True)


class HistoryEntry(SQLModel, table=True):
    """One change to one field of one record (or a record made, removed, erased, merged), as ``db.history``
    records it in the same transaction as the change. Values are stored as text (``db.history.encode``)."""

    __tablename__ = "history"
    __table_args__ = (
        Index("ix_history_record", "record_id", "at"),
        Index("ix_history_at", "at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    at: datetime = Field(nullable=False)
    record_kind: str  # the table's name: "partner", "volunteer" …
    record_id: uuid.UUID
    action: str  # db.history.HistoryAction
    field: str = ""  # the column, or a linked list ("themes"); empty for a whole record
    old: str | None = None
    new: str | None = None
    who: str = ""
    laptop_id: uuid.UUID | None = None


# ---------------------------------------------------------------- settings


class Setting(SQLModel, table=True):
    """A setting that belongs to the data file (organisation name, hourly rate …), not to the laptop."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str = ""
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow})


# The tables of data (not :class:`HoursDay`, which the triggers keep).
ALL_TABLES: tuple[type[SQLModel], ...] = (
    Partner,
    Theme,
    PartnerTheme,
    Place,
    PartnerPlace,
    Contact,
    Opportunity,
    OpportunityRequirement,
    Volunteer,
    VolunteerCheck,
    Placement,
    HoursEntry,
    Recognition,
    MatrixTemplate,
    MatrixTemplateRow,
    Workshop,
    WorkshopRow,
    WorkshopPartner,
    MatrixEntry,
    Action,
    Setting,
    Laptop,
    HistoryEntry,
)
