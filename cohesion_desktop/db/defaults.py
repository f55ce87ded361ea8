"""The themes and matrix templates every new data file starts with (from ``resources/vocabularies``).

A built-in template is stored in English, with its ``builtin_key``, and never changed (saving it makes a copy): its
name, row titles and descriptions are translated where they are shown (``services/workshops.py``), so that one data
file reads in English on one laptop and in Welsh on another. Its source, a citation of an English publication, is
kept as written. ``make translations`` finds the texts through :func:`extract_template_texts`.

The shipped themes are the same: stored in English (a user may rename or add themes, so a theme has no key), and a
theme whose folded name is a shipped one is shown in the current language (:func:`shown_theme`); a label typed or
ticked in that language is stored as the English theme it names (:func:`stored_theme`), so that "Gwirfoddoli" links
the partner to "Volunteering" rather than creating a second theme.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

from sqlalchemy import Connection, insert

from cohesion_desktop import i18n
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


def extract_theme_texts(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> list[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor for ``resources/vocabularies/themes.json``: each shipped theme's name."""
    return [
        (1, None, name, ["A theme that comes with the app: a subject partners work on."])
        for name in json.load(fileobj).get("themes", [])
    ]


@cache
def _load(name: str) -> dict[str, Any]:
    with resource_path("vocabularies", name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
        return loaded


def default_themes() -> list[str]:
    return list(_load("themes.json")["themes"])


@cache
def _shipped_themes() -> dict[str, str]:
    """The shipped themes' English names, by folded name."""
    return {fold(name): name for name in default_themes()}


def shown_theme(name: str) -> str:
    """A theme's name as shown: a shipped theme's in the current language, any other as stored."""
    shipped = _shipped_themes().get(fold(name))
    return name if shipped is None else i18n._(shipped)


@cache
def _shipped_theme_labels(language: str) -> dict[str, str]:
    """The shipped themes' English names, by the folded label each has in ``language`` (one language: "cy")."""
    translate = i18n.Translator(language).gettext
    return {fold(translate(name)): name for name in default_themes()}


def stored_theme(label: str) -> str:
    """The name to store for a theme typed or ticked as ``label``: the English name of the shipped theme it is the
    label of in the current language (or either language of a bilingual export), else ``label`` itself."""
    key = fold(label)
    for language in i18n.current().languages:
        shipped = _shipped_theme_labels(language).get(key)
        if shipped is not None:
            return shipped
    return label


def shipped_theme_matches(term: str) -> list[str]:
    """The folded English names of the shipped themes whose label in the current language (other than English)
    holds ``term``, a folded search word: a partner's stored search text holds the English names only."""
    return [
        fold(name)
        for language in i18n.current().languages
        if language != "en"
        for label, name in _shipped_theme_labels(language).items()
        if term in label
    ]


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
