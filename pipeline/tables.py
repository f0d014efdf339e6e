"""The dataset's tables as typed frames: columns read from the record models, pandas frames and Arrow
tables of them, and CSV-safe cells. Every layer (a run, a release, the ledger, the review app) builds
and reads tables through here, so they all agree on the contract (``schema.json``)."""

from __future__ import annotations

import re
import types
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, ValidationError

from pipeline.errors import PublishError
from schemas.records import SCHEMA_VERSION, TABLE_MODELS, Record

ColumnKind = Literal["string", "integer", "number", "boolean", "datetime"]

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "datetime": pa.timestamp("us", tz="UTC"),
}
_PYTHON_KINDS: dict[type, ColumnKind] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    datetime: "datetime",
}
# A cell a spreadsheet reads as a number, not a formula: E.164 phones, signed amounts.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_FORMULA_START = ("=", "@", "\t", "\r")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: ColumnKind
    nullable: bool
    description: str
    values: tuple[str, ...] | None = None  # the vocabulary of a Literal-typed column

    @property
    def pandas_dtype(self) -> str:
        return {
            "string": "string",
            # Non-null ints stay plain int64 so downstream arithmetic needs no NA handling.
            "integer": "Int64" if self.nullable else "int64",
            "number": "float64",
            "boolean": "boolean",
            "datetime": "datetime64[ns, UTC]",
        }[self.kind]


# --- schema, from the record models -------------------------------------------------------------


@cache
def table_columns(table: str) -> tuple[ColumnSpec, ...]:
    """The columns of ``table`` in model order, typed from the pydantic annotations."""
    model = _model(table)
    columns = []
    for name, field in model.model_fields.items():
        base, nullable = _unwrap(field.annotation)
        values: tuple[str, ...] | None = None
        if get_origin(base) is Literal:
            values = tuple(str(v) for v in get_args(base))
            base = str
        kind = _PYTHON_KINDS.get(base) if isinstance(base, type) else None
        if kind is None:
            raise PublishError(f"{table}.{name}: no dataset type for annotation {field.annotation!r}")
        columns.append(ColumnSpec(name, kind, nullable, field.description or "", values))
    return tuple(columns)


def arrow_schema(table: str) -> pa.Schema:
    """The explicit Arrow schema of ``table``, so an empty table still has its columns and types."""
    return pa.schema(
        [pa.field(c.name, _ARROW_TYPES[c.kind], nullable=c.nullable) for c in table_columns(table)]
    )


def dataset_schema() -> dict[str, Any]:
    """The data dictionary written as ``schema.json``."""
    tables: dict[str, Any] = {}
    for table, model in TABLE_MODELS.items():
        columns = []
        for column in table_columns(table):
            entry: dict[str, Any] = {
                "name": column.name,
                "type": column.kind,
                "nullable": column.nullable,
                "description": column.description,
            }
            if column.values is not None:
                entry["values"] = list(column.values)
            columns.append(entry)
        tables[table] = {"id_column": getattr(model, "id_field", None), "columns": columns}
    return {"schema_version": SCHEMA_VERSION, "tables": tables}


def _model(table: str) -> type[Record]:
    try:
        return TABLE_MODELS[table]
    except KeyError:
        raise PublishError(f"unknown table {table!r}; the dataset has {sorted(TABLE_MODELS)}") from None


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Strip Annotated and Optional: (the base type, whether None is allowed)."""
    if get_origin(annotation) is Annotated:
        return _unwrap(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) != 1:
            raise PublishError(f"a column holds one type; {annotation!r} holds several")
        base, _ = _unwrap(members[0])
        return base, len(members) < len(get_args(annotation))
    return annotation, False


# --- frames -------------------------------------------------------------------------------------


def records_to_frame(table: str, records: Iterable[BaseModel | Mapping[str, Any]]) -> pd.DataFrame:
    """A frame of ``table`` with exactly its model's columns and dtypes, even when there are no records.

    Dicts (and records of another model) are validated through the table's model,
    so nothing reaches a release that the contract does not allow.
    """
    model = _model(table)
    rows: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        try:
            if not isinstance(record, model):
                data = record.model_dump() if isinstance(record, BaseModel) else dict(record)
                record = model.model_validate(data)
        except ValidationError as exc:
            raise PublishError(
                f"{table}: record {index} does not fit the {model.__name__} model: {exc}"
            ) from exc
        rows.append(record.model_dump())
    return pd.DataFrame({c.name: _series(c, [row[c.name] for row in rows]) for c in table_columns(table)})


def _series(column: ColumnSpec, values: list[Any]) -> pd.Series:
    if column.kind == "datetime":
        # utc=True reads a naive datetime as UTC, which is what the pipeline writes.
        return pd.Series(pd.to_datetime(values, utc=True), dtype=column.pandas_dtype)
    return pd.Series(values, dtype=column.pandas_dtype)


def frame_to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """Check ``frame`` against the contract and convert it with the explicit schema."""
    columns = table_columns(table)
    expected = [c.name for c in columns]
    missing = [name for name in expected if name not in frame.columns]
    if missing:
        raise PublishError(f"table {table!r} is missing column(s) {missing}")
    extra = [str(name) for name in frame.columns if name not in expected]
    if extra:
        raise PublishError(f"table {table!r} has column(s) {extra} that its model does not define")
    if frame.columns.duplicated().any():
        raise PublishError(
            f"table {table!r} repeats column(s) {sorted(set(frame.columns[frame.columns.duplicated()]))}"
        )
    frame = frame[expected]
    for column in columns:
        series = frame[column.name]
        if not column.nullable and series.isna().any():
            raise PublishError(f"table {table!r}: column {column.name!r} is not nullable but has nulls")
        if column.values is not None:
            unknown = sorted(set(series.dropna().astype(str)) - set(column.values))
            if unknown:
                raise PublishError(
                    f"table {table!r}: column {column.name!r} has value(s) {unknown} outside {list(column.values)}"
                )
    try:
        return pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise PublishError(f"table {table!r} does not convert to its schema: {exc}") from exc


# --- CSV ----------------------------------------------------------------------------------------


def neutralise_csv_cell(value: str) -> str:
    """Prefix a ``'`` to a value a spreadsheet would run as a formula (OWASP CSV injection).

    Spreadsheets skip white space (and line breaks) before a formula and read full-width signs
    ('＝', '＋') as ASCII ones, so the sign is looked for after both. A plain number, such as an
    E.164 phone (+81935823804), is left as it is.
    """
    if value.startswith(_FORMULA_START):
        return "'" + value
    # NFKC folds full-width forms to ASCII ('＝' -> '='); a value starting with a letter is never a formula.
    head = unicodedata.normalize("NFKC", value.lstrip()[:1])
    if head in ("=", "@"):
        return "'" + value
    if head in ("+", "-") and not _PLAIN_NUMBER.fullmatch(unicodedata.normalize("NFKC", value).strip()):
        return "'" + value
    return value
