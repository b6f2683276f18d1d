"""GraphQL object types, one per label, with their relationships as fields.

Global ids: the model's stable ids already name their label (`actor:qasem-soleimani`,
`claim:3f2a...`) and never change when a document is reloaded, so they serve directly as Relay
global ids: `node(id:)` finds the label from the prefix, and a researcher can read and share an
id without decoding base64.

Every relationship field goes through the request's DataLoaders (see `kb.api.loaders`), so a
list of parents costs one query per field, not one per parent. The list relationship fields and
the fields answered by a node whose id the parent holds are plain `@batched` functions (see
`kb.api.execution`): they register their load when called and return the answer, or an
awaitable of it, so the executor calls them for a whole list of parents and waits once, and
the parents are completed without an awaitable each.
"""

from __future__ import annotations

import datetime as dt
from asyncio import Future
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from kb.api.enums import (
    ActorType,
    DocFormat,
    InvocationStance,
    OutletRelation,
    Stance,
    Treatment,
)
from kb.api.execution import batched
from kb.api.filters import (
    ActorConnectionSort,
    ActorEventsWhere,
    ClaimConceptsWhere,
    ClaimConnectionSort,
    ClaimPrecedentsWhere,
    ClaimsConnectionWhere,
    ConceptClaimsWhere,
    ConceptConnectionSort,
    DocumentOutletsWhere,
    EventConnectionSort,
    EventParticipantsWhere,
    OutletConnectionSort,
    PrecedentCitedByWhere,
    PrecedentConnectionSort,
)
from kb.api.limits import check_first
from kb.api.loaders import Item, RelSpec
from kb.api.lookahead import claim_nodes
from kb.api.relationships import (
    CitationProperties,
    InvocationProperties,
    OutletLinkProperties,
    ParticipationProperties,
    ProvenanceProperties,
    RelConnection,
    RelEdge,
    connection,
)

REL_DEFAULT = 50
_CONN = ("Relay connection: `where` on the node and the edge, `sort` by several keys, "
         "`totalCount`, `aggregate`; at most 100 per page.")
E = TypeVar("E", bound=Enum)


def _enum(cls: type[E], value: Any) -> E | None:
    try:
        return cls(value) if value is not None else None
    except ValueError:
        return None


def _str_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _then(loads: list[Any], make: Callable[..., Any]) -> Any:
    """`make(*values)` of these loads' values: at once when every one has its value (as
    `Loaders.get`/`related` answer once the request holds it), else an awaitable of it.

    Resolvers returning this are plain functions whose answer is either the object or an
    awaitable; graphql-core (or `kb.api.execution`, for a list) awaits the latter.
    """
    for load in loads:
        if isinstance(load, Future):
            return _later(loads, make)
    return make(*loads)


async def _later(loads: list[Any], make: Callable[..., Any]) -> Any:
    return make(*[await v if isinstance(v, Future) else v for v in loads])


def _related(info: Info, parent: str, spec: RelSpec | str, value: Any = None,
             first: int = REL_DEFAULT,
             prefetch: tuple[str, ...] = ()) -> list[Item] | Future[list[Item]]:
    check_first(first)
    if isinstance(value, Enum):
        value = value.value
    return info.context.loaders.related(parent, spec, value, first, prefetch)


def _items(info: Info, parent: str, spec: RelSpec | str, make: Callable[[Item], Any],
           value: Any = None, first: int = REL_DEFAULT, prefetch: tuple[str, ...] = ()) -> Any:
    """The related items of a parent, each made into its object by `make`."""
    return _then([_related(info, parent, spec, value, first, prefetch)],
                 lambda items: [make(i) for i in items])


def _claims(info: Info, parent: str, spec: RelSpec | str, value: Any = None,
            first: int = REL_DEFAULT) -> Any:
    """A claim list, fetched with the nodes its selection asks for next."""
    return _items(info, parent, spec, _claim, value, first, claim_nodes(info))


def _claim(item: Item) -> Claim:
    return Claim.from_props(item.props)


def _passage(item: Item) -> Passage:
    return Passage.from_props(item.props)


def _actor(item: Item) -> Actor:
    return Actor.from_props(item.props)


def _node(info: Info, node_id: Any) -> Any:
    """The node of an id the parent holds: answered at once when this request already fetched
    it (no awaitable, no task), else loaded through the request's DataLoader."""
    if not isinstance(node_id, str):
        return None
    loaders = info.context.loaders
    made = loaders.objects.get(node_id)
    if made is not None:
        return made

    def make(row: dict[str, Any] | None) -> Any:
        made = to_node(row)
        if made is not None:
            loaders.objects[node_id] = made
        return made

    return _then([loaders.get(node_id)], make)


@strawberry.interface(description="Relay global object identification. The id is the model's "
                      "stable id, prefixed with its label (`actor:...`, `claim:...`).")
class Node:
    id: strawberry.ID


@strawberry.interface(description="Who can assert a claim: an actor or a news outlet.")
class Agent(Node):
    name: str


@strawberry.type(description="A document of the corpus (article, post, scraped page).")
class Document(Node):
    title: str | None
    format: DocFormat | None
    publisher: str | None
    author: str | None
    url: str | None
    published: dt.date | None
    sha256: str | None
    source: str | None = strawberry.field(description="The file the document was read from.")
    description: str | None

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Document:
        return cls(id=p["id"], title=p.get("title"), format=_enum(DocFormat, p.get("format")),
                   publisher=p.get("publisher"), author=p.get("author"), url=p.get("url"),
                   published=_date(p.get("published")), sha256=p.get("sha256"),
                   source=p.get("source"), description=p.get("description"))

    @strawberry.field(description="Sentences of the document, in order.")
    @batched
    def passages(self, info: Info, first: int = 100) -> list[Passage]:
        return _items(info, self.id, _S["doc_passages"], _passage, first=first)

    @strawberry.field(description="Claims reported in the document, in text order.")
    @batched
    def claims(self, info: Info, first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, "claims_by_document", first=first)

    @strawberry.field(description="Claims reported in the document. " + _CONN)
    async def claims_connection(
            self, info: Info, where: ClaimsConnectionWhere | None = None,
            sort: list[ClaimConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> DocumentClaimsConnection:
        return await connection(
            info, self.id, "Document.claimsConnection", where, sort, first, after, last, before,
            DocumentClaimsConnection, DocumentClaimsRelationship, Claim.from_props)

    @strawberry.field(description="Outlets that published the document or that it cites.")
    @batched
    def outlets(self, info: Info, relation: OutletRelation | None = None,
                first: int = REL_DEFAULT) -> list[Outlet]:
        kinds = [relation] if relation else list(OutletRelation)

        def make(*lists: list[Item]) -> list[Outlet]:
            out: dict[str, Outlet] = {}
            for items in lists:
                for i in items:  # an outlet that published the document and is cited: once
                    out.setdefault(i.id, Outlet.from_props(i.props))
            return list(out.values())[:first]

        return _then([_related(info, self.id, _S[f"doc_{kind.value}"], first=first)
                      for kind in kinds], make)

    @strawberry.field(description="Outlets that published the document or that it cites, the "
                      "relation on the edge, each (outlet, relation) once. " + _CONN)
    async def outlets_connection(
            self, info: Info, where: DocumentOutletsWhere | None = None,
            sort: list[OutletConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> DocumentOutletsConnection:
        return await connection(
            info, self.id, "Document.outletsConnection", where, sort, first, after, last, before,
            DocumentOutletsConnection, DocumentOutletsRelationship, Outlet.from_props)


@strawberry.type(description="One sentence of a document, with its character offsets.")
class Passage(Node):
    text: str
    start: int | None
    end: int | None
    index: int | None
    _doc: strawberry.Private[str | None]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Passage:
        return cls(id=p["id"], text=p.get("text") or "", start=p.get("start"), end=p.get("end"),
                   index=p.get("index"), _doc=p.get("doc"))

    @strawberry.field
    @batched
    def document(self, info: Info) -> Document | None:
        return _node(info, self._doc)

    @strawberry.field(description="Claims evidenced by this passage.")
    @batched
    def claims(self, info: Info, first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, _S["passage_claims"], first=first)


@strawberry.type(description="A person, organisation, state or group.")
class Actor(Agent):
    type: ActorType | None
    aliases: list[str]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Actor:
        return cls(id=p["id"], name=p.get("name") or p["id"], type=_enum(ActorType, p.get("type")),
                   aliases=_str_list(p.get("aliases")))

    @strawberry.field(description="Claims the actor asserted.")
    @batched
    def claims(self, info: Info, first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, _S["actor_claims"], first=first)

    @strawberry.field(description="Claims the actor asserted. " + _CONN)
    async def claims_connection(
            self, info: Info, where: ClaimsConnectionWhere | None = None,
            sort: list[ClaimConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> ActorClaimsConnection:
        return await connection(
            info, self.id, "Actor.claimsConnection", where, sort, first, after, last, before,
            ActorClaimsConnection, ActorClaimsRelationship, Claim.from_props)

    @strawberry.field(description="Events the actor took part in, with the role, by date.")
    @batched
    def events(self, info: Info, role: str | None = None,
               first: int = REL_DEFAULT) -> list[Participation]:
        return _items(info, self.id, _S["actor_events"],
                      lambda i: Participation(actor=self, event=Event.from_props(i.props),
                                              role=i.rel.get("role")), role, first)

    @strawberry.field(description="Events the actor took part in, the role on the edge. " + _CONN)
    async def events_connection(
            self, info: Info, where: ActorEventsWhere | None = None,
            sort: list[EventConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> ActorEventsConnection:
        return await connection(
            info, self.id, "Actor.eventsConnection", where, sort, first, after, last, before,
            ActorEventsConnection, ActorEventsRelationship, Event.from_props)

    @strawberry.field(description="Groups or states the actor is a member of.")
    @batched
    def member_of(self, info: Info, first: int = REL_DEFAULT) -> list[Actor]:
        return _items(info, self.id, _S["actor_member_of"], _actor, first=first)

    @strawberry.field(description="Organisations, groups or states the actor leads.")
    @batched
    def leads(self, info: Info, first: int = REL_DEFAULT) -> list[Actor]:
        return _items(info, self.id, _S["actor_leads"], _actor, first=first)

    @strawberry.field(description="The actor's leaders (for an organisation, group or state).")
    @batched
    def led_by(self, info: Info, first: int = REL_DEFAULT) -> list[Actor]:
        return _items(info, self.id, _S["actor_led_by"], _actor, first=first)

    @strawberry.field(description="The actor's members (for an organisation, group or state).")
    @batched
    def members(self, info: Info, first: int = REL_DEFAULT) -> list[Actor]:
        return _items(info, self.id, _S["actor_members"], _actor, first=first)

    @strawberry.field(description="Passages that mention the actor.")
    @batched
    def mentions(self, info: Info, first: int = REL_DEFAULT) -> list[Passage]:
        return _items(info, self.id, _S["actor_mentions"], _passage, first=first)


@strawberry.type(description="A legal concept, doctrine, standard or instrument.")
class Concept(Node):
    name: str
    definition: str | None
    aliases: list[str]
    curated: bool

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Concept:
        return cls(id=p["id"], name=p.get("name") or p["id"], definition=p.get("definition"),
                   aliases=_str_list(p.get("aliases")), curated=bool(p.get("curated")))

    @strawberry.field(description="Claims that invoke the concept; `stance` is the claim's "
                      "stance toward the concept's application.")
    @batched
    def claims(self, info: Info, stance: InvocationStance | None = None,
               first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, _S["concept_claims"], stance, first)

    @strawberry.field(description="Claims that invoke the concept, the invocation's stance on "
                      "the edge. " + _CONN)
    async def claims_connection(
            self, info: Info, where: ConceptClaimsWhere | None = None,
            sort: list[ClaimConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> ConceptClaimsConnection:
        return await connection(
            info, self.id, "Concept.claimsConnection", where, sort, first, after, last, before,
            ConceptClaimsConnection, ConceptClaimsRelationship, Claim.from_props)

    @strawberry.field(description="Related concepts of the legal ontology, both directions.")
    @batched
    def related(self, info: Info, kind: str | None = None,
                first: int = REL_DEFAULT) -> list[ConceptRelation]:
        def make(out: list[Item], inc: list[Item]) -> list[ConceptRelation]:
            return ([ConceptRelation(concept=Concept.from_props(i.props),
                                     kind=i.rel.get("kind"), outgoing=True) for i in out]
                    + [ConceptRelation(concept=Concept.from_props(i.props),
                                       kind=i.rel.get("kind"), outgoing=False) for i in inc])

        return _then([_related(info, self.id, _S["concept_related_out"], kind, first),
                      _related(info, self.id, _S["concept_related_in"], kind, first)], make)

    @strawberry.field(description="Passages that mention the concept.")
    @batched
    def mentions(self, info: Info, first: int = REL_DEFAULT) -> list[Passage]:
        return _items(info, self.id, _S["concept_mentions"], _passage, first=first)


@strawberry.type(description="An earlier episode that arguments compare an action to.")
class Precedent(Node):
    name: str
    date: dt.date | None
    summary: str | None
    aliases: list[str]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Precedent:
        return cls(id=p["id"], name=p.get("name") or p["id"], date=_date(p.get("date")),
                   summary=p.get("summary"), aliases=_str_list(p.get("aliases")))

    @strawberry.field(description="Claims citing the precedent, with how they treat it.")
    @batched
    def cited_by(self, info: Info, treatment: Treatment | None = None,
                 first: int = REL_DEFAULT) -> list[Citation]:
        return _items(info, self.id, _S["precedent_cited_by"],
                      lambda i: Citation(claim=Claim.from_props(i.props), precedent=self,
                                         treatment=_enum(Treatment, i.rel.get("treatment"))),
                      treatment, first, claim_nodes(info, "claim"))

    @strawberry.field(description="Claims citing the precedent, the treatment on the edge. "
                      " " + _CONN)
    async def cited_by_connection(
            self, info: Info, where: PrecedentCitedByWhere | None = None,
            sort: list[ClaimConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> PrecedentCitedByConnection:
        return await connection(
            info, self.id, "Precedent.citedByConnection", where, sort, first, after, last, before,
            PrecedentCitedByConnection, PrecedentCitedByRelationship, Claim.from_props)

    @strawberry.field(description="Passages that mention the precedent.")
    @batched
    def mentions(self, info: Info, first: int = REL_DEFAULT) -> list[Passage]:
        return _items(info, self.id, _S["precedent_mentions"], _passage, first=first)


@strawberry.type(description="Something that happened, with a date when one is known.")
class Event(Node):
    name: str
    date: dt.date | None
    date_text: str | None = strawberry.field(
        description="The words the date was resolved from.")
    date_precision: str | None = strawberry.field(default=None, description=(
        "How much of `date` the words state: day, week (date is its Monday), month, season "
        "(date is its first day), year, or none; never a day the text does not give."))

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Event:
        return cls(id=p["id"], name=p.get("name") or p["id"], date=_date(p.get("date")),
                   date_text=p.get("date_text"), date_precision=p.get("date_precision"))

    @strawberry.field(description="Actors that took part, with their role.")
    @batched
    def participants(self, info: Info, role: str | None = None,
                     first: int = REL_DEFAULT) -> list[Participation]:
        return _items(info, self.id, _S["event_participants"],
                      lambda i: Participation(actor=Actor.from_props(i.props), event=self,
                                              role=i.rel.get("role")), role, first)

    @strawberry.field(description="Actors that took part, the role on the edge. " + _CONN)
    async def participants_connection(
            self, info: Info, where: EventParticipantsWhere | None = None,
            sort: list[ActorConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> EventParticipantsConnection:
        return await connection(
            info, self.id, "Event.participantsConnection", where, sort, first, after, last, before,
            EventParticipantsConnection, EventParticipantsRelationship, Actor.from_props)

    @strawberry.field(description="Claims about the event.")
    @batched
    def claims(self, info: Info, first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, _S["event_claims"], first=first)

    @strawberry.field(description="Claims about the event. " + _CONN)
    async def claims_connection(
            self, info: Info, where: ClaimsConnectionWhere | None = None,
            sort: list[ClaimConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> EventClaimsConnection:
        return await connection(
            info, self.id, "Event.claimsConnection", where, sort, first, after, last, before,
            EventClaimsConnection, EventClaimsRelationship, Claim.from_props)


@strawberry.type(description="A publisher or a cited news source.")
class Outlet(Agent):
    domain: str | None

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Outlet:
        return cls(id=p["id"], name=p.get("name") or p["id"], domain=p.get("domain"))

    @strawberry.field(description="Claims the outlet asserted (\"NBC News reported ...\").")
    @batched
    def claims(self, info: Info, first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, _S["outlet_claims"], first=first)

    @strawberry.field(description="Claims the outlet asserted. " + _CONN)
    async def claims_connection(
            self, info: Info, where: ClaimsConnectionWhere | None = None,
            sort: list[ClaimConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> OutletClaimsConnection:
        return await connection(
            info, self.id, "Outlet.claimsConnection", where, sort, first, after, last, before,
            OutletClaimsConnection, OutletClaimsRelationship, Claim.from_props)


@strawberry.type(description="Where a claim's words are: the W3C Web Annotation style anchor.")
class Evidence:
    quote: str | None = strawberry.field(description="The exact quoted text.")
    start: int | None = strawberry.field(description="Offset of the quote in the document.")
    end: int | None
    prefix: str | None
    suffix: str | None
    _doc: strawberry.Private[str | None]
    _passage: strawberry.Private[str | None]

    @strawberry.field
    @batched
    def document(self, info: Info) -> Document | None:
        return _node(info, self._doc)

    @strawberry.field(description="The sentence that contains the quote.")
    @batched
    def passage(self, info: Info) -> Passage | None:
        return _node(info, self._passage)


@strawberry.type(description="An attributed assertion (a locution): these words, said by this "
                 "speaker, reported in this document. Not an endorsement of its content.")
class Claim(Node):
    text: str
    stance: Stance | None
    modality: str | None
    _props: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Claim:
        return cls(id=p["id"], text=p.get("text") or "", stance=_enum(Stance, p.get("stance")),
                   modality=p.get("modality"), _props=p)

    @strawberry.field(description="Who asserted it (an actor or an outlet).")
    @batched
    def speaker(self, info: Info) -> Agent | None:
        return _node(info, self._props.get("speaker"))

    @strawberry.field
    def evidence(self) -> Evidence:
        p = self._props
        return Evidence(quote=p.get("quote"), start=p.get("start"), end=p.get("end"),
                        prefix=p.get("prefix"), suffix=p.get("suffix"), _doc=p.get("doc"),
                        _passage=p.get("passage"))

    @strawberry.field(description="The document that reports the claim.")
    @batched
    def document(self, info: Info) -> Document | None:
        return _node(info, self._props.get("doc"))

    @strawberry.field(description="Concepts the claim invokes.")
    @batched
    def concepts(self, info: Info, stance: InvocationStance | None = None,
                 first: int = REL_DEFAULT) -> list[Concept]:
        return _items(info, self.id, _S["claim_concepts"],
                      lambda i: Concept.from_props(i.props), stance, first)

    @strawberry.field(description="Concepts the claim invokes, the invocation's stance on the "
                      "edge. " + _CONN)
    async def concepts_connection(
            self, info: Info, where: ClaimConceptsWhere | None = None,
            sort: list[ConceptConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> ClaimConceptsConnection:
        return await connection(
            info, self.id, "Claim.conceptsConnection", where, sort, first, after, last, before,
            ClaimConceptsConnection, ClaimConceptsRelationship, Concept.from_props)

    @strawberry.field(description="Precedents the claim cites, with its treatment of each.")
    @batched
    def precedents(self, info: Info, treatment: Treatment | None = None,
                   first: int = REL_DEFAULT) -> list[Citation]:
        return _items(info, self.id, _S["claim_precedents"],
                      lambda i: Citation(claim=self, precedent=Precedent.from_props(i.props),
                                         treatment=_enum(Treatment, i.rel.get("treatment"))),
                      treatment, first)

    @strawberry.field(description="Precedents the claim cites, the treatment on the edge. " + _CONN)
    async def precedents_connection(
            self, info: Info, where: ClaimPrecedentsWhere | None = None,
            sort: list[PrecedentConnectionSort] | None = None, first: int | None = None,
            after: str | None = None, last: int | None = None,
            before: str | None = None) -> ClaimPrecedentsConnection:
        return await connection(
            info, self.id, "Claim.precedentsConnection", where, sort, first, after, last, before,
            ClaimPrecedentsConnection, ClaimPrecedentsRelationship, Precedent.from_props)

    @strawberry.field(description="Claims this claim supports.")
    @batched
    def supports(self, info: Info, first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, _S["claim_supports"], first=first)

    @strawberry.field(description="Claims that support this claim.")
    @batched
    def supported_by(self, info: Info, first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, _S["claim_supported_by"], first=first)

    @strawberry.field(description="Claims this claim attacks (contradicts).")
    @batched
    def attacks(self, info: Info, first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, _S["claim_attacks"], first=first)

    @strawberry.field(description="Claims that attack (contradict) this claim.")
    @batched
    def attacked_by(self, info: Info, first: int = REL_DEFAULT) -> list[Claim]:
        return _claims(info, self.id, _S["claim_attacked_by"], first=first)

    @strawberry.field(description="Events the claim is about (those its sentence names).")
    @batched
    def about(self, info: Info, first: int = REL_DEFAULT) -> list[Event]:
        return _items(info, self.id, _S["claim_about"], lambda i: Event.from_props(i.props),
                      first=first)

    @strawberry.field(description="Actors the claim is about (named in its words; not its "
                      "speaker).")
    @batched
    def about_actors(self, info: Info, first: int = REL_DEFAULT) -> list[Actor]:
        return _items(info, self.id, _S["claim_about_actors"], _actor, first=first)


@strawberry.type(description="An actor's part in an event.")
class Participation:
    actor: Actor
    event: Event
    role: str | None


@strawberry.type(description="A claim citing a precedent, and how: analogy or distinction.")
class Citation:
    claim: Claim
    precedent: Precedent
    treatment: Treatment | None


@strawberry.type(description="An edge of the legal ontology, seen from one of its concepts.")
class ConceptRelation:
    concept: Concept
    kind: str | None
    outgoing: bool = strawberry.field(description="True when the edge points to `concept`.")


# -- relationship connections, named as the Neo4j GraphQL Library names them -----------------


@strawberry.type(name="DocumentClaimsRelationship")
class DocumentClaimsRelationship(RelEdge[Claim, ProvenanceProperties]):
    pass


@strawberry.type(name="DocumentClaimsConnection")
class DocumentClaimsConnection(RelConnection[DocumentClaimsRelationship]):
    pass


@strawberry.type(name="DocumentOutletsRelationship")
class DocumentOutletsRelationship(RelEdge[Outlet, OutletLinkProperties]):
    pass


@strawberry.type(name="DocumentOutletsConnection")
class DocumentOutletsConnection(RelConnection[DocumentOutletsRelationship]):
    pass


@strawberry.type(name="ActorClaimsRelationship")
class ActorClaimsRelationship(RelEdge[Claim, ProvenanceProperties]):
    pass


@strawberry.type(name="ActorClaimsConnection")
class ActorClaimsConnection(RelConnection[ActorClaimsRelationship]):
    pass


@strawberry.type(name="ActorEventsRelationship")
class ActorEventsRelationship(RelEdge[Event, ParticipationProperties]):
    pass


@strawberry.type(name="ActorEventsConnection")
class ActorEventsConnection(RelConnection[ActorEventsRelationship]):
    pass


@strawberry.type(name="ConceptClaimsRelationship")
class ConceptClaimsRelationship(RelEdge[Claim, InvocationProperties]):
    pass


@strawberry.type(name="ConceptClaimsConnection")
class ConceptClaimsConnection(RelConnection[ConceptClaimsRelationship]):
    pass


@strawberry.type(name="PrecedentCitedByRelationship")
class PrecedentCitedByRelationship(RelEdge[Claim, CitationProperties]):
    pass


@strawberry.type(name="PrecedentCitedByConnection")
class PrecedentCitedByConnection(RelConnection[PrecedentCitedByRelationship]):
    pass


@strawberry.type(name="EventParticipantsRelationship")
class EventParticipantsRelationship(RelEdge[Actor, ParticipationProperties]):
    pass


@strawberry.type(name="EventParticipantsConnection")
class EventParticipantsConnection(RelConnection[EventParticipantsRelationship]):
    pass


@strawberry.type(name="EventClaimsRelationship")
class EventClaimsRelationship(RelEdge[Claim, ProvenanceProperties]):
    pass


@strawberry.type(name="EventClaimsConnection")
class EventClaimsConnection(RelConnection[EventClaimsRelationship]):
    pass


@strawberry.type(name="OutletClaimsRelationship")
class OutletClaimsRelationship(RelEdge[Claim, ProvenanceProperties]):
    pass


@strawberry.type(name="OutletClaimsConnection")
class OutletClaimsConnection(RelConnection[OutletClaimsRelationship]):
    pass


@strawberry.type(name="ClaimConceptsRelationship")
class ClaimConceptsRelationship(RelEdge[Concept, InvocationProperties]):
    pass


@strawberry.type(name="ClaimConceptsConnection")
class ClaimConceptsConnection(RelConnection[ClaimConceptsRelationship]):
    pass


@strawberry.type(name="ClaimPrecedentsRelationship")
class ClaimPrecedentsRelationship(RelEdge[Precedent, CitationProperties]):
    pass


@strawberry.type(name="ClaimPrecedentsConnection")
class ClaimPrecedentsConnection(RelConnection[ClaimPrecedentsRelationship]):
    pass


_S: dict[str, RelSpec] = {
    "doc_passages": RelSpec("Document", "HAS_PASSAGE", "Passage"),
    "doc_PUBLISHED_BY": RelSpec("Document", "PUBLISHED_BY", "Outlet"),
    "doc_CITES_SOURCE": RelSpec("Document", "CITES_SOURCE", "Outlet"),
    "passage_claims": RelSpec("Passage", "EVIDENCED_BY", "Claim", out=False),
    "actor_claims": RelSpec("Actor", "ASSERTS", "Claim"),
    "actor_events": RelSpec("Actor", "PARTICIPATED_IN", "Event", prop="role"),
    "actor_member_of": RelSpec("Actor", "MEMBER_OF", "Actor"),
    "actor_members": RelSpec("Actor", "MEMBER_OF", "Actor", out=False),
    "actor_leads": RelSpec("Actor", "LEADS", "Actor"),
    "actor_led_by": RelSpec("Actor", "LEADS", "Actor", out=False),
    "actor_mentions": RelSpec("Actor", "MENTIONED_IN", "Passage"),
    "concept_claims": RelSpec("Concept", "INVOKES", "Claim", out=False, prop="stance"),
    "concept_related_out": RelSpec("Concept", "RELATED_TO", "Concept", prop="kind"),
    "concept_related_in": RelSpec("Concept", "RELATED_TO", "Concept", out=False, prop="kind"),
    "concept_mentions": RelSpec("Concept", "MENTIONED_IN", "Passage"),
    "precedent_cited_by": RelSpec("Precedent", "CITES_PRECEDENT", "Claim", out=False,
                                  prop="treatment"),
    "precedent_mentions": RelSpec("Precedent", "MENTIONED_IN", "Passage"),
    "event_participants": RelSpec("Event", "PARTICIPATED_IN", "Actor", out=False, prop="role"),
    "event_claims": RelSpec("Event", "ABOUT", "Claim", out=False),
    "outlet_claims": RelSpec("Outlet", "ASSERTS", "Claim"),
    "claim_concepts": RelSpec("Claim", "INVOKES", "Concept", prop="stance"),
    "claim_precedents": RelSpec("Claim", "CITES_PRECEDENT", "Precedent", prop="treatment"),
    "claim_supports": RelSpec("Claim", "SUPPORTS", "Claim"),
    "claim_supported_by": RelSpec("Claim", "SUPPORTS", "Claim", out=False),
    "claim_attacks": RelSpec("Claim", "ATTACKS", "Claim"),
    "claim_attacked_by": RelSpec("Claim", "ATTACKS", "Claim", out=False),
    "claim_about": RelSpec("Claim", "ABOUT", "Event"),
    "claim_about_actors": RelSpec("Claim", "ABOUT", "Actor"),
}
"""Every relationship field: the allow-listed (label, type, label, direction, edge property)."""

_TYPES: dict[str, Any] = {
    "Document": Document, "Passage": Passage, "Actor": Actor, "Concept": Concept,
    "Precedent": Precedent, "Event": Event, "Claim": Claim, "Outlet": Outlet,
}


def to_node(row: dict[str, Any] | None) -> Any:
    """The GraphQL object of a `nodes_by_id` row ({id, label, props}), or None."""
    if row is None:
        return None
    cls = _TYPES.get(row["label"])
    return cls.from_props({**row["props"], "id": row["id"]}) if cls else None


NODE_TYPES = tuple(_TYPES.values())
