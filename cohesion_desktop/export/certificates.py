"""Certificates of thanks for volunteers: one A4 landscape page each, in one PDF.

The seeds ask that volunteers be "recognised and rewarded"; a certificate carries the organisation's
name (and logo), the volunteer's name in whatever script they write it, their hours, a short message,
the date and a signature line. Names and messages go through :mod:`pdf_text`, so they are escaped,
shaped and set in embedded fonts. The file is written atomically: a failure leaves no half-written PDF
and whatever file was at the target before stays as it was.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from cohesion_desktop import APP_NAME
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.files import read_logo, write_pdf
from cohesion_desktop.export.pdf_text import (
    ACCENT,
    FONT_REGULAR,
    INK,
    MUTED,
    draw_centred_line,
    paragraph,
    register_fonts,
    text_width,
)
from cohesion_desktop.formatting import format_date, plural_count
from cohesion_desktop.i18n import N_, Translator, _, current, in_each_language, ngettext, speaking

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
_CENTRE = PAGE_WIDTH / 2
_COLUMN = PAGE_WIDTH - 2 * 90  # width of the text, well inside the border
_LOGO_BOX = (180.0, 54.0)  # width, height
_NAME_SIZE = 40.0
_NAME_BLOCK = 64.0  # height kept for the name, however long, so the rest of the page never moves
_NAME_SMALLEST_ONE_LINE = 22.0  # below this a long name reads better on two or three lines
_MESSAGE_BOTTOM = 132.0  # the message stays above the date and signature lines
_SIGNATURE_RULE_Y = 98.0


@dataclass(frozen=True)
class Certificate:
    """One certificate of thanks.

    Attributes:
        volunteer_name: the name as the volunteer writes it, in any script.
        hours: hours volunteered, shown as "42.5" or "40"; 0 prints "in recognition of your volunteering".
        message: a short message, wrapped on the page; may be empty.
        awarded_on: the date printed on the certificate (dd/mm/yyyy).
        title: the heading of the page; empty: "Certificate of thanks" in the certificate's language.
        milestone: hours reached, for a milestone certificate: 50 adds "for reaching 50 hours of volunteering".
    """

    volunteer_name: str
    hours: float
    message: str
    awarded_on: date
    title: str = ""
    milestone: int | None = None

    @property
    def heading(self) -> str:
        """The heading printed, in the language spoken now (see ``i18n.speaking``) unless one was given."""
        return self.title or _(DEFAULT_TITLE)


DEFAULT_TITLE = N_("Certificate of thanks")


def write_certificates(
    path: Path,
    certificates: Sequence[Certificate],
    *,
    organisation_name: str,
    logo: Path | None = None,
    signatory: str = "",
    language: Translator | str | None = None,
) -> Path:
    """Write one page per certificate, in order, to a PDF at ``path``.

    Args:
        path: the PDF to write; an existing file is replaced only once the new one is complete.
        certificates: one or more certificates.
        organisation_name: printed at the top and under the signature line, and the PDF's author.
            May be empty (then it is left out).
        logo: a PNG or JPEG printed above the organisation's name.
        signatory: the name printed under the signature line ("Signature" when empty).
        language: what the certificates' own words are written in: "en", "cy", or "cy+en" (Welsh, then English);
            None is the interface's language. The PDF's /Lang says which (Welsh first when bilingual).

    Returns:
        ``path``.

    Raises:
        CohesionError: no certificates; a certificate without a name, with negative hours or with a message
            too long for the page; a logo that cannot be read as an image; a file that cannot be written.
            The file at ``path`` is then left as it was.
        UnprintableTextError: names, messages or titles have characters that no bundled font draws (a
            ``CohesionError`` saying which), unless the person agreed to print them as a replacement mark
            (:func:`pdf_text.replacing_unprintable`); the file at ``path`` is then left as it was.
    """
    with speaking(language):
        return _write(path, certificates, organisation_name=organisation_name, logo=logo, signatory=signatory)


def _write(
    path: Path, certificates: Sequence[Certificate], *, organisation_name: str, logo: Path | None, signatory: str
) -> Path:
    path = Path(path)
    if not certificates:
        raise CohesionError(_("There are no certificates to write: choose at least one volunteer."))
    for number, certificate in enumerate(certificates, start=1):
        _check(certificate, number)
    # A bad logo is a choice the user can correct: say so before writing anything.
    logo_image = read_logo(Path(logo)) if logo is not None else None
    if not path.parent.is_dir():
        raise CohesionError(
            _("The certificates could not be saved: the folder {folder} does not exist.").format(folder=path.parent)
        )
    register_fonts()
    lang = current().tag

    return write_pdf(
        path,
        lambda temporary: _build(
            temporary, certificates, organisation_name.strip(), logo_image, signatory.strip(), lang
        ),
        what=_("The certificates"),
        open_in=_("a PDF viewer"),
    )


def _check(certificate: Certificate, number: int) -> None:
    name = certificate.volunteer_name.strip()
    if not name:
        raise CohesionError(_("Certificate {number} has no volunteer name.").format(number=number))
    if not math.isfinite(certificate.hours) or certificate.hours < 0:
        raise CohesionError(
            _("The hours on the certificate for {name} must be 0 or more, not {hours}.").format(
                name=name, hours=certificate.hours
            )
        )
    if certificate.milestone is not None and certificate.milestone <= 0:
        raise CohesionError(
            _("The milestone on the certificate for {name} must be a number of hours above 0.").format(name=name)
        )


def _build(
    target: Path,
    certificates: Sequence[Certificate],
    organisation: str,
    logo: ImageReader | None,
    signatory: str,
    lang: str,
) -> None:
    # initialFontName: otherwise reportlab names Helvetica, a font it does not embed, on every page.
    canvas = Canvas(
        str(target),
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        initialFontName=FONT_REGULAR,
        pageCompression=1,
        lang=lang,
    )
    first = certificates[0]
    if len(certificates) == 1:
        canvas.setTitle(f"{first.heading} – {first.volunteer_name.strip()}")
    else:
        count = len(certificates)
        volunteers = ngettext("{n} volunteer", "{n} volunteers", count).format(n=count)
        canvas.setTitle(f"{first.heading} ({volunteers})")
    canvas.setSubject(first.heading)
    if organisation:
        canvas.setAuthor(organisation)
    canvas.setCreator(APP_NAME)
    for certificate in certificates:
        _draw_certificate(canvas, certificate, organisation, logo, signatory)
        canvas.showPage()
    canvas.save()


def _draw_certificate(
    canvas: Canvas, certificate: Certificate, organisation: str, logo: ImageReader | None, signatory: str
) -> None:
    _draw_border(canvas)
    y = PAGE_HEIGHT - 62
    if logo is not None:
        y = _draw_logo(canvas, logo, top=y) - 10
    if organisation:
        canvas.setFillColor(ACCENT)
        _draw_fitted_line(canvas, organisation, y - 16, size=15, smallest=8)
    canvas.setFillColor(ACCENT)
    y -= 66
    _draw_fitted_line(canvas, certificate.heading, y, size=36, smallest=14, bold=True)
    canvas.setFillColor(MUTED)
    y -= 38
    # Fitted: a bilingual certificate says each line twice, which can be wider than the page.
    _draw_fitted_line(canvas, _("This certificate is presented to"), y, size=13, smallest=8)

    canvas.setFillColor(INK)
    y = _draw_name(canvas, certificate.volunteer_name.strip(), top=y - 12) - 6
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.6)
    canvas.line(_CENTRE - 190, y, _CENTRE + 190, y)

    y -= 32
    _draw_fitted_line(canvas, _recognition(certificate.hours), y, size=16, smallest=9)
    if certificate.milestone is not None:
        canvas.setFillColor(ACCENT)
        y -= 24
        hours = certificate.milestone
        reaching = in_each_language(lambda: _("for reaching {hours} of volunteering").format(hours=_hours(hours)))
        _draw_fitted_line(canvas, reaching, y, size=13, smallest=8, bold=True)
    if certificate.message.strip():
        _draw_message(canvas, certificate, top=y - 16)
    _draw_signature_lines(canvas, certificate.awarded_on, organisation, signatory)


def _draw_border(canvas: Canvas) -> None:
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(2.5)
    canvas.rect(24, 24, PAGE_WIDTH - 48, PAGE_HEIGHT - 48)
    canvas.setLineWidth(0.8)
    canvas.rect(32, 32, PAGE_WIDTH - 64, PAGE_HEIGHT - 64)


def _draw_logo(canvas: Canvas, logo: ImageReader, *, top: float) -> float:
    """Draw the logo centred under ``top``, scaled into its box; return its bottom."""
    image_width, image_height = logo.getSize()
    scale = min(_LOGO_BOX[0] / image_width, _LOGO_BOX[1] / image_height)
    width, height = image_width * scale, image_height * scale
    canvas.drawImage(logo, _CENTRE - width / 2, top - height, width, height, mask="auto")
    return top - height


def _draw_fitted_line(canvas: Canvas, text: str, y: float, *, size: float, smallest: float, bold: bool = False) -> None:
    """One centred line, shrunk to the text column if it is too wide (cut with '…' below ``smallest``)."""
    width = text_width(text, size, bold)
    if width > _COLUMN:
        size = max(smallest, size * _COLUMN / width)
        while text_width(text, size, bold) > _COLUMN and len(text) > 1:
            text = text[:-2].rstrip() + "…"
    draw_centred_line(canvas, text, _CENTRE, y, size, bold)


def _draw_name(canvas: Canvas, name: str, *, top: float) -> float:
    """Draw the name as big as fits in the name block under ``top``; return the block's bottom."""
    bottom = top - _NAME_BLOCK
    size = min(_NAME_SIZE, _NAME_SIZE * _COLUMN / max(text_width(name, _NAME_SIZE), 1.0))
    if size >= _NAME_SMALLEST_ONE_LINE:
        # Baseline a little below the middle, so capitals and Arabic descenders both stay in the block.
        draw_centred_line(canvas, name, _CENTRE, top - _NAME_BLOCK / 2 - size * 0.3, size)
        return bottom
    size = _NAME_SMALLEST_ONE_LINE - 2
    while size >= 6:
        style = ParagraphStyle(
            "name", fontName=FONT_REGULAR, fontSize=size, leading=size * 1.3, alignment=TA_CENTER, textColor=INK
        )
        para = paragraph(name, style)
        _width, height = para.wrap(_COLUMN, _NAME_BLOCK)
        if height <= _NAME_BLOCK:
            para.drawOn(canvas, _CENTRE - _COLUMN / 2, top - (_NAME_BLOCK + height) / 2)
            return bottom
        size -= 1
    raise CohesionError(_("The name “{name}…” is too long to fit on a certificate.").format(name=name[:40]))


def _draw_message(canvas: Canvas, certificate: Certificate, *, top: float) -> None:
    """The message, centred in the space left above the signature lines, in the biggest size that fits."""
    available = top - _MESSAGE_BOTTOM
    width = _COLUMN - 60
    size = 13.0
    while size >= 8:
        style = ParagraphStyle(
            "message", fontName=FONT_REGULAR, fontSize=size, leading=size * 1.45, alignment=TA_CENTER, textColor=MUTED
        )
        para = paragraph(certificate.message.strip(), style)
        _width, height = para.wrap(width, available)
        if height <= available:
            # A little above the middle of the free space: a short message then sits with the text above it.
            para.drawOn(canvas, _CENTRE - width / 2, top - (available - height) * 0.4 - height)
            return
        size -= 0.5
    raise CohesionError(
        _(
            "The message on the certificate for {name} is too long to fit on the page ({n} characters). "
            "Please shorten it."
        ).format(name=certificate.volunteer_name.strip(), n=len(certificate.message.strip()))
    )


def _draw_signature_lines(canvas: Canvas, awarded_on: date, organisation: str, signatory: str) -> None:
    """Date on the left, a line to sign on the right, each with a small label under it."""
    left, right = PAGE_WIDTH * 0.29, PAGE_WIDTH * 0.71
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.6)
    for centre in (left, right):
        canvas.line(centre - 110, _SIGNATURE_RULE_Y, centre + 110, _SIGNATURE_RULE_Y)
    canvas.setFillColor(INK)
    draw_centred_line(canvas, f"{format_date(awarded_on)}", left, _SIGNATURE_RULE_Y + 8, 13)
    canvas.setFillColor(MUTED)
    draw_centred_line(canvas, _("Date"), left, _SIGNATURE_RULE_Y - 15, 9.5)
    label = signatory or _("Signature")
    if text_width(label, 10.5) > 240:
        label = label[:60].rstrip() + "…"
    draw_centred_line(canvas, label, right, _SIGNATURE_RULE_Y - 15, 10.5)
    if organisation and signatory:
        on_behalf = _("on behalf of {organisation}").format(organisation=organisation)
        size = min(9.0, 9.0 * 300 / max(text_width(on_behalf, 9.0), 1.0))
        draw_centred_line(canvas, on_behalf, right, _SIGNATURE_RULE_Y - 28, max(size, 6.0))


def _hours(hours: float) -> str:
    """'42.5 hours', '40 hours', '1 hour', '1,250 hours': no '40.0', at most two decimals."""
    number = f"{hours:,.2f}".rstrip("0").rstrip(".")
    return ngettext("{hours} hour", "{hours} hours", plural_count(hours)).format(hours=number)


def _recognition(hours: float) -> str:
    if round(hours, 2) == 0:
        return _("in recognition of your volunteering")
    return in_each_language(lambda: _("in recognition of {hours} of volunteering").format(hours=_hours(hours)))
