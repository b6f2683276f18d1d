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
    data, truncated = await export_graph(seeds, ExportFormat.GRAPHML)
    assert not truncated
    g = nx.read_graphml(BytesIO(data))
    assert g.number_of_edges() > 100
    assert all(d.get("type") in TYPES for _a, _b, d in g.edges(data=True))
    assert all(d.get("label") for _n, d in g.nodes(data=True))
    assert (await export_graph(seeds, ExportFormat.GRAPHML))[0] == data  # byte-stable


async def test_gexf_is_static_with_the_type_as_an_attribute(seeds: GraphStore) -> None:
    data, _ = await export_graph(seeds, ExportFormat.GEXF)
    assert b'mode="dynamic"' not in data and b"<spells" not in data
    g = nx.read_gexf(BytesIO(data))
    edges = list(g.edges(data=True))
    assert len(edges) > 100
    assert all(
        d.get("relationship") in TYPES and d.get("label") == d["relationship"]
        for _a, _b, d in edges
    )
    assert all(d.get("label") for _n, d in g.nodes(data=True))
    assert (await export_graph(seeds, ExportFormat.GEXF))[0] == data


async def test_cytoscape_json_is_the_elements_format(seeds: GraphStore) -> None:
    doc = orjson.loads((await export_graph(seeds, ExportFormat.CYJS))[0])
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    ids = [n["data"]["id"] for n in nodes]
    assert len(ids) == len(set(ids)) and all(isinstance(i, str) for i in ids)
    edge_ids = [e["data"]["id"] for e in edges]
    assert len(edge_ids) == len(set(edge_ids)) == len(edges) > 100
    known = set(ids)
    for e in edges:
        assert e["data"]["source"] in known and e["data"]["target"] in known
        assert e["data"]["type"] in TYPES


async def test_max_nodes_and_rel_types_are_honoured_and_truncation_reported(
    seeds: GraphStore,
) -> None:
    data, truncated = await export_graph(seeds, ExportFormat.GRAPHML, max_nodes=10)
    g = nx.read_graphml(BytesIO(data))
    assert truncated and g.number_of_nodes() == 10 and g.graph.get("truncated") == "true"
    only = [RelType.CITES_PRECEDENT, RelType.ASSERTS]
    data, truncated = await export_graph(seeds, ExportFormat.CYJS, rel_types=only)
    doc = orjson.loads(data)
    kinds = {e["data"]["type"] for e in doc["elements"]["edges"]}
    assert kinds == {"CITES_PRECEDENT", "ASSERTS"} and not truncated
    assert dict(doc["data"])["truncated"] == "false"


def test_the_endpoint_takes_limits_and_refuses_bad_ones(tmp_path: object) -> None:
    from starlette.requests import Request

    from kb.api.app import _export_limits

    def req(query: str) -> Request:
        return Request({"type": "http", "query_string": query.encode(), "headers": []})

    assert _export_limits(req("maxNodes=5&relTypes=ASSERTS,ABOUT"), False) == (
        5,
        [RelType.ASSERTS, RelType.ABOUT],
    )
    assert _export_limits(req(""), True) == (None, None)
    for bad in ("maxNodes=0", "maxNodes=x", "relTypes=DROP", "maxNodes=501"):
        refused = _export_limits(req(bad), True)
        assert getattr(refused, "status_code", None) == 400, bad
