"""The History button of the partner, volunteer, opportunity and workshop editors: the record's history in a
dialog, and "Restore this version" as one undoable change."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _
from cohesion_desktop.services import history
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.history_dialog import HistoryDialog
from cohesion_desktop.ui.undo import try_undoable


def show_history(
    context: ViewContext,
    *,
    kind: str,
    record_id: uuid.UUID,
    name: str,
    parent: QWidget | None = None,
    after: Callable[[], None] = lambda: None,
) -> bool:
    """Show the history of one record; True when a version was restored."""
    try:
        lines = context.workspace.read(history.record_history, kind=kind, record_id=record_id)
    except CohesionError as exc:
        context.prompts.error(_("History"), str(exc))
        return False
    dialog = HistoryDialog(name, lines, parent=parent)
    if not dialog.exec() or dialog.chosen is None:
        return False
    chosen = dialog.chosen
    replaced: dict[str, str | None] = {}

    def restore(session) -> None:
        replaced.clear()
        replaced.update(history.restore_version(session, kind=kind, record_id=record_id, entry_id=chosen.id))

    when = history.when_words(chosen.at)
    if not try_undoable(
        context,
        _("Restore this version"),
        _("Restore {name} as it was on {when}").format(name=name, when=when),
        do=restore,
        undo=lambda session: history.put_values(session, kind=kind, record_id=record_id, values=dict(replaced)),
        after=after,
    ):
        return False
    context.show_status(_("Restored {name} as it was on {when}.").format(name=name, when=when), offer_undo=True)
    return True
