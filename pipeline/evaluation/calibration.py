"""How far a row's confidence can be read as the probability that it is right: rows by confidence band."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, computed_field

from extractors.calibration import MethodCounts
from pipeline.evaluation.facts import FAMILIES, entries_of, gold_facts, predicted_facts
from pipeline.evaluation.gold import FACT_TABLES
from pipeline.evaluation.matching import ALIGNMENT, Entry, align, group_entries
from pipeline.evaluation.scoring import Tally, compare_entries


class CalibrationBin(BaseModel):
    low: float
    high: float
    rows: int
    correct: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        return self.correct / self.rows if self.rows else None


class CalibrationReport(BaseModel):
    """How far a row's ``confidence`` can be read as the probability that the row is right.

    A row is right when it is aligned with a gold entry and every fact it states matches
    (a row aligned with nothing, or with one wrong field, is wrong).
    """

    rows: int
    correct: int
    high: float
    high_rows: int
    high_correct: int
    threshold: float
    below_threshold: int
    documents: int
    needs_review: int
    bins: list[CalibrationBin]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def high_precision(self) -> float | None:
        return self.high_correct / self.high_rows if self.high_rows else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def below_threshold_share(self) -> float:
        return self.below_threshold / self.rows if self.rows else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def needs_review_share(self) -> float:
        return self.needs_review / self.documents if self.documents else 0.0


CALIBRATION_EDGES = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0)


def row_outcomes(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> list[tuple[float, bool]]:
    """(confidence, right) for every row of a predicted document that states a fact.

    ``predicted`` comes from ``load_predictions(..., confidence=True)``.
    """
    return [
        (float(row["confidence"]), right)
        for row, right in judged_rows(gold, predicted)
        if row.get("confidence") is not None
    ]


def judged_rows(
    gold: Mapping[str, Any], predicted: Mapping[str, Any]
) -> list[tuple[Mapping[str, Any], bool]]:
    """Every predicted row that states a fact, with whether it is right (aligned, and invents nothing)."""
    gold_entries = group_entries(gold_facts(gold))
    pred_entries = group_entries(predicted_facts(predicted))
    judged: list[tuple[Mapping[str, Any], bool]] = []
    for family in (f for f in FAMILIES if f in FACT_TABLES):  # typed as families, in table order
        golds, preds = gold_entries[family], pred_entries[family]
        pairs = dict((pi, gi) for gi, pi in align(golds, preds, ALIGNMENT[family]))
        rows = entries_of(predicted, family)
        for pi, entry in enumerate(preds):
            gi = pairs.get(pi)
            judged.append((rows[entry.item.index], gi is not None and entry_right(golds[gi], entry)))
    return judged


def method_counts(
    documents: Iterable[tuple[Mapping[str, Any], Mapping[str, Any], float]],
) -> dict[str, MethodCounts]:
    """Rows and right rows per extraction method over (gold, predicted, row weight) documents:
    what the confidence model and the first reads count."""
    rows: dict[str, float] = defaultdict(float)
    right: dict[str, float] = defaultdict(float)
    for gold, predicted, weight in documents:
        for row, is_right in judged_rows(gold, predicted):
            method = str(row.get("method") or "")
            rows[method] += weight
            right[method] += weight * is_right
    return {m: MethodCounts(rows=rows[m], right=right[m]) for m in sorted(rows)}


def entry_right(g: Entry, p: Entry) -> bool:
    """Scoring the pair invents nothing: every fact the row states is a true positive."""
    tally = Tally()
    compare_entries(g, p, tally)
    return tally.fp == 0


def calibration(
    gold_docs: Mapping[str, Mapping[str, Any]],
    predicted_docs: Mapping[str, Mapping[str, Any]],
    *,
    threshold: float,
    high: float = 0.9,
) -> CalibrationReport:
    """Precision of rows by confidence over the documents that have gold."""
    outcomes: list[tuple[float, bool]] = []
    statuses: list[str | None] = []
    for doc, gold in gold_docs.items():
        predicted = predicted_docs.get(doc)
        if predicted is None:
            continue
        outcomes += row_outcomes(gold, predicted)
        statuses.append(predicted.get("status"))
    bins = []
    for low, top in zip(CALIBRATION_EDGES, CALIBRATION_EDGES[1:], strict=False):
        inside = [right for c, right in outcomes if low <= c < top or (top == 1.0 and c == 1.0)]
        bins.append(CalibrationBin(low=low, high=top, rows=len(inside), correct=sum(inside)))
    confident = [right for c, right in outcomes if c >= high]
    return CalibrationReport(
        rows=len(outcomes),
        correct=sum(right for _, right in outcomes),
        high=high,
        high_rows=len(confident),
        high_correct=sum(confident),
        threshold=threshold,
        below_threshold=sum(c < threshold for c, _ in outcomes),
        documents=len(statuses),
        needs_review=sum(status == "needs_review" for status in statuses),
        bins=bins,
    )


def format_calibration(report: CalibrationReport) -> str:
    def share(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    lines = [
        f"calibration: {report.rows} rows, {report.correct} right",
        f"{'confidence':<12} {'rows':>6} {'right':>6} {'precision':>9}",
        *[
            f"{f'{b.low:.2f}-{b.high:.2f}':<12} {b.rows:>6} {b.correct:>6} {share(b.precision):>9}"
            for b in report.bins
        ],
        f"rows at confidence >= {report.high:.2f}: {report.high_rows}, precision {share(report.high_precision)}",
        f"rows below the review threshold {report.threshold:.2f}: {report.below_threshold}"
        f" ({report.below_threshold_share:.1%})",
        f"documents needs_review: {report.needs_review} of {report.documents} ({report.needs_review_share:.1%})",
    ]
    return "\n".join(lines)
