"""The parsed-document model every parser produces and every extractor reads.

Whatever the format (PDF, DOCX, HTML, text), a document becomes its text (pages
joined with ``PAGE_SEPARATOR``) plus a list of lines carrying the layout cues
forms rely on. Every line's ``char_start``/``char_end`` index into ``text``, so
an extracted fact can point back at its evidence. PDF lines also carry the box of
each of their words on the page, so the evidence can be found on the page itself.
"""

from __future__ import annotations

from bisect import bisect_right

from pydantic import BaseModel, ConfigDict, Field, model_validator

PAGE_SEPARATOR = "\n"

# One word of a line on its page: (start, end) offsets into the line's text, then its box
# (x0, top, x1, bottom) in PDF points from the page's top-left corner, as pdfplumber gives them.
# A plain tuple keeps the document small when it is serialised (one per word).
WordBox = tuple[int, int, float, float, float, float]
# A box on a page: (x0, top, x1, bottom) in PDF points.
Box = tuple[float, float, float, float]


class TextLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    page: int | None = Field(description="1-based page, null for formats without pages.")
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    block: int = Field(
        default=0, ge=0, description="Lines of one paragraph, cell or list item share a block."
    )
    bold: bool = Field(default=False, description="Most characters of the line are bold.")
    italic: bool = False
    size: float | None = Field(default=None, description="Dominant font size (PDF), in points.")
    indent: float = Field(default=0.0, description="Left offset from the page's text margin, in points.")
    heading_level: int = Field(
        default=0, ge=0, le=6, description="1-6 for headings (HTML h1-h6, DOCX styles, PDF size)."
    )
    list_item: bool = Field(default=False, description="The line starts a bulleted or numbered item.")
    table: int | None = Field(default=None, description="Index of the table the line is in, if any.")
    row: int | None = None
    col: int | None = None
    boxes: list[WordBox] = Field(
        default_factory=list,
        description="Its words' boxes on the page (PDF, OCR); empty for formats without pages.",
    )


class PageSpan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int | None
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)


class ParsedDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    media_type: str
    text: str
    pages: list[PageSpan]
    lines: list[TextLine]
    title_hint: str | None = Field(default=None, description="HTML <title>, PDF or DOCX metadata title.")
    needs_ocr: bool = Field(default=False, description="Pages without a text layer were found.")
    ocr_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    warnings: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _spans_inside_text(self) -> ParsedDocument:
        n = len(self.text)
        for line in self.lines:
            if not (0 <= line.char_start <= line.char_end <= n):
                raise ValueError(f"line span {line.char_start}-{line.char_end} outside text of {n} chars")
            length = line.char_end - line.char_start
            for start, end, *_ in line.boxes:
                if not (0 <= start <= end <= length):
                    raise ValueError(f"word box span {start}-{end} outside its line of {length} chars")
        return self

    @property
    def n_pages(self) -> int | None:
        return None if self.pages and self.pages[0].page is None else len(self.pages)

    def page_text(self, span: PageSpan) -> str:
        return self.text[span.char_start : span.char_end]

    def line_at(self, offset: int) -> TextLine | None:
        """The line holding the character at ``offset``, if any."""
        for line in self.lines:
            if line.char_start <= offset < line.char_end:
                return line
        return None

    def page_at(self, offset: int) -> int | None:
        for span in self.pages:
            if span.char_start <= offset <= span.char_end:
                return span.page
        return self.pages[-1].page if self.pages else None

    def evidence_box(self, start: int, end: int) -> Box | None:
        """The box of the evidence ``start``-``end`` on the page it starts on: the union of the
        boxes of the words it overlaps there (of a word it covers in part, that part's share of
        the width); None where the lines carry no word boxes."""
        page = self.page_at(start)
        if page is None:
            return None
        end = max(end, start + 1)  # an empty span points at the word it stands in
        found: list[float] | None = None
        first = bisect_right(self.lines, start, key=lambda line: line.char_end)
        for index in range(first, len(self.lines)):
            line = self.lines[index]
            if line.char_start >= end:
                break
            if line.page != page:
                continue
            for word_start, word_end, x0, top, x1, bottom in line.boxes:
                a, b = line.char_start + word_start, line.char_start + word_end
                if a < end and b > start:
                    if (start > a or end < b) and x1 - x0 > bottom - top:
                        # Part of a horizontal word ("City" of "City,"): its share of the width.
                        per_char = (x1 - x0) / max(1, b - a)
                        x0, x1 = x0 + per_char * max(0, start - a), x1 - per_char * max(0, b - end)
                    if found is None:
                        found = [x0, top, x1, bottom]
                    else:
                        found = [
                            min(found[0], x0),
                            min(found[1], top),
                            max(found[2], x1),
                            max(found[3], bottom),
                        ]
        return (found[0], found[1], found[2], found[3]) if found is not None else None
