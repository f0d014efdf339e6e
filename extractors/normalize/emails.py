"""E-mail addresses, lower case, with "mailto:" and anti-spam spellings undone.

"name [at] domain [dot] org" and "name(at)domain.org" are addresses; "name at
domain dot org" is one only when the whole value has that shape (or, in running
text, when it ends in a real top-level-domain form), since "at" and "dot" are
also words.
"""

from __future__ import annotations

import re
import unicodedata

_MAX_INPUT = 320
_LOCAL = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ADDRESS = re.compile(rf"^{_LOCAL}@(?:{_LABEL}\.)+[a-z]{{2,24}}$")

_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
_AT_BRACKETED = re.compile(rf"\s*{_OPEN}\s*(?:at|@)\s*{_CLOSE}\s*", re.I)
_DOT_BRACKETED = re.compile(rf"\s*{_OPEN}\s*(?:dot|\.)\s*{_CLOSE}\s*", re.I)
_AT_WORD = re.compile(r"\s+(?:at|AT)\s+")
_DOT_WORD = re.compile(r"\s+(?:dot|DOT)\s+")
_WORDS_SHAPE = re.compile(r"^[\w.+\-]+\s+(?:at|AT)\s+[\w\-]+(?:\s+(?:dot|DOT)\s+[\w\-]+)+$")
_SPACED_SYMBOLS = re.compile(r"\s*([@.])\s*")
_MAILTO = re.compile(r"^\s*mailto\s*:\s*", re.I)
_LABEL_PREFIX = re.compile(r"^\s*(?:e-?mail|email address|e-mail address|mail)\s*[:：]\s*", re.I)
_EDGES = " \t\r\n<>()[]{}\"'“”‘’.,;:!?*•"

# Running text: plain addresses, bracketed spellings, and "x at y dot org" spelled out.
_TEXT_PLAIN = re.compile(r"(?<![\w.+\-@])[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,24}(?![\w@])")
_TEXT_BRACKETED = re.compile(
    rf"(?<![\w.+\-])[\w.+\-]+\s*{_OPEN}\s*(?:at|@)\s*{_CLOSE}\s*[\w\-]+"
    rf"(?:\s*(?:{_OPEN}\s*(?:dot|\.)\s*{_CLOSE}|\.)\s*[\w\-]+)+",
    re.I,
)
_TEXT_WORDS = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+\s+(?:at|AT)\s+[\w\-]+(?:\s+(?:dot|DOT)\s+[\w\-]+)*"
    r"\s+(?:dot|DOT)\s+(?:com|org|net|edu|gov|int|info|biz|[a-z]{2})(?!\w)",
)


def _valid(candidate: str) -> str | None:
    candidate = candidate.casefold()
    if len(candidate) > 254 or not _ADDRESS.match(candidate):
        return None
    local, domain = candidate.rsplit("@", 1)
    if len(local) > 64 or ".." in candidate:
        return None
    return candidate


def normalize_email(raw: str) -> str | None:
    """Lower-case address from a printed one ("Mailto:<X@Y.org>", "x [at] y [dot] org"); None if not one."""
    if not raw or len(raw) > _MAX_INPUT:
        return None
    text = unicodedata.normalize("NFKC", raw)
    text = _LABEL_PREFIX.sub("", text)
    text = _MAILTO.sub("", text.strip(_EDGES.replace(":", "")))
    text = text.strip(_EDGES)
    if "?" in text and "@" in text:
        text = text.split("?", 1)[0]  # mailto query: "?subject=..."
    text = _AT_BRACKETED.sub("@", text)
    text = _DOT_BRACKETED.sub(".", text)
    if "@" not in text and _WORDS_SHAPE.match(text):
        text = _DOT_WORD.sub(".", _AT_WORD.sub("@", text))
    if "@" in text:
        text = _SPACED_SYMBOLS.sub(r"\1", text)
    return _valid(text.strip(_EDGES))


def find_emails(text: str) -> list[tuple[str, int, int]]:
    """Addresses in running text as (normalised address, start, end)."""
    if not text or ("@" not in text and not re.search(r"\b(?:at|dot)\b", text, re.I)):
        return []
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for regex in (_TEXT_PLAIN, _TEXT_BRACKETED, _TEXT_WORDS):
        for match in regex.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            value = normalize_email(match.group())
            if value is None:
                continue
            # A trailing full stop ends the sentence, not the address.
            printed = match.group().rstrip(".")
            found.append((value, start, start + len(printed)))
            taken.append((start, end))
    return sorted(found, key=lambda item: item[1])
