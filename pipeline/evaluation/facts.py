"""The facts a document states, and how two values of a fact compare (``docs/GOLD.md``).

The core of the evaluation (``facts``, ``matching``, ``scoring.score``) is pure: it works
on documents in gold-JSON shape, whichever side they come from. The edge (``gold``:
``load_gold``, ``load_predictions``) reads gold files and the published tables and
rebuilds that shape, so a release can be scored without knowing how it was produced.

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

import math
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from rapidfuzz import fuzz

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


# --- facts


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
        return f"{fact_path(self.item, self.field)}={show_value(self.value)}"


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
    add(head, "doc_type", as_text(doc.get("doc_type")))
    add(head, "title", as_text(doc.get("title")))

    for i, date in enumerate(entries_of(doc, "dates")):
        role, start, end = (as_text(date.get(k)) for k in ("role", "start", "end"))
        if start is not None or end is not None:
            add(Item("dates", i, role or "?"), "date", (role, start, end))

    for i, partner in enumerate(entries_of(doc, "partners")):
        name, lead = as_text(partner.get("name")), as_flag(partner.get("lead"))
        item = Item("partners", i, f"{name}{' (lead)' if lead else ''}")
        values: dict[str, Value | None] = {
            "name": name,
            "category": as_text(partner.get("category")),
            "country": as_text(partner.get("country")),
            # Not being the lead is every partner's default, as a null is; only the lead is stated.
            "lead": True if lead else None,
        }
        for name_ in _PARTNER_FIELDS:
            add(item, name_, values[name_])

    for i, contact in enumerate(entries_of(doc, "contacts")):
        role = as_text(contact.get("role"))
        who = as_text(contact.get("name")) or as_text(contact.get("organization"))
        item = Item("contacts", i, f"{role}: {who}", key=(("role", role),))
        for name_ in _CONTACT_FIELDS:
            add(item, name_, as_text(contact.get(name_)))

    for i, target in enumerate(entries_of(doc, "targets")):
        year, text = as_year(target.get("year")), as_text(target.get("text"))
        if text is not None:
            add(Item("targets", i, str(year) if year is not None else "undated"), "target", (year, text))

    for i, event in enumerate(entries_of(doc, "events")):
        name, start = as_text(event.get("name")), as_text(event.get("start"))
        item = Item("events", i, name or start or f"#{i + 1}", key=(("name", name),))
        for name_ in _EVENT_FIELDS:
            add(item, name_, as_text(event.get(name_)))

    for i, site in enumerate(doc.get("websites") or []):
        url = as_text(site.get("url") if isinstance(site, Mapping) else site)
        add(Item("websites", i, ""), "url", url)

    return facts


def entries_of(doc: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    return [entry for entry in doc.get(name) or [] if isinstance(entry, Mapping)]


def as_text(value: Any) -> str | None:
    if is_null(value):
        return None
    text = str(value).strip()
    return text or None


def as_flag(value: Any) -> bool:
    if is_null(value):
        return False
    if isinstance(value, str):
        return value.strip().casefold() in {"true", "1", "yes"}
    return bool(value)


def as_year(value: Any) -> int | None:
    if is_null(value):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def is_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pd.isna covers pd.NA, NaT and numpy NaN; on a list it answers per element, which is not a null.
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


# --- comparing values

_QUOTES = str.maketrans(
    "", "", "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
)


def fold(value: object) -> str:
    """Case, quotes and white space folded away, as GOLD.md compares."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_QUOTES).casefold()
    return " ".join(text.split())


def name_similarity(a: object, b: object) -> float:
    return fuzz.ratio(fold(a), fold(b))


def same_value(a: Value, b: Value) -> bool:
    return fold(a) == fold(b)


def _similar_name(a: Value, b: Value) -> bool:
    return name_similarity(a, b) >= NAME_THRESHOLD


def _similar_text(a: Value, b: Value) -> bool:
    return fuzz.token_set_ratio(fold(a), fold(b)) >= TEXT_THRESHOLD


def _same_number(a: Value, b: Value) -> bool:
    digits_a, digits_b = _digits(a), _digits(b)
    if digits_a or digits_b:
        return digits_a == digits_b
    return same_value(a, b)


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


def target_similarity(a: Value, b: Value) -> float | None:
    assert isinstance(a, tuple) and isinstance(b, tuple)
    if a[0] != b[0]:
        return None
    similarity = fuzz.token_set_ratio(fold(a[1]), fold(b[1]))
    return similarity if similarity >= TEXT_THRESHOLD else None


def _same_target(a: Value, b: Value) -> bool:
    return target_similarity(a, b) is not None


MATCHERS: dict[str, Callable[[Value, Value], bool]] = {
    "doc_type": same_value,
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
    "email": same_value,
    "category": same_value,
    "country": same_value,
    "start": same_value,
    "lead": _same_flag,
}

# Gold null here means "the text does not say", so a predicted value is no error.
NULL_IS_UNKNOWN = frozenset({"country"})


def fact_path(item: Item, name: str) -> str:
    return f"{item.family}.{name}" + (f"[{item.label}]" if item.label else "")


def show_value(value: Value | None) -> str:
    if isinstance(value, tuple):
        if len(value) == 3:  # a date: its role is already in the label
            _, start, end = value
            return f"{start}/{end}" if end is not None else str(start)
        return str(value[1])  # a target: its year is already in the label
    return str(value)
