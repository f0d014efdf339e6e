"""Score extraction on a folder of raw documents with gold, without a release.

``partnerflow eval --raw DIR --gold DIR`` processes every file in-process (the
same ``process_bytes`` node a run calls, so statuses and confidences are the
ones a run publishes), rebuilds gold-shaped documents and scores them. No
Prefect server, no output folder: a measurement of extraction alone, quick
enough to run on every change over each corpus.

``--summary`` prints aggregate figures only: the form to use on the blind
corpus, whose per-document misses the person changing rules must not read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.evaluation import (
    FACT_TABLES,
    CalibrationReport,
    EvalReport,
    calibration,
    format_calibration,
    format_report,
    score,
)

# Below this F1 a document's facts were likely missed: it should be in review.
POOR_F1 = 0.7


@dataclass(frozen=True)
class CorpusScore:
    report: EvalReport
    calibration: CalibrationReport
    # (document, F1, status) for every scored document
    documents: list[tuple[str, float, str | None]]

    @property
    def poor(self) -> list[tuple[str, float, str | None]]:
        return [d for d in self.documents if d[1] < POOR_F1]

    @property
    def poor_in_review(self) -> int:
        return sum(status == "needs_review" for _, _, status in self.poor)


def _predict(path_and_source: tuple[str, str]) -> tuple[str, dict[str, Any]]:
    from pipeline.processing import process_bytes
    from pipeline.settings import Settings

    path, source = path_and_source
    result = process_bytes(
        Path(path).read_bytes(), source=source, review_threshold=Settings().review_threshold
    )
    document = result.document
    doc: dict[str, Any] = {
        "doc": Path(source).name.split(".")[0],
        "doc_type": document.doc_type,
        "title": document.title,
        "acronym": document.acronym,
        "language": document.language,
        "status": document.status,
        "error": document.error,
    }
    for table in FACT_TABLES:
        doc[table] = [
            record.model_dump(mode="json", exclude={"doc_id", "char_start", "char_end", "page"})
            for record in result.facts.get(table, [])
        ]
    return doc["doc"], doc


def predict_folder(raw_dir: Path, *, workers: int | None = None) -> dict[str, dict[str, Any]]:
    """Gold-shaped predictions for every file of ``raw_dir``, keyed by file stem (before any dot).

    A stem rendered to several formats keeps the first file by name.
    """
    files = sorted(p for p in Path(raw_dir).iterdir() if p.is_file() and not p.name.startswith("."))
    jobs = [(str(p), p.name) for p in files]
    workers = workers or min(2, os.cpu_count() or 1)
    predicted: dict[str, dict[str, Any]] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for stem, doc in pool.map(_predict, jobs):
            predicted.setdefault(stem, doc)
    return predicted


def score_corpus(
    gold: Mapping[str, Mapping[str, Any]], predicted: Mapping[str, Mapping[str, Any]], *, threshold: float
) -> CorpusScore:
    report = score(gold, predicted)
    statuses = {doc: predicted.get(doc, {}).get("status") for doc in gold}
    documents = [(d.doc, d.overall.f1, statuses.get(d.doc)) for d in report.documents]
    return CorpusScore(
        report=report,
        calibration=calibration(gold, predicted, threshold=threshold),
        documents=documents,
    )


def format_corpus_score(result: CorpusScore, *, details: bool) -> str:
    lines = [format_report(result.report, details=details), "", format_calibration(result.calibration)]
    poor = result.poor
    lines.append(f"documents under F1 {POOR_F1}: {len(poor)}, of which needs_review: {result.poor_in_review}")
    if details:
        lines += [f"  {doc}: F1 {f1:.3f} status {status}" for doc, f1, status in poor]
    return "\n".join(lines)


__all__ = ["POOR_F1", "CorpusScore", "format_corpus_score", "predict_folder", "score_corpus"]
