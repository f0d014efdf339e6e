"""Structure: a parsed document as zones, each a heading or label with the values under it.

Whatever the format, a document reaches this stage as lines with layout cues
(heading level, bold, list item, table cell, block). This stage reads them as
a reader does:

- a *heading* (a heading style, a short bold block, a numbered short line, a
  short line ending in ':') opens a zone;
- a *run-in label* ("Organisers: X, Y", "**Host:** X", also in the middle of a
  paragraph that a renderer joined) opens a zone holding its value;
- a *sentence ending in ':'* ("Government representatives from the following
  countries attended:") opens a zone for the list that follows it;
- a *run-in heading ended by a full stop* ("Who runs it. The programme ...")
  that names a role governs its own paragraph;
- a *table* becomes zones per column or per label cell (``table_zones``): with
  a header row, the name column's cells are values and the country and type
  columns annotate them; without one, a two-column table is label cells and
  value cells.

Each zone gets the role its label announces (``roles.section_role``); values
under a zone with no role of its own inherit the role of the heading above.
The stage only reads structure; which values name bodies is the next stage's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.lists import inline_bullets, logical_lines
from extractors.roles import STOP, contact_kind, is_role_label, section_role, sentence_role
from extractors.rules import common_rules
from extractors.section_model import SectionRoleModel
from extractors.table_zones import table_zones
from extractors.text import OffsetText, clean_value
from extractors.zones import (
    KINDS_OF_BODY,
    NEWLINE,
    NUMBERED,
    Block,
    Piece,
    RoleOf,
    Zone,
    item_piece,
    word_count,
)
from schemas.document import ParsedDocument, TextLine

# "Organisers:" inside a line; the label is a few words starting with a capital.
_RUN_IN = re.compile(
    r"(?:^|(?<=[\s.;)\-•*]))(?P<label>(?:\*\*)?[A-Z][A-Za-z&/'’()\- \n]{1,48}?)(?:\*\*)?\s*:(?:\*\*)?(?=\s|$)"
)
_MAX_HEADING_WORDS = 12


def _line_text(doc: ParsedDocument, line: TextLine) -> OffsetText:
    return OffsetText(doc.text[line.char_start : line.char_end], tuple(range(line.char_start, line.char_end)))


def _blocks(doc: ParsedDocument) -> list[Block]:
    blocks: list[Block] = []
    for line in doc.lines:
        text = _line_text(doc, line)
        if not text.text.strip():
            continue
        if blocks:
            prev = blocks[-1].lines[-1]
            same = (prev.block, prev.table, prev.row, prev.col) == (
                line.block,
                line.table,
                line.row,
                line.col,
            )
            # A list item starts a value of its own; a heading's lines never run into body text.
            if (
                same
                and not line.list_item
                and bool(line.heading_level) == bool(prev.heading_level)
                and not _bold_label_edge(prev, blocks[-1].parts[-1].text, line, text.text)
            ):
                blocks[-1].lines.append(line)
                blocks[-1].parts.append(text)
                blocks[-1].text = OffsetText.join([blocks[-1].text, text], "\n")
                continue
        blocks.append(Block([line], text, [text]))
    return blocks


_MAX_LEAD_IN_WORDS = 10


def _bold_label_edge(prev: TextLine, prev_text: str, line: TextLine, line_text: str) -> bool:
    """A short bold line among plain lines of one block is a label of its own: '<b>Contact</b><br>
    Secretariat<br>...' or '... E-mail: x<br><b>On the web</b><br>http://...'; a bold lead-in ending
    in a colon may be longer ('<b>For copies of this report, please contact:</b><br>Body<br>...')."""
    if prev.bold == line.bold:
        return False
    text = (prev_text if prev.bold else line_text).strip()
    limit = _MAX_LEAD_IN_WORDS if text.endswith(":") else 6
    return 0 < word_count(text) <= limit and not text.endswith((".", ",", ";"))


def _is_heading(block: Block) -> bool:
    text = block.text.text.strip()
    if block.first.table is not None or not text:
        return False
    if block.first.heading_level:
        return True
    words = word_count(text)
    if words > _MAX_HEADING_WORDS:
        return False
    if all(line.bold for line in block.lines) and not text.endswith((".", ",", ";")):
        return True
    if text.isupper() and words <= 8 and any(ch.isalpha() for ch in text):
        return True  # 'SPEAKERS', 'WORKSHOP CHAIR'

    if len(block.lines) == 1 and NUMBERED.match(text) and not text.endswith((".", ",", ";")) and words <= 10:
        return True
    if len(block.lines) == 1 and text.endswith(":") and words <= 8:
        return True
    # A short line of its own naming a role ('Discussion', 'Participants'): a heading in plain text.
    return len(block.lines) == 1 and words <= 5 and text[:1].isupper() and is_role_label(text)


def _names_list_below(block: Block, below: Block) -> bool:
    """'Member bodies.' on a line of its own, then a bulleted list: a heading whose bold a scan
    or a plain-text print lost, when its words name a role."""
    text = block.text.text.strip()
    return (
        len(block.lines) == 1
        and not block.first.list_item
        and below.first.list_item
        and below.first.table is None
        and not re.search(r"[(),;:]", text)
        and word_count(text) <= 4
        and text[:1].isupper()
        and section_role(text.rstrip(".")) not in (None, STOP)
    )


# 'Who runs it. The programme is run by ...': a run-in heading ended by a full stop.
_STOP_RUN_IN = re.compile(r"^(?P<label>[A-Z][\w'’ /&-]{1,40}?)\.\s+(?=[A-Z])")


def _stop_run_in(text: OffsetText) -> tuple[OffsetText, OffsetText] | None:
    """'Who runs it. The programme ...' as (heading, the text after it), when the words before the
    full stop are a role phrase and nothing else: a bold run-in heading a scan or a print lost."""
    stop = _STOP_RUN_IN.match(text.text)
    if stop is None or word_count(stop.group("label")) > 5 or not is_role_label(stop.group("label")):
        return None
    return clean_value(text.slice(0, stop.end("label"))), text.slice(stop.end())


def _run_in_labels(text: OffsetText) -> list[tuple[OffsetText | None, OffsetText]]:
    """Split 'A: x B: y' at labels a role vocabulary knows (at the start, any short label)."""
    cuts: list[tuple[int, int]] = []  # (label start, value start)
    for match in _RUN_IN.finditer(text.text):
        label = match.group("label").strip("* ")
        if label.count("(") != label.count(")"):
            continue  # 'Local Governments (Theme: ...)': a colon inside a parenthesis ends no label
        at_start = not text.text[: match.start()].strip(" *•-\t")
        if at_start:
            if word_count(label) <= 6:
                cuts.append((match.start(), match.end()))
            continue
        # Inside a joined paragraph the capitals before the label belong to the previous value
        # ("... Yokohama, Japan Host: ..."): the label is the shortest tail of words with a role,
        # with the capitalised word before it when the tail starts in lower case ("Meetings hosted by").
        group = match.group("label").rstrip("* \n")
        starts = [m.start() for m in re.finditer(r"\S+", group)]
        words = group.split()
        for n in range(1, min(4, len(words)) + 1):
            if section_role(" ".join(words[-n:])) is None:
                continue
            if words[-n][:1].islower() and n < len(words) and words[-n - 1][:1].isupper():
                n += 1
            while n + 2 <= len(words) and words[-n - 1] in ("&", "and", "or", "/"):
                n += 2  # 'Citizens & NGOs:' wrapped after the '&'
            cuts.append((match.start("label") + starts[-n], match.end()))
            break
    if not cuts:
        return [(None, text)]
    parts: list[tuple[OffsetText | None, OffsetText]] = []
    if text.text[: cuts[0][0]].strip():
        parts.append((None, text.slice(0, cuts[0][0]).strip()))
    for i, (label_start, value_start) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(text.text)
        label = clean_value(text.slice(label_start, value_start))
        parts.append((label, text.slice(value_start, end).strip()))
    return parts


@lru_cache(maxsize=1)
def _connectors() -> frozenset[str]:
    # The words that join a name ('of', 'and', 'the' ...) and those that join names in a list.
    return frozenset(common_rules().name_connectors) | {"by", "with", "from"}


def is_prose(text: str) -> bool:
    """Running text rather than a name or a list: several lower-case words that join no name."""
    lower = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if w[:1].islower() and w not in _connectors()]
    return len(lower) >= 3 or word_count(text) > 30


_BULLETED = re.compile(r"^\s*(?:[-•▪◦●*·–]|\d{1,2}[.)])\s+\S")


def _value_kind(block: Block, value: OffsetText | None = None) -> str:
    text = (value or block.text).text
    if block.first.list_item:
        return "item"
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) >= 2 and sum(bool(_BULLETED.match(line)) for line in lines) * 2 >= len(lines):
        return "item"  # bullets the parser left in one block: one value per line
    return "paragraph" if is_prose(text) else "item"


def _value_pieces(block: Block, value: OffsetText, *, explicit_breaks: bool) -> list[Piece]:
    """A paragraph is one value; a short block is one value per logical line (wraps re-joined)."""
    kind = _value_kind(block, value)
    if kind == "item" and "\n" in value.text and not _one_running_item(block, value):
        inside = [
            (p, line)
            for p, line in zip(block.parts, block.lines, strict=True)
            if p.end > value.start and p.start < value.end
        ]
        values = [_within(p, value.start, value.end) for p, _ in inside]
        joined = logical_lines(values, [line for _, line in inside], explicit_breaks=explicit_breaks)
        return [item_piece(part) for v in joined if v.text.strip() for part in inline_bullets(v) or [v]]
    flat = value.sub(NEWLINE, " ")
    inline = inline_bullets(flat)
    if inline:
        return [item_piece(part) for part in inline]
    return [item_piece(flat) if kind == "item" else Piece(flat, kind)] if flat.text.strip() else []


def _one_running_item(block: Block, value: OffsetText) -> bool:
    """'5. The meeting was opened by Mr. A, ..., who welcomed ...' wrapped over lines: one numbered
    paragraph, whose lines are not items of their own."""
    lines = [line for line in value.text.split("\n") if line.strip()]
    return (
        block.first.list_item
        and is_prose(value.text)
        and not any(_BULLETED.match(line) for line in lines[1:])
        # A list ends most lines with a mark; a wrapped paragraph at most half ('... given by Prof. A,').
        and sum(bool(re.search(r"[.;:,]\s*$", line)) for line in lines[:-1]) * 2 <= max(len(lines) - 1, 1)
    )


def _within(part: OffsetText, start: int, end: int) -> OffsetText:
    """The characters of a line between document offsets ``start`` and ``end``."""
    keep = [i for i, pos in enumerate(part.pos) if start <= pos < end]
    return part.slice(keep[0], keep[-1] + 1) if keep else part.slice(0, 0)


_INTRO_WORDS = 10


def _intro_role(text: str) -> str | None:
    """A paragraph's last sentence ending in ':' introduces the list that follows it."""
    if not text.rstrip().endswith(":"):
        return None
    last = re.split(r"(?<=[.!?])\s+", text.strip())[-1]
    following = re.search(r"\bfollowing\s+(?:\d+\s+)?([A-Za-z-]+)", last)
    if following and sentence_role(following.group(1)) is None:
        return None  # 'the following functions to participating governments:' lists functions
    # The list's role is named near the colon ("... the following countries attended:"), not
    # anywhere in a long sentence that merely mentions governments on its way.
    return sentence_role(" ".join(last.split()[-_INTRO_WORDS:]))


def _role_reader(learned: SectionRoleModel | None) -> RoleOf:
    """The role of a label that opens a zone: the vocabulary's, else the learned model's."""
    if learned is None:
        return section_role

    def role_of(label: str) -> str | None:
        # 'Form completed by', 'Prepared by': a contact's heading, which no model need guess.
        return section_role(label) or ("contact" if contact_kind(label) else None) or learned.role(label)

    return role_of


def document_zones(
    doc: ParsedDocument, *, explicit_breaks: bool = False, learned: SectionRoleModel | None = None
) -> list[Zone]:
    """``explicit_breaks``: every line break was the writer's (HTML, DOCX), none the layout's.
    ``learned``: the model that gives a role to labels the vocabulary does not cover."""
    role_of = _role_reader(learned)
    zones: list[Zone] = [Zone(None, None, "none")]
    heading_role: str | None = None
    blocks = _blocks(doc)
    header_row: dict[int, Block] | None = None  # the header of a table that may go on overleaf
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.first.table is not None:
            table = block.first.table
            cells = []
            while i < len(blocks) and blocks[i].first.table == table:
                cells.append(blocks[i])
                i += 1
            read, header_row = table_zones(
                cells,
                zones[-1].effective_role or heading_role,
                role_of,
                header_row,
                explicit_breaks=explicit_breaks,
            )
            zones.extend(read)
            continue
        header_row = None
        i += 1
        text = block.text
        if _is_heading(block) or (i < len(blocks) and _names_list_below(block, blocks[i])):
            heading_label = clean_value(text.sub(NEWLINE, " "))
            role = role_of(heading_label.text)
            if role in KINDS_OF_BODY and heading_role == "contact":
                pass  # an office's name over its address: still the contact section
            elif role is not None:
                heading_role = None if role == STOP else role
            elif block.first.heading_level or NUMBERED.match(heading_label.text):
                heading_role = None
            # else: a bold or capitalised line without a role is a sub-heading ('Cities in Asia')
            zones.append(Zone(heading_label, role, "heading", parent_role=heading_role))
            continue
        run_in = _stop_run_in(text)
        if run_in is not None:
            # The run-in heading governs its own paragraph; the paragraphs after it are body text.
            heading_label, value = run_in
            zone = Zone(heading_label, role_of(heading_label.text), "heading", parent_role=heading_role)
            zone.pieces.extend(_value_pieces(block, value, explicit_breaks=explicit_breaks))
            zones.extend([zone, Zone(None, None, "none", parent_role=heading_role)])
            continue
        parts = _run_in_labels(text)
        for label, value in parts:
            if label is not None:
                zone = Zone(label, role_of(label.text) or STOP, "label", parent_role=heading_role)
                zones.append(zone)
                zone.pieces.extend(_value_pieces(block, value, explicit_breaks=explicit_breaks))
                continue
            intro = _intro_role(value.text)
            if intro is not None:
                zones[-1].pieces.extend(_value_pieces(block, value, explicit_breaks=explicit_breaks))
                zones.append(Zone(value, intro, "intro", parent_role=heading_role))
                continue
            target = zones[-1]
            if target.source in ("label", "intro") and _value_kind(block) == "paragraph":
                # A paragraph after a label's value or an introduced list is body text again.
                target = Zone(None, None, "none", parent_role=heading_role)
                zones.append(target)
            target.pieces.extend(_value_pieces(block, value, explicit_breaks=explicit_breaks))
    return zones


__all__ = ["Piece", "Zone", "document_zones"]
