"""The box of every PDF fact's evidence on its page (x0, top, x1, bottom), from the text layer or OCR.

A reviewer is shown the page with each row's box drawn on it, so the box must hold the words the
row was read from: checked against pdfplumber's own word positions, and for a scan by reading the
box back with tesseract. Formats without pages have no box.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extractors.extract import extract_document
from extractors.parsing import ocr_available, parse_document
from extractors.parsing.builder import word_boxes
from pipeline.corrections.extraction import load_extraction, save_extraction
from pipeline.run.processing import process_bytes
from pipeline.tables import frame_to_arrow, records_to_frame
from schemas.document import PageSpan, ParsedDocument, TextLine
from schemas.extraction import Extraction
from schemas.records import BOX_FIELDS, FACT_MODELS, FactRecord, PartnerRecord, WebsiteRecord

from .conftest import ALTERNATES, RAW

SHEET = RAW / "aspro_sheet.pdf"
SCAN = ALTERNATES / "kanagawa_declaration_sheet.scanned.pdf"


def _extract(path: Path, name: str | None = None) -> tuple[ParsedDocument, Extraction]:
    parsed = parse_document(path.read_bytes(), name or path.name)
    return parsed, extract_document(parsed, "doc")


def _rows(extraction: Extraction) -> list[FactRecord]:
    return [row for rows in extraction.facts().values() for row in rows]


def _inside(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = 0.01) -> bool:
    x0, top, x1, bottom = inner
    return (
        x0 >= outer[0] - slack
        and top >= outer[1] - slack
        and x1 <= outer[2] + slack
        and bottom <= outer[3] + slack
    )


@pytest.fixture(scope="module")
def sheet() -> tuple[ParsedDocument, Extraction]:
    return _extract(SHEET)


def _pdfplumber_words(page_no: int) -> list[dict]:
    with pdfplumber.open(SHEET) as pdf:
        return pdf.pages[page_no - 1].extract_words()


def _page_size(page_no: int) -> tuple[float, float]:
    with pdfplumber.open(SHEET) as pdf:
        page = pdf.pages[page_no - 1]
        return float(page.width), float(page.height)


def test_a_partner_box_is_the_union_of_its_printed_words(sheet) -> None:
    _, extraction = sheet
    jica = next(p for p in extraction.partners if p.name == "Japan International Cooperation Agency")
    assert jica.page is not None and jica.box is not None
    words = _pdfplumber_words(jica.page)
    texts = [w["text"] for w in words]
    name = jica.name.split()
    # The four words as pdfplumber places them on the page, one after another on one line.
    at = next(i for i in range(len(texts)) if texts[i : i + len(name)] == name)
    printed = words[at : at + len(name)]
    union = (
        min(w["x0"] for w in printed),
        min(w["top"] for w in printed),
        max(w["x1"] for w in printed),
        max(w["bottom"] for w in printed),
    )
    for word in printed:
        assert _inside((word["x0"], word["top"], word["x1"], word["bottom"]), jica.box)
    assert jica.box == pytest.approx(union, abs=0.01)


def test_a_url_box_holds_the_url_and_no_other_word(sheet) -> None:
    _, extraction = sheet
    site = next(w for w in extraction.websites if w.url == "http://www.iges.or.jp/kitakyushu")
    assert site.page is not None and site.box is not None
    words = _pdfplumber_words(site.page)
    inside = [w["text"] for w in words if _inside((w["x0"], w["top"], w["x1"], w["bottom"]), site.box)]
    assert inside == [site.url]


def test_every_pdf_row_has_a_box_on_its_page(sheet) -> None:
    parsed, extraction = sheet
    rows = _rows(extraction)
    assert len(rows) > 20
    for row in rows:
        assert row.page is not None and row.box is not None, row
        width, height = _page_size(row.page)
        assert _inside(row.box, (0.0, 0.0, width, height)), (row, width, height)
        x0, top, x1, bottom = row.box
        assert x0 < x1 and top < bottom


def test_html_docx_and_text_rows_have_no_box() -> None:
    for path, name in [
        (RAW / "thematic_seminar_6_2004.html", None),
        (ALTERNATES / "kanagawa_declaration_sheet.docx", None),
    ]:
        _, extraction = _extract(path, name)
        rows = _rows(extraction)
        assert rows, path
        assert all(row.page is None and row.box is None for row in rows), path
    text = b"Partners: Japan International Cooperation Agency (JICA)\nWebsite: http://www.example.org/x\n"
    _, extraction = _extract_bytes(text, "notes.txt")
    assert _rows(extraction)
    assert all(getattr(row, name) is None for row in _rows(extraction) for name in BOX_FIELDS)


def _extract_bytes(data: bytes, name: str) -> tuple[ParsedDocument, Extraction]:
    parsed = parse_document(data, name)
    return parsed, extract_document(parsed, "doc")


def test_a_span_over_a_page_break_gets_the_box_on_its_first_page() -> None:
    text = "Alpha Beta\nGamma"
    doc = ParsedDocument(
        media_type="application/pdf",
        text=text,
        pages=[PageSpan(page=1, char_start=0, char_end=10), PageSpan(page=2, char_start=11, char_end=16)],
        lines=[
            TextLine(text="Alpha Beta", page=1, char_start=0, char_end=10,
                     boxes=[(0, 5, 10, 700, 40, 712), (6, 10, 45, 700, 70, 712)]),
            TextLine(text="Gamma", page=2, char_start=11, char_end=16, boxes=[(0, 5, 10, 50, 44, 62)]),
        ],
    )  # fmt: skip
    assert doc.evidence_box(6, 16) == (45, 700, 70, 712)  # "Beta\nGamma": Beta only
    assert doc.evidence_box(0, 10) == (10, 700, 70, 712)
    assert doc.evidence_box(12, 14) == pytest.approx((16.8, 50, 30.4, 62))  # "am" of "Gamma"
    assert doc.evidence_box(13, 13) == pytest.approx((23.6, 50, 30.4, 62))  # empty: the letter it is at
    # Part of a word: its share of the word's width ("Alph" of "Alpha").
    assert doc.evidence_box(0, 4) == pytest.approx((10, 700, 34, 712))


def test_word_boxes_follow_the_line_text_after_hyphenated_words_are_joined() -> None:
    box = (1.0, 2.0, 3.0, 4.0)
    # "Plan-" + "ning" re-joined: the first line ends with the whole word, the second lost its head.
    assert word_boxes("City Planning", [("City", box), ("Plan-", box)]) == [(0, 4, *box), (5, 9, *box)]
    assert word_boxes("Agency", [("ning", box), ("Agency", box)]) == [(0, 6, *box)]
    # Words printed without a gap (a font change) join without a space.
    assert word_boxes("JICA,", [("JICA", box), (",", box)]) == [(0, 4, *box), (4, 5, *box)]


def test_a_box_comes_with_its_page_and_all_four_edges() -> None:
    base = dict(doc_id="d", char_start=0, char_end=4, method="t", confidence=1.0, url="http://a.b")
    assert WebsiteRecord(**base, page=1, x0=1, top=2, x1=3, bottom=4).box == (1, 2, 3, 4)
    assert WebsiteRecord(**base, page=None).box is None
    with pytest.raises(ValueError, match="box"):
        WebsiteRecord(**base, page=1, x0=1, top=2, x1=3)
    with pytest.raises(ValueError, match="box"):
        WebsiteRecord(**base, page=None, x0=1, top=2, x1=3, bottom=4)
    with pytest.raises(ValueError, match="not ordered"):
        WebsiteRecord(**base, page=1, x0=3, top=2, x1=1, bottom=4)
    # A table read back holds a missing number as NaN: it is no box, not an error.
    nan = float("nan")
    assert WebsiteRecord(**base, page=1, x0=nan, top=nan, x1=nan, bottom=nan).box is None


def test_boxes_are_published_as_numbers_and_nulls() -> None:
    pdf = process_bytes(SHEET.read_bytes(), source="aspro_sheet.pdf")
    html = process_bytes((RAW / "thematic_seminar_6_2004.html").read_bytes(), source="t.html")
    rows = pdf.facts["partners"] + html.facts["partners"]
    table = frame_to_arrow("partners", records_to_frame("partners", rows))
    for name in BOX_FIELDS:
        assert table.schema.field(name).type == pa.float64()
        assert table.column(name).null_count == len(html.facts["partners"])
    assert table.column_names[-4:] == list(BOX_FIELDS)


def test_an_extraction_saved_before_the_boxes_still_loads(tmp_path: Path) -> None:
    row = PartnerRecord(doc_id="d", page=1, char_start=0, char_end=4, method="t", confidence=1.0, name="JICA")
    old = records_to_frame("partners", [row]).drop(columns=list(BOX_FIELDS))
    save_extraction({"partners": records_to_frame("partners", [])}, tmp_path)
    folder = tmp_path / "extraction"
    pq.write_table(pa.Table.from_pandas(old, preserve_index=False), folder / "partners.parquet")
    loaded = load_extraction(tmp_path)["partners"]
    assert list(loaded.columns) == [name for name in PartnerRecord.model_fields]
    assert loaded[list(BOX_FIELDS)].isna().all().all()
    frame_to_arrow("partners", loaded)  # publishable as it is


@pytest.mark.skipif(not ocr_available(), reason="tesseract is not installed")
def test_ocr_rows_get_boxes_that_hold_their_words() -> None:
    import pypdfium2 as pdfium
    import pytesseract

    parsed, extraction = _extract(SCAN, "scan.pdf")
    assert parsed.ocr_confidence is not None
    rows = _rows(extraction)
    assert rows and all(row.box is not None for row in rows)
    pdf = pdfium.PdfDocument(SCAN.read_bytes())
    try:
        for row in rows:
            width, height = pdf[row.page - 1].get_size()
            assert _inside(row.box, (0.0, 0.0, width, height)), row
        # Read back from the page image, the box of a partner holds its name.
        partner = next(p for p in extraction.partners if p.name == "Japanese Government")
        scale = 200 / 72
        image = pdf[partner.page - 1].render(scale=scale, grayscale=True).to_pil()
        x0, top, x1, bottom = partner.box
        crop = image.crop(
            (int(x0 * scale) - 4, int(top * scale) - 4, int(x1 * scale) + 4, int(bottom * scale) + 4)
        )
        read = " ".join(pytesseract.image_to_string(crop, config="--psm 7").split())
        assert "Japanese Government" in read
    finally:
        pdf.close()


def test_every_fact_table_ends_with_the_box_columns() -> None:
    for model in FACT_MODELS:
        assert tuple(model.model_fields)[-4:] == BOX_FIELDS, model.table
        frame = records_to_frame(model.table, [])
        assert all(str(frame[name].dtype) == "float64" for name in BOX_FIELDS)
