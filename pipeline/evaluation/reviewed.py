"""Reviewed documents as annotations: what reviewers made of a document is its gold.

A document a reviewer touched (added, deleted or edited a row, or accepted it as it
is) has, once the ledger is applied to its extraction, the facts the reviewer
stands behind: accepted rows stay, deleted rows are gone, edits carry the corrected
value and added rows the facts the extraction missed. Training reads these
documents like an annotated corpus (``training.train``), and ``partnerflow eval
--corrections`` measures what that teaches on a held-back half of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.corrections.model import Correction
from pipeline.evaluation.gold import FACT_TABLES, predictions_from_tables
from pipeline.settings import Settings

# Ledger actions that mean a reviewer looked at the document's rows.
_REVIEW_ACTIONS = ("add", "delete", "set", "accept_document")


@dataclass(frozen=True)
class ReviewedDocument:
    doc_id: str
    path: Path  # the raw file, as the reviewer saw it (same sha256)
    reference: dict[str, Any]  # gold-shaped: the extraction with the reviewer's corrections applied

    @property
    def stem(self) -> str:
        """The key predictions of its file are scored under (``corpus.predict_files``)."""
        return str(self.reference["doc"])


def reviewed_doc_ids(ledger: Sequence[Correction]) -> set[str]:
    return {e.doc_id for e in ledger if e.action in _REVIEW_ACTIONS and e.defect is None}


def reviewed_documents(
    corrected: Mapping[str, Any], ledger: Sequence[Correction], raw_dir: Path
) -> list[ReviewedDocument]:
    """The reviewed documents whose raw file is still in ``raw_dir`` unchanged, from ``corrected``
    (the tables with the ledger applied), in doc_id order."""
    wanted = reviewed_doc_ids(ledger)
    documents = corrected["documents"]
    rows = documents[documents["doc_id"].astype(str).isin(wanted)]
    found: list[ReviewedDocument] = []
    for row in rows.sort_values("doc_id").to_dict("records"):
        path = Path(raw_dir) / str(row["source"])
        try:
            data = path.read_bytes()
        except OSError:
            continue  # the file is gone: its corrections cannot teach anything now
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            continue  # changed since it was reviewed
        doc_id = str(row["doc_id"])
        one = {
            name: corrected[name][corrected[name]["doc_id"].astype(str) == doc_id]
            for name in ("documents", *FACT_TABLES)
            if name in corrected
        }
        (reference,) = predictions_from_tables(one).values()
        found.append(ReviewedDocument(doc_id, path, reference))
    return found


def load_reviewed(settings: Settings, out_dir: Path) -> list[ReviewedDocument]:
    """The reviewed documents of ``out_dir``'s saved extraction with the ledger of ``settings``
    applied, read from the raw folder that extraction was made from; empty before any review."""
    from pipeline.corrections.extraction import extraction_info
    from pipeline.corrections.store import open_store
    from pipeline.errors import NoExtractionError
    from pipeline.release.build import working_tables

    if not settings.resolve(settings.corrections_db).exists():
        return []
    ledger = open_store(settings).entries()
    working = working_tables(out_dir, ledger) if ledger else None
    if working is None:
        return []
    try:
        raw = Path(extraction_info(out_dir).raw_dir or settings.raw_path)
    except NoExtractionError:
        raw = settings.raw_path
    return reviewed_documents(working[0], ledger, raw)


def split_held_back(
    documents: Sequence[ReviewedDocument],
) -> tuple[list[ReviewedDocument], list[ReviewedDocument]]:
    """(train, held back): every other document in the order of a hash of its id, so the split
    does not follow file names or review order and stays the same as documents are added."""
    ordered = sorted(documents, key=lambda d: hashlib.sha256(d.doc_id.encode()).hexdigest())
    return ordered[0::2], ordered[1::2]


__all__ = ["ReviewedDocument", "load_reviewed", "reviewed_doc_ids", "reviewed_documents", "split_held_back"]
