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

_MODULES = ("kb.cypher.schema", "kb.cypher.write", "kb.cypher.read")


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    text: str | None
    """Shared text; None when the statement exists only in one dialect."""
    neo4j: str | None = None
    falkordb: str | None = None

    def for_dialect(self, dialect: Dialect) -> str | None:
        override = self.neo4j if dialect is Dialect.NEO4J else self.falkordb
        return override if override is not None else self.text

    def __call__(self, dialect: Dialect) -> str:
        text = self.for_dialect(dialect)
        if text is None:
            raise LookupError(f"query {self.name!r} has no {dialect} form")
        return text


_REGISTRY: dict[str, Query] = {}


def query(name: str, text: str | None, *, neo4j: str | None = None,
          falkordb: str | None = None) -> Query:
    """Register a statement under a unique name and return it."""
    if name in _REGISTRY:
        raise ValueError(f"duplicate query name {name!r}")
    q = Query(name, text, neo4j=neo4j, falkordb=falkordb)
    _REGISTRY[name] = q
    return q


def all_queries() -> list[Query]:
    """Every registered statement (imports all query modules first)."""
    for module in _MODULES:
        importlib.import_module(module)
    return list(_REGISTRY.values())
