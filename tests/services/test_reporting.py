"""The funder summary's headline figures, checked against figures worked out from a hand-made data set."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from sqlmodel import Session

from cohesion_desktop.db import models
from cohesion_desktop.domain import Sector
from cohesion_desktop.errors import ValidationError
from cohesion_desktop.services import reporting, settings
from cohesion_desktop.services.reporting import Figure, Period
from tests.services import funder_data
from tests.services.funder_data import PERIOD, TODAY


@pytest.fixture
def built(session: Session) -> funder_data.Ids:
    return funder_data.build(session)


def figures_of(session: Session) -> dict[str, Figure]:
    return {figure.key: figure for figure in reporting.summary(session, period=PERIOD, today=TODAY).figures}


# --- the period ----------------------------------------------------------------------------------------------


def test_the_last_12_months_are_this_month_so_far_and_the_eleven_before() -> None:
    period = Period.last_12_months(date(2026, 11, 30))
    assert (period.start, period.end) == (date(2025, 12, 1), date(2026, 11, 30))
    assert period.label == "01/12/2025 – 30/11/2026"
    assert Period.last_12_months(date(2026, 1, 15)).start == date(2025, 2, 1)


def test_a_period_that_ends_before_it_starts_names_the_start() -> None:
    with pytest.raises(ValidationError) as raised:
        Period(date(2026, 5, 1), date(2026, 4, 30))
    assert list(raised.value.problems) == ["start"]
    assert "01/05/2026" in str(raised.value) and "30/04/2026" in str(raised.value)
    with pytest.raises(ValidationError, match="1900"):
        Period(date(1899, 12, 31), date(2026, 1, 1))
    assert Period(date(2026, 5, 1), date(2026, 5, 1)).label == "01/05/2026 – 01/05/2026"


# --- the figures -----------------------------------------------------------------------------------------------


def test_every_figure_matches_the_one_worked_out_from_the_rows(session: Session, built: funder_data.Ids) -> None:
    expected = funder_data.expected_figures()
    found = figures_of(session)

    assert list(found) == list(expected)
    assert {key: figure.value for key, figure in found.items()} == pytest.approx(expected)
    # And by hand, so that a slip in the helper above cannot hide a slip in the code.
    assert {key: figure.value for key, figure in found.items()} == {
        "partners": 4,
        "new_partners": 2,
        "opportunities_open": 2,
        "opportunities_filled": 1,
        "placements_started": 2,
        "active_volunteers": 2,
        "hours": 9.0,
        "social_value": 112.5,
        "workshops": 1,
        "actions_open": 2,
        "actions_in_progress": 1,
        "actions_done": 1,
        "actions_overdue": 2,
    }


def test_each_figure_has_a_label_a_unit_and_a_note_saying_how_it_was_computed(
    session: Session, built: funder_data.Ids
) -> None:
    found = figures_of(session)

    assert all(figure.label and figure.unit and len(figure.note) > 20 for figure in found.values())
    assert found["hours"].note == "Sum of the hours entries dated within the period."
    assert found["hours"].text == "9.0 hours" and found["social_value"].text == "£113"
    assert "£12.50 an hour" in found["social_value"].note and funder_data.RATE_SOURCE in found["social_value"].note
    assert "15/06/2026" in found["actions_overdue"].note


def test_the_series_behind_the_charts(session: Session, built: funder_data.Ids) -> None:
    result = reporting.summary(session, period=PERIOD, today=TODAY)

    months = {month.month: (month.hours, month.entries) for month in result.hours_by_month}
    expected: dict[date, list[float]] = {date(2026, m, 1): [0.0, 0] for m in range(1, 6)}
    for _volunteer, _opportunity, on_date, hours in funder_data.counted_hours():
        expected[on_date.replace(day=1)][0] += hours
        expected[on_date.replace(day=1)][1] += 1
    assert months == {month: (hours, entries) for month, (hours, entries) in expected.items()}
    assert [month.label for month in result.hours_by_month] == [
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
        "Apr 2026",
        "May 2026",
    ]
    # The largest sector first; equal ones in the usual order of sectors.
    assert [(c.label, c.count) for c in result.partners_by_sector] == [
        ("Business", 2),
        ("Voluntary and community sector", 1),
        ("Faith", 1),
    ]
    assert [(c.label, c.count) for c in result.actions_by_status] == [
        ("Open", 2),
        ("In progress", 1),
        ("Done", 1),
        ("Cancelled", 1),
    ]
    assert result.hourly_rate == Decimal("12.50") and result.hourly_rate_source == funder_data.RATE_SOURCE
    assert not result.is_empty


def test_without_an_hourly_rate_the_social_value_is_not_set_and_says_why(
    session: Session, built: funder_data.Ids
) -> None:
    settings.save_settings(session, settings=settings.Settings(organisation_name="X"))
    social = figures_of(session)["social_value"]

    assert social.value is None and social.text == "not set"
    assert "no hourly rate is set" in social.note


def test_an_empty_file_gives_zeros_and_months_without_hours(session: Session) -> None:
    result = reporting.summary(session, period=PERIOD, today=TODAY)

    assert result.is_empty
    assert all(figure.value in (0, None) for figure in result.figures)
    assert [month.hours for month in result.hours_by_month] == [0.0] * 5
    assert result.partners_by_sector == ()


def test_a_partner_added_at_the_very_end_of_the_period_is_new(session: Session) -> None:
    # 23:30 on the last day and 00:05 the day after, in the computer's time zone (timestamps are stored in UTC).
    session.add(
        models.Partner(
            name="Late", sector=Sector.OTHER, created_at=datetime.combine(PERIOD.end, time(23, 30)).astimezone()
        )
    )
    session.add(
        models.Partner(
            name="Next day", sector=Sector.OTHER, created_at=datetime.combine(date(2026, 6, 1), time(0, 5)).astimezone()
        )
    )
    session.commit()

    assert figures_of(session)["new_partners"].value == 1


@pytest.mark.parametrize(
    ("unit", "value", "text"),
    [
        ("£", 112.5, "£113"),
        ("£", 1234567.49, "£1,234,567"),
        ("hours", 2.25, "2.3 hours"),
        ("hours", 0, "0.0 hours"),
        ("partners", 12345, "12,345"),
        ("£", None, "not set"),
    ],
)
def test_figures_read_as_excel_shows_them(unit: str, value: float | None, text: str) -> None:
    # Half up, as Excel's "£#,##0" and "#,##0.0" round: the PDF and the workbook never disagree by a pound.
    assert Figure("x", "X", value, unit, "").text == text


def test_summary_values_are_plain_and_outlive_the_session(store, built: funder_data.Ids) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        result = reporting.summary(session, period=PERIOD, today=TODAY)
    assert result.figure("hours").value == 9.0
    with pytest.raises(KeyError):
        result.figure("nonsense")
