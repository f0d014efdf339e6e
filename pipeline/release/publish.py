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
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import PublishError
from pipeline.files import sync_dir, sync_file
from pipeline.tables import dataset_schema, frame_to_arrow, neutralise_csv_cell
from schemas.records import SCHEMA_VERSION, TABLE_MODELS

RELEASES = "releases"
CURRENT = "current"
TMP_PREFIX = ".tmp-"
MANIFEST = "manifest.json"
SCHEMA = "schema.json"

# Extra files (a quality report) sit beside the tables: a plain name, no folders, no hidden files.
_EXTRA_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
# An extra file's content, or a function of the release id giving it (the id is only known here).
ExtraFile = bytes | Callable[[str], bytes]


# --- CSV ----------------------------------------------------------------------------------------


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
        sync_file(fh)


def _write_parquet(data: pa.Table, path: Path) -> None:
    with path.open("wb") as fh:
        pq.write_table(data, fh)
        sync_file(fh)


def _write_bytes(data: bytes, path: Path) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        sync_file(fh)


def _write_json(payload: Any, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
        sync_file(fh)


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
            raise PublishError(
                f"writing release {release_id} in {releases} failed: {exc}", file=releases
            ) from exc
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


def read_manifest(release: Path) -> dict[str, Any] | None:
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
    manifest = read_manifest(current) if current is not None else None
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
        manifest = read_manifest(folder)
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
            f"{current} is a real folder or file, not a link to a release",
            file=current,
            hint="move it aside (e.g. into releases/) before publishing, it is not deleted automatically",
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
        raise PublishError(
            f"release {release_id} is written but making it current failed: {exc}", file=current
        ) from exc


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
