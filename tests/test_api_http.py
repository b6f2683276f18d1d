"""The HTTP surface: schema drift, health and outages, limits, masking, auth, exports, CORS."""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path
from typing import Any

import networkx as nx
import orjson
import pytest
from starlette.applications import Starlette
from test_api_support import (
    JS,
    STRIKE,
    TOKEN,
    client,
    codes,
    gql,
    make_app,
    ok,
    research_fixture,
    wait_ready,
)

from kb.api.schema import schema
from kb.config import Settings
from kb.store.base import GraphStore
from kb.store.falkordb import FalkorDBStore

REPO = Path(__file__).resolve().parents[1]


def test_exported_schema_matches_the_code() -> None:
    """graphql/schema.graphql is what `kb schema` writes; regenerate it when this fails."""
    exported = (REPO / "graphql" / "schema.graphql").read_text()
    assert exported == schema.as_str() + "\n", "schema drift: run `kb schema`"


@pytest.fixture
async def app(store: GraphStore, settings: Settings) -> Starlette:
    await store.write_batch(research_fixture().statements(store.dialect))
    return make_app(store, settings, api_token=TOKEN, cors_origins=["https://viewer.example"],
                    max_body_bytes=20_000)


async def test_get_post_and_graphiql_switch(app: Starlette, store: GraphStore,
                                            settings: Settings) -> None:
    async with client(app) as c:
        r = await c.get("/graphql", params={"query": "{ version }"})
        assert r.status_code == 200 and r.json() == {"data": {"version": "0.2.0"}}
        assert r.headers["content-type"].startswith("application/json")
        page = await c.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        mutation = await c.get("/graphql", params={
            "query": 'mutation { deleteDocument(id: "document:x") { deleted } }'})
        assert mutation.status_code in (400, 405)
    closed = make_app(store, settings, graphiql=False)
    async with client(closed) as c:
        page = await c.get("/graphql", headers={"accept": "text/html"})
        assert "graphiql" not in page.text.lower()


async def test_health_live_and_ready(app: Starlette) -> None:
    async with client(app) as c:
        assert (await c.get("/health/live")).json() == {"status": "ok"}
        assert (await c.get("/health/ready")).status_code == 200


async def test_store_unreachable_then_back(tmp_path: Path, settings: Settings) -> None:
    """An outage answers STORE_UNAVAILABLE and 503; service resumes by itself."""
    unusable = tmp_path / "not-a-dir"
    unusable.write_text("x")
    down = make_app(FalkorDBStore(unusable, graph="g"), settings)
    async with client(down) as c:
        assert (await c.get("/health/live")).status_code == 200
        ready = await c.get("/health/ready")
        assert ready.status_code == 503 and ready.json()["code"] == "STORE_UNAVAILABLE"
        result = (await c.post("/graphql", json={"query": "{ stats { totalNodes } }"})).json()
        assert codes(result) == ["STORE_UNAVAILABLE"]
        assert "not-a-dir" not in result["errors"][0]["message"]

    store = FalkorDBStore(tmp_path / "own", graph="g")
    await store.connect()
    try:
        await store.bootstrap()
        app = make_app(store, settings)
        await asyncio.to_thread(store.server.kill)  # the server dies under the app
        async with client(app) as c:
            result = (await c.post("/graphql", json={"query": "{ stats { totalNodes } }"}))
            assert codes(result.json()) == ["STORE_UNAVAILABLE"]
            await wait_ready(c)  # the guard restarts the embedded server
            result = await c.post("/graphql", json={"query": "{ stats { totalNodes } }"})
            assert ok(result.json())["stats"]["totalNodes"] == 0
    finally:
        await store.close()


async def test_limits_depth_aliases_tokens_cost(app: Starlette) -> None:
    nested = "attacks(first: 1) { " * 12 + "id" + " }" * 12
    deep = "{ claims { edges { node { " + nested + " } } } }"
    assert codes(await gql(app, deep)) == ["GRAPHQL_VALIDATION_FAILED"]
    aliases = "{ " + " ".join(f"a{i}: version" for i in range(40)) + " }"
    assert codes(await gql(app, aliases)) == ["GRAPHQL_VALIDATION_FAILED"]
    tokens = "{ " + "a " * 3500 + "}"
    # the parser itself stops at the token limit
    assert codes(await gql(app, tokens))[0] in ("GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT")
    costly = """{ concepts(first: 100) { edges { node { claims(first: 100) {
        attacks(first: 100) { id } } } } } }"""
    assert codes(await gql(app, costly)) == ["COST_LIMIT_EXCEEDED"]


async def test_internal_errors_are_masked_and_logged_without_variables(
        app: Starlette, store: GraphStore, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("MATCH (n:Secret) WHERE n.x = $param")

    monkeypatch.setattr(store, "read", broken)
    with caplog.at_level(logging.INFO, logger="kb.api"):
        result = await gql(app, "query($t: Date) { timeline(to: $t) { id } }",
                           {"t": "2031-02-03"})
    assert codes(result) == ["INTERNAL_SERVER_ERROR"]
    assert result["errors"][0]["message"] == "Internal server error."
    assert "MATCH" not in orjson.dumps(result).decode()
    assert "RuntimeError" in caplog.text and "2031-02-03" not in caplog.text


async def test_mutations_need_the_token_and_refusals_look_alike(
        app: Starlette, store: GraphStore, settings: Settings) -> None:
    delete = 'mutation { deleteDocument(id: "' + JS + '") { id deleted } }'
    missing = await gql(app, delete)
    wrong = await gql(app, delete, headers={"Authorization": "Bearer nope"})
    unset = await gql(make_app(store, settings, api_token=None), delete,
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert codes(missing) == codes(wrong) == codes(unset) == ["UNAUTHENTICATED"]
    assert missing["errors"][0]["message"] == unset["errors"][0]["message"]
    data = ok(await gql(app, delete, headers={"Authorization": f"Bearer {TOKEN}"}))
    assert data["deleteDocument"] == {"id": JS, "deleted": True}
    after = ok(await gql(app, "query($id: ID!) { node(id: $id) { id } }", {"id": JS}))
    assert after["node"] is None
    again = await gql(app, delete, headers={"Authorization": f"Bearer {TOKEN}"})
    assert codes(again) == ["NOT_FOUND"]


async def test_ingest_document_through_the_loaders(app: Starlette) -> None:
    pytest.importorskip("loaders.extract")
    text = ("Officials debate the strike\n\nDefense Secretary Mark Esper said the strike was "
            "\"decisive defensive action\" against an imminent threat.\n")
    mutation = """mutation($text: String!, $meta: DocumentMetadata) {
      ingestDocument(text: $text, filename: "note.txt", metadata: $meta) {
        status nodesWritten document { id title publisher } } }"""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    result = ok(await gql(app, mutation, {"text": text, "meta": {"publisher": "Test Desk"}},
                          headers=auth))["ingestDocument"]
    assert result["status"] == "LOADED" and result["nodesWritten"] > 0
    assert result["document"]["publisher"] == "Test Desk"
    bad = await gql(app, mutation, {"text": "   "}, headers=auth)
    assert codes(bad) == ["BAD_USER_INPUT"]


async def test_body_size_limit(app: Starlette) -> None:
    async with client(app) as c:
        r = await c.post("/graphql", content=b"{" + b" " * 30_000 + b"}",
                         headers={"content-type": "application/json"})
    assert r.status_code == 413


async def test_cors_from_settings(app: Starlette) -> None:
    async with client(app) as c:
        r = await c.options("/graphql", headers={
            "Origin": "https://viewer.example", "Access-Control-Request-Method": "POST"})
        assert r.headers.get("access-control-allow-origin") == "https://viewer.example"
        r = await c.options("/graphql", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert r.headers.get("access-control-allow-origin") is None


async def test_exports_whole_graph_and_neighborhood(app: Starlette) -> None:
    async with client(app) as c:
        graphml = await c.get("/export/graph.graphml")
        gexf = await c.get("/export/graph.gexf")
        cyjs = await c.get("/export/graph.cyjs", params={"id": "actor:qasem-soleimani",
                                                          "depth": 1})
        bad = await c.get("/export/graph.cyjs", params={"id": "actor:x", "depth": 9})
        missing = await c.get("/export/graph.cyjs", params={"id": "actor:nobody"})
    assert graphml.status_code == gexf.status_code == cyjs.status_code == 200
    g = nx.read_graphml(io.BytesIO(graphml.content))
    assert g.nodes[STRIKE]["date"] == "2020-01-03" and g.nodes[STRIKE]["labels"] == "Event"
    assert g.number_of_edges() > 50
    h = nx.read_gexf(io.BytesIO(gexf.content))
    assert h.number_of_nodes() == g.number_of_nodes()
    elements = orjson.loads(cyjs.content)["elements"]
    ids = {n["data"]["id"] for n in elements["nodes"]}
    assert {"actor:qasem-soleimani", STRIKE} <= ids
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids
               for e in elements["edges"])
    assert bad.status_code == 400 and missing.status_code == 404


async def test_kb_export_command(store: GraphStore, data_dir: Path, tmp_path: Path,
                                 request: pytest.FixtureRequest) -> None:
    from conftest import neo4j_env
    from typer.testing import CliRunner

    from kb.cli import app as cli

    await store.write_batch(research_fixture().statements(store.dialect))
    if isinstance(store, FalkorDBStore):
        env = {"KB_DATA_DIR": str(data_dir), "KB_GRAPH": store.graph_name, "NEO4J_URI": ""}
    else:
        env = neo4j_env(request.getfixturevalue("neo4j"))
    out = tmp_path / "soleimani.gexf"
    args = ["export", "--format", "gexf", "--id", "actor:qasem-soleimani", "--depth", "2",
            "-o", str(out)]
    result = await asyncio.to_thread(CliRunner().invoke, cli, args, env=env)
    assert result.exit_code == 0, result.output
    g = nx.read_gexf(out)
    assert "actor:kataib-hezbollah" in g.nodes
    bad = await asyncio.to_thread(CliRunner().invoke, cli,
                                  ["export", "--format", "pdf", "-o", str(out)], env=env)
    assert bad.exit_code != 0


async def test_store_timeout_has_its_own_code(app: Starlette, store: GraphStore,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.store.base import StoreTimeout

    async def slow(*_args: Any, **_kwargs: Any) -> Any:
        raise StoreTimeout("a store query ran past 10s")

    monkeypatch.setattr(store, "read", slow)
    result = await gql(app, "{ timeline { id } }")
    assert codes(result) == ["STORE_TIMEOUT"]


async def test_errors_raised_outside_resolvers_are_masked(
        app: Starlette, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """An exception from an extension (not a resolver) never reaches a client as raw text."""
    from kb.api import limits

    def broken(self: Any) -> Any:
        raise RuntimeError("MATCH (n:Secret) RETURN n")

    monkeypatch.setattr(limits.CostLimiter, "on_validate", broken)
    with caplog.at_level(logging.ERROR, logger="kb.api"):
        result = await gql(app, "{ version }")
    text = orjson.dumps(result).decode()
    assert "MATCH" not in text and "RuntimeError" not in text, text
    assert codes(result) == ["INTERNAL_SERVER_ERROR"], result
