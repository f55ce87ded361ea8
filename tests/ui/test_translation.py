"""Qt's own strings in Welsh: from the catalogue where it has them, in Qt's English where it has not (never blank)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from cohesion_desktop.ui.translation import apply_language


def test_qts_strings_read_in_welsh_or_keep_their_english(qapp: QApplication) -> None:
    apply_language("cy")
    assert QCoreApplication.translate("QFileDialog", "&Open") == "&Agor"
    # Not in the catalogue: Qt's English, not an empty string (a blank button, a "%1" with nothing to fill).
    assert QCoreApplication.translate("QFileDialog", "Show &hidden files and more") == "Show &hidden files and more"
    assert QCoreApplication.translate("QFileSystemModel", "%1 KB").replace("%1", "11") == "11 KB"
