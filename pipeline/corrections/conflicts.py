"""Corrections the extraction moved under: a ``Conflict`` names the entry and why it no longer applies,
and ``propose_resolution`` settles it (keep the reviewer's change re-based, or the extraction)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from pipeline.corrections.model import Action, Decision, NewCorrection
from pipeline.errors import InvalidCorrectionError
from schemas.records import TABLE_MODELS

ConflictReason = Literal[
    "document_missing",  # no document with this id or source any more
    "document_changed",  # the file under the same source has other content (another sha256)
    "row_missing",  # the row the correction targets is not extracted any more
    "value_changed",  # the extracted value is neither what the reviewer saw nor what they wrote
    "row_changed",  # a deleted row's values are not what the reviewer saw when deleting it
    "row_exists",  # an added row's id is now extracted, with other values
    "invalid",  # applying it would break the record model (e.g. an email after a schema change)
]
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")


class Conflict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    """A correction that no longer applies cleanly; it is kept in the ledger and shown for a decision."""

    correction_id: int = Field(description="The ledger entry to resolve.")
    action: Action = Field(description="What the reviewer did (the original action, under any resolves).")
    table: str
    row_id: str | None
    field: str | None
    doc_id: str
    source: str | None
    reason: ConflictReason
    message: str
    current: JsonValue = Field(description="What the extraction holds now (null when the row is gone).")
    before: JsonValue = Field(description="What the reviewer saw.")
    after: JsonValue = Field(description="What the reviewer wrote.")
    doc_sha256: str = Field(description="The document's sha256 when the reviewer saw it.")
    reviewer: str
    created_at: datetime
    can_keep_reviewer: bool = Field(description="The reviewer's value can be re-applied to the current row.")


def propose_resolution(
    conflict: Conflict,
    decision: Decision,
    tables: Mapping[str, pd.DataFrame],
    *,
    reviewer: str,
    note: str | None = None,
) -> NewCorrection:
    """A ``resolve`` settling ``conflict``: keep the extraction, or re-base the reviewer's change on it."""
    if decision == "keep_reviewer" and not conflict.can_keep_reviewer:
        raise InvalidCorrectionError(
            f"the reviewer's {conflict.action} cannot be re-applied ({conflict.reason})",
            hint="keep the extraction and correct the current rows instead",
        )
    documents = tables["documents"]
    found = documents[documents["doc_id"] == conflict.doc_id]
    # A document that is gone can only be settled with keep_extraction; it keeps the sha last seen.
    doc_sha = str(found.iloc[0]["sha256"]) if not found.empty else conflict.doc_sha256
    before, after = (conflict.current, conflict.after) if decision == "keep_reviewer" else (None, None)
    # An unusable entry (see Correction.defect) may name no table of the dataset or hold no valid hash;
    # its resolve only needs to point at it, so it names a valid table and hash instead.
    table = conflict.table if conflict.table in TABLE_MODELS else "documents"
    if not SHA256_PATTERN.fullmatch(doc_sha):
        doc_sha = "0" * 64
    return NewCorrection(
        action="resolve",
        doc_id=conflict.doc_id,
        doc_sha256=doc_sha,
        source=conflict.source,
        table=table,
        row_id=conflict.row_id,
        field=conflict.field,
        value_before=before,
        value_after=after,
        reviewer=reviewer,
        note=note,
        resolves=conflict.correction_id,
        decision=decision,
    )
