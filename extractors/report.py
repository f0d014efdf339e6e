"""Seminar, workshop and meeting reports: the meeting, who took part, who spoke, whom to contact."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from extractors.common import Draft, ExtractionContext, websites
from extractors.contacts import (
    ContactDraft,
    address_country,
    looks_like_person,
    office_blocks,
    split_position_organization,
    strip_honorific,
)
from extractors.labels import LabelMatcher, Segment, heading_run, line_text, segment_lines
from extractors.lists import split_items
from extractors.normalize import country_code, country_in_name, country_of_place, find_dates, parse_date
from extractors.prose import OrgMention, acronym_map, find_triggered_orgs, resolve_acronym
from extractors.rules import common_rules, report_rules
from extractors.text import (
    OffsetText,
    clean_value,
    collapse_ws,
    fold,
    is_org_like,
    looks_like_acronym,
    trailing_parenthetical,
)
from schemas.document import TextLine
from schemas.records import DateRecord, EventRecord, PartnerRecord

_EVENT_KEYS = ("date", "venue", "date_venue")
_FILE_NOTE = re.compile(r"\b(pdf|powerpoint|ppt|doc|kb|mb|file|download|presentation \d)\b", re.I)
# "Name (Position, Organisation)", optionally followed by " – talk title" or ": talk title".
_SPEAKER_ITEM = re.compile(r"^(?P<name>[^()]{3,60}?)\s*\((?P<detail>[^()]+)\)+\s*(?:[-–—:].*)?$")
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


@lru_cache(maxsize=1)
def _matchers() -> LabelMatcher:
    return LabelMatcher(report_rules().labels)


def _policy(zone: str) -> list[tuple[str, LabelMatcher]]:
    return [("", _matchers())]


def _terminates(line: TextLine, zone: str) -> bool:
    return line.heading_level > 0


def extract_report(ctx: ExtractionContext) -> Draft:
    segments = segment_lines(ctx.doc, _policy, zone_of=lambda key: key, terminators=_terminates)
    draft = Draft()
    title = _title(ctx)
    if title is not None:
        draft.title = title.text
        draft.title_confidence = 0.9
    blocks = office_blocks(segments, block_keys=("secretariat",))
    org_countries = {fold(b.organization.text.split(",")[0]): b for b in blocks if b.organization}
    acronyms = acronym_map(
        ctx.doc.text, [b.organization.text.split(",")[0] for b in blocks if b.organization]
    )
    _event(ctx, segments, draft, title)
    _participants(ctx, segments, draft, acronyms, org_countries)
    _organisers(ctx, draft)
    _people(ctx, segments, draft)
    _countries_from_blocks(draft, org_countries)
    draft.contacts.extend(blocks)
    draft.websites.extend(websites(ctx))
    return draft


def _title(ctx: ExtractionContext) -> OffsetText | None:
    doc = ctx.doc
    index = next((i for i, line in enumerate(doc.lines) if line.heading_level == 1), None)
    if index is None:
        index = next((i for i, line in enumerate(doc.lines) if line.heading_level > 0), None)
    if index is not None:
        text = heading_run(doc, index)
    elif doc.lines:
        text = line_text(doc, doc.lines[0])
    else:
        return None
    for pattern in report_rules().title_noise_patterns:
        text = text.sub(re.compile(pattern, re.I))
    text = clean_value(collapse_ws(text))
    return text or None


def _segment(segments: Sequence[Segment], *keys: str) -> Segment | None:
    return next((s for s in segments if s.key in keys and s.values), None)


def _event(
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
        when, when_evidence, where = _held_on(ctx) or _dateline(ctx, title) or (None, None, where)
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
    venue, city, country = _split_venue(where)
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


def _held_on(ctx: ExtractionContext):
    """'The seminar was held on 24 November 2005 at the United Nations Conference Centre, Bangkok.'"""
    text = ctx.doc.text
    for match in _HELD.finditer(text[:6000]):
        window = OffsetText.at(text[match.end() : match.end() + 200], match.end())
        mention = parse_date(window.text[:60])
        if mention is None or mention.offset > 2:
            continue
        rest = window.slice(mention.end_offset)
        clock = _TIME_OF_DAY.match(rest.text)
        if clock:
            rest = rest.slice(clock.end())
        venue = re.match(r"\s*(?:,\s*)?(?:at|in)\s+(?:the\s+)?(?P<v>[^.;(]{3,160})", rest.text)
        where = clean_value(rest.slice(venue.start("v"), venue.end("v"))) if venue else None
        if where is not None:
            where = collapse_ws(where.slice(0, where.text.find("\n\n") if "\n\n" in where.text else None))
        if where is not None:
            # "... Bundeshaus Bonn (IKBB), the former plenary area ...": an apposition is no venue.
            where = clean_value(where.slice(0, _apposition_start(where.text)))
        return mention, window.slice(mention.offset, mention.end_offset), where
    return None


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


def _split_venue(where: OffsetText | None) -> tuple[str | None, str | None, str | None]:
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


def _participants(
    ctx: ExtractionContext,
    segments: Sequence[Segment],
    draft: Draft,
    acronyms: dict[str, str],
    org_blocks: dict[str, ContactDraft],
) -> None:
    noise = frozenset({"etc", "etc.", "and others", "others"})
    for segment in segments:
        if segment.key != "participants":
            continue
        for item in split_items(segment.values, segment.value_lines, group_patterns=[], noise=noise):
            _add_partner(
                ctx,
                draft,
                item.name,
                "participant",
                item.acronym,
                item.country,
                "report.label.participants",
                0.9,
            )
    _participation_prose(ctx, draft)
    _presenters(ctx, segments, draft, acronyms, org_blocks)


def _participation_prose(ctx: ExtractionContext, draft: Draft) -> None:
    """'...the participation of cities in Japan (Minamata, Sendai), as well as cities from Asia (Puchon (Korea))'."""
    text = ctx.doc.text
    for pattern in report_rules().participation_patterns:
        for match in re.finditer(pattern, text, re.I):
            group = match.group("group")
            group_country = country_in_name(group) if group else None
            listing = OffsetText.at(match.group("list"), match.start("list"))
            if looks_like_acronym(listing.text.strip()):
                continue  # 'as well as the Asian Development Bank (ADB)': an acronym, not a list
            for part in listing.split_top_level(",;"):
                name, paren = trailing_parenthetical(clean_value(part))
                country = country_code(paren.text) if paren else None
                if not name.text or not name.text[0].isupper():
                    continue
                _add_partner(
                    ctx,
                    draft,
                    name,
                    "participant",
                    None,
                    country or group_country or country_of_place(name.text),
                    "report.prose.participation",
                    0.75,
                )


def _presenters(
    ctx: ExtractionContext,
    segments: Sequence[Segment],
    draft: Draft,
    acronyms: dict[str, str],
    org_blocks: dict[str, ContactDraft],
) -> None:
    """Bodies that presented: a presenter column of a speakers table, or '(Body)' after a session title."""
    doc = ctx.doc
    for segment in segments:
        if segment.key == "speakers":
            rows = sorted(table_cells(segment).items())
            columns: dict[str, int] = {}
            for _key, cells in rows:
                header = header_columns(cells)
                if header:
                    columns = header
                    continue
                if columns:
                    org = cells.get(columns.get("organization", -1))
                    if (
                        org is not None
                        and clean_value(org).text
                        and not _named_already(draft, clean_value(org).text)
                    ):
                        _add_partner(
                            ctx,
                            draft,
                            clean_value(org),
                            "participant",
                            None,
                            None,
                            "report.table.presenter",
                            0.7,
                        )
            if columns:
                continue
            for value, line in zip(segment.values, segment.value_lines, strict=False):
                if line.table is None or not line.col or _FILE_NOTE.search(value.text):
                    continue
                parts = clean_value(value).split_top_level(",")
                if not parts or len(parts) > 2 or len(parts[0].text.split()) > 8:
                    continue
                country = country_code(parts[1].text) if len(parts) == 2 else None
                if len(parts) == 2 and country is None:
                    continue
                if _named_already(draft, parts[0].text) or "(" in parts[0].text:
                    continue  # 'Farhana Islam (Research Fellow, BCAS)' is a person, 'BORDA' a body listed already
                _add_partner(
                    ctx, draft, parts[0], "participant", None, country, "report.table.presenter", 0.7
                )
    agenda = {id(line) for s in segments if s.key == "programme" for line in s.value_lines}
    for line in doc.lines:
        if not (line.heading_level or line.table is not None or id(line) in agenda):
            continue
        text = line_text(doc, line)
        for match in re.finditer(r"\(([^()]{2,90})\)", text.text):
            inner = match.group(1).strip()
            if _FILE_NOTE.search(inner) or re.search(r"\d", inner):
                continue
            evidence = text.slice(match.start(1), match.end(1))
            if looks_like_acronym(inner):
                full = resolve_acronym(inner, acronyms)
                if full is None:
                    continue
                block = org_blocks.get(fold(full))
                country = _block_country(block) or country_in_name(full)
                _add_partner(
                    ctx,
                    draft,
                    OffsetText(full, evidence.pos[:1] * len(full)),
                    "participant",
                    inner,
                    country,
                    "report.presenter.acronym",
                    0.65,
                    evidence=evidence,
                )
            elif is_org_like(inner) and inner[0].isupper():
                _add_partner(
                    ctx,
                    draft,
                    evidence,
                    "participant",
                    None,
                    country_in_name(inner),
                    "report.presenter.heading",
                    0.65,
                )


def _named_already(draft: Draft, name: str) -> bool:
    """A presenter's body under a name the report already lists: 'BORDA', 'Ministry of Construction'."""
    wanted = fold(name)
    for partner in draft.partners:
        known = fold(partner.name)
        if wanted in (known, fold(partner.acronym or "")) or known.startswith(wanted + " "):
            return True
    return False


def _countries_from_blocks(draft: Draft, org_blocks: dict[str, ContactDraft]) -> None:
    """A body whose office address the report prints is in that address's country."""
    for partner in draft.partners:
        if partner.country is None:
            block = org_blocks.get(fold(partner.name))
            partner.country = _block_country(block)


def _block_country(block: ContactDraft | None) -> str | None:
    if block is None or block.address is None:
        return None
    return address_country(block.address.text)


def _add_partner(
    ctx: ExtractionContext,
    draft: Draft,
    name: OffsetText,
    category: str,
    acronym: str | None,
    country: str | None,
    method: str,
    confidence: float,
    *,
    evidence: OffsetText | None = None,
) -> None:
    clean = clean_value(name).text
    if len(clean) < 2:
        return
    for existing in draft.partners:
        if existing.category == category and fuzz.token_set_ratio(fold(existing.name), fold(clean)) >= 90:
            if existing.acronym is None and acronym:
                existing.acronym = acronym
            return
        if acronym and existing.acronym == acronym and existing.category == category:
            return
    record = ctx.facts.make(
        PartnerRecord,
        evidence or name,
        method=method,
        confidence=confidence,
        name=clean,
        acronym=acronym,
        category=category,
        country=country,
        lead=False,
    )
    if record:
        draft.partners.append(record)


def _organisers(ctx: ExtractionContext, draft: Draft) -> None:
    mentions: list[OrgMention] = find_triggered_orgs(ctx.doc.text, report_rules().partner_triggers)
    for mention in mentions:
        name = OffsetText.at(mention.name, mention.start)
        country = country_in_name(mention.name) or country_of_place(mention.name)
        _add_partner(
            ctx,
            draft,
            name,
            mention.category,
            None,
            country,
            f"report.prose.{mention.category}",
            mention.confidence,
        )


def _people(ctx: ExtractionContext, segments: Sequence[Segment], draft: Draft) -> None:
    """Speakers listed as 'Name (Position, Organisation)', chairs by label or beside the event details."""
    for segment in segments:
        if segment.key in ("speakers", "chair"):
            role = "chair" if segment.key == "chair" else "speaker"
            people, header_tables = _people_table(segment, role)
            draft.contacts.extend(people)
            kept = [
                (value, line)
                for value, line in zip(segment.values, segment.value_lines, strict=False)
                if line.table is None or line.table not in header_tables
            ]
            # An item wrapped inside its parenthesis ('Kim Sreang (Water Supply Engineer, Battambang' / '...)').
            items: list[OffsetText] = []
            for value, _line in kept:
                if items and items[-1].text.count("(") > items[-1].text.count(")"):
                    items[-1] = OffsetText.join([items[-1], value])
                else:
                    items.append(value)
            for value in items:
                contact = _person_line(value, role)
                if contact is not None:
                    draft.contacts.append(contact)
        elif segment.key in _EVENT_KEYS:
            # A lone 'Professor X, Org' line among the event details names its chair.
            for value in segment.values[1:]:
                contact = _person_line(value, "chair")
                if contact is not None:
                    draft.contacts.append(contact)
    _chaired_by(ctx, draft)


_CHAIRED_BY = re.compile(
    r"\b(?:was\s+|were\s+)?(?:co-)?(?:chaired|moderated|facilitated|presided over)\s+by\s+", re.I
)


def _chaired_by(ctx: ExtractionContext, draft: Draft) -> None:
    """'The seminar was chaired by Surapong Chantarasombat, Deputy Permanent Secretary, BMA.'"""
    text = ctx.doc.text
    known = {fold(c.name.text) for c in draft.contacts if c.name is not None}
    for match in _CHAIRED_BY.finditer(text):
        end = text.find(".", match.end())
        end = len(text) if end < 0 else end
        while end < len(text) and end - match.end() < 250 and re.match(r"\.[A-Z]\.", text[end - 1 : end + 2]):
            end = text.find(".", end + 1)  # an initial ("Jose T. Reyes") is not a sentence end
        clause = OffsetText.at(text[match.end() : end], match.end()).sub(re.compile(r"\s*\n\s*"), " ")
        for part in re.split(r"\s+and\s+(?=[A-Z])", clause.text)[:3]:
            start = clause.text.find(part)
            contact = _person_line(clause.slice(start, start + len(part)), "chair")
            if contact is not None and contact.name is not None and fold(contact.name.text) not in known:
                known.add(fold(contact.name.text))
                draft.contacts.append(contact)


_COLUMN_ROLES = {
    "name": (
        "name",
        "speaker",
        "speakers",
        "presenter",
        "panellist",
        "panelist",
        "participant",
        "resource person",
    ),
    "position": ("position", "title", "designation", "function", "role"),
    "organization": ("organisation", "organization", "affiliation", "institution", "agency", "city", "body"),
}


def table_cells(segment: Segment) -> dict[tuple[int, int], dict[int, OffsetText]]:
    """Cells of the tables in a segment: {(table, row): {col: text}}, wrapped cell lines joined."""
    rows: dict[tuple[int, int], dict[int, OffsetText]] = {}
    for value, line in zip(segment.values, segment.value_lines, strict=False):
        if line.table is None or line.row is None or line.col is None:
            continue
        row = rows.setdefault((line.table, line.row), {})
        row[line.col] = OffsetText.join([row[line.col], value]) if line.col in row else value
    return rows


def header_columns(cells: dict[int, OffsetText]) -> dict[str, int]:
    """Column roles from a header row ('Speaker | Position | Organisation'); empty if it is not one."""
    found: dict[str, int] = {}
    for col, text in cells.items():
        folded = fold(text.text).strip(" :")
        for role, names in _COLUMN_ROLES.items():
            if folded in names and role not in found:
                found[role] = col
    return found if "name" in found or "organization" in found else {}


def _people_table(segment: Segment, role: str) -> tuple[list[ContactDraft], set[int]]:
    """People in a table with a header row; also the tables that had one."""
    people: list[ContactDraft] = []
    columns: dict[str, int] = {}
    header_tables: set[int] = set()
    for (table, _row), cells in sorted(table_cells(segment).items()):
        header = header_columns(cells)
        if header:
            columns = header
            header_tables.add(table)
            continue
        if "name" not in columns or columns["name"] not in cells:
            continue
        name, _ = strip_honorific(clean_value(cells[columns["name"]]))
        if not looks_like_person(name.text):
            continue
        contact = ContactDraft(role=role, name=name, evidence=list(cells.values()))
        if "position" in columns and columns["position"] in cells:
            contact.position = clean_value(cells[columns["position"]]) or None
        if "organization" in columns and columns["organization"] in cells:
            contact.organization = clean_value(cells[columns["organization"]]) or None
        people.append(contact)
    return people, header_tables


def _person_line(value: OffsetText, role: str) -> ContactDraft | None:
    text = clean_value(value)
    # 'Day 1: Sok Chenda (Director, ...)', 'Moderator: ...': a short label before the person.
    label = _ITEM_LABEL.match(text.text)
    if label and not looks_like_person(label.group(1)):
        text = text.slice(label.end())
    match = _SPEAKER_ITEM.match(text.text)
    if match:
        name = text.slice(match.start("name"), match.end("name")).strip()
        detail = text.slice(match.start("detail"), match.end("detail")).strip()
    else:
        parts = text.split_top_level(",")
        if len(parts) < 2:
            return None
        name = parts[0]
        detail = text.slice(text.text.index(parts[1].text, len(parts[0].text)))
    name, honorific = strip_honorific(name)
    if not looks_like_person(name.text):
        return None
    contact = ContactDraft(role=role, name=name, evidence=[value])
    parts = detail.split_top_level(",")
    if honorific and not match:
        contact.position = OffsetText(honorific, value.pos[: len(honorific)])
        contact.organization = clean_value(detail)
        return contact
    if parts and _is_position_text(parts[0].text):
        contact.position = parts[0]
        rest = detail.slice(detail.text.index(parts[1].text, len(parts[0].text))) if len(parts) > 1 else None
        contact.organization = clean_value(rest) if rest is not None else None
    else:
        position, organization = split_position_organization(detail)
        contact.position, contact.organization = position, organization
    return contact


_ITEM_LABEL = re.compile(r"^([\w .'-]{1,24}?):\s+(?=[A-Z])")


def _is_position_text(text: str) -> bool:
    folded = fold(text)
    return any(
        folded == p or folded.startswith(p + " ") or folded.endswith(" " + p)
        for p in common_rules().position_words
    )
