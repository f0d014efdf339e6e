"""Office contact blocks of reports and programmes (extractors/offices.py): where one office ends
and the next begins, whom an office block is for, and what under a heading is no office."""

from __future__ import annotations

import pytest

from extractors.contacts import is_address_part
from extractors.extract import Extraction, extract_document
from extractors.parsing import parse_document

_REPORT = """<h1>Report of the Regional Workshop on Coastal Water Monitoring</h1>
<p>Mombasa, Kenya, 4-6 June 2009</p>
<h2>1. Opening</h2>
<p>The workshop was held from 4 to 6 June 2009 in Mombasa, Kenya, and was attended by
35 participants from eleven countries.</p>
<h2>2. Participants</h2>
<p>Participants came from Kenya, Tanzania and Mozambique.</p>
{contacts}
"""

_OFFICE_LINES = [
    "Questions about the workshop may be sent to:",
    "Western Indian Ocean Marine Science Association",
    "Mizingani Street, House No. 13644/10, Zanzibar, Tanzania",
    "Tel.: +255 24 223 3472 · Fax: +255 24 223 3852",
    "E-mail: secretary@wiomsa.org",
    "Nairobi Convention Secretariat",
    "United Nations Avenue, Gigiri, Nairobi, Kenya",
    "Tel.: +254 20 762 2025",
    "E-mail: nairobi.convention@unep.org",
    "Documents of the workshop are available at http://www.wiomsa.org",
]


def _contact_section(lines: list[str]) -> str:
    return "<h2>6. Secretariat and further information</h2>" + "".join(f"<p>{line}</p>" for line in lines)


def _extract(body: str) -> Extraction:
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    return extract_document(parse_document(html.encode(), "report.html"), "d")


def _offices(extraction: Extraction) -> dict[str | None, tuple[str | None, str | None]]:
    return {c.organization: (c.address, c.email) for c in extraction.contacts if c.role == "secretariat"}


def test_two_offices_under_one_label_are_two_contacts_each_with_its_own_address() -> None:
    offices = _offices(_extract(_REPORT.format(contacts=_contact_section(_OFFICE_LINES))))

    assert offices == {
        "Western Indian Ocean Marine Science Association": (
            "Mizingani Street, House No. 13644/10, Zanzibar, Tanzania",
            "secretary@wiomsa.org",
        ),
        "Nairobi Convention Secretariat": (
            "United Nations Avenue, Gigiri, Nairobi, Kenya",
            "nairobi.convention@unep.org",
        ),
    }


def test_a_sentence_case_section_heading_and_its_announcing_line_are_not_the_office_name() -> None:
    offices = _offices(_extract(_REPORT.format(contacts=_contact_section(_OFFICE_LINES[:5]))))

    assert list(offices) == ["Western Indian Ocean Marine Science Association"]


def test_a_reports_title_over_its_date_and_venue_is_no_office() -> None:
    offices = _offices(_extract(_REPORT.format(contacts="")))

    assert offices == {}


def test_an_attention_line_in_an_office_block_names_its_person() -> None:
    programme = """Coastal Soils Information Programme

1. Overview
The programme is a ten-year effort, started in 2009, to map soils along the coast. It is run by the
Coastal Soils Programme Office and funded by the Example Foundation.

2. Contact
Coastal Soils Programme Office, Example Global Centre
Attn.: Dr. Amina W. Otieno, Project Manager
Plot 12, Ngong Road, P.O. Box 30677-00100, Nairobi, Kenya
Phone: +254 20 722 4000 E-mail: info@coastalsoils.example.org
"""
    extraction = extract_document(parse_document(programme.encode(), "programme.txt"), "d")
    offices = [c for c in extraction.contacts if c.role == "secretariat"]

    assert [(c.name, c.position, c.organization) for c in offices] == [
        ("Amina W. Otieno", "Project Manager", "Coastal Soils Programme Office, Example Global Centre")
    ]
    assert offices[0].address == "Plot 12, Ngong Road, P.O. Box 30677-00100, Nairobi, Kenya"


@pytest.mark.parametrize(
    ("text", "is_address"),
    [
        ("Coastal Soils Programme Office", False),  # 'soi' is a Thai street only as a word
        ("Broadband Planet Institute", False),
        ("12 Soi Sukhumvit, Bangkok", True),
        ("Minato-ku, Tokyo", True),
        ("ICRAF House, United Nations Avenue", True),
    ],
)
def test_street_words_name_a_street_only_as_whole_words(text: str, is_address: bool) -> None:
    assert is_address_part(text) is is_address


def test_a_person_after_an_office_that_gives_no_way_to_reach_it_is_that_offices_contact() -> None:
    contacts = _contact_section(
        [
            "Coastal Monitoring Initiative",
            "Mizingani Street, P.O. Box 3298, Zanzibar, Tanzania",
        ]
    ).replace("6. Secretariat and further information", "For further information")
    contacts += "<p><b>Contact:</b> Ms. Amina Juma, Information Unit Tel: +255 24 223 3472 E-mail: info@wiomsa.org</p>"
    extraction = _extract(_REPORT.format(contacts=contacts))

    (office,) = [c for c in extraction.contacts if c.role == "secretariat"]
    assert (office.name, office.position, office.organization) == (
        "Amina Juma",
        "Information Unit",
        "Coastal Monitoring Initiative",
    )
    assert (office.phone, office.email) == ("+255242233472", "info@wiomsa.org")


def test_a_speaker_who_is_also_the_secretariats_contact_is_a_contact_in_both_roles() -> None:
    report = _REPORT.replace(
        "<h2>2. Participants</h2>",
        "<h2>2. Presentations</h2><p>Mr. Omar Said (Senior Officer, Nairobi Convention Secretariat) "
        "presented the regional monitoring programme.</p><h2>3. Participants</h2>",
    )
    contacts = _contact_section(
        [
            "Mr. Omar Said, Nairobi Convention Secretariat",
            "United Nations Avenue, Gigiri, Nairobi, Kenya",
            "Tel.: +254 20 762 2025 E-mail: omar.said@unep.org",
            "Meeting documents: http://www.unep.org/nairobiconvention",
        ]
    )
    extraction = _extract(report.format(contacts=contacts))

    roles = {c.role: c for c in extraction.contacts if c.name == "Omar Said"}
    assert set(roles) == {"speaker", "secretariat"}
    assert roles["secretariat"].address == "United Nations Avenue, Gigiri, Nairobi, Kenya"


def test_an_office_run_into_its_address_by_the_layout_is_cut_where_the_address_starts() -> None:
    from extractors.contacts import address_glued_to_office, split_leading_organization
    from extractors.text import OffsetText

    assert address_glued_to_office("Forum Secretariat Level 23") == len("Forum Secretariat ")
    assert address_glued_to_office("Data Mechanisms programme Kaiser-Wilhelm-Strasse 8") == len(
        "Data Mechanisms programme "
    )
    assert address_glued_to_office("Level 23") is None  # an address alone names no office
    body, rest = split_leading_organization(
        OffsetText.at(
            "Climate secretariat, Data Mechanisms programme Kaiser-Wilhelm-Strasse 8, 53175 Bonn", 0
        )
    )
    assert body is not None and body.text == "Climate secretariat, Data Mechanisms programme"
    assert rest.text == "Kaiser-Wilhelm-Strasse 8, 53175 Bonn"


def test_a_link_line_over_an_office_is_no_part_of_its_name() -> None:
    offices = _offices(
        _extract(
            _REPORT.format(
                contacts=_contact_section(
                    [
                        "Forum documents and presentations: http://www.example.org/forum",
                        "Forum Secretariat Level 23, Menara Tower, 27 Jalan Raja, 50250 Kuala Lumpur, Malaysia",
                        "Tel: +60 3 2022 4000 · E-mail: secretariat@example.org",
                    ]
                )
            )
        )
    )
    assert offices == {
        "Forum Secretariat": (
            "Level 23, Menara Tower, 27 Jalan Raja, 50250 Kuala Lumpur, Malaysia",
            "secretariat@example.org",
        )
    }
