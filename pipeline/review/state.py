"""What the review pages show: the saved extraction with the ledger applied, rebuilt whenever the
ledger, the saved extraction or the release moved; and writing corrections, then re-publishing."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.corrections.conflicts import Conflict
from pipeline.corrections.extraction import EXTRACTION_LINK
from pipeline.corrections.model import Correction, NewCorrection
from pipeline.corrections.store import open_store
from pipeline.corrections.values import FACT_TABLES, id_column
from pipeline.errors import NoExtractionError, PartnerflowError, RunLockedError
from pipeline.release.build import publish_with_corrections, read_release_tables, working_tables
from pipeline.release.publish import CURRENT, read_current
from pipeline.settings import Settings
from pipeline.tables import records_to_frame
from schemas.records import TABLE_MODELS


@dataclass
class Snapshot:
    tables: dict[str, pd.DataFrame]
    conflicts: list[Conflict]
    ledger: list[Correction]
    has_extraction: bool
    release: str | None
    published_status: dict[str, str]
    published_ids: dict[str, set[str]]
    signature: tuple[Any, ...] = field(default=())


def _empty_tables() -> dict[str, pd.DataFrame]:
    return {name: records_to_frame(name, []) for name in TABLE_MODELS}


class ReviewState:
    """What the pages show, rebuilt whenever the ledger, the saved extraction or the release moved."""

    def __init__(self, settings: Settings, out_dir: Path) -> None:
        self.settings = settings
        self.out_dir = out_dir
        self.store = open_store(settings)
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._publisher: threading.Thread | None = None
        self.last_publish_error: str | None = None

    def _signature(self) -> tuple[Any, ...]:
        def target(name: str) -> str | None:
            try:
                return os.readlink(self.out_dir / name)
            except OSError:
                return None

        return (target(EXTRACTION_LINK), target(CURRENT), *self.store.version())

    def snapshot(self) -> Snapshot:
        with self._lock:
            signature = self._signature()
            if self._snapshot is None or self._snapshot.signature != signature:
                self._snapshot = self._build(signature)
            return self._snapshot

    def _build(self, signature: tuple[Any, ...]) -> Snapshot:
        current = read_current(self.out_dir)
        ledger = self.store.entries()
        working = working_tables(self.out_dir, ledger)
        tables, conflicts, has_extraction = working if working is not None else (_empty_tables(), [], False)
        status: dict[str, str] = {}
        ids: dict[str, set[str]] = {}
        if current is not None:
            published = read_release_tables(current)
            docs = published["documents"]
            status = dict(zip(docs["doc_id"].astype(str), docs["status"].astype(str), strict=True))
            ids = {t: set(published[t][id_column(t)].astype(str)) for t in FACT_TABLES}
        return Snapshot(
            tables=tables,
            conflicts=conflicts,
            ledger=ledger,
            has_extraction=has_extraction,
            release=current.name if current is not None else None,
            published_status=status,
            published_ids=ids,
            signature=signature,
        )

    def write(self, entries: list[NewCorrection]) -> str:
        """Append to the ledger, then re-publish; the message says what happened, for the reviewer."""
        with self._lock:
            self.store.append(entries)
            self._snapshot = None
            try:
                release, conflicts = publish_with_corrections(self.out_dir, self.settings, wait=False)
            except NoExtractionError:
                return "Saved to the ledger. Not published: this output has no saved extraction yet."
            except RunLockedError:
                self._publish_later()
                return "Saved to the ledger. A run holds the output; the release follows when it ends."
            except PartnerflowError as exc:
                self.last_publish_error = str(exc)
                return f"Saved to the ledger, but publishing failed: {exc}"
            self.last_publish_error = None
            extra = f" {len(conflicts)} conflict(s) to resolve." if conflicts else ""
            return f"Saved and published as release {release.name}.{extra}"

    def _publish_later(self) -> None:
        if self._publisher is not None and self._publisher.is_alive():
            return  # the waiting publisher reads the whole ledger when it gets the lock

        def run() -> None:
            try:
                publish_with_corrections(self.out_dir, self.settings, wait=True)
            except PartnerflowError as exc:
                self.last_publish_error = str(exc)

        self._publisher = threading.Thread(target=run, name="partnerflow-review-publish", daemon=True)
        self._publisher.start()
