"""The floor: the same data as a GraphQL operation, fetched by hand-written Cypher through the
store (no HTTP, no GraphQL), in its own process at the same concurrency. The store is the
embedded FalkorDB of `data_dir`, or Neo4j when NEO4J_URI is set (`bench.stores`); the Cypher is
the same on both.

Reads a job as JSON on stdin ({"data_dir", "floor", "variables", "concurrency", "requests",
"duration", "warmup"}) and writes the measurements as JSON on stdout.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from bench.loadgen import run_load, summarize
from bench.stores import open_store

FLOORS: dict[str, str] = {
    # graphql/queries/2_imminent_threat_claims.graphql: concepts by name (first 5) -> their
    # first 100 claims (in the API's order) -> speaker, evidence, passage, document.
    # One speaker per claim, as the API's `Claim.speaker` gives: `head(collect(s))` keeps the
    # answer the same on both stores should a claim have parallel ASSERTS edges (before commit
    # 97a149e every claim had two; an unnamed pattern matches them once on FalkorDB and twice
    # on Neo4j, so Neo4j's floor answered every claim twice).
    "nested": (
        "MATCH (c:Concept) WHERE c.name = $concept "
        "WITH c ORDER BY c.id LIMIT 5 "
        "OPTIONAL MATCH (c)<-[:INVOKES]-(m:Claim) "
        "WITH c, m ORDER BY coalesce(m.doc, ''), coalesce(m.start, -1), m.id "
        "WITH c, collect(m)[0..100] AS claims "
        "UNWIND claims AS m "
        "OPTIONAL MATCH (s)-[:ASSERTS]->(m) "
        "WITH c, m, head(collect(s)) AS s "
        "OPTIONAL MATCH (p:Passage {id: m.passage}) "
        "OPTIONAL MATCH (d:Document {id: m.doc}) "
        "RETURN c.id AS id, c.name AS name, c.definition AS definition, "
        "collect({id: m.id, stance: m.stance, text: m.text, "
        "speaker: {id: s.id, name: s.name}, "
        "evidence: {quote: m.quote, start: m.start, end: m.end, "
        "passage: {id: p.id, text: p.text}, "
        "document: {id: d.id, title: d.title, publisher: d.publisher, "
        "published: d.published}}}) AS claims"
    ),
}


async def run(job: dict[str, Any]) -> dict[str, Any]:
    store = open_store(Path(job["data_dir"]))
    await store.connect()
    text = FLOORS[job["floor"]]
    sizes: list[int] = []
    try:
        async def call(variables: dict[str, Any]) -> str | None:
            rows = await store.read(text, variables)
            if not rows:
                return "no rows"
            sizes.append(sum(len(r["claims"]) for r in rows))
            return None

        result = await run_load(call, job["variables"], job["concurrency"], job["requests"],
                                job["duration"], job.get("warmup", 0))
    finally:
        await store.close()
    out = summarize(result)
    out["items_mean"] = sum(sizes) / len(sizes) if sizes else 0.0
    return out


def main() -> None:
    json.dump(asyncio.run(run(json.load(sys.stdin))), sys.stdout)


if __name__ == "__main__":
    main()
