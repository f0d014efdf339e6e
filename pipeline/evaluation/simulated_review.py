"""A reviewer simulated from gold: the corrections a careful reviewer would make to an extraction.

Measuring what corrections teach needs corrected documents that training has never
seen. Where a folder has gold, this writes the ledger entries a reviewer who knew
the gold would write: a wrong row is deleted, a partner whose only error is its
category has the category edited, and every gold fact no right row states is added
(as the review app's "add" makes it, with the value the reviewer would type); a document
with nothing to correct is accepted as it is. The
entries go through the same ``propose_*`` checks as the app's, so the ledger they
make is one the app could have made.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pipeline.corrections.model import NewCorrection
from pipeline.corrections.propose import propose_accept, propose_add, propose_delete, propose_set
from pipeline.corrections.values import id_column
from pipeline.errors import PartnerflowError
from pipeline.evaluation.calibration import entry_right
from pipeline.evaluation.facts import entries_of, fold, gold_facts, predicted_facts
from pipeline.evaluation.gold import FACT_COLUMNS, FACT_TABLES, predictions_from_tables, source_stem
from pipeline.evaluation.matching import ALIGNMENT, align, group_entries

REVIEWER = "simulated-from-gold"
# The fields a reviewer types into an added row, per table: the gold file's.
_ADDED_FIELDS: dict[str, tuple[str, ...]] = {**FACT_COLUMNS, "websites": ("url",)}


def simulate_review(
    tables: Mapping[str, pd.DataFrame], gold: Mapping[str, Mapping[str, Any]], *, reviewer: str = REVIEWER
) -> tuple[list[NewCorrection], int]:
    """The corrections for every document of ``tables`` that has gold (keyed by source stem), and
    how many gold facts could not be added (a value the record model refuses)."""
    predicted = predictions_from_tables(tables)
    documents = tables["documents"]
    corrections: list[NewCorrection] = []
    refused = 0
    for row in documents.sort_values("source").to_dict("records"):
        doc_id = str(row["doc_id"])
        doc = predicted.get(source_stem(row))
        expected = gold.get(source_stem(row))
        if doc is None or expected is None:
            continue
        before = len(corrections)
        for table in FACT_TABLES:
            made, failed = _review_table(tables, table, doc_id, expected, doc, reviewer)
            corrections += made
            refused += failed
        if len(corrections) == before and row["status"] != "failed":
            corrections.append(propose_accept(tables, doc_id, reviewer=reviewer))  # nothing to correct
    return corrections, refused


def _review_table(
    tables: Mapping[str, pd.DataFrame],
    table: str,
    doc_id: str,
    expected: Mapping[str, Any],
    doc: Mapping[str, Any],
    reviewer: str,
) -> tuple[list[NewCorrection], int]:
    frame = tables[table]
    row_ids = [str(r) for r in frame.loc[frame["doc_id"].astype(str) == doc_id, id_column(table)]]
    golds = group_entries(gold_facts(expected))[table]  # type: ignore[index]
    preds = group_entries(predicted_facts(doc))[table]  # type: ignore[index]
    pairs = {pi: gi for gi, pi in align(golds, preds, ALIGNMENT[table])}  # type: ignore[index]
    gold_rows, pred_rows = _rows_of(expected, table), _rows_of(doc, table)
    made: list[NewCorrection] = []
    to_add: list[Mapping[str, Any]] = []
    for pi, entry in enumerate(preds):
        row_id = row_ids[entry.item.index]
        gi = pairs.get(pi)
        if gi is not None and entry_right(golds[gi], entry):
            continue
        if gi is not None:
            truth, seen = gold_rows[golds[gi].item.index], pred_rows[entry.item.index]
            if table == "partners" and _only_category_differs(truth, seen):
                made.append(
                    propose_set(tables, table, row_id, "category", truth.get("category"), reviewer=reviewer)
                )
                continue
            to_add.append(truth)
        made.append(propose_delete(tables, table, row_id, reviewer=reviewer))
    matched = set(pairs.values())
    to_add += [gold_rows[g.item.index] for gi, g in enumerate(golds) if gi not in matched]
    refused = 0
    added: set[str | None] = set()
    for truth in to_add:
        values = {f: truth.get(f) for f in _ADDED_FIELDS[table] if truth.get(f) not in (None, "")}
        try:
            addition = propose_add(tables, table, doc_id, values, reviewer=reviewer)
        except (PartnerflowError, ValueError):
            refused += 1
            continue
        if addition.row_id not in added:  # two gold facts the row's identity does not tell apart
            added.add(addition.row_id)
            made.append(addition)
    return made, refused


def _rows_of(doc: Mapping[str, Any], table: str) -> list[Mapping[str, Any]]:
    """The entries the facts' item indexes count: a gold file may list websites as bare URLs."""
    if table == "websites":
        return [s if isinstance(s, Mapping) else {"url": s} for s in doc.get("websites") or []]
    return entries_of(doc, table)


def _only_category_differs(truth: Mapping[str, Any], seen: Mapping[str, Any]) -> bool:
    same = all(fold(truth.get(f) or "") == fold(seen.get(f) or "") for f in ("name", "country"))
    return same and truth.get("category") != seen.get("category")


__all__ = ["REVIEWER", "simulate_review"]
