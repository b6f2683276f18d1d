"""Hostile queries: property-based fuzzing of `/graphql` over HTTP, against the real app and the
real store holding the research graph.

Generated cases come in five groups: valid queries (hypothesis-graphql, from the schema);
valid mutations without the token and with it (a throwaway graph per test, so deletions and
ingestions are fine); schema-violating operations (hypothesis-graphql's negative mode); and
corrupted requests (mangled query text, variables of the wrong type, random JSON bodies, bodies
that are not JSON, GETs with odd parameters, batches). Every response must hold the properties
of `check_response`: never a 5xx, a JSON body in the GraphQL response shape, every error with a
message and a code, and nothing in any message that the client did not send itself: no
traceback, no Cypher, no `$parameter`, no Python exception name. INTERNAL_SERVER_ERROR (an
unhandled exception) is a failure in every group.

Hypothesis drives the cases from a worker thread; each request runs on the test's event loop
(where the store's connections live) through `asyncio.run_coroutine_threadsafe`. Runs are
derandomized, so CI sees the same cases every time. `KB_FUZZ_EXAMPLES` sets the total number of
cases (default 1,050, shared between the groups as in `DEFAULTS`), `KB_FUZZ_RANDOM=1` draws new
cases on every run (for longer exploratory runs); every test asserts how many cases it actually
sent, and the module prints the total, with what the responses were, at the end of the run.

Hand-written cases below cover what random generation rarely reaches: fragment cycles, huge
page sizes, a neighbourhood cut at `maxNodes`, filters nested deep (regression), bodies that
are not JSON objects (regression), a huge ingestion (regression) and search text that
RediSearch read as syntax (regression).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import string
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import hypothesis_graphql as hg
import orjson
import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis_graphql import nodes as gn
from starlette.applications import Starlette
from test_api_support import STRIKE, TOKEN, client, codes, gql, make_app, research_fixture

from kb.api.errors import Code
from kb.api.limits import MAX_FILTER_DEPTH, MAX_FILTER_SIZE, MAX_NODES
from kb.api.mutations import MAX_INGEST_CHARS
from kb.api.schema import schema
from kb.config import Settings
from kb.store.base import GraphStore

pytestmark = pytest.mark.slow

# -- how many cases ----------------------------------------------------------------------------

DEFAULTS = {"queries": 220, "anonymous mutations": 80, "mutations with the token": 80,
            "negative": 300, "corrupted": 370}
"""Cases per group; generating a valid query from the whole schema costs the most (~70 ms)."""
TOTAL = int(os.environ.get("KB_FUZZ_EXAMPLES") or sum(DEFAULTS.values()))
TARGET = {name: -(-n * TOTAL // sum(DEFAULTS.values())) for name, n in DEFAULTS.items()}
assert sum(DEFAULTS.values()) >= 1000 and sum(TARGET.values()) >= TOTAL

hsettings.register_profile(
    "kb-fuzz", deadline=None, derandomize=not os.environ.get("KB_FUZZ_RANDOM"), database=None,
    print_blob=False,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much, HealthCheck.large_base_example))


def fuzz_settings(group: str) -> hsettings:
    return hsettings(hsettings.get_profile("kb-fuzz"), max_examples=TARGET[group])


TALLY: Counter[str] = Counter()
OUTCOMES: dict[str, Counter[str]] = {name: Counter() for name in DEFAULTS}


@pytest.fixture(scope="module", autouse=True)
def report_tally(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if not TALLY:
        return
    line = (f"hostile-query fuzzing: {sum(TALLY.values())} cases sent ("
            + ", ".join(f"{name} {n}" for name, n in TALLY.items()) + ")")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)
            for name, seen in OUTCOMES.items():
                if seen:
                    reporter.write_line(f"  {name}: " + ", ".join(
                        f"{what} {n}" for what, n in seen.most_common()))


# -- the research graph's ids, so that generated queries hit real data ------------------------

FIXTURE = research_fixture()
KNOWN_IDS = sorted(node_id for rows in FIXTURE.nodes.values() for node_id in rows)
PREFIXES = sorted({i.split(":", 1)[0] for i in KNOWN_IDS})
WORDS = ["Soleimani", "imminent", "Esper", "self-defense", "strike", "Trump", "Iran", "1986",
         "document:", "actor:", ""]
HOSTILE_TEXT = ["*", "%", "%%imm%%", "@name:x", "-", "|", "~x", "\"", "'", "\\", "(", ")", "{",
                "}", "[", "]", "x' OR 1=1 --", "') RETURN n //", "$limit", "${x}", "\x00",
                "\u202e", "\ufeff", "ﬁ", "𝕏", "İ", "\n\r\t", "a" * 5000]


def text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE_TEXT),
                     st.text(max_size=40), st.text(alphabet=string.printable, max_size=40))


def mostly(usual: st.SearchStrategy[Any], other: st.SearchStrategy[Any],
           percent: int = 75) -> st.SearchStrategy[Any]:
    """`usual` about `percent`% of the time, else `other` (hypothesis's `one_of` picks its
    branches about evenly)."""
    return st.tuples(st.integers(0, 99), usual, other).map(
        lambda t: t[1] if t[0] < percent else t[2])


def node_ids() -> st.SearchStrategy[str]:
    """Mostly ids of the graph, so that queries reach real nodes."""
    return mostly(st.sampled_from(KNOWN_IDS), st.one_of(
        text(), st.builds(lambda p, t: f"{p}:{t}", st.sampled_from(PREFIXES), text())))


# Mostly small numbers, so that most generated queries pass the argument checks and reach the
# store; some anywhere in the 32-bit range for the checks themselves.
INTS = mostly(st.integers(1, 3), st.integers(-(2**31), 2**31 - 1) | st.integers(-2, 12))
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "ID": node_ids().map(gn.String),
    "String": text().map(gn.String),
    "Date": st.one_of(st.dates().map(lambda d: d.isoformat()),
                      st.sampled_from(["2020-01-03", "2019-12-27", "1943-04-18"])
                      ).map(gn.String),
    "Int": INTS.map(gn.Int),
}
MUTATION_FIELDS = ["ingestDocument", "deleteDocument"]

# -- sending requests from hypothesis's thread ------------------------------------------------


@dataclass(frozen=True)
class Req:
    method: str = "POST"
    json: Any = None
    content: bytes | None = None
    params: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def echo(self) -> str:
        """Everything the client sent, for telling echoed text from leaked text."""
        parts = [str(self.params or ""), repr(self.headers)]
        if self.json is not None:
            parts += [json.dumps(self.json),
                      repr(self.json)]
            parts += _strings(self.json)
        if self.content is not None:
            parts.append(self.content.decode("utf-8", "replace"))
        parts += list((self.params or {}).values())
        return "\n".join(parts)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


def post(query: str, variables: Any = None, token: bool = False) -> Req:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return Req(json=body, headers={"Authorization": f"Bearer {TOKEN}"} if token else {})


class Driver:
    """Runs requests on the event loop that owns the store, for code running in a thread."""

    def __init__(self, http: httpx.AsyncClient, loop: asyncio.AbstractEventLoop) -> None:
        self.http = http
        self.loop = loop

    async def send(self, req: Req) -> httpx.Response:
        kwargs: dict[str, Any] = {"headers": req.headers}
        if req.params is not None:
            kwargs["params"] = req.params
        if req.json is not None:
            kwargs["content"] = json.dumps(req.json).encode()
            kwargs["headers"] = {"content-type": "application/json", **req.headers}
        elif req.content is not None:
            kwargs["content"] = req.content
        return await self.http.request(req.method, "/graphql", **kwargs)

    def __call__(self, req: Req) -> httpx.Response:
        return asyncio.run_coroutine_threadsafe(self.send(req), self.loop).result(timeout=120)


async def fuzz(app: Starlette, group: str, strategy: st.SearchStrategy[Req],
               check: Callable[[Req, httpx.Response], None]) -> None:
    """Send `TARGET[group]` generated requests and check each response."""
    loop = asyncio.get_running_loop()
    sent = Counter[str]()
    async with client(app) as http:
        drive = Driver(http, loop)

        @fuzz_settings(group)
        @given(strategy)
        def case(req: Req) -> None:
            sent[group] += 1
            r = drive(req)
            check(req, r)
            OUTCOMES[group][outcome(r)] += 1

        await asyncio.to_thread(case)
    TALLY[group] += sent[group]
    assert sent[group] >= TARGET[group], f"{group}: only {sent[group]} cases ran"


def outcome(r: httpx.Response) -> str:
    """What a response was, for the summary: data, the first error's code, both, or the
    status."""
    try:
        body = orjson.loads(r.content)
    except orjson.JSONDecodeError:
        return str(r.status_code)
    if not isinstance(body, dict):
        return str(r.status_code)
    errors = body.get("errors") or []
    data = body.get("data")
    parts = ["data"] if isinstance(data, dict) and any(
        v is not None for v in data.values()) else []
    parts += [str((errors[0].get("extensions") or {}).get("code"))] if errors else []
    return "+".join(parts) or str(r.status_code)


# -- the properties -----------------------------------------------------------------------------

CODES = {c.value for c in Code} | {"PAYLOAD_TOO_LARGE"}
LEAKS = re.compile(
    r"Traceback|File \"|\bline \d+, in\b"
    r"|\b(?:OPTIONAL MATCH|MATCH|MERGE|RETURN|DETACH|DELETE|UNWIND|WITH|WHERE|CALL|YIELD|"
    r"CREATE|SET|ORDER BY|LIMIT)\b"
    r"|\$[A-Za-z_][A-Za-z0-9_]*"
    r"|\b[A-Z][A-Za-z0-9]*(?:Error|Exception|Warning)\b|\bfalkordb\b|\bneo4j\b|\bredis\b")


def leaks(message: str, sent: str) -> list[str]:
    """Parts of a message that look like internals and were not in the request itself."""
    return [m.group(0) for m in LEAKS.finditer(message) if m.group(0) not in sent]


def check_response(req: Req, r: httpx.Response, *, valid: bool = False,
                   allowed: set[str] | None = None) -> dict[str, Any]:
    """The properties every response must have; returns the parsed body."""
    where = f"{req!r} -> {r.status_code} {r.text[:500]!r}"
    assert r.status_code < 500, where
    if req.method not in ("GET", "POST"):  # refused by the router, before GraphQL
        assert r.status_code == 405 and "POST" in r.headers.get("allow", ""), where
        return {}
    if req.method == "GET" and "query" not in (req.params or {}) and r.status_code == 200:
        assert r.headers["content-type"].startswith("text/html"), where  # the GraphiQL page
        return {}
    body = orjson.loads(r.content)  # raises on a body that is not JSON
    assert isinstance(body, dict), where
    assert set(body) <= {"data", "errors", "extensions"}, where
    assert "data" in body or "errors" in body, where
    if "data" in body:
        assert body["data"] is None or isinstance(body["data"], dict), where
    errors = body.get("errors")
    if errors is None:
        assert r.status_code == 200 and isinstance(body.get("data"), dict), where
        return body
    assert isinstance(errors, list) and errors, where
    sent = req.echo()
    for error in errors:
        assert isinstance(error, dict) and isinstance(error.get("message"), str), where
        code = (error.get("extensions") or {}).get("code")
        assert code in CODES, where
        assert code != Code.INTERNAL_SERVER_ERROR, where
        if allowed is not None:
            assert code in allowed, where
        assert not leaks(error["message"], sent), (leaks(error["message"], sent), where)
    if valid:
        assert r.status_code == 200, where
    return body


# Codes a valid operation may get: refusals of its argument values, limits, unknown ids.
VALID_QUERY_CODES = {Code.BAD_USER_INPUT, Code.BAD_CURSOR, Code.NOT_FOUND, Code.COST_LIMIT_EXCEEDED,
                     Code.GRAPHQL_VALIDATION_FAILED}


# -- the app ----------------------------------------------------------------------------------


@pytest.fixture
async def app(store: GraphStore, settings: Settings) -> AsyncIterator[Starlette]:
    await store.write_batch(FIXTURE.statements(store.dialect))
    yield make_app(store, settings, api_token=TOKEN, max_body_bytes=200_000)


# -- (a) valid operations ------------------------------------------------------------------------


def queries(**kwargs: Any) -> st.SearchStrategy[str]:
    return hg.queries(schema._schema, custom_scalars=SCALARS, **kwargs)


def mutations(**kwargs: Any) -> st.SearchStrategy[str]:
    return hg.mutations(schema._schema, custom_scalars=SCALARS, fields=MUTATION_FIELDS,
                        **kwargs)


async def test_valid_queries(app: Starlette) -> None:
    def check(req: Req, r: httpx.Response) -> None:
        check_response(req, r, valid=True, allowed=VALID_QUERY_CODES)

    await fuzz(app, "queries", queries().map(post), check)


async def test_valid_mutations_without_the_token(app: Starlette) -> None:
    def check(req: Req, r: httpx.Response) -> None:
        body = check_response(req, r, valid=True,
                              allowed={Code.UNAUTHENTICATED, Code.GRAPHQL_VALIDATION_FAILED,
                                       Code.COST_LIMIT_EXCEEDED, Code.BAD_USER_INPUT})
        assert body.get("errors"), req  # never done without the token
        assert not any((body.get("data") or {}).values()), req

    wrong = st.sampled_from([{}, {"Authorization": "Bearer nope"},
                             {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"},
                             {"Authorization": f"Bearer {TOKEN} x"}])
    await fuzz(app, "anonymous mutations",
               st.builds(lambda q, h: Req(json={"query": q}, headers=h), mutations(), wrong),
               check)


async def test_valid_mutations_with_the_token(app: Starlette) -> None:
    def check(req: Req, r: httpx.Response) -> None:
        check_response(req, r, valid=True,
                       allowed=VALID_QUERY_CODES | {Code.LOADERS_UNAVAILABLE})

    await fuzz(app, "mutations with the token", mutations().map(lambda q: post(q, token=True)),
               check)


# -- (b) invalid operations and corrupted requests ---------------------------------------------


async def test_schema_violations(app: Starlette) -> None:
    def check(req: Req, r: httpx.Response) -> None:
        check_response(req, r)

    violations = st.one_of(queries(mode=hg.Mode.NEGATIVE).map(post),
                           mutations(mode=hg.Mode.NEGATIVE).map(lambda q: post(q, token=True)))
    await fuzz(app, "negative", violations, check)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text(), inner, max_size=4),
    max_leaves=12)

VARIABLE_QUERIES = [
    "query($id: ID!) { node(id: $id) { id } }",
    "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
    "query($n: Int, $a: String) { claims(first: $n, after: $a) { edges { cursor } } }",
    "query($w: ClaimWhere, $s: [ClaimSort!]) { claims(where: $w, sort: $s) { totalCount } }",
    "query($from: Date, $to: Date) { timeline(from: $from, to: $to) { id date } }",
    "query($t: String!, $l: [NodeLabel!]) { search(text: $t, labels: $l) { score } }",
    "query($id: ID!, $d: Int!, $m: Int!, $r: [RelationshipType!]) {"
    " neighborhood(id: $id, depth: $d, maxNodes: $m, relTypes: $r) { truncated } }",
    "query($a: ID!, $b: ID!, $h: Int!) { path(from: $a, to: $b, maxHops: $h) { truncated } }",
    "query($w: DocumentWhere) { documents(where: $w) { nodes { id published } } }",
    "mutation($t: String!, $f: String!, $m: DocumentMetadata) {"
    " ingestDocument(text: $t, filename: $f, metadata: $m) { status } }",
    "mutation($id: ID!) { deleteDocument(id: $id) { deleted } }",
]
DOCUMENTED_QUERIES = [p.read_text() for p in sorted(
    (Path(__file__).resolve().parents[1] / "graphql" / "queries").glob("*.graphql"))]
SEEDS = [*VARIABLE_QUERIES, *DOCUMENTED_QUERIES]
VARIABLE_NAMES = ["id", "ids", "n", "a", "b", "w", "s", "from", "to", "t", "l", "d", "m", "r",
                  "h", "f", "x"]


def corrupt(query: str, edits: list[tuple[int, int, str, str]]) -> str:
    """Apply edits (kind, position, length, text) to a query."""
    out = query
    for kind_i, pos, size, junk in edits:
        kind = ["drop", "duplicate", "insert", "swap", "truncate", "name", "empty"][kind_i % 7]
        i = pos % (len(out) + 1)
        if kind == "drop":
            out = out[:i] + out[i + size:]
        elif kind == "duplicate":
            out = out[:i] + out[i:i + size] * 2 + out[i + size:]
        elif kind == "insert":
            out = out[:i] + junk + out[i:]
        elif kind == "swap":
            out = out.translate(str.maketrans("{}()[]", "}{)(][")) if size % 2 else (
                out[:i] + out[i:].replace("{", "(", 1))
        elif kind == "truncate":
            out = out[:i]
        elif kind == "empty":  # an empty selection set (or object value)
            out = re.sub(r"\{[^{}]*\}", "{ }", out, count=1 + size % 2)
        else:
            name = junk or "zz"
            out = re.sub(r"\b[a-z][A-Za-z]*\b", lambda _, name=name: name, out,
                         count=1 + size % 3)
    return out


EDITS = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 10_000), st.integers(0, 12),
                           st.one_of(text(), st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}",
                                                           fullmatch=True))),
                 min_size=1, max_size=4)
CONTENT_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=x", "application/graphql", "",
                 "application/json; charset=latin-1", "application/graphql-response+json"]


def corrupted_requests() -> st.SearchStrategy[Req]:
    token = st.sampled_from([{}, {"Authorization": f"Bearer {TOKEN}"}])
    mangled = st.builds(lambda q, e, h: Req(json={"query": corrupt(q, e)}, headers=h),
                        st.sampled_from(SEEDS) | mutations(), EDITS, token)
    wrong_types = st.builds(
        lambda q, v, h: Req(json={"query": q, "variables": v}, headers=h),
        st.sampled_from(SEEDS),
        st.dictionaries(st.sampled_from(VARIABLE_NAMES), JSON, max_size=5) | JSON, token)
    odd_body = st.builds(
        lambda q, v, o, extra: Req(json={"query": q, "variables": v, "operationName": o,
                                         **extra}),
        JSON | st.sampled_from(SEEDS), JSON, JSON, st.dictionaries(text(), JSON, max_size=2))
    random_json = st.builds(lambda v: Req(content=json.dumps(v).encode(),
                                          headers={"content-type": "application/json"}), JSON)
    batches = st.lists(st.sampled_from(SEEDS).map(lambda q: {"query": q}), min_size=1,
                       max_size=3).map(
        lambda b: Req(json=b))
    raw = st.builds(lambda b, ct: Req(content=b, headers={"content-type": ct} if ct else {}),
                    st.binary(max_size=200) | text().map(lambda s: s.encode("utf-8", "replace")),
                    st.sampled_from(CONTENT_TYPES))
    get = st.builds(
        lambda p: Req(method="GET", params=p),
        st.fixed_dictionaries({}, optional={
            "query": st.sampled_from(SEEDS) | mutations() | text(),
            "variables": text() | JSON.map(json.dumps),
            "operationName": text(), "extensions": text()}))
    methods = st.builds(lambda m, q: Req(method=m, json={"query": q}),
                        st.sampled_from(["PUT", "DELETE", "PATCH"]), st.sampled_from(SEEDS))
    bad_json = st.one_of(  # bodies said to be JSON: bytes, not UTF-8, nested deep, cut short
        st.binary(max_size=200),
        st.binary(max_size=40).map(
            lambda b: b'{"query": "query($x: String) { version }", "variables": {"x": "'
            + b + b'"}}'),
        st.integers(1, 100_000).map(lambda n: b"[" * n + b"]" * (n % 7)),
        st.integers(1, 5_000).map(lambda n: b'{"query": "{ version }", "variables": '
                                  + b'{"a":' * n + b"1" + b"}" * (n + 1)),
        st.sampled_from(SEEDS).map(lambda q: json.dumps({"query": q}).encode()[:-3]),
    ).map(lambda b: Req(content=b, headers={"content-type": "application/json"}))
    oversized = st.integers(200_001, 300_000).map(
        lambda n: Req(json={"query": "{ version }", "variables": {"pad": "x" * n}}))
    return st.one_of(mangled, wrong_types, odd_body, random_json, batches, raw, get, methods,
                     bad_json, oversized)


async def test_corrupted_requests(app: Starlette) -> None:
    def check(req: Req, r: httpx.Response) -> None:
        check_response(req, r)

    await fuzz(app, "corrupted", corrupted_requests(), check)


# -- hand-written hostile queries --------------------------------------------------------------


async def test_unreadable_requests_get_graphql_errors(app: Starlette) -> None:
    """Regression: a JSON body that is not an object (`null`, `1`, `"x"`: Strawberry fails on it
    with an AttributeError), that is not UTF-8 (UnicodeDecodeError) or that nests arrays or
    objects a few thousand deep (RecursionError) was a 500; and requests Strawberry cannot read
    were answered in plain text, without a code."""
    json_type = {"content-type": "application/json"}
    cases = [Req(content=b"null", headers=json_type), Req(content=b"1", headers=json_type),
             Req(content=b'"{ version }"', headers=json_type),
             Req(content=b"true", headers=json_type), Req(content=b"{", headers=json_type),
             Req(content=b"\xff", headers=json_type),
             Req(content=b'{"query": "{ version }", "variables": {"x": "\xff"}}',
                 headers=json_type),
             Req(content=b"[" * 100_000, headers=json_type),
             Req(content=b'{"query": "{ version }", "variables": ' + b'{"a":' * 5_000 + b"1"
                 + b"}" * 5_001, headers=json_type),
             Req(content=b"{}", headers=json_type), Req(content=b"[]", headers=json_type),
             Req(content=b"{ version }", headers={"content-type": "text/plain"}),
             Req(json={"query": "{ version }", "variables": "x"}),
             Req(method="GET", params={"query": 'mutation { deleteDocument(id: "document:x") '
                                                '{ deleted } }'}),
             Req(method="GET", params={"query": "{ version }", "variables": "{"})]
    async with client(app) as http:
        drive = Driver(http, asyncio.get_running_loop())
        for req in cases:
            r = await drive.send(req)
            body = check_response(req, r, allowed={Code.BAD_USER_INPUT})
            assert r.status_code in (400, 405) and body["errors"], (req, r.text)


async def test_empty_selection_sets_are_refused(app: Starlette) -> None:
    """Regression (found by this fuzzing): graphql-core parses `stats { }`, and Strawberry's
    depth limiter failed on it; the client got Python's "max() arg is an empty sequence",
    without a code."""
    for query in ["{ stats { } }", "{ }", 'mutation { deleteDocument(id: "document:x") { } }',
                  '{ node(id: "actor:iran") { ... on Actor { } } }',
                  "{ version } fragment F on Query { }"]:
        req = post(query, token=True)
        async with client(app) as http:
            body = check_response(req, await Driver(http, asyncio.get_running_loop()).send(req))
        assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"], (query, body)
        assert "selection set may not be empty" in body["errors"][0]["message"]


async def test_fragment_cycles_are_refused(app: Starlette) -> None:
    cycles = [
        "{ claims { nodes { ...A } } } fragment A on Claim { id ...B } "
        "fragment B on Claim { ...A }",
        "{ claims { nodes { ...A } } } fragment A on Claim { attacks { ...A } }",
        "query { version ...Q } fragment Q on Query { ...Q }",
    ]
    for query in cycles:
        result = await gql(app, query)
        assert codes(result) == ["GRAPHQL_VALIDATION_FAILED"], result
        assert "within itself" in result["errors"][0]["message"]
        assert "data" not in result or result["data"] is None


async def test_huge_pages_are_refused(app: Starlette) -> None:
    for query, variables in [
        ("{ concepts(first: 100000) { edges { node { id } } } }", None),
        ("{ claims(last: 100000) { totalCount } }", None),
        ("query($n: Int) { actors(first: $n) { nodes { name } } }", {"n": 100000}),
        ("{ timeline(first: 100000) { id } }", None),
        ('{ search(text: "strike", first: 100000) { score } }', None),
        ('{ search(text: "strike", first: 1000) { score } }', None),
        ('{ node(id: "claim:x") { ... on Claim { attacks(first: 100000) { id } } } }', None),
        (f'{{ neighborhood(id: "{STRIKE}", maxNodes: 100000) {{ truncated }} }}', None),
        (f'{{ neighborhood(id: "{STRIKE}", maxNodes: {MAX_NODES + 1}) {{ truncated }} }}',
         None),
    ]:
        result = await gql(app, query, variables)
        assert codes(result) in (["COST_LIMIT_EXCEEDED"], ["BAD_USER_INPUT"]), (query, result)
        assert not any((result.get("data") or {}).values()), (query, result)
        message = result["errors"][0]["message"]
        assert re.search(r"exceeds the limit|must be between", message), (query, message)
    for query in ("{ concepts(first: 10000000000) { totalCount } }",
                  "{ version concepts(first: 10000000000) { __typename } }"):
        result = await gql(app, query)  # not a 32-bit Int: refused before or by validation
        assert codes(result) in (["COST_LIMIT_EXCEEDED"], ["GRAPHQL_VALIDATION_FAILED"]), result
        assert re.search(r"exceeds the limit|32-bit", result["errors"][0]["message"]), result


async def test_neighborhood_over_max_nodes_is_cut(app: Starlette) -> None:
    query = """query($id: ID!, $m: Int!) { neighborhood(id: $id, depth: 2, maxNodes: $m) {
        nodes { id } edges { source target } truncated } }"""
    full = (await gql(app, query, {"id": STRIKE, "m": MAX_NODES}))["data"]["neighborhood"]
    assert full["truncated"] is False and len(full["nodes"]) > 5
    cut = (await gql(app, query, {"id": STRIKE, "m": 5}))["data"]["neighborhood"]
    assert cut["truncated"] is True and len(cut["nodes"]) == 5
    assert cut["nodes"][0]["id"] == STRIKE
    ids = {n["id"] for n in cut["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in cut["edges"])


async def test_deep_or_wide_filters_are_refused_before_the_store(app: Starlette) -> None:
    """Regression: FalkorDB parses nested predicates in time exponential in their depth, so a
    60-byte `where` of ten nested NOTs kept the store busy past the 10 s timeout (and a worker
    thread of the store for minutes). Variables escape the parser's nesting and token limits,
    so `where` itself is bounded in depth and size."""
    query = "query($w: ClaimWhere) { claims(where: $w) { totalCount } }"
    leaf = {"stance": {"eq": "SUPPORTS"}}
    cases: list[tuple[Any, str | None]] = []
    for key in ("NOT", "AND", "OR"):
        for depth in (MAX_FILTER_DEPTH, MAX_FILTER_DEPTH + 1, 10, 60, 120):
            where: Any = leaf
            for _ in range(depth):
                # a real sibling: `{}` matches everything, and an OR or AND with it collapses
                # before any depth is left to refuse (nothing then reaches the store)
                where = {key: where if key == "NOT" else [where, leaf]}
            cases.append((where, None if depth <= MAX_FILTER_DEPTH else "nested"))
    cases.append(({"OR": [leaf] * (MAX_FILTER_SIZE - 1)}, None))
    cases.append(({"OR": [leaf] * 1000}, "more than"))
    cases.append(({"OR": [{"NOT": {"NOT": {"NOT": {"NOT": leaf}}}}] * 40}, "more than"))
    cases.append(({"speaker": {"NOT": {"NOT": {"NOT": {"NOT": {"name": {"eq": "x"}}}}}}}, None))
    async with client(app) as http:
        drive = Driver(http, asyncio.get_running_loop())
        for where, refusal in cases:
            req = post(query, {"w": where})
            started = time.monotonic()
            body = check_response(req, await drive.send(req), valid=True,
                                  allowed={Code.BAD_USER_INPUT})
            assert time.monotonic() - started < 2, where
            if refusal is None:
                assert not body.get("errors"), (where, body)
            else:
                assert codes(body) == ["BAD_USER_INPUT"], (where, body)
                assert refusal in body["errors"][0]["message"], body


async def test_huge_ingestion_is_refused_not_crashed(store: GraphStore,
                                                    settings: Settings) -> None:
    """Regression: a paragraph of more than 1,000,000 characters (within the 2 MB body limit)
    made the sentence splitter raise ValueError, an INTERNAL_SERVER_ERROR."""
    pytest.importorskip("loaders.extract")
    app = make_app(store, settings, api_token=TOKEN)  # the default body limit
    sentence = "Defense Secretary Mark Esper said the strike was decisive defensive action. "
    mutation = """mutation($t: String!, $f: String!) { ingestDocument(text: $t, filename: $f) {
        status passages } }"""
    cases = [("one paragraph", (sentence * 14_000)[:MAX_INGEST_CHARS + 1], "BAD_USER_INPUT"),
             ("paragraphs", (sentence + "\n\n") * 24_000, "BAD_USER_INPUT"),
             ("a long filename", sentence, None)]
    async with client(app) as http:
        drive = Driver(http, asyncio.get_running_loop())
        for name, text_, code in cases:
            filename = "x" * 100_000 + ".txt" if name == "a long filename" else "big.txt"
            req = post(mutation, {"t": text_, "f": filename}, token=True)
            r = await drive.send(req)
            assert r.status_code in (200, 413), (name, r.status_code)
            if r.status_code == 200:
                body = check_response(req, r, valid=True, allowed={Code.BAD_USER_INPUT})
                assert (codes(body) or [None]) == [code], (name, body)


async def test_search_text_is_only_ever_words(app: Starlette) -> None:
    """Regression (found by this fuzzing): a search term with a digit followed by a control
    character or a backtick reached RediSearch as query syntax, an INTERNAL_SERVER_ERROR."""
    async with client(app) as http:
        drive = Driver(http, asyncio.get_running_loop())
        for text_ in ["00\x1b", "00`", "2020\x7f", "strike ab1\x07", "0A\x08"]:
            req = post("query($t: String!) { search(text: $t) { score } }", {"t": text_})
            check_response(req, await drive.send(req), valid=True, allowed=VALID_QUERY_CODES)
