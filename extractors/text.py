"""Text helpers that keep every character's offset in the source document.

Extraction rewrites text (joins wrapped lines, strips bullets and quotes,
splits lists) yet every fact must still point at its evidence. ``OffsetText``
carries, for each character, its offset in ``ParsedDocument.text``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from extractors.rules import common_rules

_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-", "−": "-"}
)
_WS = re.compile(r"\s+")


# An upper-case letter of the Latin alphabets, accented too ('Özkaldı', 'Ángel', 'Łukasz'): names
# begin with one, and ASCII 'A-Z' misses them.
UPPER = "[A-Z" + "".join(ch for ch in map(chr, range(0xC0, 0x250)) if ch.isupper()) + "]"


def fold(text: str) -> str:
    """Case-, quote-, dash- and white-space-insensitive form for comparisons."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _WS.sub(" ", text).strip()


def fold_label(text: str) -> str:
    """Label form: folded, spaces around '/' removed, surrounding punctuation dropped."""
    text = fold(text)
    text = re.sub(r"\s*/\s*", "/", text)
    return text.strip(" :.-*•")


@dataclass(frozen=True)
class OffsetText:
    """A string plus, per character, its offset in the document text."""

    text: str
    pos: tuple[int, ...]

    @classmethod
    def at(cls, text: str, start: int) -> OffsetText:
        return cls(text, tuple(range(start, start + len(text))))

    @classmethod
    def join(cls, parts: Iterable[OffsetText], sep: str = " ") -> OffsetText:
        text: list[str] = []
        pos: list[int] = []
        for part in parts:
            if not part.text:
                continue
            if text:
                text.append(sep)
                pos.extend([pos[-1] + 1] * len(sep))
            text.append(part.text)
            pos.extend(part.pos)
        return cls("".join(text), tuple(pos))

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def slice(self, start: int, end: int | None = None) -> OffsetText:
        end = len(self.text) if end is None else end
        return OffsetText(self.text[start:end], self.pos[start:end])

    def strip(self, chars: str | None = None) -> OffsetText:
        left = len(self.text) - len(self.text.lstrip(chars))
        right = len(self.text.rstrip(chars))
        return self.slice(left, max(left, right))

    @property
    def start(self) -> int:
        return self.pos[0] if self.pos else 0

    @property
    def end(self) -> int:
        return self.pos[-1] + 1 if self.pos else 0

    def split_top_level(self, separators: str = ",;") -> list[OffsetText]:
        """Split at separators outside parentheses and brackets."""
        parts: list[OffsetText] = []
        depth = 0
        last = 0
        for i, ch in enumerate(self.text):
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth = max(0, depth - 1)
            elif ch in separators and depth == 0:
                parts.append(self.slice(last, i))
                last = i + 1
        parts.append(self.slice(last))
        return [p.strip() for p in parts if p.strip()]

    def sub(self, pattern: re.Pattern[str], repl: str = "") -> OffsetText:
        """Remove (repl='') every match of pattern, keeping offsets of what remains."""
        kept_text: list[str] = []
        kept_pos: list[int] = []
        last = 0
        for match in pattern.finditer(self.text):
            kept_text.append(self.text[last : match.start()])
            kept_pos.extend(self.pos[last : match.start()])
            if repl:
                kept_text.append(repl)
                anchor = self.pos[match.start()] if match.start() < len(self.pos) else self.end
                kept_pos.extend([anchor] * len(repl))
            last = match.end()
        kept_text.append(self.text[last:])
        kept_pos.extend(self.pos[last:])
        return OffsetText("".join(kept_text), tuple(kept_pos))


_BULLET = re.compile(r"^\s*(?:[-•▪◦●*·–—]+|\(?[a-z]\)|\(?\d{1,2}[.)]|\(?[ivx]{1,4}\))\s*")
_EDGE_JUNK = " \t\"'“”‘’*•·;:,.–—|-"


def strip_bullet(text: OffsetText) -> tuple[OffsetText, bool]:
    match = _BULLET.match(text.text)
    if not match or match.end() == 0:
        return text, False
    return text.slice(match.end()), True


def clean_value(text: OffsetText) -> OffsetText:
    """Drop markup, surrounding quotes, bullets and trailing punctuation."""
    text = text.sub(re.compile(r"\*\*|__"))
    text, _ = strip_bullet(text)
    text = text.strip(_EDGE_JUNK)
    # A closing quote/paren left alone after stripping its opener.
    if text.text.count('"') % 2 or text.text.count("“") != text.text.count("”"):
        text = text.sub(re.compile(r"[\"“”]"))
    return text.strip(_EDGE_JUNK)


def collapse_ws(text: OffsetText) -> OffsetText:
    return text.sub(re.compile(r"(?<=\s)\s+")).strip()


_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&/.\-]{1,15}$")


def looks_like_acronym(token: str) -> bool:
    token = token.strip()
    if not _ACRONYM.match(token) or " " in token:
        return False
    uppers = sum(1 for ch in token if ch.isupper())
    return uppers >= 2 and uppers >= len(token.replace("/", "").replace(".", "").replace("-", "")) * 0.5


_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")


def trailing_parenthetical(text: OffsetText) -> tuple[OffsetText, OffsetText | None]:
    """Split 'Name (X)' into ('Name', 'X'); the parenthetical is None when absent."""
    match = _TRAILING_PAREN.search(text.text)
    if not match or match.start() == 0:
        return text, None
    return text.slice(0, match.start()).strip(), text.slice(match.start(1), match.end(1)).strip()


@lru_cache(maxsize=1)
def _connectors() -> frozenset[str]:
    return frozenset(common_rules().name_connectors)


@lru_cache(maxsize=1)
def _org_heads() -> frozenset[str]:
    return frozenset(common_rules().org_head_words)


def initials(name: str) -> str:
    """Initials of the significant words: 'Institute for Global Environmental Strategies' -> 'IGES'."""
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", name)
    return "".join(w[0].upper() for w in words if w.casefold() not in _connectors())


def acronym_matches(acronym: str, name: str) -> bool:
    """Whether an acronym plausibly abbreviates a name (initials, with UN-style prefixes)."""
    letters = re.sub(r"[^A-Za-z]", "", acronym).upper()
    full = initials(name)
    if len(letters) < 2 or not full:
        return False
    if letters == full:
        return True
    # UNESCAP = UN + ESCAP: 'United Nations' contributes 'UN' as a prefix.
    if len(letters) >= 3 and (full.replace("UN", "", 1) == letters.replace("UN", "", 1) and "UN" in full):
        return True
    # 'UN Economic Commission for Latin America and the Caribbean (ECLAC)': the prefix dropped.
    unprefixed = _UN_PREFIX.sub("", name, count=1)
    return len(letters) >= 3 and unprefixed != name and initials(unprefixed) == letters


_UN_PREFIX = re.compile(r"^\s*(?:the\s+)?(?:UN|United\s+Nations)\s+(?=[A-Z])", re.I)


def is_org_like(text: str) -> bool:
    words = {w.casefold().strip(".,") for w in text.split()}
    return bool(words & _org_heads())


def ends_with_org_head(text: str) -> bool:
    words = text.rstrip(" ,;.").split()
    return bool(words) and words[-1].casefold().strip(".,") in _org_heads()


_CAP_WORD = re.compile(r"[A-Z0-9][\w'’\-./&]*")


def capture_name_phrase(text: str, start: int, *, allow_lower_first: bool = True) -> tuple[int, int] | None:
    """Span of the capitalised name phrase starting at ``start`` (after spaces and 'the').

    Lower-case connectors (of, for, and, the ...) are allowed inside the name;
    the phrase ends at punctuation, a parenthesis or a lower-case word.
    """
    connectors = _connectors()
    i = start
    n = len(text)
    while i < n and text[i] in " \t\n":
        i += 1
    # 'the' then any space, a line break included ("the\nToyota Foundation").
    article = re.match(r"the\s+", text[i : i + 12], re.I)
    if article:
        i += article.end()
    begin = i
    last_good = None
    prev_end = begin
    first = True
    for match in re.finditer(r"[^\s,;:()]+", text[i:]):
        word = match.group(0)
        w_start = i + match.start()
        if text[prev_end:w_start].strip():
            break  # punctuation between words ends the phrase
        if _CAP_WORD.fullmatch(word.rstrip(".")) or (first and allow_lower_first and word.isalpha()):
            last_good = i + match.end()
            if word.endswith(".") and len(word) > 4 and not word.rstrip(".").isupper():
                break  # "Foundation." ends its sentence
        elif word.casefold() not in connectors:
            break
        prev_end = i + match.end()
        first = False
    if last_good is None:
        return None
    span_text = text[begin:last_good].rstrip(".")
    return begin, begin + len(span_text)


# Abbreviations a name or an address runs on after.
_ABBREVIATIONS = frozenset(
    [
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "prof.",
        "hon.",
        "rev.",
        "sr.",
        "st.",
        "no.",
        "nos.",
        "jl.",
        "av.",
        "ave.",
        "inc.",
        "co.",
        "ltd.",
        "e.g.",
        "i.e.",
        "vs.",
        "ir.",
        "messrs.",
    ]
)


def _word_ending_at(text: str, end: int) -> str:
    """The run of non-space characters ending at ``end``, read backwards (no copy of the text)."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentence boundaries (period/question/exclamation followed by space and a capital)."""
    spans = []
    start = 0
    for match in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"“(])", text):
        word = _word_ending_at(text, match.start())
        if word.casefold() in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)+", word):
            continue  # 'Mr. Rolph Payet', 'H.E. James Michel', 'S. Suparka': no sentence ends there
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
