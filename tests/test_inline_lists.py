"""Lists a renderer ran into one line are cut into their items."""

from __future__ import annotations

from extractors.extract import extract_document
from extractors.lists import inline_bullets
from extractors.parsing import parse_document
from extractors.text import OffsetText


def test_a_numbered_list_run_into_lines_is_cut_where_the_next_number_stands() -> None:
    cut = inline_bullets(
        OffsetText.at("1. Centro Alfa (CA) — Bolivia 2. Centro Beta — Brazil 3.Instituto Gama", 0)
    )
    assert [part.text for part in cut] == [
        "Centro Alfa (CA) — Bolivia",
        "Centro Beta — Brazil",
        "Instituto Gama",
    ]
    # A number out of sequence, or before a lower-case word, is part of the item.
    assert inline_bullets(OffsetText.at("1. Phase 2. of the plan", 0)) == []
    assert inline_bullets(OffsetText.at("1. Agenda 21 Unit 4. Office", 0)) == []


def test_members_of_a_numbered_list_run_together_are_each_a_partner() -> None:
    text = (
        "Cleaner Production Network\n\nThe programme was launched in 1994 and is run by the Industry Agency.\n\n"
        "Members\n\n"
        "1. Centro Alfa de Producción Limpia (CAPL) — Bolivia 2. Centro Beta de Tecnologías — Brazil\n"
        "3. Instituto Gama de Eficiencia — Chile\n"
    )
    extraction = extract_document(parse_document(text.encode(), "doc.txt"), "d")
    names = {p.name: p.country for p in extraction.partners}
    assert names["Centro Alfa de Producción Limpia"] == "BO"
    assert names["Centro Beta de Tecnologías"] == "BR"
    assert names["Instituto Gama de Eficiencia"] == "CL"


def test_a_pdf_line_opening_with_the_next_number_starts_a_new_item_even_without_its_space() -> None:
    from extractors.lists import logical_lines
    from schemas.document import TextLine

    printed = [
        "9. Centro Nacional de Honduras (CNP+LH) — Honduras",
        "10.Centro Mexicano para la Producción (CMP+L) — Mexico",
        "11.Centro de Producción de Nicaragua (CPmL-N) — Nicaragua",
    ]
    values, lines, at = [], [], 0
    for text in printed:
        values.append(OffsetText.at(text, at))
        lines.append(TextLine(text=text, page=1, char_start=at, char_end=at + len(text)))
        at += len(text) + 1

    assert [v.text for v in logical_lines(values, lines)] == printed
