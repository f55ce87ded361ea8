"""Turning a hand-made partner list into records and a problem list a coordinator can act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cohesion_desktop.domain import RelationshipStage, Sector
from cohesion_desktop.importing.partners import (
    PARTNER_FIELDS,
    ContactRecord,
    ParsedPartners,
    PartnerRecord,
    RowProblem,
    find_header_row,
    guess_mapping,
    parse_partners,
    sector_from_name,
    sector_from_text,
)
from cohesion_desktop.importing.spreadsheet import ImportFileError, Sheet, read_sheet

from .builders import MESSY_MERGES, MESSY_ROWS, write_csv, write_xlsx


def record(row: int, name: str, sector: Sector, **fields: Any) -> PartnerRecord:
    """A PartnerRecord with empty defaults, so that each expectation shows only what the row holds."""
    values: dict[str, Any] = {
        "sector_was_guessed": False,
        "is_sme": False,
        "remit": "",
        "themes": (),
        "places": (),
        "website": "",
        "relationship_stage": None,
        "notes": "",
        "contacts": (),
    }
    values.update(fields)
    return PartnerRecord(row=row, name=name, sector=sector, **values)


def sheet_of(*rows: list[str]) -> Sheet:
    width = max(len(row) for row in rows)
    return Sheet(name="Partners", rows=[list(row) + [""] * (width - len(row)) for row in rows])


SECTOR_LIST = (
    "Business, Local government, Combined authority, Voluntary and community sector, Social enterprise, "
    "Faith, Police and community safety, Education, Health and care, Housing, Sport, arts and culture, "
    "Funder, Employers' organisation, Other"
)

MESSY_RECORDS = [
    record(
        4,
        "St Mary's Church",
        Sector.FAITH,
        remit="Lunch club and food bank",
        themes=("Social isolation and loneliness", "Older people"),
        places=("Northgate", "Eastfield"),
        website="https://www.stmarys-harrowfield.org.uk",
        relationship_stage=RelationshipStage.ACTIVE,
        contacts=(ContactRecord(name="Revd Ann Jones", role="", email="ann@stmarys.org.uk", phone="01632 960001"),),
    ),
    record(
        5,
        "Millbrook Primary School",
        Sector.EDUCATION,
        remit="Primary school",
        themes=("Young people",),
        places=("Northgate", "Eastfield"),
        relationship_stage=RelationshipStage.IDENTIFIED,
        notes="Summer fair",
        contacts=(ContactRecord(name="Mr T. Patel", role="", email="office@millbrook.sch.uk", phone=""),),
    ),
    record(
        7,
        "Kirklees Council",
        Sector.LOCAL_GOVERNMENT,
        remit="Local services",
        themes=("Civic engagement",),
        places=("Kirklees",),
        website="https://www.kirklees.gov.uk",
        relationship_stage=RelationshipStage.CONTACTED,
    ),
    record(8, "Harrowfield Mosque", Sector.FAITH, themes=("Social mixing",), places=("Eastfield",)),
    record(9, "Ysgol Gymraeg Llanfair", Sector.EDUCATION, themes=("ESOL and language",), places=("Llanfair",)),
    record(10, "Cymdeithas Tai Cymru", Sector.VCS, themes=("Housing",)),
    record(
        11,
        "Café Écologique",
        Sector.VCS,
        themes=("Climate justice",),
        contacts=(ContactRecord(name="Zoë", role="", email="", phone=""),),
    ),
    record(12, "Łódź Polish Club", Sector.OTHER, sector_was_guessed=True, themes=("Migration and integration",)),
    record(15, "Northgate Medical Practice", Sector.HEALTH, themes=("Health inequalities",), places=("Northgate",)),
    record(16, "Harrowfield Borough Council", Sector.LOCAL_GOVERNMENT),
    record(18, "Acme Widgets Ltd", Sector.BUSINESS, is_sme=True, themes=("Economic participation",)),
    record(19, "The Red Lion Ltd", Sector.BUSINESS, sector_was_guessed=True),
    record(20, "Harrowfield Youth Trust", Sector.OTHER, sector_was_guessed=True),
]
MESSY_PROBLEMS = [
    RowProblem(11, "E-mail", "“hello@cafe” is not an e-mail address; it was left out", "warning"),
    RowProblem(12, "Sector", "No sector given; set to Other", "warning"),
    RowProblem(13, "Organisation", "No organisation name", "error"),
    RowProblem(14, "Organisation", "Same name as row 4", "error"),
    RowProblem(18, "Website", "“see notes” is not a web address; it was left out", "warning"),
    RowProblem(
        18,
        "Stage",
        "“Keen” is not a relationship stage (Identified, In conversation, Active partner, Lapsed); left blank",
        "warning",
    ),
    RowProblem(
        19,
        "Sector",
        f"“Pub” is not a known sector, so it was guessed as Business from the name. Sectors are: {SECTOR_LIST}",
        "warning",
    ),
    RowProblem(20, "Sector", "No sector given; set to Other", "warning"),
    RowProblem(20, "SME?", "“maybe” is not yes or no; recorded as no", "warning"),
]


def assert_messy_result(parsed: ParsedPartners) -> None:
    assert parsed.header_row == 3
    assert parsed.headers == [header.strip() for header in MESSY_ROWS[2]]
    assert parsed.mapping == {
        0: "name",
        1: "sector",
        2: "is_sme",
        3: "remit",
        4: "themes",
        5: "places",
        6: "website",
        7: "relationship_stage",
        8: "contact_name",
        9: "contact_email",
        10: "contact_phone",
        11: "notes",
    }
    assert parsed.records == MESSY_RECORDS
    assert parsed.problems == MESSY_PROBLEMS
    assert parsed.blank_rows == 2  # rows 6 and 17; row 2 is above the header


# ------------------------------------------------------------------ whole files


def test_a_messy_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "partners.xlsx", MESSY_ROWS, merges=MESSY_MERGES)

    parsed = parse_partners(read_sheet(path))

    assert parsed.sheet == "Partners"
    assert_messy_result(parsed)


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-8-sig", ";")])
def test_the_same_list_as_csv(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "partners.csv", MESSY_ROWS, encoding=encoding, delimiter=delimiter)

    parsed = parse_partners(read_sheet(path))

    assert parsed.sheet == "partners"
    assert_messy_result(parsed)


def test_a_cp1252_csv(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "partners.csv",
        [["Organisation", "Sector"], ["Café Écologique", "CIC"], ["Ysgol Gymraeg Llanfair", "Ysgol"]],
        encoding="cp1252",
    )

    parsed = parse_partners(read_sheet(path))

    assert [(r.name, r.sector) for r in parsed.records] == [
        ("Café Écologique", Sector.SOCIAL_ENTERPRISE),
        ("Ysgol Gymraeg Llanfair", Sector.EDUCATION),
    ]
    assert parsed.problems == [
        RowProblem(
            3,
            "Sector",
            f"“Ysgol” is not a known sector, so it was guessed as Education from the name. Sectors are: {SECTOR_LIST}",
            "warning",
        ),
    ]


def test_without_a_sector_column_sectors_are_guessed_from_names(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "names.xlsx",
        [
            ["Organisation", "Contact"],
            ["St Mary's Church", "Ann"],
            ["Kirklees Council", ""],
            ["Northgate NHS Foundation Trust", ""],
            ["Harrowfield Community Trust", ""],
            ["Bolt & Sons Ltd", ""],
        ],
    )

    parsed = parse_partners(read_sheet(path))

    assert [(r.row, r.name, r.sector, r.sector_was_guessed) for r in parsed.records] == [
        (2, "St Mary's Church", Sector.FAITH, True),
        (3, "Kirklees Council", Sector.LOCAL_GOVERNMENT, True),
        (4, "Northgate NHS Foundation Trust", Sector.HEALTH, True),
        (5, "Harrowfield Community Trust", Sector.OTHER, True),
        (6, "Bolt & Sons Ltd", Sector.BUSINESS, True),
    ]
    assert parsed.problems == [
        RowProblem(2, "", "Sector guessed as Faith from the name", "warning"),
        RowProblem(3, "", "Sector guessed as Local government from the name", "warning"),
        RowProblem(4, "", "Sector guessed as Health and care from the name", "warning"),
        RowProblem(5, "", "No sector given; set to Other", "warning"),
        RowProblem(6, "", "Sector guessed as Business from the name", "warning"),
    ]


def test_a_blank_sector_cell_is_guessed_with_the_column_named() -> None:
    parsed = parse_partners(sheet_of(["Organisation", "Sector"], ["Harrowfield Mosque", ""]))

    assert parsed.records[0].sector == Sector.FAITH
    assert parsed.problems == [RowProblem(2, "Sector", "Sector guessed as Faith from the name", "warning")]


# ------------------------------------------------------------------ cells


def test_placeholders_are_empty() -> None:
    parsed = parse_partners(
        sheet_of(
            ["Organisation", "Sector", "Email", "Website", "Themes", "Stage", "Phone"],
            ["Acme Ltd", "n/a", "N/A", "-", "Youth, TBC, none", "TBC", "–"],
            ["TBC", "Business"],
        )
    )

    assert parsed.records == [record(2, "Acme Ltd", Sector.BUSINESS, sector_was_guessed=True, themes=("Youth",))]
    assert parsed.problems == [
        RowProblem(2, "Sector", "Sector guessed as Business from the name", "warning"),
        RowProblem(3, "Organisation", "No organisation name", "error"),
    ]


def test_names_are_tidied_but_kept_as_written() -> None:
    parsed = parse_partners(
        sheet_of(
            ["Organisation", "Sector"],
            ["  Siân's   Café\u00a0 Écologique ", "VCS"],
            ["Łódź Polish Club", "Community group"],
            ["Ysgol Gymraeg Llanfair", "School"],
            ["SIAN'S CAFE ECOLOGIQUE", "VCS"],
        )
    )

    assert [r.name for r in parsed.records] == ["Siân's Café Écologique", "Łódź Polish Club", "Ysgol Gymraeg Llanfair"]
    assert parsed.problems == [RowProblem(5, "Organisation", "Same name as row 2", "error")]


def test_themes_and_places_split_on_commas_semicolons_and_new_lines() -> None:
    parsed = parse_partners(
        sheet_of(
            ["Organisation", "Sector", "Themes", "Wards"],
            ["Acme Ltd", "Business", "Youth,  Digital skills;Older people\nyouth", "Northgate;\nEastfield ,"],
        )
    )

    assert parsed.records[0].themes == ("Youth", "Digital skills", "Older people")
    assert parsed.records[0].places == ("Northgate", "Eastfield")


@pytest.mark.parametrize(
    ("typed", "is_sme"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("✓", True),
        ("x", True),
        ("Yes ", True),
        ("no", False),
        ("N", False),
        ("false", False),
        ("0", False),
        ("", False),
    ],
)
def test_sme_answers(typed: str, is_sme: bool) -> None:
    parsed = parse_partners(sheet_of(["Organisation", "Sector", "SME?"], ["Acme Ltd", "Business", typed.strip()]))

    assert parsed.records[0].is_sme is is_sme
    assert parsed.problems == []


def test_an_sme_sector_says_it_is_an_sme() -> None:
    parsed = parse_partners(sheet_of(["Organisation", "Sector"], ["Acme", "SME"], ["Bolt", "Small business"]))

    assert [(r.sector, r.is_sme) for r in parsed.records] == [(Sector.BUSINESS, True), (Sector.BUSINESS, True)]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("www.example.org", "https://www.example.org"),
        ("example.org/about us".replace(" ", "-"), "https://example.org/about-us"),
        ("http://example.org", "http://example.org"),
        ("HTTPS://Example.org/Path?q=1", "HTTPS://Example.org/Path?q=1"),
        ("caffi.cymru", "https://caffi.cymru"),
    ],
)
def test_websites_get_a_scheme(typed: str, kept: str) -> None:
    parsed = parse_partners(sheet_of(["Organisation", "Sector", "Website"], ["Acme", "Business", typed]))

    assert parsed.records[0].website == kept
    assert parsed.problems == []


@pytest.mark.parametrize("typed", ["see notes", "acme", "info@acme.org", "ftp://acme.org", "http://", "www.acme .org"])
def test_what_cannot_be_a_website_is_left_out(typed: str) -> None:
    parsed = parse_partners(sheet_of(["Organisation", "Sector", "Web"], ["Acme", "Business", typed]))

    assert parsed.records[0].website == ""
    assert parsed.problems == [RowProblem(2, "Web", f"“{typed}” is not a web address; it was left out", "warning")]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("jo@example.org", "jo@example.org"),
        ("mailto:jo@example.org", "jo@example.org"),
        ("Siân.Ŵyn@caffi.cymru", "Siân.Ŵyn@caffi.cymru"),
    ],
)
def test_valid_emails_are_kept(typed: str, kept: str) -> None:
    parsed = parse_partners(sheet_of(["Organisation", "Sector", "Email"], ["Acme", "Business", typed]))

    assert parsed.records[0].contacts == (ContactRecord(name="", role="", email=kept, phone=""),)
    assert parsed.problems == []


@pytest.mark.parametrize("typed", ["jo@", "jo at example dot org", "jo@example", "a@b.org; c@d.org", "@example.org"])
def test_invalid_emails_are_left_out_and_the_rest_of_the_row_kept(typed: str) -> None:
    parsed = parse_partners(
        sheet_of(
            ["Organisation", "Sector", "Contact", "Email", "Tel"], ["Acme", "Business", "Jo", typed, "01632 960002"]
        )
    )

    assert parsed.records[0].contacts == (ContactRecord(name="Jo", role="", email="", phone="01632 960002"),)
    assert parsed.problems == [
        RowProblem(2, "Email", f"“{typed}” is not an e-mail address; it was left out", "warning"),
    ]


@pytest.mark.parametrize(
    ("typed", "stage"),
    [
        ("Active partner", RelationshipStage.ACTIVE),
        ("active", RelationshipStage.ACTIVE),
        ("in conversation", RelationshipStage.CONTACTED),
        ("LAPSED", RelationshipStage.LAPSED),
    ],
)
def test_relationship_stages(typed: str, stage: RelationshipStage) -> None:
    parsed = parse_partners(sheet_of(["Organisation", "Sector", "Stage"], ["Acme", "Business", typed]))

    assert parsed.records[0].relationship_stage is stage


def test_a_very_long_cell_is_cut_with_a_warning() -> None:
    parsed = parse_partners(sheet_of(["Organisation", "Sector", "Remit"], ["Acme", "Business", "a" * 6_000]))

    assert parsed.records[0].remit == "a" * 5_000
    assert parsed.problems == [RowProblem(2, "Remit", "Cut to 5,000 characters (it had 6,000)", "warning")]


def test_formula_looking_text_is_kept_as_text(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "partners.csv",
        [["Organisation", "Sector", "Notes"], ['=HYPERLINK("x")', "Business", "+44 1632 960003 @office"]],
    )

    parsed = parse_partners(read_sheet(path))

    assert [(r.name, r.notes) for r in parsed.records] == [('=HYPERLINK("x")', "+44 1632 960003 @office")]


def test_a_repeated_header_row_is_not_a_partner() -> None:
    parsed = parse_partners(
        sheet_of(["Organisation", "Sector"], ["Acme", "Business"], ["Organisation", "Sector"], ["Bolt", "Business"])
    )

    assert [r.name for r in parsed.records] == ["Acme", "Bolt"]
    assert parsed.problems == [RowProblem(3, "", "This row repeats the header row; it is not a partner", "error")]


def test_a_row_with_data_only_in_unmapped_columns_is_not_silently_dropped() -> None:
    parsed = parse_partners(sheet_of(["Organisation", "Sector", "Date added"], ["", "", "2026-03-01"]))

    assert parsed.records == []
    assert parsed.blank_rows == 0
    assert parsed.problems == [RowProblem(2, "Organisation", "No organisation name", "error")]


# ------------------------------------------------------------------ header and mapping given by the user


def test_header_row_and_mapping_given() -> None:
    sheet = sheet_of(["Who", "What", "Theme 1", "Theme 2", ""], ["Acme", "business", "Youth", "Digital skills", "x"])

    parsed = parse_partners(sheet, header_row=0, mapping={0: "name", 1: "sector", 2: "themes", 3: "themes", 4: None})

    assert parsed.header_row == 1
    assert parsed.records == [record(2, "Acme", Sector.BUSINESS, themes=("Youth", "Digital skills"))]


def test_a_mapping_without_a_name_column_is_refused() -> None:
    with pytest.raises(ImportFileError, match="No column is chosen for the organisation name"):
        parse_partners(sheet_of(["Who", "What"], ["Acme", "Business"]), header_row=0, mapping={1: "sector"})


def test_a_single_value_field_on_two_columns_is_refused() -> None:
    sheet = sheet_of(["Org", "", "Sector"], ["Acme", "Acme Ltd", "Business"])

    with pytest.raises(ImportFileError) as caught:
        parse_partners(sheet, header_row=0, mapping={0: "name", 1: "name", 2: "sector"})

    assert str(caught.value) == "Organisation name is chosen for two columns, “Org” and “Column B”: choose one."


def test_a_mapping_to_an_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown partner field 'colour'"):
        parse_partners(sheet_of(["Org"], ["Acme"]), header_row=0, mapping={0: "name", 1: "colour"})


# ------------------------------------------------------------------ header detection


def test_the_header_below_a_title_and_blank_rows() -> None:
    sheet = sheet_of(
        ["Harrowfield partners list – updated March"],
        [],
        ["Compiled by Jo"],
        [],
        ["Name of organisation", "Type", "E-mail"],
        ["Acme", "Business", "jo@acme.org"],
    )

    assert find_header_row(sheet) == 4


def test_the_header_on_row_one() -> None:
    assert find_header_row(sheet_of(["Organisation"], ["Partner"], ["Acme"])) == 0


def test_the_row_with_most_known_headers_wins() -> None:
    sheet = sheet_of(["Partner", "Notes"], ["Organisation", "Sector", "Themes", "Email"], ["Acme", "Business"])

    assert find_header_row(sheet) == 1


def test_a_header_row_needs_a_name_column() -> None:
    sheet = sheet_of(
        ["Harrowfield partners list – updated March"],
        [],
        ["Who", "Sector", "Themes", "Email"],
        ["Acme", "Business", "Youth", "jo@acme.org"],
    )

    with pytest.raises(ImportFileError) as caught:
        find_header_row(sheet)

    assert str(caught.value) == (
        "No column of organisation names was found in sheet 'Partners'; the first rows were: "
        "row 1: “Harrowfield partners list – updated March”; row 3: “Who | Sector | Themes | Email”; "
        "row 4: “Acme | Business | Youth | jo@acme.org”. Give that column a header such as 'Organisation', "
        "or choose the header row and columns yourself."
    )
    with pytest.raises(ImportFileError, match="No column of organisation names was found"):
        parse_partners(sheet)


def test_only_the_first_30_rows_are_searched_for_the_header() -> None:
    sheet = sheet_of(*([["Notes"]] * 30), ["Organisation", "Sector"], ["Acme", "Business"])

    with pytest.raises(ImportFileError, match="No column of organisation names"):
        find_header_row(sheet)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Organisation", "name"),
        ("ORGANIZATION NAME", "name"),
        ("Name of organisation", "name"),
        ("Org", "name"),
        ("Partner", "name"),
        ("Organisation name:", "name"),
        ("Name", "name"),
        ("Sector", "sector"),
        ("Type", "sector"),
        ("Organisation type", "sector"),
        ("Category", "sector"),
        ("SME?", "is_sme"),
        ("Small business", "is_sme"),
        ("S.M.E.", "is_sme"),
        ("Remit", "remit"),
        ("What they do", "remit"),
        ("Description", "remit"),
        ("Services", "remit"),
        ("Themes", "themes"),
        ("Areas of work", "themes"),
        ("Focus", "themes"),
        ("Areas covered", "places"),
        ("Places", "places"),
        ("Wards", "places"),
        ("Ward(s)", "places"),
        ("Area", "places"),
        ("Location", "places"),
        ("Places served", "places"),
        ("Web", "website"),
        ("Website", "website"),
        ("URL", "website"),
        ("Web site", "website"),
        ("Stage", "relationship_stage"),
        ("Status", "relationship_stage"),
        ("Relationship", "relationship_stage"),
        ("Notes", "notes"),
        ("Comments", "notes"),
        ("Contact", "contact_name"),
        ("Contact name", "contact_name"),
        ("Main contact", "contact_name"),
        ("Key contact", "contact_name"),
        ("Role", "contact_role"),
        ("Job title", "contact_role"),
        ("Position", "contact_role"),
        ("Email", "contact_email"),
        ("E-mail", "contact_email"),
        ("Email address", "contact_email"),
        ("e mail", "contact_email"),
        ("Contact e-mail", "contact_email"),
        ("Phone", "contact_phone"),
        ("Telephone", "contact_phone"),
        ("Tel", "contact_phone"),
        ("Tel.", "contact_phone"),
        ("Mobile", "contact_phone"),
        ("Phone number", "contact_phone"),
        ("Date added", None),
        ("", None),
        ("Charity number", None),
    ],
)
def test_header_spellings(header: str, field: str | None) -> None:
    assert guess_mapping([header]) == {0: field}


def test_every_field_label_maps_to_its_field() -> None:
    labels = [label for _key, label in PARTNER_FIELDS]

    assert guess_mapping(labels) == {index: key for index, (key, _label) in enumerate(PARTNER_FIELDS)}


def test_each_field_goes_to_one_column_and_specific_headers_beat_generic_ones() -> None:
    assert guess_mapping(["Type", "Name", "Organisation", "Sector", "Email", "E-mail address", "Notes"]) == {
        0: None,
        1: None,
        2: "name",
        3: "sector",
        4: "contact_email",
        5: None,
        6: "notes",
    }
    assert guess_mapping(["Type", "Category", "Name", "Contact"]) == {
        0: "sector",
        1: None,
        2: "name",
        3: "contact_name",
    }


# ------------------------------------------------------------------ sectors


@pytest.mark.parametrize(
    ("typed", "sector"),
    [
        ("Charity", Sector.VCS),
        ("Third sector", Sector.VCS),
        ("3rd sector", Sector.VCS),
        ("VCS", Sector.VCS),
        ("VCSE", Sector.VCS),
        ("Voluntary", Sector.VCS),
        ("Community group", Sector.VCS),
        ("CIC", Sector.SOCIAL_ENTERPRISE),
        ("Council", Sector.LOCAL_GOVERNMENT),
        ("LA", Sector.LOCAL_GOVERNMENT),
        ("Local authority", Sector.LOCAL_GOVERNMENT),
        ("Borough council", Sector.LOCAL_GOVERNMENT),
        ("Parish council", Sector.LOCAL_GOVERNMENT),
        ("Church", Sector.FAITH),
        ("Mosque", Sector.FAITH),
        ("Gurdwara", Sector.FAITH),
        ("Temple", Sector.FAITH),
        ("Synagogue", Sector.FAITH),
        ("Faith group", Sector.FAITH),
        ("School", Sector.EDUCATION),
        ("Academy", Sector.EDUCATION),
        ("College", Sector.EDUCATION),
        ("University", Sector.EDUCATION),
        ("NHS", Sector.HEALTH),
        ("GP", Sector.HEALTH),
        ("Health", Sector.HEALTH),
        ("Police", Sector.POLICE),
        ("Housing association", Sector.HOUSING),
        ("Social landlord", Sector.HOUSING),
        ("Business", Sector.BUSINESS),
        ("Company", Sector.BUSINESS),
        ("Ltd", Sector.BUSINESS),
        ("SME", Sector.BUSINESS),
        ("Employer", Sector.BUSINESS),
        ("Chamber of commerce", Sector.EMPLOYERS),
        ("Funder", Sector.FUNDER),
        ("Trust", Sector.FUNDER),
        ("Foundation", Sector.FUNDER),
        ("Sport", Sector.SPORT_CULTURE),
        ("Arts", Sector.SPORT_CULTURE),
        ("Culture", Sector.SPORT_CULTURE),
        ("Combined authority", Sector.COMBINED_AUTHORITY),
        ("  charity ", Sector.VCS),
        ("THIRD-SECTOR", Sector.VCS),
        ("Police & community safety", Sector.POLICE),
        ("Employers’ organisation", Sector.EMPLOYERS),
        ("sport, arts and culture", Sector.SPORT_CULTURE),
    ],
)
def test_sector_synonyms(typed: str, sector: Sector) -> None:
    assert sector_from_text(typed) is sector


@pytest.mark.parametrize("member", list(Sector))
def test_every_sector_label_and_key(member: Sector) -> None:
    assert sector_from_text(member.label) is member
    assert sector_from_text(member.label.upper()) is member
    assert sector_from_text(member.value) is member


@pytest.mark.parametrize("typed", ["Pub", "", "St Mary's Trust", "Harrowfield Foundation", "Charity / CIC", "N/A"])
def test_unknown_sector_text(typed: str) -> None:
    assert sector_from_text(typed) is None


@pytest.mark.parametrize(
    ("name", "sector"),
    [
        ("St Mary's Church", Sector.FAITH),
        ("Harrowfield Mosque", Sector.FAITH),
        ("Guru Nanak Gurdwara", Sector.FAITH),
        ("Millbrook Primary School", Sector.EDUCATION),
        ("Ysgol Gymraeg Llanfair", Sector.EDUCATION),
        ("Kirklees College", Sector.EDUCATION),
        ("Kirklees Council", Sector.LOCAL_GOVERNMENT),
        ("Harrowfield Town Council", Sector.LOCAL_GOVERNMENT),
        ("Acme Widgets Ltd", Sector.BUSINESS),
        ("Acme Widgets Limited", Sector.BUSINESS),
        ("Bolt plc", Sector.BUSINESS),
        ("Acme Academy Ltd", Sector.BUSINESS),
        ("Northgate NHS Foundation Trust", Sector.HEALTH),
        ("Church Lane Surgery", Sector.HEALTH),
        ("Eastfield Medical Practice", Sector.HEALTH),
        ("West Yorkshire Police", Sector.POLICE),
        ("Harrowfield Housing Association", Sector.HOUSING),
        ("Pennine Homes", Sector.HOUSING),
        ("Cymdeithas Tai Cymru", Sector.HOUSING),
        ("Millbrook Football Club", Sector.SPORT_CULTURE),
        ("Harrowfield Town FC", Sector.SPORT_CULTURE),
        ("Café Écologique CIC", Sector.SOCIAL_ENTERPRISE),
        ("West Yorkshire Combined Authority", Sector.COMBINED_AUTHORITY),
        ("Harrowfield Council for Voluntary Service", Sector.VCS),
        ("Eastfield Food Bank", Sector.VCS),
        ("Kirklees Community Foundation", Sector.FUNDER),
    ],
)
def test_sector_from_name(name: str, sector: Sector) -> None:
    assert sector_from_name(name) is sector


@pytest.mark.parametrize(
    "name",
    [
        "Harrowfield Community Trust",
        "The Millbrook Foundation",
        "Łódź Polish Club",
        "Acme",
        "Homes for Good Network",
        "Ltd Edition Arts Collective",
        "",
    ],
)
def test_no_sector_is_guessed_from_a_name_that_does_not_say(name: str) -> None:
    assert sector_from_name(name) is None
