"""Relay cursor connections with keyset cursors, bound to their connection.

A root cursor is the sort key and the id of the last row a client saw, not an offset: the next
page is "rows strictly after (key, id) in sort order", so pages stay stable while documents are
added or removed. `last`/`before` read the same order backwards and reverse the page. One query
fetches `first + 1` rows; the extra row tells `hasNextPage`. `totalCount` is a resolver of its
own, so the count query runs only when a client selects it.

Every cursor is signed: an HMAC over the connection it came from (`Query.claims`,
`Concept.claimsConnection`), its sort, its filter and its position. A cursor handed to another
connection, sort or filter would silently select a wrong page, so it is refused with BAD_CURSOR
instead. The key is `KB_CURSOR_SECRET` when set (cursors then cannot be forged, and stay valid
across restarts and workers that share it); without it a fixed key still binds every cursor to
its query, which is the point: forging one gains nothing a filter could not ask for.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
import strawberry

from kb.api.errors import ApiError, BadInput, Code
from kb.api.limits import DEFAULT_PAGE, check_first

T = TypeVar("T")
_KEY = os.environ.get("KB_CURSOR_SECRET", "legal-kb cursor binding v1").encode()


class BadCursor(ApiError):
    """A cursor this connection, sort and filter did not hand out."""

    code = Code.BAD_CURSOR


def _sign(binding: str, position: list[Any]) -> str:
    body = orjson.dumps([binding, position])
    return hmac.new(_KEY, body, hashlib.sha256).hexdigest()[:24]


def encode_cursor(binding: str, *position: Any) -> str:
    """A cursor for `position` (a root connection's (key, id), or a relationship connection's
    offset) in the connection, sort and filter that `binding` names."""
    items = list(position)
    return base64.urlsafe_b64encode(orjson.dumps([*items, _sign(binding, items)])).decode()


def _decode(cursor: str, binding: str) -> list[Any]:
    try:
        *position, signature = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise BadCursor(f"invalid cursor {cursor!r}") from None
    if not isinstance(signature, str) or not hmac.compare_digest(
            signature, _sign(binding, position)):
        raise BadCursor(f"cursor {cursor!r} was not handed out by this connection with this "
                        "sort and filter; start again without `after`/`before`")
    return position


def decode_cursor(cursor: str, binding: str) -> tuple[str | list[str], str]:
    """(key, id) of a root connection's cursor (the key a list for several sort keys), or
    BAD_CURSOR for anything this connection, sort and filter did not hand out."""
    position = _decode(cursor, binding)
    if len(position) != 2:
        raise BadCursor(f"invalid cursor {cursor!r}")
    key, node_id = position
    parts = key if isinstance(key, list) else [key]
    if not all(isinstance(p, str) and "\x00" not in p for p in [*parts, node_id]):
        raise BadCursor(f"invalid cursor {cursor!r}")  # no cursor handed out holds a NUL
    return key, node_id


def decode_offset(cursor: str, binding: str) -> int:
    """The offset of a relationship connection's cursor, or BAD_CURSOR."""
    position = _decode(cursor, binding)
    if len(position) != 1 or not isinstance(position[0], int) or position[0] < 0:
        raise BadCursor(f"invalid cursor {cursor!r}")
    return position[0]


def binding(connection: str, sort: Any, where: Any) -> str:
    """What a cursor is bound to: the connection's name, and the reprs of its sort and of its
    filter's predicate tree (dataclasses, so equal inputs give equal text)."""
    return f"{connection}|{sort!r}|{where!r}"


@strawberry.type(description="Aggregations over all the nodes a connection's filter selects.")
class Aggregate:
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many nodes (edges) the filter selects.")
    async def count(self) -> int:
        return await self._count()


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

    @strawberry.field(description="Aggregations over all nodes matching the filter (the same "
                      "count as `totalCount`, in the Neo4j GraphQL Library's shape).")
    def aggregate(self) -> Aggregate:
        return Aggregate(_count=self._count)

    @strawberry.field(description="The nodes of this page (the edges without cursors).")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Validated paging arguments: direction, size and the cursor to start after."""

    forward: bool
    size: int
    after: tuple[str | list[str], str] | None
    binding: str


def check_paging(first: int | None, after: str | None, last: int | None,
                 before: str | None) -> None:
    """The paging arguments make sense together and the sizes are within the limit."""
    if first is not None and last is not None:
        raise BadInput("pass either `first` (with `after`) or `last` (with `before`), not both")
    if (last is not None or before is not None) and after is not None:
        raise BadInput("`after` pages forward; use it with `first`, not with `last`/`before`")
    check_first(first, "first")
    check_first(last, "last")


def page_request(first: int | None, after: str | None, last: int | None,
                 before: str | None, bound_to: str) -> PageRequest:
    """Paging arguments of a root connection; cursors must be bound to `bound_to`."""
    check_paging(first, after, last, before)
    if last is not None or before is not None:
        size = last if last is not None else DEFAULT_PAGE
        return PageRequest(False, size, decode_cursor(before, bound_to) if before else None,
                           bound_to)
    size = first if first is not None else DEFAULT_PAGE
    return PageRequest(True, size, decode_cursor(after, bound_to) if after else None, bound_to)


def build_connection(rows: list[dict[str, Any]], req: PageRequest,
                     make: Callable[[dict[str, Any]], T],
                     count: Callable[[], Awaitable[int]]) -> Connection[T]:
    """Turn `size + 1` rows read in the direction of travel into a connection page."""
    more = len(rows) > req.size
    rows = rows[:req.size]
    if not req.forward:
        rows.reverse()
    edges = [Edge(cursor=encode_cursor(req.binding, r["k"], r["id"]), node=make(r))
             for r in rows]
    info = PageInfo(
        has_next_page=more if req.forward else req.after is not None,
        has_previous_page=req.after is not None if req.forward else more,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, _count=count)
