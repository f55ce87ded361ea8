"""The one translation seam: which language the interface speaks, and every text in it.

gettext-style, with no Qt, so that the window, the exports and the command line speak through the same catalogue:

- ``_(text)`` translates a text; ``ngettext(singular, plural, n)`` chooses the form for a count (Welsh has six, and
  the catalogue's Plural-Forms header, written by Babel from CLDR's rules, picks one: never build a plural by hand);
  ``pgettext(context, text)`` translates a text that needs a context (Qt's own strings carry Qt's class name).
- ``N_(text)`` only marks a text defined when a module is imported (the vocabularies' labels, the sidebar) so that
  extraction finds it; it is translated with ``_()`` where it is shown, in whatever language is current then.

An export has a language of its own (English, Welsh, or both, Welsh first as the Welsh Language Standards expect),
which need not be the window's: ``with speaking(translator("cy+en")):`` makes every ``_()`` of the current thread
(and of the context it was copied into: :func:`carrying`) speak it until the block ends, while the window, in its own
thread, goes on in its language. Nothing process-wide changes, so an export in a background thread never flips the
words of the window. The exporters therefore mark their texts with the same ``_()`` as everything else; the
vocabularies' labels and formatting's month names follow too.

Catalogues live in ``resources/locale/<language>/LC_MESSAGES/cohesion.po``; a build compiles each into a ``.mo``
beside it (setup.py, build_installer.spec). A source tree or an editable install has no ``.mo``, or an older one:
the ``.po`` is then compiled in memory, so that a translation edited a moment ago is what a test sees.

One more language is spoken but never offered: :data:`PSEUDO_LANGUAGE`, every text of the template accented and 40%
longer (pseudo_language.py), in which the layout tests walk the window to find what a translation would cut short.
"""

from __future__ import annotations

import contextvars
import gettext
import io
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import ParamSpec, TypeVar

from cohesion_desktop import paths, pseudo_language

DOMAIN = "cohesion"
SOURCE_LANGUAGE = "en"
# The languages offered, each named in itself (a Welsh speaker looks for "Cymraeg", not "Welsh").
LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
# Every text accented and 40% longer, for the layout tests (see pseudo_language.py): spoken, never offered.
PSEUDO_LANGUAGE = pseudo_language.LANGUAGE

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE

# The languages an export can be written in, each named as its readers would look for it. Bilingual is Welsh first.
BILINGUAL = "cy+en"
EXPORT_LANGUAGES: dict[str, str] = {
    "en": "English",
    "cy": "Cymraeg",
    BILINGUAL: "Dwyieithog / Bilingual (Cymraeg, English)",
}
# BCP 47 tags, for a PDF's /Lang: a bilingual document is mostly read as Welsh, which comes first.
_LANGUAGE_TAGS = {"en": "en-GB", "cy": "cy-GB", BILINGUAL: "cy-GB", PSEUDO_LANGUAGE: PSEUDO_LANGUAGE}
# A bilingual text longer than this, or ending a sentence, puts its English on a line of its own: "Welsh / English"
# reads well for a heading, not for a paragraph.
_SHORT_TEXT = 60


class Translator:
    """Texts in one language, or in two (each heading and label in both, Welsh first), whatever the window speaks.

    Attributes:
        code: One of :data:`EXPORT_LANGUAGES` ("en", "cy", "cy+en").
        languages: The languages each text is given in, in order: ("cy", "en") when bilingual.
    """

    def __init__(self, code: str) -> None:
        self.code = code
        self.languages = tuple(code.split("+"))
        self._catalogues = tuple(_translations_of(language) for language in self.languages)
        # An export asks for "Yes" in every cell of a column: one language goes straight to its catalogue.
        self._single = self._catalogues[0] if len(self._catalogues) == 1 else None

    def __repr__(self) -> str:
        return f"Translator({self.code!r})"

    @property
    def tag(self) -> str:
        """The BCP 47 tag of the text's (first) language: "en-GB", "cy-GB"."""
        return _LANGUAGE_TAGS[self.code]

    def gettext(self, message: str) -> str:
        if self._single is not None:
            return self._single.gettext(message)
        return self._joined([catalogue.gettext(message) for catalogue in self._catalogues])

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self._single is not None:
            return self._single.ngettext(singular, plural, n)
        return self._joined([catalogue.ngettext(singular, plural, n) for catalogue in self._catalogues])

    def pgettext(self, context: str, message: str) -> str:
        if self._single is not None:
            return self._single.pgettext(context, message)
        return self._joined([catalogue.pgettext(context, message) for catalogue in self._catalogues])

    def first(self, message: str) -> str:
        """``message`` in the first language only, where two would not make sense (a file's name)."""
        return self._catalogues[0].gettext(message)

    def short(self, message: str, limit: int) -> str:
        """``message`` translated, in at most ``limit`` characters: a bilingual text that is longer keeps only its
        first language (an Excel sheet's name has room for 31 characters and no "/")."""
        texts = [catalogue.gettext(message) for catalogue in self._catalogues]
        joined = " - ".join(dict.fromkeys(texts))
        return joined if len(joined) <= limit else texts[0][:limit]

    @staticmethod
    def _joined(texts: list[str]) -> str:
        if len(texts) == 1 or texts[0] == texts[1]:
            return texts[0]
        long = len(texts[1]) > _SHORT_TEXT or texts[1].rstrip().endswith((".", "?", "!"))
        return ("\n" if long else " / ").join(texts)


def translator(code: str) -> Translator:
    """The translator for the export language ``code``.

    Raises:
        ValueError: ``code`` is not one of :data:`EXPORT_LANGUAGES`.
    """
    if code not in EXPORT_LANGUAGES:
        offered = ", ".join(EXPORT_LANGUAGES)
        raise ValueError(
            _("“{code}” is not a language an export can be written in: choose one of {offered}.").format(
                code=code, offered=offered
            )
        )
    return _translator(code)


@cache
def _translator(code: str) -> Translator:
    return Translator(code)


# The translator of an export under way in this thread (None: the window's language, set by set_language).
_speaking: contextvars.ContextVar[Translator | None] = contextvars.ContextVar("speaking", default=None)


@contextmanager
def speaking(language: Translator | str | None) -> Iterator[Translator]:
    """Within the block, every ``_()`` of this thread speaks ``language`` (None: the interface language).

    Only this thread's context changes, so the window, speaking in another thread, keeps its words; work handed to
    another thread takes the language along through :func:`carrying`.
    """
    chosen = translator(language) if isinstance(language, str) else language or _translator(_language)
    token = _speaking.set(chosen)
    try:
        yield chosen
    finally:
        _speaking.reset(token)  # a pool's thread runs other work next: it must not keep this language


def current() -> Translator:
    """The translator ``_()`` uses here and now: the export's under way in this thread, else the window's."""
    return _speaking.get() or _translator(_language)


def in_each_language(build: Callable[[], str]) -> str:
    """The text ``build()`` makes, made in each language of the export under way and joined as a bilingual text is.

    For a text made of translated pieces: "in recognition of {hours}", with "{hours}" itself translated ("42.5 awr")
    would otherwise give the Welsh sentence the English hours too. One language: ``build()`` as it is.
    """
    now = current()
    if len(now.languages) == 1:
        return build()
    made = []
    for code in now.languages:
        with speaking(code):
            made.append(build())
    return Translator._joined(made)


def labelled(label: str, value: str) -> str:
    """``label`` (already translated) and a ``value`` typed by users, as "label: value".

    A value that holds names is given once even in a bilingual export: "Partneriaid yn bresennol / Partners present:
    Age UK, Millbrook Council", not the sentence in each language with every name twice.
    """
    return _("{label}: {value}").format(label=label, value=value)


_Arguments = ParamSpec("_Arguments")
_Result = TypeVar("_Result")


def carrying(function: Callable[_Arguments, _Result]) -> Callable[_Arguments, _Result]:
    """``function`` to run in another thread speaking the language spoken here, now (see :func:`speaking`)."""
    context = contextvars.copy_context()

    def run(*args: _Arguments.args, **kwargs: _Arguments.kwargs) -> _Result:
        return context.copy().run(function, *args, **kwargs)

    return run


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name, which extraction looks for
    """Marks ``message`` for extraction; translate it with ``_()`` where it is shown."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802 - the marker's conventional shape, as N_
    """Marks ``message`` in ``context`` for extraction (other libraries' strings: Qt's, argparse's)."""
    return message


def _(message: str) -> str:
    """``message`` in the current language (itself when the catalogue has no translation of it)."""
    export = _speaking.get()
    return _translations.gettext(message) if export is None else export.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a text for the count ``n``: ``ngettext("{n} partner", "{n} partners", n).format(n=n)``."""
    export = _speaking.get()
    return _translations.ngettext(singular, plural, n) if export is None else export.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` translated as it reads in ``context`` (the same English word can need two Welsh ones)."""
    export = _speaking.get()
    return _translations.pgettext(context, message) if export is None else export.pgettext(context, message)


def language() -> str:
    """The code of the language the interface speaks now ("en", "cy")."""
    return _language


def set_language(code: str) -> None:
    """Speak ``code`` from now on (texts already shown keep their words until they are built again).

    Raises:
        ValueError: ``code`` is neither one of :data:`LANGUAGES` nor the :data:`PSEUDO_LANGUAGE`.
    """
    global _translations, _language
    if code not in LANGUAGES and code != PSEUDO_LANGUAGE:
        offered = ", ".join(f"{key} ({name})" for key, name in LANGUAGES.items())
        raise ValueError(
            _("“{code}” is not a language of this app: choose one of {offered}.").format(code=code, offered=offered)
        )
    _translations = gettext.NullTranslations() if code == SOURCE_LANGUAGE else _catalogue(code)
    _language = code


def _translations_of(code: str) -> gettext.NullTranslations:
    return _SOURCE if code == SOURCE_LANGUAGE else _catalogue(code)


_SOURCE = gettext.NullTranslations()


def catalogue_path(code: str, suffix: str = ".po") -> Path:
    """Where the catalogue of language ``code`` is kept (``.po``) or compiled to (``.mo``)."""
    return paths.resource_path("locale", code, "LC_MESSAGES", DOMAIN + suffix)


def template_path() -> Path:
    """The template every catalogue is made from (``.pot``: the English texts, as `make translations` extracts)."""
    return paths.resource_path("locale", DOMAIN + ".pot")


@cache
def _catalogue(code: str) -> gettext.GNUTranslations:
    if code == PSEUDO_LANGUAGE:
        return gettext.GNUTranslations(io.BytesIO(pseudo_language.compiled_catalogue(template_path())))
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
