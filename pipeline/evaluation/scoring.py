"""Scores of a dataset against gold: facts counted per family and document, and the plain-text report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

from pipeline.evaluation.facts import (
    FAMILIES,
    MATCHERS,
    NULL_IS_UNKNOWN,
    Family,
    Value,
    fact_path,
    gold_facts,
    predicted_facts,
    show_value,
)
from pipeline.evaluation.matching import ALIGNMENT, Entry, align, group_entries


class Counts(BaseModel):
    """True positives, false positives and false negatives, with the micro scores they give."""

    model_config = ConfigDict(frozen=True)

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else (1.0 if self.fn == 0 else 0.0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        expected = self.tp + self.fn
        return self.tp / expected if expected else (1.0 if self.fp == 0 else 0.0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class DocumentReport(BaseModel):
    doc: str
    missing: bool = False  # in gold but not in the dataset: every gold fact is a miss
    families: dict[str, Counts]
    missed: list[str]  # false negatives, readable
    extra: list[str]  # false positives, readable

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall(self) -> Counts:
        return sum(self.families.values(), Counts())


class EvalReport(BaseModel):
    families: dict[str, Counts]
    documents: list[DocumentReport]
    missing_documents: list[str]
    unscored_documents: list[str]  # in the dataset but without gold

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall(self) -> Counts:
        return sum(self.families.values(), Counts())

    def document(self, doc: str) -> DocumentReport:
        return next(report for report in self.documents if report.doc == doc)


def score(
    gold_docs: Mapping[str, Mapping[str, Any]], predicted_docs: Mapping[str, Mapping[str, Any]]
) -> EvalReport:
    """Score predicted documents against gold ones, both in gold-JSON shape and keyed alike."""
    reports = [_score_document(doc, gold_docs[doc], predicted_docs.get(doc)) for doc in sorted(gold_docs)]
    families = {family: sum((r.families[family] for r in reports), Counts()) for family in FAMILIES}
    return EvalReport(
        families=families,
        documents=reports,
        missing_documents=[r.doc for r in reports if r.missing],
        unscored_documents=sorted(set(predicted_docs) - set(gold_docs)),
    )


@dataclass
class Tally:
    """One family's counts in one document, with the readable misses and extras behind them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = dataclass_field(default_factory=list)
    extra: list[str] = dataclass_field(default_factory=list)

    def miss(self, where: str, expected: Value, got: Value | None, note: str = "") -> None:
        self.fn += 1
        self.missed.append(f"{where}: expected {show_value(expected)}, got {show_value(got)}{note}")

    def invent(self, where: str, got: Value, expected: Value | None, note: str = "") -> None:
        self.fp += 1
        self.extra.append(f"{where}: got {show_value(got)}, expected {show_value(expected)}{note}")

    def counts(self) -> Counts:
        return Counts(tp=self.tp, fp=self.fp, fn=self.fn)


# Families whose entries are single facts: an unmatched one needs no "item not found" note.
_WHOLE_FACT_FAMILIES = frozenset({"document", "dates", "targets", "websites"})


def _score_document(doc: str, gold: Mapping[str, Any], predicted: Mapping[str, Any] | None) -> DocumentReport:
    gold_entries = group_entries(gold_facts(gold))
    pred_entries = group_entries(predicted_facts(predicted) if predicted is not None else [])
    tallies = {
        family: _score_family(
            family, gold_entries[family], pred_entries[family], doc_missing=predicted is None
        )
        for family in FAMILIES
    }
    return DocumentReport(
        doc=doc,
        missing=predicted is None,
        families={family: tally.counts() for family, tally in tallies.items()},
        missed=[line for tally in tallies.values() for line in tally.missed],
        extra=[line for tally in tallies.values() for line in tally.extra],
    )


def _score_family(
    family: Family, golds: Sequence[Entry], preds: Sequence[Entry], *, doc_missing: bool
) -> Tally:
    tally = Tally()
    pairs = align(golds, preds, ALIGNMENT[family])
    for gi, pi in pairs:
        compare_entries(golds[gi], preds[pi], tally)

    # A document absent from the dataset is flagged once in the report, not item by item.
    whole = family in _WHOLE_FACT_FAMILIES
    not_found = "" if doc_missing or whole else " (not found)"
    not_in_gold = "" if whole else " (not in gold)"
    aligned_gold, aligned_pred = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
    for entry in (g for i, g in enumerate(golds) if i not in aligned_gold):
        for name, value in entry.fields.items():
            tally.miss(fact_path(entry.item, name), value, None, not_found)
    for entry in (p for i, p in enumerate(preds) if i not in aligned_pred):
        for name, value in entry.fields.items():
            tally.invent(fact_path(entry.item, name), value, None, not_in_gold)
    return tally


def compare_entries(g: Entry, p: Entry, tally: Tally) -> None:
    """Count the attribute facts of an aligned gold and predicted item."""
    for name in _ordered_fields(g, p):
        expected, got = g.get(name), p.get(name)
        where = fact_path(g.item, name)
        if expected is not None and got is not None:
            if MATCHERS[name](expected, got):
                tally.tp += 1
            else:
                tally.miss(where, expected, got)
                tally.invent(where, got, expected)
        elif expected is not None:
            tally.miss(where, expected, None)
        elif got is not None and name not in NULL_IS_UNKNOWN:
            tally.invent(where, got, None)


def _ordered_fields(g: Entry, p: Entry) -> list[str]:
    return list(g.fields) + [name for name in p.fields if name not in g.fields]


def format_report(report: EvalReport, *, details: bool = True) -> str:
    """A plain-text table of the scores, then each document's misses and extras."""
    header = f"{'family':<10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'fp':>6} {'fn':>6}"
    rows = [header, "-" * len(header)]
    for name, counts in [*report.families.items(), ("overall", report.overall)]:
        if name == "overall":
            rows.append("-" * len(header))
        rows.append(
            f"{name:<10} {counts.precision:>6.3f} {counts.recall:>6.3f} {counts.f1:>6.3f}"
            f" {counts.tp:>6} {counts.fp:>6} {counts.fn:>6}"
        )
    if report.missing_documents:
        rows += ["", "Not in the dataset: " + ", ".join(report.missing_documents)]
    if report.unscored_documents:
        rows += ["", "No gold (not scored): " + ", ".join(report.unscored_documents)]
    if not details:
        return "\n".join(rows)
    for doc in report.documents:
        counts = doc.overall
        rows += ["", f"{doc.doc}: P {counts.precision:.3f}  R {counts.recall:.3f}  F1 {counts.f1:.3f}"]
        if doc.missing:
            rows.append(f"  not in the dataset: all {counts.fn} facts missed")
            continue
        rows += [f"  - {line}" for line in doc.missed]
        rows += [f"  + {line}" for line in doc.extra]
    return "\n".join(rows)
