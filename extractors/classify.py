"""Document type from content, never from the file name.

Each type has weighted signals (regular expressions in ``rules/classify.json``);
a signal counts once, more when it appears in the title or first heading. The
highest score wins if it reaches ``min_score``; otherwise the type is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.rules import classify_rules
from schemas.document import ParsedDocument


@dataclass(frozen=True)
class Classification:
    doc_type: str
    confidence: float
    scores: dict[str, float]


@lru_cache(maxsize=1)
def _compiled() -> dict[str, list[tuple[re.Pattern[str], float, float | None]]]:
    return {
        doc_type: [(re.compile(s.pattern, re.I), s.weight, s.in_title) for s in signals]
        for doc_type, signals in classify_rules().signals.items()
    }


def heading_text(doc: ParsedDocument) -> str:
    """The title area: the HTML/metadata title plus the first heading-like lines."""
    head = [doc.title_hint or ""]
    for line in doc.lines[:8]:
        if line.heading_level or line.bold:
            head.append(doc.text[line.char_start : line.char_end])
    return " ".join(head)


def classify(doc: ParsedDocument) -> Classification:
    rules = classify_rules()
    body = doc.text[:20_000]
    title = heading_text(doc)
    scores: dict[str, float] = {}
    for doc_type, signals in _compiled().items():
        score = 0.0
        for pattern, weight, in_title in signals:
            if in_title and pattern.search(title):
                score += in_title
            elif pattern.search(body):
                score += weight
        scores[doc_type] = score
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < rules.min_score:
        return Classification("unknown", 0.5, scores)
    ranked = sorted(scores.values(), reverse=True)
    margin = (ranked[0] - ranked[1]) / ranked[0] if ranked[0] else 0.0
    return Classification(best, round(0.5 + 0.5 * margin, 3), scores)
