"""The one graph-store interface that the rest of the project talks to.

Every backend returns the same plain values (lists of dicts of str, int, float, bool, date,
lists and dicts), so no caller ever sees a driver's record or node type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

Row = dict[str, Any]
Params = Mapping[str, Any]


class Dialect(StrEnum):
    FALKORDB = "falkordb"
    NEO4J = "neo4j"


class StoreError(Exception):
    """A statement failed in the store (bad statement, constraint violation, ...)."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or started; callers report STORE_UNAVAILABLE."""


class StoreTimeout(StoreError):
    """A statement ran past the configured timeout."""


class SearchTooBroad(StoreError):
    """A search the store runs step by step (a path) reached its budget of visited nodes."""


@dataclass(frozen=True, slots=True)
class Statement:
    """One Cypher statement and its parameters, for a batch run in one transaction."""

    text: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RoundTrips:
    """Counts round trips to the store; the API's N+1 tests read it per request."""

    count: int = 0

    def reset(self) -> int:
        seen, self.count = self.count, 0
        return seen


@runtime_checkable
class GraphStore(Protocol):
    """What every backend offers. Construction does no I/O; `connect()` does."""

    dialect: Dialect
    round_trips: RoundTrips

    async def connect(self) -> None:
        """Open connections (and for the embedded store, start or reuse the server)."""

    async def read(self, text: str, params: Params | None = None) -> list[Row]:
        """Run a read-only statement; a cluster may route it to a follower."""

    async def write(self, text: str, params: Params | None = None) -> list[Row]:
        """Run a write statement in its own transaction."""

    async def write_batch(self, statements: Sequence[Statement]) -> None:
        """Run statements in one transaction: all of them take effect, or none."""

    async def bootstrap(self) -> None:
        """Create constraints and indexes; idempotent."""

    async def fulltext(self, text: str, labels: Sequence[str], limit: int) -> list[Row]:
        """Full-text search over names and texts: rows of {id, label, score}, best first."""

    async def shortest_paths(self, source_id: str, target_id: str, max_hops: int,
                             exclude: Sequence[str] = (), rel_types: Sequence[str] = (),
                             limit: int = 1) -> list[Row]:
        """Up to `limit` undirected shortest paths, all of the same length, each
        {nodes: [ids], rels: [{source, target, type, key}]}: along edges of `rel_types` only
        (any type when empty), through no node (other than its ends) of the labels in
        `exclude`; none when no path is within `max_hops` or an end does not exist. Sorted by
        their lists of node ids; which ones, when more than `limit` tie, is the store's choice."""

    async def health(self) -> bool:
        """True when the store answers a trivial query."""

    async def close(self) -> None:
        """Close connections; stop an embedded server this process started."""
