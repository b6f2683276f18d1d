"""Look ahead at a field's selection to fetch, with a list of claims, the nodes it will ask for.

Why: a list of 100 claims that selects `speaker`, `evidence { passage document }` would
otherwise resolve each of those 300 fields through a DataLoader, one awaitable (and one asyncio
task) each, only to learn at the next depth which nodes to fetch. Knowing from the query which of
them the client selected, the claim list's own batch fetches them right away, in one more
statement, and the field resolvers answer synchronously from the request's node cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


def claim_nodes(info: Info[Any, Any], *path: str) -> tuple[str, ...]:
    """Claim properties naming nodes the selection will need (`speaker`, `doc`, `passage`),
    for a field returning claims, or returning objects that hold claims under `path`."""
    claims = _below(_fields(info.selected_fields), (info.field_name, *path))
    keys: set[str] = set()
    for f in claims:
        if f.name in _CLAIM_NODES:
            keys.add(_CLAIM_NODES[f.name])
        elif f.name == "evidence":
            keys.update(_EVIDENCE_NODES[g.name] for g in _fields(f.selections)
                        if g.name in _EVIDENCE_NODES)
    return tuple(sorted(keys))
