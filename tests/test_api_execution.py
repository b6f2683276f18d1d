"""`kb.api.execution.FastLeaves` answers exactly what Strawberry's own execution answers: the
same data and the same errors (message, path) for plain leaves, lists of leaves, nulls in
non-null fields, values a scalar refuses, and resolvers without arguments (sync, async, with and
without `info`, raising)."""

from __future__ import annotations

import asyncio
import enum
from typing import Any

import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from kb.api.execution import FastLeaves


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    maybe: str | None
    count: int
    colour: Colour | None
    tags: list[str]
    loose: list[str | None] | None
    _secret: strawberry.Private[str]

    @strawberry.field
    def upper(self) -> str:
        return self.name.upper()

    @strawberry.field
    def path(self, info: Info) -> str:
        return ".".join(str(p) for p in info.path.as_list())

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self._secret

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("no")

    @strawberry.field
    def missing(self) -> str:
        return None  # type: ignore[return-value]

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name * times


def _items() -> list[Item]:
    return [
        Item(name="a", maybe=None, count=1, colour=Colour.RED, tags=["x", "y"], loose=None,
             _secret="s1"),
        Item(name=None, maybe="m", count=2, colour=None, tags=["z"],  # type: ignore[arg-type]
             loose=["p", None], _secret="s2"),
        Item(name="c", maybe="n", count="three", colour=Colour.BLUE,  # type: ignore[arg-type]
             tags=[None], loose=[], _secret="s3"),  # type: ignore[list-item]
    ]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return _items()

    @strawberry.field
    def strict(self) -> list[Item | None]:
        return _items()


QUERY = """{
  items { name maybe count colour tags loose upper path later shout(times: 2) once: shout }
  strict { name maybe count colour tags loose upper path later broken missing }
}"""


def _run(context_class: type) -> Any:
    schema = strawberry.Schema(query=Query, execution_context_class=context_class)
    result = asyncio.run(schema.execute(QUERY))
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or [])
    return result.data, errors


def test_fast_leaves_answer_what_strawberry_answers() -> None:
    fast, stock = _run(FastLeaves), _run(StrawberryGraphQLCoreExecutionContext)
    assert fast == stock
    data, errors = fast
    assert errors  # the cases above do raise: nulls, a refused int, a failing resolver
    assert data is not None and data["items"][0]["path"] == "items.0.path"
