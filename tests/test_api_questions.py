"""The research questions of DESIGN.md, as the operations in graphql/queries/, answered right.

Each operation runs over HTTP against the research graph (the seeds through the loaders, or the
fixture mirroring them; see test_api_support). The last test measures round trips and latency
of every operation and asserts the round-trip bound; run it with `-s` to see the table.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from test_api_support import gql, graph_source, load_research_graph, make_app, ok

from kb.config import Settings
from kb.store.base import GraphStore

QUERIES = Path(__file__).resolve().parents[1] / "graphql" / "queries"
OPERATIONS = sorted(p.name for p in QUERIES.glob("*.graphql"))


def operation(name: str) -> str:
    return (QUERIES / name).read_text()


@pytest.fixture
async def research(store: GraphStore, settings: Settings) -> tuple[GraphStore, Starlette]:
    await load_research_graph(store)
    return store, make_app(store, settings)


async def run(app: Starlette, name: str, variables: dict[str, Any] | None = None) -> Any:
    return ok(await gql(app, operation(name), variables))


def test_one_operation_per_research_question() -> None:
    assert len(OPERATIONS) == 11


async def test_precedents_yamamoto_distinguished_in_just_security_essay(research: Any) -> None:
    _, app = research
    data = await run(app, "1_precedents_in_debate.graphql")
    precedents = {e["node"]["id"]: e["node"] for e in data["precedents"]["edges"]}
    yamamoto = precedents["precedent:yamamoto-shoot-down-1943"]
    treatments = {(c["treatment"], c["claim"]["evidence"]["document"]["title"])
                  for c in yamamoto["citedBy"]}
    assert any(t == "DISTINGUISHES" and "Novel Shift" in title for t, title in treatments)
    assert "precedent:bombing-of-libya-1986" in precedents
    dates = [e["node"]["date"] for e in data["precedents"]["edges"] if e["node"]["date"]]
    assert dates == sorted(dates)
    assert data["precedents"]["totalCount"] == len(precedents)


async def test_imminent_threat_claims_with_speaker_sentence_stance(research: Any) -> None:
    _, app = research
    data = await run(app, "2_imminent_threat_claims.graphql")
    [concept] = [e["node"] for e in data["concepts"]["edges"]]
    claims = concept["claims"]
    assert claims
    assert any(c["speaker"] and c["speaker"]["name"] == "Donald Trump"
               and c["stance"] == "SUPPORTS" for c in claims)
    for c in claims:  # provenance: the quote is in the sentence, the sentence in a document
        assert c["evidence"]["quote"] in c["evidence"]["passage"]["text"]
        assert c["evidence"]["document"]["title"]
        assert c["stance"] in {"SUPPORTS", "ATTACKS", "NEUTRAL"}


async def test_article51_who_argued_who_disputed_and_contradictions(research: Any) -> None:
    _, app = research
    data = await run(app, "3_article51_self_defense.graphql")
    [concept] = [
        e["node"] for e in data["concepts"]["edges"]
        if e["node"]["id"] == "concept:self-defense-article-51"
    ]
    assert {c["speaker"]["name"] for c in concept["argued"]} & {"Mark Esper",
                                                                 "Trump administration"}
    for claim in concept["disputed"]:
        assert claim["speaker"] is None or claim["speaker"]["name"] != "Mark Esper"
    pairs = [(e["node"], target) for e in data["contradictions"]["edges"]
             for target in e["node"]["attacks"]]
    assert any("didn't see" in a["text"] and "four" in b["text"] and "embassies" in b["text"]
               for a, b in pairs), pairs


async def test_timeline_rocket_attack_before_strike(research: Any) -> None:
    _, app = research
    events = (await run(app, "4_timeline.graphql"))["timeline"]
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    rocket = next(i for i, e in enumerate(events)
                  if e["date"] == "2019-12-27" and "rocket" in e["name"].lower())
    strike = next(i for i, e in enumerate(events)
                  if e["date"] == "2020-01-03"
                  and any(p["actor"]["id"] == "actor:qasem-soleimani"
                          for p in e["participants"]))
    assert rocket < strike
    assert any(p["actor"]["name"] == "Kataib Hezbollah" for p in events[rocket]["participants"])
    # the strike is reported by all three documents; each participant is listed once
    pairs = [(p["role"], p["actor"]["id"]) for p in events[strike]["participants"]]
    assert len(pairs) == len(set(pairs))


async def test_soleimani_two_hop_neighborhood(research: Any) -> None:
    _, app = research
    graph = (await run(app, "5_actor_neighborhood.graphql"))["neighborhood"]
    ids = {n["id"] for n in graph["nodes"]}
    assert "actor:kataib-hezbollah" in ids
    assert any(n["label"] == "Event" and "strike" in n["name"].lower() for n in graph["nodes"])
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    assert graph["truncated"] is False


async def test_claim_facets_dashboard(research: Any) -> None:
    _, app = research
    facets = (await run(app, "7_claim_facets.graphql"))["claimFacets"]
    speakers = {g["label"]: g["count"] for g in facets["bySpeaker"]}
    assert speakers["Anthony Dworkin"] > speakers.get("Mark Esper", 0) > 0
    assert {g["key"] for g in facets["byStance"]} <= {"supports", "attacks", "neutral"}
    assert "DISTINGUISHES".lower() in {g["key"] for g in facets["byTreatment"]}
    assert any(g["key"] == "precedent:yamamoto-shoot-down-1943" for g in facets["byPrecedent"])
    assert {g["key"] for g in facets["byMonth"]} == {"2020-01"}


async def strike_id(app: Starlette) -> str:
    data = ok(await gql(app, """{ events(where: {date: {eq: "2020-01-03"},
        participant: {id: {eq: "actor:qasem-soleimani"}}}) { nodes { id name } } }"""))
    [event] = data["events"]["nodes"]
    return event["id"]


async def test_path_from_yamamoto_to_the_strike(research: Any) -> None:
    _, app = research
    target = await strike_id(app)
    graph = (await run(app, "6_path_yamamoto_soleimani.graphql", {"to": target}))["path"]
    nodes = [n["id"] for n in graph["nodes"]]
    assert nodes[0] == "precedent:yamamoto-shoot-down-1943" and nodes[-1] == target
    assert len(graph["edges"]) == len(nodes) - 1 <= 6
    # the argument path: through claims and entities, never a sentence that names both
    assert not [n for n in graph["nodes"] if n["label"] == "Passage"]
    assert "CITES_PRECEDENT" in {e["type"] for e in graph["edges"]}
    for edge, (a, b) in zip(graph["edges"], itertools.pairwise(nodes), strict=True):
        assert {edge["source"], edge["target"]} == {a, b}


async def test_claims_distinguishing_a_precedent_with_treatment_on_the_edge(research: Any
                                                                           ) -> None:
    _, app = research
    data = await run(app, "8_distinguished_precedents.graphql")
    precedents = {e["node"]["id"]: e["node"] for e in data["precedents"]["edges"]}
    yamamoto = precedents["precedent:yamamoto-shoot-down-1943"]["citedByConnection"]
    assert yamamoto["totalCount"] == len(yamamoto["edges"]) >= 1
    assert "Anthony Dworkin" in {e["node"]["speaker"]["name"] for e in yamamoto["edges"]}
    for p in precedents.values():
        conn = p["citedByConnection"]
        assert {e["properties"]["treatment"] for e in conn["edges"]} <= {"DISTINGUISHES"}
        assert all(e["properties"]["documents"] for e in conn["edges"])
        speakers = [e["node"]["speaker"]["id"] for e in conn["edges"]]
        assert speakers == sorted(speakers)
    analogies = await run(app, "8_distinguished_precedents.graphql",
                          {"treatment": "ANALOGIZES"})
    assert all(e["properties"]["treatment"] == "ANALOGIZES"
               for p in analogies["precedents"]["edges"]
               for e in p["node"]["citedByConnection"]["edges"])


async def test_event_participants_with_role_on_the_edge(research: Any) -> None:
    _, app = research
    strike = await strike_id(app)
    data = (await run(app, "9_event_participants.graphql", {"event": strike}))["node"]
    conn = data["participantsConnection"]
    pairs = [(e["properties"]["role"], e["node"]["name"]) for e in conn["edges"]]
    assert ("ordered", "Donald Trump") in pairs
    assert len(pairs) == len(set(pairs)) == conn["totalCount"]
    assert [p[0] for p in pairs] == sorted(p[0] for p in pairs)
    ordered = await run(app, "9_event_participants.graphql",
                        {"event": strike, "where": {"edge": {"role": {"eq": "ordered"}}}})
    edges = ordered["node"]["participantsConnection"]["edges"]
    assert [e["node"]["name"] for e in edges] == ["Donald Trump"]


async def test_concept_invocations_counted_by_stance_on_the_edge(research: Any) -> None:
    _, app = research
    data = (await run(app, "10_concept_invocations.graphql"))["node"]
    conn = data["claimsConnection"]
    stances = [e["properties"]["stance"] for e in conn["edges"]]
    assert data["supporting"]["aggregate"]["count"] == stances.count("SUPPORTS") > 0
    assert data["disputing"]["aggregate"]["count"] == stances.count("DISPUTES")
    assert conn["totalCount"] == len(stances)
    assert "Donald Trump" in {e["node"]["speaker"]["name"] for e in conn["edges"]}


async def test_document_outlets_once_each_with_the_relation_on_the_edge(research: Any
                                                                       ) -> None:
    _, app = research
    data = await run(app, "11_document_outlets.graphql")
    docs = [e["node"] for e in data["documents"]["edges"]]
    assert docs
    for doc in docs:
        edges = doc["outletsConnection"]["edges"]
        ids = [e["node"]["id"] for e in edges]
        assert len(ids) == len(set(ids)) == doc["outletsConnection"]["totalCount"]
        relations = [e["properties"]["relation"] for e in edges]
        assert relations == sorted(relations, reverse=True)  # PUBLISHED_BY first
        if doc["publisher"]:
            published = {e["node"]["name"] for e in edges
                         if e["properties"]["relation"] == "PUBLISHED_BY"}
            assert doc["publisher"] in published
    essay = next(d for d in docs if "Novel Shift" in (d["title"] or ""))
    assert essay["publisher"] == "Just Security" and essay["author"] == "Anthony Dworkin"
    if graph_source() == "seeds":
        published = {e["node"]["name"] for e in essay["outletsConnection"]["edges"]
                     if e["properties"]["relation"] == "PUBLISHED_BY"}
        assert published == {"Just Security", "Common Dreams"}  # republished by Common Dreams


ROUND_TRIP_BOUND = {
    # The bound of each operation is the number of its fields that can reach the store (a root
    # page, totalCount, each relationship field, each by-id field), independent of the data.
    "1_precedents_in_debate.graphql": 5,  # page, totalCount, citedBy, speaker, document
    "2_imminent_threat_claims.graphql": 5,  # page, claims, speaker, passage, document
    "3_article51_self_defense.graphql": 13,
    "4_timeline.graphql": 2,  # events, participants
    "5_actor_neighborhood.graphql": 4,  # describe the start, one per level, induced edges
    # ends; per BFS level (<= maxHops = 6) up to two edge counts and one expansion; the chain's
    # labels, its edges, describe
    "6_path_yamamoto_soleimani.graphql": 1 + 3 * 6 + 3,
    "7_claim_facets.graphql": 8,  # one statement per facet
    "8_distinguished_precedents.graphql": 3,  # page, one citedBy page for all, speakers+docs
    "9_event_participants.graphql": 2,  # node, participants page
    "10_concept_invocations.graphql": 5,  # node, three connection pages, speakers
    "11_document_outlets.graphql": 2,  # page, one outlets page for all documents
}


async def test_round_trips_and_latency_of_each_operation(research: Any,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    store, app = research
    strike = await strike_id(app)
    variables = {"6_path_yamamoto_soleimani.graphql": {"to": strike},
                 "9_event_participants.graphql": {"event": strike}}
    lines = []
    for name in OPERATIONS:
        await run(app, name, variables.get(name))  # warm up
        store.round_trips.reset()
        started = time.perf_counter()
        repeat = 5
        for _ in range(repeat):
            await run(app, name, variables.get(name))
        elapsed = (time.perf_counter() - started) / repeat
        trips = store.round_trips.reset() // repeat
        lines.append(f"{name:40} {trips:3d} round trips {elapsed * 1000:8.1f} ms")
        assert trips <= ROUND_TRIP_BOUND[name], (name, trips)
    with capsys.disabled():
        print("\n" + "\n".join(lines))
