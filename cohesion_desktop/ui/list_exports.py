"""Writing a list the user takes away (directory, volunteers, mailing list, calendar): choose where, write in
the background, then say where it went or why nothing was written. Shared by the pages and the File menu."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from cohesion_desktop.formatting import format_iso_date
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.pdf_tasks import start_pdf_task
from cohesion_desktop.ui.prompts import Prompts
from cohesion_desktop.ui.worker import TaskControl

FILTERS = {
    ".xlsx": "Excel workbook (*.xlsx)",
    ".pdf": "PDF document (*.pdf)",
    ".csv": "CSV file (*.csv)",
    ".ics": "iCalendar file (*.ics)",
}


def choose_target(prompts: Prompts, title: str, stem: str, suffix: str) -> Path | None:
    """Ask where to save ``stem-YYYY-MM-DD.suffix`` (in the home folder to begin with); the suffix is added when
    the user typed a name without it."""
    target = prompts.save_path(title, Path.home() / f"{stem}-{format_iso_date(date.today())}{suffix}", FILTERS[suffix])
    if target is None:
        return None
    return target if target.suffix.lower() == suffix else target.with_name(target.name + suffix)


def write_in_background(
    parent: QWidget,
    prompts: Prompts,
    *,
    title: str,
    work: Callable[[], Any],
    done: Callable[[Any], str],
    show_status: Callable[[str], None],
) -> None:
    """Run ``work`` off the window's thread with a progress dialog; then tell ``done(result)``, or the problem
    (``show_status``: a PDF the person chose not to write)."""

    def run(_control: TaskControl) -> Any:
        return work()

    start_pdf_task(  # a list may be a PDF
        run,
        prompts=prompts,
        on_success=lambda result: prompts.info(title, done(result)),
        on_failure=lambda problem: prompts.error(title, _("Nothing was written: {problem}").format(problem=problem)),
        on_declined=show_status,
        parent=parent,
        title=f"{title}…",
    )
