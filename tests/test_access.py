"""Access: the token guarding mutations, the embedded server's exposure, and what logs hold.

Covered elsewhere and not repeated here: `deleteDocument` refused without the token, with a
wrong one and with none configured, and accepted with it (test_api_http); the data directory
0700 and the password and config files 0600, `port 0` in the config (test_embedded); every
mutation's string arguments swept without the token (test_api_injection).

Added here: every mutation of the schema against many malformed and near-miss Authorization
headers, refused with one identical answer whether or not a token is configured (an empty
configured token disables mutations rather than accepting an empty bearer); the comparison made
by `hmac.compare_digest` on fixed-length digests in every case, and no `==` on a secret; the
running server bound to no TCP port (asked live, and checked in /proc), its socket private,
every command refused without the password; a loose data directory tightened on start; and no
API token, store password or document text in the logs (all loggers at DEBUG), on stdout or
stderr, or in the server's own log, after an ingestion through the API and a `kb load`.
"""

from __future__ import annotations

import ast
import asyncio
import hmac
import inspect
import logging
import os
import socket
import stat
import textwrap
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.applications import Starlette
from test_api_support import JS, TOKEN, client, make_app, research_fixture

from kb.api import mutations
from kb.api.schema import schema
from kb.config import Settings
from kb.cypher import read as rq
from kb.store.base import GraphStore
from kb.store.embedded import EmbeddedServer, _resp
from kb.store.falkordb import FalkorDBStore

SENTENCE = "Quillfeather magistrates ruled the heron treaty void on Thursday."
"""A distinctive sentence of the documents loaded below, searched for in every log."""


async def _graph(store: GraphStore) -> tuple[int, int]:
    nodes = await store.read(rq.all_nodes(store.dialect), {"limit": 1_000_000})
    edges = await store.read(rq.all_edges(store.dialect), {"limit": 1_000_000})
    return len(nodes), len(edges)


# -- the token ----------------------------------------------------------------------------------

MUTATIONS = {
    "ingestDocument": ("mutation($t: String!) { ingestDocument(text: $t, filename: \"a.txt\") "
                       "{ status } }", {"t": f"Heading\n\n{SENTENCE}\n"}),
    "deleteDocument": ("mutation($id: ID!) { deleteDocument(id: $id) { deleted } }",
                       {"id": JS}),
}

NEAR_MISSES = {
    "missing": None,
    "empty": "",
    "bearer, nothing": "Bearer ",
    "bearer, spaces": "Bearer    ",
    "wrong": "Bearer not-the-token",
    "prefix": f"Bearer {TOKEN[:-1]}",
    "longer": f"Bearer {TOKEN}x",
    "case": f"Bearer {TOKEN.upper()}",
    "no scheme": TOKEN,
    "other scheme": f"Token {TOKEN}",
    "basic": f"Basic {TOKEN}",
    "scheme glued": f"Bearer{TOKEN}",
    "two tokens": f"Bearer {TOKEN} {TOKEN}",
    "nul": f"Bearer {TOKEN}\u0000",
}


def test_the_schema_has_the_mutations_this_file_checks() -> None:
    fields = set(schema._schema.mutation_type.fields)  # type: ignore[union-attr]
    assert fields == set(MUTATIONS), "a new mutation: add it to MUTATIONS"


@pytest.fixture
async def app(store: GraphStore, settings: Settings) -> Starlette:
    await store.write_batch(research_fixture().statements(store.dialect))
    return make_app(store, settings, api_token=TOKEN)


def _headers(value: str | None) -> dict[str, str]:
    return {} if value is None else {"Authorization": value}


async def test_every_mutation_refuses_near_misses_identically(
        app: Starlette, store: GraphStore, settings: Settings) -> None:
    """Whatever is wrong with the header, and whether a token is configured, unset or empty,
    the answer is byte for byte the same, and nothing is written."""
    before = await _graph(store)
    answers: dict[str, set[bytes]] = {}
    unset = make_app(store, settings, api_token=None)
    empty = make_app(store, settings, api_token="")
    for name, (query, variables) in MUTATIONS.items():
        seen: set[bytes] = set()
        for target, headers in [(app, h) for h in NEAR_MISSES.values()] + [
                (unset, f"Bearer {TOKEN}"), (unset, None), (unset, "Bearer "),
                (empty, "Bearer "), (empty, "Bearer"), (empty, None)]:
            async with client(target) as c:
                r = await c.post("/graphql", json={"query": query, "variables": variables},
                                 headers=_headers(headers))
            assert r.status_code == 200, r.text
            body = r.json()
            assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
            assert body["data"] is None
            seen.add(r.content)
        answers[name] = seen
    assert all(len(seen) == 1 for seen in answers.values()), answers
    assert await _graph(store) == before


async def test_the_token_is_accepted_exactly(app: Starlette, store: GraphStore) -> None:
    """The scheme is case-insensitive (RFC 7235); the token itself is not."""
    query, variables = MUTATIONS["deleteDocument"]
    async with client(app) as c:
        r = await c.post("/graphql", json={"query": query, "variables": variables},
                         headers={"Authorization": f"bearer {TOKEN}"})
    assert r.json() == {"data": {"deleteDocument": {"deleted": True}}}


async def test_tokens_are_compared_in_constant_time(
        app: Starlette, settings: Settings, store: GraphStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt, refused or accepted, with or without a configured token, goes through one
    `hmac.compare_digest` of two 32-byte digests: the time cannot depend on how much of the
    token was right, nor on its length, nor on whether one is configured."""
    calls: list[tuple[int, int]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(mutations.hmac, "compare_digest", spy)
    query, variables = MUTATIONS["deleteDocument"]
    unset = make_app(store, settings, api_token=None)
    attempts = [(app, h) for h in NEAR_MISSES.values()] + [(unset, f"Bearer {TOKEN}"),
                                                           (app, f"Bearer {TOKEN}")]
    for target, header in attempts:
        async with client(target) as c:
            await c.post("/graphql", json={"query": query, "variables": variables},
                         headers=_headers(header))
    assert len(calls) == len(attempts), calls
    assert set(calls) == {(32, 32)}

    # and no `==`, `!=` or `in` on the secret anywhere in the check
    tree = ast.parse(textwrap.dedent(inspect.getsource(mutations.require_token)))
    secrets_ = {"expected", "supplied", "wanted", "api_token", "header"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            assert not names & secrets_, ast.unparse(node)


# -- the embedded server -------------------------------------------------------------------------


def _ask(sock_path: Path, *commands: tuple[str, ...]) -> bytes:
    """Send commands over the Unix socket in the Redis protocol; the raw replies."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(str(sock_path))
        s.sendall(b"".join(_resp(*c) for c in commands))
        data = s.recv(65536)
        s.settimeout(0.3)
        try:  # the rest of a multi-line reply, if any
            while chunk := s.recv(65536):
                data += chunk
        except TimeoutError:
            pass
        return data


def _listening_inodes(pid: int) -> set[str]:
    """Inodes of TCP sockets in LISTEN state in the process's network namespace."""
    found: set[str] = set()
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A":
                found.add(fields[9])
    return found


@pytest.fixture
def server(tmp_path: Path) -> Any:
    root = tmp_path / "data"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)  # as a user might have made it
    s = EmbeddedServer(root)
    s.ensure_running()
    yield s
    s.stop()


def test_the_server_listens_only_on_its_private_socket(server: EmbeddedServer) -> None:
    paths = server.paths
    password = paths.password.read_text().strip()
    reply = _ask(paths.socket, ("AUTH", password), ("CONFIG", "GET", "port"))
    assert reply.startswith(b"+OK") and b"$4\r\nport\r\n$1\r\n0\r\n" in reply, reply

    pid = int(paths.pid.read_text())
    sockets = {os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1] for fd in os.listdir(f"/proc/{pid}/fd")
               if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:[")}
    unix = {line.split()[6] for line in Path("/proc/net/unix").read_text().splitlines()[1:]
            if line.split()[-1] == str(paths.socket)}
    assert sockets & unix, "the server's Unix socket is found among its descriptors"
    assert not sockets & _listening_inodes(pid), "the server listens on a TCP port"

    mode = os.stat(paths.socket).st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o700
    assert stat.S_IMODE(os.stat(paths.root).st_mode) == 0o700  # tightened from 0755


def test_every_file_of_the_data_directory_is_the_owners_alone(server: EmbeddedServer) -> None:
    """Append-only files, snapshots, the log, the password: no group or other permission bits,
    after a write and a rewrite of the append-only file (which creates new files)."""
    paths = server.paths
    password = paths.password.read_text().strip()
    reply = _ask(paths.socket, ("AUTH", password),
                 ("GRAPH.QUERY", "kb", "CREATE (:Actor {id: 'actor:x'})"))
    assert b"-ERR" not in reply, reply
    assert server.compact()
    loose = [f"{f.relative_to(paths.root)} {stat.S_IMODE(f.stat().st_mode):o}"
             for f in [paths.root, *paths.root.rglob("*")]
             if not f.is_socket() and stat.S_IMODE(f.stat().st_mode) & 0o077]
    assert not loose, loose
    assert any(paths.root.rglob("*.aof")) or any(paths.root.rglob("*.rdb"))


def test_the_server_refuses_every_command_without_the_password(server: EmbeddedServer) -> None:
    sock = server.paths.socket
    for command in [("PING",), ("GRAPH.QUERY", "kb", "MATCH (n) RETURN count(n)"),
                    ("GRAPH.LIST",), ("CONFIG", "GET", "requirepass"), ("KEYS", "*")]:
        reply = _ask(sock, command)
        assert reply.startswith(b"-NOAUTH"), (command, reply)
    wrong = _ask(sock, ("AUTH", "not-the-password"), ("PING",))
    assert wrong.startswith(b"-WRONGPASS") and b"-NOAUTH" in wrong, wrong
    assert not server._ping("not-the-password")


# -- logs ---------------------------------------------------------------------------------------


def _leaks(texts: dict[str, str], secrets_: dict[str, str]) -> list[str]:
    return [f"the {what} is in {where}" for where, text in texts.items()
            for what, value in secrets_.items() if value and value in text]


async def test_api_logs_hold_no_token_password_or_document_text(
        app: Starlette, store: GraphStore, caplog: pytest.LogCaptureFixture,
        capfd: pytest.CaptureFixture[str], data_dir: Path,
        request: pytest.FixtureRequest) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    auth = {"Authorization": f"Bearer {TOKEN}"}
    ingest = ("mutation($t: String!, $f: String!) { ingestDocument(text: $t, filename: $f) "
              "{ status document { id } } }")
    text = f"Heron treaty\n\n{SENTENCE} The council said so.\n"
    async with client(app) as c:
        loaded = (await c.post("/graphql", json={"query": ingest, "variables": {
            "t": text, "f": "heron.txt"}}, headers=auth)).json()
        assert loaded["data"]["ingestDocument"]["status"] == "LOADED", loaded
        refused = [  # each one logs an error line: none may carry the text or the token
            ({"query": ingest, "variables": {"t": text, "f": "x.txt"}}, {}),
            ({"query": ingest, "variables": {"t": text, "f": "x.txt"}},
             {"Authorization": f"Bearer {TOKEN}x"}),
            ({"query": ingest, "variables": {"t": text + "\u0000", "f": "x.txt"}}, auth),
            ({"query": ingest, "variables": {"t": f"<html><body>{SENTENCE}</body></html>",
                                             "f": "x.html"}}, auth),
            ({"query": ingest + " }", "variables": {"t": text, "f": "x.txt"}}, auth),
            ({"query": ingest, "variables": {"t": 5, "f": SENTENCE}}, auth),
            ({"query": ingest, "variables": {"t": [text], "f": "x.txt"}}, auth),
            ({"query": ingest, "variables": {"t": {"text": text}, "f": "x.txt"}}, auth),
            ({"query": "query($w: ActorWhere) { actors(where: $w) { totalCount } }",
              "variables": {"w": {"name": {"eq": SENTENCE, "bogus": SENTENCE}}}}, auth),
            ({"query": "query($q: String!) { search(text: $q) { score } }",
              "variables": {"q": SENTENCE}}, auth),
        ]
        for body, headers in refused:
            await c.post("/graphql", json=body, headers=headers)
        doc_id = loaded["data"]["ingestDocument"]["document"]["id"]
        deleted = (await c.post("/graphql", headers=auth, json={
            "query": "mutation($id: ID!) { deleteDocument(id: $id) { deleted } }",
            "variables": {"id": doc_id}})).json()
        assert deleted == {"data": {"deleteDocument": {"deleted": True}}}
    out, err = capfd.readouterr()
    secrets_ = {"API token": TOKEN, "sentence": SENTENCE}
    if isinstance(store, FalkorDBStore):
        secrets_["store password"] = store.server.paths.password.read_text().strip()
    else:
        secrets_["store password"] = request.getfixturevalue("neo4j").password
    texts = {"the logs": caplog.text, "stdout": out, "stderr": err}
    log = data_dir / "redis.log"
    if isinstance(store, FalkorDBStore) and log.exists():
        texts["the server's log"] = log.read_text(errors="replace")
    assert caplog.records, "DEBUG capture is on: the API logged its refusals"
    assert not _leaks(texts, secrets_), _leaks(texts, secrets_)


def test_kb_load_logs_hold_no_token_password_or_document_text(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        capfd: pytest.CaptureFixture[str]) -> None:
    from typer.testing import CliRunner

    from kb.cli import app as cli

    caplog.set_level(logging.DEBUG)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "heron.txt").write_text(f"Heron treaty\n\n{SENTENCE} The council said so.\n")
    (docs / "notes.md").write_text(f"---\ntitle: Notes\n---\n\n# Notes\n\n{SENTENCE}\n")
    (docs / "broken.md").write_text(f"---\ntitle: [unclosed\n---\n\n{SENTENCE}\n")
    (docs / "page.txt").write_text(f"<html><body><p>{SENTENCE}</p></body></html>")
    data = tmp_path / "data"
    env = {"KB_DATA_DIR": str(data), "KB_GRAPH": f"g{uuid.uuid4().hex[:8]}", "NEO4J_URI": "",
           "KB_API_TOKEN": TOKEN}
    result = CliRunner().invoke(cli, ["load", str(docs)], env=env)
    assert result.exit_code == 1, result.output  # the two bad documents
    assert "broken.md" in result.output and "page.txt" in result.output
    assert "Document" in result.output  # the good ones were loaded
    out, err = capfd.readouterr()
    secrets_ = {"API token": TOKEN, "sentence": SENTENCE,
                "store password": (data / "password").read_text().strip()}
    texts = {"the output": result.output, "the logs": caplog.text, "stdout": out,
             "stderr": err, "the server's log": (data / "redis.log").read_text()}
    assert not _leaks(texts, secrets_), _leaks(texts, secrets_)


async def test_the_store_client_does_not_log_the_password(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Connecting, failing to connect and reconnecting, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    store = FalkorDBStore(tmp_path / "d", graph="g")
    await store.connect()
    try:
        await store.bootstrap()
        password = store.server.paths.password.read_text().strip()
        assert await store.health()
        await asyncio.to_thread(store.server.kill)
        assert not await store.health()
        await store.connect()
        assert await store.health()
    finally:
        await store.close()
    assert password not in caplog.text
    assert password not in orjson.dumps([r.getMessage() for r in caplog.records]).decode()
