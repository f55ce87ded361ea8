"""Exporting workshops (one, several, or a synthesis of several) to Excel or PDF."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session

from cohesion_desktop.db import models
from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.matrix import ActionOut, MatrixEntryOut, MatrixOut, MatrixRowOut
from cohesion_desktop.services import workshops

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
        f"{detail.held_on:%d/%m/%Y}",
        detail.place,
        f"facilitated by {detail.facilitator}" if detail.facilitator else "",
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
    sources = [f"{w.title} ({w.held_on:%d/%m/%Y})" for w in combined.workshops]
    return MatrixOut(
        title=f"Synthesis of {len(combined.workshops)} workshop{'s' if len(combined.workshops) != 1 else ''}",
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
        raise CohesionError(f"Choose a file ending in .xlsx (Excel) or .pdf, not '{Path(path).name}'.")
    if not Path(path).expanduser().parent.is_dir():
        raise CohesionError(f"The folder {Path(path).parent} does not exist.")
    # Imported here: reportlab and openpyxl cost start-up time the window should not pay.
    from cohesion_desktop.export.matrix import write_matrix_pdf, write_matrix_xlsx

    writer = write_matrix_xlsx if suffix == ".xlsx" else write_matrix_pdf
    try:
        return writer(Path(path).expanduser(), matrices, organisation=organisation)
    except OSError as exc:
        raise CohesionError(
            f"{Path(path).name} could not be written ({exc.strerror or exc}). If it is open in "
            "another program, close it and try again."
        ) from exc


def export_workshops(session: Session, *, workshop_ids: Sequence[uuid.UUID], path: Path) -> Path:
    """One or more workshops, each its own matrix (``cohesion-desktop export workshop``)."""
    if not workshop_ids:
        raise CohesionError("There are no workshops to export.")
    return write(path, [workshop_matrix(session, w) for w in workshop_ids], _organisation(session))


def export_synthesis(session: Session, *, workshop_ids: Sequence[uuid.UUID], path: Path) -> Path:
    return write(path, [synthesis_matrix(session, workshop_ids)], _organisation(session))
