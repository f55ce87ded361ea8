"""A reporting lead on a deadline: a partner's name has an emoji that no bundled font can print. The funder PDF
is not stopped: the lead is told which name, chooses to write it anyway, and gets the PDF with a visible mark in
the emoji's place and the rest of the name as typed; or chooses not to, and nothing is written."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from sqlmodel import select

from PySide6.QtWidgets import QWidget

from cohesion_desktop.db import models
from cohesion_desktop.export.pdf_text import REPLACEMENT
from tests.journeys.driver import Journey
from tests.journeys.test_first_start import tab_to

PARTNER = "Canal Side Café"
EMOJI = "☕"  # U+2615 HOT BEVERAGE: in none of the bundled fonts


def name_partner_with_an_emoji(town: Journey) -> None:
    town.sidebar("Partners")
    town.click_row("Partners", PARTNER, double=True)
    town.wait_until(lambda: town.focused_name() == "Name", what=f"{PARTNER} to open")
    town.press("End")
    town.type(f" {EMOJI}")
    town.press("Tab")  # leaving the name saves it

    def saved() -> bool:
        with town.stored() as session:
            return (
                session.exec(select(models.Partner).where(models.Partner.name == f"{PARTNER} {EMOJI}")).first()
                is not None
            )

    town.wait_until(saved, what="the name to be saved")


def choose_a_funder_pdf(town: Journey, target: Path) -> None:
    """What the lead does in the export dialog and the file dialog, once Ctrl+E opens them."""

    @town.on_dialog("Export summary for funders")
    def choose(_dialog: QWidget) -> None:
        town.fill("Organisation name", "Harrowfield Together")
        tab_to(town, "Format")
        town.type("PDF")  # a drop-down list jumps to the item typed
        town.click("Export…")

    town.save_as("Export summary for funders", target)


def test_an_emoji_in_a_partners_name_is_told_and_the_funder_pdf_written_anyway(town: Journey, tmp_path: Path) -> None:
    name_partner_with_an_emoji(town)
    target = tmp_path / "summary.pdf"
    choose_a_funder_pdf(town, target)
    warned = town.answer("Characters that cannot be printed", "Write the PDF anyway")
    told = town.answer("Export summary for funders", "OK")
    town.press("Ctrl+E")
    town.wait_until(lambda: told.done, what="the export to finish", timeout_s=90)

    assert f"“{PARTNER} {EMOJI}”" in warned.text and "U+2615" in warned.text  # the name, and the character
    assert "was saved to" in told.text
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert f"{PARTNER} {REPLACEMENT}" in " ".join(text.split())  # the rest of the name, and a mark, never a blank
    assert EMOJI not in text


def test_choosing_not_to_write_leaves_no_pdf(town: Journey, tmp_path: Path) -> None:
    name_partner_with_an_emoji(town)
    target = tmp_path / "summary.pdf"
    choose_a_funder_pdf(town, target)
    warned = town.answer("Characters that cannot be printed", "Don't write it")
    town.press("Ctrl+E")
    town.wait_until(lambda: warned.done, what="the warning", timeout_s=90)
    # They have just read which texts: a short status says the PDF was not written, no error lists them again.
    town.wait_until(lambda: town.status() == "The PDF was not written.", what="the status")

    assert f"{PARTNER} {EMOJI}" in warned.text
    assert not target.exists()
    assert [p.name for p in tmp_path.glob("*.pdf*")] == []  # no temporary file left either
