"""The page view of the review app in a real browser (issue 15): a PDF document is shown as its page
images with every row's evidence box; clicking a box selects its row, selecting a row highlights
its box; dragging over words on the page selects a missed row's evidence, and the row added from
it is published corrected, with its page and box. For a text-layer PDF and for a scan, whose boxes
come from OCR.

Needs Playwright for Python and Debian's Chromium, as tests/test_review_browser.py does. Set
PARTNERFLOW_PAGE_SCREENSHOT=docs/review-page.png to also save the README's screenshot of the view.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from extractors.parsing import ocr_available
from pipeline.corrections.extraction import save_extraction
from pipeline.release.build import publish_with_corrections
from pipeline.run.processing import process_bytes
from pipeline.run.spool import assemble_tables
from pipeline.settings import Settings

from .conftest import ALTERNATES, RAW
from .test_review_browser import CHROMIUM, browser_tab, serve_review_app, sync_playwright

if sync_playwright is not None:
    from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="Playwright is not installed"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
]

SHEET = "aspro_sheet.pdf"
SCAN = "kanagawa_declaration_sheet.scanned.pdf"
SELECTED = re.compile(r"\bselected\b")
# A known partner of each, and the page it is printed on.
KNOWN = {SHEET: ("Japan International Cooperation Agency", 1), SCAN: ("Japanese Government", 1)}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("review-page-browser")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(RAW / SHEET, raw / SHEET)
    if ocr_available():
        shutil.copy(ALTERNATES / SCAN, raw / SCAN)
    results = [process_bytes(path.read_bytes(), source=path.name) for path in sorted(raw.iterdir())]
    out = root / "output"
    save_extraction(assemble_tables(results), out, raw_dir=raw)
    publish_with_corrections(out, _settings(root))
    return root, out


def _settings(root: Path) -> Settings:
    return Settings(root=root, raw_dir=root / "raw", corrections_db=Path("corrections/ledger.sqlite"))


@pytest.fixture(scope="module")
def server(workspace) -> Iterator[str]:
    root, out = workspace
    with serve_review_app(_settings(root), out) as url:
        yield url


@pytest.fixture(scope="module")
def page(server) -> Iterator[Page]:
    with browser_tab(timeout_ms=20_000, console_errors=True) as tab:
        yield tab


def _partner(out: Path, source: str, name: str) -> dict:
    docs = pd.read_parquet(out / "current" / "documents.parquet")
    doc_id = str(docs.loc[docs["source"] == source, "doc_id"].iloc[0])
    partners = pd.read_parquet(out / "current" / "partners.parquet")
    found = partners[(partners["doc_id"] == doc_id) & (partners["name"] == name)]
    assert len(found) == 1, f"{source}: partner {name!r} not extracted"
    return found.to_dict("records")[0]


@pytest.mark.parametrize("source", [SHEET, SCAN])
def test_the_page_shows_each_row_box_and_a_click_selects_its_row(
    workspace, server, page: Page, source
) -> None:
    if source == SCAN and not ocr_available():
        pytest.skip("tesseract is not installed: the scan cannot be read")
    _, out = workspace
    name, page_no = KNOWN[source]
    partner = _partner(out, source, name)
    assert partner["page"] == page_no and pd.notna(partner["x0"])
    page.goto(f"{server}/doc/{partner['doc_id']}")

    # The page is an image, rendered by the app, loaded and shown.
    image = page.locator(f"#page-{page_no} .page-image img")
    expect(image).to_be_visible()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), polling=100
    )
    assert image.evaluate("(img) => img.naturalWidth") >= 1200  # 150 dpi of a page over 8 in wide

    # The row's box is drawn where the row's evidence is: its place on the image scales the points.
    box = page.locator(f'#page-{page_no} rect.box[data-row="r-{partner["partner_id"]}"]')
    expect(box).to_have_count(1)
    on_screen = box.bounding_box()
    picture = image.bounding_box()
    assert on_screen is not None and picture is not None
    scale = picture["width"] / page.evaluate(
        "(svg) => svg.viewBox.baseVal.width", page.locator(f"#page-{page_no} svg.boxes").element_handle()
    )
    assert on_screen["x"] - picture["x"] == pytest.approx((partner["x0"] - 1) * scale, abs=2)
    assert on_screen["y"] - picture["y"] == pytest.approx((partner["top"] - 1) * scale, abs=2)

    # Clicking the box selects its row.
    box.click()
    row = page.locator(f"tr#r-{partner['partner_id']}")
    expect(row).to_have_class(SELECTED)
    expect(box).to_have_class(SELECTED)
    assert page.locator("tr.row.selected").count() == 1

    # Selecting another row moves the highlight to its box, scrolled into the page pane.
    other = page.locator("tr.row").last
    other.locator("td").first.click()
    expect(other).to_have_class(SELECTED)
    other_box = page.locator(f'rect.box[data-row="{other.get_attribute("id")}"]')
    expect(other_box).to_have_class(SELECTED)
    expect(other_box).to_be_in_viewport()
    expect(box).not_to_have_class(SELECTED)
    expect(row).not_to_have_class(SELECTED)

    # The low-confidence rows listed at the top select their row (and its box) when clicked.
    link = page.locator("a.low-link").first
    if link.count():
        target = (link.get_attribute("href") or "#")[1:]
        link.click()
        expect(page.locator(f"tr#{target}")).to_have_class(SELECTED)
        expect(page.locator(f'rect.box[data-row="{target}"]').first).to_have_class(SELECTED)

    screenshot = os.environ.get("PARTNERFLOW_PAGE_SCREENSHOT")
    if screenshot and source == SHEET:
        box.click()
        page.locator(".source").evaluate("(pane) => { pane.scrollTop = 0; }")
        page.wait_for_timeout(300)
        page.screenshot(path=screenshot)


# A phrase on page 1 of each that the extraction does not give as a partner.
MISSED = {SHEET: "Stakeholders in Kitakyushu", SCAN: "Asian Local Government"}


def _page_words(server: str, out: Path, doc_id: str, page_no: int) -> list[tuple[str, list[float]]]:
    """The words the app serves for selecting on page ``page_no`` (text layer, or OCR for a scan)."""
    with urllib.request.urlopen(f"{server}/doc/{doc_id}/words/{page_no}.json", timeout=120) as response:
        words = json.load(response)
    pages = pd.read_parquet(out / "current" / "pages.parquet")
    text = "\n".join(pages[pages["doc_id"] == doc_id].sort_values("char_start")["text"])
    return [(text[w[0] : w[1]], w[2:]) for w in words]


@pytest.mark.parametrize("source", [SHEET, SCAN])
def test_dragging_over_words_on_the_page_adds_a_missed_partner_with_its_box(
    workspace, server, page: Page, source: str
) -> None:
    if source == SCAN and not ocr_available():
        pytest.skip("tesseract is not installed: the scan cannot be read")
    _, out = workspace
    docs = pd.read_parquet(out / "current" / "documents.parquet")
    doc_id = str(docs.loc[docs["source"] == source, "doc_id"].iloc[0])
    phrase = MISSED[source]
    printed = _page_words(server, out, doc_id, 1)
    texts = [text for text, _ in printed]
    n = len(phrase.split())
    at = next(i for i in range(len(texts)) if texts[i : i + n] == phrase.split())
    boxes = [box for _, box in printed[at : at + n]]

    page.goto(f"{server}/doc/{doc_id}")
    page.fill("#reviewer", "Test Reviewer")
    image = page.locator("#page-1 .page-image img")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    image.scroll_into_view_if_needed()
    picture = image.bounding_box()
    assert picture is not None
    width = page.evaluate(
        "(svg) => svg.viewBox.baseVal.width", page.locator("#page-1 svg.boxes").element_handle()
    )
    scale = picture["width"] / width

    def screen(x: float, y: float) -> tuple[float, float]:
        return picture["x"] + x * scale, picture["y"] + y * scale

    # Drag from inside the first word to inside the last, as a reviewer would.
    middle = (boxes[0][1] + boxes[0][3]) / 2
    page.mouse.move(*screen(boxes[0][0] + 3, middle))
    page.mouse.down()
    page.mouse.move(*screen(boxes[-1][2] - 3, middle), steps=8)
    page.mouse.up()
    form = page.locator('details.add[data-table="partners"]')
    expect(form.locator(".selection")).to_contain_text(phrase)
    expect(page.locator("#page-1 rect.drag")).to_have_count(1)

    form.locator("summary").click()
    form.locator(".use-selection").click()
    expect(form.locator('input[name="f_name"]')).to_have_value(phrase)
    form.locator('select[name="f_category"]').select_option("major_group")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    expect(page.locator("#flash")).to_contain_text("published")

    partners = pd.read_parquet(out / "current" / "partners.parquet")
    added = partners[(partners["doc_id"] == doc_id) & (partners["name"] == phrase)]
    assert len(added) == 1
    row = added.iloc[0]
    assert row["corrected"] and row["method"] == "reviewer" and row["page"] == 1
    union = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    assert (row["x0"], row["top"], row["x1"], row["bottom"]) == pytest.approx(union, abs=0.01)
    # The new row's box is on the page, and selecting the row highlights it.
    box = page.locator(f'#page-1 rect.box[data-row="r-{row["partner_id"]}"]')
    expect(box).to_have_count(1)
    page.locator(f"tr#r-{row['partner_id']} td").first.click()
    expect(box).to_have_class(SELECTED)
