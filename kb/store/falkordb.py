"""The embedded FalkorDB backend (the default when no Neo4j URI is configured)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from falkordb.asyncio import FalkorDB
from redis.asyncio import BlockingConnectionPool, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from kb.cypher import schema, traversal
from kb.model import FULLTEXT_FIELDS, Label, label_of
from kb.store.base import (
    Dialect,
    Params,
    RoundTrips,
    Row,
    SearchTooBroad,
    Statement,
    StoreError,
    StoreTimeout,
    StoreUnavailable,
)
from kb.store.embedded import EmbeddedServer
from kb.store.search_terms import parse_search, render_search
from kb.store.values import plain, to_param

PATH_BUDGET = 50_000
"""Nodes a path search may reach (summed over its levels) before it gives up with
SearchTooBroad: through hubs (an actor mentioned in 30,000 passages) four levels can reach
most of a 10k-document graph, which no reply should carry. At 50,000 a search costs at most
about half a second and 10 MB of the API process."""

MEET_LIST_MAX = 256
"""Largest far frontier that the last level tests in the store; past it the level is expanded
and the frontiers intersected here."""

MAX_CONNECTIONS = 32
"""Queries in flight at once; more wait for a free connection (up to the query timeout)
instead of failing, as the client's default pool does past its limit. The server runs
queries on a few threads, so more connections would only queue there."""

_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


class FalkorDBStore:
    """Talks to FalkorDB over its native protocol through the `falkordb` client."""

    dialect = Dialect.FALKORDB

    def __init__(self, data_dir: Path, graph: str = "kb", timeout: float = 10.0) -> None:
        self.server = EmbeddedServer(data_dir)
        self.graph_name = graph
        self.timeout = timeout
        self.round_trips = RoundTrips()
        self._db: FalkorDB | None = None
        self._graph: Any = None

    async def connect(self) -> None:
        """Start or reuse the server and open a client; calling it again reconnects."""
        sock, password = await asyncio.to_thread(self.server.ensure_running)
        if self._db is not None:  # a reconnect after an outage: drop the old client
            with contextlib.suppress(RedisError, OSError):
                await self._db.connection.aclose()
        pool = BlockingConnectionPool(
            connection_class=UnixDomainSocketConnection, path=str(sock), password=password,
            socket_timeout=self.timeout + 5, socket_connect_timeout=5,
            max_connections=MAX_CONNECTIONS, timeout=self.timeout, decode_responses=True)
        self._db = FalkorDB(connection_pool=pool)
        self._graph = self._db.select_graph(self.graph_name)

    async def read(self, text: str, params: Params | None = None) -> list[Row]:
        return await self._run(text, params, readonly=True)

    async def write(self, text: str, params: Params | None = None) -> list[Row]:
        return await self._run(text, params, readonly=False)

    async def write_batch(self, statements: Sequence[Statement]) -> None:
        """FalkorDB has no multi-statement transactions, but one query is atomic (it is undone
        on error), so the batch becomes one query of unit subqueries with renamed parameters."""
        if not statements:
            return
        parts: list[str] = []
        params: dict[str, Any] = {}
        for i, st in enumerate(statements):
            prefix = f"s{i}_"
            parts.append("CALL { " + _PARAM.sub(lambda m, p=prefix: f"${p}{m.group(1)}",
                                                 st.text) + " }")
            params.update({prefix + k: v for k, v in st.params.items()})
        await self._run(" ".join(parts) + " RETURN 1 AS ok", params, readonly=False)

    async def bootstrap(self) -> None:
        existing = await self._existing_indexes()
        for label in Label:
            if (label.value, "id") not in existing:
                await self._run(schema.id_index(self.dialect, LABEL=label.value), None, False)
        for label, name in (("Passage", "passage_doc"), ("Claim", "claim_doc")):
            if (label, "doc") not in existing:
                await self._run(schema.doc_index(self.dialect, LABEL=label, NAME=name), None,
                                False)
        for rel, name in schema.EDGE_DOC_INDEXES:
            if (rel, "doc") not in existing:
                await self._run(schema.edge_doc_index(self.dialect, TYPE=rel, NAME=name),
                                None, False)
        if ("Event", "date") not in existing:
            await self._run(schema.event_date_index(self.dialect), None, False)
        for label, q in schema.fulltext_index_label.items():
            if (label.value, "fulltext") not in existing:
                await self._run(q(self.dialect), None, False)
        await self._ensure_unique_constraints()

    async def fulltext(self, text: str, labels: Sequence[str], limit: int) -> list[Row]:
        parsed = parse_search(text)
        if parsed is None:
            return []
        q = render_search(parsed, lucene=False)
        wanted = [lbl for lbl in Label if lbl.value in labels and lbl in FULLTEXT_FIELDS]
        if not wanted:
            return []
        union = " UNION ALL ".join(
            traversal.fulltext_label(self.dialect, LABEL=lbl.value) for lbl in wanted)
        rows = await self._run(union, {"q": q, "limit": limit}, readonly=True)
        rows.sort(key=lambda r: (-float(r["score"]), r["id"]))
        return rows[:limit]

    async def shortest_paths(self, source_id: str, target_id: str, max_hops: int,
                             exclude: Sequence[str] = (), rel_types: Sequence[str] = (),
                             limit: int = 1) -> list[Row]:
        """FalkorDB has no undirected shortestPath, so search breadth-first from both ends,
        one query per hop level over internal ids (bounded by `max_hops` round trips).

        Each level is expanded whole, so every node where the two searches meet on that level
        is found; all of them lie on shortest paths (a shorter path would have met a level
        earlier). A node keeps up to `limit` parents, enough to spell `limit` paths."""
        src_label, dst_label = label_of(source_id), label_of(target_id)
        if src_label is None or dst_label is None:
            return []
        ends = await self._run(
            traversal.path_ends(self.dialect, SRC=src_label.value, DST=dst_label.value),
            {"s": source_id, "t": target_id}, readonly=True)
        a, b = ends[0]["a"], ends[0]["b"]
        if a is None or b is None:
            return []
        if a == b:
            return [{"nodes": [source_id], "rels": []}]
        common = {"types": list(rel_types), "fan": limit}
        # parents[side][node] = the nodes it was reached from (none at the two ends)
        parents: list[dict[int, list[int]]] = [{a: []}, {b: []}]
        frontiers: list[list[int]] = [[a], [b]]
        meets: list[int] = []
        budget = PATH_BUDGET
        for hop in range(max_hops):
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            ids, other = sorted(frontiers[side]), frontiers[1 - side]
            if hop == max_hops - 1 and len(other) <= MEET_LIST_MAX:
                rows = await self._run(
                    traversal.path_meet(self.dialect),
                    {"ids": ids, "other": sorted(other), "limit": limit, **common},
                    readonly=True)
                for row in rows:
                    parents[side][row["m"]] = sorted(row["ns"])
                    meets.append(row["m"])
                break
            rows = await self._run(
                traversal.expand_internal(self.dialect),
                {"ids": ids, "limit": budget + 1, "exclude": list(exclude), "ends": [a, b],
                 **common},
                readonly=True)
            if len(rows) > budget:
                raise SearchTooBroad(f"the path search reached {PATH_BUDGET:,} nodes")
            budget -= len(rows)
            rows.sort(key=lambda r: r["m"])  # the same paths whatever the reply's order
            nxt: list[int] = []
            for row in rows:
                m = row["m"]
                if m in parents[side]:
                    continue
                parents[side][m] = sorted(row["ns"])
                nxt.append(m)
                if m in parents[1 - side]:
                    meets.append(m)
            if meets or not nxt:
                break
            frontiers[side] = nxt
        chains = _chains(parents, meets, limit)
        return await self._assemble(chains, rel_types) if chains else []

    async def health(self) -> bool:
        try:
            rows = await self._run(schema.ping(self.dialect), None, readonly=True)
        except StoreError:
            return False
        return bool(rows and rows[0].get("ok") == 1)

    async def close(self) -> None:
        """Close the client, then stop the server if this process started it.

        The stop is synchronous on purpose: at Ctrl-C the task running this is being cancelled,
        and an awaited stop would be cut short, leaving the server behind.
        """
        db, self._db, self._graph = self._db, None, None
        try:
            if db is not None:
                with contextlib.suppress(RedisError, OSError):
                    await db.connection.aclose()
        finally:
            self.server.stop()

    # -- internals -----------------------------------------------------------------------

    async def _assemble(self, chains: list[list[int]], rel_types: Sequence[str]) -> list[Row]:
        """The chains of internal ids as paths of stable ids, one edge per step; the steps of
        all chains go as one UNION ALL query. A chain that lost an edge between the levels and
        now is dropped."""
        steps = sorted({pair for chain in chains for pair in itertools.pairwise(chain)})
        template = traversal.path_edge(self.dialect)
        params: dict[str, Any] = {}
        parts: list[str] = []
        for k, (x, y) in enumerate(steps):
            parts.append(_PARAM.sub(lambda m, k=k: f"${m.group(1)}{k}", template))
            params.update({f"x{k}": x, f"y{k}": y, f"k{k}": k, f"types{k}": list(rel_types)})
        rows = await self._run(" UNION ALL ".join(parts), params, readonly=True)
        found = {steps[r["k"]]: r for r in rows}
        paths: list[Row] = []
        for chain in chains:
            edges = [found.get(pair) for pair in itertools.pairwise(chain)]
            if any(e is None for e in edges):
                continue
            paths.append({
                "nodes": [edges[0]["a"], *(e["b"] for e in edges)],
                "rels": [{"source": e["sid"], "target": e["tid"], "type": e["type"],
                          "key": e.get("key")} for e in edges],
            })
        return sorted(paths, key=lambda p: p["nodes"])

    async def _existing_indexes(self) -> set[tuple[str, str]]:
        rows = await self._run(schema.list_indexes(self.dialect), None, readonly=True)
        found: set[tuple[str, str]] = set()
        for row in rows:
            types = row.get("types") or {}
            for prop in row.get("properties") or []:
                kinds = types.get(prop, []) if isinstance(types, dict) else []
                if "FULLTEXT" in kinds:
                    found.add((row["label"], "fulltext"))
                if "RANGE" in kinds or not kinds:
                    found.add((row["label"], prop))
        return found

    async def _ensure_unique_constraints(self) -> None:
        """Constraints are created with a command, not Cypher; each needs its range index."""
        assert self._db is not None
        rows = await self._run(schema.list_constraints(self.dialect), None, readonly=True)
        have = {r["label"] for r in rows if r.get("type") == "UNIQUE" and r.get("label")}
        for label in Label:
            if label.value in have:
                continue
            self.round_trips.count += 1
            try:
                await self._db.connection.execute_command(
                    "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE",
                    label.value, "PROPERTIES", "1", "id")
            except ResponseError as exc:
                if "already exists" not in str(exc).lower():
                    raise StoreError(f"cannot create the uniqueness constraint on "
                                     f"{label.value}.id: {exc}") from exc
            except (RedisConnectionError, OSError) as exc:
                raise StoreUnavailable("the embedded store is not reachable") from exc

    async def _run(self, text: str, params: Params | None, readonly: bool) -> list[Row]:
        if self._graph is None:
            raise StoreUnavailable("the store is not connected")
        self.round_trips.count += 1
        args = {k: to_param(v) for k, v in (params or {}).items()} or None
        run = self._graph.ro_query if readonly else self._graph.query
        try:
            result = await asyncio.wait_for(
                run(text, args, timeout=int(self.timeout * 1000)), self.timeout + 2)
        except (TimeoutError, RedisTimeoutError) as exc:
            raise StoreTimeout(f"a store query ran past {self.timeout:g}s") from exc
        except (RedisConnectionError, ConnectionError, OSError) as exc:
            raise StoreUnavailable("the embedded store is not reachable") from exc
        except ResponseError as exc:
            msg = str(exc)
            if "empty key" in msg:  # a graph nothing was written to yet reads as empty
                return []
            if "timed out" in msg.lower():
                raise StoreTimeout(f"a store query ran past {self.timeout:g}s") from exc
            raise StoreError(msg) from exc
        except RedisError as exc:
            raise StoreUnavailable(f"the embedded store failed: {type(exc).__name__}") from exc
        names = [h[1] if isinstance(h, list | tuple) else h for h in result.header]
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in names]
        return [dict(zip(names, (plain(v) for v in row), strict=True))
                for row in result.result_set]


def _chains(parents: list[dict[int, list[int]]], meets: list[int], limit: int
            ) -> list[list[int]]:
    """Up to `limit` chains source → meet → target through the two searches' parents (which
    ones, when more tie, follows the internal ids)."""

    def back(side: int, node: int) -> Iterator[list[int]]:
        """Chains from `node` back to its side's end, `node` first."""
        if not parents[side][node]:
            yield [node]
            return
        for parent in parents[side][node]:
            for rest in back(side, parent):
                yield [node, *rest]

    out: list[list[int]] = []
    for meet in sorted(meets):
        for left in back(0, meet):
            for right in back(1, meet):
                out.append([*reversed(left), *right[1:]])
                if len(out) >= limit:
                    return out
    return out
