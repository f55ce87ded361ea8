"""Safe, multi-script text for every PDF the app writes (certificates, the workshop matrix, funder reports).

reportlab draws glyphs left to right, one font at a time; it neither joins Arabic letters nor applies the
Unicode bidirectional algorithm. So every piece of user text goes through the same steps here:

1. a character that no bundled font has (an emoji, a rare script) never prints as a silent blank. Outside a
   PDF being written, text with one is refused at once (:class:`UnprintableTextError`, saying which text and
   which characters). While :func:`cohesion_desktop.export.files.write_pdf` writes one, each such character is
   drawn as :data:`REPLACEMENT` and the text noted (:func:`noting_unprintable`); the PDF is then kept only if
   the person agreed beforehand (:func:`replacing_unprintable`), else refused naming every such text, so that
   the window can ask "write it anyway?" once for the whole document;
2. arabic-reshaper turns Arabic and Urdu letters into their joined (presentation) forms;
3. python-bidi puts each line into visual, left-to-right order;
4. the line is cut into runs, each drawn in the first bundled font that has its glyphs (``_FONTS``: Latin,
   Greek and Cyrillic in Noto Sans, Arabic and Urdu in Noto Naskh Arabic, one Noto Sans per Indic script,
   Thai, Ethiopic and Hebrew, Chinese, Japanese and Korean in WenQuanYi Micro Hei);
5. runs in a font that needs shaping (Indic scripts and Thai: conjuncts, vowel signs drawn before their
   consonant, stacked marks) are shaped by HarfBuzz through reportlab (``uharfbuzz``); the others are
   drawn character by character as before (Arabic is already shaped by step 2, and HarfBuzz would read
   its visual order backwards);
6. for a Paragraph, the runs become ``<font>`` markup around the *escaped* text, so that whatever a user
   typed (``<b>``, ``&``, ``<img src=...>``) prints literally and is never interpreted.

Shaped text in a Paragraph: reportlab shapes a whole word with the first font of the word, so a word that
mixes fonts ("(অমিত)", the brackets in Noto Sans) came out as empty boxes. :func:`register_fonts` replaces
the word-shaping function reportlab's paragraphs call by :func:`_shape_word`, which shapes each font's part
of a word on its own and leaves the unshaped fonts alone. Only paragraphs that hold shaped text turn
shaping on (:func:`paragraph`, :func:`markup_paragraph`), so Latin-only documents pay nothing for it.
Text copied out of a PDF: shaped Indic text reads back with its conjuncts and reordered vowel signs as
private-use or missing characters (reportlab maps each glyph to one character); every other script reads
back as typed.

Right-to-left text that wraps: reportlab breaks lines over the characters it is given, so a paragraph
already in visual order would wrap with the end of an Arabic sentence on its first line.
:func:`paragraph` therefore breaks right-to-left text into lines itself, measuring the logical text at the
width reportlab offers, and orders each line on its own. :func:`markup` cannot know the width: use it
for right-to-left text only where it stays on one line (a name, a short label), else use :func:`paragraph`.
Limits: a single word wider than the line is cut by reportlab in visual order; brackets follow the older
bidi rules (no bracket pairs, UBA 6.3), so "(text) 3" mixing scripts can place a bracket oddly.

Every function registers Noto Sans on first use, and any other font when text first needs it (reading the
CJK font takes half a second); :func:`register_fonts` is public for writers that set fonts on a canvas
themselves, :func:`register_all_fonts` for the self-test. Make canvases and doc templates with
``initialFontName=FONT_REGULAR`` (both take it), or reportlab names Helvetica, a font it does not embed, on
every page.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import algorithm as bidi_algorithm
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapedFragWord, TTFont, makeShapedFragWord, shapeFragWord, shapeStr
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
from reportlab.platypus import paragraph as reportlab_paragraph

from cohesion_desktop import APP_NAME
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.paths import resource_path

FONT_REGULAR = "NotoSans"
FONT_BOLD = "NotoSans-Bold"
FONT_ARABIC = "NotoNaskhArabic"
FONT_CJK = "WenQuanYiMicroHei"

# The language of a PDF when its writer names none (a BCP 47 tag, as PDF's /Lang wants).
DOCUMENT_LANGUAGE = "en-GB"

# The house colours, so that every PDF looks alike.
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1F5C6B")


@dataclass(frozen=True)
class _BundledFont:
    """A font file in ``resources/fonts`` (see its README for sources and licences)."""

    name: str
    file_name: str
    shaped: bool = False  # drawn through HarfBuzz: the script needs reordering, conjuncts or mark stacking
    subfont: int = 0  # the face within a TrueType collection (.ttc)


# In order of preference: a character that several fonts have (digits, punctuation, spaces) is drawn in the
# first. The bold face is not in the list: it replaces Noto Sans in bold text.
_FONTS = (
    _BundledFont(FONT_REGULAR, "NotoSans-Regular.ttf"),
    _BundledFont(FONT_ARABIC, "NotoNaskhArabic-Regular.ttf"),
    _BundledFont("NotoSansBengali", "NotoSansBengali-Regular.ttf", shaped=True),
    _BundledFont("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", shaped=True),
    _BundledFont("NotoSansGurmukhi", "NotoSansGurmukhi-Regular.ttf", shaped=True),
    _BundledFont("NotoSansGujarati", "NotoSansGujarati-Regular.ttf", shaped=True),
    _BundledFont("NotoSansTamil", "NotoSansTamil-Regular.ttf", shaped=True),
    _BundledFont("NotoSansThai", "NotoSansThai-Regular.ttf", shaped=True),
    _BundledFont("NotoSansEthiopic", "NotoSansEthiopic-Regular.ttf"),
    _BundledFont("NotoSansHebrew", "NotoSansHebrew-Regular.ttf"),
    _BundledFont(FONT_CJK, "wqy-microhei.ttc"),  # Han, kana and all 11,172 Hangul syllables in one file
)
_BOLD_FONT = _BundledFont(FONT_BOLD, "NotoSans-Bold.ttf")
_PREFERENCE = tuple(font.name for font in _FONTS)
_SHAPED = frozenset(font.name for font in _FONTS if font.shaped)
# Zero-width joiner and non-joiner choose between conjunct and half forms in Indic scripts: kept in shaped
# runs (HarfBuzz uses them and draws nothing), dropped elsewhere with the other invisible characters.
_JOINERS = frozenset("\u200c\u200d")
_SHAPED_FONT_TAG = re.compile(r'<font name="(?:{})">'.format("|".join(sorted(_SHAPED))))
_NEUTRAL_CLASSES = frozenset({"WS", "ON", "CS", "ES", "ET", "S", "B"})
_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
# Arabic blocks and presentation forms: always the Arabic font, so a word never mixes two designs.
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
# Keep harakat (vowel marks). Reversed, each comes just before its letter, which is where Noto Naskh's
# zero-width marks must be drawn to sit on it (shift_harakat_position would move them a letter too far).
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})
# reportlab must fit our own right-to-left lines without breaking them again: measure with a little room.
_LINE_SLACK = 1.0

_cmaps: dict[str, Container[int]] = {}  # the fonts registered so far, by name
# Which font draws each character met so far: every character of every text is looked up (twice), and a
# document has few different ones.
_coverage: dict[str, str | None] = {}
_register_lock = threading.Lock()  # exports run in worker threads


def register_fonts() -> None:
    """Register Noto Sans and Noto Sans Bold with reportlab, which every PDF uses (once; later calls return at
    once), and a family for them, so that ``<b>`` gives Noto Sans Bold. Also puts :func:`_shape_word` in
    reportlab's paragraphs (see the module docstring).

    The other fonts are registered when text first needs them (the Chinese, Japanese and Korean one takes
    half a second to read), each with a family of its own that maps bold to regular.

    Raises:
        CohesionError: a font file is missing or damaged, or HarfBuzz is missing (a broken installation).
    """
    if FONT_BOLD in _cmaps:
        return
    with _register_lock:
        if FONT_BOLD in _cmaps:
            return
        if ttfonts.uharfbuzz is None:
            # reportlab imports HarfBuzz only if it can, and would then leave Indic and Thai text unshaped.
            raise CohesionError(
                "The text shaper (uharfbuzz) that PDFs need to print Indic and Thai scripts is missing. "
                "Reinstalling Cohesion Desktop should bring it back."
            )
        _load(_FONTS[0])
        _load(_BOLD_FONT)
        # reportlab refuses <b> or <i> in a family that does not map them, so map all four in every family.
        pdfmetrics.registerFontFamily(
            FONT_REGULAR, normal=FONT_REGULAR, bold=FONT_BOLD, italic=FONT_REGULAR, boldItalic=FONT_BOLD
        )
        # Paragraphs look the function up at each line break, so replacing the module's name is enough.
        reportlab_paragraph.shapeFragWord = _shape_word


def register_all_fonts() -> None:
    """Register every bundled font now: the self-test's proof that none is missing or damaged.

    Raises:
        CohesionError: as :func:`register_fonts`.
    """
    register_fonts()
    for bundled in _FONTS:
        _cmap(bundled.name)


def _cmap(name: str) -> Container[int]:
    """The characters font ``name`` draws, registering it first if no text has needed it yet."""
    found = _cmaps.get(name)
    if found is None:
        with _register_lock:
            found = _cmaps.get(name)
            if found is None:
                found = _load(next(bundled for bundled in _FONTS if bundled.name == name))
                # reportlab refuses <b> or <i> in a family that does not map them: bold stays regular here.
                pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return found


def _load(bundled: _BundledFont) -> Container[int]:
    path = resource_path("fonts", bundled.file_name)
    try:
        # reportlab's paragraphs shape only when the style's font is "shapable"; which runs are shaped is
        # decided here (_SHAPED), so every font says yes.
        font = TTFont(bundled.name, str(path), subfontIndex=bundled.subfont)
    except Exception as exc:  # reportlab raises TTFError, OSError or struct errors for a bad file
        raise CohesionError(
            f"The font {bundled.file_name} that PDFs need is missing or damaged ({path}). "
            "Reinstalling Cohesion Desktop should bring it back."
        ) from exc
    pdfmetrics.registerFont(font)
    cmap: Container[int] = font.face.charToGlyph
    _cmaps[bundled.name] = cmap
    return cmap


def markup(text: str, *, bold: bool = False) -> str:
    """User text as reportlab Paragraph markup: escaped, one ``<font>`` per script, newlines as ``<br/>``.

    Arabic and Urdu are joined and put in visual order line by line. Each line is ordered on its own, in
    the direction of its first letter (as HTML's ``dir="auto"``), whatever markup it is later placed in.
    Right-to-left text long enough to wrap needs :func:`paragraph` (see the module docstring).

    Args:
        text: what the user typed; any markup in it is shown literally.
        bold: Latin runs in Noto Sans Bold.

    Returns:
        Markup ready for ``Paragraph`` (or to be placed inside larger markup of our own); a Paragraph of it
        needs shaping turned on when it holds Indic or Thai text: make it with :func:`markup_paragraph`.

    Raises:
        UnprintableTextError: ``text`` has a character that no bundled font can draw.
    """
    register_fonts()
    text = check_printable(text)
    return "<br/>".join(_line_markup(_visual(line), bold) for line in _lines(text))


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of user text in ``style``; right-to-left text wraps in reading order.

    Latin runs are bold when the style's font is ``FONT_BOLD``. A right-to-left paragraph in a left-aligned
    or justified style is aligned right instead, as its readers expect.
    """
    register_fonts()
    bold = style.fontName == FONT_BOLD
    text = check_printable(text)  # the right-to-left lines below are made from it again
    made = markup(text, bold=bold)
    style = _shaping_style(made, style)
    if not _has_rtl(text):
        return Paragraph(made, style)
    first_line = next((line for line in _lines(text) if line.strip()), "")
    if _is_rtl_paragraph(first_line) and style.alignment in (TA_LEFT, TA_JUSTIFY):
        style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
    para = _BidiParagraph(made, style)
    para.source = text
    para.bold = bold
    return para


def markup_paragraph(made: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of markup built from :func:`markup` pieces (and tags of our own), shaped where it needs it."""
    register_fonts()
    return Paragraph(made, _shaping_style(made, style))


# What is drawn instead of a character that no bundled font has, once the person has agreed to print it so:
# Unicode's own replacement character, in Noto Sans. A visible mark that says "something was here", never a
# blank and never a wrong letter.
REPLACEMENT = "\ufffd"
# Variation selectors choose how the character before them looks (text or emoji): they draw nothing themselves.
_VARIATION_SELECTORS = frozenset(chr(code) for code in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)))
# Skin-tone modifiers change the emoji before them: when that one is replaced they go with it, not print a second
# mark.
_MODIFIERS = frozenset(chr(code) for code in range(0x1F3FB, 0x1F400))


@dataclass(frozen=True)
class UnprintableText:
    """A text with characters that none of the bundled fonts can draw.

    Attributes:
        text: the text, as the user typed it.
        characters: the characters that cannot be drawn, each once, in the order they first appear.
    """

    text: str
    characters: str

    @property
    def shown(self) -> str:
        """The text on one line, at most 60 characters: around its first unprintable character when longer."""
        shown = " ".join(self.text.split())
        if len(shown) <= 60:
            return shown
        start = max(0, min(shown.find(self.characters[0]) - 30, len(shown) - 59))
        return ("…" if start else "") + shown[start : start + 59] + "…"

    @property
    def listed(self) -> str:
        """The characters, each with its code and Unicode name: "🙂 (U+1F642 SLIGHTLY SMILING FACE)"."""
        listed = ", ".join(f"{ch} (U+{ord(ch):04X}{_character_name(ch)})" for ch in self.characters[:8])
        if len(self.characters) > 8:
            listed += " " + _("and {count} more").format(count=len(self.characters) - 8)
        return listed


class UnprintableTextError(CohesionError):
    """Texts have characters that none of the bundled fonts can draw; nothing was written.

    Attributes:
        found: each such text, once, in the order met.
        text: the first of them, as the user typed it.
        characters: the first text's characters that cannot be drawn.
    """

    def __init__(self, found: Sequence[UnprintableText]) -> None:
        self.found = tuple(found)
        self.text = self.found[0].text
        self.characters = self.found[0].characters
        texts = "; ".join(f"“{item.shown}”: {item.listed}" for item in self.found[:5])
        if len(self.found) > 5:
            texts += " " + _("and {count} more").format(count=len(self.found) - 5)
        super().__init__(
            ngettext(
                "This text has characters that no font in Cohesion Desktop can print: {texts}. The PDF was not "
                "made, so that nothing prints as a blank. Change or remove them and try again.",
                "These texts have characters that no font in Cohesion Desktop can print: {texts}. The PDF was not "
                "made, so that nothing prints as a blank. Change or remove them and try again.",
                len(self.found),
            ).format(texts=texts)
        )


# While a PDF is written (files.write_pdf): the texts met with characters no font draws (text → characters).
_noted: ContextVar[dict[str, str] | None] = ContextVar("unprintable_noted", default=None)
# The person agreed to print such characters as REPLACEMENT (see replacing_unprintable).
_replacing: ContextVar[bool] = ContextVar("unprintable_replaced", default=False)


@contextmanager
def noting_unprintable() -> Iterator[list[UnprintableText]]:
    """Within: text with characters no bundled font draws is drawn with :data:`REPLACEMENT` in their place instead
    of refused, and noted. The list yielded holds each such text once it is left (for the writer to refuse the
    document, or keep it, as :func:`replacing_unprintable` says). For :func:`files.write_pdf`; per thread."""
    noted: dict[str, str] = {}
    token = _noted.set(noted)
    found: list[UnprintableText] = []
    try:
        yield found
    finally:
        _noted.reset(token)
        found.extend(UnprintableText(text, characters) for text, characters in noted.items())


@contextmanager
def replacing_unprintable() -> Iterator[None]:
    """Within (in the thread that writes): PDFs are kept even where text has characters no bundled font draws,
    each drawn as :data:`REPLACEMENT`. Only once the person has been told which texts and agreed."""
    token = _replacing.set(True)
    try:
        yield
    finally:
        _replacing.reset(token)


def replaces_unprintable() -> bool:
    """Whether a PDF written now keeps texts with characters no font draws (see :func:`replacing_unprintable`)."""
    return _replacing.get()


def missing_characters(text: str) -> str:
    """The characters of ``text`` that no bundled font draws (each once, in order); empty when all print.

    Spaces, line breaks and invisible format characters (joiners, direction marks) need no glyph.
    """
    register_fonts()
    return "".join(ch for ch in dict.fromkeys(text) if _covering_font(ch) is None and not _needs_no_glyph(ch))


def check_printable(text: str) -> str:
    """``text`` as it is to be drawn: itself when every character prints.

    Otherwise, while a PDF is written (:func:`noting_unprintable`) or the person agreed
    (:func:`replacing_unprintable`), each character no font draws becomes :data:`REPLACEMENT` (the text is noted);
    anywhere else :class:`UnprintableTextError` is raised.
    """
    missing = missing_characters(text)
    if not missing:
        return text
    noted = _noted.get()
    if noted is None and not _replacing.get():
        raise UnprintableTextError([UnprintableText(text, missing)])
    if noted is not None:
        noted.setdefault(text, missing)
    return _replaced(text, missing)


def _replaced(text: str, missing: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch not in missing:
            out.append(ch)
        elif not (ch in _MODIFIERS and out and out[-1] == REPLACEMENT):
            out.append(REPLACEMENT)
    return "".join(out)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of ``text`` at ``size`` (the widest line if it has several), as shaped."""
    register_fonts()
    text = check_printable(text)
    return max((_width(_visual(line), size, bold) for line in _lines(text)), default=0.0)


def draw_centred_line(canvas: Canvas, text: str, x: float, y: float, size: float, bold: bool = False) -> float:
    """Draw ``text`` as one line centred on ``x`` with its baseline at ``y``, in the canvas's fill colour.

    Newlines become spaces. Nothing is shrunk or cut: measure with :func:`text_width` first.

    Returns:
        The width drawn, in points.

    Raises:
        UnprintableTextError: ``text`` has a character that no bundled font can draw.
    """
    register_fonts()
    text = check_printable(text)
    runs = [_drawn(font, chunk, size) for font, chunk in _runs(_visual(" ".join(_lines(text))), bold)]
    width = sum(run[2] for run in runs)
    # One text object for the whole line, so PDF readers extract it as one line.
    text_object = canvas.beginText(x - width / 2, y)
    for font, chunk, _width in runs:
        text_object.setFont(font, size)
        text_object.textOut(chunk)
    canvas.drawText(text_object)
    return width


@dataclass(frozen=True)
class TextStyles:
    """The paragraph styles every PDF of the app uses (fresh objects: change a copy freely)."""

    body: ParagraphStyle
    small: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle


def styles() -> TextStyles:
    """Body, small, heading and title styles in the bundled fonts and house colours.

    Leading is generous because Naskh Arabic has tall letters and deep descenders.
    """
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT_REGULAR, fontSize=10.5, leading=15.5, textColor=INK, spaceAfter=6)
    return TextStyles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=12.5, textColor=MUTED, spaceAfter=4),
        heading=ParagraphStyle(
            "heading", parent=body, fontName=FONT_BOLD, fontSize=14, leading=20, spaceBefore=10, spaceAfter=4
        ),
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=22, leading=30, textColor=ACCENT, spaceAfter=10
        ),
    )


class _BidiParagraph(Paragraph):
    """A Paragraph that breaks right-to-left text into lines before ordering each line for display.

    ``source`` is set by :func:`paragraph`; the pieces that ``Paragraph.split`` makes (across a page
    break) are built from lines already ordered and leave it ``None``.
    """

    source: str | None = None
    bold = False
    _broken_for: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.source is not None and availWidth != self._broken_for:
            style = self.style
            width = availWidth - style.leftIndent - style.rightIndent - _LINE_SLACK
            text = _wrapped_markup(self.source, width - style.firstLineIndent, width, style.fontSize, self.bold)
            # Parse the new markup as a fresh Paragraph would; reportlab keeps no other state until wrap.
            Paragraph.__init__(self, text, style)
            self._broken_for = availWidth
        return super().wrap(availWidth, availHeight)


def _wrapped_markup(text: str, first_width: float, width: float, size: float, bold: bool) -> str:
    """Markup of ``text`` broken greedily at spaces into lines that fit, each line in visual order."""
    out: list[str] = []
    limit = first_width
    for line in _lines(text):
        rtl = _is_rtl_paragraph(line)  # continuation lines keep the direction of the line they come from
        current: list[str] = []
        for word in line.split():
            if current and _logical_width(" ".join([*current, word]), size, bold) > limit:
                out.append(_line_markup(_visual(" ".join(current), rtl), bold))
                current, limit = [], width
            current.append(word)
        out.append(_line_markup(_visual(" ".join(current), rtl), bold))
        limit = width
    return "<br/>".join(out)


def _lines(text: str) -> list[str]:
    return text.replace("\t", " ").splitlines()


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)


def _is_rtl_paragraph(line: str) -> bool:
    """True when the first strong letter of ``line`` is right-to-left (Unicode rules P2 and P3)."""
    return bool(bidi_algorithm.get_base_level(line))


def _printable(text: str) -> str:
    # Controls and invisible format characters (bidi marks, soft hyphens) have done their work by now; no font
    # draws them, and reportlab would print an empty box. Joiners stay for the shaper (see _runs).
    return "".join(
        ch
        for ch in text
        if ch in _JOINERS or (unicodedata.category(ch) not in ("Cc", "Cf") and ch not in _VARIATION_SELECTORS)
    )


def _needs_no_glyph(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") or ch in _VARIATION_SELECTORS


def _character_name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f" {name}" if name else ""


def _visual(line: str, rtl: bool | None = None) -> str:
    """One line of text, shaped and in left-to-right drawing order. ``rtl`` forces the base direction."""
    if not _has_rtl(line):
        return _printable(line)
    if rtl is None:
        rtl = _is_rtl_paragraph(line)
    # python-bidi's default (Rust) get_display does not mirror brackets, its algorithm module does.
    visual = bidi_algorithm.get_display(_RESHAPER.reshape(line), base_dir="R" if rtl else "L")
    return _printable(visual)


def _logical_width(line: str, size: float, bold: bool) -> float:
    # Order changes nothing to a width; the letter forms do, so shape first.
    return _width(_printable(_RESHAPER.reshape(line)), size, bold)


def _covering_font(ch: str) -> str | None:
    """The first bundled font that draws ``ch`` (Arabic letters: the Arabic font only), or None."""
    try:
        return _coverage[ch]
    except KeyError:
        pass
    code = ord(ch)
    found: str | None = None
    if any(low <= code <= high for low, high in _ARABIC_RANGES):
        found = FONT_ARABIC if code in _cmap(FONT_ARABIC) else None
    else:
        found = next((name for name in _PREFERENCE if code in _cmap(name)), None)
    _coverage[ch] = found
    return found


def _font_for(ch: str) -> str:
    # No bundled font has it: callers check first (check_printable), so this is only a last resort, which
    # reportlab draws as an empty box, never as a wrong letter.
    return _covering_font(ch) or FONT_REGULAR


def _runs(visual: str, bold: bool) -> list[tuple[str, str]]:
    """``visual`` cut into (font, text) runs; spaces and punctuation stay in the run around them."""
    runs: list[list[str]] = []
    for ch in visual:
        if ch in _JOINERS:
            if runs and runs[-1][0] in _SHAPED:
                runs[-1][1] += ch
            continue
        font = _font_for(ch)
        if runs and (
            runs[-1][0] == font or (unicodedata.bidirectional(ch) in _NEUTRAL_CLASSES and ord(ch) in _cmap(runs[-1][0]))
        ):
            runs[-1][1] += ch
        else:
            runs.append([font, ch])
    latin = FONT_BOLD if bold else FONT_REGULAR
    return [(latin if font == FONT_REGULAR else font, chunk) for font, chunk in runs]


def _drawn(font: str, chunk: str, size: float) -> tuple[str, str, float]:
    """(font, text to draw, width): a run in a shaped font comes back as reportlab's shaped string."""
    if font not in _SHAPED:
        return font, chunk, pdfmetrics.stringWidth(chunk, font, size)
    shaped = shapeStr(chunk, font, size)
    data = getattr(shaped, "__shapeData__", None)
    if data is None:  # HarfBuzz changed nothing: plain glyphs at their own widths
        return font, chunk, pdfmetrics.stringWidth(chunk, font, size)
    return font, shaped, sum(glyph.x_advance for glyph in data) * size / 1000


def _width(visual: str, size: float, bold: bool) -> float:
    return sum(_drawn(font, chunk, size)[2] for font, chunk in _runs(visual, bold))


def _shaping_style(made: str, style: ParagraphStyle) -> ParagraphStyle:
    """``style``, or a copy with shaping on when ``made`` (our markup) has a run in a shaped font."""
    if style.shaping or not _SHAPED_FONT_TAG.search(made):
        return style
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)


def _shape_word(word: list[Any], features: Any = None, force: bool = False) -> list[Any]:
    """reportlab's ``shapeFragWord`` for one word of a paragraph, one font at a time.

    ``word`` is reportlab's: its width, then (fragment, text) pairs. Each stretch of pairs in one font that
    needs shaping is shaped on its own; the other stretches are kept as they are. Returns ``word`` itself
    when nothing in it is shaped.
    """
    if isinstance(word, ShapedFragWord):
        return word  # shaped already: the rest of a paragraph split across pages (reportlab's own check, kept)
    pairs = word[1:]
    if not any(getattr(frag, "fontName", None) in _SHAPED for frag, _ in pairs) or any(
        hasattr(frag, "cbDefn") for frag, _ in pairs
    ):
        return word  # nothing to shape, or an image or anchor whose place we would have to keep
    width = 0.0
    out: list[Any] = []
    start = 0
    while start < len(pairs):
        font = pairs[start][0].fontName
        end = start + 1
        while end < len(pairs) and pairs[end][0].fontName == font:
            end += 1
        stretch = pairs[start:end]
        stretch_width = sum(pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize) for frag, text in stretch)
        if font in _SHAPED:
            shaped = (
                shapeFragWord([stretch_width, *stretch], force=force)
                if features is None
                else (shapeFragWord([stretch_width, *stretch], features, force=force))
            )
            stretch_width, stretch = shaped[0], list(shaped[1:])
        width += stretch_width
        out.extend(stretch)
        start = end
    return makeShapedFragWord(word)([width, *out])


def _line_markup(visual: str, bold: bool) -> str:
    return "".join(f'<font name="{font}">{escape(chunk)}</font>' for font, chunk in _runs(visual, bold))


def one_frame_document(
    target: str,
    *,
    page_size: tuple[float, float],
    margin: float,
    title: str,
    subject: str,
    author: str,
    template: str,
    on_page_end: Callable[[Canvas, BaseDocTemplate], None],
    lang: str = DOCUMENT_LANGUAGE,
) -> BaseDocTemplate:
    """A document of pages that each hold one frame inside ``margin``, with the house's metadata and fonts.

    ``lang`` is the document's language as a BCP 47 tag ("en-GB", "cy"): screen readers choose their voice
    and PDF readers their hyphenation by it, so it names the language the document is written in.
    ``initialFontName``: otherwise reportlab names Helvetica, a font it does not embed, on every page.
    """
    document = BaseDocTemplate(
        target,
        pagesize=page_size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author=author,
        subject=subject,
        creator=APP_NAME,
        lang=lang,
        initialFontName=FONT_REGULAR,
        pageCompression=1,
    )
    width, height = page_size
    frame = Frame(
        margin,
        margin,
        width - 2 * margin,
        height - 2 * margin,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="page",
    )
    document.addPageTemplates([PageTemplate(id=template, frames=[frame], onPageEnd=on_page_end)])
    return document
