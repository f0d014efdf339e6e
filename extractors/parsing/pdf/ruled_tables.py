"""Tables drawn with rules, found by pdfplumber's table finder: their cells and the words in each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractors.parsing.pdf.words import Word
from extractors.parsing.rule_stacks import rule_stacks


@dataclass
class RuledTable:
    index: int  # the document's table number, given when the table's lines are made
    top: float
    cells: list[tuple[int, int, tuple[float, float, float, float]]]
    words: dict[tuple[int, int], list[Word]] = field(default_factory=dict)


def find_ruled_tables(page: Any) -> list[RuledTable]:
    """The page's ruled tables, without words yet; none when the finder fails."""
    # Table finding walks every ruling edge; without rulings it only costs time.
    if not (page.rects or page.lines):
        return []
    try:
        found = page.find_tables()
    except Exception:  # a failed table guess must not lose the page's text
        return []
    tables = []
    for table in found:
        cells = [
            (r, c, (float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])))
            for r, row in enumerate(table.rows)
            for c, bbox in enumerate(row.cells)
            if bbox is not None
        ]
        if len(cells) < 2:
            continue  # a frame around text, not a table
        tables.append(RuledTable(index=-1, top=float(table.bbox[1]), cells=cells))
    for stacked in _rule_stack_tables(page):
        # Only where the finder saw no table but a header band: a table it found keeps its own
        # rows, and rules stacked past it (a divider, the next table) are not its rows.
        overlapping = [t for t in tables if _overlaps(_bbox(t), _bbox(stacked))]
        if all(_rows(t) == 1 for t in overlapping):
            tables = [t for t in tables if t not in overlapping] + [stacked]
    return sorted(tables, key=lambda t: t.top)


# A table ruled only across: a rule under each row (CSS 'border-bottom' on the cells), perhaps a
# filled header row, no rules down. Browsers draw each cell's rule as its own segment, so the
# segments' ends give the column boundaries that pdfplumber's finder would need vertical rules for.
_ROW_RULE_THICKNESS = 2.5  # points: a rule, not a filled band
_HEADER_BAND = 40.0  # points: a filled header row's height at most
_SAME = 2.0  # points: two rules' ends or two boundaries this close are the same
_MAX_ROW = 200.0  # points between two rules of one table


def _segments(page: Any) -> list[tuple[float, float, float]]:
    """Horizontal segments (y, x0, x1): thin rects, lines, and the two edges of thin filled bands."""
    found: list[tuple[float, float, float]] = []
    for rect in page.rects:
        x0, x1, top, bottom = float(rect["x0"]), float(rect["x1"]), float(rect["top"]), float(rect["bottom"])
        if x1 - x0 < 10:
            continue
        if bottom - top <= _ROW_RULE_THICKNESS:
            found.append(((top + bottom) / 2, x0, x1))
        elif bottom - top <= _HEADER_BAND and rect.get("fill"):
            found.extend([(top, x0, x1), (bottom, x0, x1)])
    for line in page.lines:
        if abs(float(line["top"]) - float(line["bottom"])) <= _ROW_RULE_THICKNESS:
            found.append((float(line["top"]), float(line["x0"]), float(line["x1"])))
    return found


def _rule_stack_tables(page: Any) -> list[RuledTable]:
    by_y: dict[float, list[tuple[float, float]]] = {}
    for y, x0, x1 in sorted(_segments(page)):
        key = next((k for k in by_y if abs(k - y) <= _SAME), y)
        by_y.setdefault(key, []).append((x0, x1))
    # A rule across: its extent and the inner ends of its segments (the column boundaries).
    rules = []
    for y, parts in sorted(by_y.items()):
        left, right = min(a for a, _ in parts), max(b for _, b in parts)
        inner = sorted({round(x, 1) for a, b in parts for x in (a, b) if left + _SAME < x < right - _SAME})
        rules.append((y, left, right, inner))
    tables: list[RuledTable] = []
    for stack in rule_stacks(rules, lambda r: (r[0], r[1], r[2]), same=_SAME, max_row=_MAX_ROW):
        boundaries = _shared(stack)
        if boundaries:
            cols = [stack[0][1], *boundaries, stack[0][2]]
            ys = [r[0] for r in stack]
            cells = [
                (r, c, (cols[c], ys[r], cols[c + 1], ys[r + 1]))
                for r in range(len(ys) - 1)
                for c in range(len(cols) - 1)
            ]
            tables.append(RuledTable(index=-1, top=ys[0], cells=cells))
    return tables


def _shared(stack: list[tuple[float, float, float, list[float]]]) -> list[float]:
    """Column boundaries most rules of the stack have, so a lone segment break is no column."""
    counts: list[list[float]] = []
    for _, _, _, inner in stack:
        for x in inner:
            group = next((g for g in counts if abs(g[0] - x) <= _SAME), None)
            if group is None:
                counts.append([x, 1])
            else:
                group[1] += 1
    return sorted(x for x, n in counts if n * 2 > len(stack))


def _bbox(table: RuledTable) -> tuple[float, float, float, float]:
    return (
        min(b[0] for _, _, b in table.cells),
        min(b[1] for _, _, b in table.cells),
        max(b[2] for _, _, b in table.cells),
        max(b[3] for _, _, b in table.cells),
    )


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _rows(table: RuledTable) -> int:
    return len({r for r, _, _ in table.cells})


def place_words(words: list[Word], tables: list[RuledTable]) -> list[Word]:
    """Each word whose centre falls in a table cell put into that cell; the words outside every table."""
    flow: list[Word] = []
    for word in words:
        cx, cy = word.center_x, (word.top + word.bottom) / 2
        for table in tables:
            cell = next(
                (
                    (r, c)
                    for r, c, (x0, top, x1, bottom) in table.cells
                    if x0 <= cx <= x1 and top <= cy <= bottom
                ),
                None,
            )
            if cell is not None:
                table.words.setdefault(cell, []).append(word)
                break
        else:
            flow.append(word)
    return flow
