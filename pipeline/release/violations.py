"""What validation found: each violation of the contract with the repair it calls for, and the report of
a table set's violations."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning"]
Action = Literal["none", "drop_row", "null_value", "replace_value"]


class Violation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str
    row: int | None = Field(default=None, description="Position of the row in the validated frame.")
    row_id: str | None = None
    doc_id: str | None = None
    column: str | None = None
    rule: str
    message: str
    severity: Severity = "error"
    action: Action = "none"
    replacement: str | None = Field(default=None, description="The value replace_value writes.")


class ValidationReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    violations: list[Violation] = Field(default_factory=list)
    row_counts: dict[str, int] = Field(default_factory=dict, description="Rows per table as validated.")

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "warning"]

    @property
    def blocking(self) -> list[Violation]:
        """Errors that ``apply_validation`` cannot repair."""
        return [v for v in self.errors if v.action == "none"]

    @property
    def dropped(self) -> list[Violation]:
        """One violation per row that ``apply_validation`` drops."""
        seen: set[tuple[str, int | None]] = set()
        out = []
        for v in self.violations:
            if v.action == "drop_row" and (v.table, v.row) not in seen:
                seen.add((v.table, v.row))
                out.append(v)
        return out

    def by_rule(self) -> dict[str, int]:
        return dict(sorted(Counter(v.rule for v in self.violations).items()))

    def summary(self) -> str:
        if not self.violations:
            return "no violations"
        counts = ", ".join(f"{rule} {n}" for rule, n in self.by_rule().items())
        return f"{len(self.errors)} error(s), {len(self.warnings)} warning(s): {counts}"
