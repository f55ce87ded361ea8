"""Pages that read their rows in the background (on a large file the window waited for them): the page comes up
at once, its rows follow, and what a person typed meanwhile applies to them."""

from __future__ import annotations

from tests.journeys.driver import Journey


def test_the_opportunities_page_fills_and_a_search_typed_at_once_applies(town: Journey) -> None:
    town.sidebar("Opportunities")
    town.click_into("Search opportunities")  # before the rows have been read, as a quick typist would
    town.type("fixer")
    town.wait_until(lambda: town.rows("Opportunities"), what="the rows to be read")
    assert town.rows("Opportunities") == ["Repair café fixer", "Repair café fixer (St Anne's)"]
    assert "2 of 60 opportunities" in town.texts()
