"""PDF parsing with pdfplumber: the document's pages read into lines, then marked and assembled."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pdfplumber

from extractors.errors import CorruptDocumentError, EmptyDocumentError, LimitExceededError, OcrRequiredError
from extractors.parsing.builder import DocumentBuilder, LineAttrs, word_boxes
from extractors.parsing.pdf.blocks import mark_blocks
from extractors.parsing.pdf.failures import close_quietly, document_error
from extractors.parsing.pdf.furniture import drop_page_furniture
from extractors.parsing.pdf.headings import mark_headings
from extractors.parsing.pdf.hyphenation import join_hyphenated
from extractors.parsing.pdf.lines import Line
from extractors.parsing.pdf.reading_order import PageReader
from extractors.parsing.sniff import PDF
from schemas.document import ParsedDocument


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
        raise document_error(exc) from exc
    try:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise document_error(exc) from exc
        if not pages:
            raise EmptyDocumentError("the PDF has no pages")
        if len(pages) > max_pages:
            raise LimitExceededError(
                f"the PDF has {len(pages)} pages, more than the limit of {max_pages} pages",
                hint="raise max_pages to parse it",
            )
        reader = PageReader()
        lines: list[Line] = []
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
                warnings.append(f"page {page_no} could not be read: {document_error(exc).reason}")
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
        close_quietly(pdf)
    if scanned:
        warnings.append(
            f"page(s) {_page_list(scanned)} have no text layer (scanned images): their content needs OCR"
        )
    if reader.cid_glyphs:
        warnings.append(
            f"{reader.cid_glyphs} glyphs without a Unicode mapping were dropped; some text may be missing"
        )
    # Furniture goes first, so that a footer cannot break a paragraph running onto the next page;
    # hyphenated words are re-joined only inside a block, so after the blocks are marked.
    lines = drop_page_furniture(lines)
    mark_blocks(lines)
    lines = join_hyphenated(lines)
    mark_headings(lines)
    builder = DocumentBuilder(PDF)
    builder.warnings.extend(warnings)
    by_page: dict[int, list[Line]] = {}
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
                    boxes=word_boxes(line.text, [(w.text, w.box) for w in line.words]),
                ),
            )
    return builder.build(empty_reason="the PDF holds no text", title_hint=title, needs_ocr=bool(scanned))
