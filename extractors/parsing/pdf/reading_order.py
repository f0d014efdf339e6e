"""A page's lines in reading order: text directions, ruled, borderless and spaced tables, columns, regions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from extractors.parsing.pdf.borderless_tables import COLUMN_TOLERANCE, find_borderless_tables
from extractors.parsing.pdf.bullets import mark_bulleted_lines
from extractors.parsing.pdf.columns import crosses_gutter, find_column_bands, find_gutters, split_at
from extractors.parsing.pdf.lines import Line, group_lines
from extractors.parsing.pdf.ruled_tables import RuledTable, find_ruled_tables, place_words
from extractors.parsing.pdf.spaced_grids import SpacedGrid, find_spaced_grids
from extractors.parsing.pdf.words import Word, WordReader


class PageReader:
    """Reads the pages of one document in order, numbering its regions and tables across pages.

    Lines are rebuilt from words (not from pdfplumber's text) because forms need
    per-line font cues, and two-column pages must be read column by column.
    """

    def __init__(self) -> None:
        self.regions = 0
        self.tables = 0
        self._words = WordReader()

    @property
    def cid_glyphs(self) -> int:
        """Glyphs without a Unicode mapping dropped so far."""
        return self._words.cid_glyphs

    def _region(self) -> int:
        self.regions += 1
        return self.regions

    def page_lines(self, page: Any, page_no: int) -> tuple[list[Line], bool]:
        """The page's lines in reading order, and whether it had any text at all."""
        by_direction = self._words.words(page)
        if not by_direction:
            return [], False
        # The direction most words share is the page's text; others (margin notes) follow it.
        directions = sorted(by_direction, key=lambda d: -len(by_direction[d]))
        lines: list[Line] = []
        for direction in directions:
            words = by_direction[direction]
            if direction != "ltr":
                lines += self._flow_lines(words, [], page_no)
                continue
            tables = find_ruled_tables(page)
            flow = place_words(words, tables)
            upright = self._flow_lines(flow, [t for t in tables if t.words], page_no)
            mark_bulleted_lines(page, upright)
            lines += upright
        return lines, True

    def _flow_lines(self, flow: list[Word], tables: list[RuledTable], page_no: int) -> list[Line]:
        rows = group_lines(flow)
        gutters = find_gutters(rows)
        margin = min((w.x0 for w in flow), default=0.0)
        items: list[tuple[float, list[Word] | RuledTable | list[Line]]] = []
        in_table: set[int] = set()
        # Rows of a band set in columns on a page that is not (by the row's identity, as the items
        # below hold the rows themselves): the band's first row and its gutters.
        band_of: dict[int, tuple[int, list[tuple[float, float]]]] = {}
        if not gutters:
            # Columns of running text outrank a borderless table seen in them: two boxes of prose
            # side by side also start their lines at two x positions.
            banded: set[int] = set()
            for first, end, band_gutters in find_column_bands(rows):
                band_of.update((id(row), (first, band_gutters)) for row in rows[first:end])
                banded.update(range(first, end))
            # A table whose cells interleave (centred in their rows) first: read as rows of words,
            # its cells' first lines would look like a borderless table's rows.
            for grid in find_spaced_grids(rows, skip=banded):
                in_table.update(range(grid.first, grid.end))
                items.append((min(w.top for w in rows[grid.first]), self._grid_lines(grid, page_no)))
            for first, end, columns, table_rows in find_borderless_tables(rows):
                if (banded | in_table) & set(range(first, end)):
                    continue
                in_table.update(range(first, end))
                items.append(
                    (
                        min(w.top for w in rows[first]),
                        self._borderless_lines(rows[first:end], columns, table_rows, page_no),
                    )
                )
        items += [(min(w.top for w in row), row) for n, row in enumerate(rows) if n not in in_table]
        items += [(t.top, t) for t in tables]
        items.sort(key=lambda item: item[0])
        lines: list[Line] = []
        split_rows: list[list[Word]] = []
        cuts = [(g0 + g1) / 2 for g0, g1 in gutters]
        band: int | None = None  # the band whose rows split_rows holds, if any
        region = 0

        def flush_columns() -> None:
            if not split_rows:
                return
            # Rows well below everything else in the section come after the columns, not inside one.
            tail: list[list[Word]] = []
            while len(split_rows) > 1:
                row = split_rows[-1]
                above = max(w.bottom for r in split_rows[:-1] for w in r)
                if min(w.top for w in row) - above <= 2 * max(w.height for w in row):
                    break
                tail.insert(0, split_rows.pop())
            columns: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
            for row in split_rows:
                for col, segment in enumerate(split_at(row, cuts)):
                    columns[col].extend(segment)
            for side in columns:
                if side:
                    side_region = self._region()
                    side_margin = min(w.x0 for w in side)
                    lines.extend(Line(ws, page_no, side_region, side_margin) for ws in group_lines(side))
            split_rows.clear()
            if tail:
                tail_region = self._region()
                lines.extend(Line(row, page_no, tail_region, margin) for row in tail)

        for _, item in items:
            if isinstance(item, RuledTable):
                flush_columns()
                lines.extend(self._table_lines(item, page_no))
                region = 0
            elif item and isinstance(item[0], Line):
                flush_columns()
                lines.extend(item)  # a borderless table, already in cells
                region = 0
            else:
                # Neither a table nor a borderless table's lines: a row of words.
                word_row = cast("list[Word]", item)
                in_band = band_of.get(id(word_row))
                if in_band is not None and in_band[0] != band:
                    flush_columns()  # a new band: its own cuts
                    band, cuts = in_band[0], [(g0 + g1) / 2 for g0, g1 in in_band[1]]
                elif in_band is None and band is not None:
                    flush_columns()  # past the band: full-width text again
                    band, cuts = None, [(g0 + g1) / 2 for g0, g1 in gutters]
                row_gutters = in_band[1] if in_band is not None else gutters
                if row_gutters and not crosses_gutter(word_row, row_gutters):
                    split_rows.append(word_row)
                    region = 0
                else:
                    flush_columns()
                    region = region or self._region()
                    lines.append(Line(word_row, page_no, region, margin))
        flush_columns()
        return lines

    def _borderless_lines(
        self, rows: Sequence[list[Word]], columns: Sequence[float], table_rows: Sequence[int], page_no: int
    ) -> list[Line]:
        index = self.tables
        self.tables += 1
        cuts = [x - COLUMN_TOLERANCE for x in columns]
        regions: dict[tuple[int, int], int] = {}
        lines = []
        for row, r in zip(rows, table_rows, strict=True):
            cells: dict[int, list[Word]] = {}
            for word in row:
                cells.setdefault(sum(word.x0 >= cut for cut in cuts), []).append(word)
            for c, words in sorted(cells.items()):
                region = regions.setdefault((r, c), self._region())
                lines.append(
                    Line(words, page_no, region, min(w.x0 for w in words), table=index, row=r, col=c)
                )
        # Cells in reading order: row by row, each cell's lines together.
        lines.sort(key=lambda line: (line.row or 0, line.col or 0, line.top))
        return lines

    def _grid_lines(self, grid: SpacedGrid, page_no: int) -> list[Line]:
        index = self.tables
        self.tables += 1
        lines: list[Line] = []
        for r, cells in enumerate(grid.rows):
            for c, words in enumerate(cells):
                if not words:
                    continue
                region, margin = self._region(), min(w.x0 for w in words)
                lines.extend(
                    Line(ws, page_no, region, margin, table=index, row=r, col=c) for ws in group_lines(words)
                )
        return lines

    def _table_lines(self, table: RuledTable, page_no: int) -> list[Line]:
        table.index = self.tables
        self.tables += 1
        lines = []
        for r, c, _bbox in table.cells:
            words = table.words.get((r, c))
            if not words:
                continue
            region = self._region()
            margin = min(w.x0 for w in words)
            for ws in group_lines(words):
                lines.append(Line(ws, page_no, region, margin, table=table.index, row=r, col=c))
        return lines
