"""The graph explorer at `/explore` and an offline GraphiQL, both served from package files.

Why here and not from a CDN: researchers open the explorer on laptops and build machines with no
network beyond the API itself, and Strawberry's own GraphiQL page loads React and its scripts
from a CDN (blank offline). Every script, stylesheet and font either page needs is a file under
`kb/api/static/` (the libraries are vendored from npm with their licences, see
`static/vendor/README.md`), so both pages work with nothing but this server.

The explorer is a client of the public GraphQL API only (`search`, `neighborhood`, `path`,
`node`, `nodes`, `stats`): it works on either store and shows what the API says when a query
is refused or the store is down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
"""The explorer's and GraphiQL's files, shipped as package data."""

STATIC_PREFIX = "/static"

_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
"""The pages are small and change with the package: always revalidated, never guessed at."""


def _page(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


async def explore_page(_request: Request) -> Response:
    """The explorer's single page; its state lives in the URL fragment (shareable)."""
    return HTMLResponse(_page("explore.html"), headers=_HEADERS)


def graphiql_html() -> str:
    """GraphiQL on vendored React and GraphiQL bundles, pointed at this server's `/graphql`."""
    return _page("graphiql.html")


class OfflineGraphiQL:
    """Mixin for Strawberry's ASGI view: its IDE page, rendered from package files instead of
    Strawberry's template (which loads everything from a CDN). Strawberry still decides when
    to show it (GET with `text/html`, and only when the IDE is switched on)."""

    async def render_graphql_ide(self, _request: Request) -> Response:
        return HTMLResponse(graphiql_html(), headers=_HEADERS)


class _Revalidated(StaticFiles):
    """Static files a browser asks about again each time (a 304 when unchanged, by ETag), so
    that an upgraded package is never paired with a cached older script."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers.update(_HEADERS)
        return response


def explore_routes() -> list[BaseRoute]:
    """`/explore` and the static files both pages load."""
    return [
        Route("/explore", explore_page, methods=["GET"]),
        Mount(STATIC_PREFIX, _Revalidated(directory=STATIC), name="static"),
    ]
