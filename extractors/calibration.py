"""Confidence as measured: each extraction method's share of right rows on annotated corpora.

A rule states how sure it is (``confidence=0.8``); that is a guess. ``make train``
runs extraction over the annotated corpora, judges every row against gold, and
counts per method how many rows were right (``models/confidence.json``). A row's
published confidence is the posterior mean of that share, with the rule's own
figure as a prior worth ``prior_strength`` rows, less ``caution_sd`` posterior
standard deviations: a method seen often speaks for itself, one seen rarely keeps
close to what its rule says and promises a little less.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors.errors import RulesError
from extractors.models import read_model

MODEL_FILE = "confidence.json"


class MethodCounts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Weighted counts: a row of a corpus the rules were written against counts for less than one.
    rows: float = Field(ge=0)
    right: float = Field(ge=0)


class ConfidenceModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    prior_strength: float = Field(gt=0)
    # Confidence is the posterior mean less this many standard deviations: a method seen on few
    # rows promises less than its mean, since documents by new authors are harder than these.
    caution_sd: float = Field(default=0.0, ge=0)
    trained_on: dict[str, int] = Field(description="corpus name -> documents")
    corpus_weights: dict[str, float] = Field(default_factory=dict, description="corpus name -> row weight")
    first_reads: dict[str, int] = Field(
        default_factory=dict, description="new authors scored before rules were fitted to them -> documents"
    )
    methods: dict[str, MethodCounts]

    def calibrated(self, method: str, rule_confidence: float) -> float:
        counts = self.methods.get(method)
        if counts is None:
            return rule_confidence
        k = self.prior_strength
        mean = (counts.right + k * rule_confidence) / (counts.rows + k)
        sd = math.sqrt(mean * (1 - mean) / (counts.rows + k + 1))
        return max(0.0, mean - self.caution_sd * sd)


@lru_cache(maxsize=1)
def confidence_model() -> ConfidenceModel | None:
    """The trained model shipped with the package; None before the first ``make train``."""
    raw = read_model(MODEL_FILE)
    if raw is None:
        return None
    try:
        return ConfidenceModel.model_validate(json.loads(raw))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise RulesError(f"model file {MODEL_FILE} is invalid: {exc}") from exc


def calibrated_confidence(method: str, rule_confidence: float) -> float:
    model = confidence_model()
    return rule_confidence if model is None else model.calibrated(method, rule_confidence)


__all__ = ["ConfidenceModel", "MethodCounts", "calibrated_confidence", "confidence_model"]
