"""Kinds the a46-a48 authors wrote: bodies named before 'co-sponsored the event', experts who
'came from' countries, a venue 'on the campus of' a university, names with particles, a bold
lead-in ending in a colon over a contact block, a wrapped numbered paragraph, a group's members
listed after its common noun, 'supported by' under a funding heading, and an office's well-known
host on the office's line.

Every text here is made up for the test; each reduces a wording to what matters.
"""

from __future__ import annotations

from extractors.contacts import looks_like_person
from extractors.extract import extract_document
from extractors.parsing import parse_document
from schemas.extraction import Extraction

_REPORT_HEAD = "Expert Workshop on Soil Insects\nSummary report\n\n"


def _extract(text: str, name: str = "doc.txt") -> Extraction:
    return extract_document(parse_document(text.encode(), name), "d")


def _partners(extraction: Extraction) -> dict[str, tuple[str | None, str | None]]:
    return {p.name: (p.category, p.country) for p in extraction.partners}


def test_bodies_before_co_sponsored_the_event_are_its_organisers() -> None:
    partners = _partners(
        _extract(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya. The Soil Fauna Society "
            "(SFS), the Regional Beetle Institute and the Secretariat of the Convention on Migratory Species "
            "co-sponsored the event.\n"
        )
    )
    assert partners["Soil Fauna Society"][0] == "organizer"
    assert partners["Regional Beetle Institute"][0] == "organizer"
    assert partners["Secretariat of the Convention on Migratory Species"][0] == "organizer"


def test_experts_who_came_from_countries_are_participants() -> None:
    partners = _partners(
        _extract(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya. Some forty specialists "
            "took part. Experts came from Ghana, Peru, Viet Nam and the United Kingdom.\n"
        )
    )
    for country, code in (("Ghana", "GH"), ("Peru", "PE"), ("Viet Nam", "VN"), ("United Kingdom", "GB")):
        assert partners[country] == ("participant", code)


def test_a_venue_on_the_campus_of_a_university_in_the_city_of() -> None:
    extraction = _extract(
        _REPORT_HEAD + "1. The workshop was held from 7 to 9 October 1998 on the campus of the University of "
        "Lagos, in the city of Lagos. Forty experts attended.\n"
    )
    event = extraction.events[0]
    assert (event.venue, event.city, event.country) == ("University of Lagos", "Lagos", "NG")
    assert (event.start, event.end) == ("1998-10-07", "1998-10-09")


def test_a_name_with_particles_is_a_person_and_a_botanic_garden_is_not() -> None:
    assert looks_like_person("Braulio Ferreira de Souza Dias")
    assert looks_like_person("Maria van der Berg")
    assert not looks_like_person("Royal Botanic Gardens")
    assert not looks_like_person("Palais des Nations")  # a building's words and a particle
    chairs = [
        c
        for c in _extract(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya.\n\n2. The workshop was "
            "chaired by Mr. Joaquim Pereira da Costa Lima, Director for Soil Biodiversity in the Ministry of "
            "Agriculture. He welcomed the experts.\n"
        ).contacts
        if c.role == "chair"
    ]
    assert [c.name for c in chairs] == ["Joaquim Pereira da Costa Lima"]


def test_a_professor_keeps_the_post_the_line_gives() -> None:
    speakers = {
        c.name: (c.position, c.organization)
        for c in _extract(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya.\n\nSpeakers\n\n"
            "- Prof. Ana Ruiz, Professor of Soil Ecology at the University of Leeds\n"
            "- Prof. Tom Hale, University of York\n"
        ).contacts
    }
    assert speakers["Ana Ruiz"] == ("Professor of Soil Ecology", "University of Leeds")
    # The honorific is the post only where the line gives no other.
    assert speakers["Tom Hale"] == ("Prof.", "University of York")


def test_a_wrapped_numbered_paragraph_is_one_item_though_a_line_ends_in_a_comma() -> None:
    speakers = {
        c.name: c.organization
        for c in _extract(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya.\n"
            "2. The keynote presentation, on the status of soil beetles in the tropics and the role of\n"
            "dung beetles in pastures, was given by Prof. Amina Njeri Otieno,\n"
            "Professor at the Institute of Zoology of the University of Nairobi.\n"
        ).contacts
    }
    assert speakers["Amina Njeri Otieno"] == "Institute of Zoology of the University of Nairobi"


def test_a_bold_lead_in_ending_in_a_colon_heads_the_contact_block_below_it() -> None:
    html = (
        "<html><body><h1>Expert Workshop on Soil Insects</h1><p>Summary report of the proceedings.</p>"
        "<p>1. The workshop was held on 3 May 2001 in Nairobi, Kenya.</p>"
        "<p><b>For copies of this report, please contact:</b><br>Centro de Documentação Ambiental<br>"
        "Rua das Flores 12, 70068-900 Brasília DF, Brazil<br>Phone: +55-61-317-1235<br>"
        "E-mail: docs@example.org</p></body></html>"
    )
    contacts = [c for c in _extract(html, "doc.html").contacts if c.role == "secretariat"]
    assert [(c.organization, c.phone, c.email) for c in contacts] == [
        ("Centro de Documentação Ambiental", "+55613171235", "docs@example.org")
    ]


_PROGRAMME_HEAD = "Clean Taps Programme\nProgramme description\n\n"


def test_members_listed_after_a_groups_common_noun_are_each_a_body() -> None:
    partners = _partners(
        _extract(
            _PROGRAMME_HEAD + "Who runs it\nThe programme is carried out by the six Nordic water companies: "
            "Vesi, Aqua Nord, HSY, Bergen Vann, Oslo VAV and Vatten. The partnerships are implemented by their "
            "international arms, Vesi Aqua International (VAI) and World Vatten.\n\n"
            "Phases\nPhase 1 (2017-2021): training.\n"
        )
    )
    for name in ("Vesi", "Aqua Nord", "HSY", "Bergen Vann", "Oslo VAV", "Vatten", "World Vatten"):
        assert partners[name][0] == "organizer", name
    # 'Vesi' before does not swallow the longer name that contains it.
    assert partners["Vesi Aqua International"][0] == "organizer"


def test_a_body_described_with_an_indefinite_article_is_no_partner() -> None:
    partners = _partners(
        _extract(
            _PROGRAMME_HEAD
            + "Who runs it\nIn each country the work is carried out by a Water Safety Country "
            "Team, chaired by the lead agency.\n\nPhases\nPhase 1 (2017-2021): training.\n"
        )
    )
    assert not any("Country Team" in name for name in partners)


def test_supported_by_under_a_funding_heading_names_funders() -> None:
    partners = _partners(
        _extract(
            _PROGRAMME_HEAD + "Phases\nPhase 1 (2017-2021): training.\n\n"
            "Funding\n\nThe work of the Programme Secretariat is supported by the Aral Foundation, Canada, the "
            "European Union and Norway.\n"
        )
    )
    for name in ("Aral Foundation", "Canada", "European Union", "Norway"):
        assert partners[name][0] == "funder", name


def test_supported_by_elsewhere_still_names_organisers() -> None:
    partners = _partners(
        _extract(
            _REPORT_HEAD
            + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya. It was supported by the "
            "Soil Fauna Society and the Regional Beetle Institute.\n"
        )
    )
    assert partners["Soil Fauna Society"][0] == "organizer"


def test_a_well_known_host_on_the_offices_line_is_part_of_the_office() -> None:
    contacts = [
        c
        for c in _extract(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya.\n\n"
            "Contact: Soil Alliance Secretariat, UN-Habitat, UN Campus, Platz der Vereinten Nationen 1, 53113 "
            "Bonn, Germany · Tel. +49 228 815 0290 · E-mail: soil@example.org\n"
        ).contacts
        if c.role == "secretariat"
    ]
    assert [(c.organization, c.address) for c in contacts] == [
        (
            "Soil Alliance Secretariat, UN-Habitat",
            "UN Campus, Platz der Vereinten Nationen 1, 53113 Bonn, Germany",
        )
    ]
