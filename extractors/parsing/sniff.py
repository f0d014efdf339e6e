"""Recognising a document's format from its content, and decoding text bytes."""

from __future__ import annotations

import codecs
import contextlib
import io
import re
import zipfile

from extractors.errors import CorruptDocumentError, EmptyDocumentError, UnsupportedFormatError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"
MARKDOWN = "text/markdown"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of formats people send by mistake; the message names what the file is.
_FOREIGN = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Microsoft Office file (.doc/.xls/.ppt)",
        "save it as DOCX or PDF",
    ),
    (b"{\\rtf", "an RTF document", "save it as DOCX or PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "OCR is needed to read images"),
    (b"\xff\xd8\xff", "a JPEG image", "OCR is needed to read images"),
    (b"GIF87a", "a GIF image", None),
    (b"GIF89a", "a GIF image", None),
    (b"II*\x00", "a TIFF image", "OCR is needed to read images"),
    (b"MM\x00*", "a TIFF image", "OCR is needed to read images"),
    (b"\x1f\x8b", "a gzip archive", "extract it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it first"),
    (b"Rar!\x1a\x07", "a RAR archive", "extract it first"),
    (b"%!PS", "a PostScript file", "convert it to PDF"),
    (b"\x7fELF", "an executable program", None),
)

_HTML_START = re.compile(r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype\s+html", re.DOTALL)
_HTML_TAG = re.compile(r"<(?:html|head|body)[\s>/]")
_HTML_BLOCK_TAG = re.compile(r"<(?:p|div|h[1-6]|table|ul|ol|meta|title|span|a\s)[\s>/]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG: these labels mean windows-1252 in practice (0x80-0x9F are curly quotes, not controls).
_LATIN1_LABELS = {
    "iso-8859-1",
    "iso8859-1",
    "latin1",
    "latin-1",
    "l1",
    "us-ascii",
    "ascii",
    "cp819",
    "ibm819",
}


def strip_bom(data: bytes) -> tuple[bytes, str | None]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :], encoding
    return data, None


# Legacy encodings text still arrives in, tried in this order when it is not UTF-8. The CJK ones are
# taken only when the result reads as Japanese or Chinese (Western text seldom decodes as either
# without errors, and never reads as one); Windows-1252 decodes almost anything, so it comes last.
LEGACY_ENCODINGS = ("shift_jis", "gb2312", "cp1252")
UNDECODABLE = (
    "the file is text in an encoding partnerflow cannot decode (not UTF-8, Shift-JIS, GB2312 or Windows-1252)"
)


def _strict(data: bytes, encoding: str, *, cut: bool) -> str | None:
    """``data`` decoded without errors, or None; ``cut``: a character cut by the end (of a sample) is dropped."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if cut and exc.start >= len(data) - 1:
            return _strict(data[: exc.start], encoding, cut=False)
        return None


def _reads_as(text: str, encoding: str) -> bool:
    """Whether text decoded as ``encoding`` reads as what that encoding is used for."""
    text = text[:20000]  # a sample is enough to tell, and keeps a large file quick
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if encoding == "cp1252":
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r\f")
        return printable >= 0.95 * len(text)
    if len(wide) < 2:
        return False
    cjk = sum(
        1
        for ch in wide
        if "\u3000" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uff01" <= ch <= "\uff5e"
    )
    halfwidth_kana = sum(
        1 for ch in wide if "\uff61" <= ch <= "\uff9f"
    )  # what GB2312 bytes read as in Shift-JIS
    kana = sum(1 for ch in wide if "\u3040" <= ch <= "\u30ff")
    if encoding == "shift_jis" and kana == 0:
        return False  # Japanese prose always has kana
    return cjk >= 0.9 * len(wide) and halfwidth_kana <= 0.05 * len(wide)


def legacy_encoding(data: bytes, *, cut: bool = False) -> tuple[str, str] | None:
    """Non-UTF-8 text in one of ``LEGACY_ENCODINGS``: (text, encoding), or None when none reads."""
    for encoding in LEGACY_ENCODINGS:
        text = _strict(data, encoding, cut=cut)
        if text is not None and _reads_as(text, encoding):
            return text, encoding
    return None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: BOM, then a declared charset, then UTF-8, then the legacy
    encodings (Shift-JIS, GB2312, Windows-1252).

    Never fails: undecodable bytes become U+FFFD.
    """
    body, bom_encoding = strip_bom(data)
    if bom_encoding:
        return body.decode(bom_encoding, errors="replace"), bom_encoding
    candidates: list[str] = []
    if declared:
        label = declared.strip().lower()
        label = "cp1252" if label in _LATIN1_LABELS else label
        with contextlib.suppress(LookupError):  # an unknown label is ignored, as browsers do
            candidates.append(codecs.lookup(label).name)
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return body.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    legacy = legacy_encoding(body)
    if legacy is not None:
        return legacy
    return body.decode("cp1252", errors="replace"), "cp1252"


def declared_html_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", errors="replace") if match else None


def _looks_binary(data: bytes) -> bool:
    """Bytes that are not text (no BOM already checked): NULs or many control bytes."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(sample) // 100)


def _decodable(data: bytes) -> bool:
    """Text bytes (see ``_looks_binary``) that UTF-8 or a legacy encoding reads."""
    sample = data[:8192]
    cut = len(data) > len(sample)
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is not a reason to doubt.
        if exc.start >= len(sample) - 3 and cut:
            return True
    return legacy_encoding(sample, cut=cut) is not None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocumentError(
            "the file is a damaged ZIP archive (DOCX files are ZIP archives)", hint=str(exc)[:120]
        ) from exc
    if "word/document.xml" in names:
        return DOCX
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedFormatError("the file is an Excel workbook (XLSX)", hint="export the sheet as PDF")
    if any(n.startswith("ppt/") for n in names):
        raise UnsupportedFormatError("the file is a PowerPoint presentation (PPTX)", hint="export it as PDF")
    if "mimetype" in names:
        raise UnsupportedFormatError(
            "the file is an OpenDocument or EPUB package", hint="save it as DOCX or PDF"
        )
    raise UnsupportedFormatError("the file is a ZIP archive, not a document", hint="extract it first")


def sniff_media_type(data: bytes, name: str = "") -> str:
    """The media type of ``data``, decided by its content; ``name`` only breaks ties.

    Raises EmptyDocumentError for no bytes, UnsupportedFormatError naming what the content
    looks like otherwise.
    """
    if not data:
        raise EmptyDocumentError("the file is empty (0 bytes)")
    lower_name = name.lower()
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    body, bom_encoding = strip_bom(data)
    if bom_encoding is None:
        for magic, what, hint in _FOREIGN:
            if data.startswith(magic):
                raise UnsupportedFormatError(
                    f"the file is {what}, not a document partnerflow reads", hint=hint
                )
        if _looks_binary(data):
            raise UnsupportedFormatError(
                "the file is binary data of an unknown format, not PDF, DOCX, HTML or text"
            )
        if not _decodable(data):
            raise UnsupportedFormatError(UNDECODABLE, hint="save it as UTF-8")
    if not body.strip():
        raise EmptyDocumentError("the file holds only white space")
    head, _ = decode_text(data[:1024] if bom_encoding is None else data[:4096])
    head = head.lstrip().lower()
    if _HTML_START.match(head) or _HTML_TAG.search(head):
        return HTML
    if lower_name.endswith((".md", ".markdown")):
        return MARKDOWN
    if lower_name.endswith((".html", ".htm", ".xhtml")) and (
        head.startswith("<") or _HTML_BLOCK_TAG.search(head)
    ):
        return HTML
    if head.startswith("<") and _HTML_BLOCK_TAG.match(head):
        return HTML
    return TEXT
