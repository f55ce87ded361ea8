"""Writing an accepted import plan: in the background (progress after 300 ms; Cancel writes nothing), then the
whole import as one step on the undo stack, the report shown and the page reloaded. One way for every import."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.undo import push_done
from cohesion_desktop.ui.worker import Cancelled, TaskControl, start_task

log = logging.getLogger(__name__)


class Report(Protocol):
    """What the services' import reports share."""

    def summary(self) -> str: ...

    def lines(self) -> list[str]: ...


# Files above this are read in the background with progress (a 50,000-row workbook takes seconds to read).
READ_IN_BACKGROUND_BYTES = 512 * 1024


def open_import_dialog(page: QWidget, dialog: Any, path: Path | None, then: Callable[[Any], None]) -> None:
    """Ask for a file (unless given), read it into ``dialog`` (a ``SheetImportDialog``) – in the background
    with progress and Cancel when it is large – show the dialog, and hand the plan the user accepts to
    ``then``. Nothing happens when the user cancels, or when the file cannot be read (a message says why)."""
    chosen = path or dialog.ask_path()
    if chosen is None:
        return

    def show() -> None:
        if dialog.exec() and dialog.value is not None:
            then(dialog.value)

    try:
        large = chosen.stat().st_size > READ_IN_BACKGROUND_BYTES
    except OSError:
        large = False
    if not large:
        if dialog.choose_file(chosen):
            show()
        return

    def failed(problem: BaseException) -> None:
        if isinstance(problem, Cancelled):
            dialog.context.show_status("Import cancelled; nothing was read.")
        elif isinstance(problem, CohesionError):
            dialog.context.prompts.error(_(dialog.import_title), str(problem))
        else:  # a bug: said, and logged, rather than raised into Qt's event loop
            log.error("reading %s failed", chosen, exc_info=problem)
            dialog.context.prompts.error(
                _(dialog.import_title),
                _("{name} could not be read: {problem}").format(name=chosen.name, problem=problem),
            )

    def loaded(result: Any) -> None:
        dialog.adopt(result)
        show()

    start_task(
        lambda control: dialog.read_file(chosen, control.progress),
        on_success=loaded,
        on_failure=failed,
        parent=page,
        title=f"Reading {chosen.name}…",
        cancellable=True,
    )


def run_import(
    page: QWidget,
    context: ViewContext,
    *,
    what: str,
    apply: Callable[..., Any],
    plan: object,
    undo: Callable[..., None],
    redo: Callable[..., None],
    count: Callable[[Any], int],
    after: Callable[[], None],
    source: Path | None = None,
) -> None:
    """Apply ``plan`` with ``apply(session, plan, progress=…)`` in the background; then push ``undo``/``redo``
    (each called as ``f(session, report=report)``) as one step named after the ``count(report)`` rows written.

    ``what`` names the records in messages ("partners", "volunteers", "hours entries")."""
    workspace = context.workspace
    name = source.name if source is not None else "a spreadsheet"
    title = f"Import {what}"

    def work(control: TaskControl) -> Any:
        return workspace.write(apply, plan, progress=control.progress).value

    def failed(problem: BaseException) -> None:
        if isinstance(problem, Cancelled):
            context.show_status("Import cancelled; nothing was written.")
        else:
            context.prompts.error(title, _("Nothing was imported: {problem}").format(problem=problem))

    def finished(report: Any) -> None:
        log.info("imported %s from %s: %s", what, name, report.summary())
        after()
        written = count(report)
        if written:
            noun = what if written != 1 else what.removesuffix("s")
            push_done(
                context,
                f"Import {written:,} {noun} from {name}",
                do=lambda s: redo(s, report=report),
                undo=lambda s: undo(s, report=report),
                after=after,
            )
        context.prompts.info(_("Import finished"), "\n".join(report.lines()))
        context.show_status(f"{report.summary()} Undo takes the whole import back.", offer_undo=bool(written))

    start_task(work, on_success=finished, on_failure=failed, parent=page, title=f"Importing {what}…", cancellable=True)
