"""Look ahead at a field's selection to fetch, with a list of claims, the nodes it will ask for.

Why: a list of 100 claims that selects `speaker`, `evidence { passage document }` would
otherwise resolve each of those 300 fields through a DataLoader, one awaitable (and one asyncio
task) each, only to learn at the next depth which nodes to fetch. Knowing from the query which of
them the client selected, the claim list's own batch fetches them right away, in one more
statement, and the field resolvers answer synchronously from the request's node cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

_CLAIM_NODES = {"speaker": "speaker", "document": "doc"}
"""Claim fields answered by a node whose id the claim carries: field -> claim property."""

_EVIDENCE_NODES = {"document": "doc", "passage": "passage"}
"""The same for the fields of a claim's `evidence`."""


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, with fragments (named and inline) flattened."""
    for s in selections:
        if isinstance(s, SelectedField):
            yield s
        else:
            yield from _fields(s.selections)


def _below(fields: Iterable[SelectedField], path: tuple[str, ...]) -> list[SelectedField]:
    """The fields selected under `path` (e.g. `edges`, `node`) from the given ones."""
    current = list(fields)
    for name in path:
        current = [f for parent in current if parent.name == name
                   for f in _fields(parent.selections)]
    return current


def _remembered(info: Info[Any, Any], what: str, path: tuple[str, ...],
                compute: Callable[[], Any]) -> Any:
    """`compute()` once per request and field of the query: every parent of a list asks the
    same question of the same field, and Strawberry converts the whole selection below the
    field each time `info.selected_fields` is read (100 claims' `attackedBy`: 100 conversions).
    The answers read field names only, so they hold wherever the same field nodes (the same
    place of the query, or a fragment merged the same way) are resolved; the nodes are kept
    with the answer, so their ids cannot be reused during the request."""
    nodes = tuple(info._raw_info.field_nodes)
    memo = info.context.loaders.lookahead
    key = (what, tuple(map(id, nodes)), path)
    found = memo.get(key)
    if found is None:
        found = memo[key] = (nodes, compute())
    return found[1]


def claim_nodes(info: Info[Any, Any], *path: str) -> tuple[str, ...]:
    """Claim properties naming nodes the selection will need (`speaker`, `doc`, `passage`),
    for a field returning claims, or returning objects that hold claims under `path`."""
    return _remembered(info, "claim_nodes", path, lambda: _claim_nodes(info, path))


def _claim_nodes(info: Info[Any, Any], path: tuple[str, ...]) -> tuple[str, ...]:
    claims = _below(_fields(info.selected_fields), (info.field_name, *path))
    keys: set[str] = set()
    for f in claims:
        if f.name in _CLAIM_NODES:
            keys.add(_CLAIM_NODES[f.name])
        elif f.name == "evidence":
            keys.update(_EVIDENCE_NODES[g.name] for g in _fields(f.selections)
                        if g.name in _EVIDENCE_NODES)
    return tuple(sorted(keys))


_TOTALS = frozenset({"totalCount", "aggregate", "__typename"})
"""Fields of a connection that its total answers alone."""


def totals_only(info: Info[Any, Any]) -> bool:
    """True when the connection field being resolved selects nothing but its total
    (`totalCount`, `aggregate { count }`): no edges, no page info, so no page to sort."""
    def compute() -> bool:
        mine = [f for f in _fields(info.selected_fields) if f.name == info.field_name]
        return bool(mine) and all(g.name in _TOTALS for f in mine for g in _fields(f.selections))

    return bool(_remembered(info, "totals_only", (), compute))
