"""Safe multi-script PDF text: escaping, fonts per script, Arabic shaping and order, wrapping."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from cohesion_desktop.export.pdf_text import (
    FONT_ARABIC,
    FONT_BOLD,
    FONT_CJK,
    FONT_REGULAR,
    draw_centred_line,
    markup,
    paragraph,
    register_all_fonts,
    register_fonts,
    styles,
    text_width,
)
from tests.export.pdf_reading import fonts_on, normalise, page_texts

# Twenty-five different words (months, days, colours), so a wrong line order cannot go unnoticed.
ARABIC_WORDS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
    "الأحد",
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "أحمر",
    "أزرق",
    "أخضر",
    "أصفر",
    "أسود",
    "أبيض",
]


def build(path: Path, flowables: list[object], width: float | None = None) -> Path:
    """A4 document; ``width`` narrows the frame so that paragraphs wrap onto many lines."""
    margin = (A4[0] - width) / 2 if width else 72
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=margin, rightMargin=margin, initialFontName=FONT_REGULAR)
    doc.build(flowables)
    return path


def words_in_order(text: str) -> list[str]:
    """The Arabic words of the extracted text, in reading order (pypdf gives each line in logical order)."""
    found: list[str] = []
    for line in text.splitlines():
        found.extend(re.findall(r"[\u0600-\u06FF]+", unicodedata.normalize("NFKC", line)))
    return found


def test_registering_twice_is_harmless() -> None:
    register_fonts()
    register_fonts()
    register_all_fonts()
    register_all_fonts()
    for name in (FONT_REGULAR, FONT_BOLD, FONT_ARABIC, FONT_CJK, "NotoSansBengali", "NotoSansEthiopic"):
        assert pdfmetrics.getFont(name).fontName == name


@pytest.mark.parametrize(
    "typed",
    [
        "<b>bold</b>",
        "Fish & chips",
        "&amp;",
        '<img src="x"/>',
        '<font name="Courier">Jo</font>',
        "a<br/>b",
        '<a href="http://example.org">link</a>',
        "5 < 6 > 4",
    ],
)
def test_user_text_is_escaped_and_prints_literally(tmp_path: Path, typed: str) -> None:
    made = markup(typed)
    assert "<img" not in made and "<b>" not in made and "<a " not in made and "<br/>" not in made
    pdf = build(tmp_path / "escaped.pdf", [Paragraph(made, styles().body)])
    assert normalise(typed) in normalise(page_texts(pdf)[0])
    assert not any("Courier" in font for font in fonts_on(pdf))


def test_each_script_gets_its_own_font_run() -> None:
    made = markup("Siân Łucja 王小明 فاطمة")
    assert f'<font name="{FONT_REGULAR}">Siân Łucja ' in made
    assert f'<font name="{FONT_CJK}">王小明' in made
    assert f'<font name="{FONT_ARABIC}">' in made


def test_bold_applies_to_latin_runs_only() -> None:
    made = markup("Amina أمينة", bold=True)
    assert f'<font name="{FONT_BOLD}">Amina' in made
    assert f'<font name="{FONT_ARABIC}">' in made
    assert FONT_REGULAR + '"' not in made


def test_newlines_become_line_breaks_and_invisible_characters_go() -> None:
    made = markup("first\nsecond\r\nthird\u2028fourth")
    assert made.count("<br/>") == 3
    # ZWJ, RLM and a soft hyphen: no font draws them, reportlab would print boxes.
    assert not set("\u200d\u200f\u00ad") & set(markup("Jo\u200d\u200fan\u00adna"))


def test_arabic_is_joined_and_in_visual_order() -> None:
    drawn = re.sub(r"<[^>]+>", "", markup("فاطمة"))
    # Presentation forms (joined letters), last letter first so that left-to-right drawing reads right to left.
    assert all(0xFB50 <= ord(ch) <= 0xFEFF for ch in drawn)
    assert normalise(drawn) == "ةمطاف"


def test_brackets_in_right_to_left_text_are_mirrored() -> None:
    drawn = re.sub(r"<[^>]+>", "", markup("شكراً (جزيلاً)"))
    assert drawn.index("(") < drawn.index(")")


@pytest.mark.parametrize("line", ["Dr Amina Yusuf – أمينة", "Mixed: Fatima فاطمة الزهراء & 王小明", "عائشہ خان"])
def test_a_mixed_line_reads_back_in_logical_order(tmp_path: Path, line: str) -> None:
    canvas = Canvas(str(tmp_path / "line.pdf"), initialFontName=FONT_REGULAR)
    width = draw_centred_line(canvas, line, 300, 400, 18)
    canvas.save()
    [text] = page_texts(tmp_path / "line.pdf")
    assert normalise(line) in normalise(text)
    assert width == pytest.approx(text_width(line, 18))


def test_a_long_arabic_paragraph_wraps_in_reading_order(tmp_path: Path) -> None:
    text = " ".join(ARABIC_WORDS) + "."
    para = paragraph(text, styles().body)
    pdf = build(tmp_path / "wrapped.pdf", [para], width=200)
    extracted = page_texts(pdf)[0]
    assert len(extracted.strip().splitlines()) >= 4  # it did wrap
    assert words_in_order(extracted) == [normalise(word) for word in ARABIC_WORDS]


def test_a_long_mixed_paragraph_renders_and_reads_back_whole(tmp_path: Path) -> None:
    arabic = " ".join(ARABIC_WORDS)
    text = f"Our volunteers wrote: {arabic}. Then 王小明 and Siân Ŵyn thanked Łucja (42.5 hours)."
    pdf = build(tmp_path / "mixed.pdf", [paragraph(text, styles().body)], width=220)
    extracted = page_texts(pdf)[0]
    assert words_in_order(extracted) == [normalise(word) for word in ARABIC_WORDS]
    for part in ("Our volunteers wrote:", "王小明", "Siân Ŵyn", "Łucja", "42.5 hours"):
        assert normalise(part) in normalise(extracted)


def test_a_right_to_left_paragraph_splits_across_pages(tmp_path: Path) -> None:
    text = " ".join(ARABIC_WORDS * 40)
    pdf = build(tmp_path / "long.pdf", [paragraph(text, styles().body)], width=150)
    pages = page_texts(pdf)
    assert len(pages) >= 2
    found = [word for page in pages for word in words_in_order(page)]
    assert found == [normalise(word) for word in ARABIC_WORDS * 40]


def test_a_right_to_left_paragraph_is_aligned_right_in_a_left_aligned_style() -> None:
    assert paragraph("فاطمة", styles().body).style.alignment == TA_RIGHT
    assert paragraph("Fatima", styles().body).style.alignment == styles().body.alignment


def test_a_bold_style_makes_latin_bold() -> None:
    assert FONT_BOLD in paragraph("Heading أمينة", styles().heading).text


def test_our_markup_can_sit_inside_bold_markup(tmp_path: Path) -> None:
    pdf = build(tmp_path / "nested.pdf", [Paragraph(f"<b>Name:</b> {markup('Amina أمينة 王')}", styles().body)])
    assert normalise("Name: Amina أمينة 王") in normalise(page_texts(pdf)[0])


def test_text_width_grows_with_text_size_and_weight() -> None:
    assert text_width("", 12) == 0
    assert 0 < text_width("Siân", 12) < text_width("Siân Ŵyn", 12) < text_width("Siân Ŵyn", 24)
    assert text_width("Siân Ŵyn", 12) < text_width("Siân Ŵyn", 12, bold=True)
    assert text_width("short\na much longer line", 12) == pytest.approx(text_width("a much longer line", 12))


def test_styles_use_the_bundled_fonts() -> None:
    made = styles()
    assert made.body.fontName == FONT_REGULAR and made.small.fontName == FONT_REGULAR
    assert made.heading.fontName == FONT_BOLD and made.title.fontName == FONT_BOLD
    assert made.small.fontSize < made.body.fontSize < made.heading.fontSize < made.title.fontSize
    assert isinstance(made.body, ParagraphStyle)
