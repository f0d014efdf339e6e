"""Learned components, built by ``make train`` from the annotated corpora and the documents reviewers
corrected, and versioned with the code (their files are part of the cache fingerprint)."""

from __future__ import annotations

import hashlib
from importlib import resources

MODEL_FILES = ("section_roles.json", "confidence.json")


def read_model(name: str) -> str | None:
    """A shipped model file's text; None before the first ``make train`` wrote it."""
    try:
        return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None


def models_fingerprint() -> str:
    """A hash of the shipped model files: it changes when ``make train`` learned something new."""
    digest = hashlib.sha256()
    root = resources.files(__name__)
    for name in MODEL_FILES:
        path = root.joinpath(name)
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


__all__ = ["MODEL_FILES", "models_fingerprint", "read_model"]
