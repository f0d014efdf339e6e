"""Targets: items of a section headed as targets or goals, each dated step with its year."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.common import Draft, ExtractionContext
from extractors.labels import Segment
from extractors.roles import is_role_label
from extractors.structure import Piece, Zone
from extractors.text import OffsetText, clean_value
from schemas.document import TextLine
from schemas.records import TargetRecord

_YEAR_ITEM = re.compile(
    r"^\s*(?:[-•*]\s*)?(?:(?:by|in|until|before|end of|end-)\s*)?(?P<year>(?:19|20)\d{2})\s*(?:[:\-–—.)]|\s-\s)\s*",
    re.I,
)
_UNDATED_ITEM = re.compile(
    r"^\s*(?:[-•*]\s*)?(?:overall|main|general|long-term)?\s*(?:target|goal)s?\s*:\s*", re.I
)
# "By 2007: A. By 2008: B." printed in one paragraph holds two dated items.
_INLINE_SPLIT = re.compile(r"(?<=[.;])\s+(?=(?:by|in|until)?\s*(?:19|20)\d{2}\s*[:\-–—])", re.I)
_UNKNOWN_LABEL = re.compile(r"^[A-Z][\w\s/&()'’-]{1,60}:\s*$")


def is_targets_key(key: str) -> bool:
    return key != "targets:skip" and (key == "targets" or key.startswith("targets:"))


def extract_targets(
    ctx: ExtractionContext, segments: Sequence[Segment], draft: Draft, *, method: str
) -> None:
    for segment in segments:
        if not is_targets_key(segment.key):
            continue
        undated_label = segment.key == "targets:undated"
        items: list[tuple[int | None, list[OffsetText]]] = []
        previous: TextLine | None = None
        bulleted = False  # the items so far are list items: a plain paragraph after them is commentary
        for whole, line in zip(segment.values, segment.value_lines, strict=False):
            if bulleted and not line.list_item and previous is not None and line.block != previous.block:
                break
            bulleted = bulleted or (line.list_item and not items)
            for value in _split_inline(whole):
                dated = _YEAR_ITEM.match(value.text)
                undated = _UNDATED_ITEM.match(value.text)
                if dated:
                    items.append((int(dated.group("year")), [value.slice(dated.end())]))
                elif undated:
                    items.append((None, [value.slice(undated.end())]))
                elif (
                    items
                    and previous is not None
                    and _continues(previous, line, items[-1][1][-1].text, value.text)
                ):
                    items[-1][1].append(value)
                elif undated_label or items or line.list_item:
                    items.append((None, [value]))
                previous = line
        for year, pieces in items:
            text = clean_value(OffsetText.join(pieces))
            if year is None:
                year, text = _year_inside(text)
            if len(text.text) < 4 or _names_no_step(text.text):
                continue
            record = ctx.facts.make(
                TargetRecord,
                text,
                method=f"{method}.dated" if year else f"{method}.undated",
                confidence=0.9 if year else 0.8,
                year=year,
                text=text.text,
            )
            if record:
                draft.targets.append(record)


# "... review by its members — 2007", "... (2007)": the step's year printed after it.
_TRAILING_YEAR = re.compile(r"\s*(?:[-–—,:]\s*|\()(?P<year>(?:19|20)\d{2})\)?\s*\.?$")
# "Halve, by 2015, the proportion ...": the year the step is due, inside its text.
_DUE_YEAR = re.compile(r"\b(?:by|until|before|in|end of|end-)\s*(?P<year>(?:19|20)\d{2})\b", re.I)
_DATE_ONLY = re.compile(r"^[\d\s/.\-–—]*(?:[A-Z][a-z]+\.?)?[\d\s,/.\-–—]*$")


def _year_inside(text: OffsetText) -> tuple[int | None, OffsetText]:
    """An undated item's year, when its text states one: trailing, or the one year it is due by."""
    trailing = _TRAILING_YEAR.search(text.text)
    if trailing and trailing.start() > 0:
        return int(trailing.group("year")), clean_value(text.slice(0, trailing.start()))
    due = {int(m.group("year")) for m in _DUE_YEAR.finditer(text.text)}
    return (due.pop(), text) if len(due) == 1 else (None, text)


def _names_no_step(text: str) -> bool:
    """A column header ('Activity') or a bare date ('7 April 2003') is no target."""
    return (
        is_role_label(text)
        or bool(_DATE_ONLY.match(text))
        or text.casefold() in ("activity", "date", "year", "target", "targets", "milestone", "step")
    )


# 'Programme goals', 'Phase II performance targets', 'SECTION D — TARGETS AND TIMEFRAMES'
_TARGETS_HEADING = re.compile(r"\b(?:targets?|goals?|milestones?)\b", re.I)
_YEAR_LABEL = re.compile(r"^\s*(?:[A-Z]?\d{0,2}(?:\.\d{1,2})*\.?\s+)?(?P<year>(?:19|20)\d{2})\s*$")
_DUE_AT_END = re.compile(r"\s*(?:[-–—,]\s*)?\b(?:by|until|before|in)\s+(?P<year>(?:19|20)\d{2})\s*\.?$", re.I)
_NOTE_AT_END = re.compile(r"\s*\((?:ongoing|continuing|continuous|on-going|tbc|tbd)\)\s*\.?$", re.I)


def targets_from_zones(ctx: ExtractionContext, zones: Sequence[Zone], draft: Draft) -> None:
    """Targets from the document's structure, when the type's labels found none.

    A section headed as targets or goals holds one target per item or cell; a form row
    labelled with a year ('D.2 2010 | 66% of the rural population ...') is that year's target.
    """
    if any(target.year is not None for target in draft.targets):
        return  # the type's own labels found the dated steps; its reading knows the form
    # Only an overall goal under the form's label: the steps may be rows or lines it does not
    # know ('2005 | Establish ...', 'Time-bound targets'); the structure reads them.
    taken: list[tuple[int, int]] = [(t.char_start, t.char_end) for t in draft.targets]
    inside = False
    opened_by_row = False
    section_table: int | None = None  # the table the targets section is printed in
    for zone in zones:
        label = zone.label.text if zone.label is not None else ""
        year_label = _YEAR_LABEL.match(label) if zone.source == "label" else None
        label_line = (
            ctx.doc.line_at(zone.label.start) if zone.label is not None and zone.source == "label" else None
        )
        table = label_line.table if label_line is not None else None
        pieces = list(zone.pieces)
        # A form row labelled as targets ('Targets and timeframes | ...') opens no table of
        # targets: the rows after it in the form's table are other fields.
        if (
            table is not None
            and inside
            and section_table in (None, table)
            and zone.pieces
            and not opened_by_row
        ):
            # 'Target | Year' then 'Regional review completed | 2003': a row of the section's
            # table, read as a label and its value, is a target, not a section of its own.
            section_table = table
            if not year_label and zone.label is not None:
                pieces = [Piece(zone.label, "cell"), *pieces]
        elif zone.source in ("heading", "label") and not year_label:
            inside = bool(_TARGETS_HEADING.search(label)) and len(label.split()) <= 8
            section_table = table if inside else None
            opened_by_row = inside and table is not None
        elif zone.source == "intro":
            inside = False
        if not inside:
            continue
        previous: TargetRecord | None = None
        rows = [
            (Piece(part, piece.kind) if part is not piece.text else piece, row_year)
            for piece, row_year in _rows_of(ctx, pieces)
            for part in _split_inline(piece.text)
        ]
        for piece, row_year in rows:
            if piece.kind == "paragraph" and not year_label and not _YEAR_ITEM.match(piece.text.text):
                continue  # commentary between the items
            text = clean_value(piece.text)
            bare_year = _BARE_YEAR.match(text.text)
            if bare_year:
                # 'Establish a Regional Board ... —' wrapped before its year '2003.'
                if previous is not None and previous.year is None:
                    previous.year = int(bare_year.group("year"))
                    previous.method = "targets.section.dated"
                continue
            year: int | None = int(year_label.group("year")) if year_label else row_year
            paren = _PAREN_YEAR.match(text.text)
            if year is None and paren:
                year, text = int(paren.group("year")), clean_value(text.slice(paren.end()))
            lead = _YEAR_ITEM.match(text.text)
            if year is None and lead:
                year, text = int(lead.group("year")), clean_value(text.slice(lead.end()))
            note = _NOTE_AT_END.search(text.text)
            if note:
                text = clean_value(text.slice(0, note.start()))
            due = _DUE_AT_END.search(text.text)
            if year is None and due and due.start() > 0:
                year, text = int(due.group("year")), clean_value(text.slice(0, due.start()))
            if year is None:
                year, text = _year_inside(text)
            if len(text.text.split()) < 3 or _names_no_step(text.text):
                continue
            if any(a < text.end and text.start < b for a, b in taken):
                continue
            record = ctx.facts.make(
                TargetRecord,
                text,
                method="targets.section.dated" if year else "targets.section.undated",
                confidence=0.85 if year else 0.75,
                year=year,
                text=text.text,
            )
            if record:
                draft.targets.append(record)
                taken.append((record.char_start, record.char_end))
                previous = record


_BARE_YEAR = re.compile(r"^\s*[-–—]?\s*(?:by\s+)?(?P<year>(?:19|20)\d{2})\s*\.?\s*$", re.I)
_PAREN_YEAR = re.compile(r"^\s*\(\s*(?:by\s+)?(?P<year>(?:19|20)\d{2})\s*\)\s*")


def _rows_of(ctx: ExtractionContext, pieces: Sequence[Piece]) -> list[tuple[Piece, int | None]]:
    """The pieces, with a table row's cells read as one target: its text cell and its year cell."""
    rows: dict[tuple[int, int], list[Piece]] = {}
    order: list[Piece | tuple[int, int]] = []
    for piece in pieces:
        line = ctx.doc.line_at(piece.text.start) if piece.kind == "cell" and piece.text.text else None
        if line is None or line.table is None or line.row is None:
            order.append(piece)
            continue
        key = (line.table, line.row)
        if key not in rows:
            rows[key] = []
            order.append(key)
        rows[key].append(piece)
    result: list[tuple[Piece, int | None]] = []
    for entry in order:
        if isinstance(entry, Piece):
            result.append((entry, None))
            continue
        cells = rows[entry]
        years = [int(m.group("year")) for c in cells if (m := _BARE_YEAR.match(c.text.text))]
        texts = [
            c
            for c in cells
            if not _BARE_YEAR.match(c.text.text) and not re.fullmatch(r"\W*\d{0,3}\W*", c.text.text)
        ]
        if len(texts) == 1:
            result.append((texts[0], years[0] if len(years) == 1 else None))
        else:
            result.extend((c, None) for c in cells)
    return result


def _split_inline(value: OffsetText) -> list[OffsetText]:
    cuts = [m.end() for m in _INLINE_SPLIT.finditer(value.text)]
    if not cuts:
        return [value]
    bounds = [0, *cuts, len(value.text)]
    return [
        value.slice(a, b).strip() for a, b in zip(bounds, bounds[1:], strict=False) if value.text[a:b].strip()
    ]


def _continues(previous: TextLine, line: TextLine, before: str, after: str) -> bool:
    if line.list_item or _UNKNOWN_LABEL.match(after):
        return False
    if previous.block != line.block:
        return False
    return not before.rstrip().endswith(".") or after[:1].islower()
