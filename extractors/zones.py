"""The zones the structure stage reads a document into, and the pieces of text they hold.

Shared by the reader of running structure (``structure``) and of tables (``table_zones``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extractors.roles import STOP, section_role
from extractors.text import OffsetText, strip_bullet
from schemas.document import TextLine

NUMBERED = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.|[A-H]\.)\s+[A-Z]")
NEWLINE = re.compile(r"\n")
# A label's role, from the vocabularies or the learned section-role model.
RoleOf = Callable[[str], str | None]


@dataclass
class Piece:
    """One value: a line, list item, table cell or paragraph."""

    text: OffsetText
    kind: str  # 'item' (list item or short line), 'cell', 'paragraph'
    country: OffsetText | None = None  # the row's country cell
    category: OffsetText | None = None  # the row's type/sector cell
    acronym: OffsetText | None = None  # the row's acronym cell: the name cell is one body
    role: str | None = None  # a sub-label's role inside the zone ("Private companies: X")
    others: list[OffsetText] = field(default_factory=list)  # the row's other cells (a person's position)


@dataclass
class Zone:
    label: OffsetText | None
    role: str | None
    # 'heading', 'label', 'intro' (a sentence ending in ':'), 'column' (a table header), 'none'
    source: str
    pieces: list[Piece] = field(default_factory=list)
    # The role of the heading this zone sits under (a label's own role wins over it).
    parent_role: str | None = None

    @property
    def effective_role(self) -> str | None:
        if self.source == "column" and self.role in (None, STOP):
            return self.parent_role  # 'Name', 'Organisation': a header names the column, not its role
        if self.role == STOP:
            return None
        if self.role in KINDS_OF_BODY and self.parent_role in SPECIFIC_ROLES:
            # 'Who runs it' / '... brings together three United Nations agencies:': the words under
            # the heading say what kind of bodies follow; the heading says what they do.
            # 'Interim Secretariat of the Intergovernmental Forum' over an address under
            # 'Secretariat': an office to write to, whatever its name says.
            return self.parent_role
        return self.role or self.parent_role


SPECIFIC_ROLES = frozenset(["organizer", "funder", "contact"])
KINDS_OF_BODY = frozenset(["partner", "government", "igo", "major_group", "other"])


@dataclass
class Block:
    lines: list[TextLine]
    text: OffsetText
    parts: list[OffsetText]  # the text of each line

    @property
    def first(self) -> TextLine:
        return self.lines[0]


def word_count(text: str) -> int:
    return len(text.split())


SUB_LABEL = re.compile(r"^(?P<label>[A-Z][^:()\d]{1,60}?)(?:\s*\(\d+\))?:\s+(?=\S)")


def item_piece(text: OffsetText, kind: str = "item") -> Piece:
    """A list item or cell, with the role of a sub-label it opens with ('Private companies: X')."""
    text = strip_bullet(text.strip())[0]
    label = SUB_LABEL.match(text.text)
    if label and word_count(label.group("label")) <= 5:
        role = section_role(label.group("label"))
        return Piece(text.slice(label.end()), kind, role=None if role == STOP else role)
    return Piece(text, kind)


__all__ = [
    "KINDS_OF_BODY",
    "NEWLINE",
    "NUMBERED",
    "SPECIFIC_ROLES",
    "SUB_LABEL",
    "Block",
    "Piece",
    "RoleOf",
    "Zone",
    "item_piece",
    "word_count",
]
