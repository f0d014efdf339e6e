"""Heading levels from font size: sizes well above the body text's, largest first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from extractors.parsing.pdf.lines import Line


def mark_headings(lines: Sequence[Line]) -> None:
    """Sets ``heading_level`` (1-3) on lines set larger than the body text, out of tables."""
    # The body size is the one most characters share: short lines set larger (headings) must not outvote it.
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    if not sizes:
        return
    body = sizes.most_common(1)[0][0]
    heading_sizes = sorted(
        {
            line.size
            for line in lines
            if line.table is None and line.size >= 1.15 * body and sum(ch.isalnum() for ch in line.text) >= 2
        },
        reverse=True,
    )
    levels = {size: min(rank + 1, 3) for rank, size in enumerate(heading_sizes)}
    for line in lines:
        if line.table is None and sum(ch.isalnum() for ch in line.text) >= 2:
            line.heading_level = levels.get(line.size, 0)
