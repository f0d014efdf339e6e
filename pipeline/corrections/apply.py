"""Applying the ledger to an extraction: the corrected tables and the corrections that no longer
apply cleanly (conflicts)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from pipeline.corrections.conflicts import Conflict, ConflictReason
from pipeline.corrections.model import Correction
from pipeline.corrections.store import open_store
from pipeline.corrections.values import (
    FACT_TABLES,
    REVIEWER_METHOD,
    content,
    id_column,
    jsonable,
    safe_json,
    unencodable_key,
    validated_row,
)
from pipeline.errors import InvalidCorrectionError
from pipeline.settings import Settings
from pipeline.tables import records_to_frame


class _Rows:
    """A table as mutable row dicts, indexed by row id (ids may repeat before validation)."""

    def __init__(self, table: str, frame: pd.DataFrame) -> None:
        self.table = table
        self.key = id_column(table)
        self.rows: list[dict[str, Any] | None] = list(frame.to_dict("records"))
        self.index: dict[str, list[int]] = defaultdict(list)
        for pos, row in enumerate(self.rows):
            if row is not None:
                self.index[str(row[self.key])].append(pos)
        self.changed = False

    def get(self, row_id: str) -> list[dict[str, Any]]:
        return [row for pos in self.index.get(row_id, []) if (row := self.rows[pos]) is not None]

    def append(self, row: dict[str, Any]) -> None:
        self.index[str(row[self.key])].append(len(self.rows))
        self.rows.append(row)
        self.changed = True

    def remove(self, row_id: str) -> None:
        for pos in self.index.pop(row_id, []):
            self.rows[pos] = None
        self.changed = True

    def frame(self) -> pd.DataFrame:
        return records_to_frame(self.table, [row for row in self.rows if row is not None])


def _group_key(entry: Correction, by_id: Mapping[int, Correction]) -> tuple[Any, ...] | None:
    root = entry
    seen: set[int] = set()
    while root.action == "resolve":
        if root.resolves is None or root.resolves in seen or root.resolves not in by_id:
            return None
        seen.add(root.resolves)
        root = by_id[root.resolves]
    if root.defect is not None:
        return None  # never applied; settled or listed by apply_corrections itself
    kind = "set" if root.action in ("set", "accept_document") else root.action
    return (kind, root.table, root.row_id, root.field if kind == "set" else None)


def _root(entry: Correction, by_id: Mapping[int, Correction]) -> Correction:
    seen: set[int] = set()
    while entry.action == "resolve" and entry.resolves is not None and entry.resolves in by_id:
        if entry.resolves in seen:
            break
        seen.add(entry.id)
        entry = by_id[entry.resolves]
    return entry


def apply_corrections(
    tables: Mapping[str, pd.DataFrame], ledger: Sequence[Correction]
) -> tuple[dict[str, pd.DataFrame], list[Conflict]]:
    """The tables with the ledger applied, and the corrections that no longer apply cleanly.

    Pure: ``tables`` (a fresh extraction) is not modified. Per (row, field) the latest
    correction wins; earlier ones it builds on count as its history, so an extraction
    still showing the value the first of them saw takes the latest value. Adds go
    first (so later edits and deletes of added rows find them), then sets (and
    accepts), then deletes.

    Never raises on an entry, whatever the database holds: an entry that cannot be
    applied (unreadable, refused by the record model, or failing in any other way)
    becomes an ``invalid`` conflict and the rest of the ledger still applies.
    """
    by_id = {entry.id: entry for entry in ledger}
    groups: dict[tuple[Any, ...], list[Correction]] = defaultdict(list)
    for entry in sorted(ledger, key=lambda e: e.id):
        key = _group_key(entry, by_id)
        if key is not None:
            groups[key].append(entry)

    documents = tables["documents"]
    docs = {str(r["doc_id"]): r for r in documents[["doc_id", "sha256", "source"]].to_dict("records")}
    by_source = {str(r["source"]): r for r in docs.values()}
    work: dict[str, _Rows] = {}
    conflicts: list[Conflict] = []

    def rows_of(table: str) -> _Rows:
        if table not in work:
            work[table] = _Rows(table, tables[table])
        return work[table]

    def conflict(entry: Correction, reason: ConflictReason, message: str, current: Any, **kw: Any) -> None:
        root = _root(entry, by_id)
        conflicts.append(
            Conflict(
                correction_id=entry.id,
                action=root.action,
                table=entry.table,
                row_id=entry.row_id,
                field=entry.field,
                doc_id=entry.doc_id,
                source=entry.source,
                reason=reason,
                message=message,
                current=_displayable(current),
                before=_displayable(entry.value_before),
                after=_displayable(entry.value_after),
                doc_sha256=entry.doc_sha256,
                reviewer=entry.reviewer,
                created_at=entry.created_at,
                can_keep_reviewer=kw.get("can_keep_reviewer", False),
            )
        )

    def document_ok(entry: Correction) -> bool:
        doc = docs.get(entry.doc_id)
        if doc is not None and doc["sha256"] == entry.doc_sha256:
            return True
        now = doc or (by_source.get(entry.source) if entry.source else None)
        if now is None:
            conflict(
                entry,
                "document_missing",
                f"document {entry.source or entry.doc_id} is no longer in the corpus",
                None,
            )
        else:
            conflict(
                entry,
                "document_changed",
                f"{entry.source or entry.doc_id} changed since the correction (sha256 {entry.doc_sha256[:12]}… "
                f"is now {str(now['sha256'])[:12]}…, doc_id {now['doc_id']}): its rows have new ids",
                None,
            )
        return False

    # Unusable entries are listed until a keep_extraction resolve settles them (the latest resolve wins).
    settled: dict[int, bool] = {}
    for entry in sorted(ledger, key=lambda e: e.id):
        if entry.action == "resolve" and entry.resolves in by_id and by_id[entry.resolves].defect:
            settled[entry.resolves] = entry.decision == "keep_extraction"
    for entry in ledger:
        if entry.defect is not None and not settled.get(entry.id, False):
            conflict(entry, "invalid", f"ledger entry {entry.id} cannot be applied: {entry.defect}", None)

    def attempt(apply: Callable[..., None], entry: Correction, *args: Any) -> None:
        try:
            apply(entry, *args, conflict)
        except Exception as exc:  # whatever the entry holds, the rest of the ledger still applies
            conflict(entry, "invalid", f"cannot be applied ({type(exc).__name__}: {exc})", None)

    ordered = sorted(groups.items(), key=lambda item: item[1][-1].id)
    phases = {"add": 0, "set": 1, "delete": 2}
    for phase in ("add", "set", "delete"):
        for key, entries in ordered:
            if phases[key[0]] != phases[phase]:
                continue
            latest = entries[-1]
            if latest.action == "resolve" and latest.decision == "keep_extraction":
                continue
            if not document_ok(latest):
                continue
            if latest.table not in tables:
                conflict(latest, "invalid", f"the dataset has no table {latest.table!r}", None)
            elif phase == "add":
                attempt(_apply_add, latest, rows_of(latest.table))
            elif phase == "set":
                attempt(_apply_set, latest, entries, rows_of(latest.table))
            else:
                added = groups.get(("add", latest.table, latest.row_id, None))
                if added and added[-1].id > latest.id:
                    continue  # re-added after this delete: the later decision wins
                attempt(_apply_delete, latest, rows_of(latest.table))

    out = dict(tables)
    for table, rows in work.items():
        if rows.changed:
            out[table] = rows.frame()
    return out, sorted(conflicts, key=lambda c: c.correction_id)


def _displayable(value: Any) -> Any:
    # A conflict is shown in the app and the run summary: text that cannot be encoded is shown replaced.
    return value if unencodable_key({"value": value}) is None else safe_json(json.dumps(value))


def _mark(table: str, row: dict[str, Any]) -> None:
    if table in FACT_TABLES:
        row["corrected"] = True
        row["method"] = REVIEWER_METHOD


def _apply_add(entry: Correction, rows: _Rows, conflict: Callable[..., None]) -> None:
    assert isinstance(entry.value_after, dict)
    try:
        row = validated_row(entry.table, entry.value_after)
    except InvalidCorrectionError as exc:
        conflict(entry, "invalid", str(exc), None)
        return
    row[rows.key] = entry.row_id
    row["corrected"], row["method"] = True, REVIEWER_METHOD
    existing = rows.get(str(entry.row_id))
    if existing:
        if content(entry.table, existing[0]) != content(entry.table, row):
            conflict(
                entry,
                "row_exists",
                f"the extraction now finds {entry.table} row {entry.row_id}, with other values than the "
                "reviewer's; edit the extracted row instead",
                content(entry.table, existing[0]),
            )
        return  # the extraction found it too: nothing to add
    rows.append(row)


def _chain_bases(entries: Sequence[Correction]) -> list[Any]:
    """Values the extraction may still hold for the latest correction to apply: its ``before`` and,
    through each earlier correction it was made on top of, theirs."""
    bases = [entries[-1].value_before]
    for earlier, later in zip(reversed(entries[:-1]), reversed(entries[1:]), strict=True):
        if earlier.action == "resolve" and earlier.decision == "keep_extraction":
            break
        if earlier.value_after != later.value_before:
            break
        bases.append(earlier.value_before)
    return bases


def _apply_set(
    entry: Correction, entries: Sequence[Correction], rows: _Rows, conflict: Callable[..., None]
) -> None:
    field = str(entry.field)
    targets = rows.get(str(entry.row_id))
    if not targets:
        conflict(entry, "row_missing", f"{entry.table} row {entry.row_id} is no longer extracted", None)
        return
    current = jsonable(targets[0][field])
    if current == entry.value_after:
        return  # already holds the reviewer's value
    if current not in _chain_bases(entries):
        conflict(
            entry,
            "value_changed",
            f"{entry.table}.{field} is now {current!r}; the reviewer changed {entry.value_before!r} "
            f"to {entry.value_after!r}",
            current,
            can_keep_reviewer=True,
        )
        return
    for row in targets:
        try:
            validated_row(entry.table, {**row, field: entry.value_after})
        except InvalidCorrectionError as exc:
            conflict(entry, "invalid", str(exc), current)
            return
    for row in targets:
        row[field] = entry.value_after
        _mark(entry.table, row)
    rows.changed = True


def _apply_delete(entry: Correction, rows: _Rows, conflict: Callable[..., None]) -> None:
    targets = rows.get(str(entry.row_id))
    if not targets:
        conflict(entry, "row_missing", f"{entry.table} row {entry.row_id} is no longer extracted", None)
        return
    current = content(entry.table, targets[0])
    if entry.value_before is not None and current != entry.value_before:
        conflict(
            entry,
            "row_changed",
            f"{entry.table} row {entry.row_id} changed since it was deleted",
            current,
            can_keep_reviewer=True,
        )
        return
    rows.remove(str(entry.row_id))


def corrected_tables(
    tables: Mapping[str, pd.DataFrame], settings: Settings
) -> tuple[dict[str, pd.DataFrame], list[Conflict]]:
    """``apply_corrections`` with the ledger of ``settings``: what the flow calls between
    ``save_extraction`` and publishing."""
    return apply_corrections(tables, open_store(settings).entries())
