"""The folded text each searchable row carries, built in one place for the services and the generator."""

from __future__ import annotations

from collections.abc import Iterable

from cohesion_desktop.text import fold


def _join(parts: Iterable[str]) -> str:
    return fold(" | ".join(part for part in parts if part))


def partner_search_text(
    *, name: str, remit: str, themes: Iterable[str], places: Iterable[str], contacts: Iterable[str]
) -> str:
    """Name, remit, theme and place names, and contacts' names, roles and e-mails."""
    return _join([name, remit, *themes, *places, *contacts])


def volunteer_search_text(*, name: str, email: str, phone: str, skills: str) -> str:
    return _join([name, email, phone, skills])


def opportunity_search_text(*, title: str, description: str, skills: str, host: str, supporter: str, place: str) -> str:
    return _join([title, description, skills, host, supporter, place])
