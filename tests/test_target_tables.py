"""Targets printed as a table under a targets heading, whichever column holds the year."""

from __future__ import annotations

import pytest

from extractors.extract import extract_document
from extractors.parsing import parse_document


def _targets(body: str) -> dict[int | None, str]:
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    extraction = extract_document(parse_document(html.encode(), "doc.html"), "d")
    return {t.year: t.text for t in extraction.targets}


@pytest.mark.parametrize(
    "rows",
    [
        "<tr><td>Target</td><td>Year</td></tr>"
        "<tr><td>Regional review of training needs completed</td><td>2003</td></tr>"
        "<tr><td>Training framework endorsed by the ministers</td><td>2004</td></tr>",
        "<tr><td>Year</td><td>Target</td></tr>"
        "<tr><td>2003</td><td>Regional review of training needs completed</td></tr>"
        "<tr><td>2004</td><td>Training framework endorsed by the ministers</td></tr>",
    ],
)
def test_a_two_column_table_of_targets_gives_each_row_with_its_year(rows: str) -> None:
    targets = _targets(
        "<h1>Partnership Information Sheet</h1><p>Name of partnership: Island Learning Network</p>"
        f"<h2>Selected priority targets</h2><table>{rows}</table>"
        "<h2>Contact</h2><p>Ms. Ana Soto, ana@example.org</p>"
    )
    assert targets == {
        2003: "Regional review of training needs completed",
        2004: "Training framework endorsed by the ministers",
    }
