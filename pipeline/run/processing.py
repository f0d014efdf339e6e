"""One document from bytes to records: parse, classify, extract, judge.

Kept free of Prefect so it can be called from a task, a test or a benchmark.
Every failure becomes a ``failed`` document with an error a person can act on.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime

from extractors import EXTRACTOR_VERSION
from extractors.errors import DocumentError, LimitExceededError
from extractors.extract import extract_document
from extractors.parsing import parse_document, sniff_media_type
from extractors.section_model import SectionRoleModel
from schemas.document import ParsedDocument
from schemas.extraction import Extraction
from schemas.records import DocumentRecord, FactRecord, PageRecord

log = logging.getLogger(__name__)


@dataclass
class DocumentResult:
    document: DocumentRecord
    pages: list[PageRecord] = field(default_factory=list)
    facts: dict[str, list[FactRecord]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # False for verdicts that depend on the moment (a time-out on a busy machine), not the content.
    cacheable: bool = True


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def process_bytes(
    data: bytes,
    *,
    source: str,
    review_threshold: float = 0.5,
    max_bytes: int = 200 * 1024 * 1024,
    max_pages: int = 500,
    now: datetime | None = None,
    section_model: SectionRoleModel | None = None,
) -> DocumentResult:
    sha256 = hashlib.sha256(data).hexdigest()
    doc_id = doc_id_for(sha256)
    now = now or datetime.now(UTC)
    base = {
        "doc_id": doc_id,
        "source": source,
        "sha256": sha256,
        "extracted_at": now,
        "extractor_version": EXTRACTOR_VERSION,
    }
    try:
        if len(data) > max_bytes:
            raise LimitExceededError(
                f"the file is {len(data):,} bytes, over the limit of {max_bytes:,}",
                hint="raise PARTNERFLOW_MAX_FILE_BYTES to accept it",
            )
        parsed = parse_document(data, source, max_pages=max_pages)
        extraction = extract_document(parsed, doc_id, section_model=section_model)
    except DocumentError as exc:
        return _failed(base, data, source, exc.reason + (f"; {exc.hint}" if exc.hint else ""))
    except Exception as exc:  # one bad document must never stop the run
        log.error("unexpected error on %s:\n%s", source, traceback.format_exc())
        return _failed(base, data, source, f"internal error while processing ({type(exc).__name__}: {exc})")
    return _judge(base, parsed, extraction, review_threshold)


def _failed(base: dict, data: bytes, source: str, reason: str) -> DocumentResult:
    try:
        media_type = sniff_media_type(data, source)
    except DocumentError:
        media_type = "application/octet-stream"
    return failed_result(source, base["sha256"], reason, media_type=media_type, now=base["extracted_at"])


def failed_result(
    source: str,
    sha256: str,
    reason: str,
    *,
    media_type: str = "application/octet-stream",
    now: datetime | None = None,
    cacheable: bool = True,
) -> DocumentResult:
    """A document that could not be processed: it is still listed, with why."""
    record = DocumentRecord(
        doc_id=doc_id_for(sha256),
        source=source,
        sha256=sha256,
        media_type=media_type,
        doc_type="unknown",
        status="failed",
        error=f"{source}: {reason}",
        extracted_at=now or datetime.now(UTC),
        extractor_version=EXTRACTOR_VERSION,
    )
    return DocumentResult(document=record, cacheable=cacheable)


def _judge(base: dict, parsed: ParsedDocument, extraction: Extraction, threshold: float) -> DocumentResult:
    facts = extraction.facts()
    reasons: list[str] = []
    low = [r for rows in facts.values() for r in rows if r.confidence < threshold]
    if low:
        reasons.append(f"{len(low)} row(s) below confidence {threshold}")
    if extraction.doc_type == "unknown":
        reasons.append("document type not recognised")
    elif not extraction.title:
        reasons.append("no title found")
    if not any(facts.values()):
        reasons.append("no facts extracted")
    else:
        reasons.extend(extraction.review_reasons)  # what is missing, said when something was found
    reasons.extend(parsed.warnings)
    status = "needs_review" if reasons else "ok"
    record = DocumentRecord(
        **base,
        media_type=parsed.media_type,
        doc_type=extraction.doc_type,
        title=extraction.title,
        acronym=extraction.acronym,
        language=extraction.language,
        n_pages=parsed.n_pages,
        status=status,
        error="; ".join(reasons) if reasons else None,
    )
    pages = [
        PageRecord(
            page_id=f"{base['doc_id']}-p{span.page or 0}",
            doc_id=base["doc_id"],
            page=span.page,
            char_start=span.char_start,
            char_end=span.char_end,
            text=parsed.page_text(span),
        )
        for span in parsed.pages
    ]
    return DocumentResult(document=record, pages=pages, facts=facts, warnings=extraction.warnings)
