"""Building fact records with their provenance."""

from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError

from extractors.calibration import calibrated_confidence
from extractors.text import OffsetText
from schemas.document import ParsedDocument
from schemas.records import FactRecord

FactT = TypeVar("FactT", bound=FactRecord)


class FactBuilder:
    """Creates validated fact records for one document; invalid ones become warnings."""

    def __init__(self, doc: ParsedDocument, doc_id: str) -> None:
        self.doc = doc
        self.doc_id = doc_id
        # OCR text is less reliable than a text layer: every row's confidence says so.
        self.confidence_factor = doc.ocr_confidence if doc.ocr_confidence is not None else 1.0
        self.warnings: list[str] = []

    def make(
        self,
        model: type[FactT],
        evidence: OffsetText | tuple[int, int],
        *,
        method: str,
        confidence: float,
        **fields: object,
    ) -> FactT | None:
        start, end = (evidence.start, evidence.end) if isinstance(evidence, OffsetText) else evidence
        try:
            return model(
                doc_id=self.doc_id,
                page=self.doc.page_at(start),
                char_start=start,
                char_end=max(start, end),
                method=method,
                confidence=round(
                    max(0.0, min(1.0, calibrated_confidence(method, confidence) * self.confidence_factor)), 4
                ),
                **fields,
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            self.warnings.append(
                f"{model.table}: dropped a value at chars {start}-{end} ({where}: {first['msg']})"
            )
            return None
