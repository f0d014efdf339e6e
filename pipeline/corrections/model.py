"""A ledger entry: one reviewer decision (``NewCorrection``) and, once written, its id and time
(``Correction``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from pipeline.corrections.values import FACT_TABLES, editable_fields
from schemas.records import MAX_INT64, TABLE_MODELS
from schemas.types import NonEmptyText, Sha256

Action = Literal["set", "add", "delete", "accept_document", "resolve"]
Decision = Literal["keep_reviewer", "keep_extraction"]
ACTIONS: tuple[str, ...] = ("set", "add", "delete", "accept_document", "resolve")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewCorrection(_Model):
    """One reviewer decision, before the ledger gives it an id and a time."""

    action: Action
    doc_id: NonEmptyText
    doc_sha256: Sha256 = Field(description="The document's sha256 when the reviewer saw it.")
    source: str | None = None
    table: str
    row_id: str | None = None
    field: str | None = None
    # JSON values: a cell's value for set; the whole row (content fields) for add and delete.
    value_before: JsonValue = None
    value_after: JsonValue = None
    reviewer: Annotated[NonEmptyText, Field(max_length=200)]
    note: str | None = None
    resolves: int | None = Field(
        default=None, ge=1, le=MAX_INT64, description="For resolve: the id of the conflicting correction."
    )
    decision: Decision | None = None

    @model_validator(mode="after")
    def _shape(self) -> NewCorrection:
        if self.table not in TABLE_MODELS:
            raise ValueError(f"unknown table {self.table!r}")
        if self.action == "resolve":
            if self.resolves is None or self.decision is None:
                raise ValueError("a resolve names the correction it settles (resolves) and a decision")
            return self
        if self.resolves is not None or self.decision is not None:
            raise ValueError("only a resolve has resolves and decision")
        if not self.row_id:
            raise ValueError(f"{self.action} needs row_id")
        if self.action == "set":
            if self.field not in editable_fields(self.table):
                raise ValueError(
                    f"field {self.field!r} of {self.table} is not editable; editable: {editable_fields(self.table)}"
                )
        elif self.action == "accept_document":
            if (self.table, self.field, self.value_after) != ("documents", "status", "ok"):
                raise ValueError("accept_document sets documents.status to 'ok'")
            if self.row_id != self.doc_id:
                raise ValueError("accept_document's row_id is the doc_id")
        else:  # add, delete
            if self.table not in FACT_TABLES:
                raise ValueError(
                    f"{self.action} works on the fact tables {list(FACT_TABLES)}, not {self.table}"
                )
            if self.field is not None:
                raise ValueError(f"{self.action} concerns a whole row: field must be empty")
            if self.action == "add" and not isinstance(self.value_after, dict):
                raise ValueError("add carries the new row as a JSON object in value_after")
        return self


class Correction(NewCorrection):
    """A ledger entry."""

    id: int
    created_at: datetime
    # Set only on an entry read back from the database that this code cannot use (written by another
    # version, or edited by hand): it is never applied, and is listed as a conflict with this reason.
    defect: str | None = None
