"""The GraphQL spec and HTTP as clients expect: operationName, parse errors coded as such,
missing variables named, other aliases' data kept beside an error, CORS for local front ends."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from test_api_support import client, codes, make_app

from kb.config import Settings
from kb.store.base import GraphStore


@pytest.fixture
def app(store: GraphStore, settings: Settings) -> Starlette:
    return make_app(store, settings)


async def _post(app: Starlette, body: dict) -> dict:  # type: ignore[type-arg]
    async with client(app) as c:
        r = await c.post("/graphql", json=body)
    assert r.status_code == 200, r.text
    return r.json()


async def test_several_operations_need_an_operation_name(app: Starlette) -> None:
    doc = "query A { version } query B { stats { totalNodes } }"
    refused = await _post(app, {"query": doc})
    assert codes(refused) == ["BAD_USER_INPUT"] and "operationName" in refused["errors"][0][
        "message"]
    chosen = await _post(app, {"query": doc, "operationName": "B"})
    assert chosen["data"] == {"stats": {"totalNodes": 0}}


async def test_parse_errors_and_missing_variables_say_what_is_wrong(app: Starlette) -> None:
    assert codes(await _post(app, {"query": "{ version "})) == ["GRAPHQL_PARSE_FAILED"]
    assert codes(await _post(app, {"query": "{ nope }"})) == ["GRAPHQL_VALIDATION_FAILED"]
    missing = await _post(app, {"query": "query($first: Int!) { actors(first: $first) "
                                         "{ totalCount } }"})
    assert codes(missing) == ["BAD_USER_INPUT"]
    assert "$first" in missing["errors"][0]["message"]


async def test_one_failing_alias_keeps_the_others(app: Starlette) -> None:
    body = await _post(app, {"query": '{ ok: version bad: node(id: "nope") { id } }'})
    assert body["data"]["ok"] and body["data"]["bad"] is None
    assert body["errors"][0]["path"] == ["bad"]


async def test_cors_allows_local_front_ends_and_configured_origins(
        store: GraphStore, settings: Settings) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    default = make_app(store, settings)
    async with client(default) as c:
        local = await c.options("/graphql", headers={**preflight,
                                                     "Origin": "http://localhost:5173"})
        other = await c.options("/graphql", headers={**preflight,
                                                     "Origin": "https://elsewhere.example"})
    assert local.status_code == 200
    assert local.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "access-control-allow-origin" not in other.headers
    configured = make_app(store, settings, cors_origins=["https://app.example"],
                          cors_local=False)
    async with client(configured) as c:
        ok = await c.options("/graphql", headers={**preflight, "Origin": "https://app.example"})
        local = await c.options("/graphql", headers={**preflight,
                                                     "Origin": "http://localhost:5173"})
    assert ok.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in local.headers


async def test_neighborhood_is_the_induced_subgraph_with_edge_properties(
        store: GraphStore, settings: Settings) -> None:
    from test_api_support import gql, load_research_graph, ok

    await load_research_graph(store)
    app = make_app(store, settings)
    q = """{ neighborhood(id: "precedent:yamamoto-shoot-down-1943", depth: 2, maxNodes: 200) {
      nodes { id kind } edges { source target type treatment stance role document } } }"""
    graph = ok(await gql(app, q))["neighborhood"]
    ids = [n["id"] for n in graph["nodes"]]
    rows = await store.read("MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids "
                            "RETURN count(r) AS n", {"ids": ids})
    assert len(graph["edges"]) == rows[0]["n"] > 0  # every edge among the returned nodes
    cites = [e for e in graph["edges"] if e["type"] == "CITES_PRECEDENT"]
    assert cites and all(e["treatment"] in {"ANALOGIZES", "DISTINGUISHES", "MENTIONS"}
                         for e in cites)
    assert all(e["document"] for e in cites)
    kinds = {n["kind"] for n in graph["nodes"] if n["kind"]}
    assert kinds and all(k == k.upper() for k in kinds)  # one casing, as the enums


async def test_claim_facets_count_what_the_filters_count(store: GraphStore,
                                                         settings: Settings) -> None:
    """Each facet group's count equals the totalCount of the claims filtered to that group."""
    from test_api_support import gql, load_research_graph, ok

    await load_research_graph(store)
    app = make_app(store, settings)
    facets = ok(await gql(app, """{ claimFacets(first: 50) { bySpeaker { key count }
        byStance { key count } byConcept { key count } byTreatment { key count }
        byDocument { key count } byMonth { key count } } }"""))["claimFacets"]
    total = ok(await gql(app, "{ claims { totalCount } }"))["claims"]["totalCount"]
    assert sum(g["count"] for g in facets["byStance"]) == total
    assert sum(g["count"] for g in facets["byDocument"]) == total
    where = {"bySpeaker": lambda k: {"speaker": {"id": {"eq": k}}},
             "byConcept": lambda k: {"concept": {"id": {"eq": k}}},
             "byDocument": lambda k: {"document": {"id": {"eq": k}}}}
    for facet, make in where.items():
        assert facets[facet], facet
        for group in facets[facet][:3]:
            q = "query($w: ClaimWhere) { claims(where: $w) { totalCount } }"
            n = ok(await gql(app, q, {"w": make(group["key"])}))["claims"]["totalCount"]
            assert n == group["count"], (facet, group)
    assert {g["key"] for g in facets["byTreatment"]} <= {"analogizes", "distinguishes",
                                                         "mentions"}
    assert all(len(g["key"]) == 7 for g in facets["byMonth"])  # YYYY-MM


async def test_path_ends_that_do_not_exist_are_not_found(app: Starlette) -> None:
    for ends in ('from: "actor:nobody", to: "actor:nobody"',
                 'from: "actor:nobody", to: "actor:qasem-soleimani"'):
        body = await _post(app, {"query": f"{{ path({ends}) {{ nodes {{ id }} }} }}"})
        assert codes(body) == ["NOT_FOUND"], (ends, body)
