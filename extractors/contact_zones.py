"""Contacts read from the document's structure, whatever its type and layout.

A contact section is a heading or label the role vocabulary calls a contact
("C.1 Contact person for the partnership", "Who to contact", "Person completing
this form", "Secretariat"). Under it the fields are either labelled, as in a form
("Name | Mr. Willy Kostka", "Telephone: +691 ..."), or printed as blocks: "Mr. A,
Coordinator / Branch, Body / P.O. Box ... / Tel: ...", or one paragraph "Body —
Prof. B, Director; street, city; tel. ...; e-mail ...". Each block is one contact.

The type extractors know their own layouts; these contacts complete theirs
(``merge_contacts``): a person they missed is added, a block they read without
its person is replaced, and one they read is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.contacts import (
    POSITION_THEN_PERSON,
    WEB_LINE,
    ContactDraft,
    cut_inline_fields,
    is_address_part,
    is_org_unit,
    is_position,
    looks_like_person,
    parse_contact_block,
    phone_and_fax,
    split_leading_organization,
    split_trailing_position,
    starts_with_person,
    strip_honorific,
)
from extractors.labels import line_text
from extractors.roles import contact_kind, field_kind
from extractors.structure import Zone, is_prose
from extractors.text import OffsetText, clean_value, fold, looks_like_acronym
from schemas.document import ParsedDocument, TextLine
from schemas.records import ContactRecord

_ORG_THEN_PERSON = re.compile(r"^(?P<org>[^—–]{3,120}?)\s+[—–]\s+(?P<rest>\S.*)$")
_HAS_FIELD = re.compile(r"@|\b(?:tel|phone|fax|telephone|p\.?\s?o\.?\s+box)\b|\+?\d[\d ()./-]{6,}", re.I)


def contacts_from_zones(
    doc: ParsedDocument, zones: Sequence[Zone], *, secretariat_only: bool = False
) -> list[ContactDraft]:
    """The contacts of every contact section. ``secretariat_only``: a report's contacts are its
    secretariat's, whoever they name (docs/GOLD.md)."""
    found: list[ContactDraft] = []
    kind: str | None = None
    current: ContactDraft | None = None
    read_tables: set[int] = set()  # tables read whole as contact grids
    office: OffsetText | None = None  # a heading that names the office itself ('APSP 2023 Secretariat')
    for index, zone in enumerate(zones):
        label = clean_value(zone.label).text if zone.label is not None else ""
        field = field_kind(label) if zone.source == "label" else None
        if field is not None and kind is not None:
            value = OffsetText.join([p.text for p in zone.pieces if p.text.text.strip()], ", ")
            if not value.text.strip():
                continue
            if current is None or _holds(current, field):
                current = ContactDraft(role=kind, evidence=[zone.label] if zone.label is not None else [])
                found.append(current)
            _fill(current, field, clean_value(value))
            continue
        if zone.source in ("heading", "label", "intro"):
            named = contact_kind(label) if zone.source != "intro" else None
            if named is None and zone.role == "contact":
                named = "focal_point"
            if (
                named is None
                and zone.source == "heading"
                and zone.role is None
                and zone.effective_role == "contact"
            ):
                # 'SafeMed Project — REMPEC' over a block under 'Contact': the block is still a contact.
                named = kind
            kind, current = named, None
            if kind is None:
                continue
            office = clean_value(zone.label) if zone.label is not None and _names_an_office(label) else None
            if secretariat_only and kind != "form_filler":
                kind = "secretariat"
        elif kind is None:
            continue
        following = zones[index + 1] if index + 1 < len(zones) else None
        tables = {line.table for line in _zone_lines(doc, zone, following) if line.table is not None}
        if tables:
            if tables <= read_tables:
                continue
            grid = _grid_contacts(doc, [line for line in doc.lines if line.table in tables], kind)
            if grid:
                read_tables |= tables
                found.extend(grid)
                continue
        for lines in _blocks_of(doc, zone, following):
            draft = _block_contact(lines, kind)
            if draft is not None:
                if office is not None and draft.name is None:
                    # The block under it gives the office's host and address, not the office.
                    draft.organization = OffsetText.join([o for o in (office, draft.organization) if o], ", ")
                    office = None
                found.append(draft)
    return [d for d in _people_joined_to_their_office(found) if _is_contact(d)]


def _people_joined_to_their_office(found: list[ContactDraft]) -> list[ContactDraft]:
    """'Pastoralist Communication Initiative / UN-OCHA Ethiopia, P.O. Box ...' then 'Contact: Ms. A,
    Unit / Tel: ...': a person with no body of their own, printed right after an office that gives
    no way to reach it, is that office's contact person; the two blocks are one contact."""
    joined: list[ContactDraft] = []
    for draft in found:
        office = joined[-1] if joined else None
        if (
            office is not None
            and office.name is None
            and office.organization is not None
            and not (office.email or office.phone_raw or office.fax_raw)
            and draft.name is not None
            and draft.organization is None
            and draft.address is None
        ):
            for attr in ("name", "position", "phone_raw", "fax_raw", "email"):
                setattr(office, attr, getattr(draft, attr))
            office.evidence.extend(draft.evidence)
            continue
        joined.append(draft)
    return joined


def _grid_contacts(doc: ParsedDocument, lines: Sequence[TextLine], kind: str) -> list[ContactDraft]:
    """Contacts of a table that holds one contact per column or per row.

    'Name | Ms. A | Mr. B' / 'Position | ... | ...' under a header row naming each column's
    contact ('Focal point | UNEP liaison'); or a header row of fields ('Name | Position |
    E-mail') over one row per contact. Read any other way, the cells of two contacts merge."""
    cells: dict[tuple[int, int], list[OffsetText]] = {}
    for line in lines:
        if line.table is None or line.row is None or line.col is None:
            continue
        text = line_text(doc, line)
        if text.text.strip():
            cells.setdefault((line.row, line.col), []).append(text)
    if not cells:
        return []
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})

    def value(row: int, col: int) -> OffsetText | None:
        parts = cells.get((row, col))
        return clean_value(OffsetText.join(parts, " ")) if parts else None

    def field_at(row: int, col: int) -> str | None:
        cell = value(row, col)
        return field_kind(cell.text) if cell is not None else None

    by_column = {r: f for r in rows if (f := field_at(r, cols[0])) is not None}
    by_row = {c: f for c in cols if (f := field_at(rows[0], c)) is not None}
    if len(by_column) >= 2 and len(cols) >= 3:
        header = [r for r in rows if r < min(by_column)]
        return [
            _grid_contact(
                next((k for r in header if (h := value(r, col)) and (k := contact_kind(h.text))), None)
                or kind,
                [(field, value(row, col)) for row, field in by_column.items()],
            )
            for col in cols[1:]
        ]
    if len(by_row) >= 2 and len(rows) >= 3:
        return [
            _grid_contact(kind, [(field, value(row, col)) for col, field in by_row.items()])
            for row in rows[1:]
        ]
    return []


def _grid_contact(role: str, cells: Sequence[tuple[str, OffsetText | None]]) -> ContactDraft:
    draft = ContactDraft(role=role, from_grid=True)
    for field, cell in cells:
        if cell is not None:
            _fill(draft, field, cell)
    return draft


def _holds(draft: ContactDraft, field: str) -> bool:
    if field in ("name", "name_position"):
        return draft.name is not None
    if field == "phone_fax":
        return draft.phone_raw is not None
    if field in ("phone", "fax"):
        return getattr(draft, f"{field}_raw") is not None
    return getattr(draft, field) is not None


def _fill(draft: ContactDraft, field: str, value: OffsetText) -> None:
    draft.evidence.append(value)
    if field in ("name", "name_position"):
        # 'Contact: Ms. A, Unit / Tel: ... E-mail: ...': the ways to reach her follow her name.
        value = clean_value(cut_inline_fields(draft, value))
        if not value.text:
            return
        parts = value.split_top_level(",") if field == "name_position" or "," in value.text else [value]
        name, _ = strip_honorific(clean_value(parts[0]))
        name, title_run = split_trailing_position(name)
        if not looks_like_person(name.text):
            parse_contact_block(draft, [value])  # 'Contact person: CITYNET Secretariat, Yokohama'
            return
        draft.name = name
        position = [p for p in (title_run, *parts[1:]) if p is not None]
        if position and draft.position is None:
            draft.position = clean_value(OffsetText.join(position, ", "))
    elif field == "phone_fax":
        draft.phone_raw, draft.fax_raw = phone_and_fax(value)
    elif field in ("phone", "fax"):
        setattr(draft, f"{field}_raw", value)
    elif field == "organization" and draft.address is None:
        # 'International Finance Corporation, 2121 Pennsylvania Avenue NW, Washington': the body,
        # then where it is.
        body, rest = split_leading_organization(value)
        if body is not None and rest.text.strip():
            draft.organization, draft.address = body, rest
        else:
            draft.organization = value
    else:
        setattr(draft, field, value)


def _names_an_office(label: str) -> bool:
    """'APSP 2023 Secretariat', 'ICID Central Office': an office's own name over its block, with
    an acronym and an office word, not a section's label ('Secretariat', 'Conference Secretariat')."""
    words = label.split()
    return len(words) >= 2 and is_org_unit(words[-1]) and any(looks_like_acronym(w) for w in words[:-1])


def _zone_lines(doc: ParsedDocument, zone: Zone, following: Zone | None) -> list[TextLine]:
    if not zone.pieces:
        return []
    start = min(p.text.start for p in zone.pieces)
    end = max(p.text.end for p in zone.pieces)
    if following is not None and following.label is not None:
        end = min(end, following.label.start)
    return [line for line in doc.lines if line.char_end > start and line.char_start < end]


def _blocks_of(doc: ParsedDocument, zone: Zone, following: Zone | None) -> list[list[OffsetText]]:
    """The zone's lines in blocks: a paragraph, a cell or a run of lines the writer kept together."""
    blocks: list[list[OffsetText]] = []
    previous: TextLine | None = None
    for line in _zone_lines(doc, zone, following):
        text = line_text(doc, line)
        if not text.text.strip():
            previous = None
            continue
        same = previous is not None and (previous.block, previous.table, previous.row, previous.col) == (
            line.block,
            line.table,
            line.row,
            line.col,
        )
        if not same or not blocks:
            blocks.append([])
        blocks[-1].append(text)
        previous = line
    # A PDF's layout may cut a block before its address: 'Mr. A / Coordinator' then 'P.O. Box ...'.
    merged: list[list[OffsetText]] = []
    for block in blocks:
        if merged and _starts_reach(block[0].text) and not any(_HAS_FIELD.search(t.text) for t in merged[-1]):
            merged[-1].extend(block)
        else:
            merged.append(block)
    return merged


def _starts_reach(text: str) -> bool:
    return bool(_REACH_LINE.match(text)) or _addressy_line(text)


_REACH_LINE = re.compile(r"^\s*(?:tel|phone|telephone|fax|e-?mail|p\.?\s?o\.?\s+box)\b", re.I)


def _addressy_line(text: str) -> bool:
    # '12 Some Road', 'Mizingani Street, P.O. Box 3298': a paragraph of its own in HTML.
    return is_address_part(text.split(",")[0])


def _block_contact(lines: list[OffsetText], kind: str) -> ContactDraft | None:
    lines = [line for line in lines if not WEB_LINE.match(line.text)]
    if not lines:
        return None
    if len(lines) == 1 and lines[0].text.count(";") >= 1:
        lines = [p for p in lines[0].split_top_level(";") if p.text.strip()]
    lines = _join_acronym_lines(lines)
    caption = None
    if len(lines) >= 3 and not starts_with_person(lines[0].text) and starts_with_person(lines[1].text):
        # 'SafeMed Project — REMPEC' / 'Mr. A, Project Officer' / body / address: a caption
        # over the person's block; the body it names is the contact's only when no other is.
        caption, lines = clean_value(lines[0]), lines[1:]
    first = clean_value(lines[0])
    if is_prose(first.text) and not _HAS_FIELD.search(first.text) and len(lines) == 1:
        return None  # 'Report prepared by the Secretariat, February 2005.' is a sentence
    titled = POSITION_THEN_PERSON.match(first.text)
    if titled and is_position(titled.group("position")) and starts_with_person(titled.group("rest")):
        # 'Head of the Conference Secretariat: Franz-Josef Batz'
        draft = ContactDraft(role=kind)
        parse_contact_block(draft, [clean_value(first.slice(titled.start("rest"))), *lines[1:]])
        if draft.position is None:
            draft.position = clean_value(first.slice(0, titled.end("position")))
        return draft
    organisation = None
    split = _ORG_THEN_PERSON.match(first.text)
    if split and starts_with_person(split.group("rest")):
        organisation = clean_value(first.slice(0, split.end("org")))
        first = clean_value(first.slice(split.start("rest")))
    head = first.split_top_level(",")
    if len(lines) > 1 and len(head) > 1 and starts_with_person(head[0].text):
        # 'Mr. A, Coordinator' over a body line and an address: the name and position are two parts
        rest = first.slice(first.text.index(",") + 1)
        parts = [head[0], clean_value(rest), *lines[1:]]
    else:
        parts = [first, *lines[1:]]
    draft = ContactDraft(role=kind)
    parse_contact_block(draft, parts)
    if organisation is not None:
        if draft.organization is not None and draft.address is None:
            draft.address = draft.organization
        draft.organization = organisation
    if caption is not None and draft.organization is None:
        draft.organization = caption
    if draft.name is None and draft.role == "focal_point":
        draft.role = "secretariat"  # an office to contact, no person named
    office = draft.organization.text if draft.organization else ""
    if draft.role == "focal_point" and contact_kind(office) == "secretariat":
        draft.role = "secretariat"  # 'Programme Office — Mr. A': the office's contact
    return draft


_ACRONYM_LINE = re.compile(r"^\s*\([A-Z][\w&./-]{1,15}\)\s*[.,;]?\s*$")


def _join_acronym_lines(lines: list[OffsetText]) -> list[OffsetText]:
    """A line that is only '(REMPEC)' ends the body name printed on the line before it."""
    joined: list[OffsetText] = []
    for line in lines:
        if joined and _ACRONYM_LINE.match(line.text):
            joined[-1] = OffsetText.join([joined[-1], line], " ")
        else:
            joined.append(line)
    return joined


def _is_contact(draft: ContactDraft) -> bool:
    """A contact names someone or some body and gives a way to reach them."""
    address = draft.address.text if draft.address is not None else ""
    postal = bool(re.search(r"\d", address)) and not is_prose(address)
    reachable = draft.email or draft.phone_raw or draft.fax_raw or postal
    return bool((draft.name or draft.organization) and reachable)


def merge_contacts(
    existing: list[ContactDraft], records: Sequence[ContactRecord], structured: list[ContactDraft]
) -> None:
    """Add the structure's contacts to a type extractor's: complete or replace, never repeat.

    ``records``: the contacts the extractor already made final (speakers, its own blocks)."""
    # A speaker may also be the secretariat's contact: one row per role (docs/GOLD.md).
    known = {(fold(r.name), r.role) for r in records if r.name}
    taken = [(r.char_start, r.char_end) for r in records]
    for new in structured:
        key = fold(new.name.text) if new.name is not None else None
        lo, hi = new.span()
        overlapping = [e for e in existing if e.evidence and e.span()[0] < hi and lo < e.span()[1]]
        if new.from_grid:
            if any(a < hi and lo < b for a, b in taken):
                continue
            for e in overlapping:
                if not e.from_grid:
                    existing.remove(e)
            existing.append(new)
            continue
        same = next(
            (e for e in existing if e.name is not None and fold(e.name.text) == key and e.role == new.role),
            None,
        )
        if same is not None:
            for attr in ("position", "organization", "address", "phone_raw", "fax_raw", "email"):
                if getattr(same, attr) is None and getattr(new, attr) is not None:
                    setattr(same, attr, getattr(new, attr))
            continue
        if key is not None and (key, new.role) in known:
            continue
        if any(a < hi and lo < b for a, b in taken):
            continue
        if any(e.name is not None for e in overlapping):
            continue
        if new.name is None and overlapping:
            continue  # an office the extractor read already
        for e in overlapping:
            existing.remove(e)
        existing.append(new)


__all__ = ["contacts_from_zones", "merge_contacts"]
