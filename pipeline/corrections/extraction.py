"""The saved extraction: each run's tables before corrections, kept in the output folder so a release
can be re-made with the latest ledger without re-extracting."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors import EXTRACTOR_VERSION
from pipeline.errors import CorrectionsError, NoExtractionError
from pipeline.files import sync_dir
from pipeline.tables import frame_to_arrow, records_to_frame, table_columns
from schemas.records import TABLE_MODELS

EXTRACTION_LINK = "extraction"
EXTRACTIONS_DIR = ".extractions"
EXTRACTION_META = "extraction.json"


class ExtractionInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    saved_at: datetime
    code_version: str
    raw_dir: str | None = None
    raw_files: list[dict[str, Any]] = Field(default_factory=list)
    tables: list[str]


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
        raise CorrectionsError(
            f"{link} is a real folder, not a link to a saved extraction", file=link, hint="move it aside"
        )
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
        raise CorrectionsError(f"cannot save the extraction in {store}: {exc}", file=store) from exc
    for old in store.iterdir():
        if old.name != name and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return final


def _extraction_dir(out_dir: Path) -> Path:
    link = Path(out_dir) / EXTRACTION_LINK
    if not (link / EXTRACTION_META).is_file():
        raise NoExtractionError(
            f"no saved extraction in {link}: run `partnerflow run` (it saves the extraction) before publishing",
            file=link,
        )
    return link.resolve()


def extraction_info(out_dir: Path) -> ExtractionInfo:
    folder = _extraction_dir(out_dir)
    try:
        return ExtractionInfo.model_validate_json((folder / EXTRACTION_META).read_bytes())
    except (OSError, ValidationError) as exc:
        raise CorrectionsError(f"the saved extraction {folder} cannot be read: {exc}", file=folder) from exc


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
            raise CorrectionsError(
                f"the saved extraction's table {path} cannot be read: {exc}", file=path
            ) from exc
    return tables


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    # Parquet keeps microseconds; the frames the pipeline builds are nanosecond: same dtypes as records_to_frame.
    for column in table_columns(table):
        if column.name not in frame.columns and column.nullable:
            # Saved before the schema gained the column (the evidence boxes of 1.1.0): it is unknown.
            frame[column.name] = pd.Series([None] * len(frame), dtype=column.pandas_dtype, index=frame.index)
        if column.name in frame.columns and str(frame[column.name].dtype) != column.pandas_dtype:
            frame[column.name] = frame[column.name].astype(column.pandas_dtype)
    return frame
