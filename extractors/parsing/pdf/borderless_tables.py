"""Tables drawn without rules (HTML printed by Chromium): runs of rows whose cells share x positions."""

from __future__ import annotations

from collections.abc import Sequence

from extractors.parsing.pdf.words import Word

# Chromium sets the cells of one column at one x, to a fraction of a point.
COLUMN_TOLERANCE = 1.5  # points
_FIRST_CELL_WORDS = 6


def _starts_at(row: Sequence[Word], x: float) -> bool:
    return any(abs(w.x0 - x) <= COLUMN_TOLERANCE for w in row[1:])


def find_borderless_tables(rows: Sequence[list[Word]]) -> list[tuple[int, int, list[float], list[int]]]:
    """Runs of rows read as a table without rules: (first, end, column starts, table row of each row).

    Chromium prints an HTML table without borders as lines whose cells start at the same x,
    often with no more than a word space before them ("Theme Using information ..."). A run
    is three or more rows starting at one left edge with words starting at the same x further
    right, short first cells, and at least one gap wider than a word space before a column;
    a line starting at a column's x (a cell's wrapped text) continues the row above it. A
    bold line just above the run with a wide gap is its header row.
    """
    runs: list[tuple[int, int, list[float], list[int]]] = []
    i = 0
    while i < len(rows) - 2:
        left = rows[i][0].x0
        shared = [w.x0 for w in rows[i][1:]]
        table_rows = [0]
        j = i + 1
        while j < len(rows) and shared:
            row = rows[j]
            if row[0].top - max(w.bottom for w in rows[j - 1]) > 1.5 * max(w.height for w in row):
                break
            if row[0].x0 < min(shared) - COLUMN_TOLERANCE and abs(row[0].x0 - left) <= 4 * max(
                w.size for w in row
            ):
                common = [x for x in shared if _starts_at(row, x)]
                if not common:
                    break
                shared = common
                table_rows.append(table_rows[-1] + 1)
            elif any(abs(row[0].x0 - x) <= COLUMN_TOLERANCE for x in shared):
                table_rows.append(table_rows[-1])
            else:
                break
            j += 1
        if table_rows[-1] >= 2 and shared and _cells_like(rows[i:j], shared[0], table_rows):
            if i > 0 and _header_above(rows[i - 1], rows[i], shared[0]):
                i, table_rows = i - 1, [0, *[r + 1 for r in table_rows]]
            runs.append((i, j, sorted(shared), table_rows))
            i = j
        else:
            i += 1
    return runs


def _cells_like(rows: Sequence[list[Word]], x: float, table_rows: Sequence[int]) -> bool:
    # The rows that open a table row (a wrapped cell's line continues the row above it).
    firsts = [row for row, r, prev in zip(rows, table_rows, [-1, *table_rows[:-1]], strict=True) if r != prev]
    before = [[w for w in row if w.x0 < x - COLUMN_TOLERANCE] for row in firsts]
    if any(len(cell) > _FIRST_CELL_WORDS or not cell for cell in before):
        return False
    if all(cell[-1].text.endswith(":") for cell in before):
        return False  # "Label: value" lines: the colon joins each value to its label already
    gaps = [
        (min(w.x0 for w in row if w.x0 >= x - COLUMN_TOLERANCE) - max(w.x1 for w in cell))
        / max(w.size for w in row)
        for row, cell in zip(firsts, before, strict=True)
    ]
    return max(gaps) >= 0.6


def _header_above(row: Sequence[Word], first: Sequence[Word], x: float) -> bool:
    gaps = [b.x0 - a.x1 for a, b in zip(row, row[1:], strict=False)]
    em = max(w.size for w in row)
    close = first[0].top - max(w.bottom for w in row) <= 1.5 * max(w.height for w in first)
    return (
        close and all(w.bold for w in row) and bool(gaps) and max(gaps) >= em and any(w.x1 > x for w in row)
    )
