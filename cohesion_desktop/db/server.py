"""A team database on a PostgreSQL server (team mode, issue 17): its address, its engine, its schema, its errors.

What a data file gets from ``sqlite_file.py`` and the file steps of ``store.py``, a team database gets here:

1. its address, ``postgresql://user@host:5432/database`` as the user wrote it, and how it is named to the user
   (database, host and port: never the password); a server on another computer is reached over TLS at least
   ``sslmode=require`` (:func:`with_tls`);
2. an engine that gives up on a server it cannot reach after :data:`CONNECT_TIMEOUT_S`, checks a pooled connection
   before handing it out, and for a read-only store has the server refuse every write;
3. the schema version, kept in the table ``cohesion_schema`` (a server has no ``PRAGMA user_version``). Opening
   reads it under the shared advisory lock :data:`SCHEMA_LOCK`, and :func:`prepare_schema` (``init``) creates or
   upgrades under the exclusive one, in one transaction: an open never sees half an upgrade, and two laptops never
   upgrade at once. A newer schema is refused as a newer file is; a database that holds another application's
   tables is never adopted. The same transaction gives the roles their privileges (``roles.py``);
4. the user's words for what the server says (:func:`opening_error`, :func:`storage_message`): unreachable, a
   refused password, no such database, permission denied, a concurrent change.

Not here, and not on a server: the file lock (the server arbitrates), automatic backups (the server's own, e.g.
``pg_dump``, are IT's), and the erasure's wipe of old pages (a server keeps WAL, replicas and dumps this app cannot
reach).
"""

from __future__ import annotations

import importlib.util
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    URL,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlmodel import Session, SQLModel

from cohesion_desktop import APP_ID, APP_NAME, paths
from cohesion_desktop.db import migrations, roles
from cohesion_desktop.db.defaults import seed_defaults
from cohesion_desktop.errors import (
    TeamDatabaseError,
    TeamDatabaseNotOursError,
    TeamDatabaseNotReadyError,
    TeamDatabaseRefusedError,
    TeamDatabaseTooNewError,
    TeamDatabaseUnreachableError,
)
from cohesion_desktop.i18n import _

# The promise: an unreachable server is said so within 5 seconds.
CONNECT_TIMEOUT_S = 5
# The key of the advisory lock on the schema: "CoHD" and 1 (any number unique to this app in the database).
SCHEMA_LOCK = 0x436F_4844_0000_0001
# The first data format a team database can have: older ones were files only, so no server upgrades from them.
FIRST_SERVER_VERSION = 4

_SCHEMA_METADATA = MetaData()
# Not one of the app's tables (models.py): a data file keeps its version in its header, and its schema stays as is.
SCHEMA_TABLE = Table(
    "cohesion_schema",
    _SCHEMA_METADATA,
    Column("application", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
)


def is_server_address(target: object) -> bool:
    """Whether ``target`` names a team database (``postgresql://…``) rather than a data file."""
    return paths.is_team_database(target)


# libpq's sslmode values, weakest first. Anything from "require" on encrypts; "verify-*" also checks the server.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
TLS_AT_LEAST = "require"


def is_local(url: URL) -> bool:
    """Whether the server is this computer: a Unix socket (no host, or a folder as host) or a loopback address."""
    host = url.host or url.query.get("host") or ""
    host = host[0] if isinstance(host, tuple) else host
    if not host or host.startswith(("/", "@")) or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def with_tls(url: URL) -> URL:
    """The address with TLS required for any server that is not this computer: volunteers' personal data never
    crosses a network unencrypted. A stronger mode the address names is kept; "allow" or "prefer" (which fall back to
    no TLS) become "require"; "disable" to another computer is refused."""
    if is_local(url):
        return url
    asked = url.query.get("sslmode") or ""
    asked = asked[0] if isinstance(asked, tuple) else asked
    if asked and asked not in SSL_MODES:
        return url  # libpq's own message names the mistyped mode
    if asked == "disable":
        raise TeamDatabaseError(
            "",
            _(
                "The team database's address says sslmode=disable, but the server {host} is another computer: its "
                "connection must be encrypted (sslmode=require or stronger)."
            ).format(host=url.host),
        )
    if asked in SSL_MODES and SSL_MODES.index(asked) >= SSL_MODES.index(TLS_AT_LEAST):
        return url
    return url.update_query_dict({"sslmode": TLS_AT_LEAST})


@dataclass(frozen=True)
class ServerAddress:
    """Where a team database is: a SQLAlchemy URL for psycopg 3 (whatever driver the address named)."""

    url: URL

    @classmethod
    def parse(cls, address: str) -> ServerAddress:
        """The address as typed, or :class:`TeamDatabaseError` saying what is wrong with it (without echoing it:
        it may hold a password)."""
        shape = "postgresql://user@host:5432/database"
        try:
            url = make_url(address.strip())
        except (ArgumentError, ValueError) as exc:
            raise TeamDatabaseError(
                "", _("The team database's address could not be read; write it as {shape}.").format(shape=shape)
            ) from exc
        if url.get_backend_name() != "postgresql":
            raise TeamDatabaseError(
                "", _("Only PostgreSQL team databases can be opened; write the address as {shape}.").format(shape=shape)
            )
        if not url.database:
            raise TeamDatabaseError(
                "",
                _("The team database's address names no database after the host; write it as {shape}.").format(
                    shape=shape
                ),
            )
        # psycopg 3 named outright: SQLAlchemy 2.0 reads a bare postgresql:// as psycopg2, which the app lacks.
        return cls(with_tls(url.set(drivername="postgresql+psycopg")))

    @classmethod
    def of(cls, *, host: str, port: int, database: str, user: str, password: str | None = None) -> ServerAddress:
        """The address of the parts a person typed (File → Connect to a team database…)."""
        url = URL.create(
            "postgresql", username=user, password=password or None, host=host, port=port, database=database
        )
        return cls.parse(url.render_as_string(hide_password=False))

    @property
    def where(self) -> str:
        """How the user is told which database: its name, host and port (never the password)."""
        return _("'{database}' on {host}:{port}").format(
            database=self.url.database, host=self.url.host or "localhost", port=self.url.port or 5432
        )

    def __str__(self) -> str:
        """The address without its password (not even "***"): what the recent-files list, the keyring's entry and the
        change history name it by, so that it reads the same whether a password was typed into it or not."""
        # Not url.set(password=None): set() leaves a part given as None as it was.
        return self.url._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)


def make_server_engine(address: ServerAddress, *, read_only: bool = False) -> Engine:
    """An engine on the team database; read-only: the server itself refuses every write of its sessions."""
    if importlib.util.find_spec("psycopg") is None:
        raise TeamDatabaseError(
            address.where,
            _(
                "This installation of {app} cannot open team databases: it lacks the PostgreSQL driver (psycopg). "
                "Install the app with its team extra (pip install 'cohesion-desktop[team]')."
            ).format(app=APP_NAME),
        )
    connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": APP_ID}
    if read_only:
        connect_args["options"] = "-c default_transaction_read_only=on"
    return create_engine(
        address.url,
        pool_size=4,
        max_overflow=4,
        pool_pre_ping=True,  # a connection the server or the network dropped is replaced, not handed out
        # A failed statement's message would otherwise carry its values (names, e-mails) into the log file.
        hide_parameters=True,
        connect_args=connect_args,
    )


def _stored_version(connection: Connection) -> int | None:
    if connection.execute(text("SELECT to_regclass('cohesion_schema')")).scalar() is None:
        return None
    version = connection.execute(
        select(SCHEMA_TABLE.c.version).where(SCHEMA_TABLE.c.application == APP_ID)
    ).scalar_one_or_none()
    return None if version is None else int(version)


def _not_ours(address: ServerAddress, tables: list[str]) -> TeamDatabaseNotOursError:
    shown = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
    return TeamDatabaseNotOursError(
        address.where,
        _(
            "The database {where} already holds tables of another application ({tables}), so {app} will not use it. "
            "Ask whoever looks after the server for an empty database of its own. Nothing was changed."
        ).format(where=address.where, tables=shown, app=APP_NAME),
    )


def _too_new(address: ServerAddress, version: int) -> TeamDatabaseTooNewError:
    return TeamDatabaseTooNewError(
        address.where,
        migrations.too_new_database_message(address.where, version),
    )


def _refuse_foreign_or_newer(connection: Connection, address: ServerAddress, version: int | None) -> None:
    if version is None:
        tables = inspect(connection).get_table_names()
        if tables:
            raise _not_ours(address, tables)
    elif version > migrations.SCHEMA_VERSION:
        raise _too_new(address, version)
    elif version < FIRST_SERVER_VERSION:
        raise TeamDatabaseNotOursError(
            address.where,
            _(
                "The team database {where} says it holds data format {version}, which no team database has ever "
                "had. It was left as it is."
            ).format(where=address.where, version=version),
        )


def schema_version_of(engine: Engine, address: ServerAddress) -> int:
    """The team database's schema version, read once no upgrade is under way; a database that cannot be used
    as it is (empty, older, newer, another application's) is refused with what to do."""
    init = f"{APP_ID} --data {address} init"
    try:
        with engine.begin() as connection:
            connection.execute(select(func.pg_advisory_xact_lock_shared(SCHEMA_LOCK)))
            version = _stored_version(connection)
            _refuse_foreign_or_newer(connection, address, version)
    except DBAPIError as exc:
        raise opening_error(address, exc) from exc
    if version is None:
        raise TeamDatabaseNotReadyError(
            address.where,
            _("The team database {where} holds no {app} data yet. Prepare it once with: {command}").format(
                where=address.where, app=APP_NAME, command=init
            ),
        )
    if version < migrations.SCHEMA_VERSION:
        raise TeamDatabaseNotReadyError(
            address.where,
            _(
                "The team database {where} holds data format {version}; this version of {app} uses {supported}. "
                "Upgrade it once with: {command} (every laptop then needs this version). Nothing was changed."
            ).format(
                where=address.where,
                version=version,
                app=APP_NAME,
                supported=migrations.SCHEMA_VERSION,
                command=init,
            ),
        )
    return version


@dataclass(frozen=True)
class SchemaPrepared:
    """What :func:`prepare_schema` did: ``before`` None when it created the schema; equal to ``after`` when
    there was nothing to do."""

    before: int | None
    after: int

    def describe(self, address: ServerAddress) -> str:
        if self.before is None:
            return f"Prepared the team database {address.where} for {APP_NAME} (data format {self.after})."
        if self.before == self.after:
            return f"The team database {address.where} is ready already (data format {self.after}); nothing changed."
        return f"Upgraded the team database {address.where} from data format {self.before} to {self.after}."


def prepare_schema(engine: Engine, address: ServerAddress) -> SchemaPrepared:
    """Create the app's schema (tables, triggers, first rows) in an empty database, or upgrade an older one, in one
    transaction under the exclusive advisory lock: a second laptop's ``init`` waits, then finds nothing to do."""
    try:
        with engine.begin() as connection:
            connection.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK)))
            version = _stored_version(connection)
            _refuse_foreign_or_newer(connection, address, version)
            if version is None:
                SQLModel.metadata.create_all(connection)
                seed_defaults(connection)
                SCHEMA_TABLE.create(connection)
                connection.execute(insert(SCHEMA_TABLE).values(application=APP_ID, version=migrations.SCHEMA_VERSION))
                roles.install_roles(connection, str(address.url.database), address.where, read_by_all=(SCHEMA_TABLE,))
                return SchemaPrepared(None, migrations.SCHEMA_VERSION)
            # PostgreSQL's DDL is transactional: every step and the new version land together, or none does.
            for target in range(version + 1, migrations.SCHEMA_VERSION + 1):
                migrations.STEPS[target](connection)
            if version < migrations.SCHEMA_VERSION:
                connection.execute(
                    update(SCHEMA_TABLE)
                    .where(SCHEMA_TABLE.c.application == APP_ID)
                    .values(version=migrations.SCHEMA_VERSION)
                )
            # Every init brings the roles' grants to this version's (new tables, columns, rules).
            roles.install_roles(connection, str(address.url.database), address.where, read_by_all=(SCHEMA_TABLE,))
            return SchemaPrepared(version, migrations.SCHEMA_VERSION)
    except DBAPIError as exc:
        raise opening_error(address, exc) from exc


def sqlstate_of(exc: DBAPIError) -> str:
    """The server's five-character error code (SQLSTATE), or "" when it gave none (a connection never made)."""
    return str(getattr(exc.orig, "sqlstate", None) or "")


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__


def _unreachable(exc: DBAPIError) -> bool:
    state = sqlstate_of(exc)
    # 08: connection exceptions; 57P01-03: the server shut down or is starting; no code: no connection at all.
    return (
        state.startswith("08")
        or state in ("57P01", "57P02", "57P03")
        or (not state and isinstance(exc, OperationalError))
    )


# What the server says when it refuses a connection: libpq hands its message over without the code (SQLSTATE).
_REFUSALS = {
    "password authentication failed": "28P01",
    "no password supplied": "28P01",
    "no pg_hba.conf entry": "28000",
    "does not exist": "3D000",  # the role's is "role … does not exist": said as a refused account below
    "permission denied for database": "42501",
}


def _refused_at_connect(exc: DBAPIError) -> str:
    said = str(exc.orig)
    if 'role "' in said and "does not exist" in said:
        return "28000"
    return next((state for words, state in _REFUSALS.items() if words in said), "")


def opening_error(address: ServerAddress, exc: DBAPIError) -> TeamDatabaseError:
    """The user's words for why the team database could not be opened or prepared."""
    state = sqlstate_of(exc) or _refused_at_connect(exc)
    where, host = address.where, f"{address.url.host or 'localhost'}:{address.url.port or 5432}"
    user = address.url.username
    if state in ("28P01", "28000"):
        refused = (
            _(
                "The server {host} refused {user}'s password or account for the team database {where}. Check the "
                "user name and password with whoever looks after the server."
            )
            if user
            else _(
                "The server {host} refused your password or account for the team database {where}. Check the user "
                "name and password with whoever looks after the server."
            )
        )
        return TeamDatabaseRefusedError(where, refused.format(host=host, user=user, where=where), field="password")
    if state == "3D000":
        return TeamDatabaseRefusedError(
            where,
            _(
                "There is no database '{database}' on the server {host}. Check its name, or ask whoever looks after "
                "the server to create it."
            ).format(database=address.url.database, host=host),
            field="database",
        )
    if state == "42501":
        refused = (
            _(
                "The server refused {user} what opening the team database {where} needs (permission denied). Ask "
                "whoever looks after the server to grant it. Nothing was changed."
            )
            if user
            else _(
                "The server refused your account what opening the team database {where} needs (permission denied). "
                "Ask whoever looks after the server to grant it. Nothing was changed."
            )
        )
        return TeamDatabaseError(where, refused.format(user=user, where=where))
    if _unreachable(exc):
        return TeamDatabaseUnreachableError(
            where,
            _(
                "The team database {where} cannot be reached ({problem}). Check the address and that this computer "
                "is connected to the network, then try again."
            ).format(where=where, problem=_first_line(exc)),
        )
    return TeamDatabaseError(
        where,
        _("The team database {where} could not be opened ({problem}).").format(where=where, problem=_first_line(exc)),
    )


def copy_of(session: Session) -> Path | str | None:
    """Which copy a session works on, as the change history tells copies apart (``history.CopyIdentity``): its
    data file, or its team database's address without the password (None: neither, e.g. in memory)."""
    url = session.get_bind().engine.url
    if url.get_backend_name() == "postgresql":
        return str(ServerAddress(url))
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def team_database_of(session: Session) -> str | None:
    """How a session's team database is named to the user (None for a data file)."""
    url = session.get_bind().engine.url
    if url.get_backend_name() != "postgresql":
        return None
    return ServerAddress(url).where


def storage_message(exc: DBAPIError, where: str, *, reading: bool = False) -> str | None:
    """What the server's refusal of a statement means for the user (without what happened to the change), or
    None when it is nothing the user can act on; ``reading``: the statement only read."""
    state = sqlstate_of(exc)
    if state == "42501" and reading:
        return _(
            "The team database {where} would not show this: your account may not read this kind of record "
            "(permission denied). Ask whoever looks after the server if you need to see it."
        ).format(where=where)
    if state == "42501":
        return _(
            "The team database {where} refused it: your account may not read or change this kind of record "
            "(permission denied)."
        ).format(where=where)
    if state in ("40001", "40P01"):
        return _(
            "Someone else changed the same records in the team database {where} at the same moment. Try again."
        ).format(where=where)
    if state == "25006":
        return _("The team database {where} was opened for reading only.").format(where=where)
    if state in ("53100", "53200"):
        return _("The server of the team database {where} has no room (disk or memory) left.").format(where=where)
    if _unreachable(exc):
        return _(
            "The team database {where} cannot be reached: the connection to its server was lost ({problem})."
        ).format(where=where, problem=_first_line(exc))
    return None
