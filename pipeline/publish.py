"""Write a release of the dataset and make it ``current`` in one atomic step (``docs/DATASET.md``).

A release is a folder ``releases/<release_id>/`` holding every table as Parquet
and CSV, ``schema.json`` (the data dictionary, generated from the record models)
and ``manifest.json`` (counts, checksums, provenance). It is written under a
``.tmp-`` name and renamed only once complete, and ``current`` is a symlink
swapped with ``os.replace``, so a reader sees either the old release or the new
one, never a mix or a half-written table.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import types
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ValidationError

from extractors.errors import PartnerflowError
from schemas.records import SCHEMA_VERSION, TABLE_MODELS, Record

RELEASES = "releases"
CURRENT = "current"
TMP_PREFIX = ".tmp-"
MANIFEST = "manifest.json"
SCHEMA = "schema.json"

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
# Extra files (a quality report) sit beside the tables: a plain name, no folders, no hidden files.
_EXTRA_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
# An extra file's content, or a function of the release id giving it (the id is only known here).
ExtraFile = bytes | Callable[[str], bytes]


class PublishError(PartnerflowError):
    """A release cannot be written or made current; the message names the table, column or path."""


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


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise_csv_cell(value)
    return str(value)


def _write_csv(data: pa.Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(data.column_names)
        # Batch by batch, so a large table is never held as Python objects all at once.
        for batch in data.to_batches():
            for row in batch.to_pylist():
                writer.writerow([_csv_cell(row[name]) for name in data.column_names])
        _sync(fh)


def _write_parquet(data: pa.Table, path: Path) -> None:
    with path.open("wb") as fh:
        pq.write_table(data, fh)
        _sync(fh)


def _write_bytes(data: bytes, path: Path) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        _sync(fh)


def _write_json(payload: Any, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
        _sync(fh)


# --- releases -----------------------------------------------------------------------------------


def publish_release(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    *,
    raw_dir: Path,
    raw_files: list[dict[str, Any]],
    code_version: str,
    run_id: str | None = None,
    now: datetime | None = None,
    extra_files: Mapping[str, ExtraFile] | None = None,
    inputs: Mapping[str, Any] | None = None,
) -> Path:
    """Write a new release under ``out_dir/releases`` and make it ``out_dir/current``; return its path.

    ``inputs`` (recorded in the manifest) says what the release was built from, so a
    later run can tell that nothing changed (``current_release_built_from``).

    ``extra_files`` (name -> content, e.g. ``quality.html``) are written into the release
    before the manifest, which lists their sha256 like every other file. A content may be
    a function of the release id, for a file that names its release.
    """
    out_dir = Path(out_dir)
    missing = [name for name in TABLE_MODELS if name not in tables]
    if missing:
        raise PublishError(f"tables {missing} are missing; a release has every table of the dataset")
    unknown = [name for name in tables if name not in TABLE_MODELS]
    if unknown:
        raise PublishError(f"tables {unknown} are not in the dataset; add a record model first")
    # Convert everything before touching the disk: a bad table must not leave a partial release.
    arrow_tables = {name: frame_to_arrow(name, tables[name]) for name in TABLE_MODELS}
    extras = _check_extra_files(extra_files or {})

    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise PublishError("the release time must be timezone-aware; release ids are UTC")
    now = now.astimezone(UTC)
    run_id = run_id or uuid.uuid4().hex
    current = out_dir / CURRENT
    _refuse_legacy_current(current)

    releases = out_dir / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    release_id, tmp = _reserve(releases, _release_stem(now, run_id))
    final = releases / release_id
    try:
        digests: dict[str, str] = {}
        for name, data in arrow_tables.items():
            for suffix, write in ((".parquet", _write_parquet), (".csv", _write_csv)):
                path = tmp / f"{name}{suffix}"
                write(data, path)
                digests[path.name] = _sha256(path)
        _write_json(dataset_schema(), tmp / SCHEMA)
        digests[SCHEMA] = _sha256(tmp / SCHEMA)
        for name, content in extras.items():
            data = content(release_id) if callable(content) else content
            if not isinstance(data, bytes):
                raise PublishError(f"extra file {name!r} must be bytes, not {type(data).__name__}")
            _write_bytes(data, tmp / name)
            digests[name] = _sha256(tmp / name)
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "release_id": release_id,
            "created_at": now.isoformat(),
            "code_version": code_version,
            "run_id": run_id,
            "row_counts": {name: data.num_rows for name, data in arrow_tables.items()},
            "files": dict(sorted(digests.items())),
            "raw_corpus": {"root": str(raw_dir), "files": raw_files},
        }
        if inputs is not None:
            manifest["inputs"] = dict(inputs)
        # The manifest goes last: a release folder with a manifest was written to the end.
        _write_json(manifest, tmp / MANIFEST)
        sync_dir(tmp)
        os.rename(tmp, final)
        sync_dir(releases)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError | pa.ArrowException):
            raise PublishError(f"writing release {release_id} in {releases} failed: {exc}") from exc
        raise

    _swap_current(out_dir, release_id)
    return final


def _check_extra_files(extra_files: Mapping[str, ExtraFile]) -> dict[str, ExtraFile]:
    reserved = {f"{name}{suffix}" for name in TABLE_MODELS for suffix in (".parquet", ".csv")}
    reserved |= {SCHEMA, MANIFEST}
    for name, data in extra_files.items():
        if not isinstance(name, str) or not _EXTRA_FILE_NAME.fullmatch(name) or ".." in name:
            raise PublishError(f"extra file name {name!r} is not a plain file name (letters, digits, . _ -)")
        if name in reserved:
            raise PublishError(f"extra file {name!r} would overwrite a file of the release")
        if not isinstance(data, bytes) and not callable(data):
            raise PublishError(f"extra file {name!r} must be bytes, not {type(data).__name__}")
    return dict(sorted(extra_files.items()))


def read_current(out_dir: Path) -> Path | None:
    """The resolved folder of the current release, or None before the first release."""
    current = Path(out_dir) / CURRENT
    return current.resolve() if current.is_dir() else None


def _read_manifest(release: Path) -> dict[str, Any] | None:
    """A release's manifest; None when it is missing or unreadable (the release never finished)."""
    try:
        manifest = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def current_release_built_from(out_dir: Path, fingerprint: str) -> tuple[Path, dict[str, Any]] | None:
    """The current release and its manifest if it was built from inputs with ``fingerprint``
    and every file its manifest lists is there; None otherwise."""
    current = read_current(out_dir)
    manifest = _read_manifest(current) if current is not None else None
    if current is None or manifest is None:
        return None
    inputs = manifest.get("inputs")
    if not isinstance(inputs, dict) or inputs.get("fingerprint") != fingerprint:
        return None
    if not all((current / name).is_file() for name in manifest.get("files", {})):
        return None
    return current, manifest


def list_releases(out_dir: Path) -> list[dict[str, Any]]:
    """Complete releases, newest first: ``id``, ``created_at``, ``row_counts`` and ``path``.

    ``.tmp-`` folders are releases still being written (or abandoned by a crash)
    and folders without a readable manifest never finished; both are left out.
    """
    releases = Path(out_dir) / RELEASES
    if not releases.is_dir():
        return []
    found = []
    for folder in releases.iterdir():
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        manifest = _read_manifest(folder)
        if manifest is None:
            continue
        found.append(
            {
                "id": folder.name,
                "created_at": manifest.get("created_at"),
                "row_counts": manifest.get("row_counts", {}),
                "path": folder,
            }
        )
    # Release ids start with a fixed-width UTC timestamp, so name order is time order.
    return sorted(found, key=lambda r: r["id"], reverse=True)


def _release_stem(now: datetime, run_id: str) -> str:
    suffix = re.sub(r"[^A-Za-z0-9]", "", run_id)[:8] or "run"
    return f"{now:%Y%m%dT%H%M%S%f}Z-{suffix}"


def _reserve(releases: Path, stem: str) -> tuple[str, Path]:
    """Claim a release id no other release (finished or in progress) uses; return it and its tmp folder."""
    for attempt in range(1, 1000):
        # Zero-padded so a counted id still sorts after the uncounted one.
        release_id = stem if attempt == 1 else f"{stem}-{attempt:03d}"
        if (releases / release_id).exists():
            continue
        tmp = releases / f"{TMP_PREFIX}{release_id}"
        try:
            tmp.mkdir()  # atomic: of two publishers picking one id, only one gets it
        except FileExistsError:
            continue
        return release_id, tmp
    raise PublishError(f"no free release id for {stem} in {releases}")


def _refuse_legacy_current(current: Path) -> None:
    if current.exists() and not current.is_symlink():
        raise PublishError(
            f"{current} is a real folder or file, not a link to a release; move it aside "
            "(e.g. into releases/) before publishing, it is not deleted automatically"
        )


def _swap_current(out_dir: Path, release_id: str) -> None:
    current = out_dir / CURRENT
    _refuse_legacy_current(current)
    # A per-release link name, so two publishers never replace each other's half-made link.
    link = out_dir / f".current.tmp-{release_id}"
    try:
        link.unlink(missing_ok=True)
        link.symlink_to(Path(RELEASES) / release_id, target_is_directory=True)
        os.replace(link, current)
        sync_dir(out_dir)
    except OSError as exc:
        link.unlink(missing_ok=True)
        raise PublishError(f"release {release_id} is written but making it current failed: {exc}") from exc


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _sync(fh: Any) -> None:
    fh.flush()
    os.fsync(fh.fileno())


def sync_dir(path: Path) -> None:
    # A rename is durable only once its directory is synced; some platforms cannot open a directory.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
