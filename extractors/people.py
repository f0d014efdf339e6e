"""Speakers and chairs of a reported meeting, from the document's structure and sentences.

A person is printed as "H.E. Rachmat Witoelar (State Minister of Environment,
Government of Indonesia)", "Professor Hidefumi Imura, Institute for Global
Environmental Strategies (IGES)" or "Kong Ha — Chairperson, CAI-Asia". They
are speakers or chairs when the zone they stand in says so (a heading or
introducing sentence with a speaker or chair role) or the sentence around them
does (opened, spoke, presented, chaired ...). People named in any other role
are not contacts (``eval/GOLD.md``), so a name without such a context is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.common import Draft, ExtractionContext
from extractors.contacts import is_position, looks_like_person, split_position_organization, strip_honorific
from extractors.roles import section_role
from extractors.rules import common_rules
from extractors.structure import Piece, Zone
from extractors.text import OffsetText, clean_value, fold, is_org_like, looks_like_acronym, sentence_spans
from schemas.records import ContactRecord

# An honorific run, then 2-4 capitalised name words (initials and hyphens allowed).
_NAME = r"(?P<name>(?:[A-Z][a-z]{0,3}\.?\s+|H\.\s?E\.\s+|Professor\s+)*(?:[A-Z][\w'’\-]*\.?\s+){1,3}[A-Z][\w'’\-]+)"
_WITH_PAREN = re.compile(_NAME + r"\s*\((?P<detail>[^()]{2,140})\)")
_WITH_COMMA = re.compile(
    r"^(?:[^—–:]{0,150}?\s[—–:-]\s+)?" + _NAME + r"\s*(?:,|\s[—–-]\s)\s*(?P<detail>[^;]{2,160})$"
)
_SPEAKER_VERBS = re.compile(
    r"\b(?:opened|spoke|speaking|said|presented|presenting|presentation|addressed|welcomed|delivered|stressed|"
    r"noted|explained|introduced|highlighted|argued|underlined|remarks|keynote|speech|statement|panel(?:list)?s?)\b",
    re.I,
)
_CHAIR_VERBS = re.compile(r"\b(?:chaired|chairs?|co-chaired|moderated|moderator|presided)\b", re.I)
_ACADEMIC = frozenset(["professor", "prof.", "prof"])
SPEAKER_CONFIDENCE = 0.8


def _person(match: re.Match[str], text: OffsetText) -> tuple[OffsetText, str | None, OffsetText] | None:
    name = text.slice(match.start("name"), match.end("name"))
    if re.search(r"[A-Z][\w'’\-]*\s+$", text.text[: match.start("name")]):
        return None  # the tail of a longer capitalised run ('... Global Environmental Strategies (IGES)')
    bare, honorific = strip_honorific(name)
    if not looks_like_person(bare.text) or section_role(bare.text) is not None:
        return None
    return bare, honorific, text.slice(match.start("detail"), match.end("detail"))


def _record(
    ctx: ExtractionContext, role: str, person: tuple[OffsetText, str | None, OffsetText]
) -> ContactRecord | None:
    name, honorific, detail = person
    detail = clean_value(detail)
    position, organization = split_position_organization(detail)
    if position is not None and organization is None:
        parts = position.split_top_level(",")
        if len(parts) >= 2 and _is_body(parts[-1].text):  # 'Chairperson, CAI-Asia'
            position, organization = (
                clean_value(position.slice(0, position.text.rfind(parts[-1].text))),
                parts[-1],
            )
    if position is not None and organization is None and _is_body(position.text):
        position, organization = None, position
    position_text = position.text if position is not None else None
    if position_text is None and honorific and honorific.casefold() in _ACADEMIC:
        position_text = "Professor"
    return ctx.facts.make(
        ContactRecord,
        (name.start, detail.end),
        method=f"people.{role}",
        confidence=SPEAKER_CONFIDENCE,
        role=role,
        name=name.text,
        position=position_text,
        organization=organization.text if organization is not None else None,
    )


def _is_body(text: str) -> bool:
    """'CAI-Asia', 'IGES', 'Government of Indonesia': a body, not a position."""
    capitals = re.search(r"[A-Z]{2,}", text)
    return not is_position(text) and (
        is_org_like(text) or looks_like_acronym(text) or (bool(capitals) and len(text.split()) <= 3)
    )


def _table_person(ctx: ExtractionContext, role: str, piece: Piece) -> ContactRecord | None:
    """A row of a speakers table: the name cell, then the position and organisation cells."""
    bare, honorific = strip_honorific(piece.text)
    if not looks_like_person(bare.text) or section_role(bare.text) is not None:
        return None
    detail = OffsetText.join(piece.others, ", ")
    return _record(ctx, role, (bare, honorific, detail))


def _role_of_context(zone_role: str | None, sentence: str) -> str | None:
    if _CHAIR_VERBS.search(sentence):
        return "chair"
    if zone_role in ("speaker", "chair"):
        return zone_role
    if _SPEAKER_VERBS.search(sentence):
        return "speaker"
    return None


def people_in_zones(ctx: ExtractionContext, zones: Iterable[Zone]) -> list[ContactRecord]:
    records: list[ContactRecord] = []
    for zone in zones:
        zone_role = zone.effective_role
        if zone_role == "contact":
            continue
        for piece in zone.pieces:
            text = piece.text
            if piece.kind == "cell" and piece.others and zone_role in ("speaker", "chair"):
                record = _table_person(ctx, zone_role, piece)
                if record is not None:
                    records.append(record)
                continue
            for start, end in (
                sentence_spans(text.text) if piece.kind == "paragraph" else [(0, len(text.text))]
            ):
                sentence = text.slice(start, end)
                role = _role_of_context(zone_role, sentence.text)
                if role is None:
                    continue
                whole = _WITH_COMMA.match(sentence.text) if piece.kind != "paragraph" else None
                found = [whole] if whole else list(_WITH_PAREN.finditer(sentence.text))
                for match in found:
                    person = _person(match, sentence)
                    if person is not None:
                        record = _record(ctx, role, person)
                        if record is not None:
                            records.append(record)
    return records


def add_speakers(ctx: ExtractionContext, zones: Iterable[Zone], draft: Draft) -> None:
    """Add the speakers and chairs the type's extractor did not list."""
    known = {fold(c.name) for c in draft.contact_records if c.name}
    known |= {fold(c.name.text) for c in draft.contacts if c.name}
    honorifics = {h.casefold() for h in common_rules().honorifics}
    for record in people_in_zones(ctx, zones):
        key = fold(record.name or "")
        if not key or key in known or key.split()[0] in honorifics:
            continue
        known.add(key)
        draft.contact_records.append(record)


__all__ = ["SPEAKER_CONFIDENCE", "add_speakers", "people_in_zones"]
