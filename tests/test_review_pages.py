"""The review app's page view: a PDF document is shown as its pages, rendered with pdfium at 150 dpi
and cached under the output folder (bounded), with every row's evidence box drawn on them; other
formats keep the text view. Through the HTTP interface, on a real extraction of two dev documents."""

from __future__ import annotations

import io
import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from extractors.parsing import ocr_available
from pipeline.corrections.extraction import save_extraction
from pipeline.release.build import publish_with_corrections
from pipeline.review.app import create_app
from pipeline.review.page_images import CACHE_DIR, PageImages
from pipeline.run.processing import process_bytes
from pipeline.run.spool import assemble_tables
from pipeline.settings import Settings

from .conftest import RAW

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PDF = "aspro_sheet.pdf"
HTML = "thematic_seminar_6_2004.html"
TOKEN = "s3cret-token-for-tests-only"
_RECT = re.compile(r'<rect class="box[^"]*" data-row="r-([0-9a-f]+)" x="([\d.-]+)" y="([\d.-]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Settings, Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("review-pages")
    raw = root / "raw"
    raw.mkdir()
    for name in (PDF, HTML):
        shutil.copy(RAW / name, raw / name)
    results = [process_bytes((raw / name).read_bytes(), source=name) for name in (PDF, HTML)]
    settings = Settings(root=root, corrections_db=Path("corrections/ledger.sqlite"), raw_dir=raw)
    out = root / "output"
    save_extraction(assemble_tables(results), out, raw_dir=raw)
    publish_with_corrections(out, settings)
    return settings, out, {r.document.source: r.document.doc_id for r in results}


@pytest.fixture(scope="module")
def client(site) -> TestClient:
    settings, out, _ = site
    return TestClient(create_app(settings, out_dir=out), base_url="http://127.0.0.1")


def _published(site, table: str) -> pd.DataFrame:
    return pd.read_parquet(site[1] / "current" / f"{table}.parquet")


def _document(site, source: str) -> dict:
    docs = _published(site, "documents")
    return docs[docs["source"] == source].to_dict("records")[0]


def test_a_pdf_document_shows_its_pages_with_a_box_per_row(site, client) -> None:
    _, _, ids = site
    page = client.get(f"/doc/{ids[PDF]}")
    assert page.status_code == 200
    for n in range(1, 6):
        assert f'<img src="/doc/{ids[PDF]}/page/{n}.png" width="1275" height="1650"' in page.text
    assert page.text.count('viewBox="0 0 612 792"') == 5
    drawn = {row_id: (float(x), float(y)) for row_id, x, y in _RECT.findall(page.text)}
    partners = _published(site, "partners")
    mine = partners[partners["doc_id"] == ids[PDF]]
    assert len(mine) > 10
    for row in mine.to_dict("records"):
        # The rect is the row's box (with a point of margin), on the page the row is on.
        assert drawn[row["partner_id"]] == pytest.approx((row["x0"] - 1, row["top"] - 1), abs=0.01)
        assert f'id="r-{row["partner_id"]}"' in page.text
    # The text stays at hand, for selecting the evidence of a missing row.
    assert 'class="page-text"' in page.text and "Extracted text" in page.text


def test_other_formats_keep_the_text_view(site, client) -> None:
    _, _, ids = site
    page = client.get(f"/doc/{ids[HTML]}")
    assert page.status_code == 200
    assert "<img" not in page.text and "<rect" not in page.text
    assert page.text.count('class="page-text"') == 1
    assert client.get(f"/doc/{ids[HTML]}/page/1.png").status_code == 404


def test_a_page_image_is_rendered_at_150_dpi_and_cached(site, client) -> None:
    _, out, ids = site
    response = client.get(f"/doc/{ids[PDF]}/page/2.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"  # 8.5 x 11 in at 150 dpi (pdfium may round a pixel up)
    assert abs(image.width - 1275) <= 1 and abs(image.height - 1650) <= 1
    cached = list((out / CACHE_DIR).glob("*-p2-150dpi.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == response.content
    assert client.get(f"/doc/{ids[PDF]}/page/2.png").content == response.content


@pytest.mark.parametrize(
    "path",
    [
        "/doc/{pdf}/page/0.png",
        "/doc/{pdf}/page/6.png",  # the document has 5 pages
        "/doc/{pdf}/page/1",
        "/doc/{pdf}/page/01.png",
        "/doc/{pdf}/page/1.png.png",
        "/doc/{pdf}/page/..%2F..%2Fextraction%2Fextraction.json",
        "/doc/{pdf}/page/%2e%2e.png",
        "/doc/0000000000000000/page/1.png",
        "/doc/..%2F{pdf}/page/1.png",
    ],
)
def test_only_pages_of_known_documents_are_served(site, client, path: str) -> None:
    _, _, ids = site
    response = client.get(path.format(pdf=ids[PDF]))
    assert response.status_code == 404
    assert not response.content.startswith(b"\x89PNG")


def test_a_changed_raw_file_is_not_shown_as_the_document(site, tmp_path: Path) -> None:
    settings, out, ids = site
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / PDF).write_bytes((RAW / "kanagawa_declaration_sheet.pdf").read_bytes())  # same name, other bytes
    images = PageImages(tmp_path / "out", raw)
    doc = _document(site, PDF)
    assert images.pages(doc) is None and images.image(doc, 1) is None
    shutil.copy(RAW / PDF, raw / PDF)
    assert images.pages(doc) is not None and images.image(doc, 1) is not None


def test_the_page_cache_keeps_the_most_recently_used_pages_within_its_bounds(site, tmp_path: Path) -> None:
    settings, _, _ = site
    doc = _document(site, PDF)
    images = PageImages(tmp_path, settings.raw_path, max_files=2)
    first = images.image(doc, 1)
    second = images.image(doc, 2)
    assert first is not None and second is not None
    images.image(doc, 1)  # used again: now the newest
    images.image(doc, 3)
    kept = sorted(p.name.split("-")[1] for p in (tmp_path / CACHE_DIR).glob("*.png"))
    assert kept == ["p1", "p3"]
    for n in range(1, 6):
        images.image(doc, n)
    assert len(list((tmp_path / CACHE_DIR).glob("*.png"))) == 2
    big = PageImages(tmp_path, settings.raw_path)  # the pages' sizes, all five rendered
    for n in range(1, 6):
        big.image(doc, n)
    # The byte bound: a cache smaller than any two pages holds the page just shown only.
    sizes = sorted(p.stat().st_size for p in (tmp_path / CACHE_DIR).glob("*.png"))
    bound = sizes[0] + sizes[1] - 1
    small = PageImages(tmp_path / "small", settings.raw_path, max_bytes=bound)
    for n in (1, 2, 3, 4, 5, 1):
        path = small.image(doc, n)
        assert path is not None and path.exists()
        assert [p.name.split("-")[1] for p in (tmp_path / "small" / CACHE_DIR).glob("*.png")] == [f"p{n}"]


def test_page_images_need_the_access_token(site) -> None:
    settings, out, ids = site
    guarded = TestClient(create_app(settings, out_dir=out, token=TOKEN), base_url="http://127.0.0.1")
    assert guarded.get(f"/doc/{ids[PDF]}/page/1.png").status_code == 401
    allowed = guarded.get(f"/doc/{ids[PDF]}/page/1.png", headers={"x-partnerflow-token": TOKEN})
    assert allowed.status_code == 200 and allowed.content.startswith(b"\x89PNG")


@pytest.mark.skipif(not ocr_available(), reason="tesseract is not installed (it reads the box back)")
def test_a_box_lands_on_its_words_when_the_page_is_cropped(tmp_path: Path) -> None:
    import pypdfium2 as pdfium
    import pytesseract

    pdf = pdfium.PdfDocument((RAW / PDF).read_bytes())
    for index in range(len(pdf)):
        pdf[index].set_cropbox(50, 60, 560, 760)  # the image shows less than the media box
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    data = buffer.getvalue()
    (tmp_path / "cropped.pdf").write_bytes(data)
    result = process_bytes(data, source="cropped.pdf")
    partner = next(p for p in result.facts["partners"] if p.name == "Japan International Cooperation Agency")
    images = PageImages(tmp_path / "out", tmp_path)
    doc = result.document.model_dump()
    geometry = images.pages(doc)
    assert geometry is not None and partner.page is not None and partner.box is not None
    page = geometry[partner.page - 1]
    assert (page.left, page.top, page.width, page.height) == (50, 792 - 760, 510, 700)
    path = images.image(doc, partner.page)
    assert path is not None
    image = Image.open(path)
    scale = image.width / page.width  # as the SVG's viewBox maps points onto the image
    x0, top, x1, bottom = partner.box
    crop = image.crop(
        (
            int((x0 - page.left) * scale) - 4,
            int((top - page.top) * scale) - 4,
            int((x1 - page.left) * scale) + 4,
            int((bottom - page.top) * scale) + 4,
        )
    )
    assert " ".join(pytesseract.image_to_string(crop, config="--psm 7").split()) == partner.name


def test_a_row_added_from_a_selection_on_a_pdf_gets_its_box(site, client) -> None:
    _, _, ids = site
    pages = _published(site, "pages")
    first = pages[(pages["doc_id"] == ids[PDF]) & (pages["page"] == 1)].iloc[0]
    at = int(first["char_start"]) + str(first["text"]).index("Metro Cebu")
    page = client.get(f"/doc/{ids[PDF]}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    form = {"csrf": csrf.group(1), "reviewer": "ann", "table": "partners", "f_name": "Metro Cebu",
            "f_category": "major_group", "f_lead": "false", "page": "1", "char_start": str(at),
            "char_end": str(at + len("Metro Cebu"))}  # fmt: skip
    assert client.post(f"/doc/{ids[PDF]}/add", data=form, follow_redirects=False).status_code == 303
    partners = _published(site, "partners")
    added = partners[(partners["doc_id"] == ids[PDF]) & (partners["name"] == "Metro Cebu")].iloc[0]
    assert added["corrected"] and added["method"] == "reviewer" and added["page"] == 1
    # The box holds the printed "Cebu" and starts at the "M" of "-Metro", as pdfplumber places them.
    words = _words(1)
    cebu = next(w for i, w in enumerate(words) if w["text"] == "Cebu" and words[i - 1]["text"] == "-Metro")
    metro = words[words.index(cebu) - 1]
    box = (added["x0"], added["top"], added["x1"], added["bottom"])
    assert box[2] == pytest.approx(cebu["x1"], abs=0.01)
    assert box[1] == pytest.approx(cebu["top"], abs=0.01) and box[3] == pytest.approx(
        cebu["bottom"], abs=0.01
    )
    assert metro["x0"] < box[0] < metro["x0"] + (metro["x1"] - metro["x0"]) / 3
    # And it is drawn on the page like the extracted rows.
    assert f'data-row="r-{added["partner_id"]}"' in client.get(f"/doc/{ids[PDF]}").text


def test_a_selection_in_a_document_without_pages_gets_no_box(site, client) -> None:
    _, _, ids = site
    page = client.get(f"/doc/{ids[HTML]}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    form = {"csrf": csrf.group(1), "reviewer": "ann", "table": "websites", "f_url": "http://example.org/x",
            "char_start": "0", "char_end": "10"}  # fmt: skip
    assert client.post(f"/doc/{ids[HTML]}/add", data=form, follow_redirects=False).status_code == 303
    websites = _published(site, "websites")
    added = websites[websites["url"] == "http://example.org/x"].iloc[0]
    assert added["corrected"] and pd.isna(added["page"]) and pd.isna(added["x0"])


def _words(page: int) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(RAW / PDF) as pdf:
        return pdf.pages[page - 1].extract_words()


def test_the_words_of_a_pdf_page_are_served_for_selecting_on_its_image(site, client) -> None:
    _, _, ids = site
    response = client.get(f"/doc/{ids[PDF]}/words/1.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    words = response.json()
    pages = _published(site, "pages")
    text = "\n".join(pages[pages["doc_id"] == ids[PDF]].sort_values("char_start")["text"])
    printed = _words(1)
    assert len(words) > 100
    for start, end, x0, top, x1, bottom in words:
        # Each is (part of) a word pdfplumber prints there (our reading splits words at font changes).
        assert any(
            text[start:end] in word["text"]
            and word["x0"] - 0.01 <= x0 <= x1 <= word["x1"] + 0.01
            and word["top"] - 0.01 <= top <= bottom <= word["bottom"] + 0.01
            for word in printed
        ), text[start:end]
    for path in (
        f"/doc/{ids[PDF]}/words/6.json",
        f"/doc/{ids[PDF]}/words/1",
        f"/doc/{ids[HTML]}/words/1.json",
    ):
        assert client.get(path).status_code == 404, path


def test_low_confidence_rows_are_listed_at_the_top_of_the_view(site, client) -> None:
    _, _, ids = site
    page = client.get(f"/doc/{ids[PDF]}").text
    head = page[: page.index('<div class="split">')]
    low = []
    for table in ("dates", "partners", "contacts", "targets", "events", "websites"):
        frame = _published(site, table)
        mine = frame[(frame["doc_id"] == ids[PDF]) & (frame["confidence"] < 0.8) & ~frame["corrected"]]
        low += list(mine[f"{table[:-1]}_id"])
    assert low, "the sheet has low-confidence rows"
    assert f"Low confidence ({len(low)})" in head
    for row_id in low:
        assert f'href="#r-{row_id}" class="low-link"' in head
