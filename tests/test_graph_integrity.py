"""The graph stays true: every fact once, and the graph depends only on which documents are
loaded, never on their order, their earlier versions or the documents deleted on the way.

Runs on both stores. The property test compares whole dumps (every node with every property,
every relationship with every property), not counts.
"""

from __future__ import annotations

import json
import os
import random
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from test_api_support import TOKEN, codes, gql, load_research_graph, make_app, ok

from kb.config import Settings
from kb.cypher import schema
from kb.ingest import extract_bytes, iter_files, load_files, seed_corpus
from kb.model import Extraction, Label
from kb.ontology_sync import sync_ontology
from kb.store.base import GraphStore
from kb.writer import delete_document, extraction_rows, write_extraction, write_new_documents

DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset" / "texts"


def devset_texts() -> list[Path]:
    return sorted(DEVSET.glob("*.txt")) if DEVSET.is_dir() else []


async def dump(store: GraphStore) -> list[str]:
    """The whole graph as sorted JSON lines: nodes with all their properties, relationships
    with all theirs and their endpoints' ids."""
    nodes = await store.read("MATCH (n) RETURN labels(n)[0] AS label, properties(n) AS p")
    rels = await store.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                            "properties(r) AS p")
    lines = [json.dumps(["node", n["label"], n["p"]], sort_keys=True, default=str)
             for n in nodes]
    lines += [json.dumps(["rel", r["a"], r["t"], r["b"], r["p"]], sort_keys=True, default=str)
              for r in rels]
    return sorted(lines)


async def test_every_fact_is_one_relationship(store: GraphStore) -> None:
    await sync_ontology(store)
    report = await load_files(store, iter_files([seed_corpus(), *devset_texts()]))
    assert not report.failures
    rows = await store.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                            "r.doc AS doc, r.start AS start")
    keys = {(r["a"], r["t"], r["b"], r["doc"], r["start"]) for r in rows}
    assert len(rows) > 500
    assert len(rows) == len(keys), f"{len(rows) - len(keys)} duplicate relationships"


# -- the pool of documents, each in two versions ---------------------------------------------

SMALL = [
    "Heron Accord\n\nThe Heron Accord was signed on 3 March 2021 in Geneva. Mark Esper said the "
    "accord \"changes nothing\" about the imminent threat. Critics called it a violation of "
    "sovereignty.",
    "Quds Force\n\nQassem Soleimani, the commander of the Quds Force, was killed in a drone "
    "strike. Iran's foreign minister said the killing was an act of war under Article 51.",
    "Briefing\n\nThe Pentagon said on Friday that the strike on Soleimani was lawful "
    "self-defense. Esper told reporters that the threat was imminent.",
]


@cache
def pool() -> tuple[tuple[str, bytes, bytes], ...]:
    """(name, first version, changed version): the seeds, two dev-set texts, small ones."""
    docs: list[tuple[str, bytes]] = [(p.name, p.read_bytes())
                                     for p in sorted(seed_corpus().glob("*.txt"))]
    docs += [(p.name, p.read_bytes()) for p in devset_texts()[:2]]
    docs += [(f"small-{i}.txt", t.encode()) for i, t in enumerate(SMALL)]
    out = []
    for name, data in docs:
        text = data.decode("utf-8")
        cut = text.rfind(". ", 0, len(text) - 2)
        changed = (text[:cut + 1] if cut > len(text) // 2 else text) + (
            "\nDonald Trump said the strike was justified.\n")
        out.append((name, data, changed.encode()))
    return tuple(out)


@cache
def extraction(index: int, version: int) -> Extraction:
    """The extraction of one pool document (the index wraps: the dev set may be absent)."""
    name, *versions = pool()[index % len(pool())]
    return extract_bytes(versions[version], name)


def by_name(name: str) -> int:
    return next(i for i, (n, _, _) in enumerate(pool()) if n == name)


OPS = st.lists(st.tuples(st.sampled_from(["load", "delete"]), st.integers(0, 7),
                         st.integers(0, 1)), min_size=1, max_size=8)


HISTORIES = int(os.environ.get("KB_HISTORY_EXAMPLES", "12"))
"""Random histories per backend (12 in CI; set KB_HISTORY_EXAMPLES for more)."""


@hsettings(max_examples=HISTORIES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS, order_seed=st.integers(0, 1000))
async def test_any_history_equals_a_clean_load_of_what_remains(
        store: GraphStore, ops: list[tuple[str, int, int]], order_seed: int) -> None:
    await store.write(schema.reset(store.dialect))
    await sync_ontology(store)
    present: dict[int, int] = {}  # document -> version loaded
    for op, drawn, version in ops:
        index = drawn % len(pool())
        if op == "load":
            await write_extraction(store, extraction(index, version))
            present[index] = version
        elif index in present:
            ex = extraction(index, present.pop(index))
            assert await delete_document(store, ex.document.id)
    after_history = await dump(store)
    await store.write(schema.reset(store.dialect))
    remaining = list(present.items())
    random.Random(order_seed).shuffle(remaining)
    await write_new_documents(store, [extraction_rows(extraction(i, v)) for i, v in remaining])
    await sync_ontology(store)  # the thesaurus after the documents this time
    clean = await dump(store)
    assert after_history == clean, _first_difference(after_history, clean)


def _first_difference(a: list[str], b: list[str]) -> Any:
    only_a = sorted(set(a) - set(b))[:3]
    only_b = sorted(set(b) - set(a))[:3]
    return {"after the history only": only_a, "clean load only": only_b}


@pytest.mark.parametrize("index", range(3))
async def test_delete_removes_exactly_what_the_document_alone_contributed(
        store: GraphStore, index: int) -> None:
    await sync_ontology(store)
    others = [extraction(i, 0) for i in range(len(pool())) if i != index]
    await write_new_documents(store, [extraction_rows(ex) for ex in others])
    before = await dump(store)
    ex = extraction(index, 0)
    await write_extraction(store, ex)
    assert await dump(store) != before
    assert await delete_document(store, ex.document.id)
    assert await dump(store) == before
    assert not await delete_document(store, ex.document.id)


async def test_delete_dry_run_says_exactly_what_goes(store: GraphStore,
                                                     settings: Settings) -> None:
    await sync_ontology(store)
    await write_new_documents(store, [extraction_rows(extraction(i, 0))
                                      for i in (0, by_name("small-1.txt"))])
    small = extraction(by_name("small-0.txt"), 0)
    await write_extraction(store, small)
    app = make_app(store, settings, api_token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    mutation = ("mutation($id: ID!, $dry: Boolean!) { deleteDocument(id: $id, dryRun: $dry) "
                "{ deleted dryRun passages claims removedNodes updatedNodes } }")
    before = await dump(store)
    dry = ok(await gql(app, mutation, {"id": small.document.id, "dry": True}, auth))
    assert await dump(store) == before  # a dry run changes nothing
    plan = dry["deleteDocument"]
    assert plan["dryRun"] and not plan["deleted"]
    assert plan["passages"] == len(small.passages) and plan["claims"] == len(small.claims)
    assert "actor:mark-esper" in plan["updatedNodes"]  # the CBS seed names him too
    assert plan["removedNodes"], "the small document has entities of its own"
    done = ok(await gql(app, mutation, {"id": small.document.id, "dry": False}, auth))
    assert done["deleteDocument"] == {**plan, "deleted": True, "dryRun": False}
    ids = {r["id"] for r in await store.read("MATCH (n) RETURN n.id AS id")}
    assert not ids & set(plan["removedNodes"])
    assert set(plan["updatedNodes"]) <= ids
    again = await gql(app, mutation, {"id": small.document.id, "dry": False}, auth)
    assert codes(again) == ["NOT_FOUND"]


async def test_about_means_events_or_actors_as_the_schema_says(store: GraphStore,
                                                               settings: Settings) -> None:
    await load_research_graph(store)
    app = make_app(store, settings)
    q = """{ events: claims(where: {about: {}}) { totalCount }
             actors: claims(where: {aboutActor: {}}) { totalCount }
             strike: claims(where: {about: {id: {eq: "event:strike-qasem-soleimani-2020-01-03"}}},
                            first: 3) { edges { node { id about { id } aboutActors { id } } } } }"""
    data = ok(await gql(app, q))
    assert data["events"]["totalCount"] > 0 and data["actors"]["totalCount"] > 0
    counts = await store.read("MATCH (c:Claim)-[:ABOUT]->(e:Event) "
                              "RETURN count(DISTINCT c) AS n")
    assert data["events"]["totalCount"] == counts[0]["n"]
    for edge in data["strike"]["edges"]:
        node = edge["node"]
        assert {"id": "event:strike-qasem-soleimani-2020-01-03"} in node["about"]
        assert all(a["id"].startswith("actor:") for a in node["aboutActors"])
    event = ok(await gql(app, '{ node(id: "event:strike-qasem-soleimani-2020-01-03") '
                              '{ ... on Event { claims { id } } } }'))
    assert event["node"]["claims"]


async def test_memberships_and_leaders_reach_the_api(store: GraphStore,
                                                     settings: Settings) -> None:
    await load_research_graph(store)
    app = make_app(store, settings)
    data = ok(await gql(app, '{ node(id: "actor:kataib-hezbollah") { ... on Actor { ledBy '
                             '{ id } } } }'))
    assert {"id": "actor:abu-mahdi-al-muhandis"} in data["node"]["ledBy"]
    data = ok(await gql(app, '{ node(id: "actor:abu-mahdi-al-muhandis") { ... on Actor { '
                             'leads { id } } } }'))
    assert {"id": "actor:kataib-hezbollah"} in data["node"]["leads"]


async def test_a_write_leaves_unchanged_indexed_values_and_creates_nodes_whole(
        store: GraphStore) -> None:
    """A shared node already stored with the name a new document gives it is not SET that name
    again (on FalkorDB such a SET re-indexes the node; see kb.cypher.write.INDEXED_FIELDS), while
    its support still is; and a new document's passages are created with their text in the
    CREATE pattern, not set after it."""
    from kb.writer import contributions_of, resolve_shared

    first = extract_bytes(SMALL[0].encode(), "first.txt")
    await write_extraction(store, first)
    again = extraction_rows(extract_bytes(SMALL[2].encode(), "again.txt"))
    await resolve_shared(store, again, [(contributions_of(again), 1)])
    esper = next(row for node_id, row in again.nodes[Label.ACTOR].items() if "esper" in node_id)
    assert "name" not in esper["props"] and esper["props"]["support"]
    texts = [s.text for s in again.statements(store.dialect, new=True)]
    assert any("CREATE (n:Passage {id: row.id, text: row.props.text" in t for t in texts)
    assert not any(t.startswith("UNWIND $rows AS row CREATE (n:Passage") and "SET" in t
                   for t in texts)
