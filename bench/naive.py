"""What a user would write without batching: a Strawberry schema whose every field of every
object sends its own store query (N+1 at each level). Kept in `bench/` on purpose, as the
baseline the product API is compared with; it is never part of the product.

It serves the same data as the nested concept -> claims -> speaker operation, with the same
field names as the product schema, so that the same selection can be sent to both.

    uvicorn bench.serve:naive --factory   (KB_DATA_DIR names the store)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.types import Info

from kb.config import Settings
from kb.model import API_FIELDS, Label
from kb.store import make_store
from kb.store.base import GraphStore

NESTED_QUERY = """
query NaiveImminentThreatClaims($concept: String!) {
  concepts(first: 5, name: $concept) {
    id
    name
    definition
    claims(first: 100) {
      id
      stance
      text
      speaker { id name }
      evidence {
        quote
        start
        end
        passage { id text }
        document { id title publisher published }
      }
    }
  }
}
"""
"""The nested operation as the naive schema serves it."""


class _Bounded:
    """The store with at most 64 reads in flight: the FalkorDB client's pool refuses more than
    100 connections at once (MaxConnectionsError), and the naive schema fans out far enough to
    hit that at concurrency 8; bounded, it measures the N+1 cost instead of pool failures."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.gate = asyncio.Semaphore(64)

    async def read(self, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        async with self.gate:
            return await self.store.read(text, params)


def _store(info: Info) -> _Bounded:
    return info.context["store"]


async def _prop(info: Info, label: str, node_id: str, prop: str) -> Any:
    # one round trip per field per object: the point of this schema
    # label and property spliced only from the model's allow-lists; the id is a parameter
    if label not in Label.__members__.values() or prop not in API_FIELDS[Label(label)]:
        raise ValueError(f"not an allow-listed label or property: {label}.{prop}")
    rows = await _store(info).read(f"MATCH (n:{label} {{id: $id}}) RETURN n.{prop} AS v",
                                   {"id": node_id})
    return rows[0]["v"] if rows else None


@strawberry.type
class Agent:
    id: strawberry.ID

    @strawberry.field
    async def name(self, info: Info) -> str | None:
        rows = await _store(info).read("MATCH (n {id: $id}) RETURN n.name AS v", {"id": self.id})
        return rows[0]["v"] if rows else None


@strawberry.type
class Passage:
    id: strawberry.ID

    @strawberry.field
    async def text(self, info: Info) -> str | None:
        return await _prop(info, "Passage", self.id, "text")


@strawberry.type
class Document:
    id: strawberry.ID

    @strawberry.field
    async def title(self, info: Info) -> str | None:
        return await _prop(info, "Document", self.id, "title")

    @strawberry.field
    async def publisher(self, info: Info) -> str | None:
        return await _prop(info, "Document", self.id, "publisher")

    @strawberry.field
    async def published(self, info: Info) -> str | None:
        value = await _prop(info, "Document", self.id, "published")
        return None if value is None else str(value)


@strawberry.type
class Evidence:
    claim: strawberry.Private[str]

    @strawberry.field
    async def quote(self, info: Info) -> str | None:
        return await _prop(info, "Claim", self.claim, "quote")

    @strawberry.field
    async def start(self, info: Info) -> int | None:
        return await _prop(info, "Claim", self.claim, "start")

    @strawberry.field
    async def end(self, info: Info) -> int | None:
        return await _prop(info, "Claim", self.claim, "end")

    @strawberry.field
    async def passage(self, info: Info) -> Passage | None:
        rows = await _store(info).read(
            "MATCH (:Claim {id: $id})-[:EVIDENCED_BY]->(p:Passage) RETURN p.id AS id LIMIT 1",
            {"id": self.claim})
        return Passage(id=rows[0]["id"]) if rows else None

    @strawberry.field
    async def document(self, info: Info) -> Document | None:
        rows = await _store(info).read(
            "MATCH (:Claim {id: $id})-[:EVIDENCED_BY]->(:Passage)<-[:HAS_PASSAGE]-(d:Document) "
            "RETURN d.id AS id LIMIT 1", {"id": self.claim})
        return Document(id=rows[0]["id"]) if rows else None


@strawberry.type
class Claim:
    id: strawberry.ID

    @strawberry.field
    async def text(self, info: Info) -> str | None:
        return await _prop(info, "Claim", self.id, "text")

    @strawberry.field
    async def stance(self, info: Info) -> str | None:
        return await _prop(info, "Claim", self.id, "stance")

    @strawberry.field
    async def speaker(self, info: Info) -> Agent | None:
        rows = await _store(info).read(
            "MATCH (s)-[:ASSERTS]->(:Claim {id: $id}) RETURN s.id AS id LIMIT 1",
            {"id": self.id})
        return Agent(id=rows[0]["id"]) if rows else None

    @strawberry.field
    def evidence(self) -> Evidence:
        return Evidence(claim=self.id)


@strawberry.type
class Concept:
    id: strawberry.ID

    @strawberry.field
    async def name(self, info: Info) -> str | None:
        return await _prop(info, "Concept", self.id, "name")

    @strawberry.field
    async def definition(self, info: Info) -> str | None:
        return await _prop(info, "Concept", self.id, "definition")

    @strawberry.field
    async def claims(self, info: Info, first: int = 50) -> list[Claim]:
        rows = await _store(info).read(
            "MATCH (:Concept {id: $id})<-[:INVOKES]-(c:Claim) "
            "RETURN c.id AS id ORDER BY coalesce(c.doc, ''), coalesce(c.start, -1), c.id "
            "LIMIT $first", {"id": self.id, "first": first})
        return [Claim(id=r["id"]) for r in rows]


@strawberry.type
class Query:
    @strawberry.field
    async def concepts(self, info: Info, name: str, first: int = 20) -> list[Concept]:
        rows = await _store(info).read(
            "MATCH (c:Concept) WHERE c.name = $name RETURN c.id AS id ORDER BY id LIMIT $first",
            {"name": name, "first": first})
        return [Concept(id=r["id"]) for r in rows]


schema = strawberry.Schema(query=Query)


class _GraphQL(GraphQL):
    def __init__(self, ref: dict[str, Any]) -> None:
        super().__init__(schema, graphql_ide=None)
        self.ref = ref

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        return {"store": self.ref["bounded"]}


def create_app(settings: Settings) -> Starlette:
    ref: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        store = make_store(settings)
        await store.connect()
        ref["store"] = store
        ref["bounded"] = _Bounded(store)
        try:
            yield
        finally:
            await store.close()

    return Starlette(routes=[Route("/graphql", _GraphQL(ref), methods=["GET", "POST"])],
                     lifespan=lifespan)
