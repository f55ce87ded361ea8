"""What this laptop remembers about the team databases it connects to: passwords in the operating system's keyring
(never in settings, the recent-files list or the log), and where the last offline copy of each was written.

Both are keyed by the address without its password (``str(ServerAddress)``), which is also how the recent-files
list and the change history name a team database.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from cohesion_desktop import APP_ID, paths
from cohesion_desktop.db.server import ServerAddress

log = logging.getLogger(__name__)

# The keyring's "service": one entry per address (the username is the address, which already names the account).
KEYRING_SERVICE = APP_ID
OFFLINE_COPIES_FILE = "offline-copies.json"


class NoKeyring(Exception):
    """This computer has no usable keyring (no Secret Service, Keychain or Credential Manager): nothing is kept."""


def _keyring() -> Any:
    """The keyring module when a real backend is there; :class:`NoKeyring` otherwise (imported late: it looks
    for backends when first imported, which takes time the window need not spend before it is asked)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError as exc:
        raise NoKeyring from exc
    if isinstance(keyring.get_keyring(), fail.Keyring):
        raise NoKeyring
    return keyring


def keyring_available() -> bool:
    try:
        _keyring()
    except NoKeyring:
        return False
    return True


def with_password(address: ServerAddress, password: str) -> ServerAddress:
    return ServerAddress(address.url.set(password=password or None))


def remember_password(address: ServerAddress, password: str) -> None:
    """Keep ``password`` for ``address`` in the keyring; :class:`NoKeyring` when there is none."""
    keyring = _keyring()
    try:
        keyring.set_password(KEYRING_SERVICE, str(address), password)
    except Exception as exc:  # noqa: BLE001 - a locked or refusing keyring (KeyringError): said as "no keyring"
        log.warning("the keyring refused the password (%s)", type(exc).__name__)
        raise NoKeyring from exc


def forget_password(address: ServerAddress) -> None:
    try:
        keyring = _keyring()
        keyring.delete_password(KEYRING_SERVICE, str(address))
    except NoKeyring:
        return
    except Exception as exc:  # noqa: BLE001 - nothing kept is nothing to forget (PasswordDeleteError and kin)
        log.info("no password to forget (%s)", type(exc).__name__)


def with_remembered_password(address: ServerAddress) -> ServerAddress:
    """``address`` with the password the keyring keeps for it, when it names none itself (else as it is)."""
    if address.url.password:
        return address
    try:
        keyring = _keyring()
        password = keyring.get_password(KEYRING_SERVICE, str(address))
    except NoKeyring:
        return address
    except Exception as exc:  # noqa: BLE001 - a broken keyring must not stop the connection: libpq asks its own way
        log.warning("could not read the keyring (%s)", type(exc).__name__)
        return address
    return with_password(address, password) if password else address


# ---------------------------------------------------------------------------- offline copies


def _offline_copies_file() -> Path:
    return paths.config_dir() / OFFLINE_COPIES_FILE


def _offline_copies() -> dict[str, str]:
    try:
        stored = json.loads(_offline_copies_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(key): str(value) for key, value in stored.items()} if isinstance(stored, dict) else {}


def note_offline_copy(address: ServerAddress, copy: Path) -> None:
    """Remember that the last offline copy of ``address`` was written to ``copy`` (``backup --out``)."""
    stored = _offline_copies()
    stored[str(address)] = str(copy.expanduser().resolve())
    target = _offline_copies_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(stored, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:  # the copy is made; only its remembering failed
        log.warning("could not remember where the offline copy is (%s)", type(exc).__name__)


def last_offline_copy(address: ServerAddress) -> Path | None:
    """Where the last offline copy of ``address`` was written, if that file is still there."""
    named = _offline_copies().get(str(address))
    return Path(named) if named and Path(named).is_file() else None
