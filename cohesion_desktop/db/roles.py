"""Who may see and change what in a team database, enforced by the PostgreSQL server itself (team mode, issue 17).

The window may hide a page, but only the server can keep a facilitator's laptop from reading volunteers' e-mails:
a copy of the app, ``psql`` or a spreadsheet's ODBC link asks the same server with the same account. So each team
database has three **group roles** (NOLOGIN), and a person's login account is made a member of one of them
(``cohesion-desktop --data ADDRESS grant USER ROLE``):

=============  ==========================================================================================
coordinator    everything: every table, read and write (not the schema: upgrades are ``init``'s, run by
               the account that owns the tables).
facilitator    partners (and their contacts, themes, places, opportunities), workshops, matrix entries,
               actions: read and write. **Nobody's data** in the people tables (:data:`PEOPLE`: volunteers,
               their checks, placements, hours, recognition), not even names: volunteers are the
               coordinators' (UK GDPR: data minimisation). Of those tables only how many and how much
               (:data:`FACILITATOR_COLUMNS`): a placement's opportunity and status but not its volunteer, an
               hours entry's hours but not its activity; no check or recognition at all. The daily hours
               totals (``hours_day``) carry no person and stay readable. The change history is readable and
               writable but row-level security hides its rows about people (their old and new values hold
               e-mails and phones).
viewer         read-only figures: every table but the history, and of the people tables only the columns
               the funder figures count with (:data:`VIEWER_COLUMNS` and each table's bookkeeping columns):
               ids, dates, statuses, hours; never a name, contact detail, note or free text. So the funder
               summary without names works for a viewer, and with names is refused by the server.
=============  ==========================================================================================

On the people tables both restricted roles get **column** grants, never the table: the ORM's whole-row select
(``select(Volunteer)``) is refused for them, and so is any column not listed, so a column added later stays
hidden until someone decides. The app selects explicit columns for counts and sums; a table a role cannot read
whole is one it can tell (``has_table_privilege``) and leave out (the offline copy does).

The group roles are named after the database (``<database>_coordinator`` …, :func:`group_role_name`): roles
belong to the whole server, and two team databases on one server must not share a "facilitator" who would then
read both. PUBLIC (every account of the server) gets nothing: no CONNECT or TEMPORARY on the database, no use of
its schema ``public``, no table.

:func:`install_roles` runs inside ``init``'s transaction every time (new, upgraded or ready already), so a
database always has the grants of the app that last prepared it; it creates only the roles that are missing (the
account running ``init`` then needs CREATEROLE; IT may create the three roles beforehand instead).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, Engine, Table, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from cohesion_desktop import APP_ID
from cohesion_desktop.db import models
from cohesion_desktop.errors import TeamDatabaseError
from cohesion_desktop.i18n import _

log = logging.getLogger(__name__)


class Role(StrEnum):
    """The three kinds of team member; the value is the word typed after ``grant USER``."""

    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    VIEWER = "viewer"


# The tables whose every row is about one person (volunteers' personal data, or who did what).
PEOPLE: frozenset[str] = frozenset(
    table.__tablename__
    for table in (models.Volunteer, models.VolunteerCheck, models.Placement, models.HoursEntry, models.Recognition)
)
# Organisation-wide: read by every role, changed by coordinators (and the schema version by init).
SETTINGS = models.Setting.__tablename__
HISTORY = models.HistoryEntry.__tablename__
# Which laptop made a change: written by everyone who changes anything (db/history.py).
LAPTOPS = models.Laptop.__tablename__
# Totals per day with no person in them (kept by the triggers on hours_entry).
DAY_TOTALS = models.HoursDay.__tablename__

# The columns of the people tables that viewers may read, besides each table's bookkeeping columns (id, times,
# deleted_at …: :func:`_bookkeeping`). An allow-list: a column added later stays hidden until it is listed here.
VIEWER_COLUMNS: dict[str, tuple[str, ...]] = {
    "volunteer": ("erased_at",),
    "volunteer_check": ("volunteer_id", "kind", "obtained_on", "renewal_due_on"),
    "placement": ("volunteer_id", "opportunity_id", "status", "starts_on", "ends_on"),
    "hours_entry": ("placement_id", "on_date", "hours"),
    "recognition": ("volunteer_id", "kind", "given_on", "hours_at_time"),
}
assert VIEWER_COLUMNS.keys() == PEOPLE
# What facilitators may read of the people tables besides the bookkeeping columns: how many and how much, never
# who. A placement without its volunteer_id, and hours without their activity text, lead to no person, and let
# an opportunity show its filled places and a partner its hours. Checks and recognition: nothing at all.
FACILITATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "volunteer": (),
    "placement": ("opportunity_id", "status", "starts_on", "ends_on"),
    "hours_entry": ("placement_id", "on_date", "hours"),
}
assert FACILITATOR_COLUMNS.keys() <= PEOPLE

# PostgreSQL cuts identifiers at 63 bytes (NAMEDATALEN - 1).
_LONGEST_NAME = 63
_POLICY_PREFIX = "cohesion_"


def _bookkeeping() -> frozenset[str]:
    """The columns every record has from its base class (ids, when it was made, changed, deleted, its version):
    they say nothing about a person. Read from the models, so a column added there is counted here too."""
    return frozenset(models.Deletable.model_fields)


def group_role_name(database: str, role: Role) -> str:
    """The server's name of ``role`` for the team database ``database`` (``harrowfield_facilitator``); a name
    too long for the server keeps the database's first letters and a digest of the whole."""
    name = f"{database}_{role.value}"
    if len(name.encode()) <= _LONGEST_NAME:
        return name
    digest = hashlib.sha256(database.encode()).hexdigest()[:8]
    room = _LONGEST_NAME - len(f"_{digest}_{role.value}")
    shortened = database.encode()[:room].decode(errors="ignore")
    return f"{shortened}_{digest}_{role.value}"


def role_from_word(word: str) -> Role:
    """The role a user typed, or a :class:`TeamDatabaseError` that lists the three."""
    try:
        return Role(word.strip().lower())
    except ValueError:
        raise TeamDatabaseError(
            "",
            _("There is no role “{word}”: choose coordinator, facilitator or viewer.").format(word=word),
        ) from None


def app_tables() -> list[Table]:
    """Every table of the app's data, parents first (the schema's own version table is the caller's: see
    :func:`install_roles`)."""
    return list(SQLModel.metadata.sorted_tables)


@dataclass(frozen=True)
class Grants:
    """What one group role may do with which tables: table-wide privileges, and SELECT on some columns only."""

    tables: dict[str, tuple[str, ...]]
    columns: dict[str, tuple[str, ...]]


_WRITE = ("SELECT", "INSERT", "UPDATE", "DELETE")


def grants_of(role: Role) -> Grants:
    """The privileges of ``role`` on each table of the app (see the module's docstring for why)."""
    names = [table.name for table in app_tables()]
    if role is Role.COORDINATOR:
        return Grants({name: _WRITE for name in names}, {})
    if role is Role.FACILITATOR:
        tables: dict[str, tuple[str, ...]] = {}
        for name in names:
            if name in PEOPLE:
                continue
            if name in (SETTINGS, DAY_TOTALS):
                tables[name] = ("SELECT",)
            elif name == HISTORY:
                tables[name] = ("SELECT", "INSERT")  # and row-level security keeps out the people's rows
            elif name == LAPTOPS:
                tables[name] = ("SELECT", "INSERT", "UPDATE")
            else:
                tables[name] = _WRITE
        return Grants(tables, _readable_columns(FACILITATOR_COLUMNS))
    return Grants(
        {name: ("SELECT",) for name in names if name not in PEOPLE and name != HISTORY},
        _readable_columns(VIEWER_COLUMNS),
    )


def _readable_columns(allowed: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The columns of each people table in ``allowed`` that a role may read: its bookkeeping ones and those listed."""
    kept = _bookkeeping()
    return {
        table.name: tuple(
            column.name for column in table.columns if column.name in kept or column.name in allowed[table.name]
        )
        for table in app_tables()
        if table.name in allowed
    }


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _people_kinds() -> str:
    return ", ".join(f"'{kind}'" for kind in sorted(PEOPLE))


def _role_exists(connection: Connection, name: str) -> tuple[bool, bool]:
    """Whether a role of that name exists, and whether it can log in."""
    found = connection.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :name"), {"name": name}).first()
    return (found is not None, bool(found[0]) if found is not None else False)


def _ensure_group_role(connection: Connection, database: str, role: Role, where: str) -> str:
    name = group_role_name(database, role)
    exists, can_log_in = _role_exists(connection, name)
    if exists and can_log_in:
        # Someone's own account by that name: making it a group would hand its owner the role's rights.
        raise TeamDatabaseError(
            where,
            _(
                "The server already has an account “{name}” that can log in, so it cannot be the team database's "
                "{role} group. Rename that account, or ask for a database of another name. Nothing was changed."
            ).format(name=name, role=role.value),
        )
    if not exists:
        try:
            with connection.begin_nested():
                connection.exec_driver_sql(f"CREATE ROLE {_quote(connection, name)} NOLOGIN")
        except DBAPIError as exc:
            raise TeamDatabaseError(
                where,
                _(
                    "The account running init may not create the role “{name}” (it needs CREATEROLE). Run init as "
                    "an account that has it, or have the server's administrator create the roles {names} "
                    "(NOLOGIN) first. Nothing was changed."
                ).format(name=name, names=", ".join(group_role_name(database, each) for each in Role)),
            ) from exc
        comment = f"{APP_ID}: the {role.value}s of the team database {database}".replace("'", "''")
        connection.exec_driver_sql(f"COMMENT ON ROLE {_quote(connection, name)} IS '{comment}'")
    return name


def _owns_the_tables(connection: Connection) -> bool:
    """Whether the account is (a member of) the owner of the app's tables, or a superuser."""
    owned = connection.execute(
        text("SELECT pg_has_role(tableowner, 'MEMBER') FROM pg_tables WHERE schemaname = 'public' AND tablename = :t"),
        {"t": models.Partner.__tablename__},
    ).scalar()
    return bool(owned)


def install_roles(connection: Connection, database: str, where: str, *, read_by_all: Sequence[Table] = ()) -> None:
    """Create the three group roles if missing and give them exactly the privileges of :func:`grants_of` (and
    SELECT on ``read_by_all``: the schema version's table, which opening reads), in the caller's transaction
    (``init``'s), so that no moment exists with the old grants taken away and no new ones.

    Only the tables' owner (or a superuser) may change their grants: another account's ``init`` of a database that
    is ready already (a coordinator's, say) leaves them as the owner's last ``init`` set them."""
    if not _owns_the_tables(connection):
        log.info("init by an account that does not own the tables: the roles' rights were left as they are")
        return
    groups = {role: _ensure_group_role(connection, database, role, where) for role in Role}
    quoted = {role: _quote(connection, name) for role, name in groups.items()}
    everyone = ", ".join(quoted.values())
    run = connection.exec_driver_sql
    db = _quote(connection, database)
    run(f"REVOKE ALL ON DATABASE {db} FROM PUBLIC")
    run(f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {everyone}")  # reports make temporary tables
    run("REVOKE ALL ON SCHEMA public FROM PUBLIC")
    run(f"GRANT USAGE ON SCHEMA public TO {everyone}")
    tables = [table.name for table in (*app_tables(), *read_by_all)]
    listed = ", ".join(_quote(connection, name) for name in tables)
    # Taking a table's privileges away takes its column privileges too: what is granted below is all there is.
    run(f"REVOKE ALL ON TABLE {listed} FROM PUBLIC, {everyone}")
    for role in Role:
        grants = grants_of(role)
        for table, privileges in grants.tables.items():
            run(f"GRANT {', '.join(privileges)} ON TABLE {_quote(connection, table)} TO {quoted[role]}")
        for table, columns in grants.columns.items():
            shown = ", ".join(_quote(connection, column) for column in columns)
            run(f"GRANT SELECT ({shown}) ON TABLE {_quote(connection, table)} TO {quoted[role]}")
    for shared in read_by_all:
        run(f"GRANT SELECT ON TABLE {_quote(connection, shared.name)} TO {everyone}")
    _install_history_policies(connection, quoted)


def _install_history_policies(connection: Connection, quoted: dict[Role, str]) -> None:
    """Row-level security on the change history: coordinators see every row; facilitators neither read nor write
    rows about people. The tables' owner (who runs init) is not bound by it; nobody else gets rows without a
    policy (viewers have no grant on the history at all)."""
    run = connection.exec_driver_sql
    history = _quote(connection, HISTORY)
    run(f"ALTER TABLE {history} ENABLE ROW LEVEL SECURITY")
    no_people = f"record_kind NOT IN ({_people_kinds()})"
    policies = {
        "everything": f"FOR ALL TO {quoted[Role.COORDINATOR]} USING (true) WITH CHECK (true)",
        "no_people": f"FOR SELECT TO {quoted[Role.FACILITATOR]} USING ({no_people})",
        "no_people_added": f"FOR INSERT TO {quoted[Role.FACILITATOR]} WITH CHECK ({no_people})",
    }
    for name, rule in policies.items():
        policy = _quote(connection, _POLICY_PREFIX + name)
        run(f"DROP POLICY IF EXISTS {policy} ON {history}")
        run(f"CREATE POLICY {policy} ON {history} {rule}")


@dataclass(frozen=True)
class Member:
    """A login account and its role in one team database."""

    account: str
    role: Role


def members(engine: Engine, database: str) -> list[Member]:
    """Who has which role in the team database, by account name (an account in two groups is listed twice)."""
    with engine.connect() as connection:
        found = _members_in(connection, {role: group_role_name(database, role) for role in Role})
    return sorted(found, key=lambda member: (member.account, list(Role).index(member.role)))


def _account_named(connection: Connection, typed: str) -> str | None:
    """The account's name as the server spells it: as typed, else folded to lower case as psql would."""
    for candidate in dict.fromkeys((typed, typed.lower())):
        if _role_exists(connection, candidate)[0]:
            return candidate
    return None


def grant_role(engine: Engine, database: str, where: str, *, account: str, role: Role) -> Sequence[Role]:
    """Make ``account`` a member of ``role``'s group for the database, and of no other of its groups (one person,
    one role: granting facilitator to a former coordinator takes coordinator away). Returns the roles taken away.
    The server's refusal (an account that may not give roles out: 42501) is raised as it is, for the caller's words.
    """
    groups = {each: group_role_name(database, each) for each in Role}
    with engine.begin() as connection:
        missing = [name for name in groups.values() if not _role_exists(connection, name)[0]]
        if missing:
            raise TeamDatabaseError(
                where,
                _("The team database {where} has no roles yet: prepare it first with init.").format(where=where),
            )
        named = _account_named(connection, account)
        if named is None:
            raise TeamDatabaseError(
                where,
                _(
                    "There is no account “{account}” on the server. Its administrator creates it first "
                    "(CREATE ROLE … LOGIN PASSWORD …); then grant it a role."
                ).format(account=account),
            )
        if named in groups.values():
            raise TeamDatabaseError(
                where,
                _("“{account}” is one of the team database's roles, not a person's account.").format(account=named),
            )
        held = {member.role for member in _members_in(connection, groups) if member.account == named}
        person = _quote(connection, named)
        taken = [each for each in Role if each in held and each is not role]
        for each in taken:
            connection.exec_driver_sql(f"REVOKE {_quote(connection, groups[each])} FROM {person}")
        if role not in held:
            connection.exec_driver_sql(f"GRANT {_quote(connection, groups[role])} TO {person}")
    return taken


def _members_in(connection: Connection, groups: dict[Role, str]) -> list[Member]:
    by_name = {name: role for role, name in groups.items()}
    found = connection.execute(
        text(
            "SELECT member.rolname, grp.rolname FROM pg_auth_members m "
            "JOIN pg_roles member ON member.oid = m.member JOIN pg_roles grp ON grp.oid = m.roleid "
            "WHERE grp.rolname = ANY(:groups)"
        ),
        {"groups": list(by_name)},
    ).all()
    return [Member(str(account), by_name[str(group)]) for account, group in found]
