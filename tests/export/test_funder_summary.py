"""The funder summary as a workbook and a PDF, re-opened the way a funder (or openpyxl, or a PDF reader) would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from PIL import Image
from sqlmodel import Session

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.xlsx import MAX_CELL_CHARS
from cohesion_desktop.services import reporting
from tests.export.pdf_reading import fonts_on, page_texts
from tests.services import funder_data
from tests.services.funder_data import FORMULA_NAME, ORGANISATION, PERIOD, TODAY, VOLUNTEERS

SHEETS = ["Summary", "Partners", "Opportunities", "Volunteering hours", "Workshops", "Actions", "Notes"]


class Cancelled(Exception):
    """Stands in for the window's cancel."""


def export(
    session: Session,
    path: Path,
    *,
    include_names: bool = False,
    logo: Path | None = None,
    progress: reporting.ProgressCallback | None = None,
) -> Path:
    return reporting.export_summary(
        session,
        path=path,
        period=PERIOD,
        organisation_name=ORGANISATION,
        logo=logo,
        include_names=include_names,
        progress=progress,
        today=TODAY,
    )


@pytest.fixture
def filled(session: Session) -> Session:
    funder_data.build(session)
    return session


@pytest.fixture
def book(filled: Session, tmp_path: Path) -> Workbook:
    return load_workbook(export(filled, tmp_path / "summary.xlsx"))


def texts(book: Workbook) -> Iterator[str]:
    """Every piece of text in every cell of every sheet."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from (value for value in row if isinstance(value, str))


def summary_rows(book: Workbook) -> dict[str, tuple[object, object]]:
    """Summary sheet: label in column A → (the value cell, the unit)."""
    sheet = book["Summary"]
    return {
        row[0].value: (row[1], row[2].value)
        for row in sheet.iter_rows(min_col=1, max_col=3)
        if isinstance(row[0].value, str)
    }


def column_of(sheet: object, title: str) -> list[object]:
    """The cells under the header ``title`` (row 1) of a table sheet."""
    headers = [cell.value for cell in sheet[1]]  # type: ignore[index]
    index = headers.index(title) + 1
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index)]  # type: ignore[attr-defined]


# --- the workbook ----------------------------------------------------------------------------------------------


def test_the_sheets_are_named_and_ordered_as_the_issue_says(book: Workbook) -> None:
    assert book.sheetnames == SHEETS


def test_the_summary_figures_match_those_worked_out_from_the_rows(book: Workbook) -> None:
    expected = funder_data.expected_figures()
    rows = summary_rows(book)

    found = {label: cell.value for label, (cell, _unit) in rows.items() if label in _LABELS.values()}
    assert found == pytest.approx({_LABELS[key]: value for key, value in expected.items()})
    hours, unit = rows["Hours given"]
    assert (hours.value, hours.number_format, unit) == (9.0, "#,##0.0", "hours")
    assert rows["Estimated social value"][0].number_format == "£#,##0"
    assert rows["Partners"][0].data_type == "n"
    assert book["Summary"]["A1"].value == ORGANISATION


def test_the_summary_prints_on_one_a4_page_and_carries_two_charts(book: Workbook) -> None:
    sheet = book["Summary"]
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "portrait", 1, 1)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert len(sheet._charts) == 2


def test_dates_are_dates_and_numbers_are_numbers(book: Workbook) -> None:
    summary = summary_rows(book)
    assert summary["From"][0].is_date and summary["From"][0].value.date() == PERIOD.start
    assert summary["To"][0].is_date and summary["To"][0].value.date() == PERIOD.end
    added = [cell for cell in column_of(book["Partners"], "Added on")]
    assert added and all(cell.is_date for cell in added)
    assert sorted(cell.value.date() for cell in added) == sorted(p[3] for p in funder_data.PARTNERS if not p[4])
    assert all(cell.is_date for cell in column_of(book["Workshops"], "Date"))
    assert all(cell.is_date for cell in column_of(book["Actions"], "Due") if cell.value is not None)
    months = column_of(book["Volunteering hours"], "Month")
    assert [cell.value.date() for cell in months if cell.value] == [date(2026, m, 1) for m in range(1, 6)]
    assert all(cell.is_date for cell in months if cell.value)
    hours = [cell for cell in column_of(book["Volunteering hours"], "Hours on its opportunities") if cell.value]
    assert [cell.value for cell in hours] == [7.5, 1.5] and all(cell.data_type == "n" for cell in hours)
    opportunity_hours = column_of(book["Opportunities"], "Hours")
    assert all(cell.data_type == "n" and isinstance(cell.value, int | float) for cell in opportunity_hours)
    assert sorted(cell.value for cell in opportunity_hours) == [0, 0, 1.5, 7.5]  # neither drafts nor deleted


def test_a_partner_named_like_a_formula_is_stored_as_text(book: Workbook) -> None:
    [cell] = [cell for cell in column_of(book["Partners"], "Partner") if cell.value == FORMULA_NAME]
    assert cell.data_type == "s" and cell.quotePrefix
    # The entry typed "=1+1 …" at the workshop is text too.
    [entry] = [cell for cell in column_of(book["Workshops"], "Entry") if str(cell.value).startswith("=1+1")]
    assert entry.data_type == "s"


def test_pasted_control_characters_long_text_and_error_like_text_are_written_faithfully(book: Workbook) -> None:
    remits = {cell.value for cell in column_of(book["Partners"], "Remit")}
    assert "Friday lunch\nopen to all" in remits  # the vertical tab Word pastes is a line break
    [error_like] = [cell for cell in column_of(book["Partners"], "Remit") if cell.value == "#N/A"]
    assert error_like.data_type == "s"
    [long] = [value for value in remits if value and value.startswith("Runs the café.")]
    assert len(long) <= MAX_CELL_CHARS and "[truncated:" in long


def test_no_volunteer_name_email_or_phone_anywhere_without_names(book: Workbook) -> None:
    everything = "\n".join(texts(book)).casefold()
    for _key, name, email, phone, _deleted in VOLUNTEERS:
        for personal in (name, email, phone, name.split()[0]):
            assert personal.casefold() not in everything, personal
    assert [cell.value for cell in book["Volunteering hours"][1] if cell.value] == [
        "Month",
        "Hours",
        "Hours entries",
        "Partner",
        "Sector",
        "Hours on its opportunities",
        "Volunteers",
        "Opportunities",
    ]


def test_with_names_the_hours_by_volunteer_name_them_but_never_their_contact_details(
    filled: Session, tmp_path: Path
) -> None:
    book = load_workbook(export(filled, tmp_path / "names.xlsx", include_names=True))
    everything = "\n".join(texts(book))

    names = [cell.value for cell in column_of(book["Volunteering hours"], "Volunteer") if cell.value]
    assert names == ["Amira Hussain", "Tomasz Lewandowski"]  # the most hours first
    for _key, _name, email, phone, _deleted in VOLUNTEERS:
        assert email not in everything and phone not in everything
    assert "Grace Okafor" not in everything and "Dora Deleted" not in everything  # no hours in the period
    assert {table for table in book["Volunteering hours"].tables} == {
        "HoursByMonth",
        "HoursByPartner",
        "HoursByVolunteer",
    }


def test_every_data_sheet_is_a_filterable_table_under_a_frozen_header(book: Workbook) -> None:
    for title in SHEETS[1:]:
        sheet = book[title]
        assert sheet.freeze_panes == "A2", title
        assert sheet.tables, title
        header = sheet[1][0]
        assert header.font.bold and header.fill.fgColor.rgb.endswith("1F4E78"), title
        assert sheet.column_dimensions["A"].width >= 10, title
    ref = book["Volunteering hours"].tables["HoursByPartner"].ref
    assert ref == "E1:I3"


def test_the_notes_say_how_each_figure_was_computed(book: Workbook) -> None:
    notes = {row[0]: row[2] for row in book["Notes"].iter_rows(min_row=2, values_only=True)}
    assert notes["Hours given"] == "Sum of the hours entries dated within the period."
    assert "Figures exclude deleted records" in notes["Deleted records"]
    assert funder_data.RATE_SOURCE in notes["Hourly rate"]
    assert notes["Volunteer names"].startswith("Not included")
    assert "Cohesion Desktop" in notes["Produced"]


def test_an_empty_file_opens_and_says_there_is_no_data(session: Session, tmp_path: Path) -> None:
    book = load_workbook(export(session, tmp_path / "empty.xlsx"))

    assert book.sheetnames == SHEETS
    rows = summary_rows(book)
    assert all(rows[label][0].value == 0 for label in _LABELS.values() if label != "Estimated social value")
    assert rows["Estimated social value"][0].value == "not set"
    assert "No data in this period" in rows
    for title in ("Partners", "Opportunities", "Workshops", "Actions"):
        assert book[title]["A2"].value == "No data in this period", title
        assert not book[title].tables
    assert book["Volunteering hours"]["E2"].value == "No data in this period"
    assert len(book["Summary"]._charts) == 1  # hours per month (all 0); no sectors to draw


def test_a_logo_is_placed_on_the_summary(filled: Session, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), (31, 92, 107)).save(logo)
    book = load_workbook(export(filled, tmp_path / "summary.xlsx", logo=logo))
    [image] = book["Summary"]._images
    emu_per_pixel = 9525
    size = (image.anchor.ext.width / emu_per_pixel, image.anchor.ext.height / emu_per_pixel)
    assert size == pytest.approx((250, 62.5), abs=1)  # scaled to fit beside the title, its shape kept
    assert image.anchor._from.col == 4  # column E


def test_a_logo_that_is_not_an_image_is_refused_before_anything_is_written(filled: Session, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_text("not a picture")
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("summary.xlsx", "summary.pdf"):
        with pytest.raises(CohesionError, match="could not be read as a PNG or JPEG"):
            export(filled, folder / name, logo=logo)
    assert list(folder.iterdir()) == []


def test_other_file_types_and_missing_folders_are_refused(filled: Session, tmp_path: Path) -> None:
    with pytest.raises(CohesionError, match=r"\.xlsx \(Excel\) or \.pdf"):
        export(filled, tmp_path / "summary.docx")
    with pytest.raises(CohesionError, match="does not exist"):
        export(filled, tmp_path / "nowhere" / "summary.xlsx")


@pytest.mark.parametrize(
    ("name", "stage"),
    [
        ("summary.xlsx", "Counting"),
        ("summary.xlsx", "Writing Partners"),
        ("summary.xlsx", "Writing Workshops"),
        ("summary.xlsx", "Saving"),
        ("summary.pdf", "Counting"),
        ("summary.pdf", "Laying out"),
        ("summary.pdf", "Saving"),
    ],
)
def test_a_cancelled_export_leaves_nothing_and_keeps_an_older_file(
    filled: Session, tmp_path: Path, name: str, stage: str
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / name
    target.write_bytes(b"last quarter's report")

    def progress(now: str, fraction: float) -> None:
        if now.startswith(stage):
            raise Cancelled

    with pytest.raises(Cancelled):
        export(filled, target, progress=progress)
    assert [p.name for p in folder.iterdir()] == [name]
    assert target.read_bytes() == b"last quarter's report"


@pytest.mark.parametrize("name", ["summary.xlsx", "summary.pdf"])
def test_the_scratch_table_of_hours_is_gone_after_an_export_or_a_cancel(
    filled: Session, tmp_path: Path, name: str
) -> None:
    def scratch_tables() -> list[str]:
        return [
            row[0]
            for row in filled.connection().exec_driver_sql("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
        ]

    export(filled, tmp_path / name)
    assert scratch_tables() == []

    def cancel_while_writing(stage: str, _fraction: float) -> None:
        if stage.startswith("Writing"):
            raise Cancelled

    with pytest.raises(Cancelled):
        export(filled, tmp_path / f"again-{name}", progress=cancel_while_writing)
    filled.rollback()  # as the window's task does when it ends: its session closes
    assert scratch_tables() == []
    reporting.summary(filled, period=PERIOD, today=TODAY)
    assert scratch_tables() == []


@pytest.mark.parametrize("name", ["summary.xlsx", "summary.pdf"])
def test_progress_rises_from_0_towards_1(filled: Session, tmp_path: Path, name: str) -> None:
    fractions: list[float] = []
    export(filled, tmp_path / name, progress=lambda _stage, fraction: fractions.append(fraction))
    assert fractions[0] == 0.0 and fractions[-1] >= 0.85
    assert fractions == sorted(fractions) and fractions[-1] <= 1.0


# --- the PDF ---------------------------------------------------------------------------------------------------


def test_the_pdf_holds_the_organisation_and_the_headline_figures(filled: Session, tmp_path: Path) -> None:
    path = export(filled, tmp_path / "summary.pdf")
    pages = page_texts(path)
    text = "\n".join(pages)
    flat = " ".join(text.split())

    assert ORGANISATION in pages[0] and "01/01/2026 – 31/05/2026" in pages[0]
    for label, value in [
        ("Partners", "4"),
        ("New partners", "2"),
        ("Open opportunities", "2"),
        ("Active volunteers", "2"),
        ("Hours given", "9.0 hours"),
        ("Estimated social value", "£113"),
        ("Workshops held", "1"),
        ("Actions overdue", "2"),
    ]:
        assert f"{label} {value} " in flat, label
    assert "Spring roundtable" in text and "Quarterly partnership forum" in text
    assert "Winter roundtable" not in text  # held before the period
    assert "=1+1 open the mosque kitchen <b>weekly</b>" in flat  # markup printed as typed
    assert "ONS <b>median</b> wage 2025" in flat
    for _key, name, email, phone, _deleted in VOLUNTEERS:
        assert name not in text and email not in text and phone not in text


def test_the_pdf_embeds_every_font_it_uses(filled: Session, tmp_path: Path) -> None:
    path = export(filled, tmp_path / "summary.pdf", include_names=True)
    for page in range(len(page_texts(path))):
        fonts = fonts_on(path, page)
        assert fonts and all(fonts.values()), (page, fonts)
        assert not any("Helvetica" in font for font in fonts), (page, fonts)
    assert "Amira Hussain" in "\n".join(page_texts(path))


def test_the_pdf_of_an_empty_file_says_so(session: Session, tmp_path: Path) -> None:
    text = "\n".join(page_texts(export(session, tmp_path / "empty.pdf")))
    assert "No data in this period." in text and "No workshops in this period." in text


def test_the_pdf_has_the_logo_and_page_numbers(filled: Session, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 300), (31, 92, 107)).save(logo)
    path = export(filled, tmp_path / "summary.pdf", logo=logo)
    pages = page_texts(path)
    assert len(pages) >= 2
    assert all(f"page {number}" in text for number, text in enumerate(pages, start=1))
    from pypdf import PdfReader

    assert list(PdfReader(path).pages[0].images)


_LABELS = {
    "partners": "Partners",
    "new_partners": "New partners",
    "opportunities_open": "Open opportunities",
    "opportunities_filled": "Filled opportunities",
    "placements_started": "Volunteer placements started",
    "active_volunteers": "Active volunteers",
    "hours": "Hours given",
    "social_value": "Estimated social value",
    "workshops": "Workshops held",
    "actions_open": "Actions open",
    "actions_in_progress": "Actions in progress",
    "actions_done": "Actions done",
    "actions_overdue": "Actions overdue",
}
