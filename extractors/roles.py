"""Section roles: what a heading, label, column header or introducing sentence announces.

A label is compared in a normal form: numbering, markup, punctuation and case
removed, British and American spellings joined and every word cut to a stem
("2. Organised jointly by:" -> "organ joint by"), so one vocabulary phrase in
``rules/roles.json`` covers its word forms and layouts. The longest phrase found
wins; a 'stop' phrase marks a section that holds no bodies.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from extractors.rules import role_rules

STOP = "stop"

# A vocabulary's keys: plain strings or a Literal of roles (a Mapping is invariant in its keys).
_Role = TypeVar("_Role", bound=str)

_NUMBERING = re.compile(
    r"^\s*(?:(?:\d{1,2}(?:\.\d{1,2})*|[ivxIVX]{1,4}|[A-Ha-h])[.)]|\d{1,2}(?:\.\d{1,2})+|\(\w{1,3}\))\s+"
)
_SUFFIXES = (
    "isations", "izations", "isation", "ization", "ations", "ation", "ators", "ator", "ating", "ants", "ant",
    "ings", "ing", "ers", "er", "ies", "ied", "ed", "es", "ly", "s", "e",
)  # fmt: skip


def stem(word: str) -> str:
    """A crude stem joining a word's forms: organiser/organized/organising -> 'organ'."""
    word = word.casefold().replace("is", "iz") if word.casefold().startswith("organis") else word.casefold()
    if word.startswith("organization"):
        return "organization"  # a body, not the act of organising
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.startswith("organiz"):
        return "organ"
    return word


def normal_words(text: str) -> list[str]:
    """The label's words as stems, without numbering, markup and punctuation."""
    text = unicodedata.normalize("NFKC", text)
    text = _NUMBERING.sub("", text)
    text = re.sub(r"\*\*|__|[`#>]", " ", text)
    text = re.sub(r"-(?=[a-z])", "", text.casefold())  # co-organised -> coorganised
    return [stem(w) for w in re.findall(r"[a-z0-9]+", text)]


@dataclass(frozen=True)
class RoleMatch:
    role: str
    words: int  # how many words of the label the matched phrase covers


class _Vocabulary:
    """Phrases (as stem tuples) per role; finds the longest one inside a label."""

    def __init__(self, phrases: Mapping[_Role, Sequence[str]]) -> None:
        # Longest first; among phrases of one length, the order of the vocabulary file decides.
        seen: dict[tuple[str, ...], str] = {}
        for role, items in phrases.items():
            for phrase in items:
                words = tuple(normal_words(phrase))
                if words and words not in seen:
                    seen[words] = role
        self._phrases: list[tuple[tuple[str, ...], str]] = sorted(seen.items(), key=lambda pr: -len(pr[0]))

    def find(self, words: list[str]) -> RoleMatch | None:
        for phrase, role in self._phrases:
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if tuple(words[i : i + n]) == phrase:
                    return RoleMatch(role, n)
        return None


@lru_cache(maxsize=1)
def _section_vocabulary() -> _Vocabulary:
    rules = role_rules()
    return _Vocabulary({**rules.roles, STOP: rules.stop})


@lru_cache(maxsize=1)
def _column_vocabulary() -> _Vocabulary:
    return _Vocabulary(role_rules().columns)


@lru_cache(maxsize=1)
def _category_vocabulary() -> _Vocabulary:
    return _Vocabulary(dict(role_rules().categories))


_PARENTHETICAL = re.compile(r"\([^()]*\)")
_NOTED_LABEL_WORDS = 4


def section_role(label: str, *, max_words: int | None = None) -> str | None:
    """The role a heading or label announces, ``STOP`` for a section without bodies, else None.

    A parenthetical is a note on the label ('Partners (other than the lead partner)', 'Contact
    person (focal point)'): the label outside it decides, when it names a role."""
    bare = _PARENTHETICAL.sub(" ", label)
    # Only a short label: a heading that is a phrase ('Linkages with local governments ... (UNCRD)')
    # names a topic, and its words are no role once the note is gone.
    if bare != label and bare.strip() and len(normal_words(bare)) <= _NOTED_LABEL_WORDS:
        outside = section_role(bare, max_words=max_words)
        if outside is not None:
            return outside
    words = normal_words(label)
    limit = max_words if max_words is not None else role_rules().max_label_words
    if not words or len(words) > limit:
        return None
    found = _section_vocabulary().find(words)
    return found.role if found else None


@lru_cache(maxsize=1)
def _contact_kinds() -> _Vocabulary:
    return _Vocabulary(dict(role_rules().contact_kinds))


@lru_cache(maxsize=1)
def _contact_fields() -> _Vocabulary:
    return _Vocabulary(dict(role_rules().contact_fields))


def contact_kind(label: str) -> str | None:
    """'focal_point', 'form_filler' or 'secretariat' for a contact section's heading."""
    words = normal_words(label)
    found = _contact_kinds().find(words) if 0 < len(words) <= 10 else None
    return found.role if found else None


def field_kind(label: str) -> str | None:
    """The contact field a form label names ('Title / position' -> 'position'); the label is no more."""
    words = normal_words(label)
    found = _contact_fields().find(words) if 0 < len(words) <= 4 else None
    return found.role if found is not None and found.words * 2 >= len(words) else None


def is_role_label(text: str) -> bool:
    """The text is nothing but a role phrase ('Participants', 'SPEAKERS', 'Background')."""
    words = normal_words(text)
    found = _section_vocabulary().find(words) if words else None
    return found is not None and found.words == len(words)


@lru_cache(maxsize=1)
def _list_nouns() -> _Vocabulary:
    return _Vocabulary({"partner": role_rules().list_nouns})


def sentence_role(sentence: str) -> str | None:
    """The role named in a sentence that introduces a list ("... the following countries attended:").

    A sentence naming no role but bodies in general ("one of these institutes:") lists partners.
    """
    words = normal_words(sentence)
    found = _section_vocabulary().find(words)
    if found and found.role != STOP:
        return found.role
    return "partner" if _list_nouns().find(words) else None


def _short_label_role(vocabulary: _Vocabulary, text: str) -> str | None:
    words = normal_words(text)
    if not words or len(words) > 5:
        return None
    found = vocabulary.find(words)
    return found.role if found else None


def column_kind(header: str) -> str | None:
    """'name', 'country' or 'category' for a table header cell."""
    return _short_label_role(_column_vocabulary(), header)


def category_of_label(text: str) -> str | None:
    """A partner category named by a type/sector cell ("NGO", "Government", "Major groups
    (scientific and technological community, NGOs)": the words before the bracket say it)."""
    found = _short_label_role(_category_vocabulary(), text)
    if found is None and "(" in text:
        found = _short_label_role(_category_vocabulary(), text.split("(", 1)[0])
    return found


__all__ = [
    "STOP",
    "RoleMatch",
    "category_of_label",
    "column_kind",
    "contact_kind",
    "field_kind",
    "is_role_label",
    "normal_words",
    "section_role",
    "sentence_role",
    "stem",
]
