"""The explorer (/explore) and GraphiQL in a real browser: Debian's Chromium driven by Playwright.

`kb serve` runs on the seed graph as a user runs it; the browser is the system Chromium (no
browser is downloaded), started with no network beyond 127.0.0.1 being needed. Every test fails
on a console error, an uncaught page error, or a request to any host other than 127.0.0.1: the
pages must work offline, from the package's own files.

CI installs Chromium in `.ci/run`; without it these tests fail rather than skip.
"""

from __future__ import annotations

import filecmp
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from conftest import neo4j_env
from playwright.sync_api import Page, Playwright, sync_playwright
from processes import KB, free_port

from kb.api.app import create_app
from kb.api.explore import STATIC
from kb.config import Settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
YAMAMOTO = "precedent:yamamoto-shoot-down-1943"
STRIKE = "event:strike-qasem-soleimani-2020-01-03"
VENDORED = {
    "cytoscape/cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "cytoscape/LICENSE": "cytoscape/LICENSE",
    "graphiql/graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql/graphiql.min.css": "graphiql/graphiql.min.css",
    "graphiql/LICENSE": "graphiql/LICENSE",
    "react/react.production.min.js": "react/umd/react.production.min.js",
    "react/LICENSE": "react/LICENSE",
    "react-dom/react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "react-dom/LICENSE": "react-dom/LICENSE",
}
"""Vendored file -> its source in node_modules (tools/vendor-static copies them)."""
POSITIONS = """() => Object.fromEntries(window.explorer.cy.nodes().map((n) =>
    [n.id(), [Math.round(n.position('x')), Math.round(n.position('y'))]]))"""


# The Neo4j run adds about half a minute (the server's start and its slower first queries): slow.
@pytest.fixture(scope="module", params=["falkordb", pytest.param("neo4j", marks=pytest.mark.slow)])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`kb serve` on a fresh store of each backend, which it seeds; yields its base URL (the
    page only talks to the API, so it must behave the same on both). Its output is kept to
    check that it prints the explorer's address."""
    tmp = tmp_path_factory.mktemp("explore")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    env.update({"KB_DATA_DIR": str(tmp / "data"), "KB_GRAPH": "explore", "PYTHONUNBUFFERED": "1"})
    if request.param == "neo4j":  # the suite's Neo4j, emptied so that kb serve seeds it
        env.update(neo4j_env(request.getfixturevalue("neo4j")))
        reset = subprocess.run([KB, "reset", "--yes"], env=env, capture_output=True, timeout=300)
        assert reset.returncode == 0, reset.stderr
    port = free_port()
    log = tmp / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [KB, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, base, log)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert f"{base}/explore" in log.read_text(), "kb serve did not print the explorer's address"


def _wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 300  # seeding Neo4j on a busy 2-core machine takes minutes
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"kb serve exited: {log.read_text()}")
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"kb serve did not become ready: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@dataclass
class Watched:
    """A page and what it did that a test fails on."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        """Requests to any host but 127.0.0.1 (a blob: URL names its page's origin)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url[5:] if url.startswith("blob:") else url)
            if parts.scheme == "data":
                continue
            if parts.hostname != "127.0.0.1":
                out.append(url)
        return out

    def check(self) -> None:
        assert self.errors == [], f"console or page errors: {self.errors}"
        assert self.foreign() == [], f"requests left 127.0.0.1: {self.foreign()}"


@pytest.fixture
def watched(playwright: Playwright, tmp_path: Path) -> Iterator[Watched]:
    """The system Chromium (never a downloaded browser) with a fresh profile, one page."""
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)"
    )
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 900},
        accept_downloads=True,
    )
    w = Watched(context.pages[0] if context.pages else context.new_page())
    w.page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
    w.page.on("pageerror", lambda exc: w.errors.append(f"page error: {exc}"))
    context.on("request", lambda r: w.requests.append(r.url))
    yield w
    context.close()


def _ready(page: Page) -> None:
    page.wait_for_selector("body[data-state=ready]", timeout=30_000)


def _click_node(page: Page, node_id: str, shift: bool = False) -> None:
    """Click a node where Cytoscape drew it, with the real mouse."""
    box = page.locator("#cy").bounding_box()
    assert box is not None
    pos = page.evaluate("(id) => window.explorer.cy.getElementById(id).renderedPosition()", node_id)
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    if shift:
        page.keyboard.up("Shift")


def _click_edge(page: Page, edge_id: str) -> None:
    """Click an edge at its midpoint, with the real mouse."""
    box = page.locator("#cy").bounding_box()
    assert box is not None
    pos = page.evaluate("(id) => window.explorer.cy.getElementById(id).renderedMidpoint()", edge_id)
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def _claim(base: str, claim_id: str) -> dict[str, Any]:
    query = """query($id: ID!) { node(id: $id) { ... on Claim {
      text speaker { name } document { title publisher }
      evidence { quote passage { text } } } } }"""
    body = httpx.post(f"{base}/graphql", json={"query": query, "variables": {"id": claim_id}})
    return body.json()["data"]["node"]


def test_search_neighbourhood_claim_and_path_on_the_seed_graph(
    served: str, watched: Watched, tmp_path: Path
) -> None:
    page = watched.page
    page.goto(f"{served}/explore")
    _ready(page)

    page.fill("#search", "Yamamoto")
    page.press("#search", "Enter")
    hit = page.locator(f'#hits li[data-id="{YAMAMOTO}"] button.open')
    hit.click()
    _ready(page)
    assert f"#focus={YAMAMOTO}&depth=1" in page.url

    distinguishing = page.evaluate(
        """(p) => window.explorer.cy.edges()
        .filter((e) => e.data('type') === 'CITES_PRECEDENT' && e.data('target') === p
                       && e.data('treatment') === 'distinguishes')
        .map((e) => e.data('source'))""",
        YAMAMOTO,
    )
    assert distinguishing, "no claim on screen distinguishes the Yamamoto precedent"
    claim_id = sorted(distinguishing)[0]
    _click_node(page, claim_id)
    _ready(page)
    claim = _claim(served, claim_id)
    mark = page.locator("#details blockquote.passage mark.quote")
    assert mark.inner_text() == claim["evidence"]["quote"]
    assert claim["evidence"]["passage"]["text"] in page.inner_text("#details blockquote.passage")
    details = page.inner_text("#details")
    assert claim["speaker"]["name"] in details
    assert claim["document"]["title"] in details
    assert "distinguishes" in details

    _click_edge(page, f"CITES_PRECEDENT|{claim_id}|{YAMAMOTO}")
    _ready(page)
    edge = page.inner_text("#details")
    assert "Relationship: CITES_PRECEDENT" in edge and "distinguishes" in edge
    assert claim["document"]["title"] in edge, "the edge's document is not shown"

    page.select_option("#search-label", "Event")
    page.fill("#search", "Baghdad International Airport")
    page.press("#search", "Enter")
    page.locator(f'#hits li[data-id="{STRIKE}"] button.add').click()
    _ready(page)
    _click_node(page, YAMAMOTO)
    _ready(page)
    _click_node(page, STRIKE, shift=True)
    _ready(page)
    page.click("#find-path")
    _ready(page)
    steps = page.locator("#path-result li").evaluate_all("(els) => els.map((e) => e.dataset.id)")
    assert steps[0] == YAMAMOTO and steps[-1] == STRIKE and len(steps) >= 3
    on_path = page.evaluate("window.explorer.cy.nodes('.on-path').map((n) => n.id())")
    assert set(steps) == set(on_path)
    assert not any(s.startswith("passage:") for s in steps), "argument mode passed a passage"
    assert "path=" in page.url
    assert page.locator("#timeline .tick").count() >= 1

    shot = tmp_path / "explore.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    watched.check()


def test_the_url_restores_the_view_and_times_the_first_drawing(
    served: str, watched: Watched
) -> None:
    """A shared link draws the same view; the page notes when the graph was drawn."""
    page = watched.page
    page.goto(f"{served}/explore#focus={YAMAMOTO}&depth=1&path={YAMAMOTO},{STRIKE}")
    _ready(page)
    drawn = page.evaluate("window.explorer.drawnAt")
    assert drawn is not None
    print(f"\nexplorer: navigation to graph drawn in {drawn:.0f} ms (seed graph)")
    ids = page.evaluate("window.explorer.cy.nodes().map((n) => n.id())")
    assert YAMAMOTO in ids and STRIKE in ids
    assert page.locator("#path-result li").count() >= 3
    places = page.evaluate(POSITIONS)
    page.reload()
    _ready(page)
    assert page.evaluate(POSITIONS) == places, "the same link drew a different picture"
    with page.expect_download() as download:
        page.click("#export-json")
    exported = Path(download.value.path()).read_text()
    assert YAMAMOTO in exported and '"elements"' in exported
    with page.expect_download() as download:
        page.click("#export-png")
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.evaluate("location.hash = '#focus=actor:qasem-soleimani&depth=1'")  # edited by hand
    page.wait_for_function("window.explorer.state.focus === 'actor:qasem-soleimani'")
    _ready(page)
    assert page.locator("#path-result li").count() == 0, "the old view's path is still listed"
    assert page.evaluate("window.explorer.cy.nodes('.focus').map((n) => n.id())") == [
        "actor:qasem-soleimani"
    ]
    watched.check()


def test_a_refused_query_is_shown_with_its_code(served: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{served}/explore#focus={YAMAMOTO}&depth=9")
    page.wait_for_selector("body[data-state=error]")
    banner = page.inner_text("#banner")
    assert "refused" in banner and "BAD_USER_INPUT" in banner and "depth" in banner
    watched.check()


@contextmanager
def _api_in_thread(env: dict[str, str]) -> Iterator[str]:
    """The app built from `env` served by uvicorn in a thread (its own event loop, apart from
    Playwright's); yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings.from_env(env)), host="127.0.0.1", port=port, log_level="critical"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


UNREACHABLE = {"NEO4J_URI": f"bolt://127.0.0.1:{free_port()}", "NEO4J_PASSWORD": "x"}
"""A Neo4j address nothing listens on: the API serves, its store is down."""


@pytest.fixture
def store_down() -> Iterator[str]:
    with _api_in_thread(UNREACHABLE) as base:
        yield base


def test_the_store_down_is_said_plainly(store_down: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{store_down}/explore")
    page.wait_for_selector("body[data-state=error]")
    banner = page.inner_text("#banner")
    assert "store is unavailable" in banner and "STORE_UNAVAILABLE" in banner
    page.click("#retry")  # the store is still down: the same plain message again
    page.wait_for_selector("body[data-state=error] #retry")
    assert "STORE_UNAVAILABLE" in page.inner_text("#banner")
    watched.check()


def test_graphiql_and_all_its_assets_load_from_the_server(served: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{served}/graphql")
    page.wait_for_selector(".graphiql-container", timeout=30_000)
    page.locator(".graphiql-execute-button").click()
    page.wait_for_function(
        "() => (document.querySelector('.result-window') || {}).innerText"
        "?.includes('precedent:yamamoto')",
        timeout=30_000,
    )
    assets = [u for u in watched.requests if "/static/" in u]
    assert {urlsplit(u).path for u in assets} >= {
        "/static/vendor/react/react.production.min.js",
        "/static/vendor/react-dom/react-dom.production.min.js",
        "/static/vendor/graphiql/graphiql.min.js",
        "/static/vendor/graphiql/graphiql.min.css",
    }
    watched.check()


def test_graphiql_switched_off_serves_no_ide() -> None:
    """KB_GRAPHIQL=false: a browser's GET /graphql gets no IDE page (Strawberry refuses it);
    on, the page is ours (vendored scripts), not Strawberry's CDN template. No store needed."""
    for graphiql, expect_page in (("false", False), ("true", True)):
        with _api_in_thread({**UNREACHABLE, "KB_GRAPHIQL": graphiql}) as base:
            page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
        served = page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert served is expect_page, (graphiql, page.status_code)
        if expect_page:
            assert "/static/vendor/graphiql/graphiql.min.js" in page.text
            assert "cdn" not in page.text.lower() and "https://" not in page.text
        else:
            assert "graphiql" not in page.text.lower()


def test_static_files_are_revalidated_and_confined_to_their_folder() -> None:
    """A browser asks again each time (304 when unchanged), so an upgrade never runs with a
    cached older script; nothing outside kb/api/static/ is served."""
    with _api_in_thread(UNREACHABLE) as base:
        first = httpx.get(f"{base}/static/explore.js")
        again = httpx.get(
            f"{base}/static/explore.js", headers={"If-None-Match": first.headers["etag"]}
        )
        outside = httpx.get(f"{base}/static/%2e%2e/explore.py")
        page = httpx.get(f"{base}/explore")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
    assert again.status_code == 304
    assert outside.status_code == 404
    assert page.status_code == 200 and "/static/vendor/cytoscape/cytoscape.min.js" in page.text


def test_vendored_libraries_are_the_locked_npm_files_with_their_licences() -> None:
    """The shipped copies are exactly what package-lock.json installs (tools/vendor-static)."""
    node_modules = ROOT / "node_modules"
    if not (node_modules / "cytoscape").is_dir():
        pytest.skip("node_modules is not installed (npm ci)")
    for vendored, source in VENDORED.items():
        assert filecmp.cmp(STATIC / "vendor" / vendored, node_modules / source, shallow=False), (
            f"{vendored} differs from node_modules/{source}: run tools/vendor-static"
        )
    shipped = sum(p.stat().st_size for p in STATIC.rglob("*") if p.is_file())
    print(f"\nexplorer and GraphiQL assets: {shipped} bytes")
