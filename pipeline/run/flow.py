"""Prefect flow: discover raw files, process each document in its own task, publish a release."""

from __future__ import annotations

import hashlib
import json
import queue
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

import extractors
import pipeline
import schemas
from extractors.models import models_fingerprint
from extractors.rules import load_all_rules
from pipeline.corrections.store import open_store
from pipeline.release.build import publish_extraction
from pipeline.release.history import remove_leftovers
from pipeline.release.locking import run_lock
from pipeline.release.publish import current_release_built_from, read_current, read_manifest
from pipeline.release.quality import quality_markdown
from pipeline.run.cache import ResultCache, code_fingerprint, settings_key
from pipeline.run.discovery import RawFile, deduplicate, discover, save_index
from pipeline.run.processing import DocumentResult, failed_result, process_bytes
from pipeline.run.progress import progress_display
from pipeline.run.spool import ResultSpool
from pipeline.run.summary import RunSummary
from pipeline.run.workers import Budget, DocumentPool, take_pool
from pipeline.settings import Settings

_active_pool: DocumentPool | None = None


@task(name="process-document", task_run_name="process {raw.source}", cache_policy=NO_CACHE)
def process_document(raw: RawFile, settings: Settings) -> DocumentResult:
    if raw.error is not None:
        return unread_result(raw)
    # Size is checked before reading so a huge file never lands in memory.
    if raw.size > settings.max_file_bytes:
        return failed_result(
            raw.source,
            raw.sha256,
            f"the file is {raw.size:,} bytes, over the limit of {settings.max_file_bytes:,}; "
            "raise PARTNERFLOW_MAX_FILE_BYTES to accept it",
        )
    if _active_pool is not None:
        return _active_pool.process(raw.path, raw.source, raw.sha256)
    # On a Dask worker the task already runs in its own process: process it here.
    # The raw folder must be reachable at the same path from every worker.
    try:
        data = raw.path.read_bytes()
    except OSError as exc:
        return failed_result(raw.source, raw.sha256, f"cannot read the file ({exc.strerror or exc})")
    budget = Budget.of(settings)
    return process_bytes(
        data,
        source=raw.source,
        review_threshold=budget.review_threshold,
        max_bytes=budget.max_bytes,
        max_pages=budget.max_pages,
    )


def unread_result(raw: RawFile) -> DocumentResult:
    """The verdict on a path discovery did not read (a link, no permission): failed, with why. Not
    cached: it is about the path, not a content, and is free to give again."""
    return failed_result(raw.source, raw.sha256, raw.error or "not read", cacheable=False)


# Prefect types the runner by the futures it makes and infers none from a bare constructor.
@flow(name="partnerflow-ingest", task_runner=ThreadPoolTaskRunner(max_workers=2))  # type: ignore[arg-type]
def ingest(
    raw_dir: str | None = None,
    out_dir: str | None = None,
    workers: int | None = None,
    wait: bool = False,
    use_cache: bool = True,
    process_pool: bool = True,
) -> RunSummary:
    """Ingest every document of the raw folder and publish a new release, or keep the current
    one when nothing it was built from has changed."""
    settings = Settings()
    if workers:
        settings = settings.model_copy(update={"workers": workers})
    raw_path = settings.resolve(Path(raw_dir)) if raw_dir else settings.raw_path
    out_path = settings.resolve(Path(out_dir)) if out_dir else settings.out_path
    logger = get_run_logger()
    load_all_rules()
    with run_lock(out_path, wait=wait) as locked_at:
        remove_leftovers(out_path, older_than=locked_at)
        files = discover(raw_path)
        unique, duplicates = deduplicate(files)
        logger.info("%d files in %s (%d duplicates)", len(files), raw_path, len(duplicates))
        cache = ResultCache(out_path / "cache", settings_key(settings)) if use_cache else None
        fingerprint = _inputs_fingerprint(files, raw_path, settings)
        if cache is not None and all(cache.has(sha) for sha, raw in unique.items() if raw.error is None):
            kept = current_release_built_from(out_path, fingerprint)
            if kept is not None:
                summary = _unchanged_summary(*kept, duplicates=duplicates)
                _summary_artifact(summary)
                logger.info("nothing changed: release %s stays current", summary.release)
                return summary
        for stale in out_path.glob(".spool-*"):  # left by a run that was killed (we hold the lock)
            shutil.rmtree(stale, ignore_errors=True)
        spool = ResultSpool(Path(tempfile.mkdtemp(prefix=".spool-", dir=out_path)))
        try:
            reused = _process_all(list(unique.values()), settings, cache, spool, process_pool=process_pool)
            tables = spool.tables()
            if cache is not None:
                save_index(files, cache.directory)
        finally:
            spool.close()
        raw_files = [{"source": f.source, "sha256": f.sha256, "bytes": f.size} for f in files]
        previous_models, models = _release_models(out_path), models_fingerprint()
        built = publish_extraction(
            tables,
            out_path,
            raw_dir=raw_path,
            raw_files=raw_files,
            settings=settings,
            inputs={"fingerprint": fingerprint, "models": models},
        )
    release, tables, report, conflicts = built.path, built.tables, built.report, built.conflicts
    if conflicts:
        logger.warning(
            "%d corrections no longer apply cleanly: resolve them in `partnerflow review`", len(conflicts)
        )
    summary = RunSummary.of_release(
        release.name,
        tables["documents"],
        {name: len(frame) for name, frame in tables.items()},
        duplicates=duplicates,
        processed=len(unique) - reused,
        reused=reused,
        violations=len(report.errors),
        conflicts=len(conflicts),
        conflict_notes=[f"entry {c.correction_id} ({c.reason}): {c.message}" for c in conflicts],
        models=models_description(models),
        models_changed=previous_models is not None and previous_models != models,
    )
    _summary_artifact(summary)
    create_markdown_artifact(
        markdown=quality_markdown(tables, report, release.name),
        key="partnerflow-quality",
        description="Quality of the release: statuses, empty fields, low confidence, violations",
    )
    logger.info("published release %s", release.name)
    return summary


def _release_models(out_path: Path) -> str | None:
    """The models fingerprint the current release was extracted with (None before the first, or
    for a release made before releases recorded it)."""
    current = read_current(out_path)
    manifest = read_manifest(current) if current is not None else None
    inputs = manifest.get("inputs") if manifest else None
    return inputs.get("models") if isinstance(inputs, dict) else None


def models_description(fingerprint: str) -> str:
    """One line: what each learned component was trained on, and the models' ``fingerprint``."""
    from extractors.calibration import confidence_model
    from extractors.section_model import section_role_model

    section, confidence = section_role_model(), confidence_model()
    parts = [
        "section roles "
        + (f"from {_counts(section.trained_on)} labels" if section is not None else "not trained"),
        "confidence " + (f"from {_counts(confidence.trained_on)} documents" if confidence else "not trained"),
    ]
    return f"{'; '.join(parts)} (models {fingerprint})"


def _counts(by_source: Mapping[str, float]) -> str:
    return ", ".join(f"{source} {n:g}" for source, n in sorted(by_source.items()))


def _summary_artifact(summary: RunSummary) -> None:
    create_markdown_artifact(
        markdown=summary.to_markdown(),
        key="partnerflow-run-summary",
        description="Documents by status and rows per table",
    )


def _inputs_fingerprint(files: list[RawFile], raw_path: Path, settings: Settings) -> str:
    """Everything a release is built from: the raw files by name and content, the code of
    every package, the settings that change results, the corrections ledger and the
    organisation overrides. Equal fingerprints build equal releases."""
    overrides = settings.resolve(settings.org_overrides_file)
    parts = {
        "raw": [str(raw_path), [[f.source, f.sha256] for f in files]],
        "code": code_fingerprint(extractors, schemas, pipeline),
        "settings": settings_key(settings),
        "corrections": open_store(settings).version(),
        "overrides": hashlib.sha256(overrides.read_bytes()).hexdigest() if overrides.is_file() else None,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _unchanged_summary(release: Path, manifest: dict, *, duplicates: list[tuple[str, str]]) -> RunSummary:
    documents = pd.read_parquet(
        release / "documents.parquet", columns=["source", "status", "doc_type", "error"]
    )
    inputs = manifest["inputs"]
    return RunSummary.of_release(
        release.name,
        documents,
        {name: int(n) for name, n in manifest["row_counts"].items()},
        duplicates=duplicates,
        processed=0,
        reused=len(documents),
        violations=int(inputs.get("violations", 0)),
        conflicts=int(inputs.get("conflicts", 0)),
        unchanged=True,
    )


def _process_all(
    files: list[RawFile],
    settings: Settings,
    cache: ResultCache | None,
    spool: ResultSpool,
    *,
    process_pool: bool = True,
) -> int:
    """Cached results for unchanged files; one Prefect task per other document; each result goes
    to the spool as it arrives. Returns how many documents were reused from the cache."""
    global _active_pool
    pool = None
    try:
        pending = [raw for raw in files if raw.error is None and (cache is None or not cache.has(raw.sha256))]
        if process_pool and pending:
            # The workers load spaCy while cached results are read; never more workers than documents.
            pool = take_pool(min(settings.workers, len(pending)), Budget.of(settings))
        misses: list[RawFile] = []
        reused = 0
        for raw in files:
            if raw.error is not None:  # its verdict needs no worker, no task and no cache
                spool.add(unread_result(raw))
                continue
            hit = cache.get(raw.sha256, raw.source) if cache is not None else None
            if hit is not None:
                spool.add(hit)
                reused += 1
            else:
                misses.append(raw)
        if not misses:
            return reused
        if process_pool and pool is None:  # a cache entry that could not be read
            pool = take_pool(min(settings.workers, len(misses)), Budget.of(settings))
        _active_pool = pool
        # Not prefect's as_completed: it holds every future (and so every result) to the end.
        finished: queue.SimpleQueue = queue.SimpleQueue()
        futures = {}
        for raw in misses:
            future = process_document.submit(raw, settings)
            futures[future] = raw
            future.add_done_callback(finished.put)
        with progress_display(len(futures)) as advance:
            while futures:
                future = finished.get()
                raw = futures.pop(future)
                outcome = future.result(raise_on_failure=False)
                if isinstance(outcome, DocumentResult):
                    result = outcome
                else:  # the task itself crashed: the document still gets a verdict
                    result = failed_result(
                        raw.source, raw.sha256, f"processing crashed ({outcome!r})", cacheable=False
                    )
                if cache is not None:
                    cache.put(result)
                spool.add(result)
                advance(f"{raw.source}: {result.document.status}")
                del future, outcome, result  # nothing of the document stays in the flow process
    finally:
        _active_pool = None
        if pool is not None:
            pool.close()
    return reused


def build_deployment(
    *, raw_dir: str, out_dir: str, cron: str | None = None, interval: float | None = None, workers: int = 2
):
    """A deployment of the ingest flow on a schedule: each run processes only new or changed files."""
    if (cron is None) == (interval is None):
        raise ValueError("give exactly one of cron or interval")
    return ingest.to_deployment(
        name="partnerflow-scheduled",
        cron=cron,
        interval=interval,
        parameters={"raw_dir": raw_dir, "out_dir": out_dir, "workers": workers, "wait": True},
        description="Ingest new or changed documents of the raw folder and publish a release.",
    )
