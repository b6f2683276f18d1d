"""The GraphQL schema (Strawberry)."""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    @strawberry.field(description="API version.")
    def version(self) -> str:
        return "0.1.0"


schema = strawberry.Schema(query=Query)
