"""PDF layout cues real documents carry: page furniture, hyphenation, justified columns, tight paragraphs.

The PDFs are built here (``make_pdf`` from test_parsing) so each test pins one behaviour;
the variant corpus documents that show the same cues are checked at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.parsing import parse_document, parse_pdf
from extractors.parsing.pdf.columns import prose_like
from extractors.parsing.pdf.spaced_grids import find_spaced_grids
from extractors.parsing.pdf.words import Word

from .test_parsing import WORDS, assert_invariants, make_pdf, prose

VARIANTS = Path(__file__).resolve().parent / "corpus" / "variants" / "raw"

Text = tuple[float, float, float, str, str]


def line_text(tag: str, i: int) -> str:
    """Body text that differs from page to page in its words, not only its digits."""
    return f"{tag} {'abcdefghijklmnopqrstuvwxyz'[i]} " + " ".join(WORDS[(i * 3) % 8 : (i * 3) % 8 + 7])


def body(tag: str, n: int, top: float = 100, pitch: float = 14) -> list[Text]:
    return [(72, top + i * pitch, 10, "F1", line_text(tag, i)) for i in range(n)]


def texts_of(data: bytes) -> list[str]:
    doc = parse_pdf(data)
    assert_invariants(doc)
    return [line.text for line in doc.lines]


# --- running headers, footers and page numbers -----------------------------------------------------


def test_running_header_and_page_footer_are_dropped() -> None:
    pages = []
    for n in (1, 2, 3):
        page = [(72, 30, 8, "F1", "ACME - Partnership Information Sheet, Sri Lanka")]
        page += body(f"Page{'ABC'[n - 1]}", 12)
        page.append((260, 750, 8, "F1", f"Page {n} of 3"))
        pages.append(page)
    doc = parse_pdf(make_pdf(pages))
    assert_invariants(doc)
    texts = [line.text for line in doc.lines]
    assert not any("ACME" in t or t.startswith("Page ") for t in texts)
    assert texts[0].startswith("PageA a ") and texts[-1].startswith("PageC l ")
    assert len(texts) == 36
    # Content keeps its pages and the page spans stay exact.
    assert [span.page for span in doc.pages] == [1, 2, 3]
    assert {line.page for line in doc.lines if line.text.startswith("PageB")} == {2}


def test_lone_page_numbers_at_page_edges_are_dropped() -> None:
    pages = [
        [*body(tag, 10), (300, 750, 9, "F1", footer)] for tag, footer in (("One", "1"), ("Two", "- 2 -"))
    ]
    texts = texts_of(make_pdf(pages))
    assert texts == [line_text(tag, i) for tag in ("One", "Two") for i in range(10)]


def test_single_page_numbers_go_but_repeated_content_stays() -> None:
    # One page: "Page 1 of 1" is furniture; a bare number inside the text is content.
    texts = texts_of(
        make_pdf(
            [
                [
                    *body("S", 6),
                    (72, 200, 10, "F1", "7"),
                    *body("T", 4, top=230),
                    (300, 750, 9, "F1", "Page 1 of 1"),
                ]
            ]
        )
    )
    assert "7" in texts and not any(t.startswith("Page") for t in texts)
    # A label repeated in mid-page on every page is content, not a running header.
    pages = [
        [*body(f"U{n}x", 5), (72, 200, 10, "F2", "Partners:"), *body(f"V{n}x", 5, top=230)] for n in (1, 2)
    ]
    assert texts_of(make_pdf(pages)).count("Partners:") == 2


def test_header_repeated_in_mid_page_with_its_page_number_is_dropped() -> None:
    # A converter that ignored a page break: the page-2 header sits inside page 1.
    page1 = [(72, 30, 8, "F1", "APF 2007 - Meeting Report page 1"), *body("A", 8, top=60)]
    page1 += [(72, 200, 8, "F1", "APF 2007 - Meeting Report page 2"), *body("B", 8, top=230)]
    page2 = [*body("C", 8, top=40), (300, 750, 8, "F1", "- 2 -")]
    texts = texts_of(make_pdf([page1, page2]))
    assert not any("Meeting Report" in t or t == "- 2 -" for t in texts)
    assert len(texts) == 24


def test_list_split_by_page_furniture_continues_on_the_next_page() -> None:
    header = (72, 30, 8, "F1", "CMCAP - Information Sheet")
    page1 = [header, *body("Intro", 8, top=60)]
    page1 += [(72, 700, 10, "F1", "Colombo Municipal Council (Sri Lanka)")]
    page1 += [(72, 714, 10, "F1", "Kotte Municipal Council (Sri Lanka)"), (260, 750, 8, "F1", "Page 1 of 2")]
    page2 = [header, (72, 60, 10, "F1", "Ministry of Transport (Sri Lanka)"), *body("Rest", 8, top=74)]
    page2.append((260, 750, 8, "F1", "Page 2 of 2"))
    texts = texts_of(make_pdf([page1, page2]))
    i = texts.index("Kotte Municipal Council (Sri Lanka)")
    assert texts[i + 1] == "Ministry of Transport (Sri Lanka)"
    assert len(texts) == 19


# --- words hyphenated across lines -------------------------------------------------------------------


def hyphen_doc(lines: list[str], extra: list[str] | None = None) -> list[str]:
    texts = [(72, 100 + 13 * i, 10, "F1", text) for i, text in enumerate(lines)]
    texts += [(72, 400 + 13 * i, 10, "F1", text) for i, text in enumerate(extra or [])]
    return texts_of(make_pdf([texts]))


def test_hyphenated_words_are_rejoined_on_the_first_line() -> None:
    texts = hyphen_doc(
        [
            "Leading Partner: Semarang City Development Plan-",
            "ning Agency (Bappeda)",
            "Major groups: Tugu Fishers Association (Indo-",
            "nesia)",
            "Address: Jl. Pemuda No. 148, Sema-",
            "rang 50132, Indonesia",
        ]
    )
    assert texts == [
        "Leading Partner: Semarang City Development Planning",
        "Agency (Bappeda)",
        "Major groups: Tugu Fishers Association (Indonesia)",
        "Address: Jl. Pemuda No. 148, Semarang",
        "50132, Indonesia",
    ]


def test_real_hyphens_are_kept() -> None:
    texts = hyphen_doc(
        [
            "The testing programme is self-",
            "financing through fees paid by the",
            "owners, with the Asia-",
            "Pacific network and a community-",
            "led committee of all the cities",
        ],
        extra=["Community-led rebuilding was the rule."],
    )
    # A capitalised compound wrapped at its hyphen ('Asia-' / 'Pacific') is re-joined, hyphen kept.
    assert texts[:4] == [
        "The testing programme is self-financing",
        "through fees paid by the",
        "owners, with the Asia-Pacific",
        "network and a community-led",
    ]
    assert texts[4] == "committee of all the cities"


def test_a_name_wrapped_at_its_hyphen_is_one_name_again() -> None:
    texts = hyphen_doc(["Speaker: Dr. Frank-", "Walter Steinmeier, Federal Minister"])
    assert texts[0] == "Speaker: Dr. Frank-Walter"


def test_hyphen_is_not_joined_across_paragraphs_or_onto_capitals() -> None:
    texts = hyphen_doc(["A first paragraph that ends in a dash-", "Capitalised line follows here"])
    assert texts == ["A first paragraph that ends in a dash-", "Capitalised line follows here"]
    # Far apart: two blocks, so no joining.
    texts = texts_of(make_pdf([[(72, 100, 10, "F1", "Item one re-"), (72, 200, 10, "F1", "lated matters")]]))
    assert texts == ["Item one re-", "lated matters"]


def test_hyphenation_keeps_offsets_exact_across_a_page_break() -> None:
    last = "and the same arrangement holds for the Western Provincial Govern-"
    page1 = [*body("H", 10), (72, 100 + 10 * 14, 10, "F1", last)]
    page2 = [(72, 60, 10, "F1", "ment (Sri Lanka) and others"), *body("K", 5, top=74)]
    doc = parse_pdf(make_pdf([page1, page2]))
    assert_invariants(doc)
    texts = [line.text for line in doc.lines]
    assert "and the same arrangement holds for the Western Provincial Government" in texts
    assert "(Sri Lanka) and others" in texts
    for span in doc.pages:
        assert all(
            span.char_start <= line.char_start <= line.char_end <= span.char_end
            for line in doc.lines
            if line.page == span.page
        )


# --- justified columns and tight paragraph spacing --------------------------------------------------


def justified(x: float, top: float, text: str, spacing: float) -> str:
    """A line set with stretched word spacing (``Tw``), as justified text is."""
    return f"BT /F1 10 Tf {spacing} Tw {x} {792 - top - 10} Td ({text}) Tj ET"


def test_justified_line_is_prose_but_a_table_row_is_not() -> None:
    def words(*spec: tuple[str, float, float]) -> list[Word]:
        return [Word(t, x0, x1, 0, 10, 10, False, False) for t, x0, x1 in spec]

    assert prose_like(words(("the", 0, 15), ("green", 27, 52), ("roofs", 64, 90), ("of", 102, 112)))
    assert not prose_like(words(("Phone:", 0, 30), ("+66", 60, 80), ("2", 130, 135)))
    assert not prose_like(words(("2004", 0, 20), ("2005", 40, 60), ("2006", 80, 100)))


def test_pdf_justified_two_columns_are_read_column_by_column() -> None:
    ops = []
    for i in range(20):
        # Every other line stretched beyond an em, as justification does to short lines.
        spacing = 9 if i % 2 else 1
        short = " ".join(prose("X", i).split()[1:5])
        ops.append(justified(72, 100 + i * 14, f"L{i} {short}", spacing))
        ops.append(justified(320, 102 + i * 14, f"R{i} {short}", spacing))
    data = make_pdf([[(72, 60, 20, "F2", "Seminar Report")]], ops={0: "\n".join(ops)})
    texts = texts_of(data)
    order = [t.split()[0] for t in texts]
    assert order == ["Seminar", *[f"L{i}" for i in range(20)], *[f"R{i}" for i in range(20)]]


def _full_width(tag: str, i: int) -> str:
    """A line of running text across the page, as above and below a boxed part."""
    return f"{tag}{i} " + " ".join(WORDS * 2)[:80]


def test_pdf_two_boxes_side_by_side_between_full_width_text_are_read_box_by_box() -> None:
    texts: list[Text] = [(72, 60, 16, "F2", "Programme Overview")]
    texts += [(72, 90 + i * 14, 10, "F1", _full_width("A", i)) for i in range(6)]
    top = 90 + 6 * 14 + 14
    texts += [(72, top, 10, "F2", "Who runs it"), (320, top, 10, "F2", "Who funds it")]
    texts += [(72, top + 14 + i * 14, 10, "F1", prose("L", i)) for i in range(8)]
    texts += [(320, top + 14 + i * 14, 10, "F1", prose("R", i)) for i in range(8)]
    top += 14 + 8 * 14 + 14
    texts += [(72, top + i * 14, 10, "F1", _full_width("B", i)) for i in range(6)]
    order = [t.split()[0] for t in texts_of(make_pdf([texts]))]
    assert order == [
        "Programme",
        *[f"A{i}" for i in range(6)],
        "Who",
        *[f"L{i}" for i in range(8)],
        "Who",
        *[f"R{i}" for i in range(8)],
        *[f"B{i}" for i in range(6)],
    ]


def test_pdf_a_form_between_full_width_text_keeps_each_label_with_its_value() -> None:
    labels = ["Name:", "Phone:", "Fax:", "E-mail:", "Address:", "Position:", "Country:", "City:"]
    texts: list[Text] = [(72, 90 + i * 14, 10, "F1", _full_width("A", i)) for i in range(6)]
    for i, label in enumerate(labels):
        texts.append((72, 190 + i * 16, 10, "F2", label))
        texts.append((330, 190 + i * 16, 10, "F1", f"value number {i} of the form field goes here"))
    texts += [(72, 330 + i * 14, 10, "F1", _full_width("B", i)) for i in range(6)]
    lines = texts_of(make_pdf([texts]))
    for i, label in enumerate(labels):
        assert f"{label} value number {i} of the form field goes here" in lines


def test_pdf_a_form_table_with_centred_cells_keeps_each_label_with_its_value() -> None:
    # LibreOffice prints an HTML form without its borders and centres each cell in its row: a
    # one-line label beside the middle of a three-line value, a wrapped label beside one line.
    rows = [
        (["1. Name of", "partnership"], ["Alpine Lakes Insurance Facility (ALIF)"]),
        (
            ["2. Lead partner"],
            ["Institute for Mountain Risk,", "University of the Alps,", "Innsbruck, Austria"],
        ),
        (["3. Governments"], ["Austria; Switzerland"]),
        (["4. Date of", "initiation"], ["April 2005"]),
    ]
    texts: list[Text] = [(72, 60, 14, "F2", "PARTNERSHIP INFORMATION SHEET")]
    top = 100.0
    for label, value in rows:
        height = max(len(label), len(value)) * 12
        for cell, x in ((label, 72), (value, 250)):
            start = top + (height - len(cell) * 12) / 2
            texts += [(x, start + n * 12, 10, "F1", line) for n, line in enumerate(cell)]
        top += height + 30
    lines = texts_of(make_pdf([texts]))
    expected = [
        "PARTNERSHIP INFORMATION SHEET",
        *[line for label, value in rows for line in (*label, *value)],
    ]
    assert lines == expected


def test_pdf_a_speakers_table_with_centred_cells_reads_row_by_row() -> None:
    # Chromium centres a cell in its row too: a one-line name beside a two-line organisation.
    rows = [
        (["Speaker"], ["Position"], ["Organisation"]),
        (["Walter Lind"], ["Director General"], ["Nordic Agency for Development", "and Cooperation"]),
        (["Daan Broek"], ["Principal Knowledge", "Specialist"], ["Lowland Development Bank"]),
        (["Sridhar Y.", "Ramaswamy"], ["Director, Marketing"], ["Delta Corporation"]),
        (["Asha Kumar"], ["Chief Economist"], ["Development Alternatives,", "India"]),
    ]
    texts: list[Text] = [(72, 60, 10, "F1", "The panel was composed as follows:")]
    top = 90.0
    for cells in rows:
        height = max(len(cell) for cell in cells) * 12
        for cell, x in zip(cells, (72, 170, 330), strict=True):
            start = top + (height - len(cell) * 12) / 2
            texts += [(x, start + n * 12, 10, "F1", line) for n, line in enumerate(cell)]
        top += height + 8
    lines = texts_of(make_pdf([texts]))
    expected = [line for cells in rows for cell in cells for line in cell]
    assert lines == ["The panel was composed as follows:", *expected]


def test_tight_paragraph_spacing_starts_new_blocks() -> None:
    texts: list[Text] = []
    top = 100.0
    for p in range(5):
        for i in range(3):
            texts.append((72, top, 10, "F1", prose(f"G{p}x", i)))
            top += 12
        top += 3  # a 3pt paragraph margin on a 12pt leading
    doc = parse_pdf(make_pdf([texts]))
    assert_invariants(doc)
    blocks = [line.block for line in doc.lines]
    assert blocks == [b for b in range(5) for _ in range(3)]


# --- the variant corpus -------------------------------------------------------------------------------


def variant(stem: str) -> list[str]:
    path = VARIANTS / f"{stem}.pdf"
    if not path.exists():
        pytest.skip(f"{path.name} not in the variant corpus")
    doc = parse_document(path.read_bytes(), path.name)
    assert_invariants(doc)
    return [line.text for line in doc.lines]


def test_variant_running_headers_do_not_reach_the_text() -> None:
    colombo = variant("colombo_air_sheet_paged")
    assert not any("Page" in t and "of 3" in t for t in colombo)
    assert not any(t.startswith("CMCAP") for t in colombo)
    i = colombo.index("Sri Jayawardenepura Kotte Municipal Council (Sri Lanka)")
    assert colombo[i + 1] == "Ministry of Transport (Sri Lanka)"
    yogya = variant("yogyakarta_recovery_forum_2007")
    assert not any("Meeting Report" in t or t in ("– 1 –", "– 2 –") for t in yogya)
    i = yogya.index("Galle Municipal Council (Sri Lanka)")
    assert yogya[i + 1] == "Jogja Heritage Society (Indonesia)"


def test_variant_hyphenated_sheet_is_rejoined() -> None:
    text = "\n".join(variant("semarang_flood_sheet_hyphenated"))
    for word in ("Resilience", "Government", "(Indonesia)", "Planning", "Semarang", "kilometres"):
        assert word in text
    for broken in ("Resi-", "Govern-", "(Indo-", "Plan-", "Sema-", "kilo-"):
        assert broken not in text
    assert "low-lying" in text


def test_variant_justified_columns_are_read_in_order() -> None:
    texts = variant("bangkok_greenroof_seminar_2005_columns")
    assert "Date and venue" in texts
    i = texts.index("Participants")
    assert texts[i + 1] == "Bangkok Metropolitan Administration"
    assert texts[i + 2].startswith("(Thailand); National Parks Board")
    assert texts.index("Speakers") < texts.index("Discussion") < texts.index("For further information")


def test_a_bulleted_list_with_wrapped_items_is_no_spaced_table() -> None:
    # The white after hung bullets runs down the list like a gutter; the bullets are no column.
    def word(x: float, top: float, text: str) -> Word:
        return Word(text, x, x + 6 * len(text), top, top + 10, 10, False, False)

    rows = []
    for n in range(5):
        top = 84.0 + 32 * n
        rows.append(
            [word(80, top, "•"), word(92, top, "Regional"), word(146, top, f"Body{n}"), word(190, top, "for")]
        )
        rows.append(
            [word(92, top + 12, "Ozone"), word(130, top + 12, "Protection"), word(200, top + 12, "and")]
        )
    rows.append(
        [word(72, 260, "Further"), word(120, 260, "text"), word(150, 260, "closes"), word(330, 260, "here.")]
    )
    assert find_spaced_grids(rows) == []
