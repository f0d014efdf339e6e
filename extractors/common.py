"""What every document type's extractor shares: context, the draft it fills, and doc-wide facts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.contacts import ContactDraft, address_country, email_value, phone_value
from extractors.facts import FactBuilder
from extractors.normalize import country_code, country_of_place, parse_date
from extractors.parsing.sniff import DOCX as DOCX_MEDIA_TYPE
from extractors.parsing.sniff import HTML as HTML_MEDIA_TYPE
from extractors.section_model import SectionRoleModel, section_role_model
from extractors.text import OffsetText, is_org_like
from schemas.document import ParsedDocument
from schemas.records import (
    ContactRecord,
    DateRecord,
    EventRecord,
    PartnerRecord,
    TargetRecord,
    WebsiteRecord,
)


def writer_breaks(doc: ParsedDocument) -> bool:
    """Line breaks in HTML and Word documents were put there by the writer, not by layout."""
    return doc.media_type in (HTML_MEDIA_TYPE, DOCX_MEDIA_TYPE)


@dataclass
class ExtractionContext:
    doc: ParsedDocument
    doc_id: str
    facts: FactBuilder
    # Gives a role to the labels no vocabulary phrase covers (None: vocabularies only).
    section_model: SectionRoleModel | None = None

    @property
    def explicit_breaks(self) -> bool:
        return writer_breaks(self.doc)

    @classmethod
    def create(
        cls, doc: ParsedDocument, doc_id: str, *, section_model: SectionRoleModel | None = None
    ) -> ExtractionContext:
        """``section_model``: the learned section roles to use; by default the packaged model."""
        model = section_model if section_model is not None else section_role_model()
        return cls(doc=doc, doc_id=doc_id, facts=FactBuilder(doc, doc_id), section_model=model)


@dataclass
class Draft:
    """Facts found so far for one document; contacts stay drafts until finalised."""

    title: str | None = None
    title_confidence: float = 0.0
    acronym: str | None = None
    dates: list[DateRecord] = field(default_factory=list)
    partners: list[PartnerRecord] = field(default_factory=list)
    contacts: list[ContactDraft] = field(default_factory=list)
    contact_records: list[ContactRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    websites: list[WebsiteRecord] = field(default_factory=list)


_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'()\[\]{}]+""", re.I)


def websites(ctx: ExtractionContext) -> list[WebsiteRecord]:
    """Every URL printed anywhere in the document, once each."""
    seen: set[str] = set()
    records: list[WebsiteRecord] = []
    text = ctx.doc.text
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?'\"’”>")
        # A PDF line break can split a long URL; rejoin when the next line continues it.
        end = match.start() + len(url)
        key = url.casefold().rstrip("/")
        if key in seen:
            continue
        seen.add(key)
        record = ctx.facts.make(
            WebsiteRecord, (match.start(), end), method="regex.url", confidence=0.97, url=url
        )
        if record:
            records.append(record)
    return records


_MAX_FIELD_WORDS = 20
# Where an address stops: the web address or a sentence about the documents after it.
_WEB_PART = re.compile(
    r"[,;]?\s*(?:\b(?:web(?:site)?|url|internet)\s*:|https?://|www\.|\b[A-Z][a-z]+ (?:documents|pages)\b)",
    re.I,
)


def _without_web(address: OffsetText) -> OffsetText | None:
    cut = _WEB_PART.search(address.text)
    if cut is None:
        return address
    kept = address.slice(0, cut.start()).strip(" ,;")
    return kept if kept.text else None


def _place_at_end(organization: OffsetText) -> tuple[OffsetText, OffsetText | None]:
    parts = organization.split_top_level(",")
    n = len(parts)
    while (
        n > 1
        and not is_org_like(parts[n - 1].text)
        and (country_code(parts[n - 1].text) or country_of_place(parts[n - 1].text))
    ):
        n -= 1
    if n == len(parts) or n < 2:
        return organization, None  # 'Stockholm, Sweden' alone is how a speaker is placed
    split = organization.text.index(parts[n].text, len(parts[n - 1].text))
    return organization.slice(0, split).strip(" ,"), organization.slice(split).strip(" ,")


def _is_only_a_date(text: str) -> bool:
    mention = parse_date(text)
    return mention is not None and mention.offset <= 1 and mention.end_offset >= len(text.strip()) - 1


def _office_without_means(draft: ContactDraft) -> bool:
    """A block naming neither a person nor any way to reach it: a running header or a caption."""
    return draft.name is None and not (draft.address or draft.phone_raw or draft.fax_raw or draft.email)


def finalise_contacts(
    ctx: ExtractionContext, drafts: list[ContactDraft], *, method: str
) -> list[ContactRecord]:
    records: list[ContactRecord] = []
    for draft in drafts:
        # A paragraph caught as a name, position or body is prose, not a field of a contact.
        for name in ("name", "position", "organization"):
            value = getattr(draft, name)
            if value is not None and len(value.text.split()) > _MAX_FIELD_WORDS:
                setattr(draft, name, None)
        if draft.address is not None:
            draft.address = _without_web(draft.address)
        if draft.address is None and draft.organization is not None:
            # 'European Commission, Environment Directorate-General, Brussels, Belgium' on one line
            draft.organization, draft.address = _place_at_end(draft.organization)
        if draft.address is not None and sum(ch.isalnum() for ch in draft.address.text) < 5:
            draft.address = None  # a stray mark, not an address
        if draft.address is not None and _is_only_a_date(draft.address.text):
            draft.address = None  # 'June 2004' under a running header caught as an office
        if draft.is_empty() or _office_without_means(draft):
            continue
        address = draft.address.text if draft.address else None
        region = address_country(address) or address_country(
            draft.organization.text if draft.organization else None
        )
        confidence = 0.9 if draft.name or draft.organization else 0.6
        # A contact point that names no person is an office to contact (docs/GOLD.md: secretariat).
        role = (
            "secretariat"
            if draft.role == "focal_point" and draft.name is None and draft.organization
            else draft.role
        )
        record = ctx.facts.make(
            ContactRecord,
            draft.span(),
            method=method,
            confidence=confidence,
            role=role,
            name=_text(draft.name),
            position=_text(draft.position),
            organization=_text(draft.organization),
            address=address,
            phone=phone_value(draft.phone_raw, region),
            fax=phone_value(draft.fax_raw, region),
            email=email_value(draft.email),
        )
        if record:
            records.append(record)
    return records


def _text(value: OffsetText | None) -> str | None:
    if value is None:
        return None
    return value.text.strip() or None
