"""DOCX parsing with python-docx: body paragraphs and tables in document order."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from extractors.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    LimitExceededError,
    UnsupportedFormatError,
)
from extractors.parsing.builder import DocumentBuilder, LineAttrs, clean_text, looks_like_list_item
from extractors.parsing.sniff import DOCX
from schemas.document import ParsedDocument

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100.0
# Small files compress well for innocent reasons; the ratio only matters once the sizes do.
_RATIO_FLOOR_BYTES = 1024 * 1024

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_W_P, _W_TBL, _W_SDT, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
# Runs whose text is shown: not deleted or moved-away revisions, not text boxes (a
# separate story python-docx does not place in the flow).
_VISIBLE_RUNS = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r | ./w:moveTo/w:r"
)


def check_zip_limits(
    data: bytes, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES, max_ratio: float = MAX_COMPRESSION_RATIO
) -> None:
    """Refuse archives that would unpack to more than the limits (zip bombs).

    Sizes are counted while inflating, not read from the headers, which a crafted
    file can falsify.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            declared = sum(info.file_size for info in infos)
            if declared > max_unpacked_bytes:
                raise LimitExceededError(
                    f"the DOCX would unpack to {declared:,} bytes, more than the limit of {max_unpacked_bytes:,}"
                )
            total = 0
            for info in infos:
                with archive.open(info) as member:
                    while chunk := member.read(1 << 20):
                        total += len(chunk)
                        if total > max_unpacked_bytes:
                            raise LimitExceededError(
                                f"the DOCX unpacks to more than the limit of {max_unpacked_bytes:,} bytes"
                            )
                        if total > _RATIO_FLOOR_BYTES and total > max_ratio * len(data):
                            raise LimitExceededError(
                                f"the DOCX unpacks to more than {max_ratio:g} times its size "
                                f"(the compression-ratio limit): a zip bomb?"
                            )
    except LimitExceededError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        zlib.error,
    ) as exc:
        raise CorruptDocumentError(f"the DOCX archive is damaged: {exc}") from exc


def _style_chain(style: Any) -> Iterator[Any]:
    seen = 0
    while style is not None and seen < 20:  # a cyclic basedOn chain must not hang us
        yield style
        style = style.base_style
        seen += 1


class _Styles:
    """A document's styles looked up once per style id, each with the chain it is based on.

    python-docx scans every style of the document to find the default on each lookup,
    which made style lookups most of a DOCX's parsing time.
    """

    def __init__(self, part: Any) -> None:
        self._part = part
        self._chains: dict[tuple[Any, str | None], tuple[Any, ...]] = {}

    def chain(self, style_id: str | None, style_type: Any) -> tuple[Any, ...]:
        """The style and the styles it is based on, nearest first; empty when it cannot be read."""
        key = (style_type, style_id)
        if key not in self._chains:
            try:
                style = self._part.get_style(style_id, style_type)
            except (KeyError, ValueError):
                style = None
            self._chains[key] = tuple(_style_chain(style))
        return self._chains[key]

    def of_paragraph(self, paragraph: Paragraph) -> tuple[Any, ...]:
        return self.chain(paragraph._p.style, WD_STYLE_TYPE.PARAGRAPH)

    def of_run(self, r: Any) -> tuple[Any, ...]:
        if r.rPr is None or r.rPr.rStyle is None:
            return ()
        return self.chain(r.rPr.rStyle.val, WD_STYLE_TYPE.CHARACTER)


def _style_flag(chain: tuple[Any, ...], name: str) -> bool | None:
    """Bold or italic as the style (or a style it is based on) sets it; None when none does."""
    for s in chain:
        value = getattr(s.font, name)
        if value is not None:
            return bool(value)
    return None


def _heading_level(paragraph: Paragraph, styles: tuple[Any, ...]) -> int:
    for style in styles:
        name = (style.name or "").strip()
        if name.lower() == "title":
            return 1
        match = _HEADING_STYLE.match(name)
        if match:
            return max(1, min(6, int(match.group(1))))
    p_pr = paragraph._p.pPr
    outline = p_pr.find(qn("w:outlineLvl")) if p_pr is not None else None
    if outline is not None:
        level = outline.get(qn("w:val"))
        if level is not None and level.isdigit() and int(level) < 9:
            return min(6, int(level) + 1)
    return 0


def _is_list(paragraph: Paragraph, styles: tuple[Any, ...]) -> bool:
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.find(qn("w:numPr")) is not None:
        return True
    for style in styles:
        if "list" in (style.name or "").lower():
            return True
        s_pr = style.element.find(qn("w:pPr"))
        if s_pr is not None and s_pr.find(qn("w:numPr")) is not None:
            return True
    return False


def _paragraph_lines(paragraph: Paragraph, styles: _Styles) -> list[tuple[str, bool, bool]]:
    """The paragraph's lines (split at line breaks) with bold and italic for each.

    A line is bold or italic when most of its characters are, counting run formatting
    first, then the run's character style, then the paragraph style.
    """
    para_styles = styles.of_paragraph(paragraph)
    para_bold = bool(_style_flag(para_styles, "bold"))
    para_italic = bool(_style_flag(para_styles, "italic"))
    lines: list[list[tuple[str, bool, bool]]] = [[]]
    for r in paragraph._p.xpath(_VISIBLE_RUNS):
        run = Run(r, paragraph)
        text = run.text
        if not text:
            continue
        char_styles = styles.of_run(r)
        bold = run.bold
        if bold is None:
            bold = _style_flag(char_styles, "bold")
        if bold is None:
            bold = para_bold
        italic = run.italic
        if italic is None:
            italic = _style_flag(char_styles, "italic")
        if italic is None:
            italic = para_italic
        pieces = text.replace("\r", "\n").split("\n")
        for i, piece in enumerate(pieces):
            if i:
                lines.append([])
            if piece:
                lines[-1].append((piece, bool(bold), bool(italic)))
    result = []
    for runs in lines:
        text = clean_text("".join(t for t, _, _ in runs))
        if not text:
            continue
        weight = sum(len(t.strip()) for t, _, _ in runs) or 1
        bold = sum(len(t.strip()) for t, b, _ in runs if b) * 2 > weight
        italic = sum(len(t.strip()) for t, _, i in runs if i) * 2 > weight
        result.append((text, bold, italic))
    return result


class _Walker:
    def __init__(self, document: Any, builder: DocumentBuilder) -> None:
        self.document = document
        self.builder = builder
        self.styles = _Styles(document.part)

    def body(self, container: Any, parent: Any, cell: tuple[int, int, int] | None = None) -> None:
        """Paragraphs and tables of a body, cell or content control, in order."""
        for child in container.iterchildren():
            if child.tag == _W_P:
                self.paragraph(Paragraph(child, parent), cell)
            elif child.tag == _W_TBL:
                self.table(child, parent)
                if cell is not None:
                    self.builder.break_block()
            elif child.tag == _W_SDT:
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.body(content, parent, cell)

    def paragraph(self, paragraph: Paragraph, cell: tuple[int, int, int] | None) -> None:
        lines = _paragraph_lines(paragraph, self.styles)
        if not lines:
            return
        para_styles = self.styles.of_paragraph(paragraph)
        heading = _heading_level(paragraph, para_styles)
        is_list = _is_list(paragraph, para_styles) or looks_like_list_item(lines[0][0])
        if cell is None:
            self.builder.break_block()  # in a table, the whole cell is one block
        table, row, col = cell if cell is not None else (None, None, None)
        for i, (text, bold, italic) in enumerate(lines):
            self.builder.add_line(
                text,
                LineAttrs(
                    bold=bold,
                    italic=italic,
                    heading_level=heading,
                    list_item=is_list and i == 0,
                    table=table,
                    row=row,
                    col=col,
                ),
            )

    def table(self, tbl: Any, parent: Any) -> None:
        index = self.builder.new_table()
        for r, tr in enumerate(tbl.iterchildren(_W_TR)):
            col = 0
            for tc in tr.iterchildren(_W_TC):
                tc_pr = tc.find(qn("w:tcPr"))
                span, merged = 1, False
                if tc_pr is not None:
                    grid_span = tc_pr.find(qn("w:gridSpan"))
                    if grid_span is not None and (grid_span.get(qn("w:val")) or "").isdigit():
                        span = max(1, int(grid_span.get(qn("w:val"))))
                    v_merge = tc_pr.find(qn("w:vMerge"))
                    # A vertically merged cell repeats the one above; its own content is empty.
                    merged = v_merge is not None and v_merge.get(qn("w:val")) in (None, "continue")
                if not merged:
                    self.builder.break_block()
                    self.body(tc, parent, (index, r, col))
                col += span
        self.builder.break_block()


def parse_docx(
    data: bytes,
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    max_ratio: float = MAX_COMPRESSION_RATIO,
) -> ParsedDocument:
    """Parse DOCX bytes: paragraphs and table cells in document order.

    Raises LimitExceededError for archives unpacking beyond the limits, CorruptDocumentError
    for damaged files, UnsupportedFormatError for macro-enabled or template variants,
    EmptyDocumentError when the body holds no text.
    """
    if not data:
        raise EmptyDocumentError("the file is empty (0 bytes)")
    check_zip_limits(data, max_unpacked_bytes=max_unpacked_bytes, max_ratio=max_ratio)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" in str(exc):
            raise UnsupportedFormatError(
                "the file is a Word variant python-docx cannot open (macro-enabled or template)",
                hint="save it as a plain DOCX",
            ) from exc
        raise CorruptDocumentError(f"the DOCX cannot be read: {exc}") from exc
    except Exception as exc:  # python-docx surfaces zip, XML and package errors of every kind
        raise CorruptDocumentError(
            f"the DOCX cannot be read: {str(exc)[:120] or type(exc).__name__}"
        ) from exc
    builder = DocumentBuilder(DOCX)
    builder.start_page(None)
    try:
        _Walker(document, builder).body(document.element.body, document)
        title = document.core_properties.title
    except Exception as exc:  # malformed parts (styles, numbering) fail lazily, deep inside python-docx
        raise CorruptDocumentError(
            f"the DOCX cannot be read: {str(exc)[:120] or type(exc).__name__}"
        ) from exc
    return builder.build(empty_reason="the DOCX holds no text", title_hint=title)
