"""All Cypher text of the project lives in this package.

Each statement is a `Query` registered by name. Its `text` is what both dialects share; a backend
whose dialect differs gets an override. Labels and relationship types spliced into text come only
from the allow-lists in `kb.model`; every value is a `$parameter`.

Dates travel as ISO strings and are turned into temporal values inside the statement
(`date($x)`), because the FalkorDB client cannot send a date parameter.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from kb.store.base import Dialect

_MODULES = ("kb.cypher.schema", "kb.cypher.write", "kb.cypher.traversal", "kb.cypher.read")


@dataclass(frozen=True, slots=True)
class Query:
    """A named statement with optional per-dialect overrides.

    `slots` name the parts of the text that vary but cannot be parameters in Cypher (a label, a
    literal hop count): each slot `%NAME%` may only take one of its allowed values, or, for a
    slot named in `joined`, several of them joined by `|` (relationship types of one pattern,
    `[r:A|B]`). `for_dialect` fills every slot with its first allowed value, which is what the
    offline linter checks.
    """

    name: str
    text: str | None
    """Shared text; None when the statement exists only in one dialect."""
    neo4j: str | None = None
    falkordb: str | None = None
    slots: tuple[tuple[str, tuple[str, ...]], ...] = ()
    joined: frozenset[str] = frozenset()

    def for_dialect(self, dialect: Dialect) -> str | None:
        override = self.neo4j if dialect is Dialect.NEO4J else self.falkordb
        text = override if override is not None else self.text
        if text is None:
            return None
        return self._fill(text, {name: allowed[0] for name, allowed in self.slots})

    def __call__(self, dialect: Dialect, **slots: str) -> str:
        """The text for `dialect`, with slots filled from their allow-lists."""
        override = self.neo4j if dialect is Dialect.NEO4J else self.falkordb
        text = override if override is not None else self.text
        if text is None:
            raise LookupError(f"query {self.name!r} has no {dialect} form")
        allowed = dict(self.slots)
        if set(slots) != set(allowed):
            raise ValueError(f"query {self.name!r} needs slots {sorted(allowed)}")
        for name, value in slots.items():
            parts = value.split("|") if name in self.joined else [value]
            if not all(part in allowed[name] for part in parts):
                raise ValueError(f"{value!r} is not an allowed {name} for {self.name!r}")
        return self._fill(text, slots)

    @staticmethod
    def _fill(text: str, values: dict[str, str]) -> str:
        for name, value in values.items():
            text = text.replace(f"%{name}%", value)
        return text


_REGISTRY: dict[str, Query] = {}


def query(name: str, text: str | None, *, neo4j: str | None = None,
          falkordb: str | None = None,
          slots: dict[str, tuple[str, ...]] | None = None,
          joined: tuple[str, ...] = ()) -> Query:
    """Register a statement under a unique name and return it."""
    if name in _REGISTRY:
        raise ValueError(f"duplicate query name {name!r}")
    if not set(joined) <= set(slots or {}):
        raise ValueError(f"query {name!r}: joined slots must be slots")
    q = Query(name, text, neo4j=neo4j, falkordb=falkordb,
              slots=tuple((slots or {}).items()), joined=frozenset(joined))
    _REGISTRY[name] = q
    return q


def all_queries() -> list[Query]:
    """Every registered statement (imports all query modules first)."""
    for module in _MODULES:
        importlib.import_module(module)
    return list(_REGISTRY.values())
