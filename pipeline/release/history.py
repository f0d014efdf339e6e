"""Release history: what changed between two releases, and pruning the old ones.

Rows are matched across releases by their table's id column (``schema.json``'s
``id_column``: ``doc_id``, ``partner_id``...). Fact ids are derived from the
fact itself (document, table, identity fields), so a fact whose identity
changes shows up as one row removed and one added; a fact whose other values
change (a partner's country, a contact's email) shows up as changed.

What counts as a change:

- run metadata (``extracted_at``, ``extractor_version``) never does: every run
  re-stamps it. The code version is reported once, from the manifests;
- a change only in provenance (``page``, ``char_start``, ``char_end``,
  ``method``, ``confidence``, ``corrected``) is listed apart, as
  ``provenance_changed``: the fact is the same, the evidence or scoring moved
  (a parser fix shifting offsets would otherwise bury real changes);
- a column present in only one release (a column added by a schema change) is
  reported as such, and its values are not compared.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pipeline.errors import ReleaseError
from pipeline.release.publish import (
    CURRENT,
    MANIFEST,
    RELEASES,
    SCHEMA,
    TMP_PREFIX,
    list_releases,
    read_current,
)
from schemas.records import BOX_FIELDS, TABLE_MODELS, FactRecord

RUN_METADATA = frozenset({"extracted_at", "extractor_version"})
# The evidence box (schema 1.1) is provenance too; a release from before it has no box columns.
PROVENANCE = frozenset(FactRecord.model_fields) - {"doc_id"}
BOX = frozenset(BOX_FIELDS)
_LABEL_COLUMNS = ("name", "title", "text", "url", "source", "organization", "role", "start")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RowChange(_Model):
    id: str
    label: str = ""
    changes: dict[str, tuple[Any, Any]] = Field(description="column -> (value in a, value in b)")


class TableDiff(_Model):
    table: str
    id_column: str | None
    rows_a: int = 0
    rows_b: int = 0
    added: list[str] = Field(default_factory=list, description="Ids of rows only in b.")
    removed: list[str] = Field(default_factory=list, description="Ids of rows only in a.")
    changed: list[RowChange] = Field(default_factory=list)
    provenance_changed: list[RowChange] = Field(default_factory=list)
    labels: dict[str, str] = Field(
        default_factory=dict, description="Id -> a readable label (name, text...)."
    )
    columns_added: list[str] = Field(default_factory=list)
    columns_removed: list[str] = Field(default_factory=list)
    only_in: str | None = Field(default=None, description="'a' or 'b' when the table is in one release only.")
    notes: list[str] = Field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.provenance_changed
            or self.columns_added
            or self.columns_removed
            or self.only_in
        )


class ReleaseDiff(_Model):
    a: str
    b: str
    code_version: tuple[str | None, str | None]
    schema_version: tuple[str | None, str | None]
    raw_added: list[str] = Field(default_factory=list)
    raw_removed: list[str] = Field(default_factory=list)
    raw_changed: list[str] = Field(default_factory=list)
    tables: dict[str, TableDiff] = Field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        raw = self.raw_added or self.raw_removed or self.raw_changed
        return not raw and all(t.is_empty for t in self.tables.values())


# --- reading releases ---------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"{path} cannot be read: {exc}", file=path) from exc


def _tables_of(release: Path, manifest: Mapping[str, Any]) -> list[str]:
    names = list(manifest.get("row_counts", {}))
    names += [p.stem for p in sorted(release.glob("*.parquet")) if p.stem not in names]
    return names


def _id_column(table: str, schema: Mapping[str, Any]) -> str | None:
    entry = schema.get("tables", {}).get(table, {})
    if "id_column" in entry:
        return entry["id_column"]
    model = TABLE_MODELS.get(table)
    return getattr(model, "id_field", None) if model else None


def read_release_table(release: Path, table: str) -> pd.DataFrame:
    """One table of a release, from Parquet (types kept) or else CSV."""
    parquet, csv = release / f"{table}.parquet", release / f"{table}.csv"
    try:
        if parquet.exists():
            return pd.read_parquet(parquet)
        if csv.exists():
            return pd.read_csv(csv, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"table {table} of {release} cannot be read: {exc}", file=release) from exc
    raise ReleaseError(f"release {release} has no table {table}", file=release)


def _plain(value: Any) -> Any:
    """A cell as a plain, comparable, JSON-able value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, np.ndarray | list | tuple):
        return [_plain(v) for v in value]
    return value


def _rows_by_id(
    frame: pd.DataFrame, id_column: str | None, notes: list[str], side: str
) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    duplicates = 0
    for record in frame.to_dict("records"):
        row = {str(k): _plain(v) for k, v in record.items()}
        if id_column and id_column in row and row[id_column] is not None:
            key = str(row[id_column])
        else:
            # No id to match on: the row is its own key, so it can only be added or removed.
            key = "row:" + json.dumps(row, sort_keys=True, default=str)
        if key in rows:
            duplicates += 1
            continue
        rows[key] = row
    if duplicates:
        notes.append(f"{duplicates} row(s) of {side} repeat an id; the first of each was compared")
    return rows


def _label(row: Mapping[str, Any]) -> str:
    for column in _LABEL_COLUMNS:
        value = row.get(column)
        if value not in (None, ""):
            return str(value)
    return ""


# --- diff ---------------------------------------------------------------------------------------


def diff_releases(a: Path, b: Path) -> ReleaseDiff:
    """What changed from release folder ``a`` to release folder ``b`` (module docstring)."""
    a, b = Path(a).resolve(), Path(b).resolve()
    manifest_a, manifest_b = _read_json(a / MANIFEST), _read_json(b / MANIFEST)
    schema_a = _read_json(a / SCHEMA) if (a / SCHEMA).exists() else {}
    schema_b = _read_json(b / SCHEMA) if (b / SCHEMA).exists() else {}
    raw_a = {f["source"]: f.get("sha256") for f in manifest_a.get("raw_corpus", {}).get("files", [])}
    raw_b = {f["source"]: f.get("sha256") for f in manifest_b.get("raw_corpus", {}).get("files", [])}

    tables_a, tables_b = _tables_of(a, manifest_a), _tables_of(b, manifest_b)
    tables: dict[str, TableDiff] = {}
    for table in [*tables_a, *(t for t in tables_b if t not in tables_a)]:
        frame_a = read_release_table(a, table) if table in tables_a else None
        frame_b = read_release_table(b, table) if table in tables_b else None
        id_column = _id_column(table, schema_b if frame_b is not None else schema_a)
        tables[table] = _diff_table(table, id_column, frame_a, frame_b)

    return ReleaseDiff(
        a=manifest_a.get("release_id", a.name),
        b=manifest_b.get("release_id", b.name),
        code_version=(manifest_a.get("code_version"), manifest_b.get("code_version")),
        schema_version=(manifest_a.get("schema_version"), manifest_b.get("schema_version")),
        raw_added=sorted(set(raw_b) - set(raw_a)),
        raw_removed=sorted(set(raw_a) - set(raw_b)),
        raw_changed=sorted(s for s in set(raw_a) & set(raw_b) if raw_a[s] != raw_b[s]),
        tables=tables,
    )


def _diff_table(
    table: str, id_column: str | None, frame_a: pd.DataFrame | None, frame_b: pd.DataFrame | None
) -> TableDiff:
    diff = TableDiff(table=table, id_column=id_column)
    if frame_a is None or frame_b is None:
        diff.only_in = "b" if frame_a is None else "a"
    frame_a = frame_a if frame_a is not None else pd.DataFrame(columns=getattr(frame_b, "columns", []))
    frame_b = frame_b if frame_b is not None else pd.DataFrame(columns=frame_a.columns)
    diff.rows_a, diff.rows_b = len(frame_a), len(frame_b)
    columns_a, columns_b = [str(c) for c in frame_a.columns], [str(c) for c in frame_b.columns]
    if diff.only_in is None:
        diff.columns_added = [c for c in columns_b if c not in columns_a]
        diff.columns_removed = [c for c in columns_a if c not in columns_b]
    compared = [c for c in columns_a if c in columns_b and c not in RUN_METADATA and c != id_column]
    provenance = PROVENANCE | (BOX & set(compared)) if set(compared) >= PROVENANCE else frozenset()

    rows_a = _rows_by_id(frame_a, id_column, diff.notes, "a")
    rows_b = _rows_by_id(frame_b, id_column, diff.notes, "b")
    diff.added = sorted(set(rows_b) - set(rows_a))
    diff.removed = sorted(set(rows_a) - set(rows_b))
    diff.labels = {key: _label(rows_b.get(key) or rows_a[key]) for key in (*diff.added, *diff.removed)}
    for key in sorted(set(rows_a) & set(rows_b)):
        old, new = rows_a[key], rows_b[key]
        changes = {c: (old.get(c), new.get(c)) for c in compared if old.get(c) != new.get(c)}
        if not changes:
            continue
        change = RowChange(id=key, label=_label(new), changes=changes)
        if set(changes) <= provenance:
            diff.provenance_changed.append(change)
        else:
            diff.changed.append(change)
    return diff


def _value(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def format_diff(diff: ReleaseDiff, *, limit: int = 20) -> str:
    """The diff as text for people: a line per table, then up to ``limit`` rows per kind of change."""
    lines = [f"release {diff.a} -> {diff.b}"]
    if diff.code_version[0] != diff.code_version[1]:
        lines.append(f"code version {diff.code_version[0]} -> {diff.code_version[1]}")
    if diff.schema_version[0] != diff.schema_version[1]:
        lines.append(f"schema version {diff.schema_version[0]} -> {diff.schema_version[1]}")
    raw = [("+", diff.raw_added), ("-", diff.raw_removed), ("~", diff.raw_changed)]
    if any(files for _, files in raw):
        lines.append("raw files:")
        lines += [f"  {mark} {source}" for mark, files in raw for source in files]
    if diff.is_empty:
        lines.append("no changes")
        return "\n".join(lines) + "\n"
    for table, t in diff.tables.items():
        if t.is_empty:
            continue
        head = f"{table}: {t.rows_a} -> {t.rows_b} rows; +{len(t.added)} -{len(t.removed)} ~{len(t.changed)}"
        if t.provenance_changed:
            head += f" (provenance only: {len(t.provenance_changed)})"
        if t.only_in:
            head += f" [only in {t.only_in}]"
        lines.append(head)
        if t.columns_added:
            lines.append(f"  columns added: {', '.join(t.columns_added)}")
        if t.columns_removed:
            lines.append(f"  columns removed: {', '.join(t.columns_removed)}")
        lines += [f"  note: {note}" for note in t.notes]
        for mark, ids in (("+", t.added), ("-", t.removed)):
            lines += [f"  {mark} {key}  {_value(t.labels.get(key, ''))}" for key in ids[:limit]]
            if len(ids) > limit:
                lines.append(f"  {mark} ... and {len(ids) - limit} more")
        for change in t.changed[:limit]:
            detail = "; ".join(f"{c}: {_value(o)} -> {_value(n)}" for c, (o, n) in change.changes.items())
            lines.append(f"  ~ {change.id}  {detail}")
        if len(t.changed) > limit:
            lines.append(f"  ~ ... and {len(t.changed) - limit} more")
    return "\n".join(lines) + "\n"


# --- finding and pruning releases ---------------------------------------------------------------


def resolve_release(out_dir: Path, ref: str) -> Path:
    """A release folder from 'current', a release id under ``out_dir/releases``, or a path."""
    if ref == CURRENT:
        current = read_current(out_dir)
        if current is None:
            raise ReleaseError(f"{out_dir} has no current release yet")
        return current
    # A bare name is an id first; anything with a separator is only a path.
    candidates = [Path(ref)] if "/" in ref else [Path(out_dir) / RELEASES / ref, Path(ref)]
    for candidate in candidates:
        if (candidate / MANIFEST).is_file():
            return candidate.resolve()
    raise ReleaseError(f"no release {ref!r}: not an id under {Path(out_dir) / RELEASES} nor a release folder")


def previous_and_current(out_dir: Path) -> tuple[Path, Path]:
    """The current release and the one published just before it."""
    current = read_current(out_dir)
    if current is None:
        raise ReleaseError(f"{out_dir} has no current release yet")
    releases = list_releases(out_dir)  # newest first
    ids = [r["id"] for r in releases]
    if current.name not in ids:
        raise ReleaseError(f"the current release {current.name} is not a complete release of {out_dir}")
    older = releases[ids.index(current.name) + 1 :]
    if not older:
        raise ReleaseError(f"the current release {current.name} is the oldest; there is nothing to compare")
    return Path(older[0]["path"]).resolve(), current


def prune_releases(out_dir: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest complete releases; return the deleted folders.

    Never deleted: the current release and the newest one (a publisher may be about
    to make it current), whatever ``keep`` says. Folders still being written
    (``.tmp-``) and folders without a manifest are not ours to judge and stay.
    Run it under the run lock, as the flow does, so no publisher races it.
    """
    if keep < 0:
        raise ValueError(f"keep must be >= 0, not {keep}")
    out_dir = Path(out_dir)
    releases = list_releases(out_dir)  # newest first, complete only
    current = read_current(out_dir)
    protected = {Path(r["path"]).resolve() for r in releases[: max(keep, 1)]}
    if current is not None:
        protected.add(current.resolve())
    deleted = []
    for release in releases:
        path = Path(release["path"])
        if path.resolve() in protected:
            continue
        # Renamed out of sight first: a half-deleted folder must never look like a release.
        doomed = path.with_name(f".deleting-{path.name}")
        try:
            os.rename(path, doomed)
        except OSError:
            continue  # gone already, or not ours to move: leave it
        shutil.rmtree(doomed, ignore_errors=True)
        deleted.append(path)
    return deleted


# What a killed publisher leaves behind, by where it is and how its name starts.
_LEFTOVERS: tuple[tuple[str, str], ...] = (
    (RELEASES, TMP_PREFIX),  # a release being written
    (RELEASES, ".deleting-"),  # a release being pruned
    (".", ".current.tmp-"),  # the link about to become current
    (".", ".extraction.tmp-"),  # the link about to become the saved extraction
    (".extractions", TMP_PREFIX),  # a saved extraction being written
)


_CLOCK_SLACK_SECONDS = 2.0


def remove_leftovers(out_dir: Path, *, older_than: float) -> list[Path]:
    """Delete temporary folders and links killed publishers left, last changed before ``older_than``.

    Call it holding the run lock, with the time it was taken (``run_lock`` gives it): publishers
    hold the lock while they write, so what is older than the lock was left by one that died, and
    what is newer is someone's work in progress and stays.
    """
    out_dir = Path(out_dir)
    removed: list[Path] = []
    for folder, prefix in _LEFTOVERS:
        parent = out_dir / folder
        try:
            candidates = [p for p in parent.iterdir() if p.name.startswith(prefix)]
        except OSError:
            continue
        for path in candidates:
            try:
                # File times come from a coarser clock than time.time(): a margin, so a folder made
                # just after the lock was taken never looks older than it.
                if os.lstat(path).st_mtime >= older_than - _CLOCK_SLACK_SECONDS:
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            except OSError:
                continue  # gone already, or not ours to remove
            removed.append(path)
    return removed
