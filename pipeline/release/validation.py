"""Validation of the tables against the dataset's contract, before a release is published.

``validate_tables`` lists every violation; ``apply_validation`` repairs what can
be repaired without inventing data; ``ensure_publishable`` refuses (``PublishError``)
tables that still break the contract, so such a release is never made current.
The flow runs them in that order, before ``publish_release``.

What a violation does (its ``action``, decided here so the report says it):

- a row of a document-bound table (pages, facts) with a forbidden value in a
  nullable column keeps the row and loses the value (``null_value``); with one in
  a non-nullable column, or a duplicate id, an orphan ``doc_id``, a reversed span
  or date range, the row is dropped (``drop_row``): a row is never published with
  a value the contract forbids;
- an upper-case email is lower-cased (``replace_value``);
- in the entity tables (documents, organizations, people) a bad nullable value
  is nulled and a duplicate id dropped, but anything else blocks the release
  (``none``): those rows are built by our code, so a bad one is a bug to fix,
  not a row to lose;
- a missing or unknown table or column, or a wrong dtype, blocks the release.

Every document with an error-level violation gets ``status=needs_review`` (a
failed one stays failed) and a summary appended to ``error``, so the people who
review documents see why. A phone number without '+' is allowed (the contract
keeps a number with no known country code as printed) but is a warning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import pandas as pd

from pipeline.errors import PublishError
from pipeline.release.table_checks import TableCheck, plain_value, table_issue
from pipeline.release.violations import ValidationReport, Violation
from schemas.records import TABLE_MODELS

_SUMMARY_MESSAGES = 3


# --- validation ---------------------------------------------------------------------------------


def validate_tables(tables: Mapping[str, pd.DataFrame]) -> ValidationReport:
    """Every violation of the contract (docs/DATASET.md, docs/GOLD.md normalisation) in ``tables``."""
    found: list[Violation] = []
    for name in TABLE_MODELS:
        if name not in tables:
            found.append(table_issue(name, "table_missing", f"table {name!r} is missing"))
    for name in tables:
        if name not in TABLE_MODELS:
            found.append(table_issue(name, "table_unknown", f"table {name!r} is not in the dataset"))

    doc_ids = _id_set(tables.get("documents"), "doc_id")
    org_ids = _id_set(tables.get("organizations"), "org_id")
    for name, frame in tables.items():
        if name in TABLE_MODELS:
            found.extend(TableCheck(name, frame, doc_ids, org_ids).run())
    return ValidationReport(violations=found, row_counts={name: len(frame) for name, frame in tables.items()})


def _id_set(frame: pd.DataFrame | None, column: str) -> set[str] | None:
    if frame is None or column not in frame.columns:
        return None  # reported as a missing table or column; references are not checked against it
    return {str(v) for v in frame[column].dropna()}


# --- repair and the publish gate ----------------------------------------------------------------


def apply_validation(tables: Mapping[str, pd.DataFrame], report: ValidationReport) -> dict[str, pd.DataFrame]:
    """The tables with the report's repairs done and its documents flagged (module docstring).

    ``report`` must come from ``validate_tables`` on these very tables: violations
    point at rows by position. The input frames are not modified.
    """
    for name, count in report.row_counts.items():
        if name in tables and len(tables[name]) != count:
            raise ValueError(f"table {name!r} has {len(tables[name])} rows, the report validated {count}")
    out = {name: frame.copy() for name, frame in tables.items()}
    drops: dict[str, set[int]] = defaultdict(set)
    for v in report.violations:
        if v.severity != "error" or v.row is None or v.table not in out:
            continue
        frame = out[v.table]
        if v.action == "drop_row":
            drops[v.table].add(v.row)
        elif v.action in ("null_value", "replace_value") and v.column in frame.columns:
            column = frame.columns.get_loc(v.column)
            frame.iloc[v.row, column] = v.replacement if v.action == "replace_value" else None
    for name, rows in drops.items():
        frame = out[name]
        out[name] = frame.drop(index=frame.index[sorted(rows)]).reset_index(drop=True)
    if "documents" in out:
        out["documents"] = _flag_documents(out["documents"], report)
    return out


def _flag_documents(documents: pd.DataFrame, report: ValidationReport) -> pd.DataFrame:
    messages: dict[str, list[str]] = defaultdict(list)
    for v in report.errors:
        if v.doc_id is not None:
            messages[v.doc_id].append(v.message)
    if not messages or not {"doc_id", "status", "error"} <= set(documents.columns):
        return documents
    documents = documents.copy()
    for pos, doc_id in enumerate(documents["doc_id"].tolist()):
        found = messages.get(str(doc_id))
        if not found:
            continue
        shown = "; ".join(found[:_SUMMARY_MESSAGES])
        more = f"; and {len(found) - _SUMMARY_MESSAGES} more" if len(found) > _SUMMARY_MESSAGES else ""
        summary = f"validation: {len(found)} error(s): {shown}{more}"
        status_col, error_col = documents.columns.get_loc("status"), documents.columns.get_loc("error")
        if documents.iat[pos, status_col] != "failed":
            documents.iat[pos, status_col] = "needs_review"
        previous = plain_value(documents.iat[pos, error_col])
        documents.iat[pos, error_col] = f"{previous}; {summary}" if previous else summary
    return documents


def ensure_publishable(tables: Mapping[str, pd.DataFrame]) -> ValidationReport:
    """Raise ``PublishError`` unless ``tables`` meet the contract; return the (warnings-only) report.

    Call it on the tables ``apply_validation`` returned, right before ``publish_release``:
    raising there means the release is never written, so ``current`` keeps the last good one.
    """
    report = validate_tables(tables)
    errors = report.errors
    if errors:
        shown = "; ".join(v.message for v in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise PublishError(
            f"release refused: {len(errors)} contract violation(s) remain after repair: {shown}{more}"
        )
    return report
