"""The Neo4j backend (production), through the official async driver.

Reads go through `execute_read` so that a cluster routes them to followers; writes through
`execute_write`, which also retries transient failures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Query
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from kb.cypher import schema, traversal
from kb.model import Label, label_of
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
from kb.store.values import plain, to_param

# Lucene query syntax characters; escaped so that user text is only ever a term.
_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def _lucene_terms(text: str) -> str:
    words = []
    for word in text.split():
        escaped = "".join(f"\\{c}" if c in _LUCENE_SPECIAL else c for c in word)
        if escaped and word.upper() not in {"AND", "OR", "NOT"}:
            words.append(escaped)
    return " ".join(words)


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
        self._driver = AsyncGraphDatabase.driver(self.uri, auth=self._auth)
        try:
            await self._driver.verify_connectivity()
        except AuthError as exc:
            raise StoreUnavailable("Neo4j refused the credentials (NEO4J_USER/PASSWORD)") from exc
        except (ServiceUnavailable, DriverError, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is not reachable at {self.uri}") from exc

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
        for rel, name in (("PARTICIPATED_IN", "participated_in_doc"),
                          ("MEMBER_OF", "member_of_doc"), ("LEADS", "leads_doc"),
                          ("RELATED_TO", "related_to_doc")):
            await self.write(schema.edge_doc_index(self.dialect, TYPE=rel, NAME=name))
        await self.write(schema.event_date_index(self.dialect))
        await self.write(schema.fulltext_index(self.dialect))

    async def fulltext(self, text: str, labels: Sequence[str], limit: int) -> list[Row]:
        q = _lucene_terms(text)
        if not q:
            return []
        wanted = [lbl.value for lbl in Label if lbl.value in labels]
        if not wanted:
            return []
        return await self.read(traversal.fulltext_any(self.dialect),
                               {"q": q, "labels": wanted, "limit": limit})

    async def shortest_path(self, source_id: str, target_id: str, max_hops: int) -> Row | None:
        src, dst = label_of(source_id), label_of(target_id)
        if src is None or dst is None:
            return None
        if source_id == target_id:
            return {"nodes": [source_id], "rels": []}
        rows = await self.read(
            traversal.shortest_path(self.dialect, SRC=src.value, DST=dst.value,
                                    HOPS=str(max_hops)),
            {"s": source_id, "t": target_id})
        if not rows:
            return None
        row = rows[0]
        for rel in row["rels"]:
            rel["id"] = f"{rel['type']}:{rel['source']}->{rel['target']}"
        return row

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
        query = Query(text, timeout=self.timeout)  # type: ignore[arg-type]

        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            result = await tx.run(query, _params(params))
            return [{k: plain(v) for k, v in record.items()} async for record in result]

        return await self._call(work, readonly=readonly)

    async def _call(self, work: Any, readonly: bool) -> Any:
        if self._driver is None:
            raise StoreUnavailable("the store is not connected")
        self.round_trips.count += 1
        try:
            async with self._driver.session(database=self.database) as session:
                if readonly:
                    return await session.execute_read(work)
                return await session.execute_write(work)
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is not reachable at {self.uri}") from exc
        except ClientError as exc:
            if exc.code and "TransactionTimedOut" in exc.code:
                raise StoreTimeout(f"a store query ran past {self.timeout:g}s") from exc
            raise StoreError(exc.message or str(exc)) from exc
        except Neo4jError as exc:
            raise StoreError(exc.message or str(exc)) from exc
        except DriverError as exc:
            raise StoreUnavailable(f"Neo4j driver error: {type(exc).__name__}") from exc


def _params(params: Params | None) -> dict[str, Any]:
    return {k: to_param(v) for k, v in (params or {}).items()}
