"""Document parsers: bytes in, a ParsedDocument out.

``parse_document`` recognises the format from the content (the file name only
breaks ties) and dispatches to the format's parser. Parsers take bytes and do no
file I/O; every failure is one of the errors in ``extractors.errors``.
"""

from __future__ import annotations

from extractors.errors import EmptyDocumentError, OcrRequiredError
from extractors.parsing.ocr import ocr_available, ocr_pdf
from extractors.parsing.pdf import parse_pdf
from extractors.parsing.plaintext import parse_text
from extractors.parsing.sniff import DOCX, HTML, MARKDOWN, PDF, TEXT, sniff_media_type
from extractors.parsing.webpage import parse_html
from extractors.parsing.word import parse_docx
from schemas.document import ParsedDocument

__all__ = [
    "DOCX",
    "HTML",
    "MARKDOWN",
    "PDF",
    "TEXT",
    "ocr_available",
    "ocr_pdf",
    "parse_document",
    "parse_docx",
    "parse_html",
    "parse_pdf",
    "parse_text",
    "sniff_media_type",
]


def parse_document(data: bytes, name: str = "", *, max_pages: int = 500, ocr: bool = True) -> ParsedDocument:
    """Parse a document of any supported format (PDF, DOCX, HTML, plain text, Markdown).

    Raises EmptyDocumentError for no bytes or no text, UnsupportedFormatError for other
    formats, LimitExceededError beyond ``max_pages`` (PDF) or the DOCX unpacking limits,
    and the format parser's errors (corrupt, encrypted, OCR needed).
    """
    if not data:
        raise EmptyDocumentError("the file is empty (0 bytes)")
    media_type = sniff_media_type(data, name)
    if media_type == PDF:
        try:
            return parse_pdf(data, max_pages=max_pages)
        except OcrRequiredError:
            if not ocr:
                raise
            # ocr_pdf raises OcrRequiredError itself when tesseract is missing.
            return ocr_pdf(data, max_pages=max_pages)
    if media_type == DOCX:
        return parse_docx(data)
    if media_type == HTML:
        return parse_html(data)
    return parse_text(data, name, media_type=media_type)
