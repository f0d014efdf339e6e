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
    row_names_chair,
    split_position_organization,
    strip_honorific,
)
from extractors.labels import LabelMatcher, Segment, heading_run, largest_print, line_text, segment_lines
from extractors.lists import split_items
from extractors.meeting_event import meeting_event
from extractors.normalize import country_code, country_in_name, country_of_place
from extractors.offices import office_blocks
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
from schemas.records import PartnerRecord

_EVENT_KEYS = ("date", "venue", "date_venue")
_FILE_NOTE = re.compile(r"\b(pdf|powerpoint|ppt|doc|kb|mb|file|download|presentation \d)\b", re.I)
# "Name (Position, Organisation)", optionally followed by " – talk title" or ": talk title".
_SPEAKER_ITEM = re.compile(r"^(?P<name>[^()]{3,60}?)\s*\((?P<detail>[^()]+)\)+\s*(?:[-–—:].*)?$")


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
    meeting_event(ctx, segments, draft, title)
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
    elif (largest := largest_print(doc)) is not None:
        text = largest
    elif doc.lines:
        text = line_text(doc, doc.lines[0])
    else:
        return None
    for pattern in report_rules().title_noise_patterns:
        text = text.sub(re.compile(pattern, re.I))
    text = clean_value(collapse_ws(text))
    return text or None


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
        country = mention.country or country_in_name(mention.name) or country_of_place(mention.name)
        _add_partner(
            ctx,
            draft,
            name,
            mention.category,
            mention.acronym,
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


_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which|whose|where)\b")


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
        relative = _RELATIVE_CLAUSE.search(clause.text)
        if relative:
            clause = clause.slice(0, relative.start())  # '..., Executive Director of X, who opened ...'

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
        described = {columns.get(k) for k in ("name", "position", "organization")}
        others = [cell.text for col, cell in cells.items() if col not in described]
        contact = ContactDraft(
            role="chair" if row_names_chair(others) else role, name=name, evidence=list(cells.values())
        )
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
    if honorific and not match and not (parts and _is_position_text(parts[0].text)):
        # 'Prof. A, University of X': the honorific is the only post given.
        contact.position = OffsetText(honorific, value.pos[: len(honorific)])
        contact.organization = clean_value(detail)
        return contact
    if parts and _is_position_text(parts[0].text) and len(parts) > 1:
        contact.position = parts[0]
        contact.organization = clean_value(detail.slice(detail.text.index(parts[1].text, len(parts[0].text))))
    elif parts and _is_position_text(parts[0].text):
        # 'Researcher at the Stockholm Resilience Centre': one part may hold the post and its body.
        contact.position, contact.organization = split_position_organization(parts[0])
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
