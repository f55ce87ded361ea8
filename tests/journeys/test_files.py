"""What a reporting lead and a careful coordinator do with files: the funder summary, backups and restore."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import select

from PySide6.QtWidgets import QWidget

from cohesion_desktop.db import models
from tests.journeys.driver import Journey


def test_ctrl_e_from_a_text_box_exports_the_funder_summary(town: Journey, tmp_path: Path) -> None:
    town.sidebar("Partners")
    town.click_into("Search partners")
    town.type("mill")  # the focus is in a text box, with text in it
    target = tmp_path / "summary for the funder.xlsx"

    @town.on_dialog("Export summary for funders")
    def choose(_dialog: QWidget) -> None:
        town.fill("Organisation name", "Harrowfield Together")
        town.click("Export…")

    town.save_as("Export summary for funders", target)
    told = town.answer("Export summary for funders", "OK")
    town.press("Ctrl+E")
    assert choose.done
    town.wait_until(lambda: told.done, what="the export to finish", timeout_s=60)
    assert "was saved to" in told.text
    book = load_workbook(target, read_only=True)
    assert book["Summary"]["A1"].value == "Harrowfield Together"


def test_back_up_then_restore_brings_back_what_was_there(town: Journey, tmp_path: Path) -> None:
    backup = tmp_path / "before the big import.sqlite"
    town.save_as("Back up now", backup)
    told = town.answer("Back up now", "OK")
    town.press("Ctrl+Shift+B")
    town.wait_until(lambda: told.done, what="the backup to be made", timeout_s=60)
    assert backup.exists()

    # A change after the backup...
    town.sidebar("Partners")
    town.click_row("Partners", "Lowmoor Cricket Club", double=True)
    town.answer("Delete partner", "Delete")
    town.click("Delete partner")
    town.wait_until(lambda: "Deleted Lowmoor Cricket Club." in town.status(), what="the delete")

    # ... undone by restoring the backup file.
    @town.on_dialog("Restore from backup")
    def choose(_dialog: QWidget) -> None:
        town.open_file("Choose a backup file", backup)
        town.click("Choose a backup file…")

    town.answer("Restore from backup", "Restore")
    town.menu("File", "Restore from backup…")
    assert choose.done
    town.wait_until(lambda: town.window.workspace is not None and "Restored" in town.status(), what="the restore")
    with town.stored() as session:
        cricket = session.exec(select(models.Partner).where(models.Partner.name == "Lowmoor Cricket Club")).one()
    assert cricket.deleted_at is None
    kept = list(town.data_file.parent.glob("*before-restore*"))
    assert kept, "the file replaced is kept beside it"
