"""``make train``: build the learned components from the annotated corpora and the reviewed documents.

Two components, in this order:

1. *Section roles* (``extractors/models/section_roles.json``): every labelled zone
   of every training document, with the role of the gold facts found under it
   (``section_model.fit``), so labels no vocabulary covers get a role.
2. *Confidence* (``extractors/models/confidence.json``): every document is
   extracted with the new section roles (the same ``process_bytes`` node a run
   calls), each row is judged against gold, and the rows and right rows are
   counted per extraction method. Every corpus here has been read, so its rows count a
   quarter; the first reads (``first_reads.py``: new authors' rows judged before any rule was
   fitted to them) are added in full.

Reviewed documents (``reviewed.reviewed_documents``) count as one more corpus: the
ledger applied to a document's extraction is its gold, so accepted rows are right,
deleted rows wrong, edits correct a label and added rows are facts to find. The blind
corpus is never read here: it is what the result is measured on.

Deterministic: the same code and corpora give the same file, byte for byte, so
the artifact can be committed and checked.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.section_model import NO_ROLE, RoleExample, SectionRoleModel, dump_model, fit
from pipeline.evaluation.calibration import method_counts
from pipeline.evaluation.corpus import corpus_files, predict_files
from pipeline.evaluation.facts import fold
from pipeline.evaluation.first_reads import FirstRead, load_first_reads, summed_counts
from pipeline.evaluation.gold import load_gold
from pipeline.evaluation.reviewed import ReviewedDocument, split_held_back
from pipeline.evaluation.scoring import EvalReport, score
from pipeline.settings import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "extractors" / "models"
MODEL_PATH = MODELS_DIR / "confidence.json"
SECTION_MODEL_PATH = MODELS_DIR / "section_roles.json"
MODEL_VERSION = 2
# The rule's own confidence counts as this many rows of evidence.
PRIOR_STRENGTH = 4.0
# Published confidence: the posterior mean less one standard deviation (about its 16th percentile).
CAUTION_SD = 1.0


# Every annotated corpus here has been read and had rules written against it, so its rows overstate
# how often a method is right on a new author's folder; they count for a quarter of a row each. A
# first read (``first_reads.py``: new authors scored before anyone read them) counts in full.
IN_SAMPLE_WEIGHT = 0.25
FIRST_READ_WEIGHT = 1.0


@dataclass(frozen=True)
class Corpus:
    name: str
    raw: Path
    gold: Path
    weight: float = IN_SAMPLE_WEIGHT  # what one row of this corpus counts for
    # The dev and variant labels are the vocabularies' own: the section model learns nothing from them.
    teaches_labels: bool = True

    @property
    def available(self) -> bool:
        return self.raw.is_dir() and self.gold.is_dir()


def training_corpora(root: Path = PROJECT_ROOT) -> list[Corpus]:
    """The annotated corpora training reads: the bundled dev set, the variants, the shared
    second-author set (beside the project, as CI lays it) and the train half of the fresh set."""
    shared = root.parent / "shared"
    return [
        Corpus("dev", root / "raw", root / "tests" / "gold", teaches_labels=False),
        Corpus(
            "variants",
            root / "tests" / "corpus" / "variants" / "raw",
            root / "tests" / "corpus" / "variants" / "gold",
            teaches_labels=False,
        ),
        Corpus(
            "second-author",
            shared / "corpus" / "second-author" / "raw",
            shared / "eval" / "gold" / "second-author",
        ),
        Corpus(
            "fresh-train",
            root / "tests" / "corpus" / "fresh" / "train" / "raw",
            root / "tests" / "corpus" / "fresh" / "train" / "gold",
        ),
    ]


@dataclass(frozen=True)
class _Annotated:
    """One training document: its file, its gold and what one of its rows counts for."""

    path: Path
    gold: Mapping[str, Any]
    weight: float
    source: str  # 'corpus' or 'corrections'
    corpus: str
    teaches_labels: bool = True


def _annotated(corpora: Sequence[Corpus], reviewed: Sequence[ReviewedDocument]) -> list[_Annotated]:
    docs: list[_Annotated] = []
    for corpus in corpora:
        files = corpus_files(corpus.raw)
        for stem, expected in load_gold(corpus.gold).items():
            if stem in files:
                docs.append(
                    _Annotated(
                        files[stem], expected, corpus.weight, "corpus", corpus.name, corpus.teaches_labels
                    )
                )
    docs += [_Annotated(d.path, d.reference, 1.0, "corrections", "reviewed") for d in reviewed]
    return docs


# Gold contact roles -> the section role that announces them.
_CONTACT_ROLES = {"speaker": "speaker", "chair": "chair"}
_ZONE_SOURCES = ("heading", "label", "column")
_MIN_KEY = 4  # shorter names ('FAO') are found inside too many unrelated values


def label_examples(doc: _Annotated) -> list[RoleExample]:
    """Each labelled zone of the document with the role its gold facts show (``NO_ROLE`` when
    it holds values but none of them), read with the vocabularies only."""
    from extractors.common import writer_breaks
    from extractors.parsing import parse_document
    from extractors.structure import document_zones

    try:
        parsed = parse_document(doc.path.read_bytes(), doc.path.name)
    except Exception:  # a document that does not parse teaches no labels
        return []
    breaks = writer_breaks(parsed)
    keys: list[tuple[str, str]] = []
    for partner in doc.gold.get("partners") or []:
        keys.append((fold(partner.get("name") or ""), partner.get("category") or "partner"))
    for contact in doc.gold.get("contacts") or []:
        role = _CONTACT_ROLES.get(contact.get("role") or "", "contact")
        keys += [(fold(contact.get(f) or ""), role) for f in ("name", "organization")]
    keys = [(k, r) for k, r in keys if len(k) >= _MIN_KEY]
    examples: list[RoleExample] = []
    for zone in document_zones(parsed, explicit_breaks=breaks, learned=None):
        if zone.label is None or zone.source not in _ZONE_SOURCES or not zone.pieces:
            continue
        votes: Counter[str] = Counter()
        for piece in zone.pieces:
            text = fold(piece.text.text)
            votes.update({role for key, role in keys if key in text})
        role = min(votes, key=lambda r: (-votes[r], r)) if votes else NO_ROLE
        # Every taught label counts alike: the row weight says how far a corpus's rows predict new
        # authors' rows, which is no concern of what its labels mean.
        examples.append(RoleExample(zone.label.text, role, 1.0, doc.source, str(doc.path)))
    return examples


def role_examples(docs: Sequence[_Annotated], *, workers: int | None = None) -> list[RoleExample]:
    workers = workers or min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [e for examples in pool.map(label_examples, docs) for e in examples]


def count_methods(
    docs: Sequence[_Annotated], *, section_model: SectionRoleModel | None = None
) -> dict[str, dict[str, float]]:
    """Rows and right rows per method over the documents (each row at its document's weight),
    extracted with ``section_model``."""
    predicted = predict_files([d.path for d in docs], section_model=section_model)
    stems = [d.path.name.split(".")[0] for d in docs]
    counts = method_counts(
        (doc.gold, predicted[stem], doc.weight)
        for doc, stem in zip(docs, stems, strict=True)
        if stem in predicted
    )
    return {m: {"rows": round(c.rows, 4), "right": round(c.right, 4)} for m, c in counts.items()}


@dataclass(frozen=True)
class TrainedModels:
    confidence: dict
    section_roles: SectionRoleModel


def section_examples(docs: Sequence[_Annotated]) -> list[RoleExample]:
    """The labels of the documents the vocabularies were not written from: the dev and variant
    labels are the vocabularies' own (and the variants repeat the dev documents' bodies and titles)."""
    return role_examples([d for d in docs if d.teaches_labels])


@dataclass(frozen=True)
class CorrectionsGain:
    """F1 on held-back reviewed documents, extracted before and after learning from the others."""

    trained_on: int  # reviewed documents whose corrections were learned from
    held_back: list[str]
    labels_learned: int  # labels of those documents the section-role model was fitted on
    before: EvalReport
    after: EvalReport

    def format(self) -> str:
        lines = [
            f"reviewed documents: {self.trained_on} learned from, {len(self.held_back)} held back",
            f"labels learned from their corrections: {self.labels_learned}",
            "",
            f"{'family':<10} {'F1 before':>10} {'F1 after':>9} {'tp/fp/fn before':>17} {'tp/fp/fn after':>16}",
        ]
        for family, was in self.before.families.items():
            now = self.after.families[family]
            lines.append(
                f"{family:<10} {was.f1:>10.3f} {now.f1:>9.3f} {f'{was.tp}/{was.fp}/{was.fn}':>17} "
                f"{f'{now.tp}/{now.fp}/{now.fn}':>16}"
            )
        was, now = self.before.overall, self.after.overall
        lines.append(
            f"{'overall':<10} {was.f1:>10.3f} {now.f1:>9.3f} {f'{was.tp}/{was.fp}/{was.fn}':>17} "
            f"{f'{now.tp}/{now.fp}/{now.fn}':>16}"
        )
        return "\n".join(lines)


def corrections_gain(
    reviewed: Sequence[ReviewedDocument], corpora: list[Corpus] | None = None
) -> CorrectionsGain:
    """Learn from the corrections of half the reviewed documents and score the other half (their
    corrected rows as gold) before and after: what retraining on corrections is worth."""
    learned_from, held_back = split_held_back(reviewed)
    if not held_back:
        raise ValueError("measuring the gain needs at least two reviewed documents")
    usable = [c for c in (corpora if corpora is not None else training_corpora()) if c.available]
    base = section_examples(_annotated(usable, []))
    taught = section_examples(_annotated([], learned_from))
    files = [d.path for d in held_back]
    reference = {d.stem: d.reference for d in held_back}
    before = score(reference, predict_files(files, section_model=fit(base)))
    after = score(reference, predict_files(files, section_model=fit(base + taught)))
    return CorrectionsGain(len(learned_from), sorted(reference), len(taught), before, after)


def with_first_reads(
    methods: Mapping[str, Mapping[str, float]], reads: Sequence[FirstRead]
) -> dict[str, dict[str, float]]:
    """The in-sample counts per method with the first reads' rows added at ``FIRST_READ_WEIGHT``."""
    merged = {m: dict(c) for m, c in methods.items()}
    for method, tally in summed_counts(reads).items():
        counts = merged.setdefault(method, {"rows": 0.0, "right": 0.0})
        counts["rows"] = round(counts["rows"] + FIRST_READ_WEIGHT * tally.rows, 4)
        counts["right"] = round(counts["right"] + FIRST_READ_WEIGHT * tally.right, 4)
    return dict(sorted(merged.items()))


def train(
    corpora: list[Corpus] | None = None,
    *,
    reviewed: Sequence[ReviewedDocument] = (),
    first_reads: Sequence[FirstRead] | None = None,
    out_dir: Path = MODELS_DIR,
) -> TrainedModels:
    """Fit both components, write their files to ``out_dir`` and return them.

    ``first_reads``: new authors' rows judged before rules were fitted to them (default: the
    project's ``first_reads.json``)."""
    reads = load_first_reads() if first_reads is None else list(first_reads)
    usable = [c for c in (corpora if corpora is not None else training_corpora()) if c.available]
    if not usable and not reviewed:
        raise FileNotFoundError("no annotated corpus and no reviewed document found to train on")
    docs = _annotated(usable, reviewed)
    section_roles = fit(section_examples(docs))
    documents = dict(sorted(Counter(d.corpus for d in docs).items()))
    confidence = {
        "version": MODEL_VERSION,
        "prior_strength": PRIOR_STRENGTH,
        "caution_sd": CAUTION_SD,
        "trained_on": documents,
        "corpus_weights": {c.name: c.weight for c in usable}
        | ({"reviewed": 1.0} if reviewed else {})
        | ({"first-reads": FIRST_READ_WEIGHT} if reads else {}),
        "first_reads": {r.label: r.documents for r in reads},
        "methods": with_first_reads(count_methods(docs, section_model=section_roles), reads),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_PATH.name).write_text(
        json.dumps(confidence, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    (out_dir / SECTION_MODEL_PATH.name).write_text(dump_model(section_roles), encoding="utf-8")
    return TrainedModels(confidence, section_roles)


__all__ = [
    "MODELS_DIR",
    "MODEL_PATH",
    "SECTION_MODEL_PATH",
    "Corpus",
    "TrainedModels",
    "count_methods",
    "CorrectionsGain",
    "corrections_gain",
    "section_examples",
    "label_examples",
    "role_examples",
    "train",
    "training_corpora",
    "with_first_reads",
]
