"""A team database's address: TLS is required for any server that is not this computer (team mode, issue 17):
the connection carries volunteers' personal data. Checked on the address alone; no server is needed."""

from __future__ import annotations

import pytest

from cohesion_desktop.db.server import ServerAddress
from cohesion_desktop.errors import TeamDatabaseError


def sslmode(address: str) -> str | None:
    mode = ServerAddress.parse(address).url.query.get("sslmode")
    return mode if mode is None or isinstance(mode, str) else mode[0]


@pytest.mark.parametrize(
    "address",
    [
        "postgresql://sam@db.harrowfield.gov.uk/team",
        "postgresql://sam@10.0.4.7:5433/team",
        "postgresql://sam@[2001:db8::7]/team",
        "postgresql://sam@db.example.org/team?sslmode=prefer",  # would fall back to no TLS
        "postgresql://sam@db.example.org/team?sslmode=allow",
    ],
)
def test_a_server_on_another_computer_is_reached_with_tls_required(address: str) -> None:
    assert sslmode(address) == "require"


@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_a_stronger_mode_the_address_names_is_kept(mode: str) -> None:
    assert sslmode(f"postgresql://sam@db.example.org/team?sslmode={mode}") == mode


@pytest.mark.parametrize(
    "address",
    [
        "postgresql://sam@localhost/team",
        "postgresql://sam@127.0.0.1:5432/team",
        "postgresql://sam@[::1]/team",
        "postgresql:///team",  # libpq's Unix socket
        "postgresql://sam@/team?host=/var/run/postgresql",
    ],
)
def test_this_computers_server_is_reached_as_the_address_says(address: str) -> None:
    assert sslmode(address) is None


def test_tls_turned_off_for_another_computer_is_refused_in_words() -> None:
    with pytest.raises(TeamDatabaseError, match="db.example.org is another computer: its connection must be encrypted"):
        ServerAddress.parse("postgresql://sam:pw@db.example.org/team?sslmode=disable")
    assert sslmode("postgresql://sam@localhost/team?sslmode=disable") == "disable"  # this computer: as written


def test_the_address_shown_says_tls_and_never_the_password() -> None:
    shown = str(ServerAddress.parse("postgresql://sam:secret-pw@db.example.org/team"))
    assert "secret-pw" not in shown and "sslmode=require" in shown


def test_the_address_kept_is_the_same_with_or_without_a_password() -> None:
    # The recent files, the keyring's entry and the history name a team database by it: not even "***" in it.
    typed = ServerAddress.parse("postgresql://sam:secret-pw@db.example.org:5433/team")
    assert str(typed) == str(ServerAddress.parse("postgresql://sam@db.example.org:5433/team"))
    assert str(typed) == "postgresql://sam@db.example.org:5433/team?sslmode=require"
