"""Facets: claim counts per speaker, stance, concept, precedent, treatment, document, outlet and
month, over the claims a filter selects, for a dashboard in one request.

Each facet is one Cypher statement (`kb.cypher.read.claim_facet`), run only when the request
selects it; the filter is compiled once per request.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from kb.api.limits import check_first
from kb.cypher import read as rq


@strawberry.type(description="One group of a facet and how many claims it holds.")
class FacetCount:
    key: str = strawberry.field(description="The group: a node id, a stance, a treatment or "
                                "a month (YYYY-MM).")
    label: str | None = strawberry.field(description="What to show for the group (a name).")
    count: int


@strawberry.type(description="Claim counts by group; ask only for the facets you draw.")
class ClaimFacets:
    compiled: strawberry.Private[Any]
    first: strawberry.Private[int]

    async def _facet(self, info: Info, name: str) -> list[FacetCount]:
        store = info.context.store
        rows = await store.read(rq.facet_text(store.dialect, name, self.compiled),
                                {**self.compiled.params, "limit": self.first})
        return [FacetCount(key=str(r["key"]), label=None if r["label"] is None
                           else str(r["label"]), count=int(r["count"])) for r in rows]

    @strawberry.field(description="Claims per speaker (actor or outlet).")
    async def by_speaker(self, info: Info) -> list[FacetCount]:
        return await self._facet(info, "speaker")

    @strawberry.field(description="Claims per stance.")
    async def by_stance(self, info: Info) -> list[FacetCount]:
        return await self._facet(info, "stance")

    @strawberry.field(description="Claims per concept they invoke.")
    async def by_concept(self, info: Info) -> list[FacetCount]:
        return await self._facet(info, "concept")

    @strawberry.field(description="Claims per precedent they cite.")
    async def by_precedent(self, info: Info) -> list[FacetCount]:
        return await self._facet(info, "precedent")

    @strawberry.field(description="Claims per treatment of a precedent (analogizes, ...).")
    async def by_treatment(self, info: Info) -> list[FacetCount]:
        return await self._facet(info, "treatment")

    @strawberry.field(description="Claims per document.")
    async def by_document(self, info: Info) -> list[FacetCount]:
        return await self._facet(info, "document")

    @strawberry.field(description="Claims per publishing outlet of their document.")
    async def by_outlet(self, info: Info) -> list[FacetCount]:
        return await self._facet(info, "outlet")

    @strawberry.field(description="Claims per month their document was published (YYYY-MM).")
    async def by_month(self, info: Info) -> list[FacetCount]:
        return await self._facet(info, "month")


def claim_facets(where: Any, first: int, dialect: Any) -> ClaimFacets:
    from kb.api.filters import compile_filter

    check_first(first)
    return ClaimFacets(compiled=compile_filter("Claim", where, dialect), first=first)
