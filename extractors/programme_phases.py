"""A programme's phases and their spans: phase lines ('Phase II (2005-2008)', '2005–2008:
Phase 2', a title over its span) and phase tables ('Phase | Period | Focus').

Split from ``programme`` because phases are read from lines and table rows alone, whatever the
rest of the programme says.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.common import Draft, ExtractionContext
from extractors.labels import line_text
from extractors.normalize import DateMention, find_dates, parse_date
from extractors.rules import programme_rules
from extractors.text import OffsetText, clean_value, fold
from schemas.records import DateRecord


@lru_cache(maxsize=1)
def _phase_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p, re.I) for p in programme_rules().phase_patterns]


_SPAN_OPENER = re.compile(r"^\s*(?:from|since|starting(?:\s+in)?|as of|beginning(?:\s+in)?)\s+", re.I)


def phases(ctx: ExtractionContext, draft: Draft) -> None:
    """Phases printed as lines: 'Phase II (2005-2008)', '2005–2008: Phase 2', a title then its span."""
    doc = ctx.doc
    lines = [line_text(doc, line) for line in doc.lines]
    for i, text in enumerate(lines):
        # A table row's cells are read whole by _phase_rows: a span wrapped in its cell ('1994–' over
        # '1997') would be read here as its first year.
        in_table = doc.lines[i].table is not None
        if not in_table:
            _span_then_phase(ctx, draft, text)
        for pattern in _phase_patterns():
            for match in pattern.finditer(text.text):
                rest = text.slice(match.end())
                found = _phase_span(rest, title_allowed=not in_table)
                evidence = text.slice(match.start("label"), match.end() + found[0]) if found else None
                if found is None and not in_table and i + 1 < len(lines) and _is_phase_title(rest.text):
                    # 'Phase III — Institutionalization' with 'from 2010 (indicative)' under it
                    found = _phase_span(lines[i + 1], title_allowed=False)
                    if found is not None:
                        evidence = OffsetText.join(
                            [text.slice(match.start("label")), lines[i + 1].slice(0, found[0])]
                        )
                if found is None or evidence is None:
                    continue
                _add_phase(ctx, draft, evidence, found[1])


# '2005–2008: Phase 2, national roll-out', '- 2002-2004 — pilot phase': the span first, then the
# phase it dates, a few words on.
_SPAN_FIRST = re.compile(r"^\s*(?:[-•▪◦●*·–]\s+)?")
_AFTER_SPAN = re.compile(r"^\s*[:–—-]?\s*")
_PHASE_NEAR = 30  # characters after the span within which the phase's label must start


def _span_then_phase(ctx: ExtractionContext, draft: Draft, text: OffsetText) -> None:
    lead = _SPAN_FIRST.match(text.text)
    start = lead.end() if lead else 0
    mention = parse_date(text.text[start : start + 40])
    if mention is None or mention.offset != 0 or mention.end is None:
        return
    after = text.text[start + mention.end_offset :]
    joint = _AFTER_SPAN.match(after)
    if joint is None:
        return
    named = after[joint.end() : joint.end() + _PHASE_NEAR + 20]
    label = next(
        (m for pattern in _phase_patterns() if (m := pattern.search(named)) and m.start() <= _PHASE_NEAR),
        None,
    )
    if label is None:
        return
    end = start + mention.end_offset + joint.end() + label.end("label")
    _add_phase(ctx, draft, text.slice(start, end), mention)


def _add_phase(ctx: ExtractionContext, draft: Draft, evidence: OffsetText, mention: DateMention) -> None:
    """A phase line's row: a span with both ends promises more than an open one ('from 2010')."""
    record = ctx.facts.make(
        DateRecord,
        evidence,
        method="programme.phase",
        confidence=0.9 if mention.end else 0.75,
        role="phase",
        start=mention.start,
        end=mention.end,
        text=evidence.text,
    )
    if record:
        draft.dates.append(record)


# A phase's own short title between its label and its span: 'Phase 2: Scaling up (2010–2013)',
# 'Phase III — Institutionalization, from 2010'. No sentence: at most six words, no full stop.
_PHASE_TITLE = re.compile(r"^[\s:–—-]*(?:[^\W\d][\w&/'’-]*[\s,]+){0,6}?[\s(:–—,-]*$")


_SENTENCE_WORDS = frozenset(
    [
        "was",
        "is",
        "are",
        "were",
        "will",
        "be",
        "been",
        "began",
        "begun",
        "started",
        "ran",
        "runs",
        "run",
        "lasted",
        "covered",
        "in",
        "on",
        "at",
        "by",
        "to",
    ]
)


def _is_phase_title(text: str) -> bool:
    """'Scaling up', ': Launching phase', ' — Institutionalization,': a title, not a sentence."""
    words = re.findall(r"[^\W\d][\w&/'’-]*", text)
    if not _PHASE_TITLE.match(text + " "):
        return False
    return not words or (words[0][0].isupper() and not any(w in _SENTENCE_WORDS for w in words))


def _phase_span(rest: OffsetText, *, title_allowed: bool = True) -> tuple[int, DateMention] | None:
    """The span that follows a phase label, right after it or after the phase's short title: where
    the span ends in ``rest``, and the span."""
    # "Phase II (from 2005)": an open span, from its start.
    opener = _SPAN_OPENER.match(rest.text)
    skip = opener.end() if opener else 0
    mention = parse_date(rest.text[skip : skip + 40])
    if mention is not None and mention.offset <= 3:
        return skip + mention.end_offset, mention
    if not title_allowed:
        return None
    mentions = find_dates(rest.text[:90])
    if not mentions:
        return None
    mention = mentions[0]
    between = re.sub(r"(?i)\b(?:from|since)\s+$", "", rest.text[: mention.offset])
    # 'Phase 1 (EnDev 1): 2005 - 2009': a bracketed short name (its '(' read with the label) is
    # part of the title.
    between = re.sub(r"^[^()]{0,30}\)|\([^()]{0,30}\)", " ", between)
    if _is_phase_title(between):
        return mention.end_offset, mention
    # 'Phase I ran from 1999 to 2003', 'the second phase, which covered 2004–2008': a few words
    # of the same clause, then a span with both its ends.
    if mention.end is not None and len(between.split()) <= 6 and not re.search(r"[.;:!?]", between):
        return mention.end_offset, mention
    return None


_PHASE_CELL = re.compile(
    r"^\s*(?:phase|stage|cycle|period)\s+(?:\d+|[ivx]+|one|two|three|four|five|[a-e])\b", re.I
)
_OPEN_END = re.compile(r"\s*[-–—]\s*(?:present|ongoing|today|now|to date)\s*$", re.I)


def phase_rows(ctx: ExtractionContext, draft: Draft) -> None:
    """A table of phases: a row whose first cell names the phase and another cell gives its span
    ('Phase I | 2003–2009 | Focus ...'), the span wrapped over lines in its cell. Under a header
    naming phases or periods ('Phase | Period | Main focus', 'Years | Stage'), every row is a
    phase, whatever its name ('SafeMed II | 2009–2012') and wherever its span stands."""
    doc = ctx.doc
    rows: dict[tuple[int, int], dict[int, list[OffsetText]]] = {}
    for line in doc.lines:
        if line.table is None or line.row is None:
            continue
        cells = rows.setdefault((line.table, line.row), {})
        cells.setdefault(line.col or 0, []).append(line_text(doc, line))
    known = {(d.start, d.end) for d in draft.dates if d.role == "phase"}
    headers = frozenset(programme_rules().phase_columns)
    phase_tables: set[int] = set()
    for (table, _row), cells in _rows_rejoined(rows, headers):
        if _is_header(cells, headers):
            phase_tables.add(table)
            continue
        texts = [OffsetText.join(parts, " ").strip() for _, parts in sorted(cells.items())]
        if table in phase_tables:
            spans = [(i, m) for i, t in enumerate(texts) if (m := _whole_span(t.text)) is not None]
        elif _PHASE_CELL.match(texts[0].text):
            spans = [(i, m) for i, t in enumerate(texts[1:], 1) if (m := _whole_span(t.text)) is not None]
        else:
            continue
        if not spans:
            continue
        at, mention = spans[0]
        if (mention.start, mention.end) in known:
            continue
        name = next((t for i, t in enumerate(texts) if i != at and t.text), texts[at])
        record = ctx.facts.make(
            DateRecord,
            texts[at],
            method="programme.phase_table",
            confidence=0.85,
            role="phase",
            start=mention.start,
            end=mention.end,
            text=f"{clean_value(name).text}: {texts[at].text}",
        )
        if record:
            draft.dates.append(record)
            known.add((mention.start, mention.end))


_DANGLING_DASH = re.compile(r"[-–—]\s*$")


def _rows_rejoined(
    rows: dict[tuple[int, int], dict[int, list[OffsetText]]], headers: frozenset[str]
) -> list[tuple[tuple[int, int], dict[int, list[OffsetText]]]]:
    """The table's rows in order, a row broken over a page joined again: 'Phase I | July 2003 –'
    at a page's foot, the header repeated overleaf, then ' | December 2008 | ...' with no first
    cell is one row."""
    joined: list[tuple[tuple[int, int], dict[int, list[OffsetText]]]] = []
    last: dict[int, list[OffsetText]] | None = None  # the last row that is not a header
    for key, cells in sorted(rows.items()):
        if _is_header(cells, headers):
            joined.append((key, cells))  # a header row, first or repeated
            continue
        if (
            last is not None
            and not _cell_text(cells.get(0, []))
            and any(col in cells and _DANGLING_DASH.search(_cell_text(parts)) for col, parts in last.items())
        ):
            for col, parts in cells.items():
                last.setdefault(col, []).extend(parts)
            continue
        last = {col: list(parts) for col, parts in cells.items()}
        joined.append((key, last))
    return joined


def _cell_text(parts: list[OffsetText]) -> str:
    return OffsetText.join(parts, " ").text.strip()


def _is_header(cells: dict[int, list[OffsetText]], headers: frozenset[str]) -> bool:
    """'Phase | Period | Main focus': a row of more than one cell, one of them a phase column's name."""
    return len(cells) > 1 and any(fold(_cell_text(parts)).strip(" :") in headers for parts in cells.values())


def _whole_span(cell: str) -> DateMention | None:
    """The date or span a cell consists of ('2006–2008', '2010 - ongoing'), not one a sentence mentions."""
    open_end = _OPEN_END.search(cell)
    dates = cell[: open_end.start()] if open_end else cell
    mention = parse_date(dates)
    if mention is None or mention.offset > 0 or mention.end_offset < len(dates) - 2:
        return None
    return mention


__all__ = ["phase_rows", "phases"]
