"""`kb` against Neo4j end to end: serve seeds the store and answers over HTTP; load, stats,
export and reset work on it. The Neo4j is the suite's own server (or NEO4J_URI)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx
import networkx as nx
import pytest
from conftest import neo4j_env
from processes import KB, free_port, serve

from kb.cypher import schema
from kb.store.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "graphql" / "queries"


@pytest.fixture
async def env(neo4j, tmp_path: Path):  # type: ignore[no-untyped-def]
    store = Neo4jStore(neo4j.uri, neo4j.user, neo4j.password)
    await store.connect()
    await store.write(schema.reset(store.dialect))
    await store.close()
    # KB_DATA_DIR points at an empty folder: nothing embedded may be started there.
    return {**os.environ, **neo4j_env(neo4j), "KB_DATA_DIR": str(tmp_path / "unused")}


def _kb(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KB, *args], env=env, capture_output=True, text=True, timeout=300)


def _ask(port: int, operation: str) -> dict:
    r = httpx.post(f"http://127.0.0.1:{port}/graphql",
                   json={"query": (QUERIES / operation).read_text()}, timeout=30)
    body = r.json()
    assert "errors" not in body, body
    return body["data"]


async def test_serve_seeds_neo4j_and_answers_the_research_questions(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    proc = serve(env, port, timeout=180)
    try:
        precedents = _ask(port, "1_precedents_in_debate.graphql")["precedents"]
        assert precedents["totalCount"] >= 2
        concept = _ask(port, "2_imminent_threat_claims.graphql")["concepts"]["edges"][0]["node"]
        assert concept["id"] == "concept:imminent-threat" and len(concept["claims"]) >= 2
        timeline = _ask(port, "4_timeline.graphql")["timeline"]
        assert any(e["date"] == "2020-01-03" for e in timeline)
        path = _ask(port, "6_path_yamamoto_soleimani.graphql")["path"]
        assert path and path["edges"]
        r = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=10)
        assert r.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    assert not (tmp_path / "unused" / "redis.pid").exists()  # no embedded store was started


async def test_load_stats_export_reset_on_neo4j(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    load = _kb(env, "load", str(ROOT / "seeds" / "corpus"))
    assert load.returncode == 0, load.stderr
    assert "failed:" not in load.stderr
    stats = _kb(env, "stats")
    assert stats.returncode == 0 and "Document" in stats.stdout and " 3 " in stats.stdout
    out = tmp_path / "seeds.graphml"
    exported = _kb(env, "export", "--format", "graphml", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    g = nx.read_graphml(out)
    assert "actor:qasem-soleimani" in g.nodes and g.number_of_edges() > 100
    again = _kb(env, "load", str(ROOT / "seeds" / "corpus"))
    assert again.returncode == 0
    assert _kb(env, "stats").stdout == stats.stdout  # idempotent on Neo4j too
    reset = _kb(env, "reset", "--yes")
    assert reset.returncode == 0
    assert "Document" not in _kb(env, "stats").stdout
