"""What tesseract makes of list bullets is put back before the structure reads the page."""

from __future__ import annotations

import pytest

from extractors.parsing.ocr import restore_misread_bullets


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
