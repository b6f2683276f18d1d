"""Paths and neighbourhoods narrowed the way a researcher narrows them: by relationship type, by
the labels a path may pass through, several shortest paths at once; on the research graph,
on both stores. Also the cost estimate of a relationship connection asked for without a size."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from graphql import parse
from starlette.applications import Starlette
from test_api_support import codes, gql, load_research_graph, make_app, ok

from kb.api.limits import DEFAULT_PAGE, operation_cost
from kb.api.schema import schema
from kb.config import Settings
from kb.store.base import GraphStore

YAMAMOTO = "precedent:yamamoto-shoot-down-1943"
SOLEIMANI = "actor:qasem-soleimani"

PATHS = """query($from: ID!, $to: ID!, $first: Int!, $types: [RelationshipType!],
                 $labels: [NodeLabel!], $hops: Int! = 6) {
  paths(from: $from, to: $to, first: $first, relTypes: $types, labels: $labels,
        maxHops: $hops) {
    nodes { id label } edges { id source target type }
  }
}"""

PATH = """query($from: ID!, $to: ID!, $types: [RelationshipType!], $labels: [NodeLabel!]) {
  path(from: $from, to: $to, maxHops: 6, relTypes: $types, labels: $labels) {
    nodes { id label } edges { id source target type }
  }
}"""


@pytest.fixture
async def app(store: GraphStore, settings: Settings) -> Starlette:
    await load_research_graph(store)
    return make_app(store, settings)


async def strike(app: Starlette) -> str:
    data = ok(await gql(app, """{ events(where: {date: {eq: "2020-01-03"},
        participant: {id: {eq: "actor:qasem-soleimani"}}}) { nodes { id } } }"""))
    return str(data["events"]["nodes"][0]["id"])


def assert_chain(graph: dict[str, Any], source: str, target: str) -> list[str]:
    """The graph is one path from source to target, each edge joining consecutive nodes."""
    nodes = [n["id"] for n in graph["nodes"]]
    assert nodes[0] == source and nodes[-1] == target
    assert len(graph["edges"]) == len(nodes) - 1 and len(set(nodes)) == len(nodes)
    for edge, (a, b) in zip(graph["edges"], itertools.pairwise(nodes), strict=True):
        assert {edge["source"], edge["target"]} == {a, b}
    return nodes


async def test_several_shortest_paths_all_of_the_same_length(app: Starlette) -> None:
    target = await strike(app)
    one = ok(await gql(app, PATH, {"from": YAMAMOTO, "to": target}))["path"]
    found = ok(await gql(app, PATHS, {"from": YAMAMOTO, "to": target, "first": 10}))["paths"]
    assert len(found) >= 2  # the seeds' precedent reaches the strike in several ways
    chains = [assert_chain(g, YAMAMOTO, target) for g in found]
    assert {len(c) for c in chains} == {len(one["nodes"])}
    assert chains == sorted(chains) and len({tuple(c) for c in chains}) == len(chains)
    assert not [n for g in found for n in g["nodes"] if n["label"] == "Passage"]
    fewer = ok(await gql(app, PATHS, {"from": YAMAMOTO, "to": target, "first": 1}))["paths"]
    assert len(fewer) == 1 and assert_chain(fewer[0], YAMAMOTO, target) in chains


async def test_relationship_types_bound_the_path(app: Starlette) -> None:
    target = await strike(app)
    free = ok(await gql(app, PATH, {"from": YAMAMOTO, "to": target}))["path"]
    used = sorted({e["type"] for e in free["edges"]})
    typed = ok(await gql(app, PATH, {"from": YAMAMOTO, "to": target, "types": used}))["path"]
    assert {e["type"] for e in typed["edges"]} <= set(used)
    assert len(typed["edges"]) == len(free["edges"])
    # without the citation edge the precedent has no way out of its own claims' citations
    narrow = ["CITES_PRECEDENT"]
    only = ok(await gql(app, PATHS, {"from": YAMAMOTO, "to": target, "first": 3,
                                     "types": narrow}))["paths"]
    assert only == []  # a precedent and an event are never joined by citations alone
    other = [t for t in used if t != "CITES_PRECEDENT"]
    assert ok(await gql(app, PATH, {"from": YAMAMOTO, "to": target,
                                    "types": other}))["path"] is None


async def test_labels_bound_the_nodes_between_the_ends(app: Starlette) -> None:
    target = await strike(app)
    between = ["CLAIM", "ACTOR", "CONCEPT"]
    found = ok(await gql(app, PATHS, {"from": YAMAMOTO, "to": target, "first": 5,
                                      "labels": between}))["paths"]
    assert found
    for g in found:
        assert_chain(g, YAMAMOTO, target)
        assert {n["label"].upper() for n in g["nodes"][1:-1]} <= set(between)
    claims_only = ok(await gql(app, PATHS, {"from": YAMAMOTO, "to": target, "first": 5,
                                            "labels": ["CLAIM"], "hops": 2}))["paths"]
    for g in claims_only:
        assert {n["label"] for n in g["nodes"][1:-1]} <= {"Claim"}


async def test_paths_refuse_unknown_ends_and_bad_sizes(app: Starlette) -> None:
    target = await strike(app)
    missing = await gql(app, PATHS, {"from": "actor:nobody-at-all", "to": target, "first": 2})
    assert codes(missing) == ["NOT_FOUND"]
    for first in (0, 11):
        result = await gql(app, PATHS, {"from": YAMAMOTO, "to": target, "first": first})
        assert codes(result) == ["BAD_USER_INPUT"], first
    assert codes(await gql(app, PATHS, {"from": "no-such-id", "to": target, "first": 1})) == [
        "BAD_USER_INPUT"]


async def test_neighbourhood_reaches_only_the_labels_asked_for(app: Starlette) -> None:
    query = ("query($labels: [NodeLabel!]) { neighborhood(id: \"" + YAMAMOTO + "\", depth: 2, "
             "maxNodes: 200, labels: $labels) { nodes { id label } edges { source target } } }")
    free = ok(await gql(app, query))["neighborhood"]
    narrowed = ok(await gql(app, query, {"labels": ["CLAIM", "ACTOR"]}))["neighborhood"]
    labels = {n["label"] for n in narrowed["nodes"] if n["id"] != YAMAMOTO}
    assert labels and labels <= {"Claim", "Actor"}
    assert {n["label"] for n in free["nodes"]} - {"Claim", "Actor", "Precedent"}
    ids = {n["id"] for n in narrowed["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in narrowed["edges"])


def test_a_connection_without_a_size_costs_its_default_page() -> None:
    def cost(args: str) -> int:
        text = ("{ concepts(first: 100) { edges { node { claimsConnection" + args
                + " { edges { node { speaker { id } } } } } } } }")
        return operation_cost(schema._schema, parse(text), None, None)

    assert cost("") == cost(f"(first: {DEFAULT_PAGE})") > cost("(first: 1)")
