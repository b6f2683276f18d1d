"""Turn driver values into the plain values the store interface promises."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
"""Types returned as they are (checked by exact type first: most values of a reply are these,
and the API converts thousands of them per request)."""


def plain(value: Any) -> Any:
    """Recursively convert driver objects (nodes, temporal types, ordered maps) to plain values."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return {k if type(k) is str else str(k): v if type(v) in _SCALARS else plain(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _SCALARS else plain(v) for v in value]
    if isinstance(value, str | bool | int | float | dt.date):  # subclasses (enums, ...)
        return value
    to_native = getattr(value, "to_native", None)  # neo4j.time.Date / DateTime
    if callable(to_native):
        return to_native()
    properties = getattr(value, "properties", None)  # falkordb Node / Edge
    if isinstance(properties, Mapping):
        return {str(k): plain(v) for k, v in properties.items()}
    items = getattr(value, "items", None)  # neo4j Node / Relationship
    if callable(items):
        return {str(k): plain(v) for k, v in items()}
    return str(value)


_PASS = frozenset({str, int, float, bool, type(None)})


def to_param(value: Any) -> Any:
    """Dates travel as ISO strings (statements call date()); tuples become lists."""
    if type(value) in _PASS:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k if type(k) is str else str(k): v if type(v) in _PASS else to_param(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [v if type(v) in _PASS else to_param(v) for v in value]
    return value
