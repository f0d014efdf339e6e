"""The ingest flow end to end on the bundled corpus, under a throwaway Prefect server."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.evaluation.gold import load_gold, load_predictions
from pipeline.evaluation.scoring import score
from pipeline.run.flow import ingest

from .conftest import GOLD, RAW
from .test_discovery import unreadable

pytestmark = pytest.mark.flow

DATASET_COLUMNS = {
    "documents": [
        "doc_id",
        "source",
        "sha256",
        "media_type",
        "doc_type",
        "title",
        "acronym",
        "language",
        "n_pages",
        "status",
        "error",
        "extracted_at",
    ],
    "pages": ["doc_id", "page", "char_start", "char_end", "text"],
    "partners": ["partner_id", "name", "acronym", "category", "country", "lead"],
    "contacts": [
        "contact_id",
        "role",
        "name",
        "position",
        "organization",
        "address",
        "phone",
        "fax",
        "email",
    ],
    "dates": ["date_id", "role", "start", "end", "text"],
    "targets": ["target_id", "year", "text"],
    "events": ["event_id", "name", "start", "end", "venue", "city", "country"],
    "websites": ["url"],
}
PROVENANCE = ["doc_id", "page", "char_start", "char_end", "method", "confidence", "corrected"]


@pytest.fixture(scope="module")
def published(harness, tmp_path_factory) -> tuple[Path, object]:
    workdir = tmp_path_factory.mktemp("run")
    raw = workdir / "raw"
    shutil.copytree(RAW, raw)
    # Hostile neighbours: the run must go on and explain each.
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer\n%%EOF")
    (raw / "notes.txt").write_bytes(b"\xff\xfe\x00garbage \x00 bytes")
    shutil.copy(raw / "aspro_sheet.pdf", raw / "zz_aspro_copy.pdf")
    (raw / "link.pdf").symlink_to(raw / "aspro_sheet.pdf")
    (raw / "secret.txt").write_text("Partners: none of your business")
    out = workdir / "output"
    # What a publisher killed mid-write leaves: the run removes it.
    (out / "releases" / ".tmp-20260101T000000000000Z-dead").mkdir(parents=True)
    os.utime(out / "releases" / ".tmp-20260101T000000000000Z-dead", (1e9, 1e9))
    with pytest.MonkeyPatch.context() as monkeypatch:
        unreadable(monkeypatch, raw / "secret.txt")
        summary = ingest(raw_dir=str(raw), out_dir=str(out))
    return out, summary


def test_release_has_every_table_of_the_contract(published) -> None:
    out, _ = published
    current = out / "current"
    assert current.is_symlink() and current.resolve().parent.name == "releases"
    for table, columns in DATASET_COLUMNS.items():
        frame = pd.read_parquet(current / f"{table}.parquet")
        expected = columns + (PROVENANCE if table not in ("documents", "pages") else [])
        assert set(expected) <= set(frame.columns), (table, set(expected) - set(frame.columns))
        csv = pd.read_csv(current / f"{table}.csv", dtype=str, keep_default_na=False)
        assert list(csv.columns) == list(frame.columns)
        assert len(csv) == len(frame)
    manifest = json.loads((current / "manifest.json").read_text())
    assert manifest["row_counts"]["documents"] == 10  # 11 paths, one duplicate
    assert (current / "schema.json").exists()
    assert not list((out / "releases").glob(".tmp-*"))


def test_every_document_gets_a_verdict_and_bad_ones_say_why(published) -> None:
    out, summary = published
    docs = pd.read_parquet(out / "current" / "documents.parquet").set_index("source")
    assert docs.loc["empty.pdf", "status"] == "failed"
    assert "empty.pdf" in docs.loc["empty.pdf", "error"]
    assert docs.loc["broken.pdf", "status"] == "failed"
    assert set(docs["status"]) <= {"ok", "needs_review", "failed"}
    for stem in ("aspro_sheet.pdf", "kanagawa_declaration_sheet.pdf", "thematic_seminar_6_2004.html"):
        assert docs.loc[stem, "status"] in ("ok", "needs_review")
    assert "zz_aspro_copy.pdf" not in docs.index
    assert ("zz_aspro_copy.pdf", "aspro_sheet.pdf") in summary.duplicates
    assert summary.by_status.get("failed", 0) >= 4
    # Paths that are not read still get their row, with the reason.
    assert docs.loc["link.pdf", "status"] == "failed"
    assert docs.loc["link.pdf", "error"] == "link.pdf: not followed: symbolic link"
    assert docs.loc["secret.txt", "status"] == "failed"
    assert docs.loc["secret.txt", "error"] == "secret.txt: permission denied"


def test_published_dataset_reaches_the_quality_floor(published) -> None:
    out, _ = published
    report = score(load_gold(GOLD), load_predictions(out / "current"))
    assert report.overall.f1 >= 0.90, report.families
    for family, counts in report.families.items():
        assert counts.f1 >= 0.80, (family, counts)


def test_running_twice_gives_the_same_tables(published, tmp_path_factory) -> None:
    out, _ = published
    first = out / "current"
    first_target = first.resolve()
    raw = out.parent / "raw"
    # Without the cache, so every document is parsed and extracted again, and published anew.
    with pytest.MonkeyPatch.context() as monkeypatch:
        unreadable(monkeypatch, raw / "secret.txt")
        ingest(raw_dir=str(raw), out_dir=str(out), use_cache=False)
    second = (out / "current").resolve()
    assert second != first_target and first_target.exists()  # a new release; the old one is kept
    for table in DATASET_COLUMNS:
        a = pd.read_parquet(first_target / f"{table}.parquet").drop(columns=["extracted_at"], errors="ignore")
        b = pd.read_parquet(second / f"{table}.parquet").drop(columns=["extracted_at"], errors="ignore")
        pd.testing.assert_frame_equal(a, b, check_like=False)


def test_a_retrained_model_takes_effect_at_the_next_run_and_the_summary_says_so(
    published, monkeypatch
) -> None:
    out, summary = published
    assert "section roles" in summary.models and "confidence" in summary.models
    assert not summary.models_changed  # the first release: nothing to compare with
    raw = out.parent / "raw"
    import pipeline.run.flow as flow_module

    monkeypatch.setattr(flow_module, "models_fingerprint", lambda: "retrained0000000")
    unreadable(monkeypatch, raw / "secret.txt")
    again = ingest(raw_dir=str(raw), out_dir=str(out), use_cache=False)
    assert again.models_changed
    assert "re-extracted every document" in again.to_markdown()
    manifest = json.loads(((out / "current").resolve() / "manifest.json").read_text())
    assert manifest["inputs"]["models"] == "retrained0000000"
