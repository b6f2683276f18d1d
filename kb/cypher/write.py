"""Write statements: batched MERGE of nodes and edges, and removal of a document's contribution.

Every statement takes a list of rows and UNWINDs it, so a document is written in a handful of
statements whatever its size. Edges carry a `key` (a hash of their endpoints, type and
provenance) so that MERGE makes reloading idempotent, and `doc`/`passage` for provenance.
"""

from __future__ import annotations

from kb.cypher import Query, query
from kb.model import (
    DATE_FIELDS,
    DOC_EDGES,
    EDGE_ENDPOINTS,
    EDGE_FIELDS,
    FULLTEXT_FIELDS,
    OWN_FIELDS,
    SHARED_FIELDS,
    Label,
    RelType,
)


def _merge_nodes_text(label: Label, verb: str = "MERGE") -> str:
    dates = "".join(
        f" FOREACH (_ IN CASE WHEN '{f}' IN coalesce(row.keep, []) THEN [] ELSE [1] END | "
        f"SET n.{f} = CASE WHEN row.{f} IS NULL THEN null ELSE date(row.{f}) END)"
        for f in DATE_FIELDS.get(label, ())
    )
    return f"UNWIND $rows AS row {verb} (n:{label.value} {{id: row.id}}) SET n += row.props{dates}"


INDEXED_FIELDS: dict[Label, tuple[str, ...]] = {
    label: (*FULLTEXT_FIELDS[label], *DATE_FIELDS.get(label, ())) for label in SHARED_FIELDS}
"""The properties of shared nodes that an index covers (full-text, and the dates: the event date
is range-indexed). Why they matter to a write: on FalkorDB, setting an indexed property, even to
its own value, re-indexes the node and leaves a deleted entry that the index's garbage collector
reclaims by forking the whole server process, which blocks it for a time that grows with its
memory (0.2-0.7 s at 3 GB, several per minute during a bulk load). So a write leaves out of its
SET the indexed values that do not change (`kb.writer.resolve_shared`): a date named in the
row's `keep` list is not set, and an unchanged value is not in `props`."""


merge_nodes: dict[Label, Query] = {
    label: query(f"write.merge_nodes.{label.value}", _merge_nodes_text(label)) for label in Label
}

DOCUMENT_OWNED = (Label.DOCUMENT, Label.PASSAGE, Label.CLAIM)
"""Labels whose nodes belong to one document (their ids derive from the document's id)."""

def _create_nodes_text(label: Label) -> str:
    dates = DATE_FIELDS.get(label, ())
    values = ", ".join(
        f"{f}: CASE WHEN row.{f} IS NULL THEN null ELSE date(row.{f}) END" if f in dates
        else f"{f}: row.props.{f}" for f in OWN_FIELDS[label])
    return f"UNWIND $rows AS row CREATE (n:{label.value} {{id: row.id, {values}}})"


create_nodes: dict[Label, Query] = {
    label: query(f"write.create_nodes.{label.value}", _create_nodes_text(label))
    for label in DOCUMENT_OWNED
}
"""For a document the store has never seen: its own nodes cannot exist yet, so they are
created without the MERGE lookup (the uniqueness constraint still guards the ids), with every
property (`kb.model.OWN_FIELDS`; a null one is not stored) in the CREATE pattern. Why not
CREATE then `SET n += row.props`: on FalkorDB the SET updates a node the same statement just
indexed, which indexes it again (a passage's and a claim's text twice) and leaves a deleted
index entry per node for the garbage collector, which forks the server to reclaim them: in a
scratch store, 200 nodes with a full-text field were created 3.2 times as fast this way (10,077
batches against 3,101 in 45 s), with no fork against one. A row holding a property outside
OWN_FIELDS is written with MERGE and SET instead (`kb.writer.GraphRows.statements`)."""

def _edges_text(rel: RelType, src: Label, dst: Label, verb: str) -> str:
    ends = (f"UNWIND $rows AS row "
            f"MATCH (a:{src.value} {{id: row.source}}) MATCH (b:{dst.value} {{id: row.target}}) ")
    if verb == "MERGE":
        return ends + f"MERGE (a)-[r:{rel.value} {{key: row.key}}]->(b) SET r += row.props"
    values = "".join(f", {f}: row.props.{f}" for f in EDGE_FIELDS[rel])
    return ends + f"CREATE (a)-[r:{rel.value} {{key: row.key{values}}}]->(b)"


_EDGES = [(rel, src, dst) for rel, pairs in EDGE_ENDPOINTS.items() for src, dst in pairs]

merge_edges: dict[tuple[RelType, Label, Label], Query] = {
    (r, a, b): query(f"write.merge_edges.{r.value}.{a.value}.{b.value}",
                     _edges_text(r, a, b, "MERGE")) for r, a, b in _EDGES}

create_edges: dict[tuple[RelType, Label, Label], Query] = {
    (r, a, b): query(f"write.create_edges.{r.value}.{a.value}.{b.value}",
                     _edges_text(r, a, b, "CREATE")) for r, a, b in _EDGES}
"""For a new document every edge is new (each key hashes the document's id or one of its own
nodes), so the edges are created: a MERGE would first scan every parallel edge between the two
endpoints, and hubs such as two concepts related by thousands of documents make that scan grow
with the graph. Each is created whole, every property (`kb.model.EDGE_FIELDS`; a null one is not
stored) in the CREATE pattern rather than SET after it, as `create_nodes` does. Measured on
2,000 synthetic documents against CREATE then SET: the same graph, and no difference in the
store's CPU beyond run-to-run noise (22.0 against 20.6 s, 9 against 7 forks): only four edge
types are indexed (on `doc`), so the second update costs little here."""

document_shas = query(
    "write.document_shas",
    "UNWIND $docs AS doc MATCH (d:Document {id: doc}) RETURN d.id AS id, d.sha256 AS sha256",
)
"""The stored version of several documents at once (absent: never loaded)."""

def _indexed_values(label: Label) -> str:
    return "[" + ", ".join(f"toString(n.{f})" if f in DATE_FIELDS.get(label, ()) else f"n.{f}"
                           for f in INDEXED_FIELDS[label]) + "]"


read_support = query(
    "write.read_support",
    " UNION ALL ".join(
        f"UNWIND ${label.value} AS id MATCH (n:{label.value} {{id: id}}) "
        f"RETURN n.id AS id, n.support AS support, {_indexed_values(label)} AS indexed"
        for label in SHARED_FIELDS),
)
"""The support counts of shared nodes (kb.support), read before a write that changes them, with
their stored INDEXED_FIELDS values in that order (dates as ISO strings): one statement for
every shared label, with one id list parameter per label."""

document_contributions = query(
    "write.document_contributions",
    "MATCH (d:Document {id: $doc}) RETURN d.contributions AS contributions",
)
"""What a stored document contributed to shared nodes: subtracted when it is changed or
deleted."""

document_counts = query(
    "write.document_counts",
    "OPTIONAL MATCH (p:Passage {doc: $doc}) WITH count(p) AS passages "
    "OPTIONAL MATCH (c:Claim {doc: $doc}) RETURN passages, count(c) AS claims",
)
"""How many passages and claims a document owns (what a delete removes with it)."""

document_entities = query(
    "write.document_entities",
    "MATCH (p:Passage {doc: $doc})<-[:MENTIONED_IN]-(e) "
    "RETURN DISTINCT labels(e)[0] AS label, e.id AS id "
    "UNION "
    "MATCH (:Document {id: $doc})-[:PUBLISHED_BY|CITES_SOURCE]->(e) "
    "RETURN DISTINCT labels(e)[0] AS label, e.id AS id",
)
"""Entities the document touches: candidates for removal once its old version is gone."""

delete_doc_edges = query(
    "write.delete_doc_edges",
    "MATCH ()-[r:%TYPE%]->() WHERE r.doc = $doc DELETE r",
    slots={"TYPE": tuple(rel.value for rel in DOC_EDGES)},
)

delete_doc_claims = query(
    "write.delete_doc_claims", "MATCH (c:Claim {doc: $doc}) DETACH DELETE c"
)

delete_doc_passages = query(
    "write.delete_doc_passages", "MATCH (p:Passage {doc: $doc}) DETACH DELETE p"
)

delete_doc_outlet_edges = query(
    "write.delete_doc_outlet_edges",
    "MATCH (:Document {id: $doc})-[r:PUBLISHED_BY|CITES_SOURCE]->() DELETE r",
)

delete_document = query(
    "write.delete_document", "MATCH (d:Document {id: $doc}) DETACH DELETE d"
)

delete_orphans = query(
    "write.delete_orphans",
    "UNWIND $ids AS id MATCH (e:%LABEL% {id: id}) "
    "WHERE NOT (e)-[:MENTIONED_IN]->() AND NOT ()-[:PUBLISHED_BY|CITES_SOURCE]->(e) "
    "AND NOT (e)-[:ASSERTS]->() "
    "AND coalesce(e.curated, false) = false "
    "DETACH DELETE e",
    slots={"LABEL": tuple(label.value for label in SHARED_FIELDS)},
)
"""Entities that no document supports any more (curated thesaurus entries always stay)."""

document_sha = query(
    "write.document_sha", "MATCH (d:Document {id: $doc}) RETURN d.sha256 AS sha256"
)
