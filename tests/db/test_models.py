"""Every table stores and returns what was put in it, and rejects what does not fit."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import StatementError
from sqlmodel import Session, SQLModel, select

from cohesion_desktop.db import models
from cohesion_desktop.db.store import Store
from cohesion_desktop.domain import (
    ActionStatus,
    CheckKind,
    MatrixColumn,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
    RecognitionKind,
    RelationshipStage,
    Sector,
)


def _graph() -> list[SQLModel]:
    """One row of every table, linked as real data would be, every field set away from its default."""
    partner = models.Partner(
        name="Millbrook Food Bank",
        sector=Sector.VCS,
        is_sme=True,
        remit="Food parcels",
        website="https://food.example.org",
        relationship_stage=RelationshipStage.ACTIVE,
        notes="Met at the forum",
        search_text="millbrook food bank",
    )
    supporter = models.Partner(name="Brightwell Engineering Ltd", sector=Sector.BUSINESS)
    theme = models.Theme(
        name="Poverty and inequality (test)", name_key="poverty and inequality (test)", description="Cost of living"
    )
    place = models.Place(name="Millbrook", name_key="millbrook", kind="ward")
    contact = models.Contact(
        partner_id=partner.id,
        name="Pauline Greenwood",
        role="Coordinator",
        email="pauline@example.org",
        phone="01632 960123",
        is_main=True,
        position=1,
    )
    opportunity = models.Opportunity(
        title="Pantry host",
        description="Welcome shoppers",
        host_partner_id=partner.id,
        supporting_partner_id=supporter.id,
        kind=OpportunityKind.EMPLOYEE_VOLUNTEERING,
        place_id=place.id,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 12, 20),
        recurrence="Saturdays",
        times="weekend",
        places_available=4,
        skills="listening, cooking",
        accessibility_notes="Step-free",
        status=OpportunityStatus.OPEN,
        search_text="pantry host",
    )
    requirement = models.OpportunityRequirement(
        opportunity_id=opportunity.id, check_kind=CheckKind.TRAINING_FOOD_HYGIENE
    )
    volunteer = models.Volunteer(
        name="Siân Ŵyn",
        email="sian@example.org",
        phone="07700 900123",
        address="1 Canal St",
        skills="Welsh",
        availability="weekend",
        how_heard="Friend",
        consent_to_contact=True,
        consent_details="E-mail me",
        consent_given_on=date(2025, 3, 1),
        consent_withdrawn_on=date(2026, 3, 1),
        emergency_contact_name="Huw",
        emergency_contact_phone="07700 900456",
        notes="Prefers Saturdays",
        search_text="sian wyn",
        erased_at=datetime(2026, 4, 1, 12, 0, tzinfo=UTC),
    )
    check = models.VolunteerCheck(
        volunteer_id=volunteer.id,
        kind=CheckKind.DBS_ENHANCED_BARRED,
        obtained_on=date(2024, 5, 1),
        renewal_due_on=date(2027, 5, 1),
        reference="001234567890",
    )
    placement = models.Placement(
        volunteer_id=volunteer.id,
        opportunity_id=opportunity.id,
        status=PlacementStatus.COMPLETED,
        starts_on=date(2026, 1, 10),
        ends_on=date(2026, 6, 1),
        notes="Great",
    )
    hours = models.HoursEntry(placement_id=placement.id, on_date=date(2026, 2, 14), hours=2.5, activity="Shift")
    recognition = models.Recognition(
        volunteer_id=volunteer.id,
        kind=RecognitionKind.AWARD,
        title="Star",
        given_on=date(2026, 6, 1),
        message="Thank you",
        hours_at_time=50.5,
    )
    template = models.MatrixTemplate(
        name="Ours", description="Our rows", source="Us", builtin_key="ours_test", is_default=False
    )
    template_row = models.MatrixTemplateRow(template_id=template.id, position=2, title="Row", description="Why")
    workshop = models.Workshop(
        title="Roundtable",
        held_on=date(2026, 5, 5),
        place_id=place.id,
        facilitator="Helen",
        template_id=template.id,
        template_name="Ours",
        notes="Good turnout",
    )
    workshop_row = models.WorkshopRow(workshop_id=workshop.id, position=0, title="Row", description="Why")
    entry = models.MatrixEntry(
        workshop_id=workshop.id,
        row_id=workshop_row.id,
        column=MatrixColumn.SUPPORT_NEEDED,
        text="<b>Help</b> & more",
        partner_id=partner.id,
        position=3,
        votes=7,
    )
    action = models.Action(
        title="Do it",
        entry_id=entry.id,
        workshop_id=workshop.id,
        owner_partner_id=partner.id,
        due_on=date(2026, 7, 1),
        status=ActionStatus.DONE,
        completed_on=date(2026, 6, 30),
        notes="Done early",
    )
    laptop = models.Laptop(name="Hall laptop", home="0123abcd")
    return [
        partner,
        supporter,
        theme,
        place,
        models.PartnerTheme(partner_id=partner.id, theme_id=theme.id),
        models.PartnerPlace(partner_id=partner.id, place_id=place.id),
        contact,
        opportunity,
        requirement,
        volunteer,
        check,
        placement,
        hours,
        recognition,
        template,
        template_row,
        workshop,
        workshop_row,
        models.WorkshopPartner(workshop_id=workshop.id, partner_id=partner.id),
        entry,
        action,
        models.Setting(key="hourly_rate", value="12.50"),
        laptop,
        models.HistoryEntry(
            at=datetime(2026, 12, 3, 14, 2, tzinfo=UTC),
            record_kind="partner",
            record_id=partner.id,
            action="changed",
            field="remit",
            old="Food",
            new="Food and warmth",
            who="Sam",
            laptop_id=laptop.id,
        ),
    ]


def _primary_key(row: SQLModel) -> tuple[object, ...]:
    table = type(row).__table__  # type: ignore[attr-defined]
    return tuple(getattr(row, column.name) for column in table.primary_key.columns)


def test_every_table_round_trips(store: Store) -> None:
    rows = _graph()
    assert {type(row) for row in rows} == set(models.ALL_TABLES)
    expected = [(type(row), _primary_key(row), row.model_dump()) for row in rows]
    with store.session() as session:
        for row in rows:
            session.add(row)
            session.flush()  # parents first, as foreign keys require
        session.commit()
    with store.session() as session:
        for table, key, values in expected:
            loaded = session.get(table, key if len(key) > 1 else key[0])
            assert loaded is not None, table.__name__
            assert loaded.model_dump() == values, table.__name__


def test_timestamps_are_aware_utc_and_updated_on_change(session: Session) -> None:
    partner = models.Partner(name="Harrowfield CVS", sector=Sector.VCS)
    session.add(partner)
    session.commit()
    created, first_update = partner.created_at, partner.updated_at
    assert created.tzinfo is not None and created.utcoffset().total_seconds() == 0
    partner.remit = "Volunteer brokerage"
    session.commit()
    reloaded = session.exec(select(models.Partner).where(models.Partner.id == partner.id)).one()
    assert reloaded.created_at == created
    assert reloaded.updated_at > first_update


def test_primary_keys_are_uuids(session: Session) -> None:
    partner = models.Partner(name="Eastfield Community Centre", sector=Sector.VCS)
    session.add(partner)
    session.commit()
    assert isinstance(partner.id, uuid.UUID)
    stored = session.connection().exec_driver_sql("SELECT id FROM partner").scalar_one()
    assert uuid.UUID(stored) == partner.id


def test_an_unknown_enum_value_is_refused_with_its_allowed_values(session: Session) -> None:
    session.add(models.Partner(name="X", sector="church"))  # type: ignore[arg-type]
    with pytest.raises(StatementError, match="'church' is not among the defined enum values"):
        session.commit()


def test_enum_from_label_names_the_choices() -> None:
    assert Sector.from_label("  voluntary AND community sector ") is Sector.VCS
    assert MatrixColumn.from_label("barriers/concerns") is MatrixColumn.BARRIERS
    with pytest.raises(ValueError, match="'Church' is not one of: Business, Local government"):
        Sector.from_label("Church")


def test_the_four_matrix_columns_are_fixed_and_in_order() -> None:
    assert [column.label for column in MatrixColumn] == [
        "Already doing",
        "Could do more",
        "Support needed",
        "Barriers/concerns",
    ]


def test_a_foreign_key_to_nothing_is_refused(session: Session) -> None:
    session.add(models.Contact(partner_id=uuid.uuid4(), name="Nobody's contact"))
    with pytest.raises(StatementError, match="FOREIGN KEY constraint failed"):
        session.commit()
