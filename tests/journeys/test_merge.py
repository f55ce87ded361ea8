"""The office coordinator brings the church hall laptop's file home: File → Merge another data file…"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from PySide6.QtWidgets import QWidget

from cohesion_desktop.db import models
from cohesion_desktop.db.store import open_store
from cohesion_desktop.domain import Sector
from cohesion_desktop.services import partners
from cohesion_desktop.services.partners import PartnerInput
from tests.journeys.driver import Journey
from tests.journeys.test_partners import add_partner, stored_partner
from tests.services.test_merging_properties import copy_file


def test_merge_the_hall_laptops_file_preview_first_then_for_real(journey: Journey, tmp_path: Path) -> None:
    add_partner(journey, "Millbrook Food Bank")
    bank = stored_partner(journey, "Millbrook Food Bank").id
    hall = copy_file(journey.data_file, tmp_path / "hall" / "cohesion.sqlite")  # the copy taken to the hall
    with open_store(hall) as store, store.session() as session:
        partners.update_partner(session, partner_id=bank, changes={"notes": "Met at the roundtable"})
        partners.create_partner(session, data=PartnerInput(name="St Mark's Church", sector=Sector.FAITH))

    journey.open_file("Merge another data file", hall)
    journey.answer("Merge another data file", "Preview")
    previewed: list[str] = []

    @journey.on_dialog("Merge preview")
    def read_preview(_dialog: QWidget) -> None:
        previewed.append(journey.find("Merge report").toPlainText())
        journey.click("Close")

    journey.menu("File", "Merge another data file…")
    journey.wait_until(lambda: read_preview.done, what="the preview", timeout_s=60)
    assert previewed[0].startswith("Dry run: nothing was written.")
    assert "Partners: 1 added, 1 updated" in previewed[0]
    with journey.stored() as session:
        assert session.exec(select(models.Partner).where(models.Partner.name == "St Mark's Church")).all() == []

    journey.open_file("Merge another data file", hall)
    journey.answer("Merge another data file", "Merge")
    reported: list[str] = []

    @journey.on_dialog("Merge report")
    def read_report(_dialog: QWidget) -> None:
        reported.append(journey.find("Merge report").toPlainText())
        journey.press("Escape")

    journey.menu("File", "Merge another data file…")
    journey.wait_until(lambda: read_report.done, what="the merge", timeout_s=60)
    assert "Partners: 1 added, 1 updated" in reported[0] and "A backup of this file was made first" in reported[0]
    assert stored_partner(journey, "St Mark's Church").sector == Sector.FAITH
    assert stored_partner(journey, "Millbrook Food Bank").notes == "Met at the roundtable"
    journey.click("← All partners")
    journey.row_index("Partners", "St Mark's Church")  # the page shows what the merge brought
