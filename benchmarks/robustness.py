"""Every file of a folder through the worker pool: verdicts by kind, slowest file, peak memory.

usage: python benchmarks/robustness.py [FOLDER ...] [--hostile] [--workers N] [--timeout S]

``--hostile`` adds the hostile-file corpus: the files tests/test_robustness.py generates (zip and
entity bombs, truncated, mislabelled, legacy-encoded and undecodable text, too many pages) plus an
unreadable file and symbolic links (to a file, dangling, to a folder), written to a temporary
folder and read as a run reads its raw folder: discovery first (as an unprivileged user when run
as root, who reads anything, so the permission is really refused), then the pool.

Not a test (timings on shared machines are noisy); the robustness test suite
asserts the verdicts, this script reports the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.run.discovery import RawFile, discover  # noqa: E402
from pipeline.run.processing import failed_result  # noqa: E402
from pipeline.run.workers import Budget, DocumentPool  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534
# Discovery as another user: stdlib only, loaded by path (the venv's interpreter may sit under /root).
_DISCOVER_AS_USER = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("discovery", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules["discovery"] = module
spec.loader.exec_module(module)
print(json.dumps([[f.source, f.size, f.sha256, f.error] for f in module.discover(__import__("pathlib").Path(sys.argv[2]))]))
"""


def hostile_corpus(folder: Path) -> None:
    """The robustness tests' generated files, an unreadable file and symbolic links, in ``folder``."""
    sys.path.insert(0, str(ROOT))
    from tests.test_robustness import HOSTILE

    folder.chmod(0o755)
    for name, (make, _, _) in sorted(HOSTILE.items()):
        (folder / name).write_bytes(make())
    (folder / "unreadable.txt").write_text("Partners: City of Cebu\n")
    (folder / "unreadable.txt").chmod(0)
    (folder / "link-to-page.pdf").symlink_to(folder / "page.pdf")
    (folder / "dangling-link.txt").symlink_to(folder / "gone.txt")
    (folder / "folder-link").symlink_to(folder, target_is_directory=True)


def discover_hostile(folder: Path) -> list[RawFile]:
    if os.geteuid() != 0:
        return discover(folder)
    python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
    found = subprocess.run(
        [python, "-c", _DISCOVER_AS_USER, str(ROOT / "pipeline" / "run" / "discovery.py"), str(folder)],
        user=NOBODY,
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        RawFile(source, folder / source, size, sha, error=error)
        for source, size, sha, error in json.loads(found.stdout)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=None)
    parser.add_argument("--hostile", action="store_true", help="add the generated hostile-file corpus")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=None)
    args = parser.parse_args()
    settings = Settings()
    if args.timeout:
        settings = settings.model_copy(update={"doc_timeout_seconds": args.timeout})
    budget = Budget.of(settings)
    folders = (
        args.folders if args.folders is not None else ([] if args.hostile else [Path("tests/robustness")])
    )
    files = [
        RawFile(p.name, p, p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(
            p for folder in folders for p in folder.rglob("*") if p.is_file() and p.suffix != ".md"
        )
    ]
    scratch = Path(tempfile.mkdtemp(prefix="pf-hostile-")) if args.hostile else None
    if scratch is not None:
        from tests.test_robustness import BUDGET

        hostile_corpus(scratch)
        files += discover_hostile(scratch)
        # The hostile files are sized against the robustness tests' limits (a PDF just over 50 MB).
        budget = dataclasses.replace(
            budget,
            max_bytes=min(budget.max_bytes, BUDGET.max_bytes),
            max_pages=min(budget.max_pages, BUDGET.max_pages),
        )
    verdicts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    timings: list[tuple[float, str]] = []
    started = time.perf_counter()
    with DocumentPool(args.workers, budget) as pool:
        for raw in files:
            t0 = time.perf_counter()
            if raw.error is not None:  # as the flow does: a path discovery did not read is failed with why
                result = failed_result(raw.source, raw.sha256, raw.error, cacheable=False)
            else:
                result = pool.process(raw.path, raw.source, raw.sha256)
            elapsed = time.perf_counter() - t0
            timings.append((elapsed, raw.source))
            status = result.document.status
            verdicts[status] += 1
            error = result.document.error or ""
            reasons[_kind(error) if status != "ok" else "ok"] += 1
            print(f"{status:13} {elapsed:6.2f}s  {raw.source}: {error[:140]}")
    if scratch is not None:
        (scratch / "unreadable.txt").chmod(0o600)
        shutil.rmtree(scratch, ignore_errors=True)
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
        ("permission denied", "permission denied"),
        ("symbolic link", "symbolic link (not followed)"),
        ("cannot decode", "undecodable text"),
        ("binary data", "binary data"),
        ("ocr", "no text layer (OCR needed)"),
        ("holds no text", "no text"),
        ("no title found", "incomplete (no title)"),
        ("password", "encrypted"),
        ("encrypt", "encrypted"),
        ("empty", "empty"),
        ("longer than the limit", "time limit"),
        ("memory", "memory limit"),
        ("no pages", "no pages"),
        ("pages, over", "page limit"),
        ("pages, more than", "page limit"),
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
