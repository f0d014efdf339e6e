"""Label matching and form segmentation.

Forms print a label then its value: on the same line ("Phone: +81..."), after
a slash ("Leading Partner/ Kanagawa"), in the next lines, or in the next table
cell. Labels are data (the rules files); matching tolerates case, spacing
around '/', a trailing "(if any)" and a label wrapped over two lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from extractors.text import OffsetText
from schemas.document import ParsedDocument, TextLine

# A label set's keys: plain strings or a Literal (a Mapping is invariant in its keys).
_Key = TypeVar("_Key", bound=str)

# After a label: ':', '/', ' - ', the line's end, or dot leaders ('Time frame ....... 2004').
_SEPARATOR = r"\s*(?:\([^()\n]{0,40}\))?\s*(?::|/(?=\s)|/$|\s[-–—]\s|\s*[.…·]{3,}\s*|$)"


# A section number before a label: '6. Contact person', 'C. Partners', 'A.3 Date of launch',
# 'III. Governments', '2.1 Dates'.
_NUMBERING = r"(?:(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-H](?:\.\d{1,2})+\.?|[A-H][.)]|[IVX]{1,4}\.)\s+)?"


# A note after a label, 'Contact person (focal point)': still the label.
_NOTE = r"(?:\s*\([^()\n]{1,40}\))?"


def _label_regex(label: str) -> str:
    """A label's words with any spacing, '/' or hyphen between them and an optional 'the' before
    each ('Name of the partnership / initiative' also reads 'Name of partnership/initiative',
    'Time frame' reads 'Time-frame')."""
    tokens = [t for t in re.split(r"[\s/]+", label.strip()) if t and t.casefold() != "the"]
    return r"\s*[/\s-]\s*(?:the\s+)?".join(re.escape(t) for t in tokens)


@dataclass(frozen=True)
class LabelMatch:
    key: str
    label_end: int  # index in the matched string where the value starts


class LabelMatcher:
    """Matches any of a set of labels at the start of a line; the longest label wins."""

    def __init__(self, labels: Mapping[_Key, Sequence[str]]) -> None:
        entries = sorted(
            ((key, label) for key, values in labels.items() for label in values),
            key=lambda kv: len(kv[1]),
            reverse=True,
        )
        self._patterns = [
            (
                key,
                re.compile(
                    r"^[\s\-•*·]*"
                    + _NUMBERING
                    + r"(?:\*\*)?"
                    + _label_regex(label)
                    + r"(?:\*\*)?"
                    + _NOTE
                    + _SEPARATOR,
                    re.I,
                ),
            )
            for key, label in entries
        ]

    def match(self, text: str) -> LabelMatch | None:
        for key, pattern in self._patterns:
            found = pattern.match(text)
            if found:
                return LabelMatch(key, found.end())
        return None


@dataclass
class Segment:
    """A label and the value lines that follow it up to the next label."""

    key: str
    label: OffsetText | None
    label_line: TextLine | None = None
    # values[i] is the text of value_lines[i] (for the label's own line, the part after the label).
    values: list[OffsetText] = field(default_factory=list)
    value_lines: list[TextLine] = field(default_factory=list)

    @property
    def value_text(self) -> str:
        return "\n".join(v.text for v in self.values)

    def joined(self) -> OffsetText:
        return OffsetText.join([v for v in self.values if v.text.strip()], " ")


def line_text(doc: ParsedDocument, line: TextLine) -> OffsetText:
    return OffsetText(doc.text[line.char_start : line.char_end], tuple(range(line.char_start, line.char_end)))


# Given the current zone key, returns the matchers to try in order, each with the
# key prefix its matches get ("" for the main labels).
ZonePolicy = Callable[[str], Sequence[tuple[str, LabelMatcher]]]


def segment_lines(
    doc: ParsedDocument,
    policy: ZonePolicy,
    *,
    zone_of: Callable[[str], str],
    terminators: Callable[..., bool] | None = None,
) -> list[Segment]:
    """Split a document's lines into labelled segments.

    ``policy(zone)`` lists the matchers active in a zone; ``zone_of(key)`` gives the
    zone a matched key opens. A line ``terminators`` accepts closes the current
    segment without a label (headings, unknown "Label:" lines).
    """
    segments: list[Segment] = [Segment(key="preamble", label=None)]
    zone = "main"
    lines = doc.lines
    skip_next = False
    for index, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        text = line_text(doc, line)
        if not text.text.strip():
            continue
        found = _match_in_zone(text, policy(zone))
        two_line = False
        if found is None and index + 1 < len(lines) and len(text.text) < 200:
            nxt = line_text(doc, lines[index + 1])
            joined = OffsetText.join([text, nxt])
            candidate = _match_in_zone(joined, policy(zone))
            if candidate is not None and candidate[1] > len(text.text) + 1:
                found, text, two_line = candidate, joined, True
        if found is not None:
            key, label_end = found
            segment = Segment(key=key, label=text.slice(0, label_end), label_line=line)
            rest = text.slice(label_end).strip()
            value_line = lines[index + 1] if two_line else line
            skip_next = two_line
            # "Date & Venue: 7-11 September 2009, Yokohama, Japan Host: City of Yokohama": a
            # renderer joined several labelled lines into one; each label starts its own segment.
            while following := _inline_label(rest, policy(zone_of(key))):
                value = rest.slice(0, following[0]).strip()
                if value.text:
                    segment.values.append(value)
                    segment.value_lines.append(value_line)
                segments.append(segment)
                label_start, next_key, value_start = following
                segment = Segment(key=next_key, label=rest.slice(label_start, value_start), label_line=line)
                rest = rest.slice(value_start).strip()
                key = next_key
            if rest.text:
                segment.values.append(rest)
                segment.value_lines.append(value_line)
            segments.append(segment)
            zone = zone_of(key)
            continue
        if (
            segments[-1].key == "section"
            and segments[-1].label is not None  # always true (only the preamble has none); for the type
            and _continues_heading(segments[-1].label_line, line, segments[-1].values)
        ):
            # A long heading wraps over several lines of one block.
            segments[-1].label = OffsetText.join([segments[-1].label, text])
            continue
        if _next_row_label(segments[-1].label_line, line) or (
            terminators is not None and _call_terminator(terminators, line, zone, text.text)
        ):
            segments.append(Segment(key="section", label=text, label_line=line))
            zone = "main"
            continue
        segments[-1].values.append(text)
        segments[-1].value_lines.append(line)
    return segments


_INLINE_LABEL = re.compile(r"(?<=[\s.;,])(?=[A-Z][\w&/'’ -]{1,40}:\s)")


def _inline_label(
    text: OffsetText, matchers: Sequence[tuple[str, LabelMatcher]]
) -> tuple[int, str, int] | None:
    """The first known label inside a value, as (label start, key, value start)."""
    for match in _INLINE_LABEL.finditer(text.text):
        found = _match_in_zone(text.slice(match.start()), matchers)
        if found is not None:
            return match.start(), found[0], match.start() + found[1]
    return None


def _next_row_label(label: TextLine | None, line: TextLine) -> bool:
    """A label cell's value ends at the row's end: the next row's cell under the label is a label."""
    return (
        label is not None
        and label.table is not None
        and line.table == label.table
        and line.row != label.row
        and line.col == label.col
    )


def _call_terminator(terminator: Callable[..., bool], line: TextLine, zone: str, text: str) -> bool:
    try:
        return terminator(line, zone, text)
    except TypeError:
        return terminator(line, zone)


def _continues_heading(heading: TextLine | None, line: TextLine, values: list[OffsetText]) -> bool:
    return (
        heading is not None
        and not values
        and heading.heading_level > 0
        and line.heading_level == heading.heading_level
        and line.block == heading.block
    )


def heading_run(doc: ParsedDocument, start: int) -> OffsetText:
    """The heading at line ``start`` with the lines it wraps onto (same level, same block)."""
    first = doc.lines[start]
    parts = [line_text(doc, first)]
    for line in doc.lines[start + 1 :]:
        if line.heading_level != first.heading_level or line.block != first.block:
            break
        parts.append(line_text(doc, line))
    return OffsetText.join(parts)


def largest_print(doc: ParsedDocument) -> OffsetText | None:
    """A print with no heading styles: the first page's largest type, when it is larger than the
    body's, with the lines it runs onto in the same type ('UNITED NATIONS' and a document symbol
    above it are letterhead, in body type)."""
    sized = [line for line in doc.lines if line.size is not None]
    if not sized:
        return None
    body = Counter(round(line.size or 0, 1) for line in sized).most_common(1)[0][0]
    first_page = [
        i for i, line in enumerate(doc.lines) if line.size is not None and line.page == sized[0].page
    ]
    largest = max(round(doc.lines[i].size or 0, 1) for i in first_page)
    if largest < body + 0.9:
        return None
    start = next(i for i in first_page if round(doc.lines[i].size or 0, 1) == largest)
    first = doc.lines[start]
    parts = [line_text(doc, first)]
    for line in doc.lines[start + 1 :]:
        if line.block != first.block or line.size != first.size or line.bold != first.bold:
            break
        parts.append(line_text(doc, line))
    return OffsetText.join(parts)


def _match_in_zone(text: OffsetText, matchers: Sequence[tuple[str, LabelMatcher]]) -> tuple[str, int] | None:
    for prefix, matcher in matchers:
        found = matcher.match(text.text)
        if found is not None:
            return (f"{prefix}{found.key}", found.label_end)
    return None
