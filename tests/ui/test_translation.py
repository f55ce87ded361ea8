"""Qt's own texts in Welsh: translated where the catalogue has them, Qt's English where it has not (never blank)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence

from cohesion_desktop import i18n
from cohesion_desktop.ui.translation import apply_language


def test_a_qt_text_the_welsh_catalogue_lacks_keeps_its_english_instead_of_showing_blank(qtbot: QtBot) -> None:
    apply_language("cy")
    shown = QKeySequence("Ctrl+PgDown").toString(QKeySequence.SequenceFormat.NativeText)
    # "Ctrl" is in the catalogue, "PgDown" is not: the menu shows both.
    assert shown == i18n.pgettext("QShortcut", "Ctrl") + "+PgDown"
    assert QCoreApplication.translate("QShortcut", "Backspace") == "Backspace"


def test_a_qt_text_the_welsh_catalogue_has_is_shown_in_welsh(qtbot: QtBot) -> None:
    apply_language("cy")
    cancel = QCoreApplication.translate("QProgressDialog", "Cancel")
    assert cancel == i18n.pgettext("QProgressDialog", "Cancel") != "Cancel"
