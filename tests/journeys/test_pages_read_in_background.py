"""Pages that read their rows in the background (on a large file the window waited for them): the page comes up
at once, its rows follow, and what a person typed meanwhile applies to them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cohesion_desktop.services import partners
from cohesion_desktop.services.volunteering import volunteers
from tests.journeys.driver import Journey


def test_the_opportunities_page_fills_and_a_search_typed_at_once_applies(town: Journey) -> None:
    town.sidebar("Opportunities")
    town.click_into("Search opportunities")  # before the rows have been read, as a quick typist would
    town.type("fixer")
    town.wait_until(lambda: town.rows("Opportunities"), what="the rows to be read")
    assert town.rows("Opportunities") == ["Repair café fixer", "Repair café fixer (St Anne's)"]
    assert "2 of 60 opportunities" in town.texts()


def _add_volunteer(town: Journey, name: str) -> None:
    town.sidebar("Volunteers")

    @town.on_dialog("Add volunteer")
    def named(_dialog: QWidget) -> None:
        town.type(name)
        town.press("Return")

    town.press("Ctrl+N")
    assert named.done


def test_partners_reopened_with_a_search_read_in_the_background_and_show_the_whole_answer(town: Journey) -> None:
    """The search stays in the box while a person edits a partner; coming back after a new theme, the directory
    is read again in the background: no row and "Searching…" meanwhile, then what reading every partner gives, with
    what was typed meanwhile."""
    town.sidebar("Partners")
    town.click_into("Search partners")
    town.type("a")
    town.click_row("Partners", town.rows("Partners")[0], double=True)
    town.click_into("Find or add a theme")
    town.type("Food justice")
    town.press("Return")  # a new theme: the directory is read whole when shown again
    town.click("← All partners")
    assert town.rows("Partners") == [] and "Searching…" in town.texts()  # never a part shown as the answer
    town.click_into("Search partners")
    town.press("End")
    town.type("n")  # typed while the partners may still be read
    town.wait_until(lambda: "Searching…" not in town.texts(), what="the partners to be read")
    with town.stored() as session:
        every = partners.list_partners(session)
    wanted = partners.filter_partners(every, partners.PartnerFilter(query="an"))
    assert wanted and len(wanted) < len(every)
    assert sorted(town.rows("Partners")) == sorted(row.name for row in wanted)
    assert f"{len(wanted)} of {len(every)} partners match" in town.texts()


def test_volunteers_reopened_with_a_search_read_in_the_background_and_show_the_whole_answer(town: Journey) -> None:
    town.sidebar("Volunteers")
    town.click_into("Search volunteers")
    town.type("a")
    town.wait_until(lambda: town.rows("Volunteers"), what="the volunteers found")
    _add_volunteer(town, "Zainab Hussein")  # the editor opens on her
    town.fill("Name", "Zainab Hussain")  # a name changed: the list is read again when shown
    town.press("Tab")
    town.click("← All volunteers")
    assert town.rows("Volunteers") == [] and "Searching…" in town.texts()
    town.click_into("Search volunteers")
    town.press("End")
    town.type("i")  # typed while the list may still be read
    town.wait_until(lambda: "Searching…" not in town.texts() and town.rows("Volunteers"), what="the volunteers")
    with town.stored() as session:
        index = volunteers.volunteer_index(session)
        rows = volunteers.volunteer_rows(
            session, [hex_id for hex_id, _text in volunteers.matching_entries(index, "ai")]
        )
    assert "Zainab Hussain" in town.rows("Volunteers") and "Zainab Hussein" not in town.rows("Volunteers")
    assert town.rows("Volunteers") == [row.name for row in rows]
    assert f"{len(rows)} volunteers match" in town.texts()
