"""A pseudo-language for looking at layouts: every text of the catalogue, accented and made about 40% wider.

Welsh, German or French run longer than English; a layout that only ever saw English cuts them short. The
pseudo-language ("en-XA", BCP 47's code for accented English) shows where, in words anyone can still read:
"Save" reads "[Šåvé ····]". Square brackets show where each text begins and ends (a text cut short loses its "]"),
accents show a text that was not marked for translation (it stays plain English), and the middle dots stretch it.

Only what a translation may change is changed: ``{placeholders}``, ``%1`` and ``%(name)s`` placeholders, HTML tags
and entities, a file dialog's patterns ``(*.xlsx)`` and the letter after a mnemonic ``&`` stay as they are (a
mnemonic keeps its letter so that Alt+S still saves). It is never offered in Settings: tests/layout walks the window
in it (``python -m tests.layout.screens --lang en-XA``).
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

# Each ASCII letter as an accented letter of about the same width, from fonts every laptop has (DejaVu, Segoe UI,
# Arial all draw Latin Extended-A and -B).
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# A middle dot, or a space, is about half as wide as a letter: two for each letter the text grows by.
_PAD = "·"
_GROWTH = 0.4
# What stays as it is: HTML tags and entities, format fields ({n}, {n:,}, {{ and }}), Qt's %1 and %L1, printf's
# %(name)s and %s, and a mnemonic & with its letter (&& is a plain ampersand).
_KEPT = re.compile(
    r"<[^<>]*>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);"
    r"|\{\{|\}\}|\{[^{}]*\}"
    r"|%L?\d+|%(?:\([^()]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]"
    r"|&&|&."
)
# A file dialog's filter: "Excel workbook (*.xlsx);;All files (*)". Qt reads the patterns at the end of each.
_FILTER = re.compile(r"^(?P<name>.*?)(?P<patterns>\s*\([^()]*\*[^()]*\))$", re.DOTALL)

LANGUAGE = "en-XA"


def stretch(text: str) -> str:
    """``text`` in the pseudo-language: accented, in brackets, at least 40% longer, its placeholders kept."""
    if ";;" in text or _FILTER.match(text):
        return ";;".join(_stretch_filter(part) for part in text.split(";;"))
    return _stretched(text)


def _stretched(text: str, unchanged: int = 0) -> str:
    """``text`` stretched by 40% of its length and of ``unchanged`` characters shown beside it."""
    pieces: list[str] = []
    visible = unchanged  # characters a reader sees, to size the padding
    first = last = None  # where, in pieces, the first and the last thing a reader sees are
    position = 0
    for kept in [*_KEPT.finditer(text), None]:
        start = len(text) if kept is None else kept.start()
        free = text[position:start]
        if free.strip():
            if first is None:
                first = len(pieces)
            last = len(pieces)
            visible += len(free.strip())
        pieces.append(free.translate(_ACCENTED))
        if kept is None:
            break
        token = kept.group()
        if not token.startswith("<"):  # a tag is never seen; a placeholder, an entity, a mnemonic's letter are
            if first is None:
                first = len(pieces)
            last = len(pieces)
            visible += 1 if token.startswith("&") else len(token)
        pieces.append(token)
        position = kept.end()
    if first is None or last is None:
        return text  # nothing to read: spaces, or markup only
    pieces[last] = _with_padding(pieces[last], math.ceil(visible * _GROWTH))
    pieces[first] = _with_bracket(pieces[first])
    return "".join(pieces)


def _with_bracket(piece: str) -> str:
    start = len(piece) - len(piece.lstrip())
    return piece[:start] + "[" + piece[start:]


def _with_padding(piece: str, letters: int) -> str:
    # In runs of five, so that a long text still wraps: one unbroken run would be a word wider than its label.
    units = max(1, 2 * letters)
    padding = "".join(" " if index % 6 == 5 else _PAD for index in range(units)).rstrip()
    end = len(piece.rstrip())
    return piece[:end] + " " + padding + "]" + piece[end:]


def _stretch_filter(part: str) -> str:
    found = _FILTER.match(part)
    if found is None:
        return _stretched(part)
    # The patterns are read too, but cannot grow: the name grows for them.
    return _stretched(found["name"], len(found["patterns"].strip())) + found["patterns"]


def compiled_catalogue(template: Path) -> bytes:
    """The ``.mo`` bytes of a catalogue that translates every text of ``template`` (the ``.pot`` that `make
    translations` writes) into the pseudo-language: exactly the texts a translator is given, no more."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with template.open("rb") as stream:
        catalogue = read_po(stream, locale="en")
    for message in catalogue:
        if not message.id:
            continue  # the header
        if isinstance(message.id, tuple | list):
            message.string = tuple(stretch(form) for form in message.id)
        else:
            message.string = stretch(message.id)
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=True)
    return out.getvalue()
