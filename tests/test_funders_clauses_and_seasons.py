"""Kinds the a51, a53 and a55 authors wrote, reduced to what matters: donors named as a
programme's "development partners", a clause inside an enumeration whose object is the body
listed, a phase dated by a season ('2014/2015'), bodies joined by 'and of the' or after a name
with an ampersand, an acronym that drops a name's 'UN' prefix, and a semicolon parting two
ministries that portfolio commas would join.

Every text here is made up for the test.
"""

from __future__ import annotations

import pytest

from extractors.name_and import split_and
from extractors.text import OffsetText
from schemas.extraction import Extraction

from .test_cascade import _extract_html, _extract_text

_PROGRAMME_HEAD = (
    "Lake Basin Programme\nProgramme description\n\n"
    "The programme was launched in 2002 to protect the lake and its fisheries.\n\n"
    "Phases\n\nPhase 1 (2002-2004): pilot.\n\n"
)
_PAID = "The programme is financed by fees and by voluntary contributions. "


def _categories(extraction: Extraction) -> dict[str, str | None]:
    return {p.name: p.category for p in extraction.partners}


@pytest.mark.parametrize(
    "sentence",
    [
        "Key development partners include the Lake Trust Fund and the Ministry of Water of Ruritania.",
        "Donors include the Lake Trust Fund and the Ministry of Water of Ruritania.",
    ],
)
def test_a_programmes_development_partners_or_donors_are_its_funders(sentence: str) -> None:
    found = _categories(_extract_text(_PROGRAMME_HEAD + "How it works\n\n" + _PAID + sentence + "\n"))
    assert found["Lake Trust Fund"] == "funder"
    assert found["Ministry of Water of Ruritania"] == "funder"


def test_a_clause_inside_an_enumeration_lists_its_object_not_its_subject() -> None:
    found = _categories(
        _extract_text(
            _PROGRAMME_HEAD
            + "Governance\n\nThe meeting was attended by representatives of the member states, the Steering Committee "
            "includes the International Fishers Federation (IFF) and the Lake Workers Union.\n"
        )
    )
    assert "International Fishers Federation" in found
    assert not any("includes" in name for name in found)


def test_a_phase_dated_by_a_season_spans_its_two_years() -> None:
    extraction = _extract_text(
        "Lake Basin Programme\nProgramme description\n\nThe programme was launched in 2002.\n\n"
        "Phases\n\n| Phase | Season covered | Countries |\n| --- | --- | --- |\n"
        "| Pool I | 2014/2015 | Kenya, Niger |\n| Pool II | 2015/16 | Kenya, Mali |\n"
    )
    spans = {(d.start, d.end) for d in extraction.dates if d.role == "phase"}
    assert {("2014", "2015"), ("2015", "2016")} <= spans


_REPORT_HEAD = "Regional Workshop on Lake Fisheries\nSummary report\n\n"


def test_bodies_joined_by_and_of_the_or_after_an_ampersand_name_are_each_a_body() -> None:
    found = _categories(
        _extract_text(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2010 in Kampala, Uganda. It was attended by "
            "officials of the Lake Fisheries Secretariat and of the Regional Disaster Management Agency "
            "(RDMA), Okoro & Company and Harbour Reinsurance Group.\n"
        )
    )
    for name in (
        "Lake Fisheries Secretariat",
        "Regional Disaster Management Agency",
        "Okoro & Company",
        "Harbour Reinsurance Group",
    ):
        assert found.get(name) == "participant", name
    assert not any(" and " in name for name in found)


def test_an_acronym_that_drops_the_un_prefix_still_covers_the_and_in_the_name() -> None:
    found = _categories(
        _extract_text(
            _REPORT_HEAD + "1. The workshop was held on 3 May 2010 in Kampala, Uganda. It was attended by "
            "the UN Economic Commission for the Lakes and the Savannah (ECLS) and the Basin Authority.\n"
        )
    )
    assert "UN Economic Commission for the Lakes and the Savannah" in found
    assert "UN Economic Commission for the Lakes" not in found


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("McKinsey & Company and Swiss Re", ["McKinsey & Company", "Swiss Re"]),
        ("Bill & Melinda Gates Foundation", ["Bill & Melinda Gates Foundation"]),
        ("Ministry of Health and Family Welfare", ["Ministry of Health and Family Welfare"]),
        (
            "Senckenberg Research Institute and Natural History Museum",
            ["Senckenberg Research Institute and Natural History Museum"],
        ),
    ],
)
def test_a_company_then_and_then_a_short_name_are_two_bodies(text: str, names: list[str]) -> None:
    assert [part.text for part in split_and(OffsetText.at(text, 0))] == names


def test_a_semicolon_parts_two_ministries_that_portfolio_commas_would_join() -> None:
    html = (
        "<h1>Urban Procurement Partnership</h1><p>Programme description. The programme was launched in "
        "2017 and is coordinated by the City of Haarlem.</p><h2>Members</h2><table>"
        "<tr><th>Member</th><th>Type</th><th>Country</th></tr>"
        "<tr><td>Eurocities</td><td>Network</td><td>Belgium</td></tr>"
        "<tr><td>Ministry of Economy; Ministry of Finance, Planning and Trade</td><td>Government</td>"
        "<td>Slovenia</td></tr></table>"
    )
    names = {p.name for p in _extract_html(html).partners}
    assert {"Ministry of Economy", "Ministry of Finance, Planning and Trade"} <= names
    assert not any(";" in name or name.startswith("Ministry of Economy,") for name in names)
