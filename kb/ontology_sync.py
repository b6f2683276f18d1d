"""Write the curated thesaurus (concepts, precedents and their RELATED_TO edges) to the store.

Curated nodes carry `curated: true`, so removing the last document that mentions one keeps it:
the thesaurus stays browsable whatever the corpus holds.
"""

from __future__ import annotations

from kb.model import Label
from kb.store.base import GraphStore
from kb.writer import GraphRows, resolve_shared
from loaders.ontology import ontology_graph


def ontology_rows() -> GraphRows:
    concepts, precedents, relations = ontology_graph()
    g = GraphRows()
    for c in concepts:
        g.node(Label.CONCEPT, c.id, name=c.name, definition=c.definition,
               aliases=list(c.aliases), aliases_text=" | ".join(c.aliases), curated=True)
    for p in precedents:
        g.node(Label.PRECEDENT, p.id, name=p.name, summary=p.summary, date=p.date,
               aliases=list(p.aliases), aliases_text=" | ".join(p.aliases), curated=True)
    for r in relations:
        g.edge(r.type, r.source_label, r.source_id, r.target_label, r.target_id,
               curated=True, **r.props)
    return g


async def sync_ontology(store: GraphStore) -> None:
    """MERGE the thesaurus in one transaction; running it again changes nothing. Nodes that
    documents support keep what they contributed (their properties are derived from both)."""
    rows = ontology_rows()
    curated = {label: set(rows.nodes.get(label, {})) for label in (Label.CONCEPT,
                                                                   Label.PRECEDENT)}
    await resolve_shared(store, rows, [], also=curated)
    await store.write_batch(rows.statements(store.dialect))
