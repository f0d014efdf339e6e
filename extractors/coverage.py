"""Coverage: signs that a document's facts were missed, so that it goes to review with the reason.

Confidence speaks for the rows that were extracted; coverage speaks for the ones that
were not. A document is sent to review when a zone the structure reads as listing
bodies (a partner, participant or organiser heading, label, column or introducing
sentence) yielded none, or when its type's essential facts are absent altogether.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from extractors.bodies import PARTNER_ROLES, is_group_label
from extractors.common import Draft
from extractors.lists import body_items
from extractors.structure import Zone

# Facts every document of a type has; their absence means the reader missed them.
_ESSENTIAL: dict[str, tuple[tuple[str, str], ...]] = {
    "information_sheet": (("partners", "no partners found"), ("contacts", "no contact found")),
    "seminar_report": (
        ("events", "no meeting (date or venue) found"),
        ("partners", "no participants or organisers found"),
    ),
    "programme": (
        ("partners", "no organisers, funders or members found"),
        ("dates", "no phases or dates found"),
    ),
}


def _span(zone: Zone) -> tuple[int, int] | None:
    texts = [p.text for p in zone.pieces if p.text.text.strip()]
    return (min(t.start for t in texts), max(t.end for t in texts)) if texts else None


def _section_span(zones: Sequence[Zone], index: int) -> tuple[int, int] | None:
    spans = []
    for zone in zones[index:]:
        if zone is not zones[index] and zone.source == "heading" and zone.role not in PARTNER_ROLES:
            break  # sub-headings naming partner groups ('Governments') are part of the section
        if (span := _span(zone)) is not None:
            spans.append(span)
    if not spans:
        return None
    heading = zones[index].label  # 'Leading Partner/ Kanagawa Prefectural Government' names its body
    start = min(a for a, _ in spans)
    return (min(start, heading.start) if heading is not None else start), max(b for _, b in spans)


def _listed_span(zone: Zone) -> tuple[int, int] | None:
    """Where the zone lists names (items, cells, short lines; not running text, not a lead-in
    such as 'Stakeholders in Kitakyushu such as')."""
    listed = [
        p.text
        for p in zone.pieces
        if p.kind != "paragraph" and any(not is_group_label(i.name.text) for i in body_items(p.text))
    ]
    if not listed:
        return None
    return min(t.start for t in listed), max(t.end for t in listed)


def empty_partner_zones(zones: Iterable[Zone], partner_starts: Sequence[int], *, doc_type: str) -> list[str]:
    """Labels of zones that list bodies, yet in which no partner was extracted."""
    empty = []
    zones = list(zones)
    for index, zone in enumerate(zones):
        if zone.role not in PARTNER_ROLES or zone.label is None or zone.source == "none":
            continue
        if doc_type == "information_sheet" and zone.role == "funder":
            continue  # a sheet's funding field describes arrangements, it lists no partner section
        span = _listed_span(zone)
        if span is None and zone.source == "heading":
            # A 'Participation' section told in prose: its bodies are named in its sentences
            # and the lists they introduce, up to the next heading.
            span = _section_span(zones, index)
        if span is not None and not any(span[0] <= start < span[1] for start in partner_starts):
            empty.append(zone.label.text.strip()[:60])
    return empty


_REACH = re.compile(r"@|\b(?:tel|phone|telephone|fax)\b", re.I)
# People are named in a speakers section by their honorifics; bodies presenting are not people.
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Hon|H\.\s?E)\.\s+[A-Z]|\bProfessor\s+[A-Z]")


def unread_sections(zones: Sequence[Zone], draft: Draft, *, has_speakers: bool) -> list[str]:
    """Contact sections holding an email or a phone, and speaker sections (in reports), that gave no row."""
    contact_starts = [c.span()[0] for c in draft.contacts] + [c.char_start for c in draft.contact_records]
    missed = []
    for index, zone in enumerate(zones):
        role = zone.effective_role
        wanted = role == "contact" or (has_speakers and role in ("speaker", "chair"))
        if not wanted or zone.label is None or zone.source == "none":
            continue
        span = _section_span(zones, index)
        if span is None or any(span[0] <= start < span[1] for start in contact_starts):
            continue
        text = " ".join(
            p.text.text for z in zones[index:] for p in z.pieces if span[0] <= p.text.start < span[1]
        )
        if _REACH.search(text) if role == "contact" else _HONORIFIC.search(text):
            missed.append(zone.label.text.strip()[:60])
    return missed


def coverage_reasons(
    doc_type: str, zones: Sequence[Zone], draft: Draft, *, has_speakers: bool = False
) -> list[str]:
    reasons = []
    unread = unread_sections(zones, draft, has_speakers=has_speakers)
    if unread:
        reasons.append(
            "people or contacts printed but not extracted under: " + "; ".join(f"'{u}'" for u in unread)
        )
    for family, reason in _ESSENTIAL.get(doc_type, ()):
        rows = draft.contact_records + draft.contacts if family == "contacts" else getattr(draft, family)
        if not rows:
            reasons.append(reason)
    empty = empty_partner_zones(zones, [p.char_start for p in draft.partners], doc_type=doc_type)
    if empty:
        reasons.append("bodies listed but not extracted under: " + "; ".join(f"'{label}'" for label in empty))
    return reasons


__all__ = ["coverage_reasons", "empty_partner_zones"]
