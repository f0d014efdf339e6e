"""Dates and date spans as ISO 8601 at the precision the text gives them.

"October 2002" is ``2002-10``, never ``2002-10-01``: a dataset that invents a
day misleads. Spans keep both ends ("2-4 August 2004" -> 2004-08-02..2004-08-04).
Regular expressions cover the forms partnership documents use; dateparser is
only a fallback for single field values, and its guesses about missing parts
are discarded.

Choices worth knowing (each has a test):

- "02/07/2004" is read day first (2 July), as in the Asia-Pacific and UN
  documents this pipeline reads; "07/25/2004" is unambiguous and read month first.
- "2005-07" with a plain hyphen is ISO year-month (July 2005); "2005–07" (en
  dash) or "2005 - 07" is the span 2005..2007; "1998-99" (no month 99) is a span.
- A bare year is a year only when it stands alone: not inside a phone number,
  postcode, identifier ("Room 2005", "Agenda 2030"), URL, amount or measure.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, field_validator

from extractors.normalize._data import load_data
from extractors.rules import common_rules

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_MAX_FIELD = 300
_SHORT_VALUE = 40  # dateparser second-guesses the patterns only on values this short
_MIN_YEAR, _MAX_YEAR = 1900, 2100

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WORD_NUMBERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_DASH_CHARS = "-‐‑‒–—−~"


def _m(name: str) -> str:
    return rf"(?<![^\W\d_])(?P<{name}>{_MONTH})(?:\.|(?![^\W\d_]))"


def _d(name: str) -> str:
    return rf"(?<![\d.,:])(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"


def _y(name: str) -> str:
    return rf"(?<!\d)(?P<{name}>19\d\d|20\d\d|2100)(?!\d)"


_SEP = rf"(?P<sep>\s*[{_DASH_CHARS}]{{1,2}}\s*|\s+(?:to|until|till|through|thru)\s+)"
_CS = r"(?:,\s*|\s+)"  # "July 2, 2004" / "July 2 2004"
_OF = r"(?:\s+of)?\s+"


@dataclass(frozen=True)
class DateMention:
    """A date or span found in text; ``text`` is ``input[offset:end_offset]``, the date as printed."""

    start: str
    end: str | None
    text: str
    offset: int
    end_offset: int


@dataclass(frozen=True)
class _Candidate:
    start: str
    end: str | None
    offset: int
    end_offset: int
    kind: str
    rank: int


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _first_day(iso: str) -> tuple[int, int, int]:
    parts = [int(p) for p in iso.split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _span(start: str | None, end: str | None) -> tuple[str, str | None] | None:
    """A valid (start, end); a span whose ends coincide is a point, one running backwards is nothing."""
    if start is None:
        return None
    if end is None or end == start:
        return (start, None)
    if _first_day(start) >= _first_day(end):
        return None
    return (start, end)


def _month(match: re.Match[str], group: str) -> int | None:
    value = match.groupdict().get(group)
    return _MONTHS[value[:3].casefold()] if value else None


def _int(match: re.Match[str], group: str) -> int | None:
    value = match.groupdict().get(group)
    return int(value) if value else None


def _day_month_span(match: re.Match[str]) -> tuple[str, str | None] | None:
    """Spans whose first half may lack its year or month: "28 October - 2 November 2003", "2-4 August 2004"."""
    y2 = _int(match, "y2")
    if y2 is None:
        return None
    m1, m2 = _month(match, "m1"), _month(match, "m2")
    m1, m2 = m1 or m2, m2 or m1  # "July 2-4, 2004" prints the month once, "2-4 August 2004" too
    d1, d2 = _int(match, "d1"), _int(match, "d2")
    end = _iso(y2, m2, d2)
    y1 = _int(match, "y1")
    if y1 is not None:
        return _span(_iso(y1, m1, d1), end)
    # "28 December - 3 January 2004": the first half is in the year before.
    year = y2 - 1 if m1 is not None and m2 is not None and m1 > m2 else y2
    return _span(_iso(year, m1, d1), end)


def _year_span(match: re.Match[str]) -> tuple[str, str | None] | None:
    return _span(_iso(int(match.group("y1"))), _iso(int(match.group("y2"))))


def _month_to_year_span(match: re.Match[str]) -> tuple[str, str | None] | None:
    """'May 2004 - 2010', '21 September 2016 – 2030': each end at the precision it is printed with."""
    start = _iso(int(match.group("y1")), _month(match, "m1"), _int(match, "d1"))
    return _span(start, _iso(int(match.group("y2"))))


def _short_year_span(match: re.Match[str]) -> tuple[str, str | None] | None:
    y1, yy = int(match.group("y1")), int(match.group("yy"))
    if match.group("sep") == "-" and 1 <= yy <= 12:
        return None  # "2005-07" is ISO year-month; the ym_iso pattern reads it
    end = y1 // 100 * 100 + yy
    if end <= y1:
        end += 100
    return _span(_iso(y1), _iso(end))


def _season_span(match: re.Match[str]) -> tuple[str, str | None] | None:
    """'2014/2015', '2014/15': a season or fiscal year over two years, never a day of December."""
    y1 = int(match.group("y1"))
    second = match.group("y2")
    end = int(second) if len(second) == 4 else y1 // 100 * 100 + int(second)
    if end != y1 + 1 and not (len(second) == 2 and end + 100 == y1 + 1):
        return None
    return _span(_iso(y1), _iso(y1 + 1))


def _point(match: re.Match[str]) -> tuple[str, str | None] | None:
    year = int(match.group("y1"))
    month = _month(match, "m1") or _int(match, "mo")
    return _span(_iso(year, month, _int(match, "d1")), None)


def _numeric_dmy(match: re.Match[str]) -> tuple[str, str | None] | None:
    a, b, year = int(match.group("a")), int(match.group("b")), int(match.group("y1"))
    if b <= 12:
        day, month = a, b  # day first, also when both could be months
    elif a <= 12:
        day, month = b, a
    else:
        return None
    return _span(_iso(year, month, day), None)


def _quarter(match: re.Match[str]) -> tuple[str, str | None] | None:
    year = int(match.group("y1"))
    word = match.group("qw")
    quarter = 4 if word and word.casefold() == "last" else _WORD_NUMBERS.get((word or "").casefold())
    quarter = quarter or _int(match, "qn")
    if quarter is None:
        return None
    # Like "mid-2003", a quarter names no month: the text is precise to the year (docs/GOLD.md).
    return _span(_iso(year), None)


def _half(match: re.Match[str]) -> tuple[str, str | None] | None:
    year = int(match.group("y1"))
    word = match.group("hw")
    half = _WORD_NUMBERS.get(word.casefold()) if word else _int(match, "hn")
    if half not in (1, 2):
        return None
    return _span(_iso(year), None)


_Handler = Callable[[re.Match[str]], tuple[str, str | None] | None]

# Order breaks ties between candidates of equal length: earlier patterns win.
_PATTERNS: list[tuple[str, str, _Handler]] = [
    ("dm_dmy", rf"{_d('d1')}{_OF}{_m('m1')}(?:{_CS}{_y('y1')})?{_SEP}{_d('d2')}{_OF}{_m('m2')}{_CS}{_y('y2')}",
     _day_month_span),
    ("md_mdy", rf"{_m('m1')}\s+{_d('d1')}(?:{_CS}{_y('y1')})?{_SEP}{_m('m2')}\s+{_d('d2')}{_CS}{_y('y2')}",
     _day_month_span),
    ("d_dmy", rf"{_d('d1')}{_SEP}{_d('d2')}{_OF}{_m('m2')}{_CS}{_y('y2')}", _day_month_span),
    ("md_dy", rf"{_m('m1')}\s+{_d('d1')}{_SEP}{_d('d2')}{_CS}{_y('y2')}", _day_month_span),
    ("my_my", rf"{_m('m1')}(?:{_CS}{_y('y1')})?{_SEP}{_m('m2')}{_CS}{_y('y2')}", _day_month_span),
    ("ymd", rf"{_y('y1')}(?P<s>[-/.])(?P<mo>1[0-2]|0?[1-9])(?P=s)(?P<d1>3[01]|[12]\d|0?[1-9])(?!\d)", _point),
    ("dmy_num", rf"(?<![\d.,])(?P<a>\d{{1,2}})(?P<s>[/.\-])(?P<b>\d{{1,2}})(?P=s){_y('y1')}", _numeric_dmy),
    ("dmy", rf"{_d('d1')}(?:{_OF}|-){_m('m1')}(?:{_CS}|-){_y('y1')}", _point),
    ("mdy", rf"{_m('m1')}\s+{_d('d1')}{_CS}{_y('y1')}", _point),
    ("ymd_words", rf"{_y('y1')}{_CS}{_m('m1')}\s+{_d('d1')}(?![\d,])", _point),
    ("dmy_y", rf"{_d('d1')}{_OF}{_m('m1')}{_CS}{_y('y1')}{_SEP}{_y('y2')}", _month_to_year_span),
    ("my_y", rf"{_m('m1')}{_CS}{_y('y1')}{_SEP}{_y('y2')}", _month_to_year_span),
    ("y_y", rf"{_y('y1')}{_SEP}{_y('y2')}", _year_span),
    ("y_yy", rf"{_y('y1')}{_SEP}(?P<yy>\d\d)(?!\d)", _short_year_span),
    ("y_season", rf"{_y('y1')}/(?P<y2>(?:19|20)\d\d|\d\d)(?!\d|[/.\-]\d)", _season_span),
    ("quarter",
     rf"(?<![^\W\d_])(?:(?P<qw>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+quarter(?:\s+of)?(?:\s+the\s+year)?"
     rf"|Q(?P<qn>[1-4]))[\s,]+{_y('y1')}", _quarter),
    ("half", rf"(?<![^\W\d_])(?:(?P<hw>first|second|1st|2nd)\s+half(?:\s+of)?(?:\s+the\s+year)?|H(?P<hn>[12]))"
     rf"[\s,]+{_y('y1')}", _half),
    ("my", rf"{_m('m1')}(?:{_CS}|-){_y('y1')}", _point),
    ("ym", rf"{_y('y1')}\s+{_m('m1')}", _point),
    ("ym_iso", rf"{_y('y1')}-(?P<mo>0[1-9]|1[0-2])(?!\d)", _point),
    ("y", _y("y1"), _point),
]  # fmt: skip
_COMPILED = [(kind, re.compile(pattern, re.I), handler) for kind, pattern, handler in _PATTERNS]
_YEAR_KINDS = frozenset({"y", "y_y", "y_yy", "y_season"})
# Patterns whose failure means an impossible date rather than a different reading.
_CALENDAR_KINDS = frozenset(
    {"dm_dmy", "md_mdy", "d_dmy", "md_dy", "my_my", "dmy_y", "my_y", "ymd", "dmy", "mdy", "ymd_words", "y_y"}
)

_JOIN = re.compile(rf"^(?:\s*[{_DASH_CHARS}]{{1,2}}\s*|\s+(?:to|until|till|through|thru)\s+)$", re.I)
_JOIN_AND = re.compile(r"^\s+and\s+$", re.I)
_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
_QUALIFIER = re.compile(
    r"(?<![^\W\d_])(?P<q>(?:(?:very\s+)?(?:early|late)|mid|middle(?:\s+of)?|end(?:\s+of)?|beginning(?:\s+of)?"
    r"|start(?:\s+of)?|spring|summer|autumn|fall|winter)(?:\s+of)?(?:\s+the)?[\s\-‐–]*)$",
    re.I,
)
_PHONE_BEFORE = re.compile(
    r"(?:\+|\(\s*\+?\d{1,4}\s*\)|\b(?:tel|phone|fax|mobile|cell)\b\W{0,3})[\d\s().\-]*$", re.I
)
_URLISH = re.compile(r"://|^www\.|@", re.I)
_RELATIVE = re.compile(
    r"\b(?:within|next|coming|following|after|over|for)\s+(?:the\s+)?(?:\w+\s+)?(?:years?|months?|weeks?|days?)\b",
    re.I,
)


class _ContextData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    comment: str = ""
    identifier_words: list[str]
    units: list[str]
    currency_marks: list[str]
    count_nouns: list[str]
    quantity_cues: list[str]

    @field_validator("identifier_words", "units", "currency_marks", "count_nouns", "quantity_cues")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not v.strip() for v in value):
            raise ValueError("empty word")
        return value


@dataclass(frozen=True)
class _Context:
    identifier_before: re.Pattern[str]
    currency_before: re.Pattern[str]
    unit_after: re.Pattern[str]
    count_after: re.Pattern[str]
    cue_before: re.Pattern[str]
    street_after: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    ordered = sorted({w.strip().casefold() for w in words}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


def _word(alternation: str) -> str:
    # Whole words, but symbols ("%", "$") need no word boundary.
    return rf"(?:(?<![^\W\d_])(?:{alternation})(?![^\W\d_]))"


@lru_cache(maxsize=1)
def _context() -> _Context:
    data = load_data("date_context.json", _ContextData)
    streets = [w for w in common_rules().street_words if w[:1].isalpha()]
    return _Context(
        identifier_before=re.compile(
            rf"{_word(_alternation(data.identifier_words))}\.?\s*(?:#|no\.?)?\s*$", re.I
        ),
        currency_before=re.compile(rf"{_word(_alternation(data.currency_marks))}\s*$", re.I),
        unit_after=re.compile(rf"^\s*{_word(_alternation(data.units))}", re.I),
        count_after=re.compile(rf"^\s+{_word(_alternation(data.count_nouns))}", re.I),
        cue_before=re.compile(rf"{_word(_alternation(data.quantity_cues))}\s+$", re.I),
        street_after=re.compile(rf"^(?:\s+[A-Z][\w'’.\-]*){{0,3}}\s+{_word(_alternation(streets))}", re.I),
    )


def _candidates(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    invalid: list[tuple[int, int]] = []
    for rank, (kind, regex, handler) in enumerate(_COMPILED):
        for match in regex.finditer(text):
            span = handler(match)
            if span is not None:
                found.append(_Candidate(span[0], span[1], match.start(), match.end(), kind, rank))
            elif kind in _CALENDAR_KINDS:
                invalid.append(match.span())
    # "31 February 2004" is a misprint, not February 2004; "2010-2005" is not 2010.
    return [
        c
        for c in found
        if not any(
            s <= c.offset and c.end_offset <= e and e - s > c.end_offset - c.offset for s, e in invalid
        )
    ]


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest first, then pattern order: "2-4 August 2004" beats its "4 August 2004"."""
    chosen: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.offset - c.end_offset, c.rank, c.offset)):
        if all(cand.end_offset <= c.offset or cand.offset >= c.end_offset for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.offset)


def _with_qualifier(text: str, cand: _Candidate) -> _Candidate:
    """A qualifier ("mid-2003", "early October 2002", "spring 2004") is part of the printed date."""
    if cand.end is not None or cand.start.count("-") == 2:
        return cand
    found = _QUALIFIER.search(text, max(0, cand.offset - 40), cand.offset)
    if found is None:
        return cand
    return _Candidate(cand.start, cand.end, found.start("q"), cand.end_offset, cand.kind, cand.rank)


def _merge(text: str, items: list[_Candidate]) -> list[_Candidate]:
    """Two points joined by a dash or "to" ("October 2002 - 2007") or by "between ... and" are one span."""
    merged: list[_Candidate] = []
    for cand in items:
        prev = merged[-1] if merged else None
        if prev is not None and prev.end is None and cand.end is None:
            gap = text[prev.end_offset : cand.offset]
            joined = _JOIN.match(gap) or (
                _JOIN_AND.match(gap) and _BETWEEN.search(text, max(0, prev.offset - 10), prev.offset)
            )
            span = _span(prev.start, cand.start) if joined else None
            if span is not None and span[1] is not None:
                kind = "y_y" if prev.kind == cand.kind == "y" else "span"
                merged[-1] = _Candidate(span[0], span[1], prev.offset, cand.end_offset, kind, prev.rank)
                continue
        merged.append(cand)
    return merged


def _token_around(text: str, start: int, end: int) -> str:
    """The white-space-delimited token holding text[start:end]."""
    left = re.search(r"\S*$", text[:start])
    right = re.match(r"\S*", text[end:])
    return (left.group() if left else "") + text[start:end] + (right.group() if right else "")


def _stands_alone(text: str, cand: _Candidate) -> bool:
    """False when the match is part of something else: a longer number, a phone, an identifier, a URL."""
    before = text[max(0, cand.offset - 2) : cand.offset]
    after = text[cand.end_offset : cand.end_offset + 2]
    previous = before[-1:]
    if previous and (previous.isalnum() or previous in "+_$¥€£#@"):
        return False
    if re.fullmatch(r"\d[\-./:,‐–]", before) or re.fullmatch(r"[\-./:,‐–]\d", after):
        return False
    if after[:1].isalnum() or after[:1] in ("%", "_", "@"):
        return False
    if _URLISH.search(_token_around(text, cand.offset, cand.end_offset)):
        return False
    if cand.kind not in _YEAR_KINDS:
        return True
    context = _context()
    line_start = text.rfind("\n", 0, cand.offset) + 1
    left = text[max(line_start, cand.offset - 40) : cand.offset]
    right = text[cand.end_offset : cand.end_offset + 60].split("\n", 1)[0]
    if context.identifier_before.search(left) or context.currency_before.search(left):
        return False
    if context.unit_after.search(right) or context.street_after.search(right):
        return False
    if context.count_after.search(right) and context.cue_before.search(left):
        return False
    if _PHONE_BEFORE.search(left) and re.search(r"\d", left):
        return False
    # "+81 3 2004 5678": a year between other digit groups on one line is a phone or an identifier.
    return not (cand.kind == "y" and (re.search(r"\d[ \t]$", left) or re.match(r"^[ \t]\d", right)))


def _mention(text: str, cand: _Candidate) -> DateMention:
    return DateMention(
        cand.start, cand.end, text[cand.offset : cand.end_offset], cand.offset, cand.end_offset
    )


def find_dates(text: str) -> list[DateMention]:
    """Every date or date span in ``text``, in order, at the precision printed."""
    if not text or not re.search(r"(?:19|20)\d\d|2100", text):
        return []
    selected = [_with_qualifier(text, c) for c in _select(_candidates(text))]
    return [_mention(text, c) for c in _merge(text, selected) if _stands_alone(text, c)]


# dateparser (fallback for odd forms in a single value) ---------------------------------------------

_RANGE_SPLIT = re.compile(rf"\s+(?:to|until|till|through|thru|[{_DASH_CHARS}]{{1,2}})\s+|\s*[–—]\s*", re.I)
_PERIOD_PRECISION = {"year": 1, "month": 2, "day": 3}


@lru_cache(maxsize=1)
def _dateparser() -> DateDataParser:
    # Imported on first use: dateparser is slow to import and most text never needs it.
    from dateparser.date import DateDataParser

    # No "timestamp" (a 10-digit number is not a date here) and no "relative-time" ("in two years"
    # is not a date); a missing year means no date rather than this year.
    return DateDataParser(
        languages=["en"],
        settings={
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["year"],
            "PREFER_DAY_OF_MONTH": "first",
            "DATE_ORDER": "DMY",
            "RETURN_TIME_AS_PERIOD": False,
        },
    )


def _dateparser_point(part: str) -> str | None:
    if not re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)|'\d\d\b|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d\d\b", part):
        return None
    if re.search(r"\d{5,}", part) or len(part) > 60:
        return None
    try:
        data = _dateparser().get_date_data(part)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd input
        return None
    when = data.date_obj if data else None
    if when is None or not _MIN_YEAR <= when.year <= _MAX_YEAR:
        return None
    # Precision comes from the text, not from dateparser's filled-in defaults.
    precision = _PERIOD_PRECISION.get(data.period or "day", 3)
    has_month = re.search(_MONTH, part, re.I) or re.search(r"\d{1,2}\s*[/.\-]\s*\d", part)
    if not has_month:
        precision = 1
    elif precision == 3 and not re.search(r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?!\d)", part):
        precision = 2
    if str(when.year) not in part and f"{when.year % 100:02d}" not in part:
        return None
    if precision == 1:
        return _iso(when.year)
    if precision == 2:
        return _iso(when.year, when.month)
    return _iso(when.year, when.month, when.day)


def _trimmed_bounds(text: str) -> tuple[int, int]:
    start = len(text) - len(text.lstrip(" \t\r\n:;,.-*•"))
    end = len(text.rstrip(" \t\r\n:;,.-*•"))
    return start, max(start, end)


def _fallback(text: str) -> DateMention | None:
    start, end = _trimmed_bounds(text)
    value = text[start:end]
    if not value or _RELATIVE.search(value):
        return None
    parts = _RANGE_SPLIT.split(value)
    if len(parts) == 2:
        first, second = _dateparser_point(parts[0]), _dateparser_point(parts[1])
        span = _span(first, second) if first and second else None
        if span is not None:
            return DateMention(span[0], span[1], value, start, end)
    point = _dateparser_point(value)
    return DateMention(point, None, value, start, end) if point else None


def parse_date(text: str) -> DateMention | None:
    """The date or span of a short field value ("Expected date of initiation: 2002 October").

    The first date the text prints wins; dateparser reads forms the patterns miss. Relative
    phrases ("within five years") are not dates.
    """
    text = (text or "")[:_MAX_FIELD]
    if not text.strip():
        return None
    found = find_dates(text)
    if found and (found[0].end is not None or found[0].start.count("-") == 2):
        return found[0]
    if not found:
        return _fallback(text)
    first = found[0]
    if len(text.strip()) > _SHORT_VALUE:
        return first
    # "July the 2nd, 2004": the patterns see only the year; dateparser may see the whole date.
    fallback = _fallback(text)
    if (
        fallback
        and fallback.end is None
        and fallback.start[:4] == first.start[:4]
        and len(fallback.start) > len(first.start)
    ):
        return fallback
    return first
