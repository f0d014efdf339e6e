"""Countries a layout or a sentence ran together are each a partner of their own."""

from __future__ import annotations

from extractors.partner_names import tidy_partners
from schemas.records import PartnerRecord


def _partner(name: str) -> PartnerRecord:
    return PartnerRecord(
        doc_id="d",
        char_start=0,
        char_end=len(name),
        method="t",
        confidence=0.8,
        name=name,
        category="participant",
    )


def test_a_name_made_only_of_countries_becomes_one_partner_per_country() -> None:
    tidied = tidy_partners(
        [
            _partner("The Bahamas Barbados Belize Saint Kitts and Nevis"),
            _partner("Tanzania and Uganda in East Africa"),
        ],
        [],
    )
    assert [(p.name, p.country, p.category) for p in tidied] == [
        ("The Bahamas", "BS", "participant"),
        ("Barbados", "BB", "participant"),
        ("Belize", "BZ", "participant"),
        ("Saint Kitts and Nevis", "KN", "participant"),
        ("Tanzania", "TZ", "participant"),
        ("Uganda", "UG", "participant"),
    ]


def test_a_body_named_with_countries_or_one_country_stays_as_it_is() -> None:
    names = ["Government of Kenya and Uganda", "Trinidad and Tobago", "Mexico and the Caribbean Region"]
    assert [p.name for p in tidy_partners([_partner(n) for n in names], [])] == names


def test_the_governments_of_several_countries_are_each_a_partner() -> None:
    tidied = tidy_partners([_partner("Governments of Switzerland and Austria")], [])
    assert [(p.name, p.country) for p in tidied] == [("Switzerland", "CH"), ("Austria", "AT")]
