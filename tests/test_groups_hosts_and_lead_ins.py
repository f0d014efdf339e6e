"""Kinds the a46-a48 authors wrote, reduced to what matters: bodies named before 'co-sponsored the
event' or 'presented its work', experts who 'came from' eleven countries, a venue 'on the campus of'
a university, names with particles, a bold lead-in ending in a colon over a contact block, a wrapped
numbered paragraph, a named group's members after its common noun, 'supported by' under a funding
heading, an office's well-known host on its line, a phone number cut by a line break; in forms, a
line break in a Word cell, a long sub-label, a lead named by acronym, semicolon lists that keep
their commas, a targets row followed by other fields, portfolio commas in names; and the wordings
that name a meeting's or a programme's bodies in a sentence.

Every text here is made up for the test.
"""

from __future__ import annotations

import pytest

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
            "took part. Experts came from Ghana, Peru, Chile, India, Kenya, Mexico, Panama, Norway, Nepal, "
            "Viet Nam and the United Kingdom.\n"
        )
    )
    # However long the list: all eleven.
    for country, code in (("Ghana", "GH"), ("Peru", "PE"), ("Viet Nam", "VN"), ("United Kingdom", "GB")):
        assert partners[country] == ("participant", code)
    assert sum(category == "participant" for category, _ in partners.values()) == 11


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


def _sheet_docx(rows: list[tuple[str, list[str]]]) -> bytes:
    """A two-column form: each value cell one paragraph, its lines split by line breaks (Shift+Enter)."""
    import io

    import docx

    document = docx.Document()
    document.add_heading("Partnership Information Sheet", level=1)
    table = document.add_table(rows=len(rows), cols=2)
    for r, (label, lines) in enumerate(rows):
        table.cell(r, 0).text = label
        paragraph = table.cell(r, 1).paragraphs[0]
        for n, line in enumerate(lines):
            run = paragraph.add_run(line)
            if n < len(lines) - 1:
                run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _sheet_partners(rows: list[tuple[str, list[str]]]) -> dict[str, tuple[str | None, str | None, bool]]:
    extraction = extract_document(parse_document(_sheet_docx(rows), "sheet.docx"), "d")
    return {p.name: (p.category, p.country, p.lead) for p in extraction.partners}


def test_a_line_break_in_a_word_cell_separates_two_bodies() -> None:
    partners = _sheet_partners(
        [
            ("Name of partnership", ["Seed Vault Alliance"]),
            ("Other partners", ["Grains Research Corporation (GRC), Australia", "United Nations Foundation"]),
        ]
    )
    assert partners["Grains Research Corporation"][:2] == ("other", "AU")
    assert partners["United Nations Foundation"][0] == "other"
    assert not any(name.startswith("Australia") for name in partners)


def test_a_long_sub_label_in_a_cell_is_no_part_of_the_first_name() -> None:
    partners = _sheet_partners(
        [
            ("Name of partnership", ["Seed Vault Alliance"]),
            ("Governments", ["Signatories to the Establishment Agreement: Cape Verde, Ecuador, Samoa"]),
        ]
    )
    assert partners["Cape Verde"][:2] == ("government", "CV")
    assert partners["Ecuador"][:2] == ("government", "EC")


def test_a_lead_named_by_acronym_takes_the_full_name_and_section_of_its_row() -> None:
    partners = _sheet_partners(
        [
            ("Name of partnership", ["Seed Vault Alliance"]),
            ("Lead partner(s)", ["FAO; IPGRI"]),
            (
                "Intergovernmental organizations",
                [
                    "Food and Agriculture Organization of the United Nations (FAO)",
                    "International Plant Genetic Resources Institute (IPGRI)",
                ],
            ),
        ]
    )
    assert partners["Food and Agriculture Organization of the United Nations"][0::2] == ("igo", True)
    assert partners["International Plant Genetic Resources Institute"][0::2] == ("igo", True)
    assert "FAO" not in partners and "IPGRI" not in partners


def test_a_phone_number_cut_by_a_line_break_is_whole_and_a_postcode_below_one_is_not_joined() -> None:
    from extractors.contacts import ContactDraft, parse_contact_block
    from extractors.text import OffsetText

    def block(*lines: str) -> ContactDraft:
        contact, texts, at = ContactDraft(role="secretariat"), [], 0
        for line in lines:
            texts.append(OffsetText.at(line, at))
            at += len(line) + 1
        parse_contact_block(contact, texts)
        return contact

    cut = block(
        "Dr Ana Ruiz, Director, Soil Alliance, Avenue Appia 20, Geneva. Tel.: (+41) 22 791",
        "2111; e-mail: a@b.org",
    )
    assert cut.phone_raw is not None and cut.phone_raw.text == "(+41) 22 791 2111"
    whole = block("Soil Alliance Secretariat", "Tel: +41 22 917 8000", "1211 Geneva 10, Switzerland")
    assert whole.phone_raw is not None and whole.phone_raw.text == "+41 22 917 8000"
    assert whole.address is not None and "1211 Geneva 10" in whole.address.text


def test_a_cell_listing_with_semicolons_keeps_the_commas_inside_its_names() -> None:
    html = (
        "<html><body><h1>Clean Taps Programme</h1><p>Programme description.</p>"
        "<h2>Phases</h2><p>Phase 1 (2017-2021): training.</p><h2>Partner utilities</h2>"
        "<table><tr><th>Country</th><th>Partner utilities</th></tr>"
        "<tr><td>Kenya</td><td>Nairobi City Water Company (NCWC); Naivasha Water, Sewerage and Sanitation "
        "Company (NAIVAWASS)</td></tr>"
        "<tr><td>Philippines</td><td>Bayawan Water District; Carcar Water District</td></tr>"
        "</table></body></html>"
    )
    partners = _partners(_extract(html, "doc.html"))
    assert partners["Naivasha Water, Sewerage and Sanitation Company"] == ("participant", "KE")
    assert partners["Nairobi City Water Company"] == ("participant", "KE")
    # A district's utility is a body, whatever a name model makes of it.
    assert partners["Bayawan Water District"] == ("participant", "PH")
    assert partners["Carcar Water District"] == ("participant", "PH")


def test_the_rows_after_a_targets_row_of_a_form_are_other_fields_not_targets() -> None:
    rows = [
        ("Name of partnership", ["Seed Vault Alliance"]),
        (
            "Targets and timeframes",
            ["2003 - First meeting of all partners", "2005 - Seed of 10% of species banked"],
        ),
        ("Financial resources", ["US$12 million per year"]),
        ("Contact person", ["Mr. Jeff Burn", "Deputy Director", "Tel: +1 202 647 2232"]),
    ]
    extraction = extract_document(parse_document(_sheet_docx(rows), "sheet.docx"), "d")
    assert sorted((t.year, t.text) for t in extraction.targets) == [
        (2003, "First meeting of all partners"),
        (2005, "Seed of 10% of species banked"),
    ]


def test_a_span_printed_before_the_phase_it_dates_is_that_phase() -> None:
    extraction = _extract(
        _PROGRAMME_HEAD + "The programme was launched in March 2002.\n\nPhases\n\n"
        "- 2002-2004: Pilot phase in ten schools\n- 2005–2008: Phase 2, national roll-out\n"
        "- 2009–2012 Phase III consolidation\n- 2013: review of the curriculum\n"
    )
    phases = sorted((d.start, d.end) for d in extraction.dates if d.role == "phase")
    # A single year before an activity dates no phase.
    assert phases == [("2002", "2004"), ("2005", "2008"), ("2009", "2012")]


def test_one_body_with_its_acronym_before_co_organised_the_forum_is_an_organiser() -> None:
    partners = _partners(
        _extract(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya. The Soil Fauna Society "
            "of Africa (SFSA) co-organised the pre-conference forum on beetles.\n"
        )
    )
    assert partners["Soil Fauna Society of Africa"][0] == "organizer"


def test_a_body_that_presented_its_work_took_part() -> None:
    partners = _partners(
        _extract(
            _REPORT_HEAD
            + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya. The Regional Centre for "
            "Soil Biology (RCSB) presented its work on beetle counts.\n"
        )
    )
    assert partners["Regional Centre for Soil Biology"][0] == "participant"


def test_a_bodys_portfolio_commas_stay_in_its_name_whatever_its_head() -> None:
    partners = _sheet_partners(
        [
            ("Name of partnership", ["Seed Vault Alliance"]),
            (
                "Other partners",
                ["Institute of Materials, Minerals and Mining", "Centre for Seeds, UNEP and FAO"],
            ),
        ]
    )
    assert partners["Institute of Materials, Minerals and Mining"][0] == "other"
    # Acronyms after the comma are bodies of their own.
    assert {"Centre for Seeds", "UNEP", "FAO"} <= set(partners)


@pytest.mark.parametrize(
    ("sentence", "category"),
    [
        ("Among the participants were the Soil Data Institute and the Lake Basin Commission.", "participant"),
        ("The Soil Data Institute and the Lake Basin Commission co-convened the forum.", "organizer"),
        (
            "The Soil Data Institute and the Lake Basin Commission provided financial support for the forum.",
            "funder",
        ),
        (
            "The forum was also joined by the Soil Data Institute and the Lake Basin Commission.",
            "participant",
        ),
        ("The Soil Data Institute and the Lake Basin Commission were represented.", "participant"),
        ("Speakers came from the Soil Data Institute and the Lake Basin Commission.", "participant"),
    ],
)
def test_wordings_that_name_a_meetings_bodies_in_a_sentence(sentence: str, category: str) -> None:
    partners = _partners(
        _extract(_REPORT_HEAD + "1. The forum was held on 3 May 2011 in Accra, Ghana.\n\n2. " + sentence)
    )
    assert partners["Soil Data Institute"][0] == category
    assert partners["Lake Basin Commission"][0] == category


@pytest.mark.parametrize(
    ("sentence", "category"),
    [
        ("The Soil Data Institute and the Lake Basin Commission run the programme.", "organizer"),
        (
            "The programme is a joint initiative of the Soil Data Institute and the Lake Basin Commission.",
            "organizer",
        ),
        (
            "The programme is a research-for-development initiative of the Soil Data Institute and the Lake "
            "Basin Commission.",
            "organizer",
        ),
        ("The Soil Data Institute and the Lake Basin Commission fund the programme.", "funder"),
        (
            "The Soil Data Institute and the Lake Basin Commission provide funding for the second phase.",
            "funder",
        ),
    ],
)
def test_wordings_that_name_who_runs_and_funds_a_programme(sentence: str, category: str) -> None:
    partners = _partners(_extract(_PROGRAMME_HEAD + sentence + "\n\nPhases\nPhase 1 (2002-2004): pilot.\n"))
    assert partners["Soil Data Institute"][0] == category
    assert partners["Lake Basin Commission"][0] == category


def test_a_programme_run_by_a_body_is_not_read_backwards() -> None:
    # 'is run by' names the runner after the verb; the subject before it is the programme.
    partners = _partners(
        _extract(
            _PROGRAMME_HEAD + "The Clean Taps Programme is run by the Soil Data Institute.\n\nPhases\n"
            "Phase 1 (2002-2004): pilot.\n"
        )
    )
    assert partners["Soil Data Institute"][0] == "organizer"
    assert "Clean Taps Programme" not in partners


def test_a_speaker_of_or_from_a_body_has_it_as_organisation() -> None:
    speakers = {
        c.name: c.organization
        for c in _extract(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2001 in Nairobi, Kenya.\n\nProceedings\n\n"
            "2. The keynote address by Prof. Kwame Mensah of the University of Ghana set out the state of soil "
            "data. Ms. Lucy Wanjiru from the Kenya Forestry Research Institute spoke about forest soils. "
            "Mr. Tom Hale from Kenya presented beetle counts.\n"
        ).contacts
    }
    assert speakers["Kwame Mensah"] == "University of Ghana"
    assert speakers["Lucy Wanjiru"] == "Kenya Forestry Research Institute"
    assert speakers.get("Tom Hale") is None  # a country he comes from is no body he works for
