"""'and' inside one body's name, told from the 'and' between two bodies.

'Science and Technology', 'Economic Commission for Latin America and the Caribbean (ECLAC)' are
one name; 'UNEP and SEI', 'the Swiss Agency for Development and Cooperation (SDC) and the Aga Khan
Development Network', 'GWP South Asia and GWP Nepal' are two. The list readers split a value at
its commas first (``name_commas``), then each part here.
"""

from __future__ import annotations

import re

from extractors.normalize import country_code, country_of_place
from extractors.rules import common_rules
from extractors.text import (
    OffsetText,
    acronym_matches,
    ends_with_org_head,
    is_org_like,
    looks_like_acronym,
    trailing_parenthetical,
)


def split_and(part: OffsetText) -> list[OffsetText]:
    """'X and the Y' names two bodies when both halves are names; 'Science and Technology' stays one."""
    # 'the Swiss Agency for Development and Cooperation (SDC) and the Aga Khan Development Network':
    # after a name's acronym, 'and' joins the next name, whatever 'and' the name itself holds.
    # 'the Global Soil Partnership (GSP) and its Technical Panel': 'its' or 'their' opens a body too.
    # 'financed by the X (A) and by the Y', 'officials of the X and of the Y': a repeated
    # preposition always opens the next body.
    repeated = re.search(r",?\s+and\s+(?:(?:by|from|through)\s+(?:the\s+)?|of\s+the\s+)(?=[A-Z])", part.text)
    if repeated:
        left, right = part.slice(0, repeated.start()).strip(), part.slice(repeated.end()).strip()
        if left.text and right.text:
            return [*split_and(left), *split_and(right)]
    # 'McKinsey & Company and Swiss Re': an ampersand is more often inside a name than 'and' is.
    match = (
        re.search(r"(?<=\))\s+(?:and|&)\s+((?i:the|its|their)\s+)?(?=[A-Z])", part.text)
        or re.search(r"\s+and\s+((?i:the)\s+)?(?=[A-Z])", part.text)
        or re.search(r"\s+&\s+((?i:the)\s+)?(?=[A-Z])", part.text)
    )
    if not match or _acronym_covers(part.text):
        return [part]
    left, right = part.slice(0, match.start()).strip(), part.slice(match.end()).strip()
    # "X and the Y" almost always joins two bodies; "Water and Sanitation" needs both halves to be names.
    if (
        match.group(1)
        and (
            _names_body(left.text, strict=True)
            or is_org_like(left.text)
            or _short_name(left.text)
            or country_suffix(left.text) is not None  # 'SEA-21 of Ukraine and the ...'
        )
        and (
            _names_body(right.text, strict=True)
            or is_org_like(right.text)
            # 'the Consumers' Association of Penang and the Penang Chinese Town Hall'
            or (is_org_like(left.text) and _short_name(right.text) and len(right.text.split()) >= 3)
        )
    ):
        return [left, *split_and(right)]
    if _names_body(left.text, strict=True) and (
        _names_body(right.text, strict=True) or country_suffix(right.text) is not None
    ):
        # 'Intel Corporation and Development Alternatives of India': a body, then one with its country
        return [left, *split_and(right)]
    if _LEGAL_FORM_END.search(left.text) and _short_name(right.text) and not is_org_like(right.text):
        # 'McKinsey & Company and Swiss Re': a company's name ends at its legal form; a short name
        # after 'and' is another body ('Senckenberg Research Institute and Natural History Museum'
        # is one).
        return [left, *split_and(right)]
    if _acronym_led(right.text) and _short_name(left.text):
        # 'GWP South Asia and GWP Nepal', 'Geneva Water Hub and UNESCO-IHE Institute for Water
        # Education': a name does not go on with 'and' then another body's acronym.
        return [left, *split_and(right)]
    return [part]


_LEGAL_FORM_END = re.compile(r"\b(?:Company|Co\.|Ltd\.?|Limited|Inc\.?|plc|PLC|GmbH|AG|S\.A\.|LLC|LLP)$")

# 'the Green Belt Movement of Kenya', 'MAMA-86 of Ukraine': a body, then its country. A name whose
# head needs its 'of' ('Government of Kenya', 'University of Ghana') keeps it (common.json).
_OF_COUNTRY = re.compile(r"\s+of\s+(?:the\s+)?(?P<country>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})$")


def country_suffix(name: str) -> tuple[int, str] | None:
    """'Green Belt Movement of Kenya' -> (where ' of Kenya' starts, 'KE'): a body named in running
    text with its country after it. None for a name that needs its 'of' ('Government of Kenya')."""
    tail = _OF_COUNTRY.search(name)
    if tail is None or (country := country_code(tail.group("country"))) is None:
        return None
    body = name[: tail.start()].split()
    # The body's head noun: its last word, or the word before its own 'of' ('Ministry of Energy').
    head = name[: tail.start()].split(" of ")[0].split()
    if (
        not body
        or not head
        or head[-1].casefold() in common_rules().heads_keeping_of
        or not (len(body) >= 2 or _code_like(body[0]))
    ):
        return None
    return tail.start(), country


def _code_like(word: str) -> bool:
    """'SEA-21', 'MAMA-86', 'UNEP': a body's short name in capitals, digits allowed."""
    return looks_like_acronym(word) or bool(re.fullmatch(r"[A-Z][A-Z&]+(?:-[A-Z0-9]+)+", word))


def _acronym_led(text: str) -> bool:
    words = text.split()
    return len(words) >= 2 and looks_like_acronym(words[0]) and words[1][:1].isupper()


def _acronym_covers(text: str) -> bool:
    """'Economic Commission for Latin America and the Caribbean (ECLAC)': the acronym abbreviates
    the words on both sides of 'and', so they are one name."""
    name, acronym = trailing_parenthetical(OffsetText.at(text, 0))
    return acronym is not None and " and " in name.text and acronym_matches(acronym.text, name.text)


def _short_name(text: str) -> bool:
    """'Irish Aid' before 'and the European Union': a few capitalised words, a name of its own."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


def _names_body(text: str, *, strict: bool = False) -> bool:
    had_paren = bool(re.search(r"\)\s*$", text))
    text = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()
    words = text.split()
    if not words or not words[0][:1].isupper():
        return False
    if country_of_place(text) or country_code(text) or ends_with_org_head(text) or had_paren:
        return True
    if strict and looks_like_acronym(text):
        return True  # 'UNEP and SEI'

    return not strict and len(words) >= 2 and words[-1][:1].isupper() and len(words) <= 8


__all__ = ["country_suffix", "split_and"]
