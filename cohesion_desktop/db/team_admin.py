"""What IT staff do to a team database from the command line besides ``init``: give people their roles and list
them (``grant``, ``roles``; the roles themselves are ``roles.py``'s). Each connects with the account the address
names, does one thing, and turns what the server says into the user's words."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import DBAPIError

from cohesion_desktop.db import roles
from cohesion_desktop.db.roles import Member, Role
from cohesion_desktop.db.server import ServerAddress, make_server_engine, opening_error, sqlstate_of
from cohesion_desktop.errors import TeamDatabaseError
from cohesion_desktop.i18n import _


def grant(address: ServerAddress, *, account: str, role_word: str) -> tuple[Role, Sequence[Role]]:
    """Give ``account`` the role ``role_word`` names (and no other): the role, and the roles taken away."""
    role = roles.role_from_word(role_word)  # before connecting: a mistyped role needs no server
    engine = make_server_engine(address)
    try:
        taken = roles.grant_role(engine, str(address.url.database), address.where, account=account, role=role)
    except DBAPIError as exc:
        if sqlstate_of(exc) == "42501":
            raise TeamDatabaseError(
                address.where,
                _(
                    "Your account may not give out the team database's roles. Run grant as the account that ran "
                    "init (or one with ADMIN OPTION on the roles). Nothing was changed."
                ),
            ) from exc
        raise opening_error(address, exc) from exc
    finally:
        engine.dispose()
    return role, taken


def members(address: ServerAddress) -> list[Member]:
    """Who has which role in the team database."""
    engine = make_server_engine(address)
    try:
        return roles.members(engine, str(address.url.database))
    except DBAPIError as exc:
        raise opening_error(address, exc) from exc
    finally:
        engine.dispose()
