"""Parse and validate a query text once, not on every request.

A client (a dashboard, a notebook, the benchmark) sends the same few operations again and
again. Parsing and validating one costs a few milliseconds of Python each time, more than the
store needs for a small answer: on the 10k graph, validation alone was 40% of the server's time
for `EventParticipants`. Both results depend only on the query text (and the schema, which does
not change while the process runs), so they are cached per text, in bounded LRU caches:

- `ParseCache` keeps the parsed document of a text (with its parse options: the token limit).
  A text that does not parse is parsed again each time, by Strawberry, which reports the error
  as it always did (Strawberry's own `ParserCache` raises it from inside an extension, which the
  API then reports as an internal error rather than GRAPHQL_PARSE_FAILED).
- `ValidationCache` (this module) remembers the texts whose document passed every validation
  rule. It runs after the refusal extensions of `kb.api.limits` (cost, NUL, empty selection,
  operation choice), which still look at every request (their checks depend on the variables),
  and it never hides their errors: a request that one of them refused is not looked up, and a
  document that failed validation is validated again each time (only passes are remembered).

Strawberry's own `ValidationCache` cannot be used here: it keys on the validation rule classes,
and the depth and alias limiters build new rule classes for every request, so it never hits; and
it overwrites `pre_execution_errors`, which is where the refusals are reported.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from threading import Lock
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

MAX_CACHED = 256
"""Query texts remembered per process (parsed documents and passed validations each)."""

_passed: OrderedDict[str, None] = OrderedDict()
_documents: OrderedDict[tuple[str, str], Any] = OrderedDict()
_lock = Lock()


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    with _lock:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > MAX_CACHED:
            cache.popitem(last=False)


class ParseCache(SchemaExtension):
    """Hands out the parsed document of a query text parsed before in this process."""

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        key = None
        if ctx.graphql_document is None and isinstance(ctx.query, str):
            key = (ctx.query, repr(sorted(ctx.parse_options.items())))
            with _lock:
                document = _documents.get(key)
                if document is not None:
                    _documents.move_to_end(key)
            if document is not None:
                ctx.graphql_document = document
                key = None
        yield
        if key is not None and ctx.graphql_document is not None:
            _remember(_documents, key, ctx.graphql_document)


class ValidationCache(SchemaExtension):
    """Skips validation for a query text whose document passed it before in this process."""

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        text, document = ctx.query, ctx.graphql_document
        if ctx.pre_execution_errors is None and text is not None and document is not None:
            with _lock:
                known = text in _passed
                if known:
                    _passed.move_to_end(text)
            if known:
                ctx.pre_execution_errors = []
            else:
                errors = validate_document(ctx.schema._schema, document, ctx.validation_rules)
                ctx.pre_execution_errors = errors
                if not errors:
                    _remember(_passed, text, None)
        yield


def cache_extensions() -> list[Callable[[], SchemaExtension]]:
    """Factories of the two caches; they go after the limit extensions."""
    return [ParseCache, ValidationCache]
