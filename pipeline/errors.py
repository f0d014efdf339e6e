"""Every error the pipeline raises on purpose, in one tree under ``extractors.errors.PartnerflowError``.

Each error says what went wrong in words a data steward can act on (``reason``), and carries
the file it concerns (``file``) and what to do about it (``hint``) where those apply; ``str()``
of an error is the whole message. ``pipeline.cli`` maps these classes to exit codes in one place.
Documents that cannot be read raise the extractors' own ``DocumentError`` family.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extractors.errors import PartnerflowError

__all__ = [
    "CorrectionsError",
    "FormRefusedError",
    "ImportRejectedError",
    "InvalidCorrectionError",
    "NoExtractionError",
    "OverridesError",
    "PartnerflowError",
    "PipelineError",
    "PublishAfterImportError",
    "PublishError",
    "ReleaseError",
    "ReviewError",
    "RejectedRow",
    "RunLockedError",
    "ServerStartError",
    "StaleValueError",
]


class PipelineError(PartnerflowError):
    """Base of the pipeline's errors: a ``reason`` for people, the ``file`` concerned and a ``hint``.

    The message is the reason, followed by the hint after '; ' when there is one.
    """

    def __init__(self, reason: str, *, file: Path | str | None = None, hint: str | None = None) -> None:
        self.reason = reason
        self.file = Path(file) if file is not None else None
        self.hint = hint
        super().__init__(f"{reason}; {hint}" if hint else reason)


# --- a run ----------------------------------------------------------------------------------------


class RunLockedError(PipelineError):
    """Another run holds the output folder."""


class ServerStartError(PipelineError):
    """The temporary Prefect server did not come up."""


# --- a release ------------------------------------------------------------------------------------


class PublishError(PipelineError):
    """A release cannot be written or made current; the message names the table, column or path."""


class ReleaseError(PipelineError):
    """A published release cannot be found or read; the message names it and the problem."""


class OverridesError(PipelineError):
    """The overrides file cannot be read; the message names the file and the problem."""


# --- reviewers' corrections -----------------------------------------------------------------------


class CorrectionsError(PipelineError):
    """The corrections ledger or the saved extraction cannot be used; the message says which and why."""


class InvalidCorrectionError(CorrectionsError):
    """A proposed correction does not fit the dataset (unknown row, field or a value the model refuses)."""


class StaleValueError(InvalidCorrectionError):
    """The value changed since the reviewer loaded it (another reviewer, or a new run)."""


class NoExtractionError(CorrectionsError):
    """No extraction has been saved in the output folder yet."""


@dataclass(frozen=True)
class RejectedRow:
    """One problem of a corrections CSV: where it is and why the row is refused."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


class PublishAfterImportError(CorrectionsError):
    """Imported corrections were saved to the ledger, but re-publishing them failed (the cause is chained)."""


class ImportRejectedError(CorrectionsError):
    """A corrections CSV has invalid rows; nothing of it was written. ``errors`` lists every row's problem."""

    def __init__(self, path: Path, errors: Sequence[RejectedRow]) -> None:
        self.errors = list(errors)
        shown = "\n".join(f"  {e}" for e in self.errors[:50])
        more = f"\n  ... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__(
            f"{path}: {len(self.errors)} invalid row(s), nothing imported:\n{shown}{more}", file=path
        )


# --- the review app -------------------------------------------------------------------------------


class ReviewError(PipelineError):
    """The review app cannot start as asked (e.g. exposed beyond loopback without a token)."""


class FormRefusedError(ReviewError):
    """A posted form is refused before any correction is made; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        super().__init__(reason)
