"""Rules that generalise across layouts: list splitting, contact blocks, sheet sections."""

from __future__ import annotations

import pytest

from extractors.contacts import (
    ContactDraft,
    is_address_part,
    is_position,
    looks_like_person,
    parse_contact_block,
)
from extractors.lists import split_items
from extractors.meeting_event import split_venue
from extractors.prose import find_triggered_orgs
from extractors.report import _person_line
from extractors.rules import report_rules
from extractors.text import OffsetText
from schemas.document import TextLine


def _items(*lines: str, page: int | None = None) -> list[tuple[str, str | None, str | None]]:
    """Split value lines as a list section would, one block per line."""
    values, text_lines, at = [], [], 0
    for i, line in enumerate(lines):
        values.append(OffsetText.at(line, at))
        text_lines.append(TextLine(text=line, page=page, char_start=at, char_end=at + len(line), block=i))
        at += len(line) + 1
    items = split_items(values, text_lines, group_patterns=[], noise=frozenset())
    return [(i.name.text, i.acronym, i.country) for i in items]


def test_commas_inside_one_name_do_not_split_it() -> None:
    found = _items(
        "Ministry of Communication, Transport, Post and Construction (Lao PDR), "
        "United Nations Educational, Scientific and Cultural Organization (UNESCO), Asian Development Bank"
    )
    assert found == [
        ("Ministry of Communication, Transport, Post and Construction", None, "LA"),
        ("United Nations Educational, Scientific and Cultural Organization", "UNESCO", None),
        ("Asian Development Bank", None, None),
    ]


def test_a_dash_country_after_the_acronym() -> None:
    assert _items("Federation of Water and Sanitation Users Nepal (FEDWASUN) – Nepal") == [
        ("Federation of Water and Sanitation Users Nepal", "FEDWASUN", "NP")
    ]


def test_a_one_word_short_form_is_an_acronym_but_a_place_is_not() -> None:
    assert _items("Semarang City Development Planning Agency (Bappeda)")[0][:2] == (
        "Semarang City Development Planning Agency",
        "Bappeda",
    )
    assert _items("Asian Institute of Technology (Bangkok)")[0][1] is None


def test_a_line_ending_in_a_country_ends_the_name() -> None:
    found = _items(
        "Ministry of Nature and Environment of Mongolia", "Bayanzurkh District Administration", page=1
    )
    assert [name for name, _, _ in found] == [
        "Ministry of Nature and Environment of Mongolia",
        "Bayanzurkh District Administration",
    ]


def test_a_country_alone_is_the_previous_bodys_country_not_a_partner() -> None:
    assert _items("Kandy", "Sri Lanka", "Rajshahi", "Bangladesh") == [
        ("Kandy", None, "LK"),
        ("Rajshahi", None, "BD"),
    ]


def test_positions_by_their_first_or_last_words() -> None:
    assert is_position("Director, Bureau of Engineering")
    assert is_position("City Environment and Natural Resources Officer")
    assert not is_position("Chiang Mai Municipality")
    assert not is_position("Bureau of Engineering")


def test_a_body_named_with_a_number_is_not_an_address() -> None:
    assert not is_address_part("Suwon Council for Local Agenda 21")
    assert is_address_part("613-2 Bulgwang-dong, Eunpyeong-gu, Seoul 122-706")
    assert is_address_part("Sukhbaatar Square 11, Chingeltei District")


def _block(*lines: str) -> ContactDraft:
    contact = ContactDraft(role="focal_point")
    at, values = 0, []
    for line in lines:
        values.append(OffsetText.at(line, at))
        at += len(line) + 1
    parse_contact_block(contact, values)
    return contact


def _fields(contact: ContactDraft) -> dict[str, str | None]:
    names = ("name", "position", "organization", "address")
    return {n: getattr(contact, n).text if getattr(contact, n) else None for n in names}


def test_contact_block_on_lines_keeps_units_with_the_position() -> None:
    found = _fields(
        _block(
            "Wichai Srisuwan",
            "Director, Bureau of Engineering",
            "Chiang Mai Municipality",
            "1 Wang Singkham Road, Chiang Mai 50300, Thailand",
            "Tel: +66 53 259 000",
        )
    )
    assert found == {
        "name": "Wichai Srisuwan",
        "position": "Director, Bureau of Engineering",
        "organization": "Chiang Mai Municipality",
        "address": "1 Wang Singkham Road, Chiang Mai 50300, Thailand",
    }


def test_contact_block_position_ending_in_a_title_word() -> None:
    found = _fields(_block("Leonora C. Bautista, City Environment and Natural Resources Officer"))
    assert found["position"] == "City Environment and Natural Resources Officer"
    assert found["organization"] is None


def test_contact_block_one_line_body_with_a_number() -> None:
    found = _fields(_block("Park Min-ji, Senior Researcher, Suwon Council for Local Agenda 21"))
    assert found["organization"] == "Suwon Council for Local Agenda 21"
    assert found["address"] is None


def test_host_body_at_the_head_of_the_address_joins_the_organisation() -> None:
    found = _fields(
        _block(
            "Asia-Pacific Urban Environment Network Secretariat",
            "Korea Environment Institute, 613-2 Bulgwang-dong, Seoul 122-706, Republic of Korea",
        )
    )
    assert (
        found["organization"]
        == "Asia-Pacific Urban Environment Network Secretariat, Korea Environment Institute"
    )
    assert found["address"] == "613-2 Bulgwang-dong, Seoul 122-706, Republic of Korea"


def test_a_short_label_before_a_person_is_not_part_of_the_name() -> None:
    contact = _person_line(
        OffsetText.at("Day 1: Sok Chenda (Director, Phnom Penh Water Supply Authority)", 0), "chair"
    )
    assert contact is not None
    assert (contact.name.text, contact.position.text, contact.organization.text) == (
        "Sok Chenda",
        "Director",
        "Phnom Penh Water Supply Authority",
    )


def test_a_venue_is_not_a_person_and_the_city_comes_before_its_province() -> None:
    assert not looks_like_person("Green Lake Hotel")
    assert looks_like_person("Li Jianguo")
    assert split_venue(OffsetText.at("Green Lake Hotel, Kunming, Yunnan Province, China", 0)) == (
        "Green Lake Hotel",
        "Kunming",
        "CN",
    )


def test_bodies_whose_representatives_took_part_are_participants() -> None:
    found = find_triggered_orgs(
        "Representatives of the Asian Development Bank and UN-HABITAT also took part.",
        report_rules().partner_triggers,
    )
    assert [(m.name, m.category) for m in found] == [
        ("Asian Development Bank", "participant"),
        ("UN-HABITAT", "participant"),
    ]


def test_a_body_named_after_its_country_is_not_an_address() -> None:
    assert not is_address_part("Korea Environment Institute")
    assert is_address_part("Republic of Korea")


def test_an_attention_line_under_an_office_names_the_person_the_block_is_for() -> None:
    found = _fields(
        _block(
            "AfSIS Project Office, Columbia Global Centers | Africa",
            "Attn.: Dr. Grace W. Mwangi, Project Manager",
            "ICRAF House, United Nations Avenue, Gigiri, Nairobi, Kenya",
        )
    )
    assert found["name"] == "Grace W. Mwangi"
    assert found["position"] == "Project Manager"
    assert found["organization"] == "AfSIS Project Office, Columbia Global Centers | Africa"
    assert found["address"] == "ICRAF House, United Nations Avenue, Gigiri, Nairobi, Kenya"


@pytest.mark.parametrize(
    ("post_line", "name", "position"),
    [
        ("Director General: Mr. Omar Diallo", "Omar Diallo", "Director General"),
        ("Executive Secretary: Dr. Ana Lopes", "Ana Lopes", "Executive Secretary"),
    ],
)
def test_a_post_labelling_a_name_under_an_office_gives_the_person_and_position(
    post_line: str, name: str, position: str
) -> None:
    found = _fields(_block("Pool Secretariat", post_line, "12 Harbour Road, Accra, Ghana"))
    assert (found["name"], found["position"]) == (name, position)
    assert found["organization"] == "Pool Secretariat"
    assert found["address"] == "12 Harbour Road, Accra, Ghana"


def test_a_field_label_before_a_value_is_no_post() -> None:
    found = _fields(_block("Pool Secretariat", "Address: 12 Harbour Road", "Accra, Ghana"))
    assert found["name"] is None
