"""Countries enumerated in running text ('delegations came from Ethiopia, Kenya and Uganda'), each
a list item of its own."""

from __future__ import annotations

import re

from extractors.lists import ListItem
from extractors.normalize import country_code, find_countries
from extractors.text import OffsetText

# What may stand between two countries of one enumeration: separators, 'and', 'from', an article,
# and a parenthetical on the country before ('the United Kingdom (Wales) and ...').
_COUNTRY_GAP = re.compile(
    r"^\s*(?:\([^()]{1,40}\)\s*)?(?:,|;|&|\band\b|\bor\b|\bas well as\b)?\s*(?:\band\b\s*)?"
    r"(?:\bfrom\b\s*)?(?:\bthe\b\s*)?$",
    re.I,
)


_COUNTRY_BETWEEN = re.compile(
    r"^\s*(?:,|;|\band\b)\s*(?:the\s+)?(?P<name>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)\s*(?:,|;|\band\b)\s*(?:and\s+)?(?:the\s+)?$"
)


def country_runs(text: OffsetText, *, least: int = 2) -> list[ListItem]:
    """Countries enumerated in running text: 'delegations came from Ethiopia, Kenya, Tanzania and
    Uganda in East Africa; from Benin, ...' gives each country, 'the Governments of Switzerland and
    Austria' both. A run needs ``least`` countries, so a country named once in passing is left."""
    found = find_countries(text.text)
    items: list[ListItem] = []
    run: list[tuple[str, int, int]] = []

    def close() -> None:
        if len(run) >= least:
            for code, start, end in run:
                name = text.slice(start, end)
                items.append(ListItem(name, None, code, "name", name))
        run.clear()

    for mention in found:
        if run:
            gap = text.text[run[-1][2] : mention[1]]
            between = _COUNTRY_BETWEEN.match(gap)
            code = country_code(between.group("name")) if between else None
            if code is not None and between is not None:
                # 'Burkina Faso, Chad, Mali': a name running text never takes for a country alone.
                at = run[-1][2] + between.start("name")
                run.append((code, at, at + len(between.group("name"))))
            elif not _COUNTRY_GAP.match(gap):
                close()
        run.append(mention)
    close()
    return items
