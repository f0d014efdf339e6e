"""OCR for PDF pages without a text layer (scans), through tesseract.

Pages are rendered with pdfium and read by tesseract (pytesseract); words come
back with positions and confidences, grouped into lines and blocks as
tesseract found them (ruled tables' words by cell, ``scan_tables``), each word keeping its box (image pixels scaled back to PDF points, so
OCR'd rows are drawn on the page like text-layer ones). The mean word confidence becomes the document's
``ocr_confidence``, which scales every extracted row's confidence: OCR text is
less reliable than a text layer and reviewers should look there first.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from extractors.errors import CorruptDocumentError, EmptyDocumentError, LimitExceededError, OcrRequiredError
from extractors.parsing.builder import (
    DocumentBuilder,
    LineAttrs,
    clean_text,
    looks_like_list_item,
    word_boxes,
)
from extractors.parsing.scan_tables import (
    Grid,
    erase_rules,
    find_grids,
    find_rule_stacks,
    find_rules,
    settle_columns,
)
from extractors.parsing.sniff import PDF
from schemas.document import Box, ParsedDocument

RENDER_DPI = 300


def ocr_available() -> bool:
    """Both the tesseract program and its Python wrapper are installed."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return True


def ocr_pdf(
    data: bytes, *, max_pages: int = 500, language: str = "eng", pages: Collection[int] | None = None
) -> ParsedDocument:
    """Text of a scanned PDF by OCR; raises OcrRequiredError when tesseract is not installed.

    ``pages``: only these (1-based) pages, each read as in the whole document and keeping its
    number (the review app reads one page's words again for a reviewer's selection).
    """
    if not ocr_available():
        raise OcrRequiredError(
            "the PDF has no text layer (a scan): OCR is needed, but tesseract is not installed",
            hint="install tesseract-ocr (apt-get install tesseract-ocr) and run again",
        )
    import pypdfium2 as pdfium
    import pytesseract

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptDocumentError(f"the PDF cannot be rendered for OCR ({exc})") from exc
    try:
        if len(pdf) > max_pages:
            raise LimitExceededError(
                f"the PDF has {len(pdf)} pages, more than the limit of {max_pages} pages"
            )
        builder = DocumentBuilder(PDF)
        confidences: list[float] = []
        for index in range(len(pdf)):
            if pages is not None and index + 1 not in pages:
                continue
            page = pdf[index]
            try:
                image = page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()
                origin = _crop_origin(page)
            finally:
                page.close()
            horizontal, vertical = find_rules(image)
            grids = find_grids(horizontal, vertical)
            grids += find_rule_stacks(horizontal, grids)
            if horizontal or vertical:
                image = erase_rules(image, horizontal, vertical)
            try:
                words = pytesseract.image_to_data(image, lang=language, output_type=pytesseract.Output.DICT)
            except pytesseract.TesseractError as exc:
                raise CorruptDocumentError(f"OCR failed on page {index + 1} ({exc})") from exc
            builder.start_page(index + 1)
            confidences.extend(_add_page(builder, words, origin, grids))
    finally:
        pdf.close()
    document = builder.build(empty_reason="OCR found no text in the scan")
    if not confidences:
        raise EmptyDocumentError("OCR found no text in the scan")
    mean = sum(confidences) / len(confidences) / 100
    return document.model_copy(
        update={
            "ocr_confidence": round(max(0.0, min(1.0, mean)), 3),
            "warnings": [*document.warnings, f"text read by OCR (mean word confidence {mean:.0%})"],
        }
    )


def _crop_origin(page: Any) -> tuple[float, float]:
    """Where the rendered image's top-left corner is in pdfplumber's page coordinates (points from
    the media box's top-left): the render shows the crop box, which may start inside it."""
    try:
        if page.get_rotation() % 360:
            return 0.0, 0.0
        media, crop = page.get_mediabox(), page.get_cropbox()
        # Some files give a box's corners the other way round.
        left, top = min(media[0], media[2]), max(media[1], media[3])
        crop_left, crop_top = min(crop[0], crop[2]), max(crop[1], crop[3])
        return float(crop_left - left), float(top - crop_top)
    except Exception:  # a box pdfium cannot read: the page's own frame
        return 0.0, 0.0


def _word_box(words: dict[str, list], i: int, origin: tuple[float, float]) -> Box:
    scale = 72 / RENDER_DPI
    left, top = float(words["left"][i]), float(words["top"][i])
    right, bottom = left + float(words["width"][i]), top + float(words["height"][i])
    dx, dy = origin
    return (left * scale + dx, top * scale + dy, right * scale + dx, bottom * scale + dy)


# What tesseract makes of a bullet glyph: 'e The Nature Conservancy', '« the Government of X',
# '¢ Coral Triangle Center', '. Priority seascapes designated'.
_MISREAD_BULLETS = frozenset(["e", "«", "»", "¢", "©", "®", "°", "*", "o", "eo", "ce", "."])
_INLINE_MISREAD_BULLETS = frozenset(["e", "«", "¢", "©", "°"])


# What is left of a rule tesseract read as a glyph ('2005— _', 'Master Plan 2021— ='); a '|' may
# be printed text ('Columbia Global Centers | Africa'), so it stays.
_RULE_DEBRIS = re.compile(r"[_=~]+")


def restore_misread_bullets(tokens: list[str]) -> list[str]:
    """A line's words with misread bullets put back as '•', so lists read as lists.

    Only a line that opens with one is taken: 'e' before a capital or 'the' starts no English
    sentence, and on such a line a second 'e' before a capital is the next bullet."""

    def opens_item(index: int) -> bool:
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        return after[:1].isupper() or after in ("the", "a", "an")

    if len(tokens) < 2 or tokens[0] not in _MISREAD_BULLETS or not opens_item(0):
        return tokens
    restored = ["•"]
    for index, token in enumerate(tokens[1:], start=1):
        restored.append("•" if token in _INLINE_MISREAD_BULLETS and opens_item(index) else token)
    return restored


def _add_page(
    builder: DocumentBuilder, words: dict[str, list], origin: tuple[float, float], grids: Sequence[Grid] = ()
) -> list[float]:
    lines: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, text in enumerate(words["text"]):
        if str(text).strip() and float(words["conf"][i]) >= 0:
            lines[(words["block_num"][i], words["par_num"][i], words["line_num"][i])].append(i)
    if not lines:
        return []
    margin = min(words["left"][i] for ids in lines.values() for i in ids)
    heights = sorted(words["height"][i] for ids in lines.values() for i in ids)
    body = heights[len(heights) // 2] or 1
    # A line's height is its tallest word's; the body's, the median over lines of running text.
    # A short line set clearly taller than those is a heading ('Member Parties' at 12 pt over
    # 9.8 pt text), which the word median above, thrown by x-heights, lets through.
    text_lines = sorted(max(words["height"][i] for i in ids) for ids in lines.values() if len(ids) >= 4)
    body_line = text_lines[len(text_lines) // 2] if text_lines else body

    boxes = [
        (
            words["left"][i],
            words["top"][i],
            words["left"][i] + words["width"][i],
            words["top"][i] + words["height"][i],
        )
        for ids in lines.values()
        for i in ids
    ]
    for grid in grids:
        if grid.open_columns:
            settle_columns(grid, boxes)
    grids = [g for g in grids if not g.open_columns or len(g.cols) >= 3]  # one column: rules, no table
    # Words inside a ruled table go to their cell; the rest stay in tesseract's lines.
    free: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for key, ids in lines.items():
        for i in ids:
            centre = (words["left"][i] + words["width"][i] / 2, words["top"][i] + words["height"][i] / 2)
            placed = next(((g, c) for g in grids if (c := g.cell_of(*centre)) is not None), None)
            if placed is None:
                free[key].append(i)
            else:
                grid, cell = placed
                grid.words.setdefault(cell, []).append(i)
    blocks: list[tuple[float, Any]] = [(min(words["top"][i] for i in ids), key) for key, ids in free.items()]
    blocks += [(grid.top, grid) for grid in grids if grid.words]

    confidences: list[float] = []
    previous_paragraph: tuple[int, int] | None = None

    def add(ids: list[int], cell: tuple[int, int, int] | None) -> None:
        ids = sorted(ids, key=lambda i: words["left"][i])
        ids = [i for i in ids if not _RULE_DEBRIS.fullmatch(str(words["text"][i]))]
        if not ids:
            return
        tokens = restore_misread_bullets([str(words["text"][i]) for i in ids])
        text = clean_text(" ".join(tokens))
        if not text:
            return
        height = max(words["height"][i] for i in ids)
        table, row, col = cell if cell is not None else (None, None, None)
        builder.add_line(
            text,
            LineAttrs(
                size=round(height * 72 / RENDER_DPI, 1),
                indent=(min(words["left"][i] for i in ids) - margin) * 72 / RENDER_DPI,
                heading_level=1
                if cell is None and (height > 1.6 * body or (height >= 1.18 * body_line and len(ids) <= 8))
                else 0,
                list_item=looks_like_list_item(text),
                table=table,
                row=row,
                col=col,
                boxes=word_boxes(
                    text,
                    [
                        (clean_text(token), _word_box(words, i, origin))
                        for token, i in zip(tokens, ids, strict=True)
                    ],
                ),
            ),
        )
        confidences.extend(float(words["conf"][i]) for i in ids)

    for _, item in sorted(blocks, key=lambda b: (b[0], 0 if isinstance(b[1], Grid) else 1)):
        if isinstance(item, Grid):
            table = builder.new_table()
            for (row, col), ids in sorted(item.words.items()):
                builder.break_block()  # a cell is a block of its own
                for line in _cell_lines(words, ids):
                    add(line, (table, row, col))
            builder.break_block()
            previous_paragraph = None
            continue
        if item[:2] != previous_paragraph:
            builder.break_block()
            previous_paragraph = item[:2]
        add(free[item], None)
    return confidences


def _cell_lines(words: dict[str, list], ids: list[int]) -> list[list[int]]:
    """A cell's words as lines, top to bottom: a word whose middle is below the line so far opens
    the next line (tesseract's own lines may run across a table's cells; a dash sits mid-line)."""
    lines: list[list[int]] = []
    for i in sorted(ids, key=lambda i: (words["top"][i], words["left"][i])):
        if lines:
            last = lines[-1]
            bottom = max(words["top"][j] + words["height"][j] for j in last)
            if words["top"][i] + words["height"][i] / 2 < bottom:
                last.append(i)
                continue
        lines.append([i])
    return lines
