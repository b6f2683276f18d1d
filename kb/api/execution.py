"""A cheaper execution of plain leaf fields (`id`, `name`, `text`, `stance`, ...).

Why: an answer of the research operations is mostly leaves: PrecedentsInDebate resolves about
7,600 fields per request, two thirds of them scalars read from an attribute of an object the
API built. graphql-core executes each one the same way as a field with a resolver: it builds a
ResolveInfo (Strawberry's, 16 slots), looks at the argument nodes, calls Strawberry's basic
resolver (which calls `getattr`), asks whether the result is awaitable, then completes it
through the NonNull, list and leaf branches of `complete_value`. In-process on the 10k graph
that was over half of the operation's Python time, more than the store needed.

For a field that is *basic* in Strawberry's sense (no resolver, no field extension, no
argument: Strawberry itself calls it without an Info) and whose type is a scalar or an enum,
possibly non-null, possibly a list of them, `FastLeaves` reads the attribute and coerces it
directly, which is all the spec asks of a leaf. Anything else, and any leaf whose value would
be an error (a null for a non-null field, a value the scalar refuses), goes through
graphql-core's own path, so errors and their paths are exactly what they were.

A field with a resolver (a method of its type: `self`, `info` and GraphQL arguments, no `root`
or `parent`) and no field extension, such as `Claim.speaker` or `Document.outletsConnection`,
is called directly: Strawberry would convert its arguments, build the extension chain and bind
the call through three wrappers for each of the 1,600 such fields of a PrecedentsInDebate
answer. Its arguments are coerced and converted once per request and place in the query, not
once per parent: every parent of a list (ten documents' `outletsConnection(first:, sort:)`)
has the same ones, and converting a `sort` or `where` input was a fifth of DocumentOutlets'
time. (The parents share the converted values, so resolvers must not change their arguments;
none does.) graphql-core's completion, errors and awaiting stay as they are.

Both fast paths are off when a schema extension wraps resolvers (a `resolve` hook) or the
schema has exception handlers: those must see every field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
)
from graphql.execution.executor import to_nodes
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField


@dataclass(frozen=True, slots=True)
class _Leaf:
    """How to answer one plain leaf field: the attribute, its leaf type, and whether null or a
    list is expected."""

    attr: str
    leaf: GraphQLLeafType
    non_null: bool
    is_list: bool
    items_non_null: bool


@dataclass(frozen=True, slots=True)
class _Call:
    """How to call a resolver without arguments: the function (called with the parent as
    `self`), the name of its `info` parameter (None: it takes none), and the Strawberry field,
    for that Info."""

    func: Any
    info: str | None
    field: StrawberryField
    has_args: bool


_NO_PLAN = object()
_plans: dict[int, tuple[GraphQLField, Any]] = {}
"""Per GraphQL field definition (by identity; the definition is kept alive with its plan): a
`_Leaf`, or `_NO_PLAN` for a field that takes graphql-core's path."""


def _plan(field_def: GraphQLField) -> Any:
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField):
        return _NO_PLAN
    if not getattr(field_def.resolve, "_is_default", False):
        return _call_plan(definition)
    if field_def.args or definition.default_resolver is not getattr:
        return _NO_PLAN
    kind: Any = field_def.type
    non_null = isinstance(kind, GraphQLNonNull)
    if non_null:
        kind = kind.of_type
    is_list = isinstance(kind, GraphQLList)
    items_non_null = False
    if is_list:
        kind = kind.of_type
        items_non_null = isinstance(kind, GraphQLNonNull)
        if items_non_null:
            kind = kind.of_type
    if not is_leaf_type(kind):
        return _NO_PLAN
    return _Leaf(definition.python_name, kind, non_null, is_list, items_non_null)


def _call_plan(definition: StrawberryField) -> Any:
    resolver = definition.base_resolver
    if (resolver is None or definition.extensions or resolver.self_parameter is None
            or resolver.root_parameter is not None or resolver.parent_parameter is not None):
        return _NO_PLAN
    info = resolver.info_parameter
    return _Call(resolver.wrapped_func, info.name if info is not None else None, definition,
                 bool(definition.arguments))


def _coerce(leaf: GraphQLLeafType, value: Any, non_null: bool) -> Any:
    """The coerced value, or Undefined when graphql-core must report an error."""
    if value is None:
        return Undefined if non_null else None
    coerced = leaf.coerce_output_value(value)
    return Undefined if coerced is None or coerced is Undefined else coerced


class FastLeaves(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain leaf fields answered without a ResolveInfo."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        converter = getattr(strawberry_schema, "schema_converter", None)
        # a schema extension with a `resolve` hook, or an exception handler, must see every field
        self._fast = ((manager is None or not manager._middleware_resolvers)
                      and converter is not None and not converter._exception_handler_specs)
        self._strawberry = strawberry_schema
        self._arguments: dict[tuple[int, ...], tuple[Any, dict[str, Any]]] = {}
        """Converted arguments per place in the query (the ids of its field nodes, which are
        kept with them), for this request's variables."""

    def execute_field(self, parent_type: GraphQLObjectType, source: Any,
                      field_details_list: Any, path: Path, position_context: Any) -> Any:
        field_def = self.schema.get_field(parent_type, field_details_list[0].node.name.value)
        if field_def is not None and self._fast:
            known = _plans.get(id(field_def))
            if known is None or known[0] is not field_def:
                known = _plans[id(field_def)] = (field_def, _plan(field_def))
            plan = known[1]
            if type(plan) is _Leaf:
                value = self._leaf(plan, source)
                if value is not Undefined:
                    return value
            elif type(plan) is _Call:
                return self._call(plan, field_def, parent_type, source, field_details_list,
                                  path, position_context)
        return super().execute_field(parent_type, source, field_details_list, path,
                                     position_context)

    def _call(self, plan: _Call, field_def: GraphQLField, parent_type: GraphQLObjectType,
              source: Any, field_details_list: Any, path: Path, position_context: Any) -> Any:
        """graphql-core's `execute_field` for a resolver without arguments, called directly."""
        return_type = field_def.type
        info = self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type,
                                       path)
        try:
            kwargs = self._converted(plan, field_def, field_details_list, info)
            if plan.info is not None:
                kwargs = {**kwargs, plan.info: self._strawberry.config.info_class(
                    _raw_info=info, _field=plan.field)}
            result = plan.func(source, **kwargs)
            if self.is_awaitable(result):
                return self.complete_awaitable_value(return_type, field_details_list, info,
                                                     path, result, position_context)
            completed = self.complete_value(return_type, field_details_list, info, path, result,
                                            position_context)
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    def _converted(self, plan: _Call, field_def: GraphQLField, field_details_list: Any,
                   info: Any) -> dict[str, Any]:
        """The resolver's keyword arguments, as Strawberry converts them, once per request and
        place in the query."""
        if not plan.has_args:
            return {}
        details = field_details_list[0]
        key = tuple(id(d.node) for d in field_details_list)
        shared = details.fragment_variable_values is None
        known = self._arguments.get(key) if shared else None
        if known is not None:
            return known[1]
        raw = get_argument_values(field_def, details.node, self.variable_values,
                                  details.fragment_variable_values, self.hide_suggestions)
        converter = self._strawberry.schema_converter
        kwargs = convert_arguments(raw, plan.field.arguments,
                                   scalar_registry=converter.scalar_registry,
                                   config=self._strawberry.config,
                                   info=self._strawberry.config.info_class(
                                       _raw_info=info, _field=plan.field))
        if shared:
            self._arguments[key] = (field_details_list, kwargs)
        return kwargs

    async def _await_completed(self, completed: Any, return_type: Any, field_details_list: Any,
                               path: Path) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    @staticmethod
    def _leaf(plan: _Leaf, source: Any) -> Any:
        try:
            value = getattr(source, plan.attr)
            if not plan.is_list or value is None:
                return _coerce(plan.leaf, value, plan.non_null)
            if not isinstance(value, list | tuple):
                return Undefined
            out = []
            for item in value:
                coerced = _coerce(plan.leaf, item, plan.items_non_null)
                if coerced is Undefined:
                    return Undefined
                out.append(coerced)
            return out
        except Exception:  # graphql-core's path reports it, with the field's path
            return Undefined
