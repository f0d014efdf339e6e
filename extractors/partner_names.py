"""A partner's name, screened and tidied: whether a candidate names a body at all, and the last
look every partner's name gets, whichever stage found it.

Split from ``bodies`` (the candidate and role stages) because these read one name at a time and
know nothing of zones or roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from extractors.contacts import is_position
from extractors.country_runs import country_runs
from extractors.normalize import country_code
from extractors.roles import is_role_label
from extractors.rules import common_rules
from extractors.text import OffsetText, fold, is_org_like, looks_like_acronym, trailing_parenthetical
from schemas.records import PartnerRecord

_DATE_IN = re.compile(
    r"\b(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(?:\d{1,2},?\s+)?(?:19|20)\d{2}\b"
)
_NOT_BODIES = frozenset(
    ["none", "none listed", "n/a", "na", "tbd", "tba", "to be confirmed", "various", "others", "etc"]
)


@lru_cache(maxsize=1)
def _org_heads() -> frozenset[str]:
    return frozenset(common_rules().org_head_words)


def plausible_body(name: str) -> bool:
    """A body's name, not a heading word, a placeholder, a fragment of a sentence or a dated phrase."""
    text = name.strip()
    if len(text) < 2 or not (text[0].isupper() or text[0].isdigit()):
        return False
    if fold(text).strip(".") in _NOT_BODIES:
        return False
    words = text.split()
    if is_role_label(text):
        return False  # a heading word ('Background', 'SPEAKERS'), not a body
    if country_code(text):
        return True  # 'Côte d'Ivoire', 'Lao PDR'

    if (words[-1][:1].islower() and words[-1] not in _org_heads()) or re.match(
        r"(?i)^(?:in|on|at|for|with|by|from|to|as|also|this|these|its)\b", text
    ):
        return False  # a piece of a sentence ('Asian Development Bank and UN-HABITAT also', 'In addition')
    if "," in text and is_position(text):
        return False  # 'Deputy Mayor, Chittagong City Corporation': a person's position and body
    if ": " in text or (" " not in text and fold(text) in _org_heads()):
        return False  # a label and its value, or a generic word ('Secretariat', 'University')
    if re.match(r"^(?:Section|Part|Annex|Table|Page|Chapter)\b", text) or text.endswith(
        ("&", " and", " of", " for")
    ):
        return False
    if "@" in text or _PHONE_OR_NUMBER.match(text):
        return False  # an email, a phone number or a form's item number ('B.5')
    numbered = _ITEM_NUMBER.match(text)
    if numbered and is_role_label(text[numbered.end() :]):
        return False  # 'B.1 Governments': a numbered section label
    return not _DATE_IN.search(text)


_PHONE_OR_NUMBER = re.compile(
    r"(?i)^(?:tel|phone|fax|mobile)\b|^[\d\s()+./-]+$|^[A-Z]?\d{0,2}(?:\.\d{1,2})+\.?$"
)
_ITEM_NUMBER = re.compile(r"^(?:[A-Z]|\d{1,2})(?:\.\d{1,2})+\.?\s+|^[A-Z]\.\s+")
# 'Global Environment Facility (GEF) — Phases I and II', 'NEPAD – endorsement of Phase II':
# what follows a spaced dash describes the body; 'Coordination — the Ministry of X' names it after a label.
_SPACED_DASH = re.compile(r"\s+[—–]\s+|\s+-\s+(?=[a-z(])")
_DESCRIPTION = re.compile(r"^(?:[a-z(]|[Pp]hases?\b|(?:19|20)\d{2}\b)")
_NAMED_AFTER = re.compile(r"^the\s+(?=[A-Z])")
_JOINED = re.compile(r"\s+(?:and the|through the|through its|via the)\s+(?=[A-Z])")


def tidy_partners(partners: list[PartnerRecord], people: Iterable[str]) -> list[PartnerRecord]:
    """Last look at every partner's name, whichever stage found it.

    A description after a dash is dropped, a label before one ('Coordination — the Ministry')
    too; 'A and the B' / 'A through the B' name two bodies; a person among the contacts is no body.
    """
    persons = {fold(p) for p in people}
    tidied: list[PartnerRecord] = []
    for partner in partners:
        countries = _country_run(partner.name)
        if countries:
            # 'The Bahamas Barbados Belize', 'Tanzania and Uganda in East Africa': countries a
            # layout or a sentence ran together, each a partner of its own.
            tidied.extend(
                partner.model_copy(update={"name": n, "country": c, "acronym": None}) for n, c in countries
            )
            continue
        for name in _names_in(partner.name):
            if fold(name) in persons:
                continue
            acronym = partner.acronym
            bare, paren = trailing_parenthetical(OffsetText.at(name, 0))
            if paren is not None and looks_like_acronym(paren.text) and bare.text:
                name, acronym = bare.text, acronym or paren.text
            if name != partner.name and not plausible_body(name):
                continue
            update = {"name": name, "acronym": acronym} if name != partner.name else {}
            tidied.append(partner.model_copy(update=update) if update else partner)
    return tidied


_REGION_TAIL = re.compile(r"\s+in\s+(?:the\s+)?[A-Z][\w\s-]{2,40}$")


_GOVERNMENTS_OF = re.compile(r"^(?:the\s+)?governments\s+of\s+", re.I)


def _country_run(name: str) -> list[tuple[str, str]] | None:
    """(name, code) of each country, when a partner's name is countries and nothing else."""
    if country_code(name):
        return None
    # 'Governments of Switzerland and Austria': the plural names each country's government.
    bare = _GOVERNMENTS_OF.sub("", _REGION_TAIL.sub("", name))
    runs = country_runs(OffsetText.at(bare, 0))
    if len(runs) < 2:
        return None
    rest = bare
    for item in runs:
        rest = rest.replace(item.name.text, " ", 1)
    if re.sub(r"\b(?:and|the|The)\b|[\s,;&]", "", rest):
        return None  # 'Mexico and the Caribbean Argentina': something besides countries
    return [(item.name.text, item.country or "") for item in runs if item.country]


def _names_in(name: str) -> list[str]:
    dash = _SPACED_DASH.search(name)
    if dash:
        left, right = name[: dash.start()].strip(), name[dash.end() :].strip()
        if _NAMED_AFTER.match(right) and len(left.split()) <= 3 and not is_org_like(left):
            name = _NAMED_AFTER.sub("", right)
        elif _DESCRIPTION.match(right) and not looks_like_acronym(right.split()[0]):
            name = left
    parts = _JOINED.split(name)
    if len(parts) == 2 and all(is_org_like(p) or looks_like_acronym(p.split()[0]) for p in parts):
        return [p.strip() for p in parts]
    return [name]


__all__ = ["plausible_body", "tidy_partners"]
