"""The Starlette application: GraphQL, health checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from kb.api.schema import schema
from kb.config import Settings
from kb.store import make_store
from kb.store.base import GraphStore


class KBGraphQL(GraphQL):
    def __init__(self, store_ref: dict[str, GraphStore], **kwargs: Any) -> None:
        super().__init__(schema, **kwargs)
        self.store_ref = store_ref

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        return {"request": request, "response": response, "store": self.store_ref["store"]}


def create_app(settings: Settings, store: GraphStore | None = None) -> Starlette:
    """Build the app; with no `store` given, the app opens and closes one in its lifespan."""
    ref: dict[str, GraphStore] = {}
    if store is not None:
        ref["store"] = store

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if store is not None:
            yield
            return
        own = make_store(settings)
        await own.connect()
        await own.bootstrap()
        ref["store"] = own
        try:
            yield
        finally:
            await own.close()

    async def live(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(_request: Request) -> JSONResponse:
        current = ref.get("store")
        if current is not None and await current.health():
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "unavailable", "code": "STORE_UNAVAILABLE"},
                            status_code=503)

    graphql_app = KBGraphQL(ref, graphql_ide="graphiql" if settings.graphiql else None)
    routes = [
        Route("/graphql", graphql_app, methods=["GET", "POST"]),
        Route("/health/live", live),
        Route("/health/ready", ready),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
