"""What showing a page in the review app costs against parsing it (issue 15), as ratios from one run.

usage: .venv/bin/python benchmarks/page_render.py [--rounds N] [--out FILE] [PDF ...]
       (default: every PDF in raw/ and tests/alternates/)

For every page of every PDF, three ways, each from the file's bytes as the app and the parser get
them (opening the document included, as a page image is rendered on a cache miss):

- **render**: the review app's ``render_page``: pypdfium2 at 150 dpi, encoded as PNG;
- **pdfplumber**: bare pdfplumber, ``page.extract_text()`` of the same page;
- **parser**: partnerflow's own page reading (``PageReader.page_lines``: words, lines, tables,
  columns), the part of ``parse_pdf`` that works page by page.

Each page is timed ``--rounds`` times (default 5) after one untimed warm-up pass; the medians are
summed over the pages. The figure is render / pdfplumber (the issue's target: at most 1). Timings
on a shared machine are noisy: read the ratios, which come from the same minutes.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.parsing.pdf.reading_order import PageReader  # noqa: E402
from pipeline.review.page_images import RENDER_DPI, render_page  # noqa: E402


def _pdfplumber_page(data: bytes, page: int) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pdf.pages[page - 1].extract_text()


def _parser_page(data: bytes, page: int) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        PageReader().page_lines(pdf.pages[page - 1], page)


def _median_seconds(work: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(files: list[Path], rounds: int) -> dict[str, float]:
    pages: list[tuple[bytes, int]] = []
    for path in files:
        data = path.read_bytes()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages += [(data, n) for n in range(1, len(pdf.pages) + 1)]
    ways: dict[str, Callable[[bytes, int], object]] = {
        "render": render_page,
        "pdfplumber": _pdfplumber_page,
        "parser": _parser_page,
    }
    for data, n in pages:  # warm-up: imports, font caches, pdfium's first load
        for way in ways.values():
            way(data, n)
    totals = dict.fromkeys(ways, 0.0)
    for data, n in pages:
        for name, way in ways.items():
            totals[name] += _median_seconds(lambda way=way, data=data, n=n: way(data, n), rounds)
    return {"pages": float(len(pages)), **totals}


def report(files: list[Path], figures: dict[str, float], rounds: int) -> str:
    n = int(figures["pages"])
    per_page = {name: figures[name] / n * 1000 for name in ("render", "pdfplumber", "parser")}
    lines = [
        f"# Page rendering for the review app ({RENDER_DPI} dpi) vs parsing the page",
        "",
        f"{n} pages of {len(files)} PDFs ({', '.join(p.name for p in files)}), median of {rounds} rounds per page.",
        "",
        "| way | ms per page |",
        "| --- | --- |",
        f"| render: pypdfium2 at {RENDER_DPI} dpi + PNG (the app's cache miss) | {per_page['render']:.1f} |",
        f"| pdfplumber `extract_text()` | {per_page['pdfplumber']:.1f} |",
        f"| partnerflow's page reading (`PageReader.page_lines`) | {per_page['parser']:.1f} |",
        "",
        f"**render / pdfplumber = {figures['render'] / figures['pdfplumber']:.2f}x** (target: at most 1x); "
        f"render / partnerflow's page reading = {figures['render'] / figures['parser']:.2f}x.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    files = args.pdfs or sorted(
        [*(ROOT / "raw").glob("*.pdf"), *(ROOT / "tests" / "alternates").glob("*.pdf")]
    )
    text = report(files, measure(files, args.rounds), args.rounds)
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
