"""`kb.api.execution.FastLeaves` answers exactly what Strawberry's own execution answers: the
same data and the same errors (message, path) for plain leaves, lists of leaves, nulls in
non-null fields, values a scalar refuses, and resolvers without arguments (sync, async, with and
without `info`, raising), and `@batched` resolvers called for a whole list at once (through
plain object fields too) with the same answers, errors and DataLoader batches."""

from __future__ import annotations

import asyncio
import enum
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from kb.api.execution import FastLeaves, batched


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


@strawberry.type
class Part:
    n: int

    @strawberry.field
    @batched
    def double(self, info: Info) -> int:
        return info.context["loader"].load(self.n)

    @strawberry.field
    @batched
    def checked(self, info: Info, limit: int = 10) -> int | None:
        if self.n > limit:
            raise ValueError(f"{self.n} is over {limit}")
        return info.context["loader"].load(-self.n)  # the loader refuses a negative key

    @strawberry.field
    @batched
    def strict(self, info: Info) -> int:
        return None if self.n == 2 else info.context["loader"].load(self.n)  # type: ignore[return-value]

    @strawberry.field
    @batched
    def here(self, info: Info) -> str:
        return ".".join(str(p) for p in info.path.as_list())

    @strawberry.field
    def me(self) -> Part:
        return self

    @strawberry.field
    def nobody(self) -> Part:
        return None  # type: ignore[return-value]

    @strawberry.field
    def maybe(self) -> Part | None:
        return None if self.n == 1 else Part(n=self.n * 100)

    @strawberry.field
    async def later(self, info: Info) -> int:  # loads once started: its list is not held back
        return await info.context["loader"].load(self.n + 100)


@strawberry.type
class Holder:
    part: Part
    parts: list[Part]


@strawberry.type
class PartsQuery:
    @strawberry.field
    def parts(self) -> list[Part]:
        return [Part(n=i) for i in range(1, 4)]

    @strawberry.field
    def holders(self) -> list[Holder | None]:
        return [Holder(part=Part(n=i), parts=[Part(n=i), Part(n=i + 10)]) for i in range(3)]

    @strawberry.field
    def fragile(self) -> list[Part | None]:
        return [Part(n=i) for i in range(1, 4)]


PARTS = """{
  parts { n double here a: checked b: checked(limit: 1) }
  holders { part { double here } parts { double checked(limit: 5) here } }
  fragile { n strict double }
  selves: parts { me { n me { double } } maybe { n double } }
  nobodies: fragile { nobody { n } }
  mixed: holders { parts { double later } }
}"""


def _run_parts(context_class: type) -> tuple[Any, list[Any], list[list[int]]]:
    batches: list[list[int]] = []

    async def load(keys: list[int]) -> list[Any]:
        batches.append(sorted(keys))
        return [ValueError(f"no {k}") if k < 0 else 2 * k for k in keys]

    async def go() -> Any:
        schema = strawberry.Schema(query=PartsQuery, execution_context_class=context_class)
        return await schema.execute(PARTS, context_value={"loader": DataLoader(load)})

    result = asyncio.run(go())
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or [])
    return result.data, errors, batches


def test_batched_resolvers_answer_what_strawberry_answers_with_the_same_batches() -> None:
    fast_data, fast_errors, fast_batches = _run_parts(FastLeaves)
    data, errors, batches = _run_parts(StrawberryGraphQLCoreExecutionContext)
    assert (fast_data, fast_errors) == (data, errors)
    assert errors  # refused keys, a raising resolver, a null for a non-null field
    assert data is not None and data["holders"][1]["parts"][1]["here"] == "holders.1.parts.1.here"
    # each depth's loads share one batch, as they do resolved one by one
    assert len(fast_batches) == len(batches) and sorted(fast_batches) == sorted(batches)
