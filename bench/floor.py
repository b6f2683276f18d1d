"""The floors: for every operation of `graphql/queries/`, the same data as the GraphQL operation
(same rows, same order, same page sizes), fetched by hand-written Cypher through the store (no
HTTP, no GraphQL), in its own process at the same concurrency. The store is the embedded
FalkorDB of `data_dir`, or Neo4j when NEO4J_URI is set (`bench.stores`); the Cypher is the same
on both, except for the "has an edge of this type" test (FalkorDB's `indegree`/`outdegree`,
Neo4j's `EXISTS { }`), a dialect pair.

Each floor is an async function `(store, variables) -> data`: its statements (one to three;
every value a `$parameter`), then the rows put into the shape of the operation's `data` in
plain Python, so that `tests/test_bench_floors.py` can check on the seeds that a floor answers
exactly what its operation answers (cursors compared by the offset they carry). A floor takes
the operation's default for every input-object variable (`where` filters): the benchmark never
sends another one.

Operations whose resolvers are already a loop of store calls have the same calls as their floor,
without GraphQL: the neighbourhood (the breadth-first statements of `kb.cypher.read`, one per
level, and the induced edges) and the path (the store's own `shortest_path`, then the display
fields of its nodes).

Reads a job as JSON on stdin ({"data_dir", "floor", "variables", "concurrency", "requests",
"duration", "warmup"}) and writes the measurements as JSON on stdout. `floor` is an operation
name of `graphql/queries/` (or "nested", the name the side-by-side has always used).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from bench.loadgen import run_load, summarize
from bench.stores import open_store
from kb import model
from kb.api.enums import InvocationStance
from kb.store.base import Dialect, GraphStore

Data = dict[str, Any]
Floor = Callable[[GraphStore, dict[str, Any]], Awaitable[Data]]

# -- helpers ---------------------------------------------------------------------------------


def _has(dialect: Dialect, var: str, rel: str, out: bool) -> str:
    """`var` has at least one `rel` edge (out of it, or into it)."""
    if dialect is Dialect.FALKORDB:
        return f"{'outdegree' if out else 'indegree'}({var}, '{rel}') > 0"
    return f"EXISTS {{ ({var}){'-' if out else '<-'}[:{rel}]{'->' if out else '-'}() }}"


def _name(cls: Any, value: Any) -> str | None:
    """The GraphQL enum name of a stored value (None for a missing or unknown value)."""
    try:
        return cls(value).name if value is not None else None
    except ValueError:
        return None


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _agent(s: dict[str, Any] | None, *fields: str) -> dict[str, Any] | None:
    if not s or s.get("id") is None:
        return None
    out = {}
    for f in fields:
        out[f] = (s.get("name") or s["id"]) if f == "name" else s.get(f)
    return out


_PROVENANCE = frozenset({"doc", "passage", "key"})


def _distinct(items: Iterable[tuple[str, dict[str, Any] | None, Any]]) -> list[Any]:
    """One item per related node and edge meaning (the API's relationship fields list the same
    fact from several documents once): items are (node id, edge properties, payload)."""
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    out = []
    for node_id, rel, payload in items:
        meaning = tuple(sorted((k, repr(v)) for k, v in (rel or {}).items()
                               if k not in _PROVENANCE))
        if (node_id, meaning) not in seen:
            seen.add((node_id, meaning))
            out.append(payload)
    return out


# -- 1_precedents_in_debate.graphql ----------------------------------------------------------


PRECEDENTS_IN_DEBATE = (
    'MATCH (n:Precedent) WHERE %HAS_CITED% WITH n, toString(n.date IS NULL) + '
    "coalesce(toString(n.date), '') AS k ORDER BY k, n.id WITH collect(n) AS ns WITH "
    'size(ns) AS total, ns[0..$first] AS page UNWIND range(0, size(page) - 1) AS i WITH '
    'total, i, page[i] AS n MATCH (n)<-[r:CITES_PRECEDENT]-(m:Claim) WITH total, i, n, m, r '
    "ORDER BY coalesce(m.doc, ''), coalesce(m.start, -1), m.id WITH total, i, n, "
    'collect([m, r])[0..$cited] AS page UNWIND (CASE WHEN size(page) = 0 THEN [[null, null, '
    'null]] ELSE [k IN range(0, size(page) - 1) | [k, page[k][0], page[k][1]]] END) AS x '
    'WITH total, i, n, x[0] AS j, x[1] AS m, x[2] AS r OPTIONAL MATCH (s)-[:ASSERTS]->(m) '
    'WITH total, i, n, j, m, r, head(collect(s)) AS s OPTIONAL MATCH (d:Document {id: '
    'm.doc}) RETURN total, i, n.id AS id, n.name AS name, n.date AS date, j, m.id AS claim, '
    'm.text AS text, m.stance AS stance, properties(r) AS rel, s.id AS sid, s.name AS '
    'sname, m.quote AS quote, d.id AS did, d.title AS title, d.publisher AS publisher ORDER '
    'BY i, j'
)


async def precedents_in_debate(store: GraphStore, v: dict[str, Any]) -> Data:
    text = PRECEDENTS_IN_DEBATE.replace(
        "%HAS_CITED%", _has(store.dialect, "n", "CITES_PRECEDENT", out=False))
    rows = await store.read(text, {"first": v.get("first", 20), "cited": 50})
    edges: dict[int, dict[str, Any]] = {}
    cites: dict[int, list[tuple[str, Any, Any]]] = {}
    total = rows[0]["total"] if rows else await _count_cited(store)
    for r in rows:
        if r["i"] not in edges:
            edges[r["i"]] = {"node": {"id": r["id"], "name": r["name"] or r["id"],
                                      "date": _iso(r["date"]), "citedBy": []}}
            cites[r["i"]] = []
        cites[r["i"]].append((r["claim"], r["rel"], {
            "treatment": _name(model.Treatment, (r["rel"] or {}).get("treatment")),
            "claim": {"id": r["claim"], "text": r["text"] or "",
                      "stance": _name(model.Stance, r["stance"]),
                      "speaker": _agent({"id": r["sid"], "name": r["sname"]}, "id", "name"),
                      "evidence": {"quote": r["quote"], "document": None if r["did"] is None
                                   else {"id": r["did"], "title": r["title"],
                                         "publisher": r["publisher"]}}}}))
    for i, e in edges.items():
        e["node"]["citedBy"] = _distinct(cites[i])
    return {"precedents": {"totalCount": total, "edges": list(edges.values())}}


_COUNT_CITED = "MATCH (n:Precedent) WHERE %HAS_CITED% RETURN count(n) AS total"


async def _count_cited(store: GraphStore) -> int:
    rows = await store.read(_COUNT_CITED.replace(
        "%HAS_CITED%", _has(store.dialect, "n", "CITES_PRECEDENT", out=False)))
    return int(rows[0]["total"]) if rows else 0


# -- 2_imminent_threat_claims.graphql (the nested operation) ----------------------------------

NESTED = (
    'MATCH (c:Concept) WHERE c.name = $concept WITH c ORDER BY c.id LIMIT 5 OPTIONAL MATCH '
    "(c)<-[r:INVOKES]-(m:Claim) WITH c, m, r ORDER BY coalesce(m.doc, ''), "
    'coalesce(m.start, -1), m.id WITH c, collect(CASE WHEN m IS NULL THEN null ELSE [m, r] '
    'END)[0..$first] AS page UNWIND (CASE WHEN size(page) = 0 THEN [[null, null, null]] '
    'ELSE [k IN range(0, size(page) - 1) | [k, page[k][0], page[k][1]]] END) AS x WITH c, '
    'x[0] AS j, x[1] AS m, x[2] AS r OPTIONAL MATCH (s)-[:ASSERTS]->(m) WITH c, j, m, r, '
    'head(collect(s)) AS s OPTIONAL MATCH (p:Passage {id: m.passage}) OPTIONAL MATCH '
    '(d:Document {id: m.doc}) RETURN c.id AS id, c.name AS name, c.definition AS '
    'definition, j, m.id AS claim, m.stance AS stance, m.text AS text, properties(r) AS '
    'rel, s.id AS sid, s.name AS sname, m.quote AS quote, m.start AS start, m.end AS end, '
    'p.id AS pid, p.text AS ptext, d.id AS did, d.title AS title, d.publisher AS publisher, '
    'd.published AS published ORDER BY id, j'
)


async def nested(store: GraphStore, v: dict[str, Any]) -> Data:
    rows = await store.read(NESTED, {"concept": v.get("concept", "imminent threat"),
                                     "first": 100})
    concepts: dict[str, dict[str, Any]] = {}
    claims: dict[str, list[tuple[str, Any, Any]]] = {}
    for r in rows:
        if r["id"] not in concepts:
            concepts[r["id"]] = {"id": r["id"], "name": r["name"] or r["id"],
                                 "definition": r["definition"]}
            claims[r["id"]] = []
        if r["claim"] is None:
            continue
        claims[r["id"]].append((r["claim"], r["rel"], {
            "id": r["claim"], "stance": _name(model.Stance, r["stance"]),
            "text": r["text"] or "",
            "speaker": _agent({"id": r["sid"], "name": r["sname"]}, "id", "name"),
            "evidence": {
                "quote": r["quote"], "start": r["start"], "end": r["end"],
                "passage": None if r["pid"] is None else {"id": r["pid"],
                                                          "text": r["ptext"] or ""},
                "document": None if r["did"] is None else {
                    "id": r["did"], "title": r["title"], "publisher": r["publisher"],
                    "published": _iso(r["published"])}}}))
    for cid, c in concepts.items():
        c["claims"] = _distinct(claims[cid])
    return {"concepts": {"edges": [{"node": c} for c in concepts.values()]}}


# -- 3_article51_self_defense.graphql --------------------------------------------------------

ARTICLE51_CONCEPTS = (
    'MATCH (c:Concept) WHERE toLower(c.name) CONTAINS toLower($concept) WITH c ORDER BY '
    "c.id LIMIT 5 OPTIONAL MATCH (c)<-[r:INVOKES]-(m:Claim) WHERE r.stance IN ['supports', "
    "'disputes'] WITH c, r.stance AS st, m, r ORDER BY coalesce(m.doc, ''), "
    'coalesce(m.start, -1), m.id WITH c, st, collect(CASE WHEN m IS NULL THEN null ELSE [m, '
    'r] END)[0..$first] AS page UNWIND (CASE WHEN size(page) = 0 THEN [[null, null, null]] '
    'ELSE [k IN range(0, size(page) - 1) | [k, page[k][0], page[k][1]]] END) AS x WITH c, '
    'st, x[0] AS j, x[1] AS m, x[2] AS r OPTIONAL MATCH (s)-[:ASSERTS]->(m) WITH c, st, j, '
    'm, r, head(collect(s)) AS s OPTIONAL MATCH (d:Document {id: m.doc}) RETURN c.id AS id, '
    'c.name AS name, st, j, m.id AS claim, m.text AS text, properties(r) AS rel, s.name AS '
    'sname, s.id AS sid, d.id AS did, d.title AS title ORDER BY id, st, j'
)
"""The concepts whose name contains the words, with their first 50 supporting and first 50
disputing claims (speaker, document)."""

ARTICLE51_ATTACKERS = (
    'UNWIND $ids AS id MATCH (n:Claim {id: id})<-[r:ATTACKS]-(m:Claim) WITH id, m, r ORDER '
    "BY coalesce(m.doc, ''), coalesce(m.start, -1), m.id WITH id, collect([m, "
    'r])[0..$first] AS page UNWIND (CASE WHEN size(page) = 0 THEN [[null, null, null]] ELSE '
    '[k IN range(0, size(page) - 1) | [k, page[k][0], page[k][1]]] END) AS x WITH id, x[0] '
    'AS j, x[1] AS m, x[2] AS r OPTIONAL MATCH (s)-[:ASSERTS]->(m) WITH id, j, m, r, '
    'head(collect(s)) AS s RETURN id, j, m.id AS claim, m.text AS text, properties(r) AS '
    'rel, s.id AS sid, s.name AS sname ORDER BY id, j'
)
"""The first 10 claims attacking each of the argued claims."""

CONTRADICTIONS = (
    'MATCH (n:Claim) WHERE %HAS_ATTACKS% WITH n ORDER BY n.id LIMIT $first MATCH '
    "(n)-[r:ATTACKS]->(m:Claim) WITH n, m, r ORDER BY n.id, coalesce(m.doc, ''), "
    'coalesce(m.start, -1), m.id WITH n, collect([m, r])[0..$attacks] AS page OPTIONAL '
    'MATCH (sn)-[:ASSERTS]->(n) WITH n, page, head(collect(sn)) AS sn UNWIND (CASE WHEN '
    'size(page) = 0 THEN [[null, null, null]] ELSE [k IN range(0, size(page) - 1) | [k, '
    'page[k][0], page[k][1]]] END) AS x WITH n, sn, x[0] AS j, x[1] AS m, x[2] AS r '
    'OPTIONAL MATCH (s)-[:ASSERTS]->(m) WITH n, sn, j, m, r, head(collect(s)) AS s RETURN '
    'n.id AS id, n.text AS ntext, n.stance AS nstance, sn.id AS nsid, sn.name AS nsname, j, '
    'm.id AS claim, m.text AS text, m.stance AS stance, properties(r) AS rel, s.id AS sid, '
    's.name AS sname ORDER BY id, j'
)
"""The first 100 claims (by id) that attack some claim, with the first 10 they attack."""


async def article51(store: GraphStore, v: dict[str, Any]) -> Data:
    rows = await store.read(ARTICLE51_CONCEPTS, {"concept": v.get("concept", "Article 51"),
                                                 "first": 50})
    concepts: dict[str, dict[str, Any]] = {}
    lists: dict[tuple[str, str], list[tuple[str, Any, Any]]] = {}
    for r in rows:
        c = concepts.setdefault(r["id"], {"id": r["id"], "name": r["name"] or r["id"]})
        if r["claim"] is None:
            continue
        item = {"id": r["claim"], "text": r["text"] or "",
                "speaker": _agent({"id": r["sid"], "name": r["sname"]}, "name"),
                "document": None if r["did"] is None else {"title": r["title"]}}
        lists.setdefault((c["id"], r["st"]), []).append((r["claim"], r["rel"], item))
    argued_ids = []
    for cid, c in concepts.items():
        c["argued"] = _distinct(lists.get((cid, "supports"), []))
        c["disputed"] = _distinct(lists.get((cid, "disputes"), []))
        argued_ids += [m["id"] for m in c["argued"]]
    attackers: dict[str, list[tuple[str, Any, Any]]] = {}
    if argued_ids:
        for r in await store.read(ARTICLE51_ATTACKERS, {"ids": sorted(set(argued_ids)),
                                                        "first": 10}):
            attackers.setdefault(r["id"], []).append((r["claim"], r["rel"], {
                "id": r["claim"], "text": r["text"] or "",
                "speaker": _agent({"id": r["sid"], "name": r["sname"]}, "name")}))
    for c in concepts.values():
        for m in c["argued"]:
            m["attackedBy"] = _distinct(attackers.get(m["id"], []))
        c["argued"] = [{k: m[k] for k in ("id", "text", "speaker", "document", "attackedBy")}
                       for m in c["argued"]]
    text = CONTRADICTIONS.replace("%HAS_ATTACKS%", _has(store.dialect, "n", "ATTACKS", out=True))
    claims: dict[str, dict[str, Any]] = {}
    attacks: dict[str, list[tuple[str, Any, Any]]] = {}
    for r in await store.read(text, {"first": 100, "attacks": 10}):
        if r["id"] not in claims:
            claims[r["id"]] = {"id": r["id"], "text": r["ntext"] or "",
                               "stance": _name(model.Stance, r["nstance"]),
                               "speaker": _agent({"id": r["nsid"], "name": r["nsname"]},
                                                 "name")}
        attacks.setdefault(r["id"], []).append((r["claim"], r["rel"], {
            "id": r["claim"], "text": r["text"] or "", "stance": _name(model.Stance, r["stance"]),
            "speaker": _agent({"id": r["sid"], "name": r["sname"]}, "name")}))
    for cid, c in claims.items():
        c["attacks"] = _distinct(attacks[cid])
    return {"concepts": {"edges": [{"node": c} for c in concepts.values()]},
            "contradictions": {"edges": [{"node": c} for c in claims.values()]}}


# -- 4_timeline.graphql ----------------------------------------------------------------------

TIMELINE = (
    "MATCH (n:Event) WHERE n.date IS NOT NULL "
    "AND ($since IS NULL OR n.date >= date($since)) "
    "AND ($until IS NULL OR n.date <= date($until)) "
    "WITH n ORDER BY n.date, n.id LIMIT $limit "
    "OPTIONAL MATCH (n)<-[r:PARTICIPATED_IN]-(a:Actor) "
    "WITH n, a, r ORDER BY a.id "
    "WITH n, collect(CASE WHEN a IS NULL THEN null ELSE [a.id, a.name, a.type, properties(r)] "
    "END)[0..$participants] AS ps "
    "RETURN n.id AS id, n.date AS date, n.date_text AS date_text, n.name AS name, ps "
    "ORDER BY date, id"
)
"""Dated events in the window (first 100), each with its first 50 participants by actor id."""


async def timeline(store: GraphStore, v: dict[str, Any]) -> Data:
    rows = await store.read(TIMELINE, {"since": v.get("from", "2019-12-01"),
                                       "until": v.get("to", "2020-01-31"), "limit": 100,
                                       "participants": 50})
    out = []
    for r in rows:
        parts = _distinct((p[0], p[3], {"role": (p[3] or {}).get("role"), "actor": {
            "id": p[0], "name": p[1] or p[0], "type": _name(model.ActorType, p[2])}})
            for p in r["ps"])
        out.append({"id": r["id"], "date": _iso(r["date"]), "dateText": r["date_text"],
                    "name": r["name"] or r["id"], "participants": parts})
    return {"timeline": out}


# -- 5_actor_neighborhood.graphql ------------------------------------------------------------


async def neighborhood(store: GraphStore, v: dict[str, Any]) -> Data:
    """The API's breadth-first search (`kb.api.traversal.neighborhood`), statement for
    statement, with plain dicts: one statement for the start node, one per level (the frontier
    of every label at once), one for the edges among the nodes found."""
    from kb.api.traversal import NAME_CHARS
    from kb.cypher import read as rq
    from kb.model import label_of

    node_id, depth = v.get("id", "actor:qasem-soleimani"), v.get("depth", 2)
    max_nodes = v.get("maxNodes", 500)
    d = store.dialect

    def short(text: Any) -> str:
        text = str(text or "")
        return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"

    nodes: dict[str, dict[str, Any]] = {}
    truncated = False

    def add(row: dict[str, Any]) -> bool:
        nonlocal truncated
        if row["id"] in nodes:
            return True
        if len(nodes) >= max_nodes:
            truncated = True
            return False
        kind = row.get("kind")
        nodes[row["id"]] = {"id": row["id"], "label": row["label"], "name": short(row["name"]),
                            "kind": str(kind).upper() if kind else None}
        return True

    start = await store.read(rq.describe(d), rq.by_label([node_id], label_of))
    if not start:
        return {"neighborhood": None}
    add(start[0])
    frontier = [node_id]
    for _ in range(depth):
        if not frontier or truncated:
            break
        rows = await store.read(rq.expand(d), {**rq.by_label(frontier, label_of), "types": [],
                                               "labels": [], "limit": max_nodes * 4 + 1})
        nxt = []
        for row in sorted(rows, key=lambda r: (r["src"], r["id"], r["type"])):
            if row["id"] not in nodes and add(row):
                nxt.append(row["id"])
        if len(rows) > max_nodes * 4:
            truncated = True
        frontier = nxt
    ids = list(nodes)
    rows = await store.read(rq.edges_between(d), {**rq.by_label(ids, label_of), "all": ids,
                                                  "types": []})
    edges: dict[str, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (r["source"], r["type"], r["target"], r.get("key") or "")):
        eid = r.get("key") or f"{r['type']}:{r['source']}->{r['target']}"
        edges.setdefault(eid, {"id": eid, "source": r["source"], "target": r["target"],
                               "type": r["type"]})
    return {"neighborhood": {"truncated": truncated, "nodes": list(nodes.values()),
                             "edges": list(edges.values())}}


# -- 6_path_yamamoto_soleimani.graphql -------------------------------------------------------


async def path(store: GraphStore, v: dict[str, Any]) -> Data:
    """The store's own shortest-path search (what `Query.path` calls), then the display fields
    of the path's nodes (one statement). Passages are left out, as the default mode does."""
    from kb.api.traversal import NAME_CHARS
    from kb.cypher import read as rq
    from kb.model import label_of

    ends = (v.get("from", "precedent:yamamoto-shoot-down-1943"),
            v.get("to", "actor:qasem-soleimani"), v.get("maxHops", 6))
    search = getattr(store, "shortest_paths", None)
    if search is not None:  # the store's search for up to `limit` paths
        found_all = await search(*ends, ["Passage"], [], 1)
        found = found_all[0] if found_all else None
    else:
        found = await store.shortest_path(*ends, ("Passage",))
    if found is None:
        return {"path": None}
    rows = await store.read(rq.describe(store.dialect), rq.by_label(found["nodes"], label_of))
    described = {r["id"]: r for r in rows}
    nodes = []
    for nid in found["nodes"]:
        r = described.get(nid) or {"id": nid, "label": str(label_of(nid) or ""), "name": nid}
        name, kind = str(r.get("name") or ""), r.get("kind")
        nodes.append({"id": nid, "label": r["label"],
                      "name": name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "…",
                      "kind": str(kind).upper() if kind else None})
    edges: dict[str, dict[str, Any]] = {}
    for rel in found["rels"]:
        eid = rel.get("key") or f"{rel['type']}:{rel['source']}->{rel['target']}"
        edges.setdefault(eid, {"id": eid, "source": rel["source"], "target": rel["target"],
                               "type": rel["type"]})
    return {"path": {"nodes": nodes, "edges": list(edges.values())}}


# -- 7_claim_facets.graphql ------------------------------------------------------------------


FACETS = ("bySpeaker", "byStance", "byConcept", "byPrecedent", "byTreatment", "byDocument",
          "byOutlet", "byMonth")


FACET_STATEMENTS = {
    'bySpeaker': (
        'MATCH (n:Claim) WITH n.speaker AS sid, count(n) AS count WHERE sid IS NOT NULL '
        'OPTIONAL MATCH (a:Actor {id: sid}) OPTIONAL MATCH (o:Outlet {id: sid}) WITH '
        'coalesce(a, o) AS s, count WITH s.id AS key, s.name AS label, count WHERE key IS '
        "NOT NULL RETURN 'bySpeaker' AS facet, key, label, count ORDER BY count DESC, key "
        'LIMIT $limit'
    ),
    'byStance': (
        'MATCH (n:Claim) WITH n.stance AS key, count(n) AS count WITH key, key AS label, count '
        "WHERE key IS NOT NULL RETURN 'byStance' AS facet, key, label, count ORDER BY count "
        'DESC, key LIMIT $limit'
    ),
    'byConcept': (
        'MATCH (n:Claim)-[:INVOKES]->(x:Concept) WITH x, count(DISTINCT n) AS count WITH x.id '
        "AS key, x.name AS label, count WHERE key IS NOT NULL RETURN 'byConcept' AS facet, key,"
        ' label, count ORDER BY count DESC, key LIMIT $limit'
    ),
    'byPrecedent': (
        'MATCH (n:Claim)-[:CITES_PRECEDENT]->(x:Precedent) WITH x, count(DISTINCT n) AS count '
        "WITH x.id AS key, x.name AS label, count WHERE key IS NOT NULL RETURN 'byPrecedent' AS"
        ' facet, key, label, count ORDER BY count DESC, key LIMIT $limit'
    ),
    'byTreatment': (
        'MATCH (n:Claim)-[r:CITES_PRECEDENT]->(:Precedent) WITH r.treatment AS key, '
        'count(DISTINCT n) AS count WITH key, key AS label, count WHERE key IS NOT NULL RETURN '
        "'byTreatment' AS facet, key, label, count ORDER BY count DESC, key LIMIT $limit"
    ),
    'byDocument': (
        'MATCH (n:Claim) WITH n.doc AS doc, count(n) AS count MATCH (d:Document {id: doc}) WITH'
        " d.id AS key, d.title AS label, count WHERE key IS NOT NULL RETURN 'byDocument' AS "
        'facet, key, label, count ORDER BY count DESC, key LIMIT $limit'
    ),
    'byOutlet': (
        'MATCH (n:Claim) WITH n.doc AS doc, count(n) AS claims MATCH (d:Document {id: '
        'doc})-[:PUBLISHED_BY]->(o:Outlet) WITH DISTINCT o, doc, claims WITH o, sum(claims) AS '
        "count WITH o.id AS key, o.name AS label, count WHERE key IS NOT NULL RETURN 'byOutlet'"
        ' AS facet, key, label, count ORDER BY count DESC, key LIMIT $limit'
    ),
    'byMonth': (
        'MATCH (n:Claim) WITH n.doc AS doc, count(n) AS claims MATCH (d:Document {id: doc}) '
        'WHERE d.published IS NOT NULL WITH substring(toString(d.published), 0, 7) AS key, '
        'sum(claims) AS count WITH key, key AS label, count WHERE key IS NOT NULL RETURN '
        "'byMonth' AS facet, key, label, count ORDER BY count DESC, key LIMIT $limit"
    ),
}
"""The facets one statement each, as the API sends them (all at once: the store runs them side
by side); the floor sends them the same way."""


async def claim_facets(store: GraphStore, v: dict[str, Any]) -> Data:
    params = {"limit": v.get("first", 10)}
    found = await asyncio.gather(*(store.read(FACET_STATEMENTS[name], params) for name in FACETS))
    rows = [r for part in found for r in part]
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in FACETS}
    for r in rows:
        item: dict[str, Any] = {"key": str(r["key"]), "count": int(r["count"])}
        if r["facet"] not in ("byStance", "byTreatment", "byMonth"):
            item = {"key": item["key"], "label": None if r["label"] is None else str(r["label"]),
                    "count": item["count"]}
        out[r["facet"]].append(item)
    return {"claimFacets": out}


# -- 8_distinguished_precedents.graphql ------------------------------------------------------

DISTINGUISHED = (
    'MATCH (n:Precedent) WHERE %HAS_CITED% WITH n, toString(n.date IS NULL) + '
    "coalesce(toString(n.date), '') AS k ORDER BY k, n.id WITH collect(n) AS ns WITH "
    'size(ns) AS total, ns[0..$first] AS page UNWIND range(0, size(page) - 1) AS i WITH '
    'total, i, page[i] AS n OPTIONAL MATCH (n)<-[r:CITES_PRECEDENT]-(m:Claim) WHERE '
    'r.treatment = $treatment WITH i, n, m, r.treatment AS ev, collect(DISTINCT r.doc) AS '
    'docs WITH i, n, m, ev, docs ORDER BY CASE WHEN m.speaker IS NULL THEN 1 ELSE 0 END, '
    'm.speaker, m.id WITH i, n, collect(CASE WHEN m IS NULL THEN null ELSE [m.id, ev, docs] '
    'END) AS rows RETURN i, n.id AS id, n.name AS name, n.date AS date, size(rows) AS '
    'total, rows[0..$first] AS page ORDER BY i'
)
"""The first 20 cited precedents by date, each with the claims that cite it with the given
treatment, by speaker: their total and the first page (ids, treatment, documents)."""

CLAIM_DETAILS = (
    'UNWIND $ids AS id MATCH (m:Claim {id: id}) OPTIONAL MATCH (s)-[:ASSERTS]->(m) WITH id, '
    'm, head(collect(s)) AS s OPTIONAL MATCH (d:Document {id: m.doc}) RETURN id, m.text AS '
    'text, m.quote AS quote, s.id AS sid, s.name AS sname, d.id AS did, d.title AS title, '
    'd.publisher AS publisher'
)
"""Text, quote, speaker and document of claims by id (the claims of the pages above)."""


async def _details(store: GraphStore, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {r["id"]: r for r in await store.read(CLAIM_DETAILS, {"ids": wanted})}


def _cursor(offset: int | None) -> dict[str, Any]:
    """An end cursor, as the offset the API's relationship cursor carries."""
    return {"offset": offset}


async def distinguished(store: GraphStore, v: dict[str, Any]) -> Data:
    text = DISTINGUISHED.replace(
        "%HAS_CITED%", _has(store.dialect, "n", "CITES_PRECEDENT", out=False))
    treatment = model.Treatment[v.get("treatment", "DISTINGUISHES")].value
    first = v.get("first", 20)
    rows = await store.read(text, {"first": 20, "treatment": treatment})
    rows = [r for r in rows if r["id"] is not None]
    details = await _details(store, (p[0] for r in rows for p in r["page"][:first]))
    edges = []
    for r in rows:
        page = r["page"][:first]
        items = []
        for cid, ev, docs in page:
            d = details.get(cid, {})
            items.append({
                "properties": {"treatment": _name(model.Treatment, ev),
                               "documents": [str(x) for x in docs or [] if x is not None]},
                "node": {"id": cid, "text": d.get("text") or "",
                         "speaker": _agent({"id": d.get("sid"), "name": d.get("sname")},
                                           "id", "name"),
                         "evidence": {"quote": d.get("quote"), "document": None
                                      if d.get("did") is None else {
                                          "id": d["did"], "title": d["title"],
                                          "publisher": d["publisher"]}}}})
        edges.append({"node": {
            "id": r["id"], "name": r["name"] or r["id"], "date": _iso(r["date"]),
            "citedByConnection": {
                "totalCount": r["total"],
                "pageInfo": {"hasNextPage": len(items) < r["total"],
                             "endCursor": _cursor(len(items) - 1 if items else None)},
                "edges": items}}})
    return {"precedents": {"edges": edges}}


# -- 9_event_participants.graphql ------------------------------------------------------------

EVENT_PARTICIPANTS = (
    "MATCH (p:Event {id: $event}) "
    "OPTIONAL MATCH (p)<-[r:PARTICIPATED_IN]-(n:Actor) "
    "WITH p, n, r.role AS ev, collect(DISTINCT r.doc) AS docs "
    "WITH p, n, ev, docs ORDER BY CASE WHEN ev IS NULL THEN 1 ELSE 0 END, ev, "
    "CASE WHEN toLower(n.name) IS NULL THEN 1 ELSE 0 END, toLower(n.name), n.id "
    "WITH p, collect(CASE WHEN n IS NULL THEN null ELSE [n.id, n.name, n.type, ev, docs] END) "
    "AS rows "
    "RETURN p.id AS id, p.name AS name, p.date AS date, size(rows) AS total, "
    "rows[0..$first] AS page"
)
"""An event and its participants by role, then name: the total and the first page."""


async def event_participants(store: GraphStore, v: dict[str, Any]) -> Data:
    rows = await store.read(EVENT_PARTICIPANTS, {
        "event": v.get("event", "event:strike-qasem-soleimani-2020-01-03"), "first": 20})
    if not rows:
        return {"node": None}
    r = rows[0]
    return {"node": {"id": r["id"], "name": r["name"] or r["id"], "date": _iso(r["date"]),
                     "participantsConnection": {"totalCount": r["total"], "edges": [
                         {"properties": {"role": ev, "documents": [
                             str(x) for x in docs or [] if x is not None]},
                          "node": {"id": aid, "name": name or aid,
                                   "type": _name(model.ActorType, atype)}}
                         for aid, name, atype, ev, docs in r["page"]]}}}


# -- 10_concept_invocations.graphql ----------------------------------------------------------

CONCEPT_INVOCATIONS = (
    "MATCH (p:Concept {id: $concept}) "
    "OPTIONAL MATCH (p)<-[r:INVOKES]-(n:Claim) "
    "WITH p, n, r.stance AS ev, collect(DISTINCT r.doc) AS docs "
    "WITH p, n, ev, docs ORDER BY CASE WHEN ev IS NULL THEN 1 ELSE 0 END, ev, "
    "CASE WHEN n.speaker IS NULL THEN 1 ELSE 0 END, n.speaker, n.id "
    "WITH p, collect(CASE WHEN n IS NULL THEN null ELSE [n.id, ev, docs] END) AS rows "
    "RETURN p.id AS id, p.name AS name, size(rows) AS total, "
    "size([x IN rows WHERE x[1] = 'supports']) AS supporting, "
    "size([x IN rows WHERE x[1] = 'disputes']) AS disputing, rows[0..$first] AS page"
)
"""A concept, how many claims support and dispute its application, and the first page of its
claims by stance, then speaker: ids, stance and documents (details by `CLAIM_DETAILS`)."""


async def concept_invocations(store: GraphStore, v: dict[str, Any]) -> Data:
    first = v.get("first", 20)
    rows = await store.read(CONCEPT_INVOCATIONS, {
        "concept": v.get("concept", "concept:imminent-threat"), "first": first})
    if not rows:
        return {"node": None}
    r = rows[0]
    details = await _details(store, (p[0] for p in r["page"]))
    edges = []
    for cid, ev, docs in r["page"]:
        d = details.get(cid, {})
        edges.append({"properties": {"stance": _name(InvocationStance, ev),
                                     "documents": [str(x) for x in docs or [] if x is not None]},
                      "node": {"id": cid, "text": d.get("text") or "",
                               "speaker": _agent({"id": d.get("sid"), "name": d.get("sname")},
                                                 "id", "name")}})
    return {"node": {
        "id": r["id"], "name": r["name"] or r["id"],
        "supporting": {"aggregate": {"count": r["supporting"]}},
        "disputing": {"aggregate": {"count": r["disputing"]}},
        "claimsConnection": {
            "totalCount": r["total"],
            "pageInfo": {"hasNextPage": len(edges) < r["total"],
                         "endCursor": _cursor(len(edges) - 1 if edges else None)},
            "edges": edges}}}


# -- 11_document_outlets.graphql -------------------------------------------------------------

DOCUMENT_OUTLETS = (
    "MATCH (d:Document) "
    "WITH d, toString(d.title IS NULL) + coalesce(toLower(d.title), '') AS k "
    "ORDER BY k, d.id LIMIT $first "
    "OPTIONAL MATCH (d)-[r:PUBLISHED_BY|CITES_SOURCE]->(n:Outlet) "
    "WITH d, k, n, CASE WHEN r IS NULL THEN null ELSE type(r) END AS ev, "
    "collect(DISTINCT r.doc) AS docs "
    "WITH d, k, n, ev, docs ORDER BY CASE WHEN ev IS NULL THEN 1 ELSE 0 END DESC, ev DESC, "
    "CASE WHEN toLower(n.name) IS NULL THEN 1 ELSE 0 END, toLower(n.name), n.id "
    "WITH d, k, collect(CASE WHEN n IS NULL THEN null "
    "ELSE [n.id, n.name, n.domain, ev, docs] END) AS rows "
    "RETURN d.id AS id, d.title AS title, d.publisher AS publisher, d.author AS author, "
    "d.url AS url, d.published AS published, size(rows) AS total, rows[0..$outlets] AS page "
    "ORDER BY k, id"
)
"""The first 10 documents by title, each with its outlets (relation descending, then name):
the total and the first 50."""


async def document_outlets(store: GraphStore, v: dict[str, Any]) -> Data:
    rows = await store.read(DOCUMENT_OUTLETS, {"first": v.get("first", 10), "outlets": 50})
    return {"documents": {"edges": [{"node": {
        "id": r["id"], "title": r["title"], "publisher": r["publisher"], "author": r["author"],
        "url": r["url"], "published": _iso(r["published"]),
        "outletsConnection": {"totalCount": r["total"], "edges": [
            {"properties": {"relation": ev, "documents": [
                str(x) for x in docs or [] if x is not None]},
             "node": {"id": oid, "name": name or oid, "domain": domain}}
            for oid, name, domain, ev, docs in r["page"]]}}} for r in rows]}}


# -- the table -------------------------------------------------------------------------------

FLOORS: dict[str, Floor] = {
    "PrecedentsInDebate": precedents_in_debate,
    "ImminentThreatClaims": nested,
    "SelfDefenseArticle51": article51,
    "Timeline": timeline,
    "ActorNeighborhood": neighborhood,
    "ClaimFacets": claim_facets,
    "DistinguishedPrecedents": distinguished,
    "EventParticipants": event_participants,
    "ConceptInvocations": concept_invocations,
    "DocumentOutlets": document_outlets,
    "PathYamamotoToSoleimaniStrike": path,
}
"""The floor of each operation of `graphql/queries/`, by operation name."""

FLOOR_CYPHER: dict[str, list[str]] = {
    "PrecedentsInDebate": [PRECEDENTS_IN_DEBATE],
    "ImminentThreatClaims": [NESTED],
    "SelfDefenseArticle51": [ARTICLE51_CONCEPTS, ARTICLE51_ATTACKERS, CONTRADICTIONS],
    "Timeline": [TIMELINE],
    "ActorNeighborhood": ["kb.cypher.read: describe, expand (one per level), edges_between"],
    "ClaimFacets": list(FACET_STATEMENTS.values()),
    "DistinguishedPrecedents": [DISTINGUISHED, CLAIM_DETAILS],
    "EventParticipants": [EVENT_PARTICIPANTS],
    "ConceptInvocations": [CONCEPT_INVOCATIONS, CLAIM_DETAILS],
    "DocumentOutlets": [DOCUMENT_OUTLETS],
    "PathYamamotoToSoleimaniStrike": ["store.shortest_path(...), then kb.cypher.read.describe"],
}
"""The statements of each floor, for the results file (%HAS_...% is the dialect pair)."""

ALIASES = {"nested": "ImminentThreatClaims"}


def _size(data: Any) -> int:
    """How many objects an answer holds (the mean is reported beside the latencies)."""
    if isinstance(data, dict):
        return 1 + sum(_size(v) for v in data.values())
    if isinstance(data, list):
        return sum(_size(v) for v in data)
    return 0


async def run(job: dict[str, Any]) -> dict[str, Any]:
    store = open_store(Path(job["data_dir"]))
    await store.connect()
    floor = FLOORS[ALIASES.get(job["floor"], job["floor"])]
    sizes: list[int] = []
    try:
        async def call(variables: dict[str, Any]) -> str | None:
            sizes.append(_size(await floor(store, variables)))
            return None

        result = await run_load(call, job["variables"], job["concurrency"], job["requests"],
                                job["duration"], job.get("warmup", 0))
    finally:
        await store.close()
    out = summarize(result)
    out["items_mean"] = sum(sizes) / len(sizes) if sizes else 0.0
    return out


def main() -> None:
    json.dump(asyncio.run(run(json.load(sys.stdin))), sys.stdout)


if __name__ == "__main__":
    main()
