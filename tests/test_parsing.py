"""Parsers: every format becomes lines with exact offsets, and every failure is one of ours.

The dev corpus (raw/ and tests/alternates/) checks the cues the extractors rely on;
tests/robustness/ holds odd real-world PDFs; small PDFs, DOCX and HTML built here
pin down single behaviours.
"""

from __future__ import annotations

import io
import os
import zipfile
from functools import cache
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.errors import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    LimitExceededError,
    OcrRequiredError,
    UnsupportedFormatError,
)
from extractors.parsing import (
    DOCX,
    HTML,
    MARKDOWN,
    PDF,
    TEXT,
    parse_document,
    parse_docx,
    parse_html,
    parse_pdf,
    parse_text,
    sniff_media_type,
)
from schemas.document import PAGE_SEPARATOR, ParsedDocument, TextLine

from .conftest import ALTERNATES, RAW

ROBUSTNESS = Path(__file__).resolve().parent / "robustness"


@cache
def parsed(path: Path) -> ParsedDocument:
    return parse_document(path.read_bytes(), path.name)


def assert_invariants(doc: ParsedDocument) -> None:
    """What every consumer relies on, whatever the format."""
    for line in doc.lines:
        assert doc.text[line.char_start : line.char_end] == line.text
        assert line.text == line.text.strip() and line.text
        assert "\n" not in line.text and "\x00" not in line.text
    starts = [line.char_start for line in doc.lines]
    assert starts == sorted(starts)
    blocks = [line.block for line in doc.lines]
    assert blocks == sorted(blocks), "block numbers are monotonic"
    assert doc.pages, "at least one page span"
    assert doc.pages[0].char_start == 0 and doc.pages[-1].char_end == len(doc.text)
    for before, after in zip(doc.pages, doc.pages[1:], strict=False):
        assert after.char_start == before.char_end + len(PAGE_SEPARATOR)
    assert doc.text == PAGE_SEPARATOR.join(doc.page_text(span) for span in doc.pages)
    for line in doc.lines:
        span = next(s for s in doc.pages if s.char_start <= line.char_start and line.char_end <= s.char_end)
        assert span.page == line.page
    # Lines tile each page: the page's text is exactly its lines joined by newlines.
    for span in doc.pages:
        on_page = [line.text for line in doc.lines if span.char_start <= line.char_start < span.char_end]
        assert doc.page_text(span) == "\n".join(on_page)


def line_with(doc: ParsedDocument, text: str) -> TextLine:
    matches = [line for line in doc.lines if line.text == text]
    assert matches, f"no line is exactly {text!r}"
    return matches[0]


def lines_containing(doc: ParsedDocument, fragment: str) -> list[TextLine]:
    return [line for line in doc.lines if fragment in line.text]


# --- the dev corpus ---------------------------------------------------------------------------------

CORPUS = [
    *sorted(RAW.iterdir()),
    ALTERNATES / "kanagawa_declaration_sheet.docx",
    ALTERNATES / "thematic_seminar_6_2004.pdf",
]


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_documents_parse_with_exact_spans(path: Path) -> None:
    doc = parsed(path)
    assert_invariants(doc)
    assert doc.media_type == {".pdf": PDF, ".html": HTML, ".docx": DOCX}[path.suffix]
    assert doc.title_hint
    assert not doc.warnings and not doc.needs_ocr
    assert len(doc.lines) > 40


def test_kanagawa_pdf_keeps_form_fields_on_their_lines() -> None:
    doc = parsed(RAW / "kanagawa_declaration_sheet.pdf")
    assert doc.n_pages == 5 and [s.page for s in doc.pages] == [1, 2, 3, 4, 5]
    assert doc.title_hint == "kanagawa declaration sheet"
    initiation = line_with(doc, "Expected date of initiation: October 2002")
    assert initiation.page == 1 and initiation.size == 12.0 and initiation.heading_level == 0
    assert line_with(doc, "Phone: +81-45-210-4065").page == 1
    bullet = line_with(doc, "• Compatibility with Agenda 21")
    assert bullet.list_item and bullet.bold and bullet.indent > 10
    # A wrapped paragraph is one block; the next field starts another.
    wrapped = line_with(doc, "Kanagawa Prefecture")
    field = line_with(doc, "Address: 1 Nihon-Odori, naka-ku, Yokohama City, Kanagawa Prefecture,")
    previous = doc.lines[doc.lines.index(wrapped) - 1]
    assert previous.text.startswith("Name of the contact person/focal point")
    assert previous.block == wrapped.block != field.block
    # "Local Agenda / 21. However": a year-like number opening a wrapped line is no list item.
    assert not line_with(
        doc, "21. However, in spite of the fact that there has been considerable effort on"
    ).list_item
    # A sentence running over a page break stays in its block.
    before = line_with(doc, "Position: Director of Global Environmental Measures, Environment &")
    after = line_with(doc, "Agriculture Department, Kanagawa Prefectural Government")
    assert (before.page, after.page) == (4, 5) and before.block == after.block


def test_aspro_pdf_lists_and_contacts() -> None:
    doc = parsed(RAW / "aspro_sheet.pdf")
    assert line_with(doc, "Phone: +81-93-582-3804").page == 2
    assert line_with(doc, "Expected date of initiation: 2002 October").block != (
        line_with(doc, "Expected date of completion: 2010").block
    )
    for text in (
        "a) Steady improvement of urban environment in Asian Region",
        "-Academes: The University of Kitakyushu",
    ):
        assert line_with(doc, text).list_item
    # The last partner line of page 1 ends a field: the next page's label is not its continuation.
    last = line_with(doc, "Philippines Inc. (PCAPI), Citizens in Barangays")
    assert line_with(doc, "Leading Partner: City of Kitakyushu").block != last.block


def test_kitakyushu_pdf_bullets_drawn_as_shapes_are_list_items() -> None:
    doc = parsed(RAW / "kitakyushu_initiative_second_cycle.pdf")
    item = line_with(doc, "Assistance in preparing and implementing integrated and sustainable")
    continuation = line_with(doc, "urban development plans and strategies with quantitative indicators;")
    assert item.list_item and not continuation.list_item and item.block == continuation.block
    assert line_with(doc, "Periodical monitoring of implementation and progress in terms of").list_item


def test_thematic_pdf_print_has_headings_by_size() -> None:
    doc = parsed(ALTERNATES / "thematic_seminar_6_2004.pdf")
    title = line_with(doc, "6th Thematic Seminar: International Cooperation")
    assert title.heading_level == 1 and title.bold and title.size == 24.0
    section = lines_containing(doc, "Strengthening Linkages between Local Initiatives and International")[0]
    assert section.heading_level == 2
    date = line_with(doc, "Date: 2 July 2004")
    assert date.heading_level == 0 and date.block != title.block


def test_thematic_html_labels_headings_lists_and_table() -> None:
    doc = parsed(RAW / "thematic_seminar_6_2004.html")
    assert doc.pages[0].page is None and len(doc.pages) == 1 and doc.n_pages is None
    date = line_with(doc, "Date: 2 July 2004")
    assert date.bold and date.heading_level == 0 and date.page is None
    body = lines_containing(doc, "In this region, decentralisation")[0]
    assert not body.bold
    h1 = [line for line in doc.lines if line.heading_level == 1]
    assert [line.text for line in h1] == [doc.title_hint]
    assert line_with(doc, "Programme (English: PDF: 45.1KB / Japanese: 131KB)").heading_level == 2
    conclusions = [line for line in doc.lines if line.list_item]
    assert any(line.text.startswith("It is important to establish twinning") for line in conclusions)
    time = line_with(doc, "13:00-13:10")
    session = line_with(doc, "Seminar Remarks (IGES)")
    assert (time.table, time.row, time.col) == (0, 1, 0)
    assert (session.table, session.row, session.col) == (0, 1, 1)
    assert time.block != session.block
    assert line_with(doc, "Email: escap-esdd-evs@un.org").table is None


def test_japan_html_decodes_entities_and_keeps_cjk() -> None:
    doc = parsed(RAW / "japan_national_seminar_2003.html")
    assert line_with(doc, "Date & Venue").heading_level == 2
    same_text = lines_containing(doc, "Institute for Global Environmental Strategies")
    assert [(line.table, line.heading_level) for line in same_text] == [(0, 0), (None, 3)]
    cell = line_with(doc, "(Japanese only) 仙台市地球温暖化対策推進協議会について")
    assert cell.table == 0 and cell.col == 0
    assert (
        line_with(
            doc,
            "Citizens and City government's Cooperation towards Zero-emission City: "
            "The case study of Bucheon City, Korea",
        ).row
        == 1
    )
    assert line_with(doc, "Yoshihiko Kono (Advisor, JBIC)").list_item


def test_docx_alternate_paragraphs_bold_and_lists() -> None:
    doc = parsed(ALTERNATES / "kanagawa_declaration_sheet.docx")
    assert doc.title_hint == "kanagawa declaration sheet"
    phone = line_with(doc, "Phone: +81-45-210-4065")
    assert phone.page is None and not phone.bold
    assert line_with(doc, "Expected date of initiation: October 2002").block != phone.block
    assert lines_containing(doc, "Governments: Japanese Government")[0].bold
    bullet = line_with(doc, "Compatibility with Agenda 21")
    assert bullet.list_item and bullet.bold
    assert line_with(
        doc, "a) Effective implementation of local initiatives in the Kanagawa Declaration Network."
    ).list_item


# --- failures ---------------------------------------------------------------------------------------


def test_scanned_pdf_needs_ocr() -> None:
    data = (ALTERNATES / "kanagawa_declaration_sheet.scanned.pdf").read_bytes()
    with pytest.raises(OcrRequiredError) as info:
        parse_pdf(data)
    assert "no text layer" in info.value.reason and info.value.hint
    # parse_document would hand the scan to OCR; without it, the same error reaches the caller.
    with pytest.raises(OcrRequiredError):
        parse_document(data, "scan.pdf", ocr=False)


def test_password_protected_pdf_is_encrypted_error() -> None:
    with pytest.raises(EncryptedDocumentError, match="password"):
        parse_document((ROBUSTNESS / "password-example.pdf").read_bytes(), "password-example.pdf")


def test_malformed_pdf_gives_a_document_or_corrupt_error() -> None:
    data = (ROBUSTNESS / "malformed-from-issue-932.pdf").read_bytes()
    try:
        doc = parse_document(data, "malformed.pdf")
    except CorruptDocumentError:
        return
    assert_invariants(doc)


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_pdf_gives_a_document_or_corrupt_error(cut: float) -> None:
    data = (RAW / "aspro_sheet.pdf").read_bytes()
    try:
        doc = parse_pdf(data[: int(len(data) * cut)])
    except (CorruptDocumentError, EmptyDocumentError):
        return
    assert_invariants(doc)


def test_garbage_after_pdf_magic_is_corrupt() -> None:
    with pytest.raises(CorruptDocumentError, match="PDF"):
        parse_document(b"%PDF-1.7\n" + bytes(range(256)) * 20, "x.pdf")


def test_pdf_without_pages_is_empty() -> None:
    with pytest.raises(EmptyDocumentError):
        parse_document((ROBUSTNESS / "issue-297-example.pdf").read_bytes())


def test_zero_bytes_is_empty() -> None:
    with pytest.raises(EmptyDocumentError):
        parse_document((ROBUSTNESS / "empty.pdf").read_bytes(), "empty.pdf")
    for parser in (parse_pdf, parse_docx, parse_html, parse_text):
        with pytest.raises(EmptyDocumentError):
            parser(b"")


def test_white_space_only_is_empty() -> None:
    with pytest.raises(EmptyDocumentError):
        parse_document(b" \n\t\r\n  ", "blank.txt")
    with pytest.raises(EmptyDocumentError):
        parse_document(b"<html><body><script>var x = 1;</script>  </body></html>", "blank.html")


def test_random_bytes_are_unsupported() -> None:
    data = bytes((i * 7919 + 13) % 256 for i in range(4096))
    with pytest.raises(UnsupportedFormatError, match="binary"):
        parse_document(data, "mystery.pdf")
    with pytest.raises(UnsupportedFormatError, match="binary"):
        sniff_media_type(os.urandom(2048) + b"\x00")


def test_max_pages_is_enforced_and_named() -> None:
    data = (RAW / "kanagawa_declaration_sheet.pdf").read_bytes()
    with pytest.raises(LimitExceededError, match="limit of 4 pages") as info:
        parse_document(data, "k.pdf", max_pages=4)
    assert "5 pages" in info.value.reason


@given(st.binary(max_size=600))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_bytes_give_a_document_or_our_error(data: bytes) -> None:
    for blob in (data, b"%PDF-1.4\n" + data):
        try:
            doc = parse_document(blob, "fuzz.bin", ocr=False)
        except DocumentError:
            continue
        assert_invariants(doc)


# --- sniffing ---------------------------------------------------------------------------------------


def test_sniff_by_content_not_name() -> None:
    html = (RAW / "thematic_seminar_6_2004.html").read_bytes()
    assert sniff_media_type(html, "report.pdf") == HTML
    doc = parse_document(html, "report.pdf")
    assert doc.media_type == HTML and line_with(doc, "Date: 2 July 2004").bold
    assert sniff_media_type((RAW / "aspro_sheet.pdf").read_bytes(), "sheet.html") == PDF
    assert sniff_media_type((ALTERNATES / "kanagawa_declaration_sheet.docx").read_bytes(), "x.txt") == DOCX


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"\xef\xbb\xbf  \n<!DOCTYPE html><p>x</p>", "", HTML),
        (b"\n\n<html lang='en'><body>x</body></html>", "a.txt", HTML),
        ("<!doctype html><p>x</p>".encode("utf-16"), "", HTML),
        (b"<?xml version='1.0'?>\n<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0'><html></html>", "", HTML),
        (b"<p>A fragment</p>", "frag.htm", HTML),
        (b"# Title\n\nSome *text*.", "notes.md", MARKDOWN),
        (b"# Title\n\nSome *text*.", "notes.txt", TEXT),
        (b"Plain words, caf\xe9 in cp1252.", "", TEXT),
        ("Ünïcödé text".encode(), "", TEXT),
    ],
)
def test_sniff_text_formats(data: bytes, name: str, expected: str) -> None:
    assert sniff_media_type(data, name) == expected


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "legacy Microsoft Office"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "gzip"),
    ],
)
def test_sniff_names_foreign_formats(data: bytes, what: str) -> None:
    with pytest.raises(UnsupportedFormatError, match=what):
        sniff_media_type(data, "file.pdf")


def test_sniff_zip_kinds() -> None:
    def zipped(names: list[str]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in names:
                archive.writestr(name, "x")
        return buffer.getvalue()

    with pytest.raises(UnsupportedFormatError, match="Excel"):
        sniff_media_type(zipped(["[Content_Types].xml", "xl/workbook.xml"]))
    with pytest.raises(UnsupportedFormatError, match="ZIP archive"):
        sniff_media_type(zipped(["readme.txt"]))
    with pytest.raises(CorruptDocumentError, match="damaged"):
        sniff_media_type(b"PK\x03\x04" + b"\x00" * 50)


# --- PDF built here -----------------------------------------------------------------------------------


def make_pdf(
    pages: list[list[tuple[float, float, float, str, str]]],
    *,
    ops: dict[int, str] | None = None,
    title: str = "",
) -> bytes:
    """A minimal PDF: per page, (x, top, size, font, text) with F1 Helvetica, F2 Helvetica-Bold.

    ``ops`` adds raw content-stream operators (rulings, images) to the page of that index.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    fonts = {
        name: add(f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>".encode())
        for name, base in (("F1", "Helvetica"), ("F2", "Helvetica-Bold"))
    }
    pages_id = add(b"")
    kids = []
    for index, texts in enumerate(pages):
        parts = []
        for x, top, size, font, text in texts:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            parts.append(f"BT /{font} {size} Tf {x} {792 - top - size} Td ({escaped}) Tj ET")
        stream = ("\n".join(parts) + "\n" + (ops or {}).get(index, "")).encode("cp1252")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        resources = " ".join(f"/{name} {ref} 0 R" for name, ref in fonts.items())
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << {resources} >> >> /Contents {content} 0 R >>".encode()
            )
        )
    objects[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    )
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    info = add(f"<< /Title ({title}) >>".encode()) if title else None
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info_ref = f" /Info {info} 0 R" if info else ""
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R{info_ref} >>\n".encode()
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


WORDS = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
]


def prose(tag: str, i: int) -> str:
    return f"{tag}{i} " + " ".join(WORDS[(i * 3) % 8 : (i * 3) % 8 + 7])


def test_pdf_two_columns_read_left_column_first() -> None:
    texts = [(72, 60, 20, "F2", "Two Column Report")]
    texts += [(72, 100 + i * 14, 10, "F1", prose("L", i)) for i in range(20)]
    texts += [(320, 100 + i * 14, 10, "F1", prose("R", i)) for i in range(20)]
    texts.append((72, 420, 10, "F2", "Phone: +81 45 210"))
    doc = parse_pdf(make_pdf([texts], title="Synthetic report"))
    assert_invariants(doc)
    order = [line.text.split()[0] for line in doc.lines]
    assert order == ["Two", *[f"L{i}" for i in range(20)], *[f"R{i}" for i in range(20)], "Phone:"]
    assert doc.title_hint == "Synthetic report"
    assert doc.lines[0].heading_level == 1 and doc.lines[0].bold
    assert doc.lines[-1].bold and doc.lines[-1].heading_level == 0
    assert doc.lines[1].block == doc.lines[20].block != doc.lines[21].block


def test_pdf_label_value_form_is_not_read_as_columns() -> None:
    labels = [
        "Name:",
        "Phone:",
        "Fax:",
        "E-mail:",
        "Address:",
        "Position:",
        "Country:",
        "City:",
        "Web:",
        "Date:",
    ]
    texts = []
    for i in range(30):
        texts.append((72, 80 + i * 20, 10, "F2", labels[i % 10]))
        texts.append((330, 80 + i * 20, 10, "F1", f"value number {i} of the form field goes here"))
    doc = parse_pdf(make_pdf([texts]))
    assert doc.lines[0].text == "Name: value number 0 of the form field goes here"
    assert all(line.text.startswith(labels[i % 10]) for i, line in enumerate(doc.lines))


def test_pdf_blocks_indents_lists_and_page_spans() -> None:
    page1 = [
        (72, 72, 10, "F1", "First paragraph line one runs on and on"),
        (72, 84, 10, "F1", "and its second line."),
        (72, 120, 10, "F1", "Second paragraph after a gap."),
        (90, 150, 10, "F1", "• a bullet item with its text"),
        (90, 180, 10, "F1", "1. a numbered item"),
        (72, 210, 10, "F1", "Tab\x01bed text with a control char"),
    ]
    page2 = [(72, 72, 10, "F1", "Page two text.")]
    doc = parse_pdf(make_pdf([page1, [], page2]))
    assert_invariants(doc)
    assert [s.page for s in doc.pages] == [1, 2, 3]
    assert doc.page_text(doc.pages[1]) == ""
    first, second, third, bullet, numbered, control = doc.lines[:6]
    assert first.block == second.block != third.block
    assert bullet.text.startswith("•") and bullet.list_item and bullet.indent == pytest.approx(18, abs=1)
    assert numbered.list_item and not third.list_item
    assert "\x01" not in control.text
    assert line_with(doc, "Page two text.").page == 3


def test_pdf_table_with_rulings_marks_cells() -> None:
    # A 2x2 grid of ruled cells, as form tables are drawn.
    grid = "0.5 w 72 600 m 472 600 l S 72 640 m 472 640 l S 72 680 m 472 680 l S "
    grid += "72 600 m 72 680 l S 272 600 m 272 680 l S 472 600 m 472 680 l S"
    texts = [
        (80, 792 - 675, 10, "F2", "Partner"),
        (280, 792 - 675, 10, "F2", "Country"),
        (80, 792 - 635, 10, "F1", "City of Kitakyushu"),
        (280, 792 - 635, 10, "F1", "Japan"),
        (72, 300, 10, "F1", "Text below the table."),
    ]
    doc = parse_pdf(make_pdf([texts], ops={0: grid}))
    assert_invariants(doc)
    cells = {line.text: (line.table, line.row, line.col) for line in doc.lines}
    assert cells["Partner"] == (0, 0, 0) and cells["Country"] == (0, 0, 1)
    assert cells["City of Kitakyushu"] == (0, 1, 0) and cells["Japan"] == (0, 1, 1)
    assert cells["Text below the table."] == (None, None, None)
    assert line_with(doc, "Partner").bold


def test_pdf_absurd_coordinates_do_not_exhaust_memory() -> None:
    # A damaged text matrix can throw words a billion points away; layout must stay bounded.
    texts = [(72, 80 + i * 14, 10, "F1", prose("L", i)) for i in range(20)]
    texts += [(1e9, 80 + i * 14, 10, "F1", prose("R", i)) for i in range(20)]
    doc = parse_pdf(make_pdf([texts]))
    assert_invariants(doc)
    assert len(doc.lines) == 20


def test_real_ruled_table_pdf_gets_cells() -> None:
    doc = parse_document((ROBUSTNESS / "nics-background-checks-2015-11.pdf").read_bytes())
    assert_invariants(doc)
    alabama = line_with(doc, "Alabama")
    assert alabama.table is not None and alabama.col == 0
    same_row = [line.text for line in doc.lines if line.table == alabama.table and line.row == alabama.row]
    assert len(same_row) > 10


def test_pdf_duplicate_glyphs_are_dropped() -> None:
    doc = parse_document((ROBUSTNESS / "issue-71-duplicate-chars.pdf").read_bytes())
    assert_invariants(doc)
    assert line_with(doc, "2020.01 - 2020.05")  # printed twice over itself, read once


def test_pdf_text_overprinted_with_a_small_offset_is_read_once() -> None:
    heading = "Partnership information sheet"
    data = make_pdf(
        [
            [
                (72, 100, 14, "F2", heading),
                (72.4, 100.3, 14, "F2", heading),
                (72, 140, 10, "F1", "Lead partner: IGES"),
            ]
        ]
    )
    doc = parse_pdf(data)
    assert_invariants(doc)
    assert [line.text for line in doc.lines] == [heading, "Lead partner: IGES"]


def _overprint_rule(chars: list[dict]) -> list[dict]:
    """The rule stated plainly: a char is dropped when one with its text was kept within 1pt."""
    kept: list[dict] = []
    for c in chars:
        if not any(
            k["text"] == c["text"] and abs(k["x0"] - c["x0"]) <= 1 and abs(k["top"] - c["top"]) <= 1
            for k in kept
        ):
            kept.append(c)
    return kept


# Whole points and floats a rounding away from them: where a 1pt grid can lose a pair.
_coordinate = st.one_of(
    st.floats(-3, 12, allow_nan=False),
    st.integers(-3, 12).map(float),
    st.sampled_from(
        [0.9999999999999999, 1.0000000000000002, 1.9999999999999998, 2.0000000000000004, -1e-300]
    ),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ab"), _coordinate, _coordinate), max_size=40))
def test_pdf_overprint_removal_follows_its_rule(points: list[tuple[str, float, float]]) -> None:
    from extractors.parsing.pdf.overprint import drop_overprints, drop_overprints_exact

    chars = [{"text": t, "x0": x, "top": y} for t, x, y in points]
    assert drop_overprints(chars) == _overprint_rule(chars)
    assert drop_overprints_exact(chars) == _overprint_rule(
        chars
    )  # the path taken when overprints are possible


def test_pdf_some_pages_without_text_warn() -> None:
    image = "q 400 0 0 500 100 150 cm BI /W 2 /H 2 /BPC 8 /CS /G ID abcd EI Q"
    doc = parse_pdf(make_pdf([[(72, 72, 10, "F1", "Typed page.")], []], ops={1: image}))
    assert_invariants(doc)
    assert doc.needs_ocr and [s.page for s in doc.pages] == [1, 2]
    assert doc.warnings and "page(s) 2" in doc.warnings[0] and "OCR" in doc.warnings[0]
    with pytest.raises(OcrRequiredError):
        parse_pdf(make_pdf([[]], ops={0: image}))
    with pytest.raises(EmptyDocumentError):
        parse_pdf(make_pdf([[], []]))


# --- DOCX built here ---------------------------------------------------------------------------------


def build_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Tiny partnership sheet"
    document.add_heading("Partnership Sheet", level=1)
    para = document.add_paragraph()
    para.add_run("Date:").bold = True
    para.add_run(" 2 July 2004")
    two_lines = document.add_paragraph("Address: 1 Main Street")
    two_lines.add_run().add_break()
    two_lines.add_run("Yokohama City")
    document.add_paragraph("First partner", style="List Bullet")
    document.add_paragraph("Second partner", style="List Bullet")
    document.add_heading("Contacts", level=2)
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "Name"
    table.cell(0, 1).text = "Phone"
    table.cell(1, 0).text = "Hiroshi Okazaki"
    cell = table.cell(1, 1)
    cell.text = "+81-45-210-4065"
    cell.add_paragraph("+81-45-210-8845")
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "Merged note"
    document.add_paragraph("After the table.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_headings_lists_and_tables() -> None:
    doc = parse_document(build_docx(), "tiny.docx")
    assert_invariants(doc)
    assert doc.media_type == DOCX and doc.title_hint == "Tiny partnership sheet"
    assert line_with(doc, "Partnership Sheet").heading_level == 1
    assert line_with(doc, "Contacts").heading_level == 2
    date = line_with(doc, "Date: 2 July 2004")
    assert not date.bold  # "Date:" is 5 of 17 characters: most of the line is not bold
    street, city = line_with(doc, "Address: 1 Main Street"), line_with(doc, "Yokohama City")
    assert street.block == city.block and not city.list_item
    first, second = line_with(doc, "First partner"), line_with(doc, "Second partner")
    assert first.list_item and second.list_item and first.block != second.block
    name, phone = line_with(doc, "Name"), line_with(doc, "Phone")
    assert (name.table, name.row, name.col) == (0, 0, 0) and (phone.row, phone.col) == (0, 1)
    tel, fax = line_with(doc, "+81-45-210-4065"), line_with(doc, "+81-45-210-8845")
    assert (tel.table, tel.row, tel.col) == (fax.table, fax.row, fax.col) == (0, 1, 1)
    assert tel.block == fax.block, "a cell is one block"
    assert len(lines_containing(doc, "Merged note")) == 1, "a merged cell is read once"
    assert line_with(doc, "After the table.").table is None
    texts = [line.text for line in doc.lines]
    assert texts.index("Second partner") < texts.index("Name") < texts.index("After the table.")


def test_docx_unpacking_limits() -> None:
    data = build_docx()
    with pytest.raises(LimitExceededError, match="limit of 1,000"):
        parse_docx(data, max_unpacked_bytes=1000)
    # A member that inflates a thousandfold: the default ratio limit stops it.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename))
        bomb.writestr("word/media/padding.bin", b"\x00" * (8 * 1024 * 1024))
    with pytest.raises(LimitExceededError, match="ratio"):
        parse_document(buffer.getvalue(), "bomb.docx")


def test_damaged_docx_is_corrupt() -> None:
    data = build_docx()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as broken:
        for item in source.infolist():
            content = source.read(item.filename)
            broken.writestr(item, b"<w:document" if item.filename == "word/document.xml" else content)
    with pytest.raises(CorruptDocumentError):
        parse_document(buffer.getvalue(), "broken.docx")


# --- HTML built here -----------------------------------------------------------------------------------


def test_html_structure_and_noise_removal() -> None:
    html = b"""<!doctype html><html><head><title> A  page </title><style>p{}</style></head><body>
    <header><nav>Home | About</nav></header>
    <script>document.write("nope")</script>
    <main><h2>Contact   details</h2>
    <p><b>Phone:</b>   +81-45-210-4065<br>Fax: +81-45-210-8845</p>
    <p>Plain <strong>bold later</strong> text</p>
    <div>Loose div text <span>with span</span></div>
    <ul><li>One<ul><li>Nested</li></ul></li><li><p>Two</p></li></ul>
    <p hidden>Hidden</p><p style="display: none">Also hidden</p><!-- a comment -->
    <p>Mail <a href="mailto:a@b.org">a@b.org</a> or <a href="https://example.org">our site</a></p>
    <table><tr><th>Year</th><th colspan="2">Target</th><th>Note</th></tr>
    <tr><td>2005</td><td>Cut waste</td></tr></table></main>
    <footer>Copyright</footer></body></html>"""
    doc = parse_html(html)
    assert_invariants(doc)
    assert doc.title_hint == "A page"
    texts = [line.text for line in doc.lines]
    for gone in ("Home | About", "nope", "Hidden", "Also hidden", "Copyright", "a comment"):
        assert not any(gone in t for t in texts)
    assert line_with(doc, "Contact details").heading_level == 2
    phone, fax = line_with(doc, "Phone: +81-45-210-4065"), line_with(doc, "Fax: +81-45-210-8845")
    assert phone.bold and not fax.bold and phone.block == fax.block
    assert not line_with(doc, "Plain bold later text").bold
    assert line_with(doc, "Loose div text with span")
    one, nested, two = line_with(doc, "One"), line_with(doc, "Nested"), line_with(doc, "Two")
    assert one.list_item and nested.list_item and two.list_item
    assert line_with(doc, "Mail a@b.org or our site")
    year, target, note = line_with(doc, "Year"), line_with(doc, "Target"), line_with(doc, "Note")
    assert (year.col, target.col, note.col) == (0, 1, 3) and year.bold
    assert (line_with(doc, "Cut waste").row, line_with(doc, "Cut waste").col) == (1, 1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b'<html><head><meta charset="windows-1252"></head><body><p>\x93Quoted\x94 caf\xe9</p></body></html>',
            "“Quoted” café",
        ),
        (b"<html><head><meta charset='iso-8859-1'></head><body><p>\x93Q\x94</p></body></html>", "“Q”"),
        (b"<html><body><p>caf\xe9 \x96 bad utf-8</p></body></html>", "café – bad utf-8"),
        ("<html><body><p>Ünïcödé ✓</p></body></html>".encode("utf-16"), "Ünïcödé ✓"),
        (b'<html><head><meta charset="no-such-codec"></head><body><p>ok \xc3\xa9</p></body></html>', "ok é"),
    ],
)
def test_html_decoding(data: bytes, expected: str) -> None:
    doc = parse_document(data, "page.html")
    assert [line.text for line in doc.lines] == [expected]


def test_html_deep_nesting_and_broken_markup_do_not_crash() -> None:
    deep = b"<html><body>" + b"<div>" * 3000 + b"deep text" + b"</div>" * 3000 + b"</body></html>"
    assert line_with(parse_html(deep), "deep text")
    broken = b"<html><body><p>open <b>bold <table><tr><td>cell</p></i></body>"
    doc = parse_html(broken)
    assert_invariants(doc)
    assert line_with(doc, "cell").table == 0


def test_html_page_wrapped_in_a_form_keeps_its_text() -> None:
    html = b"<html><body><form id='aspnet'><h1>Report</h1><p>Date: 2 July 2004</p></form></body></html>"
    assert [line.text for line in parse_html(html).lines] == ["Report", "Date: 2 July 2004"]


# --- text and Markdown -----------------------------------------------------------------------------------


def test_markdown_markup_becomes_cues() -> None:
    md = """# Partnership **Sheet**

Setext Title
============

**Date:** 2 July 2004
Venue: see <http://example.org/venue> and [the site](http://example.org/y), `code`, *it*, my_var_name

- First partner
  continues here
* Second partner
1. Numbered step

| Name | Phone |
|------|-------|
| Okazaki | +81-45 |

> Quoted **words**
```
# not a heading
```
"""
    doc = parse_document(md.encode(), "sheet.md")
    assert_invariants(doc)
    assert doc.media_type == MARKDOWN
    assert line_with(doc, "Partnership Sheet").heading_level == 1
    assert line_with(doc, "Setext Title").heading_level == 1
    date = line_with(doc, "Date: 2 July 2004")
    venue = line_with(doc, "Venue: see http://example.org/venue and the site, code, it, my_var_name")
    assert date.bold and not venue.bold and date.block == venue.block
    first, cont = line_with(doc, "First partner"), line_with(doc, "continues here")
    assert first.list_item and not cont.list_item and first.block == cont.block
    assert line_with(doc, "Second partner").list_item and line_with(doc, "1. Numbered step").list_item
    name, phone = line_with(doc, "Name"), line_with(doc, "+81-45")
    assert name.bold and (name.table, name.row, name.col) == (0, 0, 0) and (phone.row, phone.col) == (1, 1)
    assert line_with(doc, "Quoted words")
    assert line_with(doc, "# not a heading").heading_level == 0


def test_plain_text_blocks_encodings_and_pages() -> None:
    data = "Title line\r\nsecond line\r\n\r\n• bullet item\r\nCafé “quoted”".encode("cp1252")
    doc = parse_document(data, "notes.txt")
    assert_invariants(doc)
    assert doc.media_type == TEXT
    title, second, bullet, cafe = doc.lines
    assert title.block == second.block != bullet.block
    assert bullet.text == "bullet item" and bullet.list_item
    assert cafe.text == "Café “quoted”"
    paged = parse_text(b"page one\n\x0cpage two\n\x0c")
    assert [s.page for s in paged.pages] == [1, 2]
    assert line_with(paged, "page two").page == 2
    assert_invariants(paged)


@given(st.text(max_size=400))
@settings(max_examples=80, deadline=None)
def test_any_text_keeps_span_invariants(text: str) -> None:
    for parser in (lambda b: parse_text(b, "x.md"), parse_html):
        try:
            doc = parser(text.encode("utf-8"))
        except EmptyDocumentError:
            continue
        assert_invariants(doc)
