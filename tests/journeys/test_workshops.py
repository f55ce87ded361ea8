"""A facilitator's workshop: set it up, type the matrix in live as people talk, show it, vote, act on it."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from sqlmodel import select

from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from cohesion_desktop.db import models
from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.ui.views.projector_view import ProjectorWindow
from tests.export.pdf_reading import normalise, page_texts
from tests.journeys.driver import Journey

INCLUSION_STEPS = "Inclusion steps (council blog)"  # the template with five rows


def new_workshop(journey: Journey, title: str, *, template: str = "", partners: tuple[str, ...] = ()) -> None:
    """Ctrl+N on the Workshops page, the details typed in, partners ticked with the space bar."""
    journey.sidebar("Workshops")

    @journey.on_dialog("New workshop")
    def details(_dialog: QWidget) -> None:
        assert journey.focused_name() == "Title"
        journey.type(title)
        journey.press("Tab")
        journey.clear_and_type("14/11/2026")
        journey.press("Tab")
        journey.type("St Mark's church hall")
        journey.press("Tab")
        journey.type("Sam Okafor")
        journey.press("Tab")
        assert journey.focused_name() == "Matrix template"
        if template:
            journey.type(template)  # the list jumps to the template whose name starts so
        for partner in partners:
            journey.click_into("Find a partner")
            journey.clear_and_type(partner)
            journey.press("Tab")  # into the list of partners, on the first that matches
            assert journey.focused_name() == "Partners present"
            journey.press("Space")
        journey.click("Create workshop")

    journey.press("Ctrl+N")
    assert details.done


def test_a_new_workshop_with_partners_present(town: Journey) -> None:
    new_workshop(town, "Millbrook roundtable", partners=("Cohesion Team", "Millbrook Food"))
    with town.stored() as session:
        workshop = session.exec(select(models.Workshop).where(models.Workshop.title == "Millbrook roundtable")).one()
        present = session.exec(
            select(models.Partner.name)
            .join(models.WorkshopPartner)
            .where(models.WorkshopPartner.workshop_id == workshop.id)
        ).all()
    assert str(workshop.held_on) == "2026-11-14"
    place = session_place_name(town, workshop.place_id)
    assert (place, workshop.facilitator) == ("St Mark's church hall", "Sam Okafor")
    assert sorted(present) == ["Harrowfield Borough Council – Community Cohesion Team", "Millbrook Food Bank"]
    # The matrix is open, the cursor in its first cell, ready for the first thing said.
    assert town.focused_name().startswith("Add an entry: 1. Building cross-sectoral partnerships, Already doing")


def session_place_name(journey: Journey, place_id: object) -> str:
    with journey.stored() as session:
        place = session.get(models.Place, place_id)
        return place.name if place is not None else ""


def test_live_capture_by_tab_and_enter_across_five_rows_with_the_projector_on(town: Journey) -> None:
    new_workshop(town, "Inclusion evening", template="Inclusion")  # "Inclusion steps": five rows
    said = {}
    for row in range(5):
        for column in MatrixColumn:
            text = f"Row {row + 1} {column.label}"
            town.type(text)
            town.press("Return")
            said[(row, column)] = text
            if (row, column) == (1, MatrixColumn.SUPPORT_NEEDED):
                town.press("F5")  # the projector comes on mid-sentence; typing goes on into the matrix
                projector = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ProjectorWindow))
                assert projector.isVisible()
                assert town.focused_name().startswith("Add an entry: 2.")
            town.press("Tab")
        # Tab past the last column goes on to the next row; its box is on screen.
        if row < 4:
            assert town.focused_name().startswith(f"Add an entry: {row + 2}.")
            assert town.focused().visibleRegion().boundingRect().height() > 0, "the box typed into is off screen"
    with town.stored() as session:
        workshop = session.exec(select(models.Workshop).where(models.Workshop.title == "Inclusion evening")).one()
        rows = session.exec(
            select(models.WorkshopRow)
            .where(models.WorkshopRow.workshop_id == workshop.id)
            .order_by(models.WorkshopRow.position)
        ).all()
        entries = session.exec(select(models.MatrixEntry).where(models.MatrixEntry.workshop_id == workshop.id)).all()
    assert len(rows) == 5
    stored = {
        (next(i for i, r in enumerate(rows) if r.id == e.row_id), MatrixColumn(e.column)): e.text for e in entries
    }
    assert stored == said
    town.press("F5")  # off again
    assert not projector.isVisible()


def test_voting_by_keyboard_and_making_an_action(town: Journey, tmp_path: Path) -> None:
    new_workshop(town, "Voting night", partners=("Millbrook Food",))
    for text in ("Share the community hub", "Joint volunteer fair"):
        town.type(text)
        town.press("Return")
    town.press("F6")  # voting on; the entry just typed is the one picked
    town.type("+++")
    town.press("Shift+Up")  # pick the one above
    town.type("+")

    @town.on_dialog("Make an action")
    def act(_dialog: QWidget) -> None:
        town.click_into("Owner")
        town.clear_and_type("Millbrook Food")
        town.wait_offered("Millbrook Food")
        town.press("Down", "Return")  # take the partner offered
        town.fill("Due date", "31/01/2027")
        town.click("Save")

    town.press("Shift+Down")  # back to "Joint volunteer fair"
    town.press("Ctrl+Shift+A")
    assert act.done
    with town.stored() as session:
        votes = dict(session.exec(select(models.MatrixEntry.text, models.MatrixEntry.votes)).all())
        action = session.exec(select(models.Action).where(models.Action.title == "Joint volunteer fair")).one()
        owner = session.get(models.Partner, action.owner_partner_id)
    assert (votes["Joint volunteer fair"], votes["Share the community hub"]) == (3, 1)
    assert str(action.due_on) == "2027-01-31" and owner is not None and owner.name.startswith("Millbrook Food")


def test_export_a_workshop_and_combine_two(town: Journey, tmp_path: Path) -> None:
    town.sidebar("Workshops")
    first, second = town.rows("Workshops")[:2]
    town.click_row("Workshops", first)
    town.click_row("Workshops", second, modifier=town_ctrl())
    target = tmp_path / "two workshops.xlsx"
    in_english = town.on_dialog("Export workshops")(lambda _dialog: town.press("Return"))  # the language offered
    saved = town.save_as("Export", target)
    town.click("Export…")
    assert in_english.done and saved.done
    town.wait_until(target.exists, what="the workbook to be written")
    workbook = openpyxl.load_workbook(target, read_only=True)
    assert len(workbook.sheetnames) >= 2
    town.click("Combine…")
    town.find("Synthesis of 2 workshops")


def town_ctrl():  # noqa: ANN201 - a modifier for a Ctrl+click
    from PySide6.QtCore import Qt

    return Qt.KeyboardModifier.ControlModifier


def test_the_follow_up_pack_for_the_partners_who_were_there(town: Journey, tmp_path: Path) -> None:
    town.sidebar("Workshops")
    town.click_row("Workshops", "Harrowfield cohesion roundtable", double=True)
    town.wait_until(lambda: town.find_all("Follow-up pack…"), what="the matrix to open")
    target = tmp_path / "for the partners.pdf"
    suggested: list[str] = []

    @town.on_dialog("Make a follow-up pack")
    def language(_dialog: QWidget) -> None:
        assert town.focused().currentText() == "English"  # the window's language, the first time
        town.press("Return")

    @town.on_dialog("Follow-up pack")
    def choose(dialog: QWidget) -> None:
        town.wait_until(lambda: isinstance(QApplication.focusWidget(), QLineEdit), what="the file name box")
        suggested.append(town.focused().text())  # what the person sees offered
        town.clear_and_type(str(target))
        town.press("Return")

    told = town.answer("Follow-up pack", "OK")
    town.click("Follow-up pack…")
    assert language.done and choose.done
    town.wait_until(lambda: told.done, what="the pack to be written", timeout_s=60)
    workbook = tmp_path / "for the partners.xlsx"
    assert str(target) in told.text and workbook.name in told.text
    assert re.fullmatch(r"Harrowfield cohesion roundtable \d{4}-\d{2}-\d{2} follow-up\.pdf", Path(suggested[0]).name)

    with town.stored() as session:
        workshop = session.exec(
            select(models.Workshop).where(models.Workshop.title == "Harrowfield cohesion roundtable")
        ).one()
        present = session.exec(
            select(models.Partner.name)
            .join(models.WorkshopPartner)
            .where(models.WorkshopPartner.workshop_id == workshop.id)
        ).all()
        entries = session.exec(
            select(models.MatrixEntry.text).where(
                models.MatrixEntry.workshop_id == workshop.id,
                models.MatrixEntry.deleted_at == None,  # noqa: E711
            )
        ).all()
        actions = session.exec(
            select(models.Action.title).where(
                models.Action.workshop_id == workshop.id,
                models.Action.deleted_at == None,  # noqa: E711
            )
        ).all()
    assert present and entries and actions, "the example roundtable has partners, entries and actions"
    text = normalise(" ".join(page_texts(target)))
    assert normalise("Harrowfield cohesion roundtable") in text and normalise(f"{workshop.held_on:%d/%m/%Y}") in text
    for said in (*present, *entries, *actions):
        assert normalise(said) in text, said
    book = openpyxl.load_workbook(workbook)
    assert sorted(row[2] for row in book["What was said"].iter_rows(min_row=2, values_only=True)) == sorted(entries)
    assert sorted(row[0] for row in book["Actions"].iter_rows(min_row=2, values_only=True)) == sorted(actions)
    assert sorted(row[0] for row in book["Who attended"].iter_rows(min_row=2, values_only=True)) == sorted(present)


def test_the_follow_up_pack_in_welsh_from_an_english_window(town: Journey, tmp_path: Path) -> None:
    """Cymraeg typed into the language asked before the file dialog: the pack speaks Welsh, the window English, and
    the next export offers Cymraeg first."""
    town.sidebar("Workshops")
    town.click_row("Workshops", "Harrowfield cohesion roundtable", double=True)
    town.wait_until(lambda: town.find_all("Follow-up pack…"), what="the matrix to open")
    out = tmp_path / "out"  # beside the data file, its own folder
    out.mkdir()
    target = out / "pecyn.pdf"

    @town.on_dialog("Make a follow-up pack")
    def language(_dialog: QWidget) -> None:
        assert town.focused_name() == "Language of the export"
        town.type("Cymraeg")  # a drop-down list jumps to the item typed
        assert town.focused().currentText() == "Cymraeg"
        town.click("Export…")

    saved = town.save_as("Follow-up pack", target)
    told = town.answer("Follow-up pack", "OK")
    town.click("Follow-up pack…")
    assert language.done and saved.done
    town.wait_until(lambda: told.done, what="the pack to be written", timeout_s=60)
    assert "The follow-up pack was saved as" in told.text  # the window goes on in English

    text = normalise(" ".join(page_texts(target)))
    for heading in ("Camau dilynol y gweithdy", "Pwy oedd yno", "Camau gweithredu a gytunwyd"):
        assert normalise(heading) in text, heading
    assert normalise("Who attended") not in text
    book = openpyxl.load_workbook(out / "pecyn.xlsx")
    assert {"Pwy oedd yno", "Beth a ddywedwyd"} <= set(book.sheetnames)
    assert "Who attended" not in book.sheetnames

    @town.on_dialog("Export the workshop")
    def remembered(_dialog: QWidget) -> None:
        assert town.focused().currentText() == "Cymraeg"  # last time's choice
        town.press("Escape")  # and nothing is asked or written

    town.click("Export…")
    assert remembered.done
    assert sorted(path.name for path in out.iterdir()) == ["pecyn.pdf", "pecyn.xlsx"]
