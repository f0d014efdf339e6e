"""Property tests: on any text the normalisers never raise and return only normalised values."""

from __future__ import annotations

import re
from datetime import date

import pycountry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.normalize import (
    DateMention,
    country_code,
    country_in_name,
    country_of_place,
    find_countries,
    find_dates,
    find_emails,
    find_phones,
    normalize_email,
    normalize_phone,
    parse_date,
)

_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_REGIONS = st.sampled_from([None, "JP", "TH", "KR", "US", "GB", "ZZ", "jp"])

# Text that looks like the documents: dates, phones, addresses and names mixed with noise.
_PIECES = st.sampled_from(
    [
        "2 July 2004", "2-4 August 2004", "October 2002", "2002 October", "2005-2010", "2005–07", "mid-2003",
        "Q3 2004", "13:00-13:10", "+81-93-582-3804", "(81) 93 582 3804", "093-582-3804", "803-8501", "ext. 5",
        "Tel/Fax:", "E-mail:", "x@y.org", "name [at] un [dot] org", "mailto:", "Japan", "Korea", "Kitakyushu City",
        "United Nations", "Agenda 21", "PDF: 45.1KB", "within five years", "31", "February", "29", "2100", "1899",
        "-", "–", "to", "and", "between", ",", ".", "(", ")", "/", " ", "\n", "0", "12", "99", "2004",
    ]
)  # fmt: skip
_DOCUMENTISH = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=14).map("".join)
_TEXT = st.one_of(st.text(max_size=80), _DOCUMENTISH)
_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _first_day(iso: str) -> date:
    parts = [int(p) for p in iso.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _check_mention(text: str, mention: DateMention) -> None:
    for value in (mention.start, mention.end):
        if value is None:
            continue
        assert _ISO.match(value), value
        _first_day(value)  # a real calendar date (raises otherwise)
        assert 1900 <= int(value[:4]) <= 2100
    if mention.end is not None:
        assert _first_day(mention.start) <= _first_day(mention.end)
        assert mention.start != mention.end
    assert 0 <= mention.offset <= mention.end_offset <= len(text)
    assert text[mention.offset : mention.end_offset] == mention.text


def _check_phone(value: str) -> None:
    assert value.strip() == value and value
    if value.startswith("+"):
        assert value[1:].isdigit()


def _check_country(code: str | None) -> None:
    assert code is None or pycountry.countries.get(alpha_2=code) is not None


@_SETTINGS
@given(_TEXT)
def test_find_dates(text: str) -> None:
    found = find_dates(text)
    for mention in found:
        _check_mention(text, mention)
    offsets = [m.offset for m in found]
    assert offsets == sorted(offsets)


@_SETTINGS
@given(_TEXT)
def test_parse_date(text: str) -> None:
    mention = parse_date(text)
    if mention is not None:
        _check_mention(text, mention)


@_SETTINGS
@given(_TEXT, _REGIONS)
def test_normalize_phone(text: str, region: str | None) -> None:
    value = normalize_phone(text, default_region=region)
    if value is not None:
        _check_phone(value)


@_SETTINGS
@given(_TEXT, _REGIONS)
def test_find_phones(text: str, region: str | None) -> None:
    for value, start, end in find_phones(text, default_region=region):
        _check_phone(value)
        assert 0 <= start < end <= len(text)


@_SETTINGS
@given(_TEXT)
def test_normalize_email(text: str) -> None:
    value = normalize_email(text)
    if value is not None:
        assert _EMAIL.match(value), value
        assert value == value.lower()


@_SETTINGS
@given(_TEXT)
def test_find_emails(text: str) -> None:
    for value, start, end in find_emails(text):
        assert _EMAIL.match(value) and value == value.lower()
        assert 0 <= start < end <= len(text)


@_SETTINGS
@given(_TEXT)
def test_countries(text: str) -> None:
    _check_country(country_code(text))
    _check_country(country_of_place(text))
    _check_country(country_in_name(text))
    for code, start, end in find_countries(text):
        _check_country(code)
        assert 0 <= start < end <= len(text)


@_SETTINGS
@given(
    st.builds(
        lambda a, b, c: f"{a} {b} {c}",
        st.text(max_size=10),
        st.sampled_from(["Japan", "Kitakyushu"]),
        st.text(max_size=10),
    )
)
def test_country_lookups_are_total_around_known_names(text: str) -> None:
    _check_country(country_in_name(text))
    _check_country(country_of_place(text))
