"""The Starlette application: GraphQL, health checks, exports, CORS and a body size limit.

Outages: a request that finds the store unreachable answers STORE_UNAVAILABLE and starts a
reconnect in the background (at most one at a time, a few seconds apart); `/health/ready`
answers 503 and also tries to reconnect, so service resumes by itself when the store is back.
`/health/live` answers 200 as long as the process serves HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http.async_base_view import HTTPException
from strawberry.types import ExecutionResult

from kb.api.context import Context
from kb.api.enums import RelationshipType
from kb.api.errors import INTERNAL_MESSAGE, STORE_DOWN_MESSAGE, BadInput, Code, NotFound
from kb.api.explore import OfflineGraphiQL, explore_routes
from kb.api.export import MEDIA_TYPES, ExportFormat, export_graph
from kb.api.limits import MAX_DEPTH_NEIGHBORHOOD, MAX_NODES, NUL_MESSAGE, contains_nul
from kb.api.schema import schema
from kb.api.traversal import EXPORT_MAX_NODES
from kb.config import Settings
from kb.model import RelType
from kb.store import make_store
from kb.store.base import GraphStore, StoreError, StoreTimeout, StoreUnavailable

log = logging.getLogger("kb.api")


class ORJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class StoreGuard:
    """Holds the store and reconnects it after an outage, without blocking requests."""

    def __init__(self, store: GraphStore | None = None, retry_seconds: float = 2.0) -> None:
        self.store = store
        self.retry_seconds = retry_seconds
        self._last_attempt = 0.0
        self._task: asyncio.Task[None] | None = None

    def current(self) -> GraphStore:
        if self.store is None:
            raise StoreUnavailable("the store is not open yet")
        return self.store

    def store_down(self) -> None:
        """Start a background reconnect unless one runs or one was tried moments ago."""
        if self._task is not None and not self._task.done():
            return
        if time.monotonic() - self._last_attempt < self.retry_seconds:
            return
        self._task = asyncio.get_running_loop().create_task(self.reconnect())

    async def reconnect(self) -> None:
        if self.store is None:
            return
        self._last_attempt = time.monotonic()
        try:
            await self.store.connect()
        except (StoreError, OSError) as exc:
            log.warning("store reconnect failed: %s", exc)
        else:
            log.info("store reconnected")

    async def ready(self) -> bool:
        if self.store is None:
            return False
        if await self.store.health():
            return True
        self.store_down()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._task), timeout=5)
        return await self.store.health()


class KBGraphQL(OfflineGraphiQL, GraphQL):
    """Strawberry's ASGI view with orjson, the per-request context and an offline GraphiQL."""

    def __init__(self, guard: StoreGuard, settings: Settings, **kwargs: Any) -> None:
        super().__init__(schema, **kwargs)
        self.guard = guard
        self.settings = settings

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def process_result(self, request: Any, result: ExecutionResult) -> Any:
        """The last line of the error policy: an error that reaches the response without a
        code escaped `ErrorPolicy` (raised by a validation rule or an extension rather than a
        resolver), so its text is not known to be safe; it is masked and logged."""
        response = await super().process_result(request, result)
        for error in response.get("errors") or ():
            if not (error.get("extensions") or {}).get("code"):
                log.error("graphql error without a code, masked: %s", error.get("message"))
                error["message"] = INTERNAL_MESSAGE
                error["extensions"] = {"code": Code.INTERNAL_SERVER_ERROR.value}
        return response

    def decode_json(self, data: str | bytes) -> object:
        """orjson: its errors are all JSONDecodeError (a 400), where the standard library's
        reader raises UnicodeDecodeError on a body that is not UTF-8 and RecursionError on
        deeply nested arrays, both 500s."""
        return orjson.loads(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry refuses a request it cannot read (not JSON, no query, a mutation over GET,
        an unsupported content type) in plain text; refuse it as a GraphQL error with a code,
        like every other error."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive=receive))
        except HTTPException as exc:
            code = Code.NOT_FOUND if exc.status_code == 404 else Code.BAD_USER_INPUT
            response = ORJSONResponse(
                {"errors": [{"message": exc.reason, "extensions": {"code": code.value}}]},
                status_code=exc.status_code)
        await response(scope, receive, send)

    async def parse_http_body(self, request: Any) -> Any:
        """A JSON body that is not an object (or a batch) is refused: Strawberry would fail on
        it with an AttributeError, a 500."""
        if request.method == "POST" and "application/json" in (request.content_type or ""):
            body = self.parse_json(await request.get_body())
            if not isinstance(body, dict | list):
                raise HTTPException(400, "The request body must be a JSON object.")
        return await super().parse_http_body(request)

    async def get_context(self, request: Any, response: Any) -> Context:  # type: ignore[override]
        return Context(store=self.guard.current() if self.guard.store else _DownStore(),
                       settings=self.settings, request=request, response=response,
                       on_store_down=self.guard.store_down)


class _DownStore:
    """Stands in before the store is open: every call reports STORE_UNAVAILABLE."""

    dialect = None

    def __getattr__(self, name: str) -> Any:
        async def unavailable(*_args: Any, **_kwargs: Any) -> Any:
            raise StoreUnavailable("the store is not open yet")

        return unavailable


class BodyLimit:
    """Refuses request bodies over `max_bytes` with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = ORJSONResponse(
            {"errors": [{"message": f"request body larger than {self.max_bytes} bytes",
                         "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]}, status_code=413)
        await response(scope, receive, send)


def _export_endpoint(guard: StoreGuard, fmt: ExportFormat) -> Any:
    async def endpoint(request: Request) -> Response:
        node_id = request.query_params.get("id") or None
        if node_id is not None and contains_nul(node_id):
            return _error(400, Code.BAD_USER_INPUT, NUL_MESSAGE)
        raw_depth = request.query_params.get("depth", "1")
        if not raw_depth.isdigit() or not 1 <= int(raw_depth) <= MAX_DEPTH_NEIGHBORHOOD:
            return _error(400, Code.BAD_USER_INPUT,
                          f"depth must be between 1 and {MAX_DEPTH_NEIGHBORHOOD}")
        limit = _export_limits(request, node_id is not None)
        if isinstance(limit, Response):
            return limit
        max_nodes, rel_types = limit
        try:
            body, truncated = await export_graph(guard.current(), fmt, node_id, int(raw_depth),
                                                 max_nodes, rel_types)
        except BadInput as exc:
            return _error(400, exc.code, str(exc))
        except NotFound as exc:
            return _error(404, exc.code, str(exc))
        except StoreTimeout:
            return _error(504, Code.STORE_TIMEOUT, "the export took too long; export a "
                          "neighbourhood instead")
        except StoreUnavailable:
            guard.store_down()
            return _error(503, Code.STORE_UNAVAILABLE, STORE_DOWN_MESSAGE)
        return Response(body, media_type=MEDIA_TYPES[fmt], headers={
            "Content-Disposition": f'attachment; filename="graph.{fmt.value}"',
            "X-KB-Truncated": "true" if truncated else "false"})

    return endpoint


def _export_limits(
    request: Request, neighbourhood: bool
) -> tuple[int | None, list[RelationshipType] | None] | Response:
    """``maxNodes`` and ``relTypes`` (comma-separated) of an export, or the 400 that refuses
    them; relationship types come from the schema's enum, never from the text as given."""
    top = MAX_NODES if neighbourhood else EXPORT_MAX_NODES
    raw = request.query_params.get("maxNodes")
    if raw is not None and (not raw.isdigit() or not 1 <= int(raw) <= top):
        return _error(400, Code.BAD_USER_INPUT, f"maxNodes must be between 1 and {top}")
    names = [t for t in (request.query_params.get("relTypes") or "").split(",") if t]
    allowed = {t.value: t for t in RelType}
    unknown = [t for t in names if t not in allowed]
    if unknown:
        return _error(400, Code.BAD_USER_INPUT, f"unknown relationship type {unknown[0]!r}; "
                      f"one of {', '.join(sorted(allowed))}")
    return (int(raw) if raw else None), ([allowed[t] for t in names] or None)


def _error(status: int, code: str, message: str) -> Response:
    return ORJSONResponse({"error": message, "code": str(code)}, status_code=status)


LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"
"""Front ends in development (a dev server on this machine) may call the API by default."""


def create_app(settings: Settings, store: GraphStore | None = None) -> Starlette:
    """Build the app; with no `store` given, the app opens and closes one in its lifespan."""
    guard = StoreGuard(store)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if store is not None:
            yield
            return
        own = make_store(settings)
        try:
            await own.connect()
            await own.bootstrap()
        except StoreError as exc:  # serve anyway: ready says 503 until the store is back
            log.error("store not available at startup: %s", exc)
        guard.store = own
        try:
            yield
        finally:
            await own.close()

    async def live(_request: Request) -> Response:
        return ORJSONResponse({"status": "ok"})

    async def ready(_request: Request) -> Response:
        if await guard.ready():
            return ORJSONResponse({"status": "ok"})
        return ORJSONResponse({"status": "unavailable", "code": Code.STORE_UNAVAILABLE.value},
                              status_code=503)

    graphql_app = KBGraphQL(guard, settings,
                            graphql_ide="graphiql" if settings.graphiql else None)
    routes = [
        Route("/graphql", graphql_app, methods=["GET", "POST"]),
        Route("/health/live", live),
        Route("/health/ready", ready),
        *(Route(f"/export/graph.{fmt.value}", _export_endpoint(guard, fmt))
          for fmt in ExportFormat),
        *explore_routes(),
    ]
    middleware = [Middleware(BodyLimit, max_bytes=settings.max_body_bytes)]
    middleware.insert(0, Middleware(
        CORSMiddleware, allow_origins=settings.cors_origins,
        allow_origin_regex=LOCAL_ORIGINS if settings.cors_local else None,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type"], max_age=600))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.guard = guard
    return app
