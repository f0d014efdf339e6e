"""Words into visual lines, and the Line record (text, font, region, cell) the later stages mark."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from extractors.parsing.builder import looks_like_list_item
from extractors.parsing.pdf.words import Word


@dataclass
class Line:
    words: list[Word]
    page: int
    region: int  # lines of one region are read one after another: a column run, a table cell
    margin: float  # the region's left text edge, for indents
    table: int | None = None
    row: int | None = None
    col: int | None = None
    text: str = ""
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    heading_level: int = 0
    list_item: bool = False
    new_block: bool = False
    x0: float = field(init=False, default=0.0)
    x1: float = field(init=False, default=0.0)
    top: float = field(init=False, default=0.0)
    bottom: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        # The band of the line's main-size words: a superscript must not stretch it.
        main = [w for w in self.words if w.height >= 0.7 * max(x.height for x in self.words)]
        self.top = min(w.top for w in main)
        self.bottom = max(w.bottom for w in main)
        self.text = _join_words(self.words)
        weights = [(w, len(w.text)) for w in self.words]
        total = sum(n for _, n in weights) or 1
        self.bold = sum(n for w, n in weights if w.bold) * 2 > total
        self.italic = sum(n for w, n in weights if w.italic) * 2 > total
        sizes: Counter[float] = Counter()
        for w, n in weights:
            sizes[w.size] += n
        self.size = sizes.most_common(1)[0][0]
        self.list_item = looks_like_list_item(self.text)

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _join_words(words: Sequence[Word]) -> str:
    parts = [words[0].text]
    for prev, word in zip(words, words[1:], strict=False):
        # extract_words also splits where the font changes, with no gap: those pieces touch.
        if word.x0 - prev.x1 > 0.1 * min(prev.size, word.size):
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


def group_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Words into visual lines: a word joins a line its vertical band half-overlaps."""
    lines: list[tuple[list[float], list[Word]]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        for band, members in reversed(lines[-4:]):
            overlap = min(band[1], word.bottom) - max(band[0], word.top)
            if overlap >= 0.5 * max(0.1, min(band[1] - band[0], word.height)):
                members.append(word)
                break
        else:
            lines.append(([word.top, word.bottom], [word]))
    return [sorted(members, key=lambda w: w.x0) for _, members in lines]
