"""Writing a PDF in the background, where text that no bundled font can print is the person's choice, not a stop.

A partner named "Canal Side Café ☕" must not stop a funder report on its deadline. The writer refuses such a PDF
naming every text it met (``pdf_text.UnprintableTextError``, nothing saved); here the person is told which texts,
and chooses to write it anyway, each character drawn as a visible replacement mark (``pdf_text.REPLACEMENT``), or
not. Every PDF the window writes (funder summary, certificates, workshop matrix and follow-up pack, the lists)
starts through :func:`start_pdf_task`, so they all ask the same question. A person who answers "Don't write it" has
just read the list: they are told only that the PDF was not written (``on_declined``), never the list again as an
error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from cohesion_desktop.export.pdf_text import REPLACEMENT, UnprintableTextError, replacing_unprintable
from cohesion_desktop.i18n import _, ngettext
from cohesion_desktop.ui.prompts import Prompts
from cohesion_desktop.ui.worker import BackgroundTask, TaskControl, start_task

SHOWN_TEXTS = 8  # more would make the message taller than a laptop's screen

_Result = TypeVar("_Result")


def start_pdf_task(
    work: Callable[[TaskControl], Any],
    *,
    prompts: Prompts,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    on_declined: Callable[[str], None],
    parent: QWidget | None = None,
    title: str = "",
    cancellable: bool = False,
    owner: QObject | None = None,
) -> BackgroundTask:
    """:func:`start_task` for ``work`` that writes a PDF; when text in it cannot be printed, ask whether to write it
    anyway, and if so run ``work`` again, printing replacement marks; if not, ``on_declined`` gets a short status
    to show (:func:`not_written`)."""

    def failed(problem: BaseException) -> None:
        if isinstance(problem, UnprintableTextError) and not agreed_to_replace(prompts, problem):
            on_declined(not_written())
            return
        if isinstance(problem, UnprintableTextError):

            def again(control: TaskControl) -> Any:
                with replacing_unprintable():  # in the thread that writes (a context variable)
                    return work(control)

            start_task(
                again,
                on_success=on_success,
                on_failure=on_failure,
                parent=parent,
                title=title,
                cancellable=cancellable,
                owner=owner,
            )
            return
        on_failure(problem)

    return start_task(
        work, on_success=on_success, on_failure=failed, parent=parent, title=title, cancellable=cancellable, owner=owner
    )


def write_pdf_now(write: Callable[[], _Result], *, prompts: Prompts) -> _Result | None:
    """``write()`` (a PDF, on the window's thread); when text in it cannot be printed, ask as :func:`start_pdf_task`
    and write again printing replacement marks. None: the person chose not to write it. Other errors propagate."""
    try:
        return write()
    except UnprintableTextError as problem:
        if not agreed_to_replace(prompts, problem):
            return None
    with replacing_unprintable():
        return write()


def not_written() -> str:
    """What a person who chose not to write the PDF is told: they have just read why."""
    return _("The PDF was not written.")


def agreed_to_replace(prompts: Prompts, problem: UnprintableTextError) -> bool:
    """Whether the person, told which texts cannot be printed, chose to write the PDF anyway."""
    return prompts.confirm(
        _("Characters that cannot be printed"),
        unprintable_question(problem),
        confirm_label=_("Write the PDF anyway"),
        cancel_label=_("Don't write it"),
    )


def unprintable_question(problem: UnprintableTextError) -> str:
    """Which texts have characters that no font can print (each with its characters), and the choice."""
    lines = [f"• “{item.shown}”: {item.listed}" for item in problem.found[:SHOWN_TEXTS]]
    hidden = len(problem.found) - SHOWN_TEXTS
    if hidden > 0:
        lines.append(ngettext("… and {n} more text", "… and {n} more texts", hidden).format(n=hidden))
    return (
        ngettext(
            "This text has characters that no font in Cohesion Desktop can print (an emoji, or a rare script):",
            "These texts have characters that no font in Cohesion Desktop can print (emoji, or a rare script):",
            len(problem.found),
        )
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _(
            "Write the PDF anyway with {mark} in their place, or don't write it and change the texts first. "
            "Everything else prints as usual."
        ).format(mark=REPLACEMENT)
    )
