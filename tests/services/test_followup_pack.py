"""A workshop's follow-up pack from the stored workshop: who attended, what was said, the most voted, the actions;
the two files written side by side and read again."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from cohesion_desktop.domain import ActionStatus, MatrixColumn, Sector
from cohesion_desktop.errors import CohesionError, NotFoundError
from cohesion_desktop.services import partners, settings, workshop_export, workshops
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.services.workshops import ActionInput, WorkshopInput
from tests.export.pdf_reading import normalise, page_texts

DOING, MORE, SUPPORT, BARRIERS = MatrixColumn


def new_workshop(session: Session, partner_ids: Sequence[uuid.UUID] = ()) -> workshops.WorkshopDetail:
    template = next(t for t in workshops.templates(session) if t.is_default)
    return workshops.create_workshop(
        session,
        data=WorkshopInput(
            title="Millbrook roundtable: what next?",
            held_on=date(2026, 11, 14),
            template_id=template.id,
            place="St Mark's church hall",
            facilitator="Siân Ŵyn",
            partner_ids=partner_ids,
        ),
    )


def add(
    session: Session,
    detail: workshops.WorkshopDetail,
    row: int,
    column: MatrixColumn,
    text: str,
    *,
    partner_id: uuid.UUID | None = None,
    votes: int = 0,
) -> workshops.Entry:
    entry = workshops.add_entry(
        session, workshop_id=detail.id, row_id=detail.rows[row].id, column=column, text=text, partner_id=partner_id
    )
    if votes:
        workshops.set_votes(session, entry_id=entry.id, votes=votes)
    return entry


def test_the_pack_holds_the_stored_workshop_labelled_for_the_reader(session: Session) -> None:
    gwyl = partners.create_partner(session, data=PartnerInput(name="Cymdeithas Gŵyl Tŷ Gwyn", sector=Sector.VCS))
    bank = partners.create_partner(session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.FAITH))
    gone = partners.create_partner(session, data=PartnerInput(name="Closed Café", sector=Sector.BUSINESS))
    detail = new_workshop(session, [gwyl.id, bank.id, gone.id])
    partners.delete_partner(session, partner_id=gone.id)
    named = dataclasses.replace(settings.get_settings(session), organisation_name="Harrowfield CVS")
    settings.save_settings(session, settings=named)
    forum = add(session, detail, 0, DOING, "Monthly forum", partner_id=gwyl.id, votes=3)
    add(session, detail, 0, MORE, "=SUM(A1)", votes=5)
    add(session, detail, 2, SUPPORT, "Nobody voted for me")
    workshops.create_action(
        session,
        data=ActionInput(title="Open on Saturdays", owner_id=bank.id, due_on=date(2027, 1, 31)),
        entry_id=forum.id,
    )
    workshops.create_action(
        session, data=ActionInput(title="Ask the council", status=ActionStatus.DONE), entry_id=forum.id
    )

    pack = workshop_export.followup_pack(session, workshop_id=detail.id, today=date(2026, 11, 20))

    assert (pack.title, pack.held_on, pack.produced_on) == (
        "Millbrook roundtable: what next?",
        date(2026, 11, 14),
        date(2026, 11, 20),
    )
    assert (pack.place, pack.facilitator, pack.organisation) == ("St Mark's church hall", "Siân Ŵyn", "Harrowfield CVS")
    assert [(a.organisation, a.sector) for a in pack.attended] == [
        ("Cymdeithas Gŵyl Tŷ Gwyn", "Voluntary and community sector"),
        ("Millbrook Food Bank", "Faith"),
    ], "a deleted partner is not listed"
    assert [row.title for row in pack.rows] == [row.title for row in detail.rows]
    assert all([cell.column for cell in row.cells] == [c.label for c in MatrixColumn] for row in pack.rows)
    first = pack.rows[0].cells
    assert [(e.text, e.partner, e.votes) for e in first[0].entries] == [("Monthly forum", "Cymdeithas Gŵyl Tŷ Gwyn", 3)]
    assert not pack.rows[1].cells[0].entries, "an empty cell stays in the pack, empty"
    assert [(v.text, v.votes, v.column) for v in pack.most_voted] == [
        ("=SUM(A1)", 5, "Could do more"),
        ("Monthly forum", 3, "Already doing"),
    ]
    assert [(a.title, a.owner, a.due_on, a.status) for a in pack.actions] == [
        ("Open on Saturdays", "Millbrook Food Bank", date(2027, 1, 31), "Open"),
        ("Ask the council", "", None, "Done"),
    ]
    assert pack.actions[0].entry == "Monthly forum" and pack.actions[0].column == "Already doing"


def test_most_voted_keeps_ten_and_those_that_tie_with_the_tenth(session: Session) -> None:
    detail = new_workshop(session)
    for number in range(12):
        add(session, detail, number % 3, BARRIERS, f"Idea {number}", votes=20 - number if number < 9 else 5)
    pack = workshop_export.followup_pack(session, workshop_id=detail.id)
    assert len(pack.most_voted) == 12  # nine above 5, then the three tied at 5 for the tenth place
    assert [v.votes for v in pack.most_voted] == sorted((v.votes for v in pack.most_voted), reverse=True)
    add(session, detail, 0, DOING, "One more, fewer votes", votes=1)
    assert "One more, fewer votes" not in [
        v.text for v in workshop_export.followup_pack(session, workshop_id=detail.id).most_voted
    ]


def test_the_pdf_and_workbook_are_written_side_by_side(session: Session, tmp_path: Path) -> None:
    owner = partners.create_partner(session, data=PartnerInput(name="Tŷ Gwyn Housing", sector=Sector.HOUSING))
    detail = new_workshop(session, [owner.id])
    entry = add(session, detail, 1, MORE, "Shared allotments", votes=2)
    workshops.create_action(session, data=ActionInput(title="Find land", owner_id=owner.id), entry_id=entry.id)

    pdf, workbook = workshop_export.export_followup(
        session, workshop_id=detail.id, path=tmp_path / "pack.pdf", today=date(2026, 11, 20)
    )
    assert (pdf, workbook) == (tmp_path / "pack.pdf", tmp_path / "pack.xlsx")
    text = normalise(" ".join(page_texts(pdf)))
    assert (
        normalise("Tŷ Gwyn Housing") in text
        and normalise("Find land") in text
        and normalise("Shared allotments") in text
    )
    book = load_workbook(workbook)
    assert [row[0] for row in book["Actions"].iter_rows(min_row=2, values_only=True)] == ["Find land"]
    assert [row[2] for row in book["What was said"].iter_rows(min_row=2, values_only=True)] == ["Shared allotments"]


@pytest.mark.parametrize(
    ("chosen", "stem"),
    [("pack.pdf", "pack"), ("pack.XLSX", "pack"), ("pack", "pack"), ("Mr. Jones 2026", "Mr. Jones 2026")],
)
def test_one_chosen_name_names_both_files(tmp_path: Path, chosen: str, stem: str) -> None:
    assert workshop_export.followup_paths(tmp_path / chosen) == (tmp_path / f"{stem}.pdf", tmp_path / f"{stem}.xlsx")


def test_the_suggested_file_name_is_the_title_and_date_safe_on_every_system() -> None:
    stem = workshop_export.followup_file_stem('Millbrook: "what next?" / 2026', date(2026, 11, 14))
    assert stem == "Millbrook what next 2026 2026-11-14 follow-up"
    assert workshop_export.followup_file_stem("...", date(2026, 1, 2)) == "2026-01-02 follow-up"
    assert len(workshop_export.followup_file_stem("x" * 500, date(2026, 1, 2))) <= 120


def test_a_missing_workshop_or_folder_is_said_in_plain_words(session: Session, tmp_path: Path) -> None:
    detail = new_workshop(session)
    with pytest.raises(CohesionError, match="does not exist"):
        workshop_export.export_followup(session, workshop_id=detail.id, path=tmp_path / "nowhere" / "pack.pdf")
    workshops.delete_workshop(session, workshop_id=detail.id)
    with pytest.raises(NotFoundError):
        workshop_export.followup_pack(session, workshop_id=detail.id)


def test_a_pack_that_cannot_be_finished_leaves_neither_file_and_older_ones_alone(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cohesion_desktop.export import followup

    detail = new_workshop(session)
    add(session, detail, 0, DOING, "Monthly forum")
    tmp_path = tmp_path / "out"  # away from the data file
    tmp_path.mkdir()
    older_pdf, older_workbook = tmp_path / "pack.pdf", tmp_path / "pack.xlsx"
    older_pdf.write_bytes(b"last month's pack")
    older_workbook.write_bytes(b"last month's workbook")

    def disk_full(path: Path, pack: object) -> Path:
        raise CohesionError(f"The follow-up pack could not be saved as {path}: No space left on device.")

    monkeypatch.setattr(followup, "write_followup_xlsx", disk_full)
    with pytest.raises(CohesionError, match="No space left"):
        workshop_export.export_followup(session, workshop_id=detail.id, path=tmp_path / "pack.pdf")
    assert older_pdf.read_bytes() == b"last month's pack", "the PDF written first was not moved into place"
    assert older_workbook.read_bytes() == b"last month's workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.pdf", "pack.xlsx"], "no hidden leftovers"


def test_a_workbook_that_cannot_take_its_place_is_said_and_the_pdf_kept(session: Session, tmp_path: Path) -> None:
    detail = new_workshop(session)
    tmp_path = tmp_path / "out"  # away from the data file
    tmp_path.mkdir()
    (tmp_path / "pack.xlsx").mkdir()  # in the way, as a workbook open in Excel on Windows would be
    with pytest.raises(CohesionError, match="The PDF was saved as .*pack.pdf, but the workbook was not"):
        workshop_export.export_followup(session, workshop_id=detail.id, path=tmp_path / "pack")
    assert (tmp_path / "pack.pdf").is_file() and (tmp_path / "pack.xlsx").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.pdf", "pack.xlsx"], "no hidden leftovers"
