"""Safe, multi-script text for every PDF the app writes (certificates, the workshop matrix, funder reports).

reportlab draws glyphs left to right, one font at a time; it neither joins Arabic letters nor applies the
Unicode bidirectional algorithm. So every piece of user text goes through the same steps here:

1. arabic-reshaper turns Arabic and Urdu letters into their joined (presentation) forms;
2. python-bidi puts each line into visual, left-to-right order;
3. the line is cut into runs, each drawn in the first bundled font that has its glyphs: Latin, Greek and
   Cyrillic in Noto Sans, Arabic and Urdu in Noto Naskh Arabic, Chinese in Droid Sans Fallback;
4. for a Paragraph, the runs become ``<font>`` markup around the *escaped* text, so that whatever a user
   typed (``<b>``, ``&``, ``<img src=...>``) prints literally and is never interpreted.

Right-to-left text that wraps: reportlab breaks lines over the characters it is given, so a paragraph
already in visual order would wrap with the end of an Arabic sentence on its first line.
:func:`paragraph` therefore breaks right-to-left text into lines itself, measuring the logical text at the
width reportlab offers, and orders each line on its own. :func:`markup` cannot know the width: use it
for right-to-left text only where it stays on one line (a name, a short label), else use :func:`paragraph`.
Limits: a single word wider than the line is cut by reportlab in visual order; brackets follow the older
bidi rules (no bracket pairs, UBA 6.3), so "(text) 3" mixing scripts can place a bracket oddly.

Every function registers the fonts on first use; :func:`register_fonts` is public for writers that set
fonts on a canvas themselves. Make canvases and doc templates with ``initialFontName=FONT_REGULAR``
(both take it), or reportlab names Helvetica, a font it does not embed, on every page.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Container
from dataclasses import dataclass
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import algorithm as bidi_algorithm
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from cohesion_desktop import APP_NAME
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.paths import resource_path

FONT_REGULAR = "NotoSans"
FONT_BOLD = "NotoSans-Bold"
FONT_ARABIC = "NotoNaskhArabic"
FONT_CJK = "DroidSansFallback"

# The house colours, so that every PDF looks alike.
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1F5C6B")

_FONT_FILES = {
    FONT_REGULAR: "NotoSans-Regular.ttf",
    FONT_BOLD: "NotoSans-Bold.ttf",
    FONT_ARABIC: "NotoNaskhArabic-Regular.ttf",
    FONT_CJK: "DroidSansFallbackFull.ttf",
}
# Which font draws a character that several of them have (digits, punctuation, spaces).
_PREFERENCE = (FONT_REGULAR, FONT_ARABIC, FONT_CJK)
_NEUTRAL_CLASSES = frozenset({"WS", "ON", "CS", "ES", "ET", "S", "B"})
_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
# Arabic blocks and presentation forms: always the Arabic font, so a word never mixes two designs.
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
# Keep harakat (vowel marks). Reversed, each comes just before its letter, which is where Noto Naskh's
# zero-width marks must be drawn to sit on it (shift_harakat_position would move them a letter too far).
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})
# reportlab must fit our own right-to-left lines without breaking them again: measure with a little room.
_LINE_SLACK = 1.0

_cmaps: dict[str, Container[int]] = {}
_register_lock = threading.Lock()  # exports run in worker threads


def register_fonts() -> None:
    """Register the bundled fonts with reportlab (once; later calls return at once).

    Registers ``FONT_REGULAR``, ``FONT_BOLD``, ``FONT_ARABIC`` and ``FONT_CJK``, and a family for each, so
    that ``<b>`` gives Noto Sans Bold for Latin text (Arabic and Chinese have no bold and stay regular).

    Raises:
        CohesionError: a font file is missing or damaged (a broken installation).
    """
    with _register_lock:
        if _cmaps:
            return
        cmaps: dict[str, Container[int]] = {}
        for name, file_name in _FONT_FILES.items():
            path = resource_path("fonts", file_name)
            try:
                font = TTFont(name, str(path))
            except Exception as exc:  # reportlab raises TTFError, OSError or struct errors for a bad file
                raise CohesionError(
                    f"The font {file_name} that PDFs need is missing or damaged ({path}). "
                    "Reinstalling Cohesion Desktop should bring it back."
                ) from exc
            pdfmetrics.registerFont(font)
            cmaps[name] = font.face.charToGlyph
        # reportlab refuses <b> or <i> in a family that does not map them, so map all four in every family.
        pdfmetrics.registerFontFamily(
            FONT_REGULAR, normal=FONT_REGULAR, bold=FONT_BOLD, italic=FONT_REGULAR, boldItalic=FONT_BOLD
        )
        for name in (FONT_ARABIC, FONT_CJK):
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _cmaps.update(cmaps)


def markup(text: str, *, bold: bool = False) -> str:
    """User text as reportlab Paragraph markup: escaped, one ``<font>`` per script, newlines as ``<br/>``.

    Arabic and Urdu are joined and put in visual order line by line. Each line is ordered on its own, in
    the direction of its first letter (as HTML's ``dir="auto"``), whatever markup it is later placed in.
    Right-to-left text long enough to wrap needs :func:`paragraph` (see the module docstring).

    Args:
        text: what the user typed; any markup in it is shown literally.
        bold: Latin runs in Noto Sans Bold.

    Returns:
        Markup ready for ``Paragraph`` (or to be placed inside larger markup of our own).
    """
    register_fonts()
    return "<br/>".join(_line_markup(_visual(line), bold) for line in _lines(text))


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of user text in ``style``; right-to-left text wraps in reading order.

    Latin runs are bold when the style's font is ``FONT_BOLD``. A right-to-left paragraph in a left-aligned
    or justified style is aligned right instead, as its readers expect.
    """
    register_fonts()
    bold = style.fontName == FONT_BOLD
    if not _has_rtl(text):
        return Paragraph(markup(text, bold=bold), style)
    first_line = next((line for line in _lines(text) if line.strip()), "")
    if _is_rtl_paragraph(first_line) and style.alignment in (TA_LEFT, TA_JUSTIFY):
        style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
    para = _BidiParagraph(markup(text, bold=bold), style)
    para.source = text
    para.bold = bold
    return para


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of ``text`` at ``size`` (the widest line if it has several)."""
    register_fonts()
    return max((_width(_visual(line), size, bold) for line in _lines(text)), default=0.0)


def draw_centred_line(canvas: Canvas, text: str, x: float, y: float, size: float, bold: bool = False) -> float:
    """Draw ``text`` as one line centred on ``x`` with its baseline at ``y``, in the canvas's fill colour.

    Newlines become spaces. Nothing is shrunk or cut: measure with :func:`text_width` first.

    Returns:
        The width drawn, in points.
    """
    register_fonts()
    runs = _runs(_visual(" ".join(_lines(text))), bold)
    width = sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in runs)
    # One text object for the whole line, so PDF readers extract it as one line.
    text_object = canvas.beginText(x - width / 2, y)
    for font, chunk in runs:
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
    # Controls and invisible format characters (ZWJ, ZWNJ, bidi marks, soft hyphens) have done their work by
    # now; no font draws them, and reportlab would print an empty box.
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


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


def _font_for(ch: str) -> str:
    code = ord(ch)
    if any(low <= code <= high for low, high in _ARABIC_RANGES):
        return FONT_ARABIC
    for name in _PREFERENCE:
        if code in _cmaps[name]:
            return name
    return FONT_REGULAR  # no bundled font has it: reportlab draws an empty box, never a wrong letter


def _runs(visual: str, bold: bool) -> list[tuple[str, str]]:
    """``visual`` cut into (font, text) runs; spaces and punctuation stay in the run around them."""
    runs: list[list[str]] = []
    for ch in visual:
        font = _font_for(ch)
        if runs and (
            runs[-1][0] == font
            or (unicodedata.bidirectional(ch) in _NEUTRAL_CLASSES and ord(ch) in _cmaps[runs[-1][0]])
        ):
            runs[-1][1] += ch
        else:
            runs.append([font, ch])
    latin = FONT_BOLD if bold else FONT_REGULAR
    return [(latin if font == FONT_REGULAR else font, chunk) for font, chunk in runs]


def _width(visual: str, size: float, bold: bool) -> float:
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in _runs(visual, bold))


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
) -> BaseDocTemplate:
    """A document of pages that each hold one frame inside ``margin``, with the house's metadata and fonts.

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
        lang="en-GB",
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
