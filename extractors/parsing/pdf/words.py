"""A page's words with their font cues, grouped by reading direction and turned upright."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pdfplumber

from extractors.parsing.builder import clean_text
from extractors.parsing.pdf.overprint import drop_overprints

_BOLD = re.compile(r"bold|black|heavy", re.IGNORECASE)
_ITALIC = re.compile(r"italic|oblique|-it$|boldit", re.IGNORECASE)
_CID = re.compile(r"\(cid:\d+\)")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool
    # Where the word is printed, upright on the page (x0, top, x1, bottom in points), whatever
    # its reading frame: the box a fact's evidence is shown in.
    box: tuple[float, float, float, float] | None = None

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2


class WordReader:
    """Reads the words of one page after another, counting the glyphs it had to drop."""

    def __init__(self) -> None:
        # Glyphs without a Unicode mapping ("(cid:12)"), over the whole document, for its warning.
        self.cid_glyphs = 0

    def words(self, page: Any) -> dict[str, list[Word]]:
        """The page's cleaned words by reading direction; duplicate glyphs (fake bold) dropped.

        Rotated words get coordinates in their own reading frame (x along the text,
        top growing from the first line), so one layout code serves every direction.
        """
        raw = pdfplumber.utils.extract_words(drop_overprints(page.chars), extra_attrs=["fontname", "size"])
        width, height = float(page.width), float(page.height)
        by_direction: dict[str, list[Word]] = {}
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
            box = (x0, top, x1, bottom)
            if direction == "ttb":  # page turned clockwise: the first line is on the right
                x0, x1, top, bottom = top, bottom, width - x1, width - x0
            elif direction == "btt":  # turned anticlockwise: the first line is on the left
                x0, x1, top, bottom = height - bottom, height - top, x0, x1
            elif direction == "rtl":
                x0, x1, top, bottom = width - x1, width - x0, height - bottom, height - top
            font = str(w.get("fontname") or "")
            by_direction.setdefault(direction, []).append(
                Word(
                    text=text,
                    x0=x0,
                    x1=x1,
                    top=top,
                    bottom=bottom,
                    # A rotated char's "size" is not its font size; its height across the line is.
                    size=round((float(w.get("size") or 0.0) if direction == "ltr" else bottom - top) * 2) / 2,
                    bold=bool(_BOLD.search(font)),
                    italic=bool(_ITALIC.search(font)),
                    box=box,
                )
            )
        return by_direction
