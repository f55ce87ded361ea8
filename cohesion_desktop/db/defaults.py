"""The themes and matrix templates every new data file starts with (from ``resources/vocabularies``).

A built-in template is stored in English, with its ``builtin_key``, and never changed (saving it makes a copy): its
name, row titles and descriptions are translated where they are shown (``services/workshops.py``), so that one data
file reads in English on one laptop and in Welsh on another. Its source, a citation of an English publication, is
kept as written. ``make translations`` finds the texts through :func:`extract_template_texts`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

from sqlalchemy import Connection, insert

from cohesion_desktop.db.models import MatrixTemplate, MatrixTemplateRow, Theme, utcnow
from cohesion_desktop.paths import resource_path
from cohesion_desktop.text import fold


@dataclass(frozen=True)
class TemplateDefinition:
    key: str
    name: str
    source: str
    is_default: bool
    rows: tuple[tuple[str, str], ...]  # (title, description)


def extract_template_texts(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> list[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor for ``resources/vocabularies/templates.json``: each built-in template's name, row titles
    and row descriptions, as texts to translate (the Makefile's ``translations`` and tests/test_i18n.py use it)."""
    loaded = json.load(fileobj)
    found: list[tuple[int, str | None, str, list[str]]] = []
    for template in loaded.get("templates", []):
        found.append((1, None, template["name"], ["A matrix template that comes with the app: its name."]))
        for row in template["rows"]:
            found.append((1, None, row["title"], [f"A row of the template “{template['name']}”."]))
            if row.get("description"):
                found.append((1, None, row["description"], [f"What the row “{row['title']}” is about."]))
    return found


@cache
def _load(name: str) -> dict[str, Any]:
    with resource_path("vocabularies", name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
        return loaded


def default_themes() -> list[str]:
    return list(_load("themes.json")["themes"])


def default_templates() -> list[TemplateDefinition]:
    return [
        TemplateDefinition(
            key=item["key"],
            name=item["name"],
            source=item.get("source", ""),
            is_default=bool(item.get("default", False)),
            rows=tuple((row["title"], row.get("description", "")) for row in item["rows"]),
        )
        for item in _load("templates.json")["templates"]
    ]


def seed_defaults(connection: Connection) -> None:
    """Insert the shipped themes and templates (Core inserts: this runs inside schema creation)."""
    now = utcnow()
    stamps = {"created_at": now, "updated_at": now}
    connection.execute(
        insert(Theme),
        [
            {"id": uuid.uuid4(), "name": name, "name_key": fold(name), "description": "", **stamps}
            for name in default_themes()
        ],
    )
    for template in default_templates():
        template_id = uuid.uuid4()
        connection.execute(
            insert(MatrixTemplate).values(
                id=template_id,
                name=template.name,
                description="",
                source=template.source,
                builtin_key=template.key,
                is_default=template.is_default,
                **stamps,
            )
        )
        connection.execute(
            insert(MatrixTemplateRow),
            [
                {
                    "id": uuid.uuid4(),
                    "template_id": template_id,
                    "position": position,
                    "title": title,
                    "description": description,
                    **stamps,
                }
                for position, (title, description) in enumerate(template.rows)
            ],
        )
