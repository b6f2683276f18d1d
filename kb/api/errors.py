"""Errors clients see, and the policy that masks everything else.

A client gets a message and an `extensions.code` it can branch on. Errors the API raises on
purpose (`ApiError`) keep their message; request-level errors from GraphQL itself (syntax,
validation, variable coercion) keep theirs too, as BAD_USER_INPUT or GRAPHQL_VALIDATION_FAILED;
store outages and timeouts get a fixed message; anything else is masked as "Internal server
error." so that no traceback, Cypher text or parameter reaches a client. Operators get one log
line per error (code, path, exception type, message) and never the request's variables, which
carry documents' text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError, VariableDefinitionNode, print_ast
from strawberry.extensions import SchemaExtension

from kb.store.base import StoreError, StoreTimeout, StoreUnavailable

log = logging.getLogger("kb.api")


class Code(StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    BAD_CURSOR = "BAD_CURSOR"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"
    STORE_UNAVAILABLE = "STORE_UNAVAILABLE"
    STORE_TIMEOUT = "STORE_TIMEOUT"
    LOADERS_UNAVAILABLE = "LOADERS_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class ApiError(Exception):
    """An error whose message is meant for the client."""

    code: Code = Code.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, code: Code | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class BadInput(ApiError):
    code = Code.BAD_USER_INPUT


class NotFound(ApiError):
    code = Code.NOT_FOUND


class Unauthenticated(ApiError):
    code = Code.UNAUTHENTICATED


STORE_DOWN_MESSAGE = "The graph store is unavailable; try again shortly."
STORE_TIMEOUT_MESSAGE = "The graph store did not answer in time; narrow the query."
INTERNAL_MESSAGE = "Internal server error."


def classify(error: GraphQLError, validation: bool = False) -> tuple[Code, str]:
    """The code and the client-safe message for one error (`validation`: it was reported by
    parsing or validating the document, rather than by coercing variables or executing)."""
    original = error.original_error
    missing = _missing_variable(error)
    if missing:
        return Code.BAD_USER_INPUT, missing
    if isinstance(original, ApiError):
        return original.code, str(original)
    if isinstance(original, StoreUnavailable):
        return Code.STORE_UNAVAILABLE, STORE_DOWN_MESSAGE
    if isinstance(original, StoreTimeout):
        return Code.STORE_TIMEOUT, STORE_TIMEOUT_MESSAGE
    if isinstance(original, GraphQLError):
        return classify(original)
    if isinstance(error, GraphQLSyntaxError):
        return Code.GRAPHQL_PARSE_FAILED, error.message
    if error.path is None and not isinstance(original, StoreError):
        # Raised before any resolver ran: parsing, validation or coercion of the request.
        code = Code.GRAPHQL_VALIDATION_FAILED if validation else Code.BAD_USER_INPUT
        existing = (error.extensions or {}).get("code")
        return Code(existing) if existing in Code.__members__ else code, error.message
    return Code.INTERNAL_SERVER_ERROR, INTERNAL_MESSAGE


def _missing_variable(error: GraphQLError) -> str | None:
    """graphql-core 3.3 reports a required variable that was not sent without its name."""
    nodes = error.nodes or []
    if (error.path is None and len(nodes) == 1 and isinstance(nodes[0], VariableDefinitionNode)
            and "to be provided" in error.message):
        node = nodes[0]
        return (f"variable ${node.variable.name.value} of required type "
                f"{print_ast(node.type)} was not provided")
    return None


def log_error(error: GraphQLError, code: Code) -> None:
    """One line per error for operators: never the variables (they carry documents' text)."""
    original = error.original_error
    path = ".".join(str(p) for p in error.path or ()) or "-"
    if code is Code.INTERNAL_SERVER_ERROR:
        log.error("graphql error code=%s path=%s type=%s: %s", code, path,
                  type(original).__name__ if original else "GraphQLError",
                  original or error.message, exc_info=original)
    elif code in (Code.STORE_UNAVAILABLE, Code.STORE_TIMEOUT):
        log.warning("graphql error code=%s path=%s: %s", code, path, original)
    else:
        log.info("graphql error code=%s path=%s: %s", code, path, loggable(error.message))


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NAME = re.compile(r"[$@]?[_A-Za-z][_0-9A-Za-z.]*|[\[\]_A-Za-z0-9!]+")


def loggable(message: str, limit: int = 300) -> str:
    """A client's error message as it may be logged: every quoted value that is not a name
    (of a variable, type or field) becomes '…', and the message is cut to `limit` characters.
    GraphQL's own messages quote the values a client sent (`String cannot represent a non
    string value: ['...']`), and those carry documents' text."""

    def redact(m: re.Match[str]) -> str:
        quoted = m.group()
        return quoted if _NAME.fullmatch(quoted[1:-1]) else quoted[0] + "…" + quoted[0]

    text = _QUOTED.sub(redact, message)
    return text if len(text) <= limit else text[:limit] + "…"


class ErrorPolicy(SchemaExtension):
    """Rewrites every error of a result into a client-safe one with `extensions.code`.

    When an error says the store is unreachable, the request context's `on_store_down` is
    called, so the app starts reconnecting without waiting for a health probe.
    """

    def __init__(self) -> None:
        self._document_errors: set[int] = set()

    def on_parse(self) -> Iterator[None]:
        yield
        self._remember()

    def on_validate(self) -> Iterator[None]:
        yield
        self._remember()

    def _remember(self) -> None:
        self._document_errors |= {id(e) for e in self.execution_context.pre_execution_errors
                                  or ()}

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        cleaned: list[GraphQLError] = []
        for error in errors:
            code, message = classify(error, id(error) in self._document_errors)
            if code is Code.STORE_UNAVAILABLE:
                hook: Callable[[], Any] | None = getattr(
                    self.execution_context.context, "on_store_down", None)
                if hook is not None:
                    hook()
            cleaned.append(GraphQLError(message, nodes=error.nodes, source=error.source,
                                        positions=error.positions, path=error.path,
                                        extensions={"code": code.value}))
        result.errors = cleaned  # type: ignore[union-attr]


def report_errors(errors: list[GraphQLError]) -> None:
    """Log errors once (called by the schema instead of Strawberry's traceback logger)."""
    for error in errors:
        log_error(error, classify(error)[0])
