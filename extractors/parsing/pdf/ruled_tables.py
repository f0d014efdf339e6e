"""Tables drawn with rules, found by pdfplumber's table finder: their cells and the words in each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractors.parsing.pdf.words import Word


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
    return tables


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
