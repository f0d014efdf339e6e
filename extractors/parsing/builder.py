"""Assembling a ParsedDocument line by line, with exact offsets.

Every parser produces lines; the builder owns the text so that offsets cannot
drift: a line's span is recorded at the moment its text is appended.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.errors import EmptyDocumentError
from schemas.document import PAGE_SEPARATOR, Box, PageSpan, ParsedDocument, TextLine, WordBox

LINE_SEPARATOR = "\n"

# Invisible characters that break matching ("Date:" vs "Da\u00adte:") and carry no meaning here.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\ufffe"), None)
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_SPACES = re.compile(r"\s+")
# C0/C1 controls other than white space (NULs and the like from broken encodings).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")

# A line that opens a list item: a bullet glyph, or a short enumerator such as "a)", "(1)", "1.", "iv)".
_BULLET_START = re.compile(
    r"""^\s*(?:
        [•▪▫●○◦‣∙·■□►▶➢➤✓✔❖\uf0b7\uf0a7\uf0d8\uf076]\s*\S     # bullet glyphs (incl. Symbol-font PUA bullets)
      | [-*–—]\s*[^\W\d_]                                      # dash/star bullets: "- item", "-Citizens"
      | [-*–—]\s+\S
    )""",
    re.VERBOSE,
)
_ENUMERATOR_START = re.compile(
    r"""^\s*(?:
        \(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})\)\s+\S           # "a) ", "(1) ", "iv) "
      | \d{1,2}\.\s+\S                                          # "1. "
      | [a-z]\.\s+\S                                            # "a. "
    )""",
    re.VERBOSE,
)


def starts_with_bullet(text: str) -> bool:
    return bool(_BULLET_START.match(text))


def starts_with_enumerator(text: str) -> bool:
    return bool(_ENUMERATOR_START.match(text))


def looks_like_list_item(text: str) -> bool:
    return starts_with_bullet(text) or starts_with_enumerator(text)


def clean_text(text: str) -> str:
    """One line's text: control and invisible characters dropped, white space collapsed."""
    text = _CONTROL.sub("", text.translate(_INVISIBLE).translate(_LIGATURES))
    return _SPACES.sub(" ", text).strip()


@dataclass
class LineAttrs:
    """Layout cues of one line; the builder adds text, page, offsets and block."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    indent: float = 0.0
    heading_level: int = 0
    list_item: bool = False
    table: int | None = None
    row: int | None = None
    col: int | None = None
    boxes: list[WordBox] = field(default_factory=list)  # see ``word_boxes``


def word_boxes(text: str, words: Sequence[tuple[str, Box | None]]) -> list[WordBox]:
    """The boxes of a line's words, placed in the line's ``text`` (the words joined, perhaps edited).

    Each word is matched where the text stands after the words before it (spaces skipped), so a
    box can only land on the characters its word printed; a word no longer there (a hyphenated
    fragment moved to the line above) or without a box gets none. Boxes are rounded to 0.01 pt.
    """
    boxes: list[WordBox] = []
    cursor = 0
    for word, box in words:
        at = cursor
        while at < len(text) and text[at].isspace():
            at += 1
        for piece in (word, word.rstrip("-")):
            if piece and text.startswith(piece, at):
                if box is not None:
                    x0, top, x1, bottom = (round(v, 2) for v in box)
                    boxes.append((at, at + len(piece), x0, top, x1, bottom))
                cursor = at + len(piece)
                break
    return boxes


class DocumentBuilder:
    """Accumulates pages and lines; ``build`` returns the validated document."""

    def __init__(self, media_type: str) -> None:
        self.media_type = media_type
        self.warnings: list[str] = []
        self._parts: list[str] = []
        self._length = 0
        self._pages: list[PageSpan] = []
        self._lines: list[TextLine] = []
        self._page: int | None = None
        self._page_start: int | None = None
        self._page_has_line = False
        self._block = -1
        self._block_open = False
        self._tables = 0

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def start_page(self, page: int | None) -> None:
        """Begin a page (``None`` for formats without pages); closes the previous one."""
        self.end_page()
        if self._pages or self._page_start is not None:
            self._append(PAGE_SEPARATOR)
        self._page = page
        self._page_start = self._length
        self._page_has_line = False

    def end_page(self) -> None:
        if self._page_start is None:
            return
        self._pages.append(PageSpan(page=self._page, char_start=self._page_start, char_end=self._length))
        self._page_start = None

    def break_block(self) -> None:
        """The next line starts a new block (numbers stay contiguous: empty blocks take none)."""
        self._block_open = False

    def new_table(self) -> int:
        self._tables += 1
        return self._tables - 1

    def add_line(self, text: str, attrs: LineAttrs | None = None) -> TextLine | None:
        """Append one line (already cleaned); empty text is skipped and returns None."""
        if not text:
            return None
        if self._page_start is None:
            self.start_page(None)
        if not self._block_open:
            self._block += 1
            self._block_open = True
        if self._page_has_line:
            self._append(LINE_SEPARATOR)
        start = self._length
        self._append(text)
        self._page_has_line = True
        a = attrs or LineAttrs()
        line = TextLine(
            text=text,
            page=self._page,
            char_start=start,
            char_end=self._length,
            block=self._block,
            bold=a.bold,
            italic=a.italic,
            size=a.size,
            indent=round(max(a.indent, 0.0), 2),
            heading_level=max(0, min(6, a.heading_level)),
            list_item=a.list_item,
            table=a.table,
            row=a.row,
            col=a.col,
            boxes=a.boxes,
        )
        self._lines.append(line)
        return line

    @property
    def n_lines(self) -> int:
        return len(self._lines)

    def build(
        self,
        *,
        empty_reason: str,
        title_hint: str | None = None,
        needs_ocr: bool = False,
    ) -> ParsedDocument:
        """The finished document; EmptyDocumentError (``empty_reason``) when no line holds text."""
        self.end_page()
        if not self._lines:
            raise EmptyDocumentError(empty_reason)
        title = clean_text(title_hint) if title_hint else ""
        return ParsedDocument(
            media_type=self.media_type,
            text="".join(self._parts),
            pages=self._pages,
            lines=self._lines,
            title_hint=title or None,
            needs_ocr=needs_ocr,
            warnings=self.warnings,
        )
