"""Glyphs printed over copies of themselves within 1pt (a fake-bold trick), found and dropped."""

from __future__ import annotations

import math
from operator import itemgetter
from typing import Any

import numpy as np

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


def drop_overprints(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chars minus copies printed over each other within 1pt (a fake-bold trick)."""
    if len(chars) < 2 or not _may_overprint(chars):
        return chars
    return drop_overprints_exact(chars)


def drop_overprints_exact(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
