"""The workshop matrix as Excel and PDF, checked by re-opening the files: openpyxl for the workbook, pypdf for
the PDF (its text per page, its fonts, its page size)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export import matrix as matrix_module
from cohesion_desktop.export.matrix import (
    ActionOut,
    MatrixEntryOut,
    MatrixOut,
    MatrixRowOut,
    write_matrix_pdf,
    write_matrix_xlsx,
)
from tests.export.pdf_reading import fonts_on, normalise, page_texts

ORGANISATION = "Harrowfield Community Partnership"
ROW_TITLES = [
    "1. Building cross-sectoral partnerships",
    "2. Promoting socially mixed spaces",
    "3. Encourage active social engagement and volunteering",
]
LABELS = [column.label for column in MatrixColumn]
TRICKY = [
    "Tea <b>and</b> cake & friends",
    'Logo <img src="x"/> here',
    '<font name="Courier">typewriter</font> &amp; more',
    '=HYPERLINK("http://x","y")',
]
LONG = ("A four-hundred character entry about the lunch club at St Mark's hall that goes on and on. " * 5)[:400]


def entry(text: str, **changes: object) -> MatrixEntryOut:
    return MatrixEntryOut(text=text, **changes)  # type: ignore[arg-type]


def workshop(
    cells: dict[tuple[int, MatrixColumn], list[MatrixEntryOut]] | None = None,
    *,
    title: str = "Millbrook roundtable",
    actions: tuple[ActionOut, ...] = (),
) -> MatrixOut:
    """A three-row workshop; ``cells`` maps (row index, column) to its entries (default: one per cell)."""
    if cells is None:
        cells = {
            (r, column): [entry(f"Row {r + 1} {column.label} idea", partner="Age UK Millbrook", votes=r)]
            for r in range(3)
            for column in MatrixColumn
        }
    rows = [
        MatrixRowOut(
            title=row_title,
            description=f"What row {r + 1} is about",
            cells={column: found for (row, column), found in cells.items() if row == r},
        )
        for r, row_title in enumerate(ROW_TITLES)
    ]
    return MatrixOut(
        title=title,
        subtitle="12/05/2026 · Millbrook · facilitated by Helen Ashworth",
        rows=rows,
        held_on=date(2026, 5, 12),
        partners_present=("Age UK Millbrook", "Millbrook Council"),
        actions=actions,
    )


def synthesis(entries: list[MatrixEntryOut]) -> MatrixOut:
    """A synthesis with all ``entries`` in row 2, "Could do more"."""
    rows = [
        MatrixRowOut(title=ROW_TITLES[0]),
        MatrixRowOut(title=ROW_TITLES[1], cells={MatrixColumn.COULD_DO_MORE: entries}),
        MatrixRowOut(title=ROW_TITLES[2]),
    ]
    return MatrixOut(
        title="Synthesis of two roundtables",
        subtitle="Northgate and Millbrook combined",
        rows=rows,
        is_synthesis=True,
        workshops=("Northgate roundtable (01/03/2026)", "Millbrook roundtable (12/05/2026)"),
    )


def an_action(**changes: object) -> ActionOut:
    values: dict[str, object] = {
        "title": "Set up a single point of contact",
        "owner": "Millbrook Council",
        "due_on": date(2026, 7, 1),
        "status": "Open",
        "workshop": "Millbrook roundtable",
        "row": ROW_TITLES[0],
        "column": "Support needed",
        "entry": "No single point of contact at the council",
    }
    return ActionOut(**(values | changes))  # type: ignore[arg-type]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of its own (tmp_path also holds the test's app home)."""
    made = tmp_path / "exports"
    made.mkdir()
    return made


# ---------------------------------------------------------------------------- Excel


def header_row(sheet: Worksheet) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == "Strategy element")


def sheet_row_of(sheet: Worksheet, row_title: str) -> int:
    return next(row[0].row for row in sheet.iter_rows() if str(row[0].value or "").startswith(row_title))


def test_every_entry_is_in_the_cell_of_its_row_and_column(folder: Path) -> None:
    cells = {
        (r, column): [entry(f"Idea {r}-{c}-{n}", partner="Co-op" if n else "", votes=n) for n in range(c + 1)]
        for r in range(3)
        for c, column in enumerate(MatrixColumn)
    }
    cells[(1, MatrixColumn.BARRIERS)] += [entry(text) for text in TRICKY]
    path = write_matrix_xlsx(folder / "matrix.xlsx", [workshop(cells)], organisation=ORGANISATION)

    sheet = load_workbook(path)["Millbrook roundtable"]
    header = header_row(sheet)
    assert [cell.value for cell in sheet[header][:5]] == ["Strategy element", *LABELS]
    for (r, column), found in cells.items():
        row = sheet_row_of(sheet, ROW_TITLES[r])
        for c, other in enumerate(MatrixColumn):
            text = sheet.cell(row=row, column=c + 2).value or ""
            for one in found:
                assert (f"• {one.text}" in text) == (other is column), (one.text, other)
    assert sheet.cell(row=sheet_row_of(sheet, ROW_TITLES[0]), column=1).value == (
        f"{ROW_TITLES[0]}\nWhat row 1 is about"
    )


def test_an_entry_line_shows_only_the_parts_it_has(folder: Path) -> None:
    entries = [
        entry("Plain"),
        entry("With partner", partner="Co-op"),
        entry("One vote", votes=1),
        entry("All of it", partner="Co-op", votes=3, source="Northgate roundtable", has_action=True),
    ]
    as_workshop = workshop({(0, MatrixColumn.ALREADY_DOING): entries})
    path = write_matrix_xlsx(folder / "matrix.xlsx", [as_workshop, synthesis(entries)])
    book = load_workbook(path)
    plain, combined = book.worksheets[:2]
    assert plain.cell(row=sheet_row_of(plain, ROW_TITLES[0]), column=2).value == "\n".join(
        ["• Plain", "• With partner — Co-op", "• One vote [1 vote]", "• All of it — Co-op [3 votes] » action"]
    )
    assert combined.cell(row=sheet_row_of(combined, ROW_TITLES[1]), column=3).value.splitlines()[-1] == (
        "• All of it — Co-op (Northgate roundtable) [3 votes] » action"
    )


def test_the_matrix_sheet_prints_landscape_with_a_frozen_header_and_its_title_lines(folder: Path) -> None:
    path = write_matrix_xlsx(folder / "matrix.xlsx", [workshop()], organisation=ORGANISATION)
    sheet = load_workbook(path).worksheets[0]
    values = [sheet.cell(row=row, column=1).value for row in range(1, 5)]
    assert values[:3] == [
        "Millbrook roundtable",
        "12/05/2026 · Millbrook · facilitated by Helen Ashworth",
        ORGANISATION,
    ]
    assert values[3] == "Partners present: Age UK Millbrook, Millbrook Council"
    header = header_row(sheet)
    assert sheet.freeze_panes == f"B{header + 1}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.column_dimensions["A"].width == 32 and sheet.column_dimensions["C"].width == 45
    assert sheet[header][1].font.b and sheet[header + 1][0].font.b and sheet[header + 1][1].alignment.wrap_text
    assert sheet.row_dimensions[header + 1].height >= 15


def test_the_entries_and_actions_sheets_are_tables_of_real_dates_and_numbers(folder: Path) -> None:
    cells = {
        (0, MatrixColumn.COULD_DO_MORE): [entry("=1+1", partner="Co-op", votes=4, has_action=True)],
        (2, MatrixColumn.BARRIERS): [entry("Funding ends")],
    }
    matrices = [
        workshop(cells, actions=(an_action(), an_action(title="Undated", due_on=None))),
        synthesis([entry("From the synthesis", source="Northgate roundtable", votes=2)]),
    ]
    book = load_workbook(write_matrix_xlsx(folder / "matrix.xlsx", matrices))
    assert book.sheetnames[-2:] == ["Entries", "Actions"]

    entries = book["Entries"]
    rows = list(entries.iter_rows(values_only=True))
    assert rows[0] == ("Workshop", "Date", "Row", "Column", "Entry", "Partner", "Votes", "Source", "Action")
    assert rows[1] == (
        "Millbrook roundtable",
        datetime(2026, 5, 12),
        ROW_TITLES[0],
        "Could do more",
        "=1+1",
        "Co-op",
        4,
        None,
        "Yes",
    )
    assert rows[2][4:] == ("Funding ends", None, 0, None, None)
    assert rows[3] == (
        "Synthesis of two roundtables",
        None,
        ROW_TITLES[1],
        "Could do more",
        "From the synthesis",
        None,
        2,
        "Northgate roundtable",
        None,
    )
    assert entries["E2"].data_type == "s"  # text, never a formula
    assert entries["B2"].number_format == "dd/mm/yyyy"
    assert list(entries.tables) == ["MatrixEntries"]

    actions = book["Actions"]
    rows = list(actions.iter_rows(values_only=True))
    assert rows[0] == ("Workshop", "Action", "Owner", "Due", "Status", "Row", "Column", "From entry")
    assert rows[1] == (
        "Millbrook roundtable",
        "Set up a single point of contact",
        "Millbrook Council",
        datetime(2026, 7, 1),
        "Open",
        ROW_TITLES[0],
        "Support needed",
        "No single point of contact at the council",
    )
    assert rows[2][3] is None
    assert list(actions.tables) == ["MatrixActions"]


@pytest.mark.parametrize(
    "matrices",
    [[], [workshop({})], [MatrixOut(title="No rows", subtitle="", rows=())]],
    ids=["no matrices", "no entries", "no rows"],
)
def test_nothing_to_show_still_makes_a_valid_workbook(folder: Path, matrices: list[MatrixOut]) -> None:
    book = load_workbook(write_matrix_xlsx(folder / "matrix.xlsx", matrices))
    assert book.sheetnames[-2:] == ["Entries", "Actions"]
    assert book["Entries"]["A2"].value == "No entries" and book["Actions"]["A2"].value == "No actions"
    assert len(book.sheetnames) == len(matrices) + 2


def test_sheet_titles_fit_excel_and_do_not_clash(folder: Path) -> None:
    long_title = "Northgate community roundtable on cohesion: spring [draft]"
    matrices = [workshop(title=long_title), workshop(title=long_title), workshop(title="Entries")]
    names = load_workbook(write_matrix_xlsx(folder / "matrix.xlsx", matrices)).sheetnames
    assert len(set(name.casefold() for name in names)) == 5
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert names[-2:] == ["Entries (2)", "Actions"]


def test_a_failed_workbook_leaves_the_old_file_untouched(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(matrices: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(matrix_module, "_action_rows", broken)
    existing = folder / "matrix.xlsx"
    existing.write_bytes(b"keep me")
    with pytest.raises(RuntimeError):
        write_matrix_xlsx(existing, [workshop()])
    assert existing.read_bytes() == b"keep me"
    assert [p.name for p in folder.iterdir()] == ["matrix.xlsx"]
    with pytest.raises(CohesionError, match="does not exist"):
        write_matrix_xlsx(folder / "nowhere" / "matrix.xlsx", [workshop()])


# ---------------------------------------------------------------------------- PDF


def pages_holding(texts: list[str], wanted: str) -> list[int]:
    """The numbers (from 0) of the pages whose text holds ``wanted`` whole (spaces and line breaks aside)."""
    return [number for number, text in enumerate(texts) if normalise(wanted) in normalise(text)]


def test_every_entry_is_printed_literally_including_markup_and_long_ones(folder: Path) -> None:
    texts = [
        *TRICKY,
        LONG,
        "Mentoring for young refugees — فاطمة الزهراء leads it",
        "王小明 wants in",
        "Siân Ŵyn runs the café",
    ]
    cells = {
        (n % 3, column): [entry(text, partner="جمعية الأمل" if n == 1 else "Smith & <i>Sons</i>", votes=n)]
        for n, (text, column) in enumerate(zip(texts, list(MatrixColumn) * 3, strict=False))
    }
    pdf = write_matrix_pdf(folder / "matrix.pdf", [workshop(cells)], organisation=ORGANISATION)
    whole = "".join(page_texts(pdf))
    for text in [*texts, "Smith & <i>Sons</i>", "جمعية الأمل", *ROW_TITLES, "What row 1 is about"]:
        assert normalise(text) in normalise(whole), text
    reader = PdfReader(pdf)
    assert all("/XObject" not in page["/Resources"] for page in reader.pages)  # no image from <img>
    assert not any("Courier" in font for number in range(len(reader.pages)) for font in fonts_on(pdf, number))


def test_a_cell_of_sixty_entries_spans_pages_without_cutting_an_entry(folder: Path) -> None:
    many = [
        entry(
            f"Idea {n:02d} starts here, " + "and then says a little more " * (n % 4) + f"ends {n:02d}.",
            partner="Age UK Millbrook" if n % 2 else "",
            votes=n % 5,
        )
        for n in range(60)
    ]
    cells = {
        (0, MatrixColumn.COULD_DO_MORE): many,
        (0, MatrixColumn.ALREADY_DOING): [entry("Short one")],
        (2, MatrixColumn.BARRIERS): [entry("Last row's only entry")],
    }
    pdf = write_matrix_pdf(folder / "matrix.pdf", [workshop(cells)], organisation=ORGANISATION)
    texts = page_texts(pdf)

    assert len(texts) >= 3
    for found in many:
        assert len(pages_holding(texts, found.text)) == 1, found.text
    for number, text in enumerate(texts):
        assert all(label in text for label in ["Strategy element", *LABELS]), number
        assert all(fonts_on(pdf, number).values())
        assert f"{ORGANISATION} – Millbrook roundtable – page {number + 1}" in text
    # Entries keep their order, and each continuation names its row.
    first_pages = [pages_holding(texts, found.text)[0] for found in many]
    assert first_pages == sorted(first_pages) and first_pages[-1] > first_pages[0]
    assert all("(continued)" in texts[page] for page in set(first_pages) - {0})


def test_an_entry_taller_than_a_page_is_split_between_lines_and_nothing_is_lost(folder: Path) -> None:
    words = [f"w{n:04d}" for n in range(900)]  # about 5,400 characters: more than a page in one cell
    huge = entry(" ".join(words), partner="Co-op", votes=2)
    cells = {
        (1, MatrixColumn.BARRIERS): [entry("Before it"), huge, entry("After the huge one")],
        (1, MatrixColumn.ALREADY_DOING): [entry("Beside it")],
    }
    pdf = write_matrix_pdf(folder / "matrix.pdf", [workshop(cells)])
    texts = page_texts(pdf)
    whole = " ".join(texts)
    assert re.findall(r"w\d{4}", whole) == words  # every word once, in order
    spread = {page for word in words for page in pages_holding(texts, word)}
    assert len(spread) >= 2
    assert pages_holding(texts, "After the huge one") == [max(spread)]
    assert all("(continued)" in texts[page] for page in spread - {min(spread)})
    assert pages_holding(texts, "Co-op · 2 votes") == [max(spread)]  # the small line follows the last words


def test_a_synthesis_shows_sources_counts_and_the_most_voted(folder: Path) -> None:
    entries = [
        entry(
            f"Voted idea {n:02d}",
            partner="Co-op",
            votes=n,
            source="Northgate roundtable" if n % 2 else "Millbrook roundtable",
        )
        for n in range(12)
    ]
    pdf = write_matrix_pdf(folder / "synthesis.pdf", [synthesis(entries)], organisation=ORGANISATION)
    whole = "\n".join(page_texts(pdf))
    assert "Northgate roundtable" in whole and "Millbrook roundtable" in whole
    assert "12 entries" in whole
    assert "Workshops: Northgate roundtable (01/03/2026); Millbrook roundtable (12/05/2026)" in whole
    most_voted = normalise(whole.split("Most voted", 1)[1])
    listed = [n for n in range(12) if normalise(f"Voted idea {n:02d}") in most_voted]
    assert listed == list(range(2, 12))  # the ten with most votes; "0 votes" never listed
    order = [most_voted.index(normalise(f"Voted idea {n:02d}")) for n in range(11, 1, -1)]
    assert order == sorted(order)
    assert normalise("11 votes · 2. Promoting socially mixed spaces · Could do more · Northgate roundtable") in (
        most_voted
    )


def test_actions_are_listed_after_the_matrix(folder: Path) -> None:
    actions = (
        an_action(),
        an_action(title="Volunteer awards <evening>", owner="Harrowfield VCS", due_on=None, status="In progress"),
    )
    pdf = write_matrix_pdf(folder / "matrix.pdf", [workshop(actions=actions)])
    whole = "\n".join(page_texts(pdf))
    after = whole.split("Actions", 1)[1]
    for text in (
        "Action",
        "Owner",
        "Due",
        "Status",
        "Set up a single point of contact",
        "Millbrook Council",
        "01/07/2026",
        "Open",
        "Volunteer awards <evening>",
        "In progress",
    ):
        assert text in after
    assert "Most voted" not in whole  # only for a synthesis


def test_pages_are_a4_landscape_with_embedded_fonts_metadata_and_a_new_page_per_matrix(folder: Path) -> None:
    matrices = [workshop(title="Northgate roundtable"), workshop(title="Millbrook roundtable")]
    pdf = write_matrix_pdf(folder / "matrix.pdf", matrices, organisation=ORGANISATION)
    reader = PdfReader(pdf)
    texts = page_texts(pdf)
    assert len(reader.pages) == 2
    for number, page in enumerate(reader.pages):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
        fonts = fonts_on(pdf, number)
        assert fonts and all(fonts.values()), fonts
        assert not any("Helvetica" in name for name in fonts)
    assert texts[1].lstrip().startswith("Millbrook roundtable")
    assert f"{ORGANISATION} – Millbrook roundtable – page 2" in texts[1]
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == "Northgate roundtable and 1 more"
    assert metadata.author == ORGANISATION
    assert metadata.creator == "Cohesion Desktop"


def test_a_matrix_without_rows_or_entries_still_prints(folder: Path) -> None:
    empty = MatrixOut(title="Not started", subtitle="", rows=())
    pdf = write_matrix_pdf(folder / "matrix.pdf", [empty, workshop({})])
    first, second = page_texts(pdf)
    assert "This matrix has no rows." in first and "Barriers/concerns" in first
    assert normalise(ROW_TITLES[2]) in normalise(second) and "page 2" in second


def test_no_matrices_is_a_clear_error(folder: Path) -> None:
    with pytest.raises(CohesionError, match="no workshop matrix"):
        write_matrix_pdf(folder / "matrix.pdf", [])
    with pytest.raises(CohesionError, match="does not exist"):
        write_matrix_pdf(folder / "nowhere" / "matrix.pdf", [workshop()])
    assert list(folder.iterdir()) == []


def test_text_no_page_can_hold_is_a_clear_error_and_leaves_nothing(folder: Path) -> None:
    giant_title = MatrixOut(
        title="Giant",
        subtitle="",
        rows=(MatrixRowOut(title="Row " * 1500, cells={MatrixColumn.ALREADY_DOING: [entry("An idea")]}),),
    )
    giant_action = workshop(actions=(an_action(title="Do this. " * 3000),))
    existing = folder / "matrix.pdf"
    existing.write_bytes(b"keep me")
    for matrix in (giant_title, giant_action):
        with pytest.raises(CohesionError, match="too long to fit on a page"):
            write_matrix_pdf(existing, [matrix])
    assert existing.read_bytes() == b"keep me"
    assert [p.name for p in folder.iterdir()] == ["matrix.pdf"]


def test_a_failure_while_writing_leaves_no_file_and_the_old_one_untouched(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(matrix_module, "_matrix_story", broken)
    with pytest.raises(RuntimeError):
        write_matrix_pdf(folder / "fresh.pdf", [workshop()])
    assert list(folder.iterdir()) == []
    existing = folder / "existing.pdf"
    existing.write_bytes(b"keep me")
    with pytest.raises(RuntimeError):
        write_matrix_pdf(existing, [workshop()])
    assert existing.read_bytes() == b"keep me"
    assert [p.name for p in folder.iterdir()] == ["existing.pdf"]
