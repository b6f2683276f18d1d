"""Exports for visualization tools: GraphML, GEXF and Cytoscape.js JSON, written by networkx.

The graph is the whole store or a neighbourhood (`id` and `depth`). Every property becomes an
attribute; GraphML and GEXF only hold scalars, so dates become ISO strings, lists are joined
with " | " and maps become JSON text. Serialising is CPU work, so it runs in a thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from enum import StrEnum
from io import BytesIO
from typing import Any

import networkx as nx
import orjson

from kb.api.enums import RelationshipType
from kb.api.limits import MAX_NODES
from kb.api.traversal import EXPORT_MAX_NODES, Graph, neighborhood_with_props, whole_graph
from kb.store.base import GraphStore


class ExportFormat(StrEnum):
    GRAPHML = "graphml"
    GEXF = "gexf"
    CYJS = "cyjs"


MEDIA_TYPES = {
    ExportFormat.GRAPHML: "application/graphml+xml",
    ExportFormat.GEXF: "application/gexf+xml",
    ExportFormat.CYJS: "application/json",
}


def _scalar(value: Any) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return " | ".join(str(_scalar(v)) for v in value)
    return orjson.dumps(value, default=str).decode()


def _attrs(props: dict[str, Any], skip: tuple[str, ...]) -> dict[str, Any]:
    return {k: _scalar(v) for k, v in props.items() if v is not None and k not in skip}


GEXF_RENAMED = {"type": "relationship", "start": "char_start", "end": "char_end"}
"""Attributes GEXF reserves: an edge's `type` is its directedness, and `start`/`end` (of
passages and mentions) are time spells: they would make the file dynamic, and Gephi's timeline
would filter the graph by character offsets."""


def to_networkx(graph: Graph, renamed: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A networkx multigraph in a stable order (nodes, edges and attributes sorted, so a file
    is byte for byte the same for the same graph): node attributes label (the name shown),
    labels, name and kind plus properties; edge attributes id, type and label plus properties."""
    ren = renamed or {}
    g = nx.MultiDiGraph()
    g.graph["truncated"] = "true" if graph.truncated else "false"  # the file says it, too
    for n in sorted(graph.nodes, key=lambda n: n.id):
        attrs = {
            **_attrs(n.props, ("id",)),
            "labels": n.label,
            "name": n.name,
            "label": n.name or n.id,
        }
        if n.kind:
            attrs["kind"] = n.kind
        attrs = {ren.get(k, k) if k != "type" else k: v for k, v in attrs.items()}
        g.add_node(n.id, **dict(sorted(attrs.items())))
    for e in sorted(graph.edges, key=lambda e: e.id):
        attrs = {**_attrs(e.props, ("key",)), "id": e.id, "type": e.type, "label": e.type}
        attrs = {ren.get(k, k): v for k, v in attrs.items()}
        g.add_edge(e.source, e.target, key=e.id, **dict(sorted(attrs.items())))
    return g


def render(graph: Graph, fmt: ExportFormat) -> bytes:
    if fmt is ExportFormat.CYJS:
        return orjson.dumps(nx.cytoscape_data(to_networkx(graph)))
    buf = BytesIO()
    if fmt is ExportFormat.GRAPHML:
        nx.write_graphml(to_networkx(graph), buf, encoding="utf-8")
    else:
        nx.write_gexf(to_networkx(graph, GEXF_RENAMED), buf, encoding="utf-8")
    return buf.getvalue()


async def export_graph(
    store: GraphStore,
    fmt: ExportFormat,
    node_id: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    rel_types: list[RelationshipType] | None = None,
) -> tuple[bytes, bool]:
    """The whole graph, or the neighbourhood of `node_id`, in `fmt`, at most `max_nodes` nodes
    and only `rel_types` edges when given; with whether the limit cut it."""
    if node_id:
        graph = await neighborhood_with_props(
            store, node_id, depth, max_nodes or MAX_NODES, rel_types
        )
    else:
        graph = await whole_graph(store, max_nodes or EXPORT_MAX_NODES, rel_types)
    return await asyncio.to_thread(render, graph, fmt), graph.truncated
