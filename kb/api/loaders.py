"""Per-request DataLoaders: every relationship field is batched into one `UNWIND $ids` query.

Why: resolving a list of 20 concepts, each with its claims, each with its speaker, field by field
would cost 1 + 20 + 400 store round trips. Here the loads that one GraphQL execution step issues
are gathered by a DataLoader and sent as one statement, so a request costs

    1 per root field (+1 when it selects `totalCount`)
    + 1 per distinct (relationship field, arguments) at each depth it is reached
    + 1 per depth at which nodes are fetched by id (speakers, documents, passages, `node`)

whatever the number of objects. A list of claims whose selection asks for their speakers,
documents or passages fetches those nodes in its own batch (see `kb.api.lookahead`); their
fields then answer from the request's node cache without an awaitable each.

`get` and `related` register a load when they are called and answer at once what the request
already holds, so the resolvers built on them are `@batched` (see `kb.api.execution`): called for
all the parents of a list before any is completed, awaited once.

Node rows carry the properties the API reads (`kb.model.API_FIELDS`), not `properties(n)`: the
bookkeeping ingestion keeps on a node (a document's contributions, an entity's support) never
leaves the store.

Loaders are created per request (a fresh `Loaders` in each context), so their caches never
serve one client's data to another or outlive a write.
"""

from __future__ import annotations

from asyncio import Future
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from strawberry.dataloader import DataLoader

from kb.cypher import read as rq
from kb.model import label_of
from kb.store.base import GraphStore, Row


@dataclass(frozen=True, slots=True)
class RelSpec:
    """One relationship field: from `src` over `type` to `dst`, `out` or `in` the arrow."""

    src: str
    type: str
    dst: str
    out: bool = True
    prop: str = "doc"
    """The edge property an argument of the field may filter on (stance, treatment, ...)."""


@dataclass(frozen=True, slots=True)
class Item:
    """A related node with the properties of the edge that led to it."""

    id: str
    props: dict[str, Any]
    rel: dict[str, Any]
    key: str | None


UNKNOWN: Any = object()
"""What the node cache answers for a node this request has not fetched."""

T = TypeVar("T")


def _now(load: Future[T]) -> T | Future[T]:
    """The value of a load that has settled, else the load (awaiting it raises its error)."""
    if load.done() and not load.cancelled() and load.exception() is None:
        return load.result()
    return load


class Loaders:
    """The DataLoaders of one request."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.nodes: DataLoader[str, Row | None] = DataLoader(self._load_nodes)
        self._related: dict[Hashable, DataLoader[str, list[Item]]] = {}
        self._pages: dict[str, DataLoader[str, Row | None]] = {}
        self._known: dict[str, Row | None] = {}
        self.objects: dict[str, Any] = {}
        """The API objects made of this request's node rows, by id: a speaker or document
        reached from a hundred claims is made once."""
        self.lookahead: dict[Hashable, Any] = {}
        """What `kb.api.lookahead` learnt of this request's selections, per field of the query."""

    def get(self, node_id: str) -> Row | Future[Row | None] | None:
        """A node's row (None if there is none) when this request fetched it, else the
        awaitable of its load, registered now."""
        if label_of(node_id) is None:
            return None
        row = self._known.get(node_id, UNKNOWN)
        return _now(self.nodes.load(node_id)) if row is UNKNOWN else row  # type: ignore[arg-type]

    async def prefetch(self, props: Iterable[Mapping[str, Any]], keys: Sequence[str]) -> None:
        """Fetch, in one batch, the nodes named by `keys` of these property maps."""
        if not keys:
            return
        wanted = sorted({v for p in props for k in keys
                         if isinstance(v := p.get(k), str) and v not in self._known
                         and label_of(v) is not None})
        if wanted:
            await self.nodes.load_many(wanted)

    async def node(self, node_id: str) -> Row | None:
        """A node's row {id, label, props} by stable id, or None."""
        if label_of(node_id) is None:
            return None
        return await self.nodes.load(node_id)

    async def many(self, ids: list[str]) -> list[Row | None]:
        return list(await self.nodes.load_many(ids))

    def related(self, parent_id: str, spec: RelSpec | str, value: str | None, first: int,
                prefetch: tuple[str, ...] = ()) -> list[Item] | Future[list[Item]]:
        """Related items of one parent, or the awaitable of their load, registered now; parents
        asking the same question share one query. `prefetch` names properties of the items
        whose nodes the batch fetches too."""
        key = (spec, value, first, prefetch)
        loader = self._related.get(key)
        if loader is None:
            async def load(ids: list[str], _k: Any = key) -> list[list[Item]]:
                return await self._load_related(ids, *_k)

            loader = self._related[key] = DataLoader(load)
        return _now(loader.load(parent_id))  # type: ignore[arg-type]

    async def page(self, text: str, params: dict[str, Any], parent_id: str) -> Row | None:
        """One parent's row of a relationship connection page statement (`read.rel_page`);
        parents asking with the same statement and parameters share one round trip."""
        key = text + "\x00" + orjson.dumps(params, option=orjson.OPT_SORT_KEYS).decode()
        loader = self._pages.get(key)
        if loader is None:
            async def load(ids: list[str], _t: str = text,
                           _p: dict[str, Any] = params) -> list[Row | None]:
                rows = await self.store.read(_t, {**_p, "ids": list(ids)})
                found = {r["id"]: r for r in rows}
                return [found.get(i) for i in ids]

            loader = self._pages[key] = DataLoader(load)
        return await loader.load(parent_id)

    async def _load_nodes(self, ids: list[str]) -> list[Row | None]:
        params = rq.by_label(ids, label_of)
        rows = await self.store.read(rq.nodes_by_id(self.store.dialect), params)
        found = {r["id"]: r for r in rows}
        out = [found.get(i) for i in ids]
        self._known.update(zip(ids, out, strict=True))
        return out

    async def _load_related(self, ids: list[str], spec: RelSpec | str, value: str | None,
                            first: int, prefetch: tuple[str, ...]) -> list[list[Item]]:
        d = self.store.dialect
        if spec == "claims_by_document":
            text = rq.claims_by_document(d)
        else:
            assert isinstance(spec, RelSpec)
            text = rq.related(d, SRC=spec.src, LEFT="-" if spec.out else "<-", TYPE=spec.type,
                              RIGHT="->" if spec.out else "-", DST=spec.dst, PROP=spec.prop,
                              ORDER=rq.ORDER_OF.get(spec.dst, "m.id"),
                              FIELDS=rq.fields_of(spec.dst, "m"))
        rows = await self.store.read(text, {"ids": list(ids), "value": value, "first": first})
        found: dict[str, list[Item]] = defaultdict(list)
        for row in rows:
            found[row["id"]] = _distinct(
                Item(i["id"], i.get("props") or {}, i.get("rel") or {}, i.get("key"))
                for i in row["items"])
        await self.prefetch((i.props for items in found.values() for i in items), prefetch)
        return [found.get(i, []) for i in ids]


_PROVENANCE = frozenset({"doc", "passage", "key"})


def _distinct(items: Iterable[Item]) -> list[Item]:
    """One item per related node and edge meaning: the same fact (Trump ordered the strike)
    extracted from several documents is stored once per document, for provenance, but listed
    once."""
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    out: list[Item] = []
    for item in items:
        meaning = tuple(sorted((k, repr(v)) for k, v in item.rel.items() if k not in _PROVENANCE))
        if (item.id, meaning) not in seen:
            seen.add((item.id, meaning))
            out.append(item)
    return out
