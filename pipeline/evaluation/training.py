"""``make train``: build the learned components from the annotated corpora.

Today that is the confidence model (``extractors/models/confidence.json``): every
document of every training corpus is extracted (the same ``process_bytes`` node a
run calls), each row is judged against gold, and the rows and right rows are
counted per extraction method. The blind corpus is never read here: it is what
the result is measured on.

Deterministic: the same code and corpora give the same file, byte for byte, so
the artifact can be committed and checked.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluation.calibration import judged_rows
from pipeline.evaluation.corpus import predict_folder
from pipeline.evaluation.gold import load_gold
from pipeline.settings import PROJECT_ROOT

MODEL_PATH = PROJECT_ROOT / "extractors" / "models" / "confidence.json"
MODEL_VERSION = 2
# The rule's own confidence counts as this many rows of evidence.
PRIOR_STRENGTH = 4.0
# Published confidence: the posterior mean less one standard deviation (about its 16th percentile).
CAUTION_SD = 1.0


# The rules were written against the dev and variant documents, so their rows overstate how often a
# method is right on a new author's folder; they count for a quarter of a row each.
IN_SAMPLE_WEIGHT = 0.25


@dataclass(frozen=True)
class Corpus:
    name: str
    raw: Path
    gold: Path
    weight: float = 1.0  # what one row of this corpus counts for

    @property
    def available(self) -> bool:
        return self.raw.is_dir() and self.gold.is_dir()


def training_corpora(root: Path = PROJECT_ROOT) -> list[Corpus]:
    """The annotated corpora training reads: the bundled dev set, the variants, the shared
    second-author set (beside the project, as CI lays it) and the train half of the fresh set."""
    shared = root.parent / "shared"
    return [
        Corpus("dev", root / "raw", root / "tests" / "gold", IN_SAMPLE_WEIGHT),
        Corpus(
            "variants",
            root / "tests" / "corpus" / "variants" / "raw",
            root / "tests" / "corpus" / "variants" / "gold",
            IN_SAMPLE_WEIGHT,
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


def count_methods(corpora: list[Corpus]) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    """Rows and right rows per method over the corpora (each row at its corpus's weight), and the
    documents read per corpus."""
    rows: dict[str, float] = defaultdict(float)
    right: dict[str, float] = defaultdict(float)
    documents: dict[str, int] = {}
    for corpus in corpora:
        gold = load_gold(corpus.gold)
        predicted = predict_folder(corpus.raw)
        documents[corpus.name] = 0
        for doc, expected in gold.items():
            if doc not in predicted:
                continue
            documents[corpus.name] += 1
            for row, is_right in judged_rows(expected, predicted[doc]):
                method = str(row.get("method") or "")
                rows[method] += corpus.weight
                right[method] += corpus.weight * is_right
    methods = {m: {"rows": round(rows[m], 4), "right": round(right[m], 4)} for m in sorted(rows)}
    return methods, documents


def train(corpora: list[Corpus] | None = None, *, out: Path = MODEL_PATH) -> dict:
    """Count, write the model file and return what was written."""
    usable = [c for c in (corpora or training_corpora()) if c.available]
    if not usable:
        raise FileNotFoundError("no annotated corpus found to train on")
    methods, documents = count_methods(usable)
    model = {
        "version": MODEL_VERSION,
        "prior_strength": PRIOR_STRENGTH,
        "caution_sd": CAUTION_SD,
        "trained_on": documents,
        "corpus_weights": {c.name: c.weight for c in usable},
        "methods": methods,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return model


__all__ = ["MODEL_PATH", "Corpus", "count_methods", "train", "training_corpora"]
