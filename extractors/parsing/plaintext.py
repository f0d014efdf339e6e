"""Plain text and Markdown: blocks split on blank lines, markup turned into line cues.

The document text is rebuilt from cleaned lines (markers removed), so offsets
point into text a reader would see, not into the markup.
"""

from __future__ import annotations

import re

from extractors.errors import EmptyDocumentError
from extractors.parsing.builder import DocumentBuilder, LineAttrs, clean_text, starts_with_enumerator
from extractors.parsing.sniff import MARKDOWN, TEXT, decode_text
from schemas.document import ParsedDocument, TextLine

_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_BULLET = re.compile(r"^\s*[-*+•▪●◦‣·]\s+(?=\S)")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+|mailto:[^>\s]+|[^>\s@]+@[^>\s@]+\.[^>\s@]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"
)
_CODE = re.compile(r"`+([^`]+)`+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")


def _inline(text: str) -> tuple[str, bool]:
    """Text without inline markup, and whether it starts bold ("**Date:** 2 July")."""
    bold = bool(_STRONG.match(text.lstrip()))
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ESCAPE.sub(r"\1", text)
    return clean_text(text), bold


def _indent(raw: str) -> float:
    prefix = raw[: len(raw) - len(raw.lstrip())]
    return float(len(prefix.expandtabs(4)))


# The rule under a fixed-width table's header: two or more groups of dashes.
_COLUMN_RULE = re.compile(r"^\s*-{3,}(?:\s{2,}-{3,})+\s*$")


def _fixed_cells(line: str, starts: list[int]) -> list[str]:
    line = line.expandtabs(4)
    bounds = [*starts[1:], None]
    return [line[a:b].strip() if a < len(line) else "" for a, b in zip(starts, bounds, strict=True)]


def _cells(row: str) -> list[str]:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


class _TextReader:
    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.in_fence = False
        self.block_lines: list[TextLine] = []
        self.block_is_list = False
        self.table: int | None = None
        self.table_row = -1

    def break_block(self) -> None:
        self.builder.break_block()
        self.block_lines = []
        self.block_is_list = False

    def add(self, text: str, attrs: LineAttrs) -> None:
        line = self.builder.add_line(text, attrs)
        if line is not None:
            self.block_lines.append(line)

    def page(self, lines: list[str]) -> None:
        self.break_block()
        i = 0
        while i < len(lines):
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if not self.in_fence and lines[i].strip() and _COLUMN_RULE.match(following):
                i = self.fixed_width_table(lines, i)
                continue
            self.line(lines[i], following)
            i += 1
        self.break_block()

    def fixed_width_table(self, lines: list[str], header: int) -> int:
        """A table typed with spaces: a header line, a rule of dash groups under its columns, rows
        until a blank line. Cells are cut where the rule's groups start; a row whose first cell is
        blank carries on the cells of the row above (wrapped text). Returns the next line to read."""
        starts = [m.start() for m in re.finditer(r"-{3,}", lines[header + 1].expandtabs(4))]
        self.break_block()
        table = self.builder.new_table()
        rows: list[list[str]] = [_fixed_cells(lines[header], starts)]
        i = header + 2
        while i < len(lines) and lines[i].strip():
            cells = _fixed_cells(lines[i], starts)
            if cells[0] or len(rows) == 1:
                rows.append(cells)
            else:
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
            i += 1
        for r, cells in enumerate(rows):
            for col, cell in enumerate(cells):
                text, bold = _inline(cell)
                if text:
                    self.break_block()
                    self.add(text, LineAttrs(bold=bold or r == 0, table=table, row=r, col=col))
        self.break_block()
        return i

    def line(self, raw: str, following: str) -> None:
        if _FENCE.match(raw):
            self.in_fence = not self.in_fence
            self.break_block()
            return
        if self.in_fence:
            self.add(clean_text(raw), LineAttrs(indent=_indent(raw)))
            return
        if _TABLE_ROW.match(raw):
            self.table_line(raw, following)
            return
        if self.table is not None:
            self.table = None
            self.break_block()
        raw = _QUOTE.sub("", raw)
        if not raw.strip():
            self.break_block()
            return
        setext = _SETEXT.match(raw)
        if setext and len(self.block_lines) == 1 and not self.block_is_list:
            # "Title\n=====": the underline makes the line above a heading.
            self.block_lines[0].heading_level = 1 if setext.group(1)[0] == "=" else 2
            self.break_block()
            return
        if _RULE.match(raw):
            self.break_block()
            return
        atx = _ATX.match(raw)
        if atx:
            self.break_block()
            text, bold = _inline(atx.group(2) or "")
            self.add(text, LineAttrs(bold=bold, heading_level=len(atx.group(1))))
            self.break_block()
            return
        indent = _indent(raw)
        bullet = _BULLET.match(raw)
        if bullet:
            raw = raw[bullet.end() :]
        text, bold = _inline(raw)
        list_item = bool(bullet) or starts_with_enumerator(text)
        if list_item:
            self.break_block()
            self.block_is_list = True
        self.add(text, LineAttrs(bold=bold, indent=indent, list_item=list_item))

    def table_line(self, raw: str, following: str) -> None:
        if _TABLE_SEPARATOR.match(raw):
            return
        if self.table is None:
            self.break_block()
            self.table = self.builder.new_table()
            self.table_row = -1
        self.table_row += 1
        header = bool(_TABLE_SEPARATOR.match(following))
        for col, cell in enumerate(_cells(raw)):
            text, bold = _inline(cell)
            if text:
                self.break_block()
                self.add(text, LineAttrs(bold=bold or header, table=self.table, row=self.table_row, col=col))


def parse_text(data: bytes, name: str = "", *, media_type: str | None = None) -> ParsedDocument:
    """Parse plain text or Markdown bytes.

    Blank lines separate blocks; Markdown headings, bullets, bold and pipe tables
    become line cues with their markers removed. Form feeds (as in pdftotext output)
    separate pages. Raises EmptyDocumentError when no text remains.
    """
    if not data:
        raise EmptyDocumentError("the file is empty (0 bytes)")
    if media_type is None:
        media_type = MARKDOWN if name.lower().endswith((".md", ".markdown")) else TEXT
    text, _ = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    if pages and not pages[-1].strip() and len(pages) > 1:
        pages.pop()  # a trailing form feed ends the last page; it does not start another
    builder = DocumentBuilder(media_type)
    reader = _TextReader(builder)
    paged = len(pages) > 1
    for number, page in enumerate(pages, start=1):
        builder.start_page(number if paged else None)
        reader.page(page.split("\n"))
    return builder.build(empty_reason="the text file holds no text")
