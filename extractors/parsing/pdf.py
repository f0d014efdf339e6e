"""PDF parsing with pdfplumber: visual lines in reading order, with their layout cues.

Lines are rebuilt from words (not from pdfplumber's text) because forms need
per-line font cues, and two-column pages must be read column by column.
"""

from __future__ import annotations

import io
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, cast

import numpy as np
import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from extractors.errors import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    LimitExceededError,
    OcrRequiredError,
)
from extractors.parsing.builder import (
    DocumentBuilder,
    LineAttrs,
    clean_text,
    looks_like_list_item,
)
from extractors.parsing.sniff import PDF
from schemas.document import ParsedDocument

_BOLD = re.compile(r"bold|black|heavy", re.IGNORECASE)
_ITALIC = re.compile(r"italic|oblique|-it$|boldit", re.IGNORECASE)
_CID = re.compile(r"\(cid:\d+\)")
_DOT_ENUMERATOR = re.compile(r"^\s*(?:\d{1,2}|[a-z])\.\s")

_INDENT_TOLERANCE = 3.0  # points; glyph side bearings make aligned lines differ by ~1pt


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Line:
    words: list[_Word]
    page: int
    region: int  # lines of one region are read one after another: a column run, a table cell
    margin: float  # the region's left text edge, for indents
    table: int | None = None
    row: int | None = None
    col: int | None = None
    text: str = ""
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    heading_level: int = 0
    list_item: bool = False
    new_block: bool = False
    x0: float = field(init=False, default=0.0)
    x1: float = field(init=False, default=0.0)
    top: float = field(init=False, default=0.0)
    bottom: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        # The band of the line's main-size words: a superscript must not stretch it.
        main = [w for w in self.words if w.height >= 0.7 * max(x.height for x in self.words)]
        self.top = min(w.top for w in main)
        self.bottom = max(w.bottom for w in main)
        self.text = _join_words(self.words)
        weights = [(w, len(w.text)) for w in self.words]
        total = sum(n for _, n in weights) or 1
        self.bold = sum(n for w, n in weights if w.bold) * 2 > total
        self.italic = sum(n for w, n in weights if w.italic) * 2 > total
        sizes: Counter[float] = Counter()
        for w, n in weights:
            sizes[w.size] += n
        self.size = sizes.most_common(1)[0][0]
        self.list_item = looks_like_list_item(self.text)

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _join_words(words: Sequence[_Word]) -> str:
    parts = [words[0].text]
    for prev, word in zip(words, words[1:], strict=False):
        # extract_words also splits where the font changes, with no gap: those pieces touch.
        if word.x0 - prev.x1 > 0.1 * min(prev.size, word.size):
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


def _group_lines(words: Iterable[_Word]) -> list[list[_Word]]:
    """Words into visual lines: a word joins a line its vertical band half-overlaps."""
    lines: list[tuple[list[float], list[_Word]]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        for band, members in reversed(lines[-4:]):
            overlap = min(band[1], word.bottom) - max(band[0], word.top)
            if overlap >= 0.5 * max(0.1, min(band[1] - band[0], word.height)):
                members.append(word)
                break
        else:
            lines.append(([word.top, word.bottom], [word]))
    return [sorted(members, key=lambda w: w.x0) for _, members in lines]


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def _prose_like(segment: Sequence[_Word]) -> bool:
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


def _split(row: Sequence[_Word], cuts: Sequence[float]) -> list[list[_Word]]:
    segments: list[list[_Word]] = [[] for _ in range(len(cuts) + 1)]
    for w in row:
        segments[sum(w.center_x >= cut for cut in cuts)].append(w)
    return segments


def _crosses(row: Sequence[_Word], gutters: Sequence[tuple[float, float]]) -> bool:
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


def _find_gutters(rows: Sequence[list[_Word]]) -> list[tuple[float, float]]:
    """The x-ranges between text columns, if the page clearly has two or three.

    A gutter is a vertical strip that (almost) no row crosses, with running text on
    each side. Tables and label/value forms also leave such strips, but their rows
    have wide gaps or short ragged cells, which the tests reject: reading a table or
    a form column by column would tear cells and labels from their rows.
    """
    words = [w for row in rows for w in row]
    if len(rows) < 10 or len(words) < 60:
        return []
    x_min, x_max = min(w.x0 for w in words), max(w.x1 for w in words)
    width = x_max - x_min
    # The histogram below has one bin per point: absurd coordinates (broken files) must not size it.
    if not (250 <= width <= 5000) or not math.isfinite(x_min):
        return []
    lo, hi = int(x_min + 0.2 * width), int(x_max - 0.2 * width)
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
        _split(row, [(g0 + g1) / 2 for g0, g1 in gutters]) for row in rows if not _crosses(row, gutters)
    ]
    full = [segments for segments in split_rows if all(segments)]
    if len(split_rows) < 0.85 * len(rows) or len(full) < 6 or len(full) < 0.25 * len(rows):
        return []
    segments = [segment for row in split_rows for segment in row if segment]
    if sum(map(_prose_like, segments)) < 0.85 * len(segments):
        return []
    for col in range(len(gutters) + 1):
        column = [row[col] for row in split_rows if row[col]]
        x0 = min(w.x0 for seg in column for w in seg)
        x1 = max(w.x1 for seg in column for w in seg)
        fill = _median([(max(w.x1 for w in seg) - x0) / max(1.0, x1 - x0) for seg in column])
        if fill < 0.6 or _median([len(seg) for seg in column]) < 3:
            return []
    return gutters


# Chromium sets the cells of one column at one x, to a fraction of a point.
_COLUMN_TOLERANCE = 1.5  # points
_FIRST_CELL_WORDS = 6


def _starts_at(row: Sequence[_Word], x: float) -> bool:
    return any(abs(w.x0 - x) <= _COLUMN_TOLERANCE for w in row[1:])


def _borderless_tables(rows: Sequence[list[_Word]]) -> list[tuple[int, int, list[float], list[int]]]:
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
            if row[0].x0 < min(shared) - _COLUMN_TOLERANCE and abs(row[0].x0 - left) <= 4 * max(
                w.size for w in row
            ):
                common = [x for x in shared if _starts_at(row, x)]
                if not common:
                    break
                shared = common
                table_rows.append(table_rows[-1] + 1)
            elif any(abs(row[0].x0 - x) <= _COLUMN_TOLERANCE for x in shared):
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


def _cells_like(rows: Sequence[list[_Word]], x: float, table_rows: Sequence[int]) -> bool:
    # The rows that open a table row (a wrapped cell's line continues the row above it).
    firsts = [row for row, r, prev in zip(rows, table_rows, [-1, *table_rows[:-1]], strict=True) if r != prev]
    before = [[w for w in row if w.x0 < x - _COLUMN_TOLERANCE] for row in firsts]
    if any(len(cell) > _FIRST_CELL_WORDS or not cell for cell in before):
        return False
    if all(cell[-1].text.endswith(":") for cell in before):
        return False  # "Label: value" lines: the colon joins each value to its label already
    gaps = [
        (min(w.x0 for w in row if w.x0 >= x - _COLUMN_TOLERANCE) - max(w.x1 for w in cell))
        / max(w.size for w in row)
        for row, cell in zip(firsts, before, strict=True)
    ]
    return max(gaps) >= 0.6


def _header_above(row: Sequence[_Word], first: Sequence[_Word], x: float) -> bool:
    gaps = [b.x0 - a.x1 for a, b in zip(row, row[1:], strict=False)]
    em = max(w.size for w in row)
    close = first[0].top - max(w.bottom for w in row) <= 1.5 * max(w.height for w in first)
    return (
        close and all(w.bold for w in row) and bool(gaps) and max(gaps) >= em and any(w.x1 > x for w in row)
    )


_CELL_OFFSET = 1 << 20  # 1pt cells packed in 21 bits each, shifted positive
# A hair over 1pt, so rounding in ``abs(x - px) <= 1`` can never put a pair out of reach.
_REACH = 1.000001
# x - _REACH .. x + _REACH spans up to 4 cells (when x sits on a cell boundary).
_CELL_STEPS = np.array([(dx, dy) for dx in range(4) for dy in range(4)], np.int64)
_X0, _TOP, _TEXT = itemgetter("x0"), itemgetter("top"), itemgetter("text")


def _cells(values: np.ndarray) -> np.ndarray:
    return np.clip(np.floor(values).astype(np.int64) + _CELL_OFFSET, 1, 2 * _CELL_OFFSET - 2)


def _may_overprint(chars: list[dict[str, Any]]) -> bool:
    """Whether two chars with the same text lie within reach of each other's 1pt cells.

    Any two within 1pt of each other do, so when none do the page has no overprinting.
    Vectorised: the check runs on every page and finds nothing on almost all of them.
    """
    n = len(chars)
    texts = list(map(_TEXT, chars))
    text_ids = {text: i for i, text in enumerate(dict.fromkeys(texts))}
    ids = np.fromiter(map(text_ids.__getitem__, texts), np.int64, n) << 42
    x = np.fromiter(map(_X0, chars), np.float64, n)
    y = np.fromiter(map(_TOP, chars), np.float64, n)
    cx, cy = _cells(x), _cells(y)
    keys, counts = np.unique(ids | (cx << 21) | cy, return_counts=True)
    if (counts > 1).any():
        return True
    lo_x, hi_x, lo_y, hi_y = _cells(x - _REACH), _cells(x + _REACH), _cells(y - _REACH), _cells(y + _REACH)
    nx = lo_x[None, :] + _CELL_STEPS[:, :1]
    ny = lo_y[None, :] + _CELL_STEPS[:, 1:]
    reach = (nx <= hi_x) & (ny <= hi_y) & ~((nx == cx) & (ny == cy))
    neighbours = (ids | (nx << 21) | ny)[reach]
    if neighbours.size == 0:
        return False
    found = np.minimum(np.searchsorted(keys, neighbours), len(keys) - 1)
    return bool((keys[found] == neighbours).any())


def _dedupe(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chars minus copies printed over each other within 1pt (a fake-bold trick)."""
    if len(chars) < 2 or not _may_overprint(chars):
        return chars
    return _dedupe_exact(chars)


def _dedupe_exact(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each char unless one with the same text was kept within 1pt of it.

    pdfplumber's dedupe_chars is quadratic; this keeps its rule in linear time.
    """

    def cell(value: float) -> int:
        return math.floor(value) if math.isfinite(value) else 0

    seen: dict[tuple[str, int, int], list[tuple[float, float]]] = {}
    unique = []
    for char in chars:
        x, y = float(char["x0"]), float(char["top"])
        text = char.get("text", "")
        duplicate = any(
            abs(x - px) <= 1 and abs(y - py) <= 1
            for cx in range(cell(x - _REACH), cell(x + _REACH) + 1)
            for cy in range(cell(y - _REACH), cell(y + _REACH) + 1)
            for px, py in seen.get((text, cx, cy), ())
        )
        if not duplicate:
            seen.setdefault((text, cell(x), cell(y)), []).append((x, y))
            unique.append(char)
    return unique


def _vector_bullets(page: Any) -> list[tuple[float, float, float, float]]:
    """Small filled dots and squares: list bullets drawn as shapes (HTML prints do this)."""
    bullets = []
    for obj in [*page.curves, *page.rects]:
        w, h = float(obj["x1"]) - float(obj["x0"]), float(obj["bottom"]) - float(obj["top"])
        if obj.get("fill") and 1.5 <= w <= 8 and 1.5 <= h <= 8 and abs(w - h) <= 0.3 * max(w, h):
            bullets.append((float(obj["x0"]), float(obj["x1"]), float(obj["top"]), float(obj["bottom"])))
    return bullets


@dataclass
class _Table:
    index: int
    top: float
    cells: list[tuple[int, int, tuple[float, float, float, float]]]
    words: dict[tuple[int, int], list[_Word]] = field(default_factory=dict)


class _PdfReader:
    def __init__(self) -> None:
        self.regions = 0
        self.tables = 0
        self.cid_glyphs = 0

    def _region(self) -> int:
        self.regions += 1
        return self.regions

    def words(self, page: Any) -> dict[str, list[_Word]]:
        """The page's cleaned words by reading direction; duplicate glyphs (fake bold) dropped.

        Rotated words get coordinates in their own reading frame (x along the text,
        top growing from the first line), so one layout code serves every direction.
        """
        raw = pdfplumber.utils.extract_words(_dedupe(page.chars), extra_attrs=["fontname", "size"])
        width, height = float(page.width), float(page.height)
        by_direction: dict[str, list[_Word]] = {}
        for w in raw:
            text = w["text"]
            if "(cid:" in text:
                self.cid_glyphs += len(_CID.findall(text))
                text = _CID.sub("", text)
            text = clean_text(text)
            if not text:
                continue
            direction = str(w.get("direction") or "ltr") if not w.get("upright", True) else "ltr"
            x0, x1, top, bottom = float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"])
            if direction == "ttb":  # page turned clockwise: the first line is on the right
                x0, x1, top, bottom = top, bottom, width - x1, width - x0
            elif direction == "btt":  # turned anticlockwise: the first line is on the left
                x0, x1, top, bottom = height - bottom, height - top, x0, x1
            elif direction == "rtl":
                x0, x1, top, bottom = width - x1, width - x0, height - bottom, height - top
            font = str(w.get("fontname") or "")
            by_direction.setdefault(direction, []).append(
                _Word(
                    text=text,
                    x0=x0,
                    x1=x1,
                    top=top,
                    bottom=bottom,
                    # A rotated char's "size" is not its font size; its height across the line is.
                    size=round((float(w.get("size") or 0.0) if direction == "ltr" else bottom - top) * 2) / 2,
                    bold=bool(_BOLD.search(font)),
                    italic=bool(_ITALIC.search(font)),
                )
            )
        return by_direction

    def tables_of(self, page: Any) -> list[_Table]:
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
            tables.append(_Table(index=-1, top=float(table.bbox[1]), cells=cells))
        return tables

    def page_lines(self, page: Any, page_no: int) -> tuple[list[_Line], bool]:
        """The page's lines in reading order, and whether it had any text at all."""
        by_direction = self.words(page)
        if not by_direction:
            return [], False
        # The direction most words share is the page's text; others (margin notes) follow it.
        directions = sorted(by_direction, key=lambda d: -len(by_direction[d]))
        lines: list[_Line] = []
        for direction in directions:
            words = by_direction[direction]
            if direction != "ltr":
                lines += self._flow_lines(words, [], page_no)
                continue
            tables = self.tables_of(page)
            flow: list[_Word] = []
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
            upright = self._flow_lines(flow, [t for t in tables if t.words], page_no)
            bullets = _vector_bullets(page) if len(page.curves) + len(page.rects) < 2000 else []
            for line in upright:
                if any(
                    x1 <= line.x0 + 0.5
                    and line.x0 - x1 <= 3 * line.size
                    and line.top <= (top + bottom) / 2 <= line.bottom
                    for _x0, x1, top, bottom in bullets
                ):
                    line.list_item = True
            lines += upright
        return lines, True

    def _flow_lines(self, flow: list[_Word], tables: list[_Table], page_no: int) -> list[_Line]:
        rows = _group_lines(flow)
        gutters = _find_gutters(rows)
        cuts = [(g0 + g1) / 2 for g0, g1 in gutters]
        margin = min((w.x0 for w in flow), default=0.0)
        items: list[tuple[float, list[_Word] | _Table | list[_Line]]] = []
        in_table: set[int] = set()
        if not gutters:
            for first, end, columns, table_rows in _borderless_tables(rows):
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
        lines: list[_Line] = []
        split_rows: list[list[_Word]] = []
        region = 0

        def flush_columns() -> None:
            if not split_rows:
                return
            # Rows well below everything else in the section come after the columns, not inside one.
            tail: list[list[_Word]] = []
            while len(split_rows) > 1:
                row = split_rows[-1]
                above = max(w.bottom for r in split_rows[:-1] for w in r)
                if min(w.top for w in row) - above <= 2 * max(w.height for w in row):
                    break
                tail.insert(0, split_rows.pop())
            columns: list[list[_Word]] = [[] for _ in range(len(cuts) + 1)]
            for row in split_rows:
                for col, segment in enumerate(_split(row, cuts)):
                    columns[col].extend(segment)
            for side in columns:
                if side:
                    side_region = self._region()
                    side_margin = min(w.x0 for w in side)
                    lines.extend(_Line(ws, page_no, side_region, side_margin) for ws in _group_lines(side))
            split_rows.clear()
            if tail:
                tail_region = self._region()
                lines.extend(_Line(row, page_no, tail_region, margin) for row in tail)

        for _, item in items:
            if isinstance(item, _Table):
                flush_columns()
                lines.extend(self._table_lines(item, page_no))
                region = 0
            elif item and isinstance(item[0], _Line):
                flush_columns()
                lines.extend(item)  # a borderless table, already in cells
                region = 0
            else:
                # Neither a table nor a borderless table's lines: a row of words.
                word_row = cast("list[_Word]", item)
                if gutters and not _crosses(word_row, gutters):
                    split_rows.append(word_row)
                    region = 0
                else:
                    flush_columns()
                    region = region or self._region()
                    lines.append(_Line(word_row, page_no, region, margin))
        flush_columns()
        return lines

    def _borderless_lines(
        self, rows: Sequence[list[_Word]], columns: Sequence[float], table_rows: Sequence[int], page_no: int
    ) -> list[_Line]:
        index = self.tables
        self.tables += 1
        cuts = [x - _COLUMN_TOLERANCE for x in columns]
        regions: dict[tuple[int, int], int] = {}
        lines = []
        for row, r in zip(rows, table_rows, strict=True):
            cells: dict[int, list[_Word]] = {}
            for word in row:
                cells.setdefault(sum(word.x0 >= cut for cut in cuts), []).append(word)
            for c, words in sorted(cells.items()):
                region = regions.setdefault((r, c), self._region())
                lines.append(
                    _Line(words, page_no, region, min(w.x0 for w in words), table=index, row=r, col=c)
                )
        # Cells in reading order: row by row, each cell's lines together.
        lines.sort(key=lambda line: (line.row or 0, line.col or 0, line.top))
        return lines

    def _table_lines(self, table: _Table, page_no: int) -> list[_Line]:
        table.index = self.tables
        self.tables += 1
        lines = []
        for r, c, _bbox in table.cells:
            words = table.words.get((r, c))
            if not words:
                continue
            region = self._region()
            margin = min(w.x0 for w in words)
            for ws in _group_lines(words):
                lines.append(_Line(ws, page_no, region, margin, table=table.index, row=r, col=c))
        return lines


def _mark_blocks(lines: Sequence[_Line]) -> None:
    pitches = [
        b.top - a.top
        for a, b in zip(lines, lines[1:], strict=False)
        if a.region == b.region and abs(a.size - b.size) < 0.5 and b.top > a.top
    ]
    # The normal leading is the smallest common pitch; forms have more paragraph gaps than wraps.
    typical = statistics.quantiles(pitches, n=4)[0] if len(pitches) >= 4 else None
    # The leading of each font size, where most lines of that size share it to a fraction of
    # a point (typeset text): then even tight paragraph spacing shows as a larger pitch.
    by_size: dict[float, list[float]] = {}
    for a, b in zip(lines, lines[1:], strict=False):
        if a.region == b.region and a.page == b.page and a.size == b.size and b.top > a.top:
            by_size.setdefault(a.size, []).append(b.top - a.top)
    leading: dict[float, float] = {}
    for size, values in by_size.items():
        if len(values) >= 8:
            lead = statistics.quantiles(values, n=4)[0]
            if sum(abs(v - lead) <= 0.6 for v in values) * 2 >= len(values):
                leading[size] = lead
    right_edges: dict[tuple[int, int], float] = {}
    for line in lines:
        key = (line.page, line.region)
        right_edges[key] = max(right_edges.get(key, 0.0), line.x1)
    first: _Line | None = None
    block_len = 0
    prev: _Line | None = None
    for line in lines:
        if (
            line.list_item
            and prev is not None
            and prev.region == line.region
            and _DOT_ENUMERATOR.match(line.text)
            and _wraps(prev.text)
            and line.top - prev.top <= 1.5 * max(line.height, prev.height)
        ):
            # "...Local Agenda / 21. However": a number that a wrapped sentence put at a line start.
            line.list_item = False
        if prev is None or first is None:
            new = True
        elif line.page != prev.page:
            # A sentence running onto the next page stays one paragraph: the last line is full
            # width and stops mid-sentence (a short last line ends a field, as in forms).
            new = not (
                _wraps(prev.text)
                and prev.x1 - prev.margin >= 0.85 * (right_edges[(prev.page, prev.region)] - prev.margin)
                and not line.list_item
                and line.table is None
                and prev.table is None
                and abs(line.size - prev.size) < 0.5
                and abs((line.x0 - line.margin) - (prev.x0 - prev.margin)) < _INDENT_TOLERANCE
            )
        elif line.region != prev.region or line.list_item:
            new = True
        else:
            height = max(line.height, prev.height)
            threshold = 1.5 * height if typical is None else max(1.5 * height, 1.25 * typical)
            size_leading = leading.get(line.size) if abs(line.size - prev.size) < 0.5 else None
            if size_leading is not None:
                # Set leading is exact: a gap a few points over it is paragraph spacing.
                threshold = min(threshold, size_leading + max(2.5, 0.2 * size_leading))
            pitch = line.top - prev.top
            dx = line.x0 - prev.x0
            centred = abs((line.x0 + line.x1) / 2 - (prev.x0 + prev.x1) / 2) < _INDENT_TOLERANCE
            new = False
            if abs(line.size - prev.size) >= 1.0 or pitch > threshold or pitch < -0.5 * height:
                new = True
            elif dx > _INDENT_TOLERANCE:
                # Deeper lines continue a list item (hanging indent); otherwise they start a block.
                new = not (first.list_item or centred)
            elif dx < -_INDENT_TOLERANCE:
                # Back to the margin after one indented line is a first-line indent.
                new = not ((block_len == 1 and not first.list_item) or centred)
        if new:
            first, block_len = line, 0
        line.new_block = new
        block_len += 1
        prev = line


# Page furniture: lone page numbers ("7", "- 7 -", "Page 7", "Page 7 of 9", "7/9", "p. 7");
# a bare number has at most three digits, so that a year alone on a line stays.
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?"
    r"|[-–—]\s*\d{1,4}\s*[-–—]|\[\s*\d{1,4}\s*\])$",
    re.IGNORECASE,
)
# The same, unmistakable wherever on the page it stands: "- 7 -", "Page 7", "Page 7 of 9".
_PAGE_NUMBER_STRONG = re.compile(
    r"^(?:(?:page|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])$", re.IGNORECASE
)
# A running header or footer that starts or ends with the page number: "Report · page 2", "Page 1 of 3 Sheet".
_PAGE_PHRASE = r"(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])"
_HAS_PAGE_NUMBER = re.compile(rf"^{_PAGE_PHRASE}\s|\s{_PAGE_PHRASE}$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_EDGE_LINES = 2  # rows at the top and at the bottom of a page where running headers and footers sit


def _furniture_key(text: str) -> str:
    """A line's text with page-dependent parts ignored: digits, case, spacing."""
    return " ".join(_DIGITS.sub("#", text.casefold()).split())


def _edge_lines(page_lines: Sequence[_Line]) -> set[int]:
    """ids of the lines in the first and last few visual rows of a page (out of tables)."""
    rows = sorted({round(line.top) for line in page_lines})
    edge_rows = set(rows[:_EDGE_LINES]) | set(rows[-_EDGE_LINES:])
    return {id(line) for line in page_lines if round(line.top) in edge_rows}


def _drop_page_furniture(lines: Sequence[_Line]) -> list[_Line]:
    """The lines minus running headers, footers and page numbers.

    A running header or footer is a line at the top or bottom of most pages whose
    text, digits aside, repeats ("Page 2 of 3", "Report · page 2", a sheet title).
    A page-number line ("- 2 -", "Page 2 of 3") goes wherever it stands; a bare
    number only at a page edge. A line that recurs with only its leading or trailing
    page number changed ("Report page 1", "Report page 2") goes even in mid-page,
    once one copy stands at a page edge (a converter that ignored a page break).
    Lines in tables stay: a table row repeated on every page is content.
    """
    pages: dict[int, list[_Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    edge: set[int] = set()
    for page_lines in pages.values():
        edge |= _edge_lines([line for line in page_lines if line.table is None])
    edge_lines: dict[str, list[_Line]] = {}
    occurrences: dict[str, list[_Line]] = {}
    for line in lines:
        if line.table is not None:
            continue
        key = _furniture_key(line.text)
        occurrences.setdefault(key, []).append(line)
        if id(line) in edge:
            edge_lines.setdefault(key, []).append(line)
    n_pages = len(pages)
    running = set()
    for key, found in edge_lines.items():
        # Printed at the same height on each page, as page templates put them.
        middle = _median([line.top for line in found])
        seen = {line.page for line in found if abs(line.top - middle) <= 3.0}
        if n_pages >= 2 and len(seen) >= max(2, math.ceil(0.5 * n_pages)) and any(ch.isalnum() for ch in key):
            running.add(key)
    for key, found in occurrences.items():
        if (
            key in edge_lines
            and len(found) >= 2
            and all(_HAS_PAGE_NUMBER.search(line.text) for line in found)
            and len({line.text for line in found}) == len(found)
        ):
            running.add(key)  # the same words with a different page number each time
    kept = []
    for line in lines:
        text = line.text.strip()
        if line.table is None and (
            _furniture_key(text) in running
            or _PAGE_NUMBER_STRONG.match(text)
            or (id(line) in edge and _PAGE_NUMBER.match(text))
        ):
            continue
        kept.append(line)
    return kept


# Prefixes that form real hyphenated compounds ("self-financing", "co-operation"): a line
# ending in one keeps its hyphen when the word is re-joined.
_COMPOUND_PREFIXES = frozenset(
    {
        *("self", "co", "non", "multi", "cross", "well", "semi", "low", "high", "long", "short"),
        *("full", "half", "small", "large", "community", "city", "people", "user"),
    }
)
_HYPHENATED_END = re.compile(r"(?:^|(?<=[\s(\[\"'“‘/]))([^\W\d_]+(?:-[^\W\d_]+)*)-$")
_LOWER_START = re.compile(r"^([a-zß-ÿ][^\s]*)(?:\s+|$)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _join_hyphenated(lines: Sequence[_Line]) -> list[_Line]:
    """Words hyphenated across line breaks re-joined ("Plan-" + "ning Agency" -> "Planning" + "Agency").

    The continuation moves up to the first line, so each line still holds whole
    words; a second line left empty goes. It applies only inside one paragraph
    (a block or a cell, possibly across a page break), when the line ends with a
    letter and a hyphen and the next starts with a lower-case letter. The hyphen
    stays for compounds: a known prefix ("self-", "co-") or a hyphenated spelling
    the document uses elsewhere.
    """
    words: set[str] = set()
    for line in lines:
        words.update(w.casefold() for w in _WORD.findall(line.text))
    kept: list[_Line] = []
    for line in lines:
        prev = kept[-1] if kept else None
        if prev is not None and not line.new_block and not line.list_item and line.table == prev.table:
            head = _HYPHENATED_END.search(prev.text)
            tail = _LOWER_START.match(line.text)
            if head and tail:
                first = head.group(1)
                fragment = tail.group(1)
                piece = _WORD.match(fragment)
                second = piece.group(0) if piece else fragment
                hyphenated = f"{first}-{second}".casefold()
                joined = f"{first}{second}".casefold()
                last_part = first.rsplit("-", 1)[-1].casefold()
                keep = (hyphenated in words and joined not in words) or (
                    last_part in _COMPOUND_PREFIXES and joined not in words
                )
                prev.text = (prev.text if keep else prev.text[:-1]) + fragment
                line.text = line.text[tail.end() :]
                if not line.text:
                    continue
        kept.append(line)
    return kept


def _wraps(text: str) -> bool:
    """The line ends mid-sentence, so the next line continues it."""
    return bool(text) and (text[-1].isalnum() or text[-1] in ",-–(&/")


def _mark_headings(lines: Sequence[_Line]) -> None:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    if not sizes:
        return
    body = sizes.most_common(1)[0][0]
    heading_sizes = sorted(
        {
            line.size
            for line in lines
            if line.table is None and line.size >= 1.15 * body and sum(ch.isalnum() for ch in line.text) >= 2
        },
        reverse=True,
    )
    levels = {size: min(rank + 1, 3) for rank, size in enumerate(heading_sizes)}
    for line in lines:
        if line.table is None and sum(ch.isalnum() for ch in line.text) >= 2:
            line.heading_level = levels.get(line.size, 0)


def _error_for(exc: BaseException) -> DocumentError:
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, PDFPasswordIncorrect):
            return EncryptedDocumentError(
                "the PDF is password-protected", hint="ask the sender for a copy without a password"
            )
        if isinstance(current, PDFEncryptionError):
            return EncryptedDocumentError(
                "the PDF is encrypted in a way that cannot be opened",
                hint="ask the sender for an unencrypted copy",
            )
        pending += [a for a in current.args if isinstance(a, BaseException)]
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
    reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
    return CorruptDocumentError(f"the PDF cannot be read: {reason}")


def _metadata_title(pdf: Any) -> str | None:
    try:
        title = (pdf.metadata or {}).get("Title")
    except Exception:  # broken metadata is no reason to lose the text
        return None
    if isinstance(title, bytes):
        title = title.decode(
            "utf-16" if title.startswith((b"\xfe\xff", b"\xff\xfe")) else "latin-1", "replace"
        )
    return title if isinstance(title, str) else None


def _page_list(pages: Sequence[int]) -> str:
    shown = ", ".join(map(str, pages[:10]))
    return shown + (f" and {len(pages) - 10} more" if len(pages) > 10 else "")


def _close_quietly(pdf: Any) -> None:
    # Closing walks the page tree again; on a broken file that fails, and must not hide the real error.
    try:
        pdf.close()
    except Exception:
        stream = getattr(pdf, "stream", None)
        if stream is not None:
            stream.close()


def parse_pdf(data: bytes, *, max_pages: int = 500) -> ParsedDocument:
    """Parse PDF bytes into lines in reading order.

    Raises EncryptedDocumentError, CorruptDocumentError, OcrRequiredError (no text
    layer anywhere), EmptyDocumentError and LimitExceededError (more than ``max_pages``).
    """
    if not data:
        raise EmptyDocumentError("the file is empty (0 bytes)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises anything on broken input
        raise _error_for(exc) from exc
    try:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise _error_for(exc) from exc
        if not pages:
            raise EmptyDocumentError("the PDF has no pages")
        if len(pages) > max_pages:
            raise LimitExceededError(
                f"the PDF has {len(pages)} pages, more than the limit of {max_pages} pages",
                hint="raise max_pages to parse it",
            )
        reader = _PdfReader()
        lines: list[_Line] = []
        warnings: list[str] = []
        scanned: list[int] = []
        failed: list[int] = []
        any_text = False
        for page_no, page in enumerate(pages, start=1):
            try:
                page_lines, has_text = reader.page_lines(page, page_no)
                if not has_text and (page.images or len(page.curves) > 20):
                    scanned.append(page_no)
            except Exception as exc:  # one bad page must not lose the others
                failed.append(page_no)
                warnings.append(f"page {page_no} could not be read: {_error_for(exc).reason}")
                page_lines, has_text = [], False
            finally:
                page.close()
            any_text = any_text or has_text
            lines.extend(page_lines)
        if failed and len(failed) == len(pages):
            raise CorruptDocumentError(f"the PDF cannot be read: no page could be parsed ({warnings[0]})")
        if not any_text:
            if scanned:
                raise OcrRequiredError(
                    "the PDF has no text layer (a scan): OCR is needed",
                    hint=f"{len(scanned)} of {len(pages)} pages are images only; run OCR and parse the result",
                )
            raise EmptyDocumentError("the PDF holds no text")
        title = _metadata_title(pdf)
    finally:
        _close_quietly(pdf)
    if scanned:
        warnings.append(
            f"page(s) {_page_list(scanned)} have no text layer (scanned images): their content needs OCR"
        )
    if reader.cid_glyphs:
        warnings.append(
            f"{reader.cid_glyphs} glyphs without a Unicode mapping were dropped; some text may be missing"
        )
    lines = _drop_page_furniture(lines)
    _mark_blocks(lines)
    lines = _join_hyphenated(lines)
    _mark_headings(lines)
    builder = DocumentBuilder(PDF)
    builder.warnings.extend(warnings)
    by_page: dict[int, list[_Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    for page_no in range(1, len(pages) + 1):
        builder.start_page(page_no)
        for line in by_page.get(page_no, []):
            if line.new_block:
                builder.break_block()
            builder.add_line(
                line.text,
                LineAttrs(
                    bold=line.bold,
                    italic=line.italic,
                    size=line.size,
                    indent=line.x0 - line.margin,
                    heading_level=line.heading_level,
                    list_item=line.list_item,
                    table=line.table,
                    row=line.row,
                    col=line.col,
                ),
            )
    return builder.build(empty_reason="the PDF holds no text", title_hint=title, needs_ocr=bool(scanned))
