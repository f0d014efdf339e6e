"""Contact blocks: people's names, positions, organisations, addresses, phones, emails."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from extractors import nlp
from extractors.contact_numbers import numbers_rejoined
from extractors.name_commas import merge_commas_in_names
from extractors.normalize import (
    country_code,
    country_of_place,
    find_countries,
    find_emails,
    find_phones,
    normalize_email,
    normalize_phone,
    seat_of,
)
from extractors.rules import common_rules
from extractors.text import OffsetText, clean_value, ends_with_org_head, fold, is_org_like, looks_like_acronym

# 'Héctor', 'O.', 'Jean-Michel': a capital, then lower-case letters of any script (with ' and -).
_UPPER, _LOWER = r"[^\W\d_a-zß-ÿ]", r"[^\W\d_A-ZÀ-Þ]"
_NAME_TOKEN = re.compile(
    rf"^{_UPPER}(?:{_LOWER}|['’\-])+$|^{_UPPER}\.$|^{_UPPER}{_LOWER}*-{_UPPER}{_LOWER}+$"
)


def looks_like_person(text: str) -> bool:
    """A personal name: 2-4 capitalised words, with name particles between them ('Braulio Ferreira
    de Souza Dias'), no organisation words (spaCy confirms when unsure)."""
    rules = common_rules()
    particles, place_heads = _word_sets()
    all_words = _strip_honorific(text).split()
    # Particles join capitalised words; they never start or end a name.
    words = [w for n, w in enumerate(all_words) if not (0 < n < len(all_words) - 1 and w in particles)]
    if not 2 <= len(words) <= 4 or is_org_like(text):
        return False
    if re.search(r"\d", text) or re.match(r"(?i)\s*p\.?\s?o\.?\s+box\b", text):
        return False  # 'P.O. Box': an address
    if country_code(" ".join(words)) or " ".join(words).casefold() in _REGIONS:
        return False  # 'Costa Rica', 'Central America': places, not people
    if {words[0].casefold(), words[-1].casefold()} & place_heads or _names_street(text):
        return False  # 'Green Lake Hotel', 'Palais des Nations', 'Mizingani Street', 'United Nations Avenue'
    folded = [fold(w).strip(".,;:()") for w in words]
    if ":" in text or any(w in rules.not_name_words for w in folded):
        return False  # 'Symposium III: Governance', 'The Bariloche Declaration'
    if folded[-1] in rules.position_heads:
        return False  # 'Regional Director': a position printed where a name stands

    if all(_NAME_TOKEN.match(w) or w.isupper() and len(w) > 1 for w in words):
        return True
    return nlp.is_person(text)


@lru_cache(maxsize=1)
def _word_sets() -> tuple[frozenset[str], frozenset[str]]:
    """Name particles and places' head words, as sets: ``looks_like_person`` runs on every candidate."""
    rules = common_rules()
    return frozenset(rules.name_particles), frozenset(rules.place_head_words)


_REGIONS = frozenset(
    f"{side} {land}"
    for side in ("central", "south", "southern", "north", "northern", "east", "eastern", "west", "western")
    for land in ("america", "africa", "asia", "europe")
)


def _strip_honorific(text: str) -> str:
    honorifics = set(common_rules().honorifics)
    words = text.split()
    while words and words[0].casefold() in honorifics:
        words = words[1:]
    return " ".join(words)


def strip_honorific(text: OffsetText) -> tuple[OffsetText, str | None]:
    """'Professor Hidefumi Imura' -> ('Hidefumi Imura', 'Professor')."""
    honorifics = set(common_rules().honorifics)
    found: list[str] = []
    while True:
        words = text.text.split(maxsplit=1)
        if len(words) == 2 and words[0].casefold() in honorifics:
            found.append(words[0])
            text = text.slice(text.text.index(words[1], len(words[0]))).strip()
        else:
            break
    title = " ".join(found) if found else None
    return text, title


# A speakers table's session cell that says what the person did: 'Chair, closing plenary'.
_CHAIR_CELL = re.compile(
    r"^\s*(?:co-?)?(?:chair(?:ed|s|person|man|woman)?|moderat(?:or|ed)|presid(?:ed|ing)|"
    r"president(?=\s*(?::|of\s+the\s+(?:session|meeting|conference|plenary|assembly)\b)))\b",
    re.I,
)


def row_names_chair(cells: Iterable[str]) -> bool:
    """Whether one of a person's row cells opens by naming them chair or moderator."""
    return any(_CHAIR_CELL.match(cell) for cell in cells)


def is_position(text: str) -> bool:
    """'Deputy Director', 'Director, Bureau of Engineering', 'City Environment and Natural Resources Officer'."""
    first = fold(text.split(",", 1)[0])
    if any(first == p or first.startswith(p + " ") for p in common_rules().position_words):
        return True
    words = first.split()
    if len(words) <= 8 and bool(words) and words[-1] in common_rules().position_heads:
        return True
    # 'Prime Minister of the Republic of Tajikistan': the post's head stands before its 'of'.
    head = re.split(r"\s(?:of|for|to)\s", first, maxsplit=1)[0].split()
    return len(head) <= 5 and bool(head) and head[-1] in common_rules().position_heads


def split_trailing_position(text: OffsetText) -> tuple[OffsetText, OffsetText | None]:
    """'Veikko Soralahti Counsellor' -> ('Veikko Soralahti', 'Counsellor'): a name line that a cell or
    a lost line break ran into the position written under it."""
    words = list(re.finditer(r"\S+", text.text))
    for k in range(2, min(len(words), 5)):
        tail = text.text[words[k].start() :]
        head = text.text[: words[k - 1].end()]
        if is_position(tail) and _is_title_word(words[k].group()) and looks_like_person(head):
            return text.slice(0, words[k - 1].end()), text.slice(words[k].start())
    return text, None


def _is_title_word(word: str) -> bool:
    rules = common_rules()
    folded = fold(word).strip(",;:.")
    return folded in rules.position_heads or folded in rules.position_words


_POST_AT = re.compile(r"\s+(?:at|with)\s+(?:the\s+)?(?=[A-Z])")


def split_position_organization(value: OffsetText) -> tuple[OffsetText | None, OffsetText | None]:
    """'Deputy Director, Office X, City of Kitakyushu' -> position 'Deputy Director, Office X', org 'City of Kitakyushu'.

    Only the last comma part can be the organisation, and only when it names one.
    """
    value = clean_value(value)
    if not value.text:
        return None, None
    # 'UNEP Division of Technology, Industry and Economics' is one body, its commas its portfolio.
    parts = merge_commas_in_names(value.split_top_level(","))
    if len(parts) == 1:
        split = _post_at_body(value)
        if split is not None:
            return split
    if len(parts) == 2 and country_code(parts[-1].text):
        # 'General Director of the National Institute for Space Research (INPE), Brazil': the
        # country places the body the post is of.
        split = _post_at_body(parts[0])
        if split is not None:
            position, body = split
            return position, clean_value(value.slice(value.text.index(body.text, len(position.text))))
    if (
        len(parts) >= 3
        and country_code(parts[-1].text)
        and _names_organisation(parts[-2].text)
        and not is_position(parts[-2].text)
    ):
        # 'Ambassador, Ministry of Sustainable Development, Sweden': the country places the body.
        cut = value.text.rfind(parts[-2].text, 0, value.text.rfind(parts[-1].text))
        return (clean_value(value.slice(0, cut)) or None), clean_value(value.slice(cut))
    if len(parts) >= 2 and _names_organisation(parts[-1].text) and not is_position(parts[-1].text):
        cut = value.text.rfind(parts[-1].text)
        position = clean_value(value.slice(0, cut))
        return (position or None), parts[-1]
    return value, None


def _post_at_body(value: OffsetText) -> tuple[OffsetText, OffsetText] | None:
    """'Senior Policy Advisor with the UN-REDD Programme', 'Fellow at UNU-IAS', 'Coordinator of
    UNEP/MAP': a post at a body, split at its preposition."""
    for at in _POST_AT.finditer(value.text):
        if not is_position(value.text[: at.start()]):
            continue
        body = clean_value(value.slice(at.end()))
        if (
            looks_like_acronym(body.text.split()[0])
            or _names_organisation(body.text)
            or _works_at(at, body.text)
        ):
            return clean_value(value.slice(0, at.start())), body
    of = _POST_OF.search(value.text)
    if of and is_position(value.text[: of.start()]):
        body = clean_value(value.slice(of.end()))
        if _body_a_post_is_of(body.text):
            return clean_value(value.slice(0, of.start())), body
    return None


_POST_OF = re.compile(r"\s+of\s+(?:the\s+)?(?=[A-Z])")
_PROPER_NAME = re.compile(r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|for|and|de|la|du)\s+)?[A-Z][\w'’&.-]*)*")


def _works_at(at: re.Match[str], body: str) -> bool:
    """'Researcher at SwedBio', 'Coordinator ... at the Geneva Water Hub': after 'at' a proper
    name that is no place is where the person works, whatever its head noun."""
    return (
        at.group().strip().startswith("at")
        and _PROPER_NAME.fullmatch(body) is not None
        and not country_code(body)
        and not country_of_place(body)
    )


_BODY_TAIL = re.compile(r"\s*(?:\([^()]*\)|\s[–—-]\s.*)$")


def _body_a_post_is_of(text: str) -> bool:
    """'UNEP', 'GWP China', 'the Global Footprint Network', 'the Environment Agency – Abu Dhabi':
    a body the person works for. A country, a place or a unit that is itself the post ('the
    Conference Secretariat', 'the Lakes Programme') is not."""
    bare = _BODY_TAIL.sub("", text).strip()
    words = bare.split()
    if not words or country_code(bare) or country_of_place(bare):
        return False
    if looks_like_acronym(words[0]) and not country_code(words[0]):
        return True
    # The body's head noun ends the name or stands before its own 'for'/'of' ('Institute for Space Research').
    head = re.split(r"\s(?:for|of|on)\s", bare, maxsplit=1)[0].split()[-1]
    heads = common_rules().post_of_body_heads
    return seat_of(bare) is not None or fold(words[-1]) in heads or fold(head) in heads


def _names_organisation(text: str) -> bool:
    return is_org_like(text) or seat_of(text) is not None or nlp.is_organisation(text)


@dataclass
class ContactDraft:
    """Fields of one contact block as found, before validation."""

    role: str
    name: OffsetText | None = None
    position: OffsetText | None = None
    organization: OffsetText | None = None
    address: OffsetText | None = None
    phone_raw: OffsetText | None = None
    fax_raw: OffsetText | None = None
    email: OffsetText | None = None
    evidence: list[OffsetText] = field(default_factory=list)
    # A position value whose last part was taken as the organisation, kept whole until an
    # 'Organisation' field shows the part was a unit of the position after all.
    position_as_written: OffsetText | None = None
    # Read from a table of one contact per column or row: its cells are exact, so it replaces
    # a contact another reader made of the same cells.
    from_grid: bool = False

    def span(self) -> tuple[int, int]:
        starts = [e.start for e in self.evidence if e]
        ends = [e.end for e in self.evidence if e]
        return (min(starts), max(ends)) if starts else (0, 0)

    def is_empty(self) -> bool:
        return not any((self.name, self.organization, self.address, self.phone_raw, self.fax_raw, self.email))


def address_country(address: str | None) -> str | None:
    if not address:
        return None
    found = find_countries(address)
    return found[-1][0] if found else None


def phone_and_fax(value: OffsetText) -> tuple[OffsetText, OffsetText]:
    """'Telephone / Fax: +1 202 458 1739 / +1 202 522 0396': the first number is the phone and the
    second the fax, as the label orders them; a single number is both."""
    found = find_phones(value.text)
    if len(found) == 2:
        (_, start, end), (_, fax_start, fax_end) = found
        return value.slice(start, end), value.slice(fax_start, fax_end)
    return value, value


def phone_value(raw: OffsetText | None, region: str | None) -> str | None:
    if raw is None:
        return None
    return normalize_phone(raw.text, default_region=region)


def email_value(raw: OffsetText | None) -> str | None:
    if raw is None:
        return None
    value = normalize_email(raw.text)
    if value:
        return value
    found = find_emails(raw.text)
    return found[0][0] if found else None


_INLINE_FIELD = re.compile(
    r"(?:(?<=^)|(?<=[\s;,.(]))(?P<label>e-?mail|tel(?:ephone)?\.?(?:\s*/\s*fax)?|phone(?:\s*/\s*fax)?|fax|facsimile"
    r"|mobile)\b\s*[:.]?\s*",
    re.I,
)
_LEAD_IN = re.compile(
    r"^(?:the\s+)?(?:[\w-]+\s+){0,5}?(?:focal\s+point|contact(?:\s+person)?|coordinator)\b[^,]{0,40}?\b(?:is|are)\s+",
    re.I,
)


def _names_street(text: str) -> bool:
    return bool(_street_words().search(text))


@lru_cache(maxsize=1)
def _street_words() -> re.Pattern[str]:
    """Street words as whole words: 'Soi 11' and 'Ngong Road' name streets, 'Coastal Soils' and
    'Broadband Planet' do not. A word printed as a suffix ('-ku', '-dori') is one."""
    patterns = []
    for word in common_rules().street_words:
        start = "" if word.startswith("-") else r"(?<![^\W\d_])"
        end = "" if not word[-1].isalnum() else r"s?(?![^\W\d_])"
        patterns.append(start + re.escape(word) + end)
    return re.compile("|".join(patterns), re.I)


def is_address_part(text: str) -> bool:
    if _names_street(text) or re.match(r"^\W*\d", text):
        return True
    if re.search(r"\d", text):
        # 'Suwon Council for Local Agenda 21' is a body; '... Seoul 122-706' is an address.
        return not (is_org_like(text) and not re.search(r"\d{3,}|\d-\d", text))
    # 'Republic of Korea' alone is the end of an address; 'Korea Environment Institute' is a body.
    return bool(find_countries(text) and len(text.split()) <= 4 and not is_org_like(text))


def is_postal_line(text: str) -> bool:
    """'Apartado 0816-03240, Panama City, Panama', 'Kräftriket 2B, SE-106 91 Stockholm': a line of
    an address block (its first part a street, a box or a postcode), never a body's name."""
    head = text.split(",")[0].strip()
    return bool(head) and (
        _names_street(head) or (is_address_part(head) and re.search(r"\d{3,}|\d-\d", head) is not None)
    )


def split_leading_organization(text: OffsetText) -> tuple[OffsetText | None, OffsetText]:
    """'Korea Environment Institute, 613-2 Bulgwang-dong, Seoul' -> the body, then its address."""
    parts = text.split_top_level(",")
    head = parts[0].text if parts else ""
    # 'Korea Environment Institute' names a country but no street or number: a body, not an address.
    if len(parts) >= 2 and not (_names_street(head) or re.search(r"\d", head)) and is_org_like(head):
        # 'Department of Architecture and Planning, Gadjah Mada University, Jl. Grafika No. 2': bodies
        # follow each other until the first part that is an address.
        n = 1
        while (
            n < len(parts)
            # 'GWOPA Secretariat, UN-Habitat, UN Campus, ...': a well-known body needs no head noun
            and (is_org_like(parts[n].text) or seat_of(parts[n].text.strip()) is not None)
            and not is_address_part(parts[n].text)
            and address_glued_to_office(parts[n].text) is None
        ):
            n += 1
        if n == len(parts):
            return clean_value(text), text.slice(len(text.text))
        cut = text.text.index(parts[n].text, len(parts[n - 1].text))
        glued = address_glued_to_office(parts[n].text)
        if glued is not None:
            cut += (
                glued  # '..., Mechanisms programme Martin-Luther-King-Strasse 8': the unit, then the street
            )
        return clean_value(text.slice(0, cut).strip(" ,")), clean_value(text.slice(cut))
    glued = address_glued_to_office(head)
    if glued is not None:
        return clean_value(text.slice(0, glued)), clean_value(text.slice(glued))
    return None, text


def address_glued_to_office(text: str) -> int | None:
    """'GKP Secretariat Level 23', 'Mechanisms programme Martin-Luther-King-Strasse 8': an office's
    name run into its address when a layout joined two lines; where the address starts. The
    office ends with a body's head noun, the rest is an address from its first word."""
    words = list(re.finditer(r"\S+", text))
    for k in range(1, len(words)):
        head, tail = text[: words[k - 1].end()], text[words[k].start() :]
        first = words[k].group()
        if not (first[:1].isupper() or first[:1].isdigit()):
            continue
        # The address opens with a street or a number ('Level 23'): a town alone may be the office's.
        if (
            ends_with_org_head(head)
            and re.search(r"\d", " ".join(tail.split()[:3]))
            and is_address_part(tail)
            and not is_address_part(head)
        ):
            return words[k].start()
    return None


_LINK = re.compile(r"https?://|\bwww\.", re.I)
_ATTENTION = re.compile(r"^(?:attn|attention|for the attention of)\.?\s*:?\s*", re.I)
# 'Director General: Mr. A B', 'Head of the Conference Secretariat: A B': a post as the label of
# the person holding it.
POSITION_THEN_PERSON = re.compile(r"^(?P<position>[A-Z][^:]{2,80}?)\s*:\s*(?P<rest>\S.*)$")
_HOSTED = re.compile(r"(?i)^(?:hosted|housed|based|located)\s+(?:by|at|in|with)\s+(?:the\s+)?[A-Z]|^c/o\s")


def starts_with_person(text: str) -> bool:
    """'Mr. A B, Coordinator', 'A B, Unit': a line that opens with a person's name."""
    bare, _ = strip_honorific(OffsetText.at(text.strip(), 0))
    return looks_like_person(bare.text.split(",")[0].strip())


def take_attention_line(contact: ContactDraft, line: OffsetText) -> bool:
    """The person a block is for, on a line of their own under an office's name: 'Attn.: Dr. A B,
    Project Manager', or their post before them ('Director General: Mr. A B'). Fills the
    contact's name (and position) and says whether the line was one."""
    attention = _ATTENTION.match(line.text)
    post = None if attention else POSITION_THEN_PERSON.match(line.text)
    if post is not None and not is_position(post.group("position")):
        post = None
    if attention is not None:
        attended = line.slice(attention.end())
    elif post is not None:
        attended = line.slice(post.start("rest"))
    else:
        return False
    who, _, what = attended.text.partition(",")
    named, _ = strip_honorific(attended.slice(0, len(who)).strip())
    if not looks_like_person(named.text):
        return False
    contact.name = named
    if contact.position is None:
        if post is not None:
            contact.position = clean_value(line.slice(0, post.end("position")))
        elif what.strip():
            contact.position = clean_value(attended.slice(len(who) + 1))
    contact.evidence.append(line)
    return True


def parse_contact_block(contact: ContactDraft, lines: list[OffsetText]) -> None:
    """Fill a contact from an unlabelled block: 'Name, Position, Organisation, Address. Tel: ...; Fax: ...'.

    Printed on one line the parts are comma-separated; on several lines each line
    is one part (a line may hold 'Position, Unit'). Inline 'Tel:'/'Fax:'/'E-mail:'
    fields are cut out first, wherever they stand.
    """
    identity: list[OffsetText] = []
    for line in numbers_rejoined(lines):
        rest = cut_inline_fields(contact, line)
        if WEB_LINE.match(rest.text):
            continue  # 'Forum documents and presentations: http://...': a link, no office
        if rest.text.strip(" .;,"):
            identity.append(rest.strip(" .;,"))
    if not identity:
        return
    for i, line in enumerate(identity):
        if contact.name is None and len(identity) > 1 and take_attention_line(contact, line):
            identity.pop(i)
            break
    if len(identity) == 1:
        head = identity[0]
        lead = _LEAD_IN.match(head.text)
        if lead:
            head = head.slice(lead.end())
        parts = head.split_top_level(",")
    else:
        lead = _LEAD_IN.match(identity[0].text)
        parts = [identity[0].slice(lead.end()) if lead else identity[0], *identity[1:]]
    parts = [clean_value(p) for p in parts if clean_value(p).text]
    if not parts:
        return
    name, honorific = strip_honorific(parts[0])
    name, title_run = split_trailing_position(name)
    if contact.name is None and looks_like_person(name.text):
        contact.name = name
        contact.evidence.append(parts[0])
        parts = [title_run, *parts[1:]] if title_run is not None else parts[1:]
    elif contact.name is None and not is_org_like(parts[0].text):
        person = _person_inside(parts[0])
        if person is not None:
            contact.name = person
            parts = parts[1:]
    position: list[OffsetText] = []
    while parts and not is_address_part(parts[0].text):
        if position and (is_org_like(parts[0].text) or nlp.is_organisation(parts[0].text)):
            break
        if not position and not is_position(parts[0].text) and is_org_like(parts[0].text):
            break
        position.append(parts.pop(0))
        if len(lines) > 1:
            break  # one line, one part: the position line is done
    # 'Project Officer' / 'International Cooperation Division' / 'Da Nang Water Supply Company':
    # units between the position and the body belong to the position.
    while position and len(lines) > 1 and len(parts) >= 2 and is_org_unit(parts[0].text):
        if is_address_part(parts[1].text):
            break
        position.append(parts.pop(0))
    if position and contact.position is None:
        contact.position = OffsetText.join(position, ", ")
    if parts and not is_address_part(parts[0].text) and contact.organization is None:
        contact.organization = parts.pop(0)
        # 'X secretariat, hosted by Y': the host is part of how the office is named.
        while parts and _HOSTED.match(parts[0].text) and contact.organization is not None:
            contact.organization = OffsetText.join([contact.organization, parts.pop(0)], ", ")
        # An office printed over lines of its own ('TerrAfrica Secretariat' / 'NEPAD Planning and
        # Coordinating Agency' / address): each body line before the address names the office.
        while contact.name is None and len(lines) > 1 and parts and _office_line(parts[0].text):
            contact.organization = OffsetText.join([contact.organization, parts.pop(0)], ", ")
        # 'GWOPA Secretariat, UN-Habitat, UN Campus, ...' on one line: a well-known body after the
        # office is its host, not its address.
        while len(parts) >= 2 and seat_of(parts[0].text) is not None and not is_address_part(parts[0].text):
            contact.organization = OffsetText.join([contact.organization, parts.pop(0)], ", ")
    if parts:
        # 'Network Secretariat' / 'Korea Environment Institute, 613-2 Bulgwang-dong, ...': the host body.
        body, rest = split_leading_organization(parts[0])
        if body is not None and (contact.organization is None or len(lines) > 1):
            contact.organization = OffsetText.join([o for o in (contact.organization, body) if o], ", ")
            parts[0] = rest
    # 'Meeting documents: http://...' after the office: a link, which websites read, not its address.
    parts = [p for p in parts if p.text.strip() and not _LINK.search(p.text)]
    if parts and contact.address is None:
        contact.address = OffsetText.join(parts, ", ")
    contact.evidence.extend(lines)


def _office_line(text: str) -> bool:
    """A line naming a body, not where it is: no number, no comma, no building."""
    words = text.split()
    if not words or re.search(r"\d|,", text) or is_address_part(text):
        return False
    places = common_rules().place_head_words
    if words[0].casefold() in places or words[-1].casefold() in places:
        return False
    return is_org_like(text) or nlp.is_organisation(text)


def _person_inside(text: OffsetText) -> OffsetText | None:
    for label, _, start, end in nlp.entities(text.text):
        if label == "PERSON":
            return text.slice(start, end)
    return None


def cut_inline_fields(contact: ContactDraft, line: OffsetText) -> OffsetText:
    matches = list(_INLINE_FIELD.finditer(line.text))
    if not matches:
        return line
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line.text)
        value = clean_value(line.slice(match.end(), end))
        if not value.text:
            continue
        label = match.group("label").casefold()
        if label.startswith("e"):
            contact.email = contact.email or value
        elif label.startswith(("tel", "phone")) and "fax" in label:
            phone, fax = phone_and_fax(value)
            contact.phone_raw = contact.phone_raw or phone
            contact.fax_raw = contact.fax_raw or fax
        elif "fax" in label or label.startswith("facs"):
            contact.fax_raw = contact.fax_raw or value
        else:
            contact.phone_raw = contact.phone_raw or value
        contact.evidence.append(value)
    return line.slice(0, matches[0].start())


# A line of links, or the heading over them ('On the web', 'Websites'): no part of an office's address.
WEB_LINE = re.compile(
    r"^\s*(?:web(?:sites?)?|url|internet|homepage)\s*[:.]|^\s*(?:https?://|www\.)"
    r"|^\s*(?:on\s+the\s+(?:web|internet)|web\s?sites?|online|links)\s*:?\s*$"
    r"|^\s*[^:/]{0,60}:\s*(?:https?://|www\.)\S+\s*$",
    re.I,
)


def is_org_unit(text: str) -> bool:
    words = {w.casefold().strip(".,") for w in text.split()}
    return bool(words & set(common_rules().org_unit_words))
