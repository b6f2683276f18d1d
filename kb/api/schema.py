"""The GraphQL schema: root fields, the schema object and its extensions.

Root connections translate into one Cypher statement per page (plus one for `totalCount` when it
is selected); relationship fields below them are batched by the request's DataLoaders.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext, Info

from kb.api.caching import cache_extensions
from kb.api.connections import Connection, binding, build_connection, page_request
from kb.api.enums import NodeLabel, RelationshipType, SortDirection
from kb.api.errors import BadInput, ErrorPolicy, report_errors
from kb.api.execution import FastLeaves
from kb.api.facets import ClaimFacets, claim_facets
from kb.api.filters import (
    ActorSort,
    ActorWhere,
    ClaimSort,
    ClaimWhere,
    ConceptSort,
    ConceptWhere,
    DocumentSort,
    DocumentWhere,
    EventSort,
    EventWhere,
    PrecedentSort,
    PrecedentWhere,
    compile_filter,
)
from kb.api.limits import MAX_PAGE, check_first, limit_extensions
from kb.api.lookahead import claim_nodes
from kb.api.mutations import Mutation
from kb.api.search import SearchHit, search
from kb.api.traversal import Graph, PathMode, PathQuery, neighborhood, paths
from kb.api.types import (
    NODE_TYPES,
    Actor,
    Claim,
    Concept,
    Document,
    Event,
    Node,
    Precedent,
    to_node,
)
from kb.cypher import read as rq
from kb.cypher import schema as sq
from kb.model import label_of

API_VERSION = "0.2.0"


async def _connection(info: Info, label: str, cls: Any, where: Any, sort: Any,
                      first: int | None, after: str | None, last: int | None,
                      before: str | None) -> Connection[Any]:
    keys = [(s.field.value, s.direction is SortDirection.ASC) for s in sort or []] or [
        ("ID", True)]
    req = page_request(first, after, last, before,
                       binding(f"Query.{info.field_name}", keys, where))
    store = info.context.store
    compiled = compile_filter(label, where, store.dialect)
    if len(keys) == 1:
        (key, asc), = keys
        text = rq.page_text(store.dialect, label, compiled, key, asc if req.forward else not asc)
    else:  # several keys: the travel direction flips each of them and the id
        text = rq.page_keys_text(store.dialect, label, compiled,
                                 [(k, a == req.forward) for k, a in keys], req.forward)
    params = {**compiled.params, "after_k": req.after[0] if req.after else None,
              "after_id": req.after[1] if req.after else None, "limit": req.size + 1}
    rows = await store.read(text, params)
    if label == "Claim":
        wanted = {*claim_nodes(info, "edges", "node"), *claim_nodes(info, "nodes")}
        await info.context.loaders.prefetch((r["props"] for r in rows), sorted(wanted))

    async def count() -> int:
        found = await store.read(rq.count_text(store.dialect, label, compiled), compiled.params)
        return int(found[0]["total"]) if found else 0

    return build_connection(rows, req, lambda r: cls.from_props({**r["props"], "id": r["id"]}),
                            count)


@strawberry.type
class LabelCount:
    label: str
    count: int


@strawberry.type
class TypeCount:
    type: str
    count: int


@strawberry.type(description="Counts of nodes per label and relationships per type.")
class Stats:
    nodes: list[LabelCount]
    relationships: list[TypeCount]

    @strawberry.field
    def total_nodes(self) -> int:
        return sum(c.count for c in self.nodes)

    @strawberry.field
    def total_relationships(self) -> int:
        return sum(c.count for c in self.relationships)


def _check_node_id(node_id: str) -> str:
    if label_of(node_id) is None:
        raise BadInput(f"{node_id!r} is not an id of this graph (ids look like 'actor:...')")
    return node_id


_PAGE_ARGS = ("`first`/`after` page forward, `last`/`before` backward; at most 100 per page; "
              "`sort` takes several keys, the id breaks ties.")


@strawberry.type
class Query:
    @strawberry.field(description="API version.")
    def version(self) -> str:
        return API_VERSION

    @strawberry.field(description="A node by its id (Relay), or null when there is none.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return to_node(await info.context.loaders.node(_check_node_id(str(id))))

    @strawberry.field(description="Nodes by id, in the order asked (null for unknown ids).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_PAGE:
            raise BadInput(f"at most {MAX_PAGE} ids per request")
        rows = await info.context.loaders.many([_check_node_id(str(i)) for i in ids])
        return [to_node(r) for r in rows]

    @strawberry.field(description="Legal concepts. " + _PAGE_ARGS)
    async def concepts(self, info: Info, where: ConceptWhere | None = None,
                       sort: list[ConceptSort] | None = None, first: int | None = None,
                       after: str | None = None, last: int | None = None,
                       before: str | None = None) -> Connection[Concept]:
        return await _connection(info, "Concept", Concept, where, sort, first, after, last,
                                 before)

    @strawberry.field(description="Precedents. " + _PAGE_ARGS)
    async def precedents(self, info: Info, where: PrecedentWhere | None = None,
                         sort: list[PrecedentSort] | None = None, first: int | None = None,
                         after: str | None = None, last: int | None = None,
                         before: str | None = None) -> Connection[Precedent]:
        return await _connection(info, "Precedent", Precedent, where, sort, first, after, last,
                                 before)

    @strawberry.field(description="Actors. " + _PAGE_ARGS)
    async def actors(self, info: Info, where: ActorWhere | None = None,
                     sort: list[ActorSort] | None = None, first: int | None = None,
                     after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[Actor]:
        return await _connection(info, "Actor", Actor, where, sort, first, after, last, before)

    @strawberry.field(description="Claims. " + _PAGE_ARGS)
    async def claims(self, info: Info, where: ClaimWhere | None = None,
                     sort: list[ClaimSort] | None = None, first: int | None = None,
                     after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[Claim]:
        return await _connection(info, "Claim", Claim, where, sort, first, after, last, before)

    @strawberry.field(description="Documents. " + _PAGE_ARGS)
    async def documents(self, info: Info, where: DocumentWhere | None = None,
                        sort: list[DocumentSort] | None = None, first: int | None = None,
                        after: str | None = None, last: int | None = None,
                        before: str | None = None) -> Connection[Document]:
        return await _connection(info, "Document", Document, where, sort, first, after, last,
                                 before)

    @strawberry.field(description="Events. " + _PAGE_ARGS)
    async def events(self, info: Info, where: EventWhere | None = None,
                     sort: list[EventSort] | None = None, first: int | None = None,
                     after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[Event]:
        return await _connection(info, "Event", Event, where, sort, first, after, last, before)

    @strawberry.field(description="Claim counts by speaker, stance, concept, precedent, "
                      "treatment, document, outlet and month, over the claims `where` selects "
                      "(at most `first` groups per facet, largest first).")
    def claim_facets(self, info: Info, where: ClaimWhere | None = None,
                     first: int = 20) -> ClaimFacets:
        return claim_facets(where, first, info.context.store.dialect)

    @strawberry.field(description="Full-text search over names, aliases, texts, titles, "
                      "authors and publishers, best hits first, one hit per claim (its "
                      "sentence folded in). Syntax: words (prefixes), \"a phrase\", word*, "
                      "OR, AND, NOT word or -word; at most 500 characters.")
    async def search(self, info: Info, text: str, labels: list[NodeLabel] | None = None,
                     first: int = 20, after: str | None = None) -> list[SearchHit]:
        wanted = [lbl.value for lbl in labels or list(NodeLabel)]
        return await search(info, text, wanted, first, after)

    @strawberry.field(description="Dated events in date order (inclusive bounds), each with "
                      "its participants.")
    async def timeline(self, info: Info,
                       from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
                       to: dt.date | None = None, first: int = 100) -> list[Event]:
        check_first(first)
        store = info.context.store
        rows = await store.read(rq.timeline(store.dialect), {
            "since": from_.isoformat() if from_ else None,
            "until": to.isoformat() if to else None, "limit": first})
        return [Event.from_props({**r["props"], "id": r["id"]}) for r in rows]

    @strawberry.field(description="Nodes within `depth` hops (either direction) and the edges "
                      "between them, ready for a graph viewer; `relTypes` and `labels` limit "
                      "the edges walked and the nodes reached.")
    async def neighborhood(self, info: Info, id: strawberry.ID, depth: int = 1,
                           max_nodes: int = 100,
                           rel_types: list[RelationshipType] | None = None,
                           labels: list[NodeLabel] | None = None) -> Graph:
        return await neighborhood(info.context.store, str(id), depth, max_nodes, rel_types,
                                  labels)

    @strawberry.field(description="A shortest path between two nodes (edges in either "
                      "direction), or null when none is within `maxHops`; NOT_FOUND for an "
                      "unknown end. `mode: ARGUMENT` (the default) passes through entities and "
                      "claims only, `ALL` through passages too; `labels` narrows the nodes "
                      "between the ends, `relTypes` the edges.")
    async def path(self, info: Info,
                   from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
                   to: strawberry.ID, max_hops: int = 4,
                   mode: PathMode = PathMode.ARGUMENT,
                   rel_types: list[RelationshipType] | None = None,
                   labels: list[NodeLabel] | None = None) -> Graph | None:
        q = PathQuery(str(from_), str(to), max_hops, mode, tuple(rel_types or ()),
                      tuple(labels or ()))
        found = await paths(info.context.store, q)
        return found[0] if found else None

    @strawberry.field(description="Up to `first` shortest paths between two nodes, all of the "
                      "same length, in the order of their node ids (which ones, when more tie, is "
                      "the store's choice); empty when none is within `maxHops`. The other "
                      "arguments are those of `path`.")
    async def paths(self, info: Info,
                    from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
                    to: strawberry.ID, max_hops: int = 4,
                    mode: PathMode = PathMode.ARGUMENT,
                    rel_types: list[RelationshipType] | None = None,
                    labels: list[NodeLabel] | None = None, first: int = 3) -> list[Graph]:
        q = PathQuery(str(from_), str(to), max_hops, mode, tuple(rel_types or ()),
                      tuple(labels or ()))
        return await paths(info.context.store, q, first)

    @strawberry.field(description="Node counts per label and relationship counts per type.")
    async def stats(self, info: Info) -> Stats:
        store = info.context.store
        nodes = await store.read(sq.stats_nodes(store.dialect))
        rels = await store.read(sq.stats_rels(store.dialect))
        return Stats(nodes=[LabelCount(label=r["label"], count=r["count"]) for r in nodes],
                     relationships=[TypeCount(type=r["type"], count=r["count"]) for r in rels])


class KBSchema(strawberry.Schema):
    """Logs errors one line each, without variables (see `kb.api.errors`)."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        report_errors(errors)


schema = KBSchema(query=Query, mutation=Mutation, types=list(NODE_TYPES),
                  extensions=[*limit_extensions(), ErrorPolicy, *cache_extensions()],
                  execution_context_class=FastLeaves)
