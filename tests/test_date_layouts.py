"""Dates in the layouts other writers use: numbered labels, dot leaders, launch labels and sentences."""

from __future__ import annotations

from extractors.extract import extract_document
from extractors.parsing import parse_document


def _dates(text: str, name: str = "doc.txt") -> dict[str, tuple[str, str | None]]:
    extraction = extract_document(parse_document(text.encode(), name), "d")
    return {d.role: (d.start, d.end) for d in extraction.dates}


def test_a_sheet_labels_its_dates_with_letter_numbers_and_dot_leaders() -> None:
    html = (
        "<html><body><h1>Partnership Information Sheet</h1><table>"
        "<tr><td>A.1 Name of partnership</td><td>Rural Water Initiative</td></tr>"
        "<tr><td>A.3 Date of launch</td><td>2003</td></tr>"
        "<tr><td>A.4 Expected date of completion</td><td>2025</td></tr></table></body></html>"
    )
    assert _dates(html, "doc.html") == {"initiation": ("2003", None), "completion": ("2025", None)}
    text = (
        "PARTNERSHIP INFORMATION SHEET\n"
        "Partnership / initiative name ....... Wetland Count\n"
        "Time frame .......................... May 2004 - 2010\n"
        "Lead organisation ................... The Wetland Union\n"
    )
    assert _dates(text) == {"initiation": ("2004-05", None), "completion": ("2010", None)}


def test_a_programme_is_dated_by_its_launch_label_or_the_sentence_that_launches_it() -> None:
    labelled = (
        "Cleaner Production Centres Programme\n\nThe programme helps industry use resources well. "
        "It is implemented by the Industry Agency and funded by Norway.\n\n"
        "Programme phases\n\nPhase I (1995-1999): pilot centres. Phase II (2000-2005): national centres.\n\n"
        "Launched\n1994, under a memorandum of understanding between two agencies.\n"
    )
    assert _dates(labelled)["adoption"] == ("1994", None)
    told = (
        "SafeSea — Co-operation on Maritime Safety\n\nBackground\n\nShipping is growing fast in the region.\n\n"
        "Who runs it\nSafeSea was launched in 2006 as a regional project of the Union.\n"
    )
    assert _dates(told)["adoption"] == ("2006", None)
