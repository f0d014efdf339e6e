"""The quality report of a release (pipeline/release/quality.py) and extra files in a release (publish_release)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from pipeline.errors import PublishError
from pipeline.release.publish import list_releases, publish_release, read_current
from pipeline.release.quality import CHART_COLOR, quality_markdown, render_quality_report
from pipeline.release.validation import apply_validation, validate_tables
from pipeline.release.violations import ValidationReport
from tests.test_validation import valid_tables

CHROMIUM = Path("/usr/bin/chromium")
# CI installs it with: apt-get update && apt-get install -y chromium
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is missing (apt-get update && apt-get install -y chromium)",
)

HOSTILE = '<script>alert("x")</script>'
HOSTILE_NAME = '<img src=x onerror="alert(1)">'
_IMG = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)">')


def _tables_with_problems() -> tuple[dict[str, pd.DataFrame], ValidationReport]:
    """Tables as the flow has them at publish time: hostile text, a low-confidence row, repaired violations."""
    tables = valid_tables()
    documents = tables["documents"]
    documents.loc[1, "source"] = f"reports/{HOSTILE}.html"
    partners = tables["partners"]
    partners.loc[2, "name"] = HOSTILE_NAME
    partners.loc[2, "confidence"] = 0.3
    partners.loc[1, "country"] = "XX"
    report = validate_tables(tables)
    return apply_validation(tables, report), report


def _images(page: str) -> list[Image.Image]:
    return [Image.open(io.BytesIO(base64.b64decode(data))) for data, _ in _IMG.findall(page)]


def test_report_has_headline_sections_and_two_png_charts() -> None:
    tables, report = _tables_with_problems()
    page = render_quality_report(tables, report, "20260102T030405000000Z-abc")
    assert page.startswith("<!DOCTYPE html>")
    assert "Quality report of release <code>20260102T030405000000Z-abc</code>" in page
    for heading in (
        "Documents by type and status",
        "Documents that need attention",
        "Rows per table",
        "Fields most often empty",
        "Rows below confidence 0.5",
        "Validation violations",
    ):
        assert f"<h2>{heading}</h2>" in page
    # Headline cards: 2 documents, one flagged by validation; 1 row below 0.5; 1 error.
    assert "<div><b>2</b>documents</div>" in page
    assert "<div><b>1</b>needs review</div>" in page
    assert "<div><b>1</b>rows below 0.5</div>" in page
    assert "<div><b>1</b>validation errors</div>" in page
    images = _images(page)
    assert [alt for _, alt in _IMG.findall(page)] == [
        "Documents per year of initiation",
        "Partners per country",
    ]
    assert all(img.format == "PNG" and img.width > 0 and img.height > 0 for img in images)
    assert "<td>partners</td><td>acronym</td>" in page  # most partners print no acronym


def test_low_confidence_rows_are_listed_by_threshold() -> None:
    tables, report = _tables_with_problems()
    section = render_quality_report(tables, report, "r").split("Rows below confidence")[1].split("<h2>")[0]
    assert section.count("<tr>") == 2  # the header and the one row at 0.30
    assert '<td class="n">0.30</td>' in section
    stricter = render_quality_report(tables, report, "r", review_threshold=0.95)
    assert stricter.split("Rows below confidence")[1].split("<h2>")[0].count("<tr>") == 1 + len(
        [
            c
            for name in ("partners", "contacts", "dates", "events", "targets", "websites")
            for c in tables[name]["confidence"]
        ]
    )


def test_everything_from_documents_is_escaped() -> None:
    tables, report = _tables_with_problems()
    page = render_quality_report(tables, report, '<b>"release"</b>')
    assert "<script" not in page.lower()
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "&lt;b&gt;&quot;release&quot;&lt;/b&gt;" in page
    # Defence in depth: the page itself forbids scripts and remote loads.
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:;' in page
    # The only tags are the report's own.
    tags = set(re.findall(r"<([a-zA-Z0-9]+)", page))
    assert tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "code", "div", "b", "img",
                    "table", "thead", "tbody", "tr", "th", "td", "p"}  # fmt: skip


def test_markdown_digest() -> None:
    tables, report = _tables_with_problems()
    tables["documents"].loc[0, "error"] = "a | b"
    text = quality_markdown(tables, report, "rel|1")
    assert text.startswith("# Quality of release `rel\\|1`")
    assert "**2 documents**: ok 1, needs review 1, failed 0" in text
    assert "| partners | 3 |" in text
    assert "| error | country | partners | null_value | 1 |" in text
    assert "<script" not in text and "<img" not in text


def test_empty_tables_still_render_charts() -> None:
    tables = {name: frame.iloc[0:0] for name, frame in valid_tables().items()}
    page = render_quality_report(tables, validate_tables(tables), "empty")
    assert len(_images(page)) == 2
    assert "<div><b>0</b>documents</div>" in page


# --- extra files in a release ---------------------------------------------------------------------


def test_publish_release_writes_extra_files_into_the_manifest(tmp_path: Path) -> None:
    tables, report = _tables_with_problems()
    page = render_quality_report(tables, report, "r").encode()
    release = publish_release(
        tables,
        tmp_path,
        raw_dir=tmp_path,
        raw_files=[],
        code_version="test",
        extra_files={"quality.html": page},
    )
    assert (release / "quality.html").read_bytes() == page
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["files"]["quality.html"] == hashlib.sha256(page).hexdigest()
    assert read_current(tmp_path) == release.resolve()


def test_an_extra_file_can_name_its_release(tmp_path: Path) -> None:
    """The flow renders the report for the release id that publish_release picks."""
    tables, report = _tables_with_problems()
    release = publish_release(
        tables,
        tmp_path,
        raw_dir=tmp_path,
        raw_files=[],
        code_version="test",
        run_id="abc",
        extra_files={
            "quality.html": lambda release_id: render_quality_report(tables, report, release_id).encode()
        },
    )
    page = (release / "quality.html").read_text(encoding="utf-8")
    assert f"Quality report of release <code>{release.name}</code>" in page
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["files"]["quality.html"] == hashlib.sha256(page.encode()).hexdigest()


def test_an_extra_file_function_that_fails_leaves_no_release(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="must be bytes"):
        publish_release(
            valid_tables(),
            tmp_path,
            raw_dir=tmp_path,
            raw_files=[],
            code_version="test",
            extra_files={"quality.html": lambda release_id: release_id},  # type: ignore[dict-item]
        )
    assert list_releases(tmp_path) == [] and read_current(tmp_path) is None
    assert not any((tmp_path / "releases").iterdir())


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("../quality.html", b"x"),
        ("sub/quality.html", b"x"),
        (".hidden", b"x"),
        ("manifest.json", b"{}"),
        ("schema.json", b"{}"),
        ("partners.csv", b"x"),
        ("quality.html", "not bytes"),
    ],
)
def test_publish_release_refuses_bad_extra_files(name: str, data: object, tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="extra file"):
        publish_release(
            valid_tables(),
            tmp_path,
            raw_dir=tmp_path,
            raw_files=[],
            code_version="test",
            extra_files={name: data},  # type: ignore[dict-item]
        )
    assert list_releases(tmp_path) == [] and read_current(tmp_path) is None
    assert not any((tmp_path / "releases").glob(".tmp-*"))


# --- in a real browser --------------------------------------------------------------------------


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@needs_chromium
def test_charts_load_in_headless_chromium(tmp_path: Path) -> None:
    tables, report = _tables_with_problems()
    page = render_quality_report(tables, report, "browser")
    report_file = tmp_path / "quality.html"
    report_file.write_text(page, encoding="utf-8")

    # 1. The images decode in the browser: a probe copy (the report's CSP rightly forbids the
    # probe's script, so the copy drops it) writes each image's state into the DOM on load.
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    script = (
        '<pre id="probe"></pre><script>window.addEventListener("load", function () {'
        'document.getElementById("probe").textContent = JSON.stringify(Array.from(document.images)'
        ".map(function (i) { return [i.complete, i.naturalWidth, i.naturalHeight]; })); });</script>"
    )
    probe_file = tmp_path / "probe.html"
    probe_file.write_text(probe.replace("</body>", script + "</body>"), encoding="utf-8")
    dom = _chromium("--dump-dom", probe_file.as_uri(), profile=tmp_path / "profile")
    found = re.search(r'<pre id="probe">([^<]*)</pre>', dom.stdout)
    assert found, f"no probe output; chromium said: {dom.stderr[-2000:]}"
    states = json.loads(found.group(1))
    assert len(states) == 2
    assert all(complete and width > 0 and height > 0 for complete, width, height in states), states

    # 2. The report itself, with its CSP, paints the charts: the bars' colour is on screen.
    shot = tmp_path / "shot.png"
    result = _chromium(
        "--hide-scrollbars", "--window-size=1280,1400", f"--screenshot={shot}", report_file.as_uri(),
        profile=tmp_path / "profile",
    )  # fmt: skip
    assert shot.exists(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert len(set(image.getdata())) > 10  # not blank
    target = tuple(int(CHART_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    bar_pixels = sum(
        1 for pixel in image.getdata() if all(abs(c - t) <= 6 for c, t in zip(pixel, target, strict=True))
    )
    assert bar_pixels > 2000, bar_pixels
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
