"""The Neo4j backend (production), through the official async driver.

Reads go through `execute_read` so that a cluster routes them to followers; writes through
`execute_write`. Both retry transient failures, but only for half the query timeout: a Neo4j
that is down must show as STORE_UNAVAILABLE within the timeout, not after the driver's default
30 s. Every transaction carries the query timeout (`unit_of_work`), which the server enforces.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from kb.cypher import schema, traversal
from kb.model import FULLTEXT_FIELDS, Label, label_of
from kb.store.base import (
    Dialect,
    Params,
    RoundTrips,
    Row,
    Statement,
    StoreError,
    StoreTimeout,
    StoreUnavailable,
)
from kb.store.search_terms import parse_search, render_search
from kb.store.values import plain, to_param

DRIVER_LOGGER = "neo4j"
"""The driver's loggers (`neo4j.io`, `neo4j.pool`, ...) write every query with its parameters,
which carry the documents' text, at DEBUG; they are held at WARNING whatever the root level."""


class Neo4jStore:
    dialect = Dialect.NEO4J

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j",
                 timeout: float = 10.0) -> None:
        self.uri = uri
        self._auth = (user, password)
        self.database = database
        self.timeout = timeout
        self.round_trips = RoundTrips()
        self._driver: AsyncDriver | None = None

    async def connect(self) -> None:
        """Open the driver and check that the server answers; a failure closes it again."""
        logging.getLogger(DRIVER_LOGGER).setLevel(logging.WARNING)
        if self._driver is not None:  # a reconnect after an outage
            await self.close()
        driver = AsyncGraphDatabase.driver(
            self.uri, auth=self._auth,
            max_transaction_retry_time=self.timeout / 2,
            connection_timeout=min(5.0, self.timeout),
            connection_acquisition_timeout=self.timeout,
            # the server's notifications (unknown property keys before the first write, ...)
            # would be logged at WARNING with the statement: not a problem of the user's
            notifications_min_severity="OFF",
        )
        try:
            await driver.verify_connectivity()
        except AuthError as exc:
            await driver.close()
            raise StoreUnavailable("Neo4j refused the credentials (NEO4J_USER/PASSWORD)") from exc
        except (ServiceUnavailable, DriverError, Neo4jError, OSError) as exc:
            await driver.close()
            raise StoreUnavailable(f"Neo4j is not reachable at {self.uri}") from exc
        self._driver = driver

    async def read(self, text: str, params: Params | None = None) -> list[Row]:
        return await self._execute(text, params, readonly=True)

    async def write(self, text: str, params: Params | None = None) -> list[Row]:
        return await self._execute(text, params, readonly=False)

    async def write_batch(self, statements: Sequence[Statement]) -> None:
        if not statements:
            return

        async def work(tx: AsyncManagedTransaction) -> None:
            for st in statements:
                result = await tx.run(st.text, _params(st.params))
                await result.consume()

        await self._call(work, readonly=False)

    async def bootstrap(self) -> None:
        for label in Label:
            await self.write(schema.unique_id(self.dialect, LABEL=label.value))
        for label, name in (("Passage", "passage_doc"), ("Claim", "claim_doc")):
            await self.write(schema.doc_index(self.dialect, LABEL=label, NAME=name))
        for rel, name in schema.EDGE_DOC_INDEXES:
            await self.write(schema.edge_doc_index(self.dialect, TYPE=rel, NAME=name))
        await self.write(schema.event_date_index(self.dialect))
        for q in schema.fulltext_index_label.values():
            await self.write(q(self.dialect))
        await self.write(schema.await_indexes(self.dialect))

    async def fulltext(self, text: str, labels: Sequence[str], limit: int) -> list[Row]:
        """The best hits of each label's own index (so a label-restricted search gets its full
        `limit`), merged and cut by score as on FalkorDB."""
        parsed = parse_search(text)
        if parsed is None:
            return []
        wanted = [lbl for lbl in Label if lbl.value in labels and lbl in FULLTEXT_FIELDS]
        if not wanted:
            return []
        union = " UNION ALL ".join(
            traversal.fulltext_label(self.dialect, LABEL=lbl.value) for lbl in wanted)
        rows = await self.read(union, {"q": render_search(parsed, lucene=True), "limit": limit})
        rows.sort(key=lambda r: (-float(r["score"]), r["id"]))
        return rows[:limit]

    async def shortest_paths(self, source_id: str, target_id: str, max_hops: int,
                             exclude: Sequence[str] = (), rel_types: Sequence[str] = (),
                             limit: int = 1) -> list[Row]:
        src, dst = label_of(source_id), label_of(target_id)
        if src is None or dst is None:
            return []
        if source_id == target_id:  # the caller finds out whether the node exists
            return [{"nodes": [source_id], "rels": []}]
        shortest = "shortestPath" if limit == 1 else "allShortestPaths"
        return await self.read(
            traversal.shortest_path(self.dialect, SRC=src.value, DST=dst.value,
                                    HOPS=str(max_hops), SHORTEST=shortest),
            {"s": source_id, "t": target_id, "exclude": list(exclude),
             "types": list(rel_types), "limit": limit})

    async def health(self) -> bool:
        try:
            rows = await self.read(schema.ping(self.dialect))
        except StoreError:
            return False
        return bool(rows and rows[0].get("ok") == 1)

    async def close(self) -> None:
        if self._driver is not None:
            await self._driver.close()
            self._driver = None

    # -- internals -----------------------------------------------------------------------

    async def _execute(self, text: str, params: Params | None, readonly: bool) -> list[Row]:
        values = _params(params)

        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            result = await tx.run(text, values)
            return [{k: plain(v) for k, v in record.items()} async for record in result]

        return await self._call(work, readonly=readonly)

    async def _call(self, work: Callable[[AsyncManagedTransaction], Any], readonly: bool) -> Any:
        if self._driver is None:
            raise StoreUnavailable("the store is not connected")
        self.round_trips.count += 1
        work = unit_of_work(timeout=self.timeout)(work)
        try:
            async with self._driver.session(database=self.database) as session:
                if readonly:
                    return await session.execute_read(work)
                return await session.execute_write(work)
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is not reachable at {self.uri}") from exc
        except Neo4jError as exc:
            raise self._error(exc) from exc
        except DriverError as exc:
            raise StoreUnavailable(f"Neo4j driver error: {type(exc).__name__}") from exc

    def _error(self, exc: Neo4jError) -> StoreError:
        """What a Neo4j error means to the caller. A busy server is a timeout (the API's
        STORE_TIMEOUT), not an internal error: a transaction the server stopped at the timeout,
        a transient failure that outlived the driver's retries (half the timeout), and no pooled
        connection coming free within the timeout, which the 5.x driver raises as a ClientError
        of its own (no server code; `tests/test_neo4j_store.py` holds the wording to it)."""
        if (isinstance(exc, ClientError) and exc.code is None
                and "failed to obtain a connection from the pool" in str(exc)):
            return StoreTimeout(f"no connection to Neo4j came free within {self.timeout:g}s")
        if exc.code and "TransactionTimedOut" in exc.code:
            return StoreTimeout(f"a store query ran past {self.timeout:g}s")
        if isinstance(exc, TransientError):
            return StoreTimeout(f"Neo4j stayed busy past the retries ({exc.code})")
        return StoreError(exc.message or str(exc))


def _params(params: Params | None) -> dict[str, Any]:
    return {k: to_param(v) for k, v in (params or {}).items()}
