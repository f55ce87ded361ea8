"""The command line's commands on a team database (``--data postgresql://…``) besides ``init``: ``grant``,
``roles`` and ``backup --out`` (team mode, issue 17). cli.py parses; these run. Each prints what it did, or raises
:class:`~cohesion_desktop.errors.CohesionError` with one line for the user (cli.py prints it, exit 1)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from cohesion_desktop import APP_ID
from cohesion_desktop.db import team_login
from cohesion_desktop.i18n import _

TeamCommand = Callable[[argparse.Namespace, str], int]


def _grant(args: argparse.Namespace, address_text: str) -> int:
    from cohesion_desktop.db import team_admin
    from cohesion_desktop.db.server import ServerAddress

    address = ServerAddress.parse(address_text)
    role, taken = team_admin.grant(address, account=args.account, role_word=args.role)
    if taken:
        print(
            _("{account} is now a {role} of the team database {where} (no longer: {taken}).").format(
                account=args.account, role=role.value, where=address.where, taken=", ".join(taken)
            )
        )
    else:
        print(
            _("{account} is a {role} of the team database {where}.").format(
                account=args.account, role=role.value, where=address.where
            )
        )
    return 0


def _roles(_args: argparse.Namespace, address_text: str) -> int:
    from cohesion_desktop.db import team_admin
    from cohesion_desktop.db.server import ServerAddress

    address = ServerAddress.parse(address_text)
    found = team_admin.members(address)
    if not found:
        print(
            _(
                "Nobody has a role in the team database {where} yet (give one: {app} --data ADDRESS grant USER ROLE)."
            ).format(where=address.where, app=APP_ID)
        )
        return 0
    width = max(len(member.account) for member in found)
    for member in found:
        print(f"{member.account:<{width}}  {member.role.value}")
    return 0


def _backup(args: argparse.Namespace, address_text: str) -> int:
    from cohesion_desktop.db.offline_copy import take_offline_copy
    from cohesion_desktop.db.server import ServerAddress
    from cohesion_desktop.db.store import open_server_store

    address = ServerAddress.parse(address_text)
    with open_server_store(address, read_only=True) as store:
        made = take_offline_copy(store, args.out, replace=args.replace)
    # The window offers this copy when the server cannot be reached.
    team_login.note_offline_copy(address, made.path)
    print(made.said(address.where))
    return 0


COMMANDS: dict[str, TeamCommand] = {"grant": _grant, "roles": _roles, "backup": _backup}
