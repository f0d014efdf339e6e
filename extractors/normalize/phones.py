"""Phone and fax numbers as E.164 ("+81452104065").

A number is E.164 when its country code is printed ("+81", "0081", "(81)") or
the caller knows the region (a Japanese address makes "093-582-3804" Japanese).
Otherwise the number stays as printed, without its label and extension: the
dataset must not invent a country.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractors.normalize._data import load_data
from extractors.normalize.dates import find_dates

_MAX_INPUT = 200
_MIN_DIGITS = 6
_MAX_DIGITS = 17  # E.164 allows 15; a printed trunk "(0)" or carrier prefix adds a couple
_LABEL_KINDS = ("phone", "fax")

_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "．": "."})
_EXTENSION = re.compile(
    r"[\s,;]*\(?\s*(?:ext(?:ension)?|ex|x|extn|内線|#)\s*\.?\s*:?\s*(?P<ext>\d{1,6})\s*\)?\s*$", re.I
)
_NOTE = re.compile(r"\s*\([^()]*[^\W\d_][^()]*\)\s*$")  # "(office)", "(direct)"
_ALTERNATE = re.compile(r"(?<=\d)\s?/\s?\d{1,4}$")  # "3804/5": the same line, last digit 4 or 5
_SEVERAL = re.compile(r"\s*(?:[,;]|\s/\s|\s(?:or|and)\s)\s*", re.I)
_PHONE_CHARS = re.compile(r"^[\d\s()+.\-/]+$")
_INTL_PREFIX = re.compile(r"^\(?\s*(?:\+|00(?=\s?[1-9]))")
_PAREN_CC = re.compile(r"^\(\s*(?P<cc>[1-9]\d{0,2})\s*\)\s*(?P<rest>\d.*)$")
_PAREN_CC_AREA = re.compile(r"^\(\s*(?P<cc>[1-9]\d{0,2})\s*-\s*(?P<area>\d{1,4})\s*\)\s*(?P<rest>\d.*)$")
_BARE_CC = re.compile(r"^(?P<cc>[1-9]\d{0,2})[\s.\-](?P<rest>\d.*)$")

# A run of digit groups; the label, extension and plausibility checks come after.
_CANDIDATE = re.compile(
    r"(?<![\w+/.,:-])"
    r"(?:\+[ \t]?|\([ \t]?\+?[ \t]?\d{1,4}[ \t]?\)[ \t]?|\([ \t]?\+[ \t]?)?"
    r"\(?\d{1,6}\)?(?:(?:[ \t.\-‐–]|[ \t]?/[ \t]?(?=\d{2,}))?[ \t]?\(?\d{1,6}\)?){1,8}"
    r"(?![\w/.,:-]\d|\d)"
)


class _LabelData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    comment: str = ""
    phone: list[str] = Field(min_length=1)
    fax: list[str] = Field(min_length=1)
    connectors: list[str]
    noise: list[str]

    @field_validator("phone", "fax", "connectors", "noise")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not v.strip() for v in value):
            raise ValueError("empty label word")
        return value


@dataclass(frozen=True)
class _Labels:
    kinds: dict[str, frozenset[str]]  # folded label word -> {"phone"} / {"fax"}
    splitter: re.Pattern[str]
    noise: frozenset[str]
    before_number: re.Pattern[str]  # a label just before a number on the same line


def _fold_label(text: str) -> str:
    return " ".join(
        unicodedata.normalize("NFKC", text).casefold().replace(".", " ").replace(":", " ").split()
    )


@lru_cache(maxsize=1)
def _labels() -> _Labels:
    data = load_data("phone_labels.json", _LabelData)
    kinds: dict[str, set[str]] = {}
    for kind in _LABEL_KINDS:
        for word in getattr(data, kind):
            kinds.setdefault(_fold_label(word), set()).add(kind)
    words = sorted(kinds, key=len, reverse=True)
    alternation = "|".join(r"\s*".join(re.escape(part) for part in w.split()) for w in words)
    connectors = "|".join(
        re.escape(c) if not c.isalpha() else rf"\b{re.escape(c)}\b" for c in data.connectors
    )
    return _Labels(
        kinds={k: frozenset(v) for k, v in kinds.items()},
        splitter=re.compile(rf"\s*(?:{connectors})\s*"),
        noise=frozenset(_fold_label(n) for n in data.noise),
        before_number=re.compile(
            rf"(?<![^\W\d_])(?:{alternation})\.?(?:\s*(?:[/&+,]|and|or)\s*(?:{alternation})\.?)*"
            r"\s*(?:no\.?|number|#)?\s*[:.\-]?\s*$",
            re.I,
        ),
    )


def classify_phone_label(label: str) -> set[str]:
    """Which numbers a label introduces: "Tel/Fax" -> {"phone", "fax"}, "Mobile" -> {"phone"}, "Email" -> set()."""
    labels = _labels()
    folded = _fold_label(label).strip(" -*•")
    if not folded or len(folded) > 60:
        return set()
    if folded in labels.kinds:
        return set(labels.kinds[folded])
    found: set[str] = set()
    for part in labels.splitter.split(folded):
        words = [w for w in part.split() if w not in labels.noise]
        key = " ".join(words)
        if key in labels.kinds:
            found |= labels.kinds[key]
        else:
            for word in words:
                found |= labels.kinds.get(word, frozenset())
    return found


def _strip_label(text: str) -> str:
    # What precedes the first digit, "+" or "(" must be a label ("Tel/Fax:", "Phone (office):", "T").
    first = re.search(r"[+\d]|\(\s*[+\d]", text)
    if first is None:
        return ""
    head = text[: first.start()]
    if not head:
        return text
    if len(head) > 40 or not (head.rstrip().endswith((":", "：")) or classify_phone_label(head)):
        return ""  # words before the number that are not a label: not a phone value
    return text[first.start() :]


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).translate(_DASHES)
    text = " ".join(text.split()).strip(" |")  # 'Tel: +254 20 762 3120 | Fax: ...' cut at the next label
    text = _strip_label(text)
    text = _SEVERAL.split(text, maxsplit=1)[0] if _SEVERAL.search(text) else text
    for _ in range(2):
        text = _NOTE.sub("", text)
        text = _EXTENSION.sub("", text)
    text = _ALTERNATE.sub("", text)
    return text.strip(" .,;:-/")


def _e164(number: phonenumbers.PhoneNumber) -> str | None:
    national = str(number.national_number)
    if not 4 <= len(national) <= 14:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _international(text: str) -> str | None:
    body = re.sub(r"^\(?\s*(?:\+|00)\s*", "+", text)
    # The trunk prefix some print after the country code: "+81 (0)93 ...".
    body = re.sub(r"\(\s*0\s*\)", "", body)
    number = _parse(body, None)
    if number is None:
        return None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if (
        reason == phonenumbers.ValidationResult.TOO_LONG
        or reason == phonenumbers.ValidationResult.INVALID_COUNTRY_CODE
    ):
        return None
    # Numbering plans change: a number printed with its country code keeps it even when today's plan
    # finds it a digit short.
    return _e164(number)


def _with_country_code(cc: str, rest: str, *, possible: bool = False) -> str | None:
    """``possible``: the text marks the country code itself, so an old numbering plan is no doubt."""
    if phonenumbers.region_code_for_country_code(int(cc)) == "ZZ":
        return None
    number = _parse(f"+{cc} {rest}", None)
    if number is not None and (
        phonenumbers.is_valid_number(number) or (possible and phonenumbers.is_possible_number(number))
    ):
        return _e164(number)
    return None


def normalize_phone(raw: str, default_region: str | None = None) -> str | None:
    """E.164 form of one printed number; as printed when no country code is known; None for non-numbers.

    Handles "+81-93-582-3804", "0081-3-1234-5678", "(81) 93 582 3804", "Tel/Fax: +66 2 288 1234 ext. 5",
    and "093-582-3804" with ``default_region="JP"``. With several numbers, the first one counts.
    """
    if not raw or len(raw) > _MAX_INPUT:
        return None
    text = _clean(raw)
    if not text or not _PHONE_CHARS.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
        return None
    region = default_region.upper() if default_region else None
    if region is not None and region not in phonenumbers.SUPPORTED_REGIONS:
        region = None

    if _INTL_PREFIX.match(text):
        return _international(text)
    area = _PAREN_CC_AREA.match(text)
    if area and phonenumbers.region_code_for_country_code(int(area.group("cc"))) != "ZZ":
        # '(62-21) 522-5641': country code and area code in the parenthesis, whatever the region
        value = _with_country_code(
            area.group("cc"), f"{area.group('area')} {area.group('rest')}", possible=True
        )
        if value:
            return value
    if region is not None:
        number = _parse(text, region)
        if number is not None and (
            phonenumbers.is_valid_number(number) or phonenumbers.is_possible_number(number)
        ):
            value = _e164(number)
            if value:
                return value
    paren = _PAREN_CC.match(text)
    if paren:
        value = _with_country_code(paren.group("cc"), paren.group("rest"))
        if value:
            return value
    bare = _BARE_CC.match(text)
    if bare and region is None:
        value = _with_country_code(bare.group("cc"), bare.group("rest"))
        if value:
            return value
    return text


def _looks_like_date(candidate: str) -> bool:
    covered = sum(m.end_offset - m.offset for m in find_dates(candidate))
    return covered >= 0.6 * len(candidate.strip())


def find_phones(text: str, default_region: str | None = None) -> list[tuple[str, int, int]]:
    """Phone-like numbers in text as (normalised value, start, end).

    A number without a printed country code counts only after a phone label ("Tel:") or when it has
    the shape of a national number (trunk "0", nine digits or more); ``default_region`` then makes it
    E.164. So postcodes ("803-8501"), years ("2005-2010") and addresses ("3-9-30") are not phones.
    """
    if not text:
        return []
    labels = _labels()
    found: list[tuple[str, int, int]] = []
    for match in _CANDIDATE.finditer(text):
        candidate = match.group().rstrip(" \t.-/")
        start = match.start()
        if candidate.count(")") > candidate.count("("):
            candidate = candidate.rstrip(")").rstrip()
        if candidate.count("(") > candidate.count(")"):
            trimmed = candidate.lstrip("( ")
            start += len(candidate) - len(trimmed)
            candidate = trimmed
        end = start + len(candidate)
        digits = re.sub(r"\D", "", candidate)
        if not 7 <= len(digits) <= 15 or _looks_like_date(candidate):
            continue
        value = normalize_phone(candidate, default_region)
        if value is None:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        labelled = bool(labels.before_number.search(text[max(line_start, start - 40) : start]))
        # Without a label, only a number whose country code is printed, or that has the shape of a
        # national number, is a phone: not one made plausible only by the caller's region.
        international = value.startswith("+") and (
            default_region is None or normalize_phone(candidate, None) == value
        )
        national = candidate.startswith("0") and len(digits) >= 9
        if labelled or international or national:
            found.append((value, start, end))
    return found
