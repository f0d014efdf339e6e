"""What tesseract makes of list bullets is put back before the structure reads the page."""

from __future__ import annotations

import pytest

from extractors.parsing import parse_document
from extractors.parsing.ocr import ocr_available, restore_misread_bullets


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("e The Nature Conservancy (TNC)", "• The Nature Conservancy (TNC)"),
        ("¢ Coral Triangle Center (CTC)", "• Coral Triangle Center (CTC)"),
        (
            "« the Government of Norway e the Government of Chile",
            "• the Government of Norway • the Government of Chile",
        ),
        (". Priority seascapes designated and managed.", "• Priority seascapes designated and managed."),
    ],
)
def test_a_misread_bullet_opening_a_line_becomes_a_bullet(words: str, expected: str) -> None:
    assert " ".join(restore_misread_bullets(words.split())) == expected


@pytest.mark.parametrize(
    "words",
    [
        "e-mail: office@example.org",
        "The programme e Tokyo",  # no bullet opens the line: an 'e' inside it is left
        "o que foi feito",  # a line in another language, not an item
        "e",
    ],
)
def test_words_that_open_no_item_are_left_as_read(words: str) -> None:
    assert restore_misread_bullets(words.split()) == words.split()


def _scan(lines: list[tuple[int, str]]) -> bytes:
    """A page image of (font size in points, text) lines, saved as a PDF without a text layer."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    dpi = 200
    page = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    top = dpi
    for size, text in lines:
        font = ImageFont.truetype("DejaVuSans.ttf", int(size * dpi / 72))
        draw.text((dpi, top), text, font=font, fill=0)
        top += int(size * dpi / 72 * 1.6)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=dpi)
    return buffer.getvalue()


@pytest.mark.skipif(not ocr_available(), reason="tesseract is not installed (make system-deps)")
def test_a_scanned_line_set_larger_than_the_text_is_a_heading() -> None:
    body = "The six countries of the region agreed to act together through one partnership"
    data = _scan(
        [
            (16, "Member Parties"),
            *[(10, body) for _ in range(4)],
            (16, "Coordination"),
            *[(10, body) for _ in range(4)],
        ]
    )
    doc = parse_document(data, "brief.pdf")
    headings = [doc.text[line.char_start : line.char_end] for line in doc.lines if line.heading_level]
    assert headings == ["Member Parties", "Coordination"]
