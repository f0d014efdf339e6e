"""Phone numbers a paragraph's line break cut in two, joined again before a contact block is read."""

from __future__ import annotations

import re

from extractors.normalize import find_phones
from extractors.text import OffsetText

# 'Tel.: (+41) 22 791' / '2111; e-mail: ...': a paragraph's line break inside a phone number.
_ENDS_IN_DIGITS = re.compile(r"\d[\d ()./-]*$")
_STARTS_WITH_DIGITS = re.compile(r"^\d{2,}\b")
_WHOLE_NUMBER_DIGITS = 10  # country code and subscriber number: fewer digits is a number cut short


def numbers_rejoined(lines: list[OffsetText]) -> list[OffsetText]:
    """The block's lines with a phone number a paragraph's line break cut in two joined again: a
    line ending in a number too short to be whole ('+41 22 791' / '2111; e-mail: ...'), not a
    whole number above a postcode ('+41 22 917 8000' / '1211 Geneva 10')."""
    joined: list[OffsetText] = []
    for line in lines:
        if joined and _cut_number(joined[-1].text, line.text):
            joined[-1] = OffsetText.join([joined[-1].strip(), line.strip()], " ")
        else:
            joined.append(line)
    return joined


def _cut_number(before: str, after: str) -> bool:
    phones = find_phones(before)
    return bool(
        phones
        and _STARTS_WITH_DIGITS.match(after.lstrip())
        and _ENDS_IN_DIGITS.search(before.rstrip())
        and phones[-1][2] >= len(before.rstrip()) - 1
        and len(re.sub(r"\D", "", phones[-1][0])) < _WHOLE_NUMBER_DIGITS
    )
