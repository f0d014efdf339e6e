"""Programme descriptions and brochures: the programme, its phases, adoption, who runs and funds it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from extractors.common import Draft, ExtractionContext, websites
from extractors.labels import LabelMatcher, line_text, segment_lines
from extractors.lists import split_items, table_body_cells
from extractors.normalize import DateMention, country_in_name, find_dates, parse_date
from extractors.offices import office_blocks
from extractors.programme_phases import phase_rows, phases
from extractors.prose import acronym_map, find_triggered_orgs, split_title_acronym, title_acronym
from extractors.rules import programme_rules
from extractors.targets import extract_targets
from extractors.text import (
    OffsetText,
    clean_value,
    collapse_ws,
    fold,
    looks_like_acronym,
    sentence_spans,
)
from schemas.records import DateRecord, PartnerRecord


@lru_cache(maxsize=1)
def _matcher() -> LabelMatcher:
    return LabelMatcher(programme_rules().labels)


def extract_programme(ctx: ExtractionContext) -> Draft:
    draft = Draft()
    segments = segment_lines(
        ctx.doc,
        lambda zone: [("", _matcher())],
        zone_of=lambda key: key,
        terminators=lambda line, zone: line.heading_level > 0,
    )
    title = _title(ctx)
    if title is not None:
        draft.title = title.text
        draft.title_confidence = 0.8
        draft.acronym = title_acronym(ctx.doc.text, title.text)
    phases(ctx, draft)
    phase_rows(ctx, draft)
    _adoption_label(ctx, segments, draft)
    if title is not None:
        programme = _ProgrammeNames.of(title.text, draft.acronym)
        if not any(d.role == "adoption" for d in draft.dates):
            _adoption(ctx, draft, programme)
        _cycle(ctx, draft, programme)
    _partners(ctx, draft)
    _participants(ctx, segments, draft)
    extract_targets(ctx, segments, draft, method="programme.targets")
    draft.contacts.extend(office_blocks(segments, block_keys=("secretariat",)))
    draft.websites.extend(websites(ctx))
    return draft


def _participants(ctx: ExtractionContext, segments, draft: Draft) -> None:
    for segment in segments:
        if segment.key not in ("participants", "organizers", "funders"):
            continue
        category = {"participants": "participant", "organizers": "organizer", "funders": "funder"}[
            segment.key
        ]
        values, lines = table_body_cells(list(segment.values), list(segment.value_lines))
        items = split_items(values, lines, group_patterns=[], noise=_NOISE)
        for item in items:
            _add(
                ctx,
                draft,
                item.name.text,
                (item.evidence.start, item.evidence.end),
                category,
                item.acronym,
                item.country,
                f"programme.section.{segment.key}",
                0.85,
            )


_NOISE = frozenset({"etc", "etc.", "and others", "others"})


def _add(
    ctx, draft: Draft, name: str, span: tuple[int, int], category: str, acronym, country, method, confidence
):
    if any(p.category == category and fuzz.ratio(fold(p.name), fold(name)) >= 90 for p in draft.partners):
        return
    record = ctx.facts.make(
        PartnerRecord,
        span,
        method=method,
        confidence=confidence,
        name=name,
        acronym=acronym,
        category=category,
        country=country or country_in_name(name),
        lead=False,
    )
    if record:
        draft.partners.append(record)


# A line of the title's size that opens with an article starts a subtitle, not the title's next words.
_SUBTITLE_START = re.compile(r"^\s*(?:The|A|An)\s")


def _title(ctx: ExtractionContext) -> OffsetText | None:
    """The leading heading lines (a title set large may wrap over several lines)."""
    doc = ctx.doc
    lines = doc.lines
    start = next((i for i, line in enumerate(lines[:15]) if line.heading_level > 0), None)
    if start is None:
        return _title_from_text(ctx)
    level = lines[start].heading_level
    parts = [line_text(doc, lines[start])]
    for line in lines[start + 1 : start + 4]:
        if line.heading_level != level or line.block != lines[start].block and doc.n_pages is None:
            break
        text = line_text(doc, line)
        if _SUBTITLE_START.match(text.text):
            break  # 'Preparing the Caribbean for Climate Change' / 'The CARICOM regional programme: ...'
        parts.append(text)
    return clean_value(collapse_ws(OffsetText.join(parts))) or None


def _title_from_text(ctx: ExtractionContext) -> OffsetText | None:
    """Without layout cues: the opening line, continued while the next short line carries on the phrase."""
    doc = ctx.doc
    if not doc.lines:
        return None
    parts = [line_text(doc, doc.lines[0])]
    for line in doc.lines[1:4]:
        text = line_text(doc, line)
        carries_on = text.text[:1].islower() or re.search(r"\b(of|for|and|the|on|in)$", parts[-1].text)
        if len(text.text) > 60 or parts[-1].text.rstrip().endswith((".", ":")) or not carries_on:
            break
        parts.append(text)
    title = clean_value(collapse_ws(OffsetText.join(parts)))
    if len(title.text) > 150 or title.text.endswith("."):
        return None
    return title or None


def _adoption_label(ctx: ExtractionContext, segments, draft: Draft) -> None:
    """'Launched | 1994, under a memorandum of understanding ...': the date a launch label gives."""
    for segment in segments:
        if segment.key != "adoption" or not segment.values:
            continue
        value = segment.values[0]
        mention = parse_date(value.text)
        if mention is None or mention.end is not None or mention.offset > 3:
            continue
        if _add_adoption(
            ctx,
            draft,
            value.slice(mention.offset, mention.end_offset),
            mention,
            "programme.adoption_label",
            0.85,
        ):
            return


def _add_adoption(
    ctx: ExtractionContext,
    draft: Draft,
    evidence: OffsetText | tuple[int, int],
    date: DateMention,
    method: str,
    confidence: float,
) -> bool:
    record = ctx.facts.make(
        DateRecord,
        evidence,
        method=method,
        confidence=confidence,
        role="adoption",
        start=date.start,
        end=None,
        text=date.text,
    )
    if record:
        draft.dates.append(record)
    return record is not None


# 'About the X', 'X — Euro-Mediterranean Co-operation on ...', 'X (ACR)': the names a title gives.
_TITLE_LEAD = re.compile(r"^(?:about|welcome to)\s+(?:the\s+)?", re.I)


def _short_names(title: str, acronym: str | None) -> list[str]:
    names = [_TITLE_LEAD.sub("", title)]
    head = re.split(r"\s+[—–:-]\s+|\s*\(", names[0], maxsplit=1)[0]
    names.append(head)
    if acronym:
        names.append(acronym)
    # 'Consolidated Plan of Action (CPA)': the title's bracketed acronym names the programme,
    # short as it is, even where its letters skip words of the title.
    bracketed = [a for a in re.findall(r"\(([A-Z][\w-]{1,15})\)", title) if looks_like_acronym(a)]
    return [fold(n) for n in names if len(n) >= 4] + [fold(a) for a in bracketed]


_NAMES_EVENT = re.compile(
    r"\s+(?:[A-Z][\w-]*\s+){0,4}(?:Summit|Conference|Congress|Meeting|Forum|Session|Assembly|Convention|Games)\b"
)


# 'Launch. The BDP Programme was launched ...': a run-in heading ends where its sentence begins.
_RUN_IN_HEADING = re.compile(r"(?<=[a-z])\.\s+(?=[A-Z])")


@dataclass(frozen=True)
class _ProgrammeNames:
    """The names a programme goes by in its own sentences: its title, the title's head and
    bracketed acronyms, and its acronym ('Basin Development Plan Programme (BDP)')."""

    title_words: str
    names: tuple[str, ...]
    acronym: str | None

    @classmethod
    def of(cls, title: str, acronym: str | None) -> _ProgrammeNames:
        acronym = acronym or split_title_acronym(title, None)[1]
        return cls(fold(title), tuple(_short_names(title, acronym)), acronym)

    def is_subject(self, subject: str, before: str) -> bool:
        """Whether a sentence's subject is the programme: one of its names, 'the programme', or a
        pronoun right after the programme was named (``before``, the text preceding the sentence)."""
        folded = fold(subject)
        names_it = (
            fuzz.partial_ratio(self.title_words, folded) >= 90
            or any(
                name == folded or folded.endswith(" " + name) or folded.startswith(name + " ")
                for name in self.names
            )
            or (self.acronym is not None and self.acronym in subject)
        )
        if names_it or re.fullmatch(r"(?i)(?:the )?(programme|program|initiative|partnership)", subject):
            return True
        pronoun = re.fullmatch(
            r"(?i)(it|this|the (network|forum)|its (establishment|creation|launch|founding|formation|adoption))",
            subject,
        )
        return bool(pronoun) and any(name in fold(before) for name in [self.title_words, *self.names])


# 'covers the cycle 2002-2006', 'is implemented over a five-year cycle, 2006–2010'
_CYCLE = re.compile(
    r"\b(?:covers|covered|spans|spanned|runs\s+over|ran\s+over|(?:is|are|was|were)\s+implemented\s+over)"
    r"\s+(?:a|the|its)\s+(?:[\w-]+\s+){0,2}?(?:cycle|period)\b[\s,:]*(?:of\s+|from\s+)?",
    re.I,
)
# The subject ends at its verb: 'The programme was launched in 2002 and covers the cycle ...'.
_SUBJECT_ENDS = re.compile(r"\s(?:was|were|is|are|has|have|had|covers|covered|spans|spanned|runs|ran)\b")


def _cycle(ctx: ExtractionContext, draft: Draft, programme: _ProgrammeNames) -> None:
    """The programme's own span written in a sentence: 'CD4CDM covers the cycle 2002-2006'. Only
    a sentence whose subject is the programme: 'The strategy covered the period 2006-2010' is not."""
    text = ctx.doc.text
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        cycle = _CYCLE.search(sentence)
        if cycle is None:
            continue
        opening = _RUN_IN_HEADING.split(sentence[: cycle.start()])[-1]
        subject = " ".join(_SUBJECT_ENDS.split(opening, maxsplit=1)[0].split())
        if not programme.is_subject(subject, text[max(0, start - 600) : start]):
            continue
        span = parse_date(sentence[cycle.end() :])
        if span is None or span.end is None or span.offset > 0:
            continue
        evidence = (start + cycle.start(), start + cycle.end() + span.end_offset)
        record = ctx.facts.make(
            DateRecord,
            evidence,
            method="programme.cycle",
            confidence=0.75,
            role="phase",
            start=span.start,
            end=span.end,
            text=text[evidence[0] : evidence[1]],
        )
        if record:
            draft.dates.append(record)
            return


def _adoption(ctx: ExtractionContext, draft: Draft, programme: _ProgrammeNames) -> None:
    text = ctx.doc.text
    verbs = "|".join(re.escape(v) for v in programme_rules().adoption_verbs)
    verb_pattern = re.compile(
        rf"\b(?:was|were|has been|had been|is)\s+(?:first\s+|formally\s+|officially\s+)?({verbs})\b"
        r"|\b(began|started|commenced)\s+(?:its\s+)?(?:operations|work|activities|operating)\b",
        re.I,
    )
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        verb = verb_pattern.search(sentence)
        if verb is None:
            continue
        # 'Who runs it\nSafeMed was launched ...': a heading without a stop runs into the sentence.
        subject = " ".join(sentence[: verb.start()].split("\n")[-1].split()) or " ".join(
            sentence[: verb.start()].split()
        )
        subject = _RUN_IN_HEADING.split(subject)[-1]  # 'Launch. The BDP Programme was launched ...'
        if not programme.is_subject(subject, text[max(0, start - 600) : start]):
            continue
        # 'at the 2002 World Summit': a year naming an event is the event's, not the programme's.
        dates = [
            d
            for d in find_dates(sentence)
            if d.end is None and not _NAMES_EVENT.match(sentence[d.end_offset :])
        ]
        if not dates:
            continue
        date = min(dates, key=lambda d: abs(d.offset - verb.start()))
        if _add_adoption(
            ctx, draft, (start + date.offset, start + date.end_offset), date, "programme.adoption", 0.8
        ):
            return


def _partners(ctx: ExtractionContext, draft: Draft) -> None:
    text = ctx.doc.text
    acronyms = acronym_map(text)
    by_name = {fold(full): acr for acr, full in acronyms.items()}
    for mention in find_triggered_orgs(text, programme_rules().partner_triggers):
        name = mention.name
        acronym = mention.acronym
        # A PDF line break can glue the next heading onto a name: cut at a defined full name.
        for full_folded, acr in by_name.items():
            if fold(name).startswith(full_folded):
                name, acronym = name[: len(full_folded)], acr
                break
        if any(
            p.category == mention.category and fuzz.token_sort_ratio(fold(p.name), fold(name)) >= 90
            for p in draft.partners
        ):
            continue
        record = ctx.facts.make(
            PartnerRecord,
            (mention.start, mention.start + len(name)),
            method=f"programme.prose.{mention.category}",
            confidence=mention.confidence,
            name=name,
            acronym=acronym,
            category=mention.category,
            country=mention.country or country_in_name(name),
            lead=False,
        )
        if record:
            draft.partners.append(record)
