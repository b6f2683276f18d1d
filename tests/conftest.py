"""Shared fixtures: one store fixture parametrized over every available backend.

FalkorDB (embedded) is always tested; if it cannot start, the tests fail rather than skip.
Neo4j is tested when NEO4J_URI is set, and otherwise skipped with the reason shown by `-ra`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

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


def new_store(backend: str, data_dir: Path) -> GraphStore:
    if backend == "neo4j":
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip("NEO4J_URI is not set: the Neo4j backend is not tested")
        return Neo4jStore(uri, os.environ.get("NEO4J_USER", "neo4j"),
                          os.environ.get("NEO4J_PASSWORD", ""),
                          os.environ.get("NEO4J_DATABASE", "neo4j"))
    return FalkorDBStore(data_dir, graph=f"t{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, data_dir: Path,
                falkordb_server: FalkorDBStore) -> AsyncIterator[GraphStore]:
    """An empty, bootstrapped store of each available backend."""
    s = new_store(request.param, data_dir)
    await s.connect()
    await s.write(schema.reset(s.dialect))
    await s.bootstrap()
    s.round_trips.reset()
    yield s
    await s.write(schema.reset(s.dialect))
    await s.close()
