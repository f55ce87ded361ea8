"""The workshop follow-up pack as PDF and workbook, re-opened: pypdf for the PDF's text, openpyxl for the workbook.

Plain values in, files out: the full pack (Welsh names, text that looks like a formula or like markup, entries
and actions as long as the app allows), the pack of a workshop where nothing happened, and every text of ours
taken from the one set of words a translation replaces.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.followup import (
    ENGLISH,
    Attendee,
    FollowUpPack,
    PackAction,
    PackCell,
    PackRow,
    PackWords,
    SaidEntry,
    VotedEntry,
    write_followup_pdf,
    write_followup_xlsx,
)
from tests.export.pdf_reading import fonts_on, normalise, page_texts

COLUMNS = ("Already doing", "Could do more", "Support needed", "Barriers/concerns")
WELSH_PARTNER = "Cymdeithas Gŵyl Tŷ Gwyn"
WELSH_PERSON = "Siân Ŵyn"
FORMULA = '=HYPERLINK("http://x","y")'
MARKUP = "Tea <b>and</b> cake & friends"
# As long as the app lets an entry or an action be (workshops.MAX_ENTRY_LENGTH).
LONG = ("A lunch club at St Mark's hall that could open on Saturdays too, with the food bank's help. " * 25)[:2000]


def full_pack() -> FollowUpPack:
    rows = [
        PackRow(
            title="1. Building cross-sectoral partnerships",
            description="Who does what, with whom",
            cells=[
                PackCell(COLUMNS[0], [SaidEntry("Monthly forum at the library", WELSH_PARTNER, 4)]),
                PackCell(COLUMNS[1], [SaidEntry(FORMULA, "", 2), SaidEntry(MARKUP, WELSH_PERSON, 0)]),
                PackCell(COLUMNS[2], []),
                PackCell(COLUMNS[3], [SaidEntry(LONG, "Millbrook Food Bank", 1)]),
            ],
        ),
        PackRow(title="2. Promoting socially mixed spaces", cells=[PackCell(column, []) for column in COLUMNS]),
    ]
    return FollowUpPack(
        title="Millbrook roundtable",
        held_on=date(2026, 11, 14),
        produced_on=date(2026, 11, 20),
        place="St Mark's church hall",
        facilitator=WELSH_PERSON,
        organisation="Harrowfield Community Partnership",
        rows=rows,
        most_voted=[
            VotedEntry("Monthly forum at the library", 4, rows[0].title, COLUMNS[0], WELSH_PARTNER),
            VotedEntry(FORMULA, 2, rows[0].title, COLUMNS[1]),
            VotedEntry(LONG, 1, rows[0].title, COLUMNS[3], "Millbrook Food Bank"),
        ],
        actions=[
            PackAction("Open the hall on Saturdays", WELSH_PARTNER, date(2027, 1, 31), "Open", LONG, rows[0].title),
            PackAction(LONG, "", None, "Done", FORMULA, rows[0].title, COLUMNS[1]),
            PackAction("@SUM(A1:A2) for the budget", "Millbrook Food Bank", date(2026, 12, 1), "In progress"),
        ],
        attended=[Attendee(WELSH_PARTNER, "Voluntary & community sector"), Attendee("Millbrook Food Bank", "Faith")],
    )


def empty_pack(words: PackWords = ENGLISH) -> FollowUpPack:
    return FollowUpPack(title="Quiet evening", held_on=date(2026, 3, 2), produced_on=date(2026, 3, 3), words=words)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page_texts(path)).split())


def test_the_pdf_says_who_came_what_was_agreed_voted_and_said(tmp_path: Path) -> None:
    pack = full_pack()
    pdf = write_followup_pdf(tmp_path / "pack.pdf", pack)
    text = pdf_text(pdf)
    flat = normalise(text)
    for heading in ("Workshop follow-up", "Who attended", "Actions agreed", "Most-voted entries", "What was said"):
        assert heading in text
    assert "14/11/2026" in text and "St Mark's church hall" in text and "Harrowfield Community Partnership" in text
    assert normalise(WELSH_PARTNER) in flat and normalise(WELSH_PERSON) in flat, "ŵ and ŷ survive"
    assert "Voluntary & community sector" in text
    assert "31/01/2027" in text and "No owner yet" in text
    # User text is printed as typed: a formula stays text, markup is shown, not obeyed.
    assert FORMULA in text and "<b>and</b>" in text
    assert normalise(LONG) in flat, "the longest entry is printed whole"
    # Sections in the order a partner reads them, each cell under its row.
    order = [text.index(h) for h in ("Who attended", "Actions agreed", "Most-voted entries", "What was said")]
    assert order == sorted(order)
    said = text[text.index("What was said") :]
    assert said.index("1. Building cross-sectoral partnerships") < said.index("Monthly forum")
    assert said.index("Monthly forum") < said.index("2. Promoting socially mixed spaces")
    # One "nothing" per empty cell: one in the first row, four in the second.
    assert said.count("Nothing was recorded here.") == 5
    assert "Votes: 4" in said and "Votes: 0" not in said
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    assert reader.metadata is not None and reader.metadata.title == "Workshop follow-up: Millbrook roundtable"
    assert all(embedded for embedded in fonts_on(pdf).values()), "only embedded fonts"
    assert all(f"page {n}" in page for n, page in enumerate(page_texts(pdf), start=1))


def test_the_workbook_holds_each_part_as_a_table_and_formulas_stay_text(tmp_path: Path) -> None:
    workbook = write_followup_xlsx(tmp_path / "pack.xlsx", full_pack())
    book = load_workbook(workbook)
    assert book.sheetnames == ["Workshop", "What was said", "Most voted", "Actions", "Who attended"]
    about = [row for row in book["Workshop"].iter_rows(values_only=True)]
    assert about[0][0] == "Workshop follow-up" and about[1][0] == "Millbrook roundtable"
    assert ("Facilitator", WELSH_PERSON) in about
    assert ("Date", date(2026, 11, 14)) in [(label, value.date() if value else None) for label, value in about[2:3]]

    said = list(book["What was said"].iter_rows(values_only=True))
    assert said[0] == ("Row", "Column", "Entry", "Said by", "Votes")
    assert [row[2] for row in said[1:]] == ["Monthly forum at the library", FORMULA, MARKUP, LONG]
    assert said[1][3] == WELSH_PARTNER and said[1][4] == 4
    voted = list(book["Most voted"].iter_rows(values_only=True))
    assert [(row[0], row[1]) for row in voted[1:]] == [(4, "Monthly forum at the library"), (2, FORMULA), (1, LONG)]
    actions = list(book["Actions"].iter_rows(values_only=True))
    assert actions[0] == ("Action", "Owner", "Due", "Status", "From the entry", "Row", "Column")
    assert actions[2][1] == "No owner yet" and actions[2][4] == FORMULA
    assert actions[1][2].date() == date(2027, 1, 31)
    attended = list(book["Who attended"].iter_rows(values_only=True))
    assert attended[1:] == [(WELSH_PARTNER, "Voluntary & community sector"), ("Millbrook Food Bank", "Faith")]

    # Text that Excel would run stays text: never a formula cell.
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    for text in (FORMULA, "@SUM(A1:A2) for the budget"):
        found = [cell for cell in cells if cell.value == text]
        assert found and all(cell.data_type == "s" for cell in found), text
    assert not any(cell.data_type == "f" for cell in cells)


def test_a_workshop_where_nothing_happened_says_so_in_both_files(tmp_path: Path) -> None:
    pack = empty_pack()
    text = pdf_text(write_followup_pdf(tmp_path / "quiet.pdf", pack))
    for said in (
        "No partners were recorded as present.",
        "No actions were agreed.",
        "No votes were given.",
        "This workshop's matrix has no rows.",
    ):
        assert said in text
    book = load_workbook(write_followup_xlsx(tmp_path / "quiet.xlsx", pack))
    assert book["What was said"]["A2"].value == "Nothing was recorded in this workshop."
    assert book["Most voted"]["A2"].value == "No votes were given."
    assert book["Actions"]["A2"].value == "No actions were agreed."
    assert book["Who attended"]["A2"].value == "No partners were recorded as present."


def test_every_text_of_ours_comes_from_the_words_a_translation_replaces(tmp_path: Path) -> None:
    """Each field of PackWords marked, so any English left in a file is a text that bypassed them."""
    marked = PackWords(**{f.name: f"«{f.name}»" for f in dataclasses.fields(PackWords)})
    marked = dataclasses.replace(marked, page="«page» {page}", votes_detail="«votes_detail» {votes}", file_name="")
    full = dataclasses.replace(full_pack(), words=marked)
    seen = pdf_text(write_followup_pdf(tmp_path / "full.pdf", full))
    seen += pdf_text(write_followup_pdf(tmp_path / "empty.pdf", empty_pack(marked)))
    seen += str((PdfReader(tmp_path / "full.pdf").metadata or {}).get("/Subject"))
    for name, suffix in (("full", full), ("empty", empty_pack(marked))):
        book = load_workbook(write_followup_xlsx(tmp_path / f"{name}.xlsx", suffix))
        seen += " ".join(book.sheetnames)
        seen += " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    # file_name: the service's (tests/services/test_followup_pack); language: the PDF's /Lang, a tag, not a text.
    not_shown = {"what", "too_long", "file_name", "language"}
    for field in dataclasses.fields(PackWords):
        if field.name not in not_shown:
            assert f"«{field.name}»" in seen, f"PackWords.{field.name} is never shown"
    for english in ("Who attended", "Actions agreed", "What was said", "Nothing was recorded", "page 1", "Votes"):
        assert english not in seen, f"“{english}” is written without PackWords"


def test_a_missing_folder_or_a_file_in_use_is_said_in_plain_words(tmp_path: Path) -> None:
    with pytest.raises(CohesionError, match="does not exist"):
        write_followup_pdf(tmp_path / "nowhere" / "pack.pdf", full_pack())
    with pytest.raises(CohesionError, match="does not exist"):
        write_followup_xlsx(tmp_path / "nowhere" / "pack.xlsx", full_pack())
    in_the_way = tmp_path / "pack.xlsx"
    in_the_way.mkdir()  # a folder where the file should go: the move fails as a locked file would
    with pytest.raises(CohesionError, match="The follow-up pack could not be saved"):
        write_followup_xlsx(in_the_way, full_pack())
