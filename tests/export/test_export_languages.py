"""Exports in English, Welsh or both (Welsh first), re-opened as a reader would: the report's own words change,
its figures and the users' words do not, and the window's language is never touched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from pypdf import PdfReader
from sqlmodel import Session

from cohesion_desktop import i18n
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.certificates import Certificate, write_certificates
from cohesion_desktop.services import partners, reporting, workshop_export
from cohesion_desktop.services.partners import PartnerInput
from tests.export.pdf_reading import page_texts
from tests.services import funder_data
from tests.services.funder_data import ORGANISATION, PERIOD, TODAY

WELSH_SHEETS = [
    "Crynodeb",
    "Partneriaid",
    "Cyfleoedd",
    "Oriau gwirfoddoli",
    "Gweithdai",
    "Camau gweithredu",
    "Nodiadau",
]
# Texts of the English workbook that a Welsh one must not hold.
ENGLISH_ONLY = ["Summary for funders", "Hours given", "Volunteering hours", "Remit", "not set", "Yes", "No"]


def export(session: Session, path: Path, language: str) -> Path:
    return reporting.export_summary(
        session,
        path=path,
        period=PERIOD,
        organisation_name=ORGANISATION,
        logo=None,
        include_names=False,
        today=TODAY,
        language=language,
    )


@pytest.fixture
def filled(session: Session) -> Session:
    funder_data.build(session)
    return session


def numbers(book: Workbook) -> list[float]:
    """Every figure of every sheet, in order (dates left out: "Produced" is the moment of each export)."""
    return [
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]


def texts(book: Workbook) -> list[str]:
    return [value for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row
            if isinstance(value, str)]  # fmt: skip


def headers(book: Workbook, title: str) -> list[str]:
    return [str(cell.value) for cell in book[title][1]]


def test_the_funder_workbook_in_welsh_has_welsh_words_and_the_figures_of_the_english_one(
    filled: Session, tmp_path: Path
) -> None:
    english = load_workbook(export(filled, tmp_path / "en.xlsx", "en"))
    welsh = load_workbook(export(filled, tmp_path / "cy.xlsx", "cy"))
    assert welsh.sheetnames == WELSH_SHEETS
    assert numbers(welsh) == numbers(english) and len(numbers(welsh)) > 20
    summary = [row[0] for row in welsh["Crynodeb"].iter_rows(values_only=True)]
    assert summary[:2] == [ORGANISATION, "Crynodeb i gyllidwyr"]
    assert "Oriau a roddwyd" in summary and "Gwerth cymdeithasol amcangyfrifedig" in summary
    assert headers(welsh, "Partneriaid")[:4] == ["Partner", "Sector", "BBaCh", "Perthynas"]
    assert "Cylch gwaith" in headers(welsh, "Partneriaid")
    # The users' words are data: the partners' names are the same, in the same order.
    assert [row[0].value for row in welsh["Partneriaid"]][1:] == [row[0].value for row in english["Partners"]][1:]
    # The vocabularies' labels come in the export's language too, from the thread that gathered them.
    written = texts(welsh)
    assert "Y sector gwirfoddol a chymunedol" in written and "Eisoes yn ei wneud" in written
    assert not set(ENGLISH_ONLY) & set(written)
    assert i18n.language() == "en"  # the interface's language is untouched


def test_the_bilingual_workbook_gives_welsh_then_english(filled: Session, tmp_path: Path) -> None:
    english = load_workbook(export(filled, tmp_path / "en.xlsx", "en"))
    both = load_workbook(export(filled, tmp_path / "both.xlsx", "cy+en"))
    # Excel allows 31 characters for a sheet's name: "Oriau gwirfoddoli - Volunteering hours" keeps its Welsh.
    assert both.sheetnames[:3] == ["Crynodeb - Summary", "Partneriaid - Partners", "Cyfleoedd - Opportunities"]
    assert both.sheetnames[3] == "Oriau gwirfoddoli"
    assert numbers(both) == numbers(english)
    assert "Cylch gwaith / Remit" in headers(both, "Partneriaid - Partners")
    assert "Partner" in headers(both, "Partneriaid - Partners")  # the same in both: said once
    written = texts(both)
    assert "Oriau a roddwyd / Hours given" in written
    # A sentence gives its English on a line of its own, under the Welsh.
    note = next(text for text in written if text.startswith("Nid yw'r ffigurau'n cynnwys cofnodion a ddilëwyd:"))
    assert note.split("\n")[1].startswith("Figures exclude deleted records:")


def test_the_funder_pdf_in_welsh_says_so_in_its_words_and_its_language_tag(filled: Session, tmp_path: Path) -> None:
    pdf = export(filled, tmp_path / "cy.pdf", "cy")
    text = " ".join(page_texts(pdf))
    for welsh in ("Crynodeb i gyllidwyr", "Prif ffigurau", "Oriau a roddwyd", "Partneriaid yn ôl sector", "tudalen 1"):
        assert welsh in text
    assert "Headline figures" not in text and "Hours given" not in text
    assert "Harrowfield Together" in text and "Quarterly partnership forum" in text  # data as typed
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "cy-GB"
    assert (reader.metadata or {}).get("/Subject") == "Crynodeb i gyllidwyr"


def test_a_certificate_in_welsh_and_in_both_languages(tmp_path: Path) -> None:
    thanks = Certificate(volunteer_name="Siân Ŵyn", hours=42.5, message="Diolch!", awarded_on=date(2026, 3, 1))
    milestone = Certificate(volunteer_name="Rhys", hours=0, message="", awarded_on=date(2026, 3, 1), milestone=50)
    welsh = write_certificates(tmp_path / "cy.pdf", [thanks, milestone], organisation_name="Cyngor", language="cy")
    pages = page_texts(welsh)
    assert "Tystysgrif diolch" in pages[0] and "Cyflwynir y dystysgrif hon i" in pages[0]
    assert "i gydnabod 42.5 awr o wirfoddoli" in pages[0] and "Siân Ŵyn" in pages[0]
    assert "i gydnabod eich gwirfoddoli" in pages[1] and "am gyrraedd 50 awr o wirfoddoli" in pages[1]
    assert "Certificate" not in " ".join(pages) and "01/03/2026" in pages[0]
    assert PdfReader(welsh).trailer["/Root"]["/Lang"] == "cy-GB"
    both = page_texts(write_certificates(tmp_path / "both.pdf", [thanks], organisation_name="", language="cy+en"))
    assert "Tystysgrif diolch / Certificate of thanks" in both[0]
    assert "i gydnabod 42.5 awr o wirfoddoli / in recognition of 42.5 hours of volunteering" in both[0]


def test_the_workshop_matrix_and_follow_up_pack_in_welsh(filled: Session, tmp_path: Path) -> None:
    spring = next(w.id for w in workshops_of(filled) if w.title == "Spring roundtable")
    matrix = load_workbook(
        workshop_export.export_workshops(filled, workshop_ids=[spring], path=tmp_path / "m.xlsx", language="cy")
    )
    heading_row = next(
        row for row in matrix.worksheets[0].iter_rows(values_only=True) if row[0] == "Elfen o'r strategaeth"
    )
    assert list(heading_row[1:]) == ["Eisoes yn ei wneud", "Gallu gwneud mwy", "Angen cymorth", "Rhwystrau/pryderon"]
    assert matrix.sheetnames[1:] == ["Cofnodion", "Camau gweithredu"]
    pdf, workbook = workshop_export.export_followup(
        filled, workshop_id=spring, path=tmp_path / "pack.pdf", language="cy"
    )
    text = " ".join(page_texts(pdf))
    assert "Camau dilynol y gweithdy" in text and "Pwy oedd yno" in text and "Quarterly partnership forum" in text
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "cy-GB"
    assert "Beth a ddywedwyd" in load_workbook(workbook).sheetnames


def workshops_of(session: Session) -> list:  # type: ignore[type-arg]
    from cohesion_desktop.services import workshops

    return list(workshops.list_workshops(session))


def test_the_command_line_writes_the_language_asked_for_and_speaks_its_own(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cohesion_desktop.cli import main
    from cohesion_desktop.db.store import open_store

    with open_store(data_file) as store, store.session() as session:
        funder_data.build(session)
    period = ["--from", "2026-01-01", "--to", "2026-05-31", "--data", str(data_file)]
    welsh = tmp_path / "cy.xlsx"
    assert main(["--lang", "en", "export", "summary", "--out", str(welsh), "--export-lang", "cy", *period]) == 0
    assert load_workbook(welsh).sheetnames == WELSH_SHEETS
    assert capsys.readouterr().out.startswith("Wrote the summary for 01/01/2026 – 31/05/2026")  # said in English
    # Without --export-lang the file speaks the command line's language.
    welsh_pdf = tmp_path / "cy.pdf"
    assert main(["--lang", "cy", "export", "summary", "--out", str(welsh_pdf), *period]) == 0
    assert "Crynodeb i gyllidwyr" in page_texts(welsh_pdf)[0]
    assert capsys.readouterr().out.startswith("Ysgrifennwyd y crynodeb")
    with pytest.raises(SystemExit) as refused:
        main(["export", "summary", "--out", str(welsh_pdf), "--export-lang", "fr", *period])
    assert refused.value.code == 2 and "cy+en" in capsys.readouterr().err


def test_a_bilingual_report_names_the_partners_present_once(session: Session, tmp_path: Path) -> None:
    from sqlmodel import select

    from cohesion_desktop.db import models

    ids = funder_data.build(session)
    present = sorted(
        session.exec(
            select(models.Partner.name)
            .join(models.WorkshopPartner, models.WorkshopPartner.partner_id == models.Partner.id)  # type: ignore[arg-type]
            .where(models.WorkshopPartner.workshop_id == ids.workshops["spring"])
        )
    )
    assert present  # the spring roundtable has partners present
    text = " ".join(" ".join(page_texts(export(session, tmp_path / "both.pdf", "cy+en"))).split())
    said = "Partneriaid yn bresennol / Partners present: " + ", ".join(present)
    assert said in text
    assert "Partners present: " + present[0] not in text.replace(said, "")  # never once per language


def test_an_error_during_a_bilingual_export_is_said_in_both_languages(tmp_path: Path) -> None:
    from cohesion_desktop.export.pdf_text import UnprintableTextError

    unprintable = Certificate(volunteer_name="Amit 🙂 Roy", hours=3, message="", awarded_on=date(2026, 3, 1))
    with pytest.raises(UnprintableTextError) as refused:
        write_certificates(tmp_path / "both.pdf", [unprintable], organisation_name="", language="cy+en")
    welsh, english = str(refused.value).split("\n")
    assert welsh.startswith(
        "Mae gan y testun hwn nodau na all unrhyw ffont yn Cohesion Desktop eu hargraffu: “Amit 🙂 Roy”: 🙂"
    )
    assert english.startswith("This text has characters that no font in Cohesion Desktop can print: “Amit 🙂 Roy”: 🙂")
    assert not (tmp_path / "both.pdf").exists()
    with pytest.raises(UnprintableTextError) as refused:
        write_certificates(tmp_path / "cy.pdf", [unprintable], organisation_name="", language="cy")
    assert str(refused.value) == welsh
    assert i18n.language() == "en"


def test_a_welsh_export_reports_its_progress_and_its_refusals_in_welsh(filled: Session, tmp_path: Path) -> None:
    stages: list[str] = []
    reporting.export_summary(
        filled,
        path=tmp_path / "cy.xlsx",
        period=PERIOD,
        organisation_name=ORGANISATION,
        logo=None,
        include_names=False,
        today=TODAY,
        language="cy",
        progress=lambda stage, _fraction: stages.append(stage),
    )
    assert stages[0] == "Yn cyfrif" and "Yn ysgrifennu Crynodeb" in stages
    assert not {"Counting", "Writing", "Writing Summary", "Saving"} & set(stages)
    with pytest.raises(CohesionError) as refused:
        export(filled, tmp_path / "nowhere" / "both.xlsx", "cy+en")
    assert str(refused.value).startswith("Nid oedd modd cadw'r crynodeb") and "could not be saved" in str(refused.value)


def test_a_shipped_theme_is_named_in_the_export_s_language(filled: Session, tmp_path: Path) -> None:
    partners.create_partner(filled, data=PartnerInput(name="Hwb Cymunedol", sector=Sector.VCS, themes=["Volunteering"]))

    def themes_of_the_partner(book: Workbook, sheet: str) -> str:
        header = headers(book, sheet)
        row = next(row for row in book[sheet].iter_rows(values_only=True) if row[0] == "Hwb Cymunedol")
        column = next(i for i, title in enumerate(header) if title.startswith(("Themâu", "Themes")))
        return str(row[column])

    assert (
        themes_of_the_partner(load_workbook(export(filled, tmp_path / "en.xlsx", "en")), "Partners") == "Volunteering"
    )
    assert (
        themes_of_the_partner(load_workbook(export(filled, tmp_path / "cy.xlsx", "cy")), "Partneriaid") == "Gwirfoddoli"
    )
    both = load_workbook(export(filled, tmp_path / "both.xlsx", "cy+en"))
    assert themes_of_the_partner(both, "Partneriaid - Partners") == "Gwirfoddoli / Volunteering"
    assert i18n.language() == "en"
