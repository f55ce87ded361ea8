"""An officer in an English window writes the funder summary in Welsh, choosing Cymraeg in the export dialog by
keyboard: the file speaks Welsh, the window goes on in English."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from PySide6.QtWidgets import QWidget

from tests.journeys.driver import Journey
from tests.journeys.test_first_start import tab_to


def test_choose_cymraeg_in_the_export_dialog_and_the_summary_is_written_in_welsh(
    journey: Journey, tmp_path: Path
) -> None:
    target = tmp_path / "crynodeb.xlsx"

    @journey.on_dialog("Export summary for funders")
    def choose(_dialog: QWidget) -> None:
        assert journey.find("Language of the export").currentText() == "English"  # the window's language first
        journey.fill("Organisation name", "Cymdeithas Gymunedol Aberllan")
        tab_to(journey, "Language of the export")
        journey.type("Cymraeg")  # a drop-down list jumps to the item typed
        assert journey.focused().currentText() == "Cymraeg"
        journey.click("Export…")

    journey.save_as("Export summary for funders", target)
    told = journey.answer("Export summary for funders", "OK")
    journey.press("Ctrl+E")
    assert choose.done
    journey.wait_until(lambda: told.done, what="the export to finish", timeout_s=60)
    assert "was saved to" in told.text  # the window still speaks English

    book = load_workbook(target)
    assert book.sheetnames[:3] == ["Crynodeb", "Partneriaid", "Cyfleoedd"]
    summary = [row[0] for row in book["Crynodeb"].iter_rows(values_only=True)]
    assert summary[:2] == ["Cymdeithas Gymunedol Aberllan", "Crynodeb i gyllidwyr"]
    assert "Oriau a roddwyd" in summary
    assert [action.text().replace("&", "") for action in journey.window.menuBar().actions()][0] == "File"
