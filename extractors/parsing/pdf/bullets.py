"""List bullets drawn as vector shapes (HTML prints do this), and the lines they mark as list items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from extractors.parsing.pdf.lines import Line


def _vector_bullets(page: Any) -> list[tuple[float, float, float, float]]:
    """Small filled dots and squares: list bullets drawn as shapes (HTML prints do this)."""
    bullets = []
    for obj in [*page.curves, *page.rects]:
        w, h = float(obj["x1"]) - float(obj["x0"]), float(obj["bottom"]) - float(obj["top"])
        if obj.get("fill") and 1.5 <= w <= 8 and 1.5 <= h <= 8 and abs(w - h) <= 0.3 * max(w, h):
            bullets.append((float(obj["x0"]), float(obj["x1"]), float(obj["top"]), float(obj["bottom"])))
    return bullets


def mark_bulleted_lines(page: Any, lines: Sequence[Line]) -> None:
    """Marks as a list item each line with a drawn bullet just left of it, on its band."""
    bullets = _vector_bullets(page) if len(page.curves) + len(page.rects) < 2000 else []
    for line in lines:
        if any(
            x1 <= line.x0 + 0.5
            and line.x0 - x1 <= 3 * line.size
            and line.top <= (top + bottom) / 2 <= line.bottom
            for _x0, x1, top, bottom in bullets
        ):
            line.list_item = True
