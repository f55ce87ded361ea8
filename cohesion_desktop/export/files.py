"""Writing a file the user takes away so that a failure never leaves half of one: shared by the PDF writers."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError

from cohesion_desktop.errors import CohesionError


def save_error(what: str, path: Path, exc: OSError, *, open_in: str = "another program") -> CohesionError:
    """``what`` (e.g. "The matrix") could not be saved as ``path``: the system's reason, and what to do about the
    usual one (the file is open elsewhere, which Windows refuses)."""
    reason = exc.strerror or str(exc)
    hint = f" If the file is open in {open_in}, close it and try again." if isinstance(exc, PermissionError) else ""
    return CohesionError(f"{what} could not be saved as {path}: {reason}.{hint}")


def write_pdf(path: Path, build: Callable[[Path], None], *, what: str, open_in: str = "another program",
              too_long: str | None = None) -> Path:
    """``build(temporary)`` writes the PDF beside ``path``; it is synced to disk, then moved over ``path``.

    A failure or a cancel raised by ``build`` leaves nothing at ``path`` and an older file there unchanged.

    Raises:
        CohesionError: The file could not be written or moved (see :func:`save_error`), or, when ``too_long``
            says what to do about it, some text could not fit on a page.
    """
    try:
        handle, temporary_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".pdf.tmp", dir=path.parent)
        os.close(handle)
    except OSError as exc:
        raise save_error(what, path, exc, open_in=open_in) from exc
    temporary = Path(temporary_name)
    try:
        build(temporary)
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
