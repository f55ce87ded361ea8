"""This laptop's settings that are more than a stored value."""

from __future__ import annotations

from pathlib import Path

from cohesion_desktop import i18n
from cohesion_desktop.ui.app_settings import EXPORT_LANGUAGE_KEY, AppSettings


def test_exports_are_offered_in_the_language_last_chosen_else_the_window_s(tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    assert settings.export_language() == i18n.language() == "en"  # nothing chosen yet
    settings.set_export_language("cy+en")
    assert AppSettings(settings.file).export_language() == "cy+en"  # read back from the file, as after a restart
    settings.set_value(EXPORT_LANGUAGE_KEY, "fr")  # a file edited by hand: not a language exports are written in
    assert settings.export_language() == "en"
