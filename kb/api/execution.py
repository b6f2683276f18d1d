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

A resolver marked `@batched` is called, for a list of parents, for all of them before the
first is completed (`FastLeaves.complete_list_value`): the list's items, and the objects they hold
in plain object fields (`edges` -> `node`, `Participation.actor`), are looked at for the batched
fields the query selects of them, each is called with the Info and arguments it would get later,
and the awaitables they return are awaited together, once. The items are then completed
synchronously, each batched field answered from what its call returned. Why: resolved item by
item, a relationship field of 100 timeline events returned 100 awaitables, and graphql-core gave
each event an awaitable of its own, each list item another, and gathered them in 100 asyncio
tasks, more Python time than the store took. A batched resolver registers its loads with the
request's DataLoaders when it is called (it returns the loader's future, not a coroutine that
would load once started), so awaiting them one after the other still sends one statement per
DataLoader, as resolving the items one by one did; its errors, raised or awaited, are reported
where graphql-core would report them, at the field's path, when the field is completed.

Objects are completed without graphql-core's generic steps where they are pure overhead: a
field set's definitions and plans are looked up once per request (not once per object and
field), a plain leaf gets no path unless it must report an error, a `str` of a String or ID is
output as it is, and an object value (of a non-abstract type, with no deferred fragment) goes
straight to its fields. Errors, paths and the awaiting of awaitable fields are graphql-core's.

All fast paths are off when a schema extension wraps resolvers (a `resolve` hook) or the schema
has exception handlers: those must see every field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from inspect import iscoroutinefunction
from typing import Any, TypeVar

from graphql import (
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
    Undefined,
    is_leaf_type,
)
from graphql.execution.executor import to_nodes
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path
from graphql.pyutils.gather_with_cancel import gather_with_cancel
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
    """How to call a resolver directly: the function (called with the parent as `self`), the
    name of its `info` parameter (None: it takes none), the Strawberry field, for that Info,
    whether it takes GraphQL arguments, and whether it is `@batched`."""

    func: Any
    info: str | None
    field: StrawberryField
    has_args: bool
    batched: bool
    object_type: GraphQLObjectType | None
    """The field's type when it is an object type (maybe non-null): its value is completed
    without `complete_value`'s dispatch."""


@dataclass(frozen=True, slots=True)
class _Object:
    """A plain field (no resolver, no argument) holding an object of `type`, or a list of them:
    the items of a list are looked through it for batched fields (`edges` -> `node`)."""

    attr: str
    type: GraphQLObjectType
    is_list: bool


_Step = tuple[str, Any, GraphQLField, "_Call | _Object"]
"""A field of a list's items that `FastLeaves.complete_list_value` looks at: its response name,
field group, definition and plan."""

_Field = tuple[str, Any, "GraphQLField | None", Any]
"""A field of a field set: its response name, field group, definition and plan."""

F = TypeVar("F", bound=Callable[..., Any])


def batched(func: F) -> F:
    """Mark a resolver that `FastLeaves` may call for every parent of a list at once, before
    completing any of them. The resolver must be a plain function (not `async def`) that
    registers the loads it needs with the request's DataLoaders when it is called, and return
    its answer, or an awaitable of it that needs no other load to be started first; it must not
    change anything (it may be called for a parent whose other fields end in an error)."""
    func._kb_batched = True  # type: ignore[attr-defined]
    return func


_NO_PLAN = object()
_plans: dict[int, tuple[GraphQLField, Any]] = {}
"""Per GraphQL field definition (by identity; the definition is kept alive with its plan): a
`_Leaf`, a `_Call`, an `_Object`, or `_NO_PLAN` for a field that takes graphql-core's path."""


def _plan(field_def: GraphQLField) -> Any:
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField):
        return _NO_PLAN
    if not getattr(field_def.resolve, "_is_default", False):
        return _call_plan(field_def, definition)
    if field_def.args or definition.default_resolver is not getattr:
        return _NO_PLAN
    kind: Any = field_def.type
    held = _unwrap(kind)
    if isinstance(held, GraphQLObjectType):
        return _Object(definition.python_name, held, is_list=held is not _unwrap(kind, False))
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


def _call_plan(field_def: GraphQLField, definition: StrawberryField) -> Any:
    resolver = definition.base_resolver
    if (resolver is None or definition.extensions or resolver.self_parameter is None
            or resolver.root_parameter is not None or resolver.parent_parameter is not None):
        return _NO_PLAN
    info = resolver.info_parameter
    held = _unwrap(field_def.type, lists=False)
    return _Call(resolver.wrapped_func, info.name if info is not None else None, definition,
                 bool(definition.arguments), getattr(resolver.wrapped_func, "_kb_batched", False),
                 held if isinstance(held, GraphQLObjectType) else None)


def _unwrap(kind: Any, lists: bool = True) -> Any:
    """The type a field holds, without its non-null wrappers (and one list, if `lists`);
    None for a list of lists."""
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if lists and isinstance(kind, GraphQLList):
        kind = kind.of_type
        if isinstance(kind, GraphQLNonNull):
            kind = kind.of_type
        return None if isinstance(kind, GraphQLList) else kind
    return kind


def _held(source: Any, attr: str) -> Any:
    """The object a plain field holds, or None when reading it fails (graphql-core reports
    that when it completes the field)."""
    try:
        return getattr(source, attr)
    except Exception:
        return None


_STRINGS = (GraphQLString, GraphQLID)
"""Scalars whose output of a `str` is the str itself (`serialize_string`, `serialize_id`)."""


def _coerce(leaf: GraphQLLeafType, value: Any, non_null: bool) -> Any:
    """The coerced value, or Undefined when graphql-core must report an error."""
    if value is None:
        return Undefined if non_null else None
    if type(value) is str and leaf in _STRINGS:
        return value
    coerced = leaf.coerce_output_value(value)
    return Undefined if coerced is None or coerced is Undefined else coerced


class FastLeaves(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain leaf fields answered without a ResolveInfo,
    resolvers called directly, and batched resolvers called for a whole list at once."""

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
        self._batches: dict[tuple[GraphQLObjectType, int], tuple[Any, list[_Step] | None]] = {}
        """Per item type and field group of a list (kept with its steps): where its batched
        fields are."""
        self._fields: dict[tuple[GraphQLObjectType, int], tuple[Any, list[_Field]]] = {}
        """Per parent type and grouped field set (kept with it): each field's response name,
        field group, definition and plan."""
        self._called: dict[tuple[int, int], list[Any]] = {}
        """What a batched resolver answered ahead of completion, [info, result or error], per
        field group (graphql-core keeps the groups for the request) and parent."""

    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any,
                       path: Path | None, grouped_field_set: Any,
                       position_context: Any) -> Any:
        """graphql-core's, with each field's definition and plan looked up once per field set,
        and a plain leaf answered without a path of its own (one is made when graphql-core
        must report an error)."""
        if not self._fast or position_context is not None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                          position_context)
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for name, group, field_def, plan in self._field_plans(parent_type,
                                                                  grouped_field_set):
                if type(plan) is _Leaf:
                    value = self._leaf(plan, source_value)
                    if value is not Undefined:
                        results[name] = value
                        continue
                field_path = Path(path, name, parent_type.name)
                if type(plan) is _Call:
                    result = self._call(plan, field_def, parent_type, source_value, group,
                                        field_path, position_context)
                else:
                    result = super().execute_field(parent_type, source_value, group,
                                                   field_path, position_context)
                if result is not Undefined:
                    results[name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(name)
        except Exception:
            if awaitable_fields:  # settle the other fields' awaitables, as graphql-core does
                self.settle_in_background([results[f] for f in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._await_fields(results, awaitable_fields)

    def _field_plans(self, parent_type: GraphQLObjectType,
                     grouped_field_set: Any) -> list[_Field]:
        key = (parent_type, id(grouped_field_set))
        known = self._fields.get(key)
        if known is None:
            planned = []
            for name, group in grouped_field_set.items():
                field_def = self.schema.get_field(parent_type, group[0].node.name.value)
                plan = self._plan_of(field_def) if field_def is not None else _NO_PLAN
                planned.append((name, group, field_def, plan))
            known = self._fields[key] = (grouped_field_set, planned)
        return known[1]

    @staticmethod
    async def _await_fields(results: dict[str, Any], awaitable_fields: list[str]) -> Any:
        if len(awaitable_fields) == 1:
            field = awaitable_fields[0]
            results[field] = await results[field]
        else:
            awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    def complete_object_value(self, return_type: GraphQLObjectType, field_details_list: Any,
                              info: Any, path: Path, result: Any, position_context: Any) -> Any:
        """graphql-core's, without its intermediate calls when the value is of the type and
        no fragment is deferred."""
        if self._fast and position_context is None:
            is_type_of = return_type.is_type_of
            if is_type_of is None or is_type_of(result, info) is True:
                grouped, defers, _forbidden = self.collect_subfields(return_type,
                                                                     field_details_list)
                if not defers:
                    return self.execute_fields(return_type, result, path, grouped, None)
        return super().complete_object_value(return_type, field_details_list, info, path,
                                              result, position_context)

    def execute_field(self, parent_type: GraphQLObjectType, source: Any,
                      field_details_list: Any, path: Path, position_context: Any) -> Any:
        field_def = self.schema.get_field(parent_type, field_details_list[0].node.name.value)
        if field_def is not None and self._fast:
            plan = self._plan_of(field_def)
            if type(plan) is _Leaf:
                value = self._leaf(plan, source)
                if value is not Undefined:
                    return value
            elif type(plan) is _Call:
                return self._call(plan, field_def, parent_type, source, field_details_list,
                                  path, position_context)
        return super().execute_field(parent_type, source, field_details_list, path,
                                     position_context)

    @staticmethod
    def _plan_of(field_def: GraphQLField) -> Any:
        known = _plans.get(id(field_def))
        if known is None or known[0] is not field_def:
            known = _plans[id(field_def)] = (field_def, _plan(field_def))
        return known[1]

    def _call(self, plan: _Call, field_def: GraphQLField, parent_type: GraphQLObjectType,
              source: Any, field_details_list: Any, path: Path, position_context: Any) -> Any:
        """graphql-core's `execute_field` for a resolver, called directly (or earlier, for a
        list: see `complete_list_value`)."""
        return_type = field_def.type
        called = (self._called.pop((id(field_details_list), id(source)), None)
                  if plan.batched else None)
        try:
            if called is not None:
                info, result = called
            else:
                info = self.build_resolve_info(field_def, to_nodes(field_details_list),
                                               parent_type, path)
                result = self._resolve(plan, field_def, source, field_details_list, info)
            if self.is_awaitable(result):
                return self.complete_awaitable_value(return_type, field_details_list, info,
                                                     path, result, position_context)
            if (plan.object_type is not None and result is not None
                    and result is not Undefined and not isinstance(result, Exception)):
                completed = self.complete_object_value(plan.object_type, field_details_list,
                                                       info, path, result, position_context)
            else:
                completed = self.complete_value(return_type, field_details_list, info, path,
                                                result, position_context)
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    def _resolve(self, plan: _Call, field_def: GraphQLField, source: Any,
                 field_details_list: Any, info: Any) -> Any:
        kwargs = self._converted(plan, field_def, field_details_list, info)
        if plan.info is not None:
            kwargs = {**kwargs, plan.info: self._strawberry.config.info_class(
                _raw_info=info, _field=plan.field)}
        return plan.func(source, **kwargs)

    def complete_list_value(self, return_type: GraphQLList[Any], field_details_list: Any,
                            info: Any, path: Path, result: Any, position_context: Any) -> Any:
        """graphql-core's, after calling the batched resolvers the items' selection reaches
        and awaiting what they return, all at once."""
        if self._fast and type(result) is list and result and position_context is None:
            item_type = return_type.of_type
            if isinstance(item_type, GraphQLNonNull):
                item_type = item_type.of_type
            if (isinstance(item_type, GraphQLObjectType)
                    and not any(d.node.directives for d in field_details_list)  # no @stream
                    and self._steps(item_type, field_details_list)):
                pending: list[list[Any]] = []
                self._call_batched(item_type, field_details_list,
                                   [(s, path.add_key(i, None)) for i, s in enumerate(result)
                                    if s is not None], pending)
                if pending:
                    return self._complete_list_later(pending, return_type, field_details_list,
                                                     info, path, result, position_context)
        return super().complete_list_value(return_type, field_details_list, info, path, result,
                                           position_context)

    def _call_batched(self, item_type: GraphQLObjectType, field_details_list: Any,
                      parents: list[tuple[Any, Path]], pending: list[list[Any]]) -> None:
        """Call the batched resolvers selected of these parents (and of the objects their plain
        object fields hold); what is awaitable goes to `pending`."""
        for step in self._steps(item_type, field_details_list) or ():
            name, group, field_def, plan = step
            if type(plan) is _Object:
                held: list[tuple[Any, Path]] = []
                for parent, parent_path in parents:
                    child = _held(parent, plan.attr)
                    child_path = parent_path.add_key(name, item_type.name)
                    if not plan.is_list:
                        if child is not None:
                            held.append((child, child_path))
                    elif type(child) is list:  # another iterable might be consumed here
                        held.extend((c, child_path.add_key(i, None))
                                    for i, c in enumerate(child) if c is not None)
                if held:
                    self._call_batched(plan.type, group, held, pending)
                continue
            nodes = to_nodes(group)
            for source, parent_path in parents:
                key = (id(group), id(source))
                if key in self._called:  # the same object twice: the first call serves
                    continue
                info = self.build_resolve_info(field_def, nodes, item_type,
                                               parent_path.add_key(name, item_type.name))
                try:
                    result = self._resolve(plan, field_def, source, group, info)
                except Exception as raw_error:  # reported when the field is completed
                    result = raw_error
                entry = self._called[key] = [info, result]
                if self.is_awaitable(result):
                    pending.append(entry)

    def _steps(self, item_type: GraphQLObjectType, field_details_list: Any) -> list[_Step] | None:
        """The batched fields, and the plain object fields to look through, that this field
        group selects of objects of `item_type`. None when completing the items later than
        graphql-core would could delay a load: a fragment is deferred, or the selection reaches
        an `async def` resolver or one this module does not call, which only start their loads
        when called."""
        key = (item_type, id(field_details_list))
        known = self._batches.get(key)
        if known is not None:
            return known[1]
        self._batches[key] = (field_details_list, None)  # a cycle cannot happen; be safe
        steps: list[_Step] | None = []
        try:
            grouped, defers, _forbidden = self.collect_subfields(item_type, field_details_list)
        except Exception:  # graphql-core reports it when it completes the items
            grouped, defers = {}, True
        if defers:
            steps = None
        for name, group in grouped.items() if steps is not None else ():
            field_def = self.schema.get_field(item_type, group[0].node.name.value)
            if field_def is None or group[0].node.name.value.startswith("__"):
                continue  # __typename: answered at once
            plan = self._plan_of(field_def)
            if type(plan) is _Leaf:
                continue
            if type(plan) is _Object:
                below = self._steps(plan.type, group)
                if below is None:
                    steps = None
                elif below:
                    steps.append((name, group, field_def, plan))
            elif type(plan) is _Call and (plan.batched or not iscoroutinefunction(plan.func)):
                if self._delays_below(field_def.type, group):
                    steps = None
                elif plan.batched:
                    steps.append((name, group, field_def, plan))
            elif not getattr(field_def.resolve, "_is_default", False) or self._delays_below(
                    field_def.type, group):
                steps = None
        self._batches[key] = (field_details_list, steps)
        return steps

    def _delays_below(self, kind: Any, group: Any) -> bool:
        """Whether the selection of a field of this type reaches a resolver that completing
        the list later would delay (see `_steps`)."""
        while isinstance(kind, GraphQLNonNull | GraphQLList):
            kind = kind.of_type
        if is_leaf_type(kind):
            return False
        if isinstance(kind, GraphQLObjectType):
            return self._steps(kind, group) is None
        return any(self._steps(t, group) is None for t in self.schema.get_possible_types(kind))

    async def _complete_list_later(self, pending: list[list[Any]], return_type: Any,
                                   field_details_list: Any, info: Any, path: Path, result: Any,
                                   position_context: Any) -> Any:
        for entry in pending:  # their loads are all registered: one wait serves them all
            try:
                entry[1] = await entry[1]
            except Exception as raw_error:  # reported when the field is completed
                entry[1] = raw_error
        completed = super().complete_list_value(return_type, field_details_list, info, path,
                                                result, position_context)
        if self.is_awaitable(completed):
            return await completed
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
