"""Organisations in running text: acronym definitions and trigger phrases ("organised by X")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors import nlp
from extractors.normalize import country_code, country_in_name
from extractors.rules import TriggerRule
from extractors.text import (
    OffsetText,
    acronym_matches,
    capture_name_phrase,
    initials,
    is_org_like,
    looks_like_acronym,
    sentence_spans,
)

_DEFINITION = re.compile(
    r"(?P<name>[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-/]*|of|for|and|the|on|in|&))*)\s*\((?P<acr>[A-Z][A-Za-z/&.\-]{1,15})\)"
)
_CLAUSE = re.compile(
    r",\s*(?:together|along|jointly|in cooperation|in collaboration|in partnership)\s+with\s+[^,]+,", re.I
)
_TRAILING_NAME = re.compile(r"(?P<name>[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|of|for|and|the|&))*)\s*,?\s*$")


def acronym_map(text: str, names: Iterable[str] = ()) -> dict[str, str]:
    """Acronym -> full name, from 'Full Name (ACR)' definitions and from known names' initials."""
    found: dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        acronym = match.group("acr")
        words = match.group("name").split()
        # The definition's name may start earlier than the acronym covers: trim leading words.
        for i in range(len(words)):
            candidate = " ".join(words[i:])
            if acronym_matches(acronym, candidate):
                found.setdefault(acronym, candidate)
                break
    for name in names:
        letters = initials(name)
        if len(letters) >= 2:
            found.setdefault(letters, name)
    return found


def resolve_acronym(acronym: str, known: dict[str, str]) -> str | None:
    if acronym in known:
        return known[acronym]
    for name in known.values():
        if acronym_matches(acronym, name):
            return name
    return None


@dataclass(frozen=True)
class OrgMention:
    name: str
    start: int
    end: int
    category: str
    confidence: float
    acronym: str | None = None


_ACRONYM_AFTER = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9/&.\-]{1,15})\)")
_NEXT_IN_LIST = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+)(?:the\s+)?(?=[A-Z])")


def find_triggered_orgs(text: str, triggers: Sequence[TriggerRule]) -> list[OrgMention]:
    mentions: list[OrgMention] = []
    sentences = sentence_spans(text)
    for trigger in triggers:
        for match in re.finditer(trigger.pattern, text, re.I):
            if trigger.direction == "after":
                mentions.extend(_names_after(text, match.end(), trigger))
                continue
            span = _name_before(text, sentences, match.start())
            if span is None:
                continue
            start, end = span
            name = text[start:end].strip()
            pair = _pair(text, start, name, trigger)
            if pair:
                mentions.extend(pair)
            elif _names_a_body(name):
                mentions.append(
                    OrgMention(name[0].upper() + name[1:], start, end, trigger.category, trigger.confidence)
                )
    return mentions


def _names_after(text: str, position: int, trigger: TriggerRule) -> list[OrgMention]:
    """'funding from the X (XA) and the Y': every body of the list the phrase introduces."""
    found: list[OrgMention] = []
    while len(found) < 8:
        span = capture_name_phrase(text, position)
        if span is None:
            break
        start, end = span
        name = text[start:end].strip()
        pair = _pair(text, start, name, trigger)
        if pair:
            found.extend(pair)
        elif _names_a_body(name):
            acronym = _ACRONYM_AFTER.match(text, end)
            found.append(
                OrgMention(
                    name[0].upper() + name[1:],
                    start,
                    end,
                    trigger.category,
                    trigger.confidence,
                    acronym.group("acr") if acronym else None,
                )
            )
        else:
            break
        position = end
        acronym = _ACRONYM_AFTER.match(text, position)
        if acronym:
            position = acronym.end()
        nxt = _NEXT_IN_LIST.match(text, position)
        if nxt is None:
            break
        position = nxt.end()
    return found


def _pair(text: str, start: int, name: str, trigger: TriggerRule) -> list[OrgMention]:
    """'X and Y' captured as one phrase: one mention each where both halves name bodies or countries
    ('the Asian Development Bank and UNEP', 'Japan and China')."""
    parts = [p for p in re.split(r"\s+and\s+(?:the\s+)?", name) if p]
    if len(parts) < 2:
        return []
    strong = [is_org_like(p) or looks_like_acronym(p) or bool(country_code(p)) for p in parts]
    # 'Irish Aid and the European Union': 'and the' joins two names when one is plainly a body's.
    joined_by_the = len(parts) == 2 and re.search(r"\s+and\s+the\s+", name) is not None and any(strong)
    if not all(_names_a_body(p) and (ok or joined_by_the) for p, ok in zip(parts, strong, strict=True)):
        return []
    found = []
    offset = start
    for part in parts:
        at = text.index(part, offset)
        found.append(
            OrgMention(part[0].upper() + part[1:], at, at + len(part), trigger.category, trigger.confidence)
        )
        offset = at + len(part)
    return found


def _name_before(text: str, sentences: Sequence[tuple[int, int]], position: int) -> tuple[int, int] | None:
    start = next((s for s, e in sentences if s <= position <= e), 0)
    before = OffsetText.at(text[start:position], start).sub(_CLAUSE, " ")
    match = _TRAILING_NAME.search(before.text)
    if not match:
        return None
    piece = before.slice(match.start("name"), match.end("name"))
    return piece.start, piece.end


def _names_a_body(name: str) -> bool:
    if len(name) < 3 or len(name.split()) > 14:
        return False
    if is_org_like(name) or country_in_name(name) or country_code(name):
        return True
    return nlp.is_organisation(name) or nlp.is_place(name)


def title_acronym(text: str, title: str) -> str | None:
    """The acronym printed in parentheses right after the title ('... Programme (C3RP)')."""
    pattern = re.compile(
        re.escape(title).replace(r"\ ", r"\s+") + r"\s*\((?P<acr>[A-Z][A-Za-z0-9/&.\-]{1,15})\)", re.I
    )
    match = pattern.search(text)
    return match.group("acr") if match else None
