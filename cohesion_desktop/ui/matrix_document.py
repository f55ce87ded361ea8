"""The open workshop's matrix in memory, shared by the editor and the projector window.

Every change goes through here: it is written at once (through the workshops service) as one command on
the window's undo stack, then the cells it touched are re-read and both windows are told. An undo of a
change made in another workshop asks the editor to open that workshop first (``switch_requested``).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from cohesion_desktop.changes import Changes
from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _
from cohesion_desktop.services import workshops
from cohesion_desktop.services.workshops import ActionInput, Entry, WorkshopDetail
from cohesion_desktop.ui.conflicts import Fields, keep_on_clipboard, save_checked
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.conflict_dialog import Resolution
from cohesion_desktop.ui.undo import run_undoable

if TYPE_CHECKING:
    from sqlmodel import Session

Cell = tuple[uuid.UUID, MatrixColumn]
# What an open matrix shows is read from these: another facilitator's change to one of them is read again.
SHOWN_FROM = ("workshop", "workshop_row", "workshop_partner", "matrix_entry", "partner", "action")


class MatrixDocument(QObject):
    """Signals: ``loaded()`` after a workshop is (re)loaded; ``cell_changed(row_id, column)``;
    ``presentation_changed()`` when the highlighted cell, voting mode or the timer change;
    ``switch_requested(workshop_id)`` when an undo touched a workshop that is not open."""

    loaded = Signal()
    cell_changed = Signal(object, object)
    presentation_changed = Signal()
    switch_requested = Signal(object)

    def __init__(self, context: ViewContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.detail: WorkshopDetail | None = None
        self._cells: dict[Cell, list[Entry]] = {}
        self.current: tuple[int, int] = (0, 0)  # (row index, column index) the facilitator is on
        self.highlight = False  # show the current cell on the projector
        self.voting = False
        self.timer_text = ""  # what the projector shows for the row timer ("" hides it)
        context.bus.changed.connect(self._heard)

    # ------------------------------------------------------------------ reading

    @property
    def workshop_id(self) -> uuid.UUID | None:
        return self.detail.id if self.detail else None

    def load(self, workshop_id: uuid.UUID) -> None:
        detail = self.context.workspace.read(workshops.get_workshop, workshop_id)
        self.detail = detail
        # One pass over the entries (they come in position order), not one per cell.
        self._cells = {(row.id, column): [] for row in detail.rows for column in MatrixColumn}
        for entry in detail.entries:
            self._cells.setdefault((entry.row_id, entry.column), []).append(entry)
        self.current = (0, 0)
        self.loaded.emit()

    def reload(self) -> None:
        if self.detail is not None:
            current = self.current
            self.load(self.detail.id)
            self.current = current

    def _heard(self, changes: Changes) -> None:
        # This window's own changes are shown already (each command refreshes its cells); others' are not.
        if changes.by_others and self.detail is not None and any(map(changes.may_have_changed, SHOWN_FROM)):
            self.read_again()

    def read_again(self) -> None:
        """Show what others changed in the open workshop (team mode): only the cells whose entries differ are
        redrawn, so a facilitator typing in another cell is not interrupted; a change of the workshop itself (its
        rows, title, partners present) shows the whole matrix again."""
        if self.detail is None:
            return
        try:
            detail = self.context.workspace.read(workshops.get_workshop, self.detail.id)
        except CohesionError:
            return  # removed meanwhile: what is shown stays until the facilitator moves on, whose next change says so
        if dataclasses.replace(detail, entries=()) != dataclasses.replace(self.detail, entries=()):
            self.reload()
            return
        cells: dict[Cell, list[Entry]] = {(row.id, column): [] for row in detail.rows for column in MatrixColumn}
        for entry in detail.entries:
            cells.setdefault((entry.row_id, entry.column), []).append(entry)
        self.detail = detail
        changed = [cell for cell, entries in cells.items() if self._cells.get(cell) != entries]
        self._cells.update(cells)
        for row_id, column in changed:
            self.cell_changed.emit(row_id, column)

    def entries(self, row_id: uuid.UUID, column: MatrixColumn) -> list[Entry]:
        return self._cells.get((row_id, column), [])

    def entry_count(self) -> int:
        return sum(len(entries) for entries in self._cells.values())

    def row_id(self, row_index: int) -> uuid.UUID:
        assert self.detail is not None
        return self.detail.rows[row_index].id

    def find(self, entry_id: uuid.UUID) -> Entry | None:
        for entries in self._cells.values():
            for entry in entries:
                if entry.id == entry_id:
                    return entry
        return None

    def _refresh(self, workshop_id: uuid.UUID, cells: Iterable[Cell]) -> None:
        if workshop_id != self.workshop_id:
            self.switch_requested.emit(workshop_id)
            return

        def read_cells(session: Session) -> dict[Cell, list[Entry]]:
            return {
                (row_id, column): workshops.cell_entries(session, workshop_id=workshop_id, row_id=row_id, column=column)
                for row_id, column in dict.fromkeys(cells)
            }

        self._cells.update(self.context.workspace.read(read_cells))
        for row_id, column in dict.fromkeys(cells):
            self.cell_changed.emit(row_id, column)

    def _run(
        self, text: str, do: Callable[[Session], Any], undo: Callable[[Session], Any], cells: Iterable[Cell]
    ) -> Any:
        assert self.detail is not None
        workshop_id, touched = self.detail.id, list(cells)
        return run_undoable(self.context, text, do=do, undo=undo, after=lambda: self._refresh(workshop_id, touched))

    # ------------------------------------------------------------------ changes (each one undoable)

    def add(self, row_id: uuid.UUID, column: MatrixColumn, text: str, partner_id: uuid.UUID | None = None) -> Entry:
        assert self.detail is not None
        workshop_id, entry_id = self.detail.id, uuid.uuid4()
        position = len(self.entries(row_id, column))
        created: list[bool] = []
        written: list[Entry] = []  # the entry the first write returned, for the cell to show it without a read

        def do(session: Session) -> Entry:
            if created:  # a redo brings the same entry back
                return workshops.restore_entry(session, entry_id=entry_id, position=position)
            created.append(True)
            entry = workshops.add_entry(
                session,
                workshop_id=workshop_id,
                row_id=row_id,
                column=column,
                text=text,
                partner_id=partner_id,
                entry_id=entry_id,
            )
            written.append(entry)
            return entry

        def after() -> None:
            # The first time, the entry went to the end of the cell shown: add it there, rather than read the cell
            # again while people are talking (a fifth of each entry's time on a large file). An undo or a redo, or
            # a cell that was not as shown, is read again.
            entry = written.pop() if written else None
            cached = self._cells.get((row_id, column))
            if (
                entry is not None
                and workshop_id == self.workshop_id
                and cached is not None
                and entry.position == len(cached)
            ):
                self._cells[(row_id, column)] = [*cached, entry]
                self.cell_changed.emit(row_id, column)
                return
            self._refresh(workshop_id, [(row_id, column)])

        return run_undoable(
            self.context,
            _("Add “{entry}”").format(entry=_short(text)),
            do=do,
            undo=lambda s: workshops.delete_entry(s, entry_id=entry_id),
            after=after,
        )

    def edit(self, entry: Entry, *, text: str) -> Resolution:
        """Change an entry's text, checked against the version shown: when somebody changed the entry meanwhile the
        person chooses what to keep (ui/conflicts.py). What they typed is never dropped unasked: on Cancel it stays
        on the clipboard, as the cell's editor has closed."""

        def save(version: int | None) -> Entry:
            assert self.detail is not None
            workshop_id, touched = self.detail.id, [(entry.row_id, entry.column)]
            return run_undoable(
                self.context,
                _("Edit “{entry}”").format(entry=_short(entry.text)),
                do=lambda s: workshops.edit_entry(s, entry_id=entry.id, text=text),
                undo=lambda s: workshops.edit_entry(s, entry_id=entry.id, text=entry.text),
                after=lambda: self._refresh(workshop_id, touched),
                now=lambda s: workshops.edit_entry(s, entry_id=entry.id, text=text, version=version),
            )

        def fields(shown: Entry, typed: str | None = None) -> Fields:
            return {_("Entry"): shown.text if typed is None else typed, _("Partner"): shown.partner_name}

        yours = fields(entry, text)
        chosen, _saved = save_checked(
            self.context,
            save,
            version=entry.version,
            shown=fields(entry),
            yours=yours,
            stored=lambda: fields(self.context.workspace.read(workshops.get_entry, entry.id)),
        )
        if chosen is Resolution.CANCEL:
            keep_on_clipboard(self.context, yours, fields(entry))
        if chosen is Resolution.SAVE_AS_NEW:
            self.add(entry.row_id, entry.column, text, entry.partner_id)
        elif chosen is not Resolution.SAVED and self.detail is not None:
            self._refresh(self.detail.id, [(entry.row_id, entry.column)])
        return chosen

    def move(self, entry: Entry, row_id: uuid.UUID, column: MatrixColumn, position: int) -> Entry:
        return self._run(
            _("Move “{entry}”").format(entry=_short(entry.text)),
            lambda s: workshops.move_entry(s, entry_id=entry.id, row_id=row_id, column=column, position=position),
            lambda s: workshops.move_entry(
                s, entry_id=entry.id, row_id=entry.row_id, column=entry.column, position=entry.position
            ),
            [(entry.row_id, entry.column), (row_id, column)],
        )

    def delete(self, entry: Entry) -> None:
        self._run(
            _("Delete “{entry}”").format(entry=_short(entry.text)),
            lambda s: workshops.delete_entry(s, entry_id=entry.id),
            lambda s: workshops.restore_entry(s, entry_id=entry.id, position=entry.position),
            [(entry.row_id, entry.column)],
        )

    def vote(self, entry: Entry, delta: int) -> Entry:
        votes = max(0, entry.votes + delta)
        return self._run(
            f"{'Vote for' if delta > 0 else 'Take a vote from'} “{_short(entry.text)}”",
            lambda s: workshops.set_votes(s, entry_id=entry.id, votes=votes),
            lambda s: workshops.set_votes(s, entry_id=entry.id, votes=entry.votes),
            [(entry.row_id, entry.column)],
        )

    def sort_by_votes(self, row_id: uuid.UUID, column: MatrixColumn) -> None:
        assert self.detail is not None
        workshop_id = self.detail.id
        before = [e.id for e in self.entries(row_id, column)]
        after = workshops.by_votes(self.entries(row_id, column))
        self._run(
            _("Sort “{column}” by votes").format(column=column.label),
            lambda s: workshops.order_cell(s, workshop_id=workshop_id, row_id=row_id, column=column, entry_ids=after),
            lambda s: workshops.order_cell(s, workshop_id=workshop_id, row_id=row_id, column=column, entry_ids=before),
            [(row_id, column)],
        )

    def make_action(self, entry: Entry, data: ActionInput) -> workshops.ActionRow:
        action_id = uuid.uuid4()
        created: list[bool] = []

        def do(session: Session) -> workshops.ActionRow:
            if created:
                workshops.restore_action(session, action_id=action_id)
                return workshops.get_action(session, action_id)
            created.append(True)
            return workshops.create_action(session, data=data, entry_id=entry.id, action_id=action_id)

        result = self._run(
            _("Make an action of “{entry}”").format(entry=_short(entry.text)),
            do,
            lambda s: workshops.delete_action(s, action_id=action_id),
            [(entry.row_id, entry.column)],
        )
        return result

    # ------------------------------------------------------------------ presentation (not stored)

    def set_current(self, row_index: int, column_index: int) -> None:
        if (row_index, column_index) != self.current:
            self.current = (row_index, column_index)
            if self.highlight:
                self.presentation_changed.emit()

    def set_highlight(self, on: bool) -> None:
        self.highlight = on
        self.presentation_changed.emit()

    def set_voting(self, on: bool) -> None:
        self.voting = on
        self.presentation_changed.emit()

    def set_timer_text(self, text: str) -> None:
        if text != self.timer_text:
            self.timer_text = text
            self.presentation_changed.emit()


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
