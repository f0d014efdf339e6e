"""Reviewers' corrections: an append-only ledger, re-applied to every fresh extraction.

The dataset is regenerated from the raw documents on every run, so a reviewer's
fix cannot live in the published tables: it would vanish with the next run. It
lives in a SQLite ledger outside the output folder (``settings.corrections_db``)
and is applied to each extraction before publishing. Rows are addressed by their
stable id (``<table>_id``, derived from the fact's identity), which survives
re-extraction.

A correction records what the reviewer saw (``value_before``) as well as what
they wrote (``value_after``), so that when the extraction moves under it (the
row is gone, its value changed, the file changed) the correction is reported as
a ``Conflict`` instead of being applied blindly or dropped. Conflicts stay in the
ledger and are settled by a ``resolve`` entry (keep the reviewer's value, or keep
the extraction), never by editing or deleting the ledger: SQLite triggers refuse
both.

The flow saves each fresh extraction (before corrections) with ``save_extraction``,
so ``publish_with_corrections`` can re-publish after a review without re-extracting.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field, JsonValue, TypeAdapter, ValidationError, model_validator

from extractors import EXTRACTOR_VERSION
from extractors.errors import PartnerflowError
from extractors.normalize import country_code, normalize_email, normalize_phone, parse_date
from pipeline.locking import run_lock
from pipeline.publish import (
    frame_to_arrow,
    neutralise_csv_cell,
    read_current,
    records_to_frame,
    sync_dir,
    table_columns,
)
from pipeline.releases import remove_leftovers
from pipeline.settings import Settings
from schemas.records import FACT_MODELS, MAX_INT64, TABLE_MODELS, FactRecord, with_stable_id
from schemas.types import NonEmptyText, Sha256

Action = Literal["set", "add", "delete", "accept_document", "resolve"]
Decision = Literal["keep_reviewer", "keep_extraction"]
ConflictReason = Literal[
    "document_missing",  # no document with this id or source any more
    "document_changed",  # the file under the same source has other content (another sha256)
    "row_missing",  # the row the correction targets is not extracted any more
    "value_changed",  # the extracted value is neither what the reviewer saw nor what they wrote
    "row_changed",  # a deleted row's values are not what the reviewer saw when deleting it
    "row_exists",  # an added row's id is now extracted, with other values
    "invalid",  # applying it would break the record model (e.g. an email after a schema change)
]

ACTIONS: tuple[str, ...] = ("set", "add", "delete", "accept_document", "resolve")
FACT_TABLES: tuple[str, ...] = tuple(model.table for model in FACT_MODELS)
PROVENANCE: tuple[str, ...] = (
    "doc_id",
    "page",
    "char_start",
    "char_end",
    "method",
    "confidence",
    "corrected",
)
# Columns computed from other rows (organisation resolution); a correction to them would be overwritten.
DERIVED: frozenset[str] = frozenset({"org_id"})
DOCUMENT_FIELDS: tuple[str, ...] = ("title", "acronym", "doc_type", "language")
REVIEWER_METHOD = "reviewer"
EXTRACTION_LINK = "extraction"
EXTRACTIONS_DIR = ".extractions"
EXTRACTION_META = "extraction.json"
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


class CorrectionsError(PartnerflowError):
    """The corrections ledger or the saved extraction cannot be used; the message says which and why."""


class InvalidCorrection(CorrectionsError):
    """A proposed correction does not fit the dataset (unknown row, field or a value the model refuses)."""


class StaleValue(InvalidCorrection):
    """The value changed since the reviewer loaded it (another reviewer, or a new run)."""


class NoExtraction(CorrectionsError):
    """No extraction has been saved in the output folder yet."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


class ImportRejected(CorrectionsError):
    """A corrections CSV has invalid rows; nothing of it was written."""

    def __init__(self, path: Path, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        shown = "\n".join(f"  {e}" for e in self.errors[:50])
        more = f"\n  ... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__(f"{path}: {len(self.errors)} invalid row(s), nothing imported:\n{shown}{more}")


# --- models -------------------------------------------------------------------------------------


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


class Conflict(_Model):
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


class ExtractionInfo(_Model):
    saved_at: datetime
    code_version: str
    raw_dir: str | None = None
    raw_files: list[dict[str, Any]] = Field(default_factory=list)
    tables: list[str]


# --- the dataset's editable surface -------------------------------------------------------------


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
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
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
    (``InvalidCorrection`` naming the field and the reason if refused), JSON-ready."""
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem is not None:
            raise InvalidCorrection(f"{table}.{field}: the value {problem}")
        normaliser = _NORMALISERS.get((table, field))
        if normaliser is not None and value.strip():
            normal, what = normaliser
            normalised = normal(value.strip())
            if normalised is None:
                raise InvalidCorrection(f"{table}.{field}: {value!r} is not {what}")
            value = normalised
    try:
        typed = _field_adapter(table, field).validate_python(value)
    except ValidationError as exc:
        reasons = "; ".join(err["msg"] for err in exc.errors())
        raise InvalidCorrection(f"{table}.{field}: {value!r} is not allowed ({reasons})") from None
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


# --- the ledger ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


_APPEND_ONLY = "the corrections ledger is append-only: entries are never {}; append a new correction instead"
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "ledger",
        (
            """
            CREATE TABLE corrections (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                doc_id TEXT NOT NULL CHECK (doc_id <> ''),
                doc_sha256 TEXT NOT NULL,
                source TEXT,
                table_name TEXT NOT NULL,
                row_id TEXT,
                field TEXT,
                value_before TEXT,
                value_after TEXT,
                action TEXT NOT NULL
                    CHECK (action IN ('set', 'add', 'delete', 'accept_document', 'resolve')),
                reviewer TEXT NOT NULL CHECK (reviewer <> ''),
                created_at TEXT NOT NULL,
                note TEXT,
                resolves INTEGER REFERENCES corrections (id),
                decision TEXT CHECK (decision IS NULL OR decision IN ('keep_reviewer', 'keep_extraction'))
            )
            """,
            f"""
            CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
            BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY.format("updated")}'); END
            """,
            f"""
            CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
            BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY.format("deleted")}'); END
            """,
        ),
    ),
    Migration(
        2,
        "indexes",
        (
            "CREATE INDEX corrections_row ON corrections (table_name, row_id)",
            "CREATE INDEX corrections_doc ON corrections (doc_id)",
        ),
    ),
)

_COLUMNS = (
    "doc_id",
    "doc_sha256",
    "source",
    "table_name",
    "row_id",
    "field",
    "value_before",
    "value_after",
    "action",
    "reviewer",
    "created_at",
    "note",
    "resolves",
    "decision",
)


class CorrectionStore:
    """The SQLite ledger. Each ``append`` is one transaction: all of its entries are written, or none."""

    def __init__(self, path: Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._timeout = timeout
        self._write_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorrectionsError(
                f"cannot create the folder of the corrections ledger {self.path}: {exc}"
            ) from exc
        with self._connect() as conn:
            self.applied_migrations = migrate(conn)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT), never implicit.
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise CorrectionsError(f"cannot open the corrections ledger {self.path}: {exc}") from exc
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise CorrectionsError(f"{self.path}: SQLite refused WAL mode (got {mode!r})")
            # FULL: a commit is on disk (WAL fsynced) before append returns, so an acknowledged
            # correction survives a crash or power loss right after.
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            yield conn
        except sqlite3.Error as exc:
            raise CorrectionsError(f"corrections ledger {self.path}: {exc}") from exc
        finally:
            conn.close()

    def append(self, entries: Sequence[NewCorrection], *, now: datetime | None = None) -> list[Correction]:
        """Write ``entries`` in one transaction and return them with their ids and time."""
        if not entries:
            return []
        stamp = (now or datetime.now(UTC)).astimezone(UTC)
        written: list[Correction] = []
        with self._write_lock, self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for entry in entries:
                    row = _to_row(entry, stamp)
                    cursor = conn.execute(
                        f"INSERT INTO corrections ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                        [row[name] for name in _COLUMNS],
                    )
                    written.append(
                        Correction(**entry.model_dump(), id=int(cursor.lastrowid or 0), created_at=stamp)
                    )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return written

    def entries(self) -> list[Correction]:
        """Every entry, oldest first."""
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM corrections ORDER BY id").fetchall()
        return [_from_row(dict(row)) for row in rows]

    def version(self) -> tuple[int, int]:
        """(entries, last id): changes whenever anything is appended; cheap to poll."""
        with self._connect() as conn:
            count, last = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM corrections").fetchone()
        return int(count), int(last)

    def integrity_check(self) -> str:
        with self._connect() as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations ``conn``'s database lacks, each in its own transaction; return their versions."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    newest = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    if newest is not None and newest > MIGRATIONS[-1].version:
        raise CorrectionsError(
            f"the corrections ledger is at schema version {newest}, newer than this code "
            f"({MIGRATIONS[-1].version}); update partnerflow before using it"
        )
    applied: list[int] = []
    for migration in MIGRATIONS:
        # IMMEDIATE takes the write lock first, so two processes cannot both apply one migration.
        conn.execute("BEGIN IMMEDIATE")
        try:
            done = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            ).fetchone()
            if not done:
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, datetime.now(UTC).isoformat()),
                )
                applied.append(migration.version)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return applied


def _dump(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _to_row(entry: NewCorrection, stamp: datetime) -> dict[str, Any]:
    data = entry.model_dump()
    data["table_name"] = data.pop("table")
    data["created_at"] = stamp.isoformat()
    # NULL for "no value" (add has nothing before), JSON text otherwise ("null" is a null cell).
    data["value_before"] = None if entry.action == "add" else _dump(entry.value_before)
    data["value_after"] = None if entry.action == "delete" else _dump(entry.value_after)
    return data


def _from_row(row: dict[str, Any]) -> Correction:
    """The entry of a database row; an entry this code cannot use comes back with its ``defect`` said,
    never as an exception: one bad row must not make the whole ledger unreadable."""
    raw = dict(row)
    try:
        row["table"] = row.pop("table_name")
        for name in ("value_before", "value_after"):
            row[name] = None if row[name] is None else parse_json(row[name])
        row["created_at"] = datetime.fromisoformat(row["created_at"])
        bad_text = _unencodable(row)
        if bad_text is not None:
            raise ValueError(f"{bad_text} holds text that is not valid Unicode")
        return Correction.model_validate(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "entry"
        return _defective(raw, f"{where}: {first['msg']}")
    except (ValueError, TypeError) as exc:
        return _defective(raw, str(exc))


def _unencodable(values: Mapping[str, Any]) -> str | None:
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


def _safe_text(value: Any) -> str:
    return str(value).encode("utf-8", errors="replace").decode("utf-8")


def _safe_json(text: Any) -> JsonValue:
    """A stored value for display: its JSON when it parses to encodable JSON, else the text itself."""
    if text is None:
        return None
    try:
        value = parse_json(text) if isinstance(text, str) else text
    except ValueError:
        return _safe_text(text)
    return value if _unencodable({"value": value}) is None else _safe_text(text)


def _defective(raw: Mapping[str, Any], reason: str) -> Correction:
    """An unusable database row as an entry (never validated: it is shown and resolved, not applied)."""
    try:
        created = datetime.fromisoformat(str(raw.get("created_at")))
    except ValueError:
        created = datetime.fromtimestamp(0, UTC)
    action = raw.get("action")
    optional = {
        name: None if raw.get(name) is None else _safe_text(raw[name])
        for name in ("source", "row_id", "field", "note")
    }
    return Correction.model_construct(
        id=int(raw["id"]),
        created_at=created,
        action=action if action in ACTIONS else "set",
        doc_id=_safe_text(raw.get("doc_id") or "?"),
        doc_sha256=_safe_text(raw.get("doc_sha256") or ""),
        table=_safe_text(raw.get("table_name") or "?"),
        value_before=_safe_json(raw.get("value_before")),
        value_after=_safe_json(raw.get("value_after")),
        reviewer=_safe_text(raw.get("reviewer") or "?"),
        resolves=raw.get("resolves") if isinstance(raw.get("resolves"), int) else None,
        decision=raw.get("decision") if raw.get("decision") in ("keep_reviewer", "keep_extraction") else None,
        defect=_safe_text(reason),
        **optional,
    )


def open_store(settings: Settings) -> CorrectionStore:
    return CorrectionStore(settings.resolve(settings.corrections_db))


# --- proposing corrections (the review app and the CSV import) ----------------------------------


def _row(tables: Mapping[str, pd.DataFrame], table: str, row_id: str) -> dict[str, Any]:
    frame = tables[table]
    found = frame[frame[id_column(table)] == row_id].to_dict("records")
    if not found:
        raise InvalidCorrection(f"there is no row {row_id!r} in {table}")
    return found[0]


def _document(tables: Mapping[str, pd.DataFrame], doc_id: str) -> dict[str, Any]:
    try:
        return _row(tables, "documents", doc_id)
    except InvalidCorrection:
        raise InvalidCorrection(f"there is no document {doc_id!r}") from None


def _validated(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    try:
        valid = TABLE_MODELS[table].model_validate(dict(row)).model_dump()
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in exc.errors())
        raise InvalidCorrection(f"{table}: {reasons}") from None
    bad = _unencodable(valid)
    if bad is not None:
        raise InvalidCorrection(f"{table}.{bad}: the text is not valid Unicode (a lone surrogate)")
    return valid


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
    ``StaleValue`` is raised instead of overwriting a change they never saw.
    """
    if field not in editable_fields(table):
        raise InvalidCorrection(
            f"{table}.{field} cannot be edited; editable: {', '.join(editable_fields(table))}"
        )
    row = _row(tables, table, row_id)
    before = jsonable(row[field])
    if expected_before is not ... and jsonable(expected_before) != before:
        raise StaleValue(
            f"{table}.{field} of {row_id} is now {before!r}, not {expected_before!r}: it changed since the "
            "page was loaded; reload and check before editing"
        )
    after = coerce_value(table, field, value)
    _validated(table, {**row, field: after})
    if after == before:
        raise InvalidCorrection(f"{table}.{field} already holds {after!r}")
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
) -> dict[str, Any]:
    """A reviewer's row of ``table``, validated, with its stable id and reviewer provenance (JSON-ready)."""
    if table not in FACT_TABLES:
        raise InvalidCorrection(f"rows can be added to {', '.join(FACT_TABLES)}, not {table!r}")
    unknown = sorted(set(values) - set(editable_fields(table)))
    if unknown:
        raise InvalidCorrection(f"{table} has no editable field(s) {unknown}")
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
        "method": REVIEWER_METHOD,
        "confidence": 1.0,
        "corrected": True,
    }
    model = TABLE_MODELS[table]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in exc.errors())
        raise InvalidCorrection(f"new {table} row: {reasons}") from None
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
    note: str | None = None,
) -> NewCorrection:
    """An ``add`` of a row the extraction missed; its id comes from the reviewer's values."""
    doc = _document(tables, doc_id)
    row = new_row(table, doc_id, values, page=page, char_start=char_start, char_end=char_end)
    row_id = row[id_column(table)]
    frame = tables[table]
    if (frame[id_column(table)] == row_id).any():
        raise InvalidCorrection(f"{table} already has this row ({row_id}); edit it instead")
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
        raise InvalidCorrection(f"rows can be deleted from {', '.join(FACT_TABLES)}, not {table!r}")
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
        raise InvalidCorrection("a failed document has no rows to accept; fix the file and run again")
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
        raise InvalidCorrection(
            f"the reviewer's {conflict.action} cannot be re-applied ({conflict.reason}); keep the extraction "
            "and correct the current rows instead"
        )
    documents = tables["documents"]
    found = documents[documents["doc_id"] == conflict.doc_id]
    # A document that is gone can only be settled with keep_extraction; it keeps the sha last seen.
    doc_sha = str(found.iloc[0]["sha256"]) if not found.empty else conflict.doc_sha256
    before, after = (conflict.current, conflict.after) if decision == "keep_reviewer" else (None, None)
    # An unusable entry (see Correction.defect) may name no table of the dataset or hold no valid hash;
    # its resolve only needs to point at it, so it names a valid table and hash instead.
    table = conflict.table if conflict.table in TABLE_MODELS else "documents"
    if not _SHA256.fullmatch(doc_sha):
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


# --- applying the ledger ------------------------------------------------------------------------


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
    while entry.action == "resolve" and entry.resolves in by_id and entry.resolves not in seen:
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
    return value if _unencodable({"value": value}) is None else _safe_json(json.dumps(value))


def _mark(table: str, row: dict[str, Any]) -> None:
    if table in FACT_TABLES:
        row["corrected"] = True
        row["method"] = REVIEWER_METHOD


def _apply_add(entry: Correction, rows: _Rows, conflict: Callable[..., None]) -> None:
    assert isinstance(entry.value_after, dict)
    try:
        row = _validated(entry.table, entry.value_after)
    except InvalidCorrection as exc:
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
            _validated(entry.table, {**row, field: entry.value_after})
        except InvalidCorrection as exc:
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


# --- the saved extraction and re-publishing -----------------------------------------------------


def save_extraction(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    *,
    raw_dir: Path | None = None,
    raw_files: Sequence[Mapping[str, Any]] = (),
    code_version: str = EXTRACTOR_VERSION,
) -> Path:
    """Keep the extraction's tables (before corrections) as ``out_dir/extraction/``; return its folder.

    Written to a fresh folder and then made current by swapping the ``extraction``
    symlink (like releases), so a crash leaves the previous extraction, never half of one.
    """
    out_dir = Path(out_dir)
    unknown = sorted(set(tables) - set(TABLE_MODELS))
    if unknown:
        raise CorrectionsError(f"tables {unknown} are not in the dataset")
    link = out_dir / EXTRACTION_LINK
    if link.exists() and not link.is_symlink():
        raise CorrectionsError(f"{link} is a real folder, not a link to a saved extraction; move it aside")
    store = out_dir / EXTRACTIONS_DIR
    now = datetime.now(UTC)
    name = f"{now:%Y%m%dT%H%M%S%f}Z-{uuid.uuid4().hex[:8]}"
    tmp = store / f".tmp-{name}"
    # Convert first: a table that breaks the contract must not leave a half-written folder.
    arrow = {table: frame_to_arrow(table, frame) for table, frame in tables.items()}
    try:
        tmp.mkdir(parents=True)
        for table, data in arrow.items():
            with (tmp / f"{table}.parquet").open("wb") as fh:
                pq.write_table(data, fh)
                fh.flush()
                os.fsync(fh.fileno())
        info = ExtractionInfo(
            saved_at=now,
            code_version=code_version,
            raw_dir=str(raw_dir) if raw_dir is not None else None,
            raw_files=[dict(f) for f in raw_files],
            tables=sorted(arrow),
        )
        with (tmp / EXTRACTION_META).open("w", encoding="utf-8") as fh:
            fh.write(info.model_dump_json(indent=2) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        sync_dir(tmp)
        final = store / name
        os.rename(tmp, final)
        sync_dir(store)
        staged = out_dir / f".{EXTRACTION_LINK}.tmp-{name}"
        staged.symlink_to(Path(EXTRACTIONS_DIR) / name, target_is_directory=True)
        os.replace(staged, link)
        sync_dir(out_dir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise CorrectionsError(f"cannot save the extraction in {store}: {exc}") from exc
    for old in store.iterdir():
        if old.name != name and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return final


def _extraction_dir(out_dir: Path) -> Path:
    link = Path(out_dir) / EXTRACTION_LINK
    if not (link / EXTRACTION_META).is_file():
        raise NoExtraction(
            f"no saved extraction in {link}: run `partnerflow run` (it saves the extraction) before publishing"
        )
    return link.resolve()


def extraction_info(out_dir: Path) -> ExtractionInfo:
    folder = _extraction_dir(out_dir)
    try:
        return ExtractionInfo.model_validate_json((folder / EXTRACTION_META).read_bytes())
    except (OSError, ValidationError) as exc:
        raise CorrectionsError(f"the saved extraction {folder} cannot be read: {exc}") from exc


def load_extraction(out_dir: Path) -> dict[str, pd.DataFrame]:
    """The saved extraction's tables (every table of the dataset; absent ones empty)."""
    folder = _extraction_dir(out_dir)
    tables: dict[str, pd.DataFrame] = {}
    for table in TABLE_MODELS:
        path = folder / f"{table}.parquet"
        try:
            tables[table] = (
                _typed(table, pq.read_table(path).to_pandas())
                if path.exists()
                else records_to_frame(table, [])
            )
        except (OSError, ValueError, TypeError) as exc:
            raise CorrectionsError(f"the saved extraction's table {path} cannot be read: {exc}") from exc
    return tables


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    # Parquet keeps microseconds; the frames the pipeline builds are nanosecond: same dtypes as records_to_frame.
    for column in table_columns(table):
        if column.name in frame.columns and str(frame[column.name].dtype) != column.pandas_dtype:
            frame[column.name] = frame[column.name].astype(column.pandas_dtype)
    return frame


def corrected_tables(
    tables: Mapping[str, pd.DataFrame], settings: Settings
) -> tuple[dict[str, pd.DataFrame], list[Conflict]]:
    """``apply_corrections`` with the ledger of ``settings``: what the flow calls between
    ``save_extraction`` and publishing."""
    return apply_corrections(tables, open_store(settings).entries())


def publish_with_corrections(
    out_dir: Path, settings: Settings, *, wait: bool = True
) -> tuple[Path, list[Conflict]]:
    """Re-publish the saved extraction with the ledger applied; return the release and the conflicts.

    The release is made exactly as a run makes it (validation, organisations, quality
    report: ``pipeline.flows.publish_tables``), only without re-extracting. Holds the
    output's run lock (waits for a running ingest when ``wait``), so it starts from the
    extraction that run saved and applies every correction made so far.
    """
    # Imported here: the flow module imports this one (save_extraction, corrected_tables).
    from pipeline.flows import publish_tables

    out_dir = Path(out_dir)
    with run_lock(out_dir, wait=wait) as locked_at:
        remove_leftovers(out_dir, older_than=locked_at)
        info = extraction_info(out_dir)
        tables, conflicts = corrected_tables(load_extraction(out_dir), settings)
        release, _, _ = publish_tables(
            tables,
            out_dir,
            raw_dir=Path(info.raw_dir) if info.raw_dir else settings.raw_path,
            raw_files=info.raw_files,
            settings=settings,
        )
    return release, conflicts


# --- spreadsheet round trip ---------------------------------------------------------------------


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
        raise CorrectionsError(f"cannot write {path}: {exc}") from exc
    return len(entries)


def _export_cells(entry: Correction) -> dict[str, Any]:
    cells = entry.model_dump()
    cells["created_at"] = entry.created_at.isoformat()
    cells["value_before"] = None if entry.action == "add" else _dump(entry.value_before)
    cells["value_after"] = None if entry.action == "delete" else _dump(entry.value_after)
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
    exported) or plain text. Any invalid row raises ``ImportRejected`` listing every
    problem by line and column, and nothing is written.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            records = [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CorrectionsError(f"cannot read {path}: {exc}") from exc
    if header is None:
        raise ImportRejected(path, [RowError(1, "-", "the file is empty; expected a header row")])
    header = [_csv_in(h).strip() for h in header]
    errors: list[RowError] = []
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        errors.append(
            RowError(1, ", ".join(unknown), f"unknown column(s); columns are {', '.join(CSV_COLUMNS)}")
        )
    for required in ("action", "doc_id", "table"):
        if required not in header:
            errors.append(RowError(1, required, "missing column"))
    if errors:
        raise ImportRejected(path, errors)

    ledger = {entry.id: entry for entry in store.entries()}
    new: list[NewCorrection] = []
    skipped = 0
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(RowError(line, "-", f"{len(cells)} cells, the header has {len(header)}"))
            continue
        row = {name: _csv_in(cell).strip() for name, cell in zip(header, cells, strict=True)}
        if row.get("id"):
            entry_id = _ledger_id(row["id"])
            known = ledger.get(entry_id) if entry_id is not None else None
            if known is None:
                errors.append(
                    RowError(line, "id", f"no ledger entry {row['id']!r}; leave id empty for a new row")
                )
                continue
            column = _ledger_mismatch(known, row)
            if column is not None:
                errors.append(
                    RowError(
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
            errors.append(RowError(line, exc.column, exc.reason))
    if errors:
        raise ImportRejected(path, errors)
    return ImportResult(added=store.append(new), already_in_ledger=skipped)


_LEDGER_ID = re.compile(r"[0-9]{1,19}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


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
                except InvalidCorrection as exc:
                    raise _CellError(column, str(exc)) from None
    elif action == "add":
        values = _json_cell(row, "value_after")
        if not isinstance(values, dict):
            raise _CellError("value_after", 'add needs the new row as a JSON object, e.g. {"name": "..."}')
        given = {k: v for k, v in values.items() if k in editable_fields(table)}
        spans = {k: values[k] for k in ("page", "char_start", "char_end") if values.get(k) is not None}
        try:
            full = new_row(table, doc_id, given, **spans)
        except (InvalidCorrection, TypeError) as exc:
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


# --- what reviewers work on ---------------------------------------------------------------------


def read_release_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """A published release's tables (absent ones empty)."""
    tables: dict[str, pd.DataFrame] = {}
    for table in TABLE_MODELS:
        path = Path(folder) / f"{table}.parquet"
        tables[table] = pd.read_parquet(path) if path.exists() else records_to_frame(table, [])
    return tables


def working_tables(
    out_dir: Path, ledger: Sequence[Correction]
) -> tuple[dict[str, pd.DataFrame], list[Conflict], bool] | None:
    """The tables corrections are made against: the saved extraction with ``ledger`` applied, its
    conflicts, and True; without a saved extraction, the current release (already corrected), no
    conflicts and False; None before the first release."""
    try:
        tables, conflicts = apply_corrections(load_extraction(out_dir), ledger)
        return tables, conflicts, True
    except NoExtraction:
        pass
    current = read_current(out_dir)
    if current is None:
        return None
    tables, conflicts = apply_corrections(read_release_tables(current), ledger)
    return tables, conflicts, False
