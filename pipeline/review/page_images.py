"""Pages of PDF documents as images for the review app: rendered on demand with pdfium at 150 dpi,
kept in a bounded cache under the output folder, with the geometry the row boxes are drawn in; and
the box of a reviewer's selection, read from the PDF's text layer as the extraction reads it.

The original file is read from the raw folder the extraction was made from, and only if its sha256
is still the document's: a file changed since extraction would show boxes on the wrong text. Cache
entries are named by that sha256 and the page number alone, so nothing from a request reaches a path.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from extractors.errors import DocumentError
from extractors.parsing import ocr_available, parse_document
from extractors.parsing.ocr import ocr_pdf
from pipeline.corrections.extraction import extraction_info
from pipeline.errors import PartnerflowError
from schemas.document import PAGE_SEPARATOR, Box, ParsedDocument, WordBox

RENDER_DPI = 150
CACHE_DIR = ".page-cache"
# The cache is bounded both ways; the oldest used entries go first.
MAX_CACHE_FILES = 500
MAX_CACHE_BYTES = 256 * 1024 * 1024
PDF_MEDIA_TYPE = "application/pdf"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ENTRY = re.compile(r"[0-9a-f]{64}-p\d+-\d+dpi\.png")
# Readings kept for the boxes of reviewers' selections (text layers of documents, OCR'd pages).
PARSED_DOCUMENTS = 8
# pdfium is not thread-safe, and the app serves requests from a thread pool.
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class PageGeometry:
    """What the image of one page shows, in the points the row boxes are given in (pdfplumber's:
    from the media box's top-left corner): the crop box's left, top, width and height."""

    page: int
    left: float
    top: float
    width: float
    height: float

    @property
    def pixel_width(self) -> int:
        return max(1, round(self.width * RENDER_DPI / 72))

    @property
    def pixel_height(self) -> int:
        return max(1, round(self.height * RENDER_DPI / 72))

    @property
    def view_box(self) -> str:
        """The SVG viewBox that maps the row boxes' points onto the image."""
        return f"{self.left:g} {self.top:g} {self.width:g} {self.height:g}"


def _normalised(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A PDF box as (left, bottom, right, top), whichever corners the file gave (some invert them)."""
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _geometry(page: Any, number: int) -> PageGeometry:
    width, height = page.get_size()
    left = top = 0.0
    if not page.get_rotation() % 360:  # (a rotated page's boxes start at its displayed corner)
        media, crop = _normalised(page.get_mediabox()), _normalised(page.get_cropbox())
        left, top = crop[0] - media[0], media[3] - crop[3]
    return PageGeometry(number, left, top, float(width), float(height))


class PageImages:
    """The page images of one output folder: the cache and the raw files they are rendered from."""

    def __init__(
        self,
        out_dir: Path,
        raw_dir: Path,
        *,
        max_files: int = MAX_CACHE_FILES,
        max_bytes: int = MAX_CACHE_BYTES,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.directory = self.out_dir / CACHE_DIR
        self.default_raw_dir = Path(raw_dir)
        self.max_files = max_files
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._geometry: dict[str, list[PageGeometry]] = {}
        self._parsed: OrderedDict[str, ParsedDocument | None] = OrderedDict()
        self._clock = 0

    # --- the original file ---------------------------------------------------------------------

    def _raw_dir(self) -> Path:
        try:
            saved = extraction_info(self.out_dir).raw_dir
        except PartnerflowError:
            saved = None
        return Path(saved) if saved else self.default_raw_dir

    def source_bytes(self, doc: Mapping[str, Any]) -> bytes | None:
        """The document's original bytes, if its file is still in the raw folder unchanged."""
        sha256, source = str(doc.get("sha256") or ""), str(doc.get("source") or "")
        relative = PurePosixPath(source)
        if not _SHA256.fullmatch(sha256) or relative.is_absolute() or ".." in relative.parts or not source:
            return None
        try:
            data = (self._raw_dir() / relative).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    # --- geometry and images ---------------------------------------------------------------------

    def pages(self, doc: Mapping[str, Any]) -> list[PageGeometry] | None:
        """The geometry of every page of a PDF document; None when it cannot be shown as pages."""
        if doc.get("media_type") != PDF_MEDIA_TYPE:
            return None
        sha256 = str(doc.get("sha256") or "")
        with self._lock:
            known = self._geometry.get(sha256)
        if known is not None:
            return known
        data = self.source_bytes(doc)
        if data is None:
            return None
        import pypdfium2 as pdfium

        with _PDFIUM:
            try:
                pdf = pdfium.PdfDocument(data)
            except pdfium.PdfiumError:
                return None
            try:
                found = []
                for index in range(len(pdf)):
                    page = pdf[index]
                    try:
                        found.append(_geometry(page, index + 1))
                    finally:
                        page.close()
            finally:
                pdf.close()
        with self._lock:
            self._geometry[sha256] = found
        return found

    def _reading(self, key: str, read: Callable[[], ParsedDocument | None]) -> ParsedDocument | None:
        """A reading of a document kept by ``key`` among the last PARSED_DOCUMENTS ones (None too:
        a file that does not read is not tried again)."""
        with self._lock:
            if key in self._parsed:
                self._parsed.move_to_end(key)
                return self._parsed[key]
        try:
            parsed = read()
        except DocumentError:
            parsed = None
        with self._lock:
            self._parsed[key] = parsed
            while len(self._parsed) > PARSED_DOCUMENTS:
                self._parsed.popitem(last=False)
        return parsed

    def _text_layer(self, doc: Mapping[str, Any]) -> ParsedDocument | None:
        def read() -> ParsedDocument | None:
            data = self.source_bytes(doc)
            # no OCR here: a scan's words are not re-read for a selection (minutes, not seconds)
            return parse_document(data, str(doc.get("source") or ""), ocr=False) if data is not None else None

        return self._reading(str(doc.get("sha256") or ""), read)

    def _agreeing_text_layer(
        self, doc: Mapping[str, Any], page_texts: Sequence[str]
    ) -> ParsedDocument | None:
        """The PDF's text layer, if it reads as the extraction did (``page_texts``, its pages in order):
        only then do its offsets mean the same characters as the rows' spans."""
        if doc.get("media_type") != PDF_MEDIA_TYPE:
            return None
        parsed = self._text_layer(doc)
        if parsed is None or [parsed.page_text(span) for span in parsed.pages] != list(page_texts):
            return None
        return parsed

    def _ocr_page(self, doc: Mapping[str, Any], page: int) -> ParsedDocument | None:
        """One page of a scan read again by OCR, as the extraction read it (seconds, so kept)."""

        def read() -> ParsedDocument | None:
            data = self.source_bytes(doc)
            return ocr_pdf(data, pages={page}) if data is not None and ocr_available() else None

        return self._reading(f"{doc.get('sha256')}-p{page}", read)

    def _page_reading(
        self, doc: Mapping[str, Any], page_texts: Sequence[str], page: int
    ) -> tuple[int, ParsedDocument] | None:
        """A reading of ``page`` whose words carry boxes, and where its text starts in the document's:
        the text layer (all pages, from 0), or for a scan that page read again by OCR. None unless it
        reads exactly as the extraction's ``page_texts`` (so offsets mean the same characters)."""
        if doc.get("media_type") != PDF_MEDIA_TYPE or not 1 <= page <= len(page_texts):
            return None
        parsed = self._agreeing_text_layer(doc, page_texts)
        if parsed is not None:
            return 0, parsed
        scanned = self._ocr_page(doc, page)
        if scanned is None or scanned.text != page_texts[page - 1]:
            return None
        return sum(len(text) + len(PAGE_SEPARATOR) for text in page_texts[: page - 1]), scanned

    def page_words(
        self, doc: Mapping[str, Any], page_texts: Sequence[str], page: int
    ) -> list[WordBox] | None:
        """The words of ``page`` for selecting on its image: (start, end) offsets into the document's
        text, then the word's box in points; None when they cannot be read as the extraction did."""
        reading = self._page_reading(doc, page_texts, page)
        if reading is None:
            return None
        base, parsed = reading
        return [
            (base + line.char_start + start, base + line.char_start + end, x0, top, x1, bottom)
            for line in parsed.lines
            if line.page == page
            for start, end, x0, top, x1, bottom in line.boxes
        ]

    def evidence_box(
        self, doc: Mapping[str, Any], page_texts: Sequence[str], page: int | None, start: int, end: int
    ) -> Box | None:
        """The box of the text ``start``-``end`` on ``page``, as the extraction computes a row's box
        (from the text layer, or for a scan from that page read again by OCR); None unless the page
        reads as the extraction's ``page_texts`` did and the span starts on ``page``."""
        if page is None or not 0 <= start <= end:
            return None
        reading = self._page_reading(doc, page_texts, page)
        if reading is None:
            return None
        base, parsed = reading
        start, end = start - base, end - base
        if start < 0 or end > len(parsed.text) or parsed.page_at(start) != page:
            return None
        box = parsed.evidence_box(start, end)
        return (
            None if box is None else (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))
        )

    def _entry(self, sha256: str, page: int) -> Path:
        return self.directory / f"{sha256}-p{page}-{RENDER_DPI}dpi.png"

    def image(self, doc: Mapping[str, Any], page: int) -> Path | None:
        """The PNG of ``page`` (1-based), from the cache or rendered now; None if there is no such page."""
        pages = self.pages(doc)
        if pages is None or not 1 <= page <= len(pages):
            return None
        sha256 = str(doc["sha256"])
        entry = self._entry(sha256, page)
        try:
            self._touch(entry)  # a hit: the entry is used again, so it is the last to go
            return entry
        except OSError:
            pass
        data = self.source_bytes(doc)
        if data is None:
            return None
        png = render_page(data, page)
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(png)
            self._touch(Path(tmp))
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.evict(keep=entry)
        return entry

    def _touch(self, path: Path) -> None:
        """Mark ``path`` as used now. The stamp is set here, not left to the file system, whose clock
        can be coarser than two requests apart: entries must sort in the order they were used."""
        with self._lock:
            self._clock = max(time.time_ns(), self._clock + 1)
            stamp = self._clock
        os.utime(path, ns=(stamp, stamp))

    def evict(self, keep: Path | None = None) -> None:
        """Remove the least recently used entries until the cache is within both bounds (``keep``,
        the page just rendered, stays even when it alone is over the byte bound)."""
        with self._lock:
            entries = []
            for path in self.directory.glob("*.png"):
                if not _ENTRY.fullmatch(path.name):
                    continue
                try:
                    stat = path.stat()
                except OSError:
                    continue
                entries.append((stat.st_mtime_ns, path.name, path, stat.st_size))
            entries.sort()
            total = sum(size for *_, size in entries)
            count = len(entries)
            for _, _, path, size in entries:  # oldest first
                if count <= self.max_files and total <= self.max_bytes:
                    break
                if path == keep:
                    continue
                path.unlink(missing_ok=True)
                count -= 1
                total -= size


def render_page(data: bytes, page: int, *, dpi: int = RENDER_DPI) -> bytes:
    """One page (1-based) of a PDF as PNG bytes at ``dpi``."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        pdf = pdfium.PdfDocument(data)
        try:
            handle = pdf[page - 1]
            try:
                image = handle.render(scale=dpi / 72).to_pil()
            finally:
                handle.close()
        finally:
            pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()
