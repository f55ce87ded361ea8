"""What the account that opened a store may read and change, so that the window shows only what works for it.

A data file is its owner's: everything. On a team database the server decides (``roles.py`` grants each role its
tables and columns) and is asked here, once, in one round trip, with ``has_table_privilege`` and
``has_column_privilege``: the window never guesses a role from a name, and an account that IT granted something
unusual gets the pages its grants allow. The server still refuses whatever the window would wrongly offer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from cohesion_desktop.db import models


@dataclass(frozen=True)
class Access:
    """What an account may do.

    Attributes:
        changes: It may add and change records (a viewer may not).
        people: It may read volunteers' personal data: names, contact details, checks (a facilitator may not).
        people_figures: It may count people (the funder figures: active volunteers, placements per person); a
            viewer may, a facilitator may not.
        settings: It may change the organisation's settings (a coordinator only).
    """

    changes: bool = True
    people: bool = True
    people_figures: bool = True
    settings: bool = True

    @property
    def everything(self) -> bool:
        return self.changes and self.people and self.people_figures and self.settings


EVERYTHING = Access()

# One question per fact, each answered by the server about the account that is connected.
_ASKED = text(
    "SELECT has_table_privilege(:changed, 'INSERT') AND has_table_privilege(:changed, 'UPDATE'),"
    " has_table_privilege(:people, 'SELECT'),"
    " has_column_privilege(:placements, 'volunteer_id', 'SELECT'),"
    " has_table_privilege(:settings, 'UPDATE')"
)


def access_of(engine: Engine) -> Access:
    """What the account of ``engine`` may do: everything in a data file; on a team database, what the server says."""
    if engine.dialect.name != "postgresql":
        return EVERYTHING
    with engine.connect() as connection:
        changes, people, figures, settings = connection.execute(
            _ASKED,
            {
                "changed": models.Partner.__tablename__,
                "people": models.Volunteer.__tablename__,
                "placements": models.Placement.__tablename__,
                "settings": models.Setting.__tablename__,
            },
        ).one()
    return Access(changes=bool(changes), people=bool(people), people_figures=bool(figures), settings=bool(settings))
