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

from kb.api.enums import (
    ActorType,
    DocFormat,
    InvocationStance,
    OutletRelation,
    SortDirection,
    Stance,
    Treatment,
)
from kb.api.errors import BadInput
from kb.api.limits import check_filter
from kb.cypher.read import And, Cmp, Edge, FilterError, Not, Or, Pred, Rel
from kb.store.base import Dialect

_OPS = {"eq": "eq", "in_": "in", "contains": "contains", "starts_with": "startsWith",
        "ends_with": "endsWith", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte",
        "is_null": "isNull", "includes": "includes", "is_empty": "isEmpty"}

_QUANT_SUFFIX = {"_all": "all", "_none": "none", "_single": "single"}
"""Relationship filter fields named `<relationship>_ALL`, `_NONE`, `_SINGLE` (the Neo4j GraphQL
Library's quantifiers); the bare relationship field means "some" (the Library's `_SOME`)."""

_NULL_HINT = "an explicit null is not a value to compare with; use `isNull: true`"


def _quantified(name: str, description: str) -> Any:
    """A relationship filter field with a quantifier, named as the Neo4j GraphQL Library does
    (`concept_NONE`)."""
    return strawberry.field(default=None, name=name, description=description)


_IS_NULL = "True: the property is missing; false: it is present."
UNSET: Any = strawberry.UNSET


@strawberry.input(description="String operators; all but `eq`/`in` ignore case.")
class StringFilter:
    eq: str | None = UNSET
    in_: list[str] | None = strawberry.field(default=UNSET, name="in")
    contains: str | None = UNSET
    starts_with: str | None = UNSET
    ends_with: str | None = UNSET
    is_null: bool | None = strawberry.field(default=UNSET, description=_IS_NULL)


@strawberry.input(description="Operators on a list of strings (aliases), applied to each "
                  "element: some element equals, contains, starts or ends with the value; "
                  "`includes` is `eq`.")
class StringListFilter:
    includes: str | None = UNSET
    eq: str | None = UNSET
    in_: list[str] | None = strawberry.field(default=UNSET, name="in")
    contains: str | None = UNSET
    starts_with: str | None = UNSET
    ends_with: str | None = UNSET
    is_empty: bool | None = strawberry.field(default=UNSET,
                                             description="True: the list is empty or missing.")


@strawberry.input(description="Id operators (ids are the stable ids, e.g. `actor:...`).")
class IDFilter:
    eq: strawberry.ID | None = UNSET
    in_: list[strawberry.ID] | None = strawberry.field(default=UNSET, name="in")
    starts_with: str | None = UNSET


@strawberry.input(description="Date operators (ISO dates).")
class DateFilter:
    eq: dt.date | None = UNSET
    gt: dt.date | None = UNSET
    gte: dt.date | None = UNSET
    lt: dt.date | None = UNSET
    lte: dt.date | None = UNSET
    is_null: bool | None = strawberry.field(default=UNSET, description=_IS_NULL)


@strawberry.input
class BooleanFilter:
    eq: bool | None = UNSET


@strawberry.input
class StanceFilter:
    eq: Stance | None = UNSET
    in_: list[Stance] | None = strawberry.field(default=UNSET, name="in")
    is_null: bool | None = strawberry.field(default=UNSET, description=_IS_NULL)


@strawberry.input
class ActorTypeFilter:
    eq: ActorType | None = UNSET
    in_: list[ActorType] | None = strawberry.field(default=UNSET, name="in")
    is_null: bool | None = strawberry.field(default=UNSET, description=_IS_NULL)


@strawberry.input
class DocFormatFilter:
    eq: DocFormat | None = UNSET
    in_: list[DocFormat] | None = strawberry.field(default=UNSET, name="in")
    is_null: bool | None = strawberry.field(default=UNSET, description=_IS_NULL)


@strawberry.input(description="How a claim invokes a concept (an edge property).")
class InvocationStanceFilter:
    eq: InvocationStance | None = UNSET
    in_: list[InvocationStance] | None = strawberry.field(default=UNSET, name="in")
    is_null: bool | None = strawberry.field(default=UNSET, description=_IS_NULL)


@strawberry.input(description="How a claim treats a precedent (an edge property).")
class TreatmentFilter:
    eq: Treatment | None = UNSET
    in_: list[Treatment] | None = strawberry.field(default=UNSET, name="in")
    is_null: bool | None = strawberry.field(default=UNSET, description=_IS_NULL)


@strawberry.input(description="How a document relates to an outlet (the edge's type).")
class OutletRelationFilter:
    eq: OutletRelation | None = UNSET
    in_: list[OutletRelation] | None = strawberry.field(default=UNSET, name="in")


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
    aliases: StringListFilter | None = None
    invoked_by: ClaimWhere | None = strawberry.field(
        default=None, description="Some claim invoking the concept matches.")
    invoked_by_none: ClaimWhere | None = _quantified(
        "invokedBy_NONE", "No claim invoking the concept matches.")
    invoked_by_all: ClaimWhere | None = _quantified(
        "invokedBy_ALL", "Every claim invoking the concept matches.")
    invoked_by_single: ClaimWhere | None = _quantified(
        "invokedBy_SINGLE", "Exactly one claim invoking it matches.")
    and_: list[ConceptWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[ConceptWhere] | None = strawberry.field(default=None, name="OR")
    not_: ConceptWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class PrecedentWhere:
    id: IDFilter | None = None
    name: StringFilter | None = None
    summary: StringFilter | None = None
    date: DateFilter | None = None
    aliases: StringListFilter | None = None
    cited_by: ClaimWhere | None = strawberry.field(
        default=None, description="Some claim citing the precedent matches.")
    cited_by_none: ClaimWhere | None = _quantified(
        "citedBy_NONE", "No claim citing the precedent matches.")
    cited_by_all: ClaimWhere | None = _quantified(
        "citedBy_ALL", "Every claim citing the precedent matches.")
    cited_by_single: ClaimWhere | None = _quantified(
        "citedBy_SINGLE", "Exactly one claim citing it matches.")
    and_: list[PrecedentWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[PrecedentWhere] | None = strawberry.field(default=None, name="OR")
    not_: PrecedentWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class ActorWhere:
    id: IDFilter | None = None
    name: StringFilter | None = None
    type: ActorTypeFilter | None = None
    aliases: StringListFilter | None = None
    event: EventWhere | None = strawberry.field(
        default=None, description="The actor took part in some matching event.")
    event_none: EventWhere | None = _quantified(
        "event_NONE", "The actor took part in no matching event.")
    event_all: EventWhere | None = _quantified(
        "event_ALL", "Every event of the actor matches.")
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
    participant_none: ActorWhere | None = _quantified(
        "participant_NONE", "No participant matches.")
    participant_all: ActorWhere | None = _quantified(
        "participant_ALL", "Every participant matches.")
    participant_single: ActorWhere | None = _quantified(
        "participant_SINGLE", "Exactly one participant matches.")
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
    outlet_none: OutletWhere | None = _quantified(
        "outlet_NONE", "Neither published by nor citing a matching outlet.")
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
    concept_none: ConceptWhere | None = _quantified(
        "concept_NONE", "Invokes no matching concept.")
    concept_all: ConceptWhere | None = _quantified(
        "concept_ALL", "Every concept it invokes matches.")
    concept_single: ConceptWhere | None = _quantified(
        "concept_SINGLE", "Invokes exactly one matching concept.")
    precedent: PrecedentWhere | None = None
    precedent_none: PrecedentWhere | None = _quantified(
        "precedent_NONE", "Cites no matching precedent.")
    precedent_all: PrecedentWhere | None = _quantified(
        "precedent_ALL", "Every precedent it cites matches.")
    precedent_single: PrecedentWhere | None = _quantified(
        "precedent_SINGLE", "Cites exactly one matching precedent.")
    document: DocumentWhere | None = None
    about: EventWhere | None = strawberry.field(
        default=None, description="About some matching event.")
    about_none: EventWhere | None = _quantified(
        "about_NONE", "About no matching event.")
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


def _field_name(name: str) -> tuple[str, str]:
    """(relationship field, quantifier) of a where field (`concept_none` -> concept, none)."""
    for suffix, quant in _QUANT_SUFFIX.items():
        if name.endswith(suffix):
            return _camel(name.removesuffix(suffix)), quant
    return _camel(name), "some"


def _ops(name: str, value: Any) -> list[Pred]:
    ops: list[Pred] = []
    for o in dataclasses.fields(value):
        given = getattr(value, o.name)
        if given is UNSET:
            continue
        if given is None:
            raise BadInput(f"`{_camel(name)}.{_camel(o.name)}: null`: {_NULL_HINT}")
        ops.append(Cmp(_camel(name), _OPS[o.name], _value(given)))
    return ops


def to_predicate(where: Any) -> Pred | None:
    """The predicate tree of a `where` input (None when it sets nothing, which every node
    satisfies). `OR: []` is an OR of nothing and matches no node; an `OR` holding an empty
    filter (`OR: [{}]`) matches every node."""
    if where is None:
        return None
    parts: list[Pred] = []
    for f in dataclasses.fields(where):
        value = getattr(where, f.name)
        if value is None or value is UNSET:
            continue
        if f.name == "and_":
            subs = tuple(p for p in (to_predicate(w) for w in value) if p is not None)
            parts.append(And(subs))
        elif f.name == "or_":
            options = [to_predicate(w) for w in value]
            if any(p is None for p in options):
                continue  # one option holds for every node: so does the OR
            parts.append(Or(tuple(p for p in options if p is not None)))
        elif f.name == "not_":
            sub = to_predicate(value)
            if sub is not None:
                parts.append(Not(sub))
        elif f.name == "node":
            sub = to_predicate(value)
            if sub is not None:
                parts.append(sub)
        elif f.name == "edge":
            sub = to_predicate(value)
            if sub is not None:
                parts.append(Edge(sub))
        elif type(value).__name__.endswith("Where"):
            sub = to_predicate(value)
            field, quant = _field_name(f.name)
            parts.append(Rel(field, sub if sub is not None else And(()), quant))
        else:
            parts.extend(_ops(f.name, value))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def compile_filter(label: str, where: Any, dialect: Dialect, edge: str | None = None) -> Any:
    """Compile a `where` input for `label` (and the edge filter type `edge` of a relationship
    connection); a filter the API cannot run is BAD_USER_INPUT."""
    from kb.cypher.read import compile_where

    pred = to_predicate(where)
    check_filter(pred)
    try:
        return compile_where(label, pred, dialect, edge)
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


@strawberry.enum
class OutletSortField(Enum):
    ID = "ID"
    NAME = "NAME"
    DOMAIN = "DOMAIN"


@strawberry.input(description="Order of outlets; the id breaks ties.")
class OutletSort:
    field: OutletSortField = OutletSortField.ID
    direction: SortDirection = SortDirection.ASC


# -- relationship connections ------------------------------------------------------------------


@strawberry.input(description="The edge of a claim invoking a concept.")
class InvocationEdgeWhere:
    stance: InvocationStanceFilter | None = None


@strawberry.input(description="The edge of a claim citing a precedent.")
class CitationEdgeWhere:
    treatment: TreatmentFilter | None = None


@strawberry.input(description="The edge of an actor taking part in an event.")
class ParticipationEdgeWhere:
    role: StringFilter | None = None


@strawberry.input(description="The edge between a document and an outlet.")
class OutletLinkEdgeWhere:
    relation: OutletRelationFilter | None = None


_NODE = "The related node matches."
_EDGE = "The relationship's properties match."


@strawberry.input(description="Filter of `Concept.claimsConnection`: claim and invocation.")
class ConceptClaimsWhere:
    node: ClaimWhere | None = strawberry.field(default=None, description=_NODE)
    edge: InvocationEdgeWhere | None = strawberry.field(default=None, description=_EDGE)
    and_: list[ConceptClaimsWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[ConceptClaimsWhere] | None = strawberry.field(default=None, name="OR")
    not_: ConceptClaimsWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description="Filter of `Claim.conceptsConnection`: concept and invocation.")
class ClaimConceptsWhere:
    node: ConceptWhere | None = strawberry.field(default=None, description=_NODE)
    edge: InvocationEdgeWhere | None = strawberry.field(default=None, description=_EDGE)
    and_: list[ClaimConceptsWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[ClaimConceptsWhere] | None = strawberry.field(default=None, name="OR")
    not_: ClaimConceptsWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description="Filter of `Precedent.citedByConnection`: claim and treatment.")
class PrecedentCitedByWhere:
    node: ClaimWhere | None = strawberry.field(default=None, description=_NODE)
    edge: CitationEdgeWhere | None = strawberry.field(default=None, description=_EDGE)
    and_: list[PrecedentCitedByWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[PrecedentCitedByWhere] | None = strawberry.field(default=None, name="OR")
    not_: PrecedentCitedByWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description="Filter of `Claim.precedentsConnection`: precedent and "
                  "treatment.")
class ClaimPrecedentsWhere:
    node: PrecedentWhere | None = strawberry.field(default=None, description=_NODE)
    edge: CitationEdgeWhere | None = strawberry.field(default=None, description=_EDGE)
    and_: list[ClaimPrecedentsWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[ClaimPrecedentsWhere] | None = strawberry.field(default=None, name="OR")
    not_: ClaimPrecedentsWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description="Filter of `Event.participantsConnection`: actor and role.")
class EventParticipantsWhere:
    node: ActorWhere | None = strawberry.field(default=None, description=_NODE)
    edge: ParticipationEdgeWhere | None = strawberry.field(default=None, description=_EDGE)
    and_: list[EventParticipantsWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[EventParticipantsWhere] | None = strawberry.field(default=None, name="OR")
    not_: EventParticipantsWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description="Filter of `Actor.eventsConnection`: event and role.")
class ActorEventsWhere:
    node: EventWhere | None = strawberry.field(default=None, description=_NODE)
    edge: ParticipationEdgeWhere | None = strawberry.field(default=None, description=_EDGE)
    and_: list[ActorEventsWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[ActorEventsWhere] | None = strawberry.field(default=None, name="OR")
    not_: ActorEventsWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description="Filter of a claims connection whose edges carry no property "
                  "but their documents (`Actor`, `Outlet`, `Event`, `Document`).")
class ClaimsConnectionWhere:
    node: ClaimWhere | None = strawberry.field(default=None, description=_NODE)
    and_: list[ClaimsConnectionWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[ClaimsConnectionWhere] | None = strawberry.field(default=None, name="OR")
    not_: ClaimsConnectionWhere | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description="Filter of `Document.outletsConnection`: outlet and relation.")
class DocumentOutletsWhere:
    node: OutletWhere | None = strawberry.field(default=None, description=_NODE)
    edge: OutletLinkEdgeWhere | None = strawberry.field(default=None, description=_EDGE)
    and_: list[DocumentOutletsWhere] | None = strawberry.field(default=None, name="AND")
    or_: list[DocumentOutletsWhere] | None = strawberry.field(default=None, name="OR")
    not_: DocumentOutletsWhere | None = strawberry.field(default=None, name="NOT")


_SORT = ("One sort key: a field of the node, or `edge` (the relationship's property: stance, "
         "treatment, role or relation). Missing values sort last ascending, first descending.")


@strawberry.input(description=_SORT)
class ClaimConnectionSort:
    node: ClaimSort | None = None
    edge: SortDirection | None = None


@strawberry.input(description=_SORT)
class ConceptConnectionSort:
    node: ConceptSort | None = None
    edge: SortDirection | None = None


@strawberry.input(description=_SORT)
class PrecedentConnectionSort:
    node: PrecedentSort | None = None
    edge: SortDirection | None = None


@strawberry.input(description=_SORT)
class ActorConnectionSort:
    node: ActorSort | None = None
    edge: SortDirection | None = None


@strawberry.input(description=_SORT)
class EventConnectionSort:
    node: EventSort | None = None
    edge: SortDirection | None = None


@strawberry.input(description=_SORT)
class OutletConnectionSort:
    node: OutletSort | None = None
    edge: SortDirection | None = None


def sort_keys(label: str, sort: list[Any] | None) -> list[tuple[str, str, bool]]:
    """(table, key, ascending) per key of a relationship connection's `sort` list; an element
    must set exactly one of `node` and `edge`."""
    keys: list[tuple[str, str, bool]] = []
    for item in sort or []:
        if (item.node is None) == (item.edge is None):
            raise BadInput("each `sort` element sets exactly one of `node` and `edge`")
        if item.node is not None:
            keys.append((label, item.node.field.value,
                         item.node.direction is SortDirection.ASC))
        else:
            keys.append(("EDGE", "EDGE", item.edge is SortDirection.ASC))
    return keys
