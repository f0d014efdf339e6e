"""Ruled tables in scans: their rules are found and erased, and their words land in cells."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.parsing import parse_document
from extractors.parsing.ocr import ocr_available
from extractors.parsing.scan_tables import erase_rules, find_grids, find_rules

COLUMNS = [300, 800, 1400, 2200]  # x of the column rules, at 300 dpi on a 2550 x 3300 page
ROW_HEIGHT = 90


def ruled_page(
    cells: list[list[str]], *, top: int = 600, closed: bool = True, heading: str | None = "Member States"
) -> Image.Image:
    """A white page with a table drawn as a browser prints one: each cell its own box, a pixel apart."""
    page = Image.new("L", (2550, 3300), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=44)
    if heading:
        draw.text((300, top - 200), heading, fill=0, font=font)
        draw.line([(300, top - 130), (900, top - 130)], fill=0, width=3)  # an underline, not a table
    for r, row in enumerate(cells):
        y0 = top + r * ROW_HEIGHT
        for c, text in enumerate(row):
            x0, x1 = COLUMNS[c] + 1, COLUMNS[c + 1] - 1
            bottom = y0 + ROW_HEIGHT
            last = r == len(cells) - 1
            draw.line([(x0, y0), (x1, y0)], fill=60, width=3)
            draw.line([(x0, y0), (x0, bottom)], fill=60, width=3)
            draw.line([(x1, y0), (x1, bottom)], fill=60, width=3)
            if closed or not last:
                draw.line([(x0, bottom), (x1, bottom)], fill=60, width=3)
            if text:
                draw.text((x0 + 15, y0 + 20), text, fill=0, font=font)
    return page


CELLS = [
    ["Africa", "Asia", "Pacific"],
    ["Comoros", "Afghanistan", "Tonga"],
    ["Kenya", "Cambodia", ""],
    ["Somalia", "Mongolia", ""],
]


def test_a_ruled_table_is_one_grid_and_an_underline_is_none() -> None:
    horizontal, vertical = find_rules(ruled_page(CELLS))
    grids = find_grids(horizontal, vertical)
    assert len(grids) == 1
    grid = grids[0]
    assert len(grid.rows) == len(CELLS) + 1 and len(grid.cols) == len(COLUMNS)
    # Each cell's middle falls in that cell.
    assert grid.cell_of(1100, 600 + 2.5 * ROW_HEIGHT) == (2, 1)
    assert grid.cell_of(2000, 600 + 0.5 * ROW_HEIGHT) == (0, 2)
    assert grid.cell_of(600, 300) is None  # the heading above the table


def test_a_table_cut_by_the_page_break_keeps_its_last_row() -> None:
    grid = find_grids(*find_rules(ruled_page(CELLS, closed=False)))[0]
    assert grid.cell_of(500, 600 + 3.5 * ROW_HEIGHT) == (3, 0)


def test_erasing_rules_leaves_the_words() -> None:
    page = ruled_page(CELLS)
    horizontal, vertical = find_rules(page)
    erased = erase_rules(page, horizontal, vertical)
    assert find_rules(erased) == ([], [])
    # The ink of the words is still there: only rules were painted over.
    inside = erased.crop((COLUMNS[0] + 10, 610, COLUMNS[1] - 10, 600 + ROW_HEIGHT - 10))
    assert min(inside.getdata()) < 100


@pytest.mark.skipif(not ocr_available(), reason="tesseract is not installed")
def test_a_scanned_table_is_read_cell_by_cell() -> None:
    buffer = io.BytesIO()
    ruled_page(CELLS).save(buffer, format="PDF", resolution=300)
    doc = parse_document(buffer.getvalue(), "scan.pdf")
    cells = {(line.row, line.col): line.text for line in doc.lines if line.table is not None}
    assert cells[(0, 0)] == "Africa" and cells[(0, 2)] == "Pacific"
    assert cells[(1, 1)] == "Afghanistan" and cells[(3, 1)] == "Mongolia"
    assert (2, 2) not in cells  # an empty cell stays empty
    heading = next(line for line in doc.lines if line.text == "Member States")
    assert heading.table is None


def test_a_scanned_table_ruled_only_across_is_read_by_its_gutters() -> None:
    page = Image.new("L", (2550, 3300), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=44)
    rows = [
        ["Phase", "Period", "Lead"],
        ["Phase I", "2009-2013", "TSBF-CIAT"],
        ["Phase II", "2013-2018", "ICRAF"],
    ]
    top = 600
    for r, row in enumerate(rows):
        y = top + r * 110
        for x, text in zip((320, 900, 1500), row, strict=True):
            draw.text((x, y + 25), text, fill=0, font=font)
        draw.line([(300, y + 100), (2200, y + 100)], fill=200, width=3)  # a light rule under each row
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", resolution=300)
    if not ocr_available():
        pytest.skip("tesseract is not installed")
    doc = parse_document(buffer.getvalue(), "scan.pdf")
    cells = {(line.row, line.col): line.text for line in doc.lines if line.table is not None}
    assert cells[(0, 0)] == "Phase" and cells[(0, 2)] == "Lead"
    assert cells[(1, 1)] == "2009-2013" and cells[(2, 2)] == "ICRAF"


def _shade_header(page: Image.Image, columns: int) -> Image.Image:
    """The header row filled grey, as a browser prints a shaded <th> row and a scanner darkens it."""
    draw = ImageDraw.Draw(page)
    draw.rectangle([(COLUMNS[0], 600), (COLUMNS[columns], 600 + ROW_HEIGHT)], fill=200)
    for c in range(columns):
        draw.text((COLUMNS[c] + 16, 620), CELLS[0][c], fill=0, font=ImageFont.load_default(size=44))
    return page


def test_a_shaded_header_row_is_a_row_of_its_own_grid() -> None:
    page = _shade_header(ruled_page(CELLS), 3)
    grids = find_grids(*find_rules(page))
    assert len(grids) == 1
    grid = grids[0]
    assert grid.cell_of(1100, 600 + 0.5 * ROW_HEIGHT) == (0, 1)  # the header
    assert grid.cell_of(1100, 600 + 1.5 * ROW_HEIGHT) == (1, 1)  # the first row under it


def _box(dividers: list[int]) -> Image.Image:
    """One box 300 pixels high (a table's last row overleaf, or a boxed paragraph), cut by dividers."""
    page = Image.new("L", (2550, 3300), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle([(300, 600), (2200, 900)], outline=60, width=3)
    for x in dividers:
        draw.line([(x, 600), (x, 900)], fill=60, width=3)
    return page


def test_one_row_divided_into_columns_is_a_table_and_a_boxed_paragraph_is_none() -> None:
    row = find_grids(*find_rules(_box([800, 1400])))
    assert len(row) == 1 and row[0].cell_of(1100, 750) == (0, 1)
    assert find_grids(*find_rules(_box([]))) == []
