"""Stacks of rules across: the rows of a table ruled only across, in a PDF's drawing or a scan's pixels.

A table with a rule under each row and none down shows itself as three or more horizontal rules that
start and end together and follow each other closely. ``pdf/ruled_tables.py`` (points, from the
PDF's drawn segments) and ``scan_tables.py`` (pixels, from the page image) both find them here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Rule = TypeVar("Rule")


def rule_stacks(
    rules: Sequence[Rule],
    extent: Callable[[Rule], tuple[float, float, float]],
    *,
    same: float,
    max_row: float,
    least: int = 3,
) -> list[list[Rule]]:
    """Runs of ``least`` or more rules, top to bottom, each starting and ending within ``same`` of
    the run's first rule and at most ``max_row`` below the rule before it. ``extent`` gives a rule's
    (position across, start, end); ``rules`` come sorted by position."""
    stacks: list[list[Rule]] = []
    i = 0
    while i < len(rules):
        _, start, end = extent(rules[i])
        j = i + 1
        while j < len(rules):
            at, s, e = extent(rules[j])
            if abs(s - start) > same or abs(e - end) > same or at - extent(rules[j - 1])[0] > max_row:
                break
            j += 1
        if j - i >= least:
            stacks.append(list(rules[i:j]))
        i = max(j, i + 1)
    return stacks
