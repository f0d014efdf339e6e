"""Countries as ISO 3166-1 alpha-2 codes, from country names, places and organisation names.

Country names come from pycountry plus ``data/countries.json`` (aliases such as
"Lao PDR" or "PR China", demonyms, look-alike phrases); places from the
gazetteer ``data/places.json``. In running text a name counts only when it is
capitalised as a name, so "turkey" or "chad" in prose and addresses in URLs
are not countries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator
from rapidfuzz import fuzz, process

from extractors.normalize._data import keyed_by_code, load_data, name_key, strip_accents

# Typos ("Phillipines", "Indonesa") score 90-95; distinct short names score at most 87.5
# ("Austria"/"Australia"). Official names are left out of fuzzy matching: "Republic of Mali" and
# "Republic of Malawi" score 94.
_FUZZY_MIN_SCORE = 90.0
_FUZZY_MIN_LENGTH = 5
_MAX_INPUT = 300
_EDGE_PUNCT_NO_BRACKETS = " \t\r\n.,;:\"'“”‘’-–—•*/"
_EDGE_PUNCT = _EDGE_PUNCT_NO_BRACKETS + "()[]{}"
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_PLACE_SPLIT = re.compile(r"\s*[,;/]\s*|\s*\(\s*|\s*\)\s*")


def _valid_codes(codes: Iterable[str]) -> None:
    for code in codes:
        if pycountry.countries.get(alpha_2=code) is None:
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")


def _non_empty(names: Iterable[str]) -> None:
    for name in names:
        if not name_key(name):
            raise ValueError(f"empty name {name!r}")


class _CountryData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    comment: str = ""
    aliases: dict[str, list[str]]
    demonyms: dict[str, list[str]]
    not_countries: list[str]
    not_in_text: list[str]
    code_stoplist: list[str]

    @field_validator("aliases", "demonyms")
    @classmethod
    def _codes_and_names(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        _valid_codes(value)
        for names in value.values():
            _non_empty(names)
        return value

    @field_validator("not_countries", "not_in_text")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        _non_empty(value)
        return value

    @field_validator("code_stoplist")
    @classmethod
    def _codes_shape(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"[A-Z]{2,3}", code):
                raise ValueError(f"{code!r} is not an upper-case ISO code")
        return value


class _Affixes(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prefixes: list[str]
    suffixes: list[str]


class _PlaceData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    comment: str = ""
    affixes: _Affixes
    places: dict[str, list[str]] = Field(min_length=1)

    @field_validator("places")
    @classmethod
    def _codes_and_names(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        _valid_codes(value)
        for names in value.values():
            _non_empty(names)
        return value


def _pycountry_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        forms = {country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)}
        # "Korea, Republic of" is written "Republic of Korea" in prose.
        head, _, tail = country.name.partition(", ")
        if tail.endswith((" of", " of the")):
            forms.add(f"{tail} {head}")
        forms.add(_TRAILING_PAREN.sub("", country.name))
        for form in forms:
            if form:
                key = _drop_article(name_key(form))
                names.setdefault(key, country.alpha_2)
    return names


def _drop_article(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


def _term_pattern(term: str) -> str:
    tokens = [t for t in re.split(r"[\s\-‐‑–—]+", strip_accents(term)) if t]
    parts = [re.escape(t).replace("'", "['’]") for t in tokens]
    return r"[\s\-‐‑–—]+".join(parts)


def _term_regex(terms: Iterable[str]) -> re.Pattern[str]:
    # Longest first, so "Papua New Guinea" wins over "New Guinea" and "Republic of Korea" over "Korea";
    # the case-sensitive look-ahead skips the many positions where no capitalised word starts.
    ordered = sorted(set(terms), key=len, reverse=True)
    body = "|".join(_term_pattern(t) for t in ordered)
    return re.compile(rf"(?<![\w@.])(?=(?-i:[A-Z]))(?:{body})(?![\w@]|\.\w)", re.I)


@dataclass(frozen=True)
class _Index:
    names: dict[str, str]  # folded country name or alias -> code
    codes: dict[str, str]  # upper-case alpha-2/alpha-3 -> alpha-2
    fuzzy_keys: list[str]
    text_terms: dict[str, str | None]  # folded term -> code; None for look-alikes ("United Nations")
    text_regex: re.Pattern[str]
    name_terms: dict[str, str | None]
    name_regex: re.Pattern[str]
    places: dict[str, str]
    place_terms: dict[str, str | None]
    place_regex: re.Pattern[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    acronyms: frozenset[str]  # aliases written in capitals ("UK", "PRC", "HCMC")


@lru_cache(maxsize=1)
def _index() -> _Index:
    data = load_data("countries.json", _CountryData)
    place_data = load_data("places.json", _PlaceData)

    names = _pycountry_names()
    aliases = keyed_by_code(data.aliases, "alias")
    names.update({_drop_article(k): v for k, v in aliases.items()})
    stop = set(data.code_stoplist)
    codes: dict[str, str] = {}
    for country in pycountry.countries:
        for code in (country.alpha_2, country.alpha_3):
            if code not in stop:
                codes[code] = country.alpha_2

    short_names = [name_key(c.name) for c in pycountry.countries if "," not in c.name]
    short_names += [name_key(c.common_name) for c in pycountry.countries if hasattr(c, "common_name")]
    short_names += list(aliases)
    # Blocked as written, dots included: "US" reads as a word in prose, "U.S." only as the country.
    blocked = {strip_accents(n).casefold() for n in data.not_in_text}
    surfaces: dict[str, str] = {}
    for country in pycountry.countries:
        for form in (
            country.name,
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
        ):
            if form and "," not in form:
                surfaces[_TRAILING_PAREN.sub("", form)] = country.alpha_2
    for code, forms in data.aliases.items():
        surfaces.update(dict.fromkeys(forms, code))
    surfaces = {s: c for s, c in surfaces.items() if strip_accents(s).casefold() not in blocked}
    not_countries = dict.fromkeys(data.not_countries)

    text_terms: dict[str, str | None] = {name_key(s): c for s, c in surfaces.items()}
    text_terms.update({name_key(s): None for s in not_countries})
    demonyms = keyed_by_code(data.demonyms, "demonym")
    name_terms = dict(text_terms)
    name_terms.update(demonyms)
    name_terms.update({name_key(s): None for s in not_countries})

    places = keyed_by_code(place_data.places, "place")
    place_surfaces = [p for group in place_data.places.values() for p in group]
    place_terms: dict[str, str | None] = dict(places)
    place_terms.update({name_key(s): None for s in not_countries if name_key(s) not in places})

    demonym_surfaces = [d for group in data.demonyms.values() for d in group]
    return _Index(
        names=names,
        codes=codes,
        fuzzy_keys=sorted({k for k in map(_drop_article, short_names) if len(k) >= _FUZZY_MIN_LENGTH}),
        text_terms=text_terms,
        text_regex=_term_regex([*surfaces, *not_countries]),
        name_terms=name_terms,
        name_regex=_term_regex([*surfaces, *not_countries, *demonym_surfaces]),
        places=places,
        place_terms=place_terms,
        place_regex=_term_regex([*place_surfaces, *not_countries]),
        prefixes=tuple(sorted((name_key(p) for p in place_data.affixes.prefixes), key=len, reverse=True)),
        suffixes=tuple(sorted((name_key(s) for s in place_data.affixes.suffixes), key=len, reverse=True)),
        acronyms=frozenset(
            name_key(s) for s in [*surfaces, *place_surfaces] if s.replace(".", "").replace(" ", "").isupper()
        ),
    )


def _is_capitalised(original: str, term_key: str, acronyms: frozenset[str]) -> bool:
    """Prose words ("turkey", "chad") are not names; an all-caps alias ("UK", "HCMC") must stay all caps."""
    letters = [c for c in original if c.isalpha()]
    if not letters or not letters[0].isupper():
        return False
    return term_key not in acronyms or all(c.isupper() for c in letters)


def _matches(
    text: str, regex: re.Pattern[str], terms: Mapping[str, str | None]
) -> list[tuple[str, int, int]]:
    acronyms = _index().acronyms
    found: list[tuple[str, int, int]] = []
    for match in regex.finditer(strip_accents(text)):
        key = name_key(match.group())
        code = terms.get(key)
        original = text[match.start() : match.end()]
        if code is not None and _is_capitalised(original, key, acronyms):
            found.append((code, match.start(), match.end()))
    return found


def _clean(text: str) -> str:
    if not text or len(text) > _MAX_INPUT:
        return ""
    text = text.strip(_EDGE_PUNCT_NO_BRACKETS)
    while text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip(_EDGE_PUNCT_NO_BRACKETS)
    if text.count("(") != text.count(")"):
        text = text.strip(_EDGE_PUNCT)
    return text


def _lookup(raw: str) -> str | None:
    index = _index()
    compact = raw.strip()
    if re.fullmatch(r"[A-Z]{2,3}", compact) and compact in index.codes:
        return index.codes[compact]
    key = _drop_article(name_key(raw))
    if not key:
        return None
    if key in index.names:
        return index.names[key]
    if len(key) < _FUZZY_MIN_LENGTH or not index.fuzzy_keys:
        return None
    best = process.extractOne(key, index.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN_SCORE)
    if best is None:
        return None
    candidate = best[0]
    # An inflected form ("Austrian", "Dominican") is not a misspelt name.
    if candidate.startswith(key) or key.startswith(candidate):
        return None
    return index.names[candidate]


def bare_iso_code(text: str) -> bool:
    """'BMU', 'COG': a three-letter ISO code nobody writes for the country (unlike 'USA'), which in
    brackets after a body's name is the body's acronym."""
    compact = text.strip()
    index = _index()
    return (
        re.fullmatch(r"[A-Z]{3}", compact) is not None
        and compact in index.codes
        and _drop_article(name_key(compact)) not in index.names
    )


def country_code(name: str) -> str | None:
    """ISO alpha-2 code of a country named in any common form ("The Philippines", "Lao PDR", "USA", "JPN")."""
    raw = _clean(name)
    if not raw:
        return None
    code = _lookup(raw)
    if code is None and _TRAILING_PAREN.search(raw):
        # "Republic of Korea (ROK)"
        code = _lookup(_TRAILING_PAREN.sub("", raw))
    return code


def _place_lookup(raw: str) -> str | None:
    index = _index()
    key = _drop_article(name_key(raw))
    # Strip one administrative affix at a time: "Yangpyeong-gun Ward" -> "yangpyeong gun" -> "yangpyeong".
    while key:
        if key in index.places:
            return index.places[key]
        shorter = _strip_affix(key, index.prefixes, index.suffixes)
        if shorter == key:
            return None
        key = shorter
    return None


def _strip_affix(key: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
            return key[len(prefix) + 1 :]
    for suffix in suffixes:
        if key.endswith(" " + suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix) - 1]
    return key


def country_of_place(place: str) -> str | None:
    """Country of a city, province or prefecture ("Kitakyushu City", "West Java province", "Metro Cebu").

    A place written with its country ("Stockholm, Sweden", "Surabaya (Indonesia)") takes that country.
    """
    raw = _clean(place)
    if not raw:
        return None
    parts = [p for p in _PLACE_SPLIT.split(raw) if p and p.strip(_EDGE_PUNCT)]
    if len(parts) > 1:
        for part in reversed(parts):
            code = country_code(part)
            if code:
                return code
        for part in parts:
            code = _place_lookup(part)
            if code:
                return code
        return None
    return _place_lookup(raw) or country_code(raw)


def country_in_name(name: str) -> str | None:
    """Country an organisation's name places it in: a country or demonym in it, else a known place.

    "Japan Bank for International Cooperation" -> JP, "Korean Council of Local Agenda 21" -> KR,
    "The University of Kitakyushu" -> JP. "United Nations ..." and "Asia and the Pacific" name no country.
    """
    raw = _clean(name)
    if not raw:
        return None
    index = _index()
    for regex, terms in ((index.name_regex, index.name_terms), (index.place_regex, index.place_terms)):
        found = _matches(raw, regex, terms)
        if found:
            return found[0][0]
    return None


def find_countries(text: str) -> list[tuple[str, int, int]]:
    """Country names in running text as (alpha-2, start, end); demonyms and places are not mentions."""
    if not text:
        return []
    index = _index()
    return _matches(text, index.text_regex, index.text_terms)
