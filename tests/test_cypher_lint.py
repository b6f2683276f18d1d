"""Every Cypher statement sent to Neo4j is valid Neo4j 5 Cypher, checked offline.

The check uses Neo4j's own Cypher front end, published on npm as
`@neo4j-cypher/language-support` (pinned in package.json; install it with `npm ci` at the
repository root). `tools/cypher-lint.mjs` lints a JSON list of statements in one Node process;
this module feeds it every statement registered in `kb.cypher` that has a Neo4j form, so a
statement added anywhere in `kb/cypher/*.py` is checked without touching this file.

Errors fail the test. Warnings (deprecations, cartesian products, ...) do not, but each one is
reported as a `CypherLintWarning` in pytest's warnings summary.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

from kb.cypher import all_queries
from kb.store.base import Dialect

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "tools" / "cypher-lint.mjs"
PACKAGE = REPO / "node_modules" / "@neo4j-cypher" / "language-support"
TIMEOUT_S = 600


class CypherLintWarning(UserWarning):
    """A non-fatal diagnostic of Neo4j's Cypher front end (deprecation, performance hint)."""


def _linter_command() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not on PATH: the offline Cypher check needs Node 20 or later.")
    if not (PACKAGE / "package.json").is_file():
        pytest.fail(
            f"{PACKAGE} is missing: run `npm ci` in {REPO} to install Neo4j's "
            "Cypher front end (pinned in package.json / package-lock.json), then re-run the tests."
        )
    return [node, str(SCRIPT)]


def _shards(statements: list[dict[str, str]], n: int) -> list[list[int]]:
    """Indexes of `statements` in `n` groups of about equal linting cost.

    Why: the front end's cost grows faster than a statement's length (a 49 KB sample filter
    took 260 s, a 400-character page 0.3 s), so one process ran the whole registry on one core.
    Longest first, each to the group with the least text so far.
    """
    groups: list[list[int]] = [[] for _ in range(n)]
    load = [0] * n
    for i in sorted(range(len(statements)), key=lambda i: -len(statements[i]["text"])):
        g = load.index(min(load))
        groups[g].append(i)
        load[g] += len(statements[i]["text"]) ** 2
    return [g for g in groups if g]


def run_linter(statements: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Lint all `statements` ({name, text}), one result per statement in input order, in one
    Node process per core (at most 4), each taking a share of about equal cost."""
    command = _linter_command()
    shards = _shards(statements, max(1, min(4, os.cpu_count() or 1)))
    procs = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, cwd=REPO)
        for _ in shards
    ]
    results: list[dict[str, Any]] = [{} for _ in statements]
    for shard, proc in zip(shards, procs, strict=True):
        try:
            out, err = proc.communicate(json.dumps([statements[i] for i in shard]),
                                        timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            pytest.fail(f"cypher-lint.mjs took over {TIMEOUT_S} s")
        if proc.returncode != 0:
            pytest.fail(f"cypher-lint.mjs exited with {proc.returncode}:\n{err}")
        for i, r in zip(shard, json.loads(out), strict=True):
            results[i] = r
        # The script's timing line (start-up, per-statement cost); shown with -s or on failure.
        print(err.strip())
    assert [r["name"] for r in results] == [s["name"] for s in statements]
    return results


def neo4j_statements() -> list[dict[str, str]]:
    """Every registered statement in its Neo4j form.

    A statement with slots (`%LABEL%`, ...) is linted with its default filling and once more for
    every other allowed value of each slot, so every value that can reach Neo4j is checked.
    """
    out: list[dict[str, str]] = []
    for q in all_queries():
        text = q.for_dialect(Dialect.NEO4J)
        if text is None:
            continue
        out.append({"name": q.name, "text": text})
        slots = dict(getattr(q, "slots", ()) or ())
        defaults = {name: allowed[0] for name, allowed in slots.items()}
        for name, allowed in slots.items():
            for value in allowed[1:]:
                try:
                    filled = q(Dialect.NEO4J, **{**defaults, name: value})
                except ValueError:  # a combination the query itself refuses never runs
                    continue
                out.append({"name": f"{q.name}[{name}={value}]", "text": filled})
    return out


def _format(diags: list[dict[str, Any]]) -> str:
    return "\n".join(f"    {d['line']}:{d['column']}: {d['message']}" for d in diags)


@pytest.fixture(scope="module")
def project_statements() -> list[dict[str, str]]:
    statements = neo4j_statements()
    names = [s["name"] for s in statements]
    assert len(names) == len(set(names)), "statement names must be unique"
    return statements


@pytest.fixture(scope="module")
def project_results(project_statements: list[dict[str, str]]) -> list[dict[str, Any]]:
    return run_linter(project_statements)


def test_registry_has_neo4j_statements(project_statements: list[dict[str, str]]) -> None:
    # Guards against a green run that linted nothing (a query module failed to register).
    assert project_statements, "kb.cypher registers no statement with a Neo4j form"


def test_every_neo4j_statement_is_valid(
    project_statements: list[dict[str, str]], project_results: list[dict[str, Any]]
) -> None:
    texts = {s["name"]: s["text"] for s in project_statements}
    for r in project_results:
        if r["warnings"]:
            warnings.warn(
                CypherLintWarning(f"{r['name']}:\n{_format(r['warnings'])}"), stacklevel=1
            )
    failures = [r for r in project_results if r["errors"]]
    report = "\n\n".join(
        f"{r['name']}:\n{_format(r['errors'])}\n  statement:\n    {texts[r['name']]}"
        for r in failures
    )
    assert not failures, (
        f"{len(failures)} of {len(project_results)} Neo4j statements are not valid Neo4j 5 "
        f"Cypher:\n\n{report}"
    )


# The linter itself: it must catch what Neo4j would reject and accept what Neo4j runs.
BAD = {
    "broken_pattern": "MATCH (n RETURN n",
    "unknown_function": "RETURN notAFunction(1) AS x",
    "unknown_procedure": "CALL db.index.fulltext.queryNodez('kb_fulltext', $q) YIELD node "
    "RETURN node",
    "undefined_variable": "MATCH (a:Actor) RETURN b",
    "apoc_not_in_community": "RETURN apoc.text.clean($x) AS c",
    "falkordb_fulltext": "CALL db.idx.fulltext.queryNodes('Actor', $q) YIELD node RETURN node",
}
GOOD = {
    "constraint": "CREATE CONSTRAINT actor_id_unique IF NOT EXISTS "
    "FOR (n:Actor) REQUIRE n.id IS UNIQUE",
    "fulltext_index": "CREATE FULLTEXT INDEX kb_fulltext IF NOT EXISTS "
    "FOR (n:Actor|Concept|Precedent) ON EACH [n.name, n.aliases_text]",
    "fulltext_query": "CALL db.index.fulltext.queryNodes('kb_fulltext', $q) YIELD node, score "
    "RETURN node.id AS id, score ORDER BY score DESC LIMIT $limit",
    "range_index": "CREATE INDEX event_date IF NOT EXISTS FOR (n:Event) ON (n.date)",
    "merge_with_params": "MERGE (a:Actor {id: $id}) SET a += $props, a.updated = date($today) "
    "RETURN a.id AS id",
    "subqueries": "MATCH (a:Actor) WHERE EXISTS { (a)-[:ASSERTS]->(:Claim) } "
    "RETURN elementId(a) AS eid, COUNT { (a)--() } AS degree",
    "shortest_path": "MATCH (a {id: $from}) MATCH (b {id: $to}) "
    "MATCH p = shortestPath((a)-[*..6]-(b)) RETURN p",
}


@pytest.fixture(scope="module")
def sample_results() -> dict[str, dict[str, Any]]:
    statements = [{"name": n, "text": t} for n, t in {**BAD, **GOOD}.items()]
    return {r["name"]: r for r in run_linter(statements)}


@pytest.mark.parametrize("name", sorted(BAD))
def test_linter_rejects_invalid_statement(
    name: str, sample_results: dict[str, dict[str, Any]]
) -> None:
    assert sample_results[name]["errors"], f"{name} should be rejected: {BAD[name]}"


@pytest.mark.parametrize("name", sorted(GOOD))
def test_linter_accepts_valid_statement(
    name: str, sample_results: dict[str, dict[str, Any]]
) -> None:
    assert not sample_results[name]["errors"], _format(sample_results[name]["errors"])


def test_linter_reports_errors_with_position(sample_results: dict[str, dict[str, Any]]) -> None:
    [error] = sample_results["broken_pattern"]["errors"]
    assert (error["line"], error["column"]) == (1, 10)  # at RETURN, where ')' was expected
    assert "Invalid input 'RETURN'" in error["message"]
    [error] = sample_results["unknown_function"]["errors"]
    assert "notAFunction" in error["message"]


def test_deprecation_is_a_warning_not_an_error() -> None:
    [result] = run_linter([{"name": "deprecated_id", "text": "MATCH (n) RETURN id(n) AS i"}])
    assert not result["errors"]
    assert any("deprecated" in w["message"] for w in result["warnings"])
