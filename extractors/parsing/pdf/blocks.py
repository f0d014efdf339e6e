"""Paragraph breaks: which lines start a new block, from leading, indents, regions and page breaks."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from extractors.parsing.pdf.lines import Line

# "21. " or "a. ": a list enumerator, or a number a wrapped sentence happened to put at a line start.
_DOT_ENUMERATOR = re.compile(r"^\s*(?:\d{1,2}|[a-z])\.\s")
_INDENT_TOLERANCE = 3.0  # points; glyph side bearings make aligned lines differ by ~1pt


def mark_blocks(lines: Sequence[Line]) -> None:
    """Sets ``new_block`` on each line that starts a paragraph, list item or cell (lines in reading order)."""
    pitches = [
        b.top - a.top
        for a, b in zip(lines, lines[1:], strict=False)
        if a.region == b.region and abs(a.size - b.size) < 0.5 and b.top > a.top
    ]
    # The normal leading is the smallest common pitch; forms have more paragraph gaps than wraps.
    typical = statistics.quantiles(pitches, n=4)[0] if len(pitches) >= 4 else None
    # The leading of each font size, where most lines of that size share it to a fraction of
    # a point (typeset text): then even tight paragraph spacing shows as a larger pitch.
    by_size: dict[float, list[float]] = {}
    for a, b in zip(lines, lines[1:], strict=False):
        if a.region == b.region and a.page == b.page and a.size == b.size and b.top > a.top:
            by_size.setdefault(a.size, []).append(b.top - a.top)
    leading: dict[float, float] = {}
    for size, values in by_size.items():
        if len(values) >= 8:
            lead = statistics.quantiles(values, n=4)[0]
            if sum(abs(v - lead) <= 0.6 for v in values) * 2 >= len(values):
                leading[size] = lead
    right_edges: dict[tuple[int, int], float] = {}
    for line in lines:
        key = (line.page, line.region)
        right_edges[key] = max(right_edges.get(key, 0.0), line.x1)
    first: Line | None = None
    block_len = 0
    prev: Line | None = None
    for line in lines:
        if (
            line.list_item
            and prev is not None
            and prev.region == line.region
            and _DOT_ENUMERATOR.match(line.text)
            and _wraps(prev.text)
            and line.top - prev.top <= 1.5 * max(line.height, prev.height)
        ):
            # "...Local Agenda / 21. However": a number that a wrapped sentence put at a line start.
            line.list_item = False
        if prev is None or first is None:
            new = True
        elif line.page != prev.page:
            # A sentence running onto the next page stays one paragraph: the last line is full
            # width and stops mid-sentence (a short last line ends a field, as in forms).
            new = not (
                _wraps(prev.text)
                and prev.x1 - prev.margin >= 0.85 * (right_edges[(prev.page, prev.region)] - prev.margin)
                and not line.list_item
                and line.table is None
                and prev.table is None
                and abs(line.size - prev.size) < 0.5
                and abs((line.x0 - line.margin) - (prev.x0 - prev.margin)) < _INDENT_TOLERANCE
            )
        elif line.region != prev.region or line.list_item:
            new = True
        else:
            height = max(line.height, prev.height)
            threshold = 1.5 * height if typical is None else max(1.5 * height, 1.25 * typical)
            size_leading = leading.get(line.size) if abs(line.size - prev.size) < 0.5 else None
            if size_leading is not None:
                # Set leading is exact: a gap a few points over it is paragraph spacing.
                threshold = min(threshold, size_leading + max(2.5, 0.2 * size_leading))
            pitch = line.top - prev.top
            dx = line.x0 - prev.x0
            centred = abs((line.x0 + line.x1) / 2 - (prev.x0 + prev.x1) / 2) < _INDENT_TOLERANCE
            new = False
            if abs(line.size - prev.size) >= 1.0 or pitch > threshold or pitch < -0.5 * height:
                new = True
            elif dx > _INDENT_TOLERANCE:
                # Deeper lines continue a list item (hanging indent); otherwise they start a block.
                new = not (first.list_item or centred)
            elif dx < -_INDENT_TOLERANCE:
                # Back to the margin after one indented line is a first-line indent.
                new = not ((block_len == 1 and not first.list_item) or centred)
        if new:
            first, block_len = line, 0
        line.new_block = new
        block_len += 1
        prev = line


def _wraps(text: str) -> bool:
    """The line ends mid-sentence, so the next line continues it."""
    return bool(text) and (text[-1].isalnum() or text[-1] in ",-–(&/")
