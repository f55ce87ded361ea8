"""What a data file holds, at a glance (``cohesion-desktop check``, Help → About, the empty state)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel, col

from cohesion_desktop.db import models
from cohesion_desktop.db.models import Deletable

# What `check` lists, in the order users think of them.
COUNTED_TABLES: tuple[tuple[str, type[SQLModel]], ...] = (
    ("Partners", models.Partner),
    ("Contacts", models.Contact),
    ("Themes", models.Theme),
    ("Places", models.Place),
    ("Opportunities", models.Opportunity),
    ("Volunteers", models.Volunteer),
    ("Placements", models.Placement),
    ("Hours entries", models.HoursEntry),
    ("Recognitions", models.Recognition),
    ("Matrix templates", models.MatrixTemplate),
    ("Workshops", models.Workshop),
    ("Matrix entries", models.MatrixEntry),
    ("Actions", models.Action),
)


@dataclass(frozen=True)
class TableCount:
    label: str
    count: int


def row_counts(session: Session) -> list[TableCount]:
    """How many live (not deleted) rows each table holds."""
    counts = []
    for label, table in COUNTED_TABLES:
        query = select(func.count()).select_from(table)
        if issubclass(table, Deletable):
            query = query.where(col(table.deleted_at).is_(None))
        counts.append(TableCount(label, int(session.execute(query).scalar_one())))
    return counts


def is_empty(session: Session) -> bool:
    """True for a file with no partners, volunteers or workshops yet: the app shows its empty state."""
    for table in (models.Partner, models.Volunteer, models.Workshop):
        found = session.execute(select(col(table.id)).where(col(table.deleted_at).is_(None)).limit(1)).first()
        if found is not None:
            return False
    return True
