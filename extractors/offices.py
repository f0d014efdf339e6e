"""Office contact blocks of reports and programmes: a body, its units, its address, then its
phone, fax and e-mail lines, under a 'Secretariat' or 'Contact' label or the body's own heading.

One label may head several offices ("Enquiries may be addressed to:" / the secretariat's block /
a second body's block): an office ends with its phone and e-mail lines, and a body's name after
them starts the next one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors import nlp
from extractors.contacts import (
    WEB_LINE,
    ContactDraft,
    address_glued_to_office,
    cut_inline_fields,
    is_address_part,
    is_org_unit,
    split_leading_organization,
    starts_with_person,
    take_attention_line,
)
from extractors.labels import Segment
from extractors.normalize import country_of_place, find_dates, seat_of
from extractors.roles import contact_kind
from extractors.text import OffsetText, clean_value, is_org_like

_GENERIC_SECRETARIAT = re.compile(
    r"(?i)^\s*(?:the\s+)?(?:(?:workshop|seminar|meeting|conference|symposium|forum|training|course|event)\s+)+"
    r"secretariat\s*$"
)
_ANNOUNCES_CONTACT = re.compile(
    r"(?i)^\s*(contact|enquiries|inquiries|get in touch|write to|for (more|further) information)\b"
)


def office_blocks(segments: Sequence[Segment], *, block_keys: tuple[str, ...]) -> list[ContactDraft]:
    """Office contact blocks: an organisation heading (or a 'Secretariat'/'Contact' label), its units,
    address lines, then phone/fax/email lines. Prose sections are not blocks."""
    blocks: list[ContactDraft] = []
    for segment in segments:
        if segment.label is None or segment.key not in ("section", *block_keys):
            continue
        heading = clean_value(segment.label)
        # "Contact the programme", "Enquiries": a heading that announces a block, not an organisation.
        names_body = _names_a_body(heading.text)
        announces = bool(_ANNOUNCES_CONTACT.match(heading.text)) or (
            not names_body and contact_kind(heading.text) is not None
        )
        is_heading_org = not announces and names_body
        if segment.key == "section" and not (is_heading_org or announces):
            continue
        heading_org = heading if is_heading_org and segment.key == "section" else None
        if heading_org is not None and _GENERIC_SECRETARIAT.match(heading.text):
            heading_org = None  # 'Workshop Secretariat' names the role; the body follows
        for n, paragraphs in enumerate(_offices(_paragraphs(segment))):
            block = _office(segment.label, paragraphs, heading_org if n == 0 else None)
            if block is not None:
                blocks.append(block)
    return blocks


def _names_a_body(heading: str) -> bool:
    """'Global Soil Partnership Secretariat' names a body; 'VI. Secretariat and further information',
    in sentence case, names the section."""
    if any(len(w) > 3 and w.islower() and w not in _JOINING_WORDS for w in re.findall(r"[^\W\d_]+", heading)):
        return False
    return is_org_like(heading) or nlp.is_organisation(heading)


_JOINING_WORDS = frozenset({"with", "from", "pour", "para", "über", "between", "among"})


def _offices(paragraphs: list[OffsetText]) -> list[list[OffsetText]]:
    """The paragraphs of each office: after an office's phone or e-mail lines, a line that is
    neither a field, a link nor an address names the next office's body."""
    offices: list[list[OffsetText]] = [[]]
    after_fields = False
    for paragraph in paragraphs:
        probe = ContactDraft(role="secretariat")
        rest = cut_inline_fields(probe, paragraph).strip(" .;,·|")
        has_fields = not probe.is_empty()
        link = bool(WEB_LINE.match(paragraph.text))
        if after_fields and offices[-1] and not has_fields and not link and not is_address_part(rest.text):
            offices.append([])
        offices[-1].append(paragraph)
        after_fields = has_fields or (after_fields and link)
    return [o for o in offices if o]


def _office(
    label: OffsetText, paragraphs: list[OffsetText], heading_org: OffsetText | None
) -> ContactDraft | None:
    block = ContactDraft(role="secretariat", evidence=[label])
    rests = [r for r in (cut_inline_fields(block, v).strip(" .;,·|") for v in paragraphs) if r.text]
    if not rests or len(rests) > 10 or any(len(r.text.split()) > 24 for r in rests):
        return None
    rests = [r for r in rests if not WEB_LINE.match(r.text)]
    if len(rests) > 1 and rests[0].text.endswith(":"):
        rests = rests[1:]  # 'Enquiries about the Forum may be addressed to:' announces the office
    if len(rests) > 1:
        # 'Attn.: Dr. A B, Project Manager' under the office's name: the person the block is for.
        attention = next((r for r in rests if take_attention_line(block, r)), None)
        rests = [r for r in rests if r is not attention]
    if any(starts_with_person(r.text) for r in rests):
        return None  # 'Mr. A, Secretariat' / address: a person's block, which the contact readers read
    one_line = len(rests) == 1
    if one_line and not (block.email or block.phone_raw or block.fax_raw) and _is_sentence(rests[0].text):
        return None  # 'The programme was launched in 2004 and is run by ...' under a title
    if one_line:
        # 'Body, 12 Some Street, City, Country' printed on one line.
        rests = rests[0].split_top_level(",")
    elif any(len(r.text.split()) > 14 for r in rests):
        return None  # several long lines: prose, not an office block
    organisation = [heading_org] if heading_org is not None else []
    address: list[OffsetText] = []
    for rest in rests:
        glued = address_glued_to_office(rest.text) if not address else None
        if glued is not None:
            # 'GKP Secretariat Level 23, ...': a layout ran the office's last line into its address.
            organisation.append(clean_value(rest.slice(0, glued)))
            rest = clean_value(rest.slice(glued))
        # On one line only the first part and its units ("..., Environment Section") name the body.
        # A well-known body after the office is its host ('GWOPA Secretariat, UN-Habitat, UN Campus').
        starts_address = is_address_part(rest.text) or (
            one_line and organisation and not is_org_unit(rest.text) and seat_of(rest.text.strip()) is None
        )
        if not address and starts_address and not one_line:
            body, rest = split_leading_organization(clean_value(rest))
            if body is not None:
                organisation.append(body)
        if not rest.text.strip():
            continue
        if address or starts_address:
            address.append(clean_value(rest))
        else:
            organisation.append(clean_value(rest))
        block.evidence.append(rest)
    if not address or not any(is_address_part(a.text) or country_of_place(a.text) for a in address):
        return None  # 'Together we can do more' under a title is a tagline, not an address
    if any(len(m.start) >= 7 for a in address for m in find_dates(a.text)):
        return None  # 'Geneva, 7-9 November 2005' under a report's title: when and where it met
    block.organization = OffsetText.join(organisation, ", ") if organisation else None
    block.address = OffsetText.join(address, ", ")
    return block


def _is_sentence(text: str) -> bool:
    return len(re.findall(r"\b[a-z]{3,}\b", text)) >= 4


def _paragraphs(segment: Segment) -> list[OffsetText]:
    """Value lines, with the lines a PDF paragraph wraps over joined back together."""
    joined: list[OffsetText] = []
    previous = None
    for value, line in zip(segment.values, segment.value_lines, strict=False):
        # A long line ending inside a paragraph was wrapped by layout; a short one was broken by hand.
        if (
            joined
            and previous is not None
            and line.page is not None
            and line.block == previous.block
            and len(joined[-1].text.split("\n")[-1]) > 60
        ):
            joined[-1] = OffsetText.join([joined[-1], value])
        else:
            joined.append(value)
        previous = line
    return joined
