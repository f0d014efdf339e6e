"""Bodies and people written into a report's sentences by the a39-a41 authors: support 'provided
by' a list, bodies 'represented' or 'attending from', a body's unit or country in brackets, a
ministry's portfolio commas, titled people each taking the role of their own clause, a post 'at'
a body, and a host's address under its heading.

Every text here is made up for the test; each reduces a wording to what matters.
"""

from __future__ import annotations

from extractors.contacts import split_position_organization
from extractors.extract import extract_document
from extractors.parsing import parse_document
from extractors.text import OffsetText
from schemas.extraction import Extraction

_REPORT_HEAD = (
    "Regional Dialogue on River Data 2013\n\n"
    "The dialogue was held from 4 to 6 June 2013 in Kisumu, Kenya.\n\n"
    "Organization of the meeting\n\n"
)


def _extract_text(text: str) -> Extraction:
    return extract_document(parse_document(text.encode(), "doc.txt"), "d")


def _partners(extraction: Extraction) -> dict[str, tuple[str | None, str | None]]:
    return {p.name: (p.category, p.country) for p in extraction.partners}


def _people(extraction: Extraction) -> dict[str | None, tuple[str, str | None, str | None]]:
    return {c.name: (c.role, c.position, c.organization) for c in extraction.contacts}


def test_support_provided_by_a_list_names_its_funders() -> None:
    partners = _partners(
        _extract_text(
            _REPORT_HEAD + "Economic support for the travel of delegates was provided by the Nordic Water "
            "Fund, the Ministry of the Environment of Finland and the Lake Basin Foundation.\n"
        )
    )
    assert partners["Nordic Water Fund"][0] == "funder"
    assert partners["Ministry of the Environment of Finland"] == ("funder", "FI")
    assert partners["Lake Basin Foundation"][0] == "funder"


def test_bodies_attending_from_keep_their_unit_and_country_as_printed() -> None:
    partners = _partners(
        _extract_text(
            _REPORT_HEAD + "Members and observers attended from the European Commission (Directorate-General "
            "for Environment), the Ministry of Water, Irrigation and Energy of Ethiopia, the River Data "
            "Authority (RDA) of Uganda and the Basin Monitoring Centre. Some thirty people attended.\n"
        )
    )
    assert partners["European Commission (Directorate-General for Environment)"][0] == "participant"
    # A ministry's portfolio has commas; 'of Ethiopia' says where it is.
    assert partners["Ministry of Water, Irrigation and Energy of Ethiopia"] == ("participant", "ET")
    assert partners["River Data Authority"] == ("participant", "UG")
    assert partners["Basin Monitoring Centre"][0] == "participant"
    assert not [name for name in partners if name.startswith(("Irrigation", "Energy"))]


def test_bodies_represented_with_their_country_in_brackets() -> None:
    partners = _partners(
        _extract_text(
            _REPORT_HEAD + "Among the organizations represented were the Lake Victoria Fishers Association "
            "(Uganda), the Nile Delta Research Institute (Egypt) and the Rift Valley Water Council.\n"
        )
    )
    assert partners["Lake Victoria Fishers Association"] == ("participant", "UG")
    assert partners["Nile Delta Research Institute"] == ("participant", "EG")
    assert "Nile Delta Research Institute (Egypt)" not in partners


def test_titled_people_in_one_sentence_each_take_their_own_clause_role() -> None:
    people = _people(
        _extract_text(
            _REPORT_HEAD + "On the first afternoon, a session moderated by Mr. Omar Haddad, Director of the "
            "Hydrology Division of the Basin Commission, launched the River Data Network (RDN), with "
            "presentations by Ms. Wanjiru Kamau (Kenya Water Institute), Mr. Pavel Orlov (Volga Basin "
            "Authority) and Dr. Anna Lind (SMHI).\n"
        )
    )
    assert people["Omar Haddad"][0] == "chair"
    assert people["Wanjiru Kamau"] == ("speaker", None, "Kenya Water Institute")
    assert people["Pavel Orlov"] == ("speaker", None, "Volga Basin Authority")
    assert people["Anna Lind"][0] == "speaker" and people["Anna Lind"][2] == "SMHI"


def test_a_post_at_a_body_splits_at_at_whatever_the_bodys_head_word() -> None:
    def split(value: str) -> tuple[str | None, str | None]:
        position, organization = split_position_organization(OffsetText.at(value, 0))
        return (position.text if position else None, organization.text if organization else None)

    assert split("Senior Advisor at SwedWater") == ("Senior Advisor", "SwedWater")
    assert split("Coordinator of the Platform for Water Law at the Geneva Water Hub") == (
        "Coordinator of the Platform for Water Law",
        "Geneva Water Hub",
    )
    # A place after 'at' is where the post is held, not a body.
    assert split("Professor at Nairobi") == ("Professor at Nairobi", None)


def test_cochairs_named_with_a_post_at_a_body() -> None:
    people = _people(
        _extract_text(
            _REPORT_HEAD + "Sessions were co-chaired by Maria Lund, Researcher at the Uppsala Water Centre, "
            "and Peter Holm, Senior Advisor at RiverBio.\n"
        )
    )
    assert people["Maria Lund"] == ("chair", "Researcher", "Uppsala Water Centre")
    assert people["Peter Holm"] == ("chair", "Senior Advisor", "RiverBio")


def test_a_hosts_address_under_its_heading_is_no_partner() -> None:
    body = (
        "<h1>Regional Dialogue on River Data 2013</h1>"
        "<p>The dialogue was held from 4 to 6 June 2013 in Kisumu, Kenya.</p>"
        "<p>The dialogue was convened by the Lake Basin Foundation.</p>"
        "<h2>Local host</h2><p>Kisumu Water Institute</p><p>Apartado 0816-03240, Kisumu, Kenya</p>"
        "<p>Tel.: +254 57 202 3428</p>"
    )
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    partners = _partners(extract_document(parse_document(html.encode(), "doc.html"), "d"))
    assert partners["Kisumu Water Institute"][0] == "organizer"
    assert not [name for name in partners if "0816" in name or name == "Kisumu"]


def test_a_phase_row_broken_over_a_page_is_one_phase() -> None:
    extraction = _extract_text(
        "Coastal Trade Programme\n\n"
        "The programme helps coastal enterprises reach new markets.\n\n"
        "Implementation phases\n\n"
        "| Phase | Period | Main focus |\n"
        "| --- | --- | --- |\n"
        "| Phase I | July 2003 – | Market access for |\n"
        "| Phase | Period | Main focus |\n"
        "|  | December 2008 | coastal enterprises |\n"
        "| Phase II | January 2009 – June 2015 | Policy |\n"
    )
    phases = {(d.start, d.end) for d in extraction.dates if d.role == "phase"}
    assert ("2003-07", "2008-12") in phases
    assert ("2009-01", "2015-06") in phases
    assert not {("2003-07", None), ("2008-12", None)} & phases


def test_a_dateline_span_outranks_a_sentence_dating_its_first_day() -> None:
    extraction = _extract_text(
        "Regional Network Meeting for River Officers\n"
        "Kisumu, Kenya, 27–30 May 2014\n\n"
        "Report of the meeting\n\n"
        "Organization of the meeting\n\n"
        "The meeting was organised by the Lake Basin Foundation. Participants from twelve countries "
        "attended the workshop sessions.\n\n"
        "Opening of the meeting\n\n"
        "The inauguration ceremony took place on 27 May 2014 at the Lakeside Hotel and began with a "
        "welcome by the hosts. Hon. Alhaj A.R.M. Abdul Kadir, Minister of Water, welcomed the participants. The seminar closed on 30 May 2014.\n"
    )
    (event,) = extraction.events
    assert (event.start, event.end) == ("2014-05-27", "2014-05-30")
    assert (event.venue, event.city, event.country) == ("Lakeside Hotel", "Kisumu", "KE")
    assert [(d.start, d.end) for d in extraction.dates if d.role == "event"] == [("2014-05-27", "2014-05-30")]
    # Dotted initials inside a name do not end it.
    assert _people(extraction)["Alhaj A.R.M. Abdul Kadir"][:2] == ("speaker", "Minister of Water")


def test_a_name_with_accented_capitals_and_a_post_naming_a_general_directorate() -> None:
    people = _people(
        _extract_text(
            _REPORT_HEAD + "Inaugural addresses were delivered by Mr Ümit Özkaya, Director General of the "
            "General Directorate of River Works (DRW); Dr Élodie Ängström, President of the Basin Council; "
            "and Ms. Łucja Świątek, Secretary of the Data Network.\n"
        )
    )
    assert people["Ümit Özkaya"][:2] == (
        "speaker",
        "Director General of the General Directorate of River Works (DRW)",
    )
    assert people["Élodie Ängström"][0] == "speaker"
    assert people["Łucja Świątek"][0] == "speaker"
    assert not any(name and name.startswith("Directorate") for name in people)
