"""The one translation seam: which language the interface speaks, and every text in it.

gettext-style, with no Qt, so that the window, the exports and the command line speak through the same catalogue:

- ``_(text)`` translates a text; ``ngettext(singular, plural, n)`` chooses the form for a count (Welsh has six, and
  the catalogue's Plural-Forms header, written by Babel from CLDR's rules, picks one: never build a plural by hand);
  ``pgettext(context, text)`` translates a text that needs a context (Qt's own strings carry Qt's class name).
- ``N_(text)`` only marks a text defined when a module is imported (the vocabularies' labels, the sidebar) so that
  extraction finds it; it is translated with ``_()`` where it is shown, in whatever language is current then.

Catalogues live in ``resources/locale/<language>/LC_MESSAGES/cohesion.po``; a build compiles each into a ``.mo``
beside it (setup.py, build_installer.spec). A source tree or an editable install has no ``.mo``, or an older one:
the ``.po`` is then compiled in memory, so that a translation edited a moment ago is what a test sees.
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from cohesion_desktop import paths

DOMAIN = "cohesion"
SOURCE_LANGUAGE = "en"
# The languages offered, each named in itself (a Welsh speaker looks for "Cymraeg", not "Welsh").
LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name, which extraction looks for
    """Marks ``message`` for extraction; translate it with ``_()`` where it is shown."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802 - the marker's conventional shape, as N_
    """Marks ``message`` in ``context`` for extraction (other libraries' strings: Qt's, argparse's)."""
    return message


def _(message: str) -> str:
    """``message`` in the current language (itself when the catalogue has no translation of it)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a text for the count ``n``: ``ngettext("{n} partner", "{n} partners", n).format(n=n)``."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` translated as it reads in ``context`` (the same English word can need two Welsh ones)."""
    return _translations.pgettext(context, message)


def language() -> str:
    """The code of the language the interface speaks now ("en", "cy")."""
    return _language


def set_language(code: str) -> None:
    """Speak ``code`` from now on (texts already shown keep their words until they are built again).

    Raises:
        ValueError: ``code`` is not one of :data:`LANGUAGES`.
    """
    global _translations, _language
    if code not in LANGUAGES:
        offered = ", ".join(f"{key} ({name})" for key, name in LANGUAGES.items())
        raise ValueError(
            _("“{code}” is not a language of this app: choose one of {offered}.").format(code=code, offered=offered)
        )
    _translations = gettext.NullTranslations() if code == SOURCE_LANGUAGE else _catalogue(code)
    _language = code


def catalogue_path(code: str, suffix: str = ".po") -> Path:
    """Where the catalogue of language ``code`` is kept (``.po``) or compiled to (``.mo``)."""
    return paths.resource_path("locale", code, "LC_MESSAGES", DOMAIN + suffix)


@cache
def _catalogue(code: str) -> gettext.GNUTranslations:
    compiled = catalogue_path(code, ".mo")
    source = catalogue_path(code, ".po")
    if compiled.is_file() and (not source.is_file() or compiled.stat().st_mtime >= source.stat().st_mtime):
        with compiled.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    return gettext.GNUTranslations(io.BytesIO(compile_catalogue(source)))


def compile_catalogue(source: Path) -> bytes:
    """The ``.mo`` bytes of the catalogue ``source`` (fuzzy entries are left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with source.open("rb") as stream:
        catalogue = read_po(stream, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


def compile_catalogues(target_root: Path) -> list[Path]:
    """Every catalogue compiled into ``target_root/<language>/LC_MESSAGES/cohesion.mo`` (for a build)."""
    made = []
    for code in LANGUAGES:
        source = catalogue_path(code)
        if not source.is_file():
            continue
        target = target_root / code / "LC_MESSAGES" / (DOMAIN + ".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(compile_catalogue(source))
        made.append(target)
    return made


def match_language(wanted: Iterable[str]) -> str | None:
    """The first of ``wanted`` (locale names in order of preference: "cy_GB.UTF-8", "cy-GB", "en") that this
    app speaks, or None."""
    for name in wanted:
        code = name.replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return None


def system_language() -> str:
    """The language the environment asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them), or
    English. The window asks Qt instead, which knows Windows' and macOS's settings too."""
    wanted: list[str] = []
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            wanted.extend(value.split(":"))
            break
    return match_language(wanted) or SOURCE_LANGUAGE
