"""Every script in print: names in each script the app's users write are drawn with real glyphs, shaped, in
the measured width, and read back; text that no bundled font can draw is refused before a file is written.

One sheet (a small PDF of every name, alone on a line and after an English label in a paragraph) is written and
drawn to an image once for the whole module; each test looks at its own part of it.
"""

from __future__ import annotations

import shutil
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from cohesion_desktop.cli import main
from cohesion_desktop.export.certificates import Certificate, write_certificates
from cohesion_desktop.export.pdf_text import (
    FONT_REGULAR,
    REPLACEMENT,
    UnprintableTextError,
    draw_centred_line,
    markup,
    missing_characters,
    one_frame_document,
    paragraph,
    register_fonts,
    replacing_unprintable,
    text_width,
)
from tests.export.pdf_reading import (
    certificate_name_ink,
    fonts_on,
    inked_columns,
    normalise,
    page_texts,
    render,
)

NAMES = {
    "Welsh": "Dafydd ap Gwŷn Ŵyn",
    "Arabic": "فاطمة الزهراء",
    "Urdu": "عائشہ خان",
    "Bengali": "অমিত রায়",
    "Devanagari": "अमित शर्मा",
    "Gurmukhi": "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ",
    "Gujarati": "અમિત પટેલ",
    "Tamil": "கார்த்திக் முருகன்",
    "Tigrinya": "ሰላም ኣብርሃ",
    "Amharic": "አበበ ቢቂላ",
    "Korean": "김민준",
    "Chinese": "王小明",
    "Japanese": "山田さくら",
    "Thai": "สมชาย ใจดี",
    "Cyrillic": "Иван Петров",
}
# Shaped scripts read back from a PDF with conjuncts and reordered vowel signs as private-use characters or in
# drawing order (reportlab maps each glyph to one character): only their letters' presence is checked.
SHAPED = {"Bengali", "Devanagari", "Gurmukhi", "Gujarati", "Tamil"}

DPI = 96  # small page, low resolution: the whole sheet is drawn in well under a second
SIZE = 16.0
ROW = 34.0
WIDTH = 420.0
LABEL = "Volunteer: "


def labelled(name: str) -> str:
    """The name after an English label, in quotes: the opening quote is in the Latin font, so the first word
    mixes two fonts."""
    return f"{LABEL}“{name}”"


@dataclass(frozen=True)
class Sheet:
    pdf: Path
    image: Image.Image
    text: str  # as a PDF reader extracts it
    lines: dict[str, float]  # script → baseline of the name alone on its line
    paragraphs: dict[str, tuple[float, float]]  # script → bottom and top of the labelled name


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Sheet:
    register_fonts()
    pdf = tmp_path_factory.mktemp("scripts") / "names.pdf"
    height = ROW * 2 * len(NAMES) + 40
    canvas = Canvas(str(pdf), pagesize=(WIDTH, height), initialFontName=FONT_REGULAR)
    style = ParagraphStyle("sheet", fontName=FONT_REGULAR, fontSize=SIZE, leading=SIZE * 1.4)
    lines: dict[str, float] = {}
    paragraphs: dict[str, tuple[float, float]] = {}
    y = height - 20
    for script, name in NAMES.items():
        y -= ROW
        lines[script] = y + 10
        draw_centred_line(canvas, name, WIDTH / 2, y + 10, SIZE)
        y -= ROW
        para = paragraph(labelled(name), style)
        _, used = para.wrap(WIDTH - 40, ROW)
        para.drawOn(canvas, 20, y + 4)
        paragraphs[script] = (y + 4, y + 4 + used)
    canvas.save()
    [text] = page_texts(pdf)
    return Sheet(pdf, render(pdf, dpi=DPI), text, lines, paragraphs)


def ink_across(sheet: Sheet, left: float, right: float, bottom: float, top: float) -> list[int]:
    return inked_columns(sheet.image, (left, bottom, right, top), dpi=DPI)


@pytest.mark.parametrize("script", NAMES)
def test_a_name_alone_on_a_line_is_drawn_across_its_measured_width(sheet: Sheet, script: str) -> None:
    name, baseline = NAMES[script], sheet.lines[script]
    width = text_width(name, SIZE)
    pad = 4.0
    left, right = WIDTH / 2 - width / 2 - pad, WIDTH / 2 + width / 2 + pad
    columns = ink_across(sheet, left, right, baseline - 0.5 * SIZE, baseline + 1.3 * SIZE)
    pixels = DPI / 72
    assert columns, f"{script}: nothing drawn"
    # Ink starts and ends where the measured text does (side bearings aside), and fills most of it: blank
    # space, a line half drawn or a width measured for other glyphs than those drawn all fail.
    slack = (pad + 0.25 * SIZE) * pixels
    assert columns[0] <= slack and columns[-1] >= (right - left) * pixels - slack, (script, columns[0], columns[-1])
    assert len(columns) >= 0.5 * width * pixels, (script, len(columns), width * pixels)


@pytest.mark.parametrize("script", NAMES)
def test_a_name_after_an_english_label_is_drawn_in_its_own_font(sheet: Sheet, script: str) -> None:
    bottom, top = sheet.paragraphs[script]
    label = text_width(LABEL, SIZE)
    whole = text_width(labelled(NAMES[script]), SIZE)
    # Where the name's last letter ends (a CJK font's closing quote has its ink at the left of a wide advance).
    name_end = text_width(labelled(NAMES[script])[:-1], SIZE)
    pixels = DPI / 72
    # Only the name's part of the line: right of the label.
    columns = ink_across(sheet, 20 + label, 20 + whole + 4, bottom - 2, top + 2)
    assert columns, f"{script}: the name after the label was not drawn"
    assert len(columns) >= 0.5 * (name_end - label) * pixels, (script, len(columns), (name_end - label) * pixels)
    assert columns[-1] >= (name_end - label) * pixels - 0.25 * SIZE * pixels, script
    assert ink_across(sheet, 20, 20 + label - 2, bottom - 2, top + 2), "the label"


def test_no_glyph_is_the_missing_glyph_box(sheet: Sheet) -> None:
    # A run shaped with another font's glyphs comes out as glyph 0 (the .notdef box), which reportlab
    # gives a private-use character of its own: none may exist in any bundled font once the sheet is drawn.
    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if face is not None:
            boxes = [hex(code) for code, glyph in face.charToGlyph.items() if glyph == 0 and 0xE000 <= code <= 0xF8FF]
            assert boxes == [], name


@pytest.mark.parametrize("script", [script for script in NAMES if script not in SHAPED])
def test_a_name_reads_back_as_typed(sheet: Sheet, script: str) -> None:
    text = sheet.text
    assert normalise(NAMES[script]) in normalise(text)
    assert normalise(labelled(NAMES[script])) in normalise(text)


@pytest.mark.parametrize("script", sorted(SHAPED))
def test_a_shaped_name_reads_back_in_its_script(sheet: Sheet, script: str) -> None:
    text = sheet.text
    letters = {ch for ch in NAMES[script] if unicodedata.category(ch) == "Lo"}
    assert NAMES[script][0] in text and len(letters & set(text)) >= 2, (script, text)


@pytest.mark.parametrize(
    ("script", "word", "font"),
    [
        ("Devanagari", "क्षत्रिय", "NotoSansDevanagari"),
        ("Bengali", "ক্ষমা", "NotoSansBengali"),
        ("Tamil", "ஸ்ரீ", "NotoSansTamil"),
        ("Gurmukhi", "ਪ੍ਰੀਤ", "NotoSansGurmukhi"),
    ],
)
def test_conjuncts_and_vowel_signs_are_shaped(script: str, word: str, font: str) -> None:
    # Shaped, a conjunct is one glyph and a virama disappears into it: the word is narrower than its
    # characters drawn one by one.
    register_fonts()
    assert text_width(word, SIZE) < pdfmetrics.stringWidth(word, font, SIZE) - 1, script


def test_joiners_choose_forms_and_print_nothing_themselves() -> None:
    half_form = "क्\u200dष"  # ZWJ: the half form of KA before SSA, not the conjunct
    assert missing_characters(half_form) == ""
    assert text_width(half_form, SIZE) != text_width("क्ष", SIZE)


def test_welsh_letters_are_in_the_latin_font() -> None:
    assert missing_characters("ŵŷŴŶâêîôûŵŷẁẃẅỳýÿ") == ""
    assert markup("Gwŷn").count("<font") == 1


@pytest.mark.parametrize("text", ["Amit 🙂", "Amit \U0001f642 and ☕", "ᏣᎳᎩ"])
def test_text_no_font_can_draw_is_refused_naming_it_and_its_characters(text: str) -> None:
    style = ParagraphStyle("t", fontName=FONT_REGULAR)
    for attempt in (lambda: markup(text), lambda: paragraph(text, style), lambda: text_width(text, 10)):
        with pytest.raises(UnprintableTextError) as refused:
            attempt()
        message = str(refused.value)
        assert text.split()[0] in message and f"U+{ord(refused.value.characters[0]):04X}" in message
        assert "Amit" not in refused.value.characters


def test_a_certificate_for_a_name_no_font_draws_is_not_written(tmp_path: Path) -> None:
    target = tmp_path / "thanks.pdf"
    target.write_bytes(b"the earlier file")
    certificate = Certificate(volunteer_name="Amit 🙂 Roy", hours=3, message="", awarded_on=date(2026, 12, 1))
    with pytest.raises(UnprintableTextError) as refused:
        write_certificates(target, [certificate], organisation_name="Millbrook")
    assert "Amit 🙂 Roy" in str(refused.value) and "U+1F642" in str(refused.value)
    assert target.read_bytes() == b"the earlier file"
    assert [p.name for p in tmp_path.glob("*.pdf*")] == ["thanks.pdf"]  # no temporary file left either


def test_every_text_no_font_draws_is_named_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / "thanks.pdf"
    people = ["Amit 🙂 Roy", "Ola Nowak", "Jo ☕"]
    certificates = [Certificate(volunteer_name=n, hours=3, message="", awarded_on=date(2026, 12, 1)) for n in people]
    with pytest.raises(UnprintableTextError) as refused:
        write_certificates(target, certificates, organisation_name="Café 🍰 Club")
    assert [(item.text, item.characters) for item in refused.value.found] == [
        ("Café 🍰 Club", "🍰"),
        ("Amit 🙂 Roy", "🙂"),
        ("Jo ☕", "☕"),
    ]
    assert not list(tmp_path.glob("*.pdf*"))


def test_once_agreed_a_character_no_font_draws_prints_as_a_visible_mark(tmp_path: Path) -> None:
    certificate = Certificate(volunteer_name="Amit 🙂\ufe0f Roy", hours=3, message="", awarded_on=date(2026, 12, 1))
    with replacing_unprintable():
        pdf = write_certificates(tmp_path / "thanks.pdf", [certificate], organisation_name="Millbrook")
    text = PdfReader(pdf).pages[0].extract_text()
    assert f"Amit {REPLACEMENT} Roy" in text  # one mark (the variation selector goes with its emoji), never a blank
    assert missing_characters(REPLACEMENT) == ""
    with pytest.raises(UnprintableTextError):  # agreeing counts for that writing only
        markup("Amit 🙂")


def test_a_certificate_in_bengali_shows_the_name_in_ink(tmp_path: Path) -> None:
    name = NAMES["Bengali"]
    pdf = write_certificates(
        tmp_path / "thanks.pdf",
        [Certificate(volunteer_name=name, hours=12, message="", awarded_on=date(2026, 12, 1))],
        organisation_name="Millbrook",
    )
    assert len(certificate_name_ink(pdf)) > 40
    assert any("NotoSansBengali" in font for font in fonts_on(pdf))


def small_document(path: Path, **options: Any) -> Any:
    """A 300-point square page with one frame and nothing drawn around it."""
    settings = {"title": "", "subject": "", "author": "", "template": "page", **options}
    return one_frame_document(
        str(path), page_size=(300, 300), margin=20, on_page_end=lambda canvas, doc: None, **settings
    )


def test_the_document_language_is_the_writer_s_choice(tmp_path: Path) -> None:
    document = small_document(tmp_path / "cy.pdf", title="Tystysgrif", lang="cy")
    document.build([paragraph("Diolch yn fawr", ParagraphStyle("p", fontName=FONT_REGULAR))])
    assert PdfReader(tmp_path / "cy.pdf").trailer["/Root"]["/Lang"] == "cy"
    certificate = Certificate(volunteer_name="Siân", hours=1, message="", awarded_on=date(2026, 12, 1))
    pdf = write_certificates(tmp_path / "t.pdf", [certificate], organisation_name="", language="cy")
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "cy-GB"


def test_a_shaped_paragraph_longer_than_a_page_goes_on_to_the_next(tmp_path: Path) -> None:
    # The rest of a split paragraph holds words shaped already; shaping them again failed the whole PDF.
    document = small_document(tmp_path / "long.pdf")
    text = " ".join([NAMES["Bengali"], NAMES["Devanagari"], "and", NAMES["Thai"]] * 60)
    document.build([paragraph(text, ParagraphStyle("p", fontName=FONT_REGULAR, fontSize=12, leading=16))])
    pages = PdfReader(tmp_path / "long.pdf").pages
    assert len(pages) >= 2 and all("and" in page.extract_text() for page in pages)


def test_the_command_line_says_which_text_cannot_be_printed(
    example_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    town = tmp_path / "town.sqlite"
    shutil.copyfile(example_file, town)
    with sqlite3.connect(town) as connection:
        connection.execute(
            "UPDATE partner SET name = 'Canal Side Youth Project 🙂' WHERE name = 'Canal Side Youth Project'"
        )
    connection.close()
    target = tmp_path / "youth.pdf"
    code = main(["export", "partners", "--out", str(target), "--theme", "young people", "--data", str(town)])
    _, err = capsys.readouterr()
    assert code == 1 and "Canal Side Youth Project 🙂" in err and "U+1F642" in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not target.exists()
