"""A PDF table ruled only across (a rule under each row, a filled header band, no rules down)."""

from __future__ import annotations

from types import SimpleNamespace

from extractors.parsing.pdf.ruled_tables import find_ruled_tables

COLUMNS = [(96, 167), (167, 303), (303, 424), (424, 516)]


def _page(rule_rows: list[float], *, header: bool = True, finder_rows: int = 1) -> SimpleNamespace:
    """What pdfplumber reports for a browser print: one filled rect per header cell, one thin rect
    per body cell's bottom border."""
    rects = []
    if header:
        rects += [{"x0": a, "x1": b, "top": 219, "bottom": 238, "fill": True} for a, b in COLUMNS]
    for y in rule_rows:
        rects += [{"x0": a, "x1": b, "top": y, "bottom": y + 0.8, "fill": True} for a, b in COLUMNS]

    def find_tables() -> list[SimpleNamespace]:
        # pdfplumber's finder sees the header band alone: it has no rules down the body.
        if not finder_rows:
            return []
        row = SimpleNamespace(cells=[(a, 219, b, 238) for a, b in COLUMNS])
        return [SimpleNamespace(rows=[row] * finder_rows, bbox=(96, 219, 516, 238))]

    return SimpleNamespace(rects=rects, lines=[], find_tables=find_tables)


def test_the_rows_and_columns_come_from_the_rules_and_their_segments() -> None:
    tables = find_ruled_tables(_page([284, 344, 391, 437]))
    assert len(tables) == 1
    cells = tables[0].cells
    assert {r for r, _, _ in cells} == {0, 1, 2, 3, 4}  # the header band and four body rows
    assert {c for _, c, _ in cells} == {0, 1, 2, 3}
    row1 = sorted((c, box) for r, c, box in cells if r == 1)
    assert [round(v) for v in row1[0][1]] == [96, 238, 167, 284]
    assert [round(v) for v in row1[3][1]] == [424, 238, 516, 284]


def test_a_table_the_finder_read_with_its_rows_is_kept_as_found() -> None:
    tables = find_ruled_tables(_page([284, 344, 391, 437], finder_rows=5))
    assert len(tables) == 1
    assert all(box[1] == 219 for _, _, box in tables[0].cells)  # the finder's own cells, not the rules' rows


def test_rules_without_column_breaks_are_no_table() -> None:
    page = SimpleNamespace(
        rects=[{"x0": 96, "x1": 516, "top": y, "bottom": y + 0.8, "fill": True} for y in (100, 200, 300)],
        lines=[],
        find_tables=lambda: [],
    )
    assert find_ruled_tables(page) == []
