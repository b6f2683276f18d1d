"""The embedded FalkorDB backend (the default when no Neo4j URI is configured)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from falkordb.asyncio import FalkorDB
from falkordb.asyncio.query_result import QueryResult
from redis.asyncio import BlockingConnectionPool, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from kb.cypher import schema, traversal
from kb.model import EDGE_ENDPOINTS, FULLTEXT_FIELDS, Label, RelType, label_of
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
BUSY_FIRST_PAUSE = 0.02
BUSY_MAX_PAUSE = 0.5
"""Seconds between sending a statement the server answered BUSY again (doubling)."""

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
        one query per hop level over internal ids (bounded by `max_hops` levels), expanding
        each time the side whose frontier has fewer edges.

        Each level is expanded whole, so every node where the two searches meet on that level
        is found; all of them lie on shortest paths (a shorter path would have met a level
        earlier). A node keeps up to `limit` parents, enough to spell `limit` paths."""
        src_label, dst_label = label_of(source_id), label_of(target_id)
        if src_label is None or dst_label is None:
            return []
        types, exclude = _walkable(exclude, rel_types, (src_label, dst_label))
        ends = await self._run(
            traversal.path_ends(self.dialect, SRC=src_label.value, DST=dst_label.value),
            {"s": source_id, "t": target_id}, readonly=True)
        a, b = ends[0]["a"], ends[0]["b"]
        if a is None or b is None:
            return []
        if a == b:
            return [{"nodes": [source_id], "rels": []}]
        if not types:
            return []
        # parents[side][node] = the nodes it was reached from (none at the two ends)
        parents: list[dict[int, list[int]]] = [{a: []}, {b: []}]
        frontiers: list[list[int]] = [[a], [b]]
        degree: list[int | None] = [None, None]  # edges of each frontier, once counted
        meets: list[int] = []
        budget = PATH_BUDGET
        for hop in range(max_hops):
            side = await self._cheaper_side(frontiers, degree, types, budget)
            ids, other = sorted(frontiers[side]), frontiers[1 - side]
            common = {"ids": ids, "fan": limit}
            if hop == max_hops - 1 and len(other) <= MEET_LIST_MAX:
                rows = await self._run(traversal.path_meet(self.dialect, TYPES=types),
                                       {**common, "other": sorted(other), "limit": limit},
                                       readonly=True)
                for row in rows:
                    parents[side][row["m"]] = sorted(set(row["ns"]))
                    meets.append(row["m"])
                break
            rows = await self._run(
                traversal.expand_internal(self.dialect, TYPES=types),
                {**common, "limit": budget + 1, "exclude": exclude, "ends": [a, b]},
                readonly=True)
            budget -= degree[side] or 0
            degree[side] = None
            rows.sort(key=lambda r: r["m"])  # the same paths whatever the reply's order
            nxt: list[int] = []
            for row in rows:
                m = row["m"]
                if m in parents[side]:
                    continue
                parents[side][m] = sorted(set(row["ns"]))
                nxt.append(m)
                if m in parents[1 - side]:
                    meets.append(m)
            if meets or not nxt:
                break
            frontiers[side] = nxt
        chains = _chains(parents, meets, limit)
        return await self._assemble(chains, types) if chains else []

    async def _cheaper_side(self, frontiers: list[list[int]], degree: list[int | None],
                            types: str, budget: int) -> int:
        """The side whose frontier has fewer edges (`degree` keeps exact counts between levels),
        counting only what the choice needs: a frontier has at least one edge per node, so the
        side with fewer nodes wins uncounted when its edges are no more than the other side's
        nodes, and each count stops past the figure it is compared with. SearchTooBroad when
        the cheaper side has more edges than the budget left."""
        small = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        big = 1 - small
        limit = min(budget, degree[big] if degree[big] is not None else budget)
        if degree[small] is None:
            degree[small] = await self._edges(frontiers[small], types, limit)
        if degree[small] is not None and degree[small] <= len(frontiers[big]):
            side = small
        else:
            if degree[big] is None:
                beat = degree[small] if degree[small] is not None else budget
                degree[big] = await self._edges(frontiers[big], types, beat)
            known = [d if d is not None else budget + 1 for d in degree]
            side = small if known[small] <= known[big] else big
        if degree[side] is None or degree[side] > budget:
            raise SearchTooBroad(f"the path search would pass {PATH_BUDGET:,} edges")
        return side

    async def _edges(self, frontier: list[int], types: str, cap: int) -> int | None:
        """The frontier's edges of `types`, or None when there are more than `cap`."""
        rows = await self._run(traversal.frontier_edges(self.dialect, TYPES=types),
                               {"ids": frontier, "cap": cap + 1}, readonly=True)
        edges = int(rows[0]["edges"]) if rows else 0
        return None if edges > cap else edges

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

    async def _assemble(self, chains: list[list[int]], types: str) -> list[Row]:
        """The chains of internal ids as paths of stable ids, one edge per step; the steps of
        all chains go as one UNION ALL query. A chain that lost an edge between the levels and
        now is dropped."""
        ends = {chains[0][0], chains[0][-1]}
        inner = sorted({n for chain in chains for n in chain} - ends)
        claims: set[int] = set()
        if inner:
            rows = await self._run(traversal.node_labels(self.dialect), {"ids": inner},
                                   readonly=True)
            claims = {r["i"] for r in rows if r["label"] == Label.CLAIM.value}

        def rank(node: int) -> int:  # claims have few edges, searched ends often many
            return 0 if node in claims else 2 if node in ends else 1

        steps = sorted({pair if rank(pair[0]) <= rank(pair[1]) else (pair[1], pair[0])
                        for chain in chains for pair in itertools.pairwise(chain)})
        template = traversal.path_edge(self.dialect, TYPES=types)
        params: dict[str, Any] = {}
        parts: list[str] = []
        for k, (x, y) in enumerate(steps):
            parts.append(_PARAM.sub(lambda m, k=k: f"${m.group(1)}{k}", template))
            params.update({f"x{k}": x, f"y{k}": y, f"k{k}": k})
        rows = await self._run(" UNION ALL ".join(parts), params, readonly=True)
        stable: dict[int, str] = {}
        edge: dict[frozenset[int], Row] = {}
        for row in rows:
            x, y = steps[row["k"]]
            stable[x], stable[y] = row["a"], row["b"]
            edge[frozenset((x, y))] = row
        paths: list[Row] = []
        for chain in chains:
            found = [edge.get(frozenset(pair)) for pair in itertools.pairwise(chain)]
            if any(e is None for e in found):
                continue
            paths.append({
                "nodes": [stable[n] for n in chain],
                "rels": [{"source": e["sid"], "target": e["tid"], "type": e["type"],
                          "key": e.get("key")} for e in found if e is not None],
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
        """One statement; a BUSY reply is sent again until the timeout. The server answers
        BUSY, without running the statement, while it prepares a fork (its index collector
        forks it several times a minute under writes, for longer the more memory it holds) or
        while a script runs past its threshold: a moment's wait, not a failure."""
        if self._graph is None:
            raise StoreUnavailable("the store is not connected")
        self.round_trips.count += 1
        deadline = asyncio.get_running_loop().time() + self.timeout
        pause = BUSY_FIRST_PAUSE
        while True:
            try:
                return await self._run_once(text, params, readonly)
            except _Busy as busy:
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    raise StoreTimeout(f"the store stayed busy for {self.timeout:g}s "
                                       f"({busy})") from busy
                await asyncio.sleep(min(pause, left))
                pause = min(pause * 2, BUSY_MAX_PAUSE)

    async def _run_once(self, text: str, params: Params | None, readonly: bool) -> list[Row]:
        assert self._graph is not None
        args = {k: to_param(v) for k, v in (params or {}).items()} or None
        graph = self._graph
        command = ["GRAPH.RO_QUERY" if readonly else "GRAPH.QUERY", graph.name,
                   graph._build_params_header(args) + text, "--compact",
                   "timeout", int(self.timeout * 1000)]
        try:
            # asyncio.timeout, not wait_for: Python 3.11's wait_for returns the result when the
            # statement finishes just as the task is cancelled, so a Ctrl-C or SIGTERM during a
            # bulk load's writes was lost and the load ran on to the end (exit 0)
            async with asyncio.timeout(self.timeout + 2):
                response = await graph.execute_command(*command)
                if isinstance(response[0], ResponseError):
                    raise response[0]
                if isinstance(response[-1], ResponseError):
                    raise response[-1]
                if len(response) == 1:  # statistics only: a write without RETURN
                    return []
                try:
                    return _decode_rows(response)
                except _NeedsSchema:  # nodes, edges or paths: the client knows their names
                    result = QueryResult(graph)
                    await result.parse(response)
        except (TimeoutError, RedisTimeoutError) as exc:
            raise StoreTimeout(f"a store query ran past {self.timeout:g}s") from exc
        except (RedisConnectionError, ConnectionError, OSError) as exc:
            raise StoreUnavailable("the embedded store is not reachable") from exc
        except ResponseError as exc:
            msg = str(exc)
            if msg.startswith("BUSY"):
                raise _Busy(msg) from exc
            if "empty key" in msg:  # a graph nothing was written to yet reads as empty
                return []
            if "timed out" in msg.lower():
                raise StoreTimeout(f"a store query ran past {self.timeout:g}s") from exc
            raise StoreError(msg) from exc
        except RedisError as exc:
            raise StoreUnavailable(f"the embedded store failed: {type(exc).__name__}") from exc
        return [dict(zip(_names(result.header), (plain(v) for v in row), strict=True))
                for row in result.result_set]


class _Busy(Exception):
    """The server refused a statement for now without running it (a BUSY reply)."""


class _NeedsSchema(Exception):
    """A reply holds a value `_decode` leaves to the client (a node, an edge, a path, ...)."""


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _decode(cell: list[Any]) -> Any:
    """One value of a compact reply, [type, value], as the plain value `plain()` would make of
    the client's parse of it (see falkordb's `query_result.parse_scalar`): strings, numbers,
    booleans, lists, maps, dates and datetimes; the types whose decoding needs the graph's
    label and property names raise `_NeedsSchema`.

    Why not the client's parser: it is a coroutine per value (an await per string of a map
    in a list), and `plain()` then copied every map again; on the 10k graph the two were
    most of the API's own time for the large answers (Timeline, PrecedentsInDebate)."""
    kind, value = cell
    if kind == 2:
        return value if type(value) is str else (
            value.decode() if isinstance(value, bytes) else str(value))
    if kind == 10:
        return {(value[i] if type(value[i]) is str else str(value[i])): _decode(value[i + 1])
                for i in range(0, len(value), 2)}
    if kind == 6:
        return [_decode(v) for v in value]
    if kind == 3:
        return int(value)
    if kind == 1:
        return None
    if kind == 4:
        return (value.decode() if isinstance(value, bytes) else value) == "true"
    if kind == 5:
        return float(value)
    if kind == 14:
        return (_EPOCH + dt.timedelta(seconds=value)).date()
    if kind == 13:
        return _EPOCH + dt.timedelta(seconds=value)
    raise _NeedsSchema


def _names(header: list[Any]) -> list[str]:
    names = [h[1] if isinstance(h, list | tuple) else h for h in header]
    return [n.decode() if isinstance(n, bytes) else str(n) for n in names]


def _decode_rows(response: list[Any]) -> list[Row]:
    """The rows of a compact reply [header, rows, statistics]."""
    names = _names(response[0])
    if not names:
        return []
    return [dict(zip(names, [_decode(c) for c in row], strict=True)) for row in response[1]]


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


def _walkable(exclude: Sequence[str], rel_types: Sequence[str], ends: Sequence[Label]
              ) -> tuple[str, list[str]]:
    """The relationship types a path search walks (joined by `|`, empty for none) and the
    labels it must still filter out node by node.

    A type whose every pair of endpoint labels (kb.model.EDGE_ENDPOINTS) has an excluded label
    is left out of the pattern, so that no node of those labels is reached at all (passages, in
    argument mode); only a type that joins excluded and allowed labels needs the filter. An end
    of an excluded label still needs its own edges: then every type is walked and filtered."""
    excluded = set(exclude)
    wanted = [t for t in RelType if not rel_types or t.value in rel_types]
    if excluded & {lbl.value for lbl in ends}:
        return "|".join(t.value for t in wanted), sorted(excluded)

    def touches(t: RelType) -> list[bool]:
        return [src.value in excluded or dst.value in excluded for src, dst in EDGE_ENDPOINTS[t]]

    kept = [t for t in wanted if not all(touches(t))]
    mixed = any(any(touches(t)) for t in kept)
    return "|".join(t.value for t in kept), sorted(excluded) if mixed else []
