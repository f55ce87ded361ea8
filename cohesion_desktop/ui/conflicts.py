"""Saving from an editor that hands back the version it showed: when somebody else saved the record meanwhile, the
person is shown both versions and chooses (ui/dialogs/conflict_dialog.py); nothing is overwritten silently.

An editor gives :func:`save_checked` three things: ``save(version)`` (its save, refused with ``ConflictError`` when
the stored version is no longer ``version``), and its fields as it showed them and as they are now, beside a
function that reads the stored record's fields (each a label and the text shown for it, the same way for all three).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from cohesion_desktop.changes import Changes
from cohesion_desktop.domain import LabelledEnum
from cohesion_desktop.errors import CohesionError, ConflictError, NotFoundError
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.conflict_dialog import Difference, Resolution

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - what a dialog edits (an *Input dataclass)
Fields = Mapping[str, str]  # a field's label → its value as the editor shows it

# A save re-tried without asking (the other change touched nothing this editor shows) this many times at most:
# somebody saving the same record in a loop must not keep this one spinning.
_QUIET_RETRIES = 3


def save_checked(
    context: ViewContext,
    save: Callable[[int | None], T],
    *,
    version: int | None,
    shown: Fields,
    yours: Fields,
    stored: Callable[[], Fields],
    as_new: bool = True,
) -> tuple[Resolution, T | None]:
    """Run ``save(version)``; on a conflict, ask the person what to keep and act on it. Returns SAVED and what the
    save returned, or the person's other choice (the caller reloads for SHOW_THEIRS, saves anew for SAVE_AS_NEW;
    CANCEL and DISCARD: nothing was written). ``save`` and ``stored()`` may raise NotFoundError: the record was
    deleted meanwhile; ``as_new``: whether the editor can then save what it holds as a new record (if not, the
    NotFoundError goes on to the caller)."""
    quiet = 0
    while True:
        try:
            return Resolution.SAVED, save(version)
        except NotFoundError:
            # Deleted meanwhile (a deletion is recoverable, so the record is there but no longer shown): what was
            # typed need not go with it.
            if not as_new:
                raise
            said = _("Removed by someone else while you were editing.")
            return context.prompts.resolve_conflict(said, differences(yours, None), removed=True), None
        except ConflictError as conflict:
            try:
                theirs: Fields | None = stored()
            except NotFoundError:
                theirs = None
            untouched = theirs is not None and all(theirs.get(label) == value for label, value in shown.items())
            if untouched and conflict.theirs is not None and quiet < _QUIET_RETRIES:
                # They changed nothing this editor shows (a vote, a position in a cell): saving over it loses
                # nothing of theirs, so nobody is asked.
                quiet += 1
                version = conflict.theirs
                continue
            chosen = context.prompts.resolve_conflict(
                conflict.said,
                differences(yours, theirs),
                removed=theirs is None or conflict.theirs is None,
                as_new=as_new,
            )
            if chosen is Resolution.SAVE_MINE and conflict.theirs is not None:
                version = conflict.theirs
                continue
            if chosen is Resolution.SHOW_THEIRS:
                keep_on_clipboard(context, yours, theirs or {})
            return chosen, None


def meanwhile_label() -> QLabel:
    """The small note an editor shows over unsaved typing when somebody else saved the record meanwhile (hidden
    until then; see :func:`hold_typing`)."""
    note = QLabel()
    note.setObjectName("changed_meanwhile")
    note.setWordWrap(True)
    note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    note.hide()
    return note


def hold_typing(context: ViewContext, note: QLabel, kind: str, record_id: uuid.UUID, version: int) -> bool:
    """Told of a change (another person's save, heard by live refresh) while the person has typed something not yet
    saved: whether the record (of table ``kind``) shown at ``version`` was saved or removed since. If so, the editor
    keeps what it shows (the typing, and the version, so that its save asks which to keep) and ``note`` says who and
    when; if not, the editor may refresh the rest without touching the typing."""
    from cohesion_desktop.db.versions import changed_since, meanwhile_note

    found = context.workspace.read(changed_since, kind, record_id, version)
    if found is None:
        return False
    note.setText(meanwhile_note(found))
    note.show()
    return True


def differences(yours: Fields, theirs: Fields | None) -> list[Difference]:
    """The fields whose values differ (all of mine when theirs is gone), in the editor's order."""
    if theirs is None:
        return [Difference(label, value, "") for label, value in yours.items() if value.strip()]
    return [
        Difference(label, value, theirs.get(label, ""))
        for label, value in yours.items()
        if value != theirs.get(label, "")
    ]


def keep_on_clipboard(context: ViewContext, yours: Fields, theirs: Fields) -> None:
    """Put what the person typed (the fields that differ from the stored record) on the clipboard, and say so: the
    editor is about to show the stored record instead."""
    lines = [f"{d.field}: {d.yours}" for d in differences(yours, theirs)]
    if not lines:
        return
    QGuiApplication.clipboard().setText("\n".join(lines))
    context.show_status(_("What you typed is on the clipboard: paste it with Ctrl+V."))


def shown_value(value: Any, names: Mapping[uuid.UUID, str] | None = None) -> str:
    """A stored value as a person reads it: labels, dates as dd/mm/yyyy, Yes/No, names for ids, lists joined."""
    if value is None:
        return ""
    if isinstance(value, LabelledEnum):
        return value.label
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, uuid.UUID):
        return (names or {}).get(value, "")
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(item, names) for item in value)
    return str(value).strip()  # (its lines kept: a remit or notes read as typed)


def record_fields(record: object, labels: Mapping[str, str], names: Mapping[uuid.UUID, str] | None = None) -> Fields:
    """The fields of a dataclass (``labels``: field name → what the editor calls it) as a person reads them."""
    assert dataclasses.is_dataclass(record)
    return {label: shown_value(getattr(record, name), names) for name, label in labels.items()}


def edit_in_dialog(
    context: ViewContext,
    *,
    title: str,
    read: Callable[[], tuple[I, int]],
    ask: Callable[[I], I | None],
    save: Callable[[I, I, int | None], object],
    fields: Callable[[I], Fields],
    save_as_new: Callable[[I], object] | None,
    kind: str | None = None,
    record_id: uuid.UUID | None = None,
) -> Resolution:
    """Edit a record in a dialog and save it with the version read: ``read()`` gives the record as an input and its
    version, ``ask(values)`` opens the dialog filled with them, ``save(before, after, version)`` saves. When
    somebody saved the record meanwhile, the person chooses: Cancel opens the dialog again as they typed it; Show
    theirs opens it with the stored record. ``save_as_new``: how to keep the values as a new record when the record
    was removed meanwhile (None: it cannot be). A refused save is said in a message titled ``title``. ``kind`` and
    ``record_id`` (the record's table and id): while the dialog is open, another person's save of it is said in the
    status bar ("Changed by Sam at 14:02: saving will ask which to keep."); the dialog keeps what is typed."""
    shown, version = read()
    typed = shown

    def heard(changes: Changes) -> None:
        if not changes.by_others or kind is None or record_id is None or not changes.may_have_changed(kind):
            return
        if changes.names_rows_of([kind]) and record_id not in changes.ids:
            return
        from cohesion_desktop.db.versions import changed_since, meanwhile_note

        found = context.workspace.read(changed_since, kind, record_id, version)
        if found is not None:
            context.show_status(meanwhile_note(found))

    def asked(values: I) -> I | None:
        context.bus.changed.connect(heard)
        try:
            return ask(values)
        finally:
            context.bus.changed.disconnect(heard)

    while True:
        after = asked(typed)
        if after is None or after == shown:
            return Resolution.CANCEL
        before = shown
        try:
            chosen, _saved = save_checked(
                context,
                lambda v, before=before, after=after: save(before, after, v),  # type: ignore[misc]
                version=version,
                shown=fields(before),
                yours=fields(after),
                stored=lambda: fields(read()[0]),
                as_new=save_as_new is not None,
            )
            if chosen is Resolution.SAVE_AS_NEW and save_as_new is not None:
                save_as_new(after)
        except CohesionError as exc:
            context.prompts.error(title, str(exc))
            return Resolution.CANCEL
        if chosen is Resolution.CANCEL:
            typed = after  # back to editing, nothing lost
        elif chosen is Resolution.SHOW_THEIRS:
            try:
                shown, version = read()
            except CohesionError as exc:
                context.prompts.error(title, str(exc))
                return Resolution.CANCEL
            typed = shown
        else:
            return chosen
