"""Splitting printed lists of bodies into items.

Lists come comma-separated in one paragraph, one per line, as bullets, or
nested under sub-group labels ("-Citizens & NGOs: ...", "Cities in Asia",
"-City of Surabaya (Indonesia);"). PDF lines also wrap in the middle of names,
so line breaks are judged: a break after a complete name is a separator, a
break inside one is a wrap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractors.name_and import split_and
from extractors.name_commas import merge_commas_in_names
from extractors.normalize import (
    bare_iso_code,
    country_code,
    country_in_name,
    country_of_place,
)
from extractors.roles import column_kind
from extractors.text import (
    OffsetText,
    acronym_matches,
    clean_value,
    ends_with_org_head,
    fold,
    initials,
    is_org_like,
    looks_like_acronym,
    strip_bullet,
    trailing_parenthetical,
)
from schemas.document import TextLine

_ENDS_WITH_COUNTRY = re.compile(r"\bof\s+((?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})$")
_CONNECTOR_END = re.compile(r"(?:\b(?:of|for|and|the|on|in|to|at|de|&)|[-&/])$", re.I)
# A line opening with "The ..." or "Institute for ..." starts a new name.
_STARTS_NAME = re.compile(
    r"^(?:The\s+[A-Z]|(?:Institute|University|Association|Ministry|Department|Centre|Center|Council|"
    r"Committee|Agency|Bank|Foundation|Federation|Office|Government|City|Municipality)\s+(?:of|for|on)\b)"
)
_SUB_LABEL = re.compile(r"^(?P<label>[A-Z][^:()\d]{1,60}?):\s*")
_NOTE = re.compile(r"^\d+(\s+\w+)?$|^(approx\.?|about|some|over)\s+\d+", re.I)
_LEAD_MARK = re.compile(
    r"^(?:the\s+)?(?:co-?)?lead(?:ing)?(?:\s+(?:partner|agency|organi[sz]ation|country))?$", re.I
)
_DASH_COUNTRY = re.compile(r"\s[-–—]\s*(?P<country>[A-Z][A-Za-z .']{2,40})$")


@dataclass(frozen=True)
class ListItem:
    name: OffsetText
    acronym: str | None
    country: str | None
    country_source: str | None  # 'parenthesis', 'group', 'name' — for confidence
    evidence: OffsetText
    lead: bool = False  # marked "(lead)" in the list


def logical_lines(
    values: Sequence[OffsetText], lines: Sequence[TextLine], *, explicit_breaks: bool = False
) -> list[OffsetText]:
    """Join value lines that wrap inside a name; keep real line breaks.

    ``explicit_breaks``: every line break was put there by the writer (HTML, DOCX), none by layout.
    """
    result: list[OffsetText] = []
    previous_line: TextLine | None = None
    for value, line in zip(values, lines, strict=False):
        if not value.text.strip():
            previous_line = line
            continue
        if (
            result
            and previous_line is not None
            and not explicit_breaks
            and _is_wrap(result[-1].text, value.text, previous_line, line)
        ):
            # 'UN-' + 'HABITAT': a compound broken at its hyphen closes up again.
            result[-1] = OffsetText.join([result[-1], value], "" if result[-1].text.endswith("-") else " ")
        else:
            result.append(value)
        previous_line = line
    return result


# '11.Centro de Producción' / '12. Centro ...': a numbered item, printed with or without its space.
_NUMBERED_ITEM = re.compile(r"^\(?\d{1,2}[.)]\s*[^\W\d_]")


def _is_wrap(before: str, after: str, before_line: TextLine, after_line: TextLine) -> bool:
    before = before.rstrip()
    after = after.lstrip()
    # Paged layouts (PDF) break paragraphs wherever the writer pressed enter, so only
    # the text decides there; elsewhere a new block is a new element (cell, item, paragraph).
    paged = before_line.page is not None
    if (
        not paged
        and before_line.block != after_line.block
        and before_line.char_start != after_line.char_start
    ):
        return False
    if after_line.list_item or re.match(r"^[-•▪*·–]", after) or _NUMBERED_ITEM.match(after):
        return False
    if before.endswith(";") or _LEADER_LINE.search(before) or _LEADER_LINE.search(after):
        return False
    if before.count("(") > before.count(")"):
        return True
    if _CONNECTOR_END.search(before) or after[:1].islower() or after.startswith("("):
        return True
    if _STARTS_NAME.match(after) and not _CONNECTOR_END.search(before):
        return False
    # "Ministry of Nature and Environment of Mongolia" / "Bayanzurkh District Administration"
    ends_with_country = _ENDS_WITH_COUNTRY.search(before)
    if ends_with_country and country_code(ends_with_country.group(1)):
        return False
    last_word = before.split()[-1] if before.split() else ""
    return not (before.endswith((")", ",")) or ends_with_org_head(before) or looks_like_acronym(last_word))


_INLINE_BULLET = re.compile(r"\s[-•▪*]\s+(?=\S)")


_FIRST_NUMBER = re.compile(r"^\s*(?P<n>\d{1,2})[.)]\s*(?=[^\W\d_])")
_NEXT_NUMBER = re.compile(r"\s(?P<n>\d{1,2})[.)]\s*(?=[A-ZÀ-Þ])")


def _inline_numbers(text: OffsetText) -> list[OffsetText]:
    """'1. A — Bolivia 2. B — Brazil 3.C': a numbered list run into one line, cut where the
    next number in sequence stands, so a '2.' inside an item's name is no cut."""
    first = _FIRST_NUMBER.match(text.text)
    if first is None:
        return []
    number, start, bounds = int(first.group("n")), first.end(), []
    for step in _NEXT_NUMBER.finditer(text.text, start):
        if int(step.group("n")) == number + 1:
            bounds.append((start, step.start()))
            start, number = step.end(), number + 1
    if not bounds:
        return []
    bounds.append((start, len(text.text)))
    return [text.slice(a, b).strip() for a, b in bounds if text.text[a:b].strip()]


def inline_bullets(text: OffsetText) -> list[OffsetText]:
    """'- A — India - B — Switzerland': a list a renderer ran into one line, split at its bullets."""
    numbered = _inline_numbers(text)
    if numbered:
        return numbered
    if not re.match(r"^\s*[-•▪*]\s", text.text):
        return []
    body = strip_bullet(text.strip())[0]
    cuts = [(m.start(), m.end()) for m in _INLINE_BULLET.finditer(body.text)]
    if not cuts:
        return []
    bounds = (
        [(0, cuts[0][0])]
        + [(a[1], b[0]) for a, b in zip(cuts, cuts[1:], strict=False)]
        + [(cuts[-1][1], len(body.text))]
    )
    return [body.slice(a, b).strip() for a, b in bounds if body.text[a:b].strip()]


def table_body_cells(
    values: Sequence[OffsetText], lines: Sequence[TextLine]
) -> tuple[list[OffsetText], list[TextLine]]:
    """A section's value that is a table with a header row ('Partner | Country | Contribution',
    'Region | Countries'): the bodies are its name column, each followed by its country cell (a
    'Region | Countries' table names its bodies in the countries column). The header row and the
    other columns (a contribution, a role, a region) name no body. Other values pass unchanged."""
    headers: dict[int, dict[int, str]] = {}
    for value, line in zip(values, lines, strict=False):
        if line.table is not None and line.row == 0 and line.col is not None:
            kind = column_kind(clean_value(value).text)
            if kind is not None:
                headers.setdefault(line.table, {})[line.col] = kind
    read: dict[int, dict[int, str]] = {}
    for table, kinds in headers.items():
        found = set(kinds.values())
        if len(kinds) >= 2 and "name" in found:
            read[table] = {col: kind for col, kind in kinds.items() if kind in ("name", "country")}
        elif len(kinds) >= 2 and {"country", "region"} <= found:
            read[table] = {col: "name" for col, kind in kinds.items() if kind == "country"}
    if not read:
        return list(values), list(lines)
    kept: list[tuple[OffsetText, TextLine]] = []
    for value, line in zip(values, lines, strict=False):
        columns = read.get(line.table) if line.table is not None else None
        if columns is None:
            kept.append((value, line))
            continue
        kind = columns.get(line.col) if line.col is not None else None
        if line.row == 0 or kind is None:
            continue
        if kind == "country" and country_code(clean_value(value).text) is None:
            continue  # 'Latin America and the Caribbean', '–': no country to give the body
        kept.append((value, line))
    return [v for v, _ in kept], [line for _, line in kept]


def split_items(
    values: Sequence[OffsetText],
    lines: Sequence[TextLine],
    *,
    group_patterns: Sequence[re.Pattern[str]],
    noise: frozenset[str],
) -> list[ListItem]:
    items: list[ListItem] = []
    group_country: str | None = None
    for logical in [part for line in logical_lines(values, lines) for part in inline_bullets(line) or [line]]:
        raw = logical.text.strip()
        text, bulleted = strip_bullet(logical.strip())
        label = _SUB_LABEL.match(text.text)
        if label and len(label.group("label").split()) <= 5:
            text = text.slice(label.end())
        elif bulleted and raw.endswith((";", ":")) and len(text.text.split()) <= 8:
            # "-City of Surabaya (Indonesia);" heads the bodies that follow it.
            name, paren = trailing_parenthetical(clean_value(text))
            group_country = (country_code(paren.text) if paren else None) or country_of_place(name.text)
            continue
        body = clean_value(text)
        if not body.text:
            continue
        if any(p.search(body.text) for p in group_patterns) and "," not in body.text:
            group_country = country_in_name(body.text)
            continue
        body = _strip_lead_in(body)
        for sentence in _sentences(body):
            # A semicolon parts bodies for certain; portfolio commas are merged only inside one part.
            parts = [
                p
                for chunk in sentence.split_top_level(";")
                for p in merge_commas_in_names(chunk.split_top_level(",·"))
            ]
            for part in parts:
                for piece in split_and(_without_region(_strip_lead_in(part.strip()))):
                    item = _item(_strip_lead_in(piece), group_country, noise)
                    if item is None:
                        continue
                    bare_country = country_code(item.name.text)
                    if bare_country and item.acronym is None:
                        # A country alone names no body: it is the previous body's country ("Kandy | Sri Lanka").
                        if items and items[-1].country is None:
                            items[-1] = replace(items[-1], country=bare_country, country_source="group")
                        continue
                    items.append(item)
    return items


# "The partners are the ...", "The intergovernmental partner is the ...", "Partners include ..."
_LEAD_IN = re.compile(
    r"^(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:partners?|members?|participants?|bodies|organi[sz]ations?)\s+"
    r"(?:are|is|include[sd]?|comprise[sd]?|were)\s+(?:the\s+)?",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[a-z)])\.\s+(?=[A-Z])")


# 'Delegations came from A and B in East Africa; from C and D in Asia': each group after the first
# opens with 'from', and a region after 'in' says where the countries before it lie.
_FROM = re.compile(
    r"^(?:(?:and\s+)?from|(?:[\w-]+\s+){1,3}(?:came|come|travelled|traveled)\s+from)\s+(?=[A-Z])"
)
_REGION_TAIL = re.compile(r"\s+in\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*){0,3}\s*$")


def _strip_lead_in(text: OffsetText) -> OffsetText:
    match = _LEAD_IN.match(text.text) or _FROM.match(text.text)
    return text.slice(match.end()) if match else text


def _without_region(part: OffsetText) -> OffsetText:
    """'Tanzania and Uganda in East Africa' -> 'Tanzania and Uganda': the region after a country."""
    tail = _REGION_TAIL.search(part.text)
    if tail is None:
        return part
    head = part.slice(0, tail.start())
    last = re.split(r"\s+(?:and|&)\s+|,\s*", _strip_article(_strip_lead_in(head)).text)[-1]
    return head if country_code(re.sub(r"^the\s+|\s*\([^()]*\)$", "", last)) else part


def _strip_article(text: OffsetText) -> OffsetText:
    """'the Asian Development Bank' -> 'Asian Development Bank'; a printed 'The World Bank' keeps its 'The'."""
    match = re.match(r"(?:and\s+)?the\s+(?=\S)", text.text)
    return text.slice(match.end()) if match else text


def _sentences(text: OffsetText) -> list[OffsetText]:
    # "Mt. Lavinia", "St. Kitts": a short abbreviation's period ends no sentence.
    cuts = [
        m.start() + 1
        for m in _SENTENCE_END.finditer(text.text)
        if not re.search(r"(?:^|\s)[A-Z][a-z]{0,2}$", text.text[: m.start()])
    ]
    bounds = [0, *cuts, len(text.text)]
    return [
        text.slice(a, b).strip() for a, b in zip(bounds, bounds[1:], strict=False) if text.text[a:b].strip()
    ]


_GROUP_WORDS = re.compile(
    r"(?i)^(?:(?:national|local|international|regional|government|other|private)\s+)?"
    r"(?:agencies|governments?|ngos|academe|academia|private sector|civil society|citizens\s*&\s*ngos|"
    r"major groups?|others?|partners|intergovernmental organi[sz]ations|companies|universities|cities|"
    r"country|city|organi[sz]ation|name)$"
)
_PERSON_DETAIL = re.compile(r"^[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3}\s*\((?:[A-Z][a-z]+\s+){0,3}[A-Za-z]+,")


_ACRONYM_BEFORE_SUFFIX = re.compile(
    r"\s*\((?P<acronym>[A-Za-z][\w&/-]{1,14})\)\s+(?P<suffix>GmbH|AG|Inc\.?|Ltd\.?|LLC|plc|S\.A\.|e\.V\.)$"
)
# When a sentence says a body joined or acted: never part of its name.
_TRAILING_WHEN = re.compile(
    r"\s+(?:in|since|from|until|by|at the end of)\s+(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d$"
)
# 'A Strategic Group', 'An Advisory Committee': a body described, not named.
_INDEFINITE = re.compile(r"^(?:A|An)\s+[A-Z]")


def _plausible_name(text: str) -> bool:
    """A body's name, not a sentence, a sub-group label or a person with their position."""
    if _GROUP_WORDS.match(text.strip()) or _PERSON_DETAIL.match(text) or _INDEFINITE.match(text):
        return False
    words = re.sub(r"\([^()]*\)", "", text).split()
    lower = [w for w in words if w[:1].islower() and w.casefold() not in _LOWER_OK]
    return len(words) <= 16 and len(lower) < 2


_LOWER_OK = frozenset(
    [
        "of",
        "for",
        "and",
        "the",
        "on",
        "in",
        "to",
        "at",
        "de",
        "du",
        "des",
        "la",
        "le",
        "da",
        "del",
        "di",
        "van",
        "von",
        "y",
        "e",
        "et",
        "&",
        "du",
        "do",
        "dos",
        "das",
        "der",
        "pour",
        "fuer",
        "für",
        "und",
    ]
)


_DASH_DESCRIPTION = re.compile(r"\s+[—–]\s+(?=[a-z]|phases?\b|(?:19|20)\d{2}\b)")
_LABEL_DASH = re.compile(r"^(?P<label>[A-Z][a-z]+(?:\s+[a-z]+){0,2})\s+[—–]\s+the\s+(?=[A-Z])")
_LEADER_LINE = re.compile(r"\S\s*(?:\.{3,}|…+|\s{3,}|\t+)\s*\S")
_LEADER = re.compile(r"\s*(?:\.{3,}|…+|\s{3,}|\t+)\s*")


# 'the Pastoralist Communication Initiative (PCI) of the UN Office for ... (OCHA) in Ethiopia': a body
# named with its acronym, then the body it belongs to or where it sits.
_PARENT_AFTER_ACRONYM = re.compile(
    r"\((?P<acronym>[^()]{2,12})\)(?=\s+(?:of|in|at|within)\s+(?:the\s+)?[A-Z])"
)


def _item(part: OffsetText, group_country: str | None, noise: frozenset[str]) -> ListItem | None:
    evidence = part
    # "Christchurch ........ New Zealand": a dotted leader before the country.
    part = part.sub(_LEADER, " - ")
    name = clean_value(part)
    if not name.text or name.text.casefold() in noise or not any(ch.isupper() for ch in name.text):
        return None
    name = name.sub(re.compile(r",?\s+etc\.?$", re.I))
    described = _DASH_DESCRIPTION.search(name.text)
    if described and described.start() > 0:
        name = clean_value(name.slice(0, described.start()))  # 'AfDB – strategic partnership for ...'
    labelled = _LABEL_DASH.match(name.text)
    if labelled and not is_org_like(labelled.group("label")):
        name = clean_value(name.slice(labelled.end()))  # 'Coordination — the Ministry of the Environment'
    parent = _PARENT_AFTER_ACRONYM.search(name.text)
    if parent and parent.start() > 0 and looks_like_acronym(parent.group("acronym")):
        name = clean_value(name.slice(0, parent.end()))  # the body, not the one it belongs to
    acronym: str | None = None
    country: str | None = None
    source: str | None = None
    lead = False
    suffixed = _ACRONYM_BEFORE_SUFFIX.search(name.text)
    if suffixed and looks_like_acronym(suffixed.group("acronym")):
        # 'Deutsche Gesellschaft fuer Internationale Zusammenarbeit (GIZ) GmbH': the acronym
        # sits before the company's legal form, which is part of its name.
        acronym = suffixed.group("acronym")
        name = OffsetText.join(
            [name.slice(0, suffixed.start()), name.slice(suffixed.start("suffix"), suffixed.end("suffix"))],
            " ",
        )
    for _ in range(4):
        # "Name (ACR) – Country", "Name – Country", "Name (ACR) (Country)": peel from the end.
        dash = _DASH_COUNTRY.search(name.text)
        if dash and country is None and country_code(dash.group("country")):
            country, source = country_code(dash.group("country")), "parenthesis"
            name = clean_value(name.slice(0, dash.start()))
            continue
        head, paren = trailing_parenthetical(name)
        if paren is None:
            break
        code = country_code(paren.text)
        # 'Consumers International (CI)': the name's own initials, not Côte d'Ivoire.
        own_initials = acronym_matches(paren.text, head.text) or _acronym_phrase(paren.text, head.text)
        if code and country is None and not own_initials and not bare_iso_code(paren.text):
            country, source = code, "parenthesis"
        elif acronym is None and (
            looks_like_acronym(paren.text) or _proper_short_form(paren.text, head.text) or own_initials
        ):
            acronym = paren.text
        elif _NOTE.match(paren.text):
            pass
        elif _LEAD_MARK.match(paren.text):
            lead = True
        elif paren.text[:1].islower():
            pass  # a note: 'Indonesia (for the governments)'
        else:
            break
        name = head
    name = clean_value(name)
    dated = _TRAILING_WHEN.search(name.text)
    if dated and dated.start() > 0:
        name = clean_value(name.slice(0, dated.start()))  # 'the European Commission in 2011'
    if len(name.text) < 2 or name.text.casefold() in noise or not _plausible_name(name.text):
        return None
    if country is None and group_country:
        country, source = group_country, "group"
    if country is None:
        found = country_in_name(name.text)
        if found:
            country, source = found, "name"
    return ListItem(
        name=name, acronym=acronym, country=country, country_source=source, evidence=evidence, lead=lead
    )


def _acronym_phrase(paren: str, name: str) -> bool:
    """'(SAFS Caucus)' after 'Sustainable Agriculture and Food Systems NGO Caucus': a short form
    opening with the initials of the name."""
    words = paren.split()
    return (
        2 <= len(words) <= 3 and looks_like_acronym(words[0]) and initials(name).startswith(words[0].upper())
    )


def _proper_short_form(paren: str, name: str) -> bool:
    """'Bappeda' after 'Semarang City Development Planning Agency': one capitalised word, not a place."""
    return (
        bool(re.fullmatch(r"[A-Z][a-z]{2,11}", paren))
        and len(name.split()) >= 3
        and not country_of_place(paren)
        and not country_code(paren)
        and paren.casefold() not in fold(name)
    )


# "A and B, together with C": phrases that join one more body to an enumeration.
_JOINING_PHRASE = re.compile(
    r",?\s+(?:together with|as well as|along with|joined by|in addition to)\s+", re.I
)


def body_items(
    text: OffsetText, *, countries_are_bodies: bool | None = None, noise: frozenset[str] = frozenset()
) -> list[ListItem]:
    """The bodies one value names: 'A (AA), B; C and the D', a country list, a single name.

    A country printed alone is a body of its own in a list of countries ("Governments: Switzerland;
    Italy") and the previous body's country in a list of bodies ("Kandy, Sri Lanka").
    ``countries_are_bodies`` None decides by the list: countries are bodies when most items are countries.
    One body then one country is where the body is, unless ``countries_are_bodies`` is False.
    """
    pieces: list[tuple[ListItem, str | None]] = []
    body = _strip_lead_in(clean_value(text)).sub(_JOINING_PHRASE, ", ")
    for sentence in _sentences(body):
        for part in merge_commas_in_names(sentence.split_top_level(",;·")):
            for piece in split_and(_strip_article(_without_region(_strip_lead_in(part.strip())))):
                item = _item(_strip_lead_in(_strip_article(piece)), None, noise)
                if item is not None:
                    bare = country_code(item.name.text) if item.acronym is None else None
                    pieces.append((item, bare))
    if countries_are_bodies is not False and _body_then_country(body.text, pieces):
        # 'Federal Ministry for Economic Cooperation (BMZ), Germany': where the body is, in a
        # list of governments too.
        countries_are_bodies = False
    if countries_are_bodies is None:
        countries_are_bodies = bool(pieces) and sum(bare is not None for _, bare in pieces) * 2 >= len(pieces)
    items: list[ListItem] = []
    for i, (item, bare) in enumerate(pieces):
        followed_by_country = i + 1 < len(pieces) and pieces[i + 1][1] is not None
        if bare and countries_are_bodies:
            items.append(replace(item, country=bare, country_source="name"))
        elif bare and not items:
            # 'Germany, UNDP and UNEP': a country first in a list says where nothing is; a body.
            items.append(replace(item, country=bare, country_source="name"))
        elif bare:
            if items[-1].country is None:
                items[-1] = replace(items[-1], country=bare, country_source="group")
        elif (
            items
            and (followed_by_country or i == len(pieces) - 1)
            and not countries_are_bodies
            and (
                is_org_like(items[-1].name.text)
                or items[-1].acronym is not None
                or looks_like_acronym(items[-1].name.text)
            )
            and item.acronym is None
            and _is_city(item.name.text)
        ):
            # 'Network Secretariat (IMFNS), Ottawa, Canada', 'Research Institute (SARI), Arusha':
            # where the body sits, not a body
            if items[-1].country is None:
                items[-1] = replace(
                    items[-1], country=country_of_place(item.name.text), country_source="group"
                )
        else:
            items.append(item)
    return items


def _body_then_country(text: str, pieces: Sequence[tuple[ListItem, str | None]]) -> bool:
    """One body, one comma, one country: the country says where the body is."""
    return (
        len(pieces) == 2
        and pieces[0][1] is None
        # 'Government of Japan, Norway' names two governments; 'U.S. Geological Survey, United States' one
        and pieces[0][0].country in (None, pieces[1][1])
        and pieces[1][1] is not None
        # the other commas are inside the body's name ('Ministry of Environment, Forestry and Water')
        and text.count(",") == pieces[0][0].name.text.count(",") + 1
        and ";" not in text
    )


def _is_city(text: str) -> bool:
    return len(text.split()) <= 3 and not is_org_like(text) and country_of_place(text) is not None
