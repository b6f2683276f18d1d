"""Neighbourhoods, paths and whole-graph dumps as plain node and edge lists.

Viewers (Cytoscape.js, sigma, Neo4j NVL) want `{nodes, edges}`; resolving thousands of objects
field by field is where a Python GraphQL server loses its time, so these return flat rows that
Strawberry serialises as plain objects. A neighbourhood is read breadth first, one statement per
level (all frontier nodes of every label at once), so depth 3 costs at most 3 round trips plus
one to describe the start node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import strawberry

from kb.api.enums import RelationshipType
from kb.api.errors import ApiError, BadInput, Code, NotFound
from kb.api.limits import MAX_DEPTH_NEIGHBORHOOD, MAX_HOPS, MAX_NODES, MAX_PATHS
from kb.cypher import read as rq
from kb.model import Label, label_of
from kb.store.base import GraphStore, SearchTooBroad

NAME_CHARS = 120


def _short(text: Any) -> str:
    text = str(text or "")
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


@strawberry.type(
    description="A node for a viewer: id, label, display name and a kind "
    "(actor type, claim stance or document format)."
)
class GraphNode:
    id: strawberry.ID
    label: str
    name: str
    kind: str | None
    props: strawberry.Private[dict[str, Any]] = field(default_factory=dict)


@strawberry.type(
    description="A directed edge for a viewer, with the properties viewers style "
    "by (precedent treatment, invocation stance, participant role) and its "
    "provenance."
)
class GraphEdge:
    id: strawberry.ID
    source: strawberry.ID
    target: strawberry.ID
    type: str
    props: strawberry.Private[dict[str, Any]] = field(default_factory=dict)

    @strawberry.field(description="CITES_PRECEDENT: analogizes, distinguishes or mentions.")
    def treatment(self) -> str | None:
        value = self.props.get("treatment")
        return str(value).upper() if value else None

    @strawberry.field(description="INVOKES: supports, disputes or neutral.")
    def stance(self) -> str | None:
        value = self.props.get("stance")
        return str(value).upper() if value else None

    @strawberry.field(description="PARTICIPATED_IN: ordered, killed, attacked, ...")
    def role(self) -> str | None:
        return self.props.get("role")

    @strawberry.field(description="The document the edge was extracted from.")
    def document(self) -> strawberry.ID | None:
        value = self.props.get("doc")
        return strawberry.ID(value) if value else None


@strawberry.type(description="Nodes and edges; `truncated` when a limit cut the result.")
class Graph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool


def edge_id(type_: str, source: str, target: str, key: str | None) -> str:
    return key or f"{type_}:{source}->{target}"


@dataclass(slots=True)
class _Builder:
    max_nodes: int
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: dict[str, GraphEdge] = field(default_factory=dict)
    truncated: bool = False

    def add_node(self, row: dict[str, Any]) -> bool:
        if row["id"] in self.nodes:
            return True
        if len(self.nodes) >= self.max_nodes:
            self.truncated = True
            return False
        kind = row.get("kind")
        self.nodes[row["id"]] = GraphNode(
            id=row["id"],
            label=row["label"],
            name=_short(row.get("name")),
            kind=str(kind).upper() if kind else None,
            props=row.get("props") or {},
        )
        return True

    def add_edge(self, row: dict[str, Any]) -> None:
        eid = edge_id(row["type"], row["source"], row["target"], row.get("key"))
        self.edges.setdefault(
            eid,
            GraphEdge(
                id=eid,
                source=row["source"],
                target=row["target"],
                type=row["type"],
                props=row.get("props") or {},
            ),
        )

    def graph(self) -> Graph:
        return Graph(
            nodes=list(self.nodes.values()),
            edges=list(self.edges.values()),
            truncated=self.truncated,
        )


def _check_id(node_id: str) -> None:
    if label_of(node_id) is None:
        raise BadInput(f"{node_id!r} is not an id of this graph (ids look like 'actor:...')")


async def _describe(store: GraphStore, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = await store.read(rq.describe(store.dialect), rq.by_label(ids, label_of))
    return {r["id"]: r for r in rows}


async def neighborhood(
    store: GraphStore,
    node_id: str,
    depth: int = 1,
    max_nodes: int = 100,
    rel_types: list[RelationshipType] | None = None,
    labels: list[Label] | None = None,
) -> Graph:
    """Nodes within `depth` hops of a node (either direction), reached along `rel_types` and
    through nodes of `labels` (all when None), with every edge among them."""
    _check_id(node_id)
    if not 1 <= depth <= MAX_DEPTH_NEIGHBORHOOD:
        raise BadInput(f"`depth` must be between 1 and {MAX_DEPTH_NEIGHBORHOOD}")
    if not 1 <= max_nodes <= MAX_NODES:
        raise BadInput(f"`maxNodes` must be between 1 and {MAX_NODES}")
    start = await _describe(store, [node_id])
    if node_id not in start:
        raise NotFound(f"no node with id {node_id!r}")
    b = _Builder(max_nodes)
    b.add_node(start[node_id])
    types = [t.value for t in rel_types or ()]
    frontier = [node_id]
    for _level in range(depth):
        if not frontier or b.truncated:
            break
        params: dict[str, Any] = {
            **rq.by_label(frontier, label_of),
            "types": types,
            "labels": [lbl.value for lbl in labels or ()],
            "limit": max_nodes * 4 + 1,
        }
        rows = await store.read(rq.expand(store.dialect), params)
        nxt: list[str] = []
        for row in sorted(rows, key=lambda r: (r["src"], r["id"], r["type"])):
            known = row["id"] in b.nodes
            if not known and b.add_node(row):
                nxt.append(row["id"])
            if row["id"] in b.nodes:
                b.add_edge(row)
        if len(rows) > max_nodes * 4:
            b.truncated = True
        frontier = nxt
    return await _induced(store, b, types)


async def _induced(store: GraphStore, b: _Builder, types: list[str]) -> Graph:
    """Every edge among the builder's nodes, with its properties (a viewer needs the edges
    between the nodes it shows, not only those the search walked along)."""
    ids = list(b.nodes)
    rows = await store.read(
        rq.edges_between(store.dialect), {**rq.by_label(ids, label_of), "all": ids, "types": types}
    )
    b.edges.clear()
    for row in sorted(
        rows, key=lambda r: (r["source"], r["type"], r["target"], r.get("key") or "")
    ):
        b.add_edge(row)
    return b.graph()


@strawberry.enum(description="What a path may pass through.")
class PathMode(Enum):
    ARGUMENT = "argument"
    """Entities and claims only: no passage in between (a path through a sentence that merely
    names both ends says nothing about the argument)."""
    ALL = "all"
    """Every node, passages too."""


PATH_EXCLUDED = {PathMode.ARGUMENT: frozenset({Label.PASSAGE}), PathMode.ALL: frozenset()}


@dataclass(frozen=True, slots=True)
class PathQuery:
    """What a path search asks for: its ends, its length bound, and what it may pass through
    (the mode's labels, narrowed to `labels` when given, and edges of `rel_types`)."""

    source: str
    target: str
    max_hops: int = 4
    mode: PathMode = PathMode.ARGUMENT
    rel_types: tuple[RelationshipType, ...] = ()
    labels: tuple[Label, ...] = ()

    def excluded(self) -> list[str]:
        """Labels no node between the ends may have."""
        out = set(PATH_EXCLUDED[self.mode])
        if self.labels:
            out |= set(Label) - set(self.labels)
        return sorted(lbl.value for lbl in out)


async def paths(store: GraphStore, q: PathQuery, limit: int = 1) -> list[Graph]:
    """Up to `limit` shortest paths (edges in either direction), all of the same length, in
    the order of their node ids (which ones, when more tie, is the store's choice); none when
    no path is within `max_hops`; NOT_FOUND for an end that does not exist."""
    _check_id(q.source)
    _check_id(q.target)
    if not 1 <= q.max_hops <= MAX_HOPS:
        raise BadInput(f"`maxHops` must be between 1 and {MAX_HOPS}")
    if not 1 <= limit <= MAX_PATHS:
        raise BadInput(f"`first` must be between 1 and {MAX_PATHS}")
    try:
        found = await store.shortest_paths(q.source, q.target, q.max_hops, q.excluded(),
                                           [t.value for t in q.rel_types], limit)
    except SearchTooBroad:
        raise ApiError(
            f"The path search reached too many nodes without finding a path within "
            f"{q.max_hops} hops; lower maxHops or choose less connected ends.",
            Code.COST_LIMIT_EXCEEDED,
        ) from None
    described = await _describe(store, sorted({n for p in found for n in p["nodes"]}
                                              | {q.source, q.target}))
    for end in (q.source, q.target):
        if end not in described:
            raise NotFound(f"no node with id {end!r}")
    graphs = []
    for one in found:
        b = _Builder(MAX_NODES)
        for nid in one["nodes"]:
            b.add_node(
                described.get(nid) or {"id": nid, "label": str(label_of(nid) or ""), "name": nid}
            )
        for rel in one["rels"]:
            b.add_edge(rel)  # the edge's key: the same edge id a neighbourhood gives
        graphs.append(b.graph())
    return graphs


EXPORT_MAX_NODES = 100_000


async def whole_graph(
    store: GraphStore,
    max_nodes: int = EXPORT_MAX_NODES,
    rel_types: list[RelationshipType] | None = None,
) -> Graph:
    """Every node and edge (for exports), up to `max_nodes` nodes (``truncated`` past that),
    edges only of `rel_types` when given."""
    nodes = await store.read(rq.all_nodes(store.dialect), {"limit": max_nodes + 1})
    b = _Builder(max_nodes)
    for row in nodes:
        b.add_node(row)
    wanted = {t.value for t in rel_types} if rel_types else None
    edges = await store.read(rq.all_edges(store.dialect), {"limit": max_nodes * 20})
    for row in edges:
        if wanted is not None and row["type"] not in wanted:
            continue
        if row["source"] in b.nodes and row["target"] in b.nodes:
            b.add_edge(row)
    return b.graph()


async def neighborhood_with_props(
    store: GraphStore,
    node_id: str,
    depth: int,
    max_nodes: int = MAX_NODES,
    rel_types: list[RelationshipType] | None = None,
) -> Graph:
    """A neighbourhood with all node and edge properties (for exports): the induced subgraph
    along `rel_types` (all types when None)."""
    g = await neighborhood(store, node_id, depth, max_nodes, rel_types)
    ids = [n.id for n in g.nodes]
    described = await _describe(store, ids)
    b = _Builder(max_nodes)
    for nid in ids:
        b.add_node(described[nid])
    b.truncated = g.truncated
    return await _induced(store, b, [t.value for t in rel_types or ()])
