"""GraphQL enums: the model's own enums exposed as they are, plus the few only the API has."""

from __future__ import annotations

from enum import Enum

import strawberry

from kb import model


@strawberry.enum(description="How a claim invokes a concept: for, against or neutral about "
                 "its application.")
class InvocationStance(Enum):
    SUPPORTS = "supports"
    DISPUTES = "disputes"
    NEUTRAL = "neutral"


@strawberry.enum(description="How a document relates to an outlet.")
class OutletRelation(Enum):
    PUBLISHED_BY = "PUBLISHED_BY"
    CITES_SOURCE = "CITES_SOURCE"


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


Stance = strawberry.enum(
    model.Stance, description="Stance of a claim toward the justification of the action.")
Treatment = strawberry.enum(model.Treatment, description="How a claim uses a precedent.")
ActorType = strawberry.enum(model.ActorType)
DocFormat = strawberry.enum(model.DocFormat)
NodeLabel = strawberry.enum(model.Label, name="NodeLabel",
                            description="Node labels of the graph.")
RelationshipType = strawberry.enum(model.RelType, name="RelationshipType",
                                   description="Relationship types of the graph.")
