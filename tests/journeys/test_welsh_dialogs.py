"""A Welsh-speaking facilitator sets up a workshop and makes an action from it, with the window in Cymraeg: the
dialogs ask in Welsh, and what is typed into them is stored as in English."""

from __future__ import annotations

from sqlmodel import select

from PySide6.QtWidgets import QWidget

from cohesion_desktop.db import models
from tests.journeys.driver import Journey
from tests.journeys.test_language import switch_to_welsh


def test_a_workshop_and_its_action_set_up_in_welsh(town: Journey) -> None:
    switch_to_welsh(town)
    town.sidebar("Gweithdai")

    @town.on_dialog("Gweithdy newydd")
    def details(_dialog: QWidget) -> None:
        shown = town.texts()
        for label in ("Teitl", "Dyddiad", "Lle", "Hwylusydd", "Matrics", "Partneriaid yn bresennol", "Creu gweithdy"):
            assert label in shown, f"“{label}” is not in the New workshop dialog: {shown}"
        assert town.focused_name() == "Teitl"
        town.type("Bord gron Aberllan")
        town.press("Tab")
        town.clear_and_type("14/11/2026")
        town.press("Tab")
        town.type("Neuadd yr eglwys")
        town.press("Tab")
        town.type("Siân Prys")
        town.press("Tab")
        assert town.focused_name() == "Templed matrics"
        town.click_into("Chwilio am bartner")
        town.clear_and_type("Millbrook Food")
        town.press("Tab")
        assert town.focused_name() == "Partneriaid yn bresennol"
        town.press("Space")
        town.click("Creu gweithdy")

    town.press("Ctrl+N")
    assert details.done

    town.type("Ffair wirfoddoli ar y cyd")  # the first entry of the matrix, then an action made of it
    town.press("Return")
    town.press("Shift+Up")

    @town.on_dialog("Creu cam gweithredu")
    def act(_dialog: QWidget) -> None:
        shown = town.texts()
        for label in ("Cam gweithredu", "Perchennog", "Erbyn", "Statws", "Nodiadau"):
            assert label in shown, f"“{label}” is not in the Make an action dialog: {shown}"
        town.click_into("Perchennog")
        town.clear_and_type("Millbrook Food")
        town.wait_offered("Millbrook Food")
        town.press("Down", "Return")
        town.fill("Dyddiad targed", "31/01/2027")
        town.click("Cadw")

    town.press("Ctrl+Shift+A")
    assert act.done
    with town.stored() as session:
        workshop = session.exec(select(models.Workshop).where(models.Workshop.title == "Bord gron Aberllan")).one()
        action = session.exec(select(models.Action).where(models.Action.title == "Ffair wirfoddoli ar y cyd")).one()
        owner = session.get(models.Partner, action.owner_partner_id)
    assert (str(workshop.held_on), workshop.facilitator) == ("2026-11-14", "Siân Prys")
    assert str(action.due_on) == "2027-01-31" and owner is not None and owner.name.startswith("Millbrook Food")
