"""Partnership information sheets: a filled form of labelled fields."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from extractors.common import Draft, ExtractionContext, websites
from extractors.contacts import (
    ContactDraft,
    looks_like_person,
    parse_contact_block,
    phone_and_fax,
    split_position_organization,
    split_trailing_position,
    strip_honorific,
)
from extractors.labels import LabelMatcher, Segment, segment_lines
from extractors.lists import logical_lines, split_items, table_body_cells
from extractors.normalize import country_in_name, parse_date
from extractors.rules import SheetRules, sheet_rules
from extractors.targets import extract_targets
from extractors.text import OffsetText, clean_value, fold, looks_like_acronym, trailing_parenthetical
from schemas.document import TextLine
from schemas.records import DateRecord, PartnerRecord

_CONTACT_KEYS = ("focal_point", "form_filler")
_YEAR_ITEM = re.compile(r"^\s*(?:[-•*]\s*)?(?P<year>(?:19|20)\d{2})\s*(?:[:\-–—.)]|\s-\s)\s*")
_UNKNOWN_LABEL = re.compile(r"^[A-Z][\w\s/&()'’-]{1,60}:\s*$")


@lru_cache(maxsize=1)
def _matchers() -> dict[str, LabelMatcher]:
    rules = sheet_rules()
    return {
        "main": LabelMatcher(rules.labels),
        "partners": LabelMatcher(rules.partner_sections),
        "contact": LabelMatcher(rules.contact_fields),
        "targets": LabelMatcher(rules.target_labels),
    }


def _policy(zone: str) -> list[tuple[str, LabelMatcher]]:
    m = _matchers()
    if zone == "partners":
        return [("partners:", m["partners"]), ("", m["main"])]
    if zone in _CONTACT_KEYS:
        return [(f"{zone}:", m["contact"]), ("", m["main"])]
    if zone == "targets":
        return [("targets:", m["targets"]), ("", m["main"])]
    return [("", m["main"])]


def _zone_of(key: str) -> str:
    base = key.split(":", 1)[0]
    if base in ("partners", "targets") or base in _CONTACT_KEYS:
        return base
    return "main"


_LABEL_LIKE = re.compile(r"^[A-Z][A-Za-z/&()' -]{2,40}:\s+\S")


def _terminates(line: TextLine, zone: str, text: str = "") -> bool:
    if line.heading_level > 0:
        # Sub-headings inside the partners part group bodies ("Cities in Asia"); others end a part.
        return not (zone == "partners" and line.heading_level >= 3)
    # An unknown "Some label: value" line ends the previous field instead of running into it.
    return zone == "main" and bool(_LABEL_LIKE.match(text)) and len(text.split(":")[0].split()) <= 5


def extract_sheet(ctx: ExtractionContext) -> Draft:
    rules = sheet_rules()
    segments = segment_lines(ctx.doc, _policy, zone_of=_zone_of, terminators=_terminates)
    draft = Draft()
    _title(ctx, segments, draft)
    if draft.title is None:
        _title_from_heading(ctx, draft)
    _dates(ctx, segments, draft)
    _partners(ctx, segments, draft, rules)
    _contacts(ctx, segments, draft)
    extract_targets(ctx, segments, draft, method="sheet.targets")
    draft.websites.extend(websites(ctx))
    return draft


def _first(segments: Sequence[Segment], key: str) -> Segment | None:
    return next((s for s in segments if s.key == key and any(v.text.strip() for v in s.values)), None)


# The form's own name: 'PARTNERSHIP / INITIATIVE INFORMATION SHEET' read as the label 'Partnership'
# and a value is the heading, not the name the form gives.
_FORM_NAME = re.compile(r"(?i)\binformation\s+sheet\b")


def _title(ctx: ExtractionContext, segments: Sequence[Segment], draft: Draft) -> None:
    segment = next(
        (
            s
            for s in segments
            if s.key == "title"
            and any(v.text.strip() for v in s.values)
            and not _FORM_NAME.search(s.joined().text)
        ),
        None,
    )
    if segment is None:
        return
    # The title runs until a blank-line block change; one or two lines in practice.
    value = clean_value(segment.joined())
    name, paren = trailing_parenthetical(value)
    if paren is not None and looks_like_acronym(paren.text):
        draft.acronym = paren.text
        value = name
    draft.title = clean_value(value).text or None
    draft.title_confidence = 0.95


def _title_from_heading(ctx: ExtractionContext, draft: Draft) -> None:
    """No title field: the page's first heading, else the document's own title (less site names)."""
    doc = ctx.doc
    generic = re.compile(
        r"(?i)^(partnership\s+)?(initiatives?\s+)?information\s+sheet$|^partnership information"
    )
    for line in doc.lines[:30]:
        text = doc.text[line.char_start : line.char_end]
        if line.heading_level and not generic.search(text.strip()):
            draft.title = clean_value(OffsetText.at(text, line.char_start)).text or None
            draft.title_confidence = 0.6
            return
    if doc.title_hint and not doc.title_hint.islower():
        title = re.split(r"\s+[|–—-]\s+", doc.title_hint)[0].strip()
        if title and not generic.search(title):
            draft.title, draft.title_confidence = title, 0.5


def _dates(ctx: ExtractionContext, segments: Sequence[Segment], draft: Draft) -> None:
    for key, role in (("initiation", "initiation"), ("completion", "completion"), ("duration", None)):
        segment = _first(segments, key)
        if segment is None:
            continue
        value = segment.values[0]
        mention = parse_date(value.text)
        if mention is None:
            continue
        evidence = value.slice(mention.offset, mention.end_offset) if mention.end_offset else value
        if role is None:
            if mention.end is None:
                continue
            pairs = [("initiation", mention.start), ("completion", mention.end)]
        elif mention.end is not None and role == "initiation":
            pairs = [(role, mention.start)]
        elif mention.end is not None and role == "completion":
            pairs = [(role, mention.end)]
        else:
            pairs = [(role, mention.start)]
        for date_role, iso in pairs:
            if any(d.role == date_role for d in draft.dates):
                continue
            record = ctx.facts.make(
                DateRecord,
                evidence,
                method=f"sheet.label.{key}",
                confidence=0.95,
                role=date_role,
                start=iso,
                end=None,
                text=mention.text,
            )
            if record:
                draft.dates.append(record)


def _leading_section(value: OffsetText, rules: SheetRules) -> tuple[str | None, OffsetText]:
    text = value.text.lstrip()
    folded = text.casefold()
    offset = len(value.text) - len(text)
    for category, variants in rules.partner_sections.items():
        for variant in sorted(variants, key=len, reverse=True):
            if not folded.startswith(variant):
                continue
            rest = text[len(variant) :]
            after = re.match(r"\s*[:\-–]?\s*", rest)
            following = rest[after.end() :] if after else rest
            # 'Government of Japan' is a partner; 'Other Yokohama Waterworks Bureau' is a section and a partner.
            if not rest or (after and after.end() and following[:1].isupper()):
                return category, value.slice(offset + len(variant) + (after.end() if after else 0))
    return None, value


def _partners(ctx: ExtractionContext, segments: Sequence[Segment], draft: Draft, rules: SheetRules) -> None:
    group_patterns = [re.compile(p, re.I) for p in rules.partner_group_patterns]
    noise = frozenset(fold(n) for n in rules.partner_noise)
    for segment in segments:
        if segment.key.startswith("partners:"):
            category = segment.key.split(":", 1)[1]
        elif segment.key == "partners":
            category = None
        else:
            continue
        values, lines = list(segment.values), list(segment.value_lines)
        if category is None and values:
            # "Partners involved: | Major groups | Da Nang Women's Union": the section named after the label,
            # perhaps wrapped over lines of its cell ("Major" / "groups").
            for k in (3, 2):
                joined = fold(" ".join(v.text.strip() for v in values[:k]))
                found = next((c for c, names in rules.partner_sections.items() if joined in names), None)
                if len(values) > k and found:
                    category, values, lines = found, values[k:], lines[k:]
                    break
            else:
                category, values[0] = _leading_section(values[0], rules)
        values, lines = table_body_cells(values, lines)
        items = split_items(values, lines, group_patterns=group_patterns, noise=noise)
        for item in items:
            confidence = 0.9 if category else 0.6
            record = ctx.facts.make(
                PartnerRecord,
                item.evidence,
                method=f"sheet.section.{category or 'partners'}",
                confidence=confidence,
                name=item.name.text,
                acronym=item.acronym,
                category=category,
                country=item.country,
                lead=False,
            )
            if record:
                draft.partners.append(record)
    lead = _first(segments, "lead")
    if lead is not None:
        items = split_items(lead.values[:2], lead.value_lines[:2], group_patterns=[], noise=noise)
        for item in items[:1]:
            record = ctx.facts.make(
                PartnerRecord,
                item.evidence,
                method="sheet.label.lead",
                confidence=0.95,
                name=item.name.text,
                acronym=item.acronym,
                category=None,
                country=item.country or country_in_name(item.name.text),
                lead=True,
            )
            if record:
                draft.partners.append(record)


def _contacts(ctx: ExtractionContext, segments: Sequence[Segment], draft: Draft) -> None:
    current: ContactDraft | None = None
    for segment in segments:
        base, _, field = segment.key.partition(":")
        if base not in _CONTACT_KEYS:
            if current is not None and _zone_of(segment.key) == "main":
                draft.contacts.append(current)
                current = None
            continue
        if not field:
            if current is not None:
                draft.contacts.append(current)
            current = ContactDraft(role=base)
            if segment.label:
                current.evidence.append(segment.label)
            block = logical_lines(segment.values, segment.value_lines, explicit_breaks=ctx.explicit_breaks)
            parse_contact_block(current, block)
            continue
        if current is None:
            current = ContactDraft(role=base)
        _fill_field(current, field, segment)
    if current is not None:
        draft.contacts.append(current)


def _fill_name_line(contact: ContactDraft, value: OffsetText) -> None:
    """'Koichi Sueyoshi, Mayor' or 'Hiroshi Okazaki, Governor of Kanagawa Prefecture'."""
    contact.evidence.append(value)
    parts = value.split_top_level(",")
    head, title = strip_honorific(parts[0])
    head, title_run = split_trailing_position(head)
    if looks_like_person(head.text):
        contact.name = head
        rest = value.slice(value.text.index(parts[1].text, len(parts[0].text))) if len(parts) > 1 else None
        if title_run is not None:
            rest = value.slice(value.text.index(title_run.text, len(head.text)))
        if rest is not None:
            position, organization = split_position_organization(rest)
            contact.position = position
            contact.organization = organization
        elif title:
            contact.position = None
    elif looks_like_person(value.text):
        contact.name = value
    else:
        contact.organization = value


def _fill_field(contact: ContactDraft, field: str, segment: Segment) -> None:
    value = clean_value(segment.joined()) if field in ("address", "position", "organization") else None
    first = segment.values[0].strip() if segment.values else None
    if segment.label:
        contact.evidence.append(segment.label)
    if field == "name" and first:
        _fill_name_line(contact, clean_value(first))
    elif field == "position" and value:
        # With its own 'Organisation' field the whole value is the position ('Head, Air Quality Department').
        position, organization = split_position_organization(value)
        if organization and contact.organization is None:
            contact.position, contact.organization = position, organization
            contact.position_as_written = value
        else:
            contact.position = value
        contact.evidence.append(value)
    elif field == "organization" and value:
        if contact.position_as_written is not None:
            contact.position = contact.position_as_written
            contact.position_as_written = None
        contact.organization = value
        contact.evidence.append(value)
    elif field == "address" and value:
        contact.address = value
        contact.evidence.append(value)
    elif field in ("phone", "fax", "email") and first:
        label = fold(segment.label.text) if segment.label else ""
        if field == "phone" and "fax" in label:
            contact.phone_raw, contact.fax_raw = phone_and_fax(first)
        elif field == "phone":
            contact.phone_raw = first
        elif field == "fax":
            contact.fax_raw = first
        else:
            contact.email = first
        contact.evidence.append(first)
