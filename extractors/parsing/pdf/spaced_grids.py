"""Tables printed without rules whose rows are told apart by white space, not baselines.

HTML centres a cell in its row unless told otherwise, and LibreOffice prints a form table
without its CSS borders: a one-line label sits beside the middle of a three-line value, a
speaker's one-line name beside a two-line organisation, and the lines of a row's cells
interleave. Read line by line, labels land inside values and names inside the wrong row. What
still marks the table is a vertical strip of white no word crosses between each pair of
columns and, between rows, a band of white taller than the leading inside a cell.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extractors.parsing.pdf.columns import coverage_mask, free_runs, has_gutter, text_extent
from extractors.parsing.pdf.words import Word

_MIN_LINES = 6  # lines a grid spans at least
_MIN_ROWS = 3  # rows with text in the first column and in another
_MAX_COLUMNS = 8
_FIRST_CELL_WORDS = 12  # a first cell's words at most (a label, a name, a day)
_ROW_GAP = 0.6  # white between rows, in line heights: more than the leading inside a cell
_GUTTER = 4  # points of white between two columns' text, at least (cell padding on both sides)
_MARKER = re.compile(r"^(?:[•▪◦●○■□‣∙·*–-]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])$")
_EDGE = 0.05  # of the text's width at each side, where shared white is margin, not a gutter


@dataclass(frozen=True)
class SpacedGrid:
    """Lines ``first`` to ``end`` (exclusive) of the page read as a table: each row's cells, left
    to right, top to bottom (a cell may be empty)."""

    first: int
    end: int
    rows: tuple[tuple[list[Word], ...], ...]


def find_spaced_grids(
    rows: Sequence[list[Word]], skip: set[int] | frozenset[int] = frozenset()
) -> list[SpacedGrid]:
    """Runs of a page's lines that form a table told apart by white space; lines whose index is
    in ``skip`` (a table or a band of columns already read) belong to none."""
    extent = text_extent([w for row in rows for w in row]) if len(rows) >= _MIN_LINES else None
    if extent is None:
        return []
    x_min, x_max = extent
    # Rows share white somewhere inside the page's text edges (a margin is white every row shares).
    lo, hi = math.floor(x_min + _EDGE * (x_max - x_min)), math.ceil(x_max - _EDGE * (x_max - x_min))
    inside = (1 << (hi - lo + 1)) - 1
    masks = [coverage_mask(row, lo, hi) for row in rows]
    grids: list[SpacedGrid] = []
    i = 0
    while i <= len(rows) - _MIN_LINES:
        free = inside & ~masks[i]
        if i in skip or not has_gutter(free, _GUTTER):
            i += 1
            continue
        j = i + 1
        while j < len(rows) and j not in skip and has_gutter(free & ~masks[j], _GUTTER):
            free &= ~masks[j]
            j += 1
        # A heading right below the table ('4. Main outcomes') shares its white but is no row.
        size = statistics.median(w.size for row in rows[i:j] for w in row)
        while j - i > _MIN_LINES and min(w.size for w in rows[j - 1]) > 1.1 * size:
            j -= 1
        grid = None
        if j - i >= _MIN_LINES:
            # A line across a gutter before or after the table ('The panel was composed as
            # follows:') is running text the cuts tolerated, not a row.
            cuts = _cuts(rows[i:j])
            first, end = i, j
            while first < end and _crosses(rows[first], cuts):
                first += 1
            while end > first and _crosses(rows[end - 1], cuts):
                end -= 1
            if end - first >= _MIN_LINES:
                grid = _grid(rows, first, end, _cuts(rows[first:end]) if (first, end) != (i, j) else cuts)
        if grid is not None:
            grids.append(grid)
            i = j
        else:
            i += 1
    return grids


def _cuts(rows: Sequence[list[Word]]) -> list[float]:
    """Where the run's columns part: the middle of each strip of white between its text's edges
    that (almost) no row crosses; a cell spanning columns or a heading may."""
    words = [w for row in rows for w in row]
    lo, hi = math.floor(min(w.x0 for w in words)), math.ceil(max(w.x1 for w in words))
    # Rows covering each point, counted with a difference array over the rows' merged spans.
    steps = [0] * (hi - lo + 2)
    for row in rows:
        for a, b in _spans(row):
            steps[max(0, math.floor(a) - lo)] += 1
            steps[min(hi - lo + 1, math.ceil(b) - lo + 1)] -= 1
    allowed = len(rows) // 10
    free, covering = 0, 0
    for x in range(hi - lo + 1):
        covering += steps[x]
        if covering <= allowed:
            free |= 1 << x
    # White touching the text's edges is no gutter.
    cuts = [(a + b) / 2 for a, b in free_runs(free, lo, width=_GUTTER) if lo < a and b < hi]
    # The white after a list's bullets or numbers parts the markers from the items: no column.
    kept: list[float] = []
    for cut in cuts:
        left = kept[-1] if kept else -math.inf
        between = [w.text for w in words if left <= w.center_x < cut]
        if not all(_MARKER.match(text) for text in between):
            kept.append(cut)
    return kept


def _crosses(row: Sequence[Word], cuts: Sequence[float]) -> bool:
    """The line runs across a cut: a word over it, or only a word space where the gutter is."""
    ordered = sorted(row, key=lambda w: w.x0)
    for cut in cuts:
        if any(w.x0 < cut < w.x1 for w in ordered):
            return True
        if any(
            a.x1 <= cut <= b.x0 and b.x0 - a.x1 < _GUTTER for a, b in zip(ordered, ordered[1:], strict=False)
        ):
            return True
    return False


def _spans(row: Sequence[Word]) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    for w in sorted(row, key=lambda w: w.x0):
        if spans and w.x0 <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], w.x1))
        else:
            spans.append((w.x0, w.x1))
    return spans


def _grid(rows: Sequence[list[Word]], first: int, end: int, cuts: list[float]) -> SpacedGrid | None:
    if not cuts or len(cuts) >= _MAX_COLUMNS:
        return None
    words = sorted((w for row in rows[first:end] for w in row), key=lambda w: w.top)
    line = statistics.median(w.height for w in words)
    if len(cuts) == 1 and cuts[0] - min(w.x0 for w in words) >= max(w.x1 for w in words) - cuts[0]:
        return None  # a form's labels take the narrower column
    # Bands of text separated by white taller than a cell's leading.
    bands: list[list[Word]] = []
    bottom = -math.inf
    for word in words:
        if word.top - bottom > _ROW_GAP * line:
            bands.append([])
        bands[-1].append(word)
        bottom = max(bottom, word.bottom)

    def column(word: Word) -> int:
        at = sum(word.center_x >= cut for cut in cuts)
        # A bullet hung left of its cell's text belongs to the item after it, not to the cell before.
        return at + 1 if at < len(cuts) and _MARKER.match(word.text) and cuts[at] - word.x1 < 3 * line else at

    table_rows = _rows_of(bands, lambda band: any(column(w) == 0 for w in band))
    cells: tuple[tuple[list[Word], ...], ...] = tuple(
        tuple([w for w in row if column(w) == c] for c in range(len(cuts) + 1)) for row in table_rows
    )
    full = [row for row in cells if row[0] and any(row[1:])]
    if len(full) < _MIN_ROWS or len(full) * 2 < len(cells):
        return None
    if any(len(row[0]) > _FIRST_CELL_WORDS for row in cells):
        return None  # running text in the first column: no table's cell
    if not any(_interleaves(row, line) for row in full):
        return None  # each row's cells start on one line: read line by line, each row is right
    return SpacedGrid(first, end, cells)


def _interleaves(row: tuple[list[Word], ...], line: float) -> bool:
    """A row read line by line would mix its cells: a cell starts below another (a centred cell),
    or the first cell wraps beside the others."""
    tops = [min(w.top for w in cell) for cell in row if cell]
    first_lines = max(w.top for w in row[0]) - min(w.top for w in row[0])
    return max(tops) - min(tops) > 0.5 * line or first_lines > 0.5 * line


def _rows_of(bands: list[list[Word]], opens: Callable[[list[Word]], bool]) -> list[list[Word]]:
    """Bands of text as table rows: a row opens at each band with text in the first column.
    Bands without it between two such bands (a cell's paragraphs or list items, printed above
    and below its row's centred first cell) split at the widest white among them, the row
    boundary: before it they end the row above, after it they open the row below."""
    starts = [n for n, band in enumerate(bands) if opens(band)]
    if not starts:
        return []
    owner = list(range(len(bands)))
    for n in range(starts[0]):
        owner[n] = starts[0]  # text above the first row's first cell belongs to that row
    for left, right in zip(starts, [*starts[1:], len(bands)], strict=True):
        if right == len(bands):
            for n in range(left + 1, right):
                owner[n] = left
            continue
        # Gaps between consecutive bands left..right; the widest is where the next row starts.
        gaps = [_top(bands[n + 1]) - _bottom(bands[n]) for n in range(left, right)]
        boundary = left + max(range(len(gaps)), key=gaps.__getitem__)
        for n in range(left + 1, right):
            owner[n] = left if n <= boundary else right
    joined: dict[int, list[Word]] = {}
    for n, band in enumerate(bands):
        joined.setdefault(owner[n], []).extend(band)
    return [joined[n] for n in sorted(joined)]


def _top(band: list[Word]) -> float:
    return min(w.top for w in band)


def _bottom(band: list[Word]) -> float:
    return max(w.bottom for w in band)


__all__ = ["SpacedGrid", "find_spaced_grids"]
