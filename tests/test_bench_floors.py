"""Each floor of the benchmark (`bench/floor.py`) answers exactly what its GraphQL operation
answers, on the seeds, on both stores: same rows, same order, same page sizes. Otherwise a floor
could silently measure something else and its ratio would mean nothing.

The variables are the ones the benchmark sends (`bench.__main__.variable_sets`, picked from the
graph as the benchmark picks them) and the operation's defaults. Cursors are compared by the
offset they carry. No timing is asserted.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from test_api_support import gql, load_research_graph, make_app, ok

from bench.__main__ import graph_pools, load_operations, variable_sets
from bench.floor import FLOORS, _size
from kb.config import Settings
from kb.store.base import GraphStore

QUERIES = Path(__file__).resolve().parents[1] / "graphql" / "queries"


class _Open:
    """The fixture's store, connected already: `graph_pools` connects and closes its store."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    async def connect(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def read(self, text: str, params: dict[str, Any] | None = None) -> list[Any]:
        return await self._store.read(text, params)


def _offsets(value: Any) -> Any:
    """The answer with each relationship cursor replaced by the offset it carries."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "endCursor":
                out[k] = {"offset": None if v is None else
                          json.loads(base64.urlsafe_b64decode(v))[0]}
            else:
                out[k] = _offsets(v)
        return out
    if isinstance(value, list):
        return [_offsets(v) for v in value]
    return value


def test_every_operation_has_a_floor() -> None:
    names = {op.name for op in load_operations(QUERIES) if op.file.endswith(".graphql")}
    assert names == set(FLOORS), names ^ set(FLOORS)


async def test_each_floor_answers_what_its_operation_answers(store: GraphStore,
                                                             settings: Settings) -> None:
    await load_research_graph(store)
    app = make_app(store, settings)
    pools = await graph_pools(_Open(store))  # type: ignore[arg-type]
    compared = 0
    largest: dict[str, int] = {}
    for op in load_operations(QUERIES):
        if op.name not in FLOORS:
            continue
        sets, problem = variable_sets(op, pools)
        assert problem is None, (op.name, problem)
        if op.kind == "nested":  # the benchmark sends the names of the busiest concepts
            sets = [{"concept": name} for name in pools["concept_name"]]
        distinct = list({json.dumps(s, sort_keys=True): s for s in [{}, *sets]}.values())[:4]
        for variables in distinct:
            want = ok(await gql(app, op.text, variables))
            got = await FLOORS[op.name](store, variables)
            assert got == _offsets(want), (op.name, variables)
            compared += 1
            largest[op.name] = max(largest.get(op.name, 0), _size(got))
    assert compared >= len(FLOORS)
    small = {name: n for name, n in largest.items() if n < 5}
    assert set(largest) == set(FLOORS) and not small, small  # not only empty answers
