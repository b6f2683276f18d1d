"""Shared fixtures: one store fixture parametrized over both backends.

FalkorDB (embedded) and Neo4j are always tested; if either cannot start, the tests fail rather
than skip. Neo4j is the user's own when NEO4J_URI is set, and otherwise a Neo4j 5.26 Community
server that the suite starts once from its jars (tests/neo4j_server.py) and stops at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import neo4j_server
import pytest

from kb.config import Settings
from kb.cypher import schema
from kb.store.base import GraphStore
from kb.store.falkordb import FalkorDBStore
from kb.store.neo4j import Neo4jStore

BACKENDS = ["falkordb", "neo4j"]


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedded server for the whole session; tests get their own graph in it."""
    return tmp_path_factory.mktemp("kb-data")


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings.from_env({"KB_DATA_DIR": str(data_dir), "KB_GRAPH": "kb"})


@pytest.fixture(scope="session")
async def falkordb_server(data_dir: Path) -> AsyncIterator[FalkorDBStore]:
    """Keeps the embedded server alive for the session (the stores below reuse it)."""
    keeper = FalkorDBStore(data_dir, graph="keeper")
    await keeper.connect()
    yield keeper
    await keeper.close()


@pytest.fixture(scope="session")
def neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[neo4j_server.Neo4jServer]:
    """The Neo4j the suite tests: the user's own (NEO4J_URI) or one started for the session."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield neo4j_server.Neo4jServer(uri, os.environ.get("NEO4J_USER", "neo4j"),
                                       os.environ.get("NEO4J_PASSWORD", ""), None)
        return
    server = neo4j_server.start(tmp_path_factory.mktemp("neo4j"))
    yield server
    server.stop()


def neo4j_env(server: neo4j_server.Neo4jServer) -> dict[str, str]:
    """The environment that points `kb` at the test Neo4j."""
    return {"NEO4J_URI": server.uri, "NEO4J_USER": server.user,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": os.environ.get("NEO4J_DATABASE", "neo4j")}


def new_store(backend: str, request: pytest.FixtureRequest, data_dir: Path) -> GraphStore:
    if backend == "neo4j":
        server = request.getfixturevalue("neo4j")
        return Neo4jStore(server.uri, server.user, server.password,
                          os.environ.get("NEO4J_DATABASE", "neo4j"))
    return FalkorDBStore(data_dir, graph=f"t{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, data_dir: Path,
                falkordb_server: FalkorDBStore) -> AsyncIterator[GraphStore]:
    """An empty, bootstrapped store of each backend (Neo4j: its one database, emptied)."""
    s = new_store(request.param, request, data_dir)
    await s.connect()
    await s.write(schema.reset(s.dialect))
    await s.bootstrap()
    s.round_trips.reset()
    yield s
    await s.write(schema.reset(s.dialect))
    await s.close()
