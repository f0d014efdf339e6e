"""Speakers and chairs of a reported meeting, from the document's structure and sentences.

A person is printed as "H.E. Rachmat Witoelar (State Minister of Environment,
Government of Indonesia)", "Professor Hidefumi Imura, Institute for Global
Environmental Strategies (IGES)" or "Kong Ha — Chairperson, CAI-Asia". They
are speakers or chairs when the zone they stand in says so (a heading or
introducing sentence with a speaker or chair role) or the sentence around them
does (opened, spoke, presented, chaired ...). People named in any other role
are not contacts (``docs/GOLD.md``), so a name without such a context is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors import nlp
from extractors.common import Draft, ExtractionContext
from extractors.contacts import (
    is_position,
    looks_like_person,
    row_names_chair,
    split_position_organization,
    strip_honorific,
)
from extractors.normalize import seat_of
from extractors.roles import section_role
from extractors.rules import common_rules
from extractors.structure import Piece, Zone, is_prose
from extractors.text import (
    UPPER,
    OffsetText,
    clean_value,
    fold,
    is_org_like,
    looks_like_acronym,
    sentence_spans,
)
from schemas.records import ContactRecord

# An honorific run, then 2-4 capitalised name words (initials and hyphens allowed).
_NAME = rf"(?P<name>(?:[A-Z][a-z]{{0,3}}\.?\s+|H\.\s?E\.\s+|Professor\s+)*(?:{UPPER}[\w'’\-]*\.?\s+){{1,3}}{UPPER}[\w'’\-]+)"
# 'Name (Post, Body)': the detail in brackets right after the name.
_BRACKETED = r"\s*\((?P<detail>[^()]{2,140})\)"
_WITH_PAREN = re.compile(_NAME + _BRACKETED)
_WITH_COMMA = re.compile(
    r"^(?:[^—–:]{0,150}?\s[—–:-]\s+)?" + _NAME + r"\s*(?:,|\s[—–-]\s)\s*(?P<detail>[^;]{2,160})$"
)
# 'was chaired by Mr. A, Principal Secretary ...', 'statements were made by B, Minister ...; C, ...'
_BY_PEOPLE = re.compile(
    r"\b(?:chaired|co-chaired|moderated|opened|closed|presented|made|delivered|given|addressed|welcomed|"
    r"introduced|facilitated|presentations|statements|remarks|talks|keynotes)\s+(?:jointly\s+)?by\s+"
)
_LEADING_PERSON = re.compile(r"^" + _NAME + r"(?:\s*,\s*(?P<detail>[^;]{2,200}?))?\s*[.;]?\s*$")
_SPEAKER_VERBS = re.compile(
    r"\b(?:opened|spoke|speaking|said|presented|presenting|presentations?|addressed|welcomed|delivered|stressed|"
    r"noted|explained|introduced|highlighted|argued|underlined|remarks|keynote|speech(?:es)?|statements?|panel(?:list)?s?|"
    r"reviewed|described|outlined|briefed|summari[sz]ed|emphasi[sz]ed|"
    # said of the person, not of their work: 'X reported', never 'the work of X was recalled'
    r"(?<!was\s)(?<!were\s)(?<!been\s)(?:reported|recalled|urged|called\s+for|spoke\s+on|pointed\s+out|linked))\b",
    re.I,
)
# 'chaired', 'the chair': not a post someone holds elsewhere ('in her capacity as co-chair of the
# Network of Women Ministers', 'Vice-Chair of the Board').
_CHAIR_VERBS = re.compile(
    r"(?<![-\w])(?:chaired|chairs?|co-chaired|moderated|moderator|presided)\b(?!\s+of\s+(?:the\s+)?(?-i:[A-Z]))",
    re.I,
)
_ACADEMIC = frozenset(["professor", "prof.", "prof"])
SPEAKER_CONFIDENCE = 0.8


def _person(match: re.Match[str], text: OffsetText) -> tuple[OffsetText, str | None, OffsetText] | None:
    name = text.slice(match.start("name"), match.end("name"))
    if re.search(r"[A-Z][\w'’\-]*\s+$", text.text[: match.start("name")]):
        return None  # the tail of a longer capitalised run ('... Global Environmental Strategies (IGES)')
    bare, honorific = strip_honorific(name)
    if not looks_like_person(bare.text) or section_role(bare.text) is not None:
        return None
    detail = text.slice(match.start("detail"), match.end("detail"))
    if honorific is None and looks_like_acronym(detail.text.strip()):
        return None  # 'the Network of Black Soils (INBS)': a body's short name, not a person's body
    return bare, honorific, detail


def _record(
    ctx: ExtractionContext, role: str, person: tuple[OffsetText, str | None, OffsetText], how: str = ""
) -> ContactRecord | None:
    name, honorific, detail = person
    detail = clean_value(detail)
    position, organization = split_position_organization(detail)
    if position is not None and organization is None:
        parts = position.split_top_level(",")
        if len(parts) >= 2 and _is_body(parts[-1].text):  # 'Chairperson, CAI-Asia'
            position, organization = (
                clean_value(position.slice(0, position.text.rfind(parts[-1].text))),
                parts[-1],
            )
    if position is not None and organization is None and _is_body(position.text):
        position, organization = None, position
    position_text = position.text if position is not None else None
    if position_text is None and honorific and honorific.casefold() in _ACADEMIC:
        position_text = "Professor"
    return ctx.facts.make(
        ContactRecord,
        (name.start, detail.end),
        method=f"people.{how}.{role}" if how else f"people.{role}",
        confidence=SPEAKER_CONFIDENCE,
        role=role,
        name=name.text,
        position=position_text,
        organization=organization.text if organization is not None else None,
    )


def _is_body(text: str) -> bool:
    """'CAI-Asia', 'IGES', 'Government of Indonesia': a body, not a position."""
    capitals = re.search(r"[A-Z]{2,}", text)
    return not is_position(text) and (
        is_org_like(text) or looks_like_acronym(text) or (bool(capitals) and len(text.split()) <= 3)
    )


_CELL_LABEL = re.compile(r"^\s*(?P<label>[A-Z][\w /&-]{1,30}?)\s*:\s*(?=\S)")


def _table_people(ctx: ExtractionContext, role: str, piece: Piece) -> list[ContactRecord]:
    """A speakers table's cell: 'Name' with the position and organisation in the row's other cells,
    or 'Chair: Name, Position, Organisation; Name, Position' inside the one cell."""
    text = piece.text
    label = _CELL_LABEL.match(text.text)
    if label:
        labelled = section_role(label.group("label"))
        if labelled in ("speaker", "chair"):
            role, text = labelled, text.slice(label.end())
    elif row_names_chair(
        [other.text for other in piece.others] + ([piece.category.text] if piece.category else [])
    ):
        role = "chair"  # 'Chair, high-level plenary' in the row's own cell or its 'Role' column
    records = []
    for part in text.split_top_level(";"):
        part = clean_value(part)
        head, _, rest = part.text.partition(",")
        bare, honorific = strip_honorific(part.slice(0, len(head)).strip())
        if not looks_like_person(bare.text) or section_role(bare.text) is not None:
            continue
        if rest.strip():
            detail = clean_value(part.slice(len(head) + 1))
        else:
            # The row's position and organisation cells, not its order number, time or session.
            detail = OffsetText.join([o for o in piece.others if _describes_person(o.text)], ", ")
        record = _record(ctx, role, (bare, honorific, detail))
        if record is not None:
            records.append(record)
    return records


def _role_of_context(zone_role: str | None, sentence: str) -> str | None:
    if _CHAIR_VERBS.search(sentence):
        return "chair"
    if zone_role in ("speaker", "chair"):
        return zone_role
    if _SPEAKER_VERBS.search(sentence):
        return "speaker"
    return None


def _named_after_by(ctx: ExtractionContext, role: str, sentence: OffsetText) -> list[ContactRecord]:
    """The people a sentence names after 'chaired by' / 'were made by', each 'Name, Position'."""
    by = _BY_PEOPLE.search(sentence.text)
    if by is None:
        return []
    records = []
    for part in sentence.slice(by.end()).split_top_level(";"):
        part = clean_value(part)
        part = part.slice(4) if part.text.startswith("and ") else part
        match = _LEADING_PERSON.match(part.text)
        if match is None:
            continue
        name = part.slice(match.start("name"), match.end("name"))
        bare, honorific = strip_honorific(name)
        if not looks_like_person(bare.text) or section_role(bare.text) is not None:
            continue
        detail = (
            part.slice(match.start("detail"), match.end("detail"))
            if match.group("detail")
            else part.slice(0, 0)
        )
        record = _record(ctx, role, (bare, honorific, detail))
        if record is not None:
            records.append(record)
    return records


# 'Mr.', 'H.E.', 'Ambassador': a capitalised word or dotted initials the honorifics name.
_TITLE_WORD = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?)+|(?<![\w.])[A-Z][a-z]{1,11}\.?(?=\s)")
_NAME_WORD = re.compile(
    rf"\s+(?P<word>(?:[A-Z]\.){{2,4}}|{UPPER}[\w'’\-]*\.?|(?:[a-z]{{1,3}}\s+)+{UPPER}[\w'’\-]*)"
)
_BRACKETED_DETAIL = re.compile(_BRACKETED)
# A clause after the person's detail ('who thanked ...', 'presented ...'): the detail ends before it.
_DETAIL_ENDS = re.compile(r"^(?:and|who|which|whose|[a-z])")


def _titled_names(text: str) -> list[tuple[int, int, int]]:
    """(title start, name start, name end) of every 'Ms. Maria Luisa Silva Mejías' in a sentence."""
    honorifics = {h.casefold() for h in common_rules().honorifics}
    particles = common_rules().name_particles
    found: list[tuple[int, int, int]] = []
    for title in _TITLE_WORD.finditer(text):
        word = title.group().strip()
        if word.casefold() not in honorifics and word.replace(" ", "").casefold() not in honorifics:
            continue
        if found and title.start() < found[-1][2]:
            continue
        start = end = title.end()
        while True:
            step = _NAME_WORD.match(text, end)
            if step is None:
                break
            small = step.group("word").split()[:-1]
            if any(w not in particles for w in small) or (end == start and small):
                break
            end = step.end()
        name_start = end - len(text[start:end].lstrip())
        # 'Director General of the General Directorate of ...': a title word before a body's name.
        if end > start and looks_like_person(text[name_start:end].rstrip(".")):
            found.append((title.start(), name_start, end))
    # 'Sam Johnston, Senior Research Fellow at UNU-IAS, then reviewed ...': no title, but a
    # person's name opening a clause and a post after the comma say as much.
    for match in _UNTITLED.finditer(text):
        start, end = match.start("name"), match.end("name")
        if any(a <= start < c for a, _, c in found):
            continue
        post = match.group("post")
        if _post_before_preposition(post) and looks_like_person(match.group("name")):
            found.append((start, start, end))
    return sorted(found)


# A clause's opening name (sentence start, after 'and', 'by', ';' or a comma), then ', Post'.
_UNTITLED = re.compile(
    r"(?:^|(?<=[.;:]\s)|(?<=\band\s)|(?<=\bby\s)|(?<=,\s))"
    rf"(?P<name>{UPPER}[\w'’-]+(?:\s+(?:[A-Z]\.|{UPPER}[\w'’-]+)){{1,3}}),\s+(?P<post>[^,;]{{3,120}})"
)


def _lower_case_post(part: str) -> bool:
    """'former President of the United States': a post, though it opens in lower case like a clause."""
    return not re.match(r"(?:and|who|which|whose)\b", part) and _post_before_preposition(part)


def _post_before_preposition(post: str) -> bool:
    """The words before 'at', 'with', 'of' or 'for' name the post: 'Senior Policy Advisor with ...'."""
    head = re.split(r"\s(?:at|with|of|for|in)\s", post, maxsplit=1)[0]
    return is_position(head)


# 'of the University of Ghana', 'from the Kenya Forestry Research Institute': a body right after a name.
_OF_BODY = re.compile(
    r"^\s+(?:of|from)\s+(?:the\s+)?(?P<body>[A-Z][\w'’&.-]*(?:\s+(?:(?:of|for|and|on|de|la|the)\s+)*[A-Z][\w'’&.-]*)*)"
)


def _of_body(tail: OffsetText) -> OffsetText | None:
    match = _OF_BODY.match(tail.text)
    if match is None:
        return None
    body = match.group("body")
    if not (is_org_like(body) or looks_like_acronym(body) or seat_of(body) is not None):
        return None  # 'Ms. A from Kenya': where she is from, which the sentence's country reader reads
    return tail.slice(match.start("body"), match.end("body"))


def _appositive_people(
    ctx: ExtractionContext, sentence_role: str | None, sentence: OffsetText
) -> list[ContactRecord]:
    """People written into a sentence with their title and detail between commas.

    'The meeting was opened by Ms. A, Coordinator of UNEP/MAP, who thanked ...'; 'co-chaired by
    Ms. B, Ambassador, Ministry X, Sweden, and Mr. C, Vice-Minister ..., Costa Rica'; 'Mr. D,
    Director, Office Y, stressed ...'. Each person's role comes from the words around them (the
    verb before 'by' or after the detail); a person joined to the one before by 'and' shares it."""
    text = sentence.text
    names = _titled_names(text)
    records: list[ContactRecord] = []
    previous_role: str | None = None
    boundary = 0
    for index, (title_start, start, end) in enumerate(names):
        following = names[index + 1][0] if index + 1 < len(names) else len(text)
        detail_parts: list[OffsetText] = []
        tail = sentence.slice(end, following)
        if ";" in tail.text:
            tail = tail.slice(0, tail.text.index(";"))  # '...; B, Y': the next person's part
        after = end
        bracket = _BRACKETED_DETAIL.match(tail.text)
        if bracket is not None:  # 'Mr. Guiqing Han (Heilongjiang Academy of Agricultural Sciences)'
            detail_parts.append(clean_value(tail.slice(bracket.start("detail"), bracket.end("detail"))))
            after = end + bracket.end()
        elif (body := _of_body(tail)) is not None:  # 'Prof. A of the University of B', 'Ms. C from D'
            detail_parts.append(body)
            after = body.end - sentence.start
        elif tail.text.lstrip().startswith(","):
            for part in tail.slice(tail.text.index(",") + 1).split_top_level(","):
                bare = part.text.strip()
                if not bare or (_DETAIL_ENDS.match(bare) and not _lower_case_post(bare)):
                    break
                if detail_parts and looks_like_person(bare):
                    break  # 'A, Founder of X, Sylvia Earle, CEO of Y': the next person
                detail_parts.append(clean_value(part))
        detail = OffsetText.join(detail_parts, ", ") if detail_parts else sentence.slice(end, end)
        if detail_parts and bracket is None:
            after = detail.end - sentence.start
        prefix = text[boundary:title_start]
        own = prefix + " " + text[after:following]
        joined = previous_role is not None and re.fullmatch(r"[\s,;]*(?:and|as well as)?\s*", prefix)
        if joined:
            role = previous_role
        elif _CHAIR_VERBS.search(own):
            role = "chair"
        elif _SPEAKER_VERBS.search(own):
            role = "speaker"
        else:
            role = sentence_role
        boundary = after
        previous_role = role
        if role is None:
            continue
        name = sentence.slice(start, end)
        if not looks_like_person(name.text) or section_role(name.text) is not None:
            continue
        record = _record(ctx, role, (name, text[title_start:start].strip() or None, detail), how="apposition")
        if record is not None:
            records.append(record)
    return records


def _describes_person(cell: str) -> bool:
    if not re.match(r"^[^\W\d_]", cell):
        return False  # an order number, a time
    return is_position(cell) or _is_body(cell) or "," in cell or nlp.is_organisation(cell)


def _cells_rejoined(pieces: list[Piece]) -> list[Piece]:
    """'Keynote: Robert Hofstede,' + 'Regional Director, IUCN': a person's detail wraps inside the cell."""
    joined: list[Piece] = []
    for piece in pieces:
        before = joined[-1] if joined else None
        if (
            before is not None
            and before.kind == piece.kind == "cell"
            and before.others == piece.others
            and before.text.text.rstrip().endswith(",")
        ):
            joined[-1] = Piece(OffsetText.join([before.text, piece.text]), "cell", others=piece.others)
        else:
            joined.append(piece)
    return joined


def _titled_person(cell: str) -> bool:
    name, honorific = strip_honorific(OffsetText.at(cell.split(",")[0].strip(), 0))
    return honorific is not None and looks_like_person(name.text)


def people_in_zones(ctx: ExtractionContext, zones: Iterable[Zone]) -> list[ContactRecord]:
    records: list[ContactRecord] = []
    # A speakers table's row gives the position and organisation in their own cells: where the
    # prose names the same person, the table's reading comes first.
    tabled: list[ContactRecord] = []
    for zone in zones:
        zone_role = zone.effective_role
        if zone_role == "contact":
            continue
        pieces = _cells_rejoined(zone.pieces) if zone.source == "column" else zone.pieces
        for piece in pieces:
            text = piece.text
            in_table = zone.source == "column" or bool(piece.others)
            if piece.kind == "cell" and in_table and zone_role in ("speaker", "chair"):
                tabled.extend(_table_people(ctx, zone_role, piece))
                continue
            if zone.source == "column" and piece.others and _titled_person(text.text):
                # 'Dr. A B | Position | Organisation' under a heading naming the meeting's bodies:
                # a titled person in a row of their details is one of its speakers.
                tabled.extend(_table_people(ctx, "speaker", piece))
                continue
            running = piece.kind == "paragraph" or (piece.kind == "item" and is_prose(text.text))
            for start, end in sentence_spans(text.text) if running else [(0, len(text.text))]:
                sentence = text.slice(start, end)
                role = _role_of_context(zone_role, sentence.text)
                if role is None:
                    continue
                whole = _WITH_COMMA.match(sentence.text) if not running else None
                found = [whole] if whole else list(_WITH_PAREN.finditer(sentence.text))
                people = [p for p in (_person(m, sentence) for m in found) if p is not None]
                bracketed = [r for r in (_record(ctx, role, p) for p in people) if r is not None]
                # In running text each titled person takes the role of the words around them
                # ('a session moderated by Mr. A, ..., with presentations by Mr. B (X) and Ms.
                # C (Y)'); 'Name (Body)' without a title, and the '...by A, X; B, Y' list, add
                # whom they name besides.
                titled = running or (not bracketed and zone_role in ("speaker", "chair"))
                made = _appositive_people(ctx, role, sentence) if titled else []
                for extra in (bracketed, _named_after_by(ctx, role, sentence) if titled else []):
                    named = {fold(r.name or "") for r in made}
                    made += [r for r in extra if fold(r.name or "") not in named]
                records.extend(made)
    return tabled + records


def add_speakers(ctx: ExtractionContext, zones: Iterable[Zone], draft: Draft) -> None:
    """Add the speakers and chairs the type's extractor did not list."""
    known = {fold(c.name) for c in draft.contact_records if c.name}
    known |= {fold(c.name.text) for c in draft.contacts if c.name}
    honorifics = {h.casefold() for h in common_rules().honorifics}
    for record in people_in_zones(ctx, zones):
        key = fold(record.name or "")
        if not key or key in known or key.split()[0] in honorifics:
            continue
        known.add(key)
        draft.contact_records.append(record)


__all__ = ["SPEAKER_CONFIDENCE", "add_speakers", "people_in_zones"]
