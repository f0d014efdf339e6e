"""People named in a report's sentences and tables, bodies listed as a clause's subject, and
tables standing inside a form's section: kinds found in documents by new authors.

Every text here is made up for the test; each reduces a layout or a wording to what matters.
"""

from __future__ import annotations

from extractors.contacts import is_position, row_names_chair, split_position_organization
from extractors.extract import extract_document
from extractors.parsing import parse_document
from extractors.text import OffsetText
from schemas.extraction import Extraction


def _extract_html(body: str) -> Extraction:
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    return extract_document(parse_document(html.encode(), "doc.html"), "d")


def _extract_text(text: str) -> Extraction:
    return extract_document(parse_document(text.encode(), "doc.txt"), "d")


def _people(extraction: Extraction) -> dict[str | None, tuple[str, str | None, str | None]]:
    return {c.name: (c.role, c.position, c.organization) for c in extraction.contacts}


def _partners(extraction: Extraction) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {p.name: (p.category, p.acronym, p.country) for p in extraction.partners}


_REPORT_HEAD = (
    "Regional Forum on Coastal Data 2011\n\n"
    "The forum was held from 12 to 14 October 2011 in Mombasa, Kenya.\n\n"
    "Proceedings\n\n"
)


def test_untitled_speakers_in_sentences_keep_a_long_post_and_a_lower_case_one() -> None:
    extraction = _extract_text(
        _REPORT_HEAD + "Amara Quist, Under-Secretary-General for Economic and Social Affairs, urged the "
        "delegates to share their data. Tomas Reiner, former President of the Republic of Estonia, "
        "stressed the cost of silence. In the session on fisheries, Lena Okafor, Founder of the Blue "
        "Coast Institute, Pablo Serrat, Director of the Marine Data Centre, and Ivo Haller, Secretary "
        "General of the Reef Agency, described the decline of the reefs.\n"
    )
    people = _people(extraction)
    assert people["Amara Quist"][:2] == ("speaker", "Under-Secretary-General for Economic and Social Affairs")
    assert people["Tomas Reiner"][:2] == ("speaker", "former President of the Republic of Estonia")
    # The next person's name ends the one before's detail.
    assert people["Lena Okafor"] == ("speaker", "Founder", "Blue Coast Institute")
    assert people["Pablo Serrat"] == ("speaker", "Director", "Marine Data Centre")
    assert not [name for name in people if name and "Affairs" in name]


def test_a_person_whose_work_was_mentioned_is_no_speaker() -> None:
    extraction = _extract_text(
        _REPORT_HEAD + "Amara Quist, Director of the Coastal Institute, reported on the survey. The "
        "survey of Mr. Karl Bente, Director, Harbour Office, was recalled by many.\n"
    )
    people = _people(extraction)
    assert people["Amara Quist"][0] == "speaker"
    assert "Karl Bente" not in people


def test_a_post_of_a_body_in_a_country_splits_at_its_of_and_keeps_the_country_with_the_body() -> None:
    position, organization = split_position_organization(
        OffsetText.at("General Director of the National Institute for Space Research (INPE), Brazil", 0)
    )
    assert position is not None and position.text == "General Director"
    assert (
        organization is not None
        and organization.text == "National Institute for Space Research (INPE), Brazil"
    )
    # A post of a country is one position: no body to split off.
    position, organization = split_position_organization(OffsetText.at("Minister of Environment, Brazil", 0))
    assert organization is None


def test_a_post_is_known_by_the_head_before_its_of() -> None:
    assert is_position("Prime Minister of the Republic of Tajikistan")
    assert not is_position("Ministry of Foreign Affairs of the Republic of Tajikistan")


def test_a_speakers_table_gives_its_people_their_cells_and_its_role_column_names_the_chair() -> None:
    extraction = _extract_html(
        "<h1>Conference on Mountain Water 2025</h1><p>The conference was held on 30 May 2025 in Dushanbe.</p>"
        "<p>Ms Anna Vell, Deputy Secretary-General of the United Nations, opened the conference.</p>"
        "<h2>Chair and speakers</h2><table><tr><th>Role</th><th>Name</th><th>Position</th>"
        "<th>Organisation</th></tr>"
        "<tr><td>Chair, high-level plenary</td><td>H.E. Mr Ravi Domo</td><td>Prime Minister of the Republic"
        " of Tajikistan</td><td>Government of the Republic of Tajikistan</td></tr>"
        "<tr><td>Opening address</td><td>H.E. Mr Ilan Ruza</td><td>President of the Republic of Tajikistan</td>"
        "<td>–</td></tr>"
        "<tr><td>Keynote</td><td>Ms Anna Vell</td><td>Deputy Secretary-General</td><td>United Nations</td></tr>"
        "</table>"
    )
    people = _people(extraction)
    assert people["Ravi Domo"] == (
        "chair",
        "Prime Minister of the Republic of Tajikistan",
        "Government of the Republic of Tajikistan",
    )
    assert people["Ilan Ruza"][0] == "speaker"  # a President of a republic does not preside the meeting
    # The table's cells, not the sentence's wording, give the person's post and body.
    assert people["Anna Vell"] == ("speaker", "Deputy Secretary-General", "United Nations")


def test_a_cell_naming_the_president_of_the_session_names_a_chair_and_a_head_of_state_does_not() -> None:
    assert row_names_chair(["President of the session"])
    assert not row_names_chair(["President of the Republic of Tajikistan"])


def test_bodies_listed_as_the_subject_of_organising_are_organisers_with_their_acronyms() -> None:
    extraction = _extract_text(
        _REPORT_HEAD + "The Regional Seas Office (RSO), the Coastal Science Council (CSC) and the Ocean "
        "Data Bank (ODB) were partners in organising the Forum, and the Western Reef Network (WRN) and "
        "the Tidal Monitoring Programme (TMP) co-organised the scientific sessions.\n"
    )
    found = _partners(extraction)
    for name, acronym in [
        ("Regional Seas Office", "RSO"),
        ("Coastal Science Council", "CSC"),
        ("Ocean Data Bank", "ODB"),
        ("Western Reef Network", "WRN"),
        ("Tidal Monitoring Programme", "TMP"),
    ]:
        assert found[name][:2] == ("organizer", acronym)


def test_delegations_that_included_those_of_countries_name_participants() -> None:
    extraction = _extract_text(
        _REPORT_HEAD + "Delegations taking an active part in the deliberations included those of Djibouti, "
        "Gabon, the Republic of Congo, South Africa and Sudan.\n"
    )
    found = _partners(extraction)
    for name, country in [("Djibouti", "DJ"), ("Gabon", "GA"), ("Republic of Congo", "CG"), ("Sudan", "SD")]:
        assert found[name][0] == "participant" and found[name][2] == country


_SHEET_HEAD = (
    "<h1>Partnership Information Sheet</h1><table>"
    "<tr><td>1. Name of partnership</td><td>Village Data Centres</td></tr>"
)


def test_a_partner_table_inside_a_sections_cell_is_read_by_its_columns() -> None:
    extraction = _extract_html(
        _SHEET_HEAD + "<tr><td>6. Partners – Major groups</td><td><table>"
        "<tr><th>Partner</th><th>Country</th><th>Contribution</th></tr>"
        "<tr><td>Fundación Andina de Datos</td><td>Ecuador</td><td>Regional coordination</td></tr>"
        "<tr><td>Red Rural de Telecentros</td><td>Latin America and the Caribbean</td>"
        "<td>Training network</td></tr>"
        "</table></td></tr></table>"
    )
    found = _partners(extraction)
    assert found["Fundación Andina de Datos"] == ("major_group", None, "EC")
    assert found["Red Rural de Telecentros"][0] == "major_group"
    # The header, the contribution column and a region are no partners.
    assert not {"Contribution", "Regional coordination", "Latin America and the Caribbean"} & set(found)


def test_a_table_with_an_acronym_column_keeps_a_unit_and_its_parent_as_one_body() -> None:
    extraction = _extract_html(
        _SHEET_HEAD + "</table><h2>B.3 Major groups</h2><table>"
        "<tr><th>Partner</th><th>Acronym</th><th>Country</th></tr>"
        "<tr><td>Polar Research Center, The State University of Ohio</td><td>PRC</td><td>United States</td></tr>"
        "<tr><td>University of Gothenburg</td><td>–</td><td>Sweden</td></tr></table>"
    )
    found = _partners(extraction)
    assert found["Polar Research Center, The State University of Ohio"] == ("major_group", "PRC", "US")
    assert found["University of Gothenburg"] == ("major_group", None, "SE")
    assert "Polar Research Center" not in found


def test_a_form_completed_by_heading_is_a_contact_whatever_the_learned_roles_guess() -> None:
    from extractors.section_model import SectionRoleModel
    from extractors.structure import _role_reader

    # A model that knows only partner sections: it would take any label it is asked about for one.
    partners_only = SectionRoleModel(
        version=1,
        alpha=1.0,
        min_probability=0.01,
        trained_on={"test": 1.0},
        class_counts={"partner": 1.0},
        feature_counts={"partner": {"completed": 1.0}},
    )
    role_of = _role_reader(partners_only)
    assert role_of("Form completed by") == "contact"
    assert role_of("Prepared by:") == "contact"
    extraction = _extract_html(
        _SHEET_HEAD + "<tr><td>Form completed by</td><td>Maria Brun, Program Coordinator<br/>"
        "PO Box 8500, Ottawa, Canada K1G 3H9<br/>telecentres@example.org</td></tr></table>"
    )
    assert not {"PO Box 8500", "Ottawa", "Canada K1G 3H9"} & set(_partners(extraction))
    assert [c.role for c in extraction.contacts] == ["form_filler"]


def test_a_programmes_region_and_countries_table_gives_each_country_once() -> None:
    extraction = _extract_html(
        "<h1>Capacity for Carbon Markets</h1><p>Programme description.</p>"
        "<p>Launch. The programme was launched in 2002.</p>"
        "<h2>Participating countries</h2><table><tr><th>Region</th><th>Countries</th></tr>"
        "<tr><td>Latin America</td><td>Bolivia, Ecuador, Guatemala</td></tr>"
        "<tr><td>Asia</td><td>Cambodia, Viet Nam</td></tr></table>"
    )
    found = _partners(extraction)
    assert {"Bolivia", "Ecuador", "Guatemala", "Cambodia", "Viet Nam"} <= set(found)
    assert not [name for name in found if "Region" in name or "Asia" in name or "Latin America" in name]


def _dates(extraction: Extraction) -> set[tuple[str, str, str | None]]:
    return {(d.role, d.start, d.end) for d in extraction.dates}


def test_a_programme_named_by_its_titles_bracketed_acronym_gives_its_adoption_and_its_cycle() -> None:
    extraction = _extract_text(
        "Coastal Science Programme of Action (CPA)\n\n"
        "What it is. The programme brings coastal research under one frame and is run by the "
        "Regional Science Council.\n\n"
        "Adoption. The CPA was adopted by the ministers at their second conference, in Dakar, "
        "Senegal, in September 2005, and covers the cycle 2006-2010.\n\n"
        "The strategy covered the period 2011-2015.\n"
    )
    dates = _dates(extraction)
    assert ("adoption", "2005-09", None) in dates
    assert ("phase", "2006", "2010") in dates
    assert ("phase", "2011", "2015") not in dates  # a strategy's period is not the programme's


def test_contributions_from_a_list_of_bodies_name_its_funders_with_two_word_acronyms() -> None:
    extraction = _extract_text(
        _REPORT_HEAD + "The holding of the forum was made possible by financial and in-kind contributions "
        "from the United Nations Department of Coastal Affairs (UN DOCA), the Regional Development Bank, "
        "the Government of Canada and the Ocean Trust Fund, to which the forum expressed its appreciation.\n"
    )
    found = _partners(extraction)
    assert found["United Nations Department of Coastal Affairs"][:2] == ("funder", "UN DOCA")
    for name in ["Regional Development Bank", "Government of Canada", "Ocean Trust Fund"]:
        assert found[name][0] == "funder"


def test_a_body_written_with_its_country_after_of_is_the_body_in_that_country() -> None:
    extraction = _extract_text(
        _REPORT_HEAD + "Organizations taking part included the Green Reef Movement of Kenya, SEA-21 of "
        "Ukraine and the Government of Ghana. Presentations were given by the Data Systems Corporation and "
        "Coastal Alternatives of India.\n"
    )
    found = _partners(extraction)
    assert found["Green Reef Movement"] == ("participant", None, "KE")
    assert found["SEA-21"] == ("participant", None, "UA")
    assert found["Government of Ghana"][0] == "participant"  # a name that needs its 'of'
    assert "Green Reef Movement of Kenya" not in found
    assert found["Data Systems Corporation"][0] == "participant"
    assert found["Coastal Alternatives"] == ("participant", None, "IN")


def test_a_subject_list_keeps_a_name_with_commas_its_acronym_spans_and_a_name_wrapped_mid_line() -> None:
    extraction = _extract_text(
        _REPORT_HEAD
        + "The forum was hosted by the Government of Kenya, which served as its secretariat. The World\n"
        "Weather Organization (WWO), the United Nations Educational, Scientific and Cultural Organization "
        "(UNESCO) and the Coastal Bank (CB) were partners in organising the Forum.\n"
    )
    found = _partners(extraction)
    assert found["World Weather Organization"][:2] == ("organizer", "WWO")
    assert found["United Nations Educational, Scientific and Cultural Organization"][:2] == (
        "organizer",
        "UNESCO",
    )
    assert found["Coastal Bank"][:2] == ("organizer", "CB")


def test_a_state_body_keeps_its_country_in_its_name() -> None:
    from extractors.name_and import country_suffix

    assert country_suffix("National Parks Board of Singapore") is None
    assert country_suffix("Hydrometeorological Institute of the Republic of Uzbekistan") is None
    assert country_suffix("Omar Dengo Foundation of Costa Rica") == (len("Omar Dengo Foundation"), "CR")
