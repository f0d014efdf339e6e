"""Contact blocks: people's names, positions, organisations, addresses, phones, emails."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors import nlp
from extractors.normalize import find_countries, find_emails, normalize_email, normalize_phone
from extractors.rules import common_rules
from extractors.text import OffsetText, clean_value, fold, is_org_like

_NAME_TOKEN = re.compile(r"^[A-Z][a-z'’\-]+$|^[A-Z]\.$|^[A-Z][a-z]*-[A-Z][a-z]+$")


def looks_like_person(text: str) -> bool:
    """A personal name: 2-4 capitalised words, no organisation words (spaCy confirms when unsure)."""
    words = _strip_honorific(text).split()
    if not 2 <= len(words) <= 4 or is_org_like(text):
        return False
    if all(_NAME_TOKEN.match(w) or w.isupper() and len(w) > 1 for w in words):
        return True
    return nlp.is_person(text)


def _strip_honorific(text: str) -> str:
    honorifics = set(common_rules().honorifics)
    words = text.split()
    while words and words[0].casefold() in honorifics:
        words = words[1:]
    return " ".join(words)


def strip_honorific(text: OffsetText) -> tuple[OffsetText, str | None]:
    """'Professor Hidefumi Imura' -> ('Hidefumi Imura', 'Professor')."""
    honorifics = set(common_rules().honorifics)
    found: list[str] = []
    while True:
        words = text.text.split(maxsplit=1)
        if len(words) == 2 and words[0].casefold() in honorifics:
            found.append(words[0])
            text = text.slice(text.text.index(words[1], len(words[0]))).strip()
        else:
            break
    title = " ".join(found) if found else None
    return text, title


def is_position(text: str) -> bool:
    folded = fold(text)
    return any(folded == p or folded.startswith(p + " ") for p in common_rules().position_words)


def split_position_organization(value: OffsetText) -> tuple[OffsetText | None, OffsetText | None]:
    """'Deputy Director, Office X, City of Kitakyushu' -> position 'Deputy Director, Office X', org 'City of Kitakyushu'.

    Only the last comma part can be the organisation, and only when it names one.
    """
    value = clean_value(value)
    if not value.text:
        return None, None
    parts = value.split_top_level(",")
    if len(parts) >= 2 and _names_organisation(parts[-1].text) and not is_position(parts[-1].text):
        cut = value.text.rfind(parts[-1].text)
        position = clean_value(value.slice(0, cut))
        return (position or None), parts[-1]
    return value, None


def _names_organisation(text: str) -> bool:
    return is_org_like(text) or nlp.is_organisation(text)


@dataclass
class ContactDraft:
    """Fields of one contact block as found, before validation."""

    role: str
    name: OffsetText | None = None
    position: OffsetText | None = None
    organization: OffsetText | None = None
    address: OffsetText | None = None
    phone_raw: OffsetText | None = None
    fax_raw: OffsetText | None = None
    email: OffsetText | None = None
    evidence: list[OffsetText] = field(default_factory=list)

    def span(self) -> tuple[int, int]:
        starts = [e.start for e in self.evidence if e]
        ends = [e.end for e in self.evidence if e]
        return (min(starts), max(ends)) if starts else (0, 0)

    def is_empty(self) -> bool:
        return not any((self.name, self.organization, self.address, self.phone_raw, self.fax_raw, self.email))


def address_country(address: str | None) -> str | None:
    if not address:
        return None
    found = find_countries(address)
    return found[-1][0] if found else None


def phone_value(raw: OffsetText | None, region: str | None) -> str | None:
    if raw is None:
        return None
    return normalize_phone(raw.text, default_region=region)


def email_value(raw: OffsetText | None) -> str | None:
    if raw is None:
        return None
    value = normalize_email(raw.text)
    if value:
        return value
    found = find_emails(raw.text)
    return found[0][0] if found else None
