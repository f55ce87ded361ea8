"""Settings that belong to this laptop, not to a data file: recent files, window layout, column choices, the language
exports were last written in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from cohesion_desktop import i18n, paths

MAX_RECENT_FILES = 8
# One choice for every export of this laptop: whoever wrote the last one in Welsh most likely writes the next so.
EXPORT_LANGUAGE_KEY = "exports/language"


def _recent(item: Path | str) -> Path | str:
    """A team database's address stays text (as a path, "postgresql://host/db" would lose a slash); a file's path is
    made absolute, so that one file is one entry."""
    if isinstance(item, str) and paths.is_team_database(item):
        return item
    return Path(item).expanduser().resolve()


class AppSettings:
    """A thin, typed layer over an INI file in the app's config folder."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file or paths.config_dir() / "settings.ini"
        self._settings = QSettings(str(self.file), QSettings.Format.IniFormat)

    def recent_files(self) -> list[Path | str]:
        """Data files (paths) and team databases (their addresses, never with a password), the last opened first."""
        stored = self._settings.value("recent_files", [])
        if isinstance(stored, str):  # QSettings returns a bare string for a one-item list
            stored = [stored]
        return [_recent(item) for item in stored if item] if isinstance(stored, list) else []

    def add_recent_file(self, path: Path | str) -> None:
        """``path``: a data file, or a team database's address as ``str(ServerAddress)`` gives it (no password)."""
        resolved = _recent(path)
        recent = [p for p in self.recent_files() if p != resolved]
        self._settings.setValue("recent_files", [str(p) for p in [resolved, *recent][:MAX_RECENT_FILES]])
        self._settings.sync()

    def remove_recent_file(self, path: Path | str) -> None:
        resolved = _recent(path)
        self._settings.setValue("recent_files", [str(p) for p in self.recent_files() if p != resolved])
        self._settings.sync()

    def export_language(self) -> str:
        """The language the last export was written in, one of :data:`i18n.EXPORT_LANGUAGES`; before any (or if
        the file holds something else), the interface's language."""
        stored = self._settings.value(EXPORT_LANGUAGE_KEY)
        return stored if isinstance(stored, str) and stored in i18n.EXPORT_LANGUAGES else i18n.language()

    def set_export_language(self, code: str) -> None:
        self.set_value(EXPORT_LANGUAGE_KEY, code)

    def value(self, key: str, default: Any = None) -> Any:
        return self._settings.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._settings.setValue(key, value)
        self._settings.sync()
