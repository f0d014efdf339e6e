"""Proposing corrections (the review app and the CSV import): each ``propose_*`` checks a reviewer's
change against the rows it edits and returns the ledger entry to append."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from pydantic import ValidationError

from pipeline.corrections.model import NewCorrection
from pipeline.corrections.values import (
    FACT_TABLES,
    REVIEWER_METHOD,
    coerce_value,
    content,
    editable_fields,
    id_column,
    jsonable,
    validated_row,
)
from pipeline.errors import InvalidCorrectionError, StaleValueError
from schemas.records import BOX_FIELDS, TABLE_MODELS, FactRecord, with_stable_id


def _row(tables: Mapping[str, pd.DataFrame], table: str, row_id: str) -> dict[str, Any]:
    frame = tables[table]
    found = frame[frame[id_column(table)] == row_id].to_dict("records")
    if not found:
        raise InvalidCorrectionError(f"there is no row {row_id!r} in {table}")
    return found[0]


def _document(tables: Mapping[str, pd.DataFrame], doc_id: str) -> dict[str, Any]:
    try:
        return _row(tables, "documents", doc_id)
    except InvalidCorrectionError:
        raise InvalidCorrectionError(f"there is no document {doc_id!r}") from None


def propose_set(
    tables: Mapping[str, pd.DataFrame],
    table: str,
    row_id: str,
    field: str,
    value: Any,
    *,
    reviewer: str,
    expected_before: Any = ...,
    note: str | None = None,
) -> NewCorrection:
    """A ``set`` of one field, checked against the row it edits (``tables``: the corrected tables).

    ``expected_before`` is the value the reviewer saw; if the row holds something else now,
    ``StaleValueError`` is raised instead of overwriting a change they never saw.
    """
    if field not in editable_fields(table):
        raise InvalidCorrectionError(
            f"{table}.{field} cannot be edited; editable: {', '.join(editable_fields(table))}"
        )
    row = _row(tables, table, row_id)
    before = jsonable(row[field])
    if expected_before is not ... and jsonable(expected_before) != before:
        raise StaleValueError(
            f"{table}.{field} of {row_id} is now {before!r}, not {expected_before!r}: it changed since the "
            "page was loaded",
            hint="reload and check before editing",
        )
    after = coerce_value(table, field, value)
    validated_row(table, {**row, field: after})
    if after == before:
        raise InvalidCorrectionError(f"{table}.{field} already holds {after!r}")
    return _row_correction(
        "set",
        tables,
        table,
        row,
        row_id=row_id,
        field=field,
        value_before=before,
        value_after=after,
        reviewer=reviewer,
        note=note,
    )


def new_row(
    table: str,
    doc_id: str,
    values: Mapping[str, Any],
    *,
    page: int | None = None,
    char_start: int = 0,
    char_end: int = 0,
    box: tuple[float, float, float, float] | None = None,
) -> dict[str, Any]:
    """A reviewer's row of ``table``, validated, with its stable id and reviewer provenance (JSON-ready);
    ``box``: its evidence's box on ``page`` (PDF), kept only with a page."""
    if table not in FACT_TABLES:
        raise InvalidCorrectionError(f"rows can be added to {', '.join(FACT_TABLES)}, not {table!r}")
    unknown = sorted(set(values) - set(editable_fields(table)))
    if unknown:
        raise InvalidCorrectionError(f"{table} has no editable field(s) {unknown}")
    # Through the same door as an edit: the field's normaliser and the model's type.
    values = {
        name: coerce_value(table, name, value) for name, value in values.items() if value not in ("", None)
    }
    # Blank fields are left out, so the model's defaults apply and a missing required field is named as such.
    data = {
        **{name: values[name] for name in editable_fields(table) if values.get(name) not in ("", None)},
        "doc_id": doc_id,
        "page": page,
        "char_start": char_start,
        "char_end": char_end,
        **(dict(zip(BOX_FIELDS, box, strict=True)) if box is not None and page is not None else {}),
        "method": REVIEWER_METHOD,
        "confidence": 1.0,
        "corrected": True,
    }
    model = TABLE_MODELS[table]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in exc.errors())
        raise InvalidCorrectionError(f"new {table} row: {reasons}") from None
    assert isinstance(record, FactRecord)
    return {k: jsonable(v) for k, v in with_stable_id(record).model_dump().items()}


def propose_add(
    tables: Mapping[str, pd.DataFrame],
    table: str,
    doc_id: str,
    values: Mapping[str, Any],
    *,
    reviewer: str,
    page: int | None = None,
    char_start: int = 0,
    char_end: int = 0,
    box: tuple[float, float, float, float] | None = None,
    note: str | None = None,
) -> NewCorrection:
    """An ``add`` of a row the extraction missed; its id comes from the reviewer's values."""
    doc = _document(tables, doc_id)
    row = new_row(table, doc_id, values, page=page, char_start=char_start, char_end=char_end, box=box)
    row_id = row[id_column(table)]
    frame = tables[table]
    if (frame[id_column(table)] == row_id).any():
        raise InvalidCorrectionError(f"{table} already has this row ({row_id})", hint="edit it instead")
    return NewCorrection(
        action="add",
        doc_id=doc_id,
        doc_sha256=str(doc["sha256"]),
        source=doc["source"],
        table=table,
        row_id=row_id,
        value_after=row,
        reviewer=reviewer,
        note=note,
    )


def propose_delete(
    tables: Mapping[str, pd.DataFrame], table: str, row_id: str, *, reviewer: str, note: str | None = None
) -> NewCorrection:
    """A ``delete`` of a wrong row; the row's content as seen is kept to detect later changes."""
    if table not in FACT_TABLES:
        raise InvalidCorrectionError(f"rows can be deleted from {', '.join(FACT_TABLES)}, not {table!r}")
    row = _row(tables, table, row_id)
    return _row_correction(
        "delete",
        tables,
        table,
        row,
        row_id=row_id,
        value_before=content(table, row),
        reviewer=reviewer,
        note=note,
    )


def _row_correction(
    action: str, tables: Mapping[str, pd.DataFrame], table: str, row: Mapping[str, Any], **fields: Any
) -> NewCorrection:
    """A correction of one row, tied to the document (and its content hash) the row came from."""
    doc = _document(tables, str(row["doc_id"]))
    return NewCorrection(
        action=action,
        doc_id=str(row["doc_id"]),
        doc_sha256=str(doc["sha256"]),
        source=doc["source"],
        table=table,
        **fields,
    )


def propose_accept(
    tables: Mapping[str, pd.DataFrame], doc_id: str, *, reviewer: str, note: str | None = None
) -> NewCorrection:
    """``accept_document``: the reviewer vouches for the document's rows; its status becomes ``ok``."""
    doc = _document(tables, doc_id)
    if doc["status"] == "failed":
        raise InvalidCorrectionError("a failed document has no rows to accept; fix the file and run again")
    return NewCorrection(
        action="accept_document",
        doc_id=doc_id,
        doc_sha256=str(doc["sha256"]),
        source=doc["source"],
        table="documents",
        row_id=doc_id,
        field="status",
        value_before=jsonable(doc["status"]),
        value_after="ok",
        reviewer=reviewer,
        note=note,
    )
