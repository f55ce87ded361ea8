"""An open editor and another person's save on a team database (issue 17), driven by keys against the tests' own
PostgreSQL server: live refresh tells the window that somebody else saved the partner it shows. With nothing typed,
the editor shows their save at once; with typing not yet saved, the typing stays, a note says who and when, and the
save then asks which to keep (its version is the one shown, no longer the stored one)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from PySide6.QtWidgets import QLabel, QWidget

from cohesion_desktop.db import models
from cohesion_desktop.db.store import ServerStore
from cohesion_desktop.services import partners, workshops
from cohesion_desktop.services.volunteering import volunteers
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from cohesion_desktop.services.workshops import ActionInput
from tests.journeys.driver import Journey
from tests.journeys.test_conflicts import PROMPT
from tests.journeys.test_team_database import DATABASE, opened, start_on, team  # noqa: F401 (fixtures)
from tests.journeys.test_volunteers import open_volunteer
from tests.postgres_server import PostgresServer

PATIENCE_S = 15.0  # far longer than live refresh takes: a loaded machine must not fail the test


@pytest.fixture
def sam(team: ServerStore) -> Iterator[ServerStore]:  # noqa: F811 (the fixture imported above)
    """Another laptop on the same team database, whose history names Sam."""
    was = team.identity.name
    team.identity.name = "Sam"
    yield team
    team.identity.name = was


def open_partner_editor(journey: Journey, name: str) -> uuid.UUID:
    journey.sidebar("Partners")
    journey.wait_until(lambda: name in journey.rows("Partners"), what=f"{name} in the directory")
    journey.click_row("Partners", name, double=True)
    journey.wait_until(lambda: journey.find("Notes").isVisible(), what="the partner's editor")
    with journey.stored() as session:
        return session.exec(select(models.Partner.id).where(models.Partner.name == name)).one()


def sams_save(sam: ServerStore, partner_id: uuid.UUID, notes: str) -> int:
    """Sam saves the partner's notes on his laptop; returns the version his save left."""
    with sam.session() as session:
        return partners.update_partner(session, partner_id=partner_id, changes={"notes": notes}).version


def note(journey: Journey) -> QLabel:
    """The note of the editor on screen (each editor has its own)."""
    notes = journey.window.findChildren(QLabel, "changed_meanwhile")
    assert notes
    return next((label for label in notes if label.isVisible()), notes[0])


@pytest.fixture
def window_on_team(
    start_on: Callable[[str | Path], Journey],  # noqa: F811
    team: ServerStore,  # noqa: F811
    postgres_server: PostgresServer,
) -> Journey:
    journey = start_on(postgres_server.url(DATABASE))
    opened(journey)
    workspace = journey.window.workspace
    assert workspace is not None and workspace._others is not None
    assert workspace._others.listening.wait(PATIENCE_S)
    return journey


def test_typing_in_a_partner_another_person_saves_is_kept_with_a_note_and_the_save_asks(
    window_on_team: Journey, sam: ServerStore
) -> None:
    journey = window_on_team
    partner_id = open_partner_editor(journey, "Millbrook Food Bank")
    journey.click_into("Notes")
    journey.type("Alex: meets on Thursdays")
    theirs = sams_save(sam, partner_id, "Sam: meets on Tuesdays")

    journey.wait_until(lambda: note(journey).isVisible(), what="the note that Sam saved", timeout_s=PATIENCE_S)
    assert note(journey).text().startswith("Changed by Sam at ")
    assert note(journey).text().endswith(": saving will ask which to keep.")
    assert journey.find("Notes").toPlainText() == "Alex: meets on Thursdays"  # the typing kept
    assert journey.focused_name() == "Notes"  # and the cursor where it was

    said: list[str] = []

    @journey.on_dialog(PROMPT)
    def prompt(dialog: QWidget) -> None:
        said.extend(journey.texts(within=dialog))
        journey.click("Save mine over it", within=dialog)

    journey.press("Tab")  # leaving the notes saves them: over Sam's, asked first
    journey.wait_until(lambda: prompt.done, what="the prompt")
    assert "Alex: meets on Thursdays" in said and "Sam: meets on Tuesdays" in said
    with journey.stored() as session:
        stored = session.get(models.Partner, partner_id)
        assert stored is not None
        assert (stored.notes, stored.version) == ("Alex: meets on Thursdays", theirs + 1)
    journey.wait_until(lambda: not note(journey).isVisible(), what="the note to go once saved")


def test_an_editor_with_nothing_typed_shows_another_persons_save_quietly(
    window_on_team: Journey, sam: ServerStore
) -> None:
    journey = window_on_team
    partner_id = open_partner_editor(journey, "Millbrook Food Bank")
    journey.click_into("Name")  # the cursor in a field, nothing typed
    theirs = sams_save(sam, partner_id, "Sam: meets on Tuesdays")
    journey.wait_until(
        lambda: journey.find("Notes").toPlainText() == "Sam: meets on Tuesdays",
        what="Sam's notes in the open editor",
        timeout_s=PATIENCE_S,
    )
    assert not note(journey).isVisible()

    # The editor now shows Sam's version: a save of mine goes through without asking.
    journey.click_into("Notes")
    journey.press("End")
    journey.type(" Alex too.")
    journey.press("Tab")
    journey.wait_until(lambda: "Alex too" in (partner_notes(journey, partner_id) or ""), what="the save")
    with journey.stored() as session:
        stored = session.get(models.Partner, partner_id)
        assert stored is not None and stored.version == theirs + 1
    assert not note(journey).isVisible()  # my own save is not somebody else's


def partner_notes(journey: Journey, partner_id: uuid.UUID) -> str | None:
    with journey.stored() as session:
        stored = session.get(models.Partner, partner_id)
        return None if stored is None else stored.notes


def test_typing_in_a_volunteer_another_person_saves_is_kept_with_a_note(
    window_on_team: Journey, sam: ServerStore
) -> None:
    journey = window_on_team
    with sam.session() as session:
        volunteer_id = volunteers.create_volunteer(
            session, data=VolunteerInput(name="Nia Evans", phone="01632 960000")
        ).id
    journey.wait_until(lambda: journey.window.workspace is not None)
    open_volunteer(journey, "Nia Evans")
    journey.click_into("Phone")
    journey.clear_and_type("07700 900123")
    with sam.session() as session:
        volunteers.update_volunteer(
            session, volunteer_id=volunteer_id, data=VolunteerInput(name="Nia Evans", phone="01632 960111")
        )
    journey.wait_until(lambda: note(journey).isVisible(), what="the note that Sam saved", timeout_s=PATIENCE_S)
    assert note(journey).text().startswith("Changed by Sam at ")
    assert journey.find("Phone").text() == "07700 900123"

    @journey.on_dialog(PROMPT)
    def prompt(dialog: QWidget) -> None:
        journey.click("Save mine over it", within=dialog)

    journey.press("Tab")
    journey.wait_until(lambda: prompt.done, what="the prompt")
    with journey.stored() as session:
        assert volunteers.get_volunteer(session, volunteer_id).data.phone == "07700 900123"


def test_an_open_dialog_keeps_its_typing_says_who_saved_meanwhile_and_its_save_asks(
    window_on_team: Journey, sam: ServerStore
) -> None:
    journey = window_on_team
    with sam.session() as session:
        action_id = workshops.create_action(session, data=ActionInput(title="Book the hall")).id
    journey.sidebar("Actions")
    journey.wait_until(lambda: "Book the hall" in journey.rows("Actions"), what="the action in the list")

    @journey.on_dialog(PROMPT)
    def prompt(dialog: QWidget) -> None:
        journey.click("Save mine over it", within=dialog)

    @journey.on_dialog("Edit action")
    def edit(dialog: QWidget) -> None:
        journey.click_into("Notes", within=dialog)
        journey.type("Ask the vicar")
        with sam.session() as session:
            workshops.update_action(session, action_id=action_id, data=ActionInput(title="Book the church hall"))
        journey.wait_until(
            lambda: "Changed by Sam at " in journey.status(), what="the status bar to say so", timeout_s=PATIENCE_S
        )
        assert journey.status().endswith(": saving will ask which to keep.")
        assert journey.find("Notes", within=dialog).toPlainText() == "Ask the vicar"  # the typing kept
        journey.click("Save", within=dialog)

    journey.click_row("Actions", "Book the hall", double=True)
    journey.wait_until(lambda: edit.done and prompt.done, what="the dialog and the prompt")
    with journey.stored() as session:
        stored = session.get(models.Action, action_id)
        assert stored is not None and (stored.title, stored.notes) == ("Book the hall", "Ask the vicar")
