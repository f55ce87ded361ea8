"""Qt's own texts in Welsh (and in the pseudo-language of the layout tests): translated where the catalogue has them,
Qt's English where it has not (never blank)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QKeySequence

from cohesion_desktop import i18n
from cohesion_desktop.pseudo_language import stretch
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


def test_qt_speaks_the_pseudo_language_in_the_texts_of_the_catalogue_and_keeps_its_english_elsewhere(
    qtbot: QtBot,
) -> None:
    apply_language(i18n.PSEUDO_LANGUAGE)
    assert QCoreApplication.translate("QProgressDialog", "Cancel") == stretch("Cancel")
    # Not in the catalogue: Qt is answered with nothing (None), and keeps its English, never a blank.
    assert QCoreApplication.translate("QShortcut", "Backspace") == "Backspace"


def test_the_pseudo_language_is_two_fifths_wider_on_screen_too(qtbot: QtBot) -> None:
    """Longer in characters is not enough: its padding is narrow dots, so measure it in the layout tests' font."""
    font_id = QFontDatabase.addApplicationFont(str(Path(__file__).parents[1] / "data" / "fonts" / "DejaVuSans.ttf"))
    metrics = QFontMetrics(QFont(QFontDatabase.applicationFontFamilies(font_id)[0], 10))
    with i18n.template_path().open("rb") as stream:
        texts = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(stream) if m.id]
    narrow = [
        (english, round(metrics.horizontalAdvance(stretch(english)) / metrics.horizontalAdvance(english), 2))
        for english in texts
        if "<" not in english
        and ";;" not in english
        and metrics.horizontalAdvance(stretch(english)) < 1.4 * metrics.horizontalAdvance(english)
    ]
    assert not narrow, narrow[:10]
