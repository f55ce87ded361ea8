"""What the window offers on what is open: a team database has no backups, restore or merge of files from this
laptop, and an account's role (``db/access.py``) may not see volunteers or change anything. Each gate gives the
reason an action is greyed out (shown as its tooltip), or None when it is allowed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cohesion_desktop.i18n import N_, _

if TYPE_CHECKING:
    from cohesion_desktop.workspace import Workspace

Gate = Callable[["Workspace"], "str | None"]

ON_SERVER = N_(
    "A team database is backed up and restored on its server, by whoever looks after it, not from this laptop."
)
MERGE_ON_SERVER = N_("Merging a data file into a team database is not offered in the window: it merges data files.")
OFFLINE_COPY_OF_SERVER = N_(
    "An offline copy is taken of a team database; this data file is on this laptop already (File → Back up now… "
    "copies it)."
)
READ_ONLY = N_("Your account may only read this team database; ask one of its coordinators to change things.")
NO_SETTINGS = N_("Only the team database's coordinators may change its settings.")
NO_PEOPLE = N_("Your account may not read volunteers' personal data in this team database.")
NO_FIGURES = N_("Your account may not count volunteers in this team database, so it has no funder figures.")
NO_EXAMPLE = N_("The example town has volunteers; only a coordinator of the team database may load it.")

# The pages an account that may not read volunteers' personal data does not see.
PEOPLE_PAGES = frozenset({"volunteers"})


def data_file_only(workspace: Workspace) -> str | None:
    return _(ON_SERVER) if workspace.path is None else None


def team_database_only(workspace: Workspace) -> str | None:
    return _(OFFLINE_COPY_OF_SERVER) if workspace.path is not None else None


def merges_files(workspace: Workspace) -> str | None:
    return _(MERGE_ON_SERVER) if workspace.path is None else None


def makes_changes(workspace: Workspace) -> str | None:
    return None if workspace.access.changes else _(READ_ONLY)


def changes_settings(workspace: Workspace) -> str | None:
    return None if workspace.access.settings else _(NO_SETTINGS)


def sees_people(workspace: Workspace) -> str | None:
    return None if workspace.access.people else _(NO_PEOPLE)


def counts_people(workspace: Workspace) -> str | None:
    return None if workspace.access.people_figures else _(NO_FIGURES)


def hidden_pages(workspace: Workspace) -> frozenset[str]:
    """The sidebar's pages the account may not see."""
    return frozenset() if workspace.access.people else PEOPLE_PAGES


def role_note(workspace: Workspace) -> str:
    """What the status bar adds after a team database's name for an account that may not do everything."""
    access = workspace.access
    if not access.changes:
        return " · " + _("read only")
    if not access.people:
        return " · " + _("no volunteers' personal data")
    return ""
