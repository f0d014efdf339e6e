"""Tables as zones: a header row's columns, a two-column form's label cells, a list of countries
under group headers; a caption row above the header, group rows inside it, a table continued
overleaf without its header.
"""

from __future__ import annotations

import re

from extractors.lists import logical_lines
from extractors.normalize import country_code
from extractors.roles import STOP, column_kind, section_role
from extractors.text import OffsetText, clean_value
from extractors.zones import NEWLINE, NUMBERED, SUB_LABEL, Block, Piece, RoleOf, Zone, item_piece, word_count
from schemas.document import TextLine


def table_zones(
    cells: list[Block],
    context_role: str | None,
    role_of: RoleOf,
    previous_header: dict[int, Block] | None,
    *,
    explicit_breaks: bool = False,
) -> tuple[list[Zone], dict[int, Block] | None]:
    """The table's zones, and its header row when it has one (the table may go on overleaf).

    ``previous_header``: the header of a table just before this one, nothing between them: a
    table of as many columns with no header of its own is that table continued on a new page.
    ``explicit_breaks``: a line break inside a cell is the writer's (HTML, DOCX), never a wrap."""
    rows: dict[tuple[int, int], dict[int, Block]] = {}
    order: list[tuple[int, int]] = []
    for cell in cells:
        key = (cell.first.table or 0, cell.first.row or 0)
        if key not in rows:
            rows[key] = {}
            order.append(key)
        col = cell.first.col or 0
        if col in rows[key]:
            # A cell holding a list: each item is a block of its own, all of one cell.
            held = rows[key][col]
            rows[key][col] = Block(
                held.lines + cell.lines,
                OffsetText.join([held.text, cell.text], "\n"),
                held.parts + cell.parts,
            )
        else:
            rows[key][col] = cell
    grid = [rows[k] for k in order]
    if not grid:
        return [], None
    width = max(len(r) for r in grid)
    if (
        previous_header is not None
        and _header_columns(grid[0]) is None
        and width == len(previous_header)
        and _overleaf(previous_header, cells[0])
    ):
        grid = [previous_header, *grid]
    elif len(grid) > 2 and len(grid[0]) == 1 < width and _header_columns(grid[1]) is not None:
        # 'B. Other partners' across the table, then 'Partner | Type | Country': a caption row
        # says what the table is about; the header row under it names the columns.
        caption = clean_value(next(iter(grid[0].values())).text.sub(NEWLINE, " "))
        role = role_of(caption.text)
        context_role = context_role if role in (None, STOP) else role
        grid = grid[1:]
    header = _header_columns(grid[0])
    if header is not None:
        return _columns_zones(grid, header, context_role, role_of, explicit_breaks), grid[0]
    if _countries_under_group_headers(grid):
        # 'South America | Central America and the Caribbean' over lists of countries: the header
        # cells group the countries; the countries are the values, in the role around the table.
        zone = Zone(None, None, "none", parent_role=context_role)
        for row in grid[1:]:
            for cell in row.values():
                zone.pieces.extend(_cell_pieces(cell, explicit_breaks))
        return [zone], None
    zones: list[Zone] = []
    if width == 2:
        for row in grid:
            label, value = row.get(0), row.get(1)
            if label is None:
                continue
            role = role_of(clean_value(label.text).text)
            zone = Zone(clean_value(label.text), role, "label", parent_role=context_role)
            if value is not None:
                zone.pieces.extend(_cell_pieces(value, explicit_breaks))
            elif role is not None and len(grid) > 1:
                # 'C. Contact person' across the table: the rows under it are that section's.
                context_role = None if role == STOP else role
            zones.append(zone)
        return zones, None
    zone = Zone(None, None, "none", parent_role=context_role)
    for row in grid:
        for cell in row.values():
            zone.pieces.extend(_cell_pieces(cell, explicit_breaks))
    return [zone], None


def _countries_under_group_headers(grid: list[dict[int, Block]]) -> bool:
    """A first row of headers that are no countries over cells that list countries and little else."""
    if len(grid) < 2 or len(grid[0]) < 2:
        return False
    if any(country_code(clean_value(cell.text).text) for cell in grid[0].values()):
        return False
    names = [
        part.strip()
        for row in grid[1:]
        for cell in row.values()
        for part in re.split(r",|;|\band\b|\n", cell.text.text)
        if part.strip()
    ]
    countries = sum(country_code(name) is not None for name in names)
    return len(names) >= 4 and countries * 4 >= len(names) * 3


def _overleaf(header: dict[int, Block], cell: Block) -> bool:
    last_page = max(line.page or 0 for block in header.values() for line in block.lines)
    return cell.first.page is not None and cell.first.page > last_page


def _header_columns(row: dict[int, Block]) -> dict[str, int] | None:
    kinds: dict[str, int] = {}
    bold = all(all(line.bold for line in cell.lines) for cell in row.values())
    for col, cell in sorted(row.items()):
        kind = column_kind(clean_value(cell.text).text)
        if kind and kind not in kinds:
            kinds[kind] = col
    person = row.get(kinds["person"]) if "person" in kinds else None
    if person is not None and section_role(clean_value(person.text).text) not in ("speaker", "chair"):
        del kinds["person"]  # 'Presentations by international agencies' lists bodies, not people
    if "person" in kinds and "name" not in kinds:
        # 'Time | Session | Speaker': the people's column is the one the rows are about.
        kinds["name"] = kinds["person"]
        return kinds
    if "name" in kinds and (bold or len(kinds) >= 2):
        return kinds
    if "country" in kinds and "name" not in kinds and "region" in kinds:
        # 'Country | Region': the countries are the bodies; the region only says where they lie.
        kinds["name"] = kinds["country"]
        return kinds
    if "country" in kinds and "name" not in kinds and len(row) == 2:
        kinds["name"] = 1 - kinds["country"] if kinds["country"] in (0, 1) else 1
        return kinds
    return None


def _cell_pieces(cell: Block, explicit_breaks: bool) -> list[Piece]:
    """A cell's values: its lines, with the lines a name wraps over joined back.

    A line opening with a sub-label ('Launching-phase countries: A; B') starts a value of its own,
    with the sub-label's role."""
    groups: list[tuple[list[OffsetText], list[TextLine]]] = []
    for part, line in zip(cell.parts, cell.lines, strict=True):
        if not groups or SUB_LABEL.match(part.text.strip()):
            groups.append(([], []))
        groups[-1][0].append(part)
        groups[-1][1].append(line)
    pieces: list[Piece] = []
    for parts, lines in groups:
        for value in logical_lines(parts, lines, explicit_breaks=explicit_breaks):
            if not value.text.strip():
                continue
            pieces.append(item_piece(value, kind="cell"))
    return pieces


def _columns_zones(
    grid: list[dict[int, Block]],
    header: dict[str, int],
    context_role: str | None,
    role_of: RoleOf,
    explicit_breaks: bool,
) -> list[Zone]:
    name_col = header["name"]
    label = clean_value(grid[0][name_col].text) if name_col in grid[0] else None
    role = role_of(label.text) if label is not None else None
    zone = Zone(label, role, "column", parent_role=context_role)
    group_role: str | None = None
    for row in grid[1:]:
        if _header_columns(row) == header:
            continue  # the header repeated on the next page
        name = row.get(name_col)
        if name is None:
            continue
        if len(header) > 1 and _group_row(row):
            # 'B.1 Governments' across the table: the rows under it are of that kind, until the next.
            named = role_of(clean_value(name.text).text)
            group_role = group_role if named is None else None if named == STOP else named
            continue
        country = row.get(header["country"]) if "country" in header else None
        category = row.get(header["category"]) if "category" in header else None
        acronym = row.get(header["acronym"]) if "acronym" in header else None
        text = name.text.sub(NEWLINE, " ") if ";" in name.text.text else None
        others = _other_cells(
            row,
            {
                name_col,
                header.get("country"),
                header.get("category"),
                header.get("region"),
                header.get("acronym"),
            },
        )
        for piece in [Piece(text, "cell")] if text is not None else _cell_pieces(name, explicit_breaks):
            piece.country = clean_value(country.text) if country is not None else None
            piece.category = clean_value(category.text) if category is not None else None
            piece.acronym = clean_value(acronym.text) if acronym is not None else None
            piece.others = others
            piece.role = group_role
            zone.pieces.append(piece)
    person_col = header.get("person")
    if person_col is None or person_col == name_col:
        return [zone]
    return [zone, _people_column(grid, header, person_col, context_role, explicit_breaks)]


def _group_row(row: dict[int, Block]) -> bool:
    """A row of one short cell set apart (bold, italic, numbered or ending in ':') heads a group
    of rows; a row of one plain name is a body whose other cells were left empty."""
    if len(row) != 1:
        return False
    cell = next(iter(row.values()))
    text = clean_value(cell.text.sub(NEWLINE, " ")).text
    if not text or word_count(text) > 6:
        return False
    marked = all(line.bold or line.italic for line in cell.lines)
    return marked or text.endswith(":") or bool(NUMBERED.match(text))


def _people_column(
    grid: list[dict[int, Block]],
    header: dict[str, int],
    person_col: int,
    context_role: str | None,
    explicit_breaks: bool,
) -> Zone:
    """'Time | Session | Speaker | Organisation': the rows are about their organisations, and the
    speakers' column is a zone of its own, each person with the rest of the row beside them."""
    label = clean_value(grid[0][person_col].text) if person_col in grid[0] else None
    zone = Zone(
        label, section_role(label.text) if label is not None else None, "column", parent_role=context_role
    )
    for row in grid[1:]:
        person = row.get(person_col)
        if person is None or _header_columns(row) == header:
            continue
        others = _other_cells(row, {person_col})
        for piece in _cell_pieces(person, explicit_breaks):
            piece.others = others
            zone.pieces.append(piece)
    return zone


def _other_cells(row: dict[int, Block], used: set[int | None]) -> list[OffsetText]:
    """The row's non-empty cells outside the columns already read, each on one line."""
    cells = [clean_value(cell.text.sub(NEWLINE, " ")) for col, cell in sorted(row.items()) if col not in used]
    return [c for c in cells if c.text]


__all__ = ["table_zones"]
