"""Extraction entry point: classify a parsed document and run its type's extractor.

Adding a document type means one extractor function registered in
``EXTRACTORS`` plus a rules file and its tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractors.bodies import add_structural_partners
from extractors.classify import Classification, classify
from extractors.common import Draft, ExtractionContext, finalise_contacts, websites
from extractors.coverage import coverage_reasons
from extractors.people import add_speakers
from extractors.programme import extract_programme
from extractors.report import extract_report
from extractors.sheet import extract_sheet
from schemas.document import ParsedDocument
from schemas.extraction import Extraction
from schemas.records import FactRecord, with_stable_id

Extractor = Callable[[ExtractionContext], Draft]

EXTRACTORS: dict[str, Extractor] = {
    "information_sheet": extract_sheet,
    "seminar_report": extract_report,
    "programme": extract_programme,
}

_CONTACT_METHOD = {
    "information_sheet": "sheet.contact_block",
    "seminar_report": "report.contact_block",
    "programme": "programme.contact_block",
}

_EN_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
        "is",
        "on",
        "that",
        "by",
        "with",
        "as",
        "are",
        "this",
        "be",
        "from",
        "at",
        "an",
        "will",
        "which",
    ]
)


def detect_language(text: str) -> str | None:
    """'en' when English function words are frequent; None when the text is too short or not English."""
    words = re.findall(r"[a-zA-Z]+", text[:20_000].casefold())
    if len(words) < 20:
        return None
    share = sum(1 for w in words if w in _EN_WORDS) / len(words)
    return "en" if share >= 0.08 else None


def extract_document(
    doc: ParsedDocument, doc_id: str, *, classification: Classification | None = None
) -> Extraction:
    classification = classification or classify(doc)
    ctx = ExtractionContext.create(doc, doc_id)
    extractor = EXTRACTORS.get(classification.doc_type)
    draft = extractor(ctx) if extractor is not None else Draft(websites=websites(ctx))
    review_reasons: list[str] = []
    if extractor is not None:
        zones = add_structural_partners(ctx, classification.doc_type, draft)
        if classification.doc_type == "seminar_report":
            add_speakers(ctx, zones, draft)
        review_reasons = coverage_reasons(classification.doc_type, zones, draft)
    contacts = draft.contact_records + finalise_contacts(
        ctx, draft.contacts, method=_CONTACT_METHOD.get(classification.doc_type, "contact_block")
    )
    return Extraction(
        doc_type=classification.doc_type,
        title=_without_description(draft.title),
        acronym=draft.acronym,
        language=detect_language(doc.text),
        dates=_unique(draft.dates),
        partners=_unique(draft.partners),
        contacts=_unique(contacts),
        targets=_unique(draft.targets),
        events=_unique(draft.events),
        websites=_unique(draft.websites),
        warnings=ctx.facts.warnings,
        review_reasons=review_reasons,
    )


def _without_description(title: str | None) -> str | None:
    """'Clean Water for People: a United States-Japan partnership to ...': the name, not its gloss.

    A colon followed by a lower-case phrase describes what was named; 'Seminar: Use of ICT' is one title.
    """
    if title is None:
        return None
    match = re.search(r":\s+(?=(?:a|an)\s|(?:the|to|for|towards)\s+[a-z]|[a-z])", title)
    return title[: match.start()].strip() if match and match.start() > 3 else title


def _unique(records: list) -> list:
    """Drop repeated facts (same identity) and give each row its stable id."""
    seen: dict[str, FactRecord] = {}
    for record in records:
        key = record.identity_key()
        if key not in seen:
            seen[key] = with_stable_id(record)
    return list(seen.values())


__all__ = ["EXTRACTORS", "detect_language", "extract_document"]
