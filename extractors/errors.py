"""Errors raised by parsing and extraction.

Every error names what went wrong in words a data steward can act on; the
pipeline adds the file name. Third-party exceptions are re-raised as one of
these (``raise ... from exc``) so callers need to know only this hierarchy.
"""

from __future__ import annotations


class PartnerflowError(Exception):
    """Base of every error partnerflow raises on purpose."""


class DocumentError(PartnerflowError):
    """A document cannot be processed; ``reason`` says why, for people."""

    def __init__(self, reason: str, *, hint: str | None = None) -> None:
        self.reason = reason
        self.hint = hint
        super().__init__(f"{reason} ({hint})" if hint else reason)


class UnsupportedFormatError(DocumentError):
    """The content is not a format partnerflow reads."""


class CorruptDocumentError(DocumentError):
    """The file claims a known format but cannot be read."""


class EncryptedDocumentError(DocumentError):
    """The file is password-protected."""


class OcrRequiredError(DocumentError):
    """The document has no text layer; it needs OCR."""


class EmptyDocumentError(DocumentError):
    """The document holds no text."""


class LimitExceededError(DocumentError):
    """The document exceeds a configured limit (size, pages, time)."""


class RulesError(PartnerflowError):
    """A rules data file is malformed; raised when the rules are loaded."""
