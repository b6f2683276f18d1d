"""Mutations: ingest a document through the loaders, delete a document; both need the token.

Queries stay open; mutations require `Authorization: Bearer <KB_API_TOKEN>`. A refusal reads
the same whether the token was missing, wrong, or no token is configured at all (then mutations
are disabled), so it tells a caller nothing about the server's configuration. Tokens are
compared as SHA-256 digests with `hmac.compare_digest`: constant time, whatever their lengths.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets
from enum import Enum

import strawberry
from strawberry.types import Info

from kb.api.errors import ApiError, BadInput, Code, NotFound, Unauthenticated
from kb.api.types import Document, to_node
from kb.model import Label, label_of

REFUSAL = ("Mutations need `Authorization: Bearer <token>` carrying the server's API token "
           "(KB_API_TOKEN); a server started without one has mutations disabled.")
MAX_INGEST_CHARS = 1_000_000
"""Longest `text` ingestDocument takes: extraction runs in the API process, and a million
characters already take it some seconds (`kb load` takes files up to the 20 MB limit)."""
_UNSET_TOKEN = secrets.token_bytes(32)
"""Compared against when no token is configured, so the refusal takes the same time."""


def _digest(value: bytes) -> bytes:
    return hashlib.sha256(value).digest()


def require_token(info: Info) -> None:
    """Raise UNAUTHENTICATED unless the request carries the configured token."""
    expected = info.context.settings.api_token
    request = info.context.request
    header = request.headers.get("authorization", "") if request is not None else ""
    scheme, _, supplied = header.partition(" ")
    wanted = expected.encode() if expected else _UNSET_TOKEN
    same = hmac.compare_digest(_digest(supplied.strip().encode()), _digest(wanted))
    if not (same and expected and scheme.lower() == "bearer"):
        raise Unauthenticated(REFUSAL)


@strawberry.input(description="Metadata that overrides what the reader found in the text.")
class DocumentMetadata:
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    published: dt.date | None = None
    description: str | None = None


@strawberry.enum
class IngestStatus(Enum):
    LOADED = "loaded"
    UNCHANGED = "unchanged"


@strawberry.type(description="What an ingestion wrote.")
class IngestResult:
    status: IngestStatus
    document: Document | None
    nodes_written: int
    edges_written: int
    claims: int
    passages: int


@strawberry.type
class DeleteResult:
    id: strawberry.ID
    deleted: bool = strawberry.field(description="False in a dry run.")
    dry_run: bool
    passages: int = strawberry.field(description="Passages of the document removed with it.")
    claims: int = strawberry.field(description="Claims of the document removed with it.")
    removed_nodes: list[strawberry.ID] = strawberry.field(
        description="Shared nodes (actors, events, ...) only this document supported.")
    updated_nodes: list[strawberry.ID] = strawberry.field(
        description="Shared nodes that keep their other documents' support.")


def _extract(text: str, filename: str) -> object:
    from kb.ingest import extract_bytes

    return extract_bytes(text.encode("utf-8"), filename)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Read and extract a document with the loaders and write "
                         "it in one transaction (reloading the same text changes nothing).")
    async def ingest_document(self, info: Info, text: str, filename: str,
                              metadata: DocumentMetadata | None = None) -> IngestResult:
        require_token(info)
        from kb.ingest import Status, ingest_extraction
        from loaders.errors import DocumentError

        if not text.strip():
            raise BadInput("`text` is empty")
        if len(text) > MAX_INGEST_CHARS:
            raise BadInput(f"`text` is longer than {MAX_INGEST_CHARS:,} characters")
        try:
            ex = await asyncio.to_thread(_extract, text, filename)
        except DocumentError as exc:
            raise BadInput(f"the document cannot be loaded: {exc}") from None
        except ImportError:
            raise ApiError("the document loaders are not installed on this server",
                           Code.LOADERS_UNAVAILABLE) from None
        if metadata is not None:
            for f in dataclasses.fields(metadata):
                value = getattr(metadata, f.name)
                if value is not None:
                    setattr(ex.document, f.name, value)  # type: ignore[attr-defined]
        result = await ingest_extraction(info.context.store, ex, filename)
        row = await info.context.loaders.node(ex.document.id)  # type: ignore[attr-defined]
        return IngestResult(
            status=IngestStatus(result.status.value if result.status is not Status.FAILED
                                else "unchanged"),
            document=to_node(row), nodes_written=result.nodes, edges_written=result.edges,
            claims=len(ex.claims), passages=len(ex.passages))  # type: ignore[attr-defined]

    @strawberry.mutation(description="Remove a document and everything only it supported; "
                         "with `dryRun`, only say what would be removed. NOT_FOUND for an "
                         "unknown id.")
    async def delete_document(self, info: Info, id: strawberry.ID,
                              dry_run: bool = False) -> DeleteResult:
        require_token(info)
        from kb.writer import delete_document

        if label_of(str(id)) is not Label.DOCUMENT:
            raise BadInput(f"{id!r} is not a document id (document ids start with 'document:')")
        plan = await delete_document(info.context.store, str(id), dry_run=dry_run)
        if plan is None:
            raise NotFound(f"no document with id {id!r}")
        return DeleteResult(id=id, deleted=not dry_run, dry_run=dry_run,
                            passages=plan.passages, claims=plan.claims,
                            removed_nodes=[strawberry.ID(i) for i in plan.removed],
                            updated_nodes=[strawberry.ID(i) for i in plan.updated])
