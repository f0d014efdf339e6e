"""Organisations and people resolved across documents: pure clustering, no I/O.

Every document prints its bodies its own way ("Japan Bank for International
Cooperation (JBIC)", "JBIC", "Japan Bank of International Cooperation"). The
mentions (partner rows, contact organisations) are clustered into one
organisation each by, in this order:

1. the same folded name ("the", punctuation, case and spacing ignored);
2. fuzzy names: ratio or token-sort ratio >= 90 on the whole folded name AND on
   its distinctive words (name minus connectors and generic heads such as
   "city" or "agency"), so "Ube City" never joins "Cebu City" (94 on the whole
   name, 86 on "ube"/"cebu");
3. a bare place name is its city: "Kitakyushu" = "Kitakyushu City" = "City of
   Kitakyushu" (seminar reports list cities by name). Only "city" and
   "municipality" count: "Kyoto Prefecture" is not Kyoto;
4. acronyms: a mention whose acronym, or whose name is an acronym ("JBIC"),
   equals another's acronym or acronym-like name; and an acronym equal to the
   initials of exactly one cluster's name (when two clusters share the
   initials, the acronym is ambiguous and joins neither).

No merge ever joins two different countries ("Ministry of Environment" of KR
and of JP stay apart); a mention without a country can join either.

Branches and units stay organisations of their own, linked to the parent by
``parent_org_id``: "JICA Kyushu" (JICA's Kyushu centre) and "Institute for
Global Environmental Strategies, Kitakyushu Initiative Network Secretariat"
are not JICA and IGES themselves (a speaker of JICA Kyushu speaks for the
branch), but a reader who wants everything of JICA follows the link. A name
is a unit when it is a known organisation's acronym followed by more words,
or a known organisation's name followed by a comma and more. Reviewers who
disagree merge the branch into its parent with an override.

Reviewer overrides (``OrgOverride``) are applied after the automatic
clustering, in order: ``merge`` joins the organisations that any of its
references name (a name, alias, acronym or org_id); ``split`` takes every
mention printed as one alias out of its organisation into one of its own.
References are surface forms, not only ids, because an org_id follows the
canonical name and so can change when a merge changes that name.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Generic, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from rapidfuzz import fuzz, process

from extractors.rules import common_rules
from extractors.text import fold, initials, looks_like_acronym

ORG_SIMILARITY = 90.0
_BLOCK = 512  # rows of names scored at once in the fuzzy pass
T = TypeVar("T")
_ID_LENGTH = 16
_NON_WORD = re.compile(r"[^\w]+")
_WS = re.compile(r"\s+")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrgMention(_Model):
    """One printed reference to an organisation: a partner row or a contact's organisation."""

    key: str = Field(description="The caller's unique id of the mention (e.g. the table row).")
    doc_id: str = Field(description="The document it is printed in.")
    name: str | None = Field(default=None, description="The name as printed.")
    acronym: str | None = Field(default=None, description="The acronym printed with it, if any.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 country, if known.")


class Organization(_Model):
    org_id: str
    name: str
    acronym: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = Field(description="Every distinct printed form, names and acronyms, sorted.")
    parent_org_id: str | None = None
    doc_ids: tuple[str, ...]
    mention_keys: tuple[str, ...]

    @property
    def n_documents(self) -> int:
        return len(self.doc_ids)


class OrgOverride(_Model):
    """A reviewer's decision, kept outside the output so it is re-applied on every run."""

    action: Literal["merge", "split"]
    orgs: tuple[str, ...] = Field(
        default=(), description="merge: two or more names, aliases, acronyms or org_ids to make one."
    )
    name: str | None = Field(default=None, description="merge: the canonical name to give the result.")
    alias: str | None = Field(default=None, description="split: the printed form to take out.")
    note: str | None = Field(default=None, description="Why, for the next reviewer.")

    @model_validator(mode="after")
    def _fits_action(self) -> OrgOverride:
        if self.action == "merge" and (len(self.orgs) < 2 or self.alias is not None):
            raise ValueError("a merge names two or more organisations in 'orgs' and no 'alias'")
        if self.action == "split" and (not self.alias or self.orgs or self.name is not None):
            raise ValueError("a split names one 'alias' and neither 'orgs' nor 'name'")
        return self


class OrgResolution(_Model):
    organizations: tuple[Organization, ...]
    org_of: dict[str, str] = Field(description="Mention key -> org_id, for every mention with a name.")
    unmatched: tuple[str, ...] = Field(
        default=(), description="Override references that named nothing in this corpus."
    )


class PersonMention(_Model):
    key: str
    doc_id: str
    name: str | None = None
    role: str | None = None
    org_id: str | None = None


class Person(_Model):
    person_id: str
    name: str
    org_ids: tuple[str, ...]
    roles: tuple[str, ...]
    doc_ids: tuple[str, ...]
    mention_keys: tuple[str, ...]

    @property
    def n_documents(self) -> int:
        return len(self.doc_ids)


# --- folding ------------------------------------------------------------------------------------


def org_key(name: str) -> str:
    """Comparison form of an organisation name: folded, punctuation to spaces, 'the' dropped."""
    text = fold(name).replace("&", " and ")
    return " ".join(t for t in _NON_WORD.sub(" ", text).split() if t != "the")


def acronym_key(text: str) -> str:
    """'UNEP/IETC' and 'unep-ietc' compare equal."""
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def printed(text: str) -> str:
    """The printed form with line breaks and runs of spaces collapsed (PDF names wrap)."""
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    rules = common_rules()
    return frozenset(w.strip(".") for w in (*rules.org_head_words, *rules.name_connectors))


def _distinctive(key: str) -> str:
    return " ".join(t for t in key.split() if t not in _generic_words())


def _similar(a: str, b: str) -> bool:
    def score(x: str, y: str) -> float:
        return max(fuzz.ratio(x, y), fuzz.token_sort_ratio(x, y))

    if score(a, b) < ORG_SIMILARITY:
        return False
    da, db = _distinctive(a), _distinctive(b)
    if not da or not db:  # an all-generic name ("City Government") matches only itself
        return a == b
    return score(da, db) >= ORG_SIMILARITY


def _hash_id(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\x1f{text}".encode()).hexdigest()[:_ID_LENGTH]


# --- organisations ------------------------------------------------------------------------------


class _Form:
    """What one mention contributes: its printed name, name key and acronym tokens."""

    __slots__ = ("acronyms", "country", "doc_id", "full_name", "key", "name")

    def __init__(self, mention: OrgMention) -> None:
        name = printed(mention.name or "")
        acronym = printed(mention.acronym or "")
        if not name:
            name, acronym = acronym, ""
        self.name = name
        self.key = org_key(name)
        self.doc_id = mention.doc_id
        self.country = mention.country or None
        # A bare acronym as the name ("JBIC" as a contact's organisation) is an acronym, not a full name.
        self.full_name = not (" " not in name and looks_like_acronym(name))
        self.acronyms: set[str] = {acronym_key(a) for a in (acronym,) if acronym_key(a)}
        if not self.full_name and acronym_key(name):
            self.acronyms.add(acronym_key(name))


class _Clusters:
    """Union-find over mentions that refuses to join two different countries."""

    def __init__(self, forms: list[_Form]) -> None:
        self.parent = list(range(len(forms)))
        self.countries: list[set[str]] = [{f.country} if f.country else set() for f in forms]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, *, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        merged = self.countries[ra] | self.countries[rb]
        if len(merged) > 1 and not force:
            return False
        ra, rb = min(ra, rb), max(ra, rb)
        self.parent[rb] = ra
        self.countries[ra] = merged
        return True

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            found[self.find(i)].append(i)
        return sorted(found.values(), key=lambda g: g[0])


def resolve_organizations(
    mentions: Sequence[OrgMention], overrides: Sequence[OrgOverride] = ()
) -> OrgResolution:
    """Cluster the mentions into organisations and apply the reviewers' overrides (module docstring)."""
    keys = [m.key for m in mentions]
    if len(set(keys)) != len(keys):
        raise ValueError("mention keys must be unique")
    usable = [m for m in mentions if printed(m.name or "") or printed(m.acronym or "")]
    forms = [_Form(m) for m in usable]
    clusters = _Clusters(forms)
    _join_same_names(forms, clusters)
    _join_cities(forms, clusters)
    _join_similar_names(forms, clusters)
    _join_acronyms(forms, clusters)
    groups = [_Group(set(g)) for g in clusters.groups()]
    groups, unmatched = _apply_overrides(forms, groups, overrides)
    return _build(usable, forms, groups, unmatched)


def _join_same_names(forms: list[_Form], clusters: _Clusters) -> None:
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, form in enumerate(forms):
        if form.full_name:
            by_key[form.key].append(i)
    for members in by_key.values():
        countries = {forms[i].country for i in members if forms[i].country}
        if len(countries) > 1:
            # Same name in two countries: each country's mentions join; a mention without a
            # country could be either, so it joins neither.
            for country in countries:
                same = [i for i in members if forms[i].country == country]
                for i in same[1:]:
                    clusters.union(same[0], i)
            continue
        for i in members[1:]:
            clusters.union(members[0], i)


_CITY_WORDS = frozenset({"city", "of", "municipality"})


def _join_cities(forms: list[_Form], clusters: _Clusters) -> None:
    by_place: dict[str, list[int]] = defaultdict(list)
    for i, form in enumerate(forms):
        tokens = form.key.split()
        place = [t for t in tokens if t not in _CITY_WORDS]
        extra = set(tokens) - set(place)
        # "University of Kitakyushu" loses only "of": not a city form.
        if form.full_name and place and (not extra or extra & {"city", "municipality"}):
            by_place[" ".join(place)].append(i)
    for place_key, members in sorted(by_place.items()):
        # Only places that some mention calls a city: a bare "Japan" or "Asia" joins nothing.
        if not any(forms[i].key != place_key for i in members):
            continue
        for i in members[1:]:
            clusters.union(members[0], i)


def _join_similar_names(forms: list[_Form], clusters: _Clusters) -> None:
    first_of: dict[str, int] = {}
    for i, form in enumerate(forms):
        if form.full_name:
            first_of.setdefault(form.key, i)
    names = sorted(first_of)
    best: dict[tuple[int, int], float] = {}
    # rapidfuzz scores the candidates in C, a block of rows at a time (a full matrix would not
    # fit for large corpora); _similar then applies the distinctive-words check to the few kept.
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        for offset in range(0, len(names), _BLOCK):
            block = process.cdist(
                names[offset : offset + _BLOCK],
                names,
                scorer=scorer,
                score_cutoff=ORG_SIMILARITY,
                dtype=np.uint8,
                workers=1,
            )
            for row, col in zip(*np.nonzero(block), strict=True):
                a, b = offset + int(row), int(col)
                if b > a:
                    best[(a, b)] = max(best.get((a, b), 0.0), float(block[row, col]))
    pairs = sorted((-score, names[a], names[b]) for (a, b), score in best.items())
    # Best pairs first, so a mention without a country joins its closest match.
    for _, name_a, name_b in pairs:
        if _similar(name_a, name_b):
            clusters.union(first_of[name_a], first_of[name_b])


def _join_acronyms(forms: list[_Form], clusters: _Clusters) -> None:
    owners: dict[str, list[int]] = defaultdict(list)
    for i, form in enumerate(forms):
        for token in form.acronyms:
            owners[token].append(i)
    for token in sorted(owners):
        members = owners[token]
        for i in members[1:]:
            clusters.union(members[0], i)
    # The initials rule only names a cluster that has no full name yet ("JBIC" alone): an acronym
    # printed after a name belongs to that name even if its initials spell another one's.
    has_name = {clusters.find(i) for i, f in enumerate(forms) if f.full_name}
    spells = _Initials((i, f.name) for i, f in enumerate(forms) if f.full_name and " " in f.name)
    for token in sorted(owners):
        own = clusters.find(owners[token][0])
        if own in has_name:
            continue
        spelled = {clusters.find(i) for i in spells.matching(token)}
        if len(spelled) == 1:  # two names with these initials: ambiguous, join neither
            clusters.union(own, spelled.pop())


class _Initials(Generic[T]):
    """Names indexed by their initials, so an acronym finds the names it abbreviates in one look-up.

    Same test as ``extractors.text.acronym_matches``: the initials of the significant words,
    or the same with 'UN' dropped once from both ('UNESCAP' = 'ESCAP' for 'United Nations ...').
    """

    def __init__(self, names: Iterable[tuple[T, str]]) -> None:
        self.exact: dict[str, set[T]] = defaultdict(set)
        self.without_un: dict[str, set[T]] = defaultdict(set)
        for item, name in names:
            full = initials(name)
            if full:
                self.exact[full].add(item)
                if "UN" in full:
                    self.without_un[full.replace("UN", "", 1)].add(item)

    def matching(self, acronym: str) -> set[T]:
        letters = re.sub(r"[^A-Za-z]", "", acronym).upper()
        if len(letters) < 2:
            return set()
        found = set(self.exact.get(letters, ()))
        if len(letters) >= 3:
            found |= self.without_un.get(letters.replace("UN", "", 1), set())
        return found


class _Group:
    __slots__ = ("members", "name")

    def __init__(self, members: set[int], name: str | None = None) -> None:
        self.members = members
        self.name = name  # a reviewer's canonical name, from a merge


def _refers_to(forms: list[_Form], group: _Group, reference: str, org_id: str) -> bool:
    ref_key, ref_acronym = org_key(reference), acronym_key(reference)
    if reference.strip() == org_id:
        return True
    for i in group.members:
        form = forms[i]
        if form.key == ref_key or (" " not in reference.strip() and ref_acronym in form.acronyms):
            return True
    return False


def _apply_overrides(
    forms: list[_Form], groups: list[_Group], overrides: Sequence[OrgOverride]
) -> tuple[list[_Group], tuple[str, ...]]:
    """Apply merges and splits in file order; return the groups and the references that named nothing."""
    unmatched: list[str] = []
    for override in overrides:
        if override.action == "split":
            alias_key = org_key(override.alias or "")
            # Only the mentions printed as the alias move: "JICA" as a name, not a name printed with (JICA).
            moved = {i for i, f in enumerate(forms) if f.key == alias_key}
            if not alias_key or not moved:
                unmatched.append(override.alias or "")
                continue
            for group in groups:
                group.members -= moved
            groups = [g for g in groups if g.members] + [_Group(moved)]
        else:
            ids = {id(g): _org_id_of(forms, g) for g in groups}
            chosen: list[_Group] = []
            for reference in override.orgs:
                hit = [g for g in groups if _refers_to(forms, g, reference, ids[id(g)])]
                if not hit:
                    unmatched.append(reference)
                chosen.extend(g for g in hit if g not in chosen)
            if not chosen:
                continue
            name = printed(override.name) if override.name else next((g.name for g in chosen if g.name), None)
            merged = _Group(set().union(*(g.members for g in chosen)), name)
            groups = [g for g in groups if g not in chosen] + [merged]
    return groups, tuple(unmatched)


def _canonical(forms: list[_Form], group: Iterable[int]) -> str:
    members = list(group)
    full = [i for i in members if forms[i].full_name] or members
    docs: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    for i in full:
        key = forms[i].key
        docs[key].add(forms[i].doc_id)
        count[key] += 1
        spelled[key][forms[i].name] += 1
    # Most documents, then most mentions, then the longest (the fullest form), then alphabetical.
    key = min(docs, key=lambda k: (-len(docs[k]), -count[k], -len(k), k))
    return _most_common(spelled[key])


def _most_common(counter: Counter[str]) -> str:
    return min(counter, key=lambda s: (-counter[s], s))


def _org_id_of(forms: list[_Form], group: _Group) -> str:
    return _hash_id("org", org_key(group.name or _canonical(forms, group.members)))


def _build(
    mentions: list[OrgMention], forms: list[_Form], groups: list[_Group], unmatched: tuple[str, ...]
) -> OrgResolution:
    drafts = []
    for group in groups:
        name = group.name or _canonical(forms, group.members)
        acronyms: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        aliases: dict[str, Counter[str]] = defaultdict(Counter)
        for i in group.members:
            form, mention = forms[i], mentions[i]
            aliases[form.key][form.name] += 1
            acronym = printed(mention.acronym or "")
            if acronym and acronym != form.name:
                acronyms[acronym] += 1
                aliases[org_key(acronym)][acronym] += 1
            elif not form.full_name:
                acronyms[form.name] += 1
            if form.country:
                countries[form.country] += 1
        if group.name:
            aliases[org_key(group.name)][group.name] += 1
        drafts.append(
            {
                "name": name,
                "key": org_key(name),
                "acronym": _most_common(acronyms) if acronyms else None,
                "country": _most_common(countries) if countries else None,
                "aliases": tuple(
                    sorted({_most_common(c) for c in aliases.values()}, key=lambda s: (fold(s), s))
                ),
                "doc_ids": tuple(sorted({forms[i].doc_id for i in group.members})),
                "mention_keys": tuple(sorted(mentions[i].key for i in group.members)),
            }
        )
    _assign_ids(drafts)
    _assign_parents(drafts)
    organizations = tuple(
        Organization(**{k: v for k, v in d.items() if k != "key"})
        for d in sorted(drafts, key=lambda d: (d["key"], d["org_id"]))
    )
    org_of = {key: org.org_id for org in organizations for key in org.mention_keys}
    return OrgResolution(organizations=organizations, org_of=org_of, unmatched=unmatched)


def _assign_ids(drafts: list[dict]) -> None:
    by_id: dict[str, list[dict]] = defaultdict(list)
    for draft in drafts:
        by_id[_hash_id("org", draft["key"])].append(draft)
    for org_id, same in by_id.items():
        if len(same) == 1:
            same[0]["org_id"] = org_id
            continue
        # Two organisations with one name (two countries, or a split): the country tells them
        # apart; failing that, their first mention does. Either way the id is reproducible.
        for draft in same:
            draft["org_id"] = _hash_id("org", f"{draft['key']}\x1f{draft['country'] or ''}")
        if len({d["org_id"] for d in same}) < len(same):
            for draft in same:
                draft["org_id"] = _hash_id("org", f"{draft['key']}\x1f{draft['mention_keys'][0]}")


def _unit_head(name: str) -> str | None:
    """The organisation a unit's name starts with: 'X, Some Section' -> 'X'; 'JICA Kyushu' -> 'JICA'."""
    if "," in name:
        return name.split(",", 1)[0].strip() or None
    first = name.split(" ", 1)[0]
    return first if " " in name and looks_like_acronym(first) else None


def _assign_parents(drafts: list[dict]) -> None:
    by_acronym: dict[str, set[str]] = defaultdict(set)
    names: list[tuple[str, str]] = []  # (folded alias, org_id) of every multi-word alias
    for draft in drafts:
        for alias in draft["aliases"]:
            if " " in alias:
                names.append((org_key(alias), draft["org_id"]))
            elif acronym_key(alias):
                by_acronym[acronym_key(alias)].add(draft["org_id"])
    spells = _Initials((org_id, key) for key, org_id in names)
    keys = [key for key, _ in names]
    for draft in drafts:
        draft["parent_org_id"] = None
        head = _unit_head(draft["name"])
        if not head:
            continue
        if " " not in head and looks_like_acronym(head):
            candidates = by_acronym.get(acronym_key(head), set()) | spells.matching(head)
        else:
            head_key = org_key(head)
            found = process.extract(
                head_key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=ORG_SIMILARITY - 10, limit=None
            )
            candidates = {names[i][1] for key, _, i in found if _similar(head_key, key)}
        candidates.discard(draft["org_id"])
        if len(candidates) == 1:
            draft["parent_org_id"] = candidates.pop()


# --- people -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _honorifics() -> frozenset[str]:
    return frozenset(h.strip(".") for h in common_rules().honorifics)


def person_key(name: str) -> str:
    """Folded name without leading honorifics ('Prof. Hidefumi Imura' -> 'hidefumi imura')."""
    tokens = _NON_WORD.sub(" ", fold(name)).split()
    while len(tokens) > 1 and tokens[0] in _honorifics():
        tokens = tokens[1:]
    return " ".join(tokens)


def _display_name(forms: Counter[str]) -> str:
    """The form printed most often; on a tie one without a title, then one not in capitals."""

    def rank(form: str) -> tuple[int, int, int, str]:
        titled = len(form.split()) > len(person_key(form).split())
        shouting = sum(1 for word in form.split() if len(word) > 1 and word.isupper())
        return (-forms[form], titled, shouting, form)

    return min(forms, key=rank)


def resolve_people(mentions: Sequence[PersonMention]) -> tuple[Person, ...]:
    """People from named contacts, one per folded name (names are too short to match fuzzily safely)."""
    groups: dict[str, list[PersonMention]] = defaultdict(list)
    for mention in mentions:
        if mention.name and person_key(mention.name):
            groups[person_key(mention.name)].append(mention)
    people = []
    for key, members in groups.items():
        people.append(
            Person(
                person_id=_hash_id("person", key),
                name=_display_name(Counter(printed(m.name or "") for m in members)),
                org_ids=tuple(sorted({m.org_id for m in members if m.org_id})),
                roles=tuple(sorted({m.role for m in members if m.role})),
                doc_ids=tuple(sorted({m.doc_id for m in members})),
                mention_keys=tuple(sorted(m.key for m in members)),
            )
        )
    return tuple(sorted(people, key=lambda p: (person_key(p.name), p.person_id)))
