"""Where files live.

Everything follows platformdirs, with two overrides read from the environment:
``COHESION_HOME`` moves data, backups and logs under one folder (a portable install, and the tests),
``COHESION_DATA`` names the data file itself (as ``--data`` does on the command line).
Nothing here creates a directory: :func:`ensure_app_dirs` does, and only ``main()`` calls it.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import platformdirs

from cohesion_desktop import APP_NAME
from cohesion_desktop.files import make_owner_only_folder

DATA_FILE_NAME = "cohesion.sqlite"


def _home_override() -> Path | None:
    value = os.environ.get("COHESION_HOME", "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The folder that holds the default data file."""
    home = _home_override()
    if home:
        return home / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def backup_dir() -> Path:
    """The folder of automatic backups (one sub-folder per data file)."""
    home = _home_override()
    if home:
        return home / "backups"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "backups"


def log_dir() -> Path:
    """The folder of the log file that holds the details users never see."""
    home = _home_override()
    if home:
        return home / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The folder of settings that belong to the laptop, not to a data file (recent files)."""
    home = _home_override()
    if home:
        return home / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


# The schemes of a team database's address (team mode): ``postgresql://user@host:5432/database``.
TEAM_DATABASE_SCHEMES = ("postgresql", "postgres")


def is_team_database(target: object) -> bool:
    """Whether ``target`` (a ``--data`` or ``COHESION_DATA`` value) is a team database's address, not a data file."""
    if not isinstance(target, str) or "://" not in target:
        return False
    scheme = target.split("://", 1)[0].split("+", 1)[0].strip().lower()
    return scheme in TEAM_DATABASE_SCHEMES


def default_data_file() -> Path:
    """The data file used when neither ``--data`` nor ``COHESION_DATA`` names one."""
    named = os.environ.get("COHESION_DATA", "").strip()
    if named:
        return Path(named).expanduser()
    return data_dir() / DATA_FILE_NAME


def backups_for(data_file: Path) -> Path:
    """The backup folder of one data file: its name plus a short hash of its full path.

    The hash keeps two files that share a name (say, two ``cohesion.sqlite`` in different folders)
    from rotating each other's backups away.
    """
    resolved = str(Path(data_file).expanduser().resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]
    return backup_dir() / f"{Path(data_file).stem}-{digest}"


def ensure_app_dirs() -> dict[Path, OSError]:
    """Create the app's own folders (not the folder of a data file the user named), owner-only on POSIX:
    they hold personal data. Folders made by an older version are tightened too.

    Returns the folders that could not be made, with why: a read-only profile or a full disk must stop only
    what needs the folder (a log goes nowhere, a backup says why it failed), not the whole app.
    """
    failed: dict[Path, OSError] = {}
    for folder in (data_dir(), backup_dir(), log_dir(), config_dir()):
        try:
            make_owner_only_folder(folder)
        except OSError as exc:
            failed[folder] = exc
    return failed


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``, from a frozen bundle, an installed wheel or the source tree."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root, "resources", *parts)
    package_dir = Path(__file__).resolve().parent
    # Installed, resources/ sits inside the package (setup.py maps it there). The package's own copy comes first:
    # beside an installed package, "../resources" would be site-packages/resources, which any other
    # distribution may have put there.
    installed = package_dir / "resources"
    root = installed if installed.is_dir() else package_dir.parent / "resources"
    return root.joinpath(*parts)
