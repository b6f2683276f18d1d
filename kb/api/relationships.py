"""Relationship connections: `Concept.claimsConnection`, `Precedent.citedByConnection`, ...

Beside each plain list relationship field, a Relay connection in the shape of the Neo4j GraphQL
Library: `totalCount`, `aggregate { count }`, `pageInfo`, and edges that carry the relationship's
`properties` (invocation stance, precedent treatment, participant role, outlet relation, and
the documents the edge comes from) next to the `node`. `where` filters on the node, on the edge
or both, combined with `AND`/`OR`/`NOT`; `sort` takes several keys.

One Cypher statement answers one page for every parent of a request at once
(`kb.cypher.read.rel_page`, batched by the request's DataLoaders), with each parent's total, so
`totalCount` and `aggregate` cost nothing more. A connection that selects nothing but its total
(`supporting: claimsConnection(where: ...) { aggregate { count } }`) is counted without the
sort and without a page. The same fact extracted from several documents
(Trump ordered the strike, in three articles) is one edge whose `documents` lists the three.

Cursors are offsets into the sorted, filtered list (as the Neo4j GraphQL Library's
relationship cursors are), signed and bound to the connection, sort and filter like every cursor
of this API (`kb.api.connections`). Unlike the keyset cursors of the root connections they can
shift when documents are added to the parent while a client pages through it: a parent's list
is at most a few thousand edges, read in one statement, and an offset is what lets several
parents share that statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types import Info

from kb.api.connections import (
    PageInfo,
    binding,
    check_paging,
    decode_offset,
    encode_cursor,
)
from kb.api.enums import InvocationStance, OutletRelation, Treatment
from kb.api.filters import compile_filter, sort_keys
from kb.api.limits import DEFAULT_PAGE
from kb.api.lookahead import claim_nodes, totals_only
from kb.cypher import read as rq

N = TypeVar("N")
P = TypeVar("P")
E = TypeVar("E")


def _ids(docs: Any) -> list[strawberry.ID]:
    return [strawberry.ID(str(d)) for d in docs or [] if d is not None]


@strawberry.type(description="Where an edge comes from: the documents that state it.")
class ProvenanceProperties:
    documents: list[strawberry.ID]


@strawberry.type(
    description="A claim invoking a concept: for, against or neutral about its application."
)
class InvocationProperties:
    stance: InvocationStance | None
    documents: list[strawberry.ID]


@strawberry.type(description="A claim citing a precedent, and how (analogy or distinction).")
class CitationProperties:
    treatment: Treatment | None
    documents: list[strawberry.ID]


@strawberry.type(description="An actor's part in an event (ordered, killed, targeted, ...).")
class ParticipationProperties:
    role: str | None
    documents: list[strawberry.ID]


@strawberry.type(
    description="How a document relates to an outlet: published by it, or citing it as a source."
)
class OutletLinkProperties:
    relation: OutletRelation | None
    documents: list[strawberry.ID]


def _enum(cls: Any, value: Any) -> Any:
    try:
        return cls(value) if value is not None else None
    except ValueError:
        return None


PROPERTIES: dict[str | None, Any] = {
    None: lambda ev, docs: ProvenanceProperties(documents=_ids(docs)),
    "INVOKES": lambda ev, docs: InvocationProperties(
        stance=_enum(InvocationStance, ev), documents=_ids(docs)
    ),
    "CITES_PRECEDENT": lambda ev, docs: CitationProperties(
        treatment=_enum(Treatment, ev), documents=_ids(docs)
    ),
    "PARTICIPATED_IN": lambda ev, docs: ParticipationProperties(role=ev, documents=_ids(docs)),
    "OUTLET_LINK": lambda ev, docs: OutletLinkProperties(
        relation=_enum(OutletRelation, ev), documents=_ids(docs)
    ),
}
"""The edge properties object of each edge filter type of `kb.cypher.read.REL_CONNECTIONS`."""


@strawberry.type(
    description="A related node, the relationship's properties, and the cursor "
    "that points just after it."
)
class RelEdge(Generic[N, P]):
    cursor: str
    node: N
    properties: P


@strawberry.type(description="Aggregations over all the edges a connection's filter selects.")
class RelAggregate:
    count: int


@strawberry.type(description="A page of a relationship connection.")
class RelConnection(Generic[E]):
    edges: list[E]
    page_info: PageInfo
    total_count: int = strawberry.field(description="All edges matching the filter.")

    @strawberry.field(description="Aggregations over all edges matching the filter.")
    def aggregate(self) -> RelAggregate:
        return RelAggregate(count=self.total_count)


@dataclass(frozen=True, slots=True)
class Paging:
    """Validated paging arguments of a relationship connection."""

    forward: bool
    skip: int
    size: int
    before: int | None


def _paging(
    first: int | None, after: str | None, last: int | None, before: str | None, bound: str
) -> Paging:
    check_paging(first, after, last, before)
    if last is not None or before is not None:
        return Paging(
            False,
            0,
            last if last is not None else DEFAULT_PAGE,
            decode_offset(before, bound) if before else None,
        )
    skip = decode_offset(after, bound) + 1 if after else 0
    return Paging(True, skip, first if first is not None else DEFAULT_PAGE, None)


async def connection(
    info: Info,
    parent_id: str,
    name: str,
    where: Any,
    sort: list[Any] | None,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    conn_cls: type,
    edge_cls: type,
    make: Any,
) -> Any:
    """One page of relationship connection `name` (a key of REL_CONNECTIONS) for one parent;
    parents asking the same page share one statement. `make` builds a node from its
    properties."""
    _pattern, _edge, label, edge_type = rq.REL_CONNECTIONS[name]
    bound = binding(name, sort, where)
    paging = _paging(first, after, last, before, bound)
    store = info.context.store
    compiled = compile_filter(label, where, store.dialect, edge_type)
    total_only = totals_only(info)
    order = None if total_only else sort_keys(label, sort)
    text = rq.rel_page_text(store.dialect, name, compiled, order)
    params = {
        **compiled.params,
        "forward": paging.forward,
        "skip": paging.skip,
        "limit": 0 if total_only else paging.size,
        "before": paging.before,
    }
    loaders = info.context.loaders
    row = await loaders.page(text, params, parent_id)
    items = row["items"] if row else []
    lo = int(row["lo"]) if row else 0
    total = int(row["total"]) if row else 0
    if label == "Claim":
        await loaders.prefetch((i["props"] for i in items), claim_nodes(info, "edges", "node"))
    props = PROPERTIES[edge_type]
    edges = [
        edge_cls(
            cursor=encode_cursor(bound, lo + k),
            node=make({**(i["props"] or {}), "id": i["id"]}),
            properties=props(i["edge"], i["docs"]),
        )
        for k, i in enumerate(items)
    ]
    info_ = PageInfo(
        has_next_page=lo + len(edges) < total,
        has_previous_page=lo > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return conn_cls(edges=edges, page_info=info_, total_count=total)
