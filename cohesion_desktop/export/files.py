"""Writing a file the user takes away so that a failure never leaves half of one: shared by the PDF writers.

A saved file gets the permissions any program would give it (read for others, as the system's umask allows,
like the .xlsx exports), so a colleague on a shared drive can open it; a file of one person's personal data
(a subject access export) is readable by its owner only, on systems that have owners.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.platypus.doctemplate import LayoutError

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export import pdf_text
from cohesion_desktop.i18n import _


def save_error(what: str, path: Path, exc: OSError, *, open_in: str | None = None) -> CohesionError:
    """``what`` (e.g. "The matrix", translated) could not be saved as ``path``: the system's reason, and what to do
    about the usual one (the file is open elsewhere, which Windows refuses). ``open_in``: the program it may be open
    in ("Excel"); None says "another program"."""
    reason = exc.strerror or str(exc)
    text = _("{what} could not be saved as {path}: {reason}.").format(what=what, path=path, reason=reason)
    if isinstance(exc, PermissionError):
        program = open_in or _("another program")
        text += " " + _("If the file is open in {program}, close it and try again.").format(program=program)
    return CohesionError(text)


USER_FILE_MODE = 0o666  # less the umask, as for any file a program creates
PERSONAL_DATA_MODE = 0o600  # owner only


def reserve_beside(path: Path, suffix: str, *, personal_data: bool = False) -> Path:
    """Create an empty, hidden, uniquely named file beside ``path`` to write into and then move over it.

    Not ``tempfile.mkstemp``: that makes every file owner-only, and the move carries the mode to ``path``.

    Raises:
        OSError: The folder is missing or not writable.
    """
    mode = PERSONAL_DATA_MODE if personal_data else USER_FILE_MODE
    while True:
        candidate = path.with_name(f".{path.stem}-{secrets.token_hex(4)}{suffix}")
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
        except FileExistsError:
            continue
        return candidate


def write_pdf(
    path: Path,
    build: Callable[[Path], None],
    *,
    what: str,
    open_in: str | None = None,
    too_long: str | None = None,
) -> Path:
    """``build(temporary)`` writes the PDF beside ``path``; it is synced to disk, then moved over ``path``.

    A failure or a cancel raised by ``build`` leaves nothing at ``path`` and an older file there unchanged. So does
    text with characters that no bundled font draws, unless the person agreed to print them as a replacement mark
    (:func:`pdf_text.replacing_unprintable`): every such text of the document is named at once.

    Raises:
        CohesionError: The file could not be written or moved (see :func:`save_error`), or, when ``too_long``
            says what to do about it, some text could not fit on a page.
        UnprintableTextError: Texts with characters no bundled font draws (each named), not agreed to.
    """
    try:
        temporary = reserve_beside(path, ".pdf.tmp")
    except OSError as exc:
        raise save_error(what, path, exc, open_in=open_in) from exc
    try:
        with pdf_text.noting_unprintable() as unprintable:
            build(temporary)
        if unprintable and not pdf_text.replaces_unprintable():
            raise pdf_text.UnprintableTextError(unprintable)
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise save_error(what, path, exc, open_in=open_in) from exc
        if isinstance(exc, LayoutError) and too_long is not None:
            raise CohesionError(too_long) from exc
        raise
    return path


def read_logo(logo: Path) -> ImageReader:
    """The logo decoded in full, or a clear error before anything is written (a truncated file fails here, not
    half-way through a PDF)."""
    try:
        image = ImageReader(str(logo))
        width, height = image.getSize()
        image.getRGBData()
    except Exception as exc:  # PIL and reportlab raise many kinds of error for a file that is not an image
        raise CohesionError(
            _("The logo {path} could not be read as a PNG or JPEG image. Choose another file, or no logo.").format(
                path=logo
            )
        ) from exc
    if width <= 0 or height <= 0:
        raise CohesionError(_("The logo {path} is an empty image. Choose another file, or no logo.").format(path=logo))
    return image
