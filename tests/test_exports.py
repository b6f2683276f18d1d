"""Exports open as they are: each file read back with networkx keeps every edge's type and
every node's label; the Cytoscape.js file follows the elements format; output is byte-stable."""

from __future__ import annotations

from io import BytesIO

import networkx as nx
import orjson
import pytest
from test_api_support import load_research_graph

from kb.api.export import ExportFormat, export_graph
from kb.model import RelType
from kb.store.base import GraphStore

TYPES = {t.value for t in RelType}


@pytest.fixture
async def seeds(store: GraphStore) -> GraphStore:
    await load_research_graph(store)
    return store


async def test_graphml_keeps_types_and_labels(seeds: GraphStore) -> None:
    data = await export_graph(seeds, ExportFormat.GRAPHML)
    g = nx.read_graphml(BytesIO(data))
    assert g.number_of_edges() > 100
    assert all(d.get("type") in TYPES for _a, _b, d in g.edges(data=True))
    assert all(d.get("label") for _n, d in g.nodes(data=True))
    assert await export_graph(seeds, ExportFormat.GRAPHML) == data  # byte-stable


async def test_gexf_is_static_with_the_type_as_an_attribute(seeds: GraphStore) -> None:
    data = await export_graph(seeds, ExportFormat.GEXF)
    assert b'mode="dynamic"' not in data and b"<spells" not in data
    g = nx.read_gexf(BytesIO(data))
    edges = list(g.edges(data=True))
    assert len(edges) > 100
    assert all(d.get("relationship") in TYPES and d.get("label") == d["relationship"]
               for _a, _b, d in edges)
    assert all(d.get("label") for _n, d in g.nodes(data=True))
    assert await export_graph(seeds, ExportFormat.GEXF) == data


async def test_cytoscape_json_is_the_elements_format(seeds: GraphStore) -> None:
    doc = orjson.loads(await export_graph(seeds, ExportFormat.CYJS))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    ids = [n["data"]["id"] for n in nodes]
    assert len(ids) == len(set(ids)) and all(isinstance(i, str) for i in ids)
    edge_ids = [e["data"]["id"] for e in edges]
    assert len(edge_ids) == len(set(edge_ids)) == len(edges) > 100
    known = set(ids)
    for e in edges:
        assert e["data"]["source"] in known and e["data"]["target"] in known
        assert e["data"]["type"] in TYPES
