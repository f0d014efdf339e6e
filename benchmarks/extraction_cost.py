"""What extraction costs beside parsing, per document, in one process (ratios from one run).

usage: .venv/bin/python benchmarks/extraction_cost.py DIR [DIR ...]

Parses every file once (untimed, to warm caches and load spaCy), then times parsing and
extraction separately over all files, three rounds (spaCy's memo cleared before each),
and reports the medians per document and the share of extraction in a document's time.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from extractors import nlp
from extractors.extract import extract_document
from extractors.parsing import parse_document


def main(folders: list[str]) -> None:
    files = [p for folder in folders for p in sorted(Path(folder).iterdir()) if p.is_file()]
    data = [(p.name, p.read_bytes()) for p in files]
    parsed = [parse_document(raw, name) for name, raw in data]
    for doc in parsed:
        extract_document(doc, "warm")
    parse_times, extract_times = [], []
    for _ in range(3):
        start = time.perf_counter()
        for name, raw in data:
            parse_document(raw, name)
        parse_times.append(time.perf_counter() - start)
        nlp._cache.clear()  # spaCy results are memoised per string: time them, not the memo
        start = time.perf_counter()
        for doc in parsed:
            extract_document(doc, "bench")
        extract_times.append(time.perf_counter() - start)
    n = len(data)
    parse_ms = statistics.median(parse_times) / n * 1000
    extract_ms = statistics.median(extract_times) / n * 1000
    print(
        f"{n} documents: parse {parse_ms:.1f} ms, extract {extract_ms:.1f} ms per document; "
        f"extraction is {extract_ms / (parse_ms + extract_ms):.0%} of a document's time"
    )


if __name__ == "__main__":
    main(sys.argv[1:] or ["raw"])
