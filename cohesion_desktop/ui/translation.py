"""The window's side of the translation seam: which language it starts in, and Qt's own strings in that language.

Qt ships no Welsh translation of its own strings (the standard buttons, the file dialog, the text fields' context
menu). Rather than a second toolchain (a .ts file, pyside6-lrelease at build time, a binary .qm in the wheel and the
bundle), a QTranslator answers Qt from our one gettext catalogue, where Qt's strings carry Qt's class as their
context (``msgctxt "QPlatformTheme"``): the catalogue's completeness test covers them, and `make translations`
keeps them with every other text. The strings are listed in QT_STRINGS, so that extraction finds them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from cohesion_desktop import i18n
from cohesion_desktop.i18n import NP_

# Where the language chosen in Settings is kept (this laptop's settings file: it is the person's, not the data's).
LANGUAGE_KEY = "language"

# Qt's own strings that a user of this app sees, under the contexts Qt looks them up in (Qt 6's sources).
QT_STRINGS = (
    NP_("QPlatformTheme", "OK"),
    NP_("QPlatformTheme", "Save"),
    NP_("QPlatformTheme", "Save All"),
    NP_("QPlatformTheme", "Open"),
    NP_("QPlatformTheme", "&Yes"),
    NP_("QPlatformTheme", "Yes to &All"),
    NP_("QPlatformTheme", "&No"),
    NP_("QPlatformTheme", "N&o to All"),
    NP_("QPlatformTheme", "Abort"),
    NP_("QPlatformTheme", "Retry"),
    NP_("QPlatformTheme", "Ignore"),
    NP_("QPlatformTheme", "Close"),
    NP_("QPlatformTheme", "Cancel"),
    NP_("QPlatformTheme", "Discard"),
    NP_("QPlatformTheme", "Help"),
    NP_("QPlatformTheme", "Apply"),
    NP_("QPlatformTheme", "Reset"),
    NP_("QPlatformTheme", "Restore Defaults"),
    NP_("QPlatformTheme", "Don't Save"),
    NP_("QPlatformTheme", "Close without Saving"),
    NP_("QMessageBox", "Show Details..."),
    NP_("QMessageBox", "Hide Details..."),
    NP_("QLineEdit", "&Undo"),
    NP_("QLineEdit", "&Redo"),
    NP_("QLineEdit", "Cu&t"),
    NP_("QLineEdit", "&Copy"),
    NP_("QLineEdit", "&Paste"),
    NP_("QLineEdit", "Delete"),
    NP_("QLineEdit", "Select All"),
    NP_("QWidgetTextControl", "&Undo"),
    NP_("QWidgetTextControl", "&Redo"),
    NP_("QWidgetTextControl", "Cu&t"),
    NP_("QWidgetTextControl", "&Copy"),
    NP_("QWidgetTextControl", "&Paste"),
    NP_("QWidgetTextControl", "Delete"),
    NP_("QWidgetTextControl", "Select All"),
    NP_("QWidgetTextControl", "Copy &Link Location"),
    NP_("QFileDialog", "Look in:"),
    NP_("QFileDialog", "File &name:"),
    NP_("QFileDialog", "Files of type:"),
    NP_("QFileDialog", "&Open"),
    NP_("QFileDialog", "&Save"),
    NP_("QFileDialog", "&Choose"),
    NP_("QFileDialog", "Back"),
    NP_("QFileDialog", "Forward"),
    NP_("QFileDialog", "Parent Directory"),
    NP_("QFileDialog", "Create New Folder"),
    NP_("QFileDialog", "List View"),
    NP_("QFileDialog", "Detail View"),
    NP_("QFileDialog", "New Folder"),
    NP_("QFileDialog", "&Delete"),
    NP_("QFileDialog", "&Rename"),
    NP_("QFileDialog", "Show &hidden files"),
    NP_("QFileDialog", "All Files (*)"),
    NP_("QFileDialog", "My Computer"),
    NP_("QFileDialog", "Computer"),
    NP_("QFileSystemModel", "Name"),
    NP_("QFileSystemModel", "Size"),
    NP_("QFileSystemModel", "Type"),
    NP_("QFileSystemModel", "Date Modified"),
    NP_("QProgressDialog", "Cancel"),
    NP_("QShortcut", "Ctrl"),
    NP_("QShortcut", "Shift"),
    NP_("QShortcut", "Alt"),
    NP_("QShortcut", "Del"),
)


class CatalogueTranslator(QTranslator):
    """Qt's ``tr()`` answered from the gettext catalogue of the current language.

    A text the catalogue has no translation of is answered with ``None`` (a *null* QString), which tells Qt to keep
    its English. An empty string would not: Qt takes an empty but non-null answer as the translation, so every
    Qt text missing from the catalogue showed blank (a menu's shortcut "Ctrl+PgDown" read as nothing)."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002 - Qt's signature
        if not context or not source_text:
            return None
        translated = i18n.pgettext(context, source_text)
        return None if translated == source_text else translated

    def isEmpty(self) -> bool:  # noqa: N802 (Qt override)
        return False


_installed: CatalogueTranslator | None = None


def apply_language(code: str) -> None:
    """Speak ``code`` from now on, in our texts and Qt's; widgets built afterwards read in it."""
    global _installed
    i18n.set_language(code)
    # Month and day names in Qt's own widgets (the calendar pop-up) from CLDR, and UK conventions for numbers,
    # whatever the system locale is (a C locale showed "1 12 2026").
    QLocale.setDefault(QLocale("cy_GB" if code == "cy" else "en_GB"))
    application = QCoreApplication.instance()
    if application is None:
        return
    if _installed is None:
        _installed = CatalogueTranslator(application)
    # Installed again so that Qt sends its LanguageChange event to the widgets that listen for it.
    QCoreApplication.removeTranslator(_installed)
    if code != i18n.SOURCE_LANGUAGE:
        QCoreApplication.installTranslator(_installed)


def starting_language(stored: object, chosen_on_command_line: str | None) -> str:
    """The language to start in: ``--lang``, else the one chosen in Settings, else the system's (first start)."""
    if chosen_on_command_line:
        return chosen_on_command_line
    if isinstance(stored, str) and stored in i18n.LANGUAGES:
        return stored
    return i18n.match_language(languages_of_the_system()) or i18n.SOURCE_LANGUAGE


def languages_of_the_system() -> Sequence[str]:
    """The user's languages in order of preference, as Windows, macOS or the desktop says them."""
    return QLocale.system().uiLanguages()
