"""What a run did, for people: documents by status, rows per table, failures, conflicts, duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class RunSummary:
    release: str | None
    documents: int
    by_status: dict[str, int]
    by_type: dict[str, int]
    rows: dict[str, int]
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    violations: int = 0  # validation errors found (and repaired or sent to review) before publishing
    processed: int = 0  # documents parsed and extracted in this run
    reused: int = 0  # unchanged documents whose cached results were reused
    failures: list[str] = field(default_factory=list)
    needs_review: list[str] = field(default_factory=list)
    conflicts: int = 0  # reviewers' corrections that no longer apply cleanly, listed in the review app
    conflict_notes: list[str] = field(default_factory=list)  # each: ledger entry, reason and why
    unchanged: bool = False  # nothing changed since the current release, so no new one was made
    models: str = ""  # what the learned components were trained on
    models_changed: bool = False  # retrained since the previous release: every document re-extracted

    @classmethod
    def of_release(
        cls,
        release: str,
        documents: pd.DataFrame,
        rows: dict[str, int],
        *,
        duplicates: list[tuple[str, str]],
        processed: int,
        reused: int,
        violations: int,
        conflicts: int,
        unchanged: bool = False,
        conflict_notes: list[str] | None = None,
        models: str = "",
        models_changed: bool = False,
    ) -> RunSummary:
        """The summary of a run that published (or kept) ``release``, whose documents table is given."""
        return cls(
            release=release,
            documents=len(documents),
            by_status={str(k): int(v) for k, v in documents["status"].value_counts().sort_index().items()},
            by_type={str(k): int(v) for k, v in documents["doc_type"].value_counts().sort_index().items()},
            rows=rows,
            duplicates=duplicates,
            processed=processed,
            reused=reused,
            failures=[row.error or row.source for row in documents.itertuples() if row.status == "failed"],
            needs_review=[
                f"{row.source}: {row.error}" for row in documents.itertuples() if row.status == "needs_review"
            ],
            violations=violations,
            conflicts=conflicts,
            unchanged=unchanged,
            conflict_notes=conflict_notes or [],
            models=models,
            models_changed=models_changed,
        )

    def to_markdown(self) -> str:
        lines = [
            f"# partnerflow run: release `{self.release}`",
            "",
        ]
        if self.unchanged:
            lines += [
                "Nothing changed since this release (same files, code, settings, corrections and "
                "organisation overrides): no new release was made.",
                "",
            ]
        lines += [
            f"**{self.documents} documents**: "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items())),
            "",
            f"{self.processed} new or changed documents processed, {self.reused} unchanged reused from cache.",
            "",
            "| table | rows |",
            "| --- | ---: |",
            *[f"| {t} | {n} |" for t, n in self.rows.items()],
            "",
            f"Validation errors repaired or sent to review: {self.violations}",
            "",
            f"Corrections in conflict with the new extraction (resolve in `partnerflow review`): {self.conflicts}",
            "",
            "Document types: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_type.items())),
        ]
        if self.models:
            lines += ["", f"Learned models: {self.models}"]
        if self.models_changed:
            lines += [
                "",
                "The learned models were retrained since the previous release (`make train`, which also "
                "learns from reviewers' corrections): this run re-extracted every document with them, so "
                "values may have changed in documents nobody corrected. `partnerflow diff` lists them.",
            ]
        if self.failures:
            lines += ["", "## Failed", *[f"- {f}" for f in self.failures]]
        if self.needs_review:
            lines += ["", "## Needs review", *[f"- {f}" for f in self.needs_review]]
        if self.conflict_notes:
            lines += ["", "## Corrections in conflict (kept in the ledger, not applied)"]
            lines += [f"- {note}" for note in self.conflict_notes[:100]]
            if len(self.conflict_notes) > 100:
                lines.append(f"- ... and {len(self.conflict_notes) - 100} more (see `partnerflow review`)")
        if self.duplicates:
            lines += ["", "## Duplicates (same content, processed once)"]
            lines += [f"- `{dup}` = `{orig}`" for dup, orig in self.duplicates]
        return "\n".join(lines)
