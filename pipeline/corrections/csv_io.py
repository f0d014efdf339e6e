"""The spreadsheet round trip: the ledger exported as CSV, and a CSV's new corrections imported all or
nothing, every bad row listed with its line, column and reason."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from pipeline.corrections.model import ACTIONS, Correction, NewCorrection
from pipeline.corrections.propose import new_row
from pipeline.corrections.store import CorrectionStore
from pipeline.corrections.values import (
    content,
    dump_json,
    editable_fields,
    id_column,
    jsonable,
    parse_cell_value,
    parse_json,
)
from pipeline.errors import CorrectionsError, ImportRejectedError, InvalidCorrectionError, RejectedRow
from pipeline.tables import neutralise_csv_cell
from schemas.records import MAX_INT64, TABLE_MODELS

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "created_at",
    "reviewer",
    "action",
    "doc_id",
    "doc_sha256",
    "source",
    "table",
    "row_id",
    "field",
    "value_before",
    "value_after",
    "note",
    "resolves",
    "decision",
)
_LEDGER_ID = re.compile(r"[0-9]{1,19}")


def _csv_out(value: Any) -> str:
    text = "" if value is None else str(value)
    # Reversible, unlike plain neutralising: any cell starting with ' gets one more, and import drops one.
    if text.startswith("'") or neutralise_csv_cell(text) != text:
        return "'" + text
    return text


def _csv_in(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def export_csv(entries: Sequence[Correction], path: Path) -> int:
    """Write the ledger as CSV (values as JSON), atomically; return the number of entries."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(CSV_COLUMNS)
            for entry in entries:
                cells = _export_cells(entry)
                writer.writerow([_csv_out(cells[name]) for name in CSV_COLUMNS])
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CorrectionsError(f"cannot write {path}: {exc}", file=path) from exc
    return len(entries)


def _export_cells(entry: Correction) -> dict[str, Any]:
    cells = entry.model_dump()
    cells["created_at"] = entry.created_at.isoformat()
    cells["value_before"] = None if entry.action == "add" else dump_json(entry.value_before)
    cells["value_after"] = None if entry.action == "delete" else dump_json(entry.value_after)
    return cells


def _ledger_mismatch(entry: Correction, row: Mapping[str, str]) -> str | None:
    """The first column in which an exported row no longer says what the ledger does (the time aside:
    spreadsheets reformat it)."""
    cells = _export_cells(entry)
    for column, text in row.items():
        if column in ("id", "created_at"):
            continue
        expected = cells[column]
        if column in ("value_before", "value_after") and expected is not None and text != "":
            try:
                if parse_json(text) == parse_json(expected):
                    continue
            except ValueError:
                return column
        if ("" if expected is None else str(expected)) != text:
            return column
    return None


@dataclass(frozen=True)
class ImportResult:
    added: list[Correction]
    already_in_ledger: int


def import_csv(
    store: CorrectionStore,
    path: Path,
    *,
    reviewer: str | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> ImportResult:
    """Append the CSV's new corrections to the ledger, all or nothing.

    Rows with an ``id`` are ledger entries (an export): they must match the ledger and
    are skipped. Rows without one are new corrections; blank ``reviewer`` takes
    ``reviewer``, blank ``doc_sha256``/``source``/``value_before`` are filled from
    ``tables`` (the current corrected tables) when given. Values may be JSON (as
    exported) or plain text. Any invalid row raises ``ImportRejectedError`` listing every
    problem by line and column, and nothing is written.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            records = [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CorrectionsError(f"cannot read {path}: {exc}", file=path) from exc
    if header is None:
        raise ImportRejectedError(path, [RejectedRow(1, "-", "the file is empty; expected a header row")])
    header = [_csv_in(h).strip() for h in header]
    errors: list[RejectedRow] = []
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        errors.append(
            RejectedRow(1, ", ".join(unknown), f"unknown column(s); columns are {', '.join(CSV_COLUMNS)}")
        )
    for required in ("action", "doc_id", "table"):
        if required not in header:
            errors.append(RejectedRow(1, required, "missing column"))
    if errors:
        raise ImportRejectedError(path, errors)

    ledger = {entry.id: entry for entry in store.entries()}
    new: list[NewCorrection] = []
    skipped = 0
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(RejectedRow(line, "-", f"{len(cells)} cells, the header has {len(header)}"))
            continue
        row = {name: _csv_in(cell).strip() for name, cell in zip(header, cells, strict=True)}
        if row.get("id"):
            entry_id = _ledger_id(row["id"])
            known = ledger.get(entry_id) if entry_id is not None else None
            if known is None:
                errors.append(
                    RejectedRow(line, "id", f"no ledger entry {row['id']!r}; leave id empty for a new row")
                )
                continue
            column = _ledger_mismatch(known, row)
            if column is not None:
                errors.append(
                    RejectedRow(
                        line,
                        column,
                        f"differs from ledger entry {known.id}; ledger entries are never changed: "
                        "add a row with an empty id that makes the new correction",
                    )
                )
                continue
            skipped += 1
            continue
        try:
            new.append(_parse_row(row, reviewer, tables))
        except _CellError as exc:
            errors.append(RejectedRow(line, exc.column, exc.reason))
    if errors:
        raise ImportRejectedError(path, errors)
    return ImportResult(added=store.append(new), already_in_ledger=skipped)


def _ledger_id(text: str) -> int | None:
    """A ledger id written in a cell: ASCII digits within SQLite's integer range, else None.

    (``str.isdigit`` accepts '²' and other digits ``int`` refuses, and SQLite cannot store 10**24.)
    """
    text = text.strip()
    if not _LEDGER_ID.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_INT64 else None


class _CellError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        self.column, self.reason = column, reason
        super().__init__(reason)


def _json_cell(row: Mapping[str, str], column: str) -> Any:
    text = row.get(column, "")
    if text == "":
        return None
    try:
        return parse_json(text)
    except ValueError as exc:
        raise _CellError(column, f"not valid JSON ({exc})") from None


def _parse_row(
    row: Mapping[str, str], reviewer: str | None, tables: Mapping[str, pd.DataFrame] | None
) -> NewCorrection:
    action = row.get("action", "")
    if action not in ACTIONS:
        raise _CellError("action", f"{action!r} is not one of {', '.join(ACTIONS)}")
    table = row.get("table", "")
    if table not in TABLE_MODELS:
        raise _CellError("table", f"{table!r} is not a table of the dataset")
    doc_id = row.get("doc_id", "")
    if not doc_id:
        raise _CellError("doc_id", "required")
    field = row.get("field") or None
    row_id = row.get("row_id") or None
    data: dict[str, Any] = {
        "action": action,
        "doc_id": doc_id,
        "table": table,
        "row_id": row_id,
        "field": field,
        "source": row.get("source") or None,
        "doc_sha256": row.get("doc_sha256") or None,
        "reviewer": row.get("reviewer") or reviewer,
        "note": row.get("note") or None,
    }
    if not data["reviewer"]:
        raise _CellError("reviewer", "required (or pass --reviewer)")
    if action == "accept_document":
        data.update(table="documents", row_id=row_id or doc_id, field="status", value_after="ok")
        if table != "documents":
            raise _CellError("table", "accept_document concerns the documents table")
    elif action == "set":
        if field not in editable_fields(table):
            raise _CellError(
                "field", f"{field!r} is not an editable field of {table}: {', '.join(editable_fields(table))}"
            )
        if not row_id:
            raise _CellError("row_id", "required for set")
        for column in ("value_before", "value_after"):
            if row.get(column, "") != "" or column == "value_after":
                try:
                    data[column] = parse_cell_value(table, field, row.get(column, ""))
                except InvalidCorrectionError as exc:
                    raise _CellError(column, str(exc)) from None
    elif action == "add":
        values = _json_cell(row, "value_after")
        if not isinstance(values, dict):
            raise _CellError("value_after", 'add needs the new row as a JSON object, e.g. {"name": "..."}')
        given = {k: v for k, v in values.items() if k in editable_fields(table)}
        spans = {k: values[k] for k in ("page", "char_start", "char_end") if values.get(k) is not None}
        try:
            full = new_row(table, doc_id, given, **spans)
        except (InvalidCorrectionError, TypeError) as exc:
            raise _CellError("value_after", str(exc)) from None
        computed = full[id_column(table)]
        if row_id and row_id != computed:
            raise _CellError(
                "row_id", f"the row's values give id {computed}, not {row_id}; leave row_id empty"
            )
        data.update(row_id=computed, value_after=full)
    elif action == "delete":
        if not row_id:
            raise _CellError("row_id", "required for delete")
        data["value_before"] = _json_cell(row, "value_before")
    else:  # resolve
        data["resolves"] = _ledger_id(row.get("resolves", ""))
        if data["resolves"] is None:
            raise _CellError(
                "resolves", f"the id of the correction this resolves is required, not {row.get('resolves')!r}"
            )
        data["decision"] = row.get("decision") or None
        data["value_before"] = _json_cell(row, "value_before")
        data["value_after"] = _json_cell(row, "value_after")
    _fill_from_tables(data, row, tables)
    try:
        return NewCorrection.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        column = str(first["loc"][0]) if first["loc"] else "-"
        raise _CellError(column, first["msg"]) from None


def _fill_from_tables(
    data: dict[str, Any], row: Mapping[str, str], tables: Mapping[str, pd.DataFrame] | None
) -> None:
    if tables is None:
        if data["doc_sha256"] is None:
            raise _CellError("doc_sha256", "required (the import has no current release to look it up in)")
        return
    documents = tables["documents"]
    found = documents[documents["doc_id"] == data["doc_id"]]
    if found.empty:
        if data["doc_sha256"] is None:
            raise _CellError("doc_id", f"{data['doc_id']!r} is not in the current release; give doc_sha256")
        return
    doc = found.iloc[0]
    data["doc_sha256"] = data["doc_sha256"] or str(doc["sha256"])
    data["source"] = data["source"] or str(doc["source"])
    action, table = data["action"], data["table"]
    if action in ("set", "accept_document", "delete") and row.get("value_before", "") == "":
        frame = tables[table]
        match = frame[frame[id_column(table)] == data["row_id"]]
        if match.empty:
            raise _CellError("row_id", f"no row {data['row_id']!r} in {table} of the current release")
        current = match.iloc[0].to_dict()
        data["value_before"] = (
            content(table, current) if action == "delete" else jsonable(current[data["field"]])
        )
