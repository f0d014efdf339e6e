"""Reading gold files and a published release into the gold-JSON shape the scoring compares."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from pipeline.evaluation.facts import as_flag, as_text, as_year, is_null

log = logging.getLogger(__name__)


FACT_TABLES = ("dates", "partners", "contacts", "targets", "events", "websites")
# The fields gold states per fact table (websites: a URL each, read on their own).
FACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "dates": ("role", "start", "end", "text"),
    "partners": ("name", "acronym", "category", "country", "lead"),
    "contacts": ("role", "name", "position", "organization", "address", "phone", "fax", "email"),
    "targets": ("text", "year"),
    "events": ("name", "start", "end", "venue", "city", "country"),
}


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Every ``*.json`` gold file of the folder, keyed by its file stem."""
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("doc", path.stem) != path.stem:
            raise ValueError(
                f"{path}: 'doc' is {data['doc']!r}, but gold files are named after their document"
            )
        gold[path.stem] = data
    return gold


def source_stem(document: Mapping[str, Any]) -> str:
    """Default gold key of a documents row: its source file name without extension."""
    return PurePosixPath(str(document["source"]).replace("\\", "/")).stem


def load_predictions(
    dataset_dir: Path, *, key: Callable[[Mapping[str, Any]], str] = source_stem, confidence: bool = False
) -> dict[str, dict[str, Any]]:
    """Rebuild gold-shaped documents from a published release.

    Failed documents are kept (with whatever facts they have, usually none) so
    that a failure counts as misses rather than vanishing from the score. When
    two documents map to one key, the first by source wins and the rest are
    dropped with a warning; pass ``key`` to tell them apart. With ``confidence`` each
    row also carries its ``confidence`` and the document its ``status`` (for ``calibration``).
    """
    dataset_dir = Path(dataset_dir)
    tables = {name: _read_table(dataset_dir, name) for name in ("documents", *FACT_TABLES)}
    return predictions_from_tables(tables, key=key, confidence=confidence)


def predictions_from_tables(
    tables: Mapping[str, pd.DataFrame],
    *,
    key: Callable[[Mapping[str, Any]], str] = source_stem,
    confidence: bool = False,
) -> dict[str, dict[str, Any]]:
    """``load_predictions`` over tables already read (a release, or an extraction with the ledger
    applied: what reviewers made of their documents)."""
    empty = pd.DataFrame()
    documents = _rows(tables.get("documents", empty))
    facts = {table: _by_doc(_rows(tables.get(table, empty))) for table in FACT_TABLES}

    predicted: dict[str, dict[str, Any]] = {}
    owners: dict[str, str] = {}
    for row in sorted(documents, key=lambda r: str(r.get("source") or "")):
        doc_key, doc_id = key(row), str(row.get("doc_id"))
        if doc_key in predicted:
            log.warning(
                "documents %s and %s both score as %r; keeping the first",
                owners[doc_key],
                row.get("source"),
                doc_key,
            )
            continue
        owners[doc_key] = str(row.get("source"))
        doc: dict[str, Any] = {
            "doc": doc_key,
            **{name: as_text(row.get(name)) for name in ("doc_type", "title", "acronym", "language")},
        }
        for table, columns in FACT_COLUMNS.items():
            doc[table] = [_gold_row(table, fact, columns) for fact in facts[table].get(doc_id, [])]
        doc["websites"] = [{"url": as_text(fact.get("url"))} for fact in facts["websites"].get(doc_id, [])]
        if confidence:
            doc["status"] = as_text(row.get("status"))
            for table in FACT_TABLES:
                for entry, fact in zip(doc[table], facts[table].get(doc_id, []), strict=True):
                    entry["confidence"] = _cell(fact.get("confidence"))
                    entry["method"] = as_text(fact.get("method"))
        predicted[doc_key] = doc
    return predicted


def _read_table(dataset_dir: Path, name: str) -> pd.DataFrame:
    parquet, csv = dataset_dir / f"{name}.parquet", dataset_dir / f"{name}.csv"
    if parquet.exists():
        return pd.read_parquet(parquet)
    if csv.exists():
        # Strings throughout: pandas would read the country code NA as a null and phones as ints.
        try:
            return pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
        except pd.errors.EmptyDataError:  # a table without rows written without a header
            return pd.DataFrame()
    return pd.DataFrame()


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _cell(v) for k, v in record.items()} for record in frame.to_dict("records")]


def _cell(value: Any) -> Any:
    if is_null(value):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, str | bytes) else value


def _by_doc(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(str(row.get("doc_id")), []).append(row)
    return grouped


def _gold_row(table: str, row: Mapping[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {name: as_text(row.get(name)) for name in columns}
    if table == "partners":
        out["lead"] = as_flag(row.get("lead"))
    if table == "targets":
        out["year"] = as_year(row.get("year"))
    return out
