"""Ingestion of one corpus into a fresh embedded store, in its own process (so that its peak
RSS is its own). Runs the product pipeline (`sync_ontology`, then `kb.ingest.load_files`) and
times extraction and store writes apart by wrapping the two seams it calls.

    python -m bench.ingest CORPUS_DIR DATA_DIR  -> JSON on stdout, progress on stderr
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from kb import ingest
from kb.ontology_sync import sync_ontology
from kb.store.falkordb import FalkorDBStore


def dir_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            p = Path(root) / name
            if p.is_file() and not p.is_socket():
                total += p.stat().st_size
    return total


def proc_mem(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in bytes (empty when it cannot be read)."""
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def server_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return None


async def graph_counts(store: FalkorDBStore) -> tuple[int, int]:
    nodes = await store.read("MATCH (n) RETURN count(n) AS c")
    edges = await store.read("MATCH ()-[r]->() RETURN count(r) AS c")
    return int(nodes[0]["c"]), int(edges[0]["c"])


async def run(corpus: Path, data_dir: Path) -> dict[str, Any]:
    timings = {"extract": 0.0, "write": 0.0}
    real_extract, real_ingest = ingest.extract_file, ingest.ingest_extraction

    def timed_extract(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return real_extract(*args, **kwargs)
        finally:
            timings["extract"] += time.perf_counter() - t0

    async def timed_ingest(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return await real_ingest(*args, **kwargs)
        finally:
            timings["write"] += time.perf_counter() - t0

    ingest.extract_file = timed_extract  # type: ignore[assignment]
    ingest.ingest_extraction = timed_ingest  # type: ignore[assignment]

    store = FalkorDBStore(data_dir)
    t0 = time.perf_counter()
    await store.connect()
    await store.bootstrap()
    await sync_ontology(store)
    setup = time.perf_counter() - t0

    files = list(ingest.iter_files([corpus]))
    done = 0
    started = time.perf_counter()

    def progress(_result: Any) -> None:
        nonlocal done
        done += 1
        if done % 500 == 0:
            rate = done / (time.perf_counter() - started)
            print(f"  ingested {done}/{len(files)} ({rate:.0f} docs/s)", file=sys.stderr,
                  flush=True)

    report = await ingest.load_files(store, files, on_result=progress)
    wall = time.perf_counter() - started
    nodes, edges = await graph_counts(store)
    pid = server_pid(data_dir)
    server_mem = proc_mem(pid) if pid else {}
    await store.close()
    loaded = report.count(ingest.Status.LOADED)
    written = sum(r.nodes + r.edges for r in report.results)
    return {
        "documents": len(files), "loaded": loaded, "failed": len(report.failures),
        "failures": [f"{r.path}: {r.reason}" for r in report.failures[:5]],
        "setup_s": setup, "wall_s": wall, "extract_s": timings["extract"],
        "write_s": timings["write"], "docs_per_s": loaded / wall if wall else 0.0,
        "rows_written": written, "rows_per_s": written / wall if wall else 0.0,
        "graph_nodes": nodes, "graph_edges": edges,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "server_rss": server_mem.get("VmRSS"), "server_peak_rss": server_mem.get("VmHWM"),
        "store_bytes": dir_bytes(data_dir),
    }


def main() -> None:
    corpus, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
    result = asyncio.run(run(corpus, data_dir))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
