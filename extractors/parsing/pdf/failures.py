"""What an unreadable PDF raises: pdfminer's exceptions as the project's document errors."""

from __future__ import annotations

from typing import Any

from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from extractors.errors import CorruptDocumentError, DocumentError, EncryptedDocumentError


def document_error(exc: BaseException) -> DocumentError:
    """The document error for a pdfminer/pdfplumber failure: encrypted if any cause says so, else corrupt."""
    # pdfminer wraps its errors (in args, causes and contexts): the encryption error may sit deep inside.
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, PDFPasswordIncorrect):
            return EncryptedDocumentError(
                "the PDF is password-protected", hint="ask the sender for a copy without a password"
            )
        if isinstance(current, PDFEncryptionError):
            return EncryptedDocumentError(
                "the PDF is encrypted in a way that cannot be opened",
                hint="ask the sender for an unencrypted copy",
            )
        pending += [a for a in current.args if isinstance(a, BaseException)]
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
    reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
    return CorruptDocumentError(f"the PDF cannot be read: {reason}")


def close_quietly(pdf: Any) -> None:
    # Closing walks the page tree again; on a broken file that fails, and must not hide the real error.
    try:
        pdf.close()
    except Exception:
        stream = getattr(pdf, "stream", None)
        if stream is not None:
            stream.close()
