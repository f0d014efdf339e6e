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


def _phases(text: str, name: str = "doc.txt") -> set[tuple[str, str | None]]:
    extraction = extract_document(parse_document(text.encode(), name), "d")
    return {(d.start, d.end) for d in extraction.dates if d.role == "phase"}


def test_a_phase_table_under_a_phase_header_gives_every_row_its_span_whatever_its_name() -> None:
    html = (
        "<html><body><h1>Safe Seas Programme</h1><p>The programme was launched in 2006 and is funded by "
        "the European Commission.</p><h2>Phases</h2><table>"
        "<tr><th>Period</th><th>Project</th><th>Main focus</th></tr>"
        "<tr><td>2006-2008</td><td>Safe Seas I</td><td>Assessment of the administrations in 2007</td></tr>"
        "<tr><td>2009–2012</td><td>Safe Seas II</td><td>Port State control</td></tr></table>"
        "<h2>Partners</h2><table><tr><td>Duration of the grant agreement</td><td>Since 2006, renewed</td></tr>"
        "</table></body></html>"
    )
    assert _phases(html, "doc.html") == {("2006", "2008"), ("2009", "2012")}


def test_a_phase_label_keeps_its_span_after_a_short_title_a_verb_or_a_line_break() -> None:
    text = (
        "Coastal Reef Programme\n\n"
        "The programme was launched by the Government in 1998 and is run by the Ministry.\n\n"
        "Phase 2: Scaling up (2010–2013)\n"
        "Phase I ran from 1999 to 2003 with pilot sites.\n"
        "Phase III — Institutionalization\n"
        "from 2014 (indicative)\n"
        "Phase IV was approved in 2015 by the Board.\n"
        "The strategy covered the period 2006–2010.\n"
    )
    assert _phases(text) == {("2010", "2013"), ("1999", "2003"), ("2014", None)}
