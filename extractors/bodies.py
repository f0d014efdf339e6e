"""Bodies (partners) from the document's structure and prose, whatever its layout.

The cascade's candidate and role stages for partners:

1. *Candidates* come from the values of zones (``structure.document_zones``):
   list items, lines, table cells read through their column header, label
   values; and from sentences, where a trigger phrase ("jointly organised by",
   "with financial support from") or a clause ending in ':' that names a role
   ("the partners who supported it:") introduces an enumeration.
2. *Role*: a candidate's category comes from its zone's role (the heading,
   label, column header or introducing sentence), mapped per document type:
   a sheet's sections are categories of their own, a report's or programme's
   members are participants.
3. *Merge*: candidates the type's own extractor already found are not added
   twice; the rest join the draft with a confidence by how they were found.

The zones a document has are also what coverage is judged on: a partner zone
that yields no body is a reason to review the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from extractors import nlp
from extractors.common import Draft, ExtractionContext
from extractors.contacts import is_position, is_postal_line
from extractors.country_runs import country_runs
from extractors.lists import ListItem, body_items
from extractors.normalize import country_code, country_in_name, country_of_place
from extractors.partner_names import plausible_body
from extractors.prose import acronym_map, country_suffix, through_inner_commas
from extractors.roles import category_of_label, sentence_role
from extractors.rules import common_rules, role_rules, sheet_rules
from extractors.structure import Piece, Zone, document_zones, is_prose
from extractors.text import (
    OffsetText,
    capture_name_phrase,
    clean_value,
    fold,
    is_org_like,
    looks_like_acronym,
    sentence_spans,
    trailing_parenthetical,
)
from schemas.records import PartnerRecord

PARTNER_ROLES = frozenset(
    ["government", "igo", "major_group", "other", "partner", "participant", "organizer", "funder", "lead"]
)
_SHEET_SECTIONS = {"government": "government", "igo": "igo", "major_group": "major_group", "other": "other"}
_EVENT_ROLES = {"organizer": "organizer", "funder": "funder", "lead": "organizer"}

# How a candidate was found -> how often such a candidate is right (tuned on the train corpora).
CONFIDENCE = {
    "column": 0.85,
    "label": 0.82,
    "heading": 0.78,
    "intro": 0.78,
    "prose": 0.72,
    "mention": 0.65,
}

_IGO = re.compile(
    r"(?i)\b(?:united nations|UN-?[A-Z]|UNEP|UNDP|UNESCO|UNICEF|UNIDO|UNITAR|UNU|FAO|WHO|WMO|IMO|ILO|IFAD|"
    r"world bank|development bank|international monetary|OECD|ESCAP|ECLAC|ECA|ASEAN|European Commission|"
    r"European Union|intergovernmental|World Health|World Meteorological|Global Environment Facility|GEF|"
    r"International (?:Labour|Maritime|Energy|Atomic|Tropical Timber|Organization for Migration)|Commonwealth|"
    r"Secretariat of the Pacific|South Pacific Regional|Pacific Islands Forum|African Union|Organisation of|"
    r"Organization of American States|CGIAR|IUCN)\b"
)
_GOVERNMENT = re.compile(
    r"(?i)^(?:the\s+)?(?:government|ministry|ministries|department|federal|royal|republic|kingdom|state|national)\b|"
    r"\bgovernment of\b|\bministry of\b|\b(?:city|municipal|metropolitan|prefectur\w*|provincial)\b"
)
# An enumeration in a sentence ends where the sentence goes on about time or place.
_JOINING_TAIL = re.compile(r"[\s,;]*(?:\b(?:and|or|but|as well as)\b)?[\s,;]*$")
_ENUMERATION_END = re.compile(
    r"\s(?:on|from|between|during|since|until|in)\s+(?=\d|(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b)|\s(?:during|since|which|who|where|whose|that|to\s+[a-z])\b|"
    r"\s(?:held|took|was|were|is|are|has|have|will)\s"
)


@dataclass(frozen=True)
class Candidate:
    item: ListItem
    role: str
    how: str  # key of CONFIDENCE


def partner_category(role: str, doc_type: str, name: str) -> tuple[str | None, bool]:
    """(category, lead) of a body in a zone of ``role`` in a document of ``doc_type``."""
    if doc_type == "information_sheet":
        if role == "lead":
            return None, True
        return _SHEET_SECTIONS.get(role) or _category_by_name(name), False
    return _EVENT_ROLES.get(role, "participant"), False


def _category_by_name(name: str) -> str:
    if country_code(name) or _GOVERNMENT.search(name):
        return "government"
    if _IGO.search(name):
        return "igo"
    return "major_group"


def _new_body(text: str, how: str, *, acronym: str | None = None) -> bool:
    """A candidate the structure found names a body: not a person, a position, a group label or an
    instrument ('Poverty Reduction Strategy'). Names met in running text must also look like a body,
    or be defined with their acronym ('funded by the Global Environment Facility (GEF)')."""
    if not plausible_body(text) or is_position(text) or is_group_label(text):
        return False
    if text.split()[-1].casefold() in _instrument_heads():
        return False
    if country_code(text) or country_of_place(text) or is_org_like(text) or looks_like_acronym(text):
        return True
    if how == "mention":
        return True  # screened where it was found: followed by its acronym, or a government
    if how == "prose":
        return acronym is not None or nlp.is_organisation(text)
    if " " not in text and how in ("intro", "heading"):
        return False  # one ordinary word under a heading ('Linkages') names no body
    if text.split()[-1].casefold() in common_rules().place_head_words:
        return True  # 'Bayawan Water District', 'Carnegie Hall': a place's word, whatever spaCy says
    return not (len(text.split()) >= 2 and nlp.is_person(text))


@lru_cache(maxsize=1)
def _instrument_heads() -> frozenset[str]:
    return frozenset(w.casefold() for w in role_rules().instrument_heads)


@lru_cache(maxsize=1)
def _group_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p, re.I) for p in sheet_rules().partner_group_patterns]


def is_group_label(text: str) -> bool:
    """A sub-group label or lead-in ('Cities in Asia', 'Stakeholders ... such as'), not a body."""
    return any(p.search(text) for p in _group_patterns())


def _items(piece: Piece, role: str) -> list[ListItem]:
    if role == "government":
        # 'Switzerland; Italy' lists governments; 'Geological Survey (USGS), United States; ...'
        # says where a body is: each part between semicolons decides by its own items.
        items = [item for part in piece.text.split_top_level(";") for item in body_items(part)]
    elif piece.kind == "cell" and ";" in piece.text.text:
        # 'A (AA); Naivasha Water, Sewerage and Sanitation Company (NWSSC); B': a cell that lists
        # with semicolons keeps its commas inside the names.
        items = [item for part in piece.text.split_top_level(";") for item in _one_body(part)]
    else:
        items = body_items(piece.text)
    acronym = (
        piece.acronym.text if piece.acronym is not None and looks_like_acronym(piece.acronym.text) else None
    )
    if acronym and len(items) > 1 and ";" not in piece.text.text:
        # 'Byrd Polar Research Center, The Ohio State University | BPRC': one acronym for the
        # cell, so its commas join a unit to its parent body rather than list two bodies.
        whole, lead = clean_value(piece.text), any(item.lead for item in items)
        head, note = trailing_parenthetical(whole)
        if note is not None and lead:
            whole = clean_value(head)  # '... (lead)': the lead marker is no part of the name
        items = [ListItem(whole, None, None, None, piece.text, lead=lead)]
    if acronym and len(items) == 1 and items[0].acronym is None:
        items = [replace(items[0], acronym=acronym)]
    country = country_code(piece.country.text) if piece.country is not None else None
    out = []
    for item in items:
        if country and item.country is None:
            item = ListItem(item.name, item.acronym, country, "column", item.evidence)
        out.append(item)
    return out


def _one_body(part: OffsetText) -> list[ListItem]:
    """A semicolon list's part: one body, with its commas, unless they set off where it is
    ('Geological Survey (USGS), United States')."""
    items = body_items(part)
    if len(items) < 2 or any(item.country_source == "name" or country_code(item.name.text) for item in items):
        return items
    whole = clean_value(part)
    head, note = trailing_parenthetical(whole)
    acronym = note.text if note is not None and looks_like_acronym(note.text) else None
    name = clean_value(head) if acronym else whole
    return [ListItem(name, acronym, None, None, part, lead=any(item.lead for item in items))]


def zone_candidates(zones: Iterable[Zone]) -> list[Candidate]:
    candidates: list[Candidate] = []
    for zone in zones:
        role = zone.effective_role
        if role not in PARTNER_ROLES:
            continue
        how = zone.source if zone.source in CONFIDENCE else "heading"
        for piece in zone.pieces:
            piece = _without_description(piece)
            if is_postal_line(piece.text.text):
                continue  # a host's address under its heading ('Local host'): the office, not more bodies
            if (piece.kind == "paragraph" or is_prose(piece.text.text)) and not _dotted_list(piece.text.text):
                if zone.source in ("label", "intro") and zone.role in PARTNER_ROLES:
                    # "Hosted by: the A, the B and the C, joined by ...": the names up to the prose.
                    candidates.extend(Candidate(item, role, how) for item in _enumeration(piece.text))
                continue
            piece_role = piece.role if piece.role in PARTNER_ROLES else role
            if piece.category is not None and piece.role not in PARTNER_ROLES:
                # A group row's kind ('B.1 Governments') is the writer's; a type cell
                # ('Public research institute') is a description a category is read from.
                piece_role = category_of_label(piece.category.text) or role
            for item in _items(piece, piece_role):
                candidates.append(Candidate(item, piece_role, how))
    return candidates


_ITEM_DESCRIPTION = re.compile(r"\s+[—–]\s+(?=[a-z])")


def _without_description(piece: Piece) -> Piece:
    """'African Development Bank (AfDB) – strategic partnership for ...': the body, not what it does."""
    if piece.kind == "paragraph":
        return piece
    cut = _ITEM_DESCRIPTION.search(piece.text.text)
    if cut is None or cut.start() == 0 or is_prose(piece.text.text[: cut.start()]) or ";" in piece.text.text:
        # 'A (MCT) — financial mechanism; B; C': each item of the list drops its own description
        return piece
    return replace(piece, text=piece.text.slice(0, cut.start()))


def _dotted_list(text: str) -> bool:
    """'Burkina Faso · Cameroon · Côte d'Ivoire · ...': names run together with middle dots;
    'A (AA); B; C, Technical Committee 211 (ISO/TC 211)': a long cell of names between semicolons."""
    parts = [p for p in re.split(r"\s[·•|]\s", text) if p.strip()]
    if len(parts) >= 3 and not any(is_prose(p) for p in parts):
        return True
    listed = [p for p in text.split(";") if p.strip()]
    return len(listed) >= 2 and sum(not is_prose(p) for p in listed) * 2 > len(listed)


_NAME_START = re.compile(r"(?<![\w'’-])(?:the\s+)?(?=[A-Z])")
_GENERIC_OF = re.compile(
    r"^(?:Representatives|Delegates|Delegations|Members|Officials|Staff|Experts)\s+(?:of|from)\s+(?:the\s+)?"
)
_GOVERNMENT_OF = re.compile(r"^(?:Government|Governments|Ministry|Republic|Kingdom)\s+of\b")


def mention_candidates(zones: Iterable[Zone]) -> list[Candidate]:
    """Bodies named in the running text of a section whose heading gives their role ('Funding':
    'Phase I was financed by a World Bank loan and a grant from the Global Environment Facility').

    Only names that read as bodies on their own (an organisation word, an acronym after them, a
    country's government) count: a section about funding mentions more than its funders. A trigger
    phrase earlier in the sentence ('implemented by', 'financed by') names the role instead of the
    heading, which may name several ('Who runs and finances the programme').
    """
    triggers = _trigger_patterns()
    candidates: list[Candidate] = []
    for zone in zones:
        role = zone.effective_role
        if role not in PARTNER_ROLES or zone.source == "column":
            continue
        for piece in zone.pieces:
            if piece.kind != "paragraph" and not is_prose(piece.text.text):
                continue
            for start, end in sentence_spans(piece.text.text):
                sentence = piece.text.slice(start, end)
                roles = _trigger_roles(sentence.text, triggers, role)
                for item in [*_named_bodies(sentence), *country_runs(sentence)]:
                    at = item.name.start - sentence.start
                    said = [r for position, r in roles if position <= at]
                    candidates.append(Candidate(item, said[-1] if said else role, "mention"))
    return candidates


@dataclass(frozen=True)
class Trigger:
    """A prose trigger of ``roles.json``, compiled."""

    pattern: re.Pattern[str]
    role: str
    section_decides: bool


def _trigger_roles(sentence: str, triggers: list[Trigger], section_role: str | None) -> list[tuple[int, str]]:
    """Where each trigger phrase of a sentence ends, and the role it names, in text order."""
    found = [
        (m.end(), _said_role(trigger, section_role))
        for trigger in triggers
        for m in trigger.pattern.finditer(sentence)
    ]
    return sorted(r for r in found if r[1] in PARTNER_ROLES)


def _said_role(trigger: Trigger, section_role: str | None) -> str:
    """The role a trigger phrase gives, or its section's where the phrase says less ('supported by'
    under 'Funding')."""
    return section_role if trigger.section_decides and section_role in PARTNER_ROLES else trigger.role


def _named_bodies(text: OffsetText) -> list[ListItem]:
    """Capitalised phrases of running text that read as bodies on their own."""
    items: list[ListItem] = []
    position = 0
    while True:
        start = _NAME_START.search(text.text, position)
        if start is None:
            break
        span = capture_name_phrase(text.text, start.start(), allow_lower_first=False)
        if span is None or span[1] <= span[0]:
            position = start.end() + 1
            continue
        # 'the Department for Environment, Food and Rural Affairs (Defra)': commas inside the name
        end = through_inner_commas(text.text, span)[1]
        acronym = re.match(r"\s*\(([A-Z][\w-]{1,12})\)", text.text[end:])
        phrase = text.slice(span[0], end + (acronym.end() if acronym else 0))
        phrase = phrase.sub(_GENERIC_OF)  # 'Representatives of the Asian Development Bank'
        for item in body_items(phrase):
            name = item.name.text
            if len(name.split()) >= 2 and (is_org_like(name) or item.acronym or _GOVERNMENT_OF.match(name)):
                items.append(item)
        position = max(end, start.end() + 1)
    return items


def _trigger_patterns(direction: str = "after") -> list[Trigger]:
    return [
        Trigger(re.compile(t.pattern, re.I), t.role, t.section_decides)
        for t in role_rules().prose_triggers
        if t.direction == direction
    ]


def prose_candidates(zones: Iterable[Zone]) -> list[Candidate]:
    """Enumerations after trigger phrases, and after a clause naming a role then ':'."""
    triggers = _trigger_patterns()
    candidates: list[Candidate] = []
    for zone in zones:
        if zone.effective_role in ("speaker", "chair", "contact"):
            continue
        for piece in zone.pieces:
            if piece.kind != "paragraph" and not is_prose(piece.text.text):
                continue
            text = piece.text
            for start, end in sentence_spans(text.text):
                sentence = text.slice(start, end)
                candidates.extend(_sentence_candidates(sentence, triggers, zone.effective_role))
    return candidates


def _sentence_candidates(
    sentence: OffsetText, triggers: list[Trigger], section_role: str | None
) -> list[Candidate]:
    found: list[tuple[int, str, int]] = []  # (where the enumeration starts, role, where its trigger starts)
    colon = sentence.text.find(":")
    if colon > 0:
        role = sentence_role(sentence.text[:colon])
        if role in PARTNER_ROLES:
            found.append((colon + 1, role, colon))
    for trigger in triggers:
        for match in trigger.pattern.finditer(sentence.text):
            found.append((match.end(), _said_role(trigger, section_role), match.start()))
    candidates: list[Candidate] = _names_before(sentence)
    for position, role, _ in sorted(found):
        rest = sentence.slice(position)
        cut = _ENUMERATION_END.search(rest.text)
        if cut:
            rest = rest.slice(0, cut.start())
        # The next trigger in the sentence starts another enumeration; the words joining the two
        # ('... funded by the A and implemented by B') belong to neither.
        later = [start for end, _, start in found if end > position]
        if later:
            rest = rest.slice(0, max(0, min(later) - position)).sub(_JOINING_TAIL, "")
        for item in _enumeration(rest):
            candidates.append(Candidate(item, role, "prose"))
    return candidates


def _names_before(sentence: OffsetText) -> list[Candidate]:
    """'... took part; the World Bank and UNEP were among the organisations represented': the clause
    before the phrase is the enumeration, and only when every piece of it names a body."""
    candidates: list[Candidate] = []
    for trigger in _trigger_patterns("before"):
        role = trigger.role
        for match in trigger.pattern.finditer(sentence.text):
            head = sentence.slice(0, match.start())
            cut = max(head.text.rfind(";"), head.text.rfind(":"), head.text.rfind(" — "))
            relative = list(_RELATIVE.finditer(head.text))
            if relative and relative[-1].end() - 1 > cut:
                cut = relative[-1].end() - 1  # '..., to which the A and the B are the principal donors'
            clause = head.slice(cut + 1).strip() if cut >= 0 else head.strip()
            items = body_items(clause)
            pieces = [p for p in re.split(r",|\band\b|&", _strip_clause_article(clause.text)) if p.strip()]
            if items and len(items) >= len(pieces) and all(not is_prose(i.name.text) for i in items):
                candidates.extend(Candidate(item, role, "prose") for item in items)
    return candidates


_RELATIVE = re.compile(r",?\s*(?:\b(?:to|of|for|in|with)\s+)?\b(?:which|whom|whose)\b\s")


def _strip_clause_article(text: str) -> str:
    return re.sub(r"\((?:[^()]*)\)", "", text)


def _enumeration(text: OffsetText) -> list[ListItem]:
    """The names an enumeration lists, up to the first piece that names nothing."""
    items = []
    for item in body_items(text):
        clause = _CLAUSE_BEFORE_BODY.match(item.name.text)
        if clause is not None:
            # '..., the Advisory Committee includes the International Organisation of Employers (IOE)
            # and ...': a clause inside the enumeration; its object is the body listed.
            item = replace(item, name=item.name.slice(clause.end()))
        if is_prose(item.name.text):
            break
        items.append(item)
    return items


# A capitalised subject, a verb ('includes', 'comprised') and 'the' before a capitalised name.
_CLAUSE_BEFORE_BODY = re.compile(
    r"^[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4}\s+(?!(?:des|les|los|las|dos|das|its|this|plus)\b)[a-z]{3,}(?:s|ed)\s+the\s+(?=[A-Z])"
)


def _known(draft: Draft) -> list[str]:
    names = [fold(p.name) for p in draft.partners]
    names += [fold(p.acronym) for p in draft.partners if p.acronym]
    return names


def _is_known(item: ListItem, known: list[str]) -> bool:
    key = fold(item.name.text)
    if item.acronym and fold(item.acronym) in known:
        return True
    return any(key == k or fuzz.ratio(key, k) >= 90 for k in known)


def _complete_known(draft: Draft, item: ListItem, *, lead: bool, category: str | None) -> None:
    """What the structure adds to a body the type's extractor found: its lead mark, country, acronym."""
    key = fold(item.name.text)
    acronym = fold(item.acronym) if item.acronym else None
    for i, partner in enumerate(draft.partners):
        # 'Lead partner: FAO' found first, then 'Food and Agriculture Organization of the United
        # Nations (FAO)' in its section: the body as the section names it, still the lead.
        named_by_acronym = acronym is not None and fold(partner.name) == acronym
        if key not in (fold(partner.name), fold(partner.acronym or "")) and not named_by_acronym:
            continue
        update: dict[str, object] = {}
        if named_by_acronym:
            update.update(name=item.name.text, acronym=item.acronym)
        # A sheet's section gives a body found without one its category; a lead partner, printed
        # in its own field, takes one only from the section row that names it in full.
        if partner.category is None and category is not None and (named_by_acronym or not partner.lead):
            update["category"] = category
        if lead and not partner.lead:
            update["lead"] = True
        if item.country and partner.country is None:
            update["country"] = item.country
        if item.acronym and partner.acronym is None:
            update["acronym"] = item.acronym
        if category in ("organizer", "funder") and partner.category == "participant":
            update["category"] = category
        if update:
            draft.partners[i] = partner.model_copy(update=update)
        return


def add_structural_partners(ctx: ExtractionContext, doc_type: str, draft: Draft) -> list[Zone]:
    """Add the bodies the structure and prose name that the type's extractor missed."""
    zones = document_zones(ctx.doc, explicit_breaks=ctx.explicit_breaks, learned=ctx.section_model)
    draft.partners = [p for p in draft.partners if plausible_body(p.name)]
    known = _known(draft)
    # An information sheet lists its partners in sections; its prose tells their history.
    prose = [*prose_candidates(zones), *mention_candidates(zones)] if doc_type != "information_sheet" else []
    defined = acronym_map(ctx.doc.text)
    for candidate in [*zone_candidates(zones), *prose]:
        item = candidate.item
        if candidate.how == "prose" and item.name.text in defined and looks_like_acronym(item.name.text):
            # 'FAO, IFAD and UNDP' after 'the International Fund for Agricultural Development (IFAD)':
            # a sentence names by acronym a body the document defined in full.
            full = re.sub(r"^(?:(?:and|or|by|with)\s+)?(?:the\s+)?", "", defined[item.name.text], flags=re.I)
            item = replace(item, name=OffsetText.at(full, 0), acronym=item.name.text)
        suffix = country_suffix(item.name.text) if candidate.how in ("prose", "mention") else None
        if suffix is not None:  # 'the Chipko Movement of India' in a sentence
            cut, where = suffix
            item = replace(item, name=item.name.slice(0, cut), country=where, country_source="name")
        name = item.name.text
        if not _new_body(name, candidate.how, acronym=item.acronym):
            continue
        if _is_known(item, known):
            category, lead = partner_category(candidate.role, doc_type, name)
            _complete_known(
                draft,
                item,
                lead=item.lead or (lead and doc_type == "information_sheet"),
                # An explicit 'organised by' outranks a participation inferred from a presentation;
                # a sheet's section gives the category its lead row left out.
                category=category
                if category in ("organizer", "funder") or doc_type == "information_sheet"
                else None,
            )
            continue
        category, lead = partner_category(candidate.role, doc_type, name)
        country = item.country or (country_code(name) if doc_type == "information_sheet" else None)
        if country is None:
            country = country_in_name(name)
        record = ctx.facts.make(
            PartnerRecord,
            item.evidence,
            method=f"structure.{candidate.how}",
            confidence=CONFIDENCE[candidate.how],
            name=name,
            acronym=item.acronym,
            category=category,
            country=country,
            lead=lead or (item.lead and doc_type == "information_sheet"),
        )
        if record is not None:
            draft.partners.append(record)
            known.append(fold(name))
            if item.acronym:
                known.append(fold(item.acronym))
    return zones


__all__ = [
    "CONFIDENCE",
    "PARTNER_ROLES",
    "add_structural_partners",
    "is_group_label",
    "partner_category",
]
