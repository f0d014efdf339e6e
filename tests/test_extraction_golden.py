"""Golden tests: each dev document, parsed and extracted, scored against its gold file.

A document's facts do not change with its format, so the alternates (DOCX,
PDF print of a web page) are scored against the same gold. Floors guard
against regressions; they are not tuned per document.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.errors import OcrRequiredError
from extractors.extract import extract_document
from extractors.parsing import ocr_available, parse_document
from pipeline.evaluation.calibration import calibration
from pipeline.evaluation.scoring import score
from schemas.extraction import Extraction

from .conftest import ALTERNATES, GOLD, RAW, ROOT


def _as_gold_shape(stem: str, extraction: Extraction) -> dict:
    def rows(records, fields):
        # confidence is not a gold field: scoring ignores it, calibration reads it.
        return [{f: getattr(r, f) for f in [*fields, "confidence"]} for r in records]

    return {
        "doc": stem,
        "doc_type": extraction.doc_type,
        "title": extraction.title,
        "acronym": extraction.acronym,
        "dates": rows(extraction.dates, ["role", "start", "end", "text"]),
        "partners": rows(extraction.partners, ["name", "acronym", "category", "country", "lead"]),
        "contacts": rows(
            extraction.contacts,
            ["role", "name", "position", "organization", "address", "phone", "fax", "email"],
        ),
        "targets": rows(extraction.targets, ["text", "year"]),
        "events": rows(extraction.events, ["name", "start", "end", "venue", "city", "country"]),
        "websites": rows(extraction.websites, ["url"]),
    }


def _extract(path: Path) -> Extraction:
    parsed = parse_document(path.read_bytes(), path.name)
    return extract_document(parsed, "test")


def _gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))


DEV = sorted(RAW.iterdir())


@pytest.mark.parametrize("path", DEV, ids=[p.stem for p in DEV])
def test_dev_document_extracts_close_to_gold(path: Path) -> None:
    extraction = _extract(path)
    gold = _gold(path.stem)
    assert extraction.doc_type == gold["doc_type"]
    report = score({path.stem: gold}, {path.stem: _as_gold_shape(path.stem, extraction)})
    assert report.overall.f1 >= 0.85, report.documents[path.stem]


@pytest.mark.parametrize(
    "name", ["kanagawa_declaration_sheet.docx", "thematic_seminar_6_2004.pdf"], ids=["docx", "pdf-print"]
)
def test_alternate_formats_score_against_the_same_gold(name: str) -> None:
    path = ALTERNATES / name
    stem = name.split(".")[0]
    extraction = _extract(path)
    report = score({stem: _gold(stem)}, {stem: _as_gold_shape(stem, extraction)})
    assert extraction.doc_type == _gold(stem)["doc_type"]
    assert report.overall.f1 >= 0.80, report.documents[stem]


def test_every_fact_points_at_its_evidence() -> None:
    path = RAW / "kanagawa_declaration_sheet.pdf"
    parsed = parse_document(path.read_bytes(), path.name)
    extraction = extract_document(parsed, "doc")
    for table, rows in extraction.facts().items():
        for row in rows:
            assert 0 <= row.char_start < row.char_end <= len(parsed.text), (table, row)
            assert row.page is not None and 1 <= row.page <= parsed.n_pages
    phone_rows = [c for c in extraction.contacts if c.phone == "+81452104065"]
    assert phone_rows, extraction.contacts
    email = next(p for p in extraction.partners if p.name == "Phnom Penh Municipality")
    assert "Phnom Penh" in parsed.text[email.char_start : email.char_end]


def test_row_ids_survive_re_extraction() -> None:
    path = RAW / "aspro_sheet.pdf"
    first = _extract(path)
    second = _extract(path)
    assert [p.partner_id for p in first.partners] == [p.partner_id for p in second.partners]
    assert len({p.partner_id for p in first.partners}) == len(first.partners)


@pytest.mark.skipif(not ocr_available(), reason="tesseract is not installed (make system-deps)")
def test_scanned_sheet_extracts_nearly_as_well_as_its_text_twin() -> None:
    stem = "kanagawa_declaration_sheet"
    gold = {stem: _gold(stem)}
    text_twin = score(gold, {stem: _as_gold_shape(stem, _extract(RAW / f"{stem}.pdf"))}).overall.f1
    parsed = parse_document((ALTERNATES / f"{stem}.scanned.pdf").read_bytes(), "scan.pdf")
    assert parsed.ocr_confidence is not None and 0.5 < parsed.ocr_confidence <= 1.0
    extraction = extract_document(parsed, "scan")
    scanned = score(gold, {stem: _as_gold_shape(stem, extraction)}).overall.f1
    assert scanned >= text_twin - 0.05, (scanned, text_twin)
    # OCR text is less certain than a text layer, and every row says so.
    assert max(p.confidence for p in extraction.partners) <= parsed.ocr_confidence


def test_a_scan_without_ocr_fails_clearly() -> None:
    with pytest.raises(OcrRequiredError, match="OCR is needed"):
        parse_document(
            (ALTERNATES / "kanagawa_declaration_sheet.scanned.pdf").read_bytes(), "scan.pdf", ocr=False
        )


VARIANTS = Path(__file__).resolve().parent / "corpus" / "variants"


@pytest.fixture(scope="module")
def variants() -> tuple[dict, dict]:
    gold = {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((VARIANTS / "gold").glob("*.json"))
    }
    predicted = {}
    for path in sorted((VARIANTS / "raw").iterdir()):
        stem = path.name.split(".")[0]
        predicted[stem] = _as_gold_shape(stem, _extract(path))
    return gold, predicted


def test_variant_corpus_stays_above_its_floor(variants: tuple[dict, dict]) -> None:
    """32 documents in layouts the dev corpus does not show: the issue's floor, guarded."""
    gold, predicted = variants
    report = score(gold, predicted)
    assert len(gold) >= 30
    assert report.overall.f1 >= 0.90, report.families
    for family, counts in report.families.items():
        assert counts.f1 >= 0.80, (family, counts)


def test_confident_rows_are_right_on_the_variant_corpus(variants: tuple[dict, dict]) -> None:
    """A row's confidence is a probability: rows at 0.9 or more are right at least 97% of the time.

    Confidence is learnt mostly from new authors' rows judged before any rule was fitted to them
    (the first reads; the rules were written against these documents), so only the methods that
    held there reach 0.9: about one row in seven, and still some."""
    gold, predicted = variants
    report = calibration(gold, predicted, threshold=0.5)
    assert report.high_rows >= 60, report
    assert report.high_precision >= 0.97, report
    # Lower bands are less often right than the confident one: confidence ranks rows.
    low = [b for b in report.bins if b.high <= 0.8 and b.rows]
    assert sum(b.correct for b in low) / sum(b.rows for b in low) < report.high_precision


SECOND_AUTHOR_RAW = ROOT.parent / "shared" / "corpus" / "second-author" / "raw"
SECOND_AUTHOR_GOLD = ROOT.parent / "shared" / "eval" / "gold" / "second-author"


@pytest.mark.skipif(
    not SECOND_AUTHOR_RAW.is_dir(), reason="the shared second-author corpus is not beside the project"
)
def test_documents_by_another_author_stay_above_their_floor() -> None:
    """Another author's documents (shared/corpus/second-author), scored as a run would publish them:
    the general stages must keep carrying them, and a document that scores badly goes to review."""
    from pipeline.evaluation.corpus import POOR_F1, predict_folder, score_corpus
    from pipeline.evaluation.gold import load_gold

    result = score_corpus(load_gold(SECOND_AUTHOR_GOLD), predict_folder(SECOND_AUTHOR_RAW), threshold=0.5)
    assert result.report.overall.f1 >= 0.88, result.report.families
    for family, counts in result.report.families.items():
        assert counts.f1 >= 0.75, (family, counts)
    assert all(status == "needs_review" for _, f1, status in result.documents if f1 < POOR_F1)
