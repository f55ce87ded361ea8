"""Undoable edits: every change a user makes is one command on the window's QUndoStack.

The change is made *before* the command is pushed, so a change the service refuses (a validation error,
a full disk) never reaches the stack; later undo/redo failures are reported and the command dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtGui import QUndoCommand, QUndoStack

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.context import ViewContext

if TYPE_CHECKING:
    from sqlmodel import Session

log = logging.getLogger(__name__)

T = TypeVar("T")
Step = Callable[["Session"], object]


class ServiceCommand(QUndoCommand):
    """``do`` and ``undo`` are functions of a session, run through the workspace (whose notice of what changed
    refreshes every page that shows it); ``after`` refreshes what the caller shows besides."""

    def __init__(
        self, text: str, context: ViewContext, do: Step, undo: Step, after: Callable[[], None] = lambda: None
    ) -> None:
        super().__init__(text)
        self._context = context
        self._do = do
        self._undo = undo
        self._after = after
        self._skip_first_redo = True  # the change was made before the push

    def _run(self, step: Step) -> None:
        try:
            self._context.workspace.write(step)
        except CohesionError as exc:
            self.setObsolete(True)
            self._context.prompts.error(
                _("Undo"), _("'{text}' could not be undone or redone: {exc}").format(text=self.text(), exc=exc)
            )
        except Exception:  # never let an exception cross into Qt's C++ stack
            log.exception("undo step failed")
            self.setObsolete(True)
            self._context.prompts.error(
                _("Undo"), _("'{text}' could not be undone or redone.").format(text=self.text())
            )
        self._after()

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)


def run_undoable(
    context: ViewContext,
    text: str,
    do: Callable[[Session], T],
    undo: Step,
    after: Callable[[], None] = lambda: None,
    *,
    now: Callable[[Session], T] | None = None,
) -> T:
    """Make the change now (exceptions propagate to the caller, nothing is pushed), then push its undo.

    ``now``: the change as made now when it differs from a redo's ``do``: a save checked against the version the
    editor showed (``version=``), whose undo and redo later apply over whatever the record's version is then."""
    result = context.workspace.write(now or do).value
    stack: QUndoStack = context.undo_stack
    stack.push(ServiceCommand(text, context, do, undo, after))
    after()
    return result


def push_done(context: ViewContext, text: str, do: Step, undo: Step, after: Callable[[], None] = lambda: None) -> None:
    """Push the undo of a change already made (in the background, with progress): redo is ``do`` again."""
    context.undo_stack.push(ServiceCommand(text, context, do, undo, after))


def try_undoable(
    context: ViewContext,
    title: str,
    text: str,
    do: Callable[[Session], object],
    undo: Step,
    after: Callable[[], None] = lambda: None,
) -> bool:
    """:func:`run_undoable`, telling the user (a message titled ``title``) when the change was refused; True when
    it was made."""
    try:
        run_undoable(context, text, do=do, undo=undo, after=after)
    except CohesionError as exc:
        context.prompts.error(title, str(exc))
        return False
    return True
