"""Incremental runs (results cached by content and extractor) and the same flow on a Dask cluster."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.run.cache import ResultCache
from pipeline.run.flow import ingest
from pipeline.run.processing import process_bytes

from .conftest import RAW

pytestmark = pytest.mark.flow


def _tables(release: Path) -> dict[str, pd.DataFrame]:
    return {
        p.stem: pd.read_parquet(p).drop(columns=["extracted_at"], errors="ignore")
        for p in sorted(release.glob("*.parquet"))
    }


def test_unchanged_documents_are_reused_and_a_changed_one_is_processed(harness, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    out = tmp_path / "out"
    cold = ingest(raw_dir=str(raw), out_dir=str(out))
    assert (cold.processed, cold.reused) == (5, 0)
    warm = ingest(raw_dir=str(raw), out_dir=str(out))
    assert (warm.processed, warm.reused) == (0, 5)
    page = raw / "japan_national_seminar_2003.html"
    page.write_text(page.read_text().replace("28 October 2003", "29 October 2003"))
    changed = ingest(raw_dir=str(raw), out_dir=str(out))
    assert (changed.processed, changed.reused) == (1, 4)
    dates = pd.read_parquet(out / "current" / "dates.parquet")
    assert "2003-10-29" in set(dates["start"]) and "2003-10-28" not in set(dates["start"])


def test_cache_entries_are_keyed_by_extractor_and_settings(tmp_path: Path) -> None:
    data = (RAW / "aspro_sheet.pdf").read_bytes()
    result = process_bytes(data, source="aspro_sheet.pdf")
    cache = ResultCache(tmp_path, "0.5|500")
    cache.put(result)
    hit = cache.get(result.document.sha256, "renamed.pdf")
    assert hit is not None and hit.document.source == "renamed.pdf"
    assert [p.partner_id for p in hit.facts["partners"]] == [p.partner_id for p in result.facts["partners"]]
    assert ResultCache(tmp_path, "0.9|500").get(result.document.sha256, "aspro_sheet.pdf") is None


def test_corrupt_cache_entry_is_a_miss(tmp_path: Path) -> None:
    result = process_bytes((RAW / "japan_national_seminar_2003.html").read_bytes(), source="j.html")
    cache = ResultCache(tmp_path, "k")
    cache.put(result)
    entry = next(tmp_path.rglob("*.json"))
    entry.write_text("{not json")
    assert cache.get(result.document.sha256, "j.html") is None


def test_dask_cluster_produces_the_same_tables_as_the_local_run(harness, tmp_path: Path) -> None:
    from distributed import LocalCluster
    from prefect_dask import DaskTaskRunner

    local = tmp_path / "local"
    ingest(raw_dir=str(RAW), out_dir=str(local), use_cache=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        flow = ingest.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
        on_dask = tmp_path / "dask"
        summary = flow(raw_dir=str(RAW), out_dir=str(on_dask), use_cache=False, process_pool=False)
    assert sum(summary.by_status.values()) == 5 and "failed" not in summary.by_status
    expected, actual = _tables(local / "current"), _tables(on_dask / "current")
    assert expected.keys() == actual.keys()
    for name in expected:
        pd.testing.assert_frame_equal(expected[name], actual[name], obj=name)


def test_a_run_with_nothing_changed_keeps_the_release_and_any_change_publishes_anew(
    harness, tmp_path: Path, monkeypatch
) -> None:
    from pipeline.corrections.extraction import load_extraction
    from pipeline.corrections.propose import propose_accept
    from pipeline.corrections.store import CorrectionStore
    from pipeline.release.organizations import save_overrides
    from pipeline.release.publish import list_releases

    ledger, overrides = tmp_path / "corrections" / "ledger.sqlite", tmp_path / "corrections" / "orgs.json"
    monkeypatch.setenv("PARTNERFLOW_CORRECTIONS_DB", str(ledger))
    monkeypatch.setenv("PARTNERFLOW_ORG_OVERRIDES_FILE", str(overrides))
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("japan_national_seminar_2003.html", "thematic_seminar_6_2004.html"):
        shutil.copy(RAW / name, raw / name)
    out = tmp_path / "out"

    def run(**options) -> object:
        return ingest(raw_dir=str(raw), out_dir=str(out), process_pool=False, **options)

    first = run()
    again = run()
    assert again.unchanged and not first.unchanged
    assert again.release == first.release and len(list_releases(out)) == 1
    assert (again.rows, again.by_status, again.by_type) == (first.rows, first.by_status, first.by_type)
    assert (again.processed, again.reused) == (0, 2)
    assert "no new release was made" in again.to_markdown()

    extraction = load_extraction(out)
    doc_id = str(extraction["documents"]["doc_id"].iloc[0])
    CorrectionStore(ledger).append([propose_accept(extraction, doc_id, reviewer="ann")])
    corrected = run()
    assert not corrected.unchanged and corrected.release != first.release

    save_overrides(overrides, [])
    assert not run().unchanged  # the organisation overrides changed
    shutil.copy(raw / "thematic_seminar_6_2004.html", raw / "copy.html")
    renamed = run()
    assert not renamed.unchanged and renamed.duplicates == [("thematic_seminar_6_2004.html", "copy.html")]
    assert run().unchanged
    assert not run(use_cache=False).unchanged  # --no-cache always processes and publishes
    assert len(list_releases(out)) == 5
