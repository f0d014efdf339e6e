"""Record models of the published dataset (``docs/DATASET.md``).

One model per table. ``schema.json`` is generated from these models, so the
field descriptions here are the dataset's data dictionary. Adding a field to
a table means adding it here (plus its extraction and tests) and to its table
in ``docs/DATASET.md``, which ``tests/test_contracts.py`` holds to these models.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.types import (
    Confidence,
    ContactRole,
    CountryCode,
    DateRole,
    DocStatus,
    DocType,
    Email,
    IsoPartialDate,
    NonEmptyText,
    PartnerCategory,
    PhoneNumber,
    Sha256,
)

# Integers are int64 in every store (Parquet, pandas, SQLite); a larger one would be accepted here and
# then fail every later write of its table, so the models bound them.
MAX_INT64 = 2**63 - 1

SCHEMA_VERSION = "1.1.0"

# The box of a fact's evidence on its page (PDF documents): the last four columns of every fact
# table, in PDF points from the page's top-left corner (pdfplumber's x0, top, x1, bottom), on the
# row's ``page``. Null for formats without pages, and for rows added without a box.
BOX_FIELDS: tuple[str, ...] = ("x0", "top", "x1", "bottom")
_BOX_MEANING = {
    "x0": "Left edge of the evidence's box on its page, in PDF points from the page's left edge.",
    "top": "Top edge of the evidence's box, in PDF points from the page's top edge.",
    "x1": "Right edge of the evidence's box, in PDF points from the page's left edge.",
    "bottom": "Bottom edge of the evidence's box, in PDF points from the page's top edge.",
}


def _box(edge: str) -> Any:
    return Field(default=None, description=f"{_BOX_MEANING[edge]} Null without a page (HTML, DOCX, text).")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # Every table's model names its table and its id column (declared here so code that takes any
    # record model can read them; each subclass sets them).
    table: ClassVar[str]
    id_field: ClassVar[str]


class DocumentRecord(Record):
    table: ClassVar[str] = "documents"
    id_field: ClassVar[str] = "doc_id"

    doc_id: str = Field(description="Stable id of the document's content (prefix of its sha256).")
    source: str = Field(description="Path of the file relative to the raw folder, with '/' separators.")
    sha256: Sha256 = Field(description="SHA-256 of the file's bytes.")
    media_type: str = Field(description="Media type sniffed from the content, e.g. application/pdf.")
    doc_type: DocType = Field(description="Document type, from its content.")
    title: str | None = Field(default=None, description="Title of the initiative, seminar or programme.")
    acronym: str | None = Field(default=None, description="Acronym of the title, if printed.")
    language: str | None = Field(default=None, description="ISO 639-1 code of the text's language.")
    n_pages: int | None = Field(
        default=None, ge=0, le=MAX_INT64, description="Pages; null for formats without pages."
    )
    status: DocStatus = Field(description="ok, needs_review (low confidence or invalid rows) or failed.")
    error: str | None = Field(
        default=None, description="Why the document failed or needs review, for people."
    )
    extracted_at: datetime = Field(description="When this document was extracted (UTC).")
    extractor_version: str = Field(description="Version of the extraction code that produced the rows.")


class PageRecord(Record):
    table: ClassVar[str] = "pages"
    id_field: ClassVar[str] = "page_id"

    page_id: str = Field(description="Stable id of the page row.")
    doc_id: str = Field(description="The document (see documents).")
    page: int | None = Field(le=MAX_INT64, description="1-based page number; null for formats without pages.")
    char_start: int = Field(ge=0, le=MAX_INT64, description="Start of this page in the document's text.")
    char_end: int = Field(
        ge=0, le=MAX_INT64, description="End (exclusive) of this page in the document's text."
    )
    text: str = Field(description="The page's extracted text.")


class FactRecord(Record):
    """Provenance carried by every row of an extracted-fact table."""

    table: ClassVar[str]
    id_field: ClassVar[str]
    # Fields that identify the fact within its document; the row id is derived
    # from them so it survives re-extraction (reviewers' corrections key on it).
    identity: ClassVar[tuple[str, ...]]

    doc_id: str = Field(description="The document it came from (see documents).")
    page: int | None = Field(
        default=None, ge=1, le=MAX_INT64, description="1-based page; null for formats without pages."
    )
    char_start: int = Field(
        ge=0, le=MAX_INT64, description="Start of the evidence in the document's text (pages joined)."
    )
    char_end: int = Field(
        ge=0, le=MAX_INT64, description="End (exclusive) of the evidence in the document's text."
    )
    method: str = Field(description="What produced the row: a rule's name, spacy:ORG, reviewer.")
    confidence: Confidence = Field(description="Probability that the row is right, 0-1.")
    corrected: bool = Field(default=False, description="A reviewer's correction is applied to this row.")

    @model_validator(mode="after")
    def _span_is_ordered(self) -> FactRecord:
        if self.char_end < self.char_start:
            raise ValueError(f"char_end {self.char_end} < char_start {self.char_start}")
        return self

    @model_validator(mode="before")
    @classmethod
    def _missing_box_is_null(cls, data: Any) -> Any:
        # A table read back holds a missing number as NaN (float64 columns): it means null.
        if isinstance(data, dict) and any(_is_nan(data.get(name)) for name in BOX_FIELDS):
            data = {**data, **{name: None for name in BOX_FIELDS if _is_nan(data.get(name))}}
        return data

    @model_validator(mode="after")
    def _box_is_whole_and_ordered(self) -> FactRecord:
        edges = [getattr(self, name, None) for name in BOX_FIELDS]
        if all(v is None for v in edges):
            return self
        box = self.box
        if box is None or self.page is None:
            raise ValueError("a box needs its page and all of x0, top, x1, bottom")
        x0, top, x1, bottom = box
        if x1 < x0 or bottom < top:
            raise ValueError(f"box ({x0}, {top}, {x1}, {bottom}) is not ordered")
        return self

    @property
    def box(self) -> tuple[float, float, float, float] | None:
        """(x0, top, x1, bottom) of the evidence on ``page``, if known."""
        edges = [getattr(self, name, None) for name in BOX_FIELDS]
        values = [float(v) for v in edges if v is not None]
        return (values[0], values[1], values[2], values[3]) if len(values) == len(BOX_FIELDS) else None

    def identity_key(self) -> str:
        parts = [self.doc_id, self.table] + [_fold(getattr(self, name)) for name in self.identity]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _is_nan(value: object) -> bool:
    return isinstance(value, float) and value != value


def _fold(value: object) -> str:
    return " ".join(str(value).casefold().split()) if value is not None else ""


class DateRecord(FactRecord):
    table: ClassVar[str] = "dates"
    id_field: ClassVar[str] = "date_id"
    identity: ClassVar[tuple[str, ...]] = ("role", "start", "end")

    date_id: str = Field(default="", description="Stable id of the row.")
    role: DateRole = Field(description="initiation, completion, event, phase, milestone or adoption.")
    start: IsoPartialDate = Field(description="ISO 8601 at the text's precision (2002-10).")
    end: IsoPartialDate | None = Field(default=None, description="End of a span; null for a single point.")
    text: str = Field(description="The date as printed.")
    x0: float | None = _box("x0")
    top: float | None = _box("top")
    x1: float | None = _box("x1")
    bottom: float | None = _box("bottom")

    @model_validator(mode="after")
    def _start_not_after_end(self) -> DateRecord:
        if self.end is not None and self.end[: len(self.start)] < self.start[: len(self.end)]:
            raise ValueError(f"date span ends ({self.end}) before it starts ({self.start})")
        return self


class PartnerRecord(FactRecord):
    table: ClassVar[str] = "partners"
    id_field: ClassVar[str] = "partner_id"
    identity: ClassVar[tuple[str, ...]] = ("name", "category", "lead")

    partner_id: str = Field(default="", description="Stable id of the row.")
    name: NonEmptyText = Field(description="The body's name as printed, without acronym or notes.")
    acronym: str | None = Field(default=None, description="Acronym printed in parentheses after the name.")
    category: PartnerCategory | None = Field(
        default=None,
        description="Form section (sheets) or participant/organizer/funder (reports, programmes).",
    )
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2 country, if known.")
    lead: bool = Field(default=False, description="The lead partner as printed in its own field.")
    org_id: str | None = Field(
        default=None,
        description="The organisation this body resolves to (see organizations); null if unresolved.",
    )
    x0: float | None = _box("x0")
    top: float | None = _box("top")
    x1: float | None = _box("x1")
    bottom: float | None = _box("bottom")


class ContactRecord(FactRecord):
    table: ClassVar[str] = "contacts"
    id_field: ClassVar[str] = "contact_id"
    identity: ClassVar[tuple[str, ...]] = ("role", "name", "organization")

    contact_id: str = Field(default="", description="Stable id of the row.")
    role: ContactRole = Field(description="focal_point, form_filler, secretariat, speaker or chair.")
    name: str | None = Field(default=None, description="Person's name.")
    position: str | None = Field(default=None, description="Position or title as printed.")
    organization: str | None = Field(default=None, description="Organisation as printed in the block.")
    address: str | None = Field(default=None, description="Postal address as printed.")
    phone: PhoneNumber | None = Field(default=None, description="E.164 when the country code is known.")
    fax: PhoneNumber | None = Field(default=None, description="E.164 when the country code is known.")
    email: Email | None = Field(default=None, description="Lower-case email address.")
    org_id: str | None = Field(
        default=None,
        description="The organisation of `organization` (see organizations); null when the block names none.",
    )
    x0: float | None = _box("x0")
    top: float | None = _box("top")
    x1: float | None = _box("x1")
    bottom: float | None = _box("bottom")


class TargetRecord(FactRecord):
    table: ClassVar[str] = "targets"
    id_field: ClassVar[str] = "target_id"
    identity: ClassVar[tuple[str, ...]] = ("year", "text")

    target_id: str = Field(default="", description="Stable id of the row.")
    year: int | None = Field(
        default=None, ge=1900, le=2200, description="Year of a dated step; null if undated."
    )
    text: NonEmptyText = Field(description="The target as printed.")
    x0: float | None = _box("x0")
    top: float | None = _box("top")
    x1: float | None = _box("x1")
    bottom: float | None = _box("bottom")


class EventRecord(FactRecord):
    table: ClassVar[str] = "events"
    id_field: ClassVar[str] = "event_id"
    identity: ClassVar[tuple[str, ...]] = ("name", "start")

    event_id: str = Field(default="", description="Stable id of the row.")
    name: str | None = Field(default=None, description="Name of the meeting.")
    start: IsoPartialDate | None = Field(default=None, description="When it started, ISO 8601.")
    end: IsoPartialDate | None = Field(default=None, description="When it ended, for multi-day meetings.")
    venue: str | None = Field(default=None, description="Venue as printed.")
    city: str | None = Field(default=None, description="City.")
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2 country.")
    x0: float | None = _box("x0")
    top: float | None = _box("top")
    x1: float | None = _box("x1")
    bottom: float | None = _box("bottom")


class WebsiteRecord(FactRecord):
    table: ClassVar[str] = "websites"
    id_field: ClassVar[str] = "website_id"
    identity: ClassVar[tuple[str, ...]] = ("url",)

    website_id: str = Field(default="", description="Stable id of the row.")
    url: NonEmptyText = Field(description="The URL as printed.")
    x0: float | None = _box("x0")
    top: float | None = _box("top")
    x1: float | None = _box("x1")
    bottom: float | None = _box("bottom")


class OrganizationRecord(Record):
    """One organisation, resolved across documents from partner names and contact organisations."""

    table: ClassVar[str] = "organizations"
    id_field: ClassVar[str] = "org_id"
    # Columns holding a JSON array of strings: the dataset's column types are scalar, so CSV and
    # Parquet carry the same text and a reader parses it with one json.loads.
    json_list_fields: ClassVar[tuple[str, ...]] = ("aliases",)

    org_id: str = Field(description="Stable id: a hash of the folded canonical name.")
    name: NonEmptyText = Field(description="Canonical name: the full name printed in most documents.")
    acronym: str | None = Field(default=None, description="Acronym printed most often, if any.")
    country: CountryCode | None = Field(
        default=None, description="ISO 3166-1 alpha-2 country most often given for it, if any."
    )
    aliases: str = Field(description="JSON array of every distinct form printed (names and acronyms).")
    parent_org_id: str | None = Field(
        default=None,
        description="The organisation this is a branch or unit of ('JICA Kyushu' -> JICA), if known.",
    )
    n_documents: int = Field(
        ge=0, le=MAX_INT64, description="Documents that mention it as a partner or contact."
    )


class PersonRecord(Record):
    """One person, from the named contacts of every document."""

    table: ClassVar[str] = "people"
    id_field: ClassVar[str] = "person_id"
    json_list_fields: ClassVar[tuple[str, ...]] = ("organizations", "roles")

    person_id: str = Field(description="Stable id: a hash of the folded name.")
    name: NonEmptyText = Field(description="The name as printed most often.")
    organizations: str = Field(description="JSON array of the org_id of every organisation given with them.")
    roles: str = Field(description="JSON array of their contact roles (focal_point, speaker...).")
    n_documents: int = Field(ge=0, le=MAX_INT64, description="Documents that list them as a contact.")


FACT_MODELS: tuple[type[FactRecord], ...] = (
    DateRecord,
    PartnerRecord,
    ContactRecord,
    TargetRecord,
    EventRecord,
    WebsiteRecord,
)
TABLE_MODELS: dict[str, type[Record]] = {
    "documents": DocumentRecord,
    "pages": PageRecord,
    **{model.table: model for model in FACT_MODELS},
    "organizations": OrganizationRecord,
    "people": PersonRecord,
}


def with_stable_id(record: FactRecord) -> FactRecord:
    """Return the record with its id field set from its identity."""
    return record.model_copy(update={record.id_field: record.identity_key()})
