"""The parsed-document model every parser produces and every extractor reads.

Whatever the format (PDF, DOCX, HTML, text), a document becomes its text (pages
joined with ``PAGE_SEPARATOR``) plus a list of lines carrying the layout cues
forms rely on. Every line's ``char_start``/``char_end`` index into ``text``, so
an extracted fact can point back at its evidence.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

PAGE_SEPARATOR = "\n"


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
