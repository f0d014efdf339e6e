"""One settings object, one path root.

Every path and limit comes from here; environment variables prefixed
``PARTNERFLOW_`` (or a ``.env`` file in the root) override the defaults, and
the CLI overrides both for one run.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARTNERFLOW_", env_file=".env", extra="ignore")

    root: Path = Field(default=PROJECT_ROOT, description="Root that relative paths are resolved against.")
    raw_dir: Path = Field(default=Path("raw"), description="Folder of raw documents (read only).")
    out_dir: Path = Field(default=Path("output"), description="Folder of releases and output/current.")
    workers: int = Field(default=2, ge=1, le=64, description="Documents processed at once.")
    review_threshold: float = Field(
        default=0.5, ge=0, le=1, description="Rows below this confidence send their document to needs_review."
    )
    max_file_bytes: int = Field(default=200 * 1024 * 1024, ge=1, description="Larger files fail unread.")
    max_pages: int = Field(default=500, ge=1, description="Documents with more pages fail.")
    doc_timeout_seconds: float = Field(
        default=120.0, gt=0, description="A document still processing after this long is stopped and fails."
    )
    doc_memory_mb: int = Field(
        default=4096, ge=0, description="Address-space limit of a worker process (0: no limit)."
    )
    org_overrides_file: Path = Field(
        default=Path("corrections/organizations.json"),
        description="Reviewers' organisation merges and splits; outside out_dir so they survive regeneration.",
    )
    corrections_db: Path = Field(
        default=Path("corrections/corrections.sqlite"),
        description="Reviewers' corrections ledger (SQLite); outside out_dir so it survives regeneration.",
    )
    keep_releases: int = Field(
        default=10, ge=1, description="Releases kept when pruning; the current one is never deleted."
    )

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else (self.root / path)

    @property
    def raw_path(self) -> Path:
        return self.resolve(self.raw_dir)

    @property
    def out_path(self) -> Path:
        return self.resolve(self.out_dir)
