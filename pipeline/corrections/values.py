"""The dataset's editable surface: which fields reviewers may set, and their values typed, normalised and
made JSON the way the extraction makes them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any

import pandas as pd
from pydantic import JsonValue, TypeAdapter, ValidationError

from extractors.normalize import country_code, normalize_email, normalize_phone, parse_date
from pipeline.errors import InvalidCorrectionError
from pipeline.tables import table_columns
from schemas.records import BOX_FIELDS, FACT_MODELS, TABLE_MODELS

FACT_TABLES: tuple[str, ...] = tuple(model.table for model in FACT_MODELS)
PROVENANCE: tuple[str, ...] = (
    "doc_id",
    "page",
    "char_start",
    "char_end",
    "method",
    "confidence",
    "corrected",
    *BOX_FIELDS,
)
# Columns computed from other rows (organisation resolution); a correction to them would be overwritten.
DERIVED: frozenset[str] = frozenset({"org_id"})
DOCUMENT_FIELDS: tuple[str, ...] = ("title", "acronym", "doc_type", "language")
REVIEWER_METHOD = "reviewer"


@cache
def editable_fields(table: str) -> tuple[str, ...]:
    """Fields a reviewer may set: content, not provenance, ids or derived columns."""
    if table == "documents":
        return DOCUMENT_FIELDS
    if table not in FACT_TABLES:
        return ()
    model = TABLE_MODELS[table]
    skip = {*PROVENANCE, model.id_field, *DERIVED}
    return tuple(name for name in model.model_fields if name not in skip)


def id_column(table: str) -> str:
    return "doc_id" if table == "documents" else TABLE_MODELS[table].id_field


@cache
def _field_adapter(table: str, field: str) -> TypeAdapter[Any]:
    info = TABLE_MODELS[table].model_fields[field]
    annotation: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(annotation)


# The pattern of schemas.types.IsoPartialDate.
_ISO_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def _iso_date(text: str) -> str | None:
    if _ISO_DATE.fullmatch(text):
        return text
    found = parse_date(text)
    # A field holds one date; a span ("2-4 August 2004") goes into start and end separately.
    return found.start if found is not None and found.end is None else None


def _country(text: str) -> str | None:
    return country_code(text) or (country_code(text.upper()) if len(text) <= 3 else None)


# The normalisers the extraction applies, applied to what reviewers type, so a corrected row reads
# like an extracted one ("+81 93-582-3804" is stored as +81935823804, "Japan" as JP).
_NORMALISERS: dict[tuple[str, str], tuple[Callable[[str], str | None], str]] = {
    ("contacts", "phone"): (normalize_phone, "a phone number"),
    ("contacts", "fax"): (normalize_phone, "a fax number"),
    ("contacts", "email"): (normalize_email, "an email address"),
    ("dates", "start"): (_iso_date, "a date (2004, 2004-07 or 2004-07-02, or as printed: 2 July 2004)"),
    ("dates", "end"): (_iso_date, "a date (2004, 2004-07 or 2004-07-02, or as printed: 2 July 2004)"),
    ("events", "start"): (_iso_date, "a date (2004, 2004-07 or 2004-07-02, or as printed: 2 July 2004)"),
    ("events", "end"): (_iso_date, "a date (2004, 2004-07 or 2004-07-02, or as printed: 2 July 2004)"),
    ("partners", "country"): (_country, "a country (a name or an ISO 3166 code)"),
    ("events", "country"): (_country, "a country (a name or an ISO 3166 code)"),
}
# Control characters other than tab and line breaks: invisible in the app, and they break CSV readers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _text_problem(text: str) -> str | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds a lone surrogate, which is not text"
    found = _CONTROL.search(text)
    return f"holds the control character U+{ord(found.group()):04X}" if found else None


def coerce_value(table: str, field: str, value: Any) -> Any:
    """The value as the record model types it, through the extraction's normaliser for the field
    (``InvalidCorrectionError`` naming the field and the reason if refused), JSON-ready."""
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem is not None:
            raise InvalidCorrectionError(f"{table}.{field}: the value {problem}")
        normaliser = _NORMALISERS.get((table, field))
        if normaliser is not None and value.strip():
            normal, what = normaliser
            normalised = normal(value.strip())
            if normalised is None:
                raise InvalidCorrectionError(f"{table}.{field}: {value!r} is not {what}")
            value = normalised
    try:
        typed = _field_adapter(table, field).validate_python(value)
    except ValidationError as exc:
        reasons = "; ".join(err["msg"] for err in exc.errors())
        raise InvalidCorrectionError(f"{table}.{field}: {value!r} is not allowed ({reasons})") from None
    return jsonable(typed)


def _kind(table: str, field: str) -> str:
    return next(c.kind for c in table_columns(table) if c.name == field)


def parse_form_value(table: str, field: str, text: str) -> Any:
    """A value typed in a form: text as is; empty means null; numbers and booleans parsed by the model."""
    text = text.strip()
    if text == "":
        return None
    return coerce_value(table, field, text)


def parse_cell_value(table: str, field: str, text: str) -> Any:
    """A spreadsheet cell: JSON when it is JSON (as exported), else plain text typed by the model."""
    text = text.strip()
    if text == "":
        return None
    if _kind(table, field) == "string":
        if text == "null":
            return None
        if not text.startswith('"'):
            return coerce_value(table, field, text)
    try:
        value = parse_json(text)
    except ValueError:
        value = text
    return coerce_value(table, field, value)


def parse_json(text: str | bytes) -> Any:
    """``json.loads`` whose every failure is a ValueError (deep nesting raises RecursionError)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def jsonable(value: Any) -> Any:
    """A cell value as JSON: NA to null, numpy scalars to Python, times to ISO 8601."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        return jsonable(value.item())
    return value


def content(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row's reviewable content: what a delete snapshots and an add compares."""
    return {name: jsonable(row.get(name)) for name in editable_fields(table)}


def dump_json(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def unencodable_key(values: Mapping[str, Any]) -> str | None:
    """The first key whose value holds a string UTF-8 cannot encode (a lone surrogate from a JSON escape):
    SQLite, Parquet and the app's pages would all refuse it."""

    def bad(value: Any) -> bool:
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
            return False
        if isinstance(value, dict):
            return any(bad(k) or bad(v) for k, v in value.items())
        if isinstance(value, list):
            return any(bad(v) for v in value)
        return False

    return next((str(key) for key, value in values.items() if bad(value)), None)


def safe_text(value: Any) -> str:
    return str(value).encode("utf-8", errors="replace").decode("utf-8")


def safe_json(text: Any) -> JsonValue:
    """A stored value for display: its JSON when it parses to encodable JSON, else the text itself."""
    if text is None:
        return None
    try:
        value = parse_json(text) if isinstance(text, str) else text
    except ValueError:
        return safe_text(text)
    return value if unencodable_key({"value": value}) is None else safe_text(text)


def validated_row(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    try:
        valid = TABLE_MODELS[table].model_validate(dict(row)).model_dump()
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in exc.errors())
        raise InvalidCorrectionError(f"{table}: {reasons}") from None
    bad = unencodable_key(valid)
    if bad is not None:
        raise InvalidCorrectionError(f"{table}.{bad}: the text is not valid Unicode (a lone surrogate)")
    return valid
