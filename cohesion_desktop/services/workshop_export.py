"""Exporting workshops (one, several, or a synthesis of several) to Excel or PDF."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlmodel import Session

from cohesion_desktop.db import models
from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.followup import (
    Attendee,
    FollowUpPack,
    PackAction,
    PackCell,
    PackRow,
    PackWords,
    SaidEntry,
    VotedEntry,
    pack_words,
)
from cohesion_desktop.export.matrix import ActionOut, MatrixEntryOut, MatrixOut, MatrixRowOut
from cohesion_desktop.formatting import format_date, format_iso_date
from cohesion_desktop.i18n import Translator, _, ngettext, speaking
from cohesion_desktop.services import workshops

# The exports below take ``language``: what their own words are written in, "en", "cy" or "cy+en" (Welsh, then
# English); None is the interface's language. The user's words (titles, entries, names) are printed as typed.
Language = Translator | str | None

FORMATS = (".xlsx", ".pdf")


def _actions(session: Session, workshop_ids: Sequence[uuid.UUID]) -> list[ActionOut]:
    return [
        ActionOut(
            title=a.title,
            owner=a.owner,
            due_on=a.due_on,
            status=a.status.label,
            workshop=a.workshop,
            row=a.row_title,
            column=a.column.label if a.column else "",
            entry=a.entry_text,
        )
        for a in workshops.list_actions(session, workshop_ids=workshop_ids)
    ]


def workshop_matrix(session: Session, workshop_id: uuid.UUID) -> MatrixOut:
    detail = workshops.get_workshop(session, workshop_id)
    parts = [
        f"{format_date(detail.held_on)}",
        detail.place,
        _("facilitated by {name}").format(name=detail.facilitator) if detail.facilitator else "",
    ]
    return MatrixOut(
        title=detail.title,
        subtitle=" · ".join(p for p in parts if p),
        held_on=detail.held_on,
        rows=[
            MatrixRowOut(
                title=row.title,
                description=row.description,
                cells={
                    column: [
                        MatrixEntryOut(
                            text=e.text, partner=e.partner_name, votes=e.votes, has_action=e.action_count > 0
                        )
                        for e in detail.cell(row.id, column)
                    ]
                    for column in MatrixColumn
                },
            )
            for row in detail.rows
        ],
        partners_present=[name for _id, name in detail.partners],
        actions=_actions(session, [workshop_id]),
    )


def synthesis_matrix(session: Session, workshop_ids: Sequence[uuid.UUID]) -> MatrixOut:
    combined = workshops.synthesis(session, workshop_ids=workshop_ids)
    sources = [f"{w.title} ({format_date(w.held_on)})" for w in combined.workshops]
    count = len(combined.workshops)
    return MatrixOut(
        title=ngettext("Synthesis of {n} workshop", "Synthesis of {n} workshops", count).format(n=count),
        subtitle="; ".join(sources),
        is_synthesis=True,
        workshops=sources,
        rows=[
            MatrixRowOut(
                title=row.title,
                cells={
                    column: [
                        MatrixEntryOut(text=e.text, partner=e.partner, votes=e.votes, source=e.workshop)
                        for e in row.cells.get(column, ())
                    ]
                    for column in MatrixColumn
                },
            )
            for row in combined.rows
        ],
        actions=_actions(session, workshop_ids),
    )


def _organisation(session: Session) -> str:
    setting = session.get(models.Setting, "organisation_name")
    return setting.value if setting else ""


def write(path: Path, matrices: Sequence[MatrixOut], organisation: str) -> Path:
    """Write to .xlsx or .pdf, chosen by the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise CohesionError(
            _("Choose a file ending in .xlsx (Excel) or .pdf, not “{name}”.").format(name=Path(path).name)
        )
    if not Path(path).expanduser().parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=Path(path).parent))
    # Imported here: reportlab and openpyxl cost start-up time the window should not pay.
    from cohesion_desktop.export.matrix import write_matrix_pdf, write_matrix_xlsx

    writer = write_matrix_xlsx if suffix == ".xlsx" else write_matrix_pdf
    try:
        return writer(Path(path).expanduser(), matrices, organisation=organisation)
    except OSError as exc:
        raise CohesionError(
            _(
                "{name} could not be written ({reason}). If it is open in another program, close it and try again."
            ).format(name=Path(path).name, reason=exc.strerror or exc)
        ) from exc


def export_workshops(
    session: Session, *, workshop_ids: Sequence[uuid.UUID], path: Path, language: Language = None
) -> Path:
    """One or more workshops, each its own matrix (``cohesion-desktop export workshop``), in ``language``."""
    if not workshop_ids:
        raise CohesionError(_("There are no workshops to export."))
    with speaking(language):
        return write(path, [workshop_matrix(session, w) for w in workshop_ids], _organisation(session))


def export_synthesis(
    session: Session, *, workshop_ids: Sequence[uuid.UUID], path: Path, language: Language = None
) -> Path:
    """A synthesis of several workshops, in ``language``."""
    with speaking(language):
        return write(path, [synthesis_matrix(session, workshop_ids)], _organisation(session))


# ---------------------------------------------------------------------------- the follow-up pack

MOST_VOTED = 10  # entries in the pack's "most voted" list, more when several tie for the last place
# Characters Windows refuses in a file name, and control characters.
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_LONGEST_STEM = 80


def followup_pack(
    session: Session, *, workshop_id: uuid.UUID, today: date | None = None, words: PackWords | None = None
) -> FollowUpPack:
    """What the follow-up pack of a workshop says, labelled in ``words`` (None: :func:`pack_words`, in the language
    spoken now: see ``i18n.speaking``).

    The most-voted list holds the ``MOST_VOTED`` entries with the most votes (and any that tie with the last of
    them), entries without votes never; equal votes keep the matrix's order (row, column, position).
    """
    detail = workshops.get_workshop(session, workshop_id)
    rows = [
        PackRow(
            title=row.title,
            description=row.description,
            cells=[
                PackCell(
                    column=column.label,
                    entries=[
                        SaidEntry(text=e.text, partner=e.partner_name, votes=e.votes)
                        for e in detail.cell(row.id, column)
                    ],
                )
                for column in MatrixColumn
            ],
        )
        for row in detail.rows
    ]
    return FollowUpPack(
        title=detail.title,
        held_on=detail.held_on,
        produced_on=today or date.today(),
        place=detail.place,
        facilitator=detail.facilitator,
        organisation=_organisation(session),
        rows=rows,
        most_voted=_most_voted(rows),
        actions=[
            PackAction(
                title=a.title,
                owner=a.owner,
                due_on=a.due_on,
                status=a.status.label,
                entry=a.entry_text,
                row=a.row_title,
                column=a.column.label if a.column else "",
            )
            for a in workshops.list_actions(session, workshop_ids=[workshop_id])
        ],
        attended=[
            Attendee(organisation=name, sector=sector.label)
            for name, sector in workshops.partners_present(session, workshop_id)
        ],
        words=words or pack_words(),
    )


def _most_voted(rows: Sequence[PackRow]) -> list[VotedEntry]:
    voted = [
        VotedEntry(text=e.text, votes=e.votes, row=row.title, column=cell.column, partner=e.partner)
        for row in rows
        for cell in row.cells
        for e in cell.entries
        if e.votes > 0
    ]
    voted.sort(key=lambda entry: -entry.votes)  # stable: ties keep the matrix's order
    if len(voted) <= MOST_VOTED:
        return voted
    last = voted[MOST_VOTED - 1].votes
    return [entry for entry in voted if entry.votes >= last]


def followup_file_stem(title: str, held_on: date, words: PackWords | None = None) -> str:
    """A file name (without suffix) for a workshop's pack, safe on every system: "Millbrook roundtable
    2026-11-14 follow-up" (the words in the language spoken now, unless ``words`` are given)."""
    words = words or pack_words()
    cleaned = " ".join(_NOT_IN_FILE_NAMES.sub(" ", title).split()).strip(". ")[:_LONGEST_STEM].rstrip(". ")
    return " ".join(words.file_name.format(title=cleaned, date=f"{format_iso_date(held_on)}").split())


def followup_paths(path: Path) -> tuple[Path, Path]:
    """The pack's PDF and workbook for a chosen file name: side by side, the same name, .pdf and .xlsx.

    A name typed with either suffix (or with none, or with another, e.g. a dot in the title) names both.
    """
    path = Path(path).expanduser()
    stem = path.stem if path.suffix.lower() in FORMATS else path.name
    return path.with_name(f"{stem}.pdf"), path.with_name(f"{stem}.xlsx")


def export_followup(
    session: Session, *, workshop_id: uuid.UUID, path: Path, today: date | None = None, language: Language = None
) -> tuple[Path, Path]:
    """Write a workshop's follow-up pack, in ``language``: the PDF and, beside it, the workbook (``followup_paths``).

    Both are written in full under hidden names first, then moved into place one after the other, so a pack
    that cannot be written (a full disk, text too long for a page) leaves neither file and older ones unchanged.

    Raises:
        CohesionError: The folder is missing, or a file cannot be written. Only when the second move fails
            (the workbook open in Excel) is the PDF left saved, and the message says so.
    """
    pdf, workbook = followup_paths(path)
    if not pdf.parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=pdf.parent))
    with speaking(language):
        pack = followup_pack(session, workshop_id=workshop_id, today=today)
        return _write_followup(pack, pdf, workbook)


def _write_followup(pack: FollowUpPack, pdf: Path, workbook: Path) -> tuple[Path, Path]:
    # Imported here: reportlab and openpyxl cost start-up time the window should not pay.
    from cohesion_desktop.export.files import reserve_beside, save_error
    from cohesion_desktop.export.followup import write_followup_pdf, write_followup_xlsx

    pending: list[Path] = []
    try:
        try:
            pending = [reserve_beside(pdf, ".pdf.pending"), reserve_beside(workbook, ".xlsx.pending")]
        except OSError as exc:
            raise save_error(pack.words.what, pdf, exc) from exc
        write_followup_pdf(pending[0], pack)
        write_followup_xlsx(pending[1], pack)
        _move_into_place(pending[0], pdf, pack.words.what)
        try:
            _move_into_place(pending[1], workbook, pack.words.what)
        except CohesionError as exc:
            raise CohesionError(
                _("The PDF was saved as {pdf}, but the workbook was not. {reason}").format(pdf=pdf, reason=exc)
            ) from exc
    finally:
        for leftover in pending:
            leftover.unlink(missing_ok=True)
    return pdf, workbook


def _move_into_place(written: Path, target: Path, what: str) -> None:
    from cohesion_desktop.export.files import save_error

    try:
        os.replace(written, target)
    except OSError as exc:
        raise save_error(what, target, exc) from exc
