"""Certificates of thanks: real PDFs written to disk and read back with pypdf."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export import certificates
from cohesion_desktop.export.certificates import PAGE_WIDTH, Certificate, write_certificates
from tests.export.pdf_reading import fonts_on, normalise, page_texts, text_starts

NAMES = {
    "Welsh": "Siân Ŵyn",
    "Polish": "Łucja Żółć",
    "Arabic": "فاطمة الزهراء",
    "Urdu": "عائشہ خان",
    "Chinese": "王小明",
    "English and Arabic": "Dr Amina Yusuf – أمينة",
}
ORGANISATION = "Harrowfield Community Partnership"


def certificate(
    name: str = "Siân Ŵyn", hours: float = 42.5, message: str = "Thank you!", **changes: object
) -> Certificate:
    return Certificate(volunteer_name=name, hours=hours, message=message, awarded_on=date(2025, 3, 7), **changes)


def write(path: Path, *certs: Certificate, **options: object) -> Path:
    options.setdefault("organisation_name", ORGANISATION)
    return write_certificates(path, list(certs), **options)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of its own (tmp_path also holds the test's app home)."""
    made = tmp_path / "exports"
    made.mkdir()
    return made


def make_png(path: Path) -> Path:
    from PIL import Image  # reportlab's own dependency

    Image.new("RGB", (120, 40), (31, 92, 107)).save(path)
    return path


@pytest.mark.parametrize("script", NAMES)
def test_a_name_in_any_script_is_printed_with_its_hours(tmp_path: Path, script: str) -> None:
    name = NAMES[script]
    pdf = write(tmp_path / "thanks.pdf", certificate(name))
    [text] = page_texts(pdf)
    assert normalise(name) in normalise(text)
    assert "42.5 hours" in text


@pytest.mark.parametrize("script", NAMES)
def test_every_font_is_embedded_and_none_is_a_base_14_fallback(tmp_path: Path, script: str) -> None:
    pdf = write(tmp_path / "thanks.pdf", certificate(NAMES[script]))
    fonts = fonts_on(pdf)
    assert fonts and all(fonts.values()), fonts
    assert all(any(family in name for family in ("NotoSans", "NotoNaskhArabic", "WenQuanYiMicroHei")) for name in fonts)


def test_each_script_is_set_in_the_font_that_covers_it(tmp_path: Path) -> None:
    pdf = write(tmp_path / "thanks.pdf", certificate("王小明 فاطمة Łucja"))
    used = " ".join(fonts_on(pdf))
    assert "NotoSans-Regular" in used and "NotoNaskhArabic" in used and "WenQuanYiMicroHei" in used


def test_a_batch_makes_one_page_per_certificate_in_order(tmp_path: Path) -> None:
    names = ["Siân Ŵyn", "فاطمة الزهراء", "王小明"]
    pdf = write(tmp_path / "batch.pdf", *(certificate(name) for name in names))
    texts = page_texts(pdf)
    assert len(texts) == 3
    for name, text in zip(names, texts, strict=True):
        assert normalise(name) in normalise(text)


def test_hours_date_milestone_and_signatory_read_as_in_the_uk(tmp_path: Path) -> None:
    pdf = write(
        tmp_path / "thanks.pdf",
        certificate(hours=40.0, milestone=50),
        certificate(hours=1),
        certificate(hours=1250.25),
        certificate(hours=0),
        signatory="Jane Smith",
    )
    first, one, many, none = page_texts(pdf)
    assert "in recognition of 40 hours of volunteering" in first and "40.0" not in first
    assert "for reaching 50 hours of volunteering" in first
    assert "07/03/2025" in first
    assert "Jane Smith" in first and f"on behalf of {ORGANISATION}" in first
    assert "in recognition of 1 hour of volunteering" in one
    assert "1,250.25 hours" in many
    assert "in recognition of your volunteering" in none


def test_user_text_is_printed_literally_never_read_as_markup(tmp_path: Path) -> None:
    name = '<b>Jo</b> & <img src="x"/>'
    message = 'Tea &amp; cake <font name="Courier">here</font><br/><a href="http://example.org">link</a>'
    pdf = write(tmp_path / "thanks.pdf", certificate(name, message=message), organisation_name="Smith & <i>Sons</i>")
    [text] = page_texts(pdf)
    for literal in (name, message, "Smith & <i>Sons</i>"):
        assert normalise(literal) in normalise(text)
    assert not any("Courier" in font for font in fonts_on(pdf))
    assert "/XObject" not in PdfReader(pdf).pages[0]["/Resources"]  # no image from <img>


def test_a_300_character_name_is_printed_whole_inside_the_border(tmp_path: Path) -> None:
    name = ("Maria Anna-Kowalska " * 15).strip()
    assert len(name) >= 299
    pdf = write(tmp_path / "thanks.pdf", certificate(name))
    texts = page_texts(pdf)
    assert len(texts) == 1
    assert normalise(name) in normalise(texts[0])
    assert "42.5 hours" in texts[0]
    assert all(32 < x < PAGE_WIDTH - 32 for x, _, _ in text_starts(pdf))


def test_a_long_name_in_arabic_is_printed_whole(tmp_path: Path) -> None:
    name = " ".join(["فاطمة الزهراء بنت محمد"] * 12)
    pdf = write(tmp_path / "thanks.pdf", certificate(name))
    [text] = page_texts(pdf)
    for word in set(name.split()):
        assert normalise(text).count(normalise(word)) >= name.split().count(word)


def test_metadata_names_the_certificate_the_organisation_and_the_app(tmp_path: Path) -> None:
    metadata = PdfReader(write(tmp_path / "thanks.pdf", certificate("Siân Ŵyn"))).metadata
    assert metadata is not None
    assert metadata.title == "Certificate of thanks – Siân Ŵyn"
    assert metadata.author == ORGANISATION
    assert metadata.creator == "Cohesion Desktop"


def test_a_logo_is_drawn(tmp_path: Path) -> None:
    pdf = write(tmp_path / "thanks.pdf", certificate(), logo=make_png(tmp_path / "logo.png"))
    assert "/XObject" in PdfReader(pdf).pages[0]["/Resources"]


def test_an_existing_file_is_replaced(folder: Path) -> None:
    target = folder / "thanks.pdf"
    target.write_bytes(b"old")
    write(target, certificate("王小明"))
    assert normalise("王小明") in normalise(page_texts(target)[0])
    assert sorted(p.name for p in folder.iterdir()) == ["thanks.pdf"]


def test_no_certificates_is_a_clear_error(folder: Path) -> None:
    with pytest.raises(CohesionError, match="no certificates"):
        write_certificates(folder / "thanks.pdf", [], organisation_name=ORGANISATION)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (certificate("  "), "has no volunteer name"),
        (certificate(hours=-1), "must be 0 or more"),
        (certificate(hours=float("nan")), "must be 0 or more"),
        (certificate(milestone=0), "milestone"),
        (certificate(message="Thank you for everything. " * 400), "too long to fit"),
    ],
)
def test_bad_certificates_are_refused_and_leave_the_target_untouched(
    folder: Path, bad: Certificate, message: str
) -> None:
    target = folder / "thanks.pdf"
    target.write_bytes(b"the previous certificates")
    with pytest.raises(CohesionError, match=message):
        write(target, certificate(), bad)
    assert target.read_bytes() == b"the previous certificates"
    assert [p.name for p in folder.iterdir()] == ["thanks.pdf"]


@pytest.mark.parametrize("kind", ["directory", "not an image", "missing"])
def test_a_bad_logo_is_a_clear_error_before_anything_is_written(tmp_path: Path, kind: str) -> None:
    logo = tmp_path / "logo.png"
    if kind == "directory":
        logo.mkdir()
    elif kind == "not an image":
        logo.write_bytes(b"\x89PNG\r\n\x1a\n this is not really a PNG")
    target = tmp_path / "exports" / "thanks.pdf"
    target.parent.mkdir()
    with pytest.raises(CohesionError, match="logo .* could not be read"):
        write(target, certificate(), logo=logo)
    assert list(target.parent.iterdir()) == []


def test_a_failure_while_drawing_leaves_no_file_and_the_old_one_untouched(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(certificates, "_draw_certificate", broken)
    fresh = folder / "fresh.pdf"
    with pytest.raises(RuntimeError):
        write(fresh, certificate())
    assert list(folder.iterdir()) == []

    existing = folder / "existing.pdf"
    existing.write_bytes(b"keep me")
    with pytest.raises(RuntimeError):
        write(existing, certificate())
    assert existing.read_bytes() == b"keep me"
    assert [p.name for p in folder.iterdir()] == ["existing.pdf"]


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CohesionError, match="does not exist"):
        write(tmp_path / "nowhere" / "thanks.pdf", certificate())
