"""First reads: how each extraction method did on an author's documents before any rule was fitted to them.

A train document's rows are judged with rules that were then written against it, so their
share of right rows overstates what a method does on a steward's next folder. When new
authors' documents arrive they are scored once, on the code that has never seen them, and
the rows and right rows per method are kept here (``tests/corpus/fresh/first_reads.json``).
Training adds these counts to the in-sample ones, so a method that failed on new authors
promises less however well it now does on the documents it was fixed on.

The blind half is never recorded: it is what confidence is measured on.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from extractors.calibration import MethodCounts
from pipeline.evaluation.calibration import method_counts
from pipeline.settings import PROJECT_ROOT

FIRST_READS_PATH = PROJECT_ROOT / "tests" / "corpus" / "fresh" / "first_reads.json"


class FirstRead(BaseModel):
    """One batch of new authors' documents, scored once on the code at ``commit``."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="which documents, e.g. 'a39-a41'")
    commit: str = Field(description="the code they were scored on, before anyone read them")
    documents: int = Field(ge=1)
    methods: dict[str, MethodCounts]


def tally_methods(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> dict[str, MethodCounts]:
    """Rows and right rows per method over the documents both sides hold."""
    return method_counts(
        (expected, predicted[stem], 1.0) for stem, expected in gold.items() if stem in predicted
    )


def load_first_reads(path: Path = FIRST_READS_PATH) -> list[FirstRead]:
    if not path.is_file():
        return []
    return [FirstRead.model_validate(entry) for entry in json.loads(path.read_text(encoding="utf-8"))]


def save_first_read(read: FirstRead, path: Path = FIRST_READS_PATH) -> list[FirstRead]:
    """Add ``read`` to the file, replacing an earlier read of the same label; returns them all."""
    reads = [r for r in load_first_reads(path) if r.label != read.label] + [read]
    reads.sort(key=lambda r: r.label)
    path.write_text(
        json.dumps([_whole_counts(r.model_dump()) for r in reads], indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    return reads


def _whole_counts(read: dict[str, Any]) -> dict[str, Any]:
    """A first read counts whole rows: write them as integers, so that adding a read leaves the
    lines of the earlier ones unchanged."""
    for tally in read["methods"].values():
        for key in ("rows", "right"):
            if float(tally[key]).is_integer():
                tally[key] = int(tally[key])
    return read


def summed_counts(reads: Sequence[FirstRead]) -> dict[str, MethodCounts]:
    """Every read's rows and right rows per method, added up."""
    rows: dict[str, float] = defaultdict(float)
    right: dict[str, float] = defaultdict(float)
    for read in reads:
        for method, tally in read.methods.items():
            rows[method] += tally.rows
            right[method] += tally.right
    return {m: MethodCounts(rows=rows[m], right=right[m]) for m in sorted(rows)}


__all__ = [
    "FIRST_READS_PATH",
    "FirstRead",
    "load_first_reads",
    "save_first_read",
    "summed_counts",
    "tally_methods",
]
