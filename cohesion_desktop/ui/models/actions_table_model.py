"""Actions across all workshops, with the filters of the Actions page applied in the model."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from cohesion_desktop.domain import ActionStatus
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.services.workshops import ActionRow
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel


@dataclass(frozen=True)
class ActionFilter:
    owner_id: uuid.UUID | None = None
    status: ActionStatus | None = None
    overdue_only: bool = False
    query: str = ""


class ActionsTableModel(RowsTableModel[ActionRow]):
    """Every action; ``set_filter`` narrows what is shown. An overdue action's due date and status are marked."""

    def __init__(self, parent: Any = None, today: Callable[[], date] = date.today) -> None:
        def overdue(action: ActionRow) -> bool:
            return action.is_overdue(today())

        super().__init__(
            [
                Column(N_("Action"), lambda a: a.title),
                Column(N_("Owner"), lambda a: a.owner or _("(no owner)"), sort_key=lambda a: a.owner),
                Column(N_("Due"), lambda a: a.due_on, warn=overdue),
                Column(
                    N_("Status"),
                    lambda a: _("{status} – overdue").format(status=a.status.label) if overdue(a) else a.status.label,
                    warn=overdue,
                    sort_key=lambda a: list(ActionStatus).index(a.status),
                ),
                Column(N_("Workshop"), lambda a: a.workshop),
                Column(
                    N_("From"),
                    lambda a: f"{a.row_title} · {a.column.label}" if a.column else "",
                    sort_key=lambda a: (a.row_title, a.column.label if a.column else ""),
                ),
                Column(N_("Entry"), lambda a: a.entry_text),
            ],
            parent,
        )
        self._filter = ActionFilter()
        self._today = today

    def set_filter(self, wanted: ActionFilter) -> None:
        self._filter = wanted
        self.refilter()

    def shown_of(self, rows: list[ActionRow]) -> list[ActionRow]:
        wanted, today = self._filter, self._today()
        query = wanted.query.casefold().strip()
        return [
            a
            for a in rows
            if (wanted.owner_id is None or a.owner_id == wanted.owner_id)
            and (wanted.status is None or a.status == wanted.status)
            and (not wanted.overdue_only or a.is_overdue(today))
            and (not query or query in f"{a.title} {a.owner} {a.workshop} {a.entry_text}".casefold())
        ]
