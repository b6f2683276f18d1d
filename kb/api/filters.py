"""`where` and `sort` inputs in the shape of the Neo4j GraphQL Library.

A filter is an object of per-field operator objects (`{name: {contains: "threat"}}`) combined
with `AND`/`OR`/`NOT`; a relationship field takes the related type's filter and means "some
related node matches" (`{speaker: {name: {eq: "Mark Esper"}}}`). Inputs are turned into the
neutral predicate tree of `kb.cypher.read`, which renders Cypher from allow-listed fragments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from typing import Any

import strawberry

from kb.api.enums import ActorType, DocFormat, SortDirection, Stance
from kb.api.errors import BadInput
from kb.api.limits import check_filter
from kb.cypher.read import And, Cmp, FilterError, Not, Or, Pred, Rel
from kb.store.base import Dialect

_OPS = {"eq": "eq", "in_": "in", "contains": "contains", "starts_with": "startsWith",
        "ends_with": "endsWith", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


@strawberry.input(description="String operators; all but `eq`/`in` ignore case.")
class StringFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")
    contains: str | None = None
    starts_with: str | None = None
    ends_with: str | None = None


@strawberry.input(description="Id operators (ids are the stable ids, e.g. `actor:...`).")
class IDFilter:
    eq: strawberry.ID | None = None
    in_: list[strawberry.ID] | None = strawberry.field(default=None, name="in")
    starts_with: str | None = None


@strawberry.input(description="Date operators (ISO dates).")
class DateFilter:
    eq: dt.date | None = None
    gt: dt.date | None = None
    gte: dt.date | None = None
    lt: dt.date | None = None
    lte: dt.date | None = None


@strawberry.input
class BooleanFilter:
    eq: bool | None = None


@strawberry.input
class StanceFilter:
    eq: Stance | None = None
    in_: list[Stance] | None = strawberry.field(default=None, name="in")


@strawberry.input
class ActorTypeFilter:
    eq: ActorType | None = None
    in_: list[ActorType] | None = strawberry.field(default=None, name="in")


@strawberry.input
class DocFormatFilter:
    eq: DocFormat | None = None
    in_: list[DocFormat] | None = strawberry.field(default=None, name="in")


@strawberry.input(description="Filter on the speaker of a claim (an actor or an outlet).")
class AgentWhere:
    id: IDFilter | None = None
    name: StringFilter | None = None
    and_: list[AgentWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[AgentWhere] | None = strawberry.field(default=None, name="OR")
    not_: AgentWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class OutletWhere:
    id: IDFilter | None = None
    name: StringFilter | None = None
    domain: StringFilter | None = None
    and_: list[OutletWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[OutletWhere] | None = strawberry.field(default=None, name="OR")
    not_: OutletWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class ConceptWhere:
    id: IDFilter | None = None
    name: StringFilter | None = None
    definition: StringFilter | None = None
    curated: BooleanFilter | None = None
    invoked_by: ClaimWhere | None = strawberry.field(
        default=None, description="Some claim invoking the concept matches.")
    and_: list[ConceptWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[ConceptWhere] | None = strawberry.field(default=None, name="OR")
    not_: ConceptWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class PrecedentWhere:
    id: IDFilter | None = None
    name: StringFilter | None = None
    summary: StringFilter | None = None
    date: DateFilter | None = None
    cited_by: ClaimWhere | None = strawberry.field(
        default=None, description="Some claim citing the precedent matches.")
    and_: list[PrecedentWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[PrecedentWhere] | None = strawberry.field(default=None, name="OR")
    not_: PrecedentWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class ActorWhere:
    id: IDFilter | None = None
    name: StringFilter | None = None
    type: ActorTypeFilter | None = None
    aliases: StringFilter | None = None
    event: EventWhere | None = strawberry.field(
        default=None, description="The actor took part in some matching event.")
    and_: list[ActorWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[ActorWhere] | None = strawberry.field(default=None, name="OR")
    not_: ActorWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class EventWhere:
    id: IDFilter | None = None
    name: StringFilter | None = None
    date: DateFilter | None = None
    participant: ActorWhere | None = strawberry.field(
        default=None, description="Some participant matches.")
    and_: list[EventWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[EventWhere] | None = strawberry.field(default=None, name="OR")
    not_: EventWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class DocumentWhere:
    id: IDFilter | None = None
    title: StringFilter | None = None
    publisher: StringFilter | None = None
    author: StringFilter | None = None
    format: DocFormatFilter | None = None
    url: StringFilter | None = None
    published: DateFilter | None = None
    outlet: OutletWhere | None = strawberry.field(
        default=None, description="Published by or citing a matching outlet.")
    and_: list[DocumentWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[DocumentWhere] | None = strawberry.field(default=None, name="OR")
    not_: DocumentWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description="Filter claims; relationship fields mean 'some related node "
                  "matches'. A date range is `document: {published: {gte: ..., lt: ...}}`.")
class ClaimWhere:
    id: IDFilter | None = None
    text: StringFilter | None = None
    quote: StringFilter | None = None
    stance: StanceFilter | None = None
    modality: StringFilter | None = None
    speaker: AgentWhere | None = None
    concept: ConceptWhere | None = None
    precedent: PrecedentWhere | None = None
    document: DocumentWhere | None = None
    about: EventWhere | None = strawberry.field(
        default=None, description="About some matching event.")
    about_actor: ActorWhere | None = strawberry.field(
        default=None, description="About some matching actor (other than its speaker).")
    attacks: ClaimWhere | None = strawberry.field(
        default=None, description="Attacks (contradicts) some matching claim; `{}` for any.")
    attacked_by: ClaimWhere | None = None
    supports: ClaimWhere | None = None
    supported_by: ClaimWhere | None = None
    and_: list[ClaimWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[ClaimWhere] | None = strawberry.field(default=None, name="OR")
    not_: ClaimWhere | None = strawberry.field(default=None, name="NOT")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _value(value: Any) -> Any:
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_predicate(where: Any) -> Pred | None:
    """The predicate tree of a `where` input (None when it sets nothing)."""
    if where is None:
        return None
    parts: list[Pred] = []
    for f in dataclasses.fields(where):
        value = getattr(where, f.name)
        if value is None:
            continue
        if f.name in ("and_", "or_"):
            subs = tuple(p for p in (to_predicate(w) for w in value) if p is not None)
            parts.append(And(subs) if f.name == "and_" else Or(subs))
        elif f.name == "not_":
            sub = to_predicate(value)
            if sub is not None:
                parts.append(Not(sub))
        elif type(value).__name__.endswith("Where"):
            sub = to_predicate(value)
            parts.append(Rel(_camel(f.name), sub if sub is not None else And(())))
        else:
            ops = [Cmp(_camel(f.name), _OPS[o.name], _value(getattr(value, o.name)))
                   for o in dataclasses.fields(value) if getattr(value, o.name) is not None]
            parts.extend(ops)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def compile_filter(label: str, where: Any, dialect: Dialect) -> Any:
    """Compile a `where` input for `label`; a filter the API cannot run is BAD_USER_INPUT."""
    from kb.cypher.read import compile_where

    pred = to_predicate(where)
    check_filter(pred)
    try:
        return compile_where(label, pred, dialect)
    except FilterError as exc:
        raise BadInput(str(exc)) from None


@strawberry.enum
class ConceptSortField(Enum):
    ID = "ID"
    NAME = "NAME"


@strawberry.enum
class PrecedentSortField(Enum):
    ID = "ID"
    NAME = "NAME"
    DATE = "DATE"


@strawberry.enum
class ActorSortField(Enum):
    ID = "ID"
    NAME = "NAME"
    TYPE = "TYPE"


@strawberry.enum
class EventSortField(Enum):
    ID = "ID"
    NAME = "NAME"
    DATE = "DATE"


@strawberry.enum
class DocumentSortField(Enum):
    ID = "ID"
    TITLE = "TITLE"
    PUBLISHED = "PUBLISHED"


@strawberry.enum
class ClaimSortField(Enum):
    ID = "ID"
    STANCE = "STANCE"
    SPEAKER = "SPEAKER"
    DOCUMENT = "DOCUMENT"


@strawberry.input(description="Order of concepts; the id breaks ties (and makes cursors exact).")
class ConceptSort:
    field: ConceptSortField = ConceptSortField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="Order of precedents; the id breaks ties.")
class PrecedentSort:
    field: PrecedentSortField = PrecedentSortField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="Order of actors; the id breaks ties.")
class ActorSort:
    field: ActorSortField = ActorSortField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="Order of events; the id breaks ties.")
class EventSort:
    field: EventSortField = EventSortField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="Order of documents; the id breaks ties.")
class DocumentSort:
    field: DocumentSortField = DocumentSortField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="Order of claims; the id breaks ties.")
class ClaimSort:
    field: ClaimSortField = ClaimSortField.ID
    direction: SortDirection = SortDirection.ASC
