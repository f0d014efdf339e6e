"""Organisations in running text: acronym definitions and trigger phrases ("organised by X")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from extractors import nlp
from extractors.name_and import country_suffix, split_and
from extractors.name_commas import merge_commas_in_names
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
    country: str | None = None  # 'the Green Belt Movement of Kenya': where the body is


def _mention(name: str, start: int, end: int, trigger: TriggerRule, acronym: str | None = None) -> OrgMention:
    """A mention as written, on one line ('World\nMeteorological Organization' wraps in a PDF),
    its country cut off the end where the body is named without it."""
    name, country = name[0].upper() + name[1:], None
    suffix = country_suffix(name)
    if suffix is not None:
        cut, country = suffix
        name, end = name[:cut], start + cut
    return OrgMention(
        " ".join(name.split()), start, end, trigger.category, trigger.confidence, acronym, country
    )


# '(UNEP)', '(UN-HABITAT)', '(UN DESA)': one or two capitalised words in brackets.
_ACRONYM_AFTER = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9/&.\-]{1,15}(?: [A-Z][A-Za-z0-9/&.\-]{1,10})?)\)")
_OF_COUNTRY = re.compile(r"\s+(?:of|in)\s+(?P<country>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})")
# '(Panama)', '(National Organic Program)': a note in brackets that is no acronym.
_NOTE_AFTER = re.compile(r"\s*\((?P<note>[A-Z][^()]{2,100})\)")


def _names_a_unit(note: str) -> bool:
    """'Directorate-General for Agriculture and Rural Development', 'National Organic Program':
    a capitalised name of a part of the body, not a remark ('(see annex)', '(19 members)')."""
    words = [w for w in note.split() if w not in ("of", "for", "and", "the", "on", "in", "&")]
    return bool(words) and all(w[0].isupper() for w in words) and not looks_like_acronym(note)


_NEXT_IN_LIST = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+)(?:the\s+)?(?=[A-Z])")


def find_triggered_orgs(text: str, triggers: Sequence[TriggerRule]) -> list[OrgMention]:
    mentions: list[OrgMention] = []
    sentences = sentence_spans(text)
    for trigger in triggers:
        for match in re.finditer(trigger.pattern, text, re.I):
            if trigger.direction == "after":
                mentions.extend(_names_after(text, match.end(), trigger))
                continue
            listed = _names_listed_before(text, sentences, match.start(), trigger)
            if listed:
                mentions.extend(listed)
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
                mentions.append(_mention(name, start, end, trigger))
    return _first_reading_of_each_stretch(mentions)


def _first_reading_of_each_stretch(mentions: list[OrgMention]) -> list[OrgMention]:
    """One stretch of text names one body: where two triggers read overlapping names
    ('Representatives of the A and B also took part'), the earlier trigger's reading stands."""
    kept: list[OrgMention] = []
    for mention in mentions:
        if not any(mention.start < other.end and other.start < mention.end for other in kept):
            kept.append(mention)
    return kept


# 'the Ministry of Agriculture, Forestry and Fisheries of Japan': a ministry's portfolio has commas.
_PORTFOLIO_HEAD = re.compile(r"(?:the\s+)?(?:Ministry|Department|Secretariat|Minister)\s+(?:of|for)\s", re.I)


def through_inner_commas(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """'the United Nations Educational, Scientific and Cultural Organization (UNESCO)': a name
    phrase goes on past a comma when the acronym after the next phrase abbreviates both."""
    start, end = span
    while not _ACRONYM_AFTER.match(text, end) and (comma := re.match(r",\s+", text[end:])):
        following = capture_name_phrase(text, end + comma.end(), allow_lower_first=False)
        if following is None:
            break
        acronym = _ACRONYM_AFTER.match(text, following[1])
        if acronym is None and not _PORTFOLIO_HEAD.match(text, start):
            break
        parts = [
            OffsetText.at(text[start:end], start),
            OffsetText.at(text[following[0] : acronym.end() if acronym else following[1]], following[0]),
        ]
        if len(merge_commas_in_names(parts)) != 1:
            break
        end = following[1]
    return start, end


# A list in a sentence names at most this many bodies ('experts came from' eleven countries).
_MAX_LISTED = 30
_INDEFINITE = re.compile(r"\s*(?:a|an)\s", re.I)
# A common noun naming the group before its members are listed: 'the ten Dutch drinking water
# companies:', 'their international arms,'.
_GROUP_BEFORE_LIST = re.compile(
    r"\s*(?:the|its|their|his|her)\s+(?:[\w'’-]+\s+){0,6}?[a-z][\w'’-]*\s*[:,]\s+(?=[A-Z])"
)


def _names_after(text: str, position: int, trigger: TriggerRule) -> list[OrgMention]:
    """'funding from the X (XA) and the Y': every body of the list the phrase introduces."""
    found: list[OrgMention] = []
    if _INDEFINITE.match(text, position):
        return found  # 'carried out by a Climate Change Country Team': a description, not a body's name
    group = _GROUP_BEFORE_LIST.match(text, position)
    if group is not None:
        position = group.end()  # 'carried out by the ten Dutch water companies: A, B and C'
    # Members of a named group are bodies however they are called ('Vitens, Dunea, Oasen').
    is_body = _names_a_body if group is None else _proper_name
    while len(found) < _MAX_LISTED:
        span = capture_name_phrase(text, position)
        if span is None:
            break
        start, end = through_inner_commas(text, span)
        name = text[start:end].strip()
        pair = _pair(text, start, name, trigger, members=group is not None)
        if pair:
            found.extend(pair)
        elif is_body(name):
            acronym = _ACRONYM_AFTER.match(text, end)
            note = None if acronym else _NOTE_AFTER.match(text, end)
            if note is not None and country_code(note.group("note")):
                # 'the Congreso General Guna (Panama)': where the body is
                mention = _mention(name, start, end, trigger)
                found.append(replace(mention, country=mention.country or country_code(note.group("note"))))
                end = note.end()
            elif note is not None and _names_a_unit(note.group("note")):
                # 'the European Commission (Directorate-General for Agriculture)': the unit is
                # part of the name as printed
                end = note.end()
                found.append(_mention(text[start:end].strip(), start, end, trigger))
            else:
                found.append(_mention(name, start, end, trigger, acronym.group("acr") if acronym else None))
        else:
            break
        position = end
        acronym = _ACRONYM_AFTER.match(text, position)
        if acronym:
            position = acronym.end()
            placed = _OF_COUNTRY.match(text, position)
            code = country_code(placed.group("country")) if placed else None
            if placed and code and found:
                # 'the ... Export Development Authority (APEDA) of India'
                found[-1] = replace(found[-1], country=found[-1].country or code)
                position = placed.end()
        nxt = _NEXT_IN_LIST.match(text, position)
        if nxt is None:
            break
        position = nxt.end()
    return found


def _pair(text: str, start: int, name: str, trigger: TriggerRule, members: bool = False) -> list[OrgMention]:
    """'X and Y' captured as one phrase: one mention each where the list readers' 'and' splitter
    finds two names and each names a body or a country ('the Asian Development Bank and UNEP',
    'Japan and China', 'GWP South Asia and GWP Nepal'). ``members``: the last two of a named
    group's members ('... the companies: A, B, WMD and Waternet'), whose 'and' always joins two."""
    phrase = OffsetText.at(name, start)
    last_and = list(re.finditer(r"\s+(?:and|&)\s+(?=[A-Z])", name))[-1:] if members else []
    if last_and:
        parts = [phrase.slice(0, last_and[0].start()), phrase.slice(last_and[0].end())]
    else:
        parts = [p for p in split_and(phrase) if p.text]
    names_body = _proper_name if members else _pair_part
    if len(parts) < 2 or not all(names_body(_ARTICLE.sub("", p.text)) for p in parts):
        return []
    found = []
    for part in parts:
        bare = part.slice(len(part.text) - len(_ARTICLE.sub("", part.text)))
        found.append(_mention(bare.text, bare.start, bare.end, trigger))
    return found


_ARTICLE = re.compile(r"^(?:the|its|their)\s+", re.I)


def _pair_part(text: str) -> bool:
    """A half of 'X and Y' that names a body: by its words, or led by a body's acronym ('GWP Nepal')."""
    return _names_a_body(text) or (bool(text.split()) and looks_like_acronym(text.split()[0]))


# A short line (a wrapped sentence fills its line) without a full stop, then a capital: a heading.
_HEADING_LINE = re.compile(r"[^\n.;:,]{1,40}?(?<![,\s])\n+(?=[A-Z])")
# Where a clause naming its subjects may open inside a sentence: '..., and the X and the Y co-organised'.
_CLAUSE_OPENS = re.compile(r",\s+(?:and|while|whereas)\s+|;\s+")


def _names_listed_before(
    text: str, sentences: Sequence[tuple[int, int]], position: int, trigger: TriggerRule
) -> list[OrgMention]:
    """'The A (AA), the B (BB) and the C (CC) were partners in organising ...', 'The D (DD)
    co-organised the forum': the bodies that are the clause's subject, read forward from where the
    clause opens; only a list that runs right up to the trigger is its subject."""
    sentence_start = next((s for s, e in sentences if s <= position <= e), 0)
    at_line_start = sentence_start == 0 or text[sentence_start - 1] == "\n"
    heading = _HEADING_LINE.match(text, sentence_start) if at_line_start else None
    while heading is not None and heading.end() < position:
        sentence_start = heading.end()  # 'Proceedings' over the paragraph: a heading, not a name
        heading = _HEADING_LINE.match(text, sentence_start)
    opens = [sentence_start] + [
        sentence_start + m.end() for m in _CLAUSE_OPENS.finditer(text[sentence_start:position])
    ]
    for start in opens:
        found = _names_after(text, start, trigger)
        if not found:
            continue
        rest = text[found[-1].end : position]
        acronym = _ACRONYM_AFTER.match(rest)
        if not rest[acronym.end() if acronym else 0 :].strip():
            return found
    return []


def _name_before(text: str, sentences: Sequence[tuple[int, int]], position: int) -> tuple[int, int] | None:
    start = next((s for s, e in sentences if s <= position <= e), 0)
    before = OffsetText.at(text[start:position], start).sub(_CLAUSE, " ")
    match = _TRAILING_NAME.search(before.text)
    if not match:
        return None
    piece = before.slice(match.start("name"), match.end("name"))
    return piece.start, piece.end


def _proper_name(name: str) -> bool:
    """A capitalised phrase of a few words: how a named group's members are printed."""
    return len(name) >= 2 and len(name.split()) <= 8 and name[:1].isupper()


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


_TRAILING_ACRONYM = re.compile(r"\s*\((?P<acronym>[^()\s]{2,15})\)$")


def split_title_acronym(title: str | None, acronym: str | None) -> tuple[str | None, str | None]:
    """'Global Symposium on Soil Organic Carbon (GSOC17)': the name, its acronym apart (GOLD.md).

    Only the acronym of the whole title, which starts with its first letter: in 'Meeting for the
    Promotion of Asia Forest Partnership (AFP)' the acronym is the partnership's, and stays."""
    if title is None:
        return title, acronym
    found = _TRAILING_ACRONYM.search(title)
    if found is None or found.start() == 0:
        return title, acronym
    short = found.group("acronym")
    # 'GSOC17', 'AfSIS', 'EnDev': two capitals at least, the first the title's own first letter.
    shaped = looks_like_acronym(short) or (
        re.fullmatch(r"[A-Z][A-Za-z0-9&-]+", short) is not None and sum(c.isupper() for c in short) >= 2
    )
    # 'Global Women's Assembly on Environment: Women as the Voice for the Environment (WAVE)':
    # the acronym of the name after a colon is the title's too.
    subtitle = title[: found.start()].rsplit(":", 1)[-1].strip() if ":" in title[: found.start()] else ""
    own = short[0].casefold() == title[0].casefold() or (subtitle and acronym_matches(short, subtitle))
    if not shaped or not own:
        return title, acronym
    if acronym is not None and acronym != short:
        return title, acronym
    return title[: found.start()].strip(), short
