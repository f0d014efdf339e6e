"""Phone and fax numbers (E.164 or as printed) and e-mail addresses."""

from __future__ import annotations

import pytest

from extractors.normalize import (
    classify_phone_label,
    find_emails,
    find_phones,
    normalize_email,
    normalize_phone,
)

# --- phones -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+81-45-210-4065", None, "+81452104065"),
        ("+81-45-210-8845", None, "+81452108845"),
        ("+81-93-582-3804", None, "+81935823804"),
        ("+81 93 582 3804", None, "+81935823804"),
        ("+81 (0)93 582 3804", None, "+81935823804"),
        ("+81 093 582 3804", None, "+81935823804"),
        ("(81) 93 582 3804", None, "+81935823804"),
        ("(+66) 2 288 1234", None, "+6622881234"),
        ("Tel/Fax: +66 2 288 1234 ext. 5", None, "+6622881234"),
        ("+66 2 288 1234 x12", None, "+6622881234"),
        ("0081-3-1234-5678", None, "+81312345678"),
        ("81-93-582-3804", None, "+81935823804"),
        ("+62-31-5312144", None, "+62315312144"),
        ("+63 32 255 1234", None, "+63322551234"),
        ("+82 31 249 1234", None, "+82312491234"),
        ("+1 (212) 555-1234", None, "+12125551234"),
        ("Phone: +81-93-582-3804/5", None, "+81935823804"),
        ("+81-93-582-3804, +81-93-582-3805", None, "+81935823804"),
        ("+81-93-582-3804 (direct)", None, "+81935823804"),
        ("＋８１－９３－５８２－３８０４", None, "+81935823804"),
        # national numbers with a known region
        ("093-582-3804", "JP", "+81935823804"),
        ("(093) 582 3804", "JP", "+81935823804"),
        ("Tel. 093 582 3804 ext. 12", "jp", "+81935823804"),
        ("(212) 555-1234", "US", "+12125551234"),
        ("0081 93 582 3804", "TH", "+81935823804"),
        # no country code and no region: as printed, without label and extension
        ("093-582-3804", None, "093-582-3804"),
        ("Tel: (093) 582 3804 ext. 12", None, "(093) 582 3804"),
        ("582-3804 (office)", None, "582-3804"),
    ],
)
def test_normalize_phone(raw: str, region: str | None, expected: str) -> None:
    assert normalize_phone(raw, default_region=region) == expected


@pytest.mark.parametrize(
    "raw", ["", "hello", "12", "Tel:", "+999 1234 5678", "call me maybe 12345678", "1" * 30]
)
def test_normalize_phone_rejects_garbage(raw: str) -> None:
    assert normalize_phone(raw) is None


def test_gold_phones() -> None:
    assert normalize_phone("+81-93-582-2196") == "+81935822196"  # aspro_sheet fax
    assert normalize_phone("+81-45-210-4052") == "+81452104052"  # kanagawa form filler


@pytest.mark.parametrize(
    ("label", "kinds"),
    [
        ("Phone", {"phone"}),
        ("Tel", {"phone"}),
        ("Tel.", {"phone"}),
        ("Telephone", {"phone"}),
        ("Telephone number", {"phone"}),
        ("Fax", {"fax"}),
        ("Fax no.", {"fax"}),
        ("Facsimile", {"fax"}),
        ("Tel/Fax", {"phone", "fax"}),
        ("Tel / Fax No.:", {"phone", "fax"}),
        ("Phone & Fax", {"phone", "fax"}),
        ("Phone and fax", {"phone", "fax"}),
        ("Mobile", {"phone"}),
        ("Cell", {"phone"}),
        ("E-mail", set()),
        ("Address", set()),
    ],
)
def test_classify_phone_label(label: str, kinds: set[str]) -> None:
    assert classify_phone_label(label) == kinds


CONTACT_BLOCK = """Address: Jonai 1-1, Kokurakita-ku, Kitakyushu, Japan 803-8501
Phone: +81-93-582-3804
Fax: +81-93-582-2196
3-9-30 Asano, Kokurakita-ku Kitakyushu City 802-0001 Japan
Second Cycle: 2005-2010, 13:00-13:10, PDF: 45.1KB, Bangkok 10200 Thailand, 2004-07-02
Tel: 093-582-3804 (ext. 12); call (81) 93 582 3804 or 0081-3-1234-5678.
Tel/Fax: +66 2 288 1234 ext. 5 / +66 2 288 1235"""


def test_find_phones_without_region() -> None:
    found = find_phones(CONTACT_BLOCK)
    assert [value for value, _, _ in found] == [
        "+81935823804",
        "+81935822196",
        "093-582-3804",
        "+81935823804",
        "+81312345678",
        "+6622881234",
        "+6622881235",
    ]
    assert [CONTACT_BLOCK[s:e] for _, s, e in found][:3] == [
        "+81-93-582-3804",
        "+81-93-582-2196",
        "093-582-3804",
    ]


def test_find_phones_with_region_normalises_national_numbers() -> None:
    values = [value for value, _, _ in find_phones(CONTACT_BLOCK, default_region="JP")]
    assert values[2] == "+81935823804"
    assert "+818038501" not in values and "+818020001" not in values  # postcodes stay postcodes


@pytest.mark.parametrize(
    "text",
    ["Kitakyushu, Japan 803-8501", "Second Cycle: 2005-2010", "13:00-13:10", "2004-07-02", "3-9-30 Asano"],
)
def test_find_phones_ignores_non_phones(text: str) -> None:
    assert find_phones(text) == []
    assert find_phones(text, default_region="JP") == []


# --- emails -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("reiji_hitsumoto01@mail2.city.kitakyushu.jp", "reiji_hitsumoto01@mail2.city.kitakyushu.jp"),
        ("kankyokeikaku.0502@pref.kanagawa.jp", "kankyokeikaku.0502@pref.kanagawa.jp"),
        ("Kitakyushu-Initiative@IGES.or.jp", "kitakyushu-initiative@iges.or.jp"),
        ("E-mail: takaku.jxwn@pref.kanagawa.jp", "takaku.jxwn@pref.kanagawa.jp"),
        ("mailto:X@Y.org", "x@y.org"),
        ("mailto:a@b.org?subject=Partnership", "a@b.org"),
        ("<info@iges.or.jp>", "info@iges.or.jp"),
        ("(escap-esdd-evs@un.org)", "escap-esdd-evs@un.org"),
        ("x@y.org.", "x@y.org"),
        ("name [at] domain [dot] org", "name@domain.org"),
        ("name(at)domain.org", "name@domain.org"),
        ("Name {at} iges {dot} or {dot} jp", "name@iges.or.jp"),
        ("name at domain dot org", "name@domain.org"),
        ("john.smith AT un DOT org", "john.smith@un.org"),
        ("name @ domain . org", "name@domain.org"),
    ],
)
def test_normalize_email(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "hello", "meet at the hall", "foo@bar", "a@b.c", "a..b@c.org", "@iges.or.jp"]
)
def test_normalize_email_rejects_non_addresses(raw: str) -> None:
    assert normalize_email(raw) is None


def test_find_emails() -> None:
    text = (
        "Email: escap-esdd-evs@un.org. Or write to Kitakyushu-Initiative@IGES.or.jp, or john [at] un [dot] org, "
        "or jane at unep dot org; we meet at noon. mailto:x@y.org"
    )
    found = find_emails(text)
    assert [value for value, _, _ in found] == [
        "escap-esdd-evs@un.org",
        "kitakyushu-initiative@iges.or.jp",
        "john@un.org",
        "jane@unep.org",
        "x@y.org",
    ]
    assert [text[s:e] for _, s, e in found][:3] == [
        "escap-esdd-evs@un.org",
        "Kitakyushu-Initiative@IGES.or.jp",
        "john [at] un [dot] org",
    ]


def test_find_emails_ignores_prose() -> None:
    assert find_emails("We will meet at the hall at noon; look at the dot matrix.") == []
