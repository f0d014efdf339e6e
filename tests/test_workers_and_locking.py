"""Per-document budgets in worker processes, one run per output folder, crash-safe publishing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.errors import RunLockedError
from pipeline.release.locking import run_lock
from pipeline.release.publish import read_current
from pipeline.run.workers import Budget, DocumentPool

from .conftest import RAW

ROOT = Path(__file__).resolve().parent.parent


def _budget(**overrides) -> Budget:
    values = {"seconds": 120.0, "memory_mb": 0, "max_bytes": 10**8, "max_pages": 500, "review_threshold": 0.5}
    values.update(overrides)
    return Budget(**values)


def test_a_document_over_its_time_budget_fails_alone_with_the_limit_named() -> None:
    path = RAW / "kanagawa_declaration_sheet.pdf"
    with DocumentPool(1, _budget(seconds=0.01)) as pool:
        slow = pool.process(path, "kanagawa_declaration_sheet.pdf", "0" * 64)
    assert slow.document.status == "failed"
    assert "longer than the limit of 0.01 s" in slow.document.error
    assert slow.document.error.startswith("kanagawa_declaration_sheet.pdf:")


def test_the_pool_goes_on_after_a_timeout() -> None:
    with DocumentPool(1, _budget(seconds=60)) as pool:
        good = pool.process(RAW / "japan_national_seminar_2003.html", "japan.html", "0" * 64)
    assert good.document.status in ("ok", "needs_review")
    assert good.facts["partners"]


def test_a_second_run_on_the_same_output_is_refused_with_the_holder_named(tmp_path: Path) -> None:
    with run_lock(tmp_path), pytest.raises(RunLockedError, match=f"pid {os.getpid()}"), run_lock(tmp_path):
        pass
    with run_lock(tmp_path):  # released on exit
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pipeline.release.locking import run_lock\n"
            f"with run_lock(Path({str(tmp_path)!r})):\n    print('locked', flush=True); time.sleep(60)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(RunLockedError), run_lock(tmp_path):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with run_lock(tmp_path):
        pass


_PUBLISH_LOOP = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from pipeline.release.publish import publish_release
from pipeline.tables import records_to_frame
from schemas.records import TABLE_MODELS, PartnerRecord

out = Path(sys.argv[1])
i = 0
while True:
    i += 1
    tables = {name: records_to_frame(name, []) for name in TABLE_MODELS}
    partners = [PartnerRecord(doc_id="d", page=1, char_start=0, char_end=5, method="t", confidence=0.9,
                              partner_id=f"p{j}", name=f"Body {i}-{j}") for j in range(200)]
    tables["partners"] = records_to_frame("partners", partners)
    publish_release(tables, out, raw_dir=out, raw_files=[], code_version="test")
    print(i, flush=True)
"""


def _assert_complete(release: Path) -> None:
    import hashlib

    manifest = json.loads((release / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name


def test_sigkill_during_publishing_never_leaves_current_incomplete(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for attempt in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", _PUBLISH_LOOP, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        proc.stdout.readline()  # at least one release exists
        time.sleep(0.05 * (attempt + 1))  # land somewhere inside a later publish
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        current = read_current(out)
        assert current is not None
        _assert_complete(current)
    # The next publish after the kills completes normally.
    proc = subprocess.Popen(
        [sys.executable, "-c", _PUBLISH_LOOP, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    first = proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert first.strip() == "1"
    _assert_complete(read_current(out))


def test_a_second_run_is_refused_before_the_prefect_server_starts(tmp_path: Path, monkeypatch) -> None:
    from pipeline.run import runner

    started: list[str] = []
    monkeypatch.setattr(runner, "_temporary_server", lambda: started.append("server"))
    monkeypatch.setattr(runner, "_prestart_workers", lambda *a, **k: started.append("workers"))
    out = tmp_path / "out"
    with run_lock(out):
        begun = time.perf_counter()
        with pytest.raises(RunLockedError, match=f"pid {os.getpid()}"):
            runner.run_ingest(RAW, out, workers=1)
        assert time.perf_counter() - begun < 2
    assert started == []


def test_a_run_removes_what_killed_publishers_left_but_not_work_in_progress(tmp_path: Path) -> None:
    from pipeline.release.history import remove_leftovers

    out = tmp_path / "out"
    old = [
        out / "releases" / ".tmp-20260101T000000000000Z-dead",
        out / "releases" / ".deleting-20250101T000000000000Z-old",
        out / ".extractions" / ".tmp-20260101T000000000000Z-dead",
    ]
    for folder in old:
        (folder / "part").mkdir(parents=True)
        (folder / "part" / "partners.csv").write_text("x")
    link = out / ".current.tmp-20260101T000000000000Z-dead"
    link.symlink_to("releases/gone")
    release = out / "releases" / "20260101T000000000000Z-kept"
    release.mkdir()
    for path in (*old, link):
        os.utime(path, (1_000_000_000, 1_000_000_000), follow_symlinks=False)
    with run_lock(out) as locked_at:
        fresh = out / "releases" / ".tmp-20990101T000000000000Z-writing"
        fresh.mkdir()  # someone writing right now, without the lock: not ours to remove
        removed = remove_leftovers(out, older_than=locked_at)
    assert sorted(removed) == sorted([*old, link])
    assert not any(p.exists() or p.is_symlink() for p in (*old, link))
    assert release.is_dir() and fresh.is_dir()
