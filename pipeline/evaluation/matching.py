"""Aligning gold and predicted list items one to one, best similarity first, in passes (see ``facts``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from pipeline.evaluation.facts import (
    FAMILIES,
    MATCHERS,
    NAME_THRESHOLD,
    Fact,
    Family,
    Item,
    Value,
    fold,
    name_similarity,
    same_value,
    target_similarity,
)


@dataclass
class Entry:
    item: Item
    fields: dict[str, Value] = dataclass_field(default_factory=dict)

    def get(self, name: str) -> Value | None:
        return self.fields.get(name)


# One alignment pass: similarity of a gold and a predicted entry, None when they must not pair.
_Similarity = Callable[[Entry, Entry], float | None]


def _at_least(similarity: float, threshold: float = NAME_THRESHOLD) -> float | None:
    return similarity if similarity >= threshold else None


def _both(a: Value | str | None, b: Value | str | None) -> bool:
    return a is not None and b is not None


def _partner_same_lead(g: Entry, p: Entry) -> float | None:
    if bool(g.get("lead")) != bool(p.get("lead")) or not _both(g.get("name"), p.get("name")):
        return None
    return _at_least(name_similarity(g.get("name"), p.get("name")))


def _partner_by_name(g: Entry, p: Entry) -> float | None:
    if not _both(g.get("name"), p.get("name")):
        return None
    return _at_least(name_similarity(g.get("name"), p.get("name")))


def _same_role(g: Entry, p: Entry) -> bool:
    role_g, role_p = g.item.key_value("role"), p.item.key_value("role")
    return role_g is not None and role_p is not None and fold(role_g) == fold(role_p)


def _contact_by_name(g: Entry, p: Entry) -> float | None:
    if not _same_role(g, p) or not _both(g.get("name"), p.get("name")):
        return None
    return _at_least(name_similarity(g.get("name"), p.get("name")))


def _contact_by_organization(g: Entry, p: Entry) -> float | None:
    # Only for blocks without a person: two named people of one office are different contacts.
    if not _same_role(g, p) or _both(g.get("name"), p.get("name")):
        return None
    if not _both(g.get("organization"), p.get("organization")):
        return None
    return _at_least(name_similarity(g.get("organization"), p.get("organization")))


def _event_by_name(g: Entry, p: Entry) -> float | None:
    name_g, name_p = g.item.key_value("name"), p.item.key_value("name")
    if name_g is None or name_p is None:
        return None
    return _at_least(name_similarity(name_g, name_p))


def _event_by_start(g: Entry, p: Entry) -> float | None:
    start_g, start_p = g.get("start"), p.get("start")
    if start_g is None or start_p is None:
        return None
    return 100.0 if same_value(start_g, start_p) else None


def _whole_fact(name: str) -> _Similarity:
    def similarity(g: Entry, p: Entry) -> float | None:
        a, b = g.get(name), p.get(name)
        return 100.0 if a is not None and b is not None and MATCHERS[name](a, b) else None

    return similarity


def _target(g: Entry, p: Entry) -> float | None:
    a, b = g.get("target"), p.get("target")
    return target_similarity(a, b) if a is not None and b is not None else None


ALIGNMENT: dict[Family, tuple[_Similarity, ...]] = {
    "document": (lambda g, p: 100.0,),
    "dates": (_whole_fact("date"),),
    "partners": (_partner_same_lead, _partner_by_name),
    "contacts": (_contact_by_name, _contact_by_organization),
    "targets": (_target,),
    "events": (_event_by_name, _event_by_start),
    "websites": (_whole_fact("url"),),
}


def align(
    gold: Sequence[Entry], predicted: Sequence[Entry], passes: Iterable[_Similarity]
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


def group_entries(facts: Iterable[Fact]) -> dict[Family, list[Entry]]:
    entries: dict[Item, Entry] = {}
    for fact in facts:
        entries.setdefault(fact.item, Entry(fact.item)).fields[fact.field] = fact.value
    grouped: dict[Family, list[Entry]] = {family: [] for family in FAMILIES}
    for entry in entries.values():
        grouped[entry.item.family].append(entry)
    return grouped
