"""Measure the embedded store: start-up, batched UNWIND/MERGE of 10,000 nodes and 20,000
relationships, and a 3-hop traversal. Run: python -m bench.store_write"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from kb.model import Label, RelType
from kb.store.falkordb import FalkorDBStore
from kb.writer import GraphRows

NODES = 10_000
RELS = 20_000
BATCH = 2_000


async def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    store = FalkorDBStore(data)
    t0 = time.perf_counter()
    await store.connect()
    startup = time.perf_counter() - t0
    await store.bootstrap()

    rows = GraphRows()
    for i in range(NODES):
        rows.node(Label.ACTOR, f"actor:n{i}", name=f"Actor {i}", type="Person")
    for i in range(RELS):
        a, b = i % NODES, (i * 7 + 1) % NODES
        rows.edge(RelType.MEMBER_OF, Label.ACTOR, f"actor:n{a}", Label.ACTOR, f"actor:n{b}",
                  doc="document:bench", n=i)
    statements = rows.statements(store.dialect)
    node_rows = statements[0].params["rows"]
    edge_rows = statements[1].params["rows"]
    t0 = time.perf_counter()
    for chunk in range(0, len(node_rows), BATCH):
        await store.write(statements[0].text, {"rows": node_rows[chunk:chunk + BATCH]})
    nodes_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for chunk in range(0, len(edge_rows), BATCH):
        await store.write(statements[1].text, {"rows": edge_rows[chunk:chunk + BATCH]})
    rels_s = time.perf_counter() - t0

    lat = []
    for i in range(50):
        t0 = time.perf_counter()
        await store.read("MATCH (a:Actor {id: $id})-[:MEMBER_OF*1..3]->(b) "
                         "RETURN count(DISTINCT b) AS n", {"id": f"actor:n{i * 13}"})
        lat.append((time.perf_counter() - t0) * 1000)
    await store.close()
    print(f"embedded store start-up: {startup * 1000:.0f} ms")
    print(f"{NODES} nodes (UNWIND/MERGE, batches of {BATCH}): {nodes_s:.2f} s")
    print(f"{RELS} relationships (UNWIND/MATCH/MERGE, batches of {BATCH}): {rels_s:.2f} s")
    print(f"3-hop traversal (out-degree 2): p50 {statistics.median(lat):.2f} ms, "
          f"max {max(lat):.2f} ms over {len(lat)} runs")


if __name__ == "__main__":
    asyncio.run(main())
