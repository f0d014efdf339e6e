"""The corrections ledger and how it is applied to fresh extractions (pipeline/corrections/)."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from pipeline.corrections.apply import apply_corrections
from pipeline.corrections.conflicts import propose_resolution
from pipeline.corrections.csv_io import export_csv, import_csv
from pipeline.corrections.extraction import load_extraction, save_extraction
from pipeline.corrections.migrations import MIGRATIONS
from pipeline.corrections.model import NewCorrection
from pipeline.corrections.propose import new_row, propose_accept, propose_add, propose_delete, propose_set
from pipeline.corrections.store import CorrectionStore
from pipeline.errors import (
    CorrectionsError,
    ImportRejectedError,
    InvalidCorrectionError,
    NoExtractionError,
    StaleValueError,
)
from pipeline.release.build import publish_with_corrections
from pipeline.release.publish import read_current
from pipeline.settings import Settings
from pipeline.tables import records_to_frame
from schemas.records import (
    ContactRecord,
    DocumentRecord,
    PageRecord,
    PartnerRecord,
    with_stable_id,
)

from .conftest import ROOT

SHA_A = "a" * 64
SHA_B = "b" * 64
TEXT = "Partners: Kitakyushu City, IGES.\nContact: Reiji Hitsumoto, reiji@city.example.jp"


def _document(doc_id: str, sha: str, source: str, status: str = "needs_review") -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id,
        source=source,
        sha256=sha,
        media_type="text/plain",
        doc_type="information_sheet",
        title="Kitakyushu Initiative",
        status=status,
        extracted_at=datetime(2026, 1, 1, tzinfo=UTC),
        extractor_version="test",
    )


def extraction(*, sha: str = SHA_A, email: str = "reiji@city.example.jp", drop_iges: bool = False) -> dict:
    """A small extraction of one document (doc_id = sha prefix, as the pipeline makes it)."""
    doc_id = sha[:16]
    partners = [
        PartnerRecord(doc_id=doc_id, char_start=10, char_end=25, method="rule", confidence=0.9,
                      name="Kitakyushu City", category="government", country="JP"),
        PartnerRecord(doc_id=doc_id, char_start=27, char_end=31, method="rule", confidence=0.6,
                      name="IGES", category="igo"),
    ]  # fmt: skip
    if drop_iges:
        partners = partners[:1]
    contact = ContactRecord(
        doc_id=doc_id, char_start=42, char_end=len(TEXT), method="rule", confidence=0.9,
        role="focal_point", name="Reiji Hitsumoto", email=email,
    )  # fmt: skip
    page = PageRecord(
        page_id=f"{doc_id}-1", doc_id=doc_id, page=None, char_start=0, char_end=len(TEXT), text=TEXT
    )
    tables = {name: records_to_frame(name, []) for name in ("dates", "targets", "events", "websites")}
    tables |= {name: records_to_frame(name, []) for name in ("organizations", "people")}
    tables["documents"] = records_to_frame("documents", [_document(doc_id, sha, "sheet.txt")])
    tables["pages"] = records_to_frame("pages", [page])
    tables["partners"] = records_to_frame("partners", [with_stable_id(p) for p in partners])
    tables["contacts"] = records_to_frame("contacts", [with_stable_id(contact)])
    return tables


def row_of(tables: dict, table: str, **where: object) -> dict:
    frame = tables[table]
    for key, value in where.items():
        frame = frame[frame[key] == value]
    assert len(frame) == 1, (table, where, len(frame))
    return frame.to_dict("records")[0]


@pytest.fixture
def store(tmp_path: Path) -> CorrectionStore:
    return CorrectionStore(tmp_path / "corrections" / "corrections.sqlite")


def _entry(**kw: object) -> NewCorrection:
    base: dict[str, object] = dict(
        action="set", doc_id="aaaaaaaaaaaaaaaa", doc_sha256=SHA_A, table="partners", row_id="r1",
        field="name", value_before="x", value_after="y", reviewer="ann",
    )  # fmt: skip
    return NewCorrection.model_validate(base | kw)


# --- the ledger ---------------------------------------------------------------------------------


def test_ledger_refuses_update_and_delete(store: CorrectionStore) -> None:
    [written] = store.append([_entry()])
    conn = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE corrections SET value_after = '\"z\"' WHERE id = ?", (written.id,))
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM corrections WHERE id = ?", (written.id,))
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM corrections")  # no WHERE: SQLite's truncate shortcut must not bypass it
        conn.rollback()
    finally:
        conn.close()
    assert store.entries() == [written]
    assert written.value_after == "y" and written.reviewer == "ann" and written.created_at.tzinfo is not None


def test_ledger_is_wal_with_full_sync_and_migrations_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    first = CorrectionStore(path)
    assert first.applied_migrations == [m.version for m in MIGRATIONS]
    first.append([_entry()])
    again = CorrectionStore(path)
    assert again.applied_migrations == []
    assert len(again.entries()) == 1
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == [m.version for m in MIGRATIONS]
        # A ledger written by newer code is refused rather than misread.
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')")
        conn.commit()
    finally:
        conn.close()
    with pytest.raises(CorrectionsError, match="newer than this code"):
        CorrectionStore(path)


def test_an_append_is_all_or_nothing(store: CorrectionStore) -> None:
    good = _entry()
    # Resolving an id that does not exist breaks the foreign key inside the transaction.
    dangling = _entry(action="resolve", resolves=12345, decision="keep_extraction")
    with pytest.raises(CorrectionsError):
        store.append([good, dangling])
    assert store.entries() == []


def test_the_model_refuses_malformed_corrections() -> None:
    with pytest.raises(ValueError, match="not editable"):
        _entry(field="confidence")
    with pytest.raises(ValueError, match="JSON object"):
        _entry(action="add", field=None, value_after="just text")
    with pytest.raises(ValueError):
        _entry(reviewer="  ")
    with pytest.raises(ValueError, match="extra"):
        NewCorrection.model_validate(_entry().model_dump() | {"surprise": 1})


# --- applying -----------------------------------------------------------------------------------


def test_set_add_delete_and_accept_apply_to_a_fresh_extraction(store: CorrectionStore) -> None:
    fresh = extraction()
    contact = row_of(fresh, "contacts", name="Reiji Hitsumoto")
    iges = row_of(fresh, "partners", name="IGES")
    doc_id = SHA_A[:16]
    store.append(
        [propose_set(fresh, "contacts", contact["contact_id"], "email", "R.H@Example.org", reviewer="ann")]
    )
    store.append([propose_add(fresh, "partners", doc_id, {"name": "UNESCAP", "category": "igo"}, reviewer="ann",
                              char_start=0, char_end=8)])  # fmt: skip
    store.append([propose_delete(fresh, "partners", iges["partner_id"], reviewer="bob")])
    store.append([propose_accept(fresh, doc_id, reviewer="bob")])

    snapshot = {name: frame.copy() for name, frame in fresh.items()}
    tables, conflicts = apply_corrections(fresh, store.entries())
    assert conflicts == []
    for name, frame in fresh.items():  # pure: the extraction is not modified
        pd.testing.assert_frame_equal(frame, snapshot[name])

    fixed = row_of(tables, "contacts", contact_id=contact["contact_id"])
    assert fixed["email"] == "r.h@example.org"  # typed by the model: emails are lower-cased
    assert fixed["corrected"] is True and fixed["method"] == "reviewer"
    added = row_of(tables, "partners", name="UNESCAP")
    assert added["corrected"] is True and added["method"] == "reviewer" and added["confidence"] == 1.0
    assert (
        added["partner_id"]
        == PartnerRecord(**{k: v for k, v in added.items() if k != "partner_id"}).identity_key()
    )
    assert "IGES" not in set(tables["partners"]["name"])
    untouched = row_of(tables, "partners", name="Kitakyushu City")
    assert untouched["corrected"] is False and untouched["method"] == "rule"
    assert row_of(tables, "documents", doc_id=doc_id)["status"] == "ok"

    # Re-extracting gives the same ids: applying again to a new, identical extraction gives the same result.
    again, conflicts = apply_corrections(extraction(), store.entries())
    assert conflicts == []
    for name in ("partners", "contacts", "documents"):
        pd.testing.assert_frame_equal(again[name], tables[name])


def test_latest_correction_per_field_wins_and_builds_on_earlier_ones(store: CorrectionStore) -> None:
    fresh = extraction()
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    store.append([propose_set(fresh, "contacts", contact_id, "email", "first@example.org", reviewer="ann")])
    corrected, _ = apply_corrections(fresh, store.entries())
    # The second reviewer edits what is published (the first correction), not the raw extraction.
    store.append(
        [propose_set(corrected, "contacts", contact_id, "email", "second@example.org", reviewer="bob")]
    )
    tables, conflicts = apply_corrections(fresh, store.entries())
    assert conflicts == []
    assert row_of(tables, "contacts", contact_id=contact_id)["email"] == "second@example.org"


def test_a_correction_the_extraction_already_agrees_with_is_no_conflict(store: CorrectionStore) -> None:
    fresh = extraction()
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    store.append([propose_set(fresh, "contacts", contact_id, "email", "fixed@example.org", reviewer="ann")])
    tables, conflicts = apply_corrections(extraction(email="fixed@example.org"), store.entries())
    assert conflicts == []
    assert row_of(tables, "contacts", contact_id=contact_id)["email"] == "fixed@example.org"


@pytest.mark.parametrize("change", ["value_changed", "row_missing", "document_changed"])
def test_a_correction_that_no_longer_applies_is_a_conflict_not_lost_nor_misapplied(
    store: CorrectionStore, change: str
) -> None:
    fresh = extraction()
    iges = row_of(fresh, "partners", name="IGES")
    contact = row_of(fresh, "contacts", name="Reiji Hitsumoto")
    [email_fix] = store.append(
        [propose_set(fresh, "contacts", contact["contact_id"], "email", "new@example.org", reviewer="ann")]
    )
    [iges_fix] = store.append(
        [
            propose_set(
                fresh,
                "partners",
                iges["partner_id"],
                "country",
                "JP",
                reviewer="ann",
                note="IGES is in Hayama",
            )
        ]
    )
    if change == "value_changed":  # the extractor now reads another email than the one the reviewer corrected
        changed, target = extraction(email="other@example.org"), email_fix
    elif change == "row_missing":  # the extractor no longer finds IGES
        changed, target = extraction(drop_iges=True), iges_fix
    else:  # the file itself changed: new sha256, so a new doc_id and new row ids
        changed, target = extraction(sha=SHA_B), email_fix

    tables, conflicts = apply_corrections(changed, store.entries())
    reasons = {c.correction_id: c.reason for c in conflicts}
    assert reasons[target.id] == change
    conflict = next(c for c in conflicts if c.correction_id == target.id)
    assert conflict.before == target.value_before and conflict.after == target.value_after
    assert conflict.reviewer == "ann" and conflict.source == "sheet.txt"
    # Not misapplied: nothing carries the reviewer's value or a reviewer mark.
    assert "new@example.org" not in set(tables["contacts"]["email"].dropna()) or change == "row_missing"
    if change == "value_changed":
        assert conflict.current == "other@example.org" and conflict.can_keep_reviewer
        assert row_of(tables, "contacts", name="Reiji Hitsumoto")["email"] == "other@example.org"
        assert row_of(tables, "contacts", name="Reiji Hitsumoto")["corrected"] is False
    if change == "document_changed":
        assert not tables["contacts"]["corrected"].any() and not tables["partners"]["corrected"].any()
    # Not lost: still in the ledger, and it applies again once the extraction is back.
    assert target in store.entries()
    restored, conflicts = apply_corrections(extraction(), store.entries())
    assert conflicts == []
    assert row_of(restored, "contacts", name="Reiji Hitsumoto")["email"] == "new@example.org"


def test_conflicts_are_resolved_by_appending_a_decision(store: CorrectionStore) -> None:
    fresh = extraction()
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    store.append([propose_set(fresh, "contacts", contact_id, "email", "new@example.org", reviewer="ann")])
    changed = extraction(email="other@example.org")
    _, [conflict] = apply_corrections(changed, store.entries())

    store.append([propose_resolution(conflict, "keep_reviewer", changed, reviewer="bob")])
    tables, conflicts = apply_corrections(changed, store.entries())
    assert conflicts == []
    assert row_of(tables, "contacts", contact_id=contact_id)["email"] == "new@example.org"

    # A later extraction change conflicts again; keeping the extraction settles it for good.
    changed_again = extraction(email="third@example.org")
    _, [again] = apply_corrections(changed_again, store.entries())
    store.append([propose_resolution(again, "keep_extraction", changed_again, reviewer="bob")])
    tables, conflicts = apply_corrections(changed_again, store.entries())
    assert conflicts == []
    assert row_of(tables, "contacts", contact_id=contact_id)["email"] == "third@example.org"
    assert [e.action for e in store.entries()] == ["set", "resolve", "resolve"]


def test_delete_of_a_changed_row_and_add_of_a_row_now_extracted(store: CorrectionStore) -> None:
    fresh = extraction()
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    [deleted] = store.append([propose_delete(fresh, "contacts", contact_id, reviewer="ann")])
    [added] = store.append(
        [propose_add(fresh, "partners", SHA_A[:16], {"name": "UNEP", "category": "igo"}, reviewer="ann")]
    )
    tables, conflicts = apply_corrections(extraction(email="moved@example.org"), store.entries())
    assert [(c.correction_id, c.reason) for c in conflicts] == [(deleted.id, "row_changed")]
    assert contact_id in set(tables["contacts"]["contact_id"])  # not deleted blindly

    # The extractor learns to find UNEP itself, with another country: the reviewer's row is not duplicated.
    later = extraction()
    unep = with_stable_id(
        PartnerRecord(doc_id=SHA_A[:16], char_start=0, char_end=4, method="rule", confidence=0.9,
                      name="UNEP", category="igo", country="KE")
    )  # fmt: skip
    later["partners"] = pd.concat(
        [later["partners"], records_to_frame("partners", [unep])], ignore_index=True
    )
    tables, conflicts = apply_corrections(later, store.entries())
    assert (tables["partners"]["name"] == "UNEP").sum() == 1
    assert {c.correction_id: c.reason for c in conflicts}[added.id] == "row_exists"


def test_a_ledger_entry_the_model_now_refuses_is_a_conflict(store: CorrectionStore) -> None:
    fresh = extraction()
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    store.append([_entry(table="contacts", row_id=contact_id, field="email", value_before="reiji@city.example.jp",
                         value_after="not an email", doc_id=SHA_A[:16])])  # fmt: skip
    tables, [conflict] = apply_corrections(fresh, store.entries())
    assert conflict.reason == "invalid"
    assert row_of(tables, "contacts", contact_id=contact_id)["email"] == "reiji@city.example.jp"


def test_proposals_are_checked_before_they_reach_the_ledger() -> None:
    fresh = extraction()
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    with pytest.raises(InvalidCorrectionError, match="email"):
        propose_set(fresh, "contacts", contact_id, "email", "not an email", reviewer="ann")
    with pytest.raises(StaleValueError, match="changed since"):
        propose_set(fresh, "contacts", contact_id, "email", "x@example.org", reviewer="ann",
                    expected_before="someone-else@example.org")  # fmt: skip
    with pytest.raises(InvalidCorrectionError, match="no row"):
        propose_set(fresh, "contacts", "nope", "email", "x@example.org", reviewer="ann")
    with pytest.raises(InvalidCorrectionError, match="name"):
        propose_add(fresh, "partners", SHA_A[:16], {"category": "igo"}, reviewer="ann")
    with pytest.raises(InvalidCorrectionError, match="already has"):
        propose_add(fresh, "partners", SHA_A[:16], {"name": "IGES", "category": "igo"}, reviewer="ann")


# --- saved extraction and re-publishing -------------------------------------------------------


def test_save_and_load_extraction_round_trip_and_replace_atomically(tmp_path: Path) -> None:
    out = tmp_path / "output"
    with pytest.raises(NoExtractionError):
        load_extraction(out)
    first = save_extraction(extraction(), out, raw_dir=tmp_path / "raw", raw_files=[{"source": "sheet.txt"}])
    loaded = load_extraction(out)
    for name, frame in extraction().items():
        pd.testing.assert_frame_equal(loaded[name], frame, check_dtype=True)
    second = save_extraction(extraction(email="new@example.org"), out)
    assert (out / "extraction").is_symlink() and (out / "extraction").resolve() == second
    assert not first.exists()  # the previous one is cleaned up once replaced
    assert load_extraction(out)["contacts"]["email"].tolist() == ["new@example.org"]
    bad = extraction()
    bad["partners"] = bad["partners"].assign(category="not-a-category")
    with pytest.raises(Exception, match="category"):
        save_extraction(bad, out)
    assert load_extraction(out)["contacts"]["email"].tolist() == ["new@example.org"]
    assert [p.name for p in (out / ".extractions").iterdir()] == [second.name]


def test_publish_with_corrections_republishes_without_reextracting(tmp_path: Path) -> None:
    out = tmp_path / "output"
    settings = Settings(root=tmp_path, corrections_db=Path("corrections/ledger.sqlite"))
    fresh = extraction()
    save_extraction(
        fresh, out, raw_dir=tmp_path / "raw", raw_files=[{"source": "sheet.txt", "sha256": SHA_A}]
    )
    store = CorrectionStore(tmp_path / "corrections" / "ledger.sqlite")
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    store.append([propose_set(fresh, "contacts", contact_id, "email", "new@example.org", reviewer="ann")])
    release, conflicts = publish_with_corrections(out, settings)
    assert conflicts == [] and read_current(out) == release
    published = pd.read_parquet(release / "contacts.parquet")
    assert published["email"].tolist() == ["new@example.org"] and published["corrected"].tolist() == [True]
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["raw_corpus"]["files"] == [{"source": "sheet.txt", "sha256": SHA_A}]
    # Organisations are resolved after corrections, so they follow corrected names.
    assert len(pd.read_parquet(release / "organizations.parquet")) >= 2


# --- spreadsheet round trip ---------------------------------------------------------------------


def test_export_then_import_is_a_no_op_and_formulas_are_neutralised(
    store: CorrectionStore, tmp_path: Path
) -> None:
    fresh = extraction()
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    store.append(
        [
            propose_set(
                fresh, "contacts", contact_id, "position", '=HYPERLINK("x")', reviewer="=cmd|' /C calc'!A0"
            )
        ]
    )
    store.append(
        [propose_add(fresh, "partners", SHA_A[:16], {"name": "UNEP", "category": "igo"}, reviewer="ann")]
    )
    path = tmp_path / "ledger.csv"
    assert export_csv(store.entries(), path) == 2
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["reviewer"].startswith("'=")  # a spreadsheet shows it as text instead of running it
    result = import_csv(store, path, tables=fresh)
    assert result.added == [] and result.already_in_ledger == 2
    assert store.entries()[0].reviewer == "=cmd|' /C calc'!A0"


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    columns = [
        "action",
        "doc_id",
        "table",
        "row_id",
        "field",
        "value_before",
        "value_after",
        "reviewer",
        "note",
    ]
    columns += sorted({key for row in rows for key in row} - set(columns))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def test_import_takes_plain_spreadsheet_values(store: CorrectionStore, tmp_path: Path) -> None:
    fresh = extraction()
    doc_id = SHA_A[:16]
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    path = tmp_path / "fixes.csv"
    _write_csv(path, [
        {"action": "set", "doc_id": doc_id, "table": "contacts", "row_id": contact_id, "field": "email",
         "value_after": "New@Example.org"},
        {"action": "add", "doc_id": doc_id, "table": "partners", "value_after": '{"name": "UNEP", "category": "igo"}',
         "reviewer": "bob"},
        {"action": "accept_document", "doc_id": doc_id, "table": "documents"},
    ])  # fmt: skip
    result = import_csv(store, path, reviewer="carol", tables=fresh)
    assert [(e.action, e.reviewer) for e in result.added] == [
        ("set", "carol"),
        ("add", "bob"),
        ("accept_document", "carol"),
    ]
    set_entry = result.added[0]
    assert set_entry.value_before == "reiji@city.example.jp" and set_entry.doc_sha256 == SHA_A
    tables, conflicts = apply_corrections(fresh, store.entries())
    assert conflicts == []
    assert row_of(tables, "contacts", contact_id=contact_id)["email"] == "new@example.org"
    assert "UNEP" in set(tables["partners"]["name"])


def test_import_reports_every_invalid_row_and_writes_nothing(store: CorrectionStore, tmp_path: Path) -> None:
    fresh = extraction()
    doc_id = SHA_A[:16]
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    path = tmp_path / "fixes.csv"
    _write_csv(path, [
        {"action": "set", "doc_id": doc_id, "table": "contacts", "row_id": contact_id, "field": "email",
         "value_after": "fine@example.org"},
        {"action": "set", "doc_id": doc_id, "table": "contacts", "row_id": contact_id, "field": "email",
         "value_after": "not an email"},
        {"action": "rename", "doc_id": doc_id, "table": "contacts"},
        {"action": "set", "doc_id": doc_id, "table": "contacts", "row_id": contact_id, "field": "confidence",
         "value_after": "1"},
        {"action": "set", "doc_id": doc_id, "table": "contacts", "row_id": "nope", "field": "email",
         "value_after": "a@b.org"},
        {"action": "add", "doc_id": doc_id, "table": "partners", "value_after": "UNEP"},
    ])  # fmt: skip
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(store, path, reviewer="carol", tables=fresh)
    found = [(e.line, e.column) for e in caught.value.errors]
    assert found == [(3, "value_after"), (4, "action"), (5, "field"), (6, "row_id"), (7, "value_after")]
    assert "line 3, column value_after" in str(caught.value)
    assert store.entries() == []


# --- crash safety -------------------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pipeline.corrections.model import NewCorrection
    from pipeline.corrections.store import CorrectionStore

    store = CorrectionStore(Path(sys.argv[1]))
    run = sys.argv[2]
    print("ready", flush=True)
    i = 0
    while True:
        pair = [
            NewCorrection(action="set", doc_id="d" * 16, doc_sha256="0" * 64, table="partners",
                          row_id=f"{run}-{i}-{half}", field="name", value_before="a", value_after=f"v{i}",
                          reviewer="kill-test", note="x" * 200)
            for half in ("a", "b")
        ]
        written = store.append(pair)
        print(" ".join(str(w.id) for w in written), flush=True)  # acknowledged: committed
        i += 1
    """
)


def test_ledger_survives_sigkill_at_random_moments(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    CorrectionStore(db)
    rng = random.Random(4)
    acknowledged: list[int] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for run in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db), f"run{run}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.25))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        acknowledged += [
            int(i) for line in proc.stdout.read().splitlines() if line.strip() for i in line.split()
        ]
        proc.stdout.close()
    assert acknowledged, "the writer acknowledged nothing before being killed; the test proves nothing"

    store = CorrectionStore(db)
    assert store.integrity_check() == "ok"
    entries = store.entries()
    ids = {e.id for e in entries}
    assert set(acknowledged) <= ids
    # Each append was one transaction: both halves of every pair, or neither.
    halves: dict[str, set[str]] = {}
    for e in entries:
        stem, half = str(e.row_id).rsplit("-", 1)
        halves.setdefault(stem, set()).add(half)
    assert all(h == {"a", "b"} for h in halves.values())


# --- hostile input (issue 16): validated at the door, tolerated when stored -------------------


def _raw_insert(store: CorrectionStore, **values: object) -> None:
    """A row written straight into the database, as an older version or a hand edit could leave it."""
    row: dict[str, object] = dict(
        doc_id=SHA_A[:16], doc_sha256=SHA_A, source="sheet.txt", table_name="partners", row_id=None,
        field=None, value_before=None, value_after=None, action="add", reviewer="old",
        created_at="2026-01-01T00:00:00+00:00", note=None, resolves=None, decision=None,
    )  # fmt: skip
    row |= values
    with sqlite3.connect(store.path) as conn:
        conn.execute(
            f"INSERT INTO corrections ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )


def test_a_span_or_page_beyond_int64_is_refused_at_the_door(store: CorrectionStore, tmp_path: Path) -> None:
    fresh = extraction()
    doc_id = SHA_A[:16]
    for spans in (
        {"page": 2**63},
        {"char_start": 0, "char_end": 2**63},
        {"char_start": 2**63, "char_end": 2**63},
    ):
        with pytest.raises(InvalidCorrectionError, match="page|char_"):
            propose_add(fresh, "partners", doc_id, {"name": "UNEP"}, reviewer="ann", **spans)
    path = tmp_path / "fixes.csv"
    _write_csv(path, [
        {"action": "add", "doc_id": doc_id, "table": "partners",
         "value_after": json.dumps({"name": "UNEP", "char_start": 2**63, "char_end": 2**63})},
        {"action": "add", "doc_id": doc_id, "table": "partners", "value_after": json.dumps({"name": "X", "page": 2**64})},
        {"id": "²", "action": "set", "doc_id": doc_id, "table": "partners"},
        {"action": "resolve", "doc_id": doc_id, "table": "partners", "resolves": str(10**24),
         "decision": "keep_extraction"},
        {"action": "resolve", "doc_id": doc_id, "table": "partners", "resolves": "²", "decision": "keep_extraction"},
        {"action": "set", "doc_id": doc_id, "table": "partners", "row_id": "r", "field": "name",
         "value_after": "[" * 5000},
    ])  # fmt: skip
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(store, path, reviewer="carol", tables=fresh)
    found = [(e.line, e.column) for e in caught.value.errors]
    assert found[:5] == [(2, "value_after"), (3, "value_after"), (4, "id"), (5, "resolves"), (6, "resolves")]
    assert len(found) == 6
    assert store.entries() == []
    tables, conflicts = apply_corrections(fresh, store.entries())
    assert conflicts == []


def test_stored_entries_that_cannot_be_applied_are_conflicts_and_the_rest_applies(
    store: CorrectionStore, tmp_path: Path
) -> None:
    fresh = extraction()
    doc_id = SHA_A[:16]
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    # What an older version let in, and what a hand edit can leave.
    row = new_row("partners", doc_id, {"name": "UNEP"}, char_start=1, char_end=2)
    _raw_insert(
        store,
        row_id=row["partner_id"],
        value_after=json.dumps(row | {"char_start": 2**63, "char_end": 2**63}),
    )
    _raw_insert(store, row_id="x2", value_after="{not json")
    _raw_insert(store, table_name="no_such_table", row_id="x3", value_after='{"name": "A"}')
    _raw_insert(store, row_id="x4", value_after='{"name": "\\ud800"}')
    _raw_insert(store, action="set", table_name="partners", row_id="x5", field="confidence",
                value_before="0.5", value_after="1")  # fmt: skip
    _raw_insert(store, created_at="yesterday", row_id="x6", value_after='{"name": "B"}')
    store.append([propose_set(fresh, "contacts", contact_id, "email", "new@example.org", reviewer="ann")])
    entries = store.entries()
    # Readable but refused by the record model (x1) is found when applying; the rest when reading.
    assert len(entries) == 7 and sum(e.defect is not None for e in entries) == 5
    tables, conflicts = apply_corrections(fresh, entries)
    assert [c.reason for c in conflicts] == ["invalid"] * 6
    assert "less than or equal to 9223372036854775807" in conflicts[0].message
    assert all("cannot be applied" in c.message for c in conflicts[1:])
    assert row_of(tables, "contacts", contact_id=contact_id)["email"] == "new@example.org"
    # The ledger's entries all export; each unusable one is settled by keeping the extraction.
    export_csv(entries, tmp_path / "all.csv")
    store.append([propose_resolution(c, "keep_extraction", fresh, reviewer="bob") for c in conflicts])
    with pytest.raises(InvalidCorrectionError, match="cannot be re-applied"):
        propose_resolution(conflicts[0], "keep_reviewer", fresh, reviewer="bob")
    assert apply_corrections(fresh, store.entries())[1] == []


def test_publish_survives_an_entry_an_older_version_let_in(tmp_path: Path) -> None:
    out = tmp_path / "output"
    settings = Settings(root=tmp_path, corrections_db=Path("corrections/ledger.sqlite"))
    save_extraction(extraction(), out, raw_dir=tmp_path / "raw")
    store = CorrectionStore(tmp_path / "corrections" / "ledger.sqlite")
    row = new_row("partners", SHA_A[:16], {"name": "UNEP"}, page=1, char_start=1, char_end=2)
    _raw_insert(store, row_id=row["partner_id"], value_after=json.dumps(row | {"page": 2**63}))
    release, conflicts = publish_with_corrections(out, settings)
    assert [c.reason for c in conflicts] == ["invalid"] and read_current(out) == release


def test_reviewers_values_go_through_the_extractions_normalisers(
    store: CorrectionStore, tmp_path: Path
) -> None:
    fresh = extraction()
    doc_id = SHA_A[:16]
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    phone = propose_set(fresh, "contacts", contact_id, "phone", "Tel: +81 (0)93-582-3804", reviewer="ann")
    assert phone.value_after == "+81935823804"
    fax = propose_set(fresh, "contacts", contact_id, "fax", "(81) 93 582 3805", reviewer="ann")
    assert fax.value_after == "+81935823805"
    with pytest.raises(InvalidCorrectionError, match=r"contacts\.phone: 'call me' is not a phone number"):
        propose_set(fresh, "contacts", contact_id, "phone", "call me", reviewer="ann")
    with pytest.raises(
        InvalidCorrectionError, match=r"contacts\.name: the value holds the control character U\+0007"
    ):
        propose_set(fresh, "contacts", contact_id, "name", "Reiji\x07", reviewer="ann")
    added = new_row("partners", doc_id, {"name": "UNEP", "country": "Japan"})
    assert added["country"] == "JP"
    dated = new_row("dates", doc_id, {"role": "event", "start": "2 July 2004", "text": "2 July 2004"})
    assert dated["start"] == "2004-07-02"
    with pytest.raises(InvalidCorrectionError, match=r"dates\.start"):
        new_row("dates", doc_id, {"role": "event", "start": "2-4 August 2004", "text": "x"})
    # The spreadsheet import takes the same door, for edits and for added rows.
    path = tmp_path / "fixes.csv"
    _write_csv(path, [
        {"action": "set", "doc_id": doc_id, "table": "contacts", "row_id": contact_id, "field": "fax",
         "value_after": "+81 93 582 3805"},
        {"action": "add", "doc_id": doc_id, "table": "contacts",
         "value_after": json.dumps({"role": "secretariat", "name": "Desk", "phone": "0081-93-582-3804"})},
    ])  # fmt: skip
    result = import_csv(store, path, reviewer="carol", tables=fresh)
    assert result.added[0].value_after == "+81935823805"
    assert result.added[1].value_after["phone"] == "+81935823804"


def test_the_run_summary_lists_each_conflict_with_its_reason() -> None:
    from pipeline.run.summary import RunSummary

    summary = RunSummary(
        release="r", documents=1, by_status={"ok": 1}, by_type={"information_sheet": 1}, rows={}, conflicts=1,
        conflict_notes=["entry 7 (invalid): ledger entry 7 cannot be applied: value_after: not valid JSON"],
    )  # fmt: skip
    assert "- entry 7 (invalid): ledger entry 7 cannot be applied" in summary.to_markdown()
