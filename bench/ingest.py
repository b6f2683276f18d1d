"""Ingestion of one corpus into a fresh store, in its own process (so that its peak RSS is its
own). The store is the embedded FalkorDB of DATA_DIR, or Neo4j when NEO4J_URI is set (see
`bench.stores`: the Java process is then "the store server", and compaction is n/a). Runs the
product pipeline (`sync_ontology`, then `kb.ingest.load_files`) and reports the times the load
itself measures: extraction (summed over its worker processes, which run in parallel with the
writes, so extraction and write times add up to more than the wall time), store writes, and the
final compaction of the store's append-only file. CPU seconds are reported for this process
with its extraction workers, and for the store server.

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
from kb.store.base import GraphStore


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


def proc_cpu(pid: int) -> float | None:
    """CPU seconds a process and its reaped children have used (None when unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # utime, stime, and those of its finished children (the append-only-file rewrites)
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def self_cpu() -> tuple[float, float]:
    """CPU seconds of this process, and of its finished children (the extraction workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def server_pid(data_dir: Path) -> int | None:
    from bench.stores import store_pid

    return store_pid(data_dir)


async def graph_counts(store: GraphStore) -> tuple[int, int]:
    nodes = await store.read("MATCH (n) RETURN count(n) AS c")
    edges = await store.read("MATCH ()-[r]->() RETURN count(r) AS c")
    return int(nodes[0]["c"]), int(edges[0]["c"])


def server_forks(data_dir: Path) -> dict[str, int] | None:
    """How often the embedded FalkorDB server forked (its index garbage collector forks the
    whole process; see kb.cypher.write.INDEXED_FIELDS) and how long the last fork blocked it."""
    import redis

    from kb.store.embedded import EmbeddedServer

    try:
        socket, password = EmbeddedServer(data_dir).ensure_running()
        client = redis.Redis(unix_socket_path=str(socket), password=password)
        stats = client.info("stats")
        client.close()
    except Exception:  # not FalkorDB, or not answering: the figure is left out
        return None
    return {"forks": int(stats["total_forks"]), "last_fork_us": int(stats["latest_fork_usec"])}


async def run(corpus: Path, data_dir: Path) -> dict[str, Any]:
    from bench.stores import neo4j_store_bytes, open_store

    store = open_store(data_dir)
    neo4j = store.dialect.value == "neo4j"
    t0 = time.perf_counter()
    await store.connect()
    await store.bootstrap()
    await sync_ontology(store)
    setup = time.perf_counter() - t0

    files = list(ingest.iter_files([corpus]))
    done = 0
    started = time.perf_counter()
    pid = server_pid(data_dir)
    slice_docs = max(500, len(files) // 10)
    slices: list[dict[str, float]] = []
    mark = {"t": started, "main": self_cpu()[0], "store": proc_cpu(pid) if pid else None}

    def progress(_result: Any) -> None:
        """Every tenth of the load: its rate, and the main process's and the store server's
        CPU per document in that slice alone (does the cost of a write grow with the graph?)."""
        nonlocal done
        done += 1
        if done % slice_docs and done != len(files):
            return
        now, main_cpu = time.perf_counter(), self_cpu()[0]
        store_cpu = proc_cpu(pid) if pid else None
        n = done - (slices[-1]["done"] if slices else 0)
        slices.append({
            "done": done, "docs_per_s": n / (now - mark["t"]),
            "main_cpu_ms": 1000 * (main_cpu - mark["main"]) / n,
            "store_cpu_ms": (1000 * (store_cpu - mark["store"]) / n
                             if store_cpu is not None and mark["store"] is not None else None),
        })
        mark.update(t=now, main=main_cpu, store=store_cpu)
        print(f"  ingested {done}/{len(files)} ({done / (now - started):.0f} docs/s; this "
              f"slice {slices[-1]['docs_per_s']:.0f} docs/s)", file=sys.stderr, flush=True)

    cpu0, server_cpu0 = self_cpu(), (proc_cpu(pid) if pid else None)
    forks0 = None if neo4j else server_forks(data_dir)
    report = await ingest.load_files(store, files, on_result=progress)
    wall = time.perf_counter() - started
    cpu1, server_cpu1 = self_cpu(), (proc_cpu(pid) if pid else None)
    workers_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    forks1 = None if neo4j else server_forks(data_dir)
    nodes, edges = await graph_counts(store)
    server_mem = proc_mem(pid) if pid else {}
    await store.close()
    loaded = report.count(ingest.Status.LOADED)
    written = sum(r.nodes + r.edges for r in report.results)
    return {
        "documents": len(files), "loaded": loaded, "failed": len(report.failures),
        "failures": [f"{r.path}: {r.reason}" for r in report.failures[:5]],
        "setup_s": setup, "wall_s": wall, "extract_s": report.extract_seconds,
        "write_s": report.write_seconds,
        "compact_s": None if neo4j else report.compact_seconds,
        "docs_per_s": loaded / wall if wall else 0.0,
        "ingest_cpu_s": cpu1[0] - cpu0[0], "workers_cpu_s": cpu1[1] - cpu0[1],
        "server_cpu_s": (server_cpu1 - server_cpu0
                         if server_cpu0 is not None and server_cpu1 is not None else None),
        "rows_written": written, "rows_per_s": written / wall if wall else 0.0,
        "graph_nodes": nodes, "graph_edges": edges,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "workers_peak_rss": workers_rss,
        "server_rss": server_mem.get("VmRSS"), "server_peak_rss": server_mem.get("VmHWM"),
        "store_bytes": neo4j_store_bytes() if neo4j else dir_bytes(data_dir),
        "slices": slices,
        "server_forks": (forks1["forks"] - forks0["forks"] if forks0 and forks1 else None),
        "last_fork_ms": forks1["last_fork_us"] / 1000 if forks1 else None,
    }


def main() -> None:
    corpus, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
    result = asyncio.run(run(corpus, data_dir))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
