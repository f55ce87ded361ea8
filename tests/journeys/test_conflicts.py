"""Several people at once, nothing overwritten silently (issue 17): a record somebody else saved while it was open
here is not saved over without asking. The person is told who changed it and when, sees both versions, and
chooses: keep theirs ("Show theirs": what was typed goes to the clipboard) or save theirs over it ("Save mine over
it"). Somebody else is another session on the same data file, named Sam in the history, as another laptop's would
be (two laptops on one team database are the same two sessions).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session, col, select

from PySide6.QtWidgets import QApplication, QWidget

from cohesion_desktop.db import models
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.volunteering import volunteers
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from tests.journeys.driver import Journey
from tests.journeys.test_partners import add_partner, stored_partner
from tests.journeys.test_volunteers import open_volunteer
from tests.journeys.test_workshops import new_workshop

PROMPT = "Changed while you were editing"


@contextmanager
def sam_meanwhile(journey: Journey) -> Iterator[Session]:
    """A session of somebody else (Sam) on the data the window has open: what it saves, the window does not hear."""
    workspace = journey.window.workspace
    assert workspace is not None
    identity = workspace.store.identity
    was = identity.name
    identity.name = "Sam"
    try:
        with workspace.store.session() as session:
            yield session
    finally:
        identity.name = was


def read_prompt(journey: Journey, dialog: QWidget) -> list[str]:
    """What the prompt says: its texts, each value once (a value's label is also its accessible name)."""
    return journey.texts(within=dialog)


def partner_with_sams_notes(journey: Journey) -> tuple[uuid.UUID, int]:
    """A partner open in its editor, the cursor in Notes; meanwhile Sam saves notes of his. Returns the partner's id
    and the version Sam's save left."""
    add_partner(journey, "Millbrook Food Bank")
    journey.click_into("Notes")
    partner_id = stored_partner(journey, "Millbrook Food Bank").id
    with sam_meanwhile(journey) as session:
        partners.update_partner(session, partner_id=partner_id, changes={"notes": "Sam: meets on Tuesdays"})
    return partner_id, stored_partner(journey, "Millbrook Food Bank").version


def test_a_partner_changed_meanwhile_asks_and_save_mine_over_it_stores_mine(journey: Journey) -> None:
    _partner_id, theirs = partner_with_sams_notes(journey)
    journey.type("Alex: meets on Thursdays")
    said: list[str] = []

    @journey.on_dialog(PROMPT)
    def prompt(dialog: QWidget) -> None:
        said.extend(read_prompt(journey, dialog))
        journey.click("Save mine over it", within=dialog)

    journey.press("Tab")  # leaving the notes saves them
    journey.wait_until(lambda: prompt.done, what="the prompt")
    assert any(text.startswith("Changed by Sam at ") and text.endswith("while you were editing.") for text in said)
    assert "Alex: meets on Thursdays" in said and "Sam: meets on Tuesdays" in said  # side by side
    partner = stored_partner(journey, "Millbrook Food Bank")
    assert partner.notes == "Alex: meets on Thursdays"
    assert partner.version == theirs + 1  # one save more than Sam's: made over it, not beside it
    assert journey.find("Notes").toPlainText() == "Alex: meets on Thursdays"


def test_a_partner_changed_meanwhile_show_theirs_keeps_theirs_and_puts_mine_on_the_clipboard(journey: Journey) -> None:
    _partner_id, theirs = partner_with_sams_notes(journey)
    journey.type("Alex: meets on Thursdays")

    @journey.on_dialog(PROMPT)
    def prompt(dialog: QWidget) -> None:
        journey.click("Show theirs", within=dialog)

    journey.press("Tab")
    journey.wait_until(lambda: prompt.done, what="the prompt")
    journey.wait_until(lambda: journey.find("Notes").toPlainText() == "Sam: meets on Tuesdays", what="Sam's notes")
    partner = stored_partner(journey, "Millbrook Food Bank")
    assert (partner.notes, partner.version) == ("Sam: meets on Tuesdays", theirs)  # nothing of mine stored
    assert "Alex: meets on Thursdays" in QApplication.clipboard().text()
    assert "clipboard" in journey.status()


def test_cancel_goes_back_to_editing_with_nothing_lost_then_the_next_save_asks_again(journey: Journey) -> None:
    _partner_id, theirs = partner_with_sams_notes(journey)
    journey.type("Alex: meets on Thursdays")

    @journey.on_dialog(PROMPT)
    def first(dialog: QWidget) -> None:
        journey.press("Escape")

    journey.press("Tab")
    journey.wait_until(lambda: first.done, what="the prompt")
    assert journey.find("Notes").toPlainText() == "Alex: meets on Thursdays"  # still there, as typed
    assert stored_partner(journey, "Millbrook Food Bank").version == theirs

    @journey.on_dialog(PROMPT)
    def again(dialog: QWidget) -> None:
        journey.click("Save mine over it", within=dialog)

    journey.click_into("Notes")
    journey.press("End")
    journey.type(".")
    journey.press("Tab")
    journey.wait_until(lambda: again.done, what="the prompt again")
    assert stored_partner(journey, "Millbrook Food Bank").notes == "Alex: meets on Thursdays."


def test_a_volunteer_changed_meanwhile_asks_and_save_mine_over_it_stores_mine(journey: Journey) -> None:
    workspace = journey.window.workspace
    assert workspace is not None
    workspace.write(volunteers.create_volunteer, data=VolunteerInput(name="Nia Evans", phone="01632 960000"))
    open_volunteer(journey, "Nia Evans")
    journey.click_into("Phone")
    with sam_meanwhile(journey) as session:
        volunteer_id = session.exec(select(models.Volunteer.id)).one()
        shown = volunteers.get_volunteer(session, volunteer_id)
        volunteers.update_volunteer(
            session, volunteer_id=volunteer_id, data=VolunteerInput(name="Nia Evans", phone="01632 960111")
        )
        theirs = volunteers.get_volunteer(session, volunteer_id).version
    assert theirs > shown.version
    journey.clear_and_type("07700 900123")
    said: list[str] = []

    @journey.on_dialog(PROMPT)
    def prompt(dialog: QWidget) -> None:
        said.extend(read_prompt(journey, dialog))
        journey.click("Save mine over it", within=dialog)

    journey.press("Tab")
    journey.wait_until(lambda: prompt.done, what="the prompt")
    assert "07700 900123" in said and "01632 960111" in said
    with journey.stored() as session:
        volunteer = session.get(models.Volunteer, volunteer_id)
        assert volunteer is not None
        assert (volunteer.phone, volunteer.version) == ("07700 900123", theirs + 1)


def test_a_volunteer_changed_meanwhile_show_theirs_stores_nothing_of_mine(journey: Journey) -> None:
    workspace = journey.window.workspace
    assert workspace is not None
    workspace.write(volunteers.create_volunteer, data=VolunteerInput(name="Nia Evans"))
    open_volunteer(journey, "Nia Evans")
    journey.click_into("Skills")
    with sam_meanwhile(journey) as session:
        volunteer_id = session.exec(select(models.Volunteer.id)).one()
        volunteers.update_volunteer(
            session, volunteer_id=volunteer_id, data=VolunteerInput(name="Nia Evans", skills="Driving")
        )
    journey.type("Cooking")

    @journey.on_dialog(PROMPT)
    def prompt(dialog: QWidget) -> None:
        journey.click("Show theirs", within=dialog)

    journey.press("Tab")
    journey.wait_until(lambda: prompt.done, what="the prompt")
    journey.wait_until(lambda: journey.find("Skills").text() == "Driving", what="Sam's skills shown")
    with journey.stored() as session:
        assert session.exec(select(models.Volunteer.skills)).one() == "Driving"


def _entry_typed_then_changed_by_sam(journey: Journey) -> tuple[uuid.UUID, int]:
    """A new workshop, an entry typed into its first cell (and picked); meanwhile Sam rewords it."""
    new_workshop(journey, "Roundtable")
    journey.type("Forum at the library")
    journey.press("Return")
    with sam_meanwhile(journey) as session:
        entry = session.exec(select(models.MatrixEntry)).one()
        workshops.edit_entry(session, entry_id=entry.id, text="Monthly forum at the library")
        return entry.id, workshops.get_entry(session, entry.id).version


def test_a_matrix_entry_changed_meanwhile_asks_and_save_mine_over_it_stores_mine(journey: Journey) -> None:
    entry_id, theirs = _entry_typed_then_changed_by_sam(journey)
    said: list[str] = []

    @journey.on_dialog(PROMPT)
    def prompt(dialog: QWidget) -> None:
        said.extend(read_prompt(journey, dialog))
        journey.click("Save mine over it", within=dialog)

    journey.press("F2")  # edit the entry just added
    journey.clear_and_type("Weekly forum at the library")
    journey.press("Return")
    journey.wait_until(lambda: prompt.done, what="the prompt")
    assert "Weekly forum at the library" in said and "Monthly forum at the library" in said
    with journey.stored() as session:
        entry = session.get(models.MatrixEntry, entry_id)
        assert entry is not None and (entry.text, entry.version) == ("Weekly forum at the library", theirs + 1)


def test_a_matrix_entry_changed_meanwhile_show_theirs_stores_nothing_of_mine(journey: Journey) -> None:
    entry_id, theirs = _entry_typed_then_changed_by_sam(journey)

    @journey.on_dialog(PROMPT)
    def prompt(dialog: QWidget) -> None:
        journey.click("Show theirs", within=dialog)

    journey.press("F2")
    journey.clear_and_type("Weekly forum at the library")
    journey.press("Return")
    journey.wait_until(lambda: prompt.done, what="the prompt")
    # The cell shows Sam's words again.
    cell = "Entries: 1. Building cross-sectoral partnerships, Already doing"
    journey.wait_until(lambda: journey.rows(cell) == ["Monthly forum at the library"], what="Sam's words in the cell")
    with journey.stored() as session:
        entry = session.get(models.MatrixEntry, entry_id)
        assert entry is not None and (entry.text, entry.version) == ("Monthly forum at the library", theirs)
    assert "Weekly forum at the library" in QApplication.clipboard().text()


def test_a_vote_meanwhile_is_not_a_conflict_the_edit_goes_through_without_asking(journey: Journey) -> None:
    new_workshop(journey, "Roundtable")
    journey.type("Forum at the library")
    journey.press("Return")
    with sam_meanwhile(journey) as session:
        entry = session.exec(select(models.MatrixEntry)).one()
        workshops.set_votes(session, entry_id=entry.id, votes=2)  # a vote changes nothing the person edits
    journey.press("F2")
    journey.clear_and_type("Weekly forum at the library")
    journey.press("Return")
    with journey.stored() as session:
        entry = session.exec(select(models.MatrixEntry)).one()
        assert (entry.text, entry.votes) == ("Weekly forum at the library", 2)


def test_a_partner_deleted_meanwhile_keeps_what_was_typed_as_a_new_partner(journey: Journey) -> None:
    add_partner(journey, "Millbrook Food Bank")
    journey.click_into("Notes")
    partner_id = stored_partner(journey, "Millbrook Food Bank").id
    with sam_meanwhile(journey) as session:
        partners.delete_partner(session, partner_id=partner_id)
    journey.type("Alex: meets on Thursdays")
    said: list[str] = []

    @journey.on_dialog("Removed while you were editing")
    def prompt(dialog: QWidget) -> None:
        said.extend(read_prompt(journey, dialog))
        journey.click("Save mine as a new record", within=dialog)

    journey.press("Tab")
    journey.wait_until(lambda: prompt.done, what="the prompt")
    assert "Removed by someone else while you were editing." in said and "Alex: meets on Thursdays" in said
    with journey.stored() as session:
        live = session.exec(select(models.Partner).where(col(models.Partner.deleted_at).is_(None))).all()
    assert [(p.name, p.notes) for p in live] == [("Millbrook Food Bank", "Alex: meets on Thursdays")]
    assert live[0].id != partner_id  # a new partner: Sam's deletion stands
