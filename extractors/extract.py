"""Extraction entry point: classify a parsed document and run its type's extractor.

Adding a document type means one entry in ``DOCUMENT_TYPES`` (its extractor and
contact method), its name in ``schemas.types.DocType``, its signals in
``rules/classify.json``, a rules file and its tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extractors.bodies import add_structural_partners
from extractors.classify import Classification, classify
from extractors.common import Draft, ExtractionContext, finalise_contacts, websites
from extractors.contact_zones import contacts_from_zones, merge_contacts
from extractors.coverage import coverage_reasons
from extractors.normalize import seat_of
from extractors.partner_names import tidy_partners
from extractors.people import add_speakers
from extractors.programme import extract_programme
from extractors.prose import split_title_acronym
from extractors.report import extract_report
from extractors.section_model import SectionRoleModel
from extractors.sheet import extract_sheet
from extractors.targets import targets_from_zones
from schemas.document import ParsedDocument
from schemas.extraction import Extraction
from schemas.records import FactRecord, PartnerRecord, with_stable_id

Extractor = Callable[[ExtractionContext], Draft]


@dataclass(frozen=True)
class DocumentType:
    """Everything the pipeline knows of one document type, in one place.

    ``name`` is a value of ``schemas.types.DocType``; the classifier's signals for it
    live under that name in ``rules/classify.json`` and its label vocabulary in
    ``rules/<name>.json`` (both checked against this registry by the tests).
    """

    name: str
    extractor: Extractor
    # The method name contact-block rows carry (their confidence is measured per method).
    contact_method: str
    # Speakers and chairs are facts of a reported meeting only (docs/GOLD.md).
    has_speakers: bool = False


DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType("information_sheet", extract_sheet, "sheet.contact_block"),
    DocumentType("seminar_report", extract_report, "report.contact_block", has_speakers=True),
    DocumentType("programme", extract_programme, "programme.contact_block"),
)
REGISTRY: dict[str, DocumentType] = {t.name: t for t in DOCUMENT_TYPES}
EXTRACTORS: dict[str, Extractor] = {t.name: t.extractor for t in DOCUMENT_TYPES}

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
    doc: ParsedDocument,
    doc_id: str,
    *,
    classification: Classification | None = None,
    section_model: SectionRoleModel | None = None,
) -> Extraction:
    """``section_model``: the learned section roles (default: the model shipped with the package)."""
    classification = classification or classify(doc)
    ctx = ExtractionContext.create(doc, doc_id, section_model=section_model)
    doc_type = REGISTRY.get(classification.doc_type)
    draft = doc_type.extractor(ctx) if doc_type is not None else Draft(websites=websites(ctx))
    review_reasons: list[str] = []
    if doc_type is not None:
        zones = add_structural_partners(ctx, doc_type.name, draft)
        if doc_type.has_speakers:
            add_speakers(ctx, zones, draft)
        targets_from_zones(ctx, zones, draft)
        structured = contacts_from_zones(ctx.doc, zones, secretariat_only=doc_type.has_speakers)
        merge_contacts(draft.contacts, draft.contact_records, structured)
        review_reasons = coverage_reasons(doc_type.name, zones, draft, has_speakers=doc_type.has_speakers)
    contacts = draft.contact_records + finalise_contacts(
        ctx, draft.contacts, method=doc_type.contact_method if doc_type is not None else "contact_block"
    )
    draft.partners = [
        _seated(partner) for partner in tidy_partners(draft.partners, [c.name for c in contacts if c.name])
    ]
    title, acronym = split_title_acronym(_tidy_title(_without_description(draft.title)), draft.acronym)
    return Extraction(
        doc_type=classification.doc_type,
        title=title,
        acronym=acronym,
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


# 'Countdown 2010 Primary theme ......... Biodiversity': the next field's label and its dot leader.
_LEADER_FIELD = re.compile(r"\s+[A-Z][\w ,/&()-]{0,50}?\s*[.…·]{4,}")
# 'About the Methane to Markets Partnership': a web page's heading around the name.
_ABOUT = re.compile(r"^about\s+(?:the\s+|us\b\s*)?", re.I)
_GENERIC_TITLE = re.compile(
    r"(?i)^(?:the\s+)?(?:programme|program|partnership|initiative|project|network|us|overview|background)?$"
)


def _tidy_title(title: str | None) -> str | None:
    """The name alone: no field glued on after a dot leader, no 'About the' of a web page; None when
    what is left names nothing ('About the programme')."""
    if title is None:
        return None
    leader = _LEADER_FIELD.search(title)
    if leader and leader.start() > 0:
        title = title[: leader.start()].strip()
    about = _ABOUT.match(title)
    if about:
        rest = title[about.end() :].strip()
        return None if _GENERIC_TITLE.match(rest) else rest
    return title


def _seated(partner: PartnerRecord) -> PartnerRecord:
    """A well-known body the document does not place is where it is seated ('IFAD': Italy)."""
    if partner.country is not None:
        return partner
    seat = seat_of(partner.name, partner.acronym)
    return partner if seat is None else partner.model_copy(update={"country": seat})


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


__all__ = ["DOCUMENT_TYPES", "EXTRACTORS", "REGISTRY", "DocumentType", "detect_language", "extract_document"]
