"""Words hyphenated across line breaks re-joined, keeping the hyphen of real compounds."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.parsing.pdf.lines import Line

# Prefixes that form real hyphenated compounds ("self-financing", "co-operation"): a line
# ending in one keeps its hyphen when the word is re-joined.
_COMPOUND_PREFIXES = frozenset(
    {
        *("self", "co", "non", "multi", "cross", "well", "semi", "low", "high", "long", "short"),
        *("full", "half", "small", "large", "community", "city", "people", "user"),
    }
)
_HYPHENATED_END = re.compile(r"(?:^|(?<=[\s(\[\"'“‘/]))([^\W\d_]+(?:-[^\W\d_]+)*)-$")
_LOWER_START = re.compile(r"^([a-zß-ÿ][^\s]*)(?:\s+|$)")
_CAPITAL_START = re.compile(r"^([A-ZÀ-Þ][a-zß-ÿ]+[^\s]*)(?:\s+|$)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def join_hyphenated(lines: Sequence[Line]) -> list[Line]:
    """Words hyphenated across line breaks re-joined ("Plan-" + "ning Agency" -> "Planning" + "Agency").

    The continuation moves up to the first line, so each line still holds whole
    words; a second line left empty goes. It applies only inside one paragraph
    (a block or a cell, possibly across a page break), when the line ends with a
    letter and a hyphen and the next starts with a lower-case letter. The hyphen
    stays for compounds: a known prefix ("self-", "co-") or a hyphenated spelling
    the document uses elsewhere. A capitalised word wrapped at its hyphen before another
    capitalised word ("Frank-" + "Walter") is a compound name: re-joined, hyphen kept.
    """
    words: set[str] = set()
    for line in lines:
        words.update(w.casefold() for w in _WORD.findall(line.text))
    kept: list[Line] = []
    for line in lines:
        prev = kept[-1] if kept else None
        if prev is not None and not line.new_block and not line.list_item and line.table == prev.table:
            head = _HYPHENATED_END.search(prev.text)
            tail = _LOWER_START.match(line.text)
            capital = _CAPITAL_START.match(line.text)
            if head and capital and head.group(1)[:1].isupper():
                # 'Frank-' + 'Walter', 'Asia-' + 'Pacific': a capitalised compound wrapped at its hyphen.
                prev.text += capital.group(1)
                line.text = line.text[capital.end() :]
                if not line.text:
                    continue
            elif head and tail:
                first = head.group(1)
                fragment = tail.group(1)
                piece = _WORD.match(fragment)
                second = piece.group(0) if piece else fragment
                hyphenated = f"{first}-{second}".casefold()
                joined = f"{first}{second}".casefold()
                last_part = first.rsplit("-", 1)[-1].casefold()
                keep = (hyphenated in words and joined not in words) or (
                    last_part in _COMPOUND_PREFIXES and joined not in words
                )
                prev.text = (prev.text if keep else prev.text[:-1]) + fragment
                line.text = line.text[tail.end() :]
                if not line.text:
                    continue
        kept.append(line)
    return kept
