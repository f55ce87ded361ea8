"""Writing an accepted import plan: in the background (progress after 300 ms; Cancel writes nothing), then the
whole import as one step on the undo stack, the report shown and the page reloaded. One way for every import."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ImportWords:
    """What an import's messages say, each a whole translated text: Welsh mutates a noun after a numeral, so no
    message is built from a noun and a count.

    Attributes:
        title: The title of its messages: "Import partners".
        working: What the progress dialog says while it writes: "Importing partners…".
        step: The undo step for ``n`` records written: "Import 12 partners" (through ``ngettext``).
    """

    title: str
    working: str
    step: Callable[[int], str]


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
            dialog.context.show_status(_("Import cancelled; nothing was read."))
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
        title=_("Reading {name}…").format(name=chosen.name),
        cancellable=True,
    )


def run_import(
    page: QWidget,
    context: ViewContext,
    *,
    words: ImportWords,
    apply: Callable[..., Any],
    plan: object,
    undo: Callable[..., None],
    redo: Callable[..., None],
    count: Callable[[Any], int],
    after: Callable[[], None],
    source: Path | None = None,
) -> None:
    """Apply ``plan`` with ``apply(session, plan, progress=…)`` in the background; then push ``undo``/``redo``
    (each called as ``f(session, report=report)``) as one step named after the ``count(report)`` rows written."""
    workspace = context.workspace
    title = words.title

    def work(control: TaskControl) -> Any:
        return workspace.write(apply, plan, progress=control.progress).value

    def failed(problem: BaseException) -> None:
        if isinstance(problem, Cancelled):
            context.show_status(_("Import cancelled; nothing was written."))
        else:
            context.prompts.error(title, _("Nothing was imported: {problem}").format(problem=problem))

    def finished(report: Any) -> None:
        after()
        written = count(report)
        log.info("import from %s finished: %d records written", source.name if source else "a spreadsheet", written)
        if written:
            step = words.step(written)
            if source is not None:
                step = _("{step} from {file}").format(step=step, file=source.name)
            push_done(
                context,
                step,
                do=lambda s: redo(s, report=report),
                undo=lambda s: undo(s, report=report),
                after=after,
            )
        context.prompts.info(_("Import finished"), "\n".join(report.lines()))
        context.show_status(
            _("{summary} Undo takes the whole import back.").format(summary=report.summary()), offer_undo=bool(written)
        )

    start_task(work, on_success=finished, on_failure=failed, parent=page, title=words.working, cancellable=True)
