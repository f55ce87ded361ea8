"""The workshop matrix (one workshop, several, or a synthesis of several) as Excel and as PDF.

The services build these plain values; the writers lay them out. See ``write_matrix_xlsx`` and
``write_matrix_pdf``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from cohesion_desktop.domain import MatrixColumn


@dataclass(frozen=True)
class MatrixEntryOut:
    """One card of a cell."""

    text: str
    partner: str = ""  # who said it, when attributed
    votes: int = 0
    source: str = ""  # in a synthesis: the workshop it came from
    has_action: bool = False


@dataclass(frozen=True)
class MatrixRowOut:
    title: str  # "1. Building cross-sectoral partnerships"
    description: str = ""
    cells: Mapping[MatrixColumn, Sequence[MatrixEntryOut]] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionOut:
    title: str
    owner: str
    due_on: date | None
    status: str  # its label: "Open", "Done" …
    workshop: str
    row: str
    column: str  # the column's label
    entry: str


@dataclass(frozen=True)
class MatrixOut:
    """A workshop's matrix, or a synthesis of several workshops (``is_synthesis``)."""

    title: str
    subtitle: str  # "12/05/2026 · Millbrook · facilitated by Helen Ashworth", or the workshops combined
    rows: Sequence[MatrixRowOut]
    held_on: date | None = None
    partners_present: Sequence[str] = ()
    actions: Sequence[ActionOut] = ()
    is_synthesis: bool = False
    workshops: Sequence[str] = ()  # in a synthesis: "Northgate roundtable (01/03/2026)" …
