"""Errors raised by the document readers.

One exception type, so the ingestion pipeline can report a bad document and skip it without
catching unrelated bugs; its message is a one-line reason a user can act on.
"""

from __future__ import annotations


class DocumentError(Exception):
    """A document that cannot be read. `str(err)` is a clear one-line reason."""

    def __init__(self, reason: str, source: str | None = None) -> None:
        self.reason = reason.strip().splitlines()[0] if reason.strip() else "unreadable document"
        self.source = source
        super().__init__(self.reason)

    def __str__(self) -> str:
        return self.reason
