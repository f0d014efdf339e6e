"""Dates and spans in free text and field values, at the precision the text prints."""

from __future__ import annotations

import pytest

from extractors.normalize import DateMention, find_dates, parse_date


def _spans(text: str) -> list[tuple[str, str | None, str]]:
    return [(m.start, m.end, m.text) for m in find_dates(text)]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # points at month precision, in every order and abbreviation
        ("October 2002", "2002-10", None),
        ("2002 October", "2002-10", None),
        ("Oct. 2002", "2002-10", None),
        ("Sept 2007", "2007-09", None),
        ("Sept. 2007", "2007-09", None),
        ("October, 2002", "2002-10", None),
        ("OCTOBER 2002", "2002-10", None),
        # a span whose ends are printed at different precisions keeps each
        ("May 2004 - 2010", "2004-05", "2010"),
        ("21 September 2016 – 2030", "2016-09-21", "2030"),
        ("from March 2003 to 2005", "2003-03", "2005"),
        # a season or fiscal year printed with a slash spans two years, and is no day of December
        ("2014/2015", "2014", "2015"),
        ("Risk Pool II covered the 2015/16 season.", "2015", "2016"),
        ("1999/00", "1999", "2000"),
        # points at day precision
        ("2 July 2004", "2004-07-02", None),
        ("July 2, 2004", "2004-07-02", None),
        ("2nd July 2004", "2004-07-02", None),
        ("2nd of July, 2004", "2004-07-02", None),
        ("28 October 2003", "2003-10-28", None),
        ("02-Jul-2004", "2004-07-02", None),
        ("2004 May 15", "2004-05-15", None),
        ("2004-07-02", "2004-07-02", None),
        ("2004/07/02", "2004-07-02", None),
        ("2004.07.02", "2004-07-02", None),
        # numeric day-month-year: day first; month first only when the day cannot be a month
        ("02/07/2004", "2004-07-02", None),
        ("07/25/2004", "2004-07-25", None),
        # years
        ("2010", "2010", None),
        ("mid-2003", "2003", None),
        ("early 2004", "2004", None),
        ("late 2004", "2004", None),
        ("spring 2004", "2004", None),
        # spans
        ("2005-2010", "2005", "2010"),
        ("2005–2010", "2005", "2010"),
        ("2005 - 2010", "2005", "2010"),
        ("2005 to 2010", "2005", "2010"),
        ("2-4 August 2004", "2004-08-02", "2004-08-04"),
        ("15-17 January 2005", "2005-01-15", "2005-01-17"),
        ("28 October - 2 November 2003", "2003-10-28", "2003-11-02"),
        ("28 October 2003 - 2 November 2003", "2003-10-28", "2003-11-02"),
        ("July 2-4, 2004", "2004-07-02", "2004-07-04"),
        ("October 28 - November 2, 2003", "2003-10-28", "2003-11-02"),
        ("October 2002 - September 2007", "2002-10", "2007-09"),
        ("October–December 2003", "2003-10", "2003-12"),
        ("October 2002-2007", "2002-10", "2007"),
        ("2 July 2004 - 5 August 2004", "2004-07-02", "2004-08-05"),
        ("first quarter of 2004", "2004", None),
        ("Q1 2004", "2004", None),
        ("Q4 2004", "2004", None),
        ("second half of 2005", "2005", None),
        ("1998-99", "1998", "1999"),
    ],
)
def test_single_date_forms(text: str, start: str, end: str | None) -> None:
    found = find_dates(text)
    assert [(m.start, m.end) for m in found] == [(start, end)]
    assert found[0].text == text[found[0].offset : found[0].end_offset]


def test_span_across_new_year_takes_the_year_before_for_its_first_half() -> None:
    assert _spans("28 December - 3 January 2004") == [
        ("2003-12-28", "2004-01-03", "28 December - 3 January 2004")
    ]


def test_text_is_the_date_as_printed_without_surrounding_words() -> None:
    assert _spans("from 2005 to 2010") == [("2005", "2010", "2005 to 2010")]
    assert _spans("between 2005 and 2010") == [("2005", "2010", "2005 and 2010")]
    assert _spans("Phase 1 (2005-2007)") == [("2005", "2007", "2005-2007")]
    assert _spans("at the end of 2004") == [("2004", None, "end of 2004")]


def test_short_second_year_choices() -> None:
    # A plain hyphen and a month number is ISO year-month; an en dash or spaced hyphen is a span.
    assert _spans("2005-07") == [("2005-07", None, "2005-07")]
    assert _spans("2005–07") == [("2005", "2007", "2005–07")]
    assert _spans("2005 - 07") == [("2005", "2007", "2005 - 07")]
    assert _spans("2005-15") == [("2005", "2015", "2005-15")]


def test_offsets_point_into_the_input() -> None:
    text = (
        "6th Thematic Seminar (2 July 2004, Kitakyushu, Japan), before the meeting held on 2-4 August 2004."
    )
    found = find_dates(text)
    assert [(m.start, m.end) for m in found] == [("2004-07-02", None), ("2004-08-02", "2004-08-04")]
    for mention in found:
        assert text[mention.offset : mention.end_offset] == mention.text


def test_several_dates_in_order() -> None:
    text = "Expected date of initiation: October 2002\nExpected date of completion: September 2007"
    assert [m.start for m in find_dates(text)] == ["2002-10", "2007-09"]


@pytest.mark.parametrize(
    "text",
    [
        "13:00-13:10",
        "15:00-15:20 United Nations Human Settlements Programme",
        "+81-45-210-4065",
        "Tel: +81 3 2004 5678",
        "(81) 93 2004 3804",
        "Kitakyushu, Japan 803-8501",
        "Japan 803-2010",
        "3-9-30 Asano, Kokurakita-ku",
        "Bangkok 10200 Thailand",
        "Agenda 21",
        "Resolution 2014/2017",  # a slash between years that do not follow each other is no season
        "Chapter 28 of Agenda 21",
        "Agenda 2030",
        "within five years",
        "PDF: 45.1KB",
        "Powerpoint: 1.94MB",
        "Room 2005",
        "US$ 2000",
        "2000 km",
        "more than 2000 participants",
        "2005 Main Street",
        "http://www.unescap.org/mced2000/kitakyushu.pdf",
        "http://www.example.org/2004/report.pdf",
        "2,005",
        "2005.5",
        "1990s",
        "31 February 2004",
        "2010-2005",
        "13/13/2004",
        "3000 participants from about 140 countries",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_a_year_in_prose_is_a_year() -> None:
    assert _spans("In 2004 participants met") == [("2004", None, "2004")]
    assert _spans("2010: with 5 years evaluation") == [("2010", None, "2010")]
    assert _spans("held in Rio de Janeiro in 1992") == [("1992", None, "1992")]


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2002 October", "2002-10", None),
        ("October 2002", "2002-10", None),
        ("September 2007", "2007-09", None),
        ("2010", "2010", None),
        ("2002-2008", "2002", "2008"),
        ("  October 2002.  ", "2002-10", None),
        # forms only dateparser reads; the precision still comes from the text
        ("July the 2nd, 2004", "2004-07-02", None),
        ("Oct.2,2004", "2004-10-02", None),
        ("2004, October 2", "2004-10-02", None),
        ("12/2004", "2004-12", None),
    ],
)
def test_parse_date(value: str, start: str, end: str | None) -> None:
    mention = parse_date(value)
    assert mention is not None
    assert (mention.start, mention.end) == (start, end)
    assert value[mention.offset : mention.end_offset] == mention.text


@pytest.mark.parametrize(
    "value",
    [
        "within five years",
        "the next five years",
        "Ongoing",
        "N/A",
        "",
        "   ",
        "1234567890",
        "tomorrow",
        "2 Jul 04",
    ],
)
def test_parse_date_rejects_non_dates(value: str) -> None:
    assert parse_date(value) is None


def test_parse_date_offsets_let_callers_cut_the_evidence() -> None:
    value = "2 July 2004, Kitakyushu International Conference Centre"
    mention = parse_date(value)
    assert mention == DateMention("2004-07-02", None, "2 July 2004", 0, 11)
    assert value[mention.end_offset :].startswith(", Kitakyushu")


def test_gold_dates() -> None:
    """Every date of the gold files, from the text its document prints."""
    assert parse_date("2002 October").start == "2002-10"  # aspro_sheet
    assert parse_date("2010").start == "2010"
    assert parse_date("October 2002").start == "2002-10"  # kanagawa_declaration_sheet
    assert parse_date("September 2007").start == "2007-09"
    cycle = "Second Cycle: 2005-2010 ... Phase 1 (2005-2007) Phase 2 (2007-2008) Phase 3 (2008-2010)"
    assert [(m.start, m.end) for m in find_dates(cycle)] == [
        ("2005", "2010"),
        ("2005", "2007"),
        ("2007", "2008"),
        ("2008", "2010"),
    ]
    assert find_dates("In September 2000, the Kitakyushu Initiative")[0].start == "2000-09"
    assert find_dates("28 October 2003, Kitakyushu International Conference Centre")[0].start == "2003-10-28"
    assert find_dates("(2 July 2004, Kitakyushu, Japan)")[0].start == "2004-07-02"
