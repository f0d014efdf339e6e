"""Results streamed to disk as they arrive: same tables as assembling them in memory, nothing held."""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline.run.cache import ResultCache
from pipeline.run.discovery import discover
from pipeline.run.flow import _process_all
from pipeline.run.processing import DocumentResult, failed_result, process_bytes
from pipeline.run.spool import ResultSpool, assemble_tables
from pipeline.settings import Settings
from pipeline.tables import frame_to_arrow

from .conftest import RAW


@pytest.fixture(scope="module")
def results() -> list[DocumentResult]:
    out = [process_bytes(p.read_bytes(), source=p.name) for p in sorted(RAW.iterdir()) if p.is_file()]
    out.append(failed_result("zz_broken.pdf", "f" * 64, "cannot read the file"))
    return out


def test_spooled_tables_equal_tables_assembled_in_memory(results, tmp_path: Path) -> None:
    spool = ResultSpool(tmp_path / "spool")
    for result in reversed(results):  # arrival order is not source order
        spool.add(result)
    tables = spool.tables()
    spool.close()
    expected = assemble_tables(sorted(results, key=lambda r: r.document.source))
    assert set(tables) == set(expected)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(tables[name], frame, check_exact=True)
        assert frame_to_arrow(name, tables[name]).equals(frame_to_arrow(name, frame)), name
    assert spool.sources == [r.document.source for r in reversed(results)]  # names only, not rows
    assert not (tmp_path / "spool").exists()


def test_empty_spool_gives_every_table_with_no_rows(tmp_path: Path) -> None:
    spool = ResultSpool(tmp_path / "spool")
    tables = spool.tables()
    spool.close()
    for name, frame in assemble_tables([]).items():
        pd.testing.assert_frame_equal(tables[name], frame)


class _WatchingSpool(ResultSpool):
    """Counts the earlier results still alive in the flow process each time one arrives."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.refs: list[weakref.ref] = []
        self.alive: list[int] = []

    def add(self, result: DocumentResult) -> None:
        gc.collect()
        self.alive.append(sum(ref() is not None for ref in self.refs))
        self.refs.append(weakref.ref(result))
        super().add(result)


@pytest.mark.flow
def test_the_flow_process_does_not_hold_earlier_results(harness, tmp_path: Path) -> None:
    files = [replace(f, source=f"{i}-{f.source}") for i in range(3) for f in discover(RAW)]
    spool = _WatchingSpool(tmp_path / "spool")

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=2))
    def run() -> int:
        return _process_all(files, Settings(), None, spool, process_pool=False)

    assert run() == 0
    spool.close()
    assert len(spool.alive) == len(files) == 15
    # At most the results of the two task threads still finishing; holding them all would reach 14.
    assert max(spool.alive) <= 2, spool.alive


class _FakePool:
    """Records when the flow starts its workers; processes documents in the task thread."""

    def __init__(self, events: list[str], workers: int) -> None:
        self.events = events
        self.workers = workers

    def start(self) -> None:
        self.events.append(f"start {self.workers}")

    def process(self, path: Path, source: str, sha256: str) -> DocumentResult:
        return process_bytes(path.read_bytes(), source=source)

    def close(self) -> None:
        self.events.append("close")


class _RecordingSpool(ResultSpool):
    def __init__(self, directory: Path, events: list[str]) -> None:
        super().__init__(directory)
        self.events = events

    def add(self, result: DocumentResult) -> None:
        self.events.append(f"add {result.document.source}")
        super().add(result)


@pytest.mark.flow
def test_workers_start_before_cached_results_are_read_and_not_at_all_when_all_are_cached(
    harness, tmp_path: Path, monkeypatch
) -> None:
    import pipeline.run.workers

    events: list[str] = []
    monkeypatch.setattr(
        pipeline.run.workers, "DocumentPool", lambda workers, budget: _FakePool(events, workers)
    )
    files = discover(RAW)
    cache = ResultCache(tmp_path / "cache", "k")
    for raw in files[1:]:
        cache.put(process_bytes(raw.path.read_bytes(), source=raw.source))

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=2))
    def run() -> int:
        spool = _RecordingSpool(tmp_path / f"spool-{len(events)}", events)
        try:
            return _process_all(files, Settings(), cache, spool)
        finally:
            spool.close()

    assert run() == len(files) - 1
    # One document to process: one worker, however many the settings allow.
    assert Settings().workers > 1 and events[0] == "start 1" and events[-1] == "close"
    assert sorted(e for e in events if e.startswith("add")) == sorted(f"add {f.source}" for f in files)
    events.clear()
    assert run() == len(files)  # everything cached now: no worker is started
    assert not [e for e in events if e.startswith("start")] and "close" not in events


@pytest.mark.flow
def test_a_run_leaves_no_spool_and_clears_one_left_by_a_killed_run(harness, tmp_path: Path) -> None:
    from pipeline.run.flow import ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seminar.html").write_bytes((RAW / "japan_national_seminar_2003.html").read_bytes())
    out = tmp_path / "out"
    (out / ".spool-killed").mkdir(parents=True)
    (out / ".spool-killed" / "pages.pickle").write_bytes(b"left over")
    summary = ingest(raw_dir=str(raw), out_dir=str(out), process_pool=False)
    assert summary.documents == 1 and summary.rows["pages"] > 0
    assert list(out.glob(".spool-*")) == []
