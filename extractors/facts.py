"""Building fact records with their provenance: document, page, span, method, confidence and, for
PDF pages, the box of the evidence on the page."""

from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError

from extractors.calibration import calibrated_confidence
from extractors.text import OffsetText
from schemas.document import Box, ParsedDocument
from schemas.records import BOX_FIELDS, FactRecord

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
        page = self.doc.page_at(start)
        box = self.doc.evidence_box(start, max(start, end)) if page is not None else None
        try:
            return model(
                doc_id=self.doc_id,
                page=page,
                char_start=start,
                char_end=max(start, end),
                **_box_fields(box),
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


def _box_fields(box: Box | None) -> dict[str, float | None]:
    """The box columns of a row (rounded to 0.01 pt, so a re-run writes the same values)."""
    if box is None:
        return dict.fromkeys(BOX_FIELDS)
    x0, top, x1, bottom = box
    edges = (min(x0, x1), min(top, bottom), max(x0, x1), max(top, bottom))
    return {name: round(value, 2) for name, value in zip(BOX_FIELDS, edges, strict=True)}
