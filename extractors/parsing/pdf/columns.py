"""Two- and three-column pages: the gutters between text columns, and the rows that cross them."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from extractors.parsing.pdf.words import Word


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def text_extent(words: Sequence[Word]) -> tuple[float, float] | None:
    """The words' left and right edges, when the width between them can size one bin or bit per
    point: absurd coordinates (broken files) must not."""
    x_min, x_max = min(w.x0 for w in words), max(w.x1 for w in words)
    if not (250 <= x_max - x_min <= 5000) or not math.isfinite(x_min):
        return None
    return x_min, x_max


def middle_strip(words: Sequence[Word]) -> tuple[int, int] | None:
    """The x-range (whole points) where a gutter may lie: the middle 60% of the text's width."""
    extent = text_extent(words)
    if extent is None:
        return None
    x_min, x_max = extent
    width = x_max - x_min
    return int(x_min + 0.2 * width), int(x_max - 0.2 * width)


def prose_like(segment: Sequence[Word]) -> bool:
    """Words set as running text: no gap wider than about an em (tables have wide gaps),
    or a justified line: words whose gaps were all stretched alike."""
    gaps = [b.x0 - a.x1 for a, b in zip(segment, segment[1:], strict=False)]
    em = max((w.size for w in segment), default=1.0) or 1.0
    if all(gap <= em for gap in gaps):
        return True
    return (
        len(gaps) >= 2
        and max(gaps) - min(gaps) <= 0.5
        and max(gaps) <= 4 * em
        and sum(any(ch.isalpha() for ch in w.text) for w in segment) * 2 > len(segment)
    )


def split_at(row: Sequence[Word], cuts: Sequence[float]) -> list[list[Word]]:
    """The row's words by column: one list per column between the cuts (x positions)."""
    segments: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
    for w in row:
        segments[sum(w.center_x >= cut for cut in cuts)].append(w)
    return segments


def crosses_gutter(row: Sequence[Word], gutters: Sequence[tuple[float, float]]) -> bool:
    """The row runs across a gutter (a title over both columns), rather than stopping at it."""
    for g0, g1 in gutters:
        cut = (g0 + g1) / 2
        if any(w.x0 < cut < w.x1 for w in row):
            return True
        left = [w.x1 for w in row if w.center_x < cut]
        right = [w.x0 for w in row if w.center_x >= cut]
        if left and right and min(right) - max(left) < 0.5 * (g1 - g0):
            return True
    return False


def find_gutters(
    rows: Sequence[list[Word]], *, min_rows: int = 10, min_words: int = 60
) -> list[tuple[float, float]]:
    """The x-ranges between text columns, if the page clearly has two or three.

    A gutter is a vertical strip that (almost) no row crosses, with running text on
    each side. Tables and label/value forms also leave such strips, but their rows
    have wide gaps or short ragged cells, which the tests reject: reading a table or
    a form column by column would tear cells and labels from their rows.
    """
    words = [w for row in rows for w in row]
    strip = middle_strip(words) if len(rows) >= min_rows and len(words) >= min_words else None
    if strip is None:
        return []
    lo, hi = strip
    counts = [0] * (hi - lo + 1)
    for row in rows:
        covered: set[int] = set()
        for w in row:
            covered.update(range(max(lo, math.floor(w.x0)), min(hi, math.ceil(w.x1)) + 1))
        for x in covered:
            counts[x - lo] += 1
    allowed = max(1, len(rows) // 10)
    gutters: list[tuple[float, float]] = []
    start = None
    for i, count in enumerate([*counts, allowed + 1]):
        if count <= allowed and start is None:
            start = i
        elif count > allowed and start is not None:
            if i - start >= 8:
                gutters.append((float(lo + start), float(lo + i)))
            start = None
    if not gutters or len(gutters) > 2:
        return []
    split_rows = [
        split_at(row, [(g0 + g1) / 2 for g0, g1 in gutters])
        for row in rows
        if not crosses_gutter(row, gutters)
    ]
    full = [segments for segments in split_rows if all(segments)]
    if len(split_rows) < 0.85 * len(rows) or len(full) < 6 or len(full) < 0.25 * len(rows):
        return []
    segments = [segment for row in split_rows for segment in row if segment]
    if sum(map(prose_like, segments)) < 0.85 * len(segments):
        return []
    for col in range(len(gutters) + 1):
        column = [row[col] for row in split_rows if row[col]]
        x0 = min(w.x0 for seg in column for w in seg)
        x1 = max(w.x1 for seg in column for w in seg)
        fill = _median([(max(w.x1 for w in seg) - x0) / max(1.0, x1 - x0) for seg in column])
        if fill < 0.6 or _median([len(seg) for seg in column]) < 3:
            return []
    return gutters


# A band of a page set in columns: at least this many rows, and this many words.
_BAND_ROWS = 6
_BAND_WORDS = 40
_GUTTER_WIDTH = 8  # points of white a gutter needs (find_gutters' own minimum)


def coverage_mask(row: Sequence[Word], lo: int, hi: int) -> int:
    """The points from ``lo`` to ``hi`` the row's words cover, one bit per point."""
    mask = 0
    for w in row:
        a, b = max(lo, math.floor(w.x0)), min(hi, math.ceil(w.x1))
        if a <= b:
            mask |= ((1 << (b - a + 1)) - 1) << (a - lo)
    return mask


def has_gutter(free: int, width: int = _GUTTER_WIDTH) -> bool:
    """Whether a mask of free points holds a run of white at least ``width`` points wide."""
    run = free
    for _ in range(width - 1):
        run &= run >> 1
    return run != 0


def free_runs(free: int, lo: int, width: int = _GUTTER_WIDTH) -> list[tuple[float, float]]:
    """The x-ranges of white at least ``width`` points wide in a mask of free points from ``lo``."""
    runs: list[tuple[float, float]] = []
    x, start = 0, None
    while free >> x:
        if (free >> x) & 1:
            start = x if start is None else start
        elif start is not None:
            if x - start >= width:
                runs.append((float(lo + start), float(lo + x)))
            start = None
        x += 1
    if start is not None and x - start >= width:
        runs.append((float(lo + start), float(lo + x)))
    return runs


def find_column_bands(rows: Sequence[list[Word]]) -> list[tuple[int, int, list[tuple[float, float]]]]:
    """Runs of rows set in columns on a page that is not: (first row, end row, gutters).

    Brochures print part of a page in two boxes side by side ('Who runs it | Who funds it')
    under and over full-width text. Rows that share a strip of white in the middle of the page
    are a candidate band, found cheaply with one coverage bitmask per row; a band is kept when
    ``find_gutters`` accepts it as columns of running text, which rejects forms and tables.
    """
    words = [w for row in rows for w in row]
    strip = middle_strip(words) if len(rows) >= _BAND_ROWS and words else None
    if strip is None:
        return []
    lo, hi = strip
    span = hi - lo + 1
    middle = (1 << span) - 1

    def both_sides(row: Sequence[Word], cut: float) -> bool:
        return any(w.x1 < cut for w in row) and any(w.x0 > cut for w in row)

    masks = [coverage_mask(row, lo, hi) for row in rows]
    bands: list[tuple[int, int, list[tuple[float, float]]]] = []
    rejected_end = -1
    i = 0
    while i <= len(rows) - _BAND_ROWS:
        free = middle & ~masks[i]
        if not has_gutter(free):
            i += 1
            continue
        j = i + 1
        while j < len(rows) and has_gutter(free & ~masks[j]):
            free &= ~masks[j]
            j += 1
        # The cheap test first: enough rows with text on both sides of the strip's first point.
        cut = lo + (free & -free).bit_length() - 1 + _GUTTER_WIDTH / 2
        full = sum(both_sides(row, cut) for row in rows[i:j])
        # A later start inside a rejected band ending at the same row is the same band, minus a row.
        if j - i >= _BAND_ROWS and full >= max(_BAND_ROWS, (j - i) // 4) and j != rejected_end:
            gutters = find_gutters(rows[i:j], min_rows=_BAND_ROWS, min_words=_BAND_WORDS)
            if gutters:
                bands.append((i, j, gutters))
                i = j
                continue
            rejected_end = j
        i += 1
    return bands
