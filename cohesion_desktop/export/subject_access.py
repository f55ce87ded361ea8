"""A subject access request written for the person it is about (text), or for another system (JSON)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cohesion_desktop import APP_NAME, __version__
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.files import reserve_beside, save_error
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import _, labelled


def write_subject_access(
    path: Path,
    *,
    name: str,
    produced_on: date,
    organisation: str,
    sections: Sequence[tuple[str, Sequence[tuple[str, str]]]],
) -> Path:
    """Write every section and field: ``.json`` for machines, anything else as readable UTF-8 text.

    The titles and labels come in the language they were made in (the interface's); the JSON's own keys
    ("subject", "sections", "field" …) stay English whatever that language, so another system reads any file alike.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=path.parent))
    if path.suffix.lower() == ".json":
        content = json.dumps(
            {
                "subject": name,
                "produced_on": produced_on.isoformat(),
                "controller": organisation,
                "produced_by": f"{APP_NAME} {__version__}",
                "sections": [
                    {"section": title, "fields": [{"field": label, "value": value} for label, value in fields]}
                    for title, fields in sections
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
    else:
        lines = [
            _("Everything {organisation} holds about {name}").format(organisation=organisation, name=name)
            if organisation
            else _("Everything we hold about {name}").format(name=name),
            _("Produced on {day} by {app} {version}, in answer to a subject access request under UK GDPR.").format(
                day=format_date(produced_on), app=APP_NAME, version=__version__
            ),
            "",
        ]
        for title, fields in sections:
            lines += [title, "-" * len(title)]
            lines += [labelled(label, value or _("(none)")) for label, value in fields]
            lines.append("")
        content = "\n".join(lines)
    try:
        # Owner-only: one person's personal data, whatever the folder's other files allow.
        temporary = reserve_beside(path, ".tmp", personal_data=True)
    except OSError as exc:
        raise save_error(_("The subject access file"), path, exc) from exc
    try:
        with temporary.open("w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise save_error(_("The subject access file"), path, exc) from exc
        raise
    return path
