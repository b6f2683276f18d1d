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

from kb.api.traversal import Graph, neighborhood_with_props, whole_graph
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


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """A networkx multigraph: node attributes labels/name/kind plus properties, edge attributes
    type plus properties, keyed by the edge's stable key."""
    g = nx.MultiDiGraph()
    for n in graph.nodes:
        attrs = {**_attrs(n.props, ("id",)), "labels": n.label, "name": n.name}
        if n.kind:
            attrs["kind"] = n.kind
        g.add_node(n.id, **attrs)
    for e in graph.edges:
        g.add_edge(e.source, e.target, key=e.id, **{**_attrs(e.props, ("key",)), "type": e.type})
    return g


def render(graph: Graph, fmt: ExportFormat) -> bytes:
    g = to_networkx(graph)
    if fmt is ExportFormat.CYJS:
        return orjson.dumps(nx.cytoscape_data(g))
    buf = BytesIO()
    if fmt is ExportFormat.GRAPHML:
        nx.write_graphml(g, buf, encoding="utf-8")
    else:
        for node_id, data in g.nodes(data=True):
            data.setdefault("label", data.get("name", node_id))  # what Gephi displays
        nx.write_gexf(g, buf, encoding="utf-8")
    return buf.getvalue()


async def export_graph(store: GraphStore, fmt: ExportFormat, node_id: str | None = None,
                       depth: int = 1) -> bytes:
    """The whole graph, or the neighbourhood of `node_id`, in `fmt`."""
    graph = (await neighborhood_with_props(store, node_id, depth) if node_id
             else await whole_graph(store))
    return await asyncio.to_thread(render, graph, fmt)
