"""Commas inside one body's name, told from the commas between bodies of a list.

'Ministry of Communication, Transport, Post and Construction', 'United Nations Educational,
Scientific and Cultural Organization', 'Office for Environment, Culture and Sustainable Development
(MIO-ECSDE)', 'International Union of Food, Agricultural, ..., Allied Workers' Associations': the
list readers split at every top-level comma first; this puts such names back together.
"""

from __future__ import annotations

import re

from extractors.normalize import country_code, country_of_place
from extractors.text import (
    OffsetText,
    acronym_matches,
    ends_with_org_head,
    initials,
    is_org_like,
    looks_like_acronym,
    trailing_parenthetical,
)

# 'Ministry of', 'Hellenic Ministry for the', 'Institute of': a portfolio list may follow ('Ministry
# of Agriculture, Water and Forestry', 'Institute of Materials, Minerals and Mining').
_MINISTRY = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w-]+\s+){0,3}(?:Ministry|Department|Office|Commission|Bureau|Division|Directorate|"
    r"Institute|Fund|Centre|Center|Council|Agency|Faculty|School|Society)\s+(?:of|for)\s+"
)


def merge_commas_in_names(parts: list[OffsetText]) -> list[OffsetText]:
    """Commas inside one body's name: 'Ministry of Communication, Transport, Post and Construction',
    'United Nations Educational, Scientific and Cultural Organization'."""
    merged: list[OffsetText] = []
    enumerating = False  # inside 'Union of Food, Agricultural, ..., Allied Workers' Associations'
    for index, part in enumerate(parts):
        head, paren = trailing_parenthetical(part)
        bare = head.text if paren is not None else part.text
        words = bare.split()
        portfolio = (
            merged
            and _MINISTRY.match(merged[-1].text)
            and not merged[-1].text.endswith(")")
            and _portfolio(bare)
            and not country_of_place(bare)
        )
        # A name never ends in an adjective: 'United Nations Educational' goes on in the next part.
        dangling = (
            merged
            and _ADJECTIVE_END.search(merged[-1].text)
            and words
            and words[0][:1].isupper()
            and ends_with_org_head(bare)
        )
        if (
            portfolio
            or dangling
            or (merged and paren is not None and _acronym_spans(paren.text, merged[-1].text, bare))
            or enumerating
            or (merged and _inside_enumerated_name(merged[-1].text, [p.text for p in parts[index:]]))
        ):
            listed = enumerating or not (portfolio or dangling)
            enumerating = bool(listed and merged and paren is None and not _ends_with_head(bare))
            merged[-1] = OffsetText.join([merged[-1], part], ", ")
        else:
            merged.append(part)
    return merged


def _portfolio(text: str) -> bool:
    """'Transport', 'Forestry and Water Management', 'Nature Conservation and Nuclear Safety': what a
    ministry is of; the last of the list joins its two or three last areas with 'and'."""
    words = text.split()
    if not 1 <= len(words) <= (6 if " and " in text else 3) or not words[0][:1].isupper():
        return False
    if any(looks_like_acronym(w) for w in words):
        return False  # 'UNDP' after 'Ministry of Environment' is a body of its own
    if " and " not in text:
        return not ends_with_org_head(text)
    # 'Water Administration' may end the list; a body ('UNEP', 'Ministry of Health') or a country
    # may not be in it.
    halves = text.split(" and ")
    return all(1 <= len(half.split()) <= 3 and not country_code(half) for half in halves) and not is_org_like(
        " ".join(words[:-1])
    )


_OF_ONE_WORD = re.compile(r"\b(?:of|for)\s+[A-Z][\w'’-]*$")


def _inside_enumerated_name(before: str, rest: list[str]) -> bool:
    """'International Union of Food, Agricultural, Hotel, ..., Tobacco and Allied Workers'
    Associations': after 'of Word', one-word parts run on to a part ending with a body's head
    noun; the commas list what the one body covers."""
    if not _OF_ONE_WORD.search(before) or before.endswith(")"):
        return False
    for position, text in enumerate(rest):
        bare = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()
        if position > 0 and _ends_with_head(bare):
            return " and " in bare
        if len(bare.split()) != 1 or not bare[:1].isupper() or country_of_place(bare) or country_code(bare):
            return False
    return False


def _ends_with_head(text: str) -> bool:
    """A body's head noun at the end, in the plural too ('... Workers' Associations')."""
    last = text.split()[-1] if text.split() else ""
    return ends_with_org_head(text) or ends_with_org_head(re.sub(r"s$", "", last))


def _acronym_spans(acronym: str, before: str, part: str) -> bool:
    """'Office for Environment, Culture and Development (MIO-ECSDE)': the acronym after the last
    part abbreviates the part before the comma too, so the comma is inside one name."""
    if before.endswith(")") or acronym_matches(acronym, part):
        return False
    letters = re.sub(r"[^A-Za-z]", "", acronym).upper()
    head, tail = initials(before), initials(part)
    return len(head) >= 2 and bool(tail) and letters.startswith(head) and tail in letters[len(head) :]


_ADJECTIVE_END = re.compile(r"\b(?:[A-Z][a-z]+(?:ional|ural|ific|omic|ical|ental|cial))$")
