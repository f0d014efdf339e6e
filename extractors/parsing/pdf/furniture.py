"""Page furniture: running headers, footers and page numbers, found across pages and dropped."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence

from extractors.parsing.pdf.lines import Line

# Page furniture: lone page numbers ("7", "- 7 -", "Page 7", "Page 7 of 9", "7/9", "p. 7");
# a bare number has at most three digits, so that a year alone on a line stays.
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?"
    r"|[-–—]\s*\d{1,4}\s*[-–—]|\[\s*\d{1,4}\s*\])$",
    re.IGNORECASE,
)
# The same, unmistakable wherever on the page it stands: "- 7 -", "Page 7", "Page 7 of 9".
_PAGE_NUMBER_STRONG = re.compile(
    r"^(?:(?:page|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])$", re.IGNORECASE
)
# A running header or footer that starts or ends with the page number: "Report · page 2", "Page 1 of 3 Sheet".
_PAGE_PHRASE = r"(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])"
_HAS_PAGE_NUMBER = re.compile(rf"^{_PAGE_PHRASE}\s|\s{_PAGE_PHRASE}$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_EDGE_LINES = 2  # rows at the top and at the bottom of a page where running headers and footers sit


def _furniture_key(text: str) -> str:
    """A line's text with page-dependent parts ignored: digits, case, spacing."""
    return " ".join(_DIGITS.sub("#", text.casefold()).split())


def _edge_lines(page_lines: Sequence[Line]) -> set[int]:
    """ids of the lines in the first and last few visual rows of a page (out of tables)."""
    rows = sorted({round(line.top) for line in page_lines})
    edge_rows = set(rows[:_EDGE_LINES]) | set(rows[-_EDGE_LINES:])
    return {id(line) for line in page_lines if round(line.top) in edge_rows}


def drop_page_furniture(lines: Sequence[Line]) -> list[Line]:
    """The lines minus running headers, footers and page numbers.

    A running header or footer is a line at the top or bottom of most pages whose
    text, digits aside, repeats ("Page 2 of 3", "Report · page 2", a sheet title).
    A page-number line ("- 2 -", "Page 2 of 3") goes wherever it stands; a bare
    number only at a page edge. A line that recurs with only its leading or trailing
    page number changed ("Report page 1", "Report page 2") goes even in mid-page,
    once one copy stands at a page edge (a converter that ignored a page break).
    Lines in tables stay: a table row repeated on every page is content.
    """
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    edge: set[int] = set()
    for page_lines in pages.values():
        edge |= _edge_lines([line for line in page_lines if line.table is None])
    edge_lines: dict[str, list[Line]] = {}
    occurrences: dict[str, list[Line]] = {}
    for line in lines:
        if line.table is not None:
            continue
        key = _furniture_key(line.text)
        occurrences.setdefault(key, []).append(line)
        if id(line) in edge:
            edge_lines.setdefault(key, []).append(line)
    n_pages = len(pages)
    running = set()
    for key, found in edge_lines.items():
        # Printed at the same height on each page, as page templates put them.
        middle = statistics.median([line.top for line in found])  # found: one line at least
        seen = {line.page for line in found if abs(line.top - middle) <= 3.0}
        if n_pages >= 2 and len(seen) >= max(2, math.ceil(0.5 * n_pages)) and any(ch.isalnum() for ch in key):
            running.add(key)
    for key, found in occurrences.items():
        if (
            key in edge_lines
            and len(found) >= 2
            and all(_HAS_PAGE_NUMBER.search(line.text) for line in found)
            and len({line.text for line in found}) == len(found)
        ):
            running.add(key)  # the same words with a different page number each time
    kept = []
    for line in lines:
        text = line.text.strip()
        if line.table is None and (
            _furniture_key(text) in running
            or _PAGE_NUMBER_STRONG.match(text)
            or (id(line) in edge and _PAGE_NUMBER.match(text))
        ):
            continue
        kept.append(line)
    return kept
