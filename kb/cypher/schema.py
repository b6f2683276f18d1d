"""Schema bootstrap and store-wide statements (stats, reset).

FalkorDB creates uniqueness constraints with the GRAPH.CONSTRAINT command rather than Cypher and
full-text indexes per label through a procedure, so its side of the bootstrap is split per label.
"""

from __future__ import annotations

from kb.cypher import query
from kb.model import DOC_EDGES, FULLTEXT_FIELDS, Label

LABELS = tuple(lbl.value for lbl in Label)

unique_id = query(
    "schema.unique_id",
    None,
    neo4j="CREATE CONSTRAINT %LABEL%_id_unique IF NOT EXISTS "
    "FOR (n:%LABEL%) REQUIRE n.id IS UNIQUE",
    slots={"LABEL": LABELS},
)

id_index = query(
    "schema.id_index",
    None,
    falkordb="CREATE INDEX FOR (n:%LABEL%) ON (n.id)",
    slots={"LABEL": LABELS},
)

doc_index = query(
    "schema.doc_index",
    "CREATE INDEX %NAME% IF NOT EXISTS FOR (n:%LABEL%) ON (n.doc)",
    falkordb="CREATE INDEX FOR (n:%LABEL%) ON (n.doc)",
    slots={"LABEL": ("Passage", "Claim"), "NAME": ("passage_doc", "claim_doc")},
)

EDGE_DOC_INDEXES = tuple((rel.value, f"{rel.value.lower()}_doc") for rel in DOC_EDGES)
"""(relationship type, index name) of each edge cleaned up by its `doc` property."""

edge_doc_index = query(
    "schema.edge_doc_index",
    "CREATE INDEX %NAME% IF NOT EXISTS FOR ()-[r:%TYPE%]-() ON (r.doc)",
    falkordb="CREATE INDEX FOR ()-[r:%TYPE%]-() ON (r.doc)",
    slots={"TYPE": tuple(t for t, _ in EDGE_DOC_INDEXES),
           "NAME": tuple(n for _, n in EDGE_DOC_INDEXES)},
)

event_date_index = query(
    "schema.event_date_index",
    "CREATE INDEX event_date IF NOT EXISTS FOR (n:Event) ON (n.date)",
    falkordb="CREATE INDEX FOR (n:Event) ON (n.date)",
)

fulltext_index_label = {
    label: query(
        f"schema.fulltext_index.{label.value}",
        None,
        neo4j=f"CREATE FULLTEXT INDEX kb_fulltext_{label.value} IF NOT EXISTS "
        f"FOR (n:{label.value}) ON EACH ["
        + ", ".join(f"n.{f}" for f in fields)
        + "]",
        falkordb=f"CALL db.idx.fulltext.createNodeIndex('{label.value}', "
        + ", ".join(f"'{f}'" for f in fields)
        + ")",
    )
    for label, fields in FULLTEXT_FIELDS.items()
}
"""One full-text index per label on both stores, so that a search limited to some labels takes
its `limit` from each of them (one index over all labels would cut before the label filter)."""

await_indexes = query(
    "schema.await_indexes",
    None,
    neo4j="CALL db.awaitIndexes(300)",
)
"""Neo4j builds new indexes in the background; bootstrap waits so the first search finds all."""

stats_nodes = query(
    "stats.nodes",
    "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS count ORDER BY label",
)

stats_rels = query(
    "stats.rels",
    "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY type",
)

reset = query("schema.reset", "MATCH (n) DETACH DELETE n")

ping = query("store.ping", "RETURN 1 AS ok")

list_indexes = query(
    "schema.list_indexes",
    None,
    falkordb="CALL db.indexes() YIELD label, properties, types RETURN label, properties, types",
)

list_constraints = query(
    "schema.list_constraints",
    None,
    falkordb="CALL db.constraints() YIELD type, label RETURN type, label",
)
