"""The general stages: section roles, structure zones, bodies and people, whatever the wording or layout.

Each test is a kind of document nobody on the team wrote, reduced to the part that matters:
a label worded or numbered differently, a table with a header row, partners in a sentence,
speakers in running text, a borderless table in a browser print.
"""

from __future__ import annotations

import pytest

from extractors.extract import extract_document
from extractors.parsing import parse_document
from extractors.parsing.pdf import parse_pdf
from extractors.roles import STOP, is_role_label, section_role, sentence_role
from extractors.structure import document_zones
from schemas.document import PageSpan, ParsedDocument, TextLine
from schemas.extraction import Extraction

from .test_parsing import make_pdf


def _extract_html(body: str) -> Extraction:
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    return extract_document(parse_document(html.encode(), "doc.html"), "d")


def _extract_text(text: str) -> Extraction:
    return extract_document(parse_document(text.encode(), "doc.txt"), "d")


def _partners(extraction: Extraction) -> dict[str, tuple[str | None, str | None, bool]]:
    return {p.name: (p.category, p.country, p.lead) for p in extraction.partners}


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("2. Participation", "participant"),
        ("**Organised jointly by:**", "organizer"),
        ("Co-organisers", "organizer"),
        ("Who to contact", "contact"),
        ("Funding partners", "funder"),
        ("Leading partners", "lead"),
        ("Intergovernmental Organizations", "igo"),
        ("III. Governments", "government"),
        ("Time frame", STOP),
        ("Background", STOP),
    ],
)
def test_a_label_gets_its_role_whatever_its_numbering_markup_or_word_form(label: str, role: str) -> None:
    assert section_role(label) == role


def test_a_sentence_introducing_a_list_names_its_role_and_a_name_is_no_role_label() -> None:
    assert sentence_role("Government representatives from the following 20 countries attended:") in (
        "government",
        "participant",
    )
    assert sentence_role("Each project is followed up by one of these institutes:") == "partner"
    assert is_role_label("SPEAKERS") and not is_role_label("Government of Japan")


def test_labels_a_renderer_joined_into_one_paragraph_open_zones_of_their_own() -> None:
    doc = parse_document(
        b"Date & Venue: 7-11 September 2009, Yokohama, Japan Host: City of Yokohama Organiser: "
        b"Regional Network of Local Authorities (CITYNET)\n",
        "x.txt",
    )
    zones = {z.label.text: [p.text.text for p in z.pieces] for z in document_zones(doc) if z.label}
    assert zones["Host"] == ["City of Yokohama"]
    assert zones["Organiser"] == ["Regional Network of Local Authorities (CITYNET)"]
    assert zones["Date & Venue"] == ["7-11 September 2009, Yokohama, Japan"]


def test_a_member_table_reads_names_through_their_column_and_countries_from_theirs() -> None:
    extraction = _extract_html(
        "<h1>Network Congress 2009</h1><p>The congress was held in Yokohama.</p>"
        "<p>Full members represented included:</p>"
        "<table><tr><th>Country</th><th>Member</th></tr>"
        "<tr><td>Nepal</td><td>Butwal Municipality Office; Biratnagar Sub-Metropolitan Corporation</td></tr>"
        "<tr><td>Sri Lanka</td><td>Galle Municipal Council</td></tr></table>"
    )
    found = _partners(extraction)
    assert found["Butwal Municipality Office"] == ("participant", "NP", False)
    assert found["Biratnagar Sub-Metropolitan Corporation"] == ("participant", "NP", False)
    assert found["Galle Municipal Council"] == ("participant", "LK", False)


def test_bodies_enumerated_after_a_trigger_phrase_in_a_report_sentence() -> None:
    extraction = _extract_text(
        "Regional Workshop on Coastal Waste 2005\n\n"
        "The workshop was held on 3 May 2005. It was jointly organised by the Asian Institute of "
        "Technology (AIT), the City of Da Nang and the Global Water Partnership, with financial "
        "support from the Asian Development Bank.\n"
    )
    found = _partners(extraction)
    assert found["Asian Institute of Technology"][0] == "organizer"
    assert found["City of Da Nang"][0] == "organizer"
    assert found["Global Water Partnership"][0] == "organizer"
    assert found["Asian Development Bank"][0] == "funder"
    assert "AIT" in {p.acronym for p in extraction.partners}


def test_countries_listed_after_an_introducing_sentence_are_participants() -> None:
    extraction = _extract_text(
        "Meeting on Urban Air Quality 2006\n\n"
        "The meeting was held in December 2006.\n\n"
        "Government representatives from the following countries attended:\n\n"
        "- Bhutan\n- Lao PDR\n- Viet Nam\n\n"
        "Observers: Asian Development Bank (ADB), World Bank and Stockholm Environment Institute (SEI).\n"
    )
    found = _partners(extraction)
    assert {name for name, (category, _, _) in found.items() if category == "participant"} >= {
        "Bhutan",
        "Lao PDR",
        "Viet Nam",
        "Asian Development Bank",
        "World Bank",
        "Stockholm Environment Institute",
    }
    assert found["Lao PDR"][1] == "LA"


def test_a_sheet_section_of_countries_makes_each_country_a_government_partner_with_its_lead_mark() -> None:
    extraction = _extract_text(
        "Partnership Information Sheet\n\n"
        "Name of the partnership: Forest Law Partnership\n\n"
        "Partners\n\n"
        "Governments: Switzerland; Italy; Indonesia (lead)\n\n"
        "Contact person: Jane Doe\n"
    )
    found = _partners(extraction)
    assert found["Switzerland"] == ("government", "CH", False)
    assert found["Italy"] == ("government", "IT", False)
    assert found["Indonesia"] == ("government", "ID", True)


def test_a_sheet_tells_its_history_in_prose_without_making_partners_of_it() -> None:
    extraction = _extract_text(
        "Partnership Information Sheet\n\n"
        "Name of the partnership: Forest Law Partnership\n\n"
        "Background\n\n"
        "Delegates from Afghanistan, Bangladesh and Canada voiced support at the launch.\n"
    )
    assert not {"Afghanistan", "Bangladesh", "Canada"} & set(_partners(extraction))


def test_placeholders_and_headings_are_no_partners() -> None:
    extraction = _extract_text(
        "Partnership Information Sheet\n\n"
        "Name of the partnership: Forest Law Partnership\n\n"
        "Partners\n\n"
        "Major groups: None listed\n"
        "Other: Background\n"
    )
    assert not {"None listed", "Background"} & set(_partners(extraction))


def test_speakers_in_a_list_and_in_sentences_carry_position_and_organisation() -> None:
    extraction = _extract_text(
        "First Governmental Meeting on Urban Air Quality 2006\n\n"
        "The meeting was held on 13 December 2006 in Yogyakarta.\n\n"
        "Opening remarks were given by:\n\n"
        "- H.E. Rachmat Witoelar (State Minister of Environment, Government of Indonesia)\n"
        "- Kong Ha (Chairperson, CAI-Asia)\n\n"
        "Discussion\n\n"
        "Ms. Shinako Tsuchiya (Parliamentary Secretary for Foreign Affairs of Japan) opened the session. "
        "The work of Mr. Taro Yamada (Director, Forest Agency) was recalled by many.\n"
    )
    people = {c.name: (c.role, c.position, c.organization) for c in extraction.contacts}
    assert people["Rachmat Witoelar"] == (
        "speaker",
        "State Minister of Environment",
        "Government of Indonesia",
    )
    assert people["Kong Ha"] == ("speaker", "Chairperson", "CAI-Asia")
    assert people["Shinako Tsuchiya"][:2] == (
        "speaker",
        "Parliamentary Secretary for Foreign Affairs of Japan",
    )
    assert "Taro Yamada" not in people  # mentioned, not speaking


def test_a_borderless_table_printed_by_a_browser_is_read_by_cells() -> None:
    # Header cells centred and bold; value cells of one column start at one x, a word space
    # after the longest first cell.
    cells = [("Bangladesh", "Dhaka"), ("Indonesia", "Surabaya"), ("Fiji", "Lami"), ("Sri Lanka", "Colombo")]
    texts = [(45, 100, 10, "F2", "Country"), (160, 100, 10, "F2", "City / organisation")]
    for i, (country, city) in enumerate(cells):
        texts += [(36, 116 + 16 * i, 10, "F1", country), (110, 116 + 16 * i, 10, "F1", city)]
    doc = parse_pdf(make_pdf([texts]))
    table = [(line.row, line.col, line.text) for line in doc.lines if line.table is not None]
    assert (0, 0, "Country") in table and (0, 1, "City / organisation") in table
    assert (2, 0, "Indonesia") in table and (2, 1, "Surabaya") in table
    assert (4, 1, "Colombo") in table


def test_label_value_lines_with_colons_are_not_taken_for_a_borderless_table() -> None:
    texts = []
    for i, label in enumerate(["Name:", "Phone:", "Fax:", "E-mail:"]):
        texts += [(72, 80 + 16 * i, 10, "F2", label), (160, 80 + 16 * i, 10, "F1", f"value number {i}")]
    doc = parse_pdf(make_pdf([texts]))
    assert all(line.table is None for line in doc.lines)
    assert doc.lines[0].text == "Name: value number 0"


def test_a_contact_point_without_a_person_is_a_secretariat_named_with_its_host() -> None:
    extraction = _extract_text(
        "Partnership Information Sheet\n\n"
        "Name of the partnership: Forest Law Partnership\n\n"
        "Partners\n\nGovernments: Japan; Indonesia\n\n"
        "Contact point: Information-sharing secretariat, hosted by the Center for International "
        "Forestry Research (CIFOR), Bogor, Indonesia\n"
    )
    (contact,) = extraction.contacts
    assert contact.role == "secretariat" and contact.name is None
    assert contact.organization == (
        "Information-sharing secretariat, hosted by the Center for International Forestry Research (CIFOR)"
    )
    assert contact.address == "Bogor, Indonesia"


def test_a_list_a_renderer_ran_into_one_line_is_split_at_its_bullets() -> None:
    extraction = _extract_text(
        "Partnership Information Sheet\n\n"
        "Name of the partnership: City Water Programme\n\n"
        "Partners involved\n\n"
        "Major groups: - Housing and Urban Development Corporation (HUDCO) — India - Water Supply and "
        "Sanitation Collaborative Council (WSSCC) — Switzerland\n"
    )
    found = _partners(extraction)
    assert found["Housing and Urban Development Corporation"] == ("major_group", "IN", False)
    assert found["Water Supply and Sanitation Collaborative Council"] == ("major_group", "CH", False)


def test_a_lead_field_marks_the_section_entries_it_names() -> None:
    extraction = _extract_text(
        "Partnership Information Sheet\n\n"
        "Name of the partnership: Forest Law Partnership\n\n"
        "Partners\n\n"
        "Governments: Japan, Indonesia, France\n\n"
        "Other: The Nature Conservancy (TNC)\n\n"
        "Leading partners: Japan and Indonesia (for the governments), together with The Nature Conservancy\n"
    )
    found = _partners(extraction)
    assert found["Japan"] == ("government", "JP", True)
    assert found["Indonesia"] == ("government", "ID", True)
    assert found["France"] == ("government", "FR", False)
    assert found["The Nature Conservancy"][0::2] == ("other", True)


def test_a_title_keeps_its_name_and_drops_a_lower_case_gloss() -> None:
    glossed = _extract_html(
        "<h1>Clean Water for People: a partnership to provide safe water</h1>"
        "<h2>Partners involved</h2><p>Governments: Japan</p><p>Contact person: Jane Doe</p>"
    )
    assert glossed.title == "Clean Water for People"
    titled = _extract_html("<h1>7th Thematic Seminar: Use of ICT in Cities</h1><p>The seminar was held.</p>")
    assert titled.title == "7th Thematic Seminar: Use of ICT in Cities"


def test_an_open_phase_and_an_approval_date_of_a_programme() -> None:
    extraction = _extract_text(
        "Asia-Pacific Forum for Environment and Development (APFED)\n\n"
        "What is APFED?\n\n"
        "APFED is an independent forum. Its establishment was approved in October 2001 by the Congress.\n\n"
        "Phase I (2001–2004)\n\nThe first phase delivered a report.\n\n"
        "Phase II (from 2005)\n\nThe second phase promotes action. It is organised by the "
        "Institute for Global Environmental Strategies.\n"
    )
    dates = {(d.role, d.start, d.end) for d in extraction.dates}
    assert extraction.doc_type == "programme"
    assert ("adoption", "2001-10", None) in dates
    assert ("phase", "2001", "2004") in dates and ("phase", "2005", None) in dates


def test_the_document_type_registry_is_the_one_list_of_types() -> None:
    from extractors.extract import REGISTRY
    from extractors.rules import classify_rules
    from schemas.types import DOC_TYPES

    assert set(REGISTRY) == set(DOC_TYPES) - {"unknown"}
    assert set(classify_rules().signals) == set(REGISTRY)


def test_a_meeting_dated_and_placed_only_in_a_sentence() -> None:
    extraction = _extract_text(
        "SIDE EVENT SUMMARY\n\nCleaner Fuels Meeting 2002\n\n"
        "1. DATE AND PLACE\n\n"
        "The side event was held on Thursday, 29 August 2002, from 6:30 to\n8:00 pm, in Committee Room 5, "
        "Sandton Convention Center,\nJohannesburg, South Africa.\n\n"
        "2. PARTICIPANTS\n\nThe meeting was attended by the Government of Kenya and the Asian Development Bank.\n"
    )
    (event,) = extraction.events
    assert (event.start, event.venue, event.city, event.country) == (
        "2002-08-29",
        "Committee Room 5, Sandton Convention Center",
        "Johannesburg",
        "ZA",
    )


def test_a_dateline_under_the_title_dates_and_places_the_meeting() -> None:
    extraction = _extract_html(
        "<h1>International Conference on Renewable Energies</h1><p><em>Bonn, Germany, 1–4 June 2004</em></p>"
        "<h2>Participation</h2><p>Delegates from many countries attended the conference.</p>"
    )
    (event,) = extraction.events
    assert (event.start, event.end, event.city, event.country) == ("2004-06-01", "2004-06-04", "Bonn", "DE")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # a document symbol's date above the title dates the document, not the meeting
            "<p>UNEP/MED SC.3/Summary</p><p>Athens, 8 June 2012</p><h1>Third Steering Committee Meeting</h1>"
            "<p>Istanbul, Turkey, 15–17 May 2012</p><h2>Background</h2><p>The committee meets yearly.</p>",
            ("2012-05-15", "2012-05-17", None, "Istanbul", "TR"),
        ),
        (  # the venue on its own line under the dateline; a town the places list may not know
            "<h1>Second Expert Meeting on Cleaner Production</h1><p>San José, Costa Rica, 5–8 September 2005</p>"
            "<p>Hotel Barceló San José Palacio</p><h2>1. Background</h2><p>The meeting took stock.</p>",
            ("2005-09-05", "2005-09-08", "Hotel Barceló San José Palacio", "San José", "CR"),
        ),
        (  # a town, its zone and country, then the dates after a bar
            "<h1>Global Herders Gathering</h1><p>Summary report of the proceedings</p><p>Turmi, South Omo Zone, Ethiopia | 29 January – 2 February 2005</p>"
            "<h2>Participation</h2><p>The meeting was attended by herders from many countries.</p>",
            ("2005-01-29", "2005-02-02", None, "Turmi", "ET"),
        ),
        (  # the dateline names the city; the venue is told in a sentence
            "<h1>Expert Group Meeting on Water Statistics</h1><p>Cairo, 5-6 June 2007</p><h2>Introduction</h2>"
            "<p>The Commission organized the meeting at the Ramses Hilton Hotel in Cairo, Egypt, on 5 and 6 June.</p>",
            ("2007-06-05", "2007-06-06", "Ramses Hilton Hotel", "Cairo", "EG"),
        ),
    ],
)
def test_a_meeting_is_dated_and_placed_by_the_dateline_under_its_title(body: str, expected: tuple) -> None:
    (event,) = _extract_html(body).events
    assert (event.start, event.end, event.venue, event.city, event.country) == expected


def test_countries_enumerated_in_a_participation_paragraph_are_each_a_participant() -> None:
    extraction = _extract_html(
        "<h1>Global Herders Gathering</h1><p>Summary report</p><p>Turmi, Ethiopia, 29 January 2005</p>"
        "<h2>3. Participation</h2><p>Some 120 leaders attended. Delegations came from Ethiopia, Kenya, Tanzania "
        "and Uganda in East Africa; from Benin, Burkina Faso, Chad and Mali in West Africa; and from Spain and "
        "the United Kingdom (Wales) in Europe.</p><h2>4. Proceedings</h2><p>The Gathering was opened in Kenya.</p>"
    )
    partners = _partners(extraction)
    expected = {
        "Ethiopia": "ET",
        "Kenya": "KE",
        "Tanzania": "TZ",
        "Uganda": "UG",
        "Benin": "BJ",
        "Burkina Faso": "BF",
        "Chad": "TD",
        "Mali": "ML",
        "Spain": "ES",
        "United Kingdom": "GB",
    }
    assert {name: country for name, (_, country, _) in partners.items() if name in expected} == expected
    assert all(partners[name][0] == "participant" for name in expected)


def test_two_countries_or_an_acronym_in_a_sentence_are_not_read_as_one_body() -> None:
    extraction = _extract_html(
        "<h1>Regional Workshop on Land Degradation</h1><p>Bangkok, Thailand, 3-5 March 2008</p><h2>Background</h2>"
        "<p>The workshop was attended by representatives of Cambodia and Viet Nam, as well as the Asian "
        "Development Bank (ADB). Government officials from Japan and China also took part.</p>"
    )
    names = set(_partners(extraction))
    assert {"Cambodia", "Viet Nam", "Asian Development Bank", "Japan", "China"} <= names
    assert not names & {"ADB", "Japan and China"}


def test_a_trigger_in_the_sentence_names_the_role_of_bodies_under_a_heading_of_several_roles() -> None:
    extraction = _extract_html(
        "<h1>Central Asian Land Management Programme</h1><p>Programme description</p>"
        "<h2>Phases</h2><p>Phase 1 (2006-2009) prepared national frameworks.</p>"
        "<h2>Who runs and finances the programme</h2><p>The programme is implemented by the Asian Development "
        "Bank (ADB), working jointly with the United Nations Development Programme (UNDP). It is financed by "
        "the Global Environment Facility (GEF) and the International Fund for Agricultural Development.</p>"
    )
    partners = _partners(extraction)
    assert (
        partners["Asian Development Bank"][0]
        == partners["United Nations Development Programme"][0]
        == "organizer"
    )
    assert partners["Global Environment Facility"][0] == "funder"


def test_a_fixed_width_table_in_plain_text_is_read_by_cells() -> None:
    doc = parse_document(
        b"3. PANEL\n\n"
        b"  Name                  Position / Organisation\n"
        b"  --------------------  ------------------------------\n"
        b"  Klaus Toepfer         Executive Director, United\n"
        b"                        Nations Environment Programme\n"
        b"  Linda Fisher          Deputy Administrator, EPA\n",
        "panel.txt",
    )
    cells = [(line.row, line.col, line.text) for line in doc.lines if line.table is not None]
    assert (1, 1, "Executive Director, United Nations Environment Programme") in cells
    assert (2, 0, "Linda Fisher") in cells


def test_a_form_cell_holding_a_list_gives_every_item() -> None:
    extraction = _extract_html(
        "<h1>Partnership Information Sheet</h1><table>"
        "<tr><td>Name of partnership</td><td>Energy Partnership with Central America</td></tr>"
        "<tr><td>Governments</td><td><ul><li>Ministry for Foreign Affairs of Finland</li>"
        "<li>Costa Rica</li><li>El Salvador</li></ul></td></tr>"
        "<tr><td>Contact person</td><td>Mr. Veikko Soralahti</td></tr></table>"
    )
    found = _partners(extraction)
    assert {"Ministry for Foreign Affairs of Finland", "Costa Rica", "El Salvador"} <= set(found)
    assert found["Costa Rica"] == ("government", "CR", False)


def test_a_numbered_label_is_still_its_label() -> None:
    extraction = _extract_html(
        "<h1>Partnership Information Sheet</h1>"
        "<p>Partnership: Global Village Energy Partnership (GVEP)</p>"
        "<h2>3. Partners</h2><p>Governments: Kenya; Ghana</p>"
        "<h2>6. Contact person</h2><table><tr><td>Name</td><td>Dr. Abeeku Brew-Hammond</td></tr>"
        "<tr><td>Position</td><td>Manager</td></tr><tr><td>Organisation</td><td>GVEP Technical Secretariat</td></tr></table>"
    )
    assert extraction.title == "Global Village Energy Partnership"
    people = {c.name: (c.role, c.position, c.organization) for c in extraction.contacts}
    assert people["Abeeku Brew-Hammond"] == ("focal_point", "Manager", "GVEP Technical Secretariat")


def test_bodies_named_before_the_phrase_that_gives_their_role() -> None:
    extraction = _extract_text(
        "International Conference for Renewable Energies 2004\n\n"
        "The conference met from 1 to 4 June 2004 in Bonn. It was organised on behalf of the Federal "
        "Republic of Germany by the Federal Ministry for the Environment (BMU).\n\n"
        "Participation\n\n"
        "Delegations of many countries took part; the World Bank and the United Nations Environment "
        "Programme (UNEP) were among the international organisations represented.\n"
    )
    found = _partners(extraction)
    assert found["Federal Ministry for the Environment"][0] == "organizer"
    assert found["World Bank"][0] == "participant"
    assert found["United Nations Environment Programme"][0] == "participant"


def test_a_programme_table_with_a_speaker_column_gives_its_people_and_their_labels() -> None:
    extraction = _extract_html(
        "<h1>Regional Congress on Protected Areas 2007</h1><p>The congress was held on 3 October 2007 in Quito.</p>"
        "<h2>Programme</h2><table>"
        "<tr><th>Day</th><th>Session</th><th>Chair / presenters</th></tr>"
        "<tr><td>Monday</td><td>Opening</td><td>Chair: Héctor Espina, President, National Parks Service</td></tr>"
        "<tr><td>Tuesday</td><td>Symposium I</td><td>Keynote: Robert Hofstede, Regional Director, IUCN</td></tr>"
        "</table><h2>Speakers</h2><table><tr><th>Order</th><th>Speaker</th><th>Position</th></tr>"
        "<tr><td>1</td><td>Hon. Ronny Jumeau</td><td>Minister of Environment, Seychelles</td></tr>"
        "<tr><td>2</td><td>Costa Rica</td><td>Delegation</td></tr></table>"
    )
    people = {c.name: (c.role, c.position) for c in extraction.contacts}
    assert people["Héctor Espina"][0] == "chair"
    assert people["Robert Hofstede"] == ("speaker", "Regional Director")
    assert people["Ronny Jumeau"] == ("speaker", "Minister of Environment, Seychelles")
    assert "Costa Rica" not in people  # a country is no person


def test_people_named_after_by_in_a_sentence_with_honorifics_are_speakers_and_chairs() -> None:
    extraction = _extract_text(
        "Report of the Islands Workshop 2005\n\nThe workshop was held on 13 January 2005 in Port Louis, "
        "Mauritius. It was attended by delegations of Fiji, Palau and Seychelles.\n\nProceedings\n\n"
        "The event was chaired by Mr. Rolph Payet, Principal Secretary for Environment of Seychelles. "
        "Statements from the floor were made by Hon. John Briceño, Deputy Prime Minister of Belize; "
        "and Len Good, Chief Executive Officer, Global Environment Facility.\n"
    )
    people = {c.name: (c.role, c.position) for c in extraction.contacts}
    assert people["Rolph Payet"] == ("chair", "Principal Secretary for Environment of Seychelles")
    assert people["John Briceño"][0] == "speaker"
    assert people["Len Good"][0] == "speaker"


def test_contact_forms_in_two_column_tables_give_each_person_their_role() -> None:
    extraction = _extract_html(
        "<h1>Partnership Information Sheet</h1><p>Name of partnership: Island Conservation Network</p>"
        "<h2>C.1 Contact person for the partnership</h2><table>"
        "<tr><td>Name</td><td>Mr. Willy Kostka</td></tr><tr><td>Title / position</td><td>Executive Director</td></tr>"
        "<tr><td>Organisation</td><td>Micronesia Conservation Trust</td></tr>"
        "<tr><td>Address</td><td>P.O. Box 2177, Kolonia, Pohnpei FM 96941</td></tr>"
        "<tr><td>E-mail</td><td>WKostka@ourmicronesia.org</td></tr></table>"
        "<h2>C.2 Person completing this form</h2><table>"
        "<tr><td>Name and position</td><td>Bill Raynor, Director, Micronesia Program</td></tr>"
        "<tr><td>Telephone</td><td>+691 320 4267</td></tr></table>"
    )
    people = {c.name: c for c in extraction.contacts}
    kostka = people["Willy Kostka"]
    assert (kostka.role, kostka.position, kostka.organization) == (
        "focal_point",
        "Executive Director",
        "Micronesia Conservation Trust",
    )
    assert kostka.email == "wkostka@ourmicronesia.org"
    raynor = people["Bill Raynor"]
    assert (raynor.role, raynor.position, raynor.phone) == (
        "form_filler",
        "Director, Micronesia Program",
        "+6913204267",
    )


def test_unlabelled_contact_blocks_under_a_contact_heading_are_read_per_block() -> None:
    extraction = _extract_html(
        "<h1>Coral Reef Programme</h1><p>The programme was launched in 1998 and is run by the Ministry of Marine "
        "Affairs. Phase I (1998-2004) was financed by the World Bank.</p><h2>Contacts</h2>"
        "<p>Ministry of Marine Affairs and Fisheries — Prof. Ir. Widi Pratikto, Director General of Coasts; "
        "Jl. MT. Haryono Kav. 52, Jakarta, Indonesia; tel. (62-21) 7918-0163; e-mail wapratik@rad.net.id</p>"
        "<p>Programme Office — Mr. A. Nontji; Jl. Raden Saleh No. 43, Jakarta 10330, Indonesia; "
        "e-mail office@example.org</p>"
        "<p>Mr. Andre Dzikus<br>Coordinator, Water Programme<br>Water Branch, UN-HABITAT<br>"
        "P.O. Box 30030, Nairobi, Kenya<br>Tel: +254 20 762 3120 | Fax: +254 20 762 3477<br>Web: www.unhabitat.org</p>"
    )
    people = {c.name: c for c in extraction.contacts}
    widi = people["Widi Pratikto"]
    assert (widi.role, widi.position, widi.organization) == (
        "focal_point",
        "Director General of Coasts",
        "Ministry of Marine Affairs and Fisheries",
    )
    assert widi.phone == "+622179180163"  # '(62-21)': country and area code, not a local number
    assert people["A. Nontji"].role == "secretariat"  # a programme office's contact
    dzikus = people["Andre Dzikus"]
    assert (dzikus.position, dzikus.organization, dzikus.phone, dzikus.fax) == (
        "Coordinator, Water Programme",
        "Water Branch, UN-HABITAT",
        "+254207623120",
        "+254207623477",
    )
    assert "www" not in (dzikus.address or "")


def test_targets_under_a_goals_heading_in_items_year_rows_and_tables() -> None:
    programme = _extract_html(
        "<h1>Water for Cities Programme</h1><p>The programme was launched in 1999 and is run by UN-HABITAT. "
        "Phase I (1999-2002) was funded by the United Nations Foundation.</p>"
        "<h2>Phase II performance targets</h2><ul>"
        "<li>At least 10 per cent of the reef area declared as no-take zones by 2009.</li>"
        "<li>Create an enabling environment for pro-poor investment.</li>"
        "<li>(2005) Make US$1.5 million available for innovative projects.</li></ul>"
        "<h2>Targets and timeframes</h2><table><tr><td>No.</td><td>Target</td><td>Target year</td></tr>"
        "<tr><td>1</td><td>Effectively conserve at least 30% of near-shore marine resources</td><td>2020</td></tr>"
        "</table><h2>Contact</h2><p>UN-HABITAT, P.O. Box 30030, Nairobi, Kenya</p>"
    )
    targets = {t.text: t.year for t in programme.targets}
    assert targets == {
        "At least 10 per cent of the reef area declared as no-take zones": 2009,
        "Create an enabling environment for pro-poor investment": None,
        "Make US$1.5 million available for innovative projects": 2005,
        "Effectively conserve at least 30% of near-shore marine resources": 2020,
    }


def test_a_programme_names_its_bodies_in_described_items_dotted_lists_and_funding_prose() -> None:
    extraction = _extract_html(
        "<h1>Water for Cities Programme</h1><p>The programme was launched by UN-HABITAT in December 1999.</p>"
        "<h2>Funding</h2><p>Phase II is financed through the Water and Sanitation Trust Fund, to which the "
        "Government of Norway and the Government of the Netherlands are the principal contributors.</p>"
        "<h2>Partners</h2><ul><li>African Ministers' Council on Water (AMCOW) – political support and guidance</li>"
        "<li>African Development Bank (AfDB) – strategic partnership for follow-up investment</li>"
        "<li>Global Environment Facility (GEF) — Phases I and II</li></ul>"
        "<h2>Participating countries</h2><p>Burkina Faso · Cameroon · Côte d'Ivoire · Ethiopia · Ghana · Kenya · "
        "Mali · Mozambique · Senegal · South Africa · Uganda · United Republic of Tanzania · Zambia</p>"
    )
    partners = _partners(extraction)
    assert "African Ministers' Council on Water" in partners
    assert "African Development Bank" in partners and "Global Environment Facility" in partners
    assert not any("–" in name or "—" in name for name in partners)
    assert partners["Government of Norway"][0] == "funder"
    assert partners["Water and Sanitation Trust Fund"][0] == "funder"
    assert {"Burkina Faso", "Côte d'Ivoire", "United Republic of Tanzania", "Zambia"} <= set(partners)
    assert partners["Ghana"][1] == "GH"


def test_a_table_of_phases_gives_each_phase_its_span() -> None:
    extraction = _extract_html(
        "<h1>Protected Areas Programme</h1><p>The programme was launched by the Government in 2002 and is "
        "funded by the Global Environment Facility.</p><h2>Phases</h2><table>"
        "<tr><th>Phase</th><th>Period</th><th>Focus</th></tr>"
        "<tr><td>Phase I</td><td>2003–2009</td><td>Creation of new protected areas in 2005</td></tr>"
        "<tr><td>Phase II — Acceleration</td><td>2004 – present</td><td>Consolidation</td></tr></table>"
    )
    phases = {(d.start, d.end) for d in extraction.dates if d.role == "phase"}
    assert phases == {("2003", "2009"), ("2004", None)}


def test_bodies_named_in_the_prose_of_a_section_headed_by_their_role() -> None:
    extraction = _extract_html(
        "<h1>Coral Reef Programme</h1><p>The programme was launched in 1998 and is run by the Ministry of Marine "
        "Affairs.</p><h2>Financing</h2><p>Phase I was financed by a loan of US$ 6.9 million and a grant from the "
        "Global Environment Facility (GEF), with parallel funding from the Asian Development Bank and counterpart "
        "funds from the Government of Indonesia. Disbursement followed the Indonesian fiscal year.</p>"
        "<h2>Background</h2><p>The Asian Institute of Technology studied the reefs in 1995.</p>"
    )
    partners = _partners(extraction)
    assert partners["Global Environment Facility"][0] == "funder"
    assert partners["Government of Indonesia"][0] == "funder"
    assert partners["Asian Development Bank"][0] == "funder"
    assert "Asian Institute of Technology" not in partners  # named in a section about something else


def test_sub_labels_inside_a_form_cell_open_lists_of_their_own() -> None:
    extraction = _extract_html(
        "<h1>Partnership Information Sheet</h1><p>Name of the partnership: Rural Water Initiative</p>"
        "<table><tr><td>C.1 Governments</td><td>Development partners: Canada; Denmark; Switzerland<br>"
        "Launching-phase countries: Ethiopia; Ghana; Uganda</td></tr>"
        "<tr><td>C.2 Partner organisations</td><td>Micronesia Conservation Trust (MCT) — financial mechanism of "
        "the Challenge; National Oceanic and Atmospheric Administration (NOAA); Water and Sanitation Program – "
        "Africa</td></tr></table>"
    )
    partners = _partners(extraction)
    assert {"Canada", "Switzerland", "Ethiopia", "Uganda"} <= set(partners)
    assert partners["Switzerland"][0] == "government"
    assert {"Micronesia Conservation Trust", "National Oceanic and Atmospheric Administration"} <= set(
        partners
    )
    assert (
        "Water and Sanitation Program – Africa" in partners
    )  # a capitalised part after a dash is the name's


def test_a_contact_section_with_a_phone_that_gives_no_contact_sends_the_document_to_review() -> None:
    from extractors.common import Draft
    from extractors.coverage import unread_sections

    doc = parse_document(
        b"<html><body><h1>Report of the Workshop</h1><h2>For further information</h2>"
        b"<p>Please write to the organisers of the event; tel. 555 0100</p>"
        b"<h2>Speakers</h2><p>Presentations by local governments of the region.</p></body></html>",
        "doc.html",
    )
    zones = document_zones(doc, explicit_breaks=True)
    assert unread_sections(zones, Draft(), has_speakers=True) == ["For further information"]


def test_a_position_before_a_colon_names_the_person_after_it() -> None:
    extraction = _extract_text(
        "Report of the International Conference for Renewable Energies 2004\n\n"
        "The conference was held from 1 to 4 June 2004 in Bonn, Germany, and attended by delegations of 154 "
        "countries.\n\nContact\n\nHead of the Conference Secretariat: Franz-Josef Batz\n"
        "Federal Ministry for the Environment, Berlin, Germany\nE-mail: info@example.org\n"
    )
    people = {c.name: c for c in extraction.contacts}
    assert people["Franz-Josef Batz"].position == "Head of the Conference Secretariat"
    assert people["Franz-Josef Batz"].role == "secretariat"


def test_auspices_and_support_provided_by_name_organisers_and_funders() -> None:
    extraction = _extract_text(
        "Report of the Second Conference on Sanitation 2008\n\n"
        "The conference was held from 18 to 21 February 2008 in Durban, South Africa. It was convened under the "
        "auspices of the African Ministers' Council on Water (AMCOW). Financial support for the participation "
        "of delegates was provided by the United States Agency for International Development.\n"
    )
    partners = _partners(extraction)
    assert partners["African Ministers' Council on Water"][0] == "organizer"
    assert partners["United States Agency for International Development"][0] == "funder"


def test_a_sentence_naming_participants_or_members_outranks_a_funding_heading() -> None:
    extraction = _extract_html(
        "<h1>Drylands Land Management Programme</h1><p>The programme was launched in 2006.</p>"
        "<h2>Who runs and finances the programme</h2>"
        "<p>The programme is financed by a grant from the Global Environment Facility (GEF).</p>"
        "<p>The participating countries are Kazakhstan, Tajikistan and Uzbekistan. Besides the bank, the members "
        "of the Strategic Partnership are the Canadian International Development Agency (CIDA) and the Swiss "
        "Agency for Development and Cooperation (SDC).</p>"
    )
    partners = _partners(extraction)
    assert partners["Global Environment Facility"][0] == "funder"
    for name in ("Kazakhstan", "Tajikistan", "Uzbekistan", "Canadian International Development Agency"):
        assert partners[name][0] == "participant", name


def test_bodies_a_sentence_says_were_represented_or_worked_with_take_part() -> None:
    extraction = _extract_html(
        "<h1>Seminar on Rangeland Futures</h1><p>The seminar was held in Addis Ababa, Ethiopia, on 4 May 2005.</p>"
        "<h2>Discussion</h2>"
        "<p>Among the institutions represented were the United Nations Development Programme (UNDP) and the "
        "International Livestock Research Institute (ILRI).</p>"
        "<p>In its second year the project worked with the Caribbean Institute for Meteorology and Hydrology "
        "and the University of the West Indies.</p>"
    )
    partners = _partners(extraction)
    for name in (
        "United Nations Development Programme",
        "International Livestock Research Institute",
        "Caribbean Institute for Meteorology and Hydrology",
        "University of the West Indies",
    ):
        assert partners[name][0] == "participant", name


def test_countries_grouped_by_region_in_a_sentence_are_each_a_participant() -> None:
    extraction = _extract_html(
        "<h1>Gathering of Mountain Communities</h1><p>The gathering was held in Cusco, Peru, on 2 June 2006.</p>"
        "<h2>Participation</h2>"
        "<p>Delegations came from Nepal, Bhutan and India in South Asia; from Bolivia and Ecuador in South "
        "America; and from Kyrgyzstan in Central Asia.</p>"
    )
    partners = _partners(extraction)
    for name in ("Nepal", "Bhutan", "India", "Bolivia", "Ecuador", "Kyrgyzstan"):
        assert partners[name][0] == "participant", name
    assert not [n for n in partners if " in " in n or n.startswith("from ")]


def test_a_body_named_with_its_acronym_then_the_body_it_belongs_to_is_the_first() -> None:
    extraction = _extract_text(
        "Report of the Regional Dialogue on Drylands 2007\n\n"
        "The dialogue was held on 3 April 2007 in Nairobi, Kenya. It was organised by the Drylands Coordination "
        "Unit (DCU) of the Intergovernmental Authority on Development (IGAD) in Djibouti.\n"
    )
    partners = {p.name: p for p in extraction.partners}
    assert (
        "Drylands Coordination Unit" in partners and partners["Drylands Coordination Unit"].acronym == "DCU"
    )
    assert partners["Drylands Coordination Unit"].category == "organizer"
    assert not [n for n in partners if "Intergovernmental Authority" in n and "Unit" in n]


def test_two_roles_in_one_sentence_and_names_joined_after_an_acronym() -> None:
    extraction = _extract_text(
        "Coastal Resilience Programme\n\n"
        "The programme was launched in 2004. It is funded by the Global Environment Facility (GEF) and "
        "implemented by the Asian Development Bank. It was co-sponsored by the United Nations University (UNU), "
        "the Swiss Agency for Development and Cooperation (SDC) and the Aga Khan Development Network. "
        "Financial contributions to its trust fund have come from the Government of Norway and the European "
        "Commission, and a second phase is financed by a grant from the Nordic Development Fund.\n"
    )
    partners = _partners(extraction)
    assert partners["Global Environment Facility"][0] == "funder"
    assert partners["Asian Development Bank"][0] == "organizer"
    for name in ("Swiss Agency for Development and Cooperation", "Aga Khan Development Network"):
        assert partners[name][0] == "organizer", name
    for name in ("Government of Norway", "European Commission", "Nordic Development Fund"):
        assert partners[name][0] == "funder", name


def test_a_form_label_without_its_article_still_names_the_field_and_the_form() -> None:
    extraction = _extract_html(
        "<h1>PARTNERSHIP INFORMATION SHEET</h1><table>"
        "<tr><td>Name of partnership / initiative</td><td>Clean Rivers Initiative for Asia (CRIA)</td></tr>"
        "<tr><td>Date of launch</td><td>March 2006</td></tr>"
        "<tr><td>Lead partner</td><td>Mekong River Commission</td></tr></table>"
        "<p>The initiative supports river basin organisations in restoring water quality in the region.</p>"
    )
    assert extraction.doc_type == "information_sheet"
    assert (extraction.title, extraction.acronym) == ("Clean Rivers Initiative for Asia", "CRIA")


@pytest.mark.parametrize(
    ("printed", "title"),
    [
        ("About the Methane to Markets Partnership", "Methane to Markets Partnership"),
        ("About the programme", None),
        ("Countdown 2010 Primary theme ....................... Biodiversity", "Countdown 2010"),
        ("Cleaner Fuels for Cleaner Air", "Cleaner Fuels for Cleaner Air"),
    ],
)
def test_a_title_is_the_name_alone(printed: str, title: str | None) -> None:
    from extractors.extract import _tidy_title

    assert _tidy_title(printed) == title


def test_the_form_heading_is_not_the_name_the_form_gives() -> None:
    extraction = _extract_html(
        "<h1>PARTNERSHIP / INITIATIVE INFORMATION SHEET</h1><p>Please complete all fields.</p><table>"
        "<tr><td>1. Name of partnership / initiative</td><td>Pacific Islands Energy Capacity Initiative</td></tr>"
        "<tr><td>2. Date of commencement</td><td>September 2002</td></tr></table>"
    )
    assert extraction.doc_type == "information_sheet"
    assert extraction.title == "Pacific Islands Energy Capacity Initiative"


def test_a_subtitle_under_a_programme_title_is_not_part_of_it() -> None:
    pdf = make_pdf(
        [
            [
                (72, 72, 20, "F2", "Preparing the Caribbean for Climate Change"),
                (72, 98, 20, "F2", "The CARICOM regional adaptation programme"),
                (72, 150, 10, "F1", "The programme was launched in 1997 and runs in three phases."),
                (
                    72,
                    164,
                    10,
                    "F1",
                    "It is funded by the Global Environment Facility (GEF) and the World Bank.",
                ),
            ]
        ]
    )
    extraction = extract_document(parse_pdf(pdf), "d")
    assert extraction.doc_type == "programme"
    assert extraction.title == "Preparing the Caribbean for Climate Change"


def test_an_acronym_after_a_comma_in_a_name_keeps_the_name_whole() -> None:
    extraction = _extract_html(
        "<h1>Partnership information sheet</h1><p>Name of partnership: Clean Mediterranean</p>"
        "<p>Date of initiation: 2006</p><h2>Major groups</h2><ul>"
        "<li>Mediterranean Information Office for Environment, Culture and Sustainable Development (MIO-ECSDE)</li>"
        "<li>World Bank, Asian Development Bank (ADB)</li></ul>"
    )
    found = _partners(extraction)
    assert "Mediterranean Information Office for Environment, Culture and Sustainable Development" in found
    assert "Culture and Sustainable Development" not in found
    # An acronym that abbreviates only its own part leaves the comma a separator.
    assert {"World Bank", "Asian Development Bank"} <= set(found)


def test_a_city_after_a_body_says_where_it_is_and_is_no_body() -> None:
    extraction = _extract_html(
        "<h1>Soil Information Programme</h1><p>The programme was launched in 2009.</p>"
        "<h2>National partners</h2><table><tr><th>Country</th><th>Partner institution</th></tr>"
        "<tr><td>Tanzania</td><td>Selian Agricultural Research Institute (SARI), Arusha</td></tr>"
        "<tr><td>Kenya</td><td>TSBF-CIAT, Nairobi</td></tr></table>"
    )
    found = _partners(extraction)
    assert found["Selian Agricultural Research Institute"][1] == "TZ"
    assert "TSBF-CIAT" in found
    assert "Arusha" not in found and "Nairobi" not in found


def test_bodies_a_sentence_says_were_taking_part_are_participants() -> None:
    extraction = _extract_text(
        "Third Conference on Early Warning 2006\n\nThe conference was held on 27 March 2006 in Bonn. "
        "Organizations taking part in the plenary sessions included the World Meteorological Organization "
        "(WMO), the United Nations Environment Programme (UNEP) and the Asian Disaster Preparedness "
        "Center (ADPC), each of which presented projects.\n"
    )
    found = _partners(extraction)
    for name in (
        "World Meteorological Organization",
        "United Nations Environment Programme",
        "Asian Disaster Preparedness Center",
    ):
        assert found[name][0] == "participant"


def test_a_speakers_table_row_whose_session_cell_says_chair_gives_a_chair() -> None:
    extraction = _extract_html(
        "<h1>Conference on Early Warning 2006</h1><p>The conference was held on 27 March 2006 in Bonn.</p>"
        "<h2>Speakers</h2><table><tr><th>Name</th><th>Function</th><th>Institution</th><th>Session</th></tr>"
        "<tr><td>Mr. Michel Jarraud</td><td>Secretary-General</td><td>World Meteorological Organization</td>"
        "<td>Panel, hydro-meteorological hazards</td></tr>"
        "<tr><td>Mr. Sálvano Briceño</td><td>Director</td><td>UN/ISDR secretariat</td>"
        "<td>Chair, closing plenary</td></tr></table>"
    )
    people = {c.name: c.role for c in extraction.contacts}
    assert people["Michel Jarraud"] == "speaker"
    assert people["Sálvano Briceño"] == "chair"


def test_a_country_and_region_table_makes_the_countries_the_bodies() -> None:
    extraction = _extract_html(
        "<h1>Forest Carbon Programme</h1><p>The programme was launched in 2008.</p>"
        "<h2>Partner countries</h2><table><tr><th>Country</th><th>Region</th></tr>"
        "<tr><td>Bolivia</td><td>Latin America and the Caribbean</td></tr>"
        "<tr><td>Viet Nam</td><td>Asia and the Pacific</td></tr></table>"
    )
    found = _partners(extraction)
    assert found["Bolivia"][1] == "BO" and found["Viet Nam"][1] == "VN"
    assert "Asia and the Pacific" not in found


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("2. Who runs it", "organizer"),
        ("Who funds it", "funder"),
        ("B. Partners (other than the lead partner)", "partner"),  # a note in brackets is no role
        ("Contact person (focal point)", "contact"),
    ],
)
def test_plain_questions_and_labels_with_a_note_name_their_role(label: str, role: str) -> None:
    assert section_role(label) == role


def test_a_body_described_with_an_article_or_a_date_is_no_name() -> None:
    from extractors.lists import body_items
    from extractors.text import OffsetText

    text = "the Government of Norway; the European Commission in 2011; A Strategic Group"
    names = [item.name.text for item in body_items(OffsetText.at(text, 0))]
    assert names == ["Government of Norway", "European Commission"]


def test_form_tables_with_noted_labels_give_the_focal_point_and_the_form_filler() -> None:
    extraction = _extract_html(
        "<h1>Partnership information sheet</h1><table><tr><td>Name of partnership</td>"
        "<td>Partnership for Clean Indoor Air</td></tr></table>"
        "<h2>F. Contact information</h2>"
        "<table><tr><td>Contact person (focal point)</td></tr><tr><td>Name</td><td>Ms. Brenda Doroski</td></tr>"
        "<tr><td>Title / position</td><td>Partnership Coordinator</td></tr>"
        "<tr><td>E-mail</td><td>Doroski.Brenda@epa.gov</td></tr></table>"
        "<table><tr><td>Sheet completed by</td></tr><tr><td>Name</td><td>Mr. John Mitchell</td></tr>"
        "<tr><td>E-mail</td><td>Mitchell.John@epa.gov</td></tr></table>"
    )
    people = {c.name: (c.role, c.position) for c in extraction.contacts}
    assert people["Brenda Doroski"] == ("focal_point", "Partnership Coordinator")
    assert people["John Mitchell"][0] == "form_filler"


def test_a_meeting_held_at_its_venue_then_dated_in_one_sentence() -> None:
    extraction = _extract_text(
        "Global Symposium on Soil Organic Carbon (GSOC17)\n\n"
        "The Global Symposium on Soil Organic Carbon was held at FAO headquarters in Rome, Italy, "
        "from 21 to 23 March 2017. It was jointly organized by the Food and Agriculture Organization "
        "of the United Nations (FAO), the Global Soil Partnership (GSP) and its Intergovernmental "
        "Technical Panel on Soils (ITPS). Institutions presenting research results included the "
        "University of Aberdeen (United Kingdom) and the Timiryazev Academy (Russian Federation).\n"
    )
    event = extraction.events[0]
    assert (event.start, event.end) == ("2017-03-21", "2017-03-23")
    assert (event.venue, event.city, event.country) == ("FAO headquarters", "Rome", "IT")
    # The title's own acronym goes apart (GOLD.md: an acronym after a name is not the name).
    assert (extraction.title, extraction.acronym) == ("Global Symposium on Soil Organic Carbon", "GSOC17")
    found = _partners(extraction)
    assert found["Global Soil Partnership"][0] == "organizer"
    assert found["Intergovernmental Technical Panel on Soils"][0] == "organizer"
    assert found["University of Aberdeen"] == ("participant", "GB", False)


def test_a_meetings_title_keeps_the_acronym_of_the_body_it_names() -> None:
    extraction = _extract_text(
        "First Meeting for the Promotion of Asia Forest Partnership (AFP)\n\n"
        "The meeting was held on 12 November 2002 in Tokyo.\n"
    )
    assert extraction.title == "First Meeting for the Promotion of Asia Forest Partnership (AFP)"


def test_a_programme_that_began_operations_co_funders_and_a_company_acronym() -> None:
    extraction = _extract_text(
        "ENERGISING DEVELOPMENT (EnDev)\n\nWHAT ENDEV DOES\n\nEnDev was set up following the "
        "commitment at the 2002 World Summit on Sustainable Development. The\nprogramme began "
        "operations in September 2005.\n\nPHASES\n\n- Phase 1 (EnDev 1): 2005 - 2009\n"
        "- Phase 2 (EnDev 2): 2009 - 2015\n\nFINANCING\n\nEnDev is financed by the Swiss Agency for "
        "Development and Cooperation (SDC), with additional co-funding from Irish Aid and the European "
        "Union.\n\nThe programme is implemented by the Deutsche Gesellschaft fuer Internationale "
        "Zusammenarbeit (GIZ) GmbH.\n"
    )
    dates = {(d.role, d.start, d.end) for d in extraction.dates}
    assert ("adoption", "2005-09", None) in dates
    assert ("adoption", "2002", None) not in dates  # the summit's year, not the programme's
    assert {("phase", "2005", "2009"), ("phase", "2009", "2015")} <= dates
    found = _partners(extraction)
    assert found["Irish Aid"][0] == "funder" and found["European Union"][0] == "funder"
    giz = next(p for p in extraction.partners if p.name.startswith("Deutsche Gesellschaft"))
    assert (giz.name, giz.acronym) == ("Deutsche Gesellschaft fuer Internationale Zusammenarbeit GmbH", "GIZ")


def test_bodies_that_gave_presentations_or_provided_resources_and_a_contacts_table() -> None:
    extraction = _extract_html(
        "<h1>Lighting Africa 2008</h1><p>Conference report</p><p>Lighting Africa 2008 was held in Accra, "
        "Ghana, from 6 to 8 May 2008. The conference was organised by the World Bank. "
        "The costs of the event were met from programme resources provided by the Energy Sector Management "
        "Assistance Program (ESMAP) and the Global Environment Facility (GEF).</p><p>More than 500 people "
        "took part. Presentations on national electrification efforts were given by the Ministry of Energy "
        "of Ghana.</p><h2>Contacts</h2><table><tr><th>Contact</th><th>Organisation</th><th>Telephone</th>"
        "<th>E-mail</th></tr><tr><td>Lucie Giraud</td><td>International Finance Corporation, 2121 Pennsylvania "
        "Avenue NW, Washington, DC 20433, USA</td><td>+1 202 458 4662</td><td>lgiraud@ifc.org</td></tr>"
        "<tr><td>Chris Walsh</td><td>The World Bank, Africa Energy Unit, 1818 H Street NW, Washington, DC "
        "20433, USA</td><td>+1 202 473 4594</td><td>cwalsh@worldbank.org</td></tr></table>"
    )
    found = _partners(extraction)
    assert found["Energy Sector Management Assistance Program"][0] == "funder"
    assert found["Global Environment Facility"][0] == "funder"
    assert found["Ministry of Energy of Ghana"][0] == "participant"
    contact = next(c for c in extraction.contacts if c.name == "Lucie Giraud")
    assert contact.organization == "International Finance Corporation"
    assert contact.address == "2121 Pennsylvania Avenue NW, Washington, DC 20433, USA"


def test_a_topic_heading_with_a_note_names_no_role() -> None:
    # A presentation's title that mentions governments, with its presenter in brackets.
    label = "Linkages with local governments in environmental cooperation (United Nations Centre for Regional Development)"
    assert section_role(label) is None


@pytest.mark.parametrize(
    ("printed", "name", "acronym"),
    [
        ("Consumers International (CI)", "Consumers International", "CI"),  # its initials, not Côte d'Ivoire
        (
            "Sustainable Agriculture and Food Systems NGO Caucus (SAFS Caucus)",
            "Sustainable Agriculture and Food Systems NGO Caucus",
            "SAFS Caucus",
        ),
        (
            "International Union of Food, Agricultural, Hotel, Restaurant, Catering, Tobacco and Allied Workers' "
            "Associations (IUF)",
            "International Union of Food, Agricultural, Hotel, Restaurant, Catering, Tobacco and Allied Workers' "
            "Associations",
            "IUF",
        ),
    ],
)
def test_a_name_with_its_short_form_or_an_enumeration_inside_is_one_body(
    printed: str, name: str, acronym: str
) -> None:
    from extractors.lists import body_items
    from extractors.text import OffsetText

    items = body_items(OffsetText.at(printed + ", World Bank", 0))
    assert [(i.name.text, i.acronym) for i in items] == [(name, acronym), ("World Bank", None)]
    assert items[0].country is None


def test_a_contact_office_line_opens_the_contact_section_and_a_building_is_no_person() -> None:
    from extractors.contacts import looks_like_person

    assert section_role("Contact office") == "contact" and section_role("Project office") == "contact"
    assert not looks_like_person("ICRAF House") and not looks_like_person("Outreach Building")
    assert looks_like_person("Grace W. Mwangi")


def test_speakers_named_without_a_title_before_their_post_at_a_body() -> None:
    extraction = _extract_text(
        "Global Indigenous Peoples Consultation on REDD 2008\n\nThe consultation took place from 12 to 14 "
        "November 2008 in Baguio City. It was organised by Tebtebba.\n\nThe consultation was chaired by "
        "Victoria Tauli-Corpuz, Executive Director of Tebtebba, who opened the meeting. Sam Johnston, Senior "
        "Research Fellow at UNU-IAS, then reviewed the state of the debate. Charles McNeill, Senior Policy "
        "Advisor with the UN-REDD Programme, presented the design of the programme. The report of Jane "
        "Smith, Director at the Forest Agency, was recalled by many.\n"
    )
    people = {c.name: (c.role, c.position, c.organization) for c in extraction.contacts}
    assert people["Sam Johnston"] == ("speaker", "Senior Research Fellow", "UNU-IAS")
    assert people["Charles McNeill"] == ("speaker", "Senior Policy Advisor", "UN-REDD Programme")
    assert people["Victoria Tauli-Corpuz"][0] == "chair"
    assert "who opened" not in (people["Victoria Tauli-Corpuz"][2] or "")
    assert "Jane Smith" not in people  # mentioned, not speaking


def test_the_kind_of_body_an_intro_names_keeps_the_role_the_heading_gives() -> None:
    extraction = _extract_text(
        "Forest Carbon Programme\n\nThe programme was launched in 2008.\n\nWho runs it\n\n"
        "The Programme brings together the expertise of three United Nations agencies:\n\n"
        "- the Food and Agriculture Organization of the United Nations (FAO)\n"
        "- the United Nations Development Programme (UNDP)\n"
    )
    found = _partners(extraction)
    assert found["Food and Agriculture Organization of the United Nations"][0] == "organizer"
    assert found["United Nations Development Programme"][0] == "organizer"


def test_people_named_after_presentations_by_are_speakers_and_a_body_with_its_acronym_is_not() -> None:
    extraction = _extract_text(
        "Global Symposium on Soil Organic Carbon 2017\n\nThe symposium was held on 21 March 2017 in Rome. "
        "It was organised by FAO.\n\nThe session launched the International Network of Black Soils (INBS), "
        "with presentations by Mr. Guiqing Han (Heilongjiang Academy of Agricultural Sciences) and "
        "Ms. Skye Wills (USDA).\n"
    )
    people = {c.name: (c.role, c.organization) for c in extraction.contacts}
    assert people["Guiqing Han"] == ("speaker", "Heilongjiang Academy of Agricultural Sciences")
    assert people["Skye Wills"] == ("speaker", "USDA")
    assert "Black Soils" not in people


def test_a_country_after_a_body_in_a_list_item_says_where_the_body_is() -> None:
    extraction = _extract_text(
        "ENERGY ACCESS PROGRAMME - PROGRAMME DESCRIPTION\n\n"
        "Phase 1: 2005 - 2009. Phase 2: 2009 - 2018.\n\n"
        "FINANCING\n\nThe programme is financed by:\n\n"
        "  - Federal Ministry for Economic Cooperation and Development (BMZ), Germany\n"
        "  - Department for International Development, United Kingdom\n"
        "  - Norwegian Agency for Development Cooperation (Norad)\n"
    )
    found = _partners(extraction)
    assert found["Federal Ministry for Economic Cooperation and Development"] == ("funder", "DE", False)
    assert found["Department for International Development"] == ("funder", "GB", False)
    assert "Germany" not in found and "United Kingdom" not in found


def test_a_contact_box_in_a_page_sidebar_is_read_and_a_sidebar_of_links_is_not() -> None:
    extraction = _extract_html(
        "<main><h1>Land Programme</h1><p>The programme helps governments scale up land management; "
        "it was launched in October 2005 by African ministers.</p>"
        "<h2>Partners</h2><p>The partners are the United Nations Development Programme and "
        "the African Development Bank.</p></main>"
        "<aside><a href='/a'>Home</a> <a href='/b'>News and events archive</a></aside>"
        "<aside><b>Contact</b><br>Land Programme Secretariat<br>Regional Planning and Coordinating Agency"
        "<br>International Business Gateway, New Road & 6th Road<br>Midrand 1685, South Africa"
        "<br>Tel: +27 11 256 3600"
        "<br>E-mail: info@land.example.org<br><br><b>On the web</b><br>http://www.land.example.org</aside>"
    )
    (contact,) = extraction.contacts
    assert contact.organization == "Land Programme Secretariat, Regional Planning and Coordinating Agency"
    assert (
        contact.address == "International Business Gateway, New Road & 6th Road, Midrand 1685, South Africa"
    )
    assert contact.email == "info@land.example.org"
    assert "News and events archive" not in " ".join(p.name for p in extraction.partners)


def test_an_office_named_over_two_lines_in_another_language_is_one_organisation() -> None:
    extraction = _extract_text(
        "Summary report of the Regional Congress on Protected Areas\n\n"
        "The Congress was held in Bariloche, Argentina, from 30 September to 6 October 2007.\n\n"
        "6. Congress Secretariat\n\n"
        "Secretaría del Congreso Latinoamericano de Parques Nacionales y otras Áreas Protegidas\n"
        "Administración de Parques Nacionales\n"
        "Av. Santa Fe 690, C1059ABN Buenos Aires, Argentina\n"
        "Tel.: +54 11 4311 0303 · E-mail: congreso2007@apn.gov.ar\n"
    )
    (contact,) = [c for c in extraction.contacts if c.role == "secretariat"]
    assert contact.name is None
    assert contact.organization == (
        "Secretaría del Congreso Latinoamericano de Parques Nacionales y otras Áreas Protegidas, "
        "Administración de Parques Nacionales"
    )
    assert contact.address == "Av. Santa Fe 690, C1059ABN Buenos Aires, Argentina"


def test_a_partner_table_under_a_caption_row_reads_its_header_and_its_group_rows() -> None:
    extraction = _extract_html(
        "<h1>Small-Scale Mining Partnership - partnership information sheet</h1>"
        "<table><tr><td colspan='3'><b>B. Other partners</b></td></tr>"
        "<tr><th>Partner</th><th>Type</th><th>Country</th></tr>"
        "<tr><td colspan='3'><b>B.1 Governments</b></td></tr>"
        "<tr><td>Minerals Commission</td><td>Regulatory agency</td><td>Ghana</td></tr>"
        "<tr><td>National Institute of Advanced Industrial Science and Technology (AIST)</td>"
        "<td>Public research institute</td><td>Japan</td></tr>"
        "<tr><td colspan='3'><b>B.2 Intergovernmental organizations</b></td></tr>"
        "<tr><td>Economic Commission for Latin America and the Caribbean (ECLAC)</td>"
        "<td>UN regional commission</td><td>Chile</td></tr>"
        "<tr><td colspan='3'><i>Scientific and technological community:</i></td></tr>"
        "<tr><td>Chinese Academy of Sciences</td><td>Academy</td><td>China</td></tr>"
        "</table>"
    )
    found = _partners(extraction)
    assert found["Minerals Commission"] == ("government", "GH", False)
    # the group row says government; the type cell only describes the body
    assert found["National Institute of Advanced Industrial Science and Technology"][:2] == (
        "government",
        "JP",
    )
    # the acronym spans both sides of 'and': one body
    assert found["Economic Commission for Latin America and the Caribbean"][:2] == ("igo", "CL")
    assert found["Chinese Academy of Sciences"][:2] == ("major_group", "CN")
    assert not {"Partner", "Regulatory agency", "Ghana", "Caribbean", "B.1 Governments"} & set(found)


def test_a_partner_table_continued_overleaf_without_its_header_keeps_its_columns() -> None:
    rows = [
        (1, ["Partner", "Type", "Country"]),
        (1, ["Minerals Commission", "Regulatory agency", "Ghana"]),
        (2, ["Gold Fields Ghana", "Mining company", "South Africa"]),
        (2, ["International Council on Mining and Metals", "Industry association", "United Kingdom"]),
    ]
    lines, text = [], ""
    for index, (page, cells) in enumerate(rows):
        table, row = (0, index) if page == 1 else (1, index - 2)  # the table finder starts anew overleaf
        for col, cell in enumerate(cells):
            start = len(text)
            text += cell + "\n"
            lines.append(
                TextLine(
                    text=cell,
                    page=page,
                    char_start=start,
                    char_end=start + len(cell),
                    block=len(lines),
                    bold=index == 0,
                    table=table,
                    row=row,
                    col=col,
                )
            )
    pages = [
        PageSpan(page=1, char_start=0, char_end=len(text)),
        PageSpan(page=2, char_start=len(text), char_end=len(text)),
    ]
    doc = ParsedDocument(media_type="application/pdf", text=text, pages=pages, lines=lines)
    columns = [z for z in document_zones(doc) if z.source == "column"]
    names = {p.text.text: p.country.text if p.country else None for z in columns for p in z.pieces}
    assert names == {
        "Minerals Commission": "Ghana",
        "Gold Fields Ghana": "South Africa",
        "International Council on Mining and Metals": "United Kingdom",
    }


def test_a_ministry_named_with_its_portfolios_and_a_three_letter_acronym_is_one_body() -> None:
    extraction = _extract_text(
        "WATER PROCESS - PARTNERSHIP INFORMATION SHEET\n\n"
        "Lead partner: Federal Ministry for the Environment, Nature Conservation and Nuclear Safety (BMU), "
        "Germany\n\n"
        "Governments:\n"
        "- Hellenic Ministry for the Environment, Energy and Climate Change, Greece\n"
        "- Ministry of Regional Development, Forestry and Water Management, Croatia\n"
    )
    found = _partners(extraction)
    assert found["Federal Ministry for the Environment, Nature Conservation and Nuclear Safety"][1:] == (
        "DE",
        True,
    )
    assert found["Hellenic Ministry for the Environment, Energy and Climate Change"][:2] == (
        "government",
        "GR",
    )
    assert found["Ministry of Regional Development, Forestry and Water Management"][:2] == (
        "government",
        "HR",
    )
    assert not {"Greece", "Croatia", "Energy and Climate Change"} & set(found)


def test_a_ministrys_portfolios_take_no_body_or_country_into_its_name() -> None:
    from extractors.lists import body_items
    from extractors.text import OffsetText

    def names(text: str) -> list[str]:
        return [item.name.text for item in body_items(OffsetText.at(text, 0))]

    assert names("Ministry of Environment, UNDP and UNEP") == ["Ministry of Environment", "UNDP", "UNEP"]
    assert names("Ministry of Environment, Kenya and Uganda") == [
        "Ministry of Environment",
        "Kenya",
        "Uganda",
    ]
    assert names("GWP South Asia and GWP Nepal") == ["GWP South Asia", "GWP Nepal"]
    assert names("Ministry of Science and ICT") == ["Ministry of Science and ICT"]
    assert names("Germany, UNDP and UNEP") == ["Germany", "UNDP", "UNEP"]
    assert names("the Consumers' Association of Penang and the Penang Chinese Town Hall") == [
        "Consumers' Association of Penang",
        "Penang Chinese Town Hall",
    ]


def test_a_person_in_a_list_whose_post_names_a_role_is_no_heading() -> None:
    doc = parse_document(
        b"Opening remarks were given by:\n\n- Rachmat Witoelar (State Minister of Environment)\n"
        b"- Kong Ha (Chairperson, CAI-Asia)\n- Surendra Shrestha (Regional Director, UNEP)\n",
        "x.txt",
    )
    headings = [z.label.text for z in document_zones(doc) if z.source == "heading" and z.label]
    assert not any("Kong Ha" in h for h in headings)


@pytest.mark.parametrize("label", ["Telephone / Fax", "Tel/Fax"])
def test_a_phone_and_fax_label_with_two_numbers_gives_each_its_own(label: str) -> None:
    extraction = _extract_html(
        "<h1>Small-Scale Mining Partnership - information sheet</h1>"
        "<table><tr><td colspan='2'><b>F. Form completed by</b></td></tr>"
        "<tr><td>Name</td><td>Mr. Christopher Sheldon</td></tr>"
        "<tr><td>Organization</td><td>The World Bank Group</td></tr>"
        f"<tr><td>{label}</td><td>+1 202 458 1739 / +1 202 522 0396</td></tr>"
        "<tr><td>E-mail</td><td>csheldon@example.org</td></tr></table>"
    )
    (contact,) = extraction.contacts
    assert (contact.phone, contact.fax) == ("+12024581739", "+12025220396")


def test_targets_in_year_rows_or_year_lines_under_a_goal_row_are_dated() -> None:
    extraction = _extract_html(
        "<h1>Small-Scale Mining Partnership - partnership information sheet</h1>"
        "<table><tr><td colspan='2'><b>D. Targets / goals</b></td></tr>"
        "<tr><td>Overall goal</td><td>Transform small-scale mining into profitable enterprises</td></tr>"
        "<tr><td>2005</td><td>Establish a regional partner of the global network</td></tr>"
        "<tr><td>Time-bound targets</td><td><b>2008</b> - Training manual launched for delegations.<br>"
        "<b>2009</b> - Text proposals submitted to Parties.</td></tr>"
        "<tr><td colspan='2'><b>E. Further information</b></td></tr>"
        "<tr><td>Reporting</td><td>Annual progress report to the Advisory Board</td></tr></table>"
    )
    targets = {(t.year, t.text) for t in extraction.targets}
    assert (2005, "Establish a regional partner of the global network") in targets
    assert (2008, "Training manual launched for delegations") in targets
    assert (2009, "Text proposals submitted to Parties") in targets
    assert not any("Advisory Board" in text for _, text in targets)


def test_a_label_ended_by_a_full_stop_and_a_role_line_over_a_list_open_zones() -> None:
    extraction = _extract_text(
        "RIVER BASIN PLANNING PROGRAMME - PROGRAMME PROFILE\n\n"
        "Who runs it. The programme is run by the River Commission through its Secretariat.\n\n"
        "Member bodies.\n"
        "- Cambodia National River Committee (CNRC)\n"
        "- Viet Nam National River Committee (VNRC)\n\n"
        "Phase 1: 2001 - 2006. Phase 2: 2006 - 2010.\n"
    )
    found = _partners(extraction)
    assert found["Cambodia National River Committee"][1] == "KH"
    assert found["Viet Nam National River Committee"][1] == "VN"
    assert "River Commission" in found


def test_a_section_and_partners_table_reads_categories_from_long_group_cells() -> None:
    extraction = _extract_html(
        "<h1>Global Mapping - partnership information sheet</h1><h2>Partners</h2>"
        "<table><tr><th>Section</th><th>Partners</th></tr>"
        "<tr><td>Governments</td><td>National mapping organizations (130 countries); Geographical Survey "
        "Institute (GSI), Japan; U.S. Geological Survey (USGS), United States</td></tr>"
        "<tr><td>Major groups (scientific and technological community, NGOs)</td><td>Committee on Earth "
        "Observation Satellites (CEOS); European Umbrella Organisation for Geographic Information (EUROGI); "
        "Global Spatial Data Infrastructure Steering Committee; International Society for Photogrammetry "
        "and Remote Sensing (ISPRS); International Cartographic Association (ICA); Scientific Committee "
        "on Antarctic Research (SCAR)</td></tr></table>"
    )
    found = _partners(extraction)
    assert found["Geographical Survey Institute"][:2] == ("government", "JP")
    assert found["U.S. Geological Survey"][:2] == ("government", "US")
    assert found["Committee on Earth Observation Satellites"][0] == "major_group"
    assert found["Scientific Committee on Antarctic Research"][0] == "major_group"
    assert "Japan" not in found and "United States" not in found


def test_a_print_without_heading_styles_takes_its_largest_type_as_the_title() -> None:
    page = [
        (72, 40, 11.5, "F2", "UNITED UNEP/DPDL/WAVE/1"),
        (72, 54, 11.5, "F1", "NATIONS 1 November 2004"),
        (72, 90, 12.5, "F2", "Global Women's Assembly on Environment:"),
        (72, 106, 12.5, "F2", "Women as the Voice for the Environment (WAVE)"),
        (72, 122, 12.5, "F1", "First meeting, Nairobi, 11-13 October 2004"),
        (72, 160, 11.5, "F1", "1. The first Global Women's Assembly on Environment was convened by the"),
        (72, 174, 11.5, "F1", "United Nations Environment Programme (UNEP) in Nairobi, Kenya, from 11 to"),
        (72, 188, 11.5, "F1", "13 October 2004. The Government of Sweden contributed financially to it."),
    ]
    extraction = extract_document(parse_pdf(make_pdf([page])), "d")
    assert (
        extraction.title == "Global Women's Assembly on Environment: Women as the Voice for the Environment"
    )
    assert extraction.acronym == "WAVE"


def test_funding_a_sentence_says_is_provided_by_a_government_names_a_funder() -> None:
    extraction = _extract_text(
        "MINERALS DEVELOPMENT CENTRE - PROGRAMME DESCRIPTION\n\n"
        "Phase I: 2014 - 2015. Phase II: 2016 - 2017.\n\n"
        "Start-up funding is provided by the Government of Australia, which announced an initial "
        "commitment of US$5 million over two years.\n"
    )
    assert _partners(extraction)["Government of Australia"][:2] == ("funder", "AU")


def test_a_well_known_body_the_document_does_not_place_is_where_it_is_seated() -> None:
    extraction = _extract_text(
        "RURAL FINANCE PROGRAMME - PROGRAMME DESCRIPTION\n\n"
        "Phase 1: 2005 - 2009. Phase 2: 2009 - 2013.\n\n"
        "Funders:\n- International Fund for Agricultural Development (IFAD)\n- UNEP\n"
        "- UNEP Regional Office for Asia and the Pacific\n- Ministry of Agriculture, Ghana\n"
    )
    found = _partners(extraction)
    assert found["International Fund for Agricultural Development"][1] == "IT"
    assert found["UNEP"][1] == "KE"
    assert (
        found["UNEP Regional Office for Asia and the Pacific"][1] is None
    )  # a regional office sits elsewhere
    assert found["Ministry of Agriculture"][1] == "GH"  # the document's own word wins


@pytest.mark.parametrize(
    ("detail", "position", "organization"),
    [
        ("Executive Director of UNEP", "Executive Director", "UNEP"),
        ("Programme Officer of the India Water Partnership", "Programme Officer", "India Water Partnership"),
        ("Regional Secretary General of GWP China", "Regional Secretary General", "GWP China"),
        ("Coordinator of the Lakes Programme", "Coordinator of the Lakes Programme", None),
        ("Head of the Conference Secretariat", "Head of the Conference Secretariat", None),
        ("Minister of Energy and Mining of Algeria", "Minister of Energy and Mining of Algeria", None),
        ("Mayor of Bonn", "Mayor of Bonn", None),
        # A division's portfolio is listed with commas; the body is the whole division.
        (
            "Co-ordinator, Consumption Programme, UNEP Division of Technology, Industry and Economics",
            "Co-ordinator, Consumption Programme",
            "UNEP Division of Technology, Industry and Economics",
        ),
        (
            "Senior Officer, Division of Early Warning, UNEP",
            "Senior Officer, Division of Early Warning",
            "UNEP",
        ),
    ],
)
def test_a_post_of_a_body_is_the_post_at_that_body_and_a_post_of_a_place_or_unit_is_whole(
    detail: str, position: str, organization: str | None
) -> None:
    from extractors.contacts import split_position_organization
    from extractors.text import OffsetText

    found_position, found_organization = split_position_organization(OffsetText.at(detail, 0))
    assert found_position is not None and found_position.text == position
    assert (found_organization.text if found_organization is not None else None) == organization


def test_organisers_named_in_a_sentence_are_split_as_in_a_list() -> None:
    extraction = _extract_text(
        "Report of the Regional Workshop on Transboundary Water Cooperation\n\n"
        "The workshop was jointly organised by the Global Water Partnership (GWP), GWP South Asia and "
        "GWP Nepal. The workshop was held in Pokhara, Nepal, from 3 to 5 May 2017 and was attended by "
        "40 participants.\n"
    )
    found = _partners(extraction)
    assert found["GWP South Asia"][0] == "organizer"
    assert found["GWP Nepal"][:2] == ("organizer", "NP")
    assert "GWP South Asia and GWP Nepal" not in found


def test_countries_listed_under_region_headers_are_the_delegations_a_sentence_names() -> None:
    extraction = _extract_html(
        "<h1>Report of the Second Regional Congress on National Parks</h1>"
        "<p>The Congress was held in Bariloche, Argentina, from 30 September to 6 October 2007 and was "
        "attended by 2,000 participants.</p>"
        "<p>National reports were presented by the delegations of:</p>"
        "<table><tr><th>South America</th><th>Central America, Mexico and the Caribbean</th></tr>"
        "<tr><td>Argentina, Bolivia, Brazil, Chile</td><td>Costa Rica, Cuba, Guatemala</td></tr></table>"
    )
    found = _partners(extraction)
    assert found["Bolivia"][:2] == ("participant", "BO")
    assert found["Cuba"][:2] == ("participant", "CU")
    assert "South America" not in found and "Central America, Mexico and the Caribbean" not in found


def test_a_chair_post_someone_holds_elsewhere_does_not_make_the_speakers_chairs() -> None:
    extraction = _extract_text(
        "Report of the Global Assembly on Environment\n\n"
        "The Assembly was held in Nairobi, Kenya, from 11 to 13 October 2004.\n\n"
        "Opening statements were made by Ms. Lena Sommestad, Minister for the Environment, Government of "
        "Sweden, in her capacity as co-chair of the Network of Women Ministers for the Environment; and "
        "Ms. Anna Tibaijuka, Executive Director, UN-HABITAT.\n\n"
        "The closing session was chaired by Mr. Klaus Topfer, Executive Director, UNEP.\n"
    )
    roles = {c.name: c.role for c in extraction.contacts}
    assert roles.get("Anna Tibaijuka") == "speaker"
    assert roles.get("Klaus Topfer") == "chair"


def test_a_body_a_sentence_names_by_an_acronym_the_document_defined_is_named_in_full() -> None:
    extraction = _extract_text(
        "Dryland Soils Programme\n\n"
        "The programme was launched in 2006. It is financed by the International Fund for Agricultural "
        "Development (IFAD) and by the United Nations Development Programme (UNDP).\n\n"
        "National projects are executed by the national agencies, together with the Food and Agriculture "
        "Organization of the United Nations (FAO), IFAD, UNDP and the United Nations Environment "
        "Programme (UNEP).\n"
    )
    names = {p.name: p.acronym for p in extraction.partners}
    # 'and by the' opens the next funder; the list's bare acronyms are the bodies defined above.
    assert names == {
        "International Fund for Agricultural Development": "IFAD",
        "United Nations Development Programme": "UNDP",
        "Food and Agriculture Organization of the United Nations": "FAO",
        "United Nations Environment Programme": "UNEP",
    }


def test_a_programmes_own_period_is_a_phase_and_a_run_in_launch_heading_does_not_hide_its_adoption() -> None:
    extraction = _extract_text(
        "Lake Basin Planning Programme (LBP)\n\n"
        "Launch. The LBP Programme was launched in October 2001 at the Commission's secretariat.\n\n"
        "Programme period. 2002-2011, implemented in two stages.\n\n"
        "Who runs it\n\nThe programme is run by the Lake Basin Commission and funded by the Example "
        "Development Fund; its phases are planned with the member countries.\n"
    )
    dates = {(d.role, d.start, d.end) for d in extraction.dates}
    assert ("adoption", "2001-10", None) in dates
    assert ("phase", "2002", "2011") in dates
