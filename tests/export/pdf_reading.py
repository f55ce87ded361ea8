"""Reading back the PDFs the app writes, the way a reader (or a screen reader) would."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader


def normalise(text: str) -> str:
    """Comparable text: pypdf gives Arabic as presentation forms (NFKC folds them back to letters) and
    spaces and vowel marks where it likes, so both go."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Mn")


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def text_starts(path: Path, page: int = 0) -> list[tuple[float, float, str]]:
    """(x, y, text) where each piece of text starts on the page."""
    starts: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            starts.append((x, y, text))

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return starts


def fonts_on(path: Path, page: int = 0) -> dict[str, bool]:
    """Every font the page uses: its PDF name and whether its TrueType program is embedded."""
    resources = PdfReader(path).pages[page]["/Resources"]
    fonts: dict[str, bool] = {}
    for font in resources["/Font"].values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")  # base-14 fonts have none
        fonts[str(font["/BaseFont"])] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    return fonts


def render(path: Path, page: int = 0, *, dpi: float = 72) -> Image.Image:
    """The page drawn as a person sees it (pdfium, as in Chrome), in shades of grey; one pixel is 72/dpi points."""
    document = pdfium.PdfDocument(path)
    try:
        return document[page].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def inked_columns(image: Image.Image, box: tuple[float, float, float, float], *, dpi: float = 72) -> list[int]:
    """The pixel columns (from the box's left) with ink in ``box`` (left, bottom, right, top, in PDF points
    from the page's bottom left): a pixel is ink when it is clearly darker than the white paper."""
    scale = dpi / 72
    left, bottom, right, top = box
    height = image.height
    area = image.crop(
        (round(left * scale), round(height - top * scale), round(right * scale), round(height - bottom * scale))
    )
    width = area.width
    pixels = area.tobytes()
    return sorted({index % width for index, value in enumerate(pixels) if value < 160})


def certificate_name_ink(pdf: Path, page: int = 0) -> list[int]:
    """The inked pixel columns (at 48 dpi) of a certificate's name block, under "This certificate is presented
    to" (certificates.py: a block 64 points tall, 12 points under that line's baseline)."""
    [(_, presented_y, _)] = [start for start in text_starts(pdf, page) if "presented to" in start[2]]
    return inked_columns(render(pdf, page, dpi=48), (90, presented_y - 12 - 58, 752, presented_y - 12), dpi=48)
