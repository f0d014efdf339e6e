"""Learned section roles: a role for a heading or label that no vocabulary phrase covers.

The role vocabularies (``rules/roles.json``) name the wordings someone has read. A
new author writes "Who took part" or "Institutions involved"; the vocabulary finds
nothing and the values under it are lost. This model reads such a label by its
words: a multinomial naive Bayes over the label's stems and stem pairs, trained
(``make train``) on the labels of the annotated corpora and of the documents
reviewers corrected, each labelled with the role of the gold facts found under it
(``none`` when a label holds values but no partner or contact).

It is consulted only where the vocabulary is silent, and it answers only when the
posterior of a role is at least ``min_probability`` and the label has words the
training labels had: an unknown wording keeps no role, as before.

Pure and small: counts in ``models/section_roles.json``, fitted deterministically,
so the same corpora and ledger give the same file byte for byte.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors.errors import RulesError
from extractors.models import read_model
from extractors.roles import normal_words
from extractors.rules import role_rules

MODEL_FILE = "section_roles.json"
MODEL_VERSION = 1
NO_ROLE = "none"  # the class of labels whose values hold no partner or contact


@dataclass(frozen=True)
class RoleExample:
    """One label seen in training, the role its values showed, and what the example counts for."""

    label: str
    role: str
    weight: float = 1.0
    source: str = "corpus"  # 'corpus' (annotated) or 'corrections' (a reviewed document)
    document: str = ""  # the document it was seen in: a feature's support counts documents


def label_features(label: str) -> list[str]:
    """The label's stems and adjacent stem pairs; none for a label too long to be a label."""
    words = normal_words(label)
    if not words or len(words) > role_rules().max_label_words:
        return []
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


class SectionRoleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    alpha: float = Field(gt=0, description="Laplace smoothing of the feature counts")
    min_probability: float = Field(gt=0, le=1, description="A role is given only at this posterior or above")
    trained_on: dict[str, float] = Field(description="example source -> weighted examples")
    class_counts: dict[str, float] = Field(description="role -> weighted labels")
    feature_counts: dict[str, dict[str, float]] = Field(description="role -> feature -> weighted count")

    @cached_property
    def _tables(self) -> tuple[dict[str, float], dict[str, dict[str, float]], dict[str, float]]:
        """Log priors, log likelihoods of seen features, and each role's log likelihood of an
        unseen one (its smoothing floor)."""
        vocabulary = {f for counts in self.feature_counts.values() for f in counts}
        total = sum(self.class_counts.values())
        priors, likelihoods, floors = {}, {}, {}
        for role, n in self.class_counts.items():
            counts = self.feature_counts.get(role, {})
            denominator = sum(counts.values()) + self.alpha * max(len(vocabulary), 1)
            priors[role] = math.log(n / total)
            likelihoods[role] = {f: math.log((c + self.alpha) / denominator) for f, c in counts.items()}
            floors[role] = math.log(self.alpha / denominator)
        return priors, likelihoods, floors

    @cached_property
    def _vocabulary(self) -> frozenset[str]:
        return frozenset(f for counts in self.feature_counts.values() for f in counts)

    def posterior(self, label: str) -> dict[str, float]:
        """Every role's posterior probability for ``label``; empty when no word of it was seen."""
        features = [f for f in label_features(label) if f in self._vocabulary]
        if not features or not self.class_counts:
            return {}
        priors, likelihoods, floors = self._tables
        scores = {
            role: prior + sum(likelihoods[role].get(f, floors[role]) for f in features)
            for role, prior in priors.items()
        }
        top = max(scores.values())
        exp = {role: math.exp(s - top) for role, s in scores.items()}
        norm = sum(exp.values())
        return {role: e / norm for role, e in exp.items()}

    def role(self, label: str) -> str | None:
        """The role the label most likely announces, if sure enough; None for no role."""
        posterior = self.posterior(label)
        if not posterior:
            return None
        best = max(sorted(posterior), key=posterior.__getitem__)
        if best == NO_ROLE or posterior[best] < self.min_probability:
            return None
        return best


def fit(
    examples: Iterable[RoleExample],
    *,
    alpha: float = 0.5,
    min_probability: float = 0.8,
    min_support: int = 3,
) -> SectionRoleModel:
    """Count the examples' features per role (deterministic: sorted keys, rounded weights).

    A feature seen in the labels of fewer than ``min_support`` documents is dropped: a word of
    one document's title, or of one body's name repeated in its labels, says nothing about the
    next document's sections."""
    labelled = [(e, sorted(set(label_features(e.label)))) for e in examples]
    labelled = [(e, words) for e, words in labelled if words]
    support = Counter(f for f, _ in {(f, e.document) for e, words in labelled for f in words})
    classes: dict[str, float] = defaultdict(float)
    features: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    sources: dict[str, float] = defaultdict(float)
    for example, words in labelled:
        classes[example.role] += example.weight
        sources[example.source] += example.weight
        for feature in words:
            if support[feature] >= min_support:
                features[example.role][feature] += example.weight
    return SectionRoleModel(
        version=MODEL_VERSION,
        alpha=alpha,
        min_probability=min_probability,
        trained_on={s: round(w, 4) for s, w in sorted(sources.items())},
        class_counts={r: round(w, 4) for r, w in sorted(classes.items())},
        feature_counts={
            r: {f: round(c, 4) for f, c in sorted(features[r].items())} for r in sorted(features)
        },
    )


def dump_model(model: SectionRoleModel) -> str:
    return json.dumps(model.model_dump(mode="json"), indent=1, sort_keys=True) + "\n"


@lru_cache(maxsize=1)
def section_role_model() -> SectionRoleModel | None:
    """The trained model shipped with the package; None before the first ``make train``."""
    raw = read_model(MODEL_FILE)
    if raw is None:
        return None
    try:
        return SectionRoleModel.model_validate(json.loads(raw))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise RulesError(f"model file {MODEL_FILE} is invalid: {exc}") from exc


__all__ = [
    "MODEL_FILE",
    "NO_ROLE",
    "RoleExample",
    "SectionRoleModel",
    "dump_model",
    "fit",
    "label_features",
    "section_role_model",
]
