"""HTML parsing with BeautifulSoup (lxml): the visible text as blocks and lines."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace

from bs4 import (
    BeautifulSoup,
    Comment,
    Declaration,
    Doctype,
    MarkupResemblesLocatorWarning,
    NavigableString,
    ProcessingInstruction,
    Tag,
)
from bs4.element import CData, Script, Stylesheet, TemplateString

from extractors.errors import CorruptDocumentError, EmptyDocumentError
from extractors.parsing.builder import DocumentBuilder, LineAttrs, clean_text, looks_like_list_item
from extractors.parsing.sniff import HTML, declared_html_charset, decode_text
from schemas.document import ParsedDocument

# Never visible, or page furniture rather than content.
_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "nav",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "svg",
        "canvas",
        "iframe",
        "object",
        "embed",
        "select",
        "button",
        "textarea",
        "input",
        "option",
        "datalist",
        "rt",
        "rp",
        "map",
        "area",
        "audio",
        "video",
        "source",
        "track",
    }
)


def _mostly_links(node: Tag) -> bool:
    """A sidebar of links is navigation; a sidebar of text (a contact box, a fact box) is content."""
    text = len(node.get_text(" ", strip=True))
    linked = sum(len(a.get_text(" ", strip=True)) for a in node.find_all("a"))
    return text == 0 or linked * 2 >= text


# Page furniture, dropped unless it holds most of the page (some sites wrap everything in a form).
_CHROME = frozenset({"header", "footer", "form"})
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "td",
        "th",
        "ul",
        "legend",
    }
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BOLD = frozenset({"b", "strong"})
_ITALIC = frozenset({"i", "em", "cite", "dfn", "var"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.IGNORECASE)
_SKIPPED_STRINGS = (
    Comment,
    Declaration,
    Doctype,
    ProcessingInstruction,
    CData,
    Script,
    Stylesheet,
    TemplateString,
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


@dataclass(frozen=True)
class _Context:
    bold: bool = False
    italic: bool = False
    heading: int = 0
    pre: bool = False
    cell: tuple[int, int, int] | None = None


@dataclass
class _Run:
    text: str
    bold: bool
    italic: bool


class _Walker:
    """Turns the element tree into builder lines; iterative, so deep nesting cannot overflow."""

    def __init__(self, builder: DocumentBuilder, body_chars: int) -> None:
        self.builder = builder
        self.body_chars = body_chars
        self.lines: list[list[_Run]] = [[]]
        self.block_context = _Context()
        self.list_pending = False
        self.tables: list[list[int]] = []  # per open table: index, row, next column

    def walk(self, root: Tag) -> None:
        stack: list[tuple[object, _Context, bool]] = [(root, _Context(), False)]
        while stack:
            node, ctx, leaving = stack.pop()
            if isinstance(node, NavigableString):
                if not isinstance(node, _SKIPPED_STRINGS):
                    self.text(str(node), ctx)
                continue
            if not isinstance(node, Tag):
                continue
            if leaving:
                self.leave(node)
                continue
            if self.dropped(node):
                continue
            inner = self.enter(node, ctx)
            stack.append((node, ctx, True))
            stack.extend((child, inner, False) for child in reversed(node.contents))
        self.flush()

    def dropped(self, node: Tag) -> bool:
        name = node.name
        if name in _DROP or node.has_attr("hidden") or node.get("aria-hidden") == "true":
            return True
        if _HIDDEN_STYLE.search(str(node.get("style") or "")):
            return True
        if name == "aside":
            return _mostly_links(node)
        if name not in _CHROME:
            return False
        # An article's own header holds its title; only the page's banner and footer are furniture.
        if name != "form" and node.find_parent(("article", "main", "section")) is not None:
            return False
        return len(node.get_text(" ", strip=True)) * 2 < self.body_chars

    def enter(self, node: Tag, ctx: _Context) -> _Context:
        name = node.name
        if name == "br":
            self.lines.append([])
            return ctx
        if name in _BLOCKS:
            self.flush()
        if name in _BOLD or _BOLD_STYLE.search(str(node.get("style") or "")):
            ctx = replace(ctx, bold=True)
        if name in _ITALIC:
            ctx = replace(ctx, italic=True)
        if name in _HEADINGS:
            ctx = replace(ctx, heading=_HEADINGS[name], bold=True)
        elif name in ("pre", "textarea"):
            ctx = replace(ctx, pre=True)
        elif name == "li":
            self.list_pending = True
        elif name == "table":
            self.tables.append([self.builder.new_table(), -1, 0])
            ctx = replace(ctx, cell=None)
        elif name == "tr" and self.tables:
            self.tables[-1][1] += 1
            self.tables[-1][2] = 0
        elif name in ("td", "th") and self.tables:
            table = self.tables[-1]
            row = max(table[1], 0)
            span = str(node.get("colspan") or "1")
            ctx = replace(ctx, cell=(table[0], row, table[2]), bold=ctx.bold or name == "th")
            table[2] += max(1, min(1000, int(span))) if span.isdigit() else 1
        return ctx

    def leave(self, node: Tag) -> None:
        name = node.name
        if name in _BLOCKS:
            self.flush()
        if name == "li":
            self.list_pending = False
        elif name == "table" and self.tables:
            self.tables.pop()

    def text(self, text: str, ctx: _Context) -> None:
        if not any(run.text.strip() for line in self.lines for run in line):
            self.block_context = ctx
        if ctx.pre:
            for i, piece in enumerate(text.split("\n")):
                if i:
                    self.lines.append([])
                self.lines[-1].append(_Run(piece, ctx.bold, ctx.italic))
        else:
            self.lines[-1].append(_Run(text, ctx.bold, ctx.italic))

    def flush(self) -> None:
        lines, self.lines = self.lines, [[]]
        ctx = self.block_context
        first = True
        self.builder.break_block()
        for runs in lines:
            text = clean_text("".join(run.text for run in runs))
            if not text:
                continue
            lead = next(run for run in runs if run.text.strip())
            weight = sum(len(run.text.strip()) for run in runs) or 1
            list_item = first and (self.list_pending or looks_like_list_item(text))
            table, row, col = ctx.cell if ctx.cell is not None else (None, None, None)
            self.builder.add_line(
                text,
                LineAttrs(
                    # Forms print "<strong>Date:</strong> 2 July 2004": a bold start marks the label.
                    bold=lead.bold,
                    italic=sum(len(run.text.strip()) for run in runs if run.italic) * 2 > weight,
                    heading_level=ctx.heading,
                    list_item=list_item,
                    table=table,
                    row=row,
                    col=col,
                ),
            )
            if first:
                self.list_pending = False
            first = False
        self.block_context = _Context()


def parse_html(data: bytes) -> ParsedDocument:
    """Parse HTML bytes: visible text by block (headings, paragraphs, list items, cells).

    Decodes by BOM, then the declared charset, then UTF-8, then cp1252; never fails on
    bad bytes. Raises EmptyDocumentError when the page shows no text.
    """
    if not data:
        raise EmptyDocumentError("the file is empty (0 bytes)")
    xml_encoding = _XML_ENCODING.match(data[:512])
    declared = declared_html_charset(data) or (
        xml_encoding.group(1).decode("ascii") if xml_encoding else None
    )
    text, _ = decode_text(data, declared)
    try:
        with warnings.catch_warnings():
            # Short pages like "index.html" look like file names to bs4; we always pass markup.
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml rejects little, but a parser crash must still name the document's fault
        raise CorruptDocumentError(
            f"the HTML cannot be parsed: {str(exc)[:120] or type(exc).__name__}"
        ) from exc
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if isinstance(title_tag, Tag) else None
    root = soup.body if isinstance(soup.body, Tag) else soup
    builder = DocumentBuilder(HTML)
    builder.start_page(None)
    body_chars = len(root.get_text(" ", strip=True))
    _Walker(builder, body_chars).walk(root)
    return builder.build(empty_reason="the HTML page shows no text", title_hint=title)
