"""Root connections (paging, keyset cursors, filters, sort, totalCount), nodes and no N+1."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from test_api_support import codes, gql, make_app, ok, research_fixture

from kb.api.loaders import Loaders
from kb.config import Settings
from kb.model import Label, RelType
from kb.store.base import GraphStore
from kb.writer import GraphRows

N = 20


def wide_graph() -> GraphRows:
    """20 concepts, each invoked by 20 claims, each by its own speaker in its own document:
    8,000+ objects for the nested query below if resolved one by one."""
    g = GraphRows()
    for c in range(N):
        g.node(Label.CONCEPT, f"concept:c{c:02d}", name=f"concept {c:02d}",
               definition="d", aliases=[], aliases_text="")
        for k in range(N):
            claim, actor, doc = f"claim:c{c:02d}k{k:02d}", f"actor:a{c:02d}k{k:02d}", \
                f"document:d{k:02d}"
            passage = f"passage:p{c:02d}k{k:02d}"
            g.node(Label.DOCUMENT, doc, title=f"doc {k:02d}", format="plain",
                   published=f"2020-01-{k + 1:02d}")
            g.node(Label.PASSAGE, passage, text=f"sentence {c} {k}", start=0, end=10, index=c,
                   doc=doc)
            g.node(Label.ACTOR, actor, name=f"actor {c:02d} {k:02d}", type="Person",
                   aliases=[], aliases_text="")
            g.node(Label.CLAIM, claim, text=f"claim {c} {k}",
                   stance="supports" if k % 2 else "attacks", doc=doc, passage=passage,
                   quote="sentence", start=0, end=8, speaker=actor)
            g.edge(RelType.ASSERTS, Label.ACTOR, actor, Label.CLAIM, claim)
            g.edge(RelType.HAS_PASSAGE, Label.DOCUMENT, doc, Label.PASSAGE, passage, index=c)
            g.edge(RelType.EVIDENCED_BY, Label.CLAIM, claim, Label.PASSAGE, passage)
            g.edge(RelType.INVOKES, Label.CLAIM, claim, Label.CONCEPT, f"concept:c{c:02d}",
                   stance="supports" if k % 2 else "disputes")
    return g


@pytest.fixture
async def wide(store: GraphStore, settings: Settings) -> tuple[GraphStore, Starlette]:
    await store.write_batch(wide_graph().statements(store.dialect))
    store.round_trips.reset()
    return store, make_app(store, settings)


NESTED = """query Nested($n: Int!, $m: Int!) {
  concepts(first: $n) { edges { node { id name
    claims(first: $m) { id text stance
      speaker { id name }
      evidence { quote document { id title } } } } } } }"""


async def test_nested_query_takes_a_fixed_number_of_round_trips(wide: Any) -> None:
    """concepts -> claims -> speaker and evidence -> document: 1 page + 1 claims batch + 1
    by-id batch = 3 round trips, for 2 x 2 objects as for 20 x 20. (`evidence` is built from
    the claim's own properties, so speakers and documents are fetched in the same batch; the
    bound stated in kb.api.loaders would allow 4.)"""
    store, app = wide
    trips = {}
    for n in (2, N):
        store.round_trips.reset()
        data = ok(await gql(app, NESTED, {"n": n, "m": n}))
        trips[n] = store.round_trips.reset()
        concepts = data["concepts"]["edges"]
        assert len(concepts) == n
        assert all(len(e["node"]["claims"]) == n for e in concepts)
        claim = concepts[-1]["node"]["claims"][-1]
        assert claim["speaker"]["name"].startswith("actor")
        assert claim["evidence"]["document"]["title"].startswith("doc")
    assert trips[2] == trips[N] == 3, trips


NESTED_FRAGMENTS = """query($n: Int, $m: Int) {
  concepts(first: $n) { edges { node { id name claims(first: $m) { ...said } } } } }
fragment said on Claim { id text stance ... on Claim { speaker { id name } }
  evidence { quote ...where } }
fragment where on Evidence { document { id title } }"""


async def test_claims_fetch_what_their_selection_needs_also_through_fragments(
        wide: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The look-ahead that fetches speakers and documents with a claim list sees through named
    and inline fragments (same answer, same 3 round trips), and fetches nothing more when the
    selection does not ask for them (2 round trips)."""
    store, app = wide
    asked: list[tuple[str, ...]] = []
    real = Loaders.prefetch

    async def spy(self: Loaders, props: Any, keys: Any) -> None:
        asked.append(tuple(keys))
        await real(self, props, keys)

    monkeypatch.setattr(Loaders, "prefetch", spy)
    inline = ok(await gql(app, NESTED, {"n": 5, "m": 5}))
    assert asked == [("doc", "speaker")]
    store.round_trips.reset()
    fragments = ok(await gql(app, NESTED_FRAGMENTS, {"n": 5, "m": 5}))
    assert store.round_trips.reset() == 3
    assert fragments == inline
    assert asked == [("doc", "speaker")] * 2
    ok(await gql(app, "{ concepts(first: 5) { edges { node { claims(first: 5) { id } } } } }"))
    assert store.round_trips.reset() == 2


async def test_total_count_only_when_selected(wide: Any) -> None:
    store, app = wide
    ok(await gql(app, "{ concepts(first: 5) { edges { node { id } } } }"))
    assert store.round_trips.reset() == 1
    data = ok(await gql(app, "{ concepts(first: 5) { totalCount } }"))
    assert store.round_trips.reset() == 2
    assert data["concepts"]["totalCount"] == N


async def test_forward_and_backward_keyset_paging(wide: Any) -> None:
    _, app = wide
    q = """query($first: Int, $after: String, $last: Int, $before: String) {
      concepts(first: $first, after: $after, last: $last, before: $before,
               sort: {field: NAME, direction: DESC}) {
        edges { cursor node { name } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = ok(await gql(app, q, {"first": 6, "after": after}))["concepts"]
        seen += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted((f"concept {c:02d}" for c in range(N)), reverse=True)
    back = ok(await gql(app, q, {"last": 3, "before": after}))["concepts"]
    end = seen.index("concept 02")  # the cursor of the third page's last edge
    assert [e["node"]["name"] for e in back["edges"]] == seen[end - 3:end]
    assert back["pageInfo"]["hasPreviousPage"] is True


async def test_cursor_is_stable_while_data_is_added(wide: Any) -> None:
    store, app = wide
    q = """query($after: String) { concepts(first: 3, after: $after) {
      edges { node { id } } pageInfo { endCursor } } }"""
    first = ok(await gql(app, q))["concepts"]
    g = GraphRows()
    g.node(Label.CONCEPT, "concept:a-new-one", name="new", aliases=[], aliases_text="")
    await store.write_batch(g.statements(store.dialect))
    second = ok(await gql(app, q, {"after": first["pageInfo"]["endCursor"]}))["concepts"]
    assert [e["node"]["id"] for e in second["edges"]] == ["concept:c03", "concept:c04",
                                                          "concept:c05"]


async def test_claim_filters_speaker_stance_concept_document_dates(wide: Any) -> None:
    _, app = wide
    q = """query($where: ClaimWhere) { claims(first: 100, where: $where) {
      totalCount edges { node { id stance } } } }"""

    async def count(where: dict[str, Any]) -> int:
        return ok(await gql(app, q, {"where": where}))["claims"]["totalCount"]

    assert await count({"speaker": {"name": {"eq": "actor 03 04"}}}) == 1
    assert await count({"stance": {"eq": "SUPPORTS"}}) == N * N // 2
    assert await count({"concept": {"id": {"in": ["concept:c01", "concept:c02"]}}}) == 2 * N
    assert await count({"document": {"published": {"gte": "2020-01-05",
                                                   "lt": "2020-01-07"}}}) == 2 * N
    assert await count({"AND": [{"concept": {"name": {"contains": "CONCEPT 01"}}},
                                {"NOT": {"stance": {"eq": "SUPPORTS"}}}]}) == N // 2
    assert await count({"OR": [{"id": {"eq": "claim:c00k00"}},
                               {"text": {"startsWith": "claim 19 1"}}]}) == 1 + 11


async def test_bad_input_gets_a_clear_error(wide: Any) -> None:
    _, app = wide
    cases = {
        "{ concepts(first: 101) { edges { cursor } } }": "BAD_USER_INPUT",
        "{ concepts(first: 1, last: 1) { edges { cursor } } }": "BAD_USER_INPUT",
        '{ concepts(after: "garbage!") { edges { cursor } } }': "BAD_CURSOR",
        '{ node(id: "no-prefix") { id } }': "BAD_USER_INPUT",
        '{ neighborhood(id: "actor:x", depth: 4) { truncated } }': "BAD_USER_INPUT",
        '{ claims(where: {concept_ALL: {invokedBy: {}}}) { totalCount } }': "BAD_USER_INPUT",
        '{ claims(where: {concept: {invokedBy: {}, NOT: {invokedBy: {}}}}) { totalCount } }':
            "BAD_USER_INPUT",
        '{ timeline(from: "not a date") { id } }': "GRAPHQL_VALIDATION_FAILED",
        "{ concepts { nope } }": "GRAPHQL_VALIDATION_FAILED",
    }
    result = await gql(app, "query($d: Date) { timeline(from: $d) { id } }", {"d": "2020-13-01"})
    assert codes(result) == ["BAD_USER_INPUT"], result
    for query, code in cases.items():
        result = await gql(app, query)
        assert codes(result) == [code], (query, result)
        message = result["errors"][0]["message"]
        assert "Traceback" not in message and "MATCH" not in message


async def test_node_and_nodes_by_global_id(wide: Any) -> None:
    store, app = wide
    data = ok(await gql(app, """{ node(id: "claim:c01k02") { id ... on Claim { text } }
      nodes(ids: ["actor:a01k02", "concept:c03", "document:d04", "actor:missing"]) {
        __typename id } }"""))
    assert data["node"] == {"id": "claim:c01k02", "text": "claim 1 2"}
    assert [n and n["__typename"] for n in data["nodes"]] == ["Actor", "Concept", "Document",
                                                              None]
    assert store.round_trips.reset() == 1  # node and nodes share one batched lookup


async def test_search_returns_scored_hits(wide: Any) -> None:
    _, app = wide
    data = ok(await gql(app, """{ search(text: "concept", labels: [CONCEPT], first: 5) {
      score node { __typename id } } }"""))
    hits = data["search"]
    assert len(hits) == 5 and all(h["node"]["__typename"] == "Concept" for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


async def test_stats(wide: Any) -> None:
    _, app = wide
    data = ok(await gql(app, "{ stats { totalNodes nodes { label count } } }"))
    counts = {c["label"]: c["count"] for c in data["stats"]["nodes"]}
    assert counts["Concept"] == N and counts["Claim"] == N * N


@pytest.fixture
async def research_app(store: GraphStore, settings: Settings) -> Starlette:
    await store.write_batch(research_fixture().statements(store.dialect))
    return make_app(store, settings)


@pytest.mark.parametrize(("field", "selection"), [
    ("attacks", "attacks { id }"), ("attackedBy", "attackedBy { id }"),
    ("precedent", "precedents { treatment }"), ("speaker", "speaker { id }"),
])
async def test_has_some_relationship_filter(research_app: Starlette, field: str,
                                            selection: str) -> None:
    """`where: {attacks: {}}` ("has some", compiled to a degree test) keeps exactly the claims
    with at least one such relationship, as a condition on the far end does."""
    q = ("query($w: ClaimWhere) { claims(first: 100, where: $w) { edges { node { id "
         + selection + " } } } }")
    related = selection.split()[0]
    every = ok(await gql(research_app, q))["claims"]["edges"]
    expected = sorted(e["node"]["id"] for e in every if e["node"][related])
    some = ok(await gql(research_app, q, {"w": {field: {}}}))["claims"]["edges"]
    spelled = ok(await gql(research_app, q, {"w": {field: {"id": {"startsWith": ""}}}}))
    assert expected and (len(expected) < len(every) or field == "speaker")
    assert sorted(e["node"]["id"] for e in some) == expected
    assert sorted(e["node"]["id"] for e in spelled["claims"]["edges"]) == expected
