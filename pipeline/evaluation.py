"""Score the published dataset against the gold annotations (``docs/GOLD.md``).

The core (``gold_facts``, ``predicted_facts``, ``score``) is pure: it works on
documents in gold-JSON shape, whichever side they come from. The edge
(``load_gold``, ``load_predictions``) reads gold files and the published tables
and rebuilds that shape, so a release can be scored without knowing how it was
produced.

Matching choices where GOLD.md is silent (each is a judgement, kept in one place):

- Names, titles, organisations, positions, venues and cities use ``fuzz.ratio``
  (>= 90), not token-set: token-set scores any subset 100, which would pair
  "Kitakyushu" with "Kitakyushu City" or "City" with any city, and gold lists
  "Kitakyushu" and "Kitakyushu City" as different partners of one report.
  Addresses and target texts use token-set (>= 85) as GOLD.md says.
- List items are aligned one-to-one, best similarity first, in passes: partners
  by name with the same ``lead`` flag first (a sheet lists the lead partner
  separately from its section entry), then by name alone, so a wrong lead flag
  is one wrong fact, not a missed and an invented partner; contacts by role and
  name, then (when either side has no name) by role and organisation; events by
  name, then by start date. Role is part of a contact's identity because it is
  not itself a counted fact.
- The partner ``lead`` flag is a fact only where it is true: ``false`` is every
  other partner's default, and counting it would add one near-free fact per
  partner (a fifth of all gold facts). A lead predicted for a partner gold does
  not mark as lead is a false positive, as for any attribute gold leaves null.
- A country predicted where gold has none is no error only on an item gold also
  has; every fact of an invented item (country included) is a false positive.
- ``doc_type`` and ``title`` form a "document" family, reported beside GOLD.md's
  six and counted in the headline. Websites also match across a trailing "/".
- Precision with nothing predicted, or recall with nothing to find, is 1.0 only
  when the other side has no facts either, so an empty extraction never scores
  well.
"""

from __future__ import annotations

import json
import logging
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, computed_field
from rapidfuzz import fuzz

__all__ = [
    "FAMILIES",
    "Counts",
    "DocumentReport",
    "EvalReport",
    "Fact",
    "Item",
    "fold",
    "calibration",
    "format_calibration",
    "format_report",
    "row_outcomes",
    "judged_rows",
    "gold_facts",
    "load_gold",
    "load_predictions",
    "predicted_facts",
    "score",
    "source_stem",
]

log = logging.getLogger(__name__)

Family = Literal["document", "dates", "partners", "contacts", "targets", "events", "websites"]
FAMILIES: tuple[Family, ...] = ("document", "dates", "partners", "contacts", "targets", "events", "websites")

NAME_THRESHOLD = 90.0
TEXT_THRESHOLD = 85.0

Scalar = str | int | bool
# Dates are (role, start, end) and targets (year, text): each is one fact.
Value = Scalar | tuple[str | int | None, ...]

_PARTNER_FIELDS = ("name", "category", "country", "lead")
_CONTACT_FIELDS = ("name", "position", "organization", "address", "phone", "fax", "email")
_EVENT_FIELDS = ("start", "venue", "city", "country")


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class Item:
    """The thing a fact describes: the document itself or one entry of one of its lists."""

    family: Family
    index: int
    label: str
    # Attributes items are aligned on that are not counted facts themselves (a contact's role).
    key: tuple[tuple[str, str | None], ...] = ()

    def key_value(self, name: str) -> str | None:
        return dict(self.key).get(name)


@dataclass(frozen=True, slots=True)
class Fact:
    item: Item
    field: str
    value: Value

    @property
    def family(self) -> Family:
        return self.item.family

    def __str__(self) -> str:
        return f"{_path(self.item, self.field)}={_show(self.value)}"


def gold_facts(doc: Mapping[str, Any]) -> list[Fact]:
    """The atomic facts a gold file states."""
    return _facts(doc)


def predicted_facts(doc: Mapping[str, Any]) -> list[Fact]:
    """The atomic facts a predicted document (gold-JSON shape) states; nulls state nothing."""
    return _facts(doc)


def _facts(doc: Mapping[str, Any]) -> list[Fact]:
    facts: list[Fact] = []

    def add(item: Item, name: str, value: Value | None) -> None:
        if value is not None:
            facts.append(Fact(item, name, value))

    head = Item("document", 0, "")
    add(head, "doc_type", _text(doc.get("doc_type")))
    add(head, "title", _text(doc.get("title")))

    for i, date in enumerate(_entries(doc, "dates")):
        role, start, end = (_text(date.get(k)) for k in ("role", "start", "end"))
        if start is not None or end is not None:
            add(Item("dates", i, role or "?"), "date", (role, start, end))

    for i, partner in enumerate(_entries(doc, "partners")):
        name, lead = _text(partner.get("name")), _flag(partner.get("lead"))
        item = Item("partners", i, f"{name}{' (lead)' if lead else ''}")
        values: dict[str, Value | None] = {
            "name": name,
            "category": _text(partner.get("category")),
            "country": _text(partner.get("country")),
            # Not being the lead is every partner's default, as a null is; only the lead is stated.
            "lead": True if lead else None,
        }
        for name_ in _PARTNER_FIELDS:
            add(item, name_, values[name_])

    for i, contact in enumerate(_entries(doc, "contacts")):
        role = _text(contact.get("role"))
        who = _text(contact.get("name")) or _text(contact.get("organization"))
        item = Item("contacts", i, f"{role}: {who}", key=(("role", role),))
        for name_ in _CONTACT_FIELDS:
            add(item, name_, _text(contact.get(name_)))

    for i, target in enumerate(_entries(doc, "targets")):
        year, text = _year(target.get("year")), _text(target.get("text"))
        if text is not None:
            add(Item("targets", i, str(year) if year is not None else "undated"), "target", (year, text))

    for i, event in enumerate(_entries(doc, "events")):
        name, start = _text(event.get("name")), _text(event.get("start"))
        item = Item("events", i, name or start or f"#{i + 1}", key=(("name", name),))
        for name_ in _EVENT_FIELDS:
            add(item, name_, _text(event.get(name_)))

    for i, site in enumerate(doc.get("websites") or []):
        url = _text(site.get("url") if isinstance(site, Mapping) else site)
        add(Item("websites", i, ""), "url", url)

    return facts


def _entries(doc: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    return [entry for entry in doc.get(name) or [] if isinstance(entry, Mapping)]


def _text(value: Any) -> str | None:
    if _is_null(value):
        return None
    text = str(value).strip()
    return text or None


def _flag(value: Any) -> bool:
    if _is_null(value):
        return False
    if isinstance(value, str):
        return value.strip().casefold() in {"true", "1", "yes"}
    return bool(value)


def _year(value: Any) -> int | None:
    if _is_null(value):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _is_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pd.isna covers pd.NA, NaT and numpy NaN; on a list it answers per element, which is not a null.
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


# --------------------------------------------------------------------------- comparing values

_QUOTES = str.maketrans(
    "", "", "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
)


def fold(value: object) -> str:
    """Case, quotes and white space folded away, as GOLD.md compares."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_QUOTES).casefold()
    return " ".join(text.split())


def _name_similarity(a: object, b: object) -> float:
    return fuzz.ratio(fold(a), fold(b))


def _same(a: Value, b: Value) -> bool:
    return fold(a) == fold(b)


def _similar_name(a: Value, b: Value) -> bool:
    return _name_similarity(a, b) >= NAME_THRESHOLD


def _similar_text(a: Value, b: Value) -> bool:
    return fuzz.token_set_ratio(fold(a), fold(b)) >= TEXT_THRESHOLD


def _same_number(a: Value, b: Value) -> bool:
    digits_a, digits_b = _digits(a), _digits(b)
    if digits_a or digits_b:
        return digits_a == digits_b
    return _same(a, b)


def _digits(value: object) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit())


def _same_url(a: Value, b: Value) -> bool:
    # "As printed", but a trailing slash is the same page and extractors differ on it.
    return fold(a).rstrip("/") == fold(b).rstrip("/")


def _same_flag(a: Value, b: Value) -> bool:
    return bool(a) == bool(b)


def _same_date(a: Value, b: Value) -> bool:
    assert isinstance(a, tuple) and isinstance(b, tuple)
    return [fold(x) if x is not None else None for x in a] == [fold(x) if x is not None else None for x in b]


def _target_similarity(a: Value, b: Value) -> float | None:
    assert isinstance(a, tuple) and isinstance(b, tuple)
    if a[0] != b[0]:
        return None
    similarity = fuzz.token_set_ratio(fold(a[1]), fold(b[1]))
    return similarity if similarity >= TEXT_THRESHOLD else None


def _same_target(a: Value, b: Value) -> bool:
    return _target_similarity(a, b) is not None


_MATCHERS: dict[str, Callable[[Value, Value], bool]] = {
    "doc_type": _same,
    "title": _similar_name,
    "date": _same_date,
    "target": _same_target,
    "url": _same_url,
    "name": _similar_name,
    "organization": _similar_name,
    "position": _similar_name,
    "venue": _similar_name,
    "city": _similar_name,
    "address": _similar_text,
    "phone": _same_number,
    "fax": _same_number,
    "email": _same,
    "category": _same,
    "country": _same,
    "start": _same,
    "lead": _same_flag,
}

# Gold null here means "the text does not say", so a predicted value is no error.
_NULL_IS_UNKNOWN = frozenset({"country"})


# --------------------------------------------------------------------------- aligning items


@dataclass
class _Entry:
    item: Item
    fields: dict[str, Value] = dataclass_field(default_factory=dict)

    def get(self, name: str) -> Value | None:
        return self.fields.get(name)


# One alignment pass: similarity of a gold and a predicted entry, None when they must not pair.
_Similarity = Callable[[_Entry, _Entry], float | None]


def _at_least(similarity: float, threshold: float = NAME_THRESHOLD) -> float | None:
    return similarity if similarity >= threshold else None


def _both(a: Value | str | None, b: Value | str | None) -> bool:
    return a is not None and b is not None


def _partner_same_lead(g: _Entry, p: _Entry) -> float | None:
    if bool(g.get("lead")) != bool(p.get("lead")) or not _both(g.get("name"), p.get("name")):
        return None
    return _at_least(_name_similarity(g.get("name"), p.get("name")))


def _partner_by_name(g: _Entry, p: _Entry) -> float | None:
    if not _both(g.get("name"), p.get("name")):
        return None
    return _at_least(_name_similarity(g.get("name"), p.get("name")))


def _same_role(g: _Entry, p: _Entry) -> bool:
    role_g, role_p = g.item.key_value("role"), p.item.key_value("role")
    return role_g is not None and role_p is not None and fold(role_g) == fold(role_p)


def _contact_by_name(g: _Entry, p: _Entry) -> float | None:
    if not _same_role(g, p) or not _both(g.get("name"), p.get("name")):
        return None
    return _at_least(_name_similarity(g.get("name"), p.get("name")))


def _contact_by_organization(g: _Entry, p: _Entry) -> float | None:
    # Only for blocks without a person: two named people of one office are different contacts.
    if not _same_role(g, p) or _both(g.get("name"), p.get("name")):
        return None
    if not _both(g.get("organization"), p.get("organization")):
        return None
    return _at_least(_name_similarity(g.get("organization"), p.get("organization")))


def _event_by_name(g: _Entry, p: _Entry) -> float | None:
    name_g, name_p = g.item.key_value("name"), p.item.key_value("name")
    if name_g is None or name_p is None:
        return None
    return _at_least(_name_similarity(name_g, name_p))


def _event_by_start(g: _Entry, p: _Entry) -> float | None:
    start_g, start_p = g.get("start"), p.get("start")
    if start_g is None or start_p is None:
        return None
    return 100.0 if _same(start_g, start_p) else None


def _whole_fact(name: str) -> _Similarity:
    def similarity(g: _Entry, p: _Entry) -> float | None:
        a, b = g.get(name), p.get(name)
        return 100.0 if a is not None and b is not None and _MATCHERS[name](a, b) else None

    return similarity


def _target(g: _Entry, p: _Entry) -> float | None:
    a, b = g.get("target"), p.get("target")
    return _target_similarity(a, b) if a is not None and b is not None else None


_ALIGNMENT: dict[Family, tuple[_Similarity, ...]] = {
    "document": (lambda g, p: 100.0,),
    "dates": (_whole_fact("date"),),
    "partners": (_partner_same_lead, _partner_by_name),
    "contacts": (_contact_by_name, _contact_by_organization),
    "targets": (_target,),
    "events": (_event_by_name, _event_by_start),
    "websites": (_whole_fact("url"),),
}


def _align(
    gold: Sequence[_Entry], predicted: Sequence[_Entry], passes: Iterable[_Similarity]
) -> list[tuple[int, int]]:
    """One-to-one pairs, greedily by best similarity within each pass; ties go to list order."""
    free_gold, free_pred = set(range(len(gold))), set(range(len(predicted)))
    pairs: list[tuple[int, int]] = []
    for similarity in passes:
        candidates: list[tuple[float, int, int]] = []
        for gi in sorted(free_gold):
            for pi in sorted(free_pred):
                value = similarity(gold[gi], predicted[pi])
                if value is not None:
                    candidates.append((-value, gi, pi))
        for _, gi, pi in sorted(candidates):
            if gi in free_gold and pi in free_pred:
                pairs.append((gi, pi))
                free_gold.discard(gi)
                free_pred.discard(pi)
    return pairs


def _group(facts: Iterable[Fact]) -> dict[Family, list[_Entry]]:
    entries: dict[Item, _Entry] = {}
    for fact in facts:
        entries.setdefault(fact.item, _Entry(fact.item)).fields[fact.field] = fact.value
    grouped: dict[Family, list[_Entry]] = {family: [] for family in FAMILIES}
    for entry in entries.values():
        grouped[entry.item.family].append(entry)
    return grouped


# --------------------------------------------------------------------------- report


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
class _Tally:
    """One family's counts in one document, with the readable misses and extras behind them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = dataclass_field(default_factory=list)
    extra: list[str] = dataclass_field(default_factory=list)

    def miss(self, where: str, expected: Value, got: Value | None, note: str = "") -> None:
        self.fn += 1
        self.missed.append(f"{where}: expected {_show(expected)}, got {_show(got)}{note}")

    def invent(self, where: str, got: Value, expected: Value | None, note: str = "") -> None:
        self.fp += 1
        self.extra.append(f"{where}: got {_show(got)}, expected {_show(expected)}{note}")

    def counts(self) -> Counts:
        return Counts(tp=self.tp, fp=self.fp, fn=self.fn)


# Families whose entries are single facts: an unmatched one needs no "item not found" note.
_WHOLE_FACT_FAMILIES = frozenset({"document", "dates", "targets", "websites"})


def _score_document(doc: str, gold: Mapping[str, Any], predicted: Mapping[str, Any] | None) -> DocumentReport:
    gold_entries = _group(gold_facts(gold))
    pred_entries = _group(predicted_facts(predicted) if predicted is not None else [])
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
    family: Family, golds: Sequence[_Entry], preds: Sequence[_Entry], *, doc_missing: bool
) -> _Tally:
    tally = _Tally()
    pairs = _align(golds, preds, _ALIGNMENT[family])
    for gi, pi in pairs:
        _compare(golds[gi], preds[pi], tally)

    # A document absent from the dataset is flagged once in the report, not item by item.
    whole = family in _WHOLE_FACT_FAMILIES
    not_found = "" if doc_missing or whole else " (not found)"
    not_in_gold = "" if whole else " (not in gold)"
    aligned_gold, aligned_pred = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
    for entry in (g for i, g in enumerate(golds) if i not in aligned_gold):
        for name, value in entry.fields.items():
            tally.miss(_path(entry.item, name), value, None, not_found)
    for entry in (p for i, p in enumerate(preds) if i not in aligned_pred):
        for name, value in entry.fields.items():
            tally.invent(_path(entry.item, name), value, None, not_in_gold)
    return tally


def _compare(g: _Entry, p: _Entry, tally: _Tally) -> None:
    """Count the attribute facts of an aligned gold and predicted item."""
    for name in _ordered_fields(g, p):
        expected, got = g.get(name), p.get(name)
        where = _path(g.item, name)
        if expected is not None and got is not None:
            if _MATCHERS[name](expected, got):
                tally.tp += 1
            else:
                tally.miss(where, expected, got)
                tally.invent(where, got, expected)
        elif expected is not None:
            tally.miss(where, expected, None)
        elif got is not None and name not in _NULL_IS_UNKNOWN:
            tally.invent(where, got, None)


def _ordered_fields(g: _Entry, p: _Entry) -> list[str]:
    return list(g.fields) + [name for name in p.fields if name not in g.fields]


def _path(item: Item, name: str) -> str:
    return f"{item.family}.{name}" + (f"[{item.label}]" if item.label else "")


def _show(value: Value | None) -> str:
    if isinstance(value, tuple):
        if len(value) == 3:  # a date: its role is already in the label
            _, start, end = value
            return f"{start}/{end}" if end is not None else str(start)
        return str(value[1])  # a target: its year is already in the label
    return str(value)


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


# --------------------------------------------------------------------------- calibration


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
    gold_entries = _group(gold_facts(gold))
    pred_entries = _group(predicted_facts(predicted))
    judged: list[tuple[Mapping[str, Any], bool]] = []
    for family in FACT_TABLES:
        golds, preds = gold_entries[family], pred_entries[family]
        pairs = dict((pi, gi) for gi, pi in _align(golds, preds, _ALIGNMENT[family]))
        rows = _entries(predicted, family)
        for pi, entry in enumerate(preds):
            gi = pairs.get(pi)
            judged.append((rows[entry.item.index], gi is not None and _entry_right(golds[gi], entry)))
    return judged


def _entry_right(g: _Entry, p: _Entry) -> bool:
    """Scoring the pair invents nothing: every fact the row states is a true positive."""
    tally = _Tally()
    _compare(g, p, tally)
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


# --------------------------------------------------------------------------- I/O

FACT_TABLES = ("dates", "partners", "contacts", "targets", "events", "websites")
_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "dates": ("role", "start", "end", "text"),
    "partners": ("name", "acronym", "category", "country", "lead"),
    "contacts": ("role", "name", "position", "organization", "address", "phone", "fax", "email"),
    "targets": ("text", "year"),
    "events": ("name", "start", "end", "venue", "city", "country"),
}


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Every ``*.json`` gold file of the folder, keyed by its file stem."""
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("doc", path.stem) != path.stem:
            raise ValueError(
                f"{path}: 'doc' is {data['doc']!r}, but gold files are named after their document"
            )
        gold[path.stem] = data
    return gold


def source_stem(document: Mapping[str, Any]) -> str:
    """Default gold key of a documents row: its source file name without extension."""
    return PurePosixPath(str(document["source"]).replace("\\", "/")).stem


def load_predictions(
    dataset_dir: Path, *, key: Callable[[Mapping[str, Any]], str] = source_stem, confidence: bool = False
) -> dict[str, dict[str, Any]]:
    """Rebuild gold-shaped documents from a published release.

    Failed documents are kept (with whatever facts they have, usually none) so
    that a failure counts as misses rather than vanishing from the score. When
    two documents map to one key, the first by source wins and the rest are
    dropped with a warning; pass ``key`` to tell them apart. With ``confidence`` each
    row also carries its ``confidence`` and the document its ``status`` (for ``calibration``).
    """
    dataset_dir = Path(dataset_dir)
    documents = _rows(_read_table(dataset_dir, "documents"))
    facts = {table: _by_doc(_rows(_read_table(dataset_dir, table))) for table in FACT_TABLES}

    predicted: dict[str, dict[str, Any]] = {}
    owners: dict[str, str] = {}
    for row in sorted(documents, key=lambda r: str(r.get("source") or "")):
        doc_key, doc_id = key(row), str(row.get("doc_id"))
        if doc_key in predicted:
            log.warning(
                "documents %s and %s both score as %r; keeping the first",
                owners[doc_key],
                row.get("source"),
                doc_key,
            )
            continue
        owners[doc_key] = str(row.get("source"))
        doc: dict[str, Any] = {
            "doc": doc_key,
            **{name: _text(row.get(name)) for name in ("doc_type", "title", "acronym", "language")},
        }
        for table, columns in _TABLE_COLUMNS.items():
            doc[table] = [_gold_row(table, fact, columns) for fact in facts[table].get(doc_id, [])]
        doc["websites"] = [{"url": _text(fact.get("url"))} for fact in facts["websites"].get(doc_id, [])]
        if confidence:
            doc["status"] = _text(row.get("status"))
            for table in FACT_TABLES:
                for entry, fact in zip(doc[table], facts[table].get(doc_id, []), strict=True):
                    entry["confidence"] = _cell(fact.get("confidence"))
                    entry["method"] = _text(fact.get("method"))
        predicted[doc_key] = doc
    return predicted


def _read_table(dataset_dir: Path, name: str) -> pd.DataFrame:
    parquet, csv = dataset_dir / f"{name}.parquet", dataset_dir / f"{name}.csv"
    if parquet.exists():
        return pd.read_parquet(parquet)
    if csv.exists():
        # Strings throughout: pandas would read the country code NA as a null and phones as ints.
        try:
            return pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
        except pd.errors.EmptyDataError:  # a table without rows written without a header
            return pd.DataFrame()
    return pd.DataFrame()


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _cell(v) for k, v in record.items()} for record in frame.to_dict("records")]


def _cell(value: Any) -> Any:
    if _is_null(value):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, str | bytes) else value


def _by_doc(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(str(row.get("doc_id")), []).append(row)
    return grouped


def _gold_row(table: str, row: Mapping[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {name: _text(row.get(name)) for name in columns}
    if table == "partners":
        out["lead"] = _flag(row.get("lead"))
    if table == "targets":
        out["year"] = _year(row.get("year"))
    return out
