"""Folding text for search and for spotting names that differ only in case, accents or spacing."""

from __future__ import annotations

import re
import unicodedata

# Letters that carry their mark in the glyph itself, so Unicode decomposition leaves them alone.
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "ı": "i"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: 'Siân  Ŵyn' and 'sian wyn' fold alike."""
    if text.isascii():  # most text: nothing to decompose, and casefold() is lower() (half the time of the rest)
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def search_terms(query: str) -> list[str]:
    """The folded words of a search box; every one of them must match."""
    return [term for term in fold(query).split(" ") if term]


def narrows(earlier: str, later: str) -> bool:
    """True when every match of ``later`` is a match of ``earlier`` (as typing on does): each earlier word
    is inside a later one. Searching the earlier matches then gives the same answer, faster."""
    later_terms = search_terms(later)
    return all(any(term in word for word in later_terms) for term in search_terms(earlier))


def like_pattern(term: str) -> str:
    """A LIKE pattern that matches ``term`` anywhere, with LIKE's wildcards taken literally (escape '\\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def split_list(text: str) -> list[str]:
    """'first aid, Cooking ;driving' → ['first aid', 'Cooking', 'driving'] (commas or semicolons)."""
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]
