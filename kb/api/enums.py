"""GraphQL enums. They mirror `kb.model`'s enums by value, declared here so that the schema's
names (SUPPORTS, DISTINGUISHES, ...) do not leak into the model the loaders use."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Stance of a claim toward the justification of the action.")
class Stance(Enum):
    SUPPORTS = "supports"
    ATTACKS = "attacks"
    NEUTRAL = "neutral"


@strawberry.enum(description="How a claim invokes a concept: for, against or neutral about "
                 "its application.")
class InvocationStance(Enum):
    SUPPORTS = "supports"
    DISPUTES = "disputes"
    NEUTRAL = "neutral"


@strawberry.enum(description="How a claim uses a precedent.")
class Treatment(Enum):
    ANALOGIZES = "analogizes"
    DISTINGUISHES = "distinguishes"
    MENTIONS = "mentions"


@strawberry.enum
class ActorType(Enum):
    PERSON = "Person"
    ORGANISATION = "Organisation"
    STATE = "State"
    GROUP = "Group"


@strawberry.enum
class DocFormat(Enum):
    PLAIN = "plain"
    MARKDOWN = "markdown"
    WEB = "web"


@strawberry.enum(description="How a document relates to an outlet.")
class OutletRelation(Enum):
    PUBLISHED_BY = "PUBLISHED_BY"
    CITES_SOURCE = "CITES_SOURCE"


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.enum(description="Node labels of the graph.")
class NodeLabel(Enum):
    DOCUMENT = "Document"
    PASSAGE = "Passage"
    ACTOR = "Actor"
    CONCEPT = "Concept"
    PRECEDENT = "Precedent"
    EVENT = "Event"
    CLAIM = "Claim"
    OUTLET = "Outlet"


@strawberry.enum(description="Relationship types of the graph.")
class RelationshipType(Enum):
    HAS_PASSAGE = "HAS_PASSAGE"
    MENTIONED_IN = "MENTIONED_IN"
    ASSERTS = "ASSERTS"
    EVIDENCED_BY = "EVIDENCED_BY"
    INVOKES = "INVOKES"
    CITES_PRECEDENT = "CITES_PRECEDENT"
    SUPPORTS = "SUPPORTS"
    ATTACKS = "ATTACKS"
    ABOUT = "ABOUT"
    PARTICIPATED_IN = "PARTICIPATED_IN"
    RELATED_TO = "RELATED_TO"
    PUBLISHED_BY = "PUBLISHED_BY"
    CITES_SOURCE = "CITES_SOURCE"
    MEMBER_OF = "MEMBER_OF"
    LEADS = "LEADS"
