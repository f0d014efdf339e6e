"""Ruled tables in scanned pages: find the rules, erase them before OCR, and place words in cells.

Tesseract reads a ruled table badly: the rules turn into glyphs ("‘(", "———S*iS") and words of
neighbouring cells run together. A scan's rules are long straight runs of dark pixels, so they
are found by counting runs along rows and columns (no model), erased from the image tesseract
reads, and used afterwards as the grid that gives each word its row and column, as pdfplumber's
table finder does for a PDF with a text layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from extractors.parsing.rule_stacks import rule_stacks

# Grey level below which a pixel may belong to a rule: light grey rules (#ddd) count, since only
# long straight runs are taken and glyphs never make those.
_DARK = 235
# At 300 dpi: a rule is at least ~1.3 cm long (a short cell's side) and at most ~1 mm thick,
# so underlined words and letters' strokes are not rules.
_MIN_RULE = 150
_MAX_THICKNESS = 12
_MAX_BAND = 160  # a shaded row's band, at most ~1.35 cm high: thicker ink is a picture or a banner
_MERGE = 6  # pixel rows (or columns) closer than this belong to one rule
_GAP = 12  # along a rule, segments this close are one rule (cells drawn one by one)
_ERASE_MARGIN = 2
_OPEN_EDGE = 30  # side rules running this far past the last rule across: a row with no rule under it


@dataclass(frozen=True)
class Rule:
    """One horizontal or vertical rule: its position across and its extent along, in pixels."""

    at: float
    start: int
    end: int
    low: int  # the pixel lines the rule's thickness covers
    high: int


@dataclass
class Grid:
    """A ruled table: row boundaries (y) and column boundaries (x), in pixels, top-left origin."""

    rows: list[float]
    cols: list[float]
    words: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    open_columns: bool = False  # ruled only across: columns come from the words' gutters

    @property
    def top(self) -> float:
        return self.rows[0]

    def cell_of(self, x: float, y: float) -> tuple[int, int] | None:
        """Row and column of a point inside the grid, else None."""
        if not (self.rows[0] < y < self.rows[-1] and self.cols[0] < x < self.cols[-1]):
            return None
        row = sum(y > b for b in self.rows[1:-1])
        col = sum(x > b for b in self.cols[1:-1])
        return row, col


def _runs(mask: np.ndarray, min_length: int) -> list[tuple[int, int, int]]:
    """(line index, start, end) of every run of True of at least ``min_length`` along axis 1."""
    found: list[tuple[int, int, int]] = []
    padded = np.pad(mask, ((0, 0), (1, 1)))
    edges = np.diff(padded.astype(np.int8), axis=1)
    candidates = np.nonzero(mask.sum(axis=1) >= min_length)[0]
    for index in candidates:
        starts = np.nonzero(edges[index] == 1)[0]
        ends = np.nonzero(edges[index] == -1)[0]
        for start, end in zip(starts, ends, strict=True):
            if end - start >= min_length:
                found.append((int(index), int(start), int(end)))
    return found


def _rules(mask: np.ndarray, min_length: int) -> list[Rule]:
    """Runs on nearby pixel lines that meet or overlap along are one rule: a rule is several
    pixels thick, and a table's rule is drawn cell by cell, with a pixel or two between cells."""
    groups: list[list[int]] = []  # [first line, last line, start, end]
    for index, start, end in sorted(_runs(mask, min_length)):
        for group in groups:
            if index - group[1] <= _MERGE and start <= group[3] + _GAP and end >= group[2] - _GAP:
                group[1] = max(group[1], index)
                group[0] = min(group[0], index)
                group[2], group[3] = min(group[2], start), max(group[3], end)
                break
        else:
            groups.append([index, index, start, end])
    merged = True
    while merged:  # segments of one rule found on different pixel lines join up
        merged = False
        for a in groups:
            for b in groups:
                if a is not b and abs(a[0] - b[0]) <= _MERGE and b[2] <= a[3] + _GAP and b[3] >= a[2] - _GAP:
                    a[0], a[1] = min(a[0], b[0]), max(a[1], b[1])
                    a[2], a[3] = min(a[2], b[2]), max(a[3], b[3])
                    groups.remove(b)
                    merged = True
                    break
            if merged:
                break
    rules = [
        Rule(at=(low + high) / 2, start=start, end=end, low=low, high=high)
        for low, high, start, end in groups
        if high - low <= _MAX_THICKNESS
    ]
    # A shaded header row is one band of ink with its rules inside it: its edges are the rules
    # above and below the row.
    for low, high, start, end in groups:
        if _MAX_THICKNESS < high - low <= _MAX_BAND:
            rules.append(Rule(at=float(low), start=start, end=end, low=low, high=low))
            rules.append(Rule(at=float(high), start=start, end=end, low=high, high=high))
    return sorted(rules, key=lambda rule: (rule.at, rule.start))


def find_rules(image: Any) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical rules of a greyscale page image."""
    ink = np.asarray(image.convert("L")) < _DARK
    return _rules(ink, _MIN_RULE), _rules(ink.T, _MIN_RULE)


def _crosses(h: Rule, v: Rule, slack: float = 8) -> bool:
    return v.start - slack <= h.at <= v.end + slack and h.start - slack <= v.at <= h.end + slack


def find_grids(horizontal: list[Rule], vertical: list[Rule]) -> list[Grid]:
    """Tables: at least three horizontal rules (two rows) joined by at least two vertical rules
    that cross them, or one row divided into columns (a table's last row overleaf). A lone rule
    (a heading's underline, a box around a paragraph) is no table."""
    grids: list[Grid] = []
    used: set[int] = set()
    ordered = sorted(range(len(horizontal)), key=lambda i: horizontal[i].at)
    for first in ordered:
        if first in used:
            continue
        sides = [v for v in vertical if _crosses(horizontal[first], v)]
        if len(sides) < 2:
            continue
        members = [
            i for i in ordered if i not in used and sum(_crosses(horizontal[i], v) for v in sides) >= 2
        ]
        if len(members) < 3 and not (len(members) == 2 and len(sides) >= 3):
            continue  # two rules and two sides box a paragraph; with a divider they are a table's row
        used.update(members)
        rows = _distinct(sorted({round(horizontal[i].at) for i in members}))
        cols = _distinct(sorted({round(v.at) for v in sides}))
        # A table cut by the page break has side rules but no rule closing it.
        top, bottom = min(v.start for v in sides), max(v.end for v in sides)
        if rows[0] - top > _OPEN_EDGE:
            rows.insert(0, float(top))
        if bottom - rows[-1] > _OPEN_EDGE:
            rows.append(float(bottom))
        grids.append(Grid(rows=rows, cols=cols))
    return [
        g for g in grids if len(g.cols) >= 2 and (len(g.rows) >= 3 or len(g.rows) == 2 and len(g.cols) >= 3)
    ]


_STACK_SAME_EXTENT = 20  # pixels: rules of one rules-only table start and end together
_STACK_MAX_ROW = 700  # pixels between two rules of one table (~6 cm)
_HEADER_REACH = 75  # pixels above the first rule where a header row's words stand
_MIN_GUTTER = 30  # pixels of white down every row between two columns


def find_rule_stacks(horizontal: list[Rule], grids: list[Grid]) -> list[Grid]:
    """Tables ruled only across (a rule under each row, none down): three or more rules of one
    extent, close together. Their columns are not drawn; ``settle_columns`` finds them in the words."""
    free = sorted(
        (r for r in horizontal if not any(g.rows[0] - 5 <= r.at <= g.rows[-1] + 5 for g in grids)),
        key=lambda r: r.at,
    )
    stacks: list[Grid] = []
    for stack in rule_stacks(
        free, lambda r: (r.at, r.start, r.end), same=_STACK_SAME_EXTENT, max_row=_STACK_MAX_ROW
    ):
        rows = [max(0.0, stack[0].at - _HEADER_REACH), *(r.at for r in stack)]
        stacks.append(Grid(rows=rows, cols=[float(stack[0].start), float(stack[-1].end)], open_columns=True))
    return stacks


def settle_columns(grid: Grid, boxes: list[tuple[float, float, float, float]]) -> None:
    """Columns of a rules-only table: the white gutters that run down all its rows.

    A rule under the table's last row may be a divider further down: a paragraph across the page
    between them leaves no gutter, so the table ends at the rule before."""
    _gutters(grid, boxes)
    while len(grid.cols) < 3 and len(grid.rows) > 4:
        grid.rows.pop()
        _gutters(grid, boxes)


def _gutters(grid: Grid, boxes: list[tuple[float, float, float, float]]) -> None:
    left, right = int(grid.cols[0]), int(grid.cols[-1])
    inked = np.zeros(max(1, right - left), dtype=bool)
    for x0, top, x1, bottom in boxes:
        centre = (top + bottom) / 2
        if grid.rows[0] < centre < grid.rows[-1]:
            inked[max(0, int(x0) - left) : max(0, int(x1) - left)] = True
    bounds: list[float] = []
    run_start: int | None = None
    seen_ink = False
    for x, ink in enumerate(inked):
        if ink:
            if run_start is not None and seen_ink and x - run_start >= _MIN_GUTTER:
                bounds.append(left + (run_start + x) / 2)
            run_start = None
            seen_ink = True
        elif run_start is None:
            run_start = x
    grid.cols = [float(left), *bounds, float(right)]


def _distinct(bounds: list[int], gap: int = 15) -> list[float]:
    out: list[float] = []
    for b in bounds:
        if not out or b - out[-1] > gap:
            out.append(float(b))
    return out


def erase_rules(image: Any, horizontal: list[Rule], vertical: list[Rule]) -> Any:
    """A copy of the image with the rules painted white, so tesseract reads only the words."""
    pixels = np.array(image.convert("L"))
    m = _ERASE_MARGIN
    for rule in horizontal:
        pixels[max(0, rule.low - m) : rule.high + m + 1, rule.start : rule.end] = 255
    for rule in vertical:
        pixels[rule.start : rule.end, max(0, rule.low - m) : rule.high + m + 1] = 255
    from PIL import Image

    return Image.fromarray(pixels)
