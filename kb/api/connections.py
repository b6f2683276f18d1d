"""Relay cursor connections with keyset cursors.

A cursor is the sort key and the id of the last row a client saw (base64 of a small JSON
array), not an offset: the next page is "rows strictly after (key, id) in sort order", so pages
stay stable while documents are added or removed. `last`/`before` read the same order backwards
and reverse the page. One query fetches `first + 1` rows; the extra row tells `hasNextPage`.
`totalCount` is a resolver of its own, so the count query runs only when a client selects it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
import strawberry

from kb.api.errors import BadInput
from kb.api.limits import check_first

T = TypeVar("T")
DEFAULT_PAGE = 20


def encode_cursor(key: Any, node_id: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([key, node_id])).decode()


def decode_cursor(cursor: str) -> tuple[str, str]:
    """(key, id) of a cursor, or BAD_USER_INPUT for anything this API did not hand out."""
    try:
        key, node_id = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise BadInput(f"invalid cursor {cursor!r}") from None
    if not isinstance(key, str) or not isinstance(node_id, str) or "\x00" in key + node_id:
        raise BadInput(f"invalid cursor {cursor!r}")  # no cursor handed out holds a NUL
    return key, node_id


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="A node of a page and the cursor that points just after it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a cursor connection.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="All nodes matching the filter; computed only when asked.")
    async def total_count(self) -> int:
        return await self._count()

    @strawberry.field(description="The nodes of this page (the edges without cursors).")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Validated paging arguments: direction, size and the cursor to start after."""

    forward: bool
    size: int
    after: tuple[str, str] | None


def page_request(first: int | None, after: str | None, last: int | None,
                 before: str | None) -> PageRequest:
    if first is not None and last is not None:
        raise BadInput("pass either `first` (with `after`) or `last` (with `before`), not both")
    if (last is not None or before is not None) and after is not None:
        raise BadInput("`after` pages forward; use it with `first`, not with `last`/`before`")
    check_first(first, "first")
    check_first(last, "last")
    if last is not None or before is not None:
        size = last if last is not None else DEFAULT_PAGE
        return PageRequest(False, size, decode_cursor(before) if before else None)
    size = first if first is not None else DEFAULT_PAGE
    return PageRequest(True, size, decode_cursor(after) if after else None)


def build_connection(rows: list[dict[str, Any]], req: PageRequest,
                     make: Callable[[dict[str, Any]], T],
                     count: Callable[[], Awaitable[int]]) -> Connection[T]:
    """Turn `size + 1` rows read in the direction of travel into a connection page."""
    more = len(rows) > req.size
    rows = rows[:req.size]
    if not req.forward:
        rows.reverse()
    edges = [Edge(cursor=encode_cursor(r["k"], r["id"]), node=make(r)) for r in rows]
    info = PageInfo(
        has_next_page=more if req.forward else req.after is not None,
        has_previous_page=req.after is not None if req.forward else more,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, _count=count)
