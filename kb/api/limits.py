"""Limits on what one request may ask: depth, aliases, tokens, page size and estimated cost.

Depth, aliases and tokens use Strawberry's own extensions. Page sizes are checked where they
are used (`check_first`). The cost limit estimates, before execution, how many objects a request
could resolve: each field costs 1 plus its children times its page size (`first`, `last`,
`maxNodes`, the number of `ids`, or a default for unbounded lists), so a request that nests
pages of 100 three levels deep is refused before it touches the store. `where` filters are
bounded in depth and size (`check_filter`): the store's Cypher parser takes time exponential in
the nesting of a predicate (ten nested `NOT`s keep FalkorDB parsing for minutes), and variables
are not seen by the parser's nesting and token limits.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from threading import Lock
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    Undefined,
    get_named_type,
    value_from_ast_untyped,
)
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from kb.api.errors import BadInput, Code
from kb.cypher.read import And, Cmp, Not, Or, Pred

MAX_PAGE = 100
"""Largest `first`/`last` of any connection or relationship field."""
DEFAULT_PAGE = 20
"""Page size of a connection asked for with neither `first` nor `last`."""
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000
MAX_COST = 50_000
LIST_DEFAULT = 10
"""Assumed size of a list field that has no page argument."""
MAX_DEPTH_NEIGHBORHOOD = 3
MAX_NODES = 500
MAX_HOPS = 6
MAX_PATHS = 10
"""Most shortest paths one `paths` request returns."""
MAX_FILTER_DEPTH = 5
"""Deepest nesting of AND/OR/NOT and relationship filters in one `where`."""
MAX_FILTER_SIZE = 50
"""Most operators (comparisons, AND/OR/NOT, relationship filters) in one `where`."""


def check_first(value: int | None, name: str = "first", maximum: int = MAX_PAGE) -> int | None:
    """A page size within 0..maximum, or BAD_USER_INPUT."""
    if value is not None and not 0 <= value <= maximum:
        raise BadInput(f"`{name}` must be between 0 and {maximum}, got {value}")
    return value


def check_filter(pred: Pred | None) -> None:
    """A `where` predicate tree within MAX_FILTER_DEPTH and MAX_FILTER_SIZE, or
    BAD_USER_INPUT."""
    size = 0
    todo: list[tuple[Pred, int]] = [(pred, 0)] if pred is not None else []
    while todo:
        node, depth = todo.pop()
        size += 1
        if size > MAX_FILTER_SIZE:
            raise BadInput(f"`where` has more than {MAX_FILTER_SIZE} operators")
        if isinstance(node, Cmp):
            continue
        if depth >= MAX_FILTER_DEPTH:
            raise BadInput(f"`where` is nested more than {MAX_FILTER_DEPTH} levels deep")
        children = (node.parts if isinstance(node, And | Or)
                    else (node.part,) if isinstance(node, Not) else (node.where,))
        todo.extend((c, depth + 1) for c in children)


def _multiplier(field_def: Any, args: dict[str, Any]) -> int:
    """How many times a field's selection is resolved: its page size, or an assumed size."""
    paged = False
    for arg in ("first", "last", "maxNodes"):
        if arg in field_def.args:
            paged = True
            value = args.get(arg, field_def.args[arg].default_value)
            if value is Undefined or value is None:
                continue
            return max(int(value), 1) if isinstance(value, int) else LIST_DEFAULT
    if paged:  # a connection asked for without a size returns its default page
        return DEFAULT_PAGE
    if "ids" in field_def.args and isinstance(args.get("ids"), list):
        return max(len(args["ids"]), 1)
    field_type = field_def.type
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return LIST_DEFAULT if isinstance(field_type, GraphQLList) else 1


class _Cost:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode,
                 variables: dict[str, Any]) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = {d.name.value: d for d in document.definitions
                          if isinstance(d, FragmentDefinitionNode)}

    def selections(self, node: SelectionSetNode, parent: GraphQLNamedType | None,
                   seen: frozenset[str]) -> int:
        total = 0
        for sel in node.selections:
            if isinstance(sel, FieldNode):
                total += self.field(sel, parent, seen)
            elif isinstance(sel, InlineFragmentNode):
                cond = sel.type_condition
                target = self.schema.get_type(cond.name.value) if cond else parent
                total += self.selections(sel.selection_set, target, seen)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                frag = self.fragments.get(name)
                if frag is None or name in seen:  # validation reports both
                    continue
                target = self.schema.get_type(frag.type_condition.name.value)
                total += self.selections(frag.selection_set, target, seen | {name})
        return total

    def field(self, sel: FieldNode, parent: GraphQLNamedType | None,
              seen: frozenset[str]) -> int:
        fields = getattr(parent, "fields", None) or {}
        field_def = fields.get(sel.name.value)
        if field_def is None:
            return 1
        args = {a.name.value: value_from_ast_untyped(a.value, self.variables)
                for a in sel.arguments or ()}
        # A connection's page size is counted on the connection field, not again on its edges.
        in_page = getattr(parent, "name", "").endswith("Connection")
        mult = 1 if in_page else _multiplier(field_def, args)
        if sel.selection_set is None:
            return 1
        child = self.selections(sel.selection_set, get_named_type(field_def.type), seen)
        return 1 + mult * child


def operation_cost(schema: GraphQLSchema, document: DocumentNode,
                   variables: dict[str, Any] | None, operation_name: str | None) -> int:
    """Estimated number of objects the operation could resolve."""
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        ops = [o for o in ops if o.name is not None and o.name.value == operation_name]
    if len(ops) != 1:
        return 0  # execution reports the missing or ambiguous operation
    op = ops[0]
    root = {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[op.operation.value]
    return _Cost(schema, document, variables or {}).selections(op.selection_set, root,
                                                               frozenset())


class CostLimiter(SchemaExtension):
    """Refuses an operation whose estimated cost is above `max_cost`, before it runs."""

    def __init__(self, max_cost: int = MAX_COST) -> None:
        self.max_cost = max_cost

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None and ctx.pre_execution_errors is None:
            cost = operation_cost(ctx.schema._schema, document, ctx.variables,
                                  ctx.operation_name)
            if cost > self.max_cost:
                ctx.pre_execution_errors = [GraphQLError(
                    f"query cost {cost} exceeds the limit of {self.max_cost}; ask for smaller "
                    "pages or fewer nested lists",
                    extensions={"code": Code.COST_LIMIT_EXCEEDED.value})]
        yield


NUL_MESSAGE = ("strings may not contain a NUL character (U+0000): no id, name or text of the "
               "graph has one")


def contains_nul(value: Any) -> bool:
    """True when a string anywhere in `value` (a JSON-like value: dicts, lists, strings) holds a
    NUL. Iterative, so that deeply nested variables cannot exhaust the stack."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list | tuple):
            todo.extend(item)
    return False


class NulRefusal(SchemaExtension):
    """Refuses, before it runs, an operation whose variables or string literals hold a NUL.

    No string of the graph contains one (the document readers refuse NUL bytes), so such a
    value can only be a mistake or a probe; and the FalkorDB client sends parameters in a text
    header that a NUL cuts short, which the store reports as a syntax error. BAD_USER_INPUT."""

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if ctx.pre_execution_errors is None and (
                contains_nul(ctx.variables)
                or (document is not None and _facts(document).nul_literal)):
            ctx.pre_execution_errors = [GraphQLError(
                NUL_MESSAGE, extensions={"code": Code.BAD_USER_INPUT.value})]
        yield


class EmptySelectionRefusal(SchemaExtension):
    """Refuses, before validation, a document with an empty selection set (`stats { }`).

    The GraphQL grammar requires one selection at least, but graphql-core 3.3 parses `{ }`,
    and Strawberry's depth limiter then fails on it (`max()` of an empty sequence), an error
    without a code whose message is Python's. GRAPHQL_VALIDATION_FAILED."""

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if (ctx.pre_execution_errors is None and document is not None
                and _facts(document).empty_selection):
            ctx.pre_execution_errors = [GraphQLError(
                "a selection set may not be empty: select at least one field",
                extensions={"code": Code.GRAPHQL_VALIDATION_FAILED.value})]
        yield


class OperationChoice(SchemaExtension):
    """A document with several operations must name the one to run (`operationName`), as the
    GraphQL spec says; running the first one would answer a question nobody asked."""

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        # The name the client sent: `operation_name` falls back to the document's first one.
        # (A private attribute of Strawberry's ExecutionContext; pyproject bounds the version.)
        sent = getattr(ctx, "_provided_operation_name", None)
        if ctx.pre_execution_errors is None and document is not None and not sent:
            ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(ops) > 1:
                ctx.pre_execution_errors = [GraphQLError(
                    f"the document has {len(ops)} operations: say which one to run with "
                    "`operationName`", extensions={"code": Code.BAD_USER_INPUT.value})]
        yield


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the refusals need to know of a document, whatever the variables."""

    nul_literal: bool
    """A string literal holds a NUL."""
    empty_selection: bool
    """A selection set is empty."""


_FACTS_KEPT = 256
_facts_of: OrderedDict[int, tuple[DocumentNode, _Facts]] = OrderedDict()
_facts_lock = Lock()


def _facts(document: DocumentNode) -> _Facts:
    """The facts of a document, found by one walk over it and remembered for the document
    object (the parse cache of `kb.api.caching` hands out the same object for the same text):
    the two walks ran on every request, a quarter of the API's time for a small answer
    (EventParticipants) once parsing and validation were cached."""
    with _facts_lock:
        known = _facts_of.get(id(document))
        if known is not None and known[0] is document:
            _facts_of.move_to_end(id(document))
            return known[1]
    nul = empty = False
    for node in _walk(document):
        if isinstance(node, StringValueNode) and "\x00" in node.value:
            nul = True
        elif isinstance(node, SelectionSetNode) and not node.selections:
            empty = True
    facts = _Facts(nul, empty)
    with _facts_lock:  # the document is kept with its facts, so its id is not reused meanwhile
        _facts_of[id(document)] = (document, facts)
        while len(_facts_of) > _FACTS_KEPT:
            _facts_of.popitem(last=False)
    return facts


def _walk(document: DocumentNode) -> Iterator[Any]:
    """Every AST node of a document, without recursion."""
    todo: list[Any] = [document]
    while todo:
        node = todo.pop()
        yield node
        for key in node.keys:
            child = getattr(node, key, None)
            if isinstance(child, list | tuple):
                todo.extend(c for c in child if hasattr(c, "keys"))
            elif hasattr(child, "keys") and not isinstance(child, dict):
                todo.append(child)


def limit_extensions() -> list[Callable[[], SchemaExtension]]:
    """Factories, so that every operation gets its own extension instances."""
    return [
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        partial(QueryDepthLimiter, max_depth=MAX_DEPTH),
        partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
        NulRefusal,
        EmptySelectionRefusal,
        OperationChoice,
        CostLimiter,
    ]
