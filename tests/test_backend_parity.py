"""The seeds loaded into both stores give the same answer to every research operation.

Both stores are real servers: the embedded FalkorDB and the suite's Neo4j. The answers are
compared whole (every field the operation selects), after putting lists whose order the schema
does not define into one order. One difference is allowed, and checked instead of ignored: when
several shortest paths tie, each store may return a different one, so `path` is compared by its
length, its two ends, and by each edge existing in the graph.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_api_support import gql, load_research_graph, make_app, ok

from kb.config import Settings
from kb.store.falkordb import FalkorDBStore
from kb.store.neo4j import Neo4jStore

QUERIES = Path(__file__).resolve().parents[1] / "graphql" / "queries"
OPERATIONS = sorted(p.name for p in QUERIES.glob("*.graphql"))


def canonical(value: Any) -> Any:
    """Sort every list by its JSON form: the comparison is of content, not of order."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, float):
        return round(value, 6)
    return value


@pytest.fixture(scope="module")
async def both(tmp_path_factory: pytest.TempPathFactory, neo4j, falkordb_server,  # type: ignore[no-untyped-def]
               data_dir: Path, settings: Settings):
    falkor = FalkorDBStore(data_dir, graph="parity")
    neo = Neo4jStore(neo4j.uri, neo4j.user, neo4j.password)
    stores = [falkor, neo]
    for s in stores:
        await s.connect()
        from kb.cypher import schema

        await s.write(schema.reset(s.dialect))
        await s.bootstrap()
        await load_research_graph(s)
    yield [make_app(s, settings) for s in stores], stores
    for s in stores:
        from kb.cypher import schema

        await s.write(schema.reset(s.dialect))
        await s.close()


async def test_both_stores_hold_the_same_graph(both) -> None:  # type: ignore[no-untyped-def]
    apps, _ = both
    q = "{ stats { nodes { label count } relationships { type count } } }"
    falkor, neo = [ok(await gql(app, q))["stats"] for app in apps]
    assert canonical(falkor) == canonical(neo)
    assert sum(n["count"] for n in falkor["nodes"]) > 100


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if "path" not in op])
async def test_every_operation_answers_the_same_on_both(both, operation: str) -> None:  # type: ignore[no-untyped-def]
    apps, _ = both
    text = (QUERIES / operation).read_text()
    falkor, neo = [ok(await gql(app, text)) for app in apps]
    assert canonical(falkor) == canonical(neo)
    assert len(json.dumps(falkor)) > 300  # a real answer, not two empty ones


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if "path" in op])
async def test_paths_are_equally_short_on_both(both, operation: str) -> None:  # type: ignore[no-untyped-def]
    apps, stores = both
    text = (QUERIES / operation).read_text()
    falkor, neo = [ok(await gql(app, text))["path"] for app in apps]
    assert falkor and neo
    assert len(falkor["edges"]) == len(neo["edges"]) > 0
    assert falkor["nodes"][0]["id"] == neo["nodes"][0]["id"]
    assert falkor["nodes"][-1]["id"] == neo["nodes"][-1]["id"]
    for path in (falkor, neo):  # each store's path is made of edges the other store has too
        for edge in path["edges"]:
            for s in stores:
                rows = await s.read(
                    "MATCH (a {id: $s})-[r]->(b {id: $t}) WHERE type(r) = $type "
                    "RETURN count(r) AS n",
                    {"s": edge["source"], "t": edge["target"], "type": edge["type"]})
                assert rows[0]["n"] >= 1, (edge, s.dialect)
