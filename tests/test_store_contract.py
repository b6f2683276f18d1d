"""The store contract, run against every available backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from kb.cypher import schema, write
from kb.model import Label, RelType
from kb.store import falkordb as falkordb_store
from kb.store.base import Dialect, GraphStore, SearchTooBroad, Statement, StoreError
from kb.store.falkordb import FalkorDBStore
from kb.writer import GraphRows


def _chain(store: GraphStore, n: int) -> list[Statement]:
    """Actors a0 - a1 - ... - a(n-1) linked by MEMBER_OF edges."""
    g = GraphRows()
    for i in range(n):
        g.node(Label.ACTOR, f"actor:a{i}", name=f"Actor {i}", type="Person")
    for i in range(n - 1):
        g.edge(RelType.MEMBER_OF, Label.ACTOR, f"actor:a{i}", Label.ACTOR, f"actor:a{i + 1}",
               doc="document:t")
    return g.statements(store.dialect)


async def test_merge_and_read_every_property_type(store: GraphStore) -> None:
    g = GraphRows()
    g.node(Label.EVENT, "event:strike", name="Drone strike at Baghdad airport",
           date=dt.date(2020, 1, 3), confidence=0.75, casualties=10, dated=True,
           tags=["strike", "drone"])
    g.node(Label.ACTOR, "actor:qasem-soleimani", name="Qasem Soleimani", type="Person")
    g.edge(RelType.PARTICIPATED_IN, Label.ACTOR, "actor:qasem-soleimani", Label.EVENT,
           "event:strike", role="killed", doc="document:x")
    await store.write_batch(g.statements(store.dialect))
    await store.write_batch(g.statements(store.dialect))  # MERGE: nothing new the second time
    rows = await store.read(
        "MATCH (a:Actor)-[r:PARTICIPATED_IN]->(e:Event) RETURN a.name AS name, r.role AS role, "
        "e.date AS date, e.confidence AS confidence, e.casualties AS casualties, "
        "e.dated AS dated, e.tags AS tags, e AS node")
    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == "Qasem Soleimani" and row["role"] == "killed"
    assert row["date"] == dt.date(2020, 1, 3) and type(row["date"]) is dt.date
    assert row["confidence"] == 0.75 and isinstance(row["confidence"], float)
    assert row["casualties"] == 10 and isinstance(row["casualties"], int)
    assert row["dated"] is True
    assert row["tags"] == ["strike", "drone"]
    assert isinstance(row["node"], dict) and row["node"]["id"] == "event:strike"


async def test_uniqueness_is_enforced(store: GraphStore) -> None:
    await store.write("CREATE (:Actor {id: $id, name: 'one'})", {"id": "actor:dup"})
    with pytest.raises(StoreError):
        await store.write("CREATE (:Actor {id: $id, name: 'two'})", {"id": "actor:dup"})
    rows = await store.read("MATCH (a:Actor {id: $id}) RETURN count(a) AS n", {"id": "actor:dup"})
    assert rows == [{"n": 1}]


async def test_fulltext_finds_names_and_texts(store: GraphStore) -> None:
    g = GraphRows()
    g.node(Label.CONCEPT, "concept:imminent-threat", name="imminent threat",
           aliases_text="imminence | imminent attack")
    g.node(Label.ACTOR, "actor:mark-esper", name="Mark Esper", type="Person")
    g.node(Label.PASSAGE, "passage:p1", text="Esper said the threat was imminent.", doc="d")
    await store.write_batch(g.statements(store.dialect))
    hits = await store.fulltext("imminent", ["Concept", "Passage", "Actor"], 10)
    ids = [h["id"] for h in hits]
    assert "concept:imminent-threat" in ids and "passage:p1" in ids
    assert "actor:mark-esper" not in ids
    assert all(isinstance(h["score"], float) for h in hits)
    only_actors = await store.fulltext("Esper", ["Actor"], 10)
    assert [h["id"] for h in only_actors] == ["actor:mark-esper"]
    assert await store.fulltext("') DETACH DELETE n //", ["Actor"], 5) == []
    assert await store.fulltext('*:* "unbalanced', ["Actor"], 5) == []


@pytest.mark.parametrize("hops,expected", [(1, {"actor:a1"}), (2, {"actor:a1", "actor:a2"}),
                                           (3, {"actor:a1", "actor:a2", "actor:a3"})])
async def test_variable_length_traversal(store: GraphStore, hops: int, expected: set[str]
                                         ) -> None:
    await store.write_batch(_chain(store, 6))
    # a variable-length bound cannot be a parameter in Cypher: an int from this test's table
    rows = await store.read(
        f"MATCH (a:Actor {{id: $id}})-[:MEMBER_OF*1..{int(hops)}]-(b:Actor) "
        "RETURN DISTINCT b.id AS id", {"id": "actor:a0"})
    assert {r["id"] for r in rows} == expected


async def _one_path(store: GraphStore, source: str, target: str, hops: int,
                    exclude: Sequence[str] = (), types: Sequence[str] = ()) -> Any:
    """The only shortest path asked for, or None."""
    found = await store.shortest_paths(source, target, hops, exclude, types)
    assert len(found) <= 1
    return found[0] if found else None


async def test_shortest_path_leaves_out_excluded_labels(store: GraphStore) -> None:
    """a0 - p (a passage) - a1 is the short way; a0 - c - x - a1 the one without passages."""
    rows = GraphRows()
    for aid in ("a0", "a1", "x"):
        rows.node(Label.ACTOR, f"actor:{aid}", name=aid)
    rows.node(Label.PASSAGE, "passage:p", text="both", doc="document:d")
    rows.node(Label.CLAIM, "claim:c", text="c", doc="document:d")
    for aid in ("a0", "a1"):
        rows.edge(RelType.MENTIONED_IN, Label.ACTOR, f"actor:{aid}", Label.PASSAGE, "passage:p")
    rows.edge(RelType.ASSERTS, Label.ACTOR, "actor:a0", Label.CLAIM, "claim:c")
    rows.edge(RelType.ABOUT, Label.CLAIM, "claim:c", Label.ACTOR, "actor:x")
    rows.edge(RelType.MEMBER_OF, Label.ACTOR, "actor:x", Label.ACTOR, "actor:a1")
    await store.write_batch(rows.statements(store.dialect))
    short = await _one_path(store, "actor:a0", "actor:a1", 6)
    assert short is not None and short["nodes"] == ["actor:a0", "passage:p", "actor:a1"]
    around = await _one_path(store, "actor:a0", "actor:a1", 6, exclude=["Passage"])
    assert around is not None
    assert around["nodes"] == ["actor:a0", "claim:c", "actor:x", "actor:a1"]
    assert await _one_path(store, "actor:a0", "actor:a1", 2, exclude=["Passage"]) is None
    # an excluded label at an end is still an end, at either end and at one hop
    assert await _one_path(store, "passage:p", "actor:x", 6, exclude=["Passage"])
    assert await _one_path(store, "actor:a0", "passage:p", 1, exclude=["Passage"])
    # only edges of the types asked for
    typed = await _one_path(store, "actor:a0", "actor:a1", 6,
                            types=["ASSERTS", "ABOUT", "MEMBER_OF"])
    assert typed is not None and typed["nodes"] == around["nodes"]
    assert [r["type"] for r in typed["rels"]] == ["ASSERTS", "ABOUT", "MEMBER_OF"]
    assert await _one_path(store, "actor:a0", "actor:a1", 6, types=["ASSERTS", "ABOUT"]) is None


async def test_all_shortest_paths_of_a_diamond(store: GraphStore) -> None:
    """s - m1..m3 - t: three shortest paths of two hops, and a longer one that never counts."""
    rows = GraphRows()
    for aid in ("s", "t", "m1", "m2", "m3", "l1", "l2"):
        rows.node(Label.ACTOR, f"actor:{aid}", name=aid)
    for mid in ("m1", "m2", "m3"):
        rows.edge(RelType.MEMBER_OF, Label.ACTOR, "actor:s", Label.ACTOR, f"actor:{mid}")
        rows.edge(RelType.MEMBER_OF, Label.ACTOR, f"actor:{mid}", Label.ACTOR, "actor:t")
    for x, y in (("s", "l1"), ("l1", "l2"), ("l2", "t")):
        rows.edge(RelType.MEMBER_OF, Label.ACTOR, f"actor:{x}", Label.ACTOR, f"actor:{y}")
    await store.write_batch(rows.statements(store.dialect))
    every = await store.shortest_paths("actor:s", "actor:t", 4, limit=10)
    assert [p["nodes"] for p in every] == [["actor:s", f"actor:{m}", "actor:t"]
                                           for m in ("m1", "m2", "m3")]
    assert all(len(p["rels"]) == 2 for p in every)
    two = await store.shortest_paths("actor:t", "actor:s", 4, limit=2)
    assert len(two) == 2 and all(p["nodes"][0] == "actor:t" for p in two)
    assert await store.shortest_paths("actor:s", "actor:missing", 4, limit=3) == []


async def test_shortest_path_is_undirected_and_bounded(store: GraphStore) -> None:
    await store.write_batch(_chain(store, 6))
    path = await _one_path(store, "actor:a4", "actor:a0", 6)
    assert path is not None
    assert path["nodes"] == ["actor:a4", "actor:a3", "actor:a2", "actor:a1", "actor:a0"]
    assert [r["type"] for r in path["rels"]] == ["MEMBER_OF"] * 4
    assert path["rels"][0]["source"] == "actor:a3" and path["rels"][0]["target"] == "actor:a4"
    assert await _one_path(store, "actor:a5", "actor:a0", 3) is None
    assert await _one_path(store, "actor:a0", "actor:missing", 6) is None
    for hops in range(1, 6):  # found with exactly `hops` hops allowed, not with one fewer
        exact = await _one_path(store, "actor:a0", f"actor:a{hops}", hops)
        assert exact is not None and len(exact["rels"]) == hops, hops
        assert exact["nodes"] == [f"actor:a{i}" for i in range(hops + 1)]
        if hops > 1:
            assert await _one_path(store, "actor:a0", f"actor:a{hops}", hops - 1) is None


async def test_bootstrap_twice_is_harmless(store: GraphStore) -> None:
    await store.bootstrap()
    await store.bootstrap()
    await store.write("CREATE (:Outlet {id: 'outlet:x', name: 'X'})")
    with pytest.raises(StoreError):
        await store.write("CREATE (:Outlet {id: 'outlet:x', name: 'Y'})")


async def test_failed_batch_leaves_nothing_behind(store: GraphStore) -> None:
    await store.write("CREATE (:Actor {id: 'actor:existing', name: 'E'})")
    good = _chain(store, 3)
    bad = Statement("UNWIND $rows AS row CREATE (:Actor {id: row.id})",
                    {"rows": [{"id": "actor:new"}, {"id": "actor:existing"}]})
    with pytest.raises(StoreError):
        await store.write_batch([*good, bad])
    rows = await store.read("MATCH (a:Actor) RETURN a.id AS id ORDER BY id")
    assert rows == [{"id": "actor:existing"}]
    rels = await store.read("MATCH ()-[r]->() RETURN count(r) AS n")
    assert rels == [{"n": 0}]


async def test_stats_and_reset(store: GraphStore) -> None:
    await store.write_batch(_chain(store, 3))
    nodes = await store.read(schema.stats_nodes(store.dialect))
    rels = await store.read(schema.stats_rels(store.dialect))
    assert nodes == [{"label": "Actor", "count": 3}]
    assert rels == [{"type": "MEMBER_OF", "count": 2}]
    await store.write(schema.reset(store.dialect))
    assert await store.read(schema.stats_nodes(store.dialect)) == []


async def test_round_trips_are_counted(store: GraphStore) -> None:
    store.round_trips.reset()
    await store.write_batch(_chain(store, 10))
    await store.read("MATCH (a:Actor) RETURN count(a) AS n")
    assert store.round_trips.reset() == 2


async def test_health(store: GraphStore) -> None:
    assert await store.health() is True


def test_slots_accept_only_allow_listed_values() -> None:
    q = write.delete_orphans
    assert ":Actor " in q(Dialect.FALKORDB, LABEL="Actor")
    with pytest.raises(ValueError, match="not an allowed"):
        q(Dialect.FALKORDB, LABEL="Actor) DETACH DELETE (n")
    with pytest.raises(ValueError, match="needs slots"):
        q(Dialect.FALKORDB)


async def test_path_search_stops_at_its_budget(store: GraphStore,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded store searches paths level by level in the client; past its budget of
    reached nodes it gives up with SearchTooBroad instead of carrying the graph over."""
    if not isinstance(store, FalkorDBStore):
        pytest.skip("Neo4j runs shortestPath inside the server")
    await store.write_batch(_chain(store, 6))
    monkeypatch.setattr(falkordb_store, "PATH_BUDGET", 3)
    assert await store.shortest_paths("actor:a0", "actor:a2", 6)
    with pytest.raises(SearchTooBroad):
        await store.shortest_paths("actor:a0", "actor:a5", 6)
