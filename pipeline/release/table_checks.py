"""The checks of one table against the contract (``validation``'s module docstring says what each
violation does): structure and dtypes, each cell, each row, unique ids and whatever else the record
model forbids."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, get_args, get_origin

import numpy as np
import pandas as pd
import pycountry
from pydantic import ValidationError

from pipeline.release.violations import Action, Severity, Violation
from pipeline.tables import ColumnSpec, table_columns
from schemas.records import TABLE_MODELS, Record
from schemas.types import CountryCode, Email, IsoPartialDate, PhoneNumber

# Tables whose rows are built by the pipeline itself, not extracted from a document.
ENTITY_TABLES = frozenset({"documents", "organizations", "people"})
# Columns that reference an organisation (see organizations.org_id).
ORG_REFERENCES = {("partners", "org_id"), ("contacts", "org_id"), ("organizations", "parent_org_id")}

_E164 = re.compile(r"\+[1-9]\d{7,14}")
# Stricter than the model's type: no dots at either end of the local part, no empty labels.
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9](-*[a-z0-9])*\.)+[a-z]{2,}"
)
_MAX_VALUE_IN_MESSAGE = 80


def table_issue(table: str, rule: str, message: str, column: str | None = None) -> Violation:
    return Violation(table=table, column=column, rule=rule, message=message)


def plain_value(value: Any) -> Any:
    """A pandas/numpy cell as a plain Python value, with every kind of missing as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_VALUE_IN_MESSAGE else text[: _MAX_VALUE_IN_MESSAGE - 3] + "..."


def _constraints(model: type[Record], column: str) -> list[Any]:
    field = model.model_fields[column]
    found = list(field.metadata)
    for arg in (field.annotation, *get_args(field.annotation)):
        if get_origin(arg) is Annotated:
            found.extend(get_args(arg)[1:])
    return found


# The semantic checks follow the schema's types, so a new column typed CountryCode is checked too.
_SEMANTIC_TYPES = {
    "iso_date": get_args(IsoPartialDate)[1:],
    "country": get_args(CountryCode)[1:],
    "email": get_args(Email)[1:],
    "phone": get_args(PhoneNumber)[1:],
}


def _semantic(model: type[Record], column: str) -> str | None:
    if column == "confidence":
        return "confidence"
    constraints = _constraints(model, column)
    for kind, markers in _SEMANTIC_TYPES.items():
        if any(marker in constraints for marker in markers):
            return kind
    return None


class TableCheck:
    def __init__(
        self, table: str, frame: pd.DataFrame, doc_ids: set[str] | None, org_ids: set[str] | None
    ) -> None:
        self.table = table
        self.frame = frame
        self.model = TABLE_MODELS[table]
        self.specs = {c.name: c for c in table_columns(table)}
        # Per column, not per cell: reading the schema's type markers is most of the cost of a check.
        self.kinds = {name: _semantic(self.model, name) for name in self.specs}
        self.doc_ids = doc_ids
        self.org_ids = org_ids
        self.found: list[Violation] = []
        self.flagged: set[tuple[int, str | None]] = set()  # (row, column) already reported
        self.entity = table in ENTITY_TABLES
        self.id_column = self.model.id_field
        self.rows: list[dict[str, Any]] = []

    def run(self) -> list[Violation]:
        usable = self._structure()
        self.rows = [
            {c: plain_value(v) for c, v in row.items()}
            for row in self.frame[[c for c in self.frame.columns if c in usable]].to_dict("records")
        ]
        for pos, row in enumerate(self.rows):
            for column in usable:
                self._cell(pos, row, column)
            self._row(pos, row, usable)
        self._unique_ids(usable)
        if usable == set(self.specs):
            self._model_rules()
        return self.found

    # structure: columns and dtypes --------------------------------------------------------------

    def _structure(self) -> set[str]:
        """Report column and dtype problems; return the columns whose values can be checked."""
        columns = [str(c) for c in self.frame.columns]
        duplicated = sorted({c for c in columns if columns.count(c) > 1})
        if duplicated:
            self.found.append(table_issue(self.table, "column_duplicate", f"columns {duplicated} repeat"))
            return set()
        for name in self.specs:
            if name not in columns:
                self.found.append(
                    table_issue(self.table, "column_missing", f"column {name!r} is missing", name)
                )
        for name in columns:
            if name not in self.specs:
                self.found.append(
                    table_issue(
                        self.table,
                        "column_unknown",
                        f"column {name!r} is not in the {self.table} model",
                        name,
                    )
                )
        usable = set()
        for name, spec in self.specs.items():
            if name not in columns:
                continue
            problem = _dtype_problem(spec, self.frame[name])
            if problem:
                self.found.append(table_issue(self.table, "dtype", f"column {name!r} {problem}", name))
            else:
                usable.add(name)
        return usable

    # cells ---------------------------------------------------------------------------------------

    def _add(
        self,
        pos: int,
        row: Mapping[str, Any],
        column: str | None,
        rule: str,
        message: str,
        *,
        severity: Severity = "error",
        action: Action | None = None,
        replacement: str | None = None,
    ) -> None:
        if action is None:
            action = self._repair(column) if severity == "error" else "none"
        row_id = row.get(self.id_column)
        doc_id = row.get("doc_id")
        self.found.append(
            Violation(
                table=self.table,
                row=pos,
                row_id=str(row_id) if row_id is not None else None,
                doc_id=str(doc_id) if doc_id is not None else None,
                column=column,
                rule=rule,
                message=f"{self.table}.{column or '*'}: {message}",
                severity=severity,
                action=action,
                replacement=replacement,
            )
        )
        self.flagged.add((pos, column))
        if action == "drop_row" or column is None:
            self.flagged.add((pos, None))

    def _repair(self, column: str | None) -> Action:
        nullable = column is not None and column in self.specs and self.specs[column].nullable
        if nullable:
            return "null_value"
        return "none" if self.entity else "drop_row"

    def _cell(self, pos: int, row: Mapping[str, Any], column: str) -> None:
        spec = self.specs[column]
        value = row.get(column)
        if value is None:
            if not spec.nullable:
                self._add(pos, row, column, "not_null", "is empty but the contract requires a value")
            return
        if spec.values is not None and str(value) not in spec.values:
            self._add(pos, row, column, "vocabulary", f"{_shown(value)} is not one of {list(spec.values)}")
            return
        kind = self.kinds[column]
        if kind == "iso_date":
            if not _iso_partial_date(value):
                self._add(
                    pos,
                    row,
                    column,
                    "iso_date",
                    f"{_shown(value)} is not an ISO 8601 date (2002, 2002-10, 2002-10-28)",
                )
        elif kind == "country":
            if (
                not isinstance(value, str)
                or re.fullmatch("[A-Z]{2}", value) is None
                or pycountry.countries.get(alpha_2=value) is None
            ):
                self._add(pos, row, column, "country", f"{_shown(value)} is not an ISO 3166-1 alpha-2 code")
        elif kind == "email":
            self._email(pos, row, column, value)
        elif kind == "phone":
            self._phone(pos, row, column, value)
        elif kind == "confidence" and (
            not isinstance(value, int | float) or isinstance(value, bool) or not 0.0 <= value <= 1.0
        ):
            self._add(pos, row, column, "confidence", f"{_shown(value)} is not within 0-1")
        if (
            (self.table, column) in ORG_REFERENCES
            and self.org_ids is not None
            and str(value) not in self.org_ids
        ):
            self._add(pos, row, column, "orphan_org", f"{_shown(value)} is not an org_id of organizations")
        if column in getattr(self.model, "json_list_fields", ()):
            self._json_list(pos, row, column, value)

    def _email(self, pos: int, row: Mapping[str, Any], column: str, value: Any) -> None:
        text = str(value)
        if _EMAIL.fullmatch(text.lower()) is None or len(text) > 254:
            self._add(pos, row, column, "email", f"{_shown(value)} is not a valid email address")
        elif text != text.lower():
            self._add(
                pos,
                row,
                column,
                "email",
                f"{_shown(value)} is not lower case",
                action="replace_value",
                replacement=text.lower(),
            )

    def _phone(self, pos: int, row: Mapping[str, Any], column: str, value: Any) -> None:
        text = str(value)
        if text.startswith("+"):
            if _E164.fullmatch(text) is None:
                self._add(pos, row, column, "phone", f"{_shown(value)} is not E.164 ('+' and 8-15 digits)")
        else:
            self._add(
                pos,
                row,
                column,
                "phone_not_e164",
                f"{_shown(value)} has no country code; kept as printed",
                severity="warning",
            )

    def _json_list(self, pos: int, row: Mapping[str, Any], column: str, value: Any) -> None:
        try:
            items = json.loads(str(value))
        except ValueError:
            items = None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            self._add(pos, row, column, "json_list", f"{_shown(value)} is not a JSON array of strings")
            return
        if (self.table, column) == ("people", "organizations") and self.org_ids is not None:
            unknown = [i for i in items if i not in self.org_ids]
            if unknown:
                self._add(
                    pos, row, column, "orphan_org", f"{_shown(unknown)} are not org_ids of organizations"
                )

    # rows ----------------------------------------------------------------------------------------

    def _row(self, pos: int, row: Mapping[str, Any], usable: set[str]) -> None:
        doc_id = row.get("doc_id")
        if (
            self.table != "documents"
            and "doc_id" in usable
            and self.doc_ids is not None
            and doc_id is not None
        ) and str(doc_id) not in self.doc_ids:
            self._add(
                pos,
                row,
                "doc_id",
                "orphan_doc",
                f"{_shown(doc_id)} is not in documents",
                action="drop_row",
            )
        if {"char_start", "char_end"} <= usable:
            start, end = row.get("char_start"), row.get("char_end")
            if isinstance(start, int) and isinstance(end, int) and not 0 <= start <= end:
                self._add(
                    pos, row, None, "span", f"char_start {start} / char_end {end} is not an ordered span"
                )
        if {"start", "end"} <= usable and self.table in ("dates", "events"):
            start, end = row.get("start"), row.get("end")
            if (
                isinstance(start, str)
                and isinstance(end, str)
                and _iso_partial_date(start)
                and _iso_partial_date(end)
                and end[: len(start)] < start[: len(end)]
            ):
                self._add(pos, row, None, "date_order", f"ends ({end}) before it starts ({start})")

    def _unique_ids(self, usable: set[str]) -> None:
        if self.id_column not in usable:
            return
        seen: dict[str, int] = {}
        for pos, row in enumerate(self.rows):
            value = row.get(self.id_column)
            if value is None:
                continue  # reported as not_null
            if str(value).strip() == "":
                self._add(pos, row, self.id_column, "unique_id", "the id is empty", action="drop_row")
            elif str(value) in seen:
                self._add(
                    pos,
                    row,
                    self.id_column,
                    "unique_id",
                    f"{_shown(value)} repeats the id of row {seen[str(value)]}; the first is kept",
                    action="drop_row",
                )
            else:
                seen[str(value)] = pos

    def _model_rules(self) -> None:
        """Whatever else the record model forbids (ranges such as page >= 1, year 1900-2200, types)."""
        fields = list(self.specs)
        for pos, row in enumerate(self.rows):
            try:
                self.model.model_validate({c: row.get(c) for c in fields})
            except ValidationError as exc:
                for error in exc.errors():
                    loc = error.get("loc") or ()
                    column = str(loc[0]) if loc and str(loc[0]) in self.specs else None
                    # A row already dropped or reported as a whole needs no second verdict.
                    already = (pos, column) in self.flagged or (pos, None) in self.flagged
                    if not already:
                        self._add(
                            pos, row, column, "model", f"{error.get('msg')} ({_shown(error.get('input'))})"
                        )


def _iso_partial_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _dtype_problem(spec: ColumnSpec, series: pd.Series) -> str | None:
    dtype = series.dtype
    kind = spec.kind
    values = series.dropna()
    if kind == "string":
        if isinstance(dtype, pd.StringDtype):
            return None
        if pd.api.types.is_object_dtype(dtype) and all(isinstance(v, str) for v in values):
            return None
        return f"should hold text but has dtype {dtype}"
    if kind in ("integer", "number"):
        integral = pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        if integral or (kind == "number" and pd.api.types.is_float_dtype(dtype)):
            return None
        return f"should hold {'integers' if kind == 'integer' else 'numbers'} but has dtype {dtype}"
    if kind == "boolean":
        return None if pd.api.types.is_bool_dtype(dtype) else f"should hold booleans but has dtype {dtype}"
    if kind == "datetime":
        if isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC":
            return None
        if pd.api.types.is_object_dtype(dtype) and all(
            isinstance(v, datetime) and v.utcoffset() is not None for v in values
        ):
            return None
        return f"should hold UTC timestamps but has dtype {dtype}"
    return f"has an unknown kind {kind}"
