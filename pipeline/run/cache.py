"""Per-document results cached by content hash and extractor fingerprint.

Stewards re-run ingestion whenever a few files arrive; unchanged documents
are not parsed again. The key is the file's sha256 plus a fingerprint of the
extraction code, rules and the settings that change results, so a changed
extractor invalidates every entry it could affect and nothing else. Entries
are JSON (pydantic), written atomically; a corrupt entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from pydantic import ValidationError

import extractors
import schemas
from pipeline.run.processing import DocumentResult
from pipeline.settings import Settings
from schemas.records import FACT_MODELS, DocumentRecord, PageRecord

_FACT_MODELS = {model.table: model for model in FACT_MODELS}
# The layout of an entry, part of its key (the code fingerprint changes with any code change too):
# 2: fact rows carry the box of their evidence on the page (schema 1.1.0).
CACHE_FORMAT = 2


@lru_cache(maxsize=4)
def code_fingerprint(*packages: ModuleType) -> str:
    """Hash of every source and rules file of ``packages`` (default: extraction and schemas)."""
    digest = hashlib.sha256()
    for package in packages or (extractors, schemas):
        if package.__file__ is None:  # a namespace package has no source of its own
            continue
        root = Path(package.__file__).parent
        digest.update(package.__name__.encode())
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def settings_key(settings: Settings) -> str:
    """The settings that change a document's result (not paths or worker counts)."""
    return f"{settings.review_threshold}|{settings.max_pages}|{settings.max_file_bytes}"


class ResultCache:
    def __init__(self, directory: Path, settings_key: str) -> None:
        self.directory = directory
        entry_key = f"{CACHE_FORMAT}|{code_fingerprint()}|{settings_key}"
        self.key = hashlib.sha256(entry_key.encode()).hexdigest()[:16]

    def _path(self, sha256: str) -> Path:
        return self.directory / self.key / sha256[:2] / f"{sha256}.json"

    def has(self, sha256: str) -> bool:
        """An entry exists (it may still prove unreadable: ``get`` has the last word)."""
        return self._path(sha256).is_file()

    def get(self, sha256: str, source: str) -> DocumentResult | None:
        path = self._path(sha256)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            document = DocumentRecord.model_validate(payload["document"])
            pages = [PageRecord.model_validate(p) for p in payload["pages"]]
            facts = {
                table: [_FACT_MODELS[table].model_validate(row) for row in rows]
                for table, rows in payload["facts"].items()
            }
        except (OSError, ValueError, KeyError, ValidationError):
            return None
        if document.source != source:
            # Same content under another name: the verdict holds, the name is the new one.
            error = document.error
            if error and error.startswith(f"{document.source}:"):
                error = f"{source}:{error[len(document.source) + 1 :]}"
            document = document.model_copy(update={"source": source, "error": error})
        return DocumentResult(
            document=document, pages=pages, facts=facts, warnings=payload.get("warnings", [])
        )

    def put(self, result: DocumentResult) -> None:
        if not result.cacheable:
            return
        path = self._path(result.document.sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "document": result.document.model_dump(mode="json"),
            "pages": [p.model_dump(mode="json") for p in result.pages],
            "facts": {t: [r.model_dump(mode="json") for r in rows] for t, rows in result.facts.items()},
            "warnings": result.warnings,
        }
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
