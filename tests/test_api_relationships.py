"""Relationship connections (edges with properties, where on node and edge, multi-key sort,
aggregate), signed cursors, and the filter semantics: nested relationship filters,
quantifiers, isNull, list operators, `OR: []`, case-insensitive sort with nulls last.

Run on the research graph (the seeds) through Starlette's test client, on both stores.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from test_api_connections import N, wide_graph
from test_api_support import codes, gql, load_research_graph, make_app, ok

from kb.config import Settings
from kb.store.base import GraphStore

YAMAMOTO = "precedent:yamamoto-shoot-down-1943"
STRIKE = "event:strike-qasem-soleimani-2020-01-03"


@pytest.fixture
async def research(store: GraphStore, settings: Settings) -> tuple[GraphStore, Starlette]:
    await load_research_graph(store)
    return store, make_app(store, settings)


CITED_BY = """query($id: ID!, $w: PrecedentCitedByWhere, $s: [ClaimConnectionSort!],
                    $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) { ... on Precedent {
    citedByConnection(where: $w, sort: $s, first: $first, after: $after, last: $last,
                      before: $before) {
      totalCount aggregate { count }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor properties { treatment documents } node { id speaker { name } } } } } } }"""


async def cited_by(app: Starlette, **variables: Any) -> dict[str, Any]:
    return ok(await gql(app, CITED_BY, {"id": YAMAMOTO, **variables}))["node"]["citedByConnection"]


async def test_cited_by_connection_carries_and_filters_the_treatment(research: Any) -> None:
    _, app = research
    every = await cited_by(app)
    assert every["totalCount"] == every["aggregate"]["count"] == len(every["edges"]) >= 1
    treatments = {e["properties"]["treatment"] for e in every["edges"]}
    assert "DISTINGUISHES" in treatments
    assert all(e["properties"]["documents"] for e in every["edges"])
    kept = await cited_by(app, w={"edge": {"treatment": {"eq": "DISTINGUISHES"}}})
    assert {e["properties"]["treatment"] for e in kept["edges"]} == {"DISTINGUISHES"}
    assert kept["totalCount"] == sum(
        e["properties"]["treatment"] == "DISTINGUISHES" for e in every["edges"]
    )
    assert "Anthony Dworkin" in {e["node"]["speaker"]["name"] for e in kept["edges"]}
    none = await cited_by(
        app,
        w={
            "edge": {"treatment": {"eq": "ANALOGIZES"}},
            "node": {"speaker": {"name": {"eq": "Anthony Dworkin"}}},
        },
    )
    assert none["totalCount"] == 0 and none["edges"] == []
    either = await cited_by(
        app,
        w={
            "OR": [
                {"edge": {"treatment": {"eq": "DISTINGUISHES"}}},
                {"node": {"stance": {"eq": "SUPPORTS"}}},
            ]
        },
    )
    assert either["totalCount"] >= kept["totalCount"]


async def test_participants_are_one_edge_per_fact_with_role_and_documents(research: Any) -> None:
    """Trump ordered the strike in several documents: one edge, its documents listed."""
    _, app = research
    q = """query($id: ID!, $w: EventParticipantsWhere, $s: [ActorConnectionSort!]) {
      node(id: $id) { ... on Event { participantsConnection(where: $w, sort: $s) {
        totalCount edges { properties { role documents } node { name } } } } } }"""
    sort = [{"edge": "ASC"}, {"node": {"field": "NAME", "direction": "DESC"}}]
    conn = ok(await gql(app, q, {"id": STRIKE, "s": sort}))["node"]["participantsConnection"]
    pairs = [(e["properties"]["role"], e["node"]["name"]) for e in conn["edges"]]
    assert len(pairs) == len(set(pairs)) == conn["totalCount"]
    assert ("ordered", "Donald Trump") in pairs and len(pairs) >= 3
    expected = sorted(pairs, key=lambda p: p[1].lower(), reverse=True)
    expected.sort(key=lambda p: p[0])
    assert pairs == expected
    for e in conn["edges"]:
        docs = e["properties"]["documents"]
        assert docs and len(docs) == len(set(docs))
    ordered = ok(await gql(app, q, {"id": STRIKE, "w": {"edge": {"role": {"eq": "ordered"}}}}))
    names = [e["node"]["name"] for e in ordered["node"]["participantsConnection"]["edges"]]
    assert names == ["Donald Trump"]


async def test_relationship_connection_pages_forward_and_back(research: Any) -> None:
    _, app = research
    q = """query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      node(id: $id) { ... on Concept { claimsConnection(first: $first, after: $after,
        last: $last, before: $before, sort: [{node: {field: ID}}]) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
        edges { cursor node { id } properties { stance } } } } } }"""
    concept = "concept:imminent-threat"

    async def page(**v: Any) -> dict[str, Any]:
        return ok(await gql(app, q, {"id": concept, **v}))["node"]["claimsConnection"]

    every = await page(first=100)
    ids = [e["node"]["id"] for e in every["edges"]]
    assert ids == sorted(ids) and len(ids) >= 3
    seen: list[str] = []
    after = None
    while True:
        p = await page(first=1, after=after)
        seen += [e["node"]["id"] for e in p["edges"]]
        assert p["pageInfo"]["hasPreviousPage"] is (after is not None)
        after = p["pageInfo"]["endCursor"]
        if not p["pageInfo"]["hasNextPage"]:
            break
    assert seen == ids
    back = await page(last=2, before=after)
    assert [e["node"]["id"] for e in back["edges"]] == ids[-3:-1]
    tail = await page(last=2)
    assert [e["node"]["id"] for e in tail["edges"]] == ids[-2:]
    assert tail["pageInfo"]["hasPreviousPage"] is True


async def test_cursors_are_refused_by_another_connection_sort_or_filter(research: Any) -> None:
    _, app = research
    page = await cited_by(app, first=1)
    cursor = page["pageInfo"]["endCursor"]
    assert (await cited_by(app, first=1, after=cursor))["edges"]
    other_sort = await gql(
        app, CITED_BY, {"id": YAMAMOTO, "after": cursor, "s": [{"node": {"field": "SPEAKER"}}]}
    )
    other_filter = await gql(
        app,
        CITED_BY,
        {"id": YAMAMOTO, "after": cursor, "w": {"node": {"stance": {"eq": "ATTACKS"}}}},
    )
    assert codes(other_sort) == codes(other_filter) == ["BAD_CURSOR"]
    actors = ok(await gql(app, "{ actors(first: 1) { pageInfo { endCursor } } }"))
    actor_cursor = actors["actors"]["pageInfo"]["endCursor"]
    q = "query($a: String) { claims(first: 1, after: $a) { edges { cursor } } }"
    assert codes(await gql(app, q, {"a": actor_cursor})) == ["BAD_CURSOR"]
    q = (
        "query($a: String) { actors(first: 1, after: $a, sort: {field: NAME}) "
        "{ edges { cursor } } }"
    )
    assert codes(await gql(app, q, {"a": actor_cursor})) == ["BAD_CURSOR"]
    q = "query($a: String) { actors(first: 1, after: $a) { edges { node { id } } } }"
    assert ok(await gql(app, q, {"a": actor_cursor}))["actors"]["edges"]
    assert codes(await cited_by_raw(app, after=actor_cursor)) == ["BAD_CURSOR"]
    result = await gql(app, CITED_BY, {"id": YAMAMOTO, "after": cursor[:-4] + "AAAA"})
    assert codes(result) == ["BAD_CURSOR"]
    assert "cursor" in result["errors"][0]["message"]


async def cited_by_raw(app: Starlette, **variables: Any) -> dict[str, Any]:
    return await gql(app, CITED_BY, {"id": YAMAMOTO, **variables})


CLAIMS = """query($w: ClaimWhere) { claims(first: 100, where: $w) { totalCount
  edges { node { id } } } }"""


async def total(app: Starlette, query: str, where: Any) -> int:
    data = ok(await gql(app, query, {"w": where}))
    return next(iter(data.values()))["totalCount"]


async def test_nested_relationship_filter_concepts_invoked_by_claims_of_a_speaker(
    research: Any,
) -> None:
    """ "Concepts invoked by claims of Trump": a chain of two relationship filters."""
    _, app = research
    q = """query($w: ConceptWhere) { concepts(first: 100, where: $w) { totalCount
      edges { node { id claims(first: 100) { speaker { name } } } } } }"""
    where = {"invokedBy": {"speaker": {"name": {"contains": "trump"}}}}
    data = ok(await gql(app, q, {"w": where}))["concepts"]
    found = {e["node"]["id"] for e in data["edges"]}
    assert "concept:imminent-threat" in found
    every = ok(await gql(app, q))["concepts"]["edges"]
    expected = {
        e["node"]["id"]
        for e in every
        if any("Trump" in (c["speaker"] or {}).get("name", "") for c in e["node"]["claims"])
    }
    assert found == expected
    none = await total(app, q, {"invokedBy_NONE": {"speaker": {"name": {"contains": "trump"}}}})
    assert none == len(every) - len(found)
    branching = await gql(app, q, {"w": {"invokedBy": {"speaker": {}, "document": {}}}})
    assert codes(branching) == ["BAD_USER_INPUT"]
    assert "chain" in branching["errors"][0]["message"]


async def test_quantifiers_some_none_all_single(research: Any) -> None:
    _, app = research
    every = await total(app, CLAIMS, None)
    some = await total(app, CLAIMS, {"concept": {}})
    none = await total(app, CLAIMS, {"concept_NONE": {}})
    assert some + none == every and 0 < some < every
    imminent = {"id": {"eq": "concept:imminent-threat"}}
    with_it = await total(app, CLAIMS, {"concept": imminent})
    without = await total(app, CLAIMS, {"concept_NONE": imminent})
    assert with_it + without == every
    only = await total(app, CLAIMS, {"concept_ALL": imminent, "concept": {}})
    single = await total(app, CLAIMS, {"concept_SINGLE": {}})
    assert 0 < only <= with_it and 0 < single <= some
    q = """{ events(first: 100, where: {participant_SINGLE: {}}) {
      edges { node { participants { actor { id } } } } } }"""
    for e in ok(await gql(app, q))["events"]["edges"]:
        assert len({p["actor"]["id"] for p in e["node"]["participants"]}) == 1


async def test_is_null_and_explicit_null(research: Any) -> None:
    _, app = research
    q = """query($w: EventWhere) { events(first: 100, where: $w) { totalCount
      edges { node { date } } } }"""
    every = await total(app, q, None)
    undated = ok(await gql(app, q, {"w": {"date": {"isNull": True}}}))["events"]
    dated = ok(await gql(app, q, {"w": {"date": {"isNull": False}}}))["events"]
    assert undated["totalCount"] + dated["totalCount"] == every
    assert all(e["node"]["date"] is None for e in undated["edges"])
    assert all(e["node"]["date"] for e in dated["edges"])
    refused = await gql(app, q, {"w": {"date": {"eq": None}}})
    assert codes(refused) == ["BAD_USER_INPUT"] and "isNull" in refused["errors"][0]["message"]


async def test_alias_operators_apply_to_each_alias(research: Any) -> None:
    _, app = research
    q = """query($w: ActorWhere) { actors(first: 100, where: $w) { totalCount
      edges { node { name aliases } } } }"""
    for op in ("eq", "includes"):
        data = ok(await gql(app, q, {"w": {"aliases": {op: "Trump"}}}))["actors"]
        assert [e["node"]["name"] for e in data["edges"]] == ["Donald Trump"]
    ends = ok(await gql(app, q, {"w": {"aliases": {"endsWith": "trump"}}}))["actors"]["edges"]
    assert all(any(a.lower().endswith("trump") for a in e["node"]["aliases"]) for e in ends)
    assert "Donald Trump" in [e["node"]["name"] for e in ends]
    assert await total(app, q, {"aliases": {"eq": "Trum"}}) == 0


async def test_empty_or_matches_nothing_and_or_of_empty_matches_everything(research: Any) -> None:
    _, app = research
    every = await total(app, CLAIMS, None)
    assert await total(app, CLAIMS, {"OR": []}) == 0
    assert await total(app, CLAIMS, {"OR": [{}]}) == every
    assert await total(app, CLAIMS, {"AND": []}) == every
    assert await total(app, CLAIMS, {"NOT": {"OR": []}}) == every


async def test_sort_ignores_case_and_puts_missing_values_last(research: Any) -> None:
    _, app = research
    q = """query($d: SortDirection!) { actors(first: 100, sort: {field: NAME, direction: $d}) {
      edges { node { name } } } }"""
    names = [e["node"]["name"] for e in ok(await gql(app, q, {"d": "ASC"}))["actors"]["edges"]]
    assert names == sorted(names, key=str.lower)
    q = """query($d: SortDirection!) { events(first: 100, sort: {field: DATE, direction: $d}) {
      edges { node { date } } } }"""
    dates = [e["node"]["date"] for e in ok(await gql(app, q, {"d": "ASC"}))["events"]["edges"]]
    present = [d for d in dates if d]
    assert present and dates == present + [None] * (len(dates) - len(present))
    desc = [e["node"]["date"] for e in ok(await gql(app, q, {"d": "DESC"}))["events"]["edges"]]
    assert desc == [None] * (len(dates) - len(present)) + sorted(present, reverse=True)


@pytest.fixture
async def wide(store: GraphStore, settings: Settings) -> tuple[GraphStore, Starlette]:
    await store.write_batch(wide_graph().statements(store.dialect))
    store.round_trips.reset()
    return store, make_app(store, settings)


async def test_one_statement_per_connection_page_for_all_parents(wide: Any) -> None:
    """20 concepts, each with a claims connection page, speakers included: 3 round trips (the
    concepts, one page statement for every parent with their totals, the speakers)."""
    store, app = wide
    q = """{ concepts(first: 20) { edges { node { id
      claimsConnection(first: 3, where: {edge: {stance: {eq: SUPPORTS}}},
                       sort: [{node: {field: SPEAKER, direction: DESC}}]) {
        totalCount aggregate { count } edges { properties { stance } node { speaker { name } } }
      } } } } }"""
    data = ok(await gql(app, q))
    assert store.round_trips.reset() == 3
    for edge in data["concepts"]["edges"]:
        conn = edge["node"]["claimsConnection"]
        assert conn["totalCount"] == conn["aggregate"]["count"] == N // 2
        assert {e["properties"]["stance"] for e in conn["edges"]} == {"SUPPORTS"}
        speakers = [e["node"]["speaker"]["name"] for e in conn["edges"]]
        assert len(speakers) == 3 and speakers == sorted(speakers, reverse=True)


async def test_root_connections_sort_by_several_keys_and_page_both_ways(research: Any) -> None:
    _, app = research
    q = """query($first: Int, $after: String, $last: Int, $before: String) {
      actors(first: $first, after: $after, last: $last, before: $before,
             sort: [{field: TYPE}, {field: NAME, direction: DESC}]) {
        edges { node { id name type } } pageInfo { hasNextPage endCursor } } }"""
    every = ok(await gql(app, q, {"first": 100}))["actors"]["edges"]
    rows = [(e["node"]["type"] or "", e["node"]["name"].lower()) for e in every]
    expected = sorted(rows, key=lambda r: r[1], reverse=True)
    expected.sort(key=lambda r: r[0])
    assert rows == expected and len(rows) > 6
    seen: list[str] = []
    after = None
    while True:
        page = ok(await gql(app, q, {"first": 4, "after": after}))["actors"]
        seen += [e["node"]["id"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert seen == [e["node"]["id"] for e in every]
    middle = ok(await gql(app, q, {"first": 5}))["actors"]["pageInfo"]["endCursor"]
    back = ok(await gql(app, q, {"last": 3, "before": middle}))["actors"]["edges"]
    assert [e["node"]["id"] for e in back] == seen[1:4]
    one_key = (
        "query($a: String) { actors(first: 2, after: $a, sort: {field: TYPE}) { totalCount } }"
    )
    assert codes(await gql(app, one_key, {"a": middle})) == ["BAD_CURSOR"]
