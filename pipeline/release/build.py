"""The one place a release is built from tables, whether a run's fresh extraction or the saved one.

The flow (``publish_extraction``), ``partnerflow publish``, the review app and ``corrections
import`` (``publish_with_corrections``) all end in ``build_release``: the reviewers' ledger
applied to the extraction, validation and its repairs, organisations resolved, the publish
gate, the release written with its quality report, and old releases pruned. So a release
re-made after a review is made exactly as a run makes it, only without re-extracting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from extractors import EXTRACTOR_VERSION
from pipeline.corrections.apply import apply_corrections, corrected_tables
from pipeline.corrections.conflicts import Conflict
from pipeline.corrections.extraction import extraction_info, load_extraction, save_extraction
from pipeline.corrections.model import Correction
from pipeline.errors import NoExtractionError
from pipeline.release.history import prune_releases, remove_leftovers
from pipeline.release.locking import run_lock
from pipeline.release.organizations import load_overrides, resolve_tables
from pipeline.release.publish import publish_release, read_current
from pipeline.release.quality import render_quality_report
from pipeline.release.validation import (
    ValidationReport,
    apply_validation,
    ensure_publishable,
    validate_tables,
)
from pipeline.settings import Settings
from pipeline.tables import records_to_frame
from schemas.records import TABLE_MODELS


@dataclass(frozen=True)
class BuiltRelease:
    """A published release: its folder, the tables as published, what validation found and the
    corrections that no longer apply cleanly (kept in the ledger, not applied)."""

    path: Path
    tables: dict[str, pd.DataFrame]
    report: ValidationReport
    conflicts: list[Conflict]


def build_release(
    extraction: Mapping[str, pd.DataFrame],
    out_path: Path,
    *,
    raw_dir: Path,
    raw_files: Sequence[Mapping[str, Any]],
    settings: Settings,
    inputs: Mapping[str, Any] | None = None,
) -> BuiltRelease:
    """Apply the ledger, validate and repair, resolve organisations, refuse a broken release, publish
    it with its quality report and prune old releases.

    ``extraction`` holds the tables before corrections. ``inputs`` (the run's fingerprint) is
    recorded in the manifest with the number of conflicts and violations. A table that still
    breaks the contract after repairs raises ``PublishError`` and nothing is swapped into
    ``current``. The caller holds the output's run lock.
    """
    tables, conflicts = corrected_tables(extraction, settings)
    report = validate_tables(tables)
    tables = apply_validation(tables, report)
    overrides = load_overrides(settings.resolve(settings.org_overrides_file))
    tables = resolve_tables(tables, overrides=overrides)
    ensure_publishable(tables)
    recorded = None
    if inputs is not None:
        recorded = {**inputs, "conflicts": len(conflicts), "violations": len(report.errors)}
    release = publish_release(
        tables,
        out_path,
        raw_dir=raw_dir,
        raw_files=[dict(f) for f in raw_files],
        code_version=EXTRACTOR_VERSION,
        inputs=recorded,
        extra_files={
            "quality.html": lambda release_id: render_quality_report(
                tables, report, release_id, review_threshold=settings.review_threshold
            ).encode("utf-8")
        },
    )
    prune_releases(out_path, settings.keep_releases)
    return BuiltRelease(path=release, tables=tables, report=report, conflicts=conflicts)


def publish_extraction(
    extraction: Mapping[str, pd.DataFrame],
    out_path: Path,
    *,
    raw_dir: Path,
    raw_files: Sequence[Mapping[str, Any]],
    settings: Settings,
    inputs: Mapping[str, Any] | None = None,
) -> BuiltRelease:
    """A run's fresh extraction: saved first (before corrections, so ``publish_with_corrections`` can
    re-apply the ledger later), then built into a release. The caller holds the run lock."""
    save_extraction(extraction, out_path, raw_dir=raw_dir, raw_files=raw_files)
    return build_release(
        extraction, out_path, raw_dir=raw_dir, raw_files=raw_files, settings=settings, inputs=inputs
    )


def publish_with_corrections(
    out_dir: Path, settings: Settings, *, wait: bool = True
) -> tuple[Path, list[Conflict]]:
    """Re-publish the saved extraction with the ledger applied; return the release and the conflicts.

    Holds the output's run lock (waits for a running ingest when ``wait``), so it starts from the
    extraction that run saved and applies every correction made so far.
    """
    out_dir = Path(out_dir)
    with run_lock(out_dir, wait=wait) as locked_at:
        remove_leftovers(out_dir, older_than=locked_at)
        info = extraction_info(out_dir)
        built = build_release(
            load_extraction(out_dir),
            out_dir,
            raw_dir=Path(info.raw_dir) if info.raw_dir else settings.raw_path,
            raw_files=info.raw_files,
            settings=settings,
        )
    return built.path, built.conflicts


def read_release_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """A published release's tables (absent ones empty)."""
    tables: dict[str, pd.DataFrame] = {}
    for table in TABLE_MODELS:
        path = Path(folder) / f"{table}.parquet"
        tables[table] = pd.read_parquet(path) if path.exists() else records_to_frame(table, [])
    return tables


def working_tables(
    out_dir: Path, ledger: Sequence[Correction]
) -> tuple[dict[str, pd.DataFrame], list[Conflict], bool] | None:
    """The tables corrections are made against: the saved extraction with ``ledger`` applied, its
    conflicts, and True; without a saved extraction, the current release (already corrected), no
    conflicts and False; None before the first release."""
    try:
        tables, conflicts = apply_corrections(load_extraction(out_dir), ledger)
        return tables, conflicts, True
    except NoExtractionError:
        pass
    current = read_current(out_dir)
    if current is None:
        return None
    tables, conflicts = apply_corrections(read_release_tables(current), ledger)
    return tables, conflicts, False
