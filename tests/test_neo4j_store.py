"""What only a real Neo4j shows: routing URIs, an outage and its end, refused credentials,
a failed connect, and the transaction timeout the server enforces."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import neo4j_server
import pytest
from processes import free_port
from test_api_support import client, codes, make_app, ok, wait_ready

from kb.config import Settings
from kb.cypher import schema
from kb.store.base import StoreTimeout, StoreUnavailable
from kb.store.neo4j import Neo4jStore


async def test_routing_uri_reads_and_writes_through_the_single_server(neo4j) -> None:  # type: ignore[no-untyped-def]
    store = Neo4jStore(neo4j.uri.replace("bolt://", "neo4j://"), neo4j.user, neo4j.password)
    await store.connect()
    try:
        await store.write(schema.reset(store.dialect))
        await store.write("CREATE (:Actor {id: $id, name: 'Routed'})", {"id": "actor:routed"})
        rows = await store.read("MATCH (a:Actor {id: $id}) RETURN a.name AS name",
                                {"id": "actor:routed"})
        assert rows == [{"name": "Routed"}]
        assert await store.health()
    finally:
        await store.write(schema.reset(store.dialect))
        await store.close()


async def test_wrong_password_and_no_server_are_clear_and_leave_nothing_open(neo4j) -> None:  # type: ignore[no-untyped-def]
    wrong = Neo4jStore(neo4j.uri, neo4j.user, neo4j.password + "x", timeout=3)
    with pytest.raises(StoreUnavailable, match="credentials"):
        await wrong.connect()
    assert wrong._driver is None  # the driver of a failed connect is closed, not kept
    nobody = Neo4jStore(f"bolt://127.0.0.1:{free_port()}", "neo4j", "x", timeout=3)
    with pytest.raises(StoreUnavailable, match="not reachable"):
        await nobody.connect()
    assert nobody._driver is None
    assert not await nobody.health()  # false, never an exception


async def test_a_statement_past_the_timeout_is_stopped_by_the_server(neo4j) -> None:  # type: ignore[no-untyped-def]
    store = Neo4jStore(neo4j.uri, neo4j.user, neo4j.password, timeout=1)
    await store.connect()
    try:
        with pytest.raises(StoreTimeout):
            await store.read("UNWIND range(1, 100000000) AS i WITH i WHERE i % 7 = 3 "
                             "RETURN count(*) AS n")
        assert await store.health()  # the session is usable afterwards
    finally:
        await store.close()


async def test_an_outage_is_store_unavailable_within_the_timeout_and_ends_by_itself(
        tmp_path: Path, settings: Settings) -> None:
    """A Neo4j of its own (stopped and started again on the same port and data)."""
    port = free_port()
    server = neo4j_server.start(tmp_path / "neo4j", port=port, password="outage-pw")
    store = Neo4jStore(server.uri, server.user, server.password, timeout=4)
    try:
        await store.connect()
        await store.bootstrap()
        app = make_app(store, settings)
        async with client(app) as c:
            assert (await c.get("/health/ready")).status_code == 200
            await asyncio.to_thread(server.stop)
            started = time.monotonic()
            result = (await c.post("/graphql", json={"query": "{ stats { totalNodes } }"}))
            waited = time.monotonic() - started
            assert codes(result.json()) == ["STORE_UNAVAILABLE"]
            # the contract, not a benchmark: a store that is down is reported within the
            # configured timeout, not after the driver's default 30 s of retries
            assert waited <= store.timeout, f"STORE_UNAVAILABLE after {waited:.1f} s"
            assert (await c.get("/health/ready")).status_code == 503
            assert (await c.get("/health/live")).status_code == 200
            server = await asyncio.to_thread(neo4j_server.start, tmp_path / "neo4j",
                                             port=port, password="outage-pw")
            await wait_ready(c, seconds=20)
            result = await c.post("/graphql", json={"query": "{ stats { totalNodes } }"})
            assert ok(result.json())["stats"]["totalNodes"] == 0
    finally:
        await store.close()
        server.stop()
