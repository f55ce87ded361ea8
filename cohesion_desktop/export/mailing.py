"""The mailing list as a CSV file in the layout that common mailing tools import (Mailchimp, Brevo, Outlook).

Header ``Email Address, First Name, Last Name, Consent Date``; one row per person; UTF-8; the consent date as
YYYY-MM-DD, which every tool reads the same way. A cell that a spreadsheet would run as a formula gets a
leading apostrophe (:func:`~cohesion_desktop.export.xlsx.safe_csv_text`), and line breaks become spaces so that
a row stays one line. The file holds people's e-mail addresses: it is readable by its owner only.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.files import reserve_beside, save_error
from cohesion_desktop.export.xlsx import safe_csv_text
from cohesion_desktop.i18n import _

HEADER = ("Email Address", "First Name", "Last Name", "Consent Date")


@dataclass(frozen=True)
class MailingRow:
    """One person who agreed to be contacted and has not withdrawn."""

    email: str
    first_name: str
    last_name: str
    consent_given_on: date | None


def split_name(name: str) -> tuple[str, str]:
    """First name and last name of a name typed as one: the first word, and the rest ("Mary Ann Jones" gives
    "Mary" and "Ann Jones"; one word is a first name)."""
    words = name.split()
    return (words[0], " ".join(words[1:])) if words else ("", "")


def _cell(text: str) -> str:
    return safe_csv_text(" ".join(text.split()))  # one line per row, whatever was pasted into the field


def write_mailing_csv(path: Path, rows: Sequence[MailingRow]) -> Path:
    """Write the mailing list; a failure leaves nothing at ``path`` and an older file there unchanged.

    Raises:
        CohesionError: A missing folder, or a file that cannot be written.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=path.parent))
    try:
        temporary = reserve_beside(path, ".csv.tmp", personal_data=True)
    except OSError as exc:
        raise save_error(_("The mailing list"), path, exc) from exc
    try:
        with temporary.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(HEADER)
            for row in rows:
                given = row.consent_given_on.isoformat() if row.consent_given_on else ""
                writer.writerow([_cell(row.email), _cell(row.first_name), _cell(row.last_name), given])
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise save_error(_("The mailing list"), path, exc) from exc
        raise
    return path
