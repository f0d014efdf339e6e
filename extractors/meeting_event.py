"""The meeting a report is about: when and where it was held (labelled fields, a 'was held on'
sentence, or a dateline under the title), split into venue, city and country."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.common import Draft, ExtractionContext
from extractors.labels import Segment, heading_run, line_text
from extractors.normalize import country_code, country_in_name, country_of_place, find_dates, parse_date
from extractors.rules import common_rules
from extractors.text import OffsetText, clean_value, collapse_ws, is_org_like, trailing_parenthetical
from schemas.records import DateRecord, EventRecord

# "was held on", "met from", "took place on", "convened in", then a date (a weekday may come first).
_HELD = re.compile(
    r"\b(?:(?:was|were|will be|is)\s+(?:held|convened|organi[sz]ed)|met|took place|takes place|convened)"
    r"\s+(?:on\s+|from\s+|in\s+|during\s+|between\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?",
    re.I,
)
# After the date: a time of day, then "in/at" the venue.
_TIME_OF_DAY = re.compile(
    r"^\s*,?\s*(?:from\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.))?(?:\s*(?:to|-|–)\s*\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?)?",
    re.I,
)


def _segment(segments: Sequence[Segment], *keys: str) -> Segment | None:
    return next((s for s in segments if s.key in keys and s.values), None)


def meeting_event(
    ctx: ExtractionContext, segments: Sequence[Segment], draft: Draft, title: OffsetText | None
) -> None:
    date_seg = _segment(segments, "date", "date_venue")
    venue_seg = _segment(segments, "venue")
    when = None
    when_evidence: OffsetText | None = None
    where: OffsetText | None = None
    if date_seg is not None:
        first = date_seg.values[0]
        mention = parse_date(first.text)
        if mention is not None:
            when = mention
            when_evidence = first.slice(mention.offset, mention.end_offset)
            if date_seg.key == "date_venue":
                where = clean_value(first.slice(mention.end_offset))
                if not where.text and len(date_seg.values) > 1:
                    where = clean_value(date_seg.values[1])
    if when is None and venue_seg is None:
        when, when_evidence, where = _held_or_dateline(ctx, title) or (None, None, where)
    if venue_seg is not None:
        where = clean_value(venue_seg.values[0])
    if when is None and ctx.doc.lines:
        # "6th Thematic Seminar ... (2 July 2004, Kitakyushu, Japan)"
        head = heading_run(ctx.doc, 0)
        found = find_dates(head.text)
        if found:
            when = found[0]
            when_evidence = head.slice(when.offset, when.end_offset)
    if when is None and where is None:
        return
    venue, city, country = split_venue(where)
    if venue is None and city is not None:
        venue = _venue_near(ctx, when_evidence, city)
    name = title.text if title is not None else None
    evidence = when_evidence or where or title
    # Set by the checks above (a date's evidence or the venue); the type cannot tell.
    assert evidence is not None
    event = ctx.facts.make(
        EventRecord,
        evidence,
        method="report.event_fields",
        confidence=0.85 if when is not None else 0.6,
        name=name,
        start=when.start if when else None,
        end=when.end if when else None,
        venue=venue,
        city=city,
        country=country,
    )
    if event:
        draft.events.append(event)
    if when is not None and when_evidence is not None:
        date = ctx.facts.make(
            DateRecord,
            when_evidence,
            method="report.event_date",
            confidence=0.9,
            role="event",
            start=when.start,
            end=when.end,
            text=when.text,
        )
        if date:
            draft.dates.append(date)


def _held_or_dateline(ctx: ExtractionContext, title: OffsetText | None):
    """The sentence saying when and where the meeting was held, else the dateline under the title.

    'Colombo, Sri Lanka, 27-30 May 2014' under the title and 'The inauguration took place on 27
    May 2014 at the Grand Oriental Hotel': the sentence dates one day of the span, so the
    dateline gives the dates and its place the city, the sentence the venue."""
    held, dateline = _held_on(ctx), _dateline(ctx, title)
    if held is None or dateline is None:
        return held or dateline
    day, span = held[0], dateline[0]
    if (
        day.end is None
        and span.end is not None
        and day.start is not None
        and span.start is not None
        and span.start <= day.start <= span.end
    ):
        where = held[2]
        place = dateline[2]
        if place is not None and (where is None or split_venue(where)[1] is None):
            where = OffsetText.join([where, place], ", ") if where is not None else place
        return span, dateline[1], where
    return held


def _held_on(ctx: ExtractionContext):
    """'The seminar was held on 24 November 2005 at the United Nations Conference Centre, Bangkok.'"""
    text = ctx.doc.text
    for match in _HELD.finditer(text[:6000]):
        window = OffsetText.at(text[match.end() : match.end() + 200], match.end())
        mention = parse_date(window.text[:60])
        if mention is None or mention.offset > 2:
            placed = _VENUE_THEN_DATE.match(window.text)
            dated = parse_date(window.text[placed.end() : placed.end() + 60]) if placed else None
            if placed is None or dated is None or dated.offset > 2:
                continue
            # 'was held at FAO headquarters in Rome, Italy, from 21 to 23 March 2017'
            evidence = window.slice(placed.end() + dated.offset, placed.end() + dated.end_offset)
            venue_text = clean_value(window.slice(placed.start("v"), placed.end("v")))
            return dated, evidence, venue_text.sub(_IN_CITY, ", ")  # 'FAO headquarters in Rome, Italy'
        rest = window.slice(mention.end_offset)
        clock = _TIME_OF_DAY.match(rest.text)
        if clock:
            rest = rest.slice(clock.end())
        venue = _VENUE_AFTER_DATE.match(rest.text)
        where = clean_value(rest.slice(venue.start("v"), venue.end("v"))) if venue else None
        if where is not None:
            where = collapse_ws(where.slice(0, where.text.find("\n\n") if "\n\n" in where.text else None))
            clause = _NEXT_CLAUSE.search(where.text)
            if clause is not None:  # '... at the Grand Oriental Hotel and began with a procession'
                where = where.slice(0, clause.start())
        if where is not None:
            # "... Bundeshaus Bonn (IKBB), the former plenary area ...": an apposition is no venue.
            where = clean_value(where.slice(0, _apposition_start(where.text))).sub(_IN_CITY, ", ")
        return mention, window.slice(mention.offset, mention.end_offset), where
    return None


_NEXT_CLAUSE = re.compile(
    r",?\s+and\s+(?=(?:[a-z]+ed|began|was|were|brought|drew|took|met|saw|heard|ran|closed|opened)\b)"
)
_VENUE_THEN_DATE = re.compile(
    r"(?:at|in)\s+(?:the\s+)?(?P<v>[^.;()]{3,120}?),?\s+(?:on|from|between)\s+(?=\d)"
)


# '... on the campus of the University of X': the venue after the date, however introduced.
_VENUE_AFTER_DATE = re.compile(
    r"\s*(?:,\s*)?(?:at|in|on\s+the\s+(?:campus|premises|grounds)\s+of)\s+(?:the\s+)?(?P<v>[^.;(]{3,160})"
)
# 'FAO headquarters in Rome', 'the University of X, in the city of Y': the city after the venue.
_IN_CITY = re.compile(r",?\s+in\s+(?:the\s+(?:city|town|village)\s+of\s+)?(?=[A-Z])")


def _apposition_start(text: str) -> int:
    found = re.search(r",\s+(?:the|a|an|which|where|its)\s", text)
    return found.start() if found else len(text)


def _dateline(ctx: ExtractionContext, title: OffsetText | None = None):
    """'Bonn, Germany, 1-4 June 2004' printed as a short line under the title.

    A dateline above the title ('Athens, 8 June 2012' beside a document symbol) dates the
    document, not the meeting: one under the title wins when there is one.
    """
    doc = ctx.doc
    title_end = title.end if title is not None else -1
    found = []
    for line in doc.lines[1:14]:
        text = line_text(doc, line)
        if len(text.text.split()) > 12 or line.table is not None:
            continue
        mention = parse_date(text.text)
        if mention is None or mention.start is None or len(mention.start) < 7:
            continue
        place = clean_value(
            OffsetText.join([text.slice(0, mention.offset), text.slice(mention.end_offset)], " ")
        )
        found.append(
            (line.char_start >= title_end, mention, text.slice(mention.offset, mention.end_offset), place)
        )
    if not found:
        return None
    _, mention, evidence, place = max(found, key=lambda f: f[0])  # the first under the title, else the first
    return mention, evidence, place or None


def _venue_near(ctx: ExtractionContext, when: OffsetText | None, city: str) -> str | None:
    """The venue a dateline or sentence leaves out: the short line right under 'San José, Costa Rica,
    5-8 September 2005' ('Hotel Barceló San José Palacio'), or 'at the Ramses Hilton Hotel in Cairo'."""
    doc = ctx.doc
    if when is not None:
        line = doc.line_at(when.start)
        index = doc.lines.index(line) if line is not None else -1
        if 0 <= index < len(doc.lines) - 1:
            below = doc.lines[index + 1]
            text = clean_value(line_text(doc, below)).text
            if (
                below.table is None
                and 0 < len(text.split()) <= 8
                and _is_venue(text)
                and not find_dates(text)
            ):
                return text
    at = re.search(
        rf"\bat\s+(?:the\s+)?(?P<venue>[A-Z][^,.;:()\n]{{2,80}}?)\s*,?\s+in\s+{re.escape(city)}\b",
        doc.text[:8000],
    )
    if at and _is_venue(at.group("venue")):
        return at.group("venue")
    return None


def _is_venue(text: str) -> bool:
    words = {w.casefold() for w in re.findall(r"[\w'-]+", text)}
    return bool(words & common_rules().venue_words)


_REGION = re.compile(
    r"\b(?:Province|Prefecture|State|Region|County|District|Governorate|Zone|Oblast|Department)$"
)


def split_venue(where: OffsetText | None) -> tuple[str | None, str | None, str | None]:
    """'Kitakyushu International Conference Centre (Kitakyushu, Japan)' -> venue, city, country."""
    if where is None or not where.text:
        return None, None, None
    name, paren = trailing_parenthetical(where)
    parts = [p.text for p in (paren.split_top_level(",") if paren else name.split_top_level(","))]
    venue_text = name.text if paren is not None else (parts[0] if parts else None)
    if paren is None:
        parts = parts[1:]
    country = None
    city = None
    city_index = len(parts)
    for index in range(len(parts) - 1, -1, -1):
        part = parts[index]
        code = country_code(part)
        if code and country is None:
            country = code
        elif (city is None or _REGION.search(city)) and part:
            # 'Kunming, Yunnan Province, China': the city comes before its province.
            city = re.sub(r"\s*\d{3,}.*$", "", part).strip() or city
            city_index = index
    if paren is None and venue_text and (city is None or _REGION.search(city)) and _is_place_name(venue_text):
        # 'Turmi, South Omo Zone, Ethiopia', 'San José, Costa Rica': a town, no venue named.
        return None, venue_text, country or country_of_place(venue_text)
    if paren is None and venue_text and 0 < city_index < len(parts):
        # The venue is every part before the city: 'Committee Room 5, Sandton Convention Center'.
        venue_text = ", ".join([venue_text, *parts[:city_index]])
    if city is None and venue_text and paren is None:
        last = venue_text.split()[-1]
        if len(venue_text.split()) > 1 and _is_city(last, country):
            city = last  # 'International Congress Centre Bundeshaus Bonn
    if country is None and city:
        country = country_of_place(city)
    if city is None and venue_text and paren is None and _is_city(venue_text, country):
        # 'Yokohama, Japan': a city and its country, no venue named.
        return None, venue_text, country
    if country is None and venue_text:
        country = country_in_name(venue_text)
    return (venue_text or None), city, country


def _is_place_name(text: str) -> bool:
    """A short capitalised name with no venue or organisation word: a town, known or not."""
    words = text.split()
    return (
        0 < len(words) <= 3
        and text[:1].isupper()
        and not _is_venue(text)
        and not is_org_like(text)
        and not re.search(r"\d", text)
    )


def _is_city(text: str, country: str | None) -> bool:
    """A bare place name (no venue words) that the places list knows, in the country given."""
    if len(text.split()) > 3 or is_org_like(text) or re.search(r"\d", text):
        return False
    place = country_of_place(text)
    return place is not None and (country is None or place == country)
