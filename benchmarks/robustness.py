"""Every file of a folder through the worker pool: verdicts by kind, slowest file, peak memory.

usage: python benchmarks/robustness.py [FOLDER ...] [--workers N] [--timeout S]

Not a test (timings on shared machines are noisy); the robustness test suite
asserts the verdicts, this script reports the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.settings import Settings  # noqa: E402
from pipeline.workers import Budget, DocumentPool  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[Path("tests/robustness")])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=None)
    args = parser.parse_args()
    settings = Settings()
    if args.timeout:
        settings = settings.model_copy(update={"doc_timeout_seconds": args.timeout})
    budget = Budget.of(settings)
    files = sorted(
        p for folder in args.folders for p in folder.rglob("*") if p.is_file() and p.suffix != ".md"
    )
    verdicts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    timings: list[tuple[float, str]] = []
    started = time.perf_counter()
    with DocumentPool(args.workers, budget) as pool:
        for path in files:
            t0 = time.perf_counter()
            result = pool.process(path, path.name, hashlib.sha256(path.read_bytes()).hexdigest())
            elapsed = time.perf_counter() - t0
            timings.append((elapsed, path.name))
            status = result.document.status
            verdicts[status] += 1
            error = result.document.error or ""
            reasons[_kind(error) if status != "ok" else "ok"] += 1
            print(f"{status:13} {elapsed:6.2f}s  {path.name}: {error[:140]}")
    total = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    slowest = max(timings) if timings else (0.0, "-")
    print()
    print(f"files tried: {len(files)} in {total:.1f} s")
    print("verdicts:", ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    print("by kind:", ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    print(f"slowest: {slowest[1]} ({slowest[0]:.2f} s)")
    print(f"peak RSS of a worker: {peak_mb:.0f} MB")
    return 0


def _kind(error: str) -> str:
    lowered = error.lower()
    for needle, kind in (
        ("ocr", "no text layer (OCR needed)"),
        ("password", "encrypted"),
        ("encrypt", "encrypted"),
        ("empty", "empty"),
        ("longer than the limit", "time limit"),
        ("memory", "memory limit"),
        ("no pages", "no pages"),
        ("pages, over", "page limit"),
        ("limit of", "size limit"),
        ("not recognised", "not a partnership document"),
        ("no facts", "no facts"),
        ("corrupt", "corrupt"),
        ("damaged", "corrupt"),
        ("cannot be read", "corrupt"),
        ("not a", "unsupported format"),
        ("unsupported", "unsupported format"),
    ):
        if needle in lowered:
            return kind
    return "other"


if __name__ == "__main__":
    raise SystemExit(main())
